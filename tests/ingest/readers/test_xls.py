"""The .xls reader on the real WPS-written 普陀 2026 单位预算 template (16 sheets)."""

from __future__ import annotations

from typing import Any

import pytest
import xlrd

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers.xls import read_xls
from jixiao.ingest.source import SourceDocument, Table
from tests.conftest import XLS_TEMPLATE


@pytest.fixture(scope="module")
def template() -> SourceDocument:
    return read_xls(XLS_TEMPLATE.read_bytes(), XLS_TEMPLATE.name)


def _sheet_table(doc: SourceDocument, sheet: str) -> Table:
    (table,) = [t for t in doc.tables if t.sheet == sheet]
    return table


def test_template_lists_16_sheets_and_nine_statement_tables(template: SourceDocument) -> None:
    assert len(template.sheets) == 16
    assert template.sheets[6] == "单位收支总表" and template.sheets[-1] == "其他相关情况说明"
    assert [t.sheet for t in template.tables] == template.sheets[6:15]
    assert template.findings == []  # WPS formatting records were read: merges are known


def test_template_summary_sheet_three_level_header(template: SourceDocument) -> None:
    table = _sheet_table(template, "单位收支总表")
    assert table.caption == "2026年预算单位财务收支预算总表"
    assert table.loc.label() == "sh-putuo-2026-danwei-yusuan-template-blank.xls:单位收支总表!A2"
    item = table.cell(6, 1)  # sheet row 7
    assert item is not None and item.text == "项目" and item.loc.cell == "A7"
    assert (item.rowspan, item.colspan) == (3, 1)  # A7:A9
    assert table.cell(8, 1).covered_by == (6, 1)  # type: ignore[union-attr]
    budget = table.cell(6, 4)
    assert budget is not None and (budget.text, budget.loc.cell, budget.colspan) == ("预算数", "D7", 4)
    basic = table.cell(7, 5)
    assert basic is not None and (basic.text, basic.loc.cell, basic.colspan) == ("基本支出", "E8", 2)
    assert table.row_texts(8)[4:6] == ["人员经费", "公用经费"]  # E9, F9


def test_template_codes_stay_text_and_numbers_lose_their_float(template: SourceDocument) -> None:
    table = _sheet_table(template, "单位收入总表")
    assert table.row_texts(10)[:4] == ["205", "02", "05", "高等教育"]  # sheet row 11
    assert table.cell(10, 3).loc.label().endswith("单位收入总表!C11")  # type: ignore[union-attr]


def test_template_cover_becomes_paragraphs(template: SourceDocument) -> None:
    texts = [p.text for p in template.paragraphs]
    assert texts[:3] == ["封面", "上海市普陀区2026年区级单位预算", "预算单位：上海市普陀区XX单位"]
    assert template.paragraphs[2].loc.cell == "A9"


def test_when_formatting_cannot_be_read_merges_are_reported_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    original = xlrd.open_workbook

    def refuse_formatting(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("formatting_info"):
            raise xlrd.XLRDError("formatting records not understood")
        return original(*args, **kwargs)

    monkeypatch.setattr(xlrd, "open_workbook", refuse_formatting)
    doc = read_xls(XLS_TEMPLATE.read_bytes(), "w.xls")
    (note,) = doc.findings
    assert note.code == "R013" and note.severity.value == "warning"
    table = _sheet_table(doc, "单位收支总表")
    assert table.text(6, 1) == "项目" and all(
        c.covered_by is None and c.rowspan == 1 for r in table.rows for c in r
    )


def test_encrypted_workbook_is_r005(monkeypatch: pytest.MonkeyPatch) -> None:
    def encrypted(*args: Any, **kwargs: Any) -> Any:
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    with pytest.raises(ReadError) as raised:
        read_xls(XLS_TEMPLATE.read_bytes(), "secret.xls")
    assert raised.value.message == "文件已加密，需先解除密码保护：secret.xls"


def test_truncated_workbook_is_r004_with_the_failure() -> None:
    data = XLS_TEMPLATE.read_bytes()
    with pytest.raises(ReadError) as raised:
        read_xls(data[: len(data) // 2], "half.xls")
    assert raised.value.code == "R004"
    assert raised.value.message.startswith(
        "文件已损坏或不完整，无法读取：half.xls（无法解析 Excel 97-2003 工作簿："
    )
