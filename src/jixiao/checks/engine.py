"""Run the registry over parsed documents: every rule on every form it applies to.

Enters: ``ParsedDocument`` (plus its ``SourceDocument`` where rules need the raw text).
Leaves: ``AuditReport``. A crashing rule becomes one ``X001`` finding and the run goes on; a rule
whose forms are absent, or that says it cannot apply, is reported as 不适用 with the reason.

>>> from jixiao.ingest.load import parse_bytes
>>> report = audit_documents([parse_bytes(b"", "empty.txt")])
>>> report.documents[0].findings[0].code
'R001'
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jixiao import __version__
from jixiao.checks.context import Context
from jixiao.checks.registry import NotApplicable, Problem, Registry, Rule, matches
from jixiao.checks.report import AuditReport, DocumentAudit, RuleOutcome, RuleStatus
from jixiao.ingest.load import load_file
from jixiao.ingest.source import SourceDocument
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc

INTERNAL_CODE = "X001"
INTERNAL_TITLE = "审核规则运行出错，该项检查未完成"

FORM_NAMES: dict[type, str] = {
    DeptTargetDeclaration: "部门整体绩效目标表",
    ProjectTargetDeclaration: "项目支出绩效目标表",
    ProjectTargetSummary: "项目绩效目标汇总表",
    SelfEvaluation: "绩效自评表",
    Disclosure: "预算/决算公开表",
    ParsedDocument: "文件",
}


@dataclass(frozen=True)
class Selection:
    """Which codes a run reports: ``select`` (all when empty) minus ``ignore``; prefixes allowed."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, code: str) -> bool:
        return (not self.select or matches(code, self.select)) and not matches(code, self.ignore)


def forms_of(document: ParsedDocument) -> Iterator[object]:
    """Every form of a document, including the target tables a disclosure carries as annexes."""
    for form in document.forms:
        yield form
        if isinstance(form, Disclosure):
            yield from form.dept_targets
            yield from form.project_targets
            yield from form.project_summaries


def location_key(loc: Loc | None) -> tuple[int, ...]:
    if loc is None:
        return (0,)
    return (1, loc.line or 0, loc.page or 0, loc.table or 0, loc.row or 0, loc.col or 0)


def _finding(rule: Rule, problem: Problem) -> Finding:
    return Finding(
        code=rule.code,
        severity=rule.severity,
        message=problem.message,
        locations=tuple(loc for loc in problem.locations if loc is not None),
        expected=problem.expected,
        actual=problem.actual,
        suggestion=problem.suggestion or rule.suggestion,
    )


def _internal(rule: Rule, document: ParsedDocument, exc: Exception) -> Finding:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f"（{Path(frame.filename).name}:{frame.lineno}）" if frame else ""
    return Finding(
        code=INTERNAL_CODE,
        severity=Severity.ERROR,
        message=f"审核规则 {rule.code}「{rule.title}」运行出错，未完成检查：{type(exc).__name__}: {exc}{where}",
        locations=(Loc(file=document.file),),
        suggestion="这是 Jixiao 的缺陷而非文件的问题，请报告此条信息；其他规则的结果不受影响。",
    )


def run_rule(rule: Rule, ctx: Context) -> tuple[RuleOutcome, list[Finding]]:
    document = ctx.document
    if not ctx.memo("readable", lambda: document.readable):
        return RuleOutcome(
            code=rule.code, title=rule.title, status="not_applicable", reason="文件无法读取"
        ), []
    targets: list[object]
    if rule.document_wide:
        targets = [document]
    else:
        forms = ctx.memo("forms", lambda: list(forms_of(document)))
        targets = [f for f in forms if isinstance(f, rule.applies_to)]
    if not targets:
        names = "、".join(FORM_NAMES.get(t, t.__name__) for t in rule.applies_to)
        return RuleOutcome(
            code=rule.code, title=rule.title, status="not_applicable", reason=f"文件中没有{names}"
        ), []
    findings: list[Finding] = []
    reasons: list[str] = []
    try:
        for target in targets:
            for item in rule(target, ctx):
                if isinstance(item, NotApplicable):
                    reasons.append(item.reason)
                else:
                    findings.append(_finding(rule, item))
    except Exception as exc:  # a rule's bug must not stop the audit
        return RuleOutcome(code=rule.code, title=rule.title, status="error"), [_internal(rule, document, exc)]
    status: RuleStatus
    if findings:
        status = "failed"
    elif reasons and len(reasons) >= len(targets):
        status = "not_applicable"
    else:
        status = "passed"
    reason = "；".join(dict.fromkeys(reasons)) if status == "not_applicable" else None
    return RuleOutcome(
        code=rule.code, title=rule.title, status=status, findings=len(findings), reason=reason
    ), findings


