"""The pages of 目标申报: the list of drafts, a new draft, the editor and what is done from it.

Enters: a draft id, the editor's whole form on every POST (``forms.rows_from_post``), an operation
(``op=add:indicators:3``), what to do after saving (``then=xlsx|docx|submit``), a file to import.
Leaves: pages and htmx partials (a row's reading and findings, the 二级 choices of a 一级, the
computed totals, the whole editor after a structural edit), downloads in the official layout, and
a submitted ``Document``. A draft of another department is a 404; an edit not allowed a 403 with
the reason; reviewers and viewers see the editor read-only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.model.edit import (
    BUDGET_SOURCES,
    BUDGET_USES,
    KIND_NAMES,
    MONEY_UNITS,
    Declaration,
    Rows,
    apply_op,
    insert_indicator,
    level1_choices,
    level2_choices,
    to_rows,
)
from jixiao.model.findings import Finding, Severity
from jixiao.model.target import Target, TargetKind
from jixiao.web.models import Department
from jixiao.web.permissions import profile_of
from jixiao.web.targets import service
from jixiao.web.targets.forms import NewDraftForm, rows_from_post
from jixiao.web.targets.models import Kind, TargetDraft
from jixiao.web.views.common import SEVERITY_NAMES, acting_user, forbidden, plain_number, visible_departments
from jixiao.web.views.documents import FORMATS, attachment

DOWNLOADS = ("xlsx", "docx")
KIND_READINGS: dict[TargetKind, str] = {
    TargetKind.QUANTITY: "数量",
    TargetKind.RATIO: "比率",
    TargetKind.QUALITATIVE: "定性",
    TargetKind.DEADLINE: "时限",
    TargetKind.TEXT: "文字（无法衡量）",
    TargetKind.MISSING: "未填写",
}


# ---------------------------------------------------------------------------------------------------
# Helpers


def reading(target: Target) -> dict[str, Any]:
    """How the library read a 指标值, for the row: kind, the measure, and its notes in Chinese."""
    measure = ""
    if target.low is not None or target.high is not None:
        measure = f"{plain_number(target.low)}～{plain_number(target.high)}{target.unit or ''}"
    elif target.value is not None:
        op = target.op.value if target.op is not None else ""
        measure = f"{op}{plain_number(target.value)}{target.unit or ''}"
    elif target.kind is TargetKind.QUALITATIVE and target.label:
        measure = target.label
    elif target.parts:
        measure = "、".join(p.raw.strip() for p in target.parts if p.raw.strip())
    notes = [note.split(": ", 1)[-1] for note in target.notes]
    return {
        "kind": target.kind.value,
        "kind_name": KIND_READINGS.get(target.kind, target.kind.value),
        "measure": measure,
        "notes": notes,
        "measurable": target.is_measurable,
    }


def finding_view(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "severity_name": SEVERITY_NAMES.get(finding.severity.value, finding.severity.value),
        "message": finding.message,
        "expected": finding.expected,
        "actual": finding.actual,
        "suggestion": finding.suggestion,
    }


def suggest_url(rows: Rows, kind: str) -> str | None:
    """The 指标库's suggestions partial for this form (None while that app has no such page)."""
    try:
        base = reverse("jixiao_library:suggest")
    except NoReverseMatch:
        return None
    project = rows.header.get("project_name") if kind == "project_target" else rows.header.get("title")
    names = [row.get("name", "") for row in rows.section("indicators") if row.get("name")]
    query = urlencode([("project", project or ""), *(("exclude", name) for name in names)])
    return f"{base}?{query}"


def _indicator_rows(rows: Rows, checked: service.Checked) -> list[dict[str, Any]]:
    found = []
    declaration_index = {row: i for i, row in enumerate(checked.edited.origins.get("indicators", ()))}
    indicators = checked.declaration.indicators
    for index, row in enumerate(rows.section("indicators")):
        position = declaration_index.get(index)
        target = indicators[position].target if position is not None else None
        found.append(
            {
                "index": index,
                "row": row,
                "level1_choices": level1_choices(rows),
                "level2_choices": level2_choices(rows, row.get("level1", "")),
                "check": row_check(checked, index, target),
            }
        )
    return found


