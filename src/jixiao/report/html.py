"""The audit report as one self-contained HTML page, in Chinese.

Enters: an ``AuditReport`` (and optionally the ``Registry`` the rule titles come from). Leaves: one
HTML string with inline CSS and no external reference: a header with the totals, then per document
its kind, counts, a findings table (序号, 级别, 代码 with the rule title as tooltip, 位置, 问题描述,
应为, 实为, 建议) and the 规则执行情况 (which rules passed, found problems, did not apply and why,
or failed to run). A few lines of inline script add filters by 级别, 代码 and 文件; without script
the page reads the same. Everything the report holds is escaped (jinja2 autoescape).

The template lives in ``report/templates/report.html.j2`` and is read as package data. The
helpers ``code_titles`` and ``SEVERITY_COLOURS`` are shared with the xlsx and annotated views.

>>> from jixiao.checks.report import AuditReport, DocumentAudit
>>> page = render_html(AuditReport(documents=[DocumentAudit(file="a.txt")]))
>>> "a.txt" in page and "http://" not in page
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import jinja2

from jixiao.checks.registry import Registry
from jixiao.checks.report import SEVERITY_NAMES, STATUS_NAMES, AuditReport, DocumentAudit, RuleStatus
from jixiao.model.findings import Finding, Severity
from jixiao.summary import KIND_NAMES

#: (strong colour, light fill) per severity, shared by every view: red, orange, blue.
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("C62828", "FDE0DC"),
    Severity.WARNING: ("E65100", "FFE9CC"),
    Severity.INFO: ("1565C0", "DCEBFB"),
}
#: Most severe first.
SEVERITY_ORDER: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)
#: Rule outcomes in the order the report lists them: what needs a look first.
STATUS_ORDER: tuple[RuleStatus, ...] = ("failed", "error", "not_applicable", "passed")

TEMPLATE = "report.html.j2"


def code_titles(report: AuditReport, registry: Registry | None = None) -> dict[str, str]:
    """The Chinese title of every code the report mentions.

    The read and recognition catalogues (``R…``, ``F0…``), the internal-error code, the titles
    the report carries for the rules that ran, the built-in rules, and last (winning) ``registry``.
    """
    from jixiao.checks import builtin_registry
    from jixiao.checks.engine import INTERNAL_CODE, INTERNAL_TITLE
    from jixiao.ingest.errors import READ_CODES
    from jixiao.ingest.forms import form_codes

    titles: dict[str, str] = {**READ_CODES, **form_codes(), INTERNAL_CODE: INTERNAL_TITLE}
    for document in report.documents:
        for outcome in document.rules:
            titles[outcome.code] = outcome.title
    titles.update((rule.code, rule.title) for rule in builtin_registry())
    if registry is not None:
        titles.update((rule.code, rule.title) for rule in registry)
    return titles


def document_anchor(index: int) -> str:
    """The HTML id of the ``index``-th (1-based) document's section."""
    return f"doc-{index}"


@dataclass(frozen=True)
class _FindingView:
    number: int
    severity: str
    severity_name: str
    code: str
    title: str
    locations: list[str]
    message: str
    expected: str | None
    actual: str | None
    suggestion: str | None


@dataclass(frozen=True)
class _OutcomeView:
    code: str
    title: str
    status: str
    status_name: str
    findings: int
    reason: str | None


@dataclass
class _DocumentView:
    anchor: str
    file: str
    kind: str
    format: str | None
    readable: bool
    counts: dict[str, int]
    findings: list[_FindingView] = field(default_factory=list)
    outcomes: list[_OutcomeView] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)


def _finding_view(number: int, finding: Finding, titles: dict[str, str]) -> _FindingView:
    return _FindingView(
        number=number,
        severity=finding.severity.value,
        severity_name=SEVERITY_NAMES[finding.severity],
        code=finding.code,
        title=titles.get(finding.code, ""),
        locations=[loc.label() for loc in finding.locations],
        message=finding.message,
        expected=finding.expected,
        actual=finding.actual,
        suggestion=finding.suggestion,
    )


def _document_view(index: int, document: DocumentAudit, titles: dict[str, str]) -> _DocumentView:
    rank = {status: position for position, status in enumerate(STATUS_ORDER)}
    outcomes = sorted(document.rules, key=lambda outcome: (rank[outcome.status], outcome.code))
    return _DocumentView(
        anchor=document_anchor(index),
        file=document.file,
        kind=KIND_NAMES.get(document.kind, document.kind),
        format=document.format,
        readable=document.readable,
        counts={severity.value: document.count(severity) for severity in SEVERITY_ORDER},
        findings=[
            _finding_view(number, finding, titles)
            for number, finding in enumerate(document.findings, start=1)
        ],
        outcomes=[
            _OutcomeView(
                code=outcome.code,
                title=outcome.title,
                status=outcome.status,
                status_name=STATUS_NAMES[outcome.status],
                findings=outcome.findings,
                reason=outcome.reason,
            )
            for outcome in outcomes
        ],
        status_counts={
            status: sum(1 for o in document.rules if o.status == status) for status in STATUS_ORDER
        },
    )


def _template_source(name: str) -> str:
    return files("jixiao.report").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of the report templates (autoescaped, strict about undefined names)."""
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(report: AuditReport, registry: Registry | None = None) -> str:
    """One self-contained HTML page showing every finding of ``report`` and how each rule went."""
    titles = code_titles(report, registry)
    documents = [_document_view(index, d, titles) for index, d in enumerate(report.documents, start=1)]
    codes = sorted({finding.code for document in report.documents for finding in document.findings})
    totals: dict[str, int] = {
        "documents": len(documents),
        "unreadable": sum(1 for document in documents if not document.readable),
        "findings": sum(len(document.findings) for document in documents),
        **{s.value: sum(document.counts[s.value] for document in documents) for s in SEVERITY_ORDER},
        **{
            f"rules_{status}": sum(document.status_counts[status] for document in documents)
            for status in STATUS_ORDER
        },
    }
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            generator=report.generator,
            totals=totals,
            documents=documents,
            codes=[(code, titles.get(code, "")) for code in codes],
            severities=[(severity.value, SEVERITY_NAMES[severity]) for severity in SEVERITY_ORDER],
            statuses=[(status, STATUS_NAMES[status]) for status in STATUS_ORDER],
            colours={severity.value: colours for severity, colours in SEVERITY_COLOURS.items()},
        )
    )
