"""The HTML and PDF writers on a realistic 自评报告: text escaped, tables whole, PDF text extractable.

The document is seed 002 (信阳市平桥区人社局 2022 部门整体支出自评报告): its own prose (the 主要职责
paragraphs read from the seed), its 表3-2 rows as a 绩效自评表 grid with merged 一级/二级指标 cells,
its 表4-1 决算 amounts as a landscape money grid long enough to run over two pages, the four-level
score chart, and a page break. The PDF is read back with pdfplumber (text, page sizes) and pypdf
(fonts, metadata): what a reader can copy out of the file is what the document says.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from functools import cache

import lxml.html
import pdfplumber
import pytest
from pypdf import PdfReader

from jixiao.render import fonts
from jixiao.render.errors import RenderError
from jixiao.render.html import css_string, print_css, write_html
from jixiao.render.layout import (
    Block,
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
from jixiao.render.pdf import write_pdf
from tests.conftest import SEED_002

TITLE = "2022年度部门整体支出绩效自评报告"
UNIT = "信阳市平桥区人力资源和社会保障局"
ESCAPED = "目标1：<高站位稳就业促发展> & “组合拳”"

#: 表4-1 of seed 002: (收入项目, 金额, 功能科目, 金额, 经济科目, 金额), 万元.
FUNDS: list[tuple[str, Decimal | None, str, Decimal | None, str, Decimal | None]] = [
    (
        "一、一般公共预算财政拨款收入",
        Decimal("1913.2"),
        "八、社会保障和就业支出",
        Decimal("2250.15"),
        "一、基本支出",
        Decimal("1633.25"),
    ),
    ("二、政府性基金预算财政拨款收入", None, "九、卫生健康支出", None, "人员经费", Decimal("1516.4")),
    ("三、国有资本经营预算财政拨款收入", None, "十、节能环保支出", None, "公用经费", Decimal("116.85")),
    ("四、上级补助收入", None, "十一、城乡社区支出", None, "二、项目支出", Decimal("280")),
]
AMOUNTS = ["1,913.20", "2,250.15", "1,633.25", "1,516.40", "116.85", "280.00"]

#: 表3-2 of seed 002 (part): 一级指标, 二级指标, 三级指标, 指标值, 实际完成值, 分值, 得分.
SCORES = [
    ("投入管理指标", "工作目标管理", "年度履职目标相关性", "相关", "相关", "2", "2"),
    ("", "", "工作任务科学性", "科学", "科学", "2", "2"),
    ("", "", "绩效指标合理性", "合理", "合理", "2", "2"),
    ("", "预算和财务管理", "预算编制完整性", "完整", "完整", "2", "2"),
    ("", "", "预算执行率", "≥95%", "100%", "2", "2"),
    ("", "", "预算调整率", "≤10%", "0.1%", "2", "2"),
    ("产出指标", "重点工作任务完成", "重点工作1计划完成率", "100%", "100%", "3", "3"),
    ("", "", "重点工作2计划完成率", "100%", "100%", "2", "2"),
    ("效益指标", "履职社会效益", "提高人民群众生活质量", "提高", "提高", "10", "8"),
    ("", "可持续发展影响指标", "长效管理制度", "健全", "健全", "10", "9"),
    ("", "", "群众满意度", "≥90%", "98%", "15", "14"),
]


def duties() -> list[str]:
    """The 主要职责 paragraphs of seed 002 (1、… 14、), as printed."""
    lines = [line.strip() for line in SEED_002.read_text(encoding="utf-8").splitlines()]
    start = lines.index("（一）单位介绍及主要职责")
    found = [line for line in lines[start + 1 : start + 40] if re.match(r"^\d+、", line)]
    assert len(found) >= 12
    return found


def spans(column: int) -> list[tuple[int, int]]:
    """(first row, rowspan) of each merged 一级/二级指标 cell: a name and the blanks below it."""
    starts = [row for row, line in enumerate(SCORES) if line[column]]
    ends = [*starts[1:], len(SCORES)]
    return [(start, end - start) for start, end in zip(starts, ends, strict=True)]


def score_grid() -> Grid:
    heads = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]
    cells = [Cell(0, col, text, "head") for col, text in enumerate(heads)]
    for column in (0, 1):
        for start, length in spans(column):
            cells.append(Cell(start + 1, column, SCORES[start][column], "label", rowspan=length))
    for row, line in enumerate(SCORES, start=1):
        cells += [Cell(row, col, line[col]) for col in (2, 3, 4)]
        cells += [number_cell(row, col, Decimal(line[col])) for col in (5, 6)]
    total = len(SCORES) + 1
    cells += [Cell(total, 0, "合计", "total", colspan=5)]
    cells += [number_cell(total, 5, Decimal(55)), number_cell(total, 6, Decimal(49), bold=True)]
    return Grid(
        title="附件1：2022年度部门整体绩效自评表",
        cells=tuple(cells),
        widths=(8, 10, 16, 8, 8, 5, 5),
        above=("单位：分",),
        header_rows=1,
        notes=("注：自评采取打分评价的形式，满分为100分。",),
    )


def fund_grid(repeat: int = 6) -> Grid:
    """表4-1, its rows repeated so the landscape table runs over two pages."""
    heads = ["项目", "金额", "功能科目", "金额", "经济科目", "金额"]
    cells = [Cell(0, col, text, "head") for col, text in enumerate(heads)]
    for row, (a, b, c, d, e, f) in enumerate(FUNDS * repeat, start=1):
        cells += [Cell(row, 0, a), money_cell(row, 1, b), Cell(row, 2, c), money_cell(row, 3, d)]
        cells += [Cell(row, 4, e), money_cell(row, 5, f)]
    return Grid(
        title="表4-1 部门资金情况分析表（决算表）",
        cells=tuple(cells),
        widths=(24, 10, 20, 10, 16, 10),
        above=("单位：万元",),
        header_rows=1,
        landscape=True,
    )


CHART = Chart(
    "部门整体支出绩效自评得分",
    ("预算执行", "投入管理", "产出", "效益"),
    (Decimal("10"), Decimal("28.6"), Decimal("25"), Decimal("32")),
    (Decimal("10"), Decimal("30"), Decimal("25"), Decimal("35")),
)


@cache
def report_doc() -> Doc:
    prose = [Paragraph(text) for text in duties()]
    blocks: list[Block] = [
        Heading("一、基本情况", 1),
        Heading("（一）单位介绍及主要职责", 2),
        Paragraph(f"{UNIT}是区政府综合管理全区人力资源和社会保障工作的职能部门，其主要职责："),
        *prose,
        Heading("（二）年度部门总目标及主要任务", 2),
        Heading("1. 年度总体目标", 3),
        Paragraph(ESCAPED),
        Heading("二、综合评价结论", 1),
        Paragraph("2022年度我单位整体自评得分为97分，评价等级为“优”。"),
        CHART,
        Heading("三、部门资金情况分析", 1),
        Paragraph("我单位2022年年初预算资金1913.2万元；全年实际执行数为1913.2万元，预算执行率为100%。"),
        fund_grid(),
        Paragraph("以上为部门资金情况。", indent=False),
        *prose,
        PageBreak(),
        score_grid(),
    ]
    return Doc(TITLE, tuple(blocks), header=UNIT, subtitle=f"{UNIT}（盖章）")


@cache
def report_pdf() -> bytes:
    return write_pdf(report_doc())


@cache
def pdf_pages() -> list[tuple[float, float, str]]:
    """(width, height, text) of each page of the report's PDF."""
    with pdfplumber.open(io.BytesIO(report_pdf())) as pdf:
        return [(float(page.width), float(page.height), page.extract_text() or "") for page in pdf.pages]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------------------------ HTML


