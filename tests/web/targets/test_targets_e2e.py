"""End to end in headless Chromium: a department officer creates a project target form from seed
004's project form, types ``≥100%`` on a satisfaction row and sees T106 beside the row before
submitting, fixes it, submits; a reviewer approves.

The story is written as steps (functions taking the Playwright page and the server's address) so
that it can be chained with the monitoring and self-evaluation steps of the cycle app. As in
tests/web/test_e2e.py, no ORM call happens while the browser runs: seed 004 and the users are
stored by fixtures before it starts, everything after is read off the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Locator, Page, expect

from jixiao.web.models import DocumentVersion
from tests.web.test_e2e import VIEWPORT, chromium, log_in, new_page, screenshot, status_shown

PROJECT = "事业单位面向社会公开招聘"
SATISFACTION = "考生满意度,用人单位满意度"


@pytest.fixture
def browser(live_server: Any, users: dict[str, User], seed_004_version: DocumentVersion) -> Iterator[Browser]:
    """Chromium, started once the users and seed 004 are stored (closed before the flush)."""
    with chromium() as launched:
        yield launched


# ---------------------------------------------------------------------------------------------------
# Reusable steps


def create_project_form_from_stored(page: Page, base: str, project: str = PROJECT, year: int = 2024) -> str:
    """On /targets/new/, start a 项目支出 form of ``year`` from the stored form of ``project``; returns
    the editor's URL."""
    page.goto(base + "/targets/")
    page.get_by_role("link", name="新建申报表").click()
    page.get_by_label("项目支出绩效目标申报表", exact=True).check()
    page.get_by_label("年度", exact=True).fill(str(year))
    page.get_by_label("已上传的目标表", exact=True).check()
    select = page.locator("select#id_source")
    value = select.locator("option", has_text=project).first.get_attribute("value")
    select.select_option(str(value))
    page.get_by_role("button", name="新建并开始填写").click()
    page.wait_for_url(re.compile(r"/targets/\d+/$"))
    expect(page.locator("#h-project_name")).to_have_value(re.compile(project))
    return page.url


def indicator_row(page: Page, name: str) -> Locator:
    """The tbody of the indicator named ``name`` (its inputs and its check line)."""
    return page.locator("tbody.indicator").filter(has=page.locator(f'input[value="{name}"]'))


def type_target(page: Page, name: str, value: str) -> Locator:
    """Type ``value`` as the 指标值 of ``name`` key by key; returns the row's check line once the
    keystroke check has answered."""
    row = indicator_row(page, name)
    field = row.locator("input.target")
    field.fill("")
    with page.expect_response(re.compile(r"/check/\d+/$")):
        field.press_sequentially(value, delay=30)
    check = row.locator(".row-check")
    expect(check.locator(".reading")).to_contain_text(value.lstrip("≥≤<>="))
    return check


def submit_form(page: Page) -> None:
    """Save and submit from the editor: the document page opens in status 已提交."""
    page.locator("#actions").get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    expect(status_shown(page)).to_have_text("已提交")


def approve_document(page: Page, base: str, title_part: str) -> None:
    """The reviewer finds the document in 待审核 and approves it."""
    page.goto(base + "/")
    waiting = page.locator("#inbox tbody tr").filter(has_text=title_part)
    expect(waiting).to_have_count(1)
    waiting.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    page.locator("form.action-approve").get_by_role("button", name="审核通过").click()
    expect(status_shown(page)).to_have_text("已通过")


# ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_officer_sets_targets_sees_t106_fixes_submits_and_reviewer_approves(
    live_server: Any, browser: Browser
) -> None:
    base = str(live_server.url)
    officer = new_page(browser)
    log_in(officer, base, "officer")
    editor_url = create_project_form_from_stored(officer, base)

    # the bad value: its finding appears beside the row before anything is submitted
    check = type_target(officer, SATISFACTION, "≥100%")
    finding = check.locator(".row-finding.sev-warning").filter(has_text="T106")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("“≥100%”不合逻辑")
    finding.scroll_into_view_if_needed()
    screenshot(officer, "targets-editor")
    expect(officer.locator("#summary .n-warnings")).not_to_have_text("0")
    width = officer.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"], f"the editor is {width}px wide at 1366×768"

    # fixed: the finding goes away
    check = type_target(officer, SATISFACTION, "≥90%")
    expect(check.locator(".row-finding").filter(has_text="T106")).to_have_count(0)
    submit_form(officer)
    expect(officer.locator("ul.messages")).to_contain_text("已提交，等待财政局审核")
    title = officer.locator(".dochead h1").inner_text()
    assert "2024" in title

    # the editor is read-only while under review
    officer.goto(editor_url)
    expect(officer.locator("#h-project_name")).to_be_disabled()
    expect(officer.locator("#actions button.submit")).to_have_count(0)

    reviewer = new_page(browser)
    log_in(reviewer, base, "reviewer")
    approve_document(reviewer, base, title)


def take_suggestion(page: Page, name: str) -> Locator:
    """Click the ＋ of the 指标库's suggestion ``name``; returns the indicator row it became."""
    button = page.locator(f'#suggestions button[data-name="{name}"]')
    expect(button).to_have_count(1)
    button.click()
    row = indicator_row(page, name)
    expect(row).to_have_count(1)
    return row


@pytest.mark.django_db(transaction=True)
def test_a_new_project_like_seed_004s_takes_a_suggested_indicator(live_server: Any, browser: Browser) -> None:
    base = str(live_server.url)
    officer = new_page(browser)
    log_in(officer, base, "officer")
    officer.goto(base + "/targets/new/")
    officer.get_by_label("项目支出绩效目标申报表", exact=True).check()
    officer.get_by_label("年度", exact=True).fill("2024")
    officer.get_by_label("项目名称 / 表名").fill("2024年事业单位公开招聘考试")
    officer.get_by_role("button", name="新建并开始填写").click()
    officer.wait_for_url(re.compile(r"/targets/\d+/$"))
    row = take_suggestion(officer, "报考人数")
    expect(row.locator("select").first).to_have_value("产出指标")
    expect(row.locator("select").nth(1)).to_have_value("数量指标")
    officer.reload()  # it was saved
    expect(indicator_row(officer, "报考人数")).to_have_count(1)
