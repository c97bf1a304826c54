"""The HTML reader: charsets, spans laid out on a grid, layout tables, and what is thrown away."""

from __future__ import annotations

import pytest

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.dispatch import MAX_CELLS
from jixiao.ingest.readers.html import decode_html, read_html
from jixiao.ingest.source import Paragraph
from tests.factories import html_bytes, html_table

EXCEL_EXPORT = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<style>.xl65 {mso-number-format:"0\\.00";}</style>
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:WindowHeight>9000</x:WindowHeight></x:ExcelWorkbook></xml><![endif]-->
</head>
<body>
<table x:str border=0 cellpadding=0 cellspacing=0>
 <tr><td colspan=3 class=xl65>2023年部门收支总体情况表</td></tr>
 <tr><td colspan=2>编制单位：某某局</td><td>单位：万元</td></tr>
 <tr><td rowspan=2>项目</td><td colspan=2>预算数</td></tr>
 <tr><td>年初</td><td>调整后</td></tr>
 <tr><td>合计</td><td x:num="8562.6">8,562.60</td><td x:num>0</td></tr>
</table>
<script>document.write("不是内容")</script>
</body></html>"""


def test_an_excel_web_page_export_in_gb2312() -> None:
    doc = read_html(EXCEL_EXPORT.encode("gb18030"), "收支.xls")
    assert doc.format == "html"
    (table,) = doc.tables
    assert table.caption == "2023年部门收支总体情况表"
    assert [p.text for p in doc.paragraphs] == ["2023年部门收支总体情况表"]  # the title row, also a paragraph
    assert (table.n_rows, table.n_cols) == (5, 3)
    item = table.cell(3, 1)
    assert item is not None and (item.text, item.rowspan, item.colspan) == ("项目", 2, 1)
    assert table.cell(4, 1).covered_by == (3, 1)  # type: ignore[union-attr]
    assert table.row_texts(4) == ["", "年初", "调整后"]
    assert table.row_texts(5) == ["合计", "8,562.60", "0"]
    total = table.cell(5, 2)
    assert total is not None and total.loc.label() == "收支.xls:L12:表1 行5 列2"
    assert "不是内容" not in doc.full_text() and "WindowHeight" not in doc.full_text()


def test_headings_paragraphs_and_line_breaks_outside_tables() -> None:
    body = (
        "<h1>一、部门基本情况</h1>\n<p>主要职能：\n  负责<b>财政</b>预算。<br>第二行</p>"
        "<div>附注<span>一</span></div><ul><li>甲</li><li>乙</li></ul><pre>a\n  b</pre>"
    )
    doc = read_html(html_bytes(body), "p.html")
    assert [(p.text, p.heading) for p in doc.paragraphs] == [
        ("一、部门基本情况", 1),
        ("主要职能： 负责财政预算。\n第二行", None),
        ("附注一", None),
        ("甲", None),
        ("乙", None),
        ("a\nb", None),
    ]
    assert doc.paragraphs[1].loc.line == 3  # html_bytes puts the body on the page's second line


def test_caption_element_and_paragraph_above() -> None:
    body = (
        "<p>表2 支出总表</p>"
        + html_table("项目\t金额\n合计\t1")
        + "<table><caption>表3 三公经费</caption><tr><td>a</td><td>b</td></tr></table>"
    )
    doc = read_html(html_bytes(body), "c.html")
    assert [t.caption for t in doc.tables] == ["表2 支出总表", "表3 三公经费"]
    assert isinstance(doc.blocks[2], Paragraph) and doc.blocks[2].text == "表3 三公经费"


def test_layout_tables_are_read_through() -> None:
    data = html_table("项目\t金额\n合计\t8562.6")
    body = f"<table><tr><td><p>正文开头</p><table><tr><td>导航</td><td>{data}</td></tr></table></td></tr></table>"
    doc = read_html(html_bytes(body), "l.html")
    assert [p.text for p in doc.paragraphs] == ["正文开头", "导航"]
    (table,) = doc.tables
    assert table.row_texts(2) == ["合计", "8562.6"]


def test_spans_are_clamped_and_zero_rowspan_reaches_the_end() -> None:
    body = (
        "<table><tr><td rowspan=0>左</td><td colspan='2x'>右</td></tr>"
        "<tr><td>1</td></tr><tr><td rowspan=99>2</td></tr></table>"
    )
    table = read_html(html_bytes(body), "s.html").tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert table.cell(1, 1).rowspan == 3  # type: ignore[union-attr]
    assert table.cell(3, 2).rowspan == 1 and table.text(3, 2) == "2"  # type: ignore[union-attr]
    assert table.text(1, 2) == "右" and table.cell(1, 2).colspan == 2  # type: ignore[union-attr]


def test_a_table_that_would_expand_beyond_the_limit_is_refused() -> None:
    rows = "".join("<tr><td colspan=1000>x</td><td>y</td></tr>" for _ in range(MAX_CELLS // 1000 + 1))
    with pytest.raises(ReadError) as raised:
        read_html(html_bytes(f"<table>{rows}</table>"), "big.html")
    assert raised.value.code == "R007"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<meta charset='GBK'><p>预算</p>".encode("gb18030"), "预算"),
        ("<p>预算</p>".encode("gb18030"), "预算"),  # no declaration, not UTF-8: GB18030
        ("<p>预算</p>".encode(), "预算"),
        ("\ufeff<p>预算</p>".encode("utf-16-le"), "预算"),
        ("<meta charset='utf-8'><p>预算</p>".encode("gb18030"), "预算"),  # a wrong declaration
    ],
    ids=["meta-gbk", "undeclared-gb18030", "undeclared-utf8", "utf16-bom", "wrong-declaration"],
)
def test_charsets(data: bytes, expected: str) -> None:
    assert expected in decode_html(data, "x.html")
    assert read_html(data, "x.html").paragraphs[0].text == expected


def test_entities_are_not_expanded_and_nothing_is_fetched() -> None:
    page = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]><html><body><p>x&b;&ext;</p>'
        '<img src="http://example.invalid/a.png"></body></html>'
    )
    text = read_html(page.encode(), "e.html").full_text()
    assert "aaaa" not in text and "root:" not in text


def test_empty_and_binary_pages() -> None:
    with pytest.raises(ReadError) as empty:
        read_html(b"<html><body> <script>x</script></body></html>", "e.html")
    assert empty.value.code == "R011"
    with pytest.raises(ReadError) as binary:
        read_html(b"<html>\x00\x01</html>", "b.html")
    assert binary.value.code == "R003"
