"""Form recognisers: find each form in a ``SourceDocument`` by its anchors and map it to the model.

Enters: ``SourceDocument``. Leaves: ``Recognition`` (document kind, typed forms, findings).
Must not import: file-format libraries (openpyxl, pdfplumber…) or ``jixiao.ingest.readers``.

Each recogniser module exposes ``recognise(doc) -> tuple[list[Form], list[Finding]]``. They run
independently; a recogniser that crashes becomes one ``F099`` finding and the others still run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from jixiao.ingest.source import SourceDocument
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import DocumentKind, Form
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc

#: Codes the dispatcher itself emits; each recogniser module declares its own ``CODES``.
CODES: dict[str, str] = {
    "F001": "未识别出任何已知表单",
    "F099": "表单识别器内部错误",
}

Recogniser = Callable[[SourceDocument], tuple[list[Form], list[Finding]]]

#: The recognisers, in the order they run. Each module: ``recognise(doc)``.
RECOGNISERS: tuple[str, ...] = (
    "jixiao.ingest.forms.self_evaluation",
    "jixiao.ingest.forms.disclosure",
    "jixiao.ingest.forms.dept_target",
    "jixiao.ingest.forms.project_target",
    "jixiao.ingest.forms.project_summary",
)


@dataclass
class Recognition:
    kind: DocumentKind = "unknown"
    forms: list[Form] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


#: Modules that declare finding codes: the recognisers and the helpers they share.
CODE_MODULES: tuple[str, ...] = (
    *RECOGNISERS,
    "jixiao.ingest.forms.indicator_table",
    "jixiao.ingest.forms.disclosure_tables",
)


def form_codes() -> dict[str, str]:
    """Every F code declared by the dispatcher and the recognisers (for docs and tests).

    Raises ``ValueError`` when two modules give one code different titles.
    """
    codes = dict(CODES)
    for name in CODE_MODULES:
        declared: dict[str, str] = getattr(import_module(name), "CODES", {})
        for code, title in declared.items():
            if codes.setdefault(code, title) != title:
                raise ValueError(f"{code} declared twice with different titles: {codes[code]!r} / {title!r}")
    return dict(sorted(codes.items()))


def recognise(doc: SourceDocument, recognisers: tuple[str, ...] = RECOGNISERS) -> Recognition:
    result = Recognition()
    found: list[Form] = []
    for name in recognisers:
        try:
            module = import_module(name)
            run: Recogniser = module.recognise
            forms, findings = run(doc)
        except Exception as exc:  # a bug in one recogniser must not lose the document
            short = name.rsplit(".", 1)[-1]
            result.findings.append(
                Finding(
                    code="F099",
                    severity=Severity.ERROR,
                    message=f"识别器 {short} 内部错误：{type(exc).__name__}: {exc}",
                    locations=(Loc(file=doc.file),),
                    actual=_where(exc),
                )
            )
            continue
        found.extend(forms)
        result.findings.extend(findings)
    result.forms = _assemble(found)
    result.kind = _kind(result.forms)
    if result.kind == "unknown":
        result.findings.append(
            Finding(
                code="F001",
                severity=Severity.WARNING,
                message=f"未识别出任何已知表单（绩效目标申报表、预算/决算公开、绩效自评表）：{doc.file}",
                locations=(Loc(file=doc.file),),
                suggestion="确认文件是否为绩效目标表、预算或决算公开、绩效自评表或自评报告。",
            )
        )
    return result


def _where(exc: Exception) -> str:
    """The innermost frame of a recogniser bug, for whoever maintains it (no full traceback)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


def _assemble(forms: list[Form]) -> list[Form]:
    """Attach target tables found inside a disclosure to it (003 carries its 绩效目标表 as annexes)."""
    disclosures = [f for f in forms if isinstance(f, Disclosure)]
    if not disclosures:
        return forms
    host = disclosures[0]
    rest: list[Form] = []
    for f in forms:
        if isinstance(f, DeptTargetDeclaration):
            host.dept_targets.append(f)
        elif isinstance(f, ProjectTargetDeclaration):
            host.project_targets.append(f)
        elif isinstance(f, ProjectTargetSummary):
            host.project_summaries.append(f)
        else:
            rest.append(f)
    return rest


def _kind(forms: list[Form]) -> DocumentKind:
    for f in forms:
        if isinstance(f, Disclosure):
            return "final_disclosure" if f.stage == "final" else "budget_disclosure"
    if any(isinstance(f, SelfEvaluation) for f in forms):
        return "self_evaluation"
    if any(isinstance(f, DeptTargetDeclaration) for f in forms):
        return "dept_target"
    if any(isinstance(f, ProjectTargetDeclaration | ProjectTargetSummary) for f in forms):
        return "project_target"
    return "unknown"
