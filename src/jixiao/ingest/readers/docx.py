"""Reader for Word documents (.docx): paragraphs and tables in reading order.

Enters: the bytes of a .docx. Leaves: a ``SourceDocument`` whose blocks follow the body as Word
lays it out: paragraphs and tables interleaved (content controls are looked into). A paragraph's
``heading`` comes from its outline level, or from its style (``Heading 2``/``标题 2`` → 2,
``Title``/``标题`` → 1) or the styles it is based on. Paragraph locations count every body
paragraph, empty ones included (``line`` = paragraph ordinal). Tables keep their merges:
``gridSpan`` gives ``colspan``, ``vMerge`` gives ``rowspan``, covered cells are present and empty
with ``covered_by``; a table nested in a cell is flattened into the cell's text. A table's leading
title rows (one text per row) are also given as paragraphs and the first is its caption; without
them the caption is a short paragraph just above. Deleted revisions, field codes and the fallback
copies of text boxes are left out of the text.

>>> paragraph = etree.fromstring(
...     f'<w:p xmlns:w="{_W}"><w:r><w:t>预算</w:t></w:r><w:del><w:r><w:delText>旧</w:delText></w:r></w:del>'
...     "<w:r><w:tab/><w:t>8562.6</w:t><w:br/><w:t>万元</w:t></w:r></w:p>"
... )
>>> paragraph_text(paragraph)
'预算\\t8562.6\\n万元'
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from lxml import etree

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.dispatch import open_zip, scan_xml_parts
from jixiao.ingest.readers.grid import Anchor, build_grid, describe, title_cells
from jixiao.ingest.source import Paragraph, SourceDocument, Table, clean_text
from jixiao.model.loc import Loc, cell_name

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_TITLE_STYLES = {"title", "标题"}
_MAX_CAPTION = 80


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent")
_CUSTOM_XML, _SMART_TAG = _w("customXml"), _w("smartTag")
_T, _TAB, _BR, _CR = _w("t"), _w("tab"), _w("br"), _w("cr")
_FALLBACK = f"{{{_MC}}}Fallback"
_VAL = _w("val")


def read_docx(data: bytes, file: str) -> SourceDocument:
    import docx

    archive = open_zip(data, file)
    scan_xml_parts(archive, file)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = _StyleLevels(document.styles.element)
    except ReadError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, XMLSyntaxError… on damage
        raise ReadError("R004", file, f"无法打开 Word 文档：{describe(exc)}") from exc
    doc = SourceDocument(file=file, format="docx")
    ordinal = 0
    for element in _body_blocks(body):
        if element.tag == _P:
            ordinal += 1
            text = clean_text(paragraph_text(element))
            if text:
                heading = styles.heading(element)
                doc.blocks.append(Paragraph(text=text, loc=Loc(file=file, line=ordinal), heading=heading))
        else:
            table = _table(element, len(doc.tables) + 1, file)
            if table is not None:
                previous = doc.blocks[-1] if doc.blocks else None
                titles = title_cells(table.rows)
                doc.blocks.extend(Paragraph(text=cell.text, loc=cell.loc) for cell in titles)
                if titles:
                    table.caption = titles[0].text
                elif isinstance(previous, Paragraph) and len(previous.text) <= _MAX_CAPTION:
                    table.caption = previous.text
                doc.blocks.append(table)
    if not doc.blocks:
        raise ReadError("R011", file, "文档正文为空")
    return doc


def _body_blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body (or content control), in order."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _body_blocks(content)


def paragraph_text(paragraph: etree._Element) -> str:
    """The visible text of a ``w:p``: runs, tabs and breaks, inserted revisions, hyperlinks."""
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element: etree._Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _FALLBACK or not isinstance(tag, str):
            continue  # the VML copy of a text box already read from its mc:Choice; comments
        elif tag == _P:
            parts.append("\n")  # a paragraph inside a text box
            _collect(child, parts)
        else:
            _collect(child, parts)


class _StyleLevels:
    """Heading level per paragraph style id, following ``basedOn`` (outline level or style name)."""

    def __init__(self, styles: etree._Element) -> None:
        self.by_id: dict[str, etree._Element] = {}
        for style in styles.iter(_w("style")):
            identifier = style.get(_w("styleId"))
            if identifier:
                self.by_id[identifier] = style
        self.cache: dict[str, int | None] = {}

    def heading(self, paragraph: etree._Element) -> int | None:
        properties = paragraph.find(_w("pPr"))
        if properties is not None:
            level = _outline_level(properties)
            if level is not None:
                return level
            style = properties.find(_w("pStyle"))
            if style is not None and style.get(_VAL):
                return self.style_level(str(style.get(_VAL)))
        return None

    def style_level(self, identifier: str, depth: int = 0) -> int | None:
        if identifier in self.cache:
            return self.cache[identifier]
        style = self.by_id.get(identifier)
        level: int | None = None
        if style is not None and depth < 10:
            name_element = style.find(_w("name"))
            name = (name_element.get(_VAL) or "") if name_element is not None else ""
            match = _HEADING_STYLE.match(name.strip()) or _HEADING_STYLE.match(identifier)
            properties = style.find(_w("pPr"))
            if match:
                level = int(match.group(1))
            elif name.strip().lower() in _TITLE_STYLES:
                level = 1
            elif properties is not None and _outline_level(properties) is not None:
                level = _outline_level(properties)
            else:
                based_on = style.find(_w("basedOn"))
                if based_on is not None and based_on.get(_VAL):
                    level = self.style_level(str(based_on.get(_VAL)), depth + 1)
        self.cache[identifier] = level
        return level


def _outline_level(properties: etree._Element) -> int | None:
    """``w:outlineLvl`` 0–8 → heading 1–9 (9 means body text)."""
    outline = properties.find(_w("outlineLvl"))
    value = outline.get(_VAL) if outline is not None else None
    if value is not None and value.isdigit() and int(value) < 9:
        return int(value) + 1
    return None


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML, _SMART_TAG):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _children(content, tag)


def _int_property(properties: etree._Element | None, name: str, default: int) -> int:
    found = properties.find(_w(name)) if properties is not None else None
    value = found.get(_VAL) if found is not None else None
    return int(value) if value is not None and value.isdigit() else default


def cell_text(cell: etree._Element) -> str:
    """A cell's text: its paragraphs one per line; nested tables row by row, cells tab-separated."""
    lines: list[str] = []
    for block in _body_blocks(cell):
        if block.tag == _P:
            lines.append(paragraph_text(block))
        else:
            for row in _children(block, _TR):
                lines.append("\t".join(cell_text(inner) for inner in _children(row, _TC)))
    return "\n".join(lines)


