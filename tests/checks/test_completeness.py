"""F1xx: required content of declarations, self-evaluations and disclosures."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks import completeness
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, rules_in
from jixiao.model.declaration import DeptTargetDeclaration, Goal, ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.indicators import Indicator, parse_target
from jixiao.model.loc import Loc
from jixiao.model.narrative import Section
from tests.checks.helpers import findings, run
from tests.conftest import SEED_000, SEED_003, SEED_004, XLSX_TEMPLATE, load_document

LOC = Loc(file="inline.txt", table=1)
INDICATOR = Indicator(level1="产出指标", level2="数量指标", name="培训人次", target=parse_target("≥200人次"))


def test_f101_a_target_form_without_indicators() -> None:
    form = ProjectTargetDeclaration(project_name="信息化运维", budget=Decimal("30"), loc=LOC)
    [finding] = findings(completeness.no_indicators, form)
    assert finding.code == "F101" and "信息化运维" in finding.message and finding.locations == (LOC,)
    assert findings(completeness.no_indicators, form.model_copy(update={"indicators": [INDICATOR]})) == []


def test_f102_a_target_form_without_goal() -> None:
    form = DeptTargetDeclaration(department="某局", indicators=[INDICATOR], loc=LOC)
    [finding] = findings(completeness.no_goal, form)
    assert finding.code == "F102" and "某局" in finding.message
    assert findings(completeness.no_goal, form.model_copy(update={"goals": [Goal(content="做好就业")]})) == []
    project = ProjectTargetDeclaration(project_name="就业", annual_goal="完成培训")
    assert findings(completeness.no_goal, project) == []


def test_f103_a_project_without_budget() -> None:
    [finding] = findings(
        completeness.project_without_budget, ProjectTargetDeclaration(project_name="就业补助")
    )
    assert finding.code == "F103" and finding.actual == "（空）"
    assert findings(completeness.project_without_budget, ProjectTargetDeclaration(budget=Decimal("1"))) == []


def test_f104_a_self_evaluation_without_total_or_grade() -> None:
    form = SelfEvaluation(department="某局", indicators=[INDICATOR], total_reported=Decimal("91"))
    [finding] = findings(completeness.evaluation_without_total, form)
    assert finding.expected == "等级" and "等级" in finding.message
    complete = form.model_copy(update={"grade_reported": "优"})
    assert findings(completeness.evaluation_without_total, complete) == []
    outcome, _ = run(completeness.evaluation_without_total, SelfEvaluation())
    assert outcome.status == "not_applicable"


def _table(kind: str, title: str, amount: str | None) -> DisclosureTable:
    value = Decimal(amount) if amount is not None else None
    row = DisclosureRow(name="合计", is_total=True, values={"合计": value})
    return DisclosureTable(kind=kind, title=title, rows=[row], loc=LOC)


def test_f105_f106_a_blank_table_with_and_without_an_explanation() -> None:
    tables = [
        _table("expenditure_summary", "支出总表", "10.5"),
        _table("gov_fund", "政府性基金预算支出表", None),
    ]
    form = Disclosure(tables=tables)
    [finding] = findings(completeness.blank_table_unexplained, form)
    assert finding.code == "F105" and "政府性基金" in finding.message
    assert findings(completeness.blank_table_explained_elsewhere, form) == []
    explained = form.model_copy(
        update={"sections": [Section(title="说明", text="本部门无政府性基金预算支出。")]}
    )
    assert findings(completeness.blank_table_unexplained, explained) == []
    [info] = findings(completeness.blank_table_explained_elsewhere, explained)
    assert "本部门无政府性基金预算支出" in info.message
    stated = tables[1].model_copy(update={"empty_statement": "本单位无此项支出"})
    assert findings(completeness.blank_table_unexplained, Disclosure(tables=[tables[0], stated])) == []


def test_f105_a_blank_template_is_not_a_published_document() -> None:
    document, _ = load_document(XLSX_TEMPLATE)
    report = audit_documents([document], registry=Registry(rules_in(completeness)))
    outcomes = {o.code: o for o in report.documents[0].rules}
    assert outcomes["F105"].status == "not_applicable" and "空白模板" in (outcomes["F105"].reason or "")


def test_on_the_seeds_only_the_blank_three_public_table_of_003_is_reported() -> None:
    registry = Registry(rules_in(completeness))
    documents = [load_document(path)[0] for path in (SEED_000, SEED_003, SEED_004)]
    report = audit_documents(documents, registry=registry)
    found = [(d.file[:3], f.code) for d in report.documents for f in d.findings if f.code.startswith("F1")]
    assert found == [("003", "F106")]
    [f106] = [f for f in report.documents[1].findings if f.code == "F106"]
    assert "三公" in f106.message and "0 万元" in f106.message


def test_f107_a_blank_table_whose_amount_the_narrative_states() -> None:
    tables = [
        _table("expenditure_summary", "支出总表", "10.5"),
        _table("three_public", "“三公”经费支出决算表", None),
    ]
    stated = "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00 万元，完成预算的0%。"
    form = Disclosure(tables=tables, sections=[Section(title="说明", text=stated)])
    [finding] = findings(completeness.blank_table_with_amount_in_narrative, form)
    assert finding.code == "F107" and "0.95万元" in finding.message
    assert findings(completeness.blank_table_unexplained, form) == []  # one finding per defect
    nil = Disclosure(tables=tables, sections=[Section(title="说明", text="“三公”经费支出预算为 0 万元。")])
    assert findings(completeness.blank_table_with_amount_in_narrative, nil) == []
