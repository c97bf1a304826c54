"""The dashboard in a real browser (Debian's Chromium through Playwright, as ``tests/web/test_e2e``):
every figure is drawn by the vendored ECharts without a script error, the page has no horizontal
scrollbar at 1366×768, a bar opens the documents behind it, a figure's table loads when opened
and its numbers link to the documents, and the department filter redraws the board (htmx)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, expect

from jixiao.web.models import Document
from tests.web.test_e2e import browser, log_in, new_page

__all__ = ["browser"]  # the fixture, shared with the review story


def test_dashboard_draws_filters_and_links(
    seed_002_document: Document, seed_000_document: Document, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    own_department = seed_002_document.department.name
    own_title = seed_002_document.title
    page = new_page(browser)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, base, "reviewer")
    page.goto(base + "/dashboard/?year=")
    expect(page.locator("#chart-codes canvas")).to_have_count(1)
    figures = page.locator("section.figure").count()
    assert figures >= 7
    expect(page.locator(".chart canvas")).to_have_count(figures)
    assert problems == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # a figure's table, loaded when opened: its S105 error count opens the list of 002
    page.locator("#figure-codes summary").click()
    page.locator("#figure-codes table a[href*='code=S105&severity=error']").click()
    expect(page.locator("#facts-list")).to_contain_text(own_title)
    expect(page.locator("#total-matching")).to_have_text("1")
    # a bar of 问题最严重的部门 opens that department's documents with errors
    page.goto(base + "/dashboard/?year=")
    chart = page.locator("#chart-serious")
    expect(chart.locator("canvas")).to_have_count(1)
    box = chart.bounding_box()
    assert box is not None
    # the middle of the first bar, where ECharts itself puts it
    x, y = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById("chart-serious"));
          const value = chart.getOption().series[0].data[0];
          return chart.convertToPixel({gridIndex: 0}, [value / 2, 0]);
        }"""
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(r"/dashboard/documents/\?.*severity=error"))
    # the department filter redraws the board in place
    page.goto(base + "/dashboard/?year=")
    page.locator("select[name=department]").select_option(label=own_department)
    expect(page.locator("#figure-status table")).to_contain_text(own_department)
    expect(page.locator("#figure-status table tbody tr")).to_have_count(1)
    expect(page.locator("#chart-codes canvas")).to_have_count(1)
    assert problems == []
