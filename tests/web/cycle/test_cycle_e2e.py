"""End to end in headless Chromium: from an approved target document (seed 004, approved through
the workflow by the fixture), the officer opens 运行监控与自评, enters mid-year progress for the
公益性岗位补贴 project and sees a red light with its reason appear while typing (htmx), is refused
when submitting without a 偏差原因; after the year enters the actuals and sees the score and grade
computed live; gives one row another 分值 and sees the level that no longer adds up (M114) beside
its subtotal, fixes it and submits; the reviewer finds it waiting in the overview and returns it
with a comment, which the department then sees first on its list.

The steps are functions taking the Playwright page, so that the editor's story (target form created
in the browser, submitted, approved) can chain them: ``open_cycle_form`` → ``enter_progress`` →
``expect_light`` → ``enter_actuals`` → ``expect_score``. Set ``JIXIAO_SCREENSHOTS`` to a folder to
keep screenshots of the two pages. No ORM call happens while the browser runs.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from jixiao.web.models import Document
from tests.web.test_e2e import browser, log_in, new_page, screenshot  # noqa: F401  (``browser`` is a fixture)

PROJECT = "项目：公益性岗位补贴"
ACTUALS = {
    "享受公益性岗位补贴人数": "500",
    "就业援助对象认定准确率": "100%",
    "补贴发放准确率": "100%",
    "完成时限": "12月",
    "公益性岗位补贴人均标准": "2004元/人/月",
    "帮扶就业困难人员": "已实现",
    "就业困难家庭帮扶率": "90%",
    "促进就业，维护稳定": "95%",
}


# ------------------------------------------------------------------------------------ steps


def open_cycle_form(page: Page, base: str, form_label: str, column: str) -> None:
    """From /cycle/, open the form ``form_label``'s page in ``column`` (``H1``, ``Q3`` or ``self``)."""
    page.goto(base + "/cycle/")
    expect(page.get_by_role("heading", name="运行监控与自评")).to_be_visible()
    row = page.locator("#targets tr").filter(has_text=form_label)
    expect(row).to_have_count(1)
    position = {"H1": 0, "Q3": 1, "self": 2}[column]
    row.locator("td.state a").nth(position).click()
    heading = "年度绩效自评" if column == "self" else ("1–6月运行监控" if column == "H1" else "1–9月运行监控")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("nav.tabs a.current").first).to_have_text(form_label)


def enter_progress(page: Page, indicator: str, value: str) -> None:
    """Type the progress of one indicator (the light follows through htmx)."""
    page.get_by_label(f"{indicator} 实际进度").fill(value)


def expect_light(page: Page, indicator: str, colour: str, reason: str) -> None:
    """The indicator's row shows ``colour`` (红灯/黄灯/绿灯), the sentence ``reason`` and, for
    yellow and red, that a 偏差原因 is required."""
    row = page.locator("#indicators tr").filter(has=page.get_by_label(f"{indicator} 实际进度"))
    expect(row.locator(".light")).to_have_text(colour)
    expect(row.locator(".why")).to_have_text(reason)
    if colour in ("红灯", "黄灯"):
        expect(row.locator(".need")).to_have_text("须填写偏差原因")


def submit_monitoring(page: Page) -> None:
    page.get_by_role("button", name="提交运行监控").click()


def enter_actuals(page: Page, actuals: dict[str, str], executed: str) -> None:
    """Type the year's actuals per indicator and the budget executed."""
    page.get_by_label("全年预算执行数").fill(executed)
    for indicator, value in actuals.items():
        page.get_by_label(f"{indicator} 实际完成值").fill(value)


def expect_score(page: Page, total: str, grade: str) -> None:
    expect(page.locator("#total")).to_have_text(total)
    expect(page.locator("#grade")).to_have_text(grade)


# ------------------------------------------------------------------------------------ the story


