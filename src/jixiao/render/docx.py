"""Write a ``Doc`` as a Word document set the way official reports are set.

Enters: a ``jixiao.render.layout.Doc``. Leaves: the bytes of a .docx on A4 paper (GB/T 9704
margins): the title in 方正小标宋 22pt, centred, the subtitle under it; ``Heading`` 1/2/3 in the
styles Heading 1/2/3 (黑体, 楷体, 仿宋 bold: readers see the outline level); ``Paragraph`` in
仿宋_GB2312 三号 (16pt) on a 28pt line, first line indented two characters; each ``Grid`` as its
title, its ``above`` lines (单位：万元 on the right), a bordered table with its merges, column widths
in proportion to ``grid.widths``, header rows shaded and repeated on every page, then its notes;
a landscape grid gets a landscape section of its own. ``Chart`` becomes a PNG
(``jixiao.render.chart.chart_png``), ``PageBreak`` a page break. Every style and every run names
its East Asian font (``w:eastAsia``), so Chinese never falls back to a Latin font's substitute; the
font table gives Word a fallback for each (仿宋_GB2312 → 仿宋). The same ``Doc`` always gives the
same bytes (fixed dates, fixed zip timestamps).

>>> data = write_docx(Doc("绩效自评报告", (Heading("一、基本情况"), Paragraph("本部门……"))))
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt, Twips
from docx.text.paragraph import Paragraph as WordParagraph
from lxml import etree

from jixiao.render.archive import stable_zip
from jixiao.render.layout import (
    Block,
    Cell,
    Chart,
    Doc,
    Grid,
    Heading,
    PageBreak,
    Paragraph,
    line_alignment,
)

FIXED_TIME = datetime(2000, 1, 1)
LATIN = "Times New Roman"
BODY = "仿宋_GB2312"
TITLE = "方正小标宋简体"
TABLE = "宋体"
#: Heading level → (East Asian font, bold), as 一、（一）1. are set in official documents.
HEADINGS = {1: ("黑体", False), 2: ("楷体_GB2312", False), 3: (BODY, True)}
#: What Word shows where a font is not installed (the font table's ``w:altName``).
FALLBACKS = {BODY: "仿宋", "楷体_GB2312": "楷体", TITLE: "宋体", "黑体": "SimHei", TABLE: "SimSun"}
TABLE_STYLE = "表格文字"
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
_SHADE = "D9D9D9"
_W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DEFAULT_WIDTH = 10.0


def write_docx(doc: Doc) -> bytes:
    """The document's bytes (see the module docstring)."""
    document = docx.Document()
    _styles(document)
    _font_table(document)
    blocks = doc.blocks
    wide = _orientations(blocks)
    landscape = wide[0] if wide else False
    section = document.sections[0]
    _page(section, landscape)
    if doc.header:
        _run(section.header.paragraphs[0], doc.header, BODY, Pt(10.5))
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(section)
    if doc.titled:
        title = document.add_paragraph(style="Title")
        _run(title, doc.title, TITLE)
    if doc.subtitle:
        subtitle = document.add_paragraph()
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(subtitle, doc.subtitle, "楷体_GB2312")
    for index, block in enumerate(blocks):
        if wide[index] != landscape:
            landscape = wide[index]
            _page(document.add_section(WD_SECTION.NEW_PAGE), landscape)
        if isinstance(block, PageBreak):
            # not before a section break: that starts a page already
            if index + 1 < len(blocks) and wide[index + 1] == landscape:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            _block(document, block)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = doc.title, "Jixiao", "Jixiao"
    properties.created = properties.modified = properties.last_printed = FIXED_TIME
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def _orientations(blocks: tuple[Block, ...]) -> list[bool]:
    """Landscape or not, per block: a landscape grid is; a heading goes with what follows it, a
    page break with what precedes it; everything else is portrait."""
    wide = [isinstance(block, Grid) and block.landscape for block in blocks]
    for index in range(len(blocks)):
        if isinstance(blocks[index], PageBreak) and index > 0:
            wide[index] = wide[index - 1]
    for index in reversed(range(len(blocks) - 1)):
        if isinstance(blocks[index], Heading):
            wide[index] = wide[index + 1]
    return wide


def _block(document: Document, block: Block) -> None:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 3)
        font, bold = HEADINGS[level]
        _run(document.add_paragraph(style=f"Heading {level}"), block.text, font, bold=bold)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if block.align == "left" else _ALIGN[block.align]
        if block.indent:
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _indent_chars(paragraph._p.get_or_add_pPr(), 200)
        _run(paragraph, block.text, BODY, bold=block.bold)
    elif isinstance(block, Grid):
        _grid(document, block)
    elif isinstance(block, Chart):
        from jixiao.render.chart import chart_png

        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = 1.0  # an exact line height would crop the picture
        width = min(_text_width(document.sections[-1]), Mm(150))
        paragraph.add_run().add_picture(io.BytesIO(chart_png(block)), width=width)


