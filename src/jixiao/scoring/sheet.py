"""The score sheet: per row the computed score beside the document's own, level subtotals, total,
grade, and the departures from the rule as findings. ``jixiao score --format json`` prints it.

>>> ScoreSheet(ruleset="henan-dept", ruleset_title="河南").total_computed
Decimal('0')
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from jixiao.model.findings import Finding
from jixiao.model.loc import Loc


class ScoreRow(BaseModel):
    indicator: str  # 一级/二级/三级 as printed
    level: str  # the ruleset's 一级指标 the row counts under
    weight: Decimal | None = None
    target: str = ""  # 指标值 as printed
    actual: str | None = None  # 实际完成值 as printed
    reported_score: Decimal | None = None
    computed_score: Decimal | None = None
    method: str = (
        ""  # full / proportional / inverse / range / deduction / qualitative / budget / missing / unscorable
    )
    tier: str | None = None  # 达成 / 部分达成 / 未达成 for qualitative rows
    allowed_low: Decimal | None = None  # the points a reviewer may give within the tier
    allowed_high: Decimal | None = None
    explanation: str = ""
    departs: bool = False  # the reported score breaks the rule
    locations: list[Loc] = Field(default_factory=list)


class LevelResult(BaseModel):
    name: str
    weight_rule: Decimal | None = None  # the ruleset's points for this level
    weight_document: Decimal | None = None  # the rows' weights added up
    reported: Decimal | None = None  # the rows' reported scores added up (or the summary table's)
    computed: Decimal = Decimal(0)


class ScoreSheet(BaseModel):
    schema_version: int = 1
    ruleset: str
    ruleset_title: str
    ruleset_detected: bool = False  # chosen from the form's own scoring notes (not a default)
    file: str | None = None
    form: str | None = None  # department or project
    rows: list[ScoreRow] = Field(default_factory=list)
    levels: list[LevelResult] = Field(default_factory=list)
    total_reported: Decimal | None = None
    total_computed: Decimal = Decimal(0)
    grade_reported: str | None = None
    grade_computed: str | None = None
    findings: list[Finding] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)
