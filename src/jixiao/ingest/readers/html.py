"""Reader for HTML: web pages and the HTML tables that WPS and older systems save as ``.xls``.

Enters: the bytes of an HTML file (any charset). Leaves: a ``SourceDocument`` in reading order:
text outside tables becomes paragraphs (``h1``–``h6`` give the heading level, ``<br>`` a line
break), each data table a ``Table`` whose ``rowspan``/``colspan`` are laid out on a grid with
covered cells present and empty (``covered_by``). The caption is the ``<caption>``, else the
leading title rows (one text per row, as Excel's "save as web page" writes them: also given as
paragraphs), else a short paragraph just above. Tables used for page layout (a single cell, or
cells holding other tables) are not data: their content is read as if the table were not there.
The charset comes from a byte-order mark, a ``<meta>`` or XML declaration, else UTF-8, else GB18030
(``gb2312``/``gbk`` are read as GB18030, their superset). Scripts, styles and comments are dropped;
nothing is ever fetched (no network, no external entities).

>>> doc = read_html("<h2>一、收支</h2><table><tr><td colspan=2>合计</td></tr><tr><td>a</td><td>1</td></tr></table>".encode(), "a.html")
>>> doc.paragraphs[0].heading, doc.tables[0].cell(1, 2).covered_by
(2, (1, 1))
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.dispatch import MAX_CELLS
from jixiao.ingest.readers.grid import Anchor, build_grid, describe, title_cells
from jixiao.ingest.source import Paragraph, SourceDocument, Table, clean_text
from jixiao.model.loc import Loc, cell_name

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "title",
}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_SPACE = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_CHINESE_ALIASES = {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "csgb2312", "ms936"}
_MAX_CAPTION = 80
_MAX_COLSPAN = 1000


def decode_html(data: bytes, file: str) -> str:
    """The text of an HTML file (see the module docstring for the order charsets are tried in)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    head = data[:8192]
    if b"\x00" in head:
        raise ReadError("R003", file, "网页文件中含有二进制内容")
    declared = _declared_charset(head)
    for encoding in (declared, "utf-8", "gb18030"):
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return data.decode(declared or "gb18030", errors="replace")


