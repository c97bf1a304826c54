"""Run one rule on a small inline form and look at what it found."""

from __future__ import annotations

from jixiao.checks.context import Context
from jixiao.checks.engine import run_rule
from jixiao.checks.registry import Rule
from jixiao.checks.report import RuleOutcome
from jixiao.ingest.load import load_bytes
from jixiao.ingest.source import SourceDocument
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Finding


def document_of(*forms: object, file: str = "inline.txt") -> ParsedDocument:
    return ParsedDocument(file=file, format="txt", forms=list(forms))


def run(
    rule: Rule,
    *forms: object,
    document: ParsedDocument | None = None,
    source: SourceDocument | None = None,
    others: tuple[ParsedDocument, ...] = (),
) -> tuple[RuleOutcome, list[Finding]]:
    """The rule's outcome and findings on a document made of ``forms`` (or ``document``)."""
    document = document if document is not None else document_of(*forms)
    ctx = Context(document=document, source=source, documents=[document, *others])
    return run_rule(rule, ctx)


def findings(rule: Rule, *forms: object, **kwargs: object) -> list[Finding]:
    return run(rule, *forms, **kwargs)[1]  # type: ignore[arg-type]


def run_text(rule: Rule, text: str, name: str = "inline.txt") -> tuple[RuleOutcome, list[Finding]]:
    """Parse ``text`` (a text export, tables tab-separated) and run the rule on it."""
    document, source = load_bytes(text.encode("utf-8"), name)
    return run(rule, document=document, source=source)
