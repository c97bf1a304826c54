"""The PDF reader: small PDFs built inline (tests/pdf_factory.py) and the four real corpus PDFs.

Every figure asserted on a corpus PDF was read off the rendered page image, not off the reader.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

from jixiao.ingest.errors import READ_CODES, ReadError
from jixiao.ingest.readers.dispatch import read_bytes
from jixiao.ingest.readers.pdf import read_pdf
from jixiao.ingest.source import Cell, SourceDocument, Table
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc
from tests.conftest import PDF_CZJ_FINAL, PDF_JCY, PDF_SWJ, PDF_WANLI, read_document
from tests.pdf_factory import Gap, Grid, Text, Title, build_pdf, encrypt, image_only_pdf

SUMMARY = """
收入 | < | 支出 | <
项目 | 金额 | 项目 | 金额
一、财政拨款收入 | 24,169.74 | 一、一般公共服务支出 | 8,562.6
财政对城乡居民基本养老保险基金的补助 | 1.00 | 二、公共安全支出 | ^
收入总计 | 24,170.74 | 支出总计 | 24,170.74
"""
WIDTHS = [150.0, 70.0, 150.0, 80.0]


def _table(doc: SourceDocument, caption: str) -> Table:
    (table,) = [t for t in doc.tables if t.caption == caption]
    return table


def _cell(table: Table, row: int, col: int) -> Cell:
    cell = table.cell(row, col)
    assert cell is not None
    return cell


def _find(table: Table, text: str) -> tuple[int, int]:
    for row in table.rows:
        for cell in row:
            if cell.text == text:
                return cell.row, cell.col
    raise AssertionError(f"{text!r} not in table {table.index}")


# --- synthetic PDFs: tables -----------------------------------------------------------------------


def test_a_ruled_table_keeps_merged_cells_wrapped_text_and_amounts_as_printed() -> None:
    data = build_pdf([[Title("2024年部门收支总表"), Text("单位：万元", indent=False), Grid(SUMMARY, WIDTHS)]])
    doc = read_pdf(data, "a.pdf")
    assert doc.format == "pdf" and doc.pages == 1
    (table,) = doc.tables
    assert table.caption == "2024年部门收支总表"
    assert (table.n_rows, table.n_cols) == (5, 4)
    income = table.cell(1, 1)
    assert income is not None and (income.text, income.colspan, income.rowspan) == ("收入", 2, 1)
    covered = table.cell(1, 2)
    assert covered is not None and (covered.text, covered.covered_by) == ("", (1, 1))
    assert table.row_texts(3) == ["一、财政拨款收入", "24,169.74", "一、一般公共服务支出", "8,562.6"]
    # the cell wrapped over two printed lines is one word again
    assert table.text(4, 1) == "财政对城乡居民基本养老保险基金的补助"
    # the amount 8,562.6 is printed once for two rows of column D
    spanning = table.cell(3, 4)
    assert spanning is not None and (spanning.rowspan, spanning.text) == (2, "8,562.6")
    below = table.cell(4, 4)
    assert below is not None and below.covered_by == (3, 4)
    total = table.cell(5, 2)
    assert total is not None and total.text == "24,170.74"
    assert total.loc == Loc(file="a.pdf", page=1, table=1, row=5, col=2, cell="B5")
    assert [p.text for p in doc.paragraphs] == ["2024年部门收支总表", "单位：万元"]


def test_a_table_continued_on_the_next_page_is_one_table_without_the_repeated_header() -> None:
    header = "功能分类科目编码 | 科目名称 | 合计\n"
    page_1 = header + "\n".join(f"2010{n} | 项目{n} | {n},000.00" for n in range(1, 6))
    page_2 = (
        header
        + "\n".join(f"2080{n} | 项目{n + 5} | {n + 5},000.00" for n in range(1, 4))
        + "\n合计 | < | 63,000.00"
    )
    data = build_pdf(
        [
            [Title("一般公共预算支出表"), Grid(page_1, [110, 220, 120])],
            [Grid(page_2, [110, 220, 120]), Gap(20), Text("注：本表金额单位为元。", indent=False)],
        ]
    )
    doc = read_pdf(data, "b.pdf")
    (table,) = doc.tables
    assert table.n_rows == 1 + 5 + 3 + 1
    assert table.continued == [7]
    assert table.row_texts(7) == ["20801", "项目6", "6,000.00"]
    assert _cell(table, 7, 1).loc == Loc(file="b.pdf", page=2, table=1, row=7, col=1, cell="A7")
    assert _cell(table, 6, 3).loc.page == 1
    last = table.cell(10, 1)
    assert last is not None and (last.text, last.colspan, last.loc.cell) == ("合计", 2, "A10")
    assert _cell(table, 10, 2).covered_by == (10, 1)
    assert [p.text for p in doc.paragraphs] == ["一般公共预算支出表", "注：本表金额单位为元。"]


def test_a_continuation_whose_first_row_differs_keeps_every_row() -> None:
    page_1 = "科目 | 金额\n301 | 1.00\n302 | 2.00"
    page_2 = "303 | 3.00\n310 | 4.00"
    doc = read_pdf(build_pdf([[Title("基本支出表"), Grid(page_1)], [Grid(page_2)]]), "c.pdf")
    (table,) = doc.tables
    assert [table.text(r, 1) for r in range(1, table.n_rows + 1)] == ["科目", "301", "302", "303", "310"]
    assert table.continued == [4]


def test_a_new_title_or_other_columns_start_a_new_table() -> None:
    grid = "科目 | 金额\n301 | 1.00"
    doc = read_pdf(
        build_pdf(
            [
                [Title("表一"), Grid(grid)],
                [Title("表二"), Grid(grid)],
                [Grid("科目 | 名称 | 金额\n301 | 工资 | 1.00")],
            ]
        ),
        "d.pdf",
    )
    assert [(t.caption, t.page, t.continued) for t in doc.tables] == [
        ("表一", 1, []),
        ("表二", 2, []),
        (None, 3, []),
    ]
    assert [t.index for t in doc.tables] == [1, 2, 3]


# --- synthetic PDFs: prose ------------------------------------------------------------------------


def test_wrapped_lines_join_into_paragraphs_and_page_furniture_is_dropped() -> None:
    long_text = "本部门收入预算包括一般公共预算拨款和政府性基金预算拨款" * 4 + "。"
    pages: list[list[Title | Text | Grid | Gap]] = [
        [Title("第一部分 部门概况"), Text(long_text), Text("第二段只有一行。")],
        [Text("支出预算按功能分类列示，" * 6 + "详见附表。")],
        [Text("以上情况特此说明。")],
    ]
    doc = read_pdf(build_pdf(pages, header="某某局2024年部门预算公开", page_numbers=True), "e.pdf")
    assert [p.text for p in doc.paragraphs] == [
        "第一部分 部门概况",
        long_text,
        "第二段只有一行。",
        "支出预算按功能分类列示，" * 6 + "详见附表。",
        "以上情况特此说明。",
    ]
    assert [p.loc.page for p in doc.paragraphs] == [1, 1, 1, 2, 3]
    assert [p.heading for p in doc.paragraphs] == [1, None, None, None, None]


def test_fake_bold_printed_twice_reads_once_and_text_outside_the_page_is_ignored() -> None:
    doc = read_pdf(
        build_pdf(
            [[Title("收入支出决算总表", fake_bold=True), Text("正文在页面之内。", indent=False)]],
            outside="页面之外的文字",
        ),
        "f.pdf",
    )
    assert [p.text for p in doc.paragraphs] == ["收入支出决算总表", "正文在页面之内。"]


# --- synthetic PDFs: unreadable input -------------------------------------------------------------


def _plain() -> bytes:
    return build_pdf(
        [[Title("第一页"), Text("正文内容，用于检验读取。")], [Title("第二页")], [Title("第三页")]]
    )


def test_an_encrypted_pdf_needs_its_password() -> None:
    with pytest.raises(ReadError) as caught:
        read_pdf(encrypt(_plain(), "secret"), "locked.pdf")
    assert caught.value.code == "R005"
    assert caught.value.message == "文件已加密，需先解除密码保护：locked.pdf"


def test_an_encrypted_pdf_with_an_empty_user_password_is_read() -> None:
    doc = read_pdf(encrypt(_plain(), ""), "owner-only.pdf")
    assert [p.text for p in doc.paragraphs][:2] == ["第一页", "正文内容，用于检验读取。"]


def test_a_scan_without_text_asks_for_ocr() -> None:
    with pytest.raises(ReadError) as caught:
        read_pdf(image_only_pdf(pages=2), "scan.pdf")
    assert (caught.value.code, caught.value.detail) == ("R006", "共 2 页，均无文字")


@pytest.mark.parametrize("share", [0.05, 0.3, 0.6, 0.9, 0.99])
def test_a_truncated_pdf_is_reported_as_damaged(share: float) -> None:
    data = _plain()
    with pytest.raises(ReadError) as caught:
        read_pdf(data[: int(len(data) * share)], "cut.pdf")
    assert caught.value.code == "R004"
    assert caught.value.detail


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4\n" + b"\x00\xff garbage" * 200, b"%PDF-1.7\n1 0 obj\n<<", b"%PDF-"]
)
def test_garbage_after_a_pdf_signature_is_reported_as_damaged(data: bytes) -> None:
    with pytest.raises(ReadError) as caught:
        read_pdf(data, "junk.pdf")
    assert caught.value.code == "R004"


def test_a_damaged_page_is_skipped_with_a_warning_and_the_others_are_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_plain())))
    writer.pages[1][NameObject("/MediaBox")] = ArrayObject(
        [TextStringObject("x"), NumberObject(0), NumberObject(10), NumberObject(10)]
    )
    out = io.BytesIO()
    writer.write(out)
    doc = read_pdf(out.getvalue(), "torn.pdf")
    assert doc.pages == 3
    assert [p.text for p in doc.paragraphs] == ["第一页", "正文内容，用于检验读取。", "第三页"]
    (finding,) = doc.findings
    assert (finding.code, finding.severity) == ("R015", Severity.WARNING)
    assert finding.locations == (Loc(file="torn.pdf", page=2),)
    assert finding.message.startswith("某页无法读取，已跳过该页：torn.pdf（第 2 页")
    assert {"R015", "R016"} <= READ_CODES.keys()


def test_blank_pages_and_an_empty_page_tree_have_no_content() -> None:
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.add_blank_page(595, 842)
    for writer, detail in [(blank, "共 2 页，均为空白"), (PdfWriter(), "PDF 中没有页面")]:
        out = io.BytesIO()
        writer.write(out)
        with pytest.raises(ReadError) as caught:
            read_pdf(out.getvalue(), "blank.pdf")
        assert (caught.value.code, caught.value.detail) == ("R011", detail)


def test_the_dispatcher_sends_pdf_bytes_here() -> None:
    assert read_bytes(_plain(), "x.pdf").format == "pdf"


# --- the real corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def swj() -> SourceDocument:
    return read_document(PDF_SWJ)


@pytest.fixture(scope="module")
def wanli() -> SourceDocument:
    return read_document(PDF_WANLI)


@pytest.fixture(scope="module")
def czj() -> SourceDocument:
    return read_document(PDF_CZJ_FINAL)


@pytest.fixture(scope="module")
def jcy() -> SourceDocument:
    return read_document(PDF_JCY)


def test_swj_2025_summary_table(swj: SourceDocument) -> None:
    assert swj.pages == 26 and not swj.findings
    table = _table(swj, "2025年部门财务收支预算总表")
    assert table.page == 9 and (table.n_rows, table.n_cols) == (16, 4)
    assert table.row_texts(1) == ["本年收入", "", "本年支出", ""] and table.rows[0][0].colspan == 2
    assert table.row_texts(3) == [
        "一、财政拨款收入",
        "371,514,655.00",
        "一、一般公共服务支出",
        "21,601,733.00",
    ]
    assert table.row_texts(9) == ["四、其他收入", "", "七、住房保障支出", "2,849,034.00"]
    assert table.row_texts(16) == ["收入总计", "371,514,655.00", "支出总计", "371,514,655.00"]
    assert table.rows[15][3].loc == Loc(file=PDF_SWJ.name, page=9, table=1, row=16, col=4, cell="D16")


def test_swj_2025_income_table_runs_over_two_pages(swj: SourceDocument) -> None:
    table = _table(swj, "2025年部门收入预算总表")
    assert (table.page, table.continued, table.n_rows, table.n_cols) == (10, [18], 34, 9)
    code = table.cell(2, 1)
    assert code is not None and (code.text, code.colspan) == ("功能分类科目编码", 3)
    assert table.row_texts(18)[:5] == ["208", "05", "06", "机关事业单位职业年金缴费支出", "705,443.00"]
    assert table.rows[17][0].loc.page == 11
    assert table.row_texts(34)[4] == "371,514,655.00" and table.rows[33][0].colspan == 4


def test_wanli_2023_summary_table(wanli: SourceDocument) -> None:
    assert wanli.pages == 35
    table = _table(wanli, "2023年部门财务收支预算总表")
    assert table.page == 10
    assert table.row_texts(3) == ["一、财政拨款收入", "164,978,640", "一、一般公共服务支出", "2,976,800"]
    assert table.row_texts(9) == ["四、其他收入", "", "七、城乡社区支出", "121,319,878"]
    assert table.row_texts(10) == ["", "", "八、住房保障支出", "8,960,694"]
    assert table.row_texts(16) == ["收入总计", "164,978,640", "支出总计", "164,978,640"]


def test_wanli_2023_long_tables_and_separate_target_forms(wanli: SourceDocument) -> None:
    income = _table(wanli, "2023年部门收入预算总表")
    assert (income.page, income.continued, income.n_rows) == (11, [18, 38, 58], 70)
    # every page of 财政项目支出绩效目标填报表 is its own form, titled inside the table
    forms = [t for t in wanli.tables if t.caption == "财政项目支出绩效目标填报表"]
    assert [t.page for t in forms] == [31, 32, 33, 34, 35]
    assert [t.text(3, 3) for t in forms[:3]] == [
        "新建万里街道社区公共服务中心",
        "就业援助基地补贴",
        "社区环境整治和建设经费",
    ]


def test_czj_2024_final_accounts_summary_table_continued_on_page_7(czj: SourceDocument) -> None:
    assert czj.pages == 25
    table = _table(czj, "收入支出决算总表")
    assert (table.page, table.continued, table.n_rows) == (6, [30], 32)
    assert table.row_texts(2) == ["项目", "决算数", "项目", "决算数"]
    assert table.row_texts(3) == [
        "一、一般公共预算财政拨款收入",
        "2,940.05",
        "一、一般公共服务支出",
        "2,106.66",
    ]
    assert table.row_texts(29) == ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"]
    assert table.row_texts(31) == ["年初结转和结余", "49.14", "年末结转和结余", "55.34"]
    assert table.row_texts(32) == ["总计", "2,995.39", "总计", "2,995.39"]
    assert table.rows[31][1].loc == Loc(file=PDF_CZJ_FINAL.name, page=7, table=2, row=32, col=2, cell="B32")


def test_czj_2024_tables_and_narrative(czj: SourceDocument) -> None:
    captions = [t.caption for t in czj.tables]
    assert captions == [
        None,  # the list of units on p.5 follows a sentence, not a title
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    appropriation = _table(czj, "财政拨款收入支出决算总表")
    assert appropriation.continued == [16]  # page 14 holds only an empty ruled row: not joined
    assert appropriation.row_texts(34)[:4] == ["总计", "2,961.68", "总计", "2,961.68"]
    basic = _table(czj, "一般公共预算财政拨款基本支出决算表")
    assert basic.row_texts(15)[2:4] == ["住房公积金", "187.19"]
    assert _find(basic, "因公出国（境）费用") == (15, 7)
    texts = [p.text for p in czj.paragraphs]
    assert "第二部分 上海市普陀区财政局2024年度部门决算表" in texts  # "2024" sits lower on the line
    assert "第三部分上海市普陀区财政局2024年度部门决算情况说明" in texts  # a title printed on two lines
    assert texts[:2] == ["上海市普陀区财政局", "2024年度部门决算"]  # cover lines far apart stay apart
    # a numbered item wrapped before "（项）。" stays one paragraph
    assert any(
        t.startswith("5、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。主要用于")
        for t in texts
    )
    assert "（十二）完成区委、区政府交办的其他任务。" in texts


def test_jcy_2019_summary_table_in_wan_yuan(jcy: SourceDocument) -> None:
    assert jcy.pages == 33
    table = _table(jcy, "收支预算总表")
    assert table.page == 14 and table.n_cols == 6
    assert table.row_texts(1) == ["收入", "", "支出", "", "", ""] and table.rows[0][2].colspan == 4
    assert table.row_texts(4) == [
        "一、财政拨款",
        "24,169.74",
        "一、一般公共服务支出",
        "",
        "一、基本支出",
        "15,844.04",
    ]
    assert table.text(7, 1) == "二、财政专户管理资金"  # printed as 财政专户管理资 / 金
    assert table.text(6, 5) == "三、单位预留机动经费"  # printed as 单位预留机动经 / 费
    assert table.row_texts(7)[2:4] == ["四、公共安全支出", "16,593.12"]
    assert table.row_texts(25)[0:3] == ["当年收入小计", "24,169.74", "当年支出小计"]
    assert table.row_texts(27) == ["收入合计", "24,169.74", "支出合计", "", "", "24,169.74"]
    assert table.rows[26][2].colspan == 3


def test_jcy_2019_the_same_total_printed_two_ways_and_page_numbers_dropped(jcy: SourceDocument) -> None:
    income = _table(jcy, "收入预算总表")
    assert income.page == 15 and income.row_texts(2) == ["收入总计", "", "24169.74"]
    assert income.rows[2][0].rowspan == 3  # 一般公共预算资金 spans 小计 / 公共财政拨款 / 专项收入
    purchases = _table(jcy, "政府采购支出预算表")
    assert (purchases.page, purchases.continued) == (22, [17, 37])
    assert purchases.row_texts(2)[-1] == "2,744.84"
    assert not [p.text for p in jcy.paragraphs if p.text.isdigit()]
    texts = [p.text for p in jcy.paragraphs]
    # a heading and the indented paragraph under it stay apart even though the heading is long
    heading = texts.index("十一、一般公共预算机关运行经费支出预算情况说明")
    assert texts[heading + 1].startswith("2019年省检察院一般公共预算机关运行经费预算支出2391.92 万元")
    # a paragraph running over the page break from p.25 to p.26 is one paragraph
    assert any(t.startswith("（1）一般公共预算收入预算 24,169.74万元") for t in texts)
    assert all(t.caption and not t.caption.startswith(("部门", "单位")) for t in jcy.tables)