def _declared_charset(head: bytes) -> str | None:
    match = _CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    if name in _CHINESE_ALIASES:
        return "gb18030"
    if name == "unicode":
        return None  # Excel's label for UTF-16, which has a byte-order mark handled above
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_html(data: bytes, file: str) -> SourceDocument:
    text = decode_html(data, file)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except etree.ParserError as exc:
        raise ReadError("R011", file, "网页中没有任何内容") from exc
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ReadError("R004", file, f"网页无法解析：{describe(exc)}") from exc
    walker = _Walker(file)
    walker.walk(root)
    walker.flush()
    if not walker.doc.blocks:
        raise ReadError("R011", file, "网页中没有文字或表格")
    return walker.doc


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _line(element: etree._Element) -> int | None:
    """The source line an element starts on, when lxml knows it."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def _rows(table: etree._Element) -> list[etree._Element]:
    """The ``tr`` of ``table`` itself (not of tables nested in it), in order."""
    return [tr for tr in table.iter("tr") if _owner(tr) is table]


def _owner(element: etree._Element) -> etree._Element | None:
    return next(element.iterancestors("table"), None)


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row if _tag(cell) in ("td", "th")]


def _is_layout(table: etree._Element) -> bool:
    """A table that arranges a page rather than holding data: one cell, or cells holding tables."""
    rows = _rows(table)
    cells = [cell for row in rows for cell in _cells(row)]
    if len(cells) <= 1:
        return True
    return any(_owner(inner) is table for inner in table.iter("table") if inner is not table)


def _span(value: str | None, limit: int) -> int:
    """A ``rowspan``/``colspan`` value: 1 when absent or invalid, 0 kept (rowspan "to the end")."""
    match = re.match(r"\s*(\d+)", value or "")
    if not match:
        return 1
    return min(int(match.group(1)), limit)


class _Walker:
    """Walks the tree in document order, collecting inline text into paragraphs."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.doc = SourceDocument(file=file, format="html")
        self.buffer: list[str] = []
        self.line: int | None = None
        self.heading: int | None = None
        self.preformatted = 0

    def inline(self, text: str | None, element: etree._Element) -> None:
        if not text:
            return
        if not self.preformatted:
            text = _SPACE.sub(" ", text)
        if self.line is None and text.strip():
            self.line = _line(element)
        self.buffer.append(text)

    def flush(self) -> None:
        text = clean_text("".join(self.buffer))
        if text:
            self.doc.blocks.append(
                Paragraph(text=text, loc=Loc(file=self.file, line=self.line), heading=self.heading)
            )
        self.buffer.clear()
        self.line = None

    def walk(self, element: etree._Element) -> None:
        tag = _tag(element)
        if not tag or tag in _DROP:
            self.inline(element.tail, element)
            return
        if tag == "br":
            self.buffer.append("\n")
            self.inline(element.tail, element)
            return
        if tag == "table" and not _is_layout(element):
            self.flush()
            self.add_table(element)
            self.inline(element.tail, element)
            return
        block = tag in _BLOCK
        outer_heading = self.heading
        if block:
            self.flush()
            self.heading = _HEADINGS.get(tag, self.heading)
        if tag == "pre":
            self.preformatted += 1
        self.inline(element.text, element)
        for child in element:
            self.walk(child)
        if tag == "pre":
            self.preformatted -= 1
        if block:
            self.flush()
            self.heading = outer_heading
        self.inline(element.tail, element)

    def add_table(self, element: etree._Element) -> None:
        index = len(self.doc.tables) + 1
        caption: str | None = None
        for child in element:
            if _tag(child) == "caption":
                caption = cell_text(child)
                if caption:
                    self.doc.blocks.append(
                        Paragraph(text=caption, loc=Loc(file=self.file, line=_line(child)))
                    )
                break
        has_caption = bool(caption)
        if not caption and self.doc.blocks and isinstance(self.doc.blocks[-1], Paragraph):
            previous = self.doc.blocks[-1].text
            caption = previous if len(previous) <= _MAX_CAPTION else None
        rows = _rows(element)
        anchors: dict[tuple[int, int], Anchor] = {}
        lines: dict[tuple[int, int], int | None] = {}
        occupied: set[tuple[int, int]] = set()
        n_cols = 0
        expanded = 0  # cells marked so far, overlaps counted again: bounds the work on hostile spans
        for row_number, row in enumerate(rows, start=1):
            col = 1
            remaining = len(rows) - row_number + 1
            for cell in _cells(row):
                while (row_number, col) in occupied:
                    col += 1
                rowspan = _span(cell.get("rowspan"), remaining) or remaining
                colspan = _span(cell.get("colspan"), _MAX_COLSPAN) or 1
                expanded += rowspan * colspan
                if expanded > MAX_CELLS or len(rows) * (col + colspan - 1) > MAX_CELLS:
                    raise ReadError("R007", self.file, f"第 {index} 个表格展开后超过 {MAX_CELLS} 个单元格")
                anchors[(row_number, col)] = (cell_text(cell), rowspan, colspan)
                lines[(row_number, col)] = _line(cell)
                occupied.update(
                    (r, c) for r in range(row_number, row_number + rowspan) for c in range(col, col + colspan)
                )
                col += colspan
            n_cols = max(n_cols, col - 1)
        n_cols = max([n_cols, *(c for _, c in occupied)])
        if not rows or n_cols == 0:
            return

        def make_loc(row: int, col: int) -> Loc:
            return Loc(
                file=self.file,
                table=index,
                row=row,
                col=col,
                cell=cell_name(row, col),
                line=lines.get((row, col)),
            )

        grid = build_grid(self.file, f"第 {index} 个表格", len(rows), n_cols, anchors, make_loc)
        if not has_caption:
            titles = title_cells(grid)
            self.doc.blocks.extend(Paragraph(text=cell.text, loc=cell.loc) for cell in titles)
            caption = titles[0].text if titles else caption
        self.doc.blocks.append(
            Table(
                index=index,
                rows=grid,
                loc=Loc(file=self.file, table=index, line=_line(element)),
                caption=caption,
            )
        )


def cell_text(cell: etree._Element) -> str:
    """A cell's text: ``<br>`` and block elements break lines; nested cells are tab-separated."""
    parts: list[str] = []
    _cell_parts(cell, parts, top=True)
    return clean_text("".join(parts))


def _cell_parts(element: etree._Element, parts: list[str], top: bool = False) -> None:
    tag = _tag(element)
    if not top and (not tag or tag in _DROP):
        parts.append(_SPACE.sub(" ", element.tail or ""))
        return
    if tag == "br":
        parts.append("\n")
    elif not top and tag in ("td", "th"):
        parts.append("\t")
    elif not top and tag in _BLOCK:
        parts.append("\n")
    parts.append(_SPACE.sub(" ", element.text or "") if tag != "br" else "")
    for child in element:
        _cell_parts(child, parts)
    if not top and tag in _BLOCK and tag not in ("td", "th"):
        parts.append("\n")
    if not top:
        parts.append(_SPACE.sub(" ", element.tail or ""))
