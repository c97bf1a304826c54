"""The audit report as text, like a compiler: ``file:Sheet1!C12: E A101 message``.

One line per finding (then its expected/actual, other locations and advice, indented), then per
document a summary saying which rules ran, which passed and which did not apply.

>>> from jixiao.checks.report import AuditReport
>>> render_text(AuditReport()).splitlines()[-1]
'共 0 个文件：错误 0 条，警告 0 条，提示 0 条。'
"""

from __future__ import annotations

from jixiao.checks.report import AuditReport, DocumentAudit, RuleOutcome
from jixiao.model.findings import Finding, Severity


def finding_lines(finding: Finding) -> list[str]:
    lines = [finding.label()]
    facts = []
    if finding.expected is not None:
        facts.append(f"应为 {finding.expected}")
    if finding.actual is not None:
        facts.append(f"实为 {finding.actual}")
    if facts:
        lines.append("    " + "；".join(facts))
    if len(finding.locations) > 1:
        lines.append("    另见 " + "，".join(loc.label() for loc in finding.locations[1:]))
    if finding.suggestion:
        lines.append(f"    建议：{finding.suggestion}")
    return lines


def _codes(outcomes: list[RuleOutcome]) -> str:
    return " ".join(o.code for o in outcomes) or "无"


def document_summary(document: DocumentAudit, show_rules: bool = False) -> list[str]:
    passed = [o for o in document.rules if o.status == "passed"]
    failed = [o for o in document.rules if o.status == "failed"]
    skipped = [o for o in document.rules if o.status == "not_applicable"]
    broken = [o for o in document.rules if o.status == "error"]
    lines = [
        f"{document.file}: 错误 {document.count(Severity.ERROR)} 条，警告 {document.count(Severity.WARNING)} 条，"
        f"提示 {document.count(Severity.INFO)} 条；规则运行 {len(passed) + len(failed)} 项"
        f"（通过 {len(passed)}，发现问题 {len(failed)}），不适用 {len(skipped)} 项"
        + (f"，出错 {len(broken)} 项" if broken else "")
    ]
    if show_rules:
        lines.append(f"    发现问题：{_codes(failed)}")
        lines.append(f"    通过：{_codes(passed)}")
        for outcome in skipped:
            lines.append(f"    不适用 {outcome.code} {outcome.title}：{outcome.reason or ''}")
        if broken:
            lines.append(f"    出错：{_codes(broken)}")
    return lines


def render_text(report: AuditReport, show_rules: bool = False) -> str:
    lines: list[str] = []
    for document in report.documents:
        for finding in document.findings:
            lines.extend(finding_lines(finding))
    if lines:
        lines.append("")
    for document in report.documents:
        lines.extend(document_summary(document, show_rules))
    s = report.stats
    lines.append(f"共 {s.documents} 个文件：错误 {s.error} 条，警告 {s.warning} 条，提示 {s.info} 条。")
    return "\n".join(lines)
