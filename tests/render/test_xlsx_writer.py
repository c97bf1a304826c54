"""The xlsx writer: a ``Doc`` written as a workbook and read back with openpyxl and Jixiao's reader.

The main form is a 项目支出绩效目标申报表 laid out as 六枝特区 publishes it (seed 004, its second
project: 2023年技工院校县级配套学生资助资金): project rows, 资金情况 merged down, the indicator tree
with 一级/二级 merged over their rows. Real documents (seeds 000, 002, 003, 004) go through the
render pipeline's builders and must land cell by cell where their grids put them.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from jixiao.ingest.load import load_bytes
from jixiao.ingest.source import SourceDocument, Table, clean_text
from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.render.layout import (
    Cell,
    Chart,
    Doc,
    Grid,
    Heading,
    PageBreak,
    Paragraph,
    money_cell,
    number_cell,
)
from jixiao.render.pipeline import document_doc
from jixiao.render.xlsx import sheet_name, write_xlsx
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004, load_document

# 一级, 二级, 三级, 指标值, 指标解释 of seed 004's 技工院校 project
INDICATORS = [
    ("产出指标", "数量指标", "助学金资助人数", "≥1200人", "每学期实际核定人数"),
    ("产出指标", "数量指标", "免学费资助人数", "≥1000人", "每学期实际核定人数"),
    ("产出指标", "数量指标", "精准扶贫资助人数", "≥300人", "每学期实际核定人数"),
    ("产出指标", "质量指标", "资助学员识别准确率", "100%", "符合补贴条件人数/实际申报人数*100%"),
    ("产出指标", "质量指标", "补贴发放准确率", "100%", "实际发放补贴人数/应发放补贴人数*100%"),
    ("产出指标", "时效指标", "就读期间资助", "春秋两季实际入学学生中认定", ""),
    ("效益指标", "社会效益指标", "教育公平", "实现教育保障", "保障家庭经济困难学生顺利完成学业"),
    ("效益指标", "可持续影响指标", "继续推进教育公平", "得以保障", "保障家庭经济困难学生顺利完成学业"),
    ("满意度指标", "服务对象满意度指标", "学生、家长抽样调查满意度", "≥95%", "（满意人数÷调查人数）×100%"),
]
GOAL = (
    "确保就读技工院校的贵州省户籍家庭经济困难学生按规定获得国家免学费、助学金教育精准扶贫资助，"
    "配合上级部门完成学生的资助工作，让学生应助尽助，不漏一人，帮助其顺利完成学业。"
)
TREE_TOP = 6  # the grid row of the 一级指标 header


def _runs(values: list[str]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal neighbours."""
    runs: list[tuple[int, int]] = []
    for index, value in enumerate(values):
        if runs and values[runs[-1][0]] == value:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return runs


