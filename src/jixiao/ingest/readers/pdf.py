"""Reader for PDFs with a text layer: prose as paragraphs, ruled tables as grids of cells.

Enters: the bytes of one PDF and its display name. Leaves: ``SourceDocument`` with, page by page in
reading order:

- ``Table`` blocks for ruled tables: pdfplumber finds the cells from the visible ruling lines
  (white cell backgrounds are not rules); row and column spans come from the cell boxes, and the
  cells a merge covers are kept, empty, with ``covered_by``. A table that goes on at the top of the
  next page with the same columns is joined (``continued`` holds the row numbers where pages
  meet; a header row repeated exactly is dropped); every cell keeps its own page in its ``Loc``
  and its box on that page in ``bbox`` (from the grid's rules, spanning its merge).
  Text wrapped inside a cell is joined without a space ("财政对城乡居民基本养老保\n险基金的补助"
  is one word). Tabular text without rules stays prose: guessing columns from gaps splits
  sentences more often than it finds tables.
- ``Paragraph`` blocks for the text outside tables: wrapped lines joined (see ``_same_paragraph``),
  titles in a larger type marked ``heading=1``, running headers/footers and bare page numbers
  ("- 3 -", "第 3 页") dropped, text placed outside the page ignored; ``bbox`` surrounds the
  paragraph's lines on its first page.

Text is kept exactly as printed: amounts stay strings ("24,169.74"). Unreadable input raises
``ReadError``: R004 damaged or truncated, R005 encrypted with a password, R006 no text layer
(scanned); a page that cannot be read becomes an R015 warning and the other pages are read; glyphs
of fonts without a Unicode map are left out with an R016 warning.

>>> import io
>>> from reportlab.pdfgen.canvas import Canvas
>>> buffer = io.BytesIO()
>>> canvas = Canvas(buffer)
>>> canvas.drawString(72, 720, "Budget 2024: total 1,234.50")
>>> canvas.save()
>>> read_pdf(buffer.getvalue(), "a.pdf").paragraphs[0].text
'Budget 2024: total 1,234.50'
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from jixiao.ingest.errors import ReadError, read_note
from jixiao.ingest.source import Block, Cell, Paragraph, SourceDocument, Table
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc, cell_name

PdfObject = dict[str, Any]

#: The note attached for a page that could not be read (the other pages are).
PAGE_UNREADABLE = "R015"
#: The note for glyphs whose font has no map to Unicode (they are left out of the text).
UNMAPPED_GLYPHS = "R016"
#: A line ending with one of these ends its paragraph even when it reaches the right margin.
SENTENCE_ENDS = "。！？!?"
#: After one of these a paragraph may go on (lists of clauses), but only on an unindented line.
CLAUSE_ENDS = "；;：:"
#: Share of the page height, at the top and at the bottom, where running headers and footers live.
MARGIN_SHARE = 0.1
#: A page counts as text-bearing with at least this many printed characters.
MIN_PAGE_CHARACTERS = 10
#: Positions closer than this (points) are the same table rule.
RULE_TOLERANCE = 2.0
#: Rules closer than this (points) with no cell between them are one rule drawn twice.
SLIVER = 6.0

_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–\s]*\d{1,4}[-－—–\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十\d]{1,3}[条章节部分])"
)
_UNBREAKABLE = re.compile(
    r"[（(“‘《\[]*(?:[0-9A-Za-z.,%‰+\-/]+|[^（(“‘《\[\s])[）)”’》\]、，。；：！？,.;:%]*"
)
_DIGITS = re.compile(r"\d+")
_CAPTION_NOISE = re.compile(
    r"^(?:金额)?单位[:：]|^(?:编制|填报|预算)?(?:部门|单位)(?:名称)?[:：]|^公开\d+表$|^表\d+$"
)

_log = logging.getLogger(__name__)


def read_pdf(data: bytes, file: str) -> SourceDocument:
    """Read a PDF's text layer. Raises ``ReadError`` (never anything else) for unreadable input."""
    pdf = _open(data, file)
    try:
        pages, findings = _read_pages(pdf, file)
    finally:
        try:
            pdf.close()
        except Exception as exc:  # closing a damaged file must not hide the real result
            _log.debug("closing %s failed: %s", file, exc)
    if not pages:
        raise ReadError("R011", file, "PDF 中没有页面")
    readable = [page for page in pages if page is not None]
    if not readable:
        raise ReadError("R004", file, f"共 {len(pages)} 页，没有一页能读取")
    readable_characters = sum(page.characters for page in readable)
    if sum(page.unmapped for page in readable) > readable_characters:
        raise ReadError("R006", file, f"共 {len(pages)} 页，文字的字体缺少编码映射，无法识别")
    pictured = any(page.images or page.drawings for page in readable)  # scans, or text drawn as outlines
    if pictured and all(page.characters < MIN_PAGE_CHARACTERS for page in readable):
        raise ReadError("R006", file, f"共 {len(pages)} 页，均无文字")
    if readable_characters == 0:
        raise ReadError("R011", file, f"共 {len(pages)} 页，均为空白")
    garbled = [page for page in readable if page.unmapped]
    if garbled:
        numbers = "、".join(str(page.number) for page in garbled)
        count = sum(page.unmapped for page in garbled)
        findings.append(
            read_note(
                UNMAPPED_GLYPHS,
                file,
                f"第 {numbers} 页，共 {count} 个字符",
                Loc(file=file, page=garbled[0].number),
                Severity.WARNING,
            )
        )
    document = SourceDocument(file=file, format="pdf", pages=len(pages), findings=findings)
    _assemble(document, readable)
    if not document.blocks:
        raise ReadError("R011", file)
    return document