def test_html_is_one_self_contained_chinese_page() -> None:
    page = write_html(report_doc())
    assert page.startswith("<!DOCTYPE html>")
    tree = lxml.html.fromstring(page)
    assert tree.get("lang") == "zh-CN"
    assert tree.findtext(".//title") == TITLE
    assert len(tree.findall(".//style")) == 1
    for absent in ("<script", "<link", "http://", "https://", "src=", "@import", "url("):
        assert absent not in page, absent


def test_html_escapes_the_documents_text() -> None:
    page = write_html(report_doc())
    assert "目标1：&lt;高站位稳就业促发展&gt; &amp; “组合拳”" in page
    assert "<高站位稳就业促发展>" not in page
    tree = lxml.html.fromstring(page)
    assert ESCAPED in [p.text_content() for p in tree.iter("p")]


def test_headings_by_level_and_prose_indented() -> None:
    tree = lxml.html.fromstring(write_html(report_doc()))
    assert tree.findtext(".//h1") == TITLE
    assert [h.text for h in tree.iter("h2")] == ["一、基本情况", "二、综合评价结论", "三、部门资金情况分析"]
    assert [h.text for h in tree.iter("h3")] == ["（一）单位介绍及主要职责", "（二）年度部门总目标及主要任务"]
    assert [h.text for h in tree.iter("h4")] == ["1. 年度总体目标"]
    duty = next(p for p in tree.iter("p") if p.text == duties()[0])
    assert "indent" in duty.get("class", "").split()
    plain = next(p for p in tree.iter("p") if p.text == "以上为部门资金情况。")
    assert "indent" not in plain.get("class", "").split()