def project_grid() -> Grid:
    """The 项目支出绩效目标申报表 of seed 004's second project, as a 7-column grid."""
    cells = [
        Cell(0, 0, "项目名称", "label", colspan=2),
        Cell(0, 2, "2023年技工院校县级配套学生资助资金", colspan=5),
        Cell(1, 0, "主管部门", "label", colspan=2),
        Cell(1, 2, "六枝特区人力资源和社会保障局", colspan=2),
        Cell(1, 4, "项目属性", "label"),
        Cell(1, 5, "新增项目", colspan=2, choices=("新增项目", "延续项目")),
        Cell(2, 0, "项目负责人", "label", colspan=2),
        Cell(2, 2, "罗敏", colspan=2),
        Cell(2, 4, "联系电话", "label"),
        Cell(2, 5, "05322213", colspan=2),
        Cell(3, 0, "资金情况（万元）", "label", rowspan=2),
        Cell(3, 1, "预算资金", "label"),
        money_cell(3, 2, Decimal("28.4"), colspan=2),
        Cell(3, 4, "资金性质", "label"),
        Cell(
            3,
            5,
            "一般公共预算安排",
            colspan=2,
            choices=("一般公共预算安排", "政府性基金预算安排", "其他资金"),
        ),
        Cell(4, 1, "其中：财政拨款", "label"),
        money_cell(4, 2, Decimal("28.4"), colspan=2),
        Cell(4, 4, "其他资金", "label"),
        money_cell(4, 5, Decimal("0"), colspan=2),
        Cell(5, 0, "年度目标", "label", colspan=2),
        Cell(5, 2, GOAL, colspan=5),
        Cell(TREE_TOP, 0, "一级指标", "head"),
        Cell(TREE_TOP, 1, "二级指标", "head"),
        Cell(TREE_TOP, 2, "三级指标", "head", colspan=2),
        Cell(TREE_TOP, 4, "指标值", "head"),
        Cell(TREE_TOP, 5, "指标解释及计算公式", "head", colspan=2),
    ]
    first = TREE_TOP + 1
    for start, length in _runs([row[0] for row in INDICATORS]):
        cells.append(Cell(first + start, 0, INDICATORS[start][0], "label", rowspan=length))
    for start, length in _runs([f"{row[0]}/{row[1]}" for row in INDICATORS]):
        cells.append(Cell(first + start, 1, INDICATORS[start][1], "label", rowspan=length))
    for offset, (_, _, name, value, explanation) in enumerate(INDICATORS):
        note = "年度指标值须可衡量" if value.startswith("≥") else None
        cells.append(Cell(first + offset, 2, name, colspan=2))
        cells.append(Cell(first + offset, 4, value, align="center", note=note))
        cells.append(Cell(first + offset, 5, explanation, colspan=2))
    return Grid(
        title="六枝特区部门项目支出绩效目标申报表",
        cells=tuple(cells),
        widths=(8, 10, 10, 8, 10, 12, 12),
        above=("（2023年度）", "编制单位（盖章）：六枝特区人力资源和社会保障局", "单位：万元"),
        notes=("填表人：罗敏", "联系电话：5322213"),
        sheet="项目支出绩效目标申报表",
        landscape=True,
    )


def amounts_grid(n_rows: int = 3) -> Grid:
    """A 2-row-header amounts table (项目支出表): money with 2 places, a total line."""
    cells = [
        Cell(0, 0, "项目名称", "head", rowspan=2),
        Cell(0, 1, "金额", "head", colspan=2),
        Cell(1, 1, "合计", "head"),
        Cell(1, 2, "财政拨款", "head"),
    ]
    total = Decimal(0)
    for index in range(n_rows):
        amount = Decimal(index) + Decimal("0.125")
        total += amount
        cells += [Cell(2 + index, 0, f"项目{index + 1}"), money_cell(2 + index, 1, amount)]
        cells.append(money_cell(2 + index, 2, amount))
    row = 2 + n_rows
    cells += [Cell(row, 0, "合计", "total"), money_cell(row, 1, total, bold=True), money_cell(row, 2, total)]
    return Grid("项目支出表", tuple(cells), widths=(20, 12, 12), above=("单位：万元",), header_rows=2)


def project_doc() -> Doc:
    return Doc("项目支出绩效目标申报表", (project_grid(),), header="六枝特区人力资源和社会保障局 2023年度")


def read(data: bytes) -> SourceDocument:
    parsed, source = load_bytes(data, "x.xlsx")
    assert source is not None, parsed.findings
    return source


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def raw_values(data: bytes, sheet_index: int) -> dict[str, tuple[str | None, str]]:
    """Coordinate → (cell type, the stored text) straight from the sheet XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(f"xl/worksheets/sheet{sheet_index + 1}.xml"))
    found: dict[str, tuple[str | None, str]] = {}
    for cell in root.iter("{*}c"):
        text = "".join(cell.itertext())
        if text:
            found[str(cell.get("r"))] = (cell.get("t"), text)
    return found


def top_row(grid: Grid) -> int:
    """The 1-based sheet row of the grid's row 0: after the title and the ``above`` lines."""
    return 2 + len(grid.above)


