"""The engine: registry rules, selection, crashes as findings, not-applicable with reasons."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.checks import builtin_registry
from jixiao.checks.context import Context, within_rounding
from jixiao.checks.engine import INTERNAL_CODE, Selection, audit_documents, audit_files
from jixiao.checks.registry import NotApplicable, Problem, Registry, rule
from jixiao.ingest.load import parse_bytes
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc
from tests.checks.helpers import document_of
from tests.conftest import SEED_000


@rule("Z901", Severity.WARNING, "部门名称为空", "解释", "例子", applies_to=DeptTargetDeclaration)
def no_department(form: DeptTargetDeclaration, ctx: Context) -> Iterator[Problem]:
    if not form.department:
        yield Problem("部门名称为空", locations=(Loc(file=ctx.document.file, table=1, row=2),))


@rule("Z902", Severity.ERROR, "总会出错", "解释", "例子", applies_to=ParsedDocument)
def always_crashes(document: ParsedDocument, ctx: Context) -> Iterator[Problem]:
    raise ZeroDivisionError("division by zero")
    yield  # pragma: no cover


@rule("Z903", Severity.INFO, "条件不满足", "解释", "例子", applies_to=DeptTargetDeclaration)
def conditional(form: DeptTargetDeclaration, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield NotApplicable("收入不全是财政拨款")


@rule("Z904", Severity.INFO, "项目表", "解释", "例子", applies_to=ProjectTargetDeclaration)
def project_rule(form: ProjectTargetDeclaration, ctx: Context) -> Iterator[Problem]:
    yield Problem(f"项目 {form.project_name}", locations=(Loc(file=ctx.document.file, table=1, row=1),))


TEST_REGISTRY = Registry([no_department, always_crashes, conditional, project_rule])


def statuses(report_document: object) -> dict[str, str]:
    return {o.code: o.status for o in report_document.rules}  # type: ignore[attr-defined]


def test_a_rule_finding_carries_the_rules_code_and_severity() -> None:
    report = audit_documents([document_of(DeptTargetDeclaration())], registry=TEST_REGISTRY)
    codes = [(f.code, f.severity) for f in report.documents[0].findings]
    assert ("Z901", Severity.WARNING) in codes


def test_a_crashing_rule_becomes_one_internal_finding_and_the_others_still_run() -> None:
    report = audit_documents([document_of(DeptTargetDeclaration())], registry=TEST_REGISTRY)
    document = report.documents[0]
    internal = [f for f in document.findings if f.code == INTERNAL_CODE]
    assert len(internal) == 1
    assert "Z902" in internal[0].message and "ZeroDivisionError" in internal[0].message
    assert statuses(document) == {
        "Z901": "failed",
        "Z902": "error",
        "Z903": "not_applicable",
        "Z904": "not_applicable",
    }
    assert report.stats.rules_error == 1


def test_not_applicable_says_why() -> None:
    report = audit_documents([document_of(DeptTargetDeclaration(department="某局"))], registry=TEST_REGISTRY)
    outcomes = {o.code: o for o in report.documents[0].rules}
    assert outcomes["Z901"].status == "passed"
    assert outcomes["Z903"].reason == "收入不全是财政拨款"
    assert outcomes["Z904"].reason == "文件中没有项目支出绩效目标表"


def test_rules_run_on_target_tables_nested_in_a_disclosure() -> None:
    disclosure = Disclosure(project_targets=[ProjectTargetDeclaration(project_name="就业补助")])
    report = audit_documents([document_of(disclosure)], registry=TEST_REGISTRY)
    assert [f.message for f in report.documents[0].findings if f.code == "Z904"] == ["项目 就业补助"]


def test_select_and_ignore_take_codes_and_prefixes() -> None:
    assert TEST_REGISTRY.select(["Z90"], ["Z902"]).codes() == ("Z901", "Z903", "Z904")
    assert TEST_REGISTRY.select(["z901", "Z904"]).codes() == ("Z901", "Z904")
    selection = Selection(select=("F",))
    report = audit_files([SEED_000], registry=TEST_REGISTRY, selection=selection)
    assert report.documents[0].findings and all(f.code.startswith("F") for f in report.documents[0].findings)


def test_registries_are_copied_not_mutated() -> None:
    base = Registry([no_department])
    extended = base.with_rules(conditional)
    assert base.codes() == ("Z901",) and extended.codes() == ("Z901", "Z903")
    with pytest.raises(ValueError, match="Z901"):
        extended.with_rules(no_department)


def test_an_unreadable_file_is_reported_and_no_rule_runs_on_it() -> None:
    report = audit_documents([parse_bytes(b"", "empty.xlsx")], registry=TEST_REGISTRY)
    document = report.documents[0]
    assert [f.code for f in document.findings] == ["R001"]
    assert set(statuses(document).values()) == {"not_applicable"}
    assert report.stats.unreadable == 1


def test_findings_are_sorted_by_location() -> None:
    report = audit_files([SEED_000], registry=TEST_REGISTRY)
    lines = [f.locations[0].line or 0 for f in report.documents[0].findings if f.locations]
    assert lines == sorted(lines)


def test_every_builtin_rule_has_chinese_docs_and_a_valid_family() -> None:
    for r in builtin_registry():
        assert r.family in "ATSCFP"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.title + r.explanation + r.example), r.code


def test_display_rounding_is_bounded() -> None:
    parts = [Decimal("1.1"), Decimal("2.2"), Decimal("3.3")]
    assert within_rounding(Decimal("6.6"), Decimal("6.7"), parts)
    assert not within_rounding(Decimal("6.6"), Decimal("7.0"), parts)
    assert within_rounding(Decimal("6"), Decimal("7"), [Decimal("3"), Decimal("3")])
    assert not within_rounding(Decimal("6"), Decimal("8"), [Decimal("3"), Decimal("3")])


def test_every_builtin_rule_is_exercised_by_a_test() -> None:
    tests = Path(__file__).resolve().parents[1]
    text = "".join(path.read_text(encoding="utf-8") for path in tests.rglob("test_*.py"))
    untested = [r.code for r in builtin_registry() if r.code not in text and r.check.__name__ not in text]
    assert untested == []
