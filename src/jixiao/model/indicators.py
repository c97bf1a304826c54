"""The three-level indicator tree (一级/二级/三级指标) shared by declarations and self-evaluations.

A row keeps its 一级 and 二级 names even where the form merged (left empty) those cells.

>>> Indicator(level1="产出指标", level2="数量指标", name="培训人次", target=parse_target("≥20000人次")).target.unit
'人次'
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from jixiao.model.loc import Loc
from jixiao.model.target import Target
from jixiao.model.values import parse_target

__all__ = ["Indicator", "parse_target"]


class Indicator(BaseModel):
    """One 三级指标 row. Self-evaluation fields (actual, weight, score…) are None on a declaration."""

    level1: str | None = None  # 一级指标: 产出指标, 效益指标, 履职效能…
    level2: str | None = None  # 二级指标: 数量指标, 质量指标…
    name: str  # 三级指标
    target: Target
    explanation: str | None = None  # 指标解释 / 指标值说明
    formula: str | None = None  # 指标说明 / 计算公式
    nature: str | None = None  # 指标性质: 定量/定性
    direction: str | None = None  # 指标方向: 正向/反向
    unit: str | None = None  # 计量单位 when a column of its own
    previous: str | None = None  # 上年度指标值或实际水平
    # self-evaluation
    level1_weight: Decimal | None = None  # 一级指标's own 分值 column, when the form has one
    actual_raw: str | None = None  # 实际完成值 as printed
    actual: Target | None = None
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分
    deviation_reason: str | None = None  # 偏差原因 / 未完成原因分析及改进措施
    loc: Loc | None = None  # the row
    cells: dict[str, Loc] = Field(default_factory=dict)  # field name → cell it came from
