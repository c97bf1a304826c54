"""The review of monitoring reports and self-evaluations: who may submit, return and approve in
which state (every role × action × state, answered as ``allowed`` answers, with a conflict for the
state), the HTTP answers (403 / 404 / 409), and the whole workflow on seed 004 approved through the
core workflow: submitted, listed for the reviewer, returned with a comment shown first to the
department, edited and resubmitted, approved and read-only, each step in the audit log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.web.cycle.models import MonitoringReport, ReportStatus, SelfEvaluationDraft
from jixiao.web.cycle.review import decide
from jixiao.web.models import AuditEvent, Department, Document, Status
from tests.web.cycle.test_cycle_views import (
    RECRUIT,
    WELFARE,
    WELFARE_ACTUALS,
    client_for,
    full_progress,
    monitoring_url,
    row_index,
    self_url,
)

STATES = [None, *ReportStatus.values]
EDITABLE = {None, "draft", "returned"}
WAITING = {"submitted", "resubmitted"}


def expected(role: str, action: str, state: str | None) -> tuple[bool, str]:
    """(allowed, kind of refusal) by the rules of the brief."""
    if role in ("other", "viewer", "auditor"):
        return False, "forbidden"
    fills = action in ("edit", "submit")
    if (role == "officer" and not fills) or (role == "reviewer" and fills):
        return False, "forbidden"
    needed = EDITABLE if fills else WAITING
    return (True, "") if state in needed else (False, "conflict")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["edit", "submit", "return", "approve"])
@pytest.mark.parametrize("role", ["admin", "reviewer", "officer", "other", "viewer", "auditor"])
def test_who_may_do_what_in_which_state(
    users: dict[str, User], departments: tuple[Department, Department], role: str, action: Any, state: Any
) -> None:
    document = Document(
        department=departments[0], title="目标表", kind="project_target", status=Status.APPROVED
    )
    verdict = decide(users[role], action, document, state, "年度自评")
    ok, kind = expected(role, action, state)
    assert bool(verdict) == ok, verdict.reason
    assert verdict.reason  # always says why, in Chinese
    if not ok:
        assert verdict.kind == kind, verdict.reason
    if role == "officer" and action == "approve":
        assert verdict.reason == "部门填报人不能审核通过，由财政局审核人操作"
    if role == "reviewer" and action == "approve" and state == "approved":
        assert verdict.reason == "年度自评已通过审核，不能再审核通过"
    if role == "officer" and action == "edit" and state == "submitted":
        assert verdict.reason == "年度自评已提交，等待财政局审核，审核退回后才能修改"


def _record(
    kind: str, document: Document, officer: User, status: str
) -> MonitoringReport | SelfEvaluationDraft:
    if kind == "monitoring":
        return MonitoringReport.objects.create(
            document=document, form_index=RECRUIT, period="H1", status=status, updated_by=officer
        )
    return SelfEvaluationDraft.objects.create(
        document=document, form_index=WELFARE, ruleset="national-project", status=status, updated_by=officer
    )


@pytest.mark.parametrize("kind", ["monitoring", "self"])
def test_http_answers_by_role_and_state(users: dict[str, User], approved_004: Document, kind: str) -> None:
    record = _record(kind, approved_004, users["officer"], ReportStatus.SUBMITTED)
    if kind == "monitoring":
        page, review = monitoring_url(approved_004), monitoring_url(approved_004).replace("/?", "/review/?")
    else:
        page, review = self_url(approved_004), self_url(approved_004, name="self_evaluation_review")
    cases = [
        # (who, url, data, state before, status code)
        ("officer", review, {"action": "approve"}, "submitted", 403),
        ("viewer", review, {"action": "return", "comment": "x"}, "submitted", 403),
        ("other", review, {"action": "approve"}, "submitted", 404),
        ("reviewer", review, {"action": "approve"}, "approved", 409),
        ("reviewer", review, {"action": "return", "comment": "再看看"}, "draft", 409),
        ("reviewer", review, {"action": "delete"}, "submitted", 404),
        ("officer", page, {"action": "save"}, "submitted", 409),
        ("officer", page, {"action": "submit"}, "resubmitted", 409),
        ("officer", page, {"action": "save"}, "approved", 409),
        ("reviewer", page, {"action": "save"}, "returned", 403),
    ]
    for who, url, data, state, code in cases:
        type(record).objects.filter(pk=record.pk).update(status=state)
        response = client_for(users[who]).post(url, data)
        assert response.status_code == code, (who, url, data, state)
        record.refresh_from_db()
        assert record.status == state  # nothing moved
        if code == 409:
            assert "未完成" in response.content.decode()
    # a return without its comment is refused with the message, the state unchanged
    type(record).objects.filter(pk=record.pk).update(status="submitted")
    client = client_for(users["reviewer"])
    response = client.post(review, {"action": "return", "comment": "  "}, follow=True)
    assert "退回未完成：退回时请填写退回意见" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "submitted"
    assert not AuditEvent.objects.filter(action__endswith="_return").exists()


def test_monitoring_report_returned_resubmitted_approved(
    users: dict[str, User], approved_004: Document
) -> None:
    officer, reviewer = client_for(users["officer"]), client_for(users["reviewer"])
    i = row_index(approved_004, "考务人员人次")
    data = full_progress(approved_004, "考务人员人次", "600")
    data[f"reason-{i}"] = "考务集中在下半年"
    assert officer.post(monitoring_url(approved_004), {**data, "action": "submit"}).status_code == 302

    home = reviewer.get("/").content.decode()  # the reviewer's home page says it waits, and where
    assert '<a href="/cycle/overview/#waiting">运行监控与自评待审核 <b>1</b> 项 →</a>' in home
    assert 'id="pending"' not in officer.get("/").content.decode()  # nothing returned to it yet
    waiting = reviewer.get(reverse("jixiao_cycle:overview")).content.decode()
    block = waiting[waiting.index('id="waiting"') : waiting.index('id="overview"')]
    assert monitoring_url(approved_004) in block and "1–6月运行监控" in block and "已提交" in block
    page = reviewer.get(monitoring_url(approved_004)).content.decode()
    assert 'value="return"' in page and 'value="approve"' in page  # the review form

    review = monitoring_url(approved_004).replace("/?", "/review/?")
    comment = "考务人员人次偏差较大，请补充下半年考试安排"
    assert reviewer.post(review, {"action": "return", "comment": comment}).status_code == 302
    report = MonitoringReport.objects.get(document=approved_004, form_index=RECRUIT, period="H1")
    assert report.status == ReportStatus.RETURNED and report.return_comment == comment
    assert report.reviewed_by == users["reviewer"]

    # the department sees it first, with the comment, and may edit again
    home = officer.get("/").content.decode()
    assert '<a href="/cycle/#returned">运行监控与自评被退回，待修改 <b>1</b> 项 →</a>' in home
    assert 'id="pending"' not in reviewer.get("/").content.decode()  # nothing waits any more
    index = officer.get(reverse("jixiao_cycle:index")).content.decode()
    assert index.index('id="returned"') < index.index('id="targets"')
    returned = index[index.index('id="returned"') : index.index('id="targets"')]
    assert comment in returned and monitoring_url(approved_004) in returned
    page = officer.get(monitoring_url(approved_004)).content.decode()
    assert comment in page and "重新提交运行监控" in page
    data[f"progress-{i}"] = "1300"
    data[f"reason-{i}"] = ""
    assert officer.post(monitoring_url(approved_004), {**data, "action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RESUBMITTED and report.results["counts"]["red"] == 0

    assert reviewer.post(review, {"action": "approve"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    page = officer.get(monitoring_url(approved_004)).content.decode()
    assert "已通过审核，不能再修改" in page and "提交运行监控" not in page
    again = reviewer.post(review, {"action": "approve"})
    assert again.status_code == 409 and "已通过审核，不能再审核通过" in again.content.decode()

    events = list(AuditEvent.objects.filter(document=approved_004, action__startswith="monitor"))
    assert [(e.action, e.detail["from"], e.detail["to"]) for e in events] == [
        ("monitor", "draft", "submitted"),
        ("monitor_return", "submitted", "returned"),
        ("monitor_resubmit", "returned", "resubmitted"),
        ("monitor_approve", "resubmitted", "approved"),
    ]
    assert events[1].detail["comment"] == comment and events[1].actor == users["reviewer"]
    assert events[0].detail["period"] == "H1" and events[0].detail["counts"]["red"] == 1


def test_self_evaluation_submitted_only_without_issues_then_reviewed(
    users: dict[str, User], approved_004: Document
) -> None:
    officer, reviewer = client_for(users["officer"]), client_for(users["reviewer"])
    data = {f"actual-{i}": value for i, value in enumerate(WELFARE_ACTUALS)}
    data["executed"] = "38"
    # two missed targets without a reason: not submitted
    refused = officer.post(self_url(approved_004), {**data, "action": "submit"})
    assert refused.status_code == 400 and "M107" in refused.content.decode()
    assert not SelfEvaluationDraft.objects.exists()
    data["reason-0"] = "部分公益岗位下半年才开发"
    data["reason-6"] = "两户家庭迁出辖区"
    # a level whose 分值 do not add up: not submitted either
    data["weight-0"] = "12"
    refused = officer.post(self_url(approved_004), {**data, "action": "submit"})
    assert refused.status_code == 400
    assert "产出指标：三级指标分值合计 52，评分规则为 50" in refused.content.decode()
    data["weight-4"] = "8"
    assert officer.post(self_url(approved_004), {**data, "action": "submit"}).status_code == 302
    draft = SelfEvaluationDraft.objects.get(document=approved_004, form_index=WELFARE)
    assert draft.status == ReportStatus.SUBMITTED and draft.submitted_by == users["officer"]
    assert (
        draft.rows[0]["weight"] == "12" and draft.rows[4]["weight"] == "8" and draft.rows[1]["weight"] == ""
    )

    overview = reviewer.get(reverse("jixiao_cycle:overview")).content.decode()
    block = overview[overview.index('id="waiting"') : overview.index('id="overview"')]
    assert self_url(approved_004) in block and "年度自评" in block
    review = self_url(approved_004, name="self_evaluation_review")
    comment = "满意度请附调查样本"
    assert reviewer.post(review, {"action": "return", "comment": comment}).status_code == 302

    index = officer.get(reverse("jixiao_cycle:index")).content.decode()
    assert comment in index[index.index('id="returned"') : index.index('id="targets"')]
    page = officer.get(self_url(approved_004)).content.decode()
    assert comment in page and "重新提交自评" in page and 'name="weight-0" value="12"' in page
    data["actual-8"] = "98%"
    assert officer.post(self_url(approved_004), {**data, "action": "submit"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.RESUBMITTED and draft.rows[8]["actual"] == "98%"
    assert reviewer.post(review, {"action": "approve"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.APPROVED and draft.reviewed_by == users["reviewer"]

    # approved: read-only (no save, no import), still downloadable
    assert officer.post(self_url(approved_004), {**data, "action": "save"}).status_code == 409
    xlsx = SimpleUploadedFile("自评表.xlsx", b"PK")
    assert (
        officer.post(self_url(approved_004, name="self_evaluation_import"), {"file": xlsx}).status_code == 409
    )
    table = reverse("jixiao_cycle:self_evaluation_download", args=[approved_004.pk, "table", "xlsx"])
    assert officer.get(table + f"?form={WELFARE}").status_code == 200
    page = officer.get(self_url(approved_004)).content.decode()
    assert "已通过审核，不能再修改" in page and "保存自评" not in page
    assert draft.total is not None and draft.total > Decimal(90)
    actions = list(
        AuditEvent.objects.filter(document=approved_004, action__startswith="self_evaluation").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "self_evaluation_submit",
        "self_evaluation_return",
        "self_evaluation_resubmit",
        "self_evaluation_approve",
    ]
