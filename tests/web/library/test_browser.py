"""In headless Chromium at 1366×768: the officer searches the library (htmx), opens an entry, and a
suggestion embedded as the editor embeds it sends ``jixiao:suggestion`` with what to insert.

Screenshots go to ``$JIXIAO_SCREENSHOTS`` when set (for the closing note)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from jixiao.web.models import Document
from tests.web.test_e2e import VIEWPORT, chromium, log_in, screenshot


@pytest.fixture
def browser(live_server: Any, library: tuple[Document, Document]) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.mark.django_db(transaction=True)
def test_officer_searches_opens_an_entry_and_takes_a_suggestion(
    live_server: Any, browser: Browser, users: dict[str, User]
) -> None:
    base = str(live_server.url)
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, base, "officer")
    page.goto(base + "/library/")
    expect(page.get_by_role("heading", name="指标库")).to_be_visible()
    expect(page.locator("#entry-list tbody tr").first).to_contain_text("服务对象满意度")  # most used
    page.get_by_label("搜索").fill("及时率")
    expect(page.locator("#entry-list")).not_to_contain_text("服务对象满意度")
    expect(page.locator("#entry-list")).to_contain_text("补助资金发放及时率")
    expect(page).to_have_url(re.compile(r"q=%E5%8F%8A"))  # the search is in the address (hx-push-url)
    screenshot(page, "library-list", full_page=False)
    page.get_by_label("搜索").fill("服务对象满意度")
    page.locator("#entry-list a", has_text="服务对象满意度").first.click()
    expect(page.get_by_role("heading", name="服务对象满意度")).to_be_visible()
    expect(page.locator("main")).to_contain_text("另有 3 处使用在您无权查看的其他部门文件中")
    screenshot(page, "library-entry", full_page=False)

    # the editor embeds the partial and loads library.js; a click sends the row to insert
    page.add_script_tag(url=base + "/static/jixiao_library/library.js")
    page.evaluate(
        """() => {
            const box = document.createElement('div'); box.id = 'suggestions'; document.querySelector('main').prepend(box);
            window.inserted = null;
            document.addEventListener('jixiao:suggestion', (e) => { window.inserted = e.detail; });
            return htmx.ajax('GET', '/library/suggest/?project=2024年事业单位公开招聘&level2=数量指标', '#suggestions');
        }"""
    )
    item = page.locator("#suggestions .library-suggestion", has_text="考务人员人次")
    expect(item).to_contain_text("相似项目“2023年事业单位面向社会公开招聘”使用")
    screenshot(page, "library-suggestions", full_page=False)
    item.get_by_role("button").click()
    inserted = page.evaluate("() => window.inserted")
    assert inserted["name"] == "考务人员人次"
    assert (inserted["level1"], inserted["level2"], inserted["target"], inserted["unit"]) == (
        "产出指标",
        "数量指标",
        "≥2500人次",
        "人次",
    )
    context.close()
