"""Annotated copies: a PDF with the cells boxed, a workbook with the cells coloured, an HTML copy.

Findings are made by hand, pointing at cells found through the ``SourceDocument``; the rules are
tested elsewhere. The corpus PDF's boxes were checked on the page rendered with pdftoppm.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader, PdfWriter

from jixiao.checks.report import DocumentAudit
from jixiao.ingest.load import read_source
from jixiao.ingest.readers.pdf import read_pdf
from jixiao.ingest.source import Cell, SourceDocument, Table
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc
from jixiao.report.annotate import annotate, pdf_rect
from tests.conftest import PDF_CZJ_FINAL, SEED_004, XLSX_TEMPLATE, read_document
from tests.pdf_factory import LEFT, Grid, Text, build_pdf

RED, ORANGE, BLUE = (0.776, 0.157, 0.157), (0.902, 0.318, 0.0), (0.082, 0.396, 0.753)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _find(source: SourceDocument, caption: str, first_text: str, col: int) -> tuple[Table, Cell]:
    for table in source.tables:
        if table.caption == caption:
            for row in table.rows:
                if row[0].text.startswith(first_text):
                    cell = table.cell(row[0].row, col)
                    assert cell is not None
                    return table, cell
    raise AssertionError(f"{caption} / {first_text} not found")


def _annotations(page: Any) -> list[dict[str, Any]]:
    return [a.get_object() for a in page.get("/Annots", [])]


def _of(annotations: list[dict[str, Any]], subtype: str) -> list[dict[str, Any]]:
    return [a for a in annotations if a["/Subtype"] == subtype]


def _expected_rect(reader: PdfReader, page: int, box: tuple[float, float, float, float]) -> list[float]:
    height = float(reader.pages[page - 1].mediabox.top)
    return [box[0], height - box[3], box[2], height - box[1]]


# ---------------------------------------------------------------------------------------------- PDF


def test_pdf_cells_and_paragraphs_carry_their_boxes() -> None:
    grid = "收入 | < | 支出\n项目 | 金额 | ^\n合计 | 1,234.50 | 8,562.6"
    data = build_pdf([[Grid(grid, widths=[150.0, 70.0, 150.0]), Text("说明：本表金额单位为万元。")]])
    source = read_pdf(data, "t.pdf")
    table = source.tables[0]
    top = 72.0  # the grid starts 72 pt below the top of the page, rows 20 pt high
    merged, covered, amount = table.cell(1, 1), table.cell(1, 2), table.cell(3, 2)
    assert merged is not None and covered is not None and amount is not None
    assert merged.bbox == pytest.approx((LEFT, top, LEFT + 220, top + 20), abs=0.01)  # spans 2 columns
    assert covered.covered_by == (1, 1)
    assert covered.bbox == pytest.approx((LEFT + 150, top, LEFT + 220, top + 20), abs=0.01)
    spanning = table.cell(1, 3)
    assert spanning is not None and spanning.rowspan == 2
    assert spanning.bbox == pytest.approx((LEFT + 220, top, LEFT + 370, top + 40), abs=0.01)
    assert amount.text == "1,234.50"
    assert amount.bbox == pytest.approx((LEFT + 150, top + 40, LEFT + 220, top + 60), abs=0.01)
    paragraph = source.paragraphs[-1]
    assert paragraph.text == "说明：本表金额单位为万元。"
    assert paragraph.bbox is not None
    x0, line_top, x1, bottom = paragraph.bbox
    assert top + 60 < line_top < bottom < top + 60 + 40 and LEFT <= x0 < x1 < LEFT + 200


@pytest.fixture(scope="module")
def czj_copy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The corpus 决算 PDF annotated once, with the cells and paragraph the findings point at."""
    source = read_document(PDF_CZJ_FINAL)
    table, cell = _find(source, "收入支出决算总表", "一、一般公共预算财政拨款收入", 2)
    _, row_start = _find(source, "收入支出决算总表", "三、国有资本经营预算财政拨款收入", 1)
    paragraph = next(p for p in source.paragraphs if p.text == "十、预算绩效管理情况")
    name = PDF_CZJ_FINAL.name
    findings = [
        Finding(
            code="A101",
            severity=Severity.ERROR,
            message="《收入支出决算总表》一般公共预算财政拨款收入 2,940.05 与…不符 <b>",
            locations=(cell.loc,),
            expected="2940.06",
            actual="2940.05",
            suggestion="核对合计。",
        ),
        Finding(
            code="A102",
            severity=Severity.WARNING,
            message="第 5 行整行有误",
            locations=(row_start.loc.but(col=None, cell=None),),
        ),
        Finding(
            code="A301",
            severity=Severity.WARNING,
            message="说明标题“预算绩效管理情况”与表格不符",
            locations=(Loc(file=name, page=paragraph.loc.page),),
        ),
        Finding(
            code="P101", severity=Severity.INFO, message="本页有乱码", locations=(Loc(file=name, page=4),)
        ),
        Finding(
            code="X001", severity=Severity.ERROR, message="规则出错，无位置", locations=(Loc(file=name),)
        ),
        Finding(code="A103", severity=Severity.INFO, message="同一单元格的第二条", locations=(cell.loc,)),
    ]
    audit = DocumentAudit(file=name, kind="final_disclosure", format="pdf", findings=findings)
    before = _digest(PDF_CZJ_FINAL)
    out_dir = tmp_path_factory.mktemp("annotated")
    path = annotate(audit, PDF_CZJ_FINAL, out_dir, source)
    return {
        "path": path,
        "out_dir": out_dir,
        "before": before,
        "cell": cell,
        "row": [c for c in table.rows[row_start.row - 1]],
        "paragraph": paragraph,
    }


