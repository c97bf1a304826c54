"""The target editor on a real form: seed 004's project form imported through the store, a
satisfaction 指标值 typed as ``≥100%`` and its T106 finding in the row's partial, fixed, submitted:
the stored xlsx parses back to the draft. Permissions: another department's draft is a 404, a
reviewer sees it read-only and may not save it."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.ingest.load import load_bytes
from jixiao.model.edit import essence, prune
from jixiao.web.models import AuditEvent, Department, Document, DocumentVersion, Status
from jixiao.web.targets.models import TargetDraft
from tests.web.targets.conftest import client_for, editor_fields

SATISFACTION = "考生满意度,用人单位满意度"


def _row(draft: TargetDraft, name: str) -> int:
    return next(i for i, indicator in enumerate(draft.typed().indicators) if indicator.name == name)


def test_new_draft_starts_from_the_stored_project_form(project_draft: TargetDraft) -> None:
    form = project_draft.typed()
    assert form.form == "project_target"
    assert form.year == 2024
    assert form.project_name == "2024年事业单位面向社会公开招聘"  # rolled forward from 2023
    assert form.department == "信阳市平桥区人力资源和社会保障局"  # the draft's department, not the source's
    assert [i.name for i in form.indicators][:3] == ["报考人数", "考务人员人次", "组织考试场次"]
    assert all(i.loc is None and not i.cells for i in form.indicators)
    assert project_draft.based_on_version is not None


def test_typing_at_least_100_percent_shows_t106_beside_the_row_then_fixing_clears_it(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    client = client_for(users["officer"])
    row = _row(project_draft, SATISFACTION)
    page = client.get(f"/targets/{project_draft.pk}/").content.decode()
    assert f'id="check-{row}"' in page and "T106" not in page

    bad = client.post(
        f"/targets/{project_draft.pk}/check/{row}/",
        editor_fields(project_draft, **{f"indicators-{row}-target": "≥100%"}),
        HTTP_HX_REQUEST="true",
    )
    html = bad.content.decode()
    assert bad.status_code == 200
    assert html.startswith(f'<div id="check-{row}" class="row-check worst-warning">')
    assert "T106" in html and "“≥100%”" in html
    assert "读作：比率 <b>≥100%</b>" in html
    assert 'id="summary" hx-swap-oob="true"' in html  # the form's counts follow
    assert not TargetDraft.objects.get().typed().indicators[row].target.raw.startswith("≥100")  # not saved

    fixed = client.post(
        f"/targets/{project_draft.pk}/check/{row}/",
        editor_fields(project_draft, **{f"indicators-{row}-target": "≥90%"}),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "T106" not in fixed and "读作：比率 <b>≥90%</b>" in fixed


def test_a_rate_above_100_percent_is_an_error_that_blocks_submission(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    client = client_for(users["officer"])
    row = _row(project_draft, SATISFACTION)
    data = editor_fields(project_draft, **{f"indicators-{row}-target": "≥105%", "then": "submit"})
    response = client.post(f"/targets/{project_draft.pk}/save/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="blocking"' in page and "T105" in page and "还有 1 项错误" in page
    assert not Document.objects.filter(kind="project_target").exists()
    assert TargetDraft.objects.get().document is None


def test_submit_keeps_the_rendered_xlsx_as_a_submitted_document_that_parses_back(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    client = client_for(users["officer"])
    row = _row(project_draft, SATISFACTION)
    data = editor_fields(project_draft, **{f"indicators-{row}-target": "≥90%", "then": "submit"})
    response = client.post(f"/targets/{project_draft.pk}/save/", data)
    draft = TargetDraft.objects.get()
    assert draft.document is not None
    assert response.status_code == 302 and response["Location"] == f"/documents/{draft.document.pk}/"
    document = Document.objects.get(pk=draft.document.pk)
    assert document.status == Status.SUBMITTED
    assert document.kind == "project_target" and document.year == 2024
    version = document.versions.get()
    assert version.original_name.endswith(".xlsx")
    parsed, _ = load_bytes(bytes(version.content), version.original_name)
    assert essence(parsed.forms[0]) == essence(prune(draft.typed()))  # type: ignore[arg-type]
    assert draft.typed().indicators[row].target.raw == "≥90%"
    assert list(AuditEvent.objects.filter(document=document).values_list("action", flat=True)) == [
        "upload",
        "submit",
    ]
    # under review: the officer can no longer change it
    again = client.post(f"/targets/{draft.pk}/save/", editor_fields(draft))
    assert again.status_code == 403 and "已提交" in again.content.decode()


def test_download_xlsx_and_import_it_back_after_editing_a_cell(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    client = client_for(users["officer"])
    before = essence(prune(project_draft.typed()))
    response = client.get(f"/targets/{project_draft.pk}/download/xlsx/")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content

    # unchanged, it imports back to the same form
    client.post(f"/targets/{project_draft.pk}/import/", {"file": SimpleUploadedFile("回传.xlsx", data)})
    assert essence(TargetDraft.objects.get().typed()) == before

    # a department edits the 指标值 of 报考人数 in Excel: 20000 → 25000
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    cell = next(c for r in sheet.iter_rows() for c in r if c.value == "报考人数")
    value = sheet.cell(row=cell.row, column=cell.column + 2)
    assert str(value.value) == "20000"
    value.value = "25000"
    edited = io.BytesIO()
    book.save(edited)
    client.post(
        f"/targets/{project_draft.pk}/import/", {"file": SimpleUploadedFile("回传.xlsx", edited.getvalue())}
    )
    first = TargetDraft.objects.get().typed().indicators[0]
    assert (first.name, first.target.value) == ("报考人数", Decimal("25000"))


def test_structural_edits_add_move_delete_and_level2_within_level1(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    client = client_for(users["officer"])
    names = [i.name for i in project_draft.typed().indicators]
    url = f"/targets/{project_draft.pk}/save/"

    client.post(url, editor_fields(project_draft, op="down:indicators:0"), HTTP_HX_REQUEST="true")
    moved = [i.name for i in TargetDraft.objects.get().typed().indicators]
    assert moved[:2] == [names[1], names[0]]

    response = client.post(url, editor_fields(project_draft, op="add:indicators:0"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="editor"' in response.content.decode()
    html = response.content.decode()
    assert 'name="indicators-1-name" value=""' in html  # the new row, under the same 一级/二级
    assert html.count('name="indicators-') > 0 and 'id="summary" hx-swap-oob="true"' in html

    client.post(url, editor_fields(project_draft, op="delete:indicators:0"), HTTP_HX_REQUEST="true")
    # [B, A, C…] → [B, new, A, C…] → [new, A, C…]
    assert [i.name for i in TargetDraft.objects.get().typed().indicators] == ["", names[0], *names[2:]]

    options = client.post(
        f"/targets/{project_draft.pk}/level2/0/",
        editor_fields(project_draft, **{"indicators-0-level1": "效益指标"}),
    ).content.decode()
    assert "社会效益指标" in options and "可持续影响指标" in options and "数量指标" not in options


def test_other_departments_draft_is_404_and_reviewers_only_look(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    other = client_for(users["other"])
    for url in ("", "download/xlsx/"):
        assert other.get(f"/targets/{project_draft.pk}/{url}").status_code == 404
    for url in ("save/", "check/0/", "totals/", "import/", "insert/"):
        assert (
            other.post(f"/targets/{project_draft.pk}/{url}", editor_fields(project_draft)).status_code == 404
        )
    assert other.get("/targets/").content.decode().count("/targets/" + str(project_draft.pk)) == 0

    reviewer = client_for(users["reviewer"])
    page = reviewer.get(f"/targets/{project_draft.pk}/").content.decode()
    assert '<fieldset class="editor" disabled>' in page and "审核人只能查看" in page
    assert 'form="editor-form" class="save"' not in page
    refused = reviewer.post(f"/targets/{project_draft.pk}/save/", editor_fields(project_draft))
    assert refused.status_code == 403 and "审核人只能查看目标申报表" in refused.content.decode()
    assert reviewer.get("/targets/new/").status_code == 403
    viewer = client_for(users["viewer"])
    assert viewer.post(f"/targets/{project_draft.pk}/save/", editor_fields(project_draft)).status_code == 403


def test_department_form_from_last_years_approved_document_with_computed_totals(
    users: dict[str, User], departments: tuple[Department, Department], seed_004_version: DocumentVersion
) -> None:
    document = seed_004_version.document
    Document.objects.filter(pk=document.pk).update(status=Status.APPROVED, year=2023)
    client = client_for(users["officer"])
    response = client.post("/targets/new/", {"kind": "dept_target", "year": "2024", "start": "last_year"})
    assert response.status_code == 302
    draft = TargetDraft.objects.get()
    form = draft.typed()
    assert form.year == 2024 and form.title == "六枝特区人力资源和社会保障局2024年部门整体支出绩效目标表"
    assert [(b.label, b.amount) for b in form.budget][:1] == [("部门预算总额", Decimal("3896.05"))]
    page = client.get(f"/targets/{draft.pk}/").content.decode()
    assert '<b id="budget-total">3896.05</b>' in page

    data = editor_fields(
        draft,
        **{
            "tasks-0-label": "任务1",
            "tasks-0-name": "就业培训",
            "tasks-0-total": "50",
            "tasks-0-fiscal": "40",
            "tasks-1-label": "任务2",
            "tasks-1-name": "公益性岗位补贴",
            "tasks-1-total": "25.5",
            "tasks-1-fiscal": "25.5",
            "uses-0-amount": "800",
        },
    )
    totals = client.post(f"/targets/{draft.pk}/totals/", data, HTTP_HX_REQUEST="true").content.decode()
    assert '<span id="tasks-total" hx-swap-oob="true">75.5</span>' in totals
    assert '<span id="tasks-fiscal" hx-swap-oob="true">65.5</span>' in totals
    assert '<span id="budget-total" hx-swap-oob="true">3872.79</span>' in totals
    client.post(f"/targets/{draft.pk}/save/", data)
    saved = TargetDraft.objects.get().typed()
    assert [t.total for t in saved.tasks] == [Decimal("50"), Decimal("25.5")]  # type: ignore[union-attr]
    bad = client.post(f"/targets/{draft.pk}/save/", data | {"tasks-0-total": "五十"}, follow=True)
    assert "预算资金合计“五十”不是数字" in bad.content.decode()


@pytest.mark.parametrize("kind", ["project_target", "dept_target"])
def test_blank_skeleton_has_the_standard_tree(users: dict[str, User], kind: str) -> None:
    client = client_for(users["officer"])
    response = client.post(
        "/targets/new/", {"kind": kind, "year": "2025", "start": "blank", "name": "示例项目"}
    )
    assert response.status_code == 302
    draft = TargetDraft.objects.get()
    tree = [(i.level1, i.level2) for i in draft.typed().indicators]
    assert ("满意度指标", "服务对象满意度指标") in tree and ("产出指标", "成本指标") in tree
    page = client.get(f"/targets/{draft.pk}/").content.decode()
    assert "T101" in page  # empty 指标值 are reported until filled


def test_a_library_suggestion_is_inserted_under_its_level2(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    client = client_for(users["officer"])
    fields = editor_fields(project_draft) | {
        "name": "面试场次",
        "level1": "产出指标",
        "level2": "数量指标",
        "target": "≥2场",
    }
    response = client.post(f"/targets/{project_draft.pk}/insert/", fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="suggestions" hx-swap-oob="true"' in html and "exclude=" in html  # the panel follows
    indicators = TargetDraft.objects.get().typed().indicators
    assert [i.name for i in indicators[:4]] == ["报考人数", "考务人员人次", "组织考试场次", "面试场次"]
    assert indicators[3].target.raw == "≥2场" and indicators[3].level2 == "数量指标"
    reviewer = client_for(users["reviewer"])
    assert reviewer.post(f"/targets/{project_draft.pk}/insert/", fields).status_code == 403


def test_the_list_shows_drafts_by_department(users: dict[str, User], project_draft: TargetDraft) -> None:
    link = f'href="/targets/{project_draft.pk}/"'
    officer = client_for(users["officer"]).get("/targets/").content.decode()
    assert link in officer and "新建申报表" in officer
    reviewer = client_for(users["reviewer"]).get("/targets/").content.decode()
    assert link in reviewer and "新建申报表" not in reviewer
    assert link in client_for(users["viewer"]).get("/targets/").content.decode()


def test_a_returned_form_is_edited_again_and_resubmitted_as_version_2(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    from jixiao.web.workflow import move

    client = client_for(users["officer"])
    row = _row(project_draft, SATISFACTION)
    client.post(f"/targets/{project_draft.pk}/save/", editor_fields(project_draft, then="submit"))
    document = Document.objects.get(pk=TargetDraft.objects.get().document_id)
    move(document, "return", users["reviewer"], "满意度目标请按实际调查口径填写")
    page = client.get(f"/targets/{project_draft.pk}/").content.decode()
    assert '<fieldset class="editor">' in page and "重新提交" in page  # editable again

    data = editor_fields(project_draft, **{f"indicators-{row}-target": "≥92%", "then": "submit"})
    response = client.post(f"/targets/{project_draft.pk}/save/", data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.RESUBMITTED
    latest = document.versions.order_by("-number").first()
    assert latest is not None and latest.number == 2
    parsed, _ = load_bytes(bytes(latest.content), latest.original_name)
    assert parsed.forms[0].indicators[row].target.raw == "≥92%"  # type: ignore[union-attr]
    assert TargetDraft.objects.count() == 1


def test_near_duplicate_names_are_flagged_on_the_later_row(
    users: dict[str, User], seed_004_version: DocumentVersion
) -> None:
    from jixiao.web.targets.service import sources_for

    officer = users["officer"]
    client = client_for(officer)
    source = next(s for s in sources_for(officer, "project_target") if "公益性岗位补贴" in s.label)
    client.post(
        "/targets/new/", {"kind": "project_target", "year": "2024", "start": "source", "source": source.key}
    )
    draft = TargetDraft.objects.get()
    names = [i.name for i in draft.typed().indicators]
    first = names.index("社会公众或服务对象满意度")
    second = names.index("社会公众或服务对象满意度", first + 1)
    html = client.post(f"/targets/{draft.pk}/check/{second}/", editor_fields(draft)).content.decode()
    assert f"与第 {first + 1} 行“社会公众或服务对象满意度”名称相近" in html
    assert (
        "名称相近"
        not in client.post(f"/targets/{draft.pk}/check/{first}/", editor_fields(draft)).content.decode()
    )


def test_the_docx_download_reads_back_to_the_draft(
    users: dict[str, User], project_draft: TargetDraft
) -> None:
    response = client_for(users["officer"]).get(f"/targets/{project_draft.pk}/download/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    parsed, _ = load_bytes(response.content, "回读.docx")
    assert essence(parsed.forms[0]) == essence(prune(project_draft.typed()))  # type: ignore[arg-type]