def test_score_grid_as_a_table_with_thead_and_merged_cells() -> None:
    tree = lxml.html.fromstring(write_html(report_doc()))
    section = next(s for s in tree.iter("section") if "自评表" in s.findtext("p"))
    table = section.find("table")
    assert [th.text for th in table.findall("thead/tr/th")][:3] == ["一级指标", "二级指标", "三级指标"]
    assert len(table.findall("thead/tr")) == 1
    body = table.findall("tbody/tr")
    assert len(body) == len(SCORES) + 1
    merged = {td.text: int(td.get("rowspan", "1")) for td in table.iter("td") if td.get("rowspan")}
    assert merged["投入管理指标"] == 6 and merged["产出指标"] == 2 and merged["效益指标"] == 3
    assert merged["预算和财务管理"] == 3 and merged["可持续发展影响指标"] == 2
    # every row has its seven columns once the spans above it are counted
    covering = [0] * len(body)
    for index, row in enumerate(body):
        for td in row.findall("td"):
            for below in range(index, index + int(td.get("rowspan", "1"))):
                covering[below] += int(td.get("colspan", "1"))
    assert covering == [7] * len(body)
    total = body[-1].findall("td")[0]
    assert (total.text, total.get("colspan")) == ("合计", "5")
    assert section.findtext("p[@class='grid-above align-right']") == "单位：分"
    assert "注：自评采取打分评价的形式" in section.findall("p")[-1].text


def test_money_right_aligned_and_column_widths_proportional() -> None:
    tree = lxml.html.fromstring(write_html(report_doc()))
    section = next(s for s in tree.iter("section") if "wide" in s.get("class", "").split())
    money = [td for td in section.iter("td") if "money" in td.get("class", "").split()]
    assert {td.text for td in money if td.text} == set(AMOUNTS)
    assert all("align-right" in td.get("class", "").split() for td in money)
    widths = [Decimal(re.sub(r"[^\d.]", "", col.get("style"))) for col in section.iter("col")]
    assert len(widths) == 6 and abs(sum(widths) - 100) <= Decimal("0.05")
    assert widths[0] == Decimal("26.67")  # 24 of 90 characters


def test_chart_inline_as_svg_without_namespace_address() -> None:
    tree = lxml.html.fromstring(write_html(report_doc()))
    (svg,) = tree.iter("svg")
    texts = [text.text for text in svg.iter("text")]
    assert "28.6/30" in texts and "投入管理" in texts


def test_redundant_page_breaks_do_not_print_empty_pages() -> None:
    doc = Doc(
        "绩效目标申报表",
        (
            Paragraph("说明"),
            PageBreak(),
            PageBreak(),
            Heading("附件：绩效目标表", 1),
            fund_grid(repeat=1),
            PageBreak(),
            Paragraph("其他说明"),
            PageBreak(),
        ),
    )
    tree = lxml.html.fromstring(write_html(doc))
    assert len(tree.find_class("page-break")) == 0  # the landscape grid starts and ends its own pages
    (section,) = tree.find_class("wide")
    assert section.findtext("h2") == "附件：绩效目标表"  # printed on the landscape page with its table
    kept = write_html(Doc("报告", (Paragraph("甲"), PageBreak(), Paragraph("乙"))))
    assert kept.count('class="page-break"') == 1


def test_print_css_keeps_a_hostile_header_inside_its_string() -> None:
    css = print_css(Doc("x", header='单位"; } body { display: none'))
    assert "display: none" not in css
    assert css_string('a"b') == '"a\\22 b"'
    assert "@page wide" in css and "landscape" in css


def test_font_stacks_put_licensed_fonts_first_and_truetype_before_noto() -> None:
    body = [family.strip('"') for family in fonts.BODY_FONTS.split(", ")]
    assert body[:4] == ["仿宋_GB2312", "仿宋", "FangSong", "STFangsong"]
    assert body.index("AR PL UMing CN") < body.index("Noto Serif CJK SC")
    assert body.index("WenQuanYi Zen Hei") < body.index("Noto Serif CJK SC")
    title = [family.strip('"') for family in fonts.TITLE_FONTS.split(", ")]
    assert title[0] == "方正小标宋简体" and "AR PL UMing CN" in title
    assert fonts.BODY_FONTS in write_html(report_doc())


