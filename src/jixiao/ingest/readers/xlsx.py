"""Reader for Excel workbooks (.xlsx, .xlsm), and the sheet-to-blocks rules every grid reader shares.

Enters: the bytes of a workbook. Leaves: a ``SourceDocument`` with, per non-empty sheet, a heading
paragraph naming the sheet and then either one ``Table`` over the sheet's used range (merged cells
explicit: the anchor carries ``rowspan``/``colspan``, covered cells are present, empty, with
``covered_by``) or, when all the sheet's text sits in one column (cover pages, 说明 sheets),
one paragraph per line. A table's leading title rows (one non-empty cell, e.g.
"2026年部门收入预算总表") are also given as paragraphs, and the first is the table's caption.
Locations use the sheet's own coordinates (``部门收入总表!E7``). ``doc.sheets`` lists every sheet,
empty ones too; hidden sheets are read and noted (``R014``).

Numbers are written as Excel displays them without float artifacts: ``8562.6`` stays ``8562.6``,
the cell's format decides the decimals (``0.00`` → ``8562.60``) and percents (``0.0%`` → ``12.5%``);
thousands separators and literal text in formats are left out. Dates become ISO text. Formulas
give their cached values.

Cells and merged ranges are streamed straight from the sheet XML with lxml, entities off (the
package is scanned first: see ``dispatch.scan_xml_parts``): about 0.1 s for the 17-sheet template.
openpyxl's normal mode needs over a second for it (it builds objects for thousands of empty
formatted rows), its read-only mode half a second without merges, and importing it another half.

>>> number_text(8562.599999999999, "0.00")
'8562.60'
>>> number_text(0.125, "0.0%")
'12.5%'
"""

from __future__ import annotations

import functools
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import IO

from lxml import etree

from jixiao.ingest.errors import ReadError, read_note
from jixiao.ingest.readers.dispatch import MAX_CELLS, main_part, open_zip, safe_xml_parser, scan_xml_parts
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
# grids shared by the readers


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
# the .xlsx reader

#: Built-in number formats (ECMA-376 18.8.30) by id; currency and accounting ones by their decimals,
#: the East Asian date ids (27–36, 50–58: 年/月/日 in a Chinese Excel) as one date format.
_BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: "#,##0", 6: "#,##0", 7: "#,##0.00",
    8: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy-mm-dd",
    15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm",
    21: "h:mm:ss", 22: "yyyy-mm-dd h:mm", 37: "#,##0", 38: "#,##0", 39: "#,##0.00", 40: "#,##0.00",
    41: "#,##0", 42: "#,##0", 43: "#,##0.00", 44: "#,##0.00", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0",
    48: "##0.0E+0", 49: "@",
    **{number: "yyyy-mm-dd" for number in (*range(27, 37), *range(50, 59))},
}  # fmt: skip


@dataclass(slots=True)
class _Workbook:
    """What the sheets need from the workbook-level parts."""

    sheets: list[tuple[str, str, str | None]]  # (title, state, path of its XML part)
    shared_strings: list[str]
    formats: list[str]  # number format code per cell style index
    date1904: bool  # serial dates count from 1904-01-01 (old Mac workbooks)


def read_xlsx(data: bytes, file: str) -> SourceDocument:
    archive = open_zip(data, file)
    scan_xml_parts(archive, file)
    workbook = _read_workbook(archive, file)
    doc = SourceDocument(file=file, format="xlsx", sheets=[title for title, _, _ in workbook.sheets])
    for title, state, path in workbook.sheets:
        if path is None:
            continue  # a chart sheet or a sheet whose part is missing: nothing to read
        values, merges = _read_sheet(archive, path, workbook, file, title)
        add_sheet(doc, SheetData(title=title, values=values, merges=merges, hidden=state != "visible"))
    if not doc.blocks:
        raise ReadError("R011", file, f"{len(doc.sheets)} 个工作表均为空")
    return doc


