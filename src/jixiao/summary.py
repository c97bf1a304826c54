"""One-line-per-fact summaries of parsed forms, shared by ``jixiao inspect`` and ``make run``.

>>> from jixiao.ingest.forms.disclosure_tables import KIND_NAMES as TABLE_KIND_NAMES
from jixiao.model.declaration import DeptTargetDeclaration
>>> form_summary(DeptTargetDeclaration(department="某局"))[0]
'部门整体绩效目标申报表：某局'
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from jixiao.ingest.forms.disclosure_tables import KIND_NAMES as TABLE_KIND_NAMES
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure, DisclosureTable
from jixiao.model.document import Form
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.indicators import Indicator

KIND_NAMES = {
    "dept_target": "部门整体绩效目标申报表",
    "project_target": "项目支出绩效目标申报表",
    "budget_disclosure": "部门预算公开",
    "final_disclosure": "部门决算公开",
    "self_evaluation": "绩效自评",
    "unknown": "未识别",
}


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _amount(value: Decimal | None, unit: str | None) -> str:
    if value is None:
        return "—"
    return f"{value:,} {unit or ''}".rstrip()  # exactly as stored: no rounding here


def indicator_summary(indicators: list[Indicator]) -> str:
    levels = Counter(i.level1 or "（无一级指标）" for i in indicators)
    parts = "，".join(f"{name} {count}" for name, count in levels.items())
    return f"指标 {len(indicators)} 个（{parts}）" if indicators else "指标 0 个"


def form_summary(form: Form) -> list[str]:
    """Chinese lines describing what was read from one form."""
    if isinstance(form, DeptTargetDeclaration):
        lines = [
            f"部门整体绩效目标申报表：{form.department or '（未写部门）'}"
            + (f" {form.year} 年度" if form.year else "")
        ]
        lines.append(
            f"年度目标 {len(form.goals)} 个；主要任务 {len(form.tasks)} 项，"
            f"合计 {_amount(_sum([t.total for t in form.tasks]), '万元')}"
        )
        for line in form.budget:
            lines.append(f"预算：{line.label} {_amount(line.amount, line.unit)}")
        lines.append(indicator_summary(form.indicators))
        return lines
    if isinstance(form, ProjectTargetDeclaration):
        return [
            f"项目绩效目标申报表：{form.project_name or '（未写项目名称）'}，预算 {_amount(form.budget, form.budget_unit)}"
            + ("（单位系推定）" if form.budget_unit_assumed else ""),
            indicator_summary(form.indicators),
        ]
    if isinstance(form, ProjectTargetSummary):
        projects = [r for r in form.rows if not r.is_unit]
        return [
            f"项目绩效目标汇总表：项目 {len(projects)} 个，"
            f"{indicator_summary([i for r in projects for i in r.indicators])}"
        ]
    if isinstance(form, SelfEvaluation):
        weights = _sum([i.weight for i in form.indicators])
        scores = _sum([i.score for i in form.indicators])
        lines = [
            f"绩效自评（{'部门整体' if form.scope == 'dept' else '项目'}）：{form.department or form.project_name or ''}"
            + (f" {form.year} 年度" if form.year else "")
        ]
        for fund in form.budget_execution[:1]:
            lines.append(
                f"预算执行：全年数 {_amount(fund.adjusted, fund.unit)}，执行数 {_amount(fund.executed, fund.unit)}，"
                f"分值 {fund.weight}，得分 {fund.score}"
            )
        lines.append(f"评分指标 {len(form.indicators)} 行，分值合计 {weights}，得分合计 {scores}")
        lines.append(
            f"自评总分 {form.total_reported if form.total_reported is not None else '—'}，"
            f"等级 {form.grade_reported or '—'}；报告章节 {len(form.sections)} 个"
        )
        return lines
    if isinstance(form, Disclosure):
        stage = "部门决算公开" if form.stage == "final" else "部门预算公开"
        lines = [f"{stage}：{form.department or '（未写部门）'}" + (f" {form.year} 年" if form.year else "")]
        lines.append(f"目录列出 {len(form.toc)} 张表；识别出 {len(form.tables)} 张表")
        for table in form.tables:
            lines.append("  " + table_summary(table))
        for target in form.dept_targets:
            lines.extend("  " + x for x in form_summary(target))
        for project in form.project_targets:
            lines.extend("  " + x for x in form_summary(project))
        for summary in form.project_summaries:
            lines.extend("  " + x for x in form_summary(summary))
        return lines
    return [type(form).__name__]


def table_summary(table: DisclosureTable) -> str:
    name = TABLE_KIND_NAMES.get(table.kind, table.kind)
    totals = [r for r in table.rows if r.is_total]
    text = f"{name}「{table.title}」{len(table.rows)} 行，单位 {table.unit or '未注明'}"
    if totals:
        first = totals[-1]
        value = next((v for v in first.values.values() if v is not None), None)
        text += f"；{first.name} {_amount(value, table.unit)}"
    if table.empty_statement:
        text += f"；{table.empty_statement}"
    return text