@pytest.mark.django_db(transaction=True)
def test_officer_monitors_mid_year_and_evaluates_after_the_year(
    live_server: Any,
    approved_004: Document,
    browser: Browser,  # noqa: F811
    users: dict[str, User],
) -> None:
    base = str(live_server.url)
    officer = new_page(browser)
    log_in(officer, base, "officer")

    # -- mid-year: a low number of people gives a red light with its reason, while typing
    open_cycle_form(officer, base, PROJECT, "H1")
    expect(officer.locator("#indicators")).to_contain_text("按时间进度应完成 350（50%）")
    enter_progress(officer, "享受公益性岗位补贴人数", "120")
    expect_light(
        officer,
        "享受公益性岗位补贴人数",
        "红灯",
        "1–6月完成 120，按时间进度应完成 350（50%），完成进度 34.29%，偏差 65.71%，红灯",
    )
    enter_progress(officer, "就业援助对象认定准确率", "100%")
    expect_light(
        officer,
        "就业援助对象认定准确率",
        "绿灯",
        "1–6月达到 100%，指标值 100%（全年保持），达成 100%，偏差 0%，绿灯",
    )
    expect(officer.locator("#summary .light-red b")).to_have_text("1")
    screenshot(officer, "cycle-monitoring")

    # -- submitting without a reason for the red row is refused, with the row named
    submit_monitoring(officer)
    expect(officer.locator("#issues")).to_contain_text(
        "黄灯、红灯须填写偏差原因：享受公益性岗位补贴人数（红灯）"
    )
    expect(officer.get_by_label("享受公益性岗位补贴人数 实际进度")).to_have_value("120")

    # -- after the year: actuals entered, score and grade computed live by the ruleset
    open_cycle_form(officer, base, PROJECT, "self")
    enter_actuals(officer, ACTUALS, "38")
    officer.get_by_label("社会公众或服务对象满意度 实际完成值").first.fill("96%")
    officer.get_by_label("社会公众或服务对象满意度 实际完成值").nth(1).fill("97%")
    expect_score(officer, "96.11", "优")
    missed = officer.locator("#indicators tr").filter(
        has=officer.get_by_label("享受公益性岗位补贴人数 实际完成值")
    )
    expect(missed.locator(".need")).to_have_text("须填写偏差原因")
    expect(missed.locator(".score")).to_have_text("7.14 / 10")
    width = officer.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"horizontal scroll at 1366px: {width}"
    screenshot(officer, "cycle-self-evaluation")
    officer.get_by_role("button", name="保存自评").click()
    expect(officer.locator("ul.messages")).to_contain_text("还有 2 项未完成的指标没有填写偏差原因")
    assert re.search(r"/cycle/\d+/self-evaluation/\?form=2$", officer.url)

    # -- 分值 per row: a level that no longer adds up is named beside its subtotal, live
    officer.get_by_label("享受公益性岗位补贴人数 分值").fill("12")
    expect(officer.locator("#levels")).to_contain_text("产出指标：三级指标分值合计 52，评分规则为 50")
    expect(missed.locator(".score")).to_have_text("8.57 / 12")
    officer.get_by_label("公益性岗位补贴人均标准 分值").fill("8")
    expect(officer.locator("#levels")).not_to_contain_text("M114")
    officer.get_by_label("享受公益性岗位补贴人数 偏差原因").fill("部分公益岗位下半年才开发")
    officer.get_by_label("就业困难家庭帮扶率 偏差原因").fill("两户家庭迁出辖区")
    screenshot(officer, "cycle-self-evaluation-weights")
    officer.get_by_role("button", name="提交自评").click()
    expect(officer.locator("ul.messages")).to_contain_text("年度自评已提交")
    expect(officer.locator("#review")).to_contain_text("已提交")

    # -- the reviewer finds it waiting and returns it with a comment; the department sees it first
    reviewer = new_page(browser)
    log_in(reviewer, base, "reviewer")
    reviewer.goto(base + "/cycle/overview/")
    reviewer.locator("#waiting a").filter(has_text="表3").click()
    expect(reviewer.get_by_role("heading", name="年度绩效自评")).to_be_visible()
    reviewer.get_by_label("审核意见").fill("满意度请附调查样本")
    reviewer.get_by_role("button", name="退回").click()
    expect(reviewer.locator("#review")).to_contain_text("已退回")
    officer.goto(base + "/cycle/")
    expect(officer.locator("#returned")).to_contain_text("满意度请附调查样本")
    screenshot(officer, "cycle-returned")
