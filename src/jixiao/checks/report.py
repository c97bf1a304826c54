"""The audit result: one object, many renderers (text, JSON, HTML, xlsx, annotated copies).

JSON shape (stable, docs/rules.md):
``{"generator", "documents": [{"file", "kind", "format", "sha256", "findings": [...], "rules": [...]}],
"stats": {...}}``.

>>> DocumentAudit(file="a.txt").count(Severity.ERROR)
0
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from jixiao.model.document import DocumentKind
from jixiao.model.findings import Finding, Severity

SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
SEVERITY_NAMES = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
STATUS_NAMES = {"passed": "通过", "failed": "发现问题", "not_applicable": "不适用", "error": "规则出错"}

RuleStatus = Literal["passed", "failed", "not_applicable", "error"]


class RuleOutcome(BaseModel):
    """How one rule went on one document."""

    code: str
    title: str
    status: RuleStatus
    findings: int = 0
    reason: str | None = None  # why it did not apply


class DocumentAudit(BaseModel):
    file: str
    kind: DocumentKind = "unknown"
    format: str | None = None
    sha256: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    rules: list[RuleOutcome] = Field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def readable(self) -> bool:
        return not any(f.code.startswith("R") and f.severity is Severity.ERROR for f in self.findings)


class AuditStats(BaseModel):
    documents: int = 0
    unreadable: int = 0
    findings: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0
    by_code: dict[str, int] = Field(default_factory=dict)
    rules_run: int = 0  # rule × document pairs that ran (passed or failed)
    rules_passed: int = 0
    rules_failed: int = 0
    rules_not_applicable: int = 0
    rules_error: int = 0


class AuditReport(BaseModel):
    schema_version: int = 1
    generator: str = "jixiao"
    documents: list[DocumentAudit] = Field(default_factory=list)
    stats: AuditStats = Field(default_factory=AuditStats)

    def at_or_above(self, threshold: Severity) -> int:
        """How many findings are at least as severe as ``threshold``."""
        rank = SEVERITY_RANK[threshold]
        return sum(1 for d in self.documents for f in d.findings if SEVERITY_RANK[f.severity] >= rank)

    def refresh_stats(self) -> None:
        stats = AuditStats(documents=len(self.documents))
        codes: Counter[str] = Counter()
        for document in self.documents:
            stats.unreadable += not document.readable
            for finding in document.findings:
                codes[finding.code] += 1
                setattr(stats, finding.severity.value, getattr(stats, finding.severity.value) + 1)
            for outcome in document.rules:
                if outcome.status == "passed":
                    stats.rules_passed += 1
                elif outcome.status == "failed":
                    stats.rules_failed += 1
                elif outcome.status == "not_applicable":
                    stats.rules_not_applicable += 1
                else:
                    stats.rules_error += 1
        stats.rules_run = stats.rules_passed + stats.rules_failed
        stats.findings = sum(codes.values())
        stats.by_code = dict(sorted(codes.items()))
        self.stats = stats

    def to_json(self) -> str:
        """The stable JSON shape (docs/rules.md § JSON)."""
        return self.model_dump_json(indent=2)
