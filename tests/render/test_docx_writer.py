"""The docx writer: a ``Doc`` written as a Word file, read back with python-docx, its XML, and
Jixiao's own docx reader.

The forms are the 项目支出绩效目标申报表 of seed 004 (see ``test_xlsx_writer``) and a 2-row-header
amounts table; real documents (seeds 000, 002 with its 自评报告 and charts, 003, 004) go through the
render pipeline's builders and must land cell by cell where their grids put them.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from lxml import etree

from jixiao.ingest.load import load_bytes
from jixiao.ingest.source import SourceDocument, Table, clean_text
from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.model.evaluation import SelfEvaluation
from jixiao.render.chart import chart_png
from jixiao.render.docx import write_docx
from jixiao.render.layout import Cell, Chart, Doc, Grid, Heading, PageBreak, Paragraph
from jixiao.render.pipeline import document_doc
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004, load_document
from tests.render.test_xlsx_writer import TREE_TOP, amounts_grid, project_doc, project_grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHART = Chart(
    "各一级指标得分",
    ("决策", "过程", "产出", "效益"),
    (Decimal("9.5"), Decimal("18"), Decimal("36.6"), Decimal("28")),
    (Decimal("10"), Decimal("20"), Decimal("40"), Decimal("30")),
)


def read(data: bytes) -> SourceDocument:
    parsed, source = load_bytes(data, "x.docx")
    assert source is not None, parsed.findings
    return source


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def body(data: bytes) -> etree._Element:
    return part(data, "word/document.xml").find(f"{W}body")


def sections_of_tables(data: bytes) -> list[tuple[int, bool]]:
    """(index of the section holding it, landscape?) for each table, in order."""
    tables: list[int] = []
    found: list[tuple[int, bool]] = []
    section = 0
    for child in body(data):
        if child.tag == f"{W}tbl":
            tables.append(section)
        properties = child.find(f"{W}pPr/{W}sectPr") if child.tag == f"{W}p" else child
        if properties is not None and properties.tag == f"{W}sectPr":
            size = properties.find(f"{W}pgSz")
            landscape = size is not None and int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
            found.extend((section, landscape) for _ in range(tables.count(section)))
            section += 1
    return found


def assert_grid_in_table(grid: Grid, table: Table) -> None:
    """Every cell of ``grid`` at its place in ``table`` (Word tables hold only the grid), spans kept,
    the text as shown (money with its separators and rounding)."""
    for cell in grid.cells:
        found = table.cell(cell.row + 1, cell.col + 1)
        assert found is not None, cell
        assert (found.rowspan, found.colspan) == (cell.rowspan, cell.colspan), cell
        assert found.text == clean_text(cell.text), cell


# ---------------------------------------------------------------------------------------------
# the 申报表 read back


def test_project_form_reads_back_in_place() -> None:
    grid = project_grid()
    source = read(write_docx(project_doc()))
    [table] = source.tables
    assert_grid_in_table(grid, table)
    assert table.text(4, 3) == "28.40"
    output = table.cell(TREE_TOP + 2, 1)
    assert output is not None and (output.text, output.rowspan) == ("产出指标", 6)
    under = table.cell(TREE_TOP + 3, 1)
    assert under is not None and under.covered_by == (TREE_TOP + 2, 1)
    texts = [p.text for p in source.paragraphs]
    assert texts == [
        "项目支出绩效目标申报表",
        grid.title,
        *grid.above,
        *grid.notes,
    ]
    assert source.paragraphs[0].heading == 1  # the Title style


def test_headings_paragraphs_and_outline() -> None:
    blocks = (
        Heading("一、基本情况"),
        Paragraph("本部门共有内设机构5个，编制人数30人。"),
        Heading("（一）部门职能", level=2),
        Heading("1.就业", level=3),
        Paragraph("注：数据来源于决算。", indent=False, align="right", bold=True),
    )
    data = write_docx(
        Doc("2022年度部门整体支出绩效自评报告", blocks, subtitle="信阳市平桥区人力资源和社会保障局")
    )
    source = read(data)
    assert [(p.text, p.heading) for p in source.paragraphs] == [
        ("2022年度部门整体支出绩效自评报告", 1),
        ("信阳市平桥区人力资源和社会保障局", None),
        ("一、基本情况", 1),
        ("本部门共有内设机构5个，编制人数30人。", None),
        ("（一）部门职能", 2),
        ("1.就业", 3),
        ("注：数据来源于决算。", None),
    ]
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    assert [p.style.name for p in paragraphs[2:6]] == ["Heading 1", "Normal", "Heading 2", "Heading 3"]
    body_text = paragraphs[3]
    indent = body_text._p.pPr.find(f"{W}ind")
    assert indent.get(f"{W}firstLineChars") == "200"  # 首行缩进两字
    assert body_text.paragraph_format.first_line_indent == docx.shared.Pt(32)
    assert paragraphs[6]._p.pPr.find(f"{W}ind") is None and paragraphs[6].runs[0].bold
    assert paragraphs[6].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraphs[0].alignment is None and document.styles["Title"].paragraph_format.alignment == 1
    normal = document.styles["Normal"]
    assert normal.font.size == docx.shared.Pt(16)
    assert normal.paragraph_format.line_spacing == docx.shared.Pt(28)
    assert document.styles["Title"].font.size == docx.shared.Pt(22)


def test_every_style_and_run_names_its_east_asian_font() -> None:
    doc = Doc(
        "报告",
        (
            Heading("一、概况"),
            Paragraph("“正文”"),
            Heading("（一）", 2),
            Heading("1.", 3),
            project_grid(),
            CHART,
        ),
        header="某局 2023年度",
        subtitle="（2023年度）",
    )
    data = write_docx(doc)
    styles = part(data, "word/styles.xml")
    fonts = {}
    for style in styles.iter(f"{W}style"):
        name = style.find(f"{W}name").get(f"{W}val")
        run_fonts = style.find(f"{W}rPr/{W}rFonts")
        if run_fonts is not None:
            fonts[name] = run_fonts
    expected = {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "heading 1": "黑体",
        "heading 2": "楷体_GB2312",
        "heading 3": "仿宋_GB2312",
        "表格文字": "宋体",
    }
    for name, font in expected.items():
        assert fonts[name].get(f"{W}eastAsia") == font, name
        assert fonts[name].get(f"{W}eastAsiaTheme") is None, name  # a theme font would win
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    runs = 0
    for name in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
        for run in part(data, name).iter(f"{W}r"):
            if run.find(f"{W}t") is None:
                continue
            runs += 1
            run_fonts = run.find(f"{W}rPr/{W}rFonts")
            assert run_fonts is not None and run_fonts.get(f"{W}eastAsia"), etree.tostring(run)
            assert run_fonts.get(f"{W}hint") == "eastAsia"
    assert runs > 50
    table = {
        font.get(f"{W}name"): font.find(f"{W}altName").get(f"{W}val")
        for font in part(data, "word/fontTable.xml").iter(f"{W}font")
        if font.find(f"{W}altName") is not None
    }
    assert table["仿宋_GB2312"] == "仿宋" and table["方正小标宋简体"] == "宋体"


def test_table_header_rows_widths_alignment_and_shading() -> None:
    grid = amounts_grid()
    data = write_docx(Doc("项目支出表", (grid,)))
    document = docx.Document(io.BytesIO(data))
    [table] = document.tables
    rows = table._tbl.tr_lst
    repeat = [row.find(f"{W}trPr/{W}tblHeader") is not None for row in rows]
    assert repeat == [True, True, False, False, False, False]
    assert table.style.name == "Table Grid"
    columns = [int(col.get(f"{W}w")) for col in table._tbl.tblGrid.iter(f"{W}gridCol")]
    text_width = (Mm(210) - Mm(28) - Mm(26)) / 635  # EMU → twips
    assert sum(columns) == pytest.approx(text_width, abs=3)
    assert columns[0] == pytest.approx(columns[1] * 20 / 12, abs=2)
    assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"

    def cell_xml(row: int, index: int) -> etree._Element:
        return rows[row].findall(f"{W}tc")[index]

    header = cell_xml(0, 0)
    assert header.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "D9D9D9"
    assert header.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
    assert cell_xml(0, 1).find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert cell_xml(2, 0).find(f"{W}tcPr/{W}shd") is None
    money = cell_xml(2, 1)
    assert money.find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val") == "right"
    assert [t.text for t in money.iter(f"{W}t")] == ["0.13"]  # 0.125 rounded half up for display
    total = cell_xml(5, 0)
    assert total.find(f"{W}p/{W}r/{W}rPr/{W}b") is not None
    assert total.find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val") == "left"
    assert table.cell(0, 0).text == "项目名称" and table.cell(1, 2).text == "财政拨款"
    above = next(p for p in document.paragraphs if p.text == "单位：万元")
    assert above.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT


def test_multiline_cells_and_continued_merges_stay_empty() -> None:
    grid = Grid("表", (Cell(0, 0, "甲\n乙", rowspan=2), Cell(0, 1, "一"), Cell(1, 1, "二")), widths=(5, 5))
    table = read(write_docx(Doc("表", (grid,)))).tables[0]
    assert table.text(1, 1) == "甲\n乙" and table.text(2, 1) == ""
    assert table.cell(1, 1).rowspan == 2  # type: ignore[union-attr]


def test_landscape_grids_get_their_own_section() -> None:
    blocks = (
        Heading("一、基本情况"),
        Paragraph("正文"),
        Heading("附件1"),
        project_grid(),  # landscape
        PageBreak(),
        project_grid(),
        PageBreak(),
        amounts_grid(),  # portrait
        Paragraph("完"),
    )
    data = write_docx(Doc("报告", blocks))
    document = docx.Document(io.BytesIO(data))
    sections = document.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    twips = [(s.page_width.twips, s.page_height.twips) for s in sections]  # type: ignore[union-attr]
    assert twips == [(11906, 16838), (16838, 11906), (11906, 16838)]  # A4
    assert sections[0].top_margin.mm == pytest.approx(37, abs=0.1)  # type: ignore[union-attr]
    assert sections[0].left_margin.mm == pytest.approx(28, abs=0.1)  # type: ignore[union-attr]
    assert sections_of_tables(data) == [(1, True), (1, True), (2, False)]
    breaks = [p for p in document.paragraphs if p._p.find(f".//{W}br[@{W}type='page']") is not None]
    assert len(breaks) == 1  # between the two landscape grids; a section break starts the next page
    children = list(body(data))
    headings = [i for i, c in enumerate(children) if "".join(c.itertext()) == "附件1"]
    first_break = next(i for i, c in enumerate(children) if c.find(f"{W}pPr/{W}sectPr") is not None)
    assert headings[0] > first_break  # 附件1 opens the landscape section with its table
    wide_table = document.tables[0]._tbl
    width = sum(int(col.get(f"{W}w")) for col in wide_table.tblGrid.iter(f"{W}gridCol"))
    assert width == pytest.approx((Mm(297) - Mm(50)) / 635, abs=7)


def test_a_doc_starting_with_a_landscape_grid_is_landscape_from_the_title() -> None:
    document = docx.Document(io.BytesIO(write_docx(project_doc())))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.LANDSCAPE]


def test_chart_becomes_the_png_picture() -> None:
    data = write_docx(Doc("报告", (Heading("四、评价结论"), CHART)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert len(media) == 1
        assert archive.read(media[0]) == chart_png(CHART)
    document = docx.Document(io.BytesIO(data))
    [shape] = document.inline_shapes
    assert shape.width <= Mm(150)
    holder = next(p for p in document.paragraphs if p._p.find(f".//{W}drawing") is not None)
    assert holder.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert holder.paragraph_format.line_spacing == 1.0  # an exact 28pt line would crop it


def test_page_header_footer_and_properties() -> None:
    data = write_docx(project_doc())
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "六枝特区人力资源和社会保障局 2023年度"
    footer = part(data, "word/footer1.xml")
    assert footer.find(f".//{W}fldSimple").get(f"{W}instr") == "PAGE"
    properties = document.core_properties
    assert (properties.title, properties.author) == ("项目支出绩效目标申报表", "Jixiao")
    assert properties.created == properties.modified == datetime(2000, 1, 1, tzinfo=UTC)
    assert properties.revision == 1
    no_header = docx.Document(io.BytesIO(write_docx(Doc("表", (amounts_grid(),)))))
    assert no_header.sections[0].header.is_linked_to_previous  # no header part at all


def test_same_doc_same_bytes_in_another_process() -> None:
    doc = Doc("报告", (Heading("一、概况"), Paragraph("正文"), project_grid(), CHART, amounts_grid()))
    data = write_docx(doc)
    assert write_docx(doc) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    script = (
        "import sys, hashlib; from tests.render.test_docx_writer import *; "
        "doc = Doc('报告', (Heading('一、概况'), Paragraph('正文'), project_grid(), CHART, amounts_grid())); "
        "sys.stdout.write(hashlib.sha256(write_docx(doc)).hexdigest())"
    )
    root = Path(__file__).parents[2]
    env = {**os.environ, "PYTHONHASHSEED": "54321"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout == hashlib.sha256(data).hexdigest()


def test_empty_doc_is_a_valid_document() -> None:
    data = write_docx(Doc("空文档"))
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == ["空文档"]
    assert read(data).paragraphs[0].text == "空文档"


def test_a_grid_of_5000_rows() -> None:
    grid = amounts_grid(5000)
    table = read(write_docx(Doc("大表", (grid,)))).tables[0]
    assert table.n_rows == 5003
    assert table.text(5002, 1) == "项目5000"
    assert table.text(5003, 2) == "12,498,125.00"


# ---------------------------------------------------------------------------------------------
# real documents through the builders


@pytest.mark.parametrize("path", [SEED_000, SEED_002, SEED_003, SEED_004], ids=lambda p: p.name[:3])
def test_real_documents_land_cell_by_cell(path: Path) -> None:
    parsed, _ = load_document(path)
    doc = document_doc(parsed, "docx")
    data = write_docx(doc)
    source = read(data)
    grids = doc.grids()
    assert grids and len(source.tables) == len(grids)
    for grid, table in zip(grids, source.tables, strict=True):
        assert_grid_in_table(grid, table)
    wide = [grid.landscape for grid in grids]
    assert [landscape for _, landscape in sections_of_tables(data)] == wide
    headings = [(b.text, min(b.level, 3)) for b in doc.blocks if isinstance(b, Heading)]
    read_headings = [(p.text, p.heading) for p in source.paragraphs if p.heading is not None][1:]
    assert read_headings == headings
    charts = [b for b in doc.blocks if isinstance(b, Chart)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len([n for n in archive.namelist() if n.startswith("word/media/")]) == len(charts)


def test_generated_documents_are_recognised_again() -> None:
    for path, kind in ((SEED_004, ProjectTargetDeclaration), (SEED_002, SelfEvaluation)):
        parsed, _ = load_document(path)
        again, _ = load_bytes(write_docx(document_doc(parsed, "docx")), path.stem + ".docx")
        before = [f for f in parsed.forms if isinstance(f, kind)]
        after = [f for f in again.forms if isinstance(f, kind)]
        assert len(after) == len(before), path
    parsed, _ = load_document(SEED_004)
    again, _ = load_bytes(write_docx(document_doc(parsed, "docx")), "004.docx")
    projects = [f for f in again.forms if isinstance(f, ProjectTargetDeclaration)]
    assert [f.budget for f in projects] == [Decimal("300"), Decimal("40"), Decimal("28.4"), Decimal("30")]


def test_tables_never_touch() -> None:
    bare = Grid("", (Cell(0, 0, "甲"), Cell(0, 1, "乙")))
    data = write_docx(Doc("表", (bare, bare, project_grid())))
    children = list(body(data))
    tables = [i for i, child in enumerate(children) if child.tag == f"{W}tbl"]
    assert len(tables) == 3
    assert all(children[i + 1].tag == f"{W}p" for i in tables)  # Word would join adjacent tables
    assert len(read(data).tables) == 3