def row_check(checked: service.Checked, index: int, target: Target | None) -> dict[str, Any]:
    """What is shown beside indicator row ``index``: the reading, findings, near-duplicates."""
    at = checked.row("indicators", index)
    worst = min(
        (f.severity for f in at.findings),
        key=lambda s: ("error", "warning", "info").index(s.value),
        default=None,
    )
    return {
        "index": index,
        "reading": reading(target) if target is not None else None,
        "findings": [finding_view(f) for f in at.findings],
        "near": [{"row": row + 1, "name": name, "closeness": closeness} for row, name, closeness in at.near],
        "worst": worst.value if worst is not None else "",
    }


def summary(checked: service.Checked, problems: Any = ()) -> dict[str, Any]:
    return {
        "errors": checked.count(Severity.ERROR),
        "warnings": checked.count(Severity.WARNING),
        "infos": checked.count(Severity.INFO),
        "elsewhere": [finding_view(f) for f in checked.elsewhere],
        "problems": list(problems),
    }


def editor_context(
    request: HttpRequest, draft: TargetDraft, rows: Rows, blocking: list[Finding] | None = None
) -> dict[str, Any]:
    edited = service.edit(draft, rows)
    checked = service.check(edited)
    editable = service.may_edit(request.user, draft)
    sections = rows.sections
    return {
        "draft": draft,
        "kind_name": KIND_NAMES.get(draft.kind, draft.kind),
        "is_project": draft.kind == Kind.PROJECT,
        "rows": rows,
        "header": rows.header,
        "goals": list(enumerate(sections.get("goals", []))),
        "tasks": list(enumerate(sections.get("tasks", []))),
        "sources": list(enumerate(sections.get("sources", []))),
        "uses": list(enumerate(sections.get("uses", []))),
        "measures": list(enumerate(sections.get("measures", []))),
        "stages": list(enumerate(sections.get("stages", []))),
        "plans": list(enumerate(sections.get("plans", []))),
        "indicators": _indicator_rows(rows, checked),
        "level1_all": level1_choices(rows),
        "budget_sources": BUDGET_SOURCES,
        "budget_uses": BUDGET_USES,
        "money_units": MONEY_UNITS,
        "totals": totals_view(checked.declaration),
        "summary": summary(checked, edited.problems),
        "editable": bool(editable),
        "edit_reason": editable.reason,
        "downloads": [(fmt, FORMATS[fmt][0]) for fmt in DOWNLOADS],
        "suggest_url": suggest_url(rows, draft.kind),
        "blocking": [finding_view(f) for f in blocking or []],
    }


def totals_view(declaration: Declaration) -> dict[str, Any] | None:
    computed = service.totals(declaration)
    if computed is None:
        return None
    return {
        "tasks_total": plain_number(computed.tasks_total),
        "tasks_fiscal": plain_number(computed.tasks_fiscal),
        "budget_sources": plain_number(computed.budget_sources),
        "budget_uses": plain_number(computed.budget_uses),
        "budget_total": plain_number(computed.budget_total),
        "agree": computed.agree,
    }


def _editable_draft(request: HttpRequest, pk: int) -> tuple[TargetDraft, HttpResponse | None]:
    draft = service.draft_for(request.user, pk)
    decision = service.may_edit(request.user, draft)
    return draft, (None if decision else forbidden(request, decision.reason))


def _save(request: HttpRequest, draft: TargetDraft, rows: Rows) -> list[str]:
    """Store what ``rows`` make; returns the input problems (amounts that are not numbers…)."""
    edited = service.edit(draft, rows)
    draft.keep(edited.declaration)
    draft.updated_by = acting_user(request)
    draft.save()
    return [p.message for p in edited.problems]


# ---------------------------------------------------------------------------------------------------
# List and new draft


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = service.visible_drafts(request.user)
    profile = profile_of(request.user)
    own = profile.department if profile is not None else None
    context = {"drafts": drafts[:200], "can_create": bool(service.may_create(request.user, own))}
    return render(request, "jixiao_targets/list.html", context)


def _new_department(request: HttpRequest) -> Department | None:
    """The department a new draft is for: the officer's own; an admin picks one."""
    profile = profile_of(request.user)
    if profile is not None and profile.department is not None:
        return profile.department
    wanted = request.POST.get("department") or request.GET.get("department")
    if wanted and str(wanted).isdigit():
        return visible_departments(request.user).filter(pk=int(wanted)).first()
    return None


