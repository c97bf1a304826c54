"""The dashboard's figures of one stored version, read from the JSON the store keeps (no Django).

Enters: a version's ``parsed`` (``ParsedDocument`` JSON), ``audit`` (``DocumentAudit`` JSON) and
``scores`` (``ScoreSheet`` JSON list). Leaves: ``VersionFacts``: the budget total in 元, the first
score sheet's computed and reported totals and grades, and the findings counted per (code,
severity). Which budget line counts is the library's choice where it has one
(``jixiao.scoring.engine.budget_line`` for a 自评表), else the form's own total line.

>>> facts_of({"forms": []}, {"findings": [{"code": "A101", "severity": "error"}]}, []).counts
{('A101', 'error'): 1}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.money import to_unit

#: The words of a 预算情况 line that is the total (as ``jixiao.checks.arithmetic`` reads them).
TOTAL_WORDS = ("总额", "总计", "合计")
MONEY_UNITS = ("元", "千元", "万元", "亿元")
#: Severities, most serious first.
SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class VersionFacts:
    budget_yuan: Decimal | None = None
    score_computed: Decimal | None = None
    score_reported: Decimal | None = None
    grade_computed: str = ""
    grade_reported: str = ""
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def budget_fen(self) -> int | None:
        """The budget in 分, rounded half up only when it was stated finer than a 分."""
        if self.budget_yuan is None:
            return None
        return int((self.budget_yuan * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def total(self, severity: str) -> int:
        return sum(n for (_, s), n in self.counts.items() if s == severity)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _in_yuan(amount: Decimal | None, unit: str | None) -> Decimal | None:
    if amount is None or unit not in MONEY_UNITS:
        return None
    return to_unit(amount, str(unit), "元")


def _form_budget(form: Any) -> Decimal | None:
    """The budget total one form states, in 元 (None when it states none)."""
    if isinstance(form, SelfEvaluation):
        from jixiao.scoring.engine import budget_line

        line = budget_line(form)
        if line is None:
            return None
        return _in_yuan(line.adjusted if line.adjusted is not None else line.initial, line.unit)
    if isinstance(form, DeptTargetDeclaration):
        for budget in form.budget:
            if any(word in budget.label for word in TOTAL_WORDS) and budget.amount is not None:
                return _in_yuan(budget.amount, budget.unit)
        return None
    if isinstance(form, ProjectTargetDeclaration):
        return _in_yuan(form.budget, form.budget_unit)
    if isinstance(form, Disclosure):
        for kind, side in (("expenditure_summary", None), ("income_expenditure_summary", "expenditure")):
            for table in form.tables:
                if table.kind != kind:
                    continue
                row = table.total(side)  # type: ignore[arg-type]
                value = next((v for v in row.values.values() if v is not None), None) if row else None
                if value is not None:
                    return _in_yuan(value, table.unit or form.unit)
        return None
    return None


#: Per form type, the only parts the budget is read from (validated alone: a whole form with its
#: indicator tree and narrative costs ten times as much, on every upload).
BUDGET_PARTS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "self_evaluation": (SelfEvaluation, ("form", "budget_execution")),
    "dept_target": (DeptTargetDeclaration, ("form", "budget")),
    "project_target": (ProjectTargetDeclaration, ("form", "budget", "budget_unit")),
    "disclosure": (Disclosure, ("form", "unit")),
}
DISCLOSURE_TOTAL_KINDS = ("expenditure_summary", "income_expenditure_summary")


def budget_of(parsed: dict[str, Any]) -> Decimal | None:
    """The budget total of a document's first form, in 元."""
    forms = parsed.get("forms") or []
    if not forms or not isinstance(forms[0], dict):
        return None
    first = forms[0]
    parts = BUDGET_PARTS.get(str(first.get("form")))
    if parts is None:
        return None
    model, fields = parts
    data = {name: first[name] for name in fields if name in first}
    if model is Disclosure:
        data["tables"] = [t for t in first.get("tables") or [] if t.get("kind") in DISCLOSURE_TOTAL_KINDS]
    try:
        form = model.model_validate(data)
    except ValidationError:
        return None
    return _form_budget(form)


def finding_counts(audit: dict[str, Any]) -> dict[tuple[str, str], int]:
    """The audit's findings counted per (code, severity)."""
    counted: Counter[tuple[str, str]] = Counter()
    for finding in audit.get("findings") or []:
        counted[(str(finding.get("code", "")), str(finding.get("severity", "")))] += 1
    return dict(sorted(counted.items()))


def facts_of(parsed: dict[str, Any], audit: dict[str, Any], scores: list[dict[str, Any]]) -> VersionFacts:
    """Everything the dashboard keeps of one version."""
    sheet = scores[0] if scores else {}
    return VersionFacts(
        budget_yuan=budget_of(parsed),
        score_computed=_decimal(sheet.get("total_computed")) if sheet else None,
        score_reported=_decimal(sheet.get("total_reported")),
        grade_computed=str(sheet.get("grade_computed") or ""),
        grade_reported=str(sheet.get("grade_reported") or ""),
        counts=finding_counts(audit),
    )


@cache
def code_titles() -> dict[str, str]:
    """The Chinese title of every code: rules, read errors, recognition notes (the report's own)."""
    from jixiao.checks.report import AuditReport
    from jixiao.report.html import code_titles as titles

    return titles(AuditReport())


def code_title(code: str) -> str:
    return code_titles().get(code, "")


def family_name(family: str) -> str:
    """A family letter's Chinese name: the audit's families, then 读取 (R) and 识别 (F0…)."""
    from jixiao.checks.registry import FAMILIES

    if family in FAMILIES:
        return FAMILIES[family].split("：")[0]
    return {"R": "读取"}.get(family, family)
