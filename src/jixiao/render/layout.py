"""The page layout every output is written from: a document of blocks, tables as grids of cells.

Enters: nothing from the outside: builders (``jixiao.render.forms``, ``.evaluation``, ``.report``,
``.disclosure``) make a ``Doc`` from the typed model. Leaves: a ``Doc`` that the writers
(``jixiao.render.xlsx``, ``.docx``, ``.html``, ``.pdf``) turn into bytes, each the same way: one
layout, four formats, so an amount can never differ between the xlsx, the Word file and the PDF.

A ``Grid`` is a form as printed: cells placed at (row, col), 0-based, with their spans (the merged
一级/二级指标 cells, the 2-row headers), column widths in characters, the 单位：万元 line above it.
Money and numbers keep their exact ``Decimal`` (``Cell.value``) next to the text shown
(``Cell.text``, rounded 四舍五入 for display only), so the xlsx can hold the number and its format.

>>> grid = Grid(title="项目支出绩效目标申报表", widths=(10, 20), cells=(
...     Cell(0, 0, "项目名称", role="label"), Cell(0, 1, "就业补助"),
... ))
>>> grid.shape
(1, 2)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jixiao.model.money import display

Role = Literal[
    "head",  # a column header: bold, centred, shaded
    "label",  # a row label on a form (项目名称, 年度总体目标): bold, centred
    "text",  # free text: left-aligned, wraps
    "money",  # an amount: right-aligned, thousands separators, ``value`` exact
    "number",  # a plain number (分值, 得分, a percentage): right-aligned, ``value`` exact
    "total",  # a 合计/总计 line's label: bold
]
Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell at (row, col), spanning ``rowspan`` × ``colspan``; ``value`` is the exact number
    behind a money/number cell (``text`` is how it is shown), ``places`` its display decimals."""

    row: int
    col: int
    text: str = ""
    role: Role = "text"
    rowspan: int = 1
    colspan: int = 1
    value: Decimal | None = None
    places: int | None = None  # decimals shown; None: as the value has them
    bold: bool = False
    align: Align | None = None  # None: by role
    choices: tuple[str, ...] = ()  # xlsx data validation: a drop-down of these values
    open_choices: bool = False  # the drop-down suggests (a warning) rather than restricts: units
    note: str | None = None  # a comment on the cell (xlsx comment, html title)

    @property
    def alignment(self) -> Align:
        if self.align is not None:
            return self.align
        if self.role in ("money", "number"):
            return "right"
        if self.role in ("head", "label", "total"):
            return "center" if self.role != "total" else "left"
        return "left"

    @property
    def strong(self) -> bool:
        return self.bold or self.role in ("head", "label", "total")


def money_cell(
    row: int, col: int, amount: Decimal | None, places: int = 2, *, colspan: int = 1, bold: bool = False
) -> Cell:
    """An amount shown with thousands separators and ``places`` decimals, rounded half up only for
    display; the cell keeps the exact amount. ``None`` is a blank cell."""
    if amount is None:
        return Cell(row, col, "", role="money", colspan=colspan, bold=bold)
    shown = display(amount, places)
    return Cell(row, col, shown, "money", 1, colspan, amount, places, bold)


def number_cell(
    row: int, col: int, value: Decimal | None, suffix: str = "", *, colspan: int = 1, bold: bool = False
) -> Cell:
    """A plain number (分值 2, 得分 1.6, 95.6, 96.5%) shown as it is, without trailing zeros."""
    if value is None:
        return Cell(row, col, "", role="number", colspan=colspan, bold=bold)
    shown = format(value, "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return Cell(row, col, shown + suffix, "number", 1, colspan, value, None, bold)


@dataclass(frozen=True)
class Grid:
    """A table as printed: its title, the lines above it (单位：万元, 填报单位), cells, the column
    widths in characters (about one CJK character each), how many leading rows are the header
    (repeated on each PDF page, frozen in xlsx), and footnotes below it."""

    title: str
    cells: tuple[Cell, ...]
    widths: tuple[float, ...] = ()
    above: tuple[str, ...] = ()  # lines between the title and the table: 单位：万元, （2023年度）
    header_rows: int = 0
    notes: tuple[str, ...] = ()  # lines below: 注：…, 填表人/联系电话
    sheet: str | None = None  # the xlsx sheet name (≤ 31 characters); default from the title
    landscape: bool = False  # wide tables (indicator trees, 项目支出表) print across the page

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) the cells cover."""
        rows = max((c.row + c.rowspan for c in self.cells), default=0)
        cols = max((c.col + c.colspan for c in self.cells), default=len(self.widths))
        return rows, max(cols, len(self.widths))

    def rows(self) -> Iterator[list[Cell]]:
        """The cells row by row, in column order: positions covered by a span are absent, and a
        position no cell covers (a row that starts in its name column) is a blank cell, so a
        writer that lays cells out one after the other (HTML) keeps every cell in its column."""
        rows, cols = self.shape
        covered: set[tuple[int, int]] = set()
        by_row: dict[int, list[Cell]] = {}
        for cell in self.cells:
            by_row.setdefault(cell.row, []).append(cell)
            covered.update(
                (r, c)
                for r in range(cell.row, cell.row + cell.rowspan)
                for c in range(cell.col, cell.col + cell.colspan)
            )
        for row in range(rows):
            holes = [Cell(row, col) for col in range(cols) if (row, col) not in covered]
            yield sorted(by_row.get(row, []) + holes, key=lambda c: c.col)


def line_alignment(text: str) -> Align:
    """Where a line above a grid sits: 单位：万元 on the right, （2023年度） in the middle, 填报单位：…
    and 部门名称：… on the left."""
    stripped = text.strip()
    if stripped.startswith(("单位：", "单位:", "金额单位", "计量单位")):
        return "right"
    if stripped.startswith(("（", "(")) and stripped.endswith(("）", ")")):
        return "center"
    return "left"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 一、 2 （一） 3 1.


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True  # 首行缩进两字 as official prose is set
    align: Align = "left"
    bold: bool = False


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar per label (score per 一级指标), with the bar's maximum (its weight)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    maxima: tuple[Decimal, ...] = ()
    unit: str = "分"


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Grid | Chart | PageBreak


@dataclass(frozen=True)
class Doc:
    """A whole output: its title (the docx/pdf title page line and metadata), an optional page
    header (部门名称 + 年度), and its blocks in reading order. An xlsx gets one sheet per grid."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    header: str | None = None
    subtitle: str | None = None  # the line under the title: 单位名称（盖章）, 2023年度

    @property
    def titled(self) -> bool:
        """Does the title print above the blocks? Not when the first block is a grid with the same
        title (a form alone: its title is the grid's, printed once)."""
        first = self.blocks[0] if self.blocks else None
        return not (isinstance(first, Grid) and first.title == self.title)

    def grids(self) -> list[Grid]:
        return [block for block in self.blocks if isinstance(block, Grid)]


def doc_of(
    title: str, blocks: Sequence[Block], header: str | None = None, subtitle: str | None = None
) -> Doc:
    return Doc(title=title, blocks=tuple(blocks), header=header, subtitle=subtitle)
