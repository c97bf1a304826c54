"""Score sheets for ``jixiao score``: every self-evaluation of a document scored, with the S findings
that need no ruleset (from the audit registry) beside the departures from the chosen ruleset.

Enters: a ``ParsedDocument`` (and its source), a ruleset or None (the form's notes decide), the
reviewer's choices within qualitative tiers. Leaves: ``ScoreSheet``s; ``render_sheets`` prints them
as text (a table per form) or JSON (one object for one form, a list for several).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from jixiao.checks import builtin_registry
from jixiao.checks.engine import Selection, audit_documents
from jixiao.ingest.source import SourceDocument
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.report.text import finding_lines
from jixiao.scoring import CODES, RuleSet, ScoreSheet, score_evaluation
from jixiao.scoring.methods import text as points

#: The S rules that need no ruleset; the ruleset's own (S112–S115) come from the sheet.
RULE_FREE = Selection(select=("S",), ignore=tuple(CODES))


def score_document(
    document: ParsedDocument,
    source: SourceDocument | None = None,
    ruleset: RuleSet | None = None,
    choices: Mapping[str, Decimal] | None = None,
) -> list[ScoreSheet]:
    sheets = []
    for form in document.forms:
        if not isinstance(form, SelfEvaluation):
            continue
        sheet = score_evaluation(form, ruleset, choices)
        sheet.file = document.file
        alone = document.model_copy(update={"forms": [form], "findings": []})
        audit = audit_documents([alone], [source], registry=builtin_registry(), selection=RULE_FREE)
        by_rule = {f.locations[0] for f in sheet.findings if f.code == "S112" and f.locations}
        # S108 (a full score on a visible miss) is the same defect as the ruleset's S112 there
        rule_free = [
            f
            for f in audit.documents[0].findings
            if not (f.code == "S108" and f.locations and f.locations[0] in by_rule)
        ]
        sheet.findings = sorted(
            [*rule_free, *sheet.findings],
            key=lambda f: (f.locations[0].line or 0, f.locations[0].row or 0) if f.locations else (0, 0),
        )
        sheets.append(sheet)
    return sheets


def _value(value: Decimal | None) -> str:
    return points(value) if value is not None else "—"


def sheet_text(sheet: ScoreSheet) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, no_color=True, highlight=False)
    how = "按自评表注释选定" if sheet.ruleset_detected else "默认或指定"
    console.print(f"{sheet.file or ''}：{sheet.form or '绩效自评'}")
    console.print(f"评分规则：{sheet.ruleset_title}（{sheet.ruleset}，{how}）")
    table = Table(show_lines=False, box=None, pad_edge=False)
    for header in ("", "指标", "分值", "指标值", "实际完成值", "自评", "重算", "计算过程"):
        table.add_column(header, overflow="fold")
    for row in sheet.rows:
        mark = "✗" if row.departs else ("·" if row.reported_score != row.computed_score else "")
        table.add_row(
            mark,
            row.indicator,
            _value(row.weight),
            row.target,
            row.actual or "",
            _value(row.reported_score),
            _value(row.computed_score),
            row.explanation,
        )
    console.print(table)
    levels = "；".join(
        f"{level.name} {_value(level.weight_rule)}：自评 {_value(level.reported)}，重算 {_value(level.computed)}"
        for level in sheet.levels
    )
    console.print(f"一级指标：{levels}")
    console.print(
        f"总分：自评 {_value(sheet.total_reported)}（{sheet.grade_reported or '—'}），"
        f"重算 {_value(sheet.total_computed)}（{sheet.grade_computed}）"
    )
    if sheet.findings:
        console.print(f"发现 {len(sheet.findings)} 条：")
        for finding in sheet.findings:
            for line in finding_lines(finding):
                console.print(line)
    console.print("✗ 自评得分不符合评分规则；· 审核人在档内另行选定的得分")
    return buffer.getvalue().rstrip()


def render_sheets(sheets: Sequence[ScoreSheet], format: str) -> str:
    if format == "json":
        payloads = [json.loads(sheet.to_json()) for sheet in sheets]
        return json.dumps(payloads[0] if len(payloads) == 1 else payloads, ensure_ascii=False, indent=2)
    return "\n\n".join(sheet_text(sheet) for sheet in sheets)
