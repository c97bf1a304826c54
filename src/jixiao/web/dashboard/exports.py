"""The dashboard's downloads: a chart's numbers, the reviewer's worksheet, the leadership report.

- ``figure_xlsx(figure, caption)``: one chart's rows as an xlsx (the same exact numbers the chart
  draws), with the filters it was drawn for above the table.
- ``worksheet_xlsx(versions)``: the reviewer's worksheet, one row per finding of each version:
  department, document, version, code, severity, rule title, message, location (file, sheet or
  page, table, row, column, cell) and whether a reviewer dismissed it as a false alarm (and why).
- ``summary_doc(dashboard, caption)``: the summary for the bureau's leadership as a layout ``Doc``
  (headline figures, charts, the departments with the most serious findings, the most frequent
  codes, sentences computed from the numbers), written as docx or pdf by ``jixiao.render``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jixiao.model.money import display
from jixiao.render.layout import Block, Cell, Chart, Doc, Grid, Heading, Paragraph, money_cell, number_cell
from jixiao.web.dashboard.extract import SEVERITY_NAMES, code_title
from jixiao.web.dashboard.queries import GRADES, Dashboard, Figure, shown
from jixiao.web.models import Dismissal, DocumentVersion
from jixiao.web.store import finding_key

#: Versions read (and their dismissals looked up) at a time for the worksheet.
CHUNK = 200
HEAD_FILL = PatternFill("solid", fgColor="E8ECF2")
BOLD = Font(bold=True)

WORKSHEET_COLUMNS: tuple[tuple[str, int], ...] = (
    ("部门", 28),
    ("文件", 36),
    ("文件编号", 9),
    ("版本", 6),
    ("代码", 7),
    ("严重程度", 8),
    ("规则名称", 30),
    ("问题说明", 70),
    ("文件名", 28),
    ("工作表/页", 10),
    ("表", 5),
    ("行", 6),
    ("列", 5),
    ("单元格", 8),
    ("已标记误报", 10),
    ("误报理由", 30),
)


def _head(sheet: Any, row: int, names: Iterable[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=col, value=name)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _xlsx_value(value: Any) -> Any:
    return value if value is None or isinstance(value, int | Decimal | str) else str(value)


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def figure_xlsx(figure: Figure, caption: str) -> bytes:
    """One chart's numbers: title, the filters, the header row, then one row per label."""
    book = Workbook()
    sheet = book.active
    sheet.title = figure.key
    sheet.cell(row=1, column=1, value=figure.title).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=caption)
    _head(sheet, 3, figure.columns)
    for index, row in enumerate(figure.table(), start=4):
        for col, value in enumerate(row, start=1):
            sheet.cell(row=index, column=col, value=_xlsx_value(value))
    sheet.column_dimensions["A"].width = 40
    for col in range(2, len(figure.columns) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    sheet.freeze_panes = "B4"
    return _bytes(book)


def _where(location: dict[str, Any]) -> tuple[Any, ...]:
    sheet_or_page = location.get("sheet") or (f"第{location['page']}页" if location.get("page") else None)
    return (
        location.get("file"),
        sheet_or_page,
        location.get("table"),
        location.get("row"),
        location.get("col"),
        location.get("cell"),
    )


def _chunks(versions: Iterable[DocumentVersion], size: int) -> Iterator[list[DocumentVersion]]:
    chunk: list[DocumentVersion] = []
    for version in versions:
        chunk.append(version)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def worksheet_rows(versions: Iterable[DocumentVersion]) -> Iterator[list[Any]]:
    """The worksheet's rows (without the header), one per finding, versions in the order given.
    Versions are read a chunk at a time (a province's batch holds thousands of audits)."""
    for chunk in _chunks(versions, CHUNK):
        dismissed: dict[tuple[int, str], str] = {
            (version_id, key): reason
            for version_id, key, reason in Dismissal.objects.filter(
                version__in=[v.pk for v in chunk]
            ).values_list("version_id", "key", "reason")
        }
        for version in chunk:
            document = version.document
            for finding in (version.audit or {}).get("findings") or []:
                locations = finding.get("locations") or [{}]
                code = str(finding.get("code", ""))
                severity = str(finding.get("severity", ""))
                reason = dismissed.get((version.pk, finding_key(finding)))
                yield [
                    document.department.name,
                    document.title,
                    document.pk,
                    version.number,
                    code,
                    SEVERITY_NAMES.get(severity, severity),
                    code_title(code),
                    finding.get("message", ""),
                    *_where(locations[0] or {}),
                    "是" if reason is not None else "否",
                    reason or "",
                ]


def worksheet_xlsx(versions: Iterable[DocumentVersion]) -> bytes:
    """The reviewer's worksheet: one row per finding, with department and location (xlsx bytes).

    ``versions`` should come with ``document__department`` selected; a QuerySet is read with
    ``iterator()`` and the workbook is written in openpyxl's streaming mode, so memory stays flat
    with the size of the batch."""
    if isinstance(versions, QuerySet):
        versions = versions.iterator(chunk_size=CHUNK)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审核工作底稿")
    for col, (_, width) in enumerate(WORKSHEET_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    head = []
    for name, _ in WORKSHEET_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in worksheet_rows(versions):
        sheet.append([_xlsx_value(v) for v in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WORKSHEET_COLUMNS))}{count + 1}"
    return _bytes(book)


# ------------------------------------------------------------------------------ leadership report


def _percent(part: int, whole: int) -> str:
    return shown(Decimal(part) * 100 / whole, 1) + "%" if whole else "—"


@dataclass(frozen=True)
class Money:
    """An amount for a grid: shown with thousands separators and two decimals (四舍五入, display
    only), the exact amount kept in the cell."""

    amount: Decimal | None


def _grid(title: str, head: list[str], rows: list[list[Any]], widths: tuple[float, ...]) -> Grid:
    cells = [Cell(0, col, name, role="head") for col, name in enumerate(head)]
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, Money):
                cells.append(money_cell(r, col, value.amount))
            elif isinstance(value, int | Decimal):
                cells.append(number_cell(r, col, Decimal(value)))
            else:
                cells.append(Cell(r, col, "" if value is None else str(value)))
    return Grid(title=title, cells=tuple(cells), widths=widths, header_rows=1)


