"""A stored version's forms laid out as the forms are, with the findings attached to their rows.

Enters: a ``ParsedDocument`` (``store.parsed_document``) and the version's findings (the stored
audit JSON, each with ``locations``). Leaves: a ``FormLayout``: the grids of
``jixiao.render.pipeline.document_doc(document, "html")`` (the layout every output is written
from) as rows of cells, each cell with an id, and the rows and cells the findings point at:

- a 三级指标 row of a target form gets the findings whose location names that indicator's row in
  the source (``Indicator.loc`` and ``Indicator.cells``): the same line of a text export, or the
  same (sheet, row) / (page, table, row);
- a row of a disclosure table (部门预算/决算公开) gets the findings naming one of its source rows
  (``DisclosureRow.loc`` and ``.cells``), and a cell the findings naming that very cell (column).

The grids carry no source locations. An indicator is found in a grid by its name in the 三级指标
column: the k-th row named X is the k-th indicator named X of the document. A disclosure table's
rows and cells are found by drawing the table once more with ``table_grid`` (the library's own
layout, not a copy of it) from a marked copy: each row's name and amounts replaced by markers, so
that the cell a marker lands in is the cell that row and column are drawn in.

Findings are indexed once by the place they name (``FindingIndex``): matching a row is a few
dictionary look-ups, not a pass over every finding.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.model.disclosure import Disclosure, DisclosureTable
from jixiao.model.document import ParsedDocument
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.render.disclosure import table_grid
from jixiao.render.layout import Grid
from jixiao.render.pipeline import document_doc
from jixiao.web.views.common import SEVERITY_ORDER


def location_label(location: dict[str, Any] | None) -> str:
    """Where a finding points, without the file name: ``L135:表1 行4 列5``, ``Sheet1!C12``, ``p.7``."""
    if not location:
        return "全文"

    def number(name: str) -> int | None:
        value = location.get(name)
        return value if isinstance(value, int) else None

    def text(name: str) -> str | None:
        value = location.get(name)
        return str(value) if value is not None else None

    where = Loc(
        file="",
        sheet=text("sheet"),
        page=number("page"),
        table=number("table"),
        row=number("row"),
        col=number("col"),
        cell=text("cell"),
        line=number("line"),
    )
    label = where.label().lstrip(":")
    return label or "全文"


def same_place(where: dict[str, Any], loc: Loc) -> bool:
    """Does a finding's location name the row ``loc`` is on? (The definition ``FindingIndex``
    answers without comparing every pair.)"""
    line = where.get("line")
    if line is not None and loc.line is not None:
        return bool(line == loc.line)
    row = where.get("row")
    if row is None or loc.row is None or row != loc.row:
        return False
    if loc.sheet is not None:
        return bool(where.get("sheet") == loc.sheet)
    if loc.table is not None:
        return bool(where.get("table") == loc.table and where.get("page") == loc.page)
    return False


Key = tuple[Any, ...]
Hit = tuple[int, Any]  # (position of the finding, the column its location names or None)


def _row_keys(sheet: Any, table: Any, page: Any, row: Any) -> list[Key]:
    return [("sheet", sheet, row), ("table", table, page, row)]


class FindingIndex:
    """The findings of a version by the place each location names, so that the findings at a row
    are found with a few look-ups. ``at(places)`` is exactly the findings some location of which
    ``same_place`` matches with one of ``places``."""

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        self.findings = findings
        self._lines: dict[Any, list[Hit]] = defaultdict(list)
        self._rows: dict[Key, list[Hit]] = defaultdict(list)  # every location with a row
        self._rows_lineless: dict[Key, list[Hit]] = defaultdict(list)  # those without a line
        for index, finding in enumerate(findings):
            for where in finding.get("locations") or []:
                if not isinstance(where, dict):
                    continue
                hit = (index, where.get("col"))
                if where.get("line") is not None:
                    self._lines[where["line"]].append(hit)
                if where.get("row") is None:
                    continue
                for key in _row_keys(where.get("sheet"), where.get("table"), where.get("page"), where["row"]):
                    self._rows[key].append(hit)
                    if where.get("line") is None:
                        self._rows_lineless[key].append(hit)

    def _hits(self, loc: Loc) -> list[Hit]:
        hits: list[Hit] = []
        rows = self._rows
        if loc.line is not None:
            hits.extend(self._lines.get(loc.line, ()))
            rows = self._rows_lineless  # a location with a line is compared by its line only
        if loc.row is None:
            return hits
        if loc.sheet is not None:
            hits.extend(rows.get(("sheet", loc.sheet, loc.row), ()))
        elif loc.table is not None:
            hits.extend(rows.get(("table", loc.table, loc.page, loc.row), ()))
        return hits

    def at(self, places: Iterable[Loc | None]) -> list[int]:
        """Positions (ascending) of the findings pointing at the row of any of ``places``."""
        return sorted({index for loc in places if loc is not None for index, _ in self._hits(loc)})

    def at_cell(self, loc: Loc) -> list[int]:
        """Positions of the findings pointing at the cell ``loc`` itself (its row and column)."""
        if loc.col is None:
            return []
        return sorted({index for index, col in self._hits(loc) if col == loc.col})

    def worst(self, positions: Iterable[int], dismissed: set[int]) -> str | None:
        """The severity of the worst finding among ``positions`` not dismissed (None: none open)."""
        open_ones = [str(self.findings[i].get("severity", "info")) for i in positions if i not in dismissed]
        return min(open_ones, key=lambda s: SEVERITY_ORDER.get(s, 9)) if open_ones else None


def indicator_findings(indicator: Indicator, findings: list[dict[str, Any]] | FindingIndex) -> list[int]:
    """The positions in ``findings`` of those pointing at ``indicator``'s row."""
    index = findings if isinstance(findings, FindingIndex) else FindingIndex(findings)
    return index.at([indicator.loc, *indicator.cells.values()])


