"""The sheet-to-blocks rules every grid reader shares (.xlsx, .xls, .docx and HTML tables).

Enters: what a format reader found in one grid: a sheet's non-empty texts by (row, column) and its
merged ranges (``SheetData``, for ``add_sheet``), or anchors with their spans (for ``build_grid``);
spreadsheet cell values and number formats (for ``value_text`` / ``number_text``). Leaves: blocks
appended to a ``SourceDocument``: a heading paragraph naming the sheet, then either one ``Table`` over
the used range (merged cells explicit: the anchor carries ``rowspan``/``colspan``, covered cells are
present, empty, with ``covered_by``) or, when all the text sits in one column (cover pages, 说明
sheets), one paragraph per line. A table's leading title rows (one non-empty cell, e.g.
"2026年部门收入预算总表") are also given as paragraphs, and the first is the table's caption.
Locations use the sheet's own coordinates (``部门收入总表!E7``); a hidden sheet is read and noted
(``R014``). Nothing here parses a file: the format readers do, then hand their grids over.

Numbers are written as Excel displays them without float artifacts: ``8562.6`` stays ``8562.6``,
the cell's format decides the decimals (``0.00`` → ``8562.60``) and percents (``0.0%`` → ``12.5%``);
thousands separators and literal text in formats are left out. Dates become ISO text.

>>> number_text(8562.599999999999, "0.00")
'8562.60'
>>> number_text(0.125, "0.0%")
'12.5%'
>>> doc = SourceDocument(file="a.xlsx", format="xlsx")
>>> add_sheet(doc, SheetData("收入", {(1, 1): "项目", (1, 2): "金额", (2, 1): "工资", (2, 2): "12.5"}))
>>> doc.tables[0].rows[1][1].text, doc.tables[0].rows[1][1].loc.cell
('12.5', 'B2')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from jixiao.ingest.errors import ReadError, read_note
from jixiao.ingest.readers.dispatch import MAX_CELLS
from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table, clean_text
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc, cell_name

#: (first row, first column, last row, last column), 1-based and inclusive, in sheet coordinates.
Merge = tuple[int, int, int, int]
#: What ``build_grid`` places at a position: (text, rowspan, colspan).
Anchor = tuple[str, int, int]

_MAX_EXTEND_PASSES = 50


@dataclass(slots=True)
class SheetData:
    """One sheet as a grid reader found it: non-empty texts by (row, column) and merged ranges."""

    title: str
    values: dict[tuple[int, int], str]
    merges: list[Merge] = field(default_factory=list)
    hidden: bool = False


# ---------------------------------------------------------------------------------------------
# values to text


def value_text(value: object, number_format: str | None = None) -> str:
    """The text of one cell value as a user sees it (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    if isinstance(value, int | float | Decimal):
        return number_text(value, number_format)
    return clean_text(str(value))


def number_text(value: int | float | Decimal, number_format: str | None = None) -> str:
    """A number as displayed: at most 15 significant digits (Excel's precision), format decimals."""
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float) and not math.isfinite(value):
        return str(value)
    else:
        number = Decimal(format(value, ".15g"))  # Excel keeps 15 significant digits
    decimals, percent = display_rule(number_format)
    if percent:
        number *= 100
    text = _plain(number)
    if decimals is not None:
        fewest, most = decimals
        try:
            with localcontext() as context:
                context.prec = 400
                rounded = number.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
            text = format(rounded, "f")
        except InvalidOperation:
            text = _plain(number)
        else:
            if most > fewest and "." in text:
                whole, fraction = text.split(".")
                fraction = fraction.rstrip("0").ljust(fewest, "0")
                text = f"{whole}.{fraction}" if fraction else whole
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text + ("%" if percent else "")


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')