def _totals(figure: Figure | None) -> list[tuple[str, int]]:
    """Each row's values added up (findings of all severities), largest first."""
    if figure is None:
        return []
    totals = [(row.label, sum(int(v or 0) for v in row.values)) for row in figure.rows]
    return sorted(totals, key=lambda item: -item[1])


def _overview(dashboard: Dashboard) -> list[Block]:
    h = dashboard.headline
    blocks: list[Block] = [Heading("一、总体情况", 1)]
    if not h.documents:
        return [*blocks, Paragraph("所选范围内没有文件。")]
    text = f"所选范围内共有 {h.departments} 个部门的 {h.documents} 份文件，其中已审核通过 {h.approved} 份"
    text += f"（{_percent(h.approved, h.documents)}）"
    if h.unreadable:
        text += f"，无法读取 {h.unreadable} 份"
    text += f"。审核共发现错误 {h.errors} 个、警告 {h.warnings} 个，"
    text += f"平均每份文件错误 {shown(Decimal(h.errors) / h.documents, 1)} 个。"
    blocks.append(Paragraph(text))
    if h.scored:
        blocks.append(
            Paragraph(
                f"有评分的文件 {h.scored} 份，平均复核得分 {shown(h.mean_score)} 分（按评分规则复核计算）。"
            )
        )
    if h.budget_wan is not None:
        blocks.append(
            Paragraph(f"载明预算总额的文件 {h.budgeted} 份，预算总额合计 {display(h.budget_wan, 2)} 万元。")
        )
    blocks.append(
        _grid(
            "主要数字",
            ["项目", "数值"],
            [
                ["部门数", h.departments],
                ["文件数", h.documents],
                ["已审核通过", h.approved],
                ["错误", h.errors],
                ["警告", h.warnings],
                ["有评分的文件", h.scored],
                [
                    "平均复核得分（分）",
                    h.mean_score.quantize(Decimal("0.01")) if h.mean_score is not None else None,
                ],
                ["预算总额合计（万元）", Money(h.budget_wan)],
            ],
            (24, 16),
        )
    )
    return blocks


def _findings(dashboard: Dashboard) -> list[Block]:
    families, codes = dashboard.figure("families"), dashboard.figure("codes")
    blocks: list[Block] = [Heading("二、问题分布", 1)]
    family_totals = _totals(families)
    if not family_totals or not sum(n for _, n in family_totals):
        return [*blocks, Paragraph("所选范围内的文件未发现问题。")]
    whole = sum(n for _, n in family_totals)
    first, count = family_totals[0]
    blocks.append(
        Paragraph(
            f"按规则类别，问题最多的是“{first}”类，共 {count} 个，占全部问题的 {_percent(count, whole)}。"
        )
    )
    blocks.append(
        Chart(
            title="问题数（按规则类别）",
            labels=tuple(label for label, _ in family_totals),
            values=tuple(Decimal(n) for _, n in family_totals),
            unit="个",
        )
    )
    if codes is not None and codes.rows:
        top = sorted(codes.rows, key=lambda r: -sum(int(v or 0) for v in r.values))[:10]
        frequent = top[0]
        blocks.append(
            Paragraph(
                f"出现最多的问题是 {frequent.label}，共 {sum(int(v or 0) for v in frequent.values)} 个，"
                f"涉及 {frequent.extra[0]} 份文件。"
            )
        )
        blocks.append(
            _grid(
                "出现最多的问题（前 10 个规则）",
                ["代码", "规则名称", *SEVERITY_NAMES.values(), "涉及文件"],
                [
                    [row.label.split(" ")[0], code_title(row.label.split(" ")[0]), *row.values, row.extra[0]]
                    for row in top
                ],
                (7, 40, 7, 7, 7, 9),
            )
        )
    return blocks