def _audit(
    document: ParsedDocument,
    source: SourceDocument | None,
    rules: Iterable[Rule],
    documents: Sequence[ParsedDocument],
    selection: Selection,
) -> tuple[list[RuleOutcome], list[Finding]]:
    ctx = Context(document=document, source=source, documents=documents)
    outcomes: list[RuleOutcome] = []
    findings: list[Finding] = []
    for r in rules:
        outcome, found = run_rule(r, ctx)
        outcomes.append(outcome)
        findings.extend(f for f in found if selection.wants(f.code))
    return outcomes, findings


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: location_key(f.locations[0] if f.locations else None))


def _chosen(registry: Registry | None, selection: Selection) -> Registry:
    """``registry`` (the built-in one when None) narrowed to the selection."""
    return (registry if registry is not None else builtin()).select(selection.select, selection.ignore)


Audited = tuple[ParsedDocument, list[RuleOutcome], list[Finding]]


def _report(results: Sequence[Audited], selection: Selection) -> AuditReport:
    """One ``DocumentAudit`` per document: its reading findings (selected) and the rules' findings
    in location order, its rule outcomes in code order."""
    report = AuditReport(generator=f"jixiao {__version__}")
    for document, outcomes, findings in results:
        ingest = [f for f in document.findings if selection.wants(f.code)]
        report.documents.append(
            DocumentAudit(
                file=document.file,
                kind=document.kind,
                format=document.format,
                sha256=document.sha256,
                findings=_sorted([*ingest, *findings]),
                rules=sorted(outcomes, key=lambda o: o.code),
            )
        )
    report.refresh_stats()
    return report


def audit_documents(
    documents: Sequence[ParsedDocument],
    sources: Sequence[SourceDocument | None] | None = None,
    registry: Registry | None = None,
    selection: Selection = Selection(),
) -> AuditReport:
    """Audit documents already parsed (``sources`` optional, same order)."""
    rules = _chosen(registry, selection)
    sources = list(sources) if sources is not None else [None] * len(documents)
    results = [
        (document, *_audit(document, source, rules, documents, selection))
        for document, source in zip(documents, sources, strict=True)
    ]
    return _report(results, selection)


def _audit_one(path: str | Path, local: Registry, selection: Selection) -> Audited:
    document, source = load_file(path)
    outcomes, findings = _audit(document, source, local, [document], selection)
    return document, outcomes, findings


def _audit_one_builtin(path: str | Path, selection: Selection) -> Audited:
    """A worker process's task: the built-in registry is rebuilt there (rules are not pickled)."""
    registry = _chosen(None, selection)
    return _audit_one(path, Registry(r for r in registry if not r.across_documents), selection)


def audit_files(
    paths: Iterable[str | Path],
    registry: Registry | None = None,
    selection: Selection = Selection(),
    on_parsed: Callable[[ParsedDocument], object] | None = None,
    jobs: int = 1,
) -> AuditReport:
    """Parse and audit files.

    Rules on one document run while its source grid is in memory; rules that compare documents
    run once every file is parsed (sources are not kept, so a batch of a thousand files needs the
    memory of one). ``jobs`` > 1 reads and checks files in that many processes (built-in rules
    only; the report is identical, in the order of ``paths``).
    """
    paths = list(paths)
    custom = registry is not None
    registry = _chosen(registry, selection)
    local = Registry(r for r in registry if not r.across_documents)
    across = Registry(r for r in registry if r.across_documents)
    results: list[Audited] = []
    if jobs > 1 and not custom and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(_audit_one_builtin, paths, [selection] * len(paths), chunksize=4):
                results.append(result)
                if on_parsed is not None:
                    on_parsed(result[0])
    else:
        for path in paths:
            results.append(_audit_one(path, local, selection))
            if on_parsed is not None:
                on_parsed(results[-1][0])
    documents = [document for document, _, _ in results]
    if len(across):
        for index, (document, outcomes, findings) in enumerate(results):
            more_outcomes, more = _audit(document, None, across, documents, selection)
            results[index] = (document, [*outcomes, *more_outcomes], [*findings, *more])
    return _report(results, selection)


def builtin() -> Registry:
    """The rules shipped with Jixiao."""
    from jixiao.checks import builtin_registry

    return builtin_registry()