# ------------------------------------------------------------------------------------- PDF


def test_pdf_text_extracts_back_title_headings_and_every_amount() -> None:
    text = compact("\n".join(page_text for _, _, page_text in pdf_pages()))
    for expected in [
        TITLE,
        f"{UNIT}（盖章）",
        "一、基本情况",
        "（一）单位介绍及主要职责",
        "三、部门资金情况分析",
    ]:
        assert compact(expected) in text, expected
    for amount in AMOUNTS:
        assert amount in text, amount
    assert compact(duties()[1]) in text
    assert compact(ESCAPED) in text
    assert "投入管理指标" in text and "群众满意度" in text


def test_pdf_pages_headers_numbers_and_landscape_grid() -> None:
    pages = pdf_pages()
    assert 6 <= len(pages) <= 16
    for number, (_, _, text) in enumerate(pages, start=1):
        assert text.splitlines()[0].strip() == UNIT  # the page header
        assert f"— {number} —" in text  # the page number, official style
    portrait = [(width, height) for width, height, _ in pages if height > width]
    assert portrait and all(round(height) == 842 and round(width) == 595 for width, height in portrait)
    wide = [index for index, (width, height, _) in enumerate(pages) if width > height]
    assert len(wide) == 2  # 表4-1 on two landscape pages, and nothing else
    for index in wide:
        assert "功能科目" in pages[index][2]  # its header row repeated on the second page
    assert "表4-1" in pages[wide[0]][2] and "表4-1" not in pages[wide[1]][2]
    after = pages[wide[-1] + 1]
    assert after[1] > after[0] and "以上为部门资金情况" in after[2]


def test_pdf_embeds_subset_fonts_with_unicode_maps_and_a_title() -> None:
    reader = PdfReader(io.BytesIO(report_pdf()))
    assert reader.metadata is not None and reader.metadata.title == TITLE
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
    seen: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen[str(font["/BaseFont"])] = embedded and "/ToUnicode" in font
    assert seen and all(seen.values()), seen
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in seen)  # subsets
    # the TrueType fallbacks, not Noto CJK (whose CFF outlines WeasyPrint subsets ten times slower)
    assert not [name for name in seen if "Noto" in name]


def test_pdf_is_deterministic() -> None:
    assert write_pdf(report_doc()) == report_pdf()


def test_pdf_refuses_to_print_boxes_without_a_chinese_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_run", lambda *args: "")
    fonts.clear_font_cache()
    try:
        with pytest.raises(RenderError) as raised:
            write_pdf(Doc("报告", (Paragraph("正文"),)))
        assert raised.value.code == "G001"
        assert "中文字体" in raised.value.message and "JIXIAO_CJK_FONT" in raised.value.message
    finally:
        monkeypatch.undo()
        fonts.clear_font_cache()
    assert fonts.fontconfig_chinese_fonts()  # this machine has one again


def test_real_self_evaluation_report_of_seed_002_prints() -> None:
    """The 自评报告 the report builder makes from seed 002 prints with its 自评表 on landscape
    pages and every score of the sheet in the text."""
    from jixiao.model.evaluation import SelfEvaluation
    from jixiao.render.report import self_evaluation_report
    from jixiao.scoring.engine import score_evaluation
    from jixiao.scoring.ruleset import load_ruleset
    from tests.conftest import load_document

    document, _ = load_document(SEED_002)
    (form,) = document.forms
    assert isinstance(form, SelfEvaluation)
    doc = self_evaluation_report(form, score_evaluation(form, load_ruleset("henan-dept")))
    with pdfplumber.open(io.BytesIO(write_pdf(doc))) as pdf:
        pages = [(page.width, page.height, page.extract_text() or "") for page in pdf.pages]
    text = compact("".join(page_text for _, _, page_text in pages))
    headings = [block.text for block in doc.blocks if isinstance(block, Heading)]
    assert headings and all(compact(heading) in text for heading in headings)
    wide_grids = [grid for grid in doc.grids() if grid.landscape]
    assert any(width > height for width, height, _ in pages) == bool(wide_grids)
    for grid in doc.grids():
        for cell in grid.cells:
            if cell.role in ("money", "number") and cell.text:
                assert cell.text in text, (grid.title, cell.text)