def describe(exc: BaseException) -> str:
    """A short ``Type: message`` for the detail of an ``R004`` error."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


_PART_ERRORS = (
    etree.XMLSyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


def _read_part(archive: zipfile.ZipFile, path: str, file: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(path), parser=safe_xml_parser())
    except KeyError as exc:
        raise ReadError("R004", file, f"缺少部件 {path}") from exc
    except _PART_ERRORS as exc:
        raise ReadError("R004", file, f"部件 {path} 无法解析：{describe(exc)}") from exc


def _attribute(element: etree._Element, local_name: str) -> str | None:
    """An attribute by local name, whatever its namespace (transitional or strict OOXML)."""
    for key, value in element.attrib.items():
        if key == local_name or str(key).endswith("}" + local_name):
            return str(value)
    return None


def _relationships(archive: zipfile.ZipFile, part: str, file: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, resolved path) for ``part``."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    if rels_path not in archive.namelist():
        return {}
    relations: dict[str, tuple[str, str]] = {}
    for relation in _read_part(archive, rels_path, file).iter("{*}Relationship"):
        target, identifier = relation.get("Target"), relation.get("Id")
        if target and identifier and relation.get("TargetMode") != "External":
            base = "" if target.startswith("/") else folder
            path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
            relations[identifier] = (relation.get("Type") or "", path)
    return relations


def _read_workbook(archive: zipfile.ZipFile, file: str) -> _Workbook:
    workbook_path = main_part(archive) or "xl/workbook.xml"
    root = _read_part(archive, workbook_path, file)
    relations = _relationships(archive, workbook_path, file)
    names = set(archive.namelist())
    sheets: list[tuple[str, str, str | None]] = []
    for sheet in root.iter("{*}sheet"):
        title = sheet.get("name")
        if title is None:
            continue
        identifier = _attribute(sheet, "id") or ""
        kind, path = relations.get(identifier, ("", ""))
        usable = path in names and not kind.endswith("/chartsheet")
        sheets.append((title, sheet.get("state") or "visible", path if usable else None))
    properties = next(root.iter("{*}workbookPr"), None)
    date1904 = properties is not None and (properties.get("date1904") or "").lower() in ("1", "true")

    def related(kind: str, default: str) -> str:
        for relation_type, path in relations.values():
            if relation_type.endswith("/" + kind):
                return path
        return default

    strings_path = related("sharedStrings", "xl/sharedStrings.xml")
    shared_strings = _shared_strings(archive, strings_path, file) if strings_path in names else []
    styles_path = related("styles", "xl/styles.xml")
    formats: list[str] = []
    if styles_path in names:
        styles = _read_part(archive, styles_path, file)
        custom = {fmt.get("numFmtId"): fmt.get("formatCode") or "" for fmt in styles.iter("{*}numFmt")}
        cell_formats = next(styles.iter("{*}cellXfs"), None)
        for xf in cell_formats.iter("{*}xf") if cell_formats is not None else ():
            identifier = xf.get("numFmtId") or "0"
            code = custom.get(identifier)
            if code is None:
                number = int(identifier) if identifier.isdigit() else 0
                code = _BUILTIN_FORMATS.get(number, "General")
            formats.append(code)
    return _Workbook(sheets=sheets, shared_strings=shared_strings, formats=formats, date1904=date1904)


def _rich_text(element: etree._Element) -> str:
    """The text of a string item (``si`` or ``is``): its runs, without phonetic guides (``rPh``)."""
    return "".join(t.text or "" for t in element.iter("{*}t") if _local(t.getparent()) != "rPh")


def _local(element: etree._Element | None) -> str:
    """The tag without its namespace (``{…}row`` → ``row``)."""
    if element is None or not isinstance(element.tag, str):
        return ""
    return element.tag.rpartition("}")[2]


def _iterparse(
    stream: IO[bytes], events: tuple[str, ...], tags: tuple[str, ...]
) -> Iterator[tuple[str, etree._Element]]:
    parser: Iterator[tuple[str, etree._Element]] = etree.iterparse(
        stream,
        events=events,
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    return parser


def _shared_strings(archive: zipfile.ZipFile, path: str, file: str) -> list[str]:
    strings: list[str] = []
    try:
        with archive.open(path) as stream:
            for _, item in _iterparse(stream, ("end",), ("{*}si",)):
                strings.append(_rich_text(item))
                item.clear()
    except _PART_ERRORS as exc:
        raise ReadError("R004", file, f"共享字符串 {path} 无法解析：{describe(exc)}") from exc
    return strings


def _read_sheet(
    archive: zipfile.ZipFile, path: str, workbook: _Workbook, file: str, title: str
) -> tuple[dict[tuple[int, int], str], list[Merge]]:
    """The non-empty texts and the merged ranges of one worksheet part."""
    values: dict[tuple[int, int], str] = {}
    merges: list[Merge] = []
    row_number, col_number = 0, 0  # the last cell seen, for cells without an ``r`` attribute
    try:
        with archive.open(path) as stream:
            for _, element in _iterparse(stream, ("end",), ("{*}row", "{*}c", "{*}mergeCell")):
                tag = element.tag
                if tag.endswith("}c") or tag == "c":
                    row_number, col_number = _position(element, row_number, col_number)
                    text = _cell_text(element, workbook)
                    if text:
                        values[(row_number, col_number)] = text
                        if len(values) > MAX_CELLS:
                            raise ReadError(
                                "R007",
                                file,
                                f"工作表“{title}”超过 {MAX_CELLS} 个非空单元格",
                                Loc(file=file, sheet=title),
                            )
                elif tag.endswith("}row") or tag == "row":
                    element.clear()  # rows are done with: keep memory flat on long sheets
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
                else:
                    merge = _merge_range(element.get("ref") or "")
                    if merge is not None:
                        merges.append(merge)
    except ReadError:
        raise
    except (*_PART_ERRORS, IndexError, KeyError) as exc:
        raise ReadError(
            "R004", file, f"工作表“{title}”（{path}）无法解析：{describe(exc)}", Loc(file=file, sheet=title)
        ) from exc
    return values, merges


_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def _reference(text: str) -> tuple[int, int] | None:
    """'C12' → (12, 3); ``None`` for anything else."""
    match = _REFERENCE.fullmatch(text.strip())
    if not match:
        return None
    col = 0
    for letter in match.group(1).upper():
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)), col


def _position(element: etree._Element, row_number: int, col_number: int) -> tuple[int, int]:
    """A cell's (row, column): from its ``r`` attribute, else after the previous cell of its row."""
    reference = element.get("r")
    if reference:
        found = _reference(reference)
        if found is not None:
            return found
    parent = element.getparent()
    given = parent.get("r") if parent is not None else None
    row = int(given) if given and given.isdigit() else max(row_number, 1)
    return row, (col_number + 1 if row == row_number else 1)


