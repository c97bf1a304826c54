"""The text-export reader on the real seeds and on inline text."""

from __future__ import annotations

import pytest

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.text import read_text
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


def test_tab_lines_become_tables_and_blank_lines_do_not_split_them() -> None:
    doc = read_text("# 标题\n说明文字\na\tb\tc\n\n\nd\te\tf\n结尾\n".encode(), "x.txt")
    assert [p.text for p in doc.paragraphs] == ["标题", "说明文字", "结尾"]
    assert doc.paragraphs[0].heading == 1
    (table,) = doc.tables
    assert table.row_texts(2) == ["d", "e", "f"]
    assert table.continued == [2]
    assert table.caption == "说明文字"


def test_cells_keep_provenance_with_line_and_cell_name() -> None:
    doc = read_text("x\n\n甲\t乙\n丙\t丁\n".encode(), "f.txt")
    cell = doc.tables[0].cell(2, 2)
    assert cell is not None and cell.text == "丁"
    assert (cell.loc.line, cell.loc.table, cell.loc.row, cell.loc.col, cell.loc.cell) == (4, 1, 2, 2, "B2")
    assert cell.loc.label() == "f.txt:L4:表1 行2 列2"


def test_html_paragraphs_inside_cells_become_line_breaks() -> None:
    doc = read_text("a\t<p>一、甲</p> <p>二、乙</p>\n".encode(), "f.txt")
    assert doc.tables[0].text(1, 2) == "一、甲\n二、乙"


def test_gb18030_and_bom_are_decoded() -> None:
    assert read_text("部门\t金额\n".encode("gb18030"), "g.txt").tables[0].text(1, 1) == "部门"
    assert read_text("\ufeff部门\t金额\n".encode(), "b.txt").tables[0].text(1, 1) == "部门"


def test_binary_content_and_blank_text_are_refused() -> None:
    with pytest.raises(ReadError) as binary:
        read_text(b"\x00\x01\x02abc", "x.txt")
    assert binary.value.code == "R003"
    with pytest.raises(ReadError) as blank:
        read_text(b"\n \n\t\n", "x.txt")
    assert blank.value.code in ("R011",)


@pytest.mark.parametrize(
    ("path", "tables", "first_rows"),
    [(SEED_000, 1, 70), (SEED_002, 4, 4), (SEED_003, 9, 35), (SEED_004, 5, 59)],
)
def test_seed_tables(path, tables, first_rows) -> None:  # type: ignore[no-untyped-def]
    doc = read_text(path.read_bytes(), path.name)
    assert len(doc.tables) == tables
    assert doc.tables[0].n_rows == first_rows


def test_seed_000_task_rows_split_by_a_page_break_stay_in_one_table() -> None:
    doc = read_text(SEED_000.read_bytes(), SEED_000.name)
    table = doc.tables[0]
    texts = [" ".join(table.row_texts(r)) for r in range(1, table.n_rows + 1)]
    assert any(t.startswith("任务 任务6") for t in texts)
    assert 19 in table.continued


def test_a_sentence_cut_by_a_page_break_is_joined_but_headings_are_not() -> None:
    doc = read_text(SEED_002.read_bytes(), SEED_002.name)
    texts = [p.text for p in doc.paragraphs]
    assert any(
        t.startswith("3、负责全区促进就业工作。拟订全区统筹城乡的就业发展规划和实施意见") for t in texts
    )
    assert "2. 年度主要工作内容" in texts
