"""Target declarations (绩效目标申报表 / 目标表): department-wide and per project.

>>> Task(name="任务1", total=Decimal("50"), fiscal=Decimal("50")).unit
'万元'
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc


class Goal(BaseModel):
    """A 年度总体目标 / 明细目标 / 履职目标; ``actual`` is the 完成情况 in a self-evaluation."""

    label: str | None = None  # 目标1, 1, 一
    title: str | None = None  # 目标名称 where the form has one
    content: str
    actual: str | None = None
    loc: Loc | None = None


class Task(BaseModel):
    """A 年度主要任务 with its funds (合计 / 其中财政资金) and note."""

    label: str | None = None  # 任务1
    name: str
    content: str | None = None
    total: Decimal | None = None
    fiscal: Decimal | None = None
    unit: str = "万元"
    note: str | None = None
    actual: str | None = None  # 任务完成情况 in a self-evaluation
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)


class BudgetLine(BaseModel):
    """One line of a 预算情况 / 资金情况 block: 部门预算总额, 基本支出, 政府预算资金…"""

    label: str
    amount: Decimal | None = None
    unit: str = "万元"
    loc: Loc | None = None


class StagePlan(BaseModel):
    """A 阶段性计划 entry: period (1月-6月) and what is to be done."""

    period: str
    content: str
    loc: Loc | None = None


class DeptTargetDeclaration(BaseModel):
    """部门整体绩效目标申报表 / 部门(单位)整体绩效目标表."""

    form: Literal["dept_target"] = "dept_target"
    title: str | None = None
    department: str | None = None
    year: int | None = None
    functions: str | None = None  # 部门职能描述
    overall_goal: str | None = None  # a single 部门绩效目标 paragraph where the form has one
    goals: list[Goal] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    budget: list[BudgetLine] = Field(default_factory=list)
    measures: dict[str, str] = Field(default_factory=dict)  # 保障措施: 组织机构, 相关管理制度…
    stage_plan: list[StagePlan] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    loc: Loc | None = None


class ProjectTargetDeclaration(BaseModel):
    """项目支出绩效目标申报表 / 项目绩效目标表."""

    form: Literal["project_target"] = "project_target"
    title: str | None = None
    department: str | None = None
    year: int | None = None
    project_name: str | None = None
    project_code: str | None = None
    leader: str | None = None  # 项目负责人
    phone: str | None = None
    category: str | None = None  # 项目类别
    attribute: str | None = None  # 项目属性: 新增/延续
    period: str | None = None  # 项目计划实施时间
    budget: Decimal | None = None
    budget_unit: str = "万元"
    budget_unit_assumed: bool = False  # True where the form printed no unit and one was inferred
    fund_nature: str | None = None  # 资金性质
    annual_goal: str | None = None  # 年度目标
    goals: list[Goal] = Field(default_factory=list)  # 详细目标
    plans: list[str] = Field(default_factory=list)  # 本年度实施计划
    measures: dict[str, str] = Field(default_factory=dict)
    indicators: list[Indicator] = Field(default_factory=list)
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)


class ProjectSummaryRow(BaseModel):
    """One project of a 项目绩效目标汇总表, with its amounts and indicators by 一级指标."""

    code: str | None = None  # 项目编码 / 单位编码
    name: str
    is_unit: bool = False  # a unit subtotal row (007, 007001) rather than a project
    total: Decimal | None = None
    amounts: dict[str, Decimal | None] = Field(default_factory=dict)  # column header → amount
    indicators: list[Indicator] = Field(default_factory=list)
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)  # amount column header → its cell


class ProjectTargetSummary(BaseModel):
    """部门预算项目绩效目标汇总表: every project with its code, funds and targets."""

    form: Literal["project_target_summary"] = "project_target_summary"
    title: str | None = None
    department: str | None = None
    year: int | None = None
    unit: str = "万元"
    rows: list[ProjectSummaryRow] = Field(default_factory=list)
    loc: Loc | None = None