# ---------------------------------------------------------------------------------------------- open


def _open(data: bytes, file: str) -> PDF:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        raise _open_error(cause, file) from exc
    except Exception as exc:
        raise _open_error(exc, file) from exc
    return pdf


def _open_error(cause: object, file: str) -> ReadError:
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return ReadError("R005", file)
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return ReadError("R005", file)
    return ReadError("R004", file, f"PDF 结构无法解析（{name}）")


# --------------------------------------------------------------------------------------------- pages


@dataclass(slots=True)
class _Line:
    """One printed line (or one far-apart segment of it) outside the tables."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class _GridCell:
    text: str
    row: int
    col: int
    page: int
    rowspan: int = 1
    colspan: int = 1
    covered_by: tuple[int, int] | None = None
    bbox: tuple[float, float, float, float] | None = None  # on its page, spanning its merge


@dataclass(slots=True)
class _PageTable:
    page: int
    top: float
    bottom: float
    columns: list[float]  # x positions of the vertical rules, left to right
    row_edges: list[float]  # y positions of the horizontal rules, top to bottom
    rows: list[list[_GridCell]]
    continued: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _PageContent:
    number: int
    width: float
    height: float
    lines: list[_Line]
    tables: list[_PageTable]
    characters: int
    images: int
    drawings: int  # curves: many of them and no text is text printed as outlines
    unmapped: int = 0  # glyphs that could not be turned into text


def _read_pages(pdf: PDF, file: str) -> tuple[list[_PageContent | None], list[Finding]]:
    """Every page that can be read; a page that cannot becomes an R015 note, the rest go on."""
    pages: list[_PageContent | None] = []
    findings: list[Finding] = []
    page_objects = PDFPage.create_pages(pdf.doc)
    while True:
        number = len(pages) + 1
        try:
            page_object = next(page_objects)
        except StopIteration:
            break
        except Exception as exc:  # a broken page tree: nothing after this point can be found
            if not pages:
                raise ReadError("R004", file, f"页面目录无法解析（{type(exc).__name__}）") from exc
            findings.append(_page_note(file, number, f"第 {number} 页起的页面目录损坏，{type(exc).__name__}"))
            break
        try:
            page = Page(pdf, page_object, page_number=number)
        except Exception as exc:
            pages.append(None)
            findings.append(_page_note(file, number, f"第 {number} 页，{type(exc).__name__}"))
            continue
        try:
            pages.append(_read_page(page, number))
        except Exception as exc:  # one damaged page must not lose the others
            pages.append(None)
            findings.append(_page_note(file, number, f"第 {number} 页，{type(exc).__name__}"))
        finally:
            page.close()
    return pages, findings


def _page_note(file: str, number: int, detail: str) -> Finding:
    return read_note(PAGE_UNREADABLE, file, detail, Loc(file=file, page=number), Severity.WARNING)


def _read_page(page: Page, number: int) -> _PageContent:
    left, top, right, bottom = page.bbox
    glyphs = [
        char
        for char in page.chars
        if char.get("text")
        and left <= (char["x0"] + char["x1"]) / 2 <= right
        and top <= (char["top"] + char["bottom"]) / 2 <= bottom
    ]  # text outside the page (overflowing text boxes) is not printed
    unmapped = sum(1 for char in glyphs if char["text"].startswith("(cid:"))
    if unmapped:  # glyphs of a font without a Unicode map: pdfminer names them "(cid:123)"
        glyphs = [char for char in glyphs if not char["text"].startswith("(cid:")]
    characters = sum(1 for char in glyphs if not char["text"].isspace())
    tables = _find_tables(page, number) if characters else []
    loose: list[PdfObject] = []
    assigned: dict[int, list[tuple[int, int, PdfObject]]] = {id(table): [] for table in tables}
    for char in glyphs:
        middle_x = (char["x0"] + char["x1"]) / 2
        middle_y = (char["top"] + char["bottom"]) / 2
        for table in tables:
            columns, row_edges = table.columns, table.row_edges
            if columns[0] <= middle_x <= columns[-1] and row_edges[0] <= middle_y <= row_edges[-1]:
                col = min(max(bisect_right(columns, middle_x), 1), len(columns) - 1)
                row = min(max(bisect_right(row_edges, middle_y), 1), len(row_edges) - 1)
                assigned[id(table)].append((row, col, char))
                break
        else:
            loose.append(char)
    for table in tables:
        _fill_cells(table, assigned[id(table)])
    kept = [table for table in tables if any(cell.text for row in table.rows for cell in row)]
    return _PageContent(
        number=number,
        width=float(page.width),
        height=float(page.height),
        lines=_prose_lines(loose),
        tables=kept,
        characters=characters,
        images=len(page.images),
        drawings=len(page.curves),
        unmapped=unmapped,
    )


# -------------------------------------------------------------------------------------------- tables


def _is_white(color: object) -> bool:
    """Is this fill/stroke colour (gray, RGB or CMYK tuple) white, i.e. invisible on paper?"""
    if isinstance(color, int | float):
        color = (color,)
    if not isinstance(color, tuple | list) or not color:
        return False
    if not all(isinstance(value, int | float) for value in color):
        return False
    if len(color) == 4:
        return all(value <= 0.05 for value in color)
    return all(value >= 0.95 for value in color)


def _visible_rules(page: Page) -> tuple[list[PdfObject], list[PdfObject]]:
    """Horizontal and vertical ruling objects a reader can see (white cell backgrounds are not rules)."""
    horizontal: list[PdfObject] = []
    vertical: list[PdfObject] = []
    for line in page.lines:
        if line.get("stroke", True) is False or _is_white(line.get("stroking_color")):
            continue
        if abs(line["top"] - line["bottom"]) < 1:
            horizontal.append(line)
        elif abs(line["x0"] - line["x1"]) < 1:
            vertical.append(line)
    for shape in (*page.rects, *page.curves):
        stroked = shape.get("stroke") and not _is_white(shape.get("stroking_color"))
        filled = shape.get("fill") and not _is_white(shape.get("non_stroking_color"))
        if not (stroked or filled):
            continue
        if shape["object_type"] == "curve" and not stroked:
            continue
        horizontal.append(shape)
        vertical.append(shape)
    return horizontal, vertical


def _find_tables(page: Page, number: int) -> list[_PageTable]:
    horizontal, vertical = _visible_rules(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    found: list[_PageTable] = []
    for table in page.find_tables(settings):
        grid = _grid(table.cells, number)
        if grid is not None:
            found.append(grid)
    return found


def _cluster(values: Iterable[float]) -> list[float]:
    """Sorted positions with near-duplicates (within ``RULE_TOLERANCE``) merged."""
    merged: list[float] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= RULE_TOLERANCE:
            continue
        merged.append(value)
    return merged


def _nearest(positions: Sequence[float], value: float) -> int:
    index = bisect_right(positions, value)
    if index > 0 and (index == len(positions) or value - positions[index - 1] <= positions[index] - value):
        return index - 1
    return index


def _drop_slivers(
    positions: list[float], boxes: Sequence[tuple[float, float, float, float]], axis: int
) -> list[float]:
    """Merge two rules a few points apart when no cell lives between them.

    Word and Excel exports often draw a header rule slightly off the rule of the data rows
    below it; taken literally that makes a sliver column that holds nothing.
    """
    uses = Counter(_nearest(positions, box[axis + side]) for box in boxes for side in (0, 2))
    kept = list(positions)
    index = 0
    while index < len(kept) - 1:
        low, high = kept[index], kept[index + 1]
        holds_cell = any(
            abs(box[axis] - low) <= RULE_TOLERANCE and abs(box[axis + 2] - high) <= RULE_TOLERANCE
            for box in boxes
        )
        if high - low >= SLIVER or holds_cell:
            index += 1
            continue
        low_uses = uses[positions.index(low)]
        high_uses = uses[positions.index(high)]
        del kept[index + 1 if high_uses <= low_uses else index]
    return kept


def _grid(boxes: Sequence[tuple[float, float, float, float]], page: int) -> _PageTable | None:
    """A table grid from pdfplumber's cell boxes: spans from how many rules each box crosses."""
    columns = _drop_slivers(_cluster(value for box in boxes for value in (box[0], box[2])), boxes, 0)
    row_edges = _drop_slivers(_cluster(value for box in boxes for value in (box[1], box[3])), boxes, 1)
    if len(columns) < 3 or len(row_edges) < 2:
        return None  # a single framed column is a box around text, not a table
    n_rows, n_cols = len(row_edges) - 1, len(columns) - 1
    slots: list[list[_GridCell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for x0, top, x1, bottom in sorted(boxes, key=lambda box: (box[1], box[0])):
        first_col, last_col = _nearest(columns, x0), _nearest(columns, x1)
        first_row, last_row = _nearest(row_edges, top), _nearest(row_edges, bottom)
        if last_col <= first_col or last_row <= first_row or slots[first_row][first_col] is not None:
            continue
        anchor = _GridCell(
            "",
            first_row + 1,
            first_col + 1,
            page,
            last_row - first_row,
            last_col - first_col,
            bbox=(columns[first_col], row_edges[first_row], columns[last_col], row_edges[last_row]),
        )
        for r in range(first_row, last_row):
            for c in range(first_col, last_col):
                if slots[r][c] is None:
                    slots[r][c] = (
                        anchor
                        if (r, c) == (first_row, first_col)
                        else _GridCell(
                            "",
                            r + 1,
                            c + 1,
                            page,
                            covered_by=(first_row + 1, first_col + 1),
                            bbox=(columns[c], row_edges[r], columns[c + 1], row_edges[r + 1]),
                        )
                    )
    rows = [
        [
            slot
            if slot is not None
            else _GridCell(
                "", r + 1, c + 1, page, bbox=(columns[c], row_edges[r], columns[c + 1], row_edges[r + 1])
            )
            for c, slot in enumerate(row)
        ]
        for r, row in enumerate(slots)
    ]
    return _PageTable(
        page=page, top=row_edges[0], bottom=row_edges[-1], columns=columns, row_edges=row_edges, rows=rows
    )


def _fill_cells(table: _PageTable, placed: list[tuple[int, int, PdfObject]]) -> None:
    by_anchor: dict[tuple[int, int], list[PdfObject]] = {}
    for row, col, char in placed:
        cell = table.rows[row - 1][col - 1]
        key = cell.covered_by or (cell.row, cell.col)
        by_anchor.setdefault(key, []).append(char)
    for (row, col), chars in by_anchor.items():
        lines = _group_lines(chars)
        table.rows[row - 1][col - 1].text = _join_wrapped([_line_text(line, in_cell=True) for line in lines])


# ---------------------------------------------------------------------------------------------- text


def _is_cjk(character: str) -> bool:
    """Han characters and the full-width punctuation set among them."""
    code = ord(character)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF60
    )


def _group_lines(chars: list[PdfObject]) -> list[list[PdfObject]]:
    """Chars grouped into printed lines: a char joins a line when it overlaps it vertically by half."""
    lines: list[list[PdfObject]] = []
    anchors: list[tuple[float, float]] = []
    for char in sorted(chars, key=lambda item: (item["top"], item["x0"])):
        top, bottom = char["top"], char["bottom"]
        height = max(bottom - top, 0.1)
        for index in range(len(lines) - 1, max(len(lines) - 3, -1), -1):
            line_top, line_bottom = anchors[index]
            overlap = min(bottom, line_bottom) - max(top, line_top)
            if overlap >= 0.5 * min(height, line_bottom - line_top):
                lines[index].append(char)
                break
        else:
            lines.append([char])
            anchors.append((top, bottom))
    for line in lines:
        line.sort(key=lambda item: item["x0"])
    lines.sort(key=lambda line: min(item["top"] for item in line))
    return lines


def _line_text(chars: list[PdfObject], in_cell: bool = False) -> str:
    """The text of one line: explicit spaces kept, wide gaps become a space, fake-bold doubles dropped."""
    parts: list[str] = []
    previous: PdfObject | None = None
    pending_space = False
    for char in chars:
        text = char["text"]
        if text.isspace():
            pending_space = bool(parts)
            continue
        if previous is not None:
            width = max(previous["x1"] - previous["x0"], 0.1)
            if text == previous["text"] and abs(char["x0"] - previous["x0"]) < 0.3 * width:
                continue  # the same glyph printed twice, slightly offset, to look bold
            gap = char["x0"] - previous["x1"]
            if gap > 0.3 * max(char["size"], previous["size"]):
                pending_space = True
            if pending_space and in_cell and _is_cjk(parts[-1][-1]) and _is_cjk(text[0]):
                pending_space = False  # letter-spaced headers: "合  计" is 合计
        if pending_space:
            parts.append(" ")
        parts.append(text)
        pending_space = False
        previous = char
    return "".join(parts).strip()


def _join_wrapped(lines: list[str]) -> str:
    """Lines of one wrapped cell as one text: no space unless two Latin words meet."""
    text = ""
    for line in lines:
        if not line:
            continue
        if text and text[-1].isascii() and text[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            text += " "
        text += line
    return text


def _prose_lines(chars: list[PdfObject]) -> list[_Line]:
    lines: list[_Line] = []
    for group in _group_lines(chars):
        segment: list[PdfObject] = []
        for char in group:
            if segment and not char["text"].isspace():
                last = next((item for item in reversed(segment) if not item["text"].isspace()), None)
                if last is not None and char["x0"] - last["x1"] > 4 * max(char["size"], 1.0):
                    _add_line(lines, segment)
                    segment = []
            segment.append(char)
        _add_line(lines, segment)
    return lines


def _add_line(lines: list[_Line], chars: list[PdfObject]) -> None:
    printed = [char for char in chars if not char["text"].isspace()]
    if not printed:
        return
    text = _line_text(chars)
    sizes = Counter(round(char["size"], 1) for char in printed)
    lines.append(
        _Line(
            text=text,
            x0=min(char["x0"] for char in printed),
            x1=max(char["x1"] for char in printed),
            top=min(char["top"] for char in printed),
            bottom=max(char["bottom"] for char in printed),
            size=sizes.most_common(1)[0][0],
        )
    )


# ------------------------------------------------------------------------------------------ document


class _Assembler:
    """Pages to blocks: lines grouped into paragraphs, tables joined over page breaks."""

    def __init__(self, file: str, pages: list[_PageContent]) -> None:
        self.file = file
        self.margins = _margins(pages)
        self.pieces: list[Paragraph | _PageTable] = []
        self.last_line: _Line | None = None  # last line of the paragraph that ends ``pieces``
        self.open_table: _PageTable | None = None  # the table that ended the previous page

    def add_page(self, page: _PageContent) -> None:
        margins = self.margins[round(page.width)]
        items: list[_Line | _PageTable] = list(page.lines)  # already in reading order
        for table in sorted(page.tables, key=lambda table: table.top, reverse=True):
            position = next((i for i, item in enumerate(items) if item.top > table.top), len(items))
            items.insert(position, table)
        group: list[_Line] = []
        first = True  # nothing emitted yet on this page
        for item in items:
            if isinstance(item, _PageTable):
                if group:
                    self._paragraph(group, page.number, margins, first)
                    group, first = [], False
                if first and self.open_table is not None and _continues(self.open_table, item):
                    _extend(self.open_table, item)
                else:
                    self.pieces.append(item)
                    self.open_table = item
                self.last_line = None
                first = False
            elif group and not _same_paragraph(group[-1], item, margins):
                self._paragraph(group, page.number, margins, first)
                group, first = [item], False
            else:
                group.append(item)
        if group:
            self._paragraph(group, page.number, margins, first)
        if not items or not isinstance(items[-1], _PageTable):
            self.open_table = None

    def _paragraph(self, lines: list[_Line], page: int, margins: _Margins, first: bool) -> None:
        text = _join_wrapped([line.text for line in lines])
        previous = self.pieces[-1] if self.pieces else None
        if (
            first
            and isinstance(previous, Paragraph)
            and self.last_line is not None
            and _same_paragraph(self.last_line, lines[0], margins, across_pages=True)
        ):
            previous.text = _join_wrapped([previous.text, text])  # a sentence running over the page break
        else:
            heading = 1 if lines[0].size >= 1.2 * margins.body_size else None
            box = (
                min(line.x0 for line in lines),
                min(line.top for line in lines),
                max(line.x1 for line in lines),
                max(line.bottom for line in lines),
            )
            self.pieces.append(
                Paragraph(text=text, loc=Loc(file=self.file, page=page), heading=heading, bbox=box)
            )
        self.last_line = lines[-1]

    def blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for piece in self.pieces:
            if isinstance(piece, Paragraph):
                blocks.append(piece)
            else:
                index = sum(1 for block in blocks if isinstance(block, Table)) + 1
                caption = _caption(blocks, piece.page) or _title_row(piece)
                blocks.append(_build_table(self.file, piece, index, caption))
        return blocks


def _assemble(document: SourceDocument, pages: list[_PageContent]) -> None:
    _drop_running_lines(pages)
    assembler = _Assembler(document.file, pages)
    for page in pages:
        assembler.add_page(page)
    document.blocks = assembler.blocks()


@dataclass(slots=True)
class _Margins:
    """Where body text starts and ends on pages of one width, and its usual gap between lines."""

    left: float
    right: float
    centre: float
    line_gap: float
    body_size: float
    indented: bool  # paragraphs open with an indent of about two characters


_FIELD_LABEL = re.compile(r"^[^，。；：:,]{2,12}[：:]")
_TITLE_ENDS = ("表", "报告", "情况说明")


def _same_paragraph(previous: _Line, line: _Line, margins: _Margins, across_pages: bool = False) -> bool:
    """Does ``line`` continue the paragraph ``previous`` ended? Only when ``previous`` wrapped.

    A line wraps when it reaches the right margin (less the width of the next line's first
    unbreakable piece, such as "161.62万元" or "（项）。"); the next line must not be indented
    further nor open a list item (（二）, 3., 四、). In a document whose paragraphs open with an
    indent and go on at the margin, two indented lines in a row are two paragraphs (a long
    heading and the text under it). After a line ending a sentence or a clause (。；：) the
    paragraph goes on only on a line at the left margin, and after 。！？ only in such an
    indented document. Lines of a title set in a larger type join when they follow each other
    closely, centred or wrapped.
    """
    if not previous.text:
        return False
    size = previous.size
    if abs(size - line.size) > 0.15 * size:
        return False
    gap = line.top - previous.bottom
    last = previous.text[-1]
    if previous.size >= 1.2 * margins.body_size and not across_pages and gap < 0.6 * size:
        if last in SENTENCE_ENDS:
            return False
        return (_centred(previous, margins) and _centred(line, margins)) or _wrapped(previous, line, margins)
    if last in SENTENCE_ENDS or last in CLAUSE_ENDS:
        if line.x0 > margins.left + 0.5 * size:
            return False
        if last in SENTENCE_ENDS and not margins.indented:
            return False
    if not _wrapped(previous, line, margins):
        return False  # a short line: a title, a list entry or a paragraph's last line
    if line.x0 > previous.x0 + 0.5 * size:
        return False  # the next line is indented: a new paragraph
    if margins.indented and min(previous.x0, line.x0) > margins.left + 0.5 * size:
        return False  # paragraphs here open indented and go on at the margin: two indented lines are two
    if _LIST_ITEM.match(line.text) or _FIELD_LABEL.match(line.text):
        return False  # a list item, or a "编制单位：…" line under a form's title
    if previous.text.endswith(_TITLE_ENDS):
        return False  # "…绩效目标表": a title line, however wide
    return across_pages or gap <= margins.line_gap + 0.35 * size


def _wrapped(previous: _Line, line: _Line, margins: _Margins) -> bool:
    """Did ``previous`` end only because the start of ``line`` did not fit after it?"""
    first = _UNBREAKABLE.match(line.text)
    width = sum(0.5 if character.isascii() else 1.0 for character in first.group()) if first else 1.0
    return margins.right - previous.x1 <= (max(width, 1.0) + 0.75) * previous.size


def _centred(line: _Line, margins: _Margins) -> bool:
    return abs((line.x0 + line.x1) / 2 - margins.centre) <= 1.5 * line.size


def _margins(pages: list[_PageContent]) -> dict[int, _Margins]:
    """Body-text margins per page width (portrait and landscape pages differ)."""
    body_size = _body_size(pages)
    groups: dict[int, list[_PageContent]] = {}
    for page in pages:
        groups.setdefault(round(page.width), []).append(page)
    margins: dict[int, _Margins] = {}
    for width, group in groups.items():
        long_lines = [line for page in group for line in page.lines if len(line.text) >= 8]
        if not long_lines:
            margins[width] = _Margins(
                left=0.0,
                right=float(width),
                centre=width / 2,
                line_gap=0.0,
                body_size=body_size,
                indented=False,
            )
            continue
        needed = max(3, len(long_lines) // 10)
        starts = sorted(line.x0 for line in long_lines)
        half = body_size / 2
        left = next(
            (
                x0
                for x0 in starts
                if bisect_right(starts, x0 + half) - bisect_left(starts, x0 - half) >= needed
            ),
            starts[0],
        )
        ends = sorted(line.x1 for line in long_lines)
        edge = next(
            (x1 for x1 in reversed(ends) if len(ends) - bisect_left(ends, x1 - body_size) >= needed), None
        )
        if edge is None:
            right = width - left  # too little text to tell: assume margins as wide on both sides
        else:  # where full lines typically end (justification moves them by a fraction of a character)
            full = ends[bisect_left(ends, edge - body_size) :]
            right = full[len(full) // 2]
        indented = (
            bisect_right(starts, left + 2.6 * body_size) - bisect_left(starts, left + 1.5 * body_size)
            >= needed
        )
        gaps = sorted(
            line.top - above.bottom
            for page in group
            for above, line in zip(page.lines, page.lines[1:], strict=False)
            if above.size == line.size and 0 <= line.top - above.bottom < 2 * line.size
        )
        line_gap = gaps[len(gaps) // 4] if gaps else 0.0  # the tight spacing inside paragraphs
        margins[width] = _Margins(
            left=left,
            right=right,
            centre=width / 2,
            line_gap=line_gap,
            body_size=body_size,
            indented=indented,
        )
    return margins


def _body_size(pages: list[_PageContent]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _drop_running_lines(pages: list[_PageContent]) -> None:
    """Remove page numbers and header/footer lines that repeat in the page margins."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_running_key(line) for line in page.lines if _in_margin(line, page)})
    threshold = max(2, (len(pages) + 1) // 2)
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not (
                _in_margin(line, page)
                and (_PAGE_NUMBER.match(line.text) or counts[_running_key(line)] >= threshold)
            )
        ]


def _in_margin(line: _Line, page: _PageContent) -> bool:
    return line.bottom <= page.height * MARGIN_SHARE or line.top >= page.height * (1 - MARGIN_SHARE)


def _running_key(line: _Line) -> str:
    return _DIGITS.sub("#", line.text.replace(" ", ""))


def _continues(table: _PageTable, following: _PageTable) -> bool:
    """Same columns at the same positions: the table on the next page carries on ``table``."""
    if len(following.columns) != len(table.columns):
        return False
    if _title_row(following):
        return False  # a title row across the whole width opens a new table
    return all(
        abs(a - b) <= 3 * RULE_TOLERANCE for a, b in zip(table.columns, following.columns, strict=True)
    )


def _extend(table: _PageTable, following: _PageTable) -> None:
    """Append ``following``'s rows; a header row repeated exactly from the first page is dropped."""
    rows = following.rows
    while rows and not any(cell.text for cell in rows[0]):
        rows = rows[1:]  # the empty lower half of a row the page break cut through
    repeated = 0
    for index, row in enumerate(rows[: len(table.rows) - 1]):
        texts = [cell.text for cell in row]
        if any(texts) and texts == [cell.text for cell in table.rows[index]]:
            repeated = index + 1
        else:
            break
    first_new = len(table.rows) + 1
    offset = first_new - (len(following.rows) - len(rows) + repeated + 1)
    table.continued.append(first_new)
    for row in rows[repeated:]:
        for cell in row:
            cell.row += offset
            if cell.covered_by is not None:
                anchor_row = cell.covered_by[0] + offset
                cell.covered_by = (anchor_row, cell.covered_by[1]) if anchor_row >= first_new else None
        table.rows.append(row)


def _caption(blocks: list[Block], page: int) -> str | None:
    """The nearest title-like paragraph above the table on its page (unit and issuer lines skipped)."""
    for block in reversed(blocks[-4:]):
        if isinstance(block, Table) or block.loc.page != page:
            return None
        if not _CAPTION_NOISE.search(block.text.replace(" ", "")):
            title_like = len(block.text) <= 60 and block.text[-1] not in SENTENCE_ENDS + CLAUSE_ENDS
            return block.text if title_like else None
    return None


def _title_row(table: _PageTable) -> str | None:
    """The text of a first row that is one cell across the whole table (a title drawn inside it)."""
    first = table.rows[0]
    if first and first[0].colspan == len(first) and first[0].text:
        return first[0].text
    return None


def _build_table(file: str, table: _PageTable, index: int, caption: str | None) -> Table:
    rows: list[list[Cell]] = []
    for row in table.rows:
        cells = []
        for cell in row:
            loc = Loc(
                file=file,
                page=cell.page,
                table=index,
                row=cell.row,
                col=cell.col,
                cell=cell_name(cell.row, cell.col),
            )
            cells.append(
                Cell(
                    text=cell.text,
                    row=cell.row,
                    col=cell.col,
                    loc=loc,
                    rowspan=cell.rowspan,
                    colspan=cell.colspan,
                    covered_by=cell.covered_by,
                    bbox=cell.bbox,
                )
            )
        rows.append(cells)
    return Table(
        index=index,
        rows=rows,
        loc=Loc(file=file, page=table.page, table=index),
        caption=caption,
        page=table.page,
        continued=list(table.continued),
    )
