"""The whole year in headless Chromium, as issue 8 tells it: a department officer creates a project
target form in the browser from seed 004's 招聘 project, types ``≥100%`` on its satisfaction row and
sees T106 before submitting, fixes it and submits; a reviewer approves; the officer enters mid-year
progress and sees a red light with its reason; after the year enters the actuals and sees the score
and grade. The steps are the editor's (test_targets_e2e) and the cycle's (test_cycle_e2e)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.web.cycle.test_cycle_e2e import (
    enter_actuals,
    enter_progress,
    expect_light,
    expect_score,
    open_cycle_form,
    submit_monitoring,
)
from tests.web.targets.test_targets_e2e import (
    SATISFACTION,
    approve_document,
    browser,  # noqa: F401  (a fixture)
    create_project_form_from_stored,
    submit_form,
    type_target,
)
from tests.web.test_e2e import log_in, new_page

FORM = "项目：2024年事业单位面向社会公开招聘"


@pytest.mark.django_db(transaction=True)
def test_target_set_approved_monitored_and_evaluated(live_server: Any, browser: Browser) -> None:  # noqa: F811
    base = str(live_server.url)
    officer = new_page(browser)
    log_in(officer, base, "officer")

    # -- target setting: the bad value is flagged before submission, fixed, submitted
    create_project_form_from_stored(officer, base)
    check = type_target(officer, SATISFACTION, "≥100%")
    expect(check.locator(".row-finding").filter(has_text="T106")).to_have_count(1)
    check = type_target(officer, SATISFACTION, "≥95%")
    expect(check.locator(".row-finding").filter(has_text="T106")).to_have_count(0)
    submit_form(officer)
    title = officer.locator(".dochead h1").inner_text()

    # -- the reviewer approves
    reviewer = new_page(browser)
    log_in(reviewer, base, "reviewer")
    approve_document(reviewer, base, title)

    # -- mid-year: 5,000 applicants of the 20,000 targeted by June is a red light, with its reason
    open_cycle_form(officer, base, FORM, "H1")
    enter_progress(officer, "报考人数", "5000")
    expect_light(
        officer,
        "报考人数",
        "红灯",
        "1–6月完成 5000，按时间进度应完成 10000（50%），完成进度 50%，偏差 50%，红灯",
    )
    submit_monitoring(officer)
    expect(officer.locator("#issues")).to_contain_text("黄灯、红灯须填写偏差原因：报考人数（红灯）")

    # -- after the year: the actuals give the score and grade, computed live
    open_cycle_form(officer, base, FORM, "self")
    enter_actuals(
        officer,
        {
            "报考人数": "21000",
            "考务人员人次": "2600人次",
            "组织考试场次": "1次",
            "招考完成时间": "12月",
            "报名费": "100元/每人",
            "解决大专以上学历毕业生就业问题;壮大事业单位人": "有效推动",
            "促进人事工作发展": "有效促进",
            SATISFACTION: "96%",
        },
        "95",
    )
    expect_score(officer, "93.17", "优")
