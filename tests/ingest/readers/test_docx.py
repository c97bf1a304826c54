"""The .docx reader: reading order, headings, merged cells, and what Word hides from the reader."""

from __future__ import annotations

import pytest

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.docx import read_docx
from jixiao.ingest.source import Paragraph, Table
from tests.factories import WORD_NAMESPACES, docx_bytes, docx_from_body, replace_member


def _p(text: str, properties: str = "") -> str:
    return f"<w:p>{properties}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def _tc(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{_p(text)}</w:tc>"


def test_paragraphs_and_tables_interleave_in_reading_order() -> None:
    data = docx_bytes(
        [
            ("h1", "一、部门基本情况"),
            "表1 收支总表",
            "项目\t金额\n合计\t8562.6",
            ("h2", "（一）收入"),
            "收入合计8562.6万元。",
        ]
    )
    doc = read_docx(data, "a.docx")
    kinds = [(type(b).__name__, b.text if isinstance(b, Paragraph) else b.index) for b in doc.blocks]
    assert kinds == [
        ("Paragraph", "一、部门基本情况"),
        ("Paragraph", "表1 收支总表"),
        ("Table", 1),
        ("Paragraph", "（一）收入"),
        ("Paragraph", "收入合计8562.6万元。"),
    ]
    assert [p.heading for p in doc.paragraphs] == [1, None, 2, None]
    assert doc.tables[0].caption == "表1 收支总表"
    assert [p.loc.line for p in doc.paragraphs] == [1, 2, 3, 4]


def test_grid_span_and_vertical_merge_become_anchor_and_covered_cells() -> None:
    data = docx_bytes([("table", "项目\t金额\t备注\n合计\t8562.6\t\n小计\t1\t2", ["A1:A2", "B2:C2"])])
    table = read_docx(data, "m.docx").tables[0]
    head = table.cell(1, 1)
    assert head is not None and (head.text, head.rowspan, head.colspan) == ("项目", 2, 1)
    assert table.cell(2, 1).covered_by == (1, 1)  # type: ignore[union-attr]
    amount = table.cell(2, 2)
    assert amount is not None and (amount.text, amount.colspan) == ("8562.6", 2)
    assert table.cell(2, 3).covered_by == (2, 2)  # type: ignore[union-attr]
    assert table.row_texts(3) == ["小计", "1", "2"]
    assert amount.loc.label() == "m.docx:表1 行2 列2" and amount.loc.cell == "B2"


def test_grid_before_and_vmerge_continue_follow_grid_columns() -> None:
    restart, span = "<w:vMerge w:val='restart'/>", "<w:gridSpan w:val='2'/>"
    body = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{_tc('指标', restart)}{_tc('目标', span)}</w:tr>"
        f"<w:tr>{_tc('', '<w:vMerge/>')}{_tc('年初')}{_tc('调整')}</w:tr>"
        f"<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>{_tc('95%')}{_tc('90%')}</w:tr>"
        "</w:tbl>"
    )
    table = read_docx(docx_from_body(body), "g.docx").tables[0]
    assert (table.n_rows, table.n_cols) == (3, 3)
    assert table.cell(1, 1).rowspan == 2 and table.cell(2, 1).covered_by == (1, 1)  # type: ignore[union-attr]
    assert table.cell(1, 2).colspan == 2 and table.cell(1, 3).covered_by == (1, 2)  # type: ignore[union-attr]
    assert table.row_texts(2) == ["", "年初", "调整"]
    assert table.row_texts(3) == ["", "95%", "90%"]  # gridBefore skips the first grid column
    assert table.cell(3, 1).covered_by is None  # type: ignore[union-attr]


def test_nested_tables_are_flattened_into_the_cell() -> None:
    inner = f"<w:tbl><w:tr>{_tc('甲')}{_tc('1')}</w:tr><w:tr>{_tc('乙')}{_tc('2')}</w:tr></w:tbl>"
    body = f"<w:tbl><w:tr>{_tc('明细')}<w:tc>{_p('见下表')}{inner}<w:p/></w:tc></w:tr></w:tbl>"
    doc = read_docx(docx_from_body(body), "n.docx")
    (table,) = doc.tables
    assert table.row_texts(1) == ["明细", "见下表\n甲 1\n乙 2"]