def assert_grid_in_table(grid: Grid, table: Table, first_row: int) -> None:
    """Every cell of ``grid`` at its place in ``table`` (1-based ``first_row`` = grid row 0), with
    its spans; money and numbers as Jixiao reads the number back."""
    for cell in grid.cells:
        found = table.cell(first_row + cell.row, cell.col + 1)
        assert found is not None, cell
        assert (found.rowspan, found.colspan) == (cell.rowspan, cell.colspan), cell
        if cell.role in ("money", "number") and cell.value is not None:
            assert found.text.replace("%", "") != "", cell
            continue
        assert found.text == clean_text(cell.text), cell


# ---------------------------------------------------------------------------------------------
# the 申报表 read back


def test_project_form_reads_back_in_place() -> None:
    grid = project_grid()
    data = write_xlsx(project_doc())
    source = read(data)
    assert source.sheets == ["项目支出绩效目标申报表"]
    [table] = source.tables
    assert table.sheet == "项目支出绩效目标申报表"
    assert table.caption == "六枝特区部门项目支出绩效目标申报表"
    lines = [p.text for p in source.paragraphs]
    assert lines[1:5] == [grid.title, *grid.above]
    top = top_row(grid)
    assert table.text(top, 1) == "项目名称"
    assert table.text(top, 3) == "2023年技工院校县级配套学生资助资金"
    assert table.text(top + 2, 6) == "05322213"  # a phone number stays text, its 0 kept
    assert table.text(top + 3, 3) == "28.40"  # shown as the format says
    funds = table.cell(top + 3, 1)
    assert funds is not None and (funds.text, funds.rowspan) == ("资金情况（万元）", 2)
    output = table.cell(top + TREE_TOP + 1, 1)
    assert output is not None and (output.text, output.rowspan) == ("产出指标", 6)
    quantity = table.cell(top + TREE_TOP + 1, 2)
    assert quantity is not None and (quantity.text, quantity.rowspan) == ("数量指标", 3)
    assert table.text(top + TREE_TOP + 9, 5) == "≥95%"
    under = table.cell(top + TREE_TOP + 2, 1)
    assert under is not None and under.covered_by == (top + TREE_TOP + 1, 1)
    assert_grid_in_table(grid, table, top)
    end = top + grid.shape[0]  # the notes follow the grid, each across its width
    assert [table.text(end, 1), table.text(end + 1, 1)] == list(grid.notes)
    note = table.cell(end, 1)
    assert note is not None and note.colspan == 7


def test_money_cells_hold_the_exact_decimal() -> None:
    grid = Grid(
        "金额",
        (
            Cell(0, 0, "甲"),
            money_cell(0, 1, Decimal("1234.565")),
            money_cell(0, 2, Decimal("8562.6"), places=0),
            Cell(1, 0, "乙"),
            number_cell(1, 1, Decimal("96.5"), "%"),
            number_cell(1, 2, Decimal("1.6")),
            Cell(2, 0, "丙"),
            number_cell(2, 1, Decimal("2"), "分"),
            Cell(2, 2, "", role="money"),
            Cell(3, 0, "丁"),
            Cell(3, 1, "3,072.79", role="money", value=Decimal("3072.79"), places=None),
        ),
    )
    data = write_xlsx(Doc("金额", (grid,)))
    raw = raw_values(data, 0)
    assert Decimal(raw["B2"][1]) == Decimal("1234.565")  # exact, not rounded to what is shown
    assert raw["B2"][0] == "n"
    assert Decimal(raw["C2"][1]) == Decimal("8562.6")
    assert Decimal(raw["B3"][1]) == Decimal("0.965")  # a percent is a fraction in Excel
    assert Decimal(raw["C3"][1]) == Decimal("1.6")
    assert Decimal(raw["B4"][1]) == Decimal("2")
    assert "C4" not in raw  # a blank amount is a blank cell
    sheet = workbook(data)["金额"]
    formats = {ref: sheet[ref].number_format for ref in ("B2", "C2", "B3", "C3", "B4", "B5")}
    assert formats == {
        "B2": "#,##0.00",
        "C2": "#,##0",
        "B3": "0.0%",
        "C3": "General",
        "B4": 'General"分"',
        "B5": "General",
    }
    table = read(data).tables[0]
    shown = [table.text(row, 2) for row in (2, 3, 4, 5)]
    assert shown == ["1234.57", "96.5%", "2", "3072.79"]  # 四舍五入 at display only
    assert table.text(2, 3) == "8563"


