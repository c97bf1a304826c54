"""Target: a parsed 指标值 (or 实际完成值), as the form wrote it and as it can be measured.

>>> Target(kind=TargetKind.RATIO, op=Comparator.GE, value=Decimal("95"), unit="%", raw="≥95%").op.value
'≥'
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class TargetKind(StrEnum):
    QUANTITY = "quantity"  # a count or amount with a unit: ≥20000人次, ≤30万元
    RATIO = "ratio"  # a percentage: ≥95%, 100%, 0.6 in a ratio column
    QUALITATIVE = "qualitative"  # a grade word: 充分, 及时, 有效…
    DEADLINE = "deadline"  # a date or period: 12月底之前, ≤24月
    TEXT = "text"  # free text that cannot be measured as written
    MISSING = "missing"  # empty, dashes, placeholders


class Comparator(StrEnum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    APPROX = "≈"
    RANGE = "range"


class Target(BaseModel):
    """One 指标值. ``raw`` is always the text as printed; ``notes`` say what the parser assumed."""

    model_config = ConfigDict(frozen=True)

    kind: TargetKind
    op: Comparator | None = None
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    label: str | None = None
    raw: str = ""
    notes: tuple[str, ...] = ()
    parts: tuple[Target, ...] = ()  # several values in one cell: 岗位补贴:2004元/人/月,1002元/人/月

    @property
    def is_measurable(self) -> bool:
        """A number with a comparator, a deadline, or a defined qualitative grade."""
        if self.kind in (TargetKind.QUANTITY, TargetKind.RATIO, TargetKind.DEADLINE):
            return self.value is not None or self.low is not None or bool(self.parts)
        return self.kind is TargetKind.QUALITATIVE
