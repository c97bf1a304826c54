"""A ``Doc`` as one self-contained HTML page, set like an official document.

Enters: a ``Doc`` (title, subtitle, headings, paragraphs, grids, charts, page breaks). Leaves: one
HTML string, ``lang="zh-CN"``, styles inlined in a ``<style>``, no script, no link to anything
outside the page (charts are inline SVG). Everything from the document is escaped (jinja2
autoescape). Headings 一、/（一）/1. become ``h2``/``h3``/``h4``; a ``Grid`` becomes its title, the
lines above it (单位：万元 on the right), a ``<table>`` whose header rows sit in ``<thead>`` (so
WeasyPrint repeats them on every PDF page), spans as rowspan/colspan, column widths from
``Grid.widths`` as percentages, and its notes below.

The page template and its CSS live in ``render/templates`` (package data); ``pdf.write_pdf`` prints
this same page with the print rules of ``templates/print.css.j2`` added.

>>> from jixiao.render.layout import line_alignment, Doc, Paragraph
>>> page = write_html(Doc("绩效自评报告", (Paragraph("<预算> & 执行"),)))
>>> "&lt;预算&gt; &amp; 执行" in page and "<script" not in page
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

from jixiao.render.chart import chart_svg
from jixiao.render.fonts import BODY_FONTS, HEADING_FONTS, KAI_FONTS, TITLE_FONTS
from jixiao.render.layout import Block, Cell, Chart, Doc, Grid, Heading, PageBreak, Paragraph, line_alignment

PAGE_TEMPLATE = "doc.html.j2"
PAGE_CSS = "doc.css.j2"
PRINT_CSS = "print.css.j2"


def _template_source(name: str) -> str:
    return files("jixiao.render").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The render templates: HTML ones autoescaped, CSS ones not (they hold no document text
    except through ``css_string``)."""
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        autoescape=lambda name: name is not None and name.endswith(".html.j2"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: anything but letters and digits as a hex escape, so a
    header can never close the string or the rule (``"a;}"`` → ``"a\\3b \\7d "``)."""
    return '"' + "".join(char if char.isalnum() else f"\\{ord(char):x} " for char in text) + '"'


def font_stacks() -> dict[str, str]:
    """The CSS font stacks the templates use, by name."""
    return {
        "body_fonts": BODY_FONTS,
        "title_fonts": TITLE_FONTS,
        "heading_fonts": HEADING_FONTS,
        "kai_fonts": KAI_FONTS,
    }


def page_css() -> str:
    """The page's own CSS (screen and print alike)."""
    return environment().get_template(PAGE_CSS).render(**font_stacks())


def print_css(doc: Doc, *, header: bool = True, page_numbers: bool = True, first_page: int = 1) -> str:
    """The print rules for ``doc``: A4 pages, its header, page numbers (the first page numbered
    ``first_page``), landscape pages. ``pdf.py`` prints the later parts of a long document
    without numbers and stamps them from pages printed with neither header nor content."""
    text = css_string(doc.header) if doc.header and header else None
    return (
        environment()
        .get_template(PRINT_CSS)
        .render(header=text, page_numbers=page_numbers, first_page=first_page, **font_stacks())
    )


@dataclass(frozen=True)
class _CellView:
    text: str
    classes: str
    rowspan: int
    colspan: int
    note: str | None


@dataclass(frozen=True)
class _LineView:
    text: str
    align: str


@dataclass(frozen=True)
class _BlockView:
    kind: str
    text: str = ""
    level: int = 2
    classes: str = ""
    title: str = ""
    above: tuple[_LineView, ...] = ()
    widths: tuple[str, ...] = ()
    head: tuple[tuple[_CellView, ...], ...] = ()
    body: tuple[tuple[_CellView, ...], ...] = ()
    notes: tuple[str, ...] = ()
    svg: Markup | None = None
    leads: tuple[_BlockView, ...] = ()  # headings printed with a landscape grid, on its page


def _cell_view(cell: Cell, header_rows: int) -> _CellView:
    classes = [cell.role, f"align-{cell.alignment}"]
    if cell.strong:
        classes.append("strong")
    rowspan = cell.rowspan
    if cell.row < header_rows:  # a header cell must not reach into the body rows
        rowspan = min(rowspan, header_rows - cell.row)
    return _CellView(cell.text, " ".join(classes), max(rowspan, 1), max(cell.colspan, 1), cell.note)


def _percentages(widths: tuple[float, ...], columns: int) -> tuple[str, ...]:
    """Column widths in characters → percentages of the table (missing columns get the mean)."""
    if not widths or columns == 0:
        return ()
    known = [Decimal(str(width)) for width in widths[:columns] if width > 0]
    if not known:
        return ()
    mean = sum(known, Decimal(0)) / len(known)
    chars = [Decimal(str(width)) if width > 0 else mean for width in widths[:columns]]
    chars += [mean] * (columns - len(chars))
    total = sum(chars, Decimal(0))
    return tuple(format((width * 100 / total).quantize(Decimal("0.01")), "f") for width in chars)


def _grid_view(grid: Grid) -> _BlockView:
    rows = [tuple(_cell_view(cell, grid.header_rows) for cell in row) for row in grid.rows()]
    head, body = rows[: grid.header_rows], rows[grid.header_rows :]
    return _BlockView(
        kind="grid",
        classes="grid wide" if grid.landscape else "grid",
        title=grid.title,
        above=tuple(_LineView(line, line_alignment(line)) for line in grid.above),
        widths=_percentages(grid.widths, grid.shape[1]),
        head=tuple(head),
        body=tuple(body),
        notes=grid.notes,
    )


def _block_view(block: Block) -> _BlockView:
    if isinstance(block, Heading):
        return _BlockView(kind="heading", text=block.text, level=min(max(block.level, 1), 3) + 1)
    if isinstance(block, Paragraph):
        classes = [f"align-{block.align}"]
        if block.indent:
            classes.append("indent")
        if block.bold:
            classes.append("bold")
        return _BlockView(kind="paragraph", text=block.text, classes=" ".join(classes))
    if isinstance(block, Grid):
        return _grid_view(block)
    if isinstance(block, Chart):
        # chart_svg escapes every text it writes; in HTML the SVG namespace is implied, and without
        # it the page holds no address at all
        svg = chart_svg(block).replace(' xmlns="http://www.w3.org/2000/svg"', "", 1)
        return _BlockView(kind="chart", svg=Markup(svg))
    if isinstance(block, PageBreak):
        return _BlockView(kind="break")
    raise TypeError(f"unknown block: {block!r}")


def _is_wide(block: Block | None) -> bool:
    return isinstance(block, Grid) and block.landscape


def _block_views(blocks: tuple[Block, ...]) -> list[_BlockView]:
    """The views in reading order, arranged for print.

    Headings right before a landscape grid move into its section, so they print on its landscape
    page instead of alone at the foot of a portrait one. Redundant page breaks go: one next to
    another, next to a landscape grid (which starts and ends its own pages) or at the very end
    would each print an empty page.
    """
    items: list[tuple[list[Heading], Block]] = []
    for block in blocks:
        leads: list[Heading] = []
        if _is_wide(block):
            while items and not items[-1][0] and isinstance(items[-1][1], Heading):
                heading = items.pop()[1]
                assert isinstance(heading, Heading)
                leads.insert(0, heading)
        items.append((leads, block))
    views: list[_BlockView] = []
    for index, (leads, block) in enumerate(items):
        if isinstance(block, PageBreak):
            following = items[index + 1][1] if index + 1 < len(items) else None
            if following is None or _is_wide(following) or isinstance(following, PageBreak):
                continue
            if views and (views[-1].kind == "break" or "wide" in views[-1].classes.split()):
                continue
        view = _block_view(block)
        if leads:
            view = replace(view, leads=tuple(_block_view(heading) for heading in leads))
        views.append(view)
    return views


def _page(doc: Doc, views: Sequence[_BlockView], head: bool) -> str:
    template = environment().get_template(PAGE_TEMPLATE)
    return template.render(
        doc=doc,
        head=head,
        blocks=views,
        css=Markup(page_css()),  # our own stylesheet: no document text in it
    )


def write_html(doc: Doc) -> str:
    """``doc`` as one self-contained HTML page (UTF-8 text)."""
    return _page(doc, _block_views(doc.blocks), head=True)


# ------------------------------------------------------------------ a long document in parts
#: What printing costs, in tenths of a millisecond of WeasyPrint CPU time (fitted on the sections
#: of the corpus packages and seeds 002/003, measured on this machine): per table, per cell (a cell
#: of a landscape table costs more: its pages hold more), per character in a cell, per heading or
#: paragraph, per five characters of prose, per chart. Only the balance between the parts of a
#: long document and whether it is cut at all depend on these, never what is printed.
GRID_COST, CELL_COST, WIDE_CELL_COST, CELL_CHAR_COST = 430, 11, 16, 1
BLOCK_COST, CHARS_PER_UNIT, CHART_COST = 80, 5, 500


@dataclass(frozen=True)
class Section:
    """A run of blocks that starts on a new page whatever comes before it (after a page break,
    and a landscape grid with its headings, which has pages of its own), and its printing cost."""

    views: tuple[_BlockView, ...]
    cost: int


def _cost(view: _BlockView) -> int:
    if view.kind == "grid":
        cells = [cell for row in view.head + view.body for cell in row]
        per_cell = WIDE_CELL_COST if "wide" in view.classes.split() else CELL_COST
        chars = sum(len(cell.text) for cell in cells)
        return GRID_COST + per_cell * len(cells) + CELL_CHAR_COST * chars + sum(map(_cost, view.leads))
    if view.kind == "chart":
        return CHART_COST
    if view.kind == "break":
        return 0
    return BLOCK_COST + len(view.text) // CHARS_PER_UNIT


def page_sections(doc: Doc) -> tuple[Section, ...]:
    """``doc``'s blocks as printed, cut wherever a new page starts anyway: after a page break
    (which goes: each section begins a page of its own) and around every landscape grid. Printed
    one after the other, the sections give the pages of the whole document, page for page."""
    runs: list[list[_BlockView]] = [[]]
    for view in _block_views(doc.blocks):
        if view.kind == "break":
            runs[-1].append(view)  # dropped where a part ends: see write_html_part
            runs.append([])
            continue
        wide = "wide" in view.classes.split()
        if wide and runs[-1]:
            runs.append([])
        runs[-1].append(view)
        if wide:
            runs.append([])
    return tuple(Section(tuple(run), sum(map(_cost, run))) for run in runs if run)


def write_html_part(doc: Doc, sections: Sequence[Section], first: bool) -> str:
    """The page printing ``sections`` of ``doc`` (consecutive ones): with the document's title and
    subtitle when it is the ``first`` part; the page break that ended the last section in the
    whole document goes (it would print an empty page at the end)."""
    views = [view for section in sections for view in section.views]
    if views and views[-1].kind == "break":
        views.pop()
    return _page(doc, views, head=first)