@pytest.mark.parametrize(
    "text", ["001", "≥95%", "=SUM(A1:A3)", "1e5", "2023-01-01", "1,200", "TRUE", "  空格  "]
)
def test_text_cells_stay_text(text: str) -> None:
    grid = Grid("文本", (Cell(0, 0, "指标值"), Cell(0, 1, text)))
    data = write_xlsx(Doc("文本", (grid,)))
    cell = workbook(data)["文本"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert raw_values(data, 0)["B2"][0] == "inlineStr"


def test_control_characters_are_dropped_not_fatal() -> None:
    data = write_xlsx(Doc("文本", (Grid("文本", (Cell(0, 0, "甲\x00乙\x07"), Cell(0, 1, "丙"))),)))
    assert workbook(data)["文本"]["A2"].value == "甲乙"


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("表1：收支/总表[2023]*?", taken) == "表1：收支总表2023"
    long = "六枝特区人力资源和社会保障局2023年部门整体支出绩效目标表及项目支出绩效目标申报表"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) == len(second) == 31 and first != second and second.endswith("(2)")
    assert sheet_name("Sheet", taken) == "Sheet"
    assert sheet_name("sheet", taken) == "sheet(2)"  # Excel compares names ignoring case
    assert sheet_name("[]", taken) == "Sheet(3)"
    grids = (Grid(long, (Cell(0, 0, "a"), Cell(0, 1, "b"))), Grid(long, (Cell(0, 0, "c"), Cell(0, 1, "d"))))
    assert read(write_xlsx(Doc("两表", grids))).sheets == [long[:31], long[:28] + "(2)"]


def test_drop_downs_and_comments() -> None:
    grid = project_grid()
    long_choices = tuple(f"选项{index}，含逗号" for index in range(40))
    extra = Grid(
        "评价",
        (Cell(0, 0, "等级"), Cell(0, 1, "优", choices=long_choices), Cell(0, 2, "良", choices=long_choices)),
    )
    data = write_xlsx(Doc("两表", (grid, extra)))
    book = workbook(data)
    sheet = book["项目支出绩效目标申报表"]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 2  # one per distinct list
    by_formula = {v.formula1: str(v.sqref) for v in validations}
    top = top_row(grid)
    assert by_formula['"新增项目,延续项目"'] == f"F{top + 1}"
    assert by_formula['"一般公共预算安排,政府性基金预算安排,其他资金"'] == f"F{top + 3}"
    assert all(v.type == "list" and v.showErrorMessage for v in validations)
    notes = {cell.coordinate: cell.comment.text for row in sheet.iter_rows() for cell in row if cell.comment}
    assert notes == {f"E{top + TREE_TOP + 1 + i}": "年度指标值须可衡量" for i in (0, 1, 2, 8)}
    # a long list, or one with commas, lives on a hidden sheet behind a named range
    [validation] = book["评价"].data_validations.dataValidation
    assert validation.formula1 == "选项列表1" and str(validation.sqref) == "B2 C2"
    lists = book["选项"]
    assert lists.sheet_state == "hidden"
    assert [lists.cell(row, 1).value for row in (1, 40)] == ["选项0，含逗号", "选项39，含逗号"]
    assert book.defined_names["选项列表1"].attr_text == "'选项'!$A$1:$A$40"


