"""Fixture factories: small .xlsx / .docx / .html files built in memory from tables written as text.

A table is written the way it reads: one line per row, cells separated by tabs (leading blank
lines and common indentation are ignored). Merges use spreadsheet ranges ("A1:C1"), the same for
every format. Hostile inputs (encrypted OLE packages, zip bombs) are built here too, so the tests
stay short.

>>> rows("a\\tb\\n1\\t2")
[['a', 'b'], ['1', '2']]
>>> from jixiao.ingest.readers.xlsx import read_xlsx
>>> read_xlsx(xlsx_bytes({"表1": "项目\\t金额\\n合计\\t8562.6"}), "t.xlsx").tables[0].text(2, 2)
'8562.6'
"""

from __future__ import annotations

import io
import re
import struct
import textwrap
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from jixiao.ingest.source import Paragraph, SourceDocument

Value = str | int | float | Decimal | date | datetime | bool | None
Grid = str | Sequence[Sequence[Value]]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def rows(text: str) -> list[list[str]]:
    """Rows of a tab-separated table written inline (``\\t`` between cells, one row per line)."""
    body = textwrap.dedent(text.strip("\n"))
    return [line.split("\t") for line in body.split("\n")]


def parse_range(reference: str) -> tuple[int, int, int, int]:
    """'B2:C4' → (first row, first col, last row, last col), 1-based."""
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(reference)
    return int(min_row), int(min_col), int(max_row), int(max_col)


def _grid(table: Grid) -> list[list[Value]]:
    if isinstance(table, str):
        return [list(row) for row in rows(table)]
    return [list(row) for row in table]


def _typed(value: Value) -> Value:
    """Text that is a plain number becomes a number (as a user would type it into Excel)."""
    if isinstance(value, str) and _NUMBER.fullmatch(value) and not (len(value) > 1 and value.startswith("0")):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return int(number) if number == number.to_integral_value() and "." not in value else float(number)
    return value if value != "" else None


# ---------------------------------------------------------------------------------------------
# xlsx


def xlsx_bytes(
    sheets: dict[str, Grid],
    merges: dict[str, Iterable[str]] | None = None,
    formats: dict[str, dict[str, str]] | None = None,
    hidden: Iterable[str] = (),
    start: str = "A1",
) -> bytes:
    """A workbook with one sheet per entry, text cells typed like Excel would, optional merges.

    ``formats`` maps sheet → cell → number format (``{"表1": {"B2": "0.00"}}``); ``start`` is the
    top-left cell where each table is written.
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    top, left, _, _ = parse_range(start)
    for title, table in sheets.items():
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(_grid(table)):
            for c, value in enumerate(row):
                typed = _typed(value)
                if typed is not None:
                    sheet.cell(row=top + r, column=left + c, value=typed)
        for reference in (merges or {}).get(title, ()):
            sheet.merge_cells(reference)
        for reference, number_format in (formats or {}).get(title, {}).items():
            sheet[reference].number_format = number_format
        if title in set(hidden):
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_member(package: bytes, name: str, content: bytes | None) -> bytes:
    """The zip ``package`` with member ``name`` replaced or added (removed when ``content`` is ``None``)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        if content is not None:
            target.writestr(name, content)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# docx


Block = str | tuple[str, str] | tuple[str, str, Iterable[str]]


