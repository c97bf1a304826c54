"""A stored version's forms laid out as the forms are, with the findings attached to their rows.

Enters: a ``ParsedDocument`` (``store.parsed_document``) and the version's findings (the stored
audit JSON, each with ``locations``). Leaves: ``FormTable`` objects for the template: the grids of
``jixiao.render.pipeline.document_doc(document, "html")`` (the layout every output is written
from) as rows of cells, each cell with an id, and each 三级指标 row with the findings whose
location names that indicator's row in the source (``Indicator.loc`` and ``Indicator.cells``):
the same line of a text export, or the same (sheet, row) / (page, table, row).

The grids carry no source locations, so an indicator is found in a grid by its name in the
三级指标 column: the k-th row named X is the k-th indicator named X of the document.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from jixiao.model.document import ParsedDocument
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
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
    """Does a finding's location name the row ``loc`` is on?"""
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


def indicator_findings(indicator: Indicator, findings: list[dict[str, Any]]) -> list[int]:
    """The positions in ``findings`` of those pointing at ``indicator``'s row."""
    places = [indicator.loc, *indicator.cells.values()] if indicator.loc else list(indicator.cells.values())
    hits = []
    for index, finding in enumerate(findings):
        locations = finding.get("locations") or []
        if any(same_place(where or {}, loc) for where in locations for loc in places if loc):
            hits.append(index)
    return hits


def indicators_of(document: ParsedDocument) -> list[Indicator]:
    """Every indicator of every form, in order (their positions name the rows' anchors)."""
    return [i for form in document.forms for i in (getattr(form, "indicators", None) or [])]


def indicator_anchors(document: ParsedDocument, findings: list[dict[str, Any]]) -> dict[int, str]:
    """For each finding pointing at an indicator row, that row's anchor (``ind-<position>``)."""
    anchors: dict[int, str] = {}
    for position, indicator in enumerate(indicators_of(document)):
        for index in indicator_findings(indicator, findings):
            anchors.setdefault(index, f"ind-{position}")
    return anchors


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


@dataclass
class HtmlRow:
    cells: list[HtmlCell]
    anchor: str | None = None  # the indicator row's id, for links from the findings panel
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


def form_tables(
    document: ParsedDocument, findings: list[dict[str, Any]], dismissed: set[int] | None = None
) -> list[FormTable]:
    """The document's grids as HTML rows, each 三级指标 row with the findings pointing at it.

    Raises ``jixiao.render.RenderError`` when the document has no form to lay out."""
    dismissed = dismissed or set()
    doc = document_doc(document, "html")
    queue: dict[str, deque[tuple[int, Indicator]]] = defaultdict(deque)
    for position, indicator in enumerate(indicators_of(document)):
        queue[indicator.name.strip()].append((position, indicator))
    tables: list[FormTable] = []
    for g, grid in enumerate(doc.grids()):
        column = _name_column(grid)
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
                    row.findings = indicator_findings(indicator, findings)
                    open_ones = [
                        findings[i].get("severity", "info") for i in row.findings if i not in dismissed
                    ]
                    if open_ones:
                        row.severity = min(open_ones, key=lambda s: SEVERITY_ORDER.get(s, 9))
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
    return tables
