"""The .xlsx reader: the real 普陀 2026 部门预算 template, and small workbooks written inline."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.grid import display_rule, number_text
from jixiao.ingest.readers.xlsx import read_xlsx
from jixiao.ingest.source import SourceDocument, Table
from tests.conftest import XLSX_TEMPLATE
from tests.factories import xlsx_bytes, xlsx_with_sheet_xml


@pytest.fixture(scope="module")
def template() -> SourceDocument:
    return read_xlsx(XLSX_TEMPLATE.read_bytes(), XLSX_TEMPLATE.name)


def _sheet_table(doc: SourceDocument, sheet: str) -> Table:
    (table,) = [t for t in doc.tables if t.sheet == sheet]
    return table


def _find(table: Table, text: str) -> tuple[int, int]:
    for row in table.rows:
        for cell in row:
            if cell.text == text:
                return cell.row, cell.col
    raise AssertionError(f"{text!r} not in table")


def test_template_lists_all_17_sheets_and_has_a_table_per_statement_sheet(template: SourceDocument) -> None:
    assert len(template.sheets) == 17
    assert template.sheets[0] == "封面"
    assert template.sheets[12] == "部门国有资本经营预算拨款表 "  # the trailing space is in the file
    assert [t.sheet for t in template.tables] == template.sheets[6:15]
    assert [t.index for t in template.tables] == list(range(1, 10))


def test_template_income_sheet_header_cells_and_merges(template: SourceDocument) -> None:
    table = _sheet_table(template, "部门收入总表")
    assert table.caption == "2026年部门收入预算总表"
    assert (table.n_rows, table.n_cols) == (19, 9)  # A2:I20, the used range
    total = table.cell(*_find(table, "合计"))
    assert total is not None
    assert (
        total.loc.cell == "E7"
        and total.loc.label() == "sh-putuo-2026-bumen-yusuan-template-blank.xlsx:部门收入总表!E7"
    )
    assert (total.loc.row, total.loc.col, total.rowspan, total.colspan) == (7, 5, 2, 1)  # E7:E8
    below = table.cell(total.row + 1, total.col)
    assert below is not None and below.text == "" and below.covered_by == (total.row, total.col)
    code = table.cell(*_find(table, "功能分类科目编码"))
    assert code is not None and code.loc.cell == "A7" and code.colspan == 3  # A7:C7
    title = table.cell(1, 1)
    assert title is not None and title.text == "2026年部门收入预算总表" and title.colspan == 9
    assert all(table.cell(1, col).covered_by == (1, 1) for col in range(2, 10))  # type: ignore[union-attr]


def test_template_numbers_and_text_codes_keep_their_display(template: SourceDocument) -> None:
    table = _sheet_table(template, "部门收入总表")
    assert table.row_texts(8)[:4] == ["205", "", "", "教育支出"]  # A9 is the number 205
    assert table.row_texts(10)[:4] == ["205", "02", "05", "高等教育"]  # B11/C11 are text "02"/"05"
    assert table.cell(10, 2).loc.cell == "B11"  # type: ignore[union-attr]
    assert "事业单位\n经营收入" in table.row_texts(6)


def test_template_three_level_header_of_the_sangong_sheet(template: SourceDocument) -> None:
    table = _sheet_table(template, "部门“三公”经费和机关运行费预算表")
    running = table.cell(*_find(table, "机关运行经费预算数"))
    assert running is not None and running.loc.cell == "G4" and running.rowspan == 3  # G4:G6
    car = table.cell(*_find(table, "公务用车购置及运行费"))
    assert car is not None and car.loc.cell == "D5" and car.colspan == 3  # D5:F5
    assert table.text(car.row + 1, car.col) == "小计"


def test_template_title_rows_become_paragraphs_before_the_table(template: SourceDocument) -> None:
    table = _sheet_table(template, "部门收支总表")
    before = template.preceding_paragraphs(table)
    assert [p.text for p in before][-2:] == ["部门收支总表", "2026年部门财务收支预算总表"]
    assert before[-2].heading == 1
    assert before[-1].loc.label().endswith("部门收支总表!A2")


def test_template_single_column_sheets_are_paragraphs_split_by_line(template: SourceDocument) -> None:
    texts = [p.text for p in template.paragraphs]
    assert "预算主管部门：上海市普陀区XX局" in texts  # 封面!A9, merged A9:M9
    index = texts.index("名词解释")
    assert template.paragraphs[index].heading == 1
    assert texts[index + 1] == "名词解释"  # A1
    assert texts[index + 2].startswith("（一）财政拨款收入：是区级预算主管部门")  # first line of A3
    assert template.paragraphs[index + 2].loc.cell == "A3"


def test_reading_the_template_is_fast() -> None:
    data = XLSX_TEMPLATE.read_bytes()
    started = time.process_time()  # CPU time: other processes on the machine do not count
    read_xlsx(data, "t.xlsx")
    assert time.process_time() - started < 0.5


def test_numbers_have_no_float_artifacts_and_follow_the_format() -> None:
    data = xlsx_bytes(
        {
            "表1": [
                ["项目", "金额", "比例", "日期"],
                ["合计", 8562.6, 0.125, date(2024, 3, 15)],
                ["和", 0.1 + 0.2, 1, None],
            ]
        },
        formats={"表1": {"C2": "0.0%", "B3": "0.00", "D2": "yyyy-mm-dd"}},
    )
    table = read_xlsx(data, "n.xlsx").tables[0]
    assert table.row_texts(2) == ["合计", "8562.6", "12.5%", "2024-03-15"]
    assert table.row_texts(3) == ["和", "0.30", "1", ""]


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (8562.599999999999, "0.00", "8562.60"),
        (8562.6, "General", "8562.6"),
        (8562.6, "#,##0", "8563"),
        (1234.5, "#,##0.00_ ", "1234.50"),
        (0.3, "0.0#", "0.3"),
        (0.305, "0.0#", "0.31"),
        (-0.0001, "0.00", "0.00"),
        (1e-07, None, "0.0000001"),
        (123456789012345680.0, None, "123456789012346000"),
        (0.6, "0%", "60%"),
        (2, "@", "2"),
    ],
)
def test_number_text(value: float, number_format: str | None, expected: str) -> None:
    assert number_text(value, number_format) == expected


def test_display_rule_ignores_literals_colours_and_negative_sections() -> None:
    assert display_rule('#,##0.00"万元";[Red]-#,##0.00') == ((2, 2), False)
    assert display_rule("0.00E+00") == (None, False)
    assert display_rule("General") == (None, False)


def test_formulas_booleans_errors_and_inline_strings_from_the_xml() -> None:
    data = xlsx_with_sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>项目</t></r><r><t>名称</t></r></is></c>'
        '<c r="B1" t="inlineStr"><is><t>金额</t></is></c><c r="C1" t="inlineStr"><is><t>有效</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>合计</t></is></c>'
        '<c r="B2"><f>SUM(B3:B4)</f><v>8562.6000000000004</v></c><c r="C2" t="b"><v>1</v></c></row>'
        '<row r="3"><c t="inlineStr"><is><t>无坐标</t></is></c><c><v>7</v></c><c t="e"><v>#DIV/0!</v></c></row>'
    )
    table = read_xlsx(data, "f.xlsx").tables[0]
    assert table.row_texts(1) == ["项目名称", "金额", "有效"]
    assert table.row_texts(2) == ["合计", "8562.6", "TRUE"]  # the formula's cached value
    assert table.row_texts(3) == ["无坐标", "7", "#DIV/0!"]  # cells without r= follow each other
    assert table.cell(3, 2).loc.cell == "B3"  # type: ignore[union-attr]


def test_dates_in_chinese_formats_times_and_durations_are_iso() -> None:
    data = xlsx_bytes(
        {"表1": [["时间", "日期", "时长"], [datetime(2024, 12, 31, 8, 30), date(2024, 3, 15), 1.5]]},
        formats={"表1": {"A2": "yyyy/m/d h:mm", "B2": 'yyyy"年"m"月"d"日"', "C2": "[h]:mm"}},
    )
    assert read_xlsx(data, "d.xlsx").tables[0].row_texts(2) == [
        "2024-12-31 08:30:00",
        "2024-03-15",
        "36:00:00",
    ]


def test_text_hidden_under_a_merge_is_dropped_like_excel_does() -> None:
    data = xlsx_with_sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c><c r="B1" t="inlineStr"><is><t>藏</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" t="inlineStr"><is><t>b</t></is></c></row>',
        merges=["A1:B1"],
    )
    table = read_xlsx(data, "m.xlsx").tables[0]
    assert table.row_texts(1) == ["标题", ""]
    assert table.cell(1, 2).covered_by == (1, 1)  # type: ignore[union-attr]


def test_used_range_offsets_keep_sheet_coordinates() -> None:
    data = xlsx_bytes({"表1": "项目\t金额\n合计\t10"}, start="C3")
    table = read_xlsx(data, "o.xlsx").tables[0]
    assert (table.n_rows, table.n_cols) == (2, 2)
    cell = table.cell(2, 2)
    assert cell is not None and cell.text == "10"
    assert (cell.row, cell.col, cell.loc.row, cell.loc.col, cell.loc.cell) == (2, 2, 4, 4, "D4")
    assert table.loc.cell == "C3"


def test_merge_reaching_beyond_the_text_widens_the_table() -> None:
    data = xlsx_bytes({"表1": "2023年部门收支总体情况表\n项目\t金额"}, merges={"表1": ["A1:D1"]})
    table = read_xlsx(data, "w.xlsx").tables[0]
    assert table.n_cols == 4 and table.cell(1, 1).colspan == 4  # type: ignore[union-attr]
    assert table.caption == "2023年部门收支总体情况表"


def test_hidden_sheets_are_read_and_noted_empty_sheets_are_listed_only() -> None:
    data = xlsx_bytes({"表1": "a\tb", "空": [], "隐藏": "c\td"}, hidden={"隐藏"})
    doc = read_xlsx(data, "h.xlsx")
    assert doc.sheets == ["表1", "空", "隐藏"]
    assert [t.sheet for t in doc.tables] == ["表1", "隐藏"]
    (note,) = doc.findings
    assert note.code == "R014" and note.severity.value == "info"
    assert note.message == "工作表已隐藏，其内容仍已读取：h.xlsx（工作表“隐藏”）"


def test_a_workbook_of_empty_sheets_has_no_content() -> None:
    with pytest.raises(ReadError) as raised:
        read_xlsx(xlsx_bytes({"空1": [], "空2": []}), "e.xlsx")
    assert raised.value.code == "R011"
    assert raised.value.message == "文件中没有任何可读内容：e.xlsx（2 个工作表均为空）"


def test_a_sheet_too_large_to_expand_is_refused() -> None:
    data = xlsx_with_sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    with pytest.raises(ReadError) as raised:
        read_xlsx(data, "big.xlsx")
    assert raised.value.code == "R007"
    assert "1048576 行 × 16384 列" in raised.value.message
