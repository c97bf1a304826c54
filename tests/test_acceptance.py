"""The issue's acceptance figures, end to end through ``parse_file`` (reader + recognisers + dispatch).

Each figure was checked by reading the seed by hand; the module tests pin the details.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.ingest.load import parse_file
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure
from jixiao.model.evaluation import SelfEvaluation
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def test_seed_000_goals_tasks_and_every_indicator_with_its_levels() -> None:
    doc = parse_file(SEED_000)
    assert doc.kind == "dept_target"
    (form,) = doc.forms
    assert isinstance(form, DeptTargetDeclaration)
    assert form.department == "郑州市人力资源和社会保障局" and form.year == 2020
    assert len(form.goals) == 10
    assert len(form.tasks) == 12
    assert _sum([t.total for t in form.tasks]) == Decimal("2924")
    assert _sum([t.fiscal for t in form.tasks]) == Decimal("2924")
    assert len(form.indicators) == 44
    assert all(i.level1 and i.level2 for i in form.indicators)
    assert {i.level1 for i in form.indicators} == {"履职效能", "管理效率", "运行成本", "服务满意", "可持续性"}
    assert all(i.loc is not None and i.loc.line is not None for i in form.indicators)


def test_seed_002_thirty_two_scored_rows_weights_ninety_plus_budget_execution_ten() -> None:
    doc = parse_file(SEED_002)
    assert doc.kind == "self_evaluation"
    (form,) = doc.forms
    assert isinstance(form, SelfEvaluation)
    assert len(form.indicators) == 32
    assert _sum([i.weight for i in form.indicators]) == Decimal(90)
    assert all(i.score is not None for i in form.indicators)
    assert _sum([i.score for i in form.indicators]) == Decimal(86)  # the printed total says 97 - 10
    budget = form.budget_execution[0]
    assert (budget.weight, budget.score) == (Decimal(10), Decimal(10))
    assert (form.total_reported, form.grade_reported) == (Decimal(97), "优")


def test_seed_003_disclosure_tables_codes_and_project_summary() -> None:
    doc = parse_file(SEED_003)
    assert doc.kind == "budget_disclosure"
    (form,) = doc.forms
    assert isinstance(form, Disclosure) and form.stage == "budget" and form.year == 2023
    assert len(form.toc) == 13
    assert [t.kind for t in form.tables] == [
        "income_expenditure_summary",
        "expenditure_summary",
        "fiscal_summary",
        "general_budget_expenditure",
        "general_budget_basic",
        "three_public",
        "project_expenditure",
    ]
    spending = form.tables[1]
    admin = next(r for r in spending.rows if r.code == "2080101")
    assert admin.name == "行政运行" and admin.values["合计"] == Decimal("4550.7")
    # the target tables it carries are attached to the disclosure
    (dept,) = form.dept_targets
    assert len(dept.goals) == 7
    (summary,) = form.project_summaries
    projects = [r for r in summary.rows if not r.is_unit]
    assert len(projects) == 36
    assert all(r.code and r.code.startswith("41019123") for r in projects)


def test_seed_004_one_department_form_and_four_projects_with_budgets() -> None:
    doc = parse_file(SEED_004)
    dept = [f for f in doc.forms if isinstance(f, DeptTargetDeclaration)]
    projects = [f for f in doc.forms if isinstance(f, ProjectTargetDeclaration)]
    assert len(dept) == 1 and len(projects) == 4
    assert [(p.budget, p.budget_unit) for p in projects] == [
        (Decimal("300"), "元"),  # printed 预算资金(元): kept as printed, flagged F003
        (Decimal("40"), "万元"),
        (Decimal("28.4"), "万元"),
        (Decimal("30"), "万元"),
    ]
    assert "F003" in {f.code for f in doc.findings}
    assert [b.amount for b in dept[0].budget] == [Decimal("823.26"), Decimal("3072.79"), Decimal("3896.05")]


@pytest.mark.parametrize("seed", [SEED_000, SEED_002, SEED_003, SEED_004])
def test_every_seed_is_read_without_internal_errors(seed) -> None:  # type: ignore[no-untyped-def]
    doc = parse_file(seed)
    assert doc.readable
    assert not [f for f in doc.findings if f.code in ("F099", "R099")]
