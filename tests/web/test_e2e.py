"""End to end in a real browser: Debian's Chromium driven by Playwright against the live server.

The story of one review, asserting what a person sees on each page: a department officer logs in
through the login form, uploads seed 002 through the upload form, finds the error S105 in the
findings panel and its 效益指标 row highlighted in the form, and submits; the reviewer (another
browser context) finds it in 待审核 and returns it with a comment; the officer sees it under 已退回
with that comment, uploads a corrected version (上传新版本) and resubmits; the reviewer approves;
the audit log lists the six events in order with both names. At 1366×768 the document page has no
horizontal scrollbar.

Chromium is the system one (``chromium`` on PATH or /usr/bin/chromium); the test is skipped when
there is none. No ORM call happens while the browser runs (Playwright's sync API keeps an event
loop on this thread, which Django refuses for database access): users are created by the fixtures
before it starts, everything after is read off the pages.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from playwright.sync_api import Browser, FilePayload, Locator, Page, ViewportSize, expect, sync_playwright

from tests.conftest import SEED_002
from tests.web.conftest import PASSWORD

VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
RETURN_COMMENT = "效益指标得分合计与表3-1不一致，请核对后重新提交。"
OLD_DATE = "日 期：2024 年 5 月"
NEW_DATE = "日 期：2024 年 6 月"


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@contextmanager
def chromium() -> Iterator[Browser]:
    """The system Chromium, headless, with a clean login throttle (skips the test when there is no
    Chromium). A test's ``browser`` fixture enters it after the fixtures that write to the database
    (the live server, users, stored documents), so that it is closed before the database is flushed:
    teardown runs in reverse order."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no Chromium binary (chromium on PATH or /usr/bin/chromium): apt-get install chromium")
    cache.clear()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def browser(live_server: Any, users: dict[str, User]) -> Iterator[Browser]:
    """Chromium, started after the live server and the users exist."""
    with chromium() as launched:
        yield launched