def _departments(dashboard: Dashboard) -> list[Block]:
    serious = dashboard.figure("serious")
    blocks: list[Block] = [Heading("三、问题较多的部门", 1)]
    if serious is None or not serious.rows:
        return [*blocks, Paragraph("没有发现错误或警告的部门。")]
    first = serious.rows[0]
    with_errors = sum(1 for row in serious.rows if int(row.values[0] or 0) > 0)
    blocks.append(
        Paragraph(
            f"按错误数排序，问题最严重的部门是{first.label}，错误 {first.values[0]} 个、警告 {first.values[1]} 个"
            f"（{first.extra[0]} 份文件）。下表列出的 {len(serious.rows)} 个部门中，有错误的 {with_errors} 个。"
        )
    )
    top = serious.rows[:10]
    blocks.append(
        Chart(
            title="错误最多的部门",
            labels=tuple(row.label for row in top),
            values=tuple(Decimal(int(row.values[0] or 0)) for row in top),
            unit="个",
        )
    )
    blocks.append(
        _grid(
            "问题最严重的部门",
            ["部门", "错误", "警告", "文件数"],
            [[row.label, *row.values, row.extra[0]] for row in serious.rows],
            (40, 8, 8, 8),
        )
    )
    return blocks


def _scores(dashboard: Dashboard) -> list[Block]:
    grades = dashboard.figure("grades")
    blocks: list[Block] = [Heading("四、评分情况", 1)]
    if grades is None or not dashboard.headline.scored:
        return [*blocks, Paragraph("所选范围内没有带评分的文件（绩效自评）。")]
    computed = {row.label: int(row.values[0] or 0) for row in grades.rows}
    reported = {row.label: int(row.values[1] or 0) for row in grades.rows}
    scored = dashboard.headline.scored
    parts = [f"{grade} {computed[grade]} 份（{_percent(computed[grade], scored)}）" for grade in GRADES]
    blocks.append(Paragraph("按复核得分，等级为" + "，".join(parts) + "。"))
    if computed["优"] != reported["优"]:
        blocks.append(
            Paragraph(
                f"自评为“优”的 {reported['优']} 份，复核为“优”的 {computed['优']} 份，"
                f"相差 {abs(reported['优'] - computed['优'])} 份。"
            )
        )
    blocks.append(
        Chart(
            title="复核等级分布",
            labels=GRADES,
            values=tuple(Decimal(computed[g]) for g in GRADES),
            unit="份",
        )
    )
    return blocks


def _changes(dashboard: Dashboard) -> list[Block]:
    yoy = dashboard.figure("yoy")
    if yoy is None or not yoy.rows:
        return []
    up = sum(1 for r in yoy.rows if r.values[0] is not None and Decimal(r.values[0]) > 0)
    down = sum(1 for r in yoy.rows if r.values[0] is not None and Decimal(r.values[0]) < 0)
    fewer = sum(1 for r in yoy.rows if int(r.values[1] or 0) < 0)
    more = sum(1 for r in yoy.rows if int(r.values[1] or 0) > 0)
    return [
        Heading("五、同比变化", 1),
        Paragraph(
            f"{yoy.title.split('（')[1].rstrip('）')}：两年都有文件的部门 {len(yoy.rows)} 个。"
            f"平均复核得分上升的 {up} 个、下降的 {down} 个；错误数减少的 {fewer} 个、增加的 {more} 个。"
        ),
        _grid(
            "同比变化",
            ["部门", *yoy.extra_columns, "得分变化", "错误变化"],
            [
                [
                    r.label,
                    *[v.quantize(Decimal("0.01")) if isinstance(v, Decimal) else v for v in r.extra],
                    r.values[0].quantize(Decimal("0.01"))
                    if isinstance(r.values[0], Decimal)
                    else r.values[0],
                    r.values[1],
                ]
                for r in yoy.rows
            ],
            (30, 10, 10, 8, 8, 9, 9),
        ),
    ]


def summary_doc(dashboard: Dashboard, caption: str) -> Doc:
    """The leadership summary of the dashboard's figures (no sentence without its number)."""
    year = dashboard.filters.year
    title = f"{year}年度预算绩效审核情况汇总" if year else "预算绩效审核情况汇总"
    blocks: list[Block] = [
        *_overview(dashboard),
        *_findings(dashboard),
        *_departments(dashboard),
        *_scores(dashboard),
        *_changes(dashboard),
    ]
    return Doc(title=title, blocks=tuple(blocks), header=title, subtitle=caption)
