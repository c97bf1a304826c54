"""Write a ``Doc`` as an Excel workbook: one sheet per grid, the form as it prints.

Enters: a ``jixiao.render.layout.Doc``. Leaves: the bytes of an .xlsx. Each ``Grid`` gets its own
sheet (named from ``grid.sheet`` or its title, at most 31 characters, unique): the title merged
across the table in row 1, the ``above`` lines (单位：万元 on the right), the cells at their places
with their merges, thin borders everywhere, header rows shaded, frozen and repeated when printed,
then the notes. Money and number cells hold the exact ``Decimal`` with a number format that shows
what ``Cell.text`` shows (``#,##0.00``; a ``%`` number is stored as a fraction under ``0.0%``), so
formulas work on them; text cells are always text (``001`` and ``≥95%`` stay as typed). Cells with
``choices`` get a drop-down, cells with a ``note`` a comment. The doc's paragraphs, if any, go on a
first sheet "说明"; charts are left out. The same ``Doc`` always gives the same bytes.

>>> from jixiao.render.layout import Cell, Grid
>>> data = write_xlsx(Doc("申报表", (Grid("项目支出绩效目标申报表", (Cell(0, 0, "项目名称"), Cell(0, 1, "就业补助"))),)))
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from jixiao.render.archive import stable_zip
from jixiao.render.layout import Cell, Doc, Grid, Heading, Paragraph, line_alignment

FIXED_TIME = datetime(2000, 1, 1)
_FONT = "宋体"
_DEFAULT_WIDTH = 10.0  # characters, for a column the grid gives no width
_EXCEL_PER_CHAR = 2.1  # Excel width units (digit widths) per CJK character
_LINE_HEIGHT = 14.0  # points per wrapped line of 11-point text
_NOTES_COLUMNS = 10  # the 说明 sheet's paragraphs span this many columns
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SHADE = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(doc: Doc) -> bytes:
    """The workbook's bytes (see the module docstring)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    texts = [block for block in doc.blocks if isinstance(block, Heading | Paragraph)]
    grids = doc.grids()
    if any(isinstance(block, Paragraph) for block in texts) or not grids:
        _write_prose(workbook.create_sheet(sheet_name("说明", names)), doc, texts)
    lists: list[tuple[str, ...]] = []
    for grid in grids:
        sheet = workbook.create_sheet(sheet_name(grid.sheet or grid.title, names))
        _write_grid(sheet, grid, lists)
    if lists:
        _write_lists(workbook, lists, names)
    workbook.properties.creator = "Jixiao"
    workbook.properties.lastModifiedBy = "Jixiao"
    workbook.properties.title = doc.title
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # not save_workbook: it stamps the current time
    return stable_zip(buffer.getvalue())


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid sheet name: without ``[]:*?/\\``, at most 31 characters, unique ignoring case.

    >>> taken = set()
    >>> sheet_name("表1：收支总表", taken), sheet_name("表1：收支总表", taken)
    ('表1：收支总表', '表1：收支总表(2)')
    """
    base = _BAD_SHEET_CHARACTERS.sub("", " ".join(wanted.split())).strip("'") or "Sheet"
    name, number = base[:31], 1
    while name.lower() in taken:
        number += 1
        suffix = f"({number})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _write_prose(sheet: Worksheet, doc: Doc, blocks: Sequence[Heading | Paragraph]) -> None:
    """The 说明 sheet: the doc's title, then its headings and paragraphs one per row."""
    for col in range(1, _NOTES_COLUMNS + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 9.0
    capacity = _NOTES_COLUMNS * 9.0 / _EXCEL_PER_CHAR
    lines: list[tuple[str, Font, Alignment]] = [(doc.title, _font(True, 16), _align("center"))]
    if doc.subtitle:
        lines.append((doc.subtitle, _font(False), _align("center")))
    for block in blocks:
        if isinstance(block, Heading):
            lines.append((block.text, _font(True, 12), _align("left")))
        else:
            text = ("\u3000\u3000" if block.indent else "") + block.text
            lines.append((text, _font(block.bold), _align(block.align)))
    for row, (text, font, alignment) in enumerate(lines, start=1):
        _line(sheet, row, _NOTES_COLUMNS, text, font, alignment)
        sheet.row_dimensions[row].height = _height(_line_count(text, capacity), font.sz or 11)


def _write_grid(sheet: Worksheet, grid: Grid, lists: list[tuple[str, ...]]) -> None:
    n_rows, n_cols = grid.shape
    n_cols = max(n_cols, 1)
    widths = [
        grid.widths[i] if i < len(grid.widths) and grid.widths[i] > 0 else _DEFAULT_WIDTH
        for i in range(n_cols)
    ]
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = round(width * _EXCEL_PER_CHAR, 2)
    _line(sheet, 1, n_cols, grid.title, _font(True, 16), _align("center"))
    sheet.row_dimensions[1].height = 30
    for offset, text in enumerate(grid.above, start=2):
        _line(sheet, offset, n_cols, text, _font(False), _align(line_alignment(text)))
    top = 2 + len(grid.above)  # the sheet row of the grid's row 0
    lines = [1] * n_rows
    choices: dict[tuple[tuple[str, ...], bool], list[str]] = {}
    for cell in grid.cells:
        target = sheet.cell(top + cell.row, cell.col + 1)
        _put(target, cell)
        header = cell.row < grid.header_rows or cell.role == "head"
        target.font = _font(cell.strong)
        target.alignment = _align(cell.alignment)
        if header:
            target.fill = _SHADE
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=top + cell.row,
                start_column=cell.col + 1,
                end_row=top + cell.row + cell.rowspan - 1,
                end_column=cell.col + cell.colspan,
            )
        capacity = sum(widths[cell.col : cell.col + cell.colspan]) - 1
        needed = math.ceil(_line_count(cell.text, capacity) / cell.rowspan)
        for row in range(cell.row, min(cell.row + cell.rowspan, n_rows)):
            lines[row] = max(lines[row], needed)
        if cell.choices:
            choices.setdefault((cell.choices, cell.open_choices), []).append(target.coordinate)
        if cell.note:
            comment = Comment(_clean(cell.note), "Jixiao")
            comment.width, comment.height = 240, max(60, 20 * _line_count(cell.note, 16))
            target.comment = comment
    for row in range(top, top + n_rows):  # borders on every position, merged areas included
        for col in range(1, n_cols + 1):
            sheet.cell(row, col).border = _BORDER
    for row, count in enumerate(lines):
        sheet.row_dimensions[top + row].height = _height(count)
    total = sum(widths) - 1
    for offset, text in enumerate(grid.notes):
        row = top + n_rows + offset
        _line(sheet, row, n_cols, text, _font(False), _align("left"))
        sheet.row_dimensions[row].height = _height(_line_count(text, total))
    for (values, open_list), cells in choices.items():
        _validation(sheet, values, cells, lists, open_list)
    _page_setup(sheet, grid, top)


