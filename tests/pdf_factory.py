"""Build small PDFs in memory for reader tests: titles, wrapped paragraphs and ruled tables.

Tables are written inline as text, one row per line, cells separated by ``|``; a cell ``<`` is
covered by the cell to its left (a column span), a cell ``^`` by the cell above (a row span).
Every cell is drawn with its ruling lines, so pdfplumber's lattice detection sees the grid.
Chinese text uses reportlab's built-in CID font STSong-Light (no font file needed).

>>> data = build_pdf([[Title("收支总表"), Grid("项目 | 金额\\n合计 | 1,234.50")]])
>>> data[:5]
b'%PDF-'

``flow_pdf`` lays out longer documents the way office software prints them: text flows onto new
pages, a ``Ruled`` table gets column widths from its texts and rows as tall as their wrapped text,
and breaks between rows at the page end; ``source_to_pdf`` prints a whole ``SourceDocument`` so.

>>> flow_pdf([Text("说明"), Ruled([["项目", "金额"], ["合计", "1,234.50"]])])[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from jixiao.ingest.source import Block, Paragraph, SourceDocument
from jixiao.ingest.source import Table as SourceTable

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 72.0
RIGHT = PAGE_WIDTH - 72.0
TOP = PAGE_HEIGHT - 72.0


@dataclass
class Title:
    """A centred line in a larger type."""

    text: str
    size: float = 16.0
    fake_bold: bool = False  # printed twice, a fraction of a point apart, as some exporters do


@dataclass
class Text:
    """A paragraph wrapped at the right margin, its first line indented by two characters."""

    text: str
    size: float = 12.0
    indent: bool = True


@dataclass
class Grid:
    """A ruled table written as text (``|`` between cells, ``<`` and ``^`` for merges)."""

    text: str
    widths: list[float] | None = None  # column widths in points; equal widths by default
    size: float = 10.0
    row_height: float = 20.0
    rows: list[list[str]] = field(init=False)

    def __post_init__(self) -> None:
        lines = [line for line in self.text.strip("\n").split("\n") if line.strip()]
        self.rows = [[cell.strip() for cell in line.split("|")] for line in lines]


@dataclass
class Gap:
    """Vertical white space, in points."""

    height: float


Item = Title | Text | Grid | Gap


def build_pdf(
    pages: list[list[Item]],
    header: str | None = None,
    page_numbers: bool = False,
    outside: str | None = None,
) -> bytes:
    """A PDF with one page per inner list; optional running header, "- N -" page numbers, and
    ``outside`` text drawn beyond the page's lower edge (as overflowing text boxes leave it)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number, items in enumerate(pages, start=1):
        if outside:
            canvas.setFont(FONT, 12)
            canvas.drawString(LEFT, -30, outside)
        if header:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 40, header)
        if page_numbers:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(PAGE_WIDTH / 2, 36, f"- {number} -")
        y = TOP
        for item in items:
            y = _draw(canvas, item, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A "scanned" PDF: every page is one grey image and carries no text at all."""
    picture = io.BytesIO()
    Image.new("L", (200, 280), color=200).save(picture, format="PNG")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        picture.seek(0)
        canvas.drawImage(ImageReader(picture), 50, 50, width=PAGE_WIDTH - 100, height=PAGE_HEIGHT - 100)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypt(data: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    """The same PDF encrypted with pypdf (an empty ``user_password`` opens without asking)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _draw(canvas: Canvas, item: Item, y: float) -> float:
    if isinstance(item, Gap):
        return y - item.height
    if isinstance(item, Title):
        canvas.setFont(FONT, item.size)
        canvas.drawCentredString(PAGE_WIDTH / 2, y - item.size, item.text)
        if item.fake_bold:
            canvas.drawCentredString(PAGE_WIDTH / 2 + 0.4, y - item.size, item.text)
        return y - item.size * 2.2
    if isinstance(item, Text):
        return _draw_text(canvas, item, y)
    return _draw_grid(canvas, item, y)


def _width(text: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, FONT, size))


def _wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    lines: list[str] = []
    current = ""
    available = width - first_indent
    for character in text:
        if current and _width(current + character, size) > available:
            lines.append(current)
            current = ""
            available = width
        current += character
    if current:
        lines.append(current)
    return lines


def _draw_text(canvas: Canvas, item: Text, y: float) -> float:
    canvas.setFont(FONT, item.size)
    indent = 2 * item.size if item.indent else 0.0
    leading = item.size * 1.5
    for index, line in enumerate(_wrap(item.text, RIGHT - LEFT, item.size, indent)):
        y -= leading
        canvas.drawString(LEFT + (indent if index == 0 else 0.0), y, line)
    return y - item.size * 0.8