def test_sheet_layout() -> None:
    grid = project_grid()
    sheet = workbook(write_xlsx(project_doc()))["项目支出绩效目标申报表"]
    top = top_row(grid)
    title = sheet["A1"]
    assert title.value == grid.title and title.font.b and title.font.sz == 16
    assert title.alignment.horizontal == "center"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:G1", "A2:G2", "A4:G4"} <= merged
    assert sheet["A4"].alignment.horizontal == "right"  # 单位：万元
    assert sheet["A3"].alignment.horizontal == "left"  # 编制单位
    assert sheet["A2"].alignment.horizontal == "center"  # （2023年度）
    assert f"A{top + TREE_TOP + 1}:A{top + TREE_TOP + 6}" in merged  # 产出指标 over six rows
    assert f"C{top}:G{top}" in merged
    # borders on every position; openpyxl reads a merged area's inner cells with its outline only
    areas = {(r, c): m for m in sheet.merged_cells.ranges for r, c in m.cells}
    for row in range(top, top + grid.shape[0]):
        for col in range(1, 8):
            area = areas.get((row, col))
            first_row, first_col, last_row, last_col = (
                (area.min_row, area.min_col, area.max_row, area.max_col) if area else (row, col, row, col)
            )
            border = sheet.cell(row, col).border
            sides = {
                "left": col == first_col,
                "right": col == last_col,
                "top": row == first_row,
                "bottom": row == last_row,
            }
            assert all(getattr(border, side).style == "thin" for side, edge in sides.items() if edge), (
                row,
                col,
            )
    assert sheet.cell(top - 1, 1).border.left.style is None
    head = sheet.cell(top + TREE_TOP, 1)
    assert head.font.b and head.fill.fgColor.rgb.endswith("D9D9D9") and head.alignment.horizontal == "center"
    value = sheet.cell(top + TREE_TOP + 1, 5)
    assert value.alignment.horizontal == "center" and value.alignment.wrap_text and not value.font.b
    assert sheet.cell(top + 3, 3).alignment.horizontal == "right"  # money
    assert sheet.column_dimensions["A"].width == pytest.approx(8 * 2.1)
    assert sheet.column_dimensions["F"].width == pytest.approx(12 * 2.1)
    goal_height = sheet.row_dimensions[top + 5].height
    # the 年度目标 (75 characters over 52 characters of columns) needs two lines of 14 points
    assert goal_height >= 2 * 14 > sheet.row_dimensions[top].height
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    notes_row = top + grid.shape[0]
    assert sheet.cell(notes_row, 1).value == "填表人：罗敏"


def test_header_rows_are_frozen_shaded_and_printed_on_each_page() -> None:
    grid = amounts_grid()
    sheet = workbook(write_xlsx(Doc("项目支出表", (grid,))))["项目支出表"]
    top = top_row(grid)
    assert sheet.freeze_panes == f"A{top + 2}"
    assert sheet.print_title_rows == f"${top}:${top + 1}"
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.cell(top + 1, 3).fill.fgColor.rgb.endswith("D9D9D9")
    assert sheet.cell(top + 2, 1).fill.fill_type is None
    total = sheet.cell(top + 5, 2)
    assert total.font.b and total.value == Decimal("3.375")
    assert sheet.cell(top + 5, 1).font.b and sheet.cell(top + 5, 1).alignment.horizontal == "left"


def test_paragraphs_go_on_a_first_sheet() -> None:
    blocks = (
        Heading("一、基本情况"),
        Paragraph("本部门共有内设机构5个。" * 12),
        Chart("得分", ("产出",), (Decimal("25"),), (Decimal("30"),)),
        PageBreak(),
        amounts_grid(),
        Paragraph("注：以上为预算数。", indent=False),
    )
    data = write_xlsx(Doc("某局2023年度部门预算", blocks, subtitle="（2023年度）"))
    book = workbook(data)
    assert book.sheetnames == ["说明", "项目支出表"]  # the chart is left out
    sheet = book["说明"]
    column = [sheet.cell(row, 1).value for row in range(1, 6)]
    assert column == [
        "某局2023年度部门预算",
        "（2023年度）",
        "一、基本情况",
        "\u3000\u3000" + "本部门共有内设机构5个。" * 12,
        "注：以上为预算数。",
    ]
    assert "A4:J4" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A3"].font.b and sheet["A4"].alignment.wrap_text
    assert sheet.row_dimensions[4].height > sheet.row_dimensions[5].height
    source = read(data)
    texts = [p.text for p in source.paragraphs if p.loc.sheet == "说明"]
    assert texts[:4] == ["说明", "某局2023年度部门预算", "（2023年度）", "一、基本情况"]
    assert texts[4].startswith("本部门共有内设机构")
    # grids alone: no 说明 sheet
    assert workbook(write_xlsx(Doc("表", (Heading("附件"), amounts_grid())))).sheetnames == ["项目支出表"]


