"""The 自评 page of one approved target form: actuals entered after the year, scored live.

Enters: a document id, ``?form=N``; POSTs to save the 实际完成值 and 偏差原因 per indicator, the
budget executed and the chosen ruleset; htmx POSTs of the same form to ``live`` while typing; an
edited 自评表 (xlsx) to import; GETs for the generated 自评表 (xlsx/pdf) and 自评报告 (docx/pdf).
Leaves: the page (per row 分值, input, 得分; total and grade), the scores alone for htmx, or the
files. Scores come from ``jixiao.scoring.engine.what_if`` through ``jixiao.monitor.evaluation``;
the files from ``jixiao.render``. A missed target without a 偏差原因 stops the files (400).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.ingest.load import load_bytes
from jixiao.model.evaluation import SelfEvaluation
from jixiao.monitor import Issue, form_budget
from jixiao.monitor.evaluation import (
    actuals_from,
    build_self_evaluation,
    indicator_rows,
    issues,
    missed,
    ruleset_for_region,
    rulesets_for,
    score,
    unscored_levels,
)
from jixiao.monitor.progress import read_money
from jixiao.render.errors import RenderError
from jixiao.render.forms import self_evaluation_grid
from jixiao.render.layout import Doc
from jixiao.render.pipeline import write
from jixiao.render.report import self_evaluation_report
from jixiao.scoring.ruleset import RuleSet, RulesetError, load_ruleset
from jixiao.web.cycle.access import TargetFormRef, chosen_form, may_fill, target_for
from jixiao.web.cycle.models import SelfEvaluationDraft
from jixiao.web.models import AuditEvent, Document
from jixiao.web.store import UploadError, check_file, safe_name
from jixiao.web.views.common import acting_user, forbidden, plain_number
from jixiao.web.views.documents import FORMATS, attachment

#: what → (Chinese name, the formats it is generated in)
OUTPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "table": ("绩效自评表", ("xlsx", "pdf")),
    "report": ("绩效自评报告", ("docx", "pdf")),
}


def _ruleset(name: str, ref: TargetFormRef, document: Document) -> RuleSet:
    """The ruleset chosen (one shipped for the form's scope), else the department's default."""
    if name:
        try:
            chosen = load_ruleset(name)
        except RulesetError:
            chosen = None
        if (
            chosen is not None
            and chosen.scope == ref.scope
            and name in {r.name for r in rulesets_for(ref.scope)}
        ):
            return chosen
    return ruleset_for_region(document.department.region or document.department.name, ref.scope)


def _executed(raw: str, ref: TargetFormRef) -> tuple[Decimal | None, Issue | None]:
    if not raw.strip():
        return None, None
    _budget, unit = form_budget(ref.form)
    value = read_money(raw, unit)
    return (None, value) if isinstance(value, Issue) else (value, None)


def _typed(request: HttpRequest, count: int) -> tuple[list[str], list[str], str, str]:
    actuals = [str(request.POST.get(f"actual-{i}", ""))[:200] for i in range(count)]
    reasons = [str(request.POST.get(f"reason-{i}", ""))[:2000] for i in range(count)]
    return actuals, reasons, str(request.POST.get("executed", ""))[:100], str(request.POST.get("ruleset", ""))


def _stored(draft: SelfEvaluationDraft | None, count: int) -> tuple[list[str], list[str], str, str]:
    if draft is None:
        return [""] * count, [""] * count, "", ""
    rows: list[dict[str, Any]] = draft.rows if isinstance(draft.rows, list) else []
    rows = rows + [{}] * (count - len(rows))
    return (
        [str(row.get("actual", "")) for row in rows[:count]],
        [str(row.get("reason", "")) for row in rows[:count]],
        draft.executed_raw,
        draft.ruleset,
    )


def _context(
    document: Document,
    forms: list[TargetFormRef],
    ref: TargetFormRef,
    draft: SelfEvaluationDraft | None,
    typed: tuple[list[str], list[str], str, str],
    editable: bool,
    shown_issues: list[Issue] | None = None,
) -> dict[str, Any]:
    actuals, reasons, executed_raw, ruleset_name = typed
    ruleset = _ruleset(ruleset_name, ref, document)
    executed, budget_issue = _executed(executed_raw, ref)
    _rows, sheet = score(ref.form, actuals, executed, ruleset)
    scored = indicator_rows(sheet, len(ref.form.indicators))
    budget, unit = form_budget(ref.form)
    open_issues = issues(ref.form, sheet, reasons) + ([budget_issue] if budget_issue else [])
    rows = [
        {
            "index": i,
            "indicator": indicator,
            "row": scored[i],
            "actual": actuals[i],
            "reason": reasons[i],
            "missed": missed(scored[i]),
        }
        for i, indicator in enumerate(ref.form.indicators)
    ]
    budget_row = sheet.rows[0] if ruleset.budget_execution is not None and sheet.rows else None
    return {
        "document": document,
        "forms": forms,
        "ref": ref,
        "draft": draft,
        "ruleset": ruleset,
        "rulesets": rulesets_for(ref.scope),
        "sheet": sheet,
        "rows": rows,
        "budget": plain_number(budget) if budget is not None else "",
        "unit": unit,
        "executed": executed_raw,
        "budget_row": budget_row,
        "budget_issue": budget_issue,
        "unscored": unscored_levels(ref.form.indicators, ruleset),
        "open_issues": open_issues,
        "issues": shown_issues or [],
        "editable": editable,
        "outputs": [(what, name, formats) for what, (name, formats) in OUTPUTS.items()],
    }


def _page_url(document: Document, ref: TargetFormRef) -> str:
    return reverse("jixiao_cycle:self_evaluation", args=[document.pk]) + f"?form={ref.index}"


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    draft = SelfEvaluationDraft.objects.filter(document=document, form_index=ref.index).first()
    decision = may_fill(user, document)
    count = len(ref.form.indicators)
    if request.method == "GET":
        context = _context(document, forms, ref, draft, _stored(draft, count), bool(decision))
        return render(request, "jixiao_cycle/self_evaluation.html", context)
    if not decision:
        return forbidden(request, decision.reason)
    typed = _typed(request, count)
    actuals, reasons, executed_raw, _name = typed
    executed, budget_issue = _executed(executed_raw, ref)
    if budget_issue is not None:
        context = _context(document, forms, ref, draft, typed, True, [budget_issue])
        return render(request, "jixiao_cycle/self_evaluation.html", context, status=400)
    ruleset = _ruleset(typed[3], ref, document)
    _form, sheet = build_self_evaluation(ref.form, actuals, reasons, executed, ruleset)
    _save(document, ref, draft, user, actuals, reasons, executed_raw, executed, ruleset, sheet.total_computed,
          sheet.grade_computed or "")  # fmt: skip
    missing = issues(ref.form, sheet, reasons)
    if missing:
        messages.warning(
            request, f"已保存；还有 {len(missing)} 项未完成的指标没有填写偏差原因，生成自评表前须补齐"
        )
    else:
        messages.success(
            request, f"已保存：总分 {plain_number(sheet.total_computed)}，等级“{sheet.grade_computed}”"
        )
    return redirect(_page_url(document, ref))


def _save(
    document: Document,
    ref: TargetFormRef,
    draft: SelfEvaluationDraft | None,
    user: Any,
    actuals: list[str],
    reasons: list[str],
    executed_raw: str,
    executed: Decimal | None,
    ruleset: RuleSet,
    total: Decimal,
    grade: str,
) -> SelfEvaluationDraft:
    if draft is None:
        draft = SelfEvaluationDraft(document=document, form_index=ref.index, updated_by=user)
    draft.rows = [{"actual": a, "reason": r} for a, r in zip(actuals, reasons, strict=True)]
    draft.executed_raw = executed_raw.strip()
    draft.executed = executed
    draft.ruleset = ruleset.name
    draft.total = total
    draft.grade = grade
    draft.updated_by = user
    draft.save()
    return draft


@login_required
@require_POST
def self_evaluation_live(request: HttpRequest, pk: int) -> HttpResponse:
    """Scores, total and grade for what is typed now (htmx): summary plus out-of-band row cells."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    decision = may_fill(user, document)
    if not decision:
        return forbidden(request, decision.reason)
    context = _context(document, forms, ref, None, _typed(request, len(ref.form.indicators)), True)
    return render(request, "jixiao_cycle/partials/self_live.html", context)


def _evaluation(document: Document, ref: TargetFormRef) -> tuple[SelfEvaluation, Any, RuleSet, list[Issue]]:
    draft = SelfEvaluationDraft.objects.filter(document=document, form_index=ref.index).first()
    actuals, reasons, executed_raw, name = _stored(draft, len(ref.form.indicators))
    ruleset = _ruleset(name, ref, document)
    executed, budget_issue = _executed(executed_raw, ref)
    evaluation, sheet = build_self_evaluation(ref.form, actuals, reasons, executed, ruleset)
    found = issues(ref.form, sheet, reasons) + ([budget_issue] if budget_issue else [])
    if draft is None:
        found.insert(0, Issue("M106", "尚未填写实际完成值"))
    return evaluation, sheet, ruleset, found


@login_required
@require_GET
def self_evaluation_download(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    """The 自评表 (xlsx/pdf) or 自评报告 (docx/pdf) of the saved self-evaluation."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    if what not in OUTPUTS or fmt not in OUTPUTS[what][1]:
        raise Http404("没有这种输出")
    evaluation, sheet, ruleset, found = _evaluation(document, ref)
    if found:
        draft = SelfEvaluationDraft.objects.filter(document=document, form_index=ref.index).first()
        stored = _stored(draft, len(ref.form.indicators))
        context = _context(document, forms, ref, draft, stored, bool(may_fill(user, document)), found)
        return render(request, "jixiao_cycle/self_evaluation.html", context, status=400)
    try:
        if what == "table":
            grid = self_evaluation_grid(evaluation, sheet)
            header = " ".join(
                p for p in (evaluation.department, f"{evaluation.year}年度" if evaluation.year else None) if p
            )
            data = write(Doc(title=grid.title, blocks=(grid,), header=header or None), fmt)  # type: ignore[arg-type]
        else:
            data = write(self_evaluation_report(evaluation, sheet, ruleset), fmt)  # type: ignore[arg-type]
    except RenderError as exc:
        return HttpResponse(exc.message, status=500, content_type="text/plain; charset=utf-8")
    name = f"{evaluation.title or OUTPUTS[what][0]}{'' if what == 'table' else '（报告）'}.{fmt}"
    return attachment(data, name, f"self-evaluation-{document.pk}-{ref.index}-{what}.{fmt}", FORMATS[fmt][1])


@login_required
@require_POST
def self_evaluation_import(request: HttpRequest, pk: int) -> HttpResponse:
    """An edited 自评表 read back: its 实际完成值, 偏差原因 and 执行数 fill the draft (round trip)."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    decision = may_fill(user, document)
    if not decision:
        return forbidden(request, decision.reason)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的自评表文件")
        return redirect(_page_url(document, ref))
    name = safe_name(upload.name or "自评表.xlsx")
    data = upload.read()
    try:
        check_file(name, data)
    except UploadError as exc:
        messages.error(request, exc.reason)
        return redirect(_page_url(document, ref))
    parsed, _source = load_bytes(data, name)
    evaluation = next((form for form in parsed.forms if isinstance(form, SelfEvaluation)), None)
    if evaluation is None:
        messages.error(request, Issue("M111", name).text)
        return redirect(_page_url(document, ref))
    actuals, reasons, executed = actuals_from(ref.form, evaluation)
    draft = SelfEvaluationDraft.objects.filter(document=document, form_index=ref.index).first()
    ruleset = _ruleset(draft.ruleset if draft else "", ref, document)
    _form, sheet = build_self_evaluation(ref.form, actuals, reasons, executed, ruleset)
    executed_raw = plain_number(executed) if executed is not None else ""
    _save(document, ref, draft, user, actuals, reasons, executed_raw, executed, ruleset, sheet.total_computed,
          sheet.grade_computed or "")  # fmt: skip
    AuditEvent.objects.create(
        actor=user,
        document=document,
        action="self_evaluation_import",
        detail={"form": ref.index, "file": name},
    )
    filled = sum(1 for actual in actuals if actual.strip())
    messages.success(request, f"已从 {name} 导入 {filled} 项实际完成值")
    return redirect(_page_url(document, ref))