def test_pdf_copy_boxes_the_cells(czj_copy: dict[str, Any]) -> None:
    path: Path = czj_copy["path"]
    assert path == czj_copy["out_dir"] / "sh-putuo-czj-2024-juesuan.审核标注.pdf"
    assert _digest(PDF_CZJ_FINAL) == czj_copy["before"]  # the original is untouched
    reader = PdfReader(path)
    assert len(reader.pages) == len(PdfReader(PDF_CZJ_FINAL).pages) == 25
    cell: Cell = czj_copy["cell"]
    assert cell.text == "2,940.05" and cell.loc.page == 6
    assert cell.bbox == pytest.approx((248.20, 291.30, 314.00, 308.55), abs=0.01)
    annotations = _annotations(reader.pages[5])
    expected = _expected_rect(reader, 6, cell.bbox)
    assert expected == pytest.approx([248.20, 533.45, 314.00, 550.70], abs=0.01)
    box = _at(_of(annotations, "/Square"), expected)
    assert tuple(float(v) for v in box["/C"]) == pytest.approx(RED, abs=0.002)
    contents = str(box["/Contents"])
    assert contents.startswith("【1】错误 A101")
    assert "2,940.05 与…不符 <b>" in contents and "应为：2940.06；实为：2940.05" in contents
    assert "【6】提示 A103" in contents  # two findings on one cell: one box, both numbers
    appearance = box["/AP"]["/N"].get_object()
    assert [float(v) for v in appearance["/BBox"]] == pytest.approx([0, 0, 65.80, 17.25], abs=0.01)
    popup = box["/Popup"].get_object()
    assert popup["/Subtype"] == "/Popup" and popup["/Parent"].get_object() is box
    tags = [a for a in _of(annotations, "/FreeText") if a["/IRT"].get_object() is box]
    assert [str(t["/Contents"]) for t in tags] == ["1,6"]
    row = _union_box([c.bbox for c in czj_copy["row"]])
    row_box = _at(_of(annotations, "/Square"), _expected_rect(reader, 6, row))
    assert tuple(float(v) for v in row_box["/C"]) == pytest.approx(ORANGE, abs=0.002)
    assert str(row_box["/Contents"]).startswith("【2】警告 A102")


def _at(annotations: list[dict[str, Any]], rect: list[float]) -> dict[str, Any]:
    """The one annotation whose /Rect is ``rect`` (to a hundredth of a point)."""
    found = [a for a in annotations if [float(v) for v in a["/Rect"]] == pytest.approx(rect, abs=0.01)]
    assert len(found) == 1, [a["/Rect"] for a in annotations]
    return found[0]