def _table(element: etree._Element, index: int, file: str) -> Table | None:
    """A ``w:tbl`` as a grid: ``gridSpan`` → colspan, ``vMerge`` restart/continue → rowspan."""
    anchors: dict[tuple[int, int], Anchor] = {}
    # grid column (1-based) → anchor position of a vertical merge still open at that column
    open_merges: dict[int, tuple[int, int]] = {}
    grid_columns = element.find(_w("tblGrid"))
    n_cols = len(grid_columns.findall(_w("gridCol"))) if grid_columns is not None else 0
    rows = list(_children(element, _TR))
    for row_number, row in enumerate(rows, start=1):
        row_properties = row.find(_w("trPr"))
        col = _int_property(row_properties, "gridBefore", 0) + 1
        still_open: dict[int, tuple[int, int]] = {}
        for cell in _children(row, _TC):
            properties = cell.find(_w("tcPr"))
            span = max(1, min(_int_property(properties, "gridSpan", 1), 1000))
            merge = properties.find(_w("vMerge")) if properties is not None else None
            text = clean_text(cell_text(cell))
            owner = open_merges.get(col)
            if merge is not None and merge.get(_VAL) != "restart" and owner is not None:
                owner_text, _, colspan = anchors[owner]
                if text:
                    owner_text = f"{owner_text}\n{text}" if owner_text else text
                anchors[owner] = (owner_text, row_number - owner[0] + 1, colspan)
                still_open[col] = owner
            else:
                anchors[(row_number, col)] = (text, 1, span)
                still_open[col] = (row_number, col)
            col += span
        open_merges = still_open
        n_cols = max(n_cols, col - 1)
    if not rows or n_cols == 0:
        return None

    def make_loc(row: int, col: int) -> Loc:
        return Loc(file=file, table=index, row=row, col=col, cell=cell_name(row, col))

    grid = build_grid(file, f"第 {index} 个表格", len(rows), n_cols, anchors, make_loc)
    return Table(index=index, rows=grid, loc=Loc(file=file, table=index))
