"""Self-evaluations (绩效自评表 + 自评报告): what was planned, what happened, and the scores.

>>> LevelScore(name="产出指标", weight=Decimal("25"), score=Decimal("25")).name
'产出指标'
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from jixiao.model.declaration import Goal, Task
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.narrative import Section


class FundLine(BaseModel):
    """A line of the 预算执行情况 block: 年初数 / 全年数 / 全年执行数 (and rate / score on the total)."""

    label: str  # 部门预算总额, 财政性资金, 其他资金, 年度资金总额…
    initial: Decimal | None = None  # 年初数 / 年初预算数
    adjusted: Decimal | None = None  # 全年数 / 全年预算数
    executed: Decimal | None = None  # 全年执行数
    weight: Decimal | None = None  # 分值
    rate_raw: str | None = None  # 执行率 as printed: (100%)
    rate: Decimal | None = None  # percent
    score: Decimal | None = None
    unit: str = "万元"
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)


class LevelScore(BaseModel):
    """A 一级指标 in a summary table (表3-1): weight, score rate, score."""

    name: str
    weight: Decimal | None = None
    rate_raw: str | None = None
    score: Decimal | None = None
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)  # weight / rate_raw / score → cell


class SelfEvaluation(BaseModel):
    """部门整体 / 项目支出 绩效自评 (table and, where present, its report)."""

    form: Literal["self_evaluation"] = "self_evaluation"
    scope: Literal["dept", "project"] = "dept"
    title: str | None = None
    department: str | None = None
    project_name: str | None = None
    implementing_unit: str | None = None  # 实施单位 of a project form
    year: int | None = None
    budget_execution: list[FundLine] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)  # expected content + actual
    tasks: list[Task] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)  # the 自评表's scored rows
    report_indicators: list[Indicator] = Field(default_factory=list)  # the report's own 表3-2, if any
    level_scores: list[LevelScore] = Field(default_factory=list)  # 表3-1 or equivalent
    total_reported: Decimal | None = None
    total_weight_reported: Decimal | None = None  # the 分值 printed on a 总分 / 合计 row
    grade_reported: str | None = None
    sections: list[Section] = Field(default_factory=list)  # the report's narrative
    scoring_notes: str | None = None  # the form's footnote with its scoring rules
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)  # total_reported, grade_reported… → where read