def _put(target: SheetCell, cell: Cell) -> None:
    """The exact number for money/number cells, otherwise text that Excel will not reinterpret."""
    value, number_format = _number(cell)
    if value is not None:
        target.value = value
        target.number_format = number_format
    elif cell.text:
        target.value = _clean(cell.text)
        target.data_type = "s"  # "=…" stays text, not a formula


def _number(cell: Cell) -> tuple[Decimal | None, str]:
    """The value to store and its number format, so Excel shows ``cell.text``."""
    if cell.role not in ("money", "number") or cell.value is None:
        return None, "General"
    if cell.places is not None:
        decimals = "." + "0" * cell.places if cell.places > 0 else ""
        return cell.value, ("#,##0" if "," in cell.text or cell.role == "money" else "0") + decimals
    if cell.text.endswith("%"):
        shown = cell.text[:-1]
        places = len(shown.partition(".")[2]) if "." in shown else 0
        return cell.value / 100, "0" + ("." + "0" * places if places else "") + "%"
    suffix = re.sub(r"^[-\d.,]+", "", cell.text)
    return cell.value, 'General"' + suffix.replace('"', "") + '"' if suffix else "General"


def _validation(
    sheet: Worksheet,
    values: tuple[str, ...],
    cells: list[str],
    lists: list[tuple[str, ...]],
    open_list: bool = False,
) -> None:
    """One drop-down for every cell offering the same ``values``; an open list warns about another
    value (a unit not listed) but lets it stand."""
    inline = ",".join(v.replace('"', '""') for v in values)
    if len(inline) <= 250 and not any("," in v for v in values):
        formula = f'"{inline}"'
    else:  # too long or with commas: the values are listed on a hidden sheet
        if values not in lists:
            lists.append(values)
        formula = f"选项列表{lists.index(values) + 1}"
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    if open_list:
        validation.error, validation.errorTitle = "该值不在常用列表中，确认使用吗？", "请确认"
        validation.errorStyle = "warning"
    else:
        validation.error, validation.errorTitle = "请从下拉列表中选择", "输入无效"
    validation.showErrorMessage = True
    for coordinate in cells:
        validation.add(coordinate)
    sheet.add_data_validation(validation)


def _write_lists(workbook: Workbook, lists: list[tuple[str, ...]], names: set[str]) -> None:
    """The hidden sheet holding the long drop-down lists, each a named range."""
    sheet = workbook.create_sheet(sheet_name("选项", names))
    sheet.sheet_state = "hidden"
    for col, values in enumerate(lists, start=1):
        for row, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, _clean(value))
            cell.data_type = "s"
        letter = get_column_letter(col)
        reference = f"'{sheet.title}'!${letter}$1:${letter}${len(values)}"
        workbook.defined_names[f"选项列表{col}"] = DefinedName(f"选项列表{col}", attr_text=reference)


def _page_setup(sheet: Worksheet, grid: Grid, top: int) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if grid.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    if grid.header_rows > 0:
        sheet.freeze_panes = sheet.cell(top + grid.header_rows, 1).coordinate
        sheet.print_title_rows = f"{top}:{top + grid.header_rows - 1}"


def _line(sheet: Worksheet, row: int, n_cols: int, text: str, font: Font, alignment: Alignment) -> None:
    """A line of text across the first ``n_cols`` columns (a title, 单位：万元, a note)."""
    cell = sheet.cell(row, 1)
    if text:
        cell.value = _clean(text)
        cell.data_type = "s"
    cell.font, cell.alignment = font, alignment
    if n_cols > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)


@cache
def _font(bold: bool, size: float = 11) -> Font:
    return Font(name=_FONT, size=size, bold=bold)


@cache
def _align(horizontal: str) -> Alignment:
    return Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


def _clean(text: str) -> str:
    """Without the control characters an xlsx cannot hold."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _line_count(text: str, capacity: float) -> int:
    """How many lines ``text`` wraps to in ``capacity`` CJK characters (ASCII counts half)."""
    capacity = max(capacity, 1.0)
    return sum(max(1, math.ceil(_display_width(line) / capacity)) for line in text.split("\n"))


def _display_width(text: str) -> float:
    return sum(0.55 if ord(character) < 0x2E80 else 1.0 for character in text)


def _height(lines: int, size: float = 11) -> float:
    return round(max(20.0, lines * _LINE_HEIGHT * size / 11 + 6), 1)
