"""The audit report as a reviewer's worksheet (.xlsx): one row per finding, filterable.

Enters: an ``AuditReport`` (and optionally the ``Registry`` the rule titles come from). Leaves: the
bytes of a workbook with three sheets:

- 审核发现: one row per finding (序号 within its document, as in the HTML page and the annotated
  copies; 文件, 文件类型, 级别, 代码, 规则, 问题描述, 位置, then the first location split into
  工作表/页, 表, 行, 列, 单元格, then 应为, 实为, 建议), and two columns for the reviewer: 审核意见
  (empty) and 处理状态 (a drop-down 待处理/已确认/已更正/误报, 待处理 to start with). The header is
  frozen, an autofilter spans the whole range, 级别 cells are filled by severity.
- 规则执行情况: per document and rule, 通过/发现问题/不适用/规则出错, the number of findings and why
  a rule did not apply.
- 汇总: per document the counts by severity and by rule outcome, and the totals.

The output is deterministic: the workbook's created/modified properties and the zip entries'
dates are fixed, so two renders of one report are the same bytes.

>>> from jixiao.checks.report import AuditReport, DocumentAudit
>>> render_xlsx(AuditReport(documents=[DocumentAudit(file="a.txt")]))[:2]
b'PK'
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from jixiao.checks.registry import Registry
from jixiao.checks.report import SEVERITY_NAMES, STATUS_NAMES, AuditReport
from jixiao.model.loc import Loc
from jixiao.report.html import SEVERITY_COLOURS, SEVERITY_ORDER, STATUS_ORDER, code_titles
from jixiao.summary import KIND_NAMES

FINDINGS_SHEET = "审核发现"
RULES_SHEET = "规则执行情况"
SUMMARY_SHEET = "汇总"

#: The reviewer's choices in 处理状态; the first is where every finding starts.
REVIEW_STATES: tuple[str, ...] = ("待处理", "已确认", "已更正", "误报")

#: (header, column width) of the 审核发现 sheet, in order.
FINDING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6),
    ("文件", 28),
    ("文件类型", 14),
    ("级别", 7),
    ("代码", 7),
    ("规则", 26),
    ("问题描述", 60),
    ("位置", 34),
    ("工作表/页", 12),
    ("表", 5),
    ("行", 6),
    ("列", 5),
    ("单元格", 8),
    ("应为", 14),
    ("实为", 14),
    ("建议", 36),
    ("审核意见", 30),
    ("处理状态", 10),
)
RULE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("文件", 28),
    ("代码", 7),
    ("规则", 36),
    ("结果", 10),
    ("发现数", 8),
    ("说明", 60),
)
SUMMARY_COLUMNS: tuple[tuple[str, float], ...] = (
    ("文件", 34),
    ("文件类型", 16),
    ("格式", 7),
    ("错误", 7),
    ("警告", 7),
    ("提示", 7),
    ("发现合计", 9),
    ("规则通过", 9),
    ("发现问题", 9),
    ("不适用", 8),
    ("规则出错", 9),
)
#: Columns whose text wraps (messages, locations, advice).
WRAPPED = frozenset({"规则", "问题描述", "位置", "应为", "实为", "建议", "审核意见", "说明"})

#: The date written into the workbook's properties and its zip entries (output must not vary).
FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)

_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_HEADER_FONT = Font(bold=True)
_TOTAL_FONT = Font(bold=True)
_THIN = Side(style="thin", color="B7C0CC")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top")
_TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)


def location_fields(loc: Loc | None) -> tuple[str | None, int | None, int | None, int | None, str | None]:
    """工作表/页, 表, 行, 列, 单元格 of one location (the sheet's name, ``p.7`` or a text line ``L12``)."""
    if loc is None:
        return None, None, None, None, None
    if loc.sheet is not None:
        where: str | None = loc.sheet
    elif loc.page is not None:
        where = f"p.{loc.page}"
    elif loc.line is not None:
        where = f"L{loc.line}"
    else:
        where = None
    return where, loc.table, loc.row, loc.col, loc.cell


def _header(sheet: Worksheet, columns: Sequence[tuple[str, float]]) -> None:
    sheet.append([name for name, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        cell.border = _BORDER
        cell.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _style_rows(sheet: Worksheet, columns: Sequence[tuple[str, float]], first_row: int = 2) -> None:
    wrapped = {index for index, (name, _) in enumerate(columns, start=1) if name in WRAPPED}
    for row in sheet.iter_rows(min_row=first_row, max_row=sheet.max_row, max_col=len(columns)):
        for cell in row:
            cell.border = _BORDER
            cell.alignment = _TOP_WRAPPED if cell.column in wrapped else _TOP


def _filter_all(sheet: Worksheet, columns: Sequence[tuple[str, float]]) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"


def _findings_sheet(sheet: Worksheet, report: AuditReport, titles: dict[str, str]) -> None:
    _header(sheet, FINDING_COLUMNS)
    names = [name for name, _ in FINDING_COLUMNS]
    level_column = names.index("级别") + 1
    state_column = names.index("处理状态") + 1
    fills = {
        severity: (PatternFill("solid", fgColor=light), Font(bold=True, color=strong))
        for severity, (strong, light) in SEVERITY_COLOURS.items()
    }
    for document in report.documents:
        kind = KIND_NAMES.get(document.kind, document.kind)
        for number, finding in enumerate(document.findings, start=1):
            first = finding.locations[0] if finding.locations else None
            where, table, row, col, cell = location_fields(first)
            sheet.append(
                [
                    number,
                    document.file,
                    kind,
                    SEVERITY_NAMES[finding.severity],
                    finding.code,
                    titles.get(finding.code),
                    finding.message,
                    "\n".join(loc.label() for loc in finding.locations),
                    where,
                    table,
                    row,
                    col,
                    cell,
                    finding.expected,
                    finding.actual,
                    finding.suggestion,
                    None,
                    REVIEW_STATES[0],
                ]
            )
            fill, font = fills[finding.severity]
            level = sheet.cell(row=sheet.max_row, column=level_column)
            level.fill = fill
            level.font = font
    _style_rows(sheet, FINDING_COLUMNS)
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, min_col=level_column, max_col=level_column):
        row[0].alignment = Alignment(vertical="top", horizontal="center")
    last_row = max(sheet.max_row, 2)
    states = DataValidation(
        type="list",
        formula1='"' + ",".join(REVIEW_STATES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="处理状态",
        error="请从列表中选择：" + "、".join(REVIEW_STATES),
        promptTitle="处理状态",
        prompt="、".join(REVIEW_STATES),
    )
    sheet.add_data_validation(states)
    letter = get_column_letter(state_column)
    states.add(f"{letter}2:{letter}{last_row}")
    _filter_all(sheet, FINDING_COLUMNS)


def _rules_sheet(sheet: Worksheet, report: AuditReport) -> None:
    _header(sheet, RULE_COLUMNS)
    rank = {status: position for position, status in enumerate(STATUS_ORDER)}
    for document in report.documents:
        for outcome in sorted(document.rules, key=lambda o: (rank[o.status], o.code)):
            sheet.append(
                [
                    document.file,
                    outcome.code,
                    outcome.title,
                    STATUS_NAMES[outcome.status],
                    outcome.findings,
                    outcome.reason,
                ]
            )
    _style_rows(sheet, RULE_COLUMNS)
    _filter_all(sheet, RULE_COLUMNS)


def _summary_sheet(sheet: Worksheet, report: AuditReport) -> None:
    _header(sheet, SUMMARY_COLUMNS)
    for document in report.documents:
        counts = [document.count(severity) for severity in SEVERITY_ORDER]
        statuses = [sum(1 for o in document.rules if o.status == status) for status in STATUS_ORDER]
        passed, failed, not_applicable, errored = (
            statuses[STATUS_ORDER.index("passed")],
            statuses[STATUS_ORDER.index("failed")],
            statuses[STATUS_ORDER.index("not_applicable")],
            statuses[STATUS_ORDER.index("error")],
        )
        sheet.append(
            [
                document.file,
                KIND_NAMES.get(document.kind, document.kind),
                document.format,
                *counts,
                sum(counts),
                passed,
                failed,
                not_applicable,
                errored,
            ]
        )
    last = sheet.max_row
    totals: list[str | int | None] = [f"合计（{len(report.documents)} 个文件）", None, None]
    for index in range(4, len(SUMMARY_COLUMNS) + 1):
        values = [sheet.cell(row=row, column=index).value for row in range(2, last + 1)]
        totals.append(sum(value for value in values if isinstance(value, int)))
    sheet.append(totals)
    _style_rows(sheet, SUMMARY_COLUMNS)
    for cell in sheet[sheet.max_row]:
        cell.font = _TOTAL_FONT


def build_workbook(report: AuditReport, registry: Registry | None = None) -> WorkbookType:
    """The workbook ``render_xlsx`` writes (for callers that add sheets of their own)."""
    titles = code_titles(report, registry)
    workbook = Workbook()
    findings = workbook.active
    assert findings is not None  # a new workbook always has one sheet
    findings.title = FINDINGS_SHEET
    _findings_sheet(findings, report, titles)
    _rules_sheet(workbook.create_sheet(RULES_SHEET), report)
    _summary_sheet(workbook.create_sheet(SUMMARY_SHEET), report)
    workbook.properties.creator = report.generator
    workbook.properties.title = "审核发现"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    return workbook


def workbook_bytes(workbook: WorkbookType) -> bytes:
    """Save without openpyxl stamping the current time, then fix the zip entries' dates too."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry.filename))
    return fixed.getvalue()


def render_xlsx(report: AuditReport, registry: Registry | None = None) -> bytes:
    """The reviewer's worksheet for ``report`` as .xlsx bytes (see the module docstring)."""
    return workbook_bytes(build_workbook(report, registry))