def test_deleted_revisions_field_codes_and_textbox_fallbacks_are_left_out() -> None:
    body = (
        "<w:p><w:r><w:t>预算</w:t></w:r>"
        "<w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>执行率</w:t></w:r></w:ins>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:tab/><w:t>95%</w:t><w:br/><w:t>第二行</w:t></w:r>"
        "<mc:AlternateContent><mc:Choice Requires='wps'><w:r><w:t>[框]</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>[框]</w:t></w:r></mc:Fallback></mc:AlternateContent>"
        "</w:p>"
    )
    (paragraph,) = read_docx(docx_from_body(body), "r.docx").paragraphs
    assert paragraph.text == "预算执行率 95%\n第二行[框]"


def test_content_controls_are_looked_into_and_empty_paragraphs_still_count() -> None:
    body = f"<w:p/>{_p('封面')}<w:sdt><w:sdtPr/><w:sdtContent>{_p('目录')}</w:sdtContent></w:sdt><w:p/>{_p('正文')}"
    doc = read_docx(docx_from_body(body), "s.docx")
    assert [(p.text, p.loc.line) for p in doc.paragraphs] == [("封面", 2), ("目录", 3), ("正文", 5)]
    assert doc.paragraphs[0].loc.label() == "s.docx:L2"


def test_headings_from_outline_level_chinese_style_names_and_based_on() -> None:
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles {WORD_NAMESPACES}>'
        '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="我的标题"/><w:basedOn w:val="2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="大纲"/>'
        '<w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="正文"/>'
        '<w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
        "</w:styles>"
    )
    body = (
        _p("总标题", "<w:pPr><w:pStyle w:val='a5'/></w:pPr>")
        + _p("（一）收入", "<w:pPr><w:pStyle w:val='2'/></w:pPr>")
        + _p("基于标题2", "<w:pPr><w:pStyle w:val='MyHeading'/></w:pPr>")
        + _p("三级", "<w:pPr><w:pStyle w:val='Outline'/></w:pPr>")
        + _p("直接大纲", "<w:pPr><w:outlineLvl w:val='0'/></w:pPr>")
        + _p("正文", "<w:pPr><w:pStyle w:val='Body'/></w:pPr>")
    )
    data = replace_member(docx_from_body(body), "word/styles.xml", styles.encode())
    doc = read_docx(data, "h.docx")
    assert [(p.text, p.heading) for p in doc.paragraphs] == [
        ("总标题", 1),
        ("（一）收入", 2),
        ("基于标题2", 2),
        ("三级", 3),
        ("直接大纲", 1),
        ("正文", None),
    ]


def test_table_title_row_becomes_the_caption_and_a_paragraph() -> None:
    data = docx_bytes([("table", "2023年项目支出绩效目标表\t\n指标\t指标值\n满意度\t≥95%", ["A1:B1"])])
    doc = read_docx(data, "t.docx")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"]
    table = doc.blocks[1]
    assert isinstance(table, Table) and table.caption == "2023年项目支出绩效目标表"
    assert doc.paragraphs[0].loc.cell == "A1"


def test_an_empty_document_has_nothing_to_read() -> None:
    with pytest.raises(ReadError) as raised:
        read_docx(docx_from_body("<w:p/><w:p/>"), "empty.docx")
    assert raised.value.message == "文件中没有任何可读内容：empty.docx（文档正文为空）"


def test_malformed_document_xml_is_r004() -> None:
    data = replace_member(docx_bytes(["正文"]), "word/document.xml", b"<w:document><w:body><w:p>")
    with pytest.raises(ReadError) as raised:
        read_docx(data, "bad.docx")
    assert raised.value.code == "R004"
    assert raised.value.message.startswith(
        "文件已损坏或不完整，无法读取：bad.docx（无法打开 Word 文档：XMLSyntaxError"
    )