def display_rule(number_format: str | None) -> tuple[tuple[int, int] | None, bool]:
    """(fewest, most) decimals a number format shows (``None``: as many as needed), and percent.

    >>> display_rule("#,##0.0#_ ;[Red]-#,##0.0#")
    ((1, 2), False)
    """
    if not number_format:
        return None, False
    section = _QUOTED.sub("", number_format).split(";")[0]
    lowered = section.strip().lower()
    if lowered in ("", "general") or "@" in section or "/" in section or "e+" in lowered or "e-" in lowered:
        return None, False
    if not re.search(r"[0#?]", section):
        return None, False
    percent = "%" in section
    match = re.search(r"\.([0#?]+)", section)
    if not match:
        return (0, 0), percent
    places = match.group(1)
    return (places.count("0") + places.count("?"), len(places)), percent


# ---------------------------------------------------------------------------------------------
# grids


def build_grid(
    file: str,
    where: str,
    n_rows: int,
    n_cols: int,
    anchors: dict[tuple[int, int], Anchor],
    make_loc: Callable[[int, int], Loc],
) -> list[list[Cell]]:
    """A dense ``n_rows`` × ``n_cols`` grid of cells from the anchors (1-based table positions).

    Positions no anchor covers are empty cells. Spans are clipped to the grid; a span overlapping
    an earlier one is reduced to its own cell, and an anchor lying under an earlier span gives its
    text to that span's anchor (malformed files only). ``where`` names the grid in the ``R007``
    error raised when it would exceed ``MAX_CELLS``.
    """
    if n_rows * n_cols > MAX_CELLS:
        raise ReadError("R007", file, f"{where}展开后有 {n_rows} 行 × {n_cols} 列，超过 {MAX_CELLS} 个单元格")
    placed: dict[tuple[int, int], Anchor] = {}
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for position in sorted(anchors):
        text, rowspan, colspan = anchors[position]
        row, col = position
        if not (1 <= row <= n_rows and 1 <= col <= n_cols):
            continue
        if position in covered:
            owner = covered[position]
            owner_text, owner_rows, owner_cols = placed[owner]
            if text:
                placed[owner] = (f"{owner_text}\n{text}" if owner_text else text, owner_rows, owner_cols)
            continue
        rowspan = max(1, min(rowspan, n_rows - row + 1))
        colspan = max(1, min(colspan, n_cols - col + 1))
        span = [(r, c) for r in range(row, row + rowspan) for c in range(col, col + colspan)][1:]
        if any(p in placed or p in covered for p in span):
            rowspan, colspan, span = 1, 1, []
        placed[position] = (text, rowspan, colspan)
        for p in span:
            covered[p] = position
    rows: list[list[Cell]] = []
    for row in range(1, n_rows + 1):
        cells: list[Cell] = []
        for col in range(1, n_cols + 1):
            loc = make_loc(row, col)
            anchor = placed.get((row, col))
            if anchor is not None:
                text, rowspan, colspan = anchor
                cells.append(Cell(text, row, col, loc, rowspan=rowspan, colspan=colspan))
            else:
                cells.append(Cell("", row, col, loc, covered_by=covered.get((row, col))))
        rows.append(cells)
    return rows


