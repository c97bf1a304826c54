"""The layout contract writers rely on: ``Grid.rows`` gives every column of every row, once."""

from __future__ import annotations

import re

from jixiao.render.html import write_html
from jixiao.render.layout import Cell, Grid
from jixiao.render.pipeline import document_doc
from tests.conftest import SEED_003, load_document


def _positions(grid: Grid) -> list[set[int]]:
    """Per row, the columns its cells (and the spans reaching into it) cover."""
    taken: list[set[int]] = [set() for _ in range(grid.shape[0])]
    for row in grid.rows():
        for cell in row:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    assert c not in taken[r], (r, c)
                    taken[r].add(c)
    return taken


def test_a_row_starting_in_its_name_column_gets_blank_cells_before_it() -> None:
    grid = Grid("表", (Cell(0, 0, "科目编码", colspan=2), Cell(0, 2, "科目名称"), Cell(1, 2, "合计")))
    assert [[c.col for c in row] for row in grid.rows()] == [[0, 2], [0, 1, 2]]
    assert all(c.text == "" for c in list(grid.rows())[1][:2])


def test_every_grid_of_the_003_package_covers_each_column_once_and_html_keeps_them() -> None:
    document, _ = load_document(SEED_003)
    doc = document_doc(document, "html")
    for grid in doc.grids():
        cols = grid.shape[1]
        assert all(columns == set(range(cols)) for columns in _positions(grid)), grid.title
    page = write_html(doc)
    # 表四's 合计 row starts in the 科目名称 column: in HTML, blank cells keep it there
    title = next(g.title for g in doc.grids() if g.title.endswith("一般公共预算支出情况表"))
    table = page[page.rindex(f">{title}<") :]  # the grid, not its line in the 目录
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    first = re.search(r"<tr>(.*?)</tr>", body, re.S)
    assert first is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", first.group(1), re.S)
    assert cells[:5] == ["", "", "", "", "合计"]
