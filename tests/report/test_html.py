"""The HTML page: every finding with its code, message and locations; escaped; self-contained."""

from __future__ import annotations

import re
from importlib.resources import files

import lxml.html

from jixiao.checks.engine import audit_files
from jixiao.checks.report import AuditReport, DocumentAudit
from jixiao.report.html import render_html
from tests.conftest import SEED_002
from tests.report.conftest import CELL, HOSTILE, REGISTRY, ROW, SHEET_CELL


def _rows(page: str, css: str) -> list[lxml.html.HtmlElement]:
    return lxml.html.fromstring(page).find_class(css)


def test_every_finding_is_shown_with_code_message_and_locations(report: AuditReport) -> None:
    page = render_html(report, REGISTRY)
    rows = _rows(page, "finding")
    findings = [f for d in report.documents for f in d.findings]
    assert len(rows) == len(findings) == 4
    for row, finding in zip(rows, findings, strict=True):
        cells = row.findall("td")
        assert cells[2].text_content() == finding.code
        assert cells[4].text_content() == finding.message
        assert [span.text_content() for span in cells[3].findall("span")] == [
            loc.label() for loc in finding.locations
        ]
        assert row.get("data-severity") == finding.severity.value
    first = rows[0].findall("td")
    assert [c.text_content() for c in first] == [
        "1",
        "错误",
        "A991",
        CELL.label() + ROW.label(),
        "《收入支出决算总表》合计 2,946.25 万元，与各项之和 2,946.26 万元不符",
        "2946.26",
        "2946.25",
        "核对合计行。",
    ]
    assert first[2].find("abbr").get("title") == "示例：合计与明细不符"  # the rule title from the registry
    assert rows[2].findall("td")[3].text_content() == "—"  # no location
    assert rows[3].findall("td")[0].text_content() == "1"  # numbered within its own document
    assert SHEET_CELL.label() in page


def test_header_totals_and_documents(report: AuditReport) -> None:
    page = render_html(report, REGISTRY)
    tree = lxml.html.fromstring(page)
    totals = {
        div.find("dt").text_content(): div.find("dd").text_content()
        for div in tree.find_class("totals")[0].findall("div")
    }
    assert totals == {
        "文件": "2",
        "审核发现": "4",
        "错误": "2",
        "警告": "1",
        "提示": "1",
        "规则通过": "1",
        "规则发现问题": "2",
        "规则不适用": "1",
        "规则出错": "1",
    }
    sections = tree.find_class("document")
    assert [s.find("h2").text_content() for s in sections] == ["1. 部门决算.pdf", "2. 预算表.xlsx"]
    assert "文件类型：部门决算公开" in sections[0].find_class("meta")[0].text_content()
    assert "文件类型：部门预算公开" in sections[1].find_class("meta")[0].text_content()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page


def test_rule_outcomes_are_listed_with_reasons(report: AuditReport) -> None:
    tree = lxml.html.fromstring(render_html(report, REGISTRY))
    outcomes = tree.find_class("document")[0].find_class("outcome")
    listed = [[td.text_content() for td in row.findall("td")] for row in outcomes]
    assert listed == [
        ["A991", "示例：合计与明细不符", "发现问题", "1", ""],
        ["A104", "出错的规则", "规则出错", "0", ""],
        ["A103", "收支总表与财政拨款收支总表一致", "不适用", "0", "收入不全是财政拨款"],
        ["A102", "基本支出等于人员经费与公用经费之和", "通过", "0", ""],
    ]
    summary = tree.find_class("rules")[0].find("summary").text_content()
    assert summary == "规则执行情况：发现问题 1，规则出错 1，不适用 1，通过 1"


def test_everything_is_escaped_and_nothing_is_fetched(report: AuditReport) -> None:
    page = render_html(report, REGISTRY)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; “A&amp;B”" in page
    assert page.count("<script") == 1  # only the page's own filter script
    assert not re.search(r"https?://", page)
    assert not re.search(r"""(?:src|href)=["'](?!#)""", page)  # no file or URL outside the page
    messages = [row.findall("td")[4].text_content() for row in _rows(page, "finding")]
    assert HOSTILE in messages  # shown as text, exactly


def test_readable_without_script(report: AuditReport) -> None:
    tree = lxml.html.fromstring(render_html(report, REGISTRY))
    filters = tree.get_element_by_id("filters")
    assert filters.get("hidden") is not None  # the script reveals the filters; the rest needs none
    rows = tree.find_class("finding")
    assert all(row.get("hidden") is None for row in rows)


def test_template_is_package_data() -> None:
    template = files("jixiao.report").joinpath("templates", "report.html.j2")
    assert template.is_file()


def test_empty_and_unreadable_documents() -> None:
    from jixiao.model.findings import Finding, Severity

    unreadable = DocumentAudit(
        file="坏.pdf",
        findings=[
            Finding(code="R004", severity=Severity.ERROR, message="文件已损坏或不完整，无法读取：坏.pdf")
        ],
    )
    page = render_html(AuditReport(documents=[DocumentAudit(file="空.txt"), unreadable]), REGISTRY)
    tree = lxml.html.fromstring(page)
    sections = tree.find_class("document")
    assert sections[0].find_class("none")[0].text_content() == "未发现问题。"
    assert "无法读取" in sections[1].find_class("unreadable")[0].text_content()
    code = sections[1].find_class("finding")[0].findall("td")[2].find("abbr")
    assert code.get("title") == "文件已损坏或不完整，无法读取"  # read codes have titles too


def test_a_real_audit_renders_every_finding() -> None:
    report = audit_files([SEED_002])
    page = render_html(report)
    rows = _rows(page, "finding")
    findings = report.documents[0].findings
    assert findings  # the seed has true defects (S105: 效益 8 + 9 + 14 = 31, summary says 32)
    assert [row.findall("td")[4].text_content() for row in rows] == [f.message for f in findings]
    assert [row.get("data-code") for row in rows] == [f.code for f in findings]