def docx_bytes(blocks: Iterable[Block]) -> bytes:
    """A Word document from blocks in order.

    A string without a tab is a paragraph; a string with tabs is a table; ``("h2", text)`` is a
    ``Heading 2`` paragraph; ``("table", text, ["A1:B1"])`` is a table with merged ranges.
    """
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            if "\t" in block:
                _docx_table(document, block, ())
            else:
                document.add_paragraph(block)
        elif block[0] == "table":
            _docx_table(document, block[1], block[2] if len(block) > 2 else ())  # type: ignore[misc]
        else:
            document.add_heading(block[1], level=int(block[0][1:]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: object, text: str, merges: Iterable[str]) -> None:
    grid = rows(text)
    width = max(len(row) for row in grid)
    table = document.add_table(rows=len(grid), cols=width)  # type: ignore[attr-defined]
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for reference in merges:
        first_row, first_col, last_row, last_col = parse_range(reference)
        anchor = table.cell(first_row - 1, first_col - 1)
        kept = anchor.text
        merged = anchor.merge(table.cell(last_row - 1, last_col - 1))
        merged.text = kept  # python-docx joins the texts of merged cells; keep the anchor's


# ---------------------------------------------------------------------------------------------
# html


def html_table(text: str, merges: Iterable[str] = (), header_rows: int = 0) -> str:
    """An HTML ``<table>`` with ``rowspan``/``colspan`` for the merged ranges (covered cells left out)."""
    grid = rows(text)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for reference in merges:
        first_row, first_col, last_row, last_col = parse_range(reference)
        spans[(first_row, first_col)] = (last_row - first_row + 1, last_col - first_col + 1)
        covered |= {(r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
        covered.discard((first_row, first_col))
    lines = ["<table border=1>"]
    for r, row in enumerate(grid, start=1):
        tag = "th" if r <= header_rows else "td"
        cells = []
        for c, value in enumerate(row, start=1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            attributes = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
                f' colspan="{colspan}"' if colspan > 1 else ""
            )
            cells.append(f"<{tag}{attributes}>{value}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def html_bytes(body: str, charset: str = "utf-8", declare: bool = True) -> bytes:
    """A whole page around ``body``, encoded in ``charset`` (declared in a ``<meta>`` if ``declare``)."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if declare else ""
    page = f"<html><head>{meta}<title>t</title></head><body>\n{body}\n</body></html>"
    return page.encode(charset)


# ---------------------------------------------------------------------------------------------
# hostile inputs

_FREE, _END_OF_CHAIN, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole_bytes(streams: Sequence[str]) -> bytes:
    """A minimal, well-formed OLE2 compound file whose directory lists ``streams`` (all empty).

    An encrypted .xlsx/.docx is such a file with ``EncryptionInfo`` and ``EncryptedPackage``.
    """
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x2C, 1, 1, 0, 0x1000, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([_FREE] * 108))
    fat = struct.pack("<128I", _FAT_SECTOR, _END_OF_CHAIN, *([_FREE] * 126))
    entries = [("Root Entry", 5), *((name, 2) for name in streams)]
    if len(entries) > 4:
        raise ValueError("at most 3 streams fit in one directory sector")
    directory = bytearray(sector)
    for i, (name, kind) in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        offset = i * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, offset + 0x40, len(encoded), kind, 1)
        following = i + 1 if i + 1 < len(entries) else _FREE
        # the root's child is the first stream; each stream's right sibling is the next one
        child, right = (following, _FREE) if i == 0 else (_FREE, following)
        struct.pack_into("<III", directory, offset + 0x44, _FREE, right, child)
        struct.pack_into("<II", directory, offset + 0x74, _END_OF_CHAIN, 0)
    return bytes(header) + fat + bytes(directory)


def zip_bomb(member: str = "word/document.xml", megabytes: int = 600) -> bytes:
    """A zip whose ``member`` inflates to ``megabytes`` MB of zeros, built without writing them.

    Deflate output after a full flush does not depend on earlier data, so the compressed form of
    one megabyte of zeros is repeated (about 1 KB per MB). The CRC is real; nothing is inflated.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * megabytes + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    size = megabytes << 20
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'wordprocessingml.document.main+xml"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
    small = buffer.getvalue()
    # append the bomb member by hand: local header, data, then a rebuilt central directory
    end = small.rfind(b"PK\x05\x06")
    central_start = struct.unpack_from("<I", small, end + 16)[0]
    local_part, central_part = small[:central_start], small[central_start:end]
    name = member.encode()
    offset = len(local_part)
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0)
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(data),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    body = local_part + local + name + data
    directory = central_part + central + name
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 2, 2, len(directory), len(body), 0)
    return body + directory + eocd


WORD_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)


def docx_from_body(body: str) -> bytes:
    """A .docx whose ``word/document.xml`` body is ``body`` (WordprocessingML, ``w:``/``mc:`` prefixes).

    For what python-docx cannot write directly: tracked changes, content controls, outline levels.
    """
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {WORD_NAMESPACES}><w:body>{body}</w:body></w:document>'
    return replace_member(docx_bytes([]), "word/document.xml", document.encode())


def xlsx_with_sheet_xml(sheet_data: str, merges: Iterable[str] = ()) -> bytes:
    """A one-sheet workbook whose sheet XML holds ``sheet_data`` (``<row>``/``<c>`` elements) verbatim."""
    merge_xml = ""
    if merges:
        merge_xml = "<mergeCells>" + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet_data}</sheetData>{merge_xml}</worksheet>"
    )
    return replace_member(xlsx_bytes({"表1": "x"}), "xl/worksheets/sheet1.xml", sheet.encode())


# ---------------------------------------------------------------------------------------------
# a whole SourceDocument in another format (cross-format tests: same document, other file type)

_TITLE_LENGTH = 60  # a paragraph at most this long, directly above a table, is one of its title lines
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[:：]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\：]")
_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,14})")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.(\d+)")
_GROUPED = re.compile(r"-?[1-9]\d{0,2}(?:,\d{3})+(?:\.(\d+))?")
_PERCENT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.(\d+))?%")