def _merge_range(reference: str) -> Merge | None:
    first, _, last = reference.partition(":")
    start = _reference(first)
    end = _reference(last) if last else start
    if start is None or end is None:
        return None
    return (min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1]))


_NOT_DATE_PARTS = re.compile(r'"[^"]*"|\\.|[_*].|\[(?![hms]+\])[^\]]*\]', re.I)
_DURATION = re.compile(r"\[[hms]+\]", re.I)


@functools.lru_cache(maxsize=1024)
def date_format(number_format: str) -> tuple[bool, bool]:
    """Does the format show a date or time, and is it a duration (``[h]:mm``)?

    >>> date_format('yyyy"年"m"月"d"日"'), date_format('#,##0.00"万元"'), date_format("[h]:mm")
    ((True, False), (False, False), (True, True))
    """
    section = _NOT_DATE_PARTS.sub("", number_format).split(";")[0]
    if section.strip().lower() == "general":
        return False, False
    duration = bool(_DURATION.search(section))
    return duration or bool(re.search(r"[dmyhs]", section, re.I)), duration


def from_serial(serial: Decimal, date1904: bool, duration: bool) -> datetime | time | timedelta:
    """An Excel serial day number as a date-time (a time when under one day, a span for ``[h]``).

    The 1900 system counts 1900-02-29, which never was (Lotus's bug): serials from 61 on start
    one day earlier.

    >>> from_serial(Decimal("45366.5"), False, False)
    datetime.datetime(2024, 3, 15, 12, 0)
    """
    seconds = int((serial * 86400).to_integral_value(rounding=ROUND_HALF_UP))
    if duration:
        return timedelta(seconds=seconds)
    if 0 <= serial < 1 and not date1904:
        return (datetime(2000, 1, 1) + timedelta(seconds=seconds)).time()
    if date1904:
        base = datetime(1904, 1, 1)
    else:
        base = datetime(1899, 12, 31) if serial < 61 else datetime(1899, 12, 30)
    return base + timedelta(seconds=seconds)


def _cell_text(element: etree._Element, workbook: _Workbook) -> str:
    kind = element.get("t") or "n"
    value_element = next((child for child in element if _local(child) == "v"), None)
    raw = value_element.text if value_element is not None else None
    if kind == "inlineStr":
        inline = next((child for child in element if _local(child) == "is"), None)
        return clean_text(_rich_text(inline)) if inline is not None else ""
    if raw is None:
        return ""
    if kind == "s":
        index = int(raw.strip())
        return clean_text(workbook.shared_strings[index]) if 0 <= index < len(workbook.shared_strings) else ""
    if kind in ("str", "e"):
        return clean_text(raw)
    if kind == "b":
        return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
    if kind == "d":
        return clean_text(raw.replace("T", " ").removesuffix(" 00:00:00"))
    style = element.get("s")
    number_format = (
        workbook.formats[int(style)]
        if style and style.isdigit() and int(style) < len(workbook.formats)
        else None
    )
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        return clean_text(raw)
    if not number.is_finite() or abs(number.adjusted()) > 308:  # beyond what Excel can hold
        return clean_text(raw)
    is_date, is_duration = date_format(number_format) if number_format else (False, False)
    if is_date and number_format:
        try:
            moment = from_serial(number, workbook.date1904, is_duration)
        except (ValueError, OverflowError, TypeError):
            return number_text(number, number_format)
        return value_text(moment)
    return number_text(number, number_format)