def _union_box(boxes: list[Any]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def test_pdf_copy_marks_paragraphs_and_lists_the_rest(czj_copy: dict[str, Any]) -> None:
    reader = PdfReader(czj_copy["path"])
    paragraph = czj_copy["paragraph"]
    page = paragraph.loc.page
    squares = _of(_annotations(reader.pages[page - 1]), "/Square")
    assert len(squares) == 1 and str(squares[0]["/Contents"]).startswith("【3】警告 A301")
    assert [float(v) for v in squares[0]["/Rect"]] == pytest.approx(
        _expected_rect(reader, page, paragraph.bbox), abs=0.01
    )
    page_notes = _of(_annotations(reader.pages[3]), "/Text")  # a finding on page 4, on nothing drawable
    assert len(page_notes) == 1 and "【4】提示 P101" in str(page_notes[0]["/Contents"])
    first = _of(_annotations(reader.pages[0]), "/Text")
    assert len(first) == 1
    summary = str(first[0]["/Contents"])
    assert "共 6 条审核发现（错误 2，警告 2，提示 2），其中 4 条已在页面上框出并编号" in summary
    assert "未能在页面上定位" in summary and "【5】错误 X001" in summary and "【4】" not in summary


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_boxes_are_drawn_when_the_page_is_rendered(czj_copy: dict[str, Any]) -> None:
    prefix = czj_copy["out_dir"] / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", "6", "-l", "6", str(czj_copy["path"]), str(prefix)],
        check=True,
        capture_output=True,
    )
    image = Image.open(next(czj_copy["out_dir"].glob("page*.png"))).convert("RGB")
    x0, top, _, bottom = czj_copy["cell"].bbox  # at 72 dpi one pixel is one point
    left_edge = [image.getpixel((int(x0), y)) for y in range(round(top) + 2, round(bottom) - 2)]
    assert all(r > 150 and g < 110 and b < 110 for r, g, b in left_edge)  # the red frame
    inside = (int(x0) + 3, round((top + bottom) / 2))  # blank in the original (the amount is right-aligned)
    original = subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", "6", "-l", "6", str(PDF_CZJ_FINAL)],
        check=True,
        capture_output=True,
    ).stdout
    plain = Image.open(io.BytesIO(original)).convert("RGB")
    assert plain.getpixel(inside) == (255, 255, 255)
    red, green, blue = image.getpixel(inside)
    assert red > green + 10 and red > blue + 10  # the light red tint


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_keep_the_box_on_the_cell(tmp_path: Path, rotation: int) -> None:
    upright = build_pdf([[Grid("项目 | 金额\n合计 | 1,234.50", widths=[150.0, 70.0])]])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(upright)))
    writer.pages[0].rotate(rotation)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "rotated.pdf"
    path.write_bytes(buffer.getvalue())
    cell = read_pdf(upright, "u.pdf").tables[0].cell(2, 2)
    turned = read_pdf(buffer.getvalue(), path.name).tables[0]
    turned_cell = next(c for row in turned.rows for c in row if sorted(c.text) == sorted("1,234.50"))
    assert cell is not None and cell.bbox is not None and turned_cell.bbox is not None
    audit = DocumentAudit(
        file=path.name,
        format="pdf",
        findings=[
            Finding(code="A101", severity=Severity.ERROR, message="不符", locations=(turned_cell.loc,))
        ],
    )
    out = annotate(audit, path, tmp_path / "out")
    assert out is not None
    page = PdfReader(out).pages[0]
    (square,) = _of(_annotations(page), "/Square")
    height = float(page.mediabox.top)
    upright_rect = [cell.bbox[0], height - cell.bbox[3], cell.bbox[2], height - cell.bbox[1]]
    assert [float(v) for v in square["/Rect"]] == pytest.approx(upright_rect, abs=0.01)
    assert pdf_rect(cell.bbox, [0, 0, 595.0, height], 0) == pytest.approx(upright_rect)


# --------------------------------------------------------------------------------------------- xlsx