def _draw_grid(canvas: Canvas, grid: Grid, y: float) -> float:
    n_cols = max(len(row) for row in grid.rows)
    widths = grid.widths or [(RIGHT - LEFT) / n_cols] * n_cols
    lefts = [LEFT + sum(widths[:col]) for col in range(n_cols + 1)]
    height = grid.row_height
    canvas.setFont(FONT, grid.size)
    canvas.setLineWidth(0.6)
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if text in ("<", "^"):
                continue
            colspan = 1
            while c + colspan < len(row) and row[c + colspan] == "<":
                colspan += 1
            rowspan = 1
            while (
                r + rowspan < len(grid.rows)
                and c < len(grid.rows[r + rowspan])
                and (grid.rows[r + rowspan][c] == "^")
            ):
                rowspan += 1
            x0, x1 = lefts[c], lefts[c + colspan]
            top = y - r * height
            bottom = top - rowspan * height
            canvas.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
            lines = _wrap(text, x1 - x0 - 6, grid.size) if text else []
            leading = grid.size * 1.2
            first = (top + bottom) / 2 + (len(lines) - 1) * leading / 2 - grid.size * 0.35
            for index, line in enumerate(lines):
                canvas.drawString(x0 + 3, first - index * leading, line)
    return y - len(grid.rows) * height - 12


# ---------------------------------------------------------------------------------------------
# flowing layout: whole documents over several pages

BOTTOM = 72.0
#: Characters STSong-Light has no glyph for: reportlab leaves them out of the page, so a PDF printed
#: here lacks them (Word would fall back to another font).
MISSING_GLYPHS = "≅"


@dataclass
class Ruled:
    """A ruled table given as rows of cell texts (``\\n`` breaks a line inside a cell).

    Column widths follow the longest line of each column (at least ``min_width``, at most
    ``max_width`` before scaling to the text width); every row is as tall as its most wrapped cell.
    """

    rows: list[list[str]]
    size: float = 9.0
    min_width: float = 28.0
    max_width: float = 170.0


@dataclass
class PageBreak:
    """Go on at the top of a new page (each form of a document starts on one)."""


Flow = Title | Text | Ruled | Gap | PageBreak


class _Pen:
    """Where the next thing goes; turns the page when it does not fit."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = TOP
        self.blank = True  # nothing drawn on the current page yet

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM and not self.blank:
            self.new_page()

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = TOP
        self.blank = True


def flow_pdf(items: list[Flow]) -> bytes:
    """A PDF of ``items`` in order, flowing onto as many A4 pages as they need."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    pen = _Pen(canvas)
    for item in items:
        if isinstance(item, PageBreak):
            if not pen.blank:
                pen.new_page()
        elif isinstance(item, Gap):
            pen.y -= item.height
        elif isinstance(item, Title):
            pen.need(item.size * 2.2)
            pen.y = _draw(canvas, item, pen.y)
            pen.blank = False
        elif isinstance(item, Text):
            _flow_text(pen, item)
        else:
            _flow_table(pen, item)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _flow_text(pen: _Pen, item: Text) -> None:
    indent = 2 * item.size if item.indent else 0.0
    leading = item.size * 1.5
    for index, line in enumerate(_wrap(item.text, RIGHT - LEFT, item.size, indent)):
        pen.need(leading)
        pen.canvas.setFont(FONT, item.size)
        pen.y -= leading
        pen.canvas.drawString(LEFT + (indent if index == 0 else 0.0), pen.y, line)
        pen.blank = False
    pen.y -= item.size * 0.8


def _column_widths(table: Ruled, n_cols: int) -> list[float]:
    natural = [table.min_width] * n_cols
    for row in table.rows:
        for col, text in enumerate(row):
            for line in text.split("\n"):
                wanted = _width(line, table.size) + 6
                natural[col] = min(max(natural[col], wanted), table.max_width)
    scale = (RIGHT - LEFT) / sum(natural)
    return [width * scale for width in natural]


def _flow_table(pen: _Pen, table: Ruled) -> None:
    n_cols = max(len(row) for row in table.rows)
    widths = _column_widths(table, n_cols)
    lefts = [LEFT + sum(widths[:col]) for col in range(n_cols + 1)]
    leading = table.size * 1.25
    padding = 4.0
    canvas = pen.canvas
    for row in table.rows:
        texts = row + [""] * (n_cols - len(row))
        wrapped = [
            [piece for line in text.split("\n") for piece in _wrap(line, widths[col] - 6, table.size)]
            for col, text in enumerate(texts)
        ]
        height = max(len(lines) for lines in wrapped) * leading + 2 * padding
        height = max(height, table.size + 2 * padding)
        pen.need(height)
        top, bottom = pen.y, pen.y - height
        canvas.setLineWidth(0.6)
        canvas.setFont(FONT, table.size)
        for col, lines in enumerate(wrapped):
            canvas.rect(lefts[col], bottom, widths[col], height, stroke=1, fill=0)
            for index, line in enumerate(lines):
                canvas.drawString(lefts[col] + 3, top - padding - table.size - index * leading, line)
        pen.y = bottom
        pen.blank = False
    pen.y -= 12


def source_to_pdf(doc: SourceDocument) -> bytes:
    """``doc`` printed: headings as titles, text as indented paragraphs, tables ruled with long
    cells wrapped; each run of text that follows a table (the next form's title) starts a new page."""
    items: list[Flow] = []
    previous: Block | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if isinstance(previous, SourceTable):
                items.append(PageBreak())
            items.append(Title(block.text) if block.heading is not None else Text(block.text, size=10.5))
        else:
            items.append(Ruled([[cell.text for cell in row] for row in block.rows]))
        previous = block
    return flow_pdf(items)