def add_sheet(doc: SourceDocument, sheet: SheetData) -> None:
    """Append one sheet's blocks to ``doc`` (nothing for an empty sheet)."""
    file, title = doc.file, sheet.title
    values = {p: t for p, t in sheet.values.items() if t}
    if not values:
        return
    sheet_loc = Loc(file=file, sheet=title)
    top, left, bottom, right = _used_range(values, sheet.merges)
    if (bottom - top + 1) * (right - left + 1) > MAX_CELLS:
        raise ReadError(
            "R007",
            file,
            f"工作表“{title}”的数据区域有 {bottom - top + 1} 行 × {right - left + 1} 列",
            sheet_loc,
        )
    merges = [
        _clip(m, (top, left, bottom, right))
        for m in sheet.merges
        if _intersects(m, (top, left, bottom, right))
    ]
    merges = [m for m in merges if m[2] > m[0] or m[3] > m[1]]
    for first_row, first_col, last_row, last_col in merges:
        _drop_covered(values, (first_row, first_col, last_row, last_col))
    if not values:
        return  # all its text was hidden under merged cells
    doc.blocks.append(Paragraph(text=title, loc=sheet_loc, heading=1))
    if sheet.hidden:
        doc.findings.append(read_note("R014", file, f"工作表“{title}”", sheet_loc, Severity.INFO))
    if len({col for _, col in values}) == 1:
        for (row, col), text in sorted(values.items()):
            loc = Loc(file=file, sheet=title, row=row, col=col, cell=cell_name(row, col))
            for line in text.split("\n"):
                doc.blocks.append(Paragraph(text=line, loc=loc))
        return
    index = len(doc.tables) + 1
    anchors: dict[tuple[int, int], Anchor] = {}
    for first_row, first_col, last_row, last_col in merges:
        text = values.get((first_row, first_col), "")
        anchors[(first_row - top + 1, first_col - left + 1)] = (
            text,
            last_row - first_row + 1,
            last_col - first_col + 1,
        )
    for (row, col), text in values.items():
        anchors.setdefault((row - top + 1, col - left + 1), (text, 1, 1))

    def make_loc(row: int, col: int) -> Loc:
        sheet_row, sheet_col = row + top - 1, col + left - 1
        return Loc(
            file=file,
            sheet=title,
            table=index,
            row=sheet_row,
            col=sheet_col,
            cell=cell_name(sheet_row, sheet_col),
        )

    rows = build_grid(file, f"工作表“{title}”", bottom - top + 1, right - left + 1, anchors, make_loc)
    titles = title_cells(rows)
    doc.blocks.extend(Paragraph(text=cell.text, loc=cell.loc) for cell in titles)
    doc.blocks.append(
        Table(
            index=index,
            rows=rows,
            loc=make_loc(1, 1),
            caption=titles[0].text if titles else title,
            sheet=title,
        )
    )


def _used_range(values: dict[tuple[int, int], str], merges: list[Merge]) -> Merge:
    """The box around the non-empty cells, grown to hold every merged range it touches."""
    rows = [r for r, _ in values]
    cols = [c for _, c in values]
    box = (min(rows), min(cols), max(rows), max(cols))
    for _ in range(_MAX_EXTEND_PASSES):
        grown = box
        for merge in merges:
            if _intersects(merge, grown):
                grown = (
                    min(grown[0], merge[0]),
                    min(grown[1], merge[1]),
                    max(grown[2], merge[2]),
                    max(grown[3], merge[3]),
                )
        if grown == box:
            break
        box = grown
    return box


def _intersects(a: Merge, b: Merge) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _clip(merge: Merge, box: Merge) -> Merge:
    return (max(merge[0], box[0]), max(merge[1], box[1]), min(merge[2], box[2]), min(merge[3], box[3]))


def _drop_covered(values: dict[tuple[int, int], str], merge: Merge) -> None:
    """Forget texts hidden under a merged range (Excel shows only the anchor's)."""
    first_row, first_col, last_row, last_col = merge
    area = (last_row - first_row + 1) * (last_col - first_col + 1)
    if area <= len(values):
        hidden = [(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)]
    else:
        hidden = [(r, c) for r, c in values if first_row <= r <= last_row and first_col <= c <= last_col]
    for position in hidden:
        if position != (first_row, first_col):
            values.pop(position, None)


def title_cells(rows: list[list[Cell]]) -> list[Cell]:
    """The cells of the leading rows that hold a single text (titles above the header).

    Empty when no row holds several texts (nothing then tells a title from the data).
    """
    found: list[Cell] = []
    for cells in rows:
        texts = [c for c in cells if c.text]
        if len(texts) > 1:
            return found
        found.extend(texts)
    return []  # no row with several texts: nothing to tell titles from


# ---------------------------------------------------------------------------------------------
# errors


def describe(exc: BaseException) -> str:
    """A short ``Type: message`` for the detail of an ``R004`` error."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