def test_workbook_copy_colours_and_comments_cells(tmp_path: Path) -> None:
    source, _ = read_source(XLSX_TEMPLATE.read_bytes(), XLSX_TEMPLATE.name)
    assert source is not None
    table = next(t for t in source.tables if t.sheet == "部门收入总表")
    total = next(c for row in table.rows for c in row if c.text == "合计")
    covered = next(c for row in table.rows for c in row if c.covered_by is not None)
    anchor = table.cell(*covered.covered_by)  # type: ignore[misc]
    assert anchor is not None
    name = XLSX_TEMPLATE.name
    audit = DocumentAudit(
        file=name,
        kind="budget_disclosure",
        format="xlsx",
        findings=[
            Finding(
                code="A101",
                severity=Severity.ERROR,
                message="《部门收入总表》合计与各项之和不符",
                locations=(total.loc,),
                expected="10",
                actual="11",
            ),
            Finding(
                code="T101", severity=Severity.WARNING, message="合并单元格中的问题", locations=(covered.loc,)
            ),
            Finding(code="X001", severity=Severity.INFO, message="无位置的发现", locations=(Loc(file=name),)),
        ],
    )
    before = _digest(XLSX_TEMPLATE)
    out = annotate(audit, XLSX_TEMPLATE, tmp_path)
    assert out == tmp_path / "sh-putuo-2026-bumen-yusuan-template-blank.审核标注.xlsx"
    assert _digest(XLSX_TEMPLATE) == before
    workbook = load_workbook(out)
    sheet = workbook["部门收入总表"]
    marked = sheet[total.loc.cell]
    assert marked.value == "合计"
    assert marked.fill.fgColor.rgb == "00FDE0DC"
    assert marked.comment is not None
    assert marked.comment.text.startswith("【1】错误 A101")
    assert "《部门收入总表》合计与各项之和不符\n应为：10；实为：11" in marked.comment.text
    merged = sheet[anchor.loc.cell]  # a covered cell is marked on its merge's anchor
    assert merged.fill.fgColor.rgb == "00FFE9CC" and "【2】警告 T101" in merged.comment.text
    assert workbook.sheetnames == [*source.sheets, "审核标注"]
    listing = [list(row) for row in workbook["审核标注"].iter_rows(values_only=True)]
    assert listing[0][0] == "序号" and len(listing) == 4
    assert listing[1][8] == f"部门收入总表!{total.loc.cell}"
    assert listing[3][4] == "无位置的发现" and listing[3][8] == "未能在工作表中定位"
    assert workbook["审核标注"]["I2"].hyperlink.location == f"'部门收入总表'!{total.loc.cell}"


# --------------------------------------------------------------------------------------------- HTML


def test_text_copy_is_html_with_the_cell_highlighted(tmp_path: Path) -> None:
    source = read_document(SEED_004)
    table, cell = next((t, c) for t in source.tables for row in t.rows for c in row if c.text == "3896.05")
    row_cells = [c for c in table.rows[cell.row - 2] if c.text]  # the row above: 项目支出 3072.79
    assert [c.text for c in row_cells] == ["项目支出", "3072.79"]
    row_loc = row_cells[0].loc.but(col=None, cell=None)
    other = source.tables[table.index]  # the next table: a finding about it as a whole
    audit = DocumentAudit(
        file=SEED_004.name,
        kind="dept_target",
        format="txt",
        findings=[
            Finding(
                code="A201",
                severity=Severity.ERROR,
                message="资金总额 3896.05 <与> 基本支出 823.26 + 项目支出 3072.79 = 3896.05",
                locations=(cell.loc,),
            ),
            Finding(code="X001", severity=Severity.INFO, message="无位置", locations=()),
            Finding(code="A202", severity=Severity.WARNING, message="整行", locations=(row_loc,)),
            Finding(code="F002", severity=Severity.INFO, message="整表", locations=(other.loc,)),
        ],
    )
    out = annotate(audit, SEED_004, tmp_path)
    assert out == tmp_path / "004_84163d3bfca5f923.审核标注.html"
    page = out.read_text(encoding="utf-8")
    assert "<与>" not in page and "&lt;与&gt;" in page
    tree = lxml.html.fromstring(page)
    cells = [m for m in tree.find_class("marked") if m.tag == "td" and m.text_content()]
    # the cell with its number; the row coloured in each cell, numbered once
    assert [(m.text_content(), m.get("class")) for m in cells] == [
        ("项目支出3", "marked sev-warning"),
        ("3072.79", "marked sev-warning"),
        ("3896.051", "marked sev-error"),
    ]
    assert cells[2].find("a").get("href") == "#finding-1"
    tables = [m for m in tree.find_class("marked") if m.tag == "table"]
    assert len(tables) == 1 and tables[0].getprevious().text_content() == f"表{other.index}4"
    assert not [td for td in tables[0].iter("td") if td.get("class")]  # not every cell of it
    items = tree.find_class("findings")[0].findall(".//li")
    assert [item.get("id") for item in items] == ["finding-1", "finding-2", "finding-3", "finding-4"]
    assert ["（未能在正文中定位）" in item.text_content() for item in items] == [False, True, False, False]
    assert len(tree.findall(".//table")) == len(source.tables)


def test_unreadable_files_give_no_copy(tmp_path: Path) -> None:
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(b"%PDF-1.4 truncated")
    unreadable = DocumentAudit(
        file=broken.name,
        format="pdf",
        findings=[Finding(code="R004", severity=Severity.ERROR, message="文件已损坏")],
    )
    assert annotate(unreadable, broken, tmp_path / "out") is None
    readable_but_gone = DocumentAudit(file="无.txt", format="txt")
    assert annotate(readable_but_gone, tmp_path / "无.txt", tmp_path / "out") is None
    assert not (tmp_path / "out").exists()
