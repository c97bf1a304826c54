"""Reader for Excel workbooks (.xlsx, .xlsm).

Enters: the bytes of a workbook. Leaves: a ``SourceDocument`` built by the grid rules of
``jixiao.ingest.readers.grid``: per non-empty sheet, a heading paragraph naming the sheet and then
either one ``Table`` over the sheet's used range (merged cells explicit) or, for single-column
sheets, one paragraph per line. Locations use the sheet's own coordinates (``部门收入总表!E7``).
``doc.sheets`` lists every sheet, empty ones too; hidden sheets are read and noted (``R014``).

Numbers are written as Excel displays them (see ``grid.number_text``): the cell's format decides
the decimals and percents. Serial dates become ISO text (1900 and 1904 systems). Formulas give
their cached values.

Cells and merged ranges are streamed straight from the sheet XML with lxml, entities off (the
package is scanned first: see ``dispatch.scan_xml_parts``): about 0.1 s for the 17-sheet template.
openpyxl's normal mode needs over a second for it (it builds objects for thousands of empty
formatted rows), its read-only mode half a second without merges, and importing it another half.

>>> date_format('yyyy"年"m"月"d"日"')
(True, False)
>>> from_serial(Decimal("45366"), False, False).date().isoformat()
'2024-03-15'
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO

from lxml import etree

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.dispatch import MAX_CELLS, main_part, open_zip, safe_xml_parser, scan_xml_parts
from jixiao.ingest.readers.grid import Merge, SheetData, add_sheet, describe, number_text, value_text
from jixiao.ingest.source import SourceDocument, clean_text
from jixiao.model.loc import Loc

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