def source_sheets(doc: SourceDocument) -> list[tuple[str, list[list[str]]]]:
    """The document laid out as a department's workbook: (sheet name, rows of texts) in order.

    One sheet per table: the short paragraphs just above it (form title, 编制单位, 单位：万元) in
    the rows above it, row 1 being the first of them; notes (注：/备注：) just after a table in the
    rows below it. Other text (a report's narrative, a cover page's prose) goes on a sheet of its
    own, one paragraph per row in column A, as the 说明 sheets of the official templates.
    """
    sheets: list[tuple[str, list[list[str]]]] = []
    names: set[str] = set()
    pending: list[Paragraph] = []
    last_table_rows: list[list[str]] | None = None

    def add(name: str, grid: list[list[str]]) -> None:
        unique, number = name, 1
        while unique.lower() in names:
            number += 1
            unique = f"{name[: 31 - len(str(number)) - 2]}({number})"
        names.add(unique.lower())
        sheets.append((unique, grid))

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if last_table_rows is not None and not pending and _NOTE.match(block.text):
                last_table_rows.append([block.text])
                continue
            last_table_rows = None
            pending.append(block)
            continue
        split = len(pending)
        while split > 0 and len(pending[split - 1].text) <= _TITLE_LENGTH:
            split -= 1
        narrative, titles = pending[:split], pending[split:]
        if narrative:
            add("说明", [[p.text] for p in narrative])
        grid = [[p.text] for p in titles] + [[cell.text for cell in row] for row in block.rows]
        add(_sheet_name([p.text for p in titles], block.index), grid)
        last_table_rows = grid
        pending = []
    if pending:
        add("说明", [[p.text] for p in pending])
    return sheets


def _sheet_name(titles: list[str], number: int) -> str:
    """The form's title as a sheet name (31 characters at most, none of []:*?/\\), else 表N."""
    for title in reversed(titles):
        if "表" in title and not title.startswith(("编制单位", "部门名称", "单位")):
            name = _SHEET_FORBIDDEN.sub("", title).strip().strip("'")
            if name:
                return name[:31]
    return f"表{number}"


def spreadsheet_value(text: str) -> tuple[str | int | float | None, str | None]:
    """The value a user would have typed for ``text`` and the number format that shows it as printed.

    >>> spreadsheet_value("8,562.60"), spreadsheet_value("20.30%"), spreadsheet_value("007001")
    ((8562.6, '#,##0.00'), (0.203, '0.00%'), ('007001', None))
    """
    if not text:
        return None, None
    if _INTEGER.fullmatch(text):
        return int(text), None
    decimal = _DECIMAL.fullmatch(text)
    if decimal and len(text.replace("-", "").replace(".", "").lstrip("0")) <= 15:
        return float(text), "0." + "0" * len(decimal.group(1))
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        places = len(grouped.group(1) or "")
        return float(text.replace(",", "")), "#,##0" + ("." + "0" * places if places else "")
    percent = _PERCENT.fullmatch(text)
    if percent:
        places = len(percent.group(1) or "")
        return float(Decimal(text[:-1]) / 100), "0" + ("." + "0" * places if places else "") + "%"
    return text, None


def source_to_xlsx(doc: SourceDocument) -> bytes:
    """``doc`` as a workbook laid out by ``source_sheets``: plain numbers typed as numbers with the
    format that displays them as printed, empty cells left empty, no merges (text exports have none)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, grid in source_sheets(doc):
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(grid, start=1):
            for c, text in enumerate(row, start=1):
                value, number_format = spreadsheet_value(text)
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if number_format:
                    cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def source_to_docx(doc: SourceDocument) -> bytes:
    """``doc`` as a Word document: paragraphs and tables in body order, headings in Heading styles,
    ruled tables (Table Grid) whose multi-line cells keep their line breaks."""
    import docx
    from docx.table import _Cell

    document = docx.Document()
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.heading is not None:
                document.add_heading(block.text, level=min(block.heading, 9))
            else:
                document.add_paragraph(block.text)
            continue
        table = document.add_table(rows=block.n_rows, cols=block.n_cols)
        table.style = "Table Grid"
        for row, element in zip(block.rows, table._tbl.tr_lst, strict=True):
            for cell, cell_element in zip(row, element.tc_lst, strict=False):
                if cell.text:
                    _Cell(cell_element, table).text = cell.text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def source_to_html(doc: SourceDocument) -> bytes:
    """``doc`` as a web page: ``<h1>``… for headings, ``<p>`` for text, ``<table border=1>`` with
    ``<br>`` for line breaks inside cells."""
    from html import escape

    def text(value: str) -> str:
        return "<br>".join(escape(line) for line in value.split("\n"))

    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            tag = f"h{min(block.heading, 6)}" if block.heading is not None else "p"
            parts.append(f"<{tag}>{text(block.text)}</{tag}>")
            continue
        parts.append("<table border=1>")
        for row in block.rows:
            cells = [f"<td>{text(cell.text)}</td>" for cell in row]
            cells += ["<td></td>"] * (block.n_cols - len(row))
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    return html_bytes("\n".join(parts))