def screenshot(page: Page, name: str, full_page: bool = True) -> None:
    """``name``.png in the folder ``JIXIAO_SCREENSHOTS`` names, when it is set (documentation)."""
    folder = os.environ.get("JIXIAO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def new_page(browser: Browser) -> Page:
    """A fresh browser context (its own cookies: one person) at 1366×768."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    return context.new_page()


def log_in(page: Page, base: str, username: str) -> None:
    """Open the site, land on the login form, fill it in and arrive on the home page."""
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who .user")).to_have_text(username)


def messages(page: Page) -> str:
    return " ".join(page.locator("ul.messages li").all_inner_texts())


def status_shown(page: Page) -> Locator:
    return page.locator(".dochead .facts .status")


def text_file(name: str, data: bytes) -> FilePayload:
    """A file chosen in a file input, as the browser sends it."""
    return {"name": name, "mimeType": "text/plain", "buffer": data}


def seed_002_corrected() -> bytes:
    text = SEED_002.read_text(encoding="utf-8")
    assert OLD_DATE in text
    return text.replace(OLD_DATE, NEW_DATE, 1).encode("utf-8")


@pytest.mark.django_db(transaction=True)
def test_officer_and_reviewer_take_seed_002_through_review(live_server: Any, browser: Browser) -> None:
    base = str(live_server.url)
    officer = new_page(browser)

    # -- the officer logs in and uploads seed 002 through the upload form
    log_in(officer, base, "officer")
    expect(officer.locator("h1")).to_have_text("信阳市平桥区人力资源和社会保障局")
    upload_form = officer.locator("#upload form")
    # the file picker speaks Chinese: its label is the button, the chosen name is shown beside it
    expect(upload_form.locator("label.file-label")).to_have_text("选择文件…")
    expect(upload_form.locator(".file-chosen")).to_have_text("未选择文件")
    upload_form.get_by_label("选择文件").set_input_files(
        files=[text_file(SEED_002.name, SEED_002.read_bytes())]
    )
    expect(upload_form.locator(".file-chosen")).to_have_text(f"已选择：{SEED_002.name}")
    upload_form.get_by_role("button", name="上传").click()
    officer.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert f"{SEED_002.name}：已保存为《" in messages(officer) and "第1版" in messages(officer)
    document_url = officer.url
    title = officer.locator(".dochead h1").inner_text()
    assert "2022" in title
    expect(status_shown(officer)).to_have_text("草稿")

    # -- the document page: S105 listed as an error with its place, and its row highlighted
    s105 = officer.locator("#findings li.finding").filter(has=officer.locator("code.code", has_text="S105"))
    expect(s105).to_have_count(1)
    expect(s105.locator(".sev")).to_have_text("错误")
    expect(s105.locator(".where")).to_contain_text("L135")
    locate = s105.get_by_role("link", name="在表中定位")
    anchor = str(locate.get_attribute("href"))
    assert anchor.startswith("#")
    row = officer.locator(f"table.form-grid tr{anchor}")
    expect(row).to_have_class(re.compile(r"\bsev-error\b"))
    expect(row).to_contain_text("提高人民群众生活质量")
    finding_id = str(s105.get_attribute("id"))
    expect(row.locator(f'td.marks a[href="#{finding_id}"]')).to_have_count(1)
    # the highlight is seen: the row's cells have another background than a row without findings
    plain = officer.locator("table.form-grid tr[id]").filter(has_text="预算编制完整性").first
    flagged_bg = row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    plain_bg = plain.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert flagged_bg != plain_bg, (flagged_bg, plain_bg)
    locate.click()
    expect(row).to_be_in_viewport()
    # usable at 1366×768: no horizontal scrollbar on the document page
    width = officer.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"document page is {width}px wide at 1366×768"

    # -- the officer submits
    officer.locator("form.action-submit").get_by_role("button", name="提交").click()
    expect(status_shown(officer)).to_have_text("已提交")
    assert "已提交" in messages(officer)
    expect(officer.locator("form.action-submit")).to_have_count(0)

    # -- the reviewer finds it in 待审核 and returns it with a comment
    reviewer = new_page(browser)
    log_in(reviewer, base, "reviewer")
    inbox = reviewer.locator("#inbox")
    expect(inbox.get_by_role("heading")).to_contain_text("待审核")
    waiting = inbox.locator("tbody tr").filter(has_text=title)
    expect(waiting).to_have_count(1)
    expect(waiting.locator(".status")).to_have_text("已提交")
    waiting.get_by_role("link", name=title).click()
    reviewer.wait_for_url(document_url)
    returning = reviewer.locator("form.action-return")
    returning.locator("textarea").fill(RETURN_COMMENT)
    returning.get_by_role("button", name="退回").click()
    expect(status_shown(reviewer)).to_have_text("已退回")
    expect(reviewer.locator("#comments")).to_contain_text(RETURN_COMMENT)

    # -- the officer sees it under 已退回 with the comment, uploads a corrected version, resubmits
    officer.goto(base + "/")
    returned = officer.locator("#returned li").filter(has_text=title)
    expect(returned).to_have_count(1)
    expect(returned.locator(".return-comment")).to_contain_text(f"退回意见：{RETURN_COMMENT}")
    expect(returned.locator(".return-comment")).to_contain_text("reviewer")
    returned.get_by_role("link", name=title).click()
    officer.wait_for_url(document_url)
    versions = officer.locator("#versions")
    versions.get_by_label("选择新版本文件").set_input_files(
        files=[text_file(SEED_002.name, seed_002_corrected())]
    )
    expect(versions.locator(".file-chosen")).to_have_text(f"已选择：{SEED_002.name}")
    versions.locator('button[type="submit"]', has_text="上传新版本").click()
    expect(officer.locator("ul.messages")).to_contain_text("第2版")
    expect(officer.locator(".dochead .facts")).to_contain_text("第2版")
    expect(versions.locator("tbody tr")).to_have_count(2)
    officer.locator("form.action-resubmit").get_by_role("button", name="重新提交").click()
    expect(status_shown(officer)).to_have_text("已重新提交")

    # -- the reviewer approves
    reviewer.goto(base + "/")
    waiting = reviewer.locator("#inbox tbody tr").filter(has_text=title)
    expect(waiting.locator(".status")).to_have_text("已重新提交")
    waiting.get_by_role("link", name=title).click()
    reviewer.wait_for_url(document_url)
    reviewer.locator("form.action-approve").get_by_role("button", name="审核通过").click()
    expect(status_shown(reviewer)).to_have_text("已通过")
    expect(reviewer.locator("#workflow")).to_have_count(0)  # nothing left to do
    reviewer.goto(base + "/")
    expect(reviewer.locator("#inbox")).to_contain_text("没有待审核的文件")

    # -- the audit log: six events in order, by the two people
    log = reviewer.context.new_page()
    log.goto(document_url)
    lines = log.locator("#log tbody tr")
    expect(lines).to_have_count(6)
    shown = [
        (line.locator("td").nth(1).inner_text(), line.locator("td").nth(2).inner_text())
        for line in lines.all()
    ]
    assert shown == [
        ("officer", "上传"),
        ("officer", "提交"),
        ("reviewer", "退回"),
        ("officer", "上传"),
        ("officer", "重新提交"),
        ("reviewer", "审核通过"),
    ]
    expect(lines.nth(2)).to_contain_text(f"意见：{RETURN_COMMENT}")
    expect(lines.nth(3)).to_contain_text("第2版")