def indicators_of(document: ParsedDocument) -> list[Indicator]:
    """Every indicator of every form, in order (their positions name the rows' anchors)."""
    return [i for form in document.forms for i in (getattr(form, "indicators", None) or [])]


@dataclass
class HtmlCell:
    id: str
    text: str
    role: str
    rowspan: int
    colspan: int
    align: str
    strong: bool
    note: str | None
    findings: list[int] = field(default_factory=list)  # findings naming this very cell
    severity: str | None = None  # the worst open one's


@dataclass
class HtmlRow:
    cells: list[HtmlCell]
    anchor: str | None = None  # the row's id, for links from the findings panel
    indicator: str | None = None
    findings: list[int] = field(default_factory=list)  # positions in the version's findings
    severity: str | None = None  # the worst open finding's


@dataclass
class FormTable:
    title: str
    above: tuple[str, ...]
    notes: tuple[str, ...]
    header_rows: int
    rows: list[HtmlRow]
    widths: list[str] = field(default_factory=list)  # each column's share of the table, "12.5%"


@dataclass
class FormLayout:
    tables: list[FormTable]
    anchors: dict[int, str]  # finding position → the id of the first row it is highlighted on

    @property
    def indicators(self) -> list[str]:
        """The indicator names of the rows, in order (suggestions for a comment's place)."""
        return [row.indicator for table in self.tables for row in table.rows if row.indicator]


@dataclass
class SourcePlaces:
    """Where a disclosure table's grid came from: per grid row the source rows drawn on it, per
    grid cell (row, col) the source cell."""

    rows: dict[int, list[Loc]] = field(default_factory=dict)
    cells: dict[tuple[int, int], Loc] = field(default_factory=dict)


_MARK = re.compile(r"⟦(\d+)⟧")
_STRIDE = 100_000  # marker amount = row position × stride + column position + 1


def disclosure_places(table: DisclosureTable) -> SourcePlaces:
    """The source places behind ``table_grid(table, …)``'s rows and cells, found by drawing a copy
    whose row names and amounts are markers (the columns, sides and lines stay the same: they
    depend on which columns hold amounts or texts, never on the amounts or names themselves)."""
    marked = []
    keys: list[list[str]] = []
    for position, row in enumerate(table.rows):
        columns = list(row.values)
        keys.append(columns)
        values: dict[str, Decimal | None] = {
            column: Decimal(position * _STRIDE + k + 1) for k, column in enumerate(columns)
        }
        name = f"⟦{position}⟧" if row.name else row.name  # a nameless row stays nameless
        marked.append(row.model_copy(update={"name": name, "values": values}))
    grid = table_grid(table.model_copy(update={"rows": marked}), "一")
    places = SourcePlaces()
    for cell in grid.cells:
        if cell.row < grid.header_rows:
            continue
        source: Loc | None = None
        found: int | None = None
        if cell.value is not None and cell.role == "money":
            position, k = divmod(int(cell.value) - 1, _STRIDE)
            if 0 <= position < len(table.rows) and k < len(keys[position]):
                found = position
                source = table.rows[position].cells.get(keys[position][k])
        elif match := _MARK.search(cell.text):
            found = int(match.group(1))
            if found < len(table.rows):
                source = table.rows[found].loc
            else:
                found = None
        if found is None:
            continue
        row = table.rows[found]
        on_line = places.rows.setdefault(cell.row, [])
        for loc in (row.loc, *row.cells.values()):
            if loc is not None and loc not in on_line:
                on_line.append(loc)
        if source is not None:
            places.cells[(cell.row, cell.col)] = source
    return places


