"""Reader for legacy Excel 97-2003 workbooks (.xls, BIFF8), including those WPS writes.

Enters: the bytes of an OLE2 workbook. Leaves: a ``SourceDocument`` built by the same rules as
``.xlsx`` (see ``jixiao.ingest.readers.grid``): one table per non-empty sheet over its used range,
merged cells explicit, single-column sheets as paragraphs, sheet coordinates in every ``Loc``.
Merged ranges need xlrd's ``formatting_info``; when a file's formatting records defeat xlrd, the
sheet is read without them and an ``R013`` warning says merges are unknown (merged cells then
look like blanks). Encrypted workbooks give ``R005``; damaged ones ``R004``.
(``.xls`` files that are really HTML or tab-separated text never reach this reader: the dispatcher
sends them to the HTML and text readers.)

>>> try:
...     read_xls(b"\\xd0\\xcf\\x11\\xe0 cut short", "a.xls")
... except ReadError as error:
...     print(error.code)
R004
"""

from __future__ import annotations

import io
from typing import Any

from jixiao.ingest.errors import ReadError, read_note
from jixiao.ingest.readers.dispatch import MAX_CELLS
from jixiao.ingest.readers.grid import Merge, SheetData, add_sheet, describe, number_text, value_text
from jixiao.ingest.source import SourceDocument, clean_text
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc


def read_xls(data: bytes, file: str) -> SourceDocument:
    import xlrd

    book, merges_known = _open(data, file)
    try:
        doc = SourceDocument(file=file, format="xls", sheets=[str(name) for name in book.sheet_names()])
        if not merges_known:
            doc.findings.append(read_note("R013", file, "xlrd 无法读取格式信息", severity=Severity.WARNING))
        for sheet in book.sheets():
            title = str(sheet.name)
            try:
                values = _sheet_values(book, sheet, merges_known, file, title)
                merges: list[Merge] = [
                    (first_row + 1, first_col + 1, end_row, end_col)
                    for first_row, end_row, first_col, end_col in (sheet.merged_cells if merges_known else [])
                    if end_row > first_row and end_col > first_col
                ]
            except ReadError:
                raise
            except (xlrd.XLRDError, IndexError, KeyError, ValueError, TypeError, AttributeError) as exc:
                raise ReadError(
                    "R004", file, f"工作表“{title}”无法解析：{describe(exc)}", Loc(file=file, sheet=title)
                ) from exc
            add_sheet(doc, SheetData(title=title, values=values, merges=merges, hidden=sheet.visibility != 0))
    finally:
        book.release_resources()
    if not doc.blocks:
        raise ReadError("R011", file, f"{len(doc.sheets)} 个工作表均为空")
    return doc


def _open(data: bytes, file: str) -> tuple[Any, bool]:
    """The xlrd book, and whether formatting (hence merged ranges) could be read."""
    import xlrd

    first_error: Exception | None = None
    for formatting_info in (True, False):
        try:
            book = xlrd.open_workbook(
                file_contents=data, formatting_info=formatting_info, logfile=io.StringIO()
            )
        except xlrd.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise ReadError("R005", file) from exc
            first_error = first_error or exc
        except Exception as exc:  # xlrd raises struct.error, IndexError, AssertionError… on damaged files
            first_error = first_error or exc
        else:
            return book, formatting_info
    detail = describe(first_error) if first_error else "未知错误"
    raise ReadError("R004", file, f"无法解析 Excel 97-2003 工作簿：{detail}") from first_error


def _sheet_values(
    book: Any, sheet: Any, formatting: bool, file: str, title: str
) -> dict[tuple[int, int], str]:
    import xlrd

    values: dict[tuple[int, int], str] = {}
    for row in range(sheet.nrows):
        types = sheet.row_types(row)
        cells = sheet.row_values(row)
        for col, (kind, value) in enumerate(zip(types, cells, strict=False)):
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            number_format = _number_format(book, sheet, row, col) if formatting else None
            text = _cell_text(book, kind, value, number_format)
            if text:
                values[(row + 1, col + 1)] = text
        if len(values) > MAX_CELLS:
            raise ReadError(
                "R007", file, f"工作表“{title}”超过 {MAX_CELLS} 个非空单元格", Loc(file=file, sheet=title)
            )
    return values


def _number_format(book: Any, sheet: Any, row: int, col: int) -> str | None:
    xf_index = sheet.cell_xf_index(row, col)
    if not 0 <= xf_index < len(book.xf_list):
        return None
    found = book.format_map.get(book.xf_list[xf_index].format_key)
    return str(found.format_str) if found is not None else None


def _cell_text(book: Any, kind: int, value: Any, number_format: str | None) -> str:
    import xlrd

    if kind == xlrd.XL_CELL_TEXT:
        return clean_text(str(value))
    if kind == xlrd.XL_CELL_NUMBER:
        return number_text(float(value), number_format)
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(float(value), book.datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return number_text(float(value), number_format)
        return value_text(moment.time() if float(value) < 1 else moment)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(value, "#ERR"))
    return clean_text(str(value))
