"""A small audit report built by hand, shared by the view tests (the rules are tested elsewhere)."""

from __future__ import annotations

import pytest

from jixiao.checks.registry import Problem, Registry, rule
from jixiao.checks.report import AuditReport, DocumentAudit, RuleOutcome
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc

PDF = "部门决算.pdf"
XLSX = "预算表.xlsx"

CELL = Loc(file=PDF, page=6, table=2, row=3, col=2, cell="B3")
ROW = Loc(file=PDF, page=6, table=2, row=5)
SHEET_CELL = Loc(file=XLSX, sheet="部门收入总表", table=2, row=10, col=4, cell="D10")
HOSTILE = '合计写作 <script>alert("x")</script> & “A&B”'


@rule(
    "A991",
    Severity.ERROR,
    "示例：合计与明细不符",
    "说明：仅供视图测试。",
    "例：合计 10，明细之和 11。",
    applies_to=ParsedDocument,
)
def sample_rule(document: ParsedDocument, ctx: object) -> list[Problem]:
    return []


@rule("T991", Severity.WARNING, "示例：指标值未填写", "说明。", "例。", applies_to=ParsedDocument)
def sample_warning(document: ParsedDocument, ctx: object) -> list[Problem]:
    return []


@rule("P991", Severity.INFO, "示例：标点重复", "说明。", "例。", applies_to=ParsedDocument)
def sample_info(document: ParsedDocument, ctx: object) -> list[Problem]:
    return []


REGISTRY = Registry([sample_rule, sample_warning, sample_info])


def build_report() -> AuditReport:
    pdf = DocumentAudit(
        file=PDF,
        kind="final_disclosure",
        format="pdf",
        findings=[
            Finding(
                code="A991",
                severity=Severity.ERROR,
                message="《收入支出决算总表》合计 2,946.25 万元，与各项之和 2,946.26 万元不符",
                locations=(CELL, ROW),
                expected="2946.26",
                actual="2946.25",
                suggestion="核对合计行。",
            ),
            Finding(code="T991", severity=Severity.WARNING, message=HOSTILE, locations=(ROW,)),
            Finding(code="P991", severity=Severity.INFO, message="标点重复：“。。”", locations=()),
        ],
        rules=[
            RuleOutcome(code="A991", title="示例：合计与明细不符", status="failed", findings=1),
            RuleOutcome(code="A102", title="基本支出等于人员经费与公用经费之和", status="passed"),
            RuleOutcome(
                code="A103",
                title="收支总表与财政拨款收支总表一致",
                status="not_applicable",
                reason="收入不全是财政拨款",
            ),
            RuleOutcome(code="A104", title="出错的规则", status="error"),
        ],
    )
    workbook = DocumentAudit(
        file=XLSX,
        kind="budget_disclosure",
        format="xlsx",
        findings=[
            Finding(
                code="A991",
                severity=Severity.ERROR,
                message="《部门收入总表》D10 与合计不符",
                locations=(SHEET_CELL,),
                expected="1",
                actual="2",
            )
        ],
        rules=[RuleOutcome(code="A991", title="示例：合计与明细不符", status="failed", findings=1)],
    )
    report = AuditReport(generator="jixiao test", documents=[pdf, workbook])
    report.refresh_stats()
    return report


@pytest.fixture
def report() -> AuditReport:
    return build_report()