@login_required
@require_http_methods(["GET", "POST"])
def new_draft(request: HttpRequest) -> HttpResponse:
    department = _new_department(request)
    decision = service.may_create(request.user, department)
    if not decision:
        return forbidden(request, decision.reason)
    sources = service.sources_for(request.user)
    choices = [(s.key, s.label) for s in sources]
    form = NewDraftForm(request.POST or None, request.FILES or None, sources=choices)
    if request.method == "POST" and department is None:
        form.add_error(None, "请选择部门")
    if request.method == "POST" and form.is_valid() and department is not None:
        draft = _create(request, form, department)
        if draft is not None:
            return redirect("jixiao_targets:editor", pk=draft.pk)
    return render(
        request,
        "jixiao_targets/new.html",
        {
            "form": form,
            "department": department,
            "departments": visible_departments(request.user) if department is None else [],
        },
    )


def _create(request: HttpRequest, form: NewDraftForm, department: Department) -> TargetDraft | None:
    kind: str = form.cleaned_data["kind"]
    year: int = form.cleaned_data["year"]
    name: str = (form.cleaned_data.get("name") or "").strip()
    start: str = form.cleaned_data["start"]
    user = acting_user(request)
    draft = TargetDraft(
        department=department,
        year=year,
        kind=kind,
        title=name or KIND_NAMES[kind],
        created_by=user,
        updated_by=user,
    )
    base: Declaration | None = None
    if start == "last_year":
        found = service.last_year(department, kind, year, name)
        if found is None:
            form.add_error("start", f"没有找到本部门 {year - 1} 年度已通过的{KIND_NAMES[kind]}或草稿")
            return None
        origin, base = found
        if isinstance(origin, TargetDraft):
            draft.based_on_draft = origin
        else:
            draft.based_on_version = origin
    elif start == "source":
        version, base = service.source_form(request.user, form.cleaned_data["source"])
        if base.form != kind:
            form.add_error("source", f"所选的表不是{KIND_NAMES[kind]}")
            return None
        draft.based_on_version = version
    declaration = service.start_declaration(
        kind,
        department,
        year,
        base,
        **({"project_name": name or None} if kind == Kind.PROJECT else {"title": name or None}),
    )
    if start == "file":
        upload = form.cleaned_data["file"]
        draft.keep(declaration)
        try:
            declaration = service.import_form(draft, upload.name or "文件", upload.read())
        except service.DraftError as exc:
            form.add_error("file", exc.reason)
            return None
    if name and kind == Kind.PROJECT and start != "blank":
        declaration = declaration.model_copy(update={"project_name": name})
    draft.keep(declaration)
    draft.save()
    messages.success(request, f"已新建《{draft.title}》")
    return draft


# ---------------------------------------------------------------------------------------------------
# The editor


@login_required
@require_GET
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    draft = service.draft_for(request.user, pk)
    rows = to_rows(draft.typed())
    return render(request, "jixiao_targets/editor.html", editor_context(request, draft, rows))


def _editor_partial(request: HttpRequest, draft: TargetDraft, rows: Rows) -> HttpResponse:
    """The editor form alone (swapped in by htmx), with the summary out of band."""
    context = editor_context(request, draft, rows) | {"partial": True}
    return render(request, "jixiao_targets/_editor.html", context)


def _parse_op(value: str) -> tuple[str, str, int] | None:
    parts = value.split(":")
    if len(parts) != 3 or not parts[2].lstrip("-").isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the whole form; then apply ``op`` (a structural edit), or go on to ``then``."""
    draft, refused = _editable_draft(request, pk)
    if refused is not None:
        return refused
    rows = rows_from_post(request.POST)
    op = _parse_op(str(request.POST.get("op", "")))
    if op is not None:
        try:
            apply_op(rows, *op)
        except ValueError:
            return HttpResponse("未知的操作", status=400)
    problems = _save(request, draft, rows)
    then = str(request.POST.get("then", ""))
    if getattr(request, "htmx", False) and not then:
        return _editor_partial(request, draft, rows)
    for problem in problems:
        messages.error(request, problem)
    if then in DOWNLOADS:
        return redirect("jixiao_targets:download", pk=draft.pk, fmt=then)
    if then == "submit":
        return _submit(request, draft, rows)
    if not problems:
        messages.success(request, "已保存")
    return redirect("jixiao_targets:editor", pk=draft.pk)


def _submit(request: HttpRequest, draft: TargetDraft, rows: Rows) -> HttpResponse:
    try:
        document = service.submit(draft, acting_user(request))
    except service.DraftError as exc:
        messages.error(request, exc.reason)
        context = editor_context(request, draft, rows, blocking=exc.blocking)
        return render(request, "jixiao_targets/editor.html", context, status=400)
    latest = document.latest
    number = latest.number if latest is not None else 1
    messages.success(request, f"《{document.title}》第{number}版已提交，等待财政局审核")
    return redirect("jixiao:document", pk=document.pk)


@login_required
@require_POST
def check_row(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The keystroke check: the form as typed (not saved), read and audited; the row's reading and
    findings, and the form's counts (out of band)."""
    draft = service.draft_for(request.user, pk)
    rows = rows_from_post(request.POST)
    edited = service.edit(draft, rows)
    checked = service.check(edited)
    origins = edited.origins.get("indicators", ())
    position = origins.index(index) if index in origins else None
    target = checked.declaration.indicators[position].target if position is not None else None
    context = {
        "check": row_check(checked, index, target),
        "summary": summary(checked, edited.problems),
        "oob": True,
    }
    return render(request, "jixiao_targets/_check.html", context)