def _grid(document: Document, grid: Grid) -> None:
    if grid.title:
        title = document.add_paragraph(style=TABLE_STYLE)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(6)
        title.paragraph_format.keep_with_next = True
        _run(title, grid.title, TABLE, Pt(16), bold=True)
    for text in grid.above:
        line = document.add_paragraph(style=TABLE_STYLE)
        line.alignment = _ALIGN[line_alignment(text)]
        line.paragraph_format.keep_with_next = True
        _run(line, text, TABLE)
    _table(document, grid)
    for text in grid.notes:
        _run(document.add_paragraph(style=TABLE_STYLE), text, TABLE)
    if not grid.notes:  # a paragraph after every table: Word joins two adjacent tables into one
        document.add_paragraph(style=TABLE_STYLE)


def _table(document: Document, grid: Grid) -> None:
    """The grid as a ``w:tbl`` built row by row: ``gridSpan`` for colspans, ``vMerge`` for
    rowspans (python-docx's ``cell.merge`` re-reads the whole table per call: too slow for long
    grids)."""
    n_rows, n_cols = grid.shape
    n_cols = max(n_cols, 1)
    widths = [
        grid.widths[i] if i < len(grid.widths) and grid.widths[i] > 0 else _DEFAULT_WIDTH
        for i in range(n_cols)
    ]
    total = _text_width(document.sections[-1]).twips
    twips = [int(total * width / sum(widths)) for width in widths]
    table = document.add_table(rows=0, cols=n_cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    width = tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(twips)))
    for column, size in zip(tbl.tblGrid.gridCol_lst, twips, strict=True):
        column.w = Twips(size)
    anchors: dict[tuple[int, int], Cell] = {}
    covered: dict[tuple[int, int], Cell] = {}
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if (cell.row, cell.col) in covered or (cell.row, cell.col) in anchors:
            continue  # under an earlier span: a malformed grid, the earlier cell wins
        anchors[(cell.row, cell.col)] = cell
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                if (row, col) != (cell.row, cell.col):
                    covered.setdefault((row, col), cell)
    rows: list[str] = []
    for row in range(n_rows):
        cells: list[str] = ["<w:tr><w:trPr><w:tblHeader/></w:trPr>" if row < grid.header_rows else "<w:tr>"]
        col = 0
        while col < n_cols:
            owner = covered.get((row, col))
            if owner is not None and owner.col == col and owner.row < row:
                cells.append(_tc(owner, twips, grid, merge="continue"))
                col += owner.colspan
            elif (row, col) in anchors:
                cell = anchors[(row, col)]
                cells.append(_tc(cell, twips, grid, merge="restart" if cell.rowspan > 1 else None))
                col += cell.colspan
            else:
                cells.append(_tc(Cell(row, col), twips, grid, merge=None))
                col += 1
        rows.append("".join(cells) + "</w:tr>")
    # written as text and parsed once: python-docx's elements cost ~20 µs each to make, and a
    # 5,000-row table has 200,000 of them
    parsed = etree.fromstring(f'<w:tbl xmlns:w="{_W_URI}">{"".join(rows)}</w:tbl>')
    tbl.extend(list(parsed))


def _tc(cell: Cell, twips: list[int], grid: Grid, merge: str | None) -> str:
    """One ``w:tc``: width, span, vertical merge, shading, and its text (empty when continued)."""
    colspan = min(cell.colspan, len(twips) - cell.col)
    parts = [f'<w:tc><w:tcPr><w:tcW w:w="{sum(twips[cell.col : cell.col + colspan])}" w:type="dxa"/>']
    if colspan > 1:
        parts.append(f'<w:gridSpan w:val="{colspan}"/>')
    if merge is not None:
        parts.append(f'<w:vMerge w:val="{merge}"/>')
    if cell.row < grid.header_rows or cell.role == "head":
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{_SHADE}"/>')
    parts.append(
        f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{_style_id(TABLE_STYLE)}"/>'
    )
    parts.append(f'<w:jc w:val="{cell.alignment}"/></w:pPr>')
    if cell.text and merge != "continue":
        fonts = f'w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{TABLE}" w:cs="{LATIN}" w:hint="eastAsia"'
        parts.append(
            f"<w:r><w:rPr><w:rFonts {fonts}/>" + ("<w:b/><w:bCs/>" if cell.strong else "") + "</w:rPr>"
        )
        lines = [f'<w:t xml:space="preserve">{escape(_clean(line))}</w:t>' for line in cell.text.split("\n")]
        parts.append("<w:br/>".join(lines) + "</w:r>")
    parts.append("</w:p></w:tc>")
    return "".join(parts)


