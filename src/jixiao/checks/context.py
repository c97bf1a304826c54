"""What a rule sees besides its form: the whole document, its source grid and the other documents.

Rules share work through ``memo`` (e.g. one row-sum computation serves the error rule and the
display-rounding rule). Helpers for display precision live here so every rule rounds alike.

>>> decimals(Decimal("8562.6")), decimals(Decimal("12"))
(1, 0)
>>> rounding_allowance([Decimal("1.2"), Decimal("3.45")])
Decimal('0.010')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from jixiao.ingest.source import SourceDocument
from jixiao.model.document import ParsedDocument

T = TypeVar("T")


@dataclass
class Context:
    document: ParsedDocument
    source: SourceDocument | None = None
    documents: Sequence[ParsedDocument] = ()  # every document of the run, this one included
    _memo: dict[object, object] = field(default_factory=dict, repr=False)

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()`` once per document and key."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def others(self) -> list[ParsedDocument]:
        return [d for d in self.documents if d is not self.document]


def decimals(value: Decimal) -> int:
    """Digits after the decimal point as printed (``Decimal`` keeps them: 8562.60 → 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def rounding_allowance(values: Iterable[Decimal]) -> Decimal:
    """How far a printed sum may drift from its printed parts through display rounding alone.

    Each printed value is off by at most half a unit of its last digit; the allowance is the sum
    of those halves (a total of 30 rows in 0.1 万元 may be off by up to 1.5 in theory; in practice
    the rules also cap it, see ``within_rounding``).
    """
    return sum((Decimal(5) * Decimal(10) ** -(decimals(v) + 1) for v in values), Decimal(0))


def within_rounding(expected: Decimal, actual: Decimal, parts: Sequence[Decimal]) -> bool:
    """True when ``actual`` differs from ``expected`` by no more than display rounding explains.

    The allowance is the half-units of the parts and the total, but never more than one unit of
    the coarsest printed precision times two: a 0.1 万元 table tolerates a 0.1 or 0.2 drift,
    not 1.5.
    """
    difference = abs(expected - actual)
    if difference == 0:
        return True
    printed = [*parts, actual]
    coarsest = min((decimals(v) for v in printed), default=0)
    cap = Decimal(2) * Decimal(10) ** -coarsest
    return difference <= min(rounding_allowance(printed), cap)


def amount_text(value: Decimal | None, unit: str | None = None) -> str:
    """``Decimal('8562.60')`` → ``8562.60 万元``, exactly as stored (no rounding)."""
    if value is None:
        return "（空）"
    text = format(value, "f")
    return f"{text} {unit}" if unit else text