@login_required
@require_POST
def level2_options(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The 二级 choices under the 一级 row ``index`` now has."""
    draft = service.draft_for(request.user, pk)
    rows = rows_from_post(request.POST)
    items = rows.section("indicators")
    if not 0 <= index < len(items):
        raise Http404("没有该行")
    row = items[index]
    current, row["level2"] = row.get("level2", ""), ""  # the row's own 二级 was under its old 一级
    choices = level2_choices(rows, row.get("level1", ""))
    row["level2"] = current
    if current not in choices:
        row["level2"] = choices[0] if choices else ""
    return render(
        request,
        "jixiao_targets/_level2.html",
        {"draft": draft, "item": {"index": index, "row": row, "level2_choices": choices}, "refresh": True},
    )


@login_required
@require_POST
def totals(request: HttpRequest, pk: int) -> HttpResponse:
    """The computed 合计 of the tasks and 部门预算总额 of the form as typed."""
    draft = service.draft_for(request.user, pk)
    edited = service.edit(draft, rows_from_post(request.POST))
    return render(
        request, "jixiao_targets/_totals.html", {"totals": totals_view(edited.declaration), "oob": True}
    )


@login_required
@require_POST
def insert(request: HttpRequest, pk: int) -> HttpResponse:
    """A suggestion of the 指标库 taken into the form (saved), under its 一级/二级."""
    draft, refused = _editable_draft(request, pk)
    if refused is not None:
        return refused
    rows = rows_from_post(request.POST)
    name = str(request.POST.get("name", "")).strip()
    if not name:
        return HttpResponse("缺少指标名称", status=400)
    level1 = str(request.POST.get("level1", "")).strip() or "产出指标"
    level2 = str(request.POST.get("level2", "")).strip()
    insert_indicator(
        rows, level1, level2, name, str(request.POST.get("target", "")), str(request.POST.get("unit", ""))
    )
    _save(request, draft, rows)
    if getattr(request, "htmx", False):
        return _editor_partial(request, draft, rows)
    return redirect("jixiao_targets:editor", pk=draft.pk)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The saved draft in the official layout (xlsx: the form a department fills in)."""
    draft = service.draft_for(request.user, pk)
    if fmt not in DOWNLOADS:
        raise Http404("不支持的格式")
    data = service.rendered(draft, fmt)  # type: ignore[arg-type]
    return attachment(data, service.file_name(draft, fmt), f"jixiao-target-{draft.pk}.{fmt}", FORMATS[fmt][1])


@login_required
@require_POST
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An edited xlsx (or any file holding the form) read back into the draft."""
    draft, refused = _editable_draft(request, pk)
    if refused is not None:
        return refused
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的文件")
        return redirect("jixiao_targets:editor", pk=draft.pk)
    try:
        declaration = service.import_form(draft, upload.name or "文件", upload.read())
    except service.DraftError as exc:
        messages.error(request, exc.reason)
        return redirect("jixiao_targets:editor", pk=draft.pk)
    draft.keep(declaration)
    draft.updated_by = acting_user(request)
    draft.save()
    messages.success(request, f"已从 {upload.name} 导入：{len(declaration.indicators)} 个指标")
    return redirect("jixiao_targets:editor", pk=draft.pk)