def _clean(text: str) -> str:
    """Without the control characters XML cannot hold."""
    return _CONTROL.sub("", text)


def _run(
    paragraph: WordParagraph, text: str, east_asian: str, size: Pt | None = None, bold: bool = False
) -> None:
    """A run of ``text`` naming its fonts (Latin and East Asian) itself."""
    run = paragraph.add_run(_clean(text))
    run._r.insert(0, _run_properties(east_asian, size, bold))


def _run_properties(east_asian: str, size: Pt | None, bold: bool) -> Any:
    """``w:rPr`` with ``w:rFonts`` (Latin, East Asian, hint), bold and size, in schema order."""
    properties = _element("w:rPr")
    properties.append(_fonts(east_asian))
    if bold:
        properties.append(_element("w:b"))
        properties.append(_element("w:bCs"))
    if size is not None:
        half_points = str(round(size.pt * 2))
        properties.append(_element("w:sz", val=half_points))
        properties.append(_element("w:szCs", val=half_points))
    return properties


def _fonts(east_asian: str) -> Any:
    return _element("w:rFonts", ascii=LATIN, hAnsi=LATIN, eastAsia=east_asian, cs=LATIN, hint="eastAsia")


def _element(tag: str, **attributes: str) -> Any:
    return OxmlElement(tag, {qn(f"w:{key}"): value for key, value in attributes.items()})


def _style_id(name: str) -> str:
    return name.replace(" ", "")


def _styles(document: Document) -> None:
    """Normal, Title, Heading 1–3 and the table text style, each naming its East Asian font."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults, BODY)
    language = run_defaults.find(qn("w:lang"))
    language.set(qn("w:eastAsia"), "zh-CN")
    table_text = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    specs: list[tuple[str, str, float, bool]] = [
        ("Normal", BODY, 16, False),
        ("Title", TITLE, 22, False),
        (TABLE_STYLE, TABLE, 10.5, False),
        *((f"Heading {level}", font, 16, bold) for level, (font, bold) in HEADINGS.items()),
    ]
    for name, font, size, bold in specs:
        style = styles[name]
        style.font.size = Pt(size)
        complex_size = style.element.get_or_add_rPr().find(qn("w:szCs"))
        if complex_size is not None:
            complex_size.set(qn("w:val"), str(round(size * 2)))
        style.font.bold = bold
        style.font.color.rgb = None
        _set_fonts(style.element.get_or_add_rPr(), font)
        fmt = style.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)
        if name.startswith("Heading"):
            fmt.first_line_indent = Pt(size * 2)
            _indent_chars(style.element.get_or_add_pPr(), 200)
    title = styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = 1.0
    title.paragraph_format.space_after = Pt(14)
    borders = title.element.pPr.find(qn("w:pBdr"))
    if borders is not None:
        title.element.pPr.remove(borders)
    styles[TABLE_STYLE].paragraph_format.line_spacing = 1.0


def _set_fonts(run_properties: Any, east_asian: str) -> None:
    """Replace ``w:rFonts`` (theme fonts would win over named ones) with named fonts."""
    old = run_properties.find(qn("w:rFonts"))
    new = _fonts(east_asian)
    del new.attrib[qn("w:hint")]
    if old is not None:
        old.getparent().replace(old, new)
    else:
        run_properties.insert(0, new)


def _indent_chars(paragraph_properties: Any, hundredths: int) -> None:
    """Add ``w:firstLineChars`` to the ``w:ind`` python-docx placed for ``first_line_indent``:
    an indent in characters follows the font size."""
    paragraph_properties.find(qn("w:ind")).set(qn("w:firstLineChars"), str(hundredths))


def _font_table(document: Document) -> None:
    """Declare our fonts with their GB2312 charset and a fallback Word substitutes when absent."""
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    known = {font.get(qn("w:name")) for font in root.iter(qn("w:font"))}
    for name, fallback in FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): fallback})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if name != "黑体" else "swiss"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "fixed" if name != TITLE else "variable"})
    # a plain Part: python-docx keeps only its bytes
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(section: Section, landscape: bool) -> None:
    """A4, portrait with the GB/T 9704 margins, or landscape with margins for wide tables."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin = section.right_margin = Mm(25)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = section.footer_distance = Mm(15)


def _text_width(section: Section) -> Length:
    """The width between the margins (the sections are always set up by ``_page``)."""
    return Length((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))


def _page_number(section: Section) -> None:
    """— 1 — centred in the footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", TABLE, Pt(14))
    field = _element("w:fldSimple", instr="PAGE")
    run = _element("w:r")
    run.append(_run_properties(TABLE, Pt(14), False))
    text = _element("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _run(paragraph, " —", TABLE, Pt(14))