def _disclosure_grids(document: ParsedDocument, grids: list[Grid]) -> dict[int, SourcePlaces]:
    """Grid position → source places, for the grids drawn from disclosure tables (matched in order
    by title: ``表{number} {table title}``)."""
    tables = [t for form in document.forms if isinstance(form, Disclosure) for t in form.tables]
    found: dict[int, SourcePlaces] = {}
    next_table = 0
    for g, grid in enumerate(grids):
        if next_table >= len(tables):
            break
        table = tables[next_table]
        if grid.title.startswith("表") and grid.title.endswith(f" {table.title}"):
            found[g] = disclosure_places(table)
            next_table += 1
    return found


def _name_column(grid: Grid) -> tuple[int, int] | None:
    """(header row, column) of the 三级指标 header cell, when the grid has an indicator tree."""
    for cell in grid.cells:
        if cell.text.replace(" ", "").strip() in ("三级指标", "三级指标名称"):
            return cell.row, cell.col
    return None


def _shares(grid: Grid) -> list[str]:
    """The column widths (in characters) as percentages of the table, when the grid gives them."""
    columns = grid.shape[1]
    widths = list(grid.widths[:columns])
    if len(widths) != columns or sum(widths) <= 0:
        return []
    total = sum(widths)
    return [f"{100 * w / total:.2f}%" for w in widths]


def form_layout(
    document: ParsedDocument, findings: list[dict[str, Any]], dismissed: set[int] | None = None
) -> FormLayout:
    """The document's grids as HTML rows, each 三级指标 row and disclosure row with the findings
    pointing at it, and where in the grids each finding is highlighted first.

    Raises ``jixiao.render.RenderError`` when the document has no form to lay out."""
    dismissed = dismissed or set()
    index = FindingIndex(findings)
    grids = document_doc(document, "html").grids()
    queue: dict[str, deque[tuple[int, Indicator]]] = defaultdict(deque)
    for position, indicator in enumerate(indicators_of(document)):
        queue[indicator.name.strip()].append((position, indicator))
    sources = _disclosure_grids(document, grids)
    tables: list[FormTable] = []
    anchors: dict[int, str] = {}
    for g, grid in enumerate(grids):
        column = _name_column(grid)
        source = sources.get(g)
        rows: list[HtmlRow] = []
        for r, cells in enumerate(grid.rows()):
            row = HtmlRow(
                cells=[
                    HtmlCell(
                        id=f"g{g}r{c.row}c{c.col}",
                        text=c.text,
                        role=c.role,
                        rowspan=c.rowspan,
                        colspan=c.colspan,
                        align=c.alignment,
                        strong=c.strong,
                        note=c.note,
                    )
                    for c in cells
                ]
            )
            if column is not None and r > column[0]:
                name = next((c.text.strip() for c in cells if c.col == column[1]), "")
                if name and queue.get(name):
                    position, indicator = queue[name].popleft()
                    row.anchor = f"ind-{position}"
                    row.indicator = indicator.name
                    row.findings = index.at([indicator.loc, *indicator.cells.values()])
            elif source is not None and r in source.rows:
                row.findings = index.at(source.rows[r])
                if row.findings:
                    row.anchor = f"g{g}r{r}"
                    for html_cell, cell in zip(row.cells, cells, strict=True):
                        loc = source.cells.get((cell.row, cell.col))
                        if loc is not None:
                            html_cell.findings = index.at_cell(loc)
                            html_cell.severity = index.worst(html_cell.findings, dismissed)
            row.severity = index.worst(row.findings, dismissed)
            if row.anchor:
                for position in row.findings:
                    anchors.setdefault(position, row.anchor)
            rows.append(row)
        tables.append(
            FormTable(
                title=grid.title,
                above=grid.above,
                notes=grid.notes,
                header_rows=grid.header_rows,
                rows=rows,
                widths=_shares(grid),
            )
        )
    return FormLayout(tables, anchors)


def form_tables(
    document: ParsedDocument, findings: list[dict[str, Any]], dismissed: set[int] | None = None
) -> list[FormTable]:
    """``form_layout``'s tables alone."""
    return form_layout(document, findings, dismissed).tables