def test_empty_doc_is_a_valid_workbook() -> None:
    data = write_xlsx(Doc("空文档"))
    assert workbook(data).sheetnames == ["说明"]
    assert read(data).paragraphs[-1].text == "空文档"


def test_same_doc_same_bytes_in_another_process() -> None:
    doc = Doc("两表", (project_grid(), amounts_grid()))
    data = write_xlsx(doc)
    assert write_xlsx(doc) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    properties = workbook(data).properties
    assert (properties.creator, properties.title) == ("Jixiao", "两表")
    assert properties.created == properties.modified == datetime(2000, 1, 1)
    script = (
        "import sys, hashlib; from tests.render.test_xlsx_writer import *; "
        "sys.stdout.write(hashlib.sha256(write_xlsx(Doc('两表', (project_grid(), amounts_grid())))).hexdigest())"
    )
    root = Path(__file__).parents[2]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout == hashlib.sha256(data).hexdigest()


def test_a_grid_of_5000_rows() -> None:
    grid = amounts_grid(5000)
    data = write_xlsx(Doc("大表", (grid,)))
    table = read(data).tables[0]
    top = top_row(grid)
    assert table.n_rows == top - 1 + 5003
    assert table.text(top + 5001, 1) == "项目5000"
    assert table.text(top + 5002, 2) == "12498125.00"  # Σ i for i < 5000 is 12,497,500; + 5000 × 0.125
    assert Decimal(raw_values(data, 0)[f"B{top + 5002}"][1]) == Decimal("12498125.000")


# ---------------------------------------------------------------------------------------------
# real documents through the builders


@pytest.mark.parametrize("path", [SEED_000, SEED_002, SEED_003, SEED_004], ids=lambda p: p.name[:3])
def test_real_documents_land_cell_by_cell(path: Path) -> None:
    parsed, _ = load_document(path)
    doc = document_doc(parsed, "xlsx")
    data = write_xlsx(doc)
    source = read(data)
    grids = doc.grids()
    assert grids
    tables = [t for t in source.tables if t.sheet != "说明"]
    assert len(tables) == len(grids)
    assert len(source.sheets) == len(grids) + (1 if any(isinstance(b, Paragraph) for b in doc.blocks) else 0)
    for index, (grid, table) in enumerate(zip(grids, tables, strict=True)):
        assert_grid_in_table(grid, table, top_row(grid))
        sheet_index = source.sheets.index(str(table.sheet))
        raw = raw_values(data, sheet_index)
        for cell in grid.cells:
            if cell.role == "money" and cell.value is not None:
                reference = f"{openpyxl.utils.get_column_letter(cell.col + 1)}{top_row(grid) + cell.row}"
                assert Decimal(raw[reference][1]) == cell.value, (index, cell)


def test_generated_project_forms_are_recognised_again() -> None:
    parsed, _ = load_document(SEED_004)
    again, _ = load_bytes(write_xlsx(document_doc(parsed, "xlsx")), "004.xlsx")
    before = [f for f in parsed.forms if isinstance(f, ProjectTargetDeclaration)]
    after = [f for f in again.forms if isinstance(f, ProjectTargetDeclaration)]
    assert [f.project_name for f in after] == [f.project_name for f in before]
    assert [f.budget for f in after] == [f.budget for f in before]
