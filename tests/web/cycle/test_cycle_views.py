"""运行监控与自评 through Django's test client, on seed 004 approved through the workflow: the list,
the monitoring form (a low progress gives a red light with its reason; submitting without a reason
is refused), the reviewers' overview, the self-evaluation scored as the engine scores it (a missed
target without 偏差原因 stops the files), downloads, the import of the 自评表, and who may do what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.monitor import Period, expectations
from jixiao.monitor.evaluation import score
from jixiao.scoring.ruleset import load_ruleset
from jixiao.web.cycle.access import target_forms
from jixiao.web.cycle.models import MonitoringReport, ReportStatus, SelfEvaluationDraft
from jixiao.web.models import AuditEvent, Department, Document
from jixiao.web.store import upload
from tests.conftest import SEED_000

RECRUIT = 1  # 2023年事业单位面向社会公开招聘: 8 rows, no 阶段性计划
WELFARE = 2  # 公益性岗位补贴: 10 rows, budget 40 万元
WELFARE_ACTUALS = ["500", "100%", "100%", "12月", "2004元/人/月", "已实现", "90%", "95%", "96%", "97%"]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def monitoring_url(document: Document, period: str = "H1", form: int = RECRUIT, live: bool = False) -> str:
    name = "jixiao_cycle:monitoring_live" if live else "jixiao_cycle:monitoring"
    return reverse(name, args=[document.pk, period]) + f"?form={form}"


def self_url(document: Document, form: int = WELFARE, name: str = "self_evaluation") -> str:
    return reverse(f"jixiao_cycle:{name}", args=[document.pk]) + f"?form={form}"


def recruit(document: Document) -> ProjectTargetDeclaration:
    form = target_forms(document)[RECRUIT].form
    assert isinstance(form, ProjectTargetDeclaration)
    return form


def full_progress(document: Document, low_row: str, low: str) -> dict[str, str]:
    """Every applicable row of the 招聘 form on time, except ``low_row``, and the budget on time."""
    form = recruit(document)
    data = {"executed": "150"}  # of 300: 50 %
    for e in expectations(form, Period.H1):
        if e.applicable:
            data[f"progress-{e.index}"] = (
                low if e.name == low_row else ("100" if e.unit == "元/人" else str(e.value))
            )
    return data


def row_index(document: Document, name: str) -> int:
    return next(i for i, ind in enumerate(recruit(document).indicators) if ind.name == name)


def test_list_shows_approved_forms_with_their_state(users: dict[str, User], approved_004: Document) -> None:
    text = client_for(users["officer"]).get(reverse("jixiao_cycle:index")).content.decode()
    assert approved_004.title in text
    assert "项目：公益性岗位补贴" in text and "部门整体：" in text
    assert text.count(f"/cycle/{approved_004.pk}/self-evaluation/") == 5  # the five target forms
    other = client_for(users["other"]).get(reverse("jixiao_cycle:index")).content.decode()
    assert approved_004.title not in other


def test_draft_documents_have_no_cycle_pages(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    draft = upload(users["other"], departments[1], SEED_000.name, SEED_000.read_bytes()).document
    client = client_for(users["other"])
    assert client.get(monitoring_url(draft, form=0)).status_code == 404
    assert draft.title not in client.get(reverse("jixiao_cycle:index")).content.decode()


def test_monitoring_page_shows_expected_progress(users: dict[str, User], approved_004: Document) -> None:
    response = client_for(users["officer"]).get(monitoring_url(approved_004))
    text = response.content.decode()
    assert response.status_code == 200
    assert "按时间进度应完成 1250 人次（50%）" in text  # 考务人员人次 ≥2500人次
    assert "满意度在年末通过调查测评，年中不监控" in text
    assert 'name="progress-1"' in text and "提交运行监控" in text


def test_live_light_is_red_with_its_reason(users: dict[str, User], approved_004: Document) -> None:
    i = row_index(approved_004, "考务人员人次")
    response = client_for(users["officer"]).post(
        monitoring_url(approved_004, live=True), {f"progress-{i}": "600"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="light-{i}" hx-swap-oob="true" class="light light-red"' in text
    assert "1–6月完成 600 人次，按时间进度应完成 1250 人次（50%），完成进度 48%，偏差 52%，红灯" in text
    assert f'id="need-{i}" hx-swap-oob="true" class="need">须填写偏差原因' in text


def test_submission_without_reason_is_refused_then_accepted(
    users: dict[str, User], approved_004: Document
) -> None:
    client = client_for(users["officer"])
    i = row_index(approved_004, "考务人员人次")
    data = full_progress(approved_004, "考务人员人次", "600")
    refused = client.post(monitoring_url(approved_004), {**data, "action": "submit"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "M105" in text and f"第 {i + 1} 行：黄灯、红灯须填写偏差原因：考务人员人次（红灯）" in text
    assert not MonitoringReport.objects.filter(status=ReportStatus.SUBMITTED).exists()

    data[f"reason-{i}"] = "笔试安排在7月，考务人员集中在下半年"
    accepted = client.post(monitoring_url(approved_004), {**data, "action": "submit"})
    assert accepted.status_code == 302
    report = MonitoringReport.objects.get(document=approved_004, form_index=RECRUIT, period="H1")
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == users["officer"]
    assert report.executed == Decimal(150)
    # green: 报考人数, 组织考试场次, 报名费 (at its ceiling) and the budget (150 of 300); red: 考务人员人次
    assert report.results["counts"] == {"green": 4, "yellow": 0, "red": 1}
    assert report.results["rows"][i]["light"] == "red"
    assert AuditEvent.objects.filter(document=approved_004, action="monitor").count() == 1
    # submitted: read-only until the reviewer returns it; a second post is a state conflict (409)
    page = client.get(monitoring_url(approved_004)).content.decode()
    assert "已提交" in page and "提交运行监控" not in page
    again = client.post(monitoring_url(approved_004), {**data, "action": "save"})
    assert again.status_code == 409 and "已提交，等待财政局审核" in again.content.decode()


def test_save_keeps_a_draft(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["officer"])
    i = row_index(approved_004, "考务人员人次")
    response = client.post(monitoring_url(approved_004, "Q3"), {f"progress-{i}": "600", "action": "save"})
    assert response.status_code == 302
    report = MonitoringReport.objects.get(period="Q3")
    assert report.status == ReportStatus.DRAFT and report.rows[i]["progress"] == "600"
    assert 'value="600"' in client.get(monitoring_url(approved_004, "Q3")).content.decode()


def test_reviewer_reads_but_does_not_fill(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["reviewer"])
    page = client.get(monitoring_url(approved_004))
    assert page.status_code == 200 and "提交运行监控" not in page.content.decode()
    refused = client.post(monitoring_url(approved_004), {"action": "save"})
    assert refused.status_code == 403 and "审核人只能查看运行监控和自评" in refused.content.decode()
    assert client.post(self_url(approved_004), {}).status_code == 403
    viewer = client_for(users["viewer"])
    assert viewer.post(monitoring_url(approved_004), {"action": "save"}).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        lambda d: monitoring_url(d),
        lambda d: monitoring_url(d, live=True),
        lambda d: self_url(d),
        lambda d: reverse("jixiao_cycle:self_evaluation_download", args=[d.pk, "table", "xlsx"]),
    ],
)
def test_other_department_gets_404(users: dict[str, User], approved_004: Document, url: Any) -> None:
    client = client_for(users["other"])
    response = (
        client.get(url(approved_004)) if "live" not in url(approved_004) else client.post(url(approved_004))
    )
    assert response.status_code == 404


def test_bad_period_and_form_are_404(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["officer"])
    assert client.get(monitoring_url(approved_004, "Q2")).status_code == 404
    assert client.get(monitoring_url(approved_004, form=9)).status_code == 404
    assert client.get(reverse("jixiao_cycle:monitoring", args=[999999, "H1"])).status_code == 404


def test_overview_counts_lights_per_department(users: dict[str, User], approved_004: Document) -> None:
    officer = client_for(users["officer"])
    i = row_index(approved_004, "考务人员人次")
    data = full_progress(approved_004, "考务人员人次", "600")
    data[f"reason-{i}"] = "考务集中在下半年"
    assert officer.post(monitoring_url(approved_004), {**data, "action": "submit"}).status_code == 302
    assert officer.get(reverse("jixiao_cycle:overview")).status_code == 403
    text = client_for(users["reviewer"]).get(reverse("jixiao_cycle:overview")).content.decode()
    own = approved_004.department
    block = text[text.index(f'id="department-{own.pk}"') :]
    block = block[: block.index("</tr>")]
    assert '<td class="num light-red">1</td>' in block and '<td class="num light-green">4</td>' in block
    assert monitoring_url(approved_004) in block


def test_self_evaluation_scores_as_the_engine(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["officer"])
    data = {f"actual-{i}": value for i, value in enumerate(WELFARE_ACTUALS)}
    data["executed"] = "38"
    data["ruleset"] = "national-project"
    live = client.post(self_url(approved_004, name="self_evaluation_live"), data).content.decode()
    form = target_forms(approved_004)[WELFARE].form
    _rows, sheet = score(form, WELFARE_ACTUALS, Decimal(38), load_ruleset("national-project"))
    assert sheet.total_computed == Decimal("96.11") and sheet.grade_computed == "优"
    assert (
        '<span class="big" id="total">96.11</span>' in live
        and '<span class="grade" id="grade">优</span>' in live
    )
    # the missed rows ask for their 偏差原因 until one is typed
    assert 'id="need-0" hx-swap-oob="true" class="need">须填写偏差原因' in live
    answered = client.post(
        self_url(approved_004, name="self_evaluation_live"), {**data, "reason-0": "部分公益岗位下半年才开发"}
    ).content.decode()
    assert 'id="need-0" hx-swap-oob="true" class="need"></span>' in answered
    assert 'id="need-6" hx-swap-oob="true" class="need">须填写偏差原因' in answered
    assert client.post(self_url(approved_004), data).status_code == 302
    draft = SelfEvaluationDraft.objects.get(document=approved_004, form_index=WELFARE)
    assert (draft.total, draft.grade, draft.ruleset) == (Decimal("96.11"), "优", "national-project")

    # a missed target (500 of ≅700; 90% of ≥95%) without 偏差原因: no 自评表
    refused = client.get(
        reverse("jixiao_cycle:self_evaluation_download", args=[approved_004.pk, "table", "xlsx"])
        + f"?form={WELFARE}"
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "第 1 行：指标未完成，须填写偏差原因：享受公益性岗位补贴人数" in text and "M107" in text

    data["reason-0"] = "部分公益岗位下半年才开发"
    data["reason-6"] = "两户家庭迁出辖区"
    assert client.post(self_url(approved_004), data).status_code == 302
    for what, fmt, magic in (("table", "xlsx", b"PK"), ("report", "docx", b"PK")):
        url = (
            reverse("jixiao_cycle:self_evaluation_download", args=[approved_004.pk, what, fmt])
            + f"?form={WELFARE}"
        )
        response = client.get(url)
        assert response.status_code == 200, (what, fmt)
        assert response.content[:2] == magic
        assert "attachment" in response["Content-Disposition"]


def test_import_of_the_downloaded_table(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["officer"])
    data = {f"actual-{i}": value for i, value in enumerate(WELFARE_ACTUALS)}
    data.update({"executed": "38", "reason-0": "部分公益岗位下半年才开发", "reason-6": "两户家庭迁出辖区"})
    client.post(self_url(approved_004), data)
    xlsx = client.get(
        reverse("jixiao_cycle:self_evaluation_download", args=[approved_004.pk, "table", "xlsx"])
        + f"?form={WELFARE}"
    ).content
    SelfEvaluationDraft.objects.all().delete()
    upload_file = SimpleUploadedFile("自评表.xlsx", xlsx)
    response = client.post(self_url(approved_004, name="self_evaluation_import"), {"file": upload_file})
    assert response.status_code == 302
    draft = SelfEvaluationDraft.objects.get(document=approved_004, form_index=WELFARE)
    assert draft.rows[0] == {"actual": "500", "reason": "部分公益岗位下半年才开发", "weight": ""}
    assert [row["actual"] for row in draft.rows] == WELFARE_ACTUALS
    assert draft.executed == Decimal(38) and draft.total == Decimal("96.11")
