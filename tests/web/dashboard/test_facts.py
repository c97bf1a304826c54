"""The dashboard's fact tables on the real seeds: each row matches the stored version it was made
from (counts per code equal the audit's, budget in 分, the first score sheet's scores), and the
signals keep them current through new versions, workflow moves and region changes."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from jixiao.web.dashboard.extract import budget_of, code_title, facts_of, family_name
from jixiao.web.dashboard.models import DocumentFacts, FindingCount
from jixiao.web.dashboard.refresh import ensure_facts, refresh_all
from jixiao.web.models import Department, Document, DocumentVersion, Status
from jixiao.web.store import analyse, upload
from jixiao.web.workflow import move
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


def latest(document: Document) -> DocumentVersion:
    version = document.versions.order_by("-number").first()
    assert version is not None
    return version


def stored_counts(facts: DocumentFacts) -> dict[tuple[str, str], int]:
    return {(c.code, c.severity): c.count for c in FindingCount.objects.filter(facts=facts)}


def audit_counts(version: DocumentVersion) -> dict[tuple[str, str], int]:
    return dict(Counter((f["code"], f["severity"]) for f in version.audit["findings"]))


def test_seed_002_facts_match_its_version(seed_002_document: Document) -> None:
    facts = DocumentFacts.objects.get(document=seed_002_document)
    version = latest(seed_002_document)
    assert facts.version_id == version.pk and facts.version_number == 1
    assert (facts.year, facts.kind, facts.status) == (2022, "self_evaluation", Status.DRAFT)
    assert facts.department_id == seed_002_document.department_id
    # 预算执行情况: 部门预算总额 全年数 1633.2 万元
    assert facts.budget_fen == 1_633_200_000
    # the first score sheet: computed 95.60 (the document says 97), both 优
    sheet = version.scores[0]
    assert facts.score_computed == Decimal(sheet["total_computed"]) == Decimal("95.6")
    assert facts.score_reported == Decimal("97")
    assert (facts.grade_computed, facts.grade_reported) == ("优", "优")
    assert (facts.errors, facts.warnings) == (version.errors, version.warnings)
    assert facts.infos == sum(1 for f in version.audit["findings"] if f["severity"] == "info")
    assert stored_counts(facts) == audit_counts(version)
    assert stored_counts(facts)[("S105", "error")] == 1


def test_every_seed_counted_per_code(users: dict[str, User], departments: tuple[Department, ...]) -> None:
    for seed in (SEED_000, SEED_003, SEED_004):
        document = upload(users["officer"], departments[0], seed.name, seed.read_bytes()).document
        facts = DocumentFacts.objects.get(document=document)
        version = latest(document)
        assert stored_counts(facts) == audit_counts(version), seed.name
        assert sum(stored_counts(facts).values()) == len(version.audit["findings"])
        assert {c.family for c in FindingCount.objects.filter(facts=facts)} == {
            f["code"][0] for f in version.audit["findings"]
        }


def test_budget_totals_of_each_kind_in_fen() -> None:
    expected = {
        SEED_000: None,  # 申报表 without a 资金总额 line: no budget stated, none invented
        SEED_002: 1_633_200_000,  # 自评表 部门预算总额 1633.2 万元
        SEED_003: 8_562_600_000,  # 部门支出总体情况表 合计 8562.6 万元
        SEED_004: 3_896_050_000,  # 部门整体 申报表 资金总额 3896.05 万元
    }
    for seed, fen in expected.items():
        parsed, audit, scores = analyse(seed.name, seed.read_bytes())
        assert facts_of(parsed.model_dump(mode="json"), audit, scores).budget_fen == fen, seed.name
    assert budget_of({"forms": []}) is None
    assert budget_of({"forms": [{"form": "nonsense"}]}) is None


def test_titles_from_the_registry_and_the_read_catalogues() -> None:
    assert code_title("S105")  # a rule of the registry
    assert code_title("F002") == "表格行内容整体错位，已按表头和内容对齐读取"  # a recognition note
    assert code_title("R001").startswith("文件为空")
    assert code_title("Z999") == ""
    assert family_name("A").startswith("算术")
    assert family_name("R") == "读取"


def test_a_new_version_replaces_the_counts(users: dict[str, User], seed_002_document: Document) -> None:
    first = stored_counts(DocumentFacts.objects.get(document=seed_002_document))
    changed = SEED_002.read_bytes() + b"\n"  # other bytes, the same findings: counted once, not twice
    upload(users["officer"], seed_002_document.department, "v2.txt", changed, document=seed_002_document)
    facts = DocumentFacts.objects.get(document=seed_002_document)
    version = latest(seed_002_document)
    assert version.number == 2 and facts.version_id == version.pk and facts.version_number == 2
    assert stored_counts(facts) == audit_counts(version)
    assert FindingCount.objects.filter(facts=facts).count() == len(audit_counts(version))
    assert stored_counts(facts) == first


def test_status_moves_and_region_changes_follow(users: dict[str, User], seed_002_document: Document) -> None:
    move(seed_002_document, "submit", users["officer"])
    assert DocumentFacts.objects.get(document=seed_002_document).status == Status.SUBMITTED
    move(seed_002_document, "return", users["reviewer"], "请修改")
    assert DocumentFacts.objects.get(document=seed_002_document).status == Status.RETURNED
    assert set(FindingCount.objects.filter(facts_id=seed_002_document.pk).values_list("year", flat=True)) == {
        2022
    }
    seed_002_document.year = 2021  # corrected by hand: the facts and the counts' year follow
    seed_002_document.save()
    assert DocumentFacts.objects.get(document=seed_002_document).year == 2021
    assert set(FindingCount.objects.filter(facts_id=seed_002_document.pk).values_list("year", flat=True)) == {
        2021
    }
    department = seed_002_document.department
    department.region = "信阳市"
    department.save()
    assert DocumentFacts.objects.get(document=seed_002_document).region == "信阳市"


def test_documents_stored_before_the_dashboard_are_filled_on_first_use(
    seed_002_document: Document, seed_000_document: Document
) -> None:
    expected = {
        f.document_id: (f.errors, f.budget_fen, f.score_computed) for f in DocumentFacts.objects.all()
    }
    DocumentFacts.objects.all().delete()
    assert FindingCount.objects.count() == 0
    assert ensure_facts() == 2
    assert ensure_facts() == 0
    again = {f.document_id: (f.errors, f.budget_fen, f.score_computed) for f in DocumentFacts.objects.all()}
    assert again == expected
    assert refresh_all() == 2
    assert DocumentFacts.objects.count() == 2


def test_unreadable_file_has_facts_with_its_read_error(users: dict[str, User], departments: Any) -> None:
    document = upload(users["officer"], departments[0], "broken.xlsx", b"not really a spreadsheet").document
    facts = DocumentFacts.objects.get(document=document)
    assert facts.readable is False
    assert facts.errors >= 1
    assert FindingCount.objects.filter(facts=facts, family="R", severity="error").exists()
    assert facts.budget_fen is None and facts.score_computed is None
