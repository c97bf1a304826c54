"""The 自评 page of one approved target form: actuals entered after the year, scored live.

Enters: a document id, ``?form=N``; POSTs to save (or submit) the 分值, 实际完成值 and 偏差原因 per
indicator, the budget executed and the chosen ruleset; htmx POSTs of the same form to ``live`` while
typing; an edited 自评表 (xlsx) to import; a reviewer's return (with a comment) or approval; GETs for
the generated 自评表 (xlsx/pdf) and 自评报告 (docx/pdf).
Leaves: the page (per row 分值 input, actual, 得分; per 一级指标 its subtotal; total and grade), the
scores alone for htmx, or the files. Scores come from ``jixiao.scoring.engine.what_if`` through
``jixiao.monitor.evaluation``; the files from ``jixiao.render``. Open issues (a missed target without
a 偏差原因, M107; a 分值 that is not a number or negative, M112/M113; a level whose rows' 分值 do not
add up to the ruleset's points, M114) stop the files and the submission (400). A submitted
self-evaluation waits for the reviewer (``review``): 403 for a role that may not, 409 for a state
that does not allow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.ingest.load import load_bytes
from jixiao.model.evaluation import SelfEvaluation
from jixiao.monitor import Issue, form_budget
from jixiao.monitor.evaluation import (
    Weights,
    actuals_from,
    build_self_evaluation,
    default_weight_texts,
    indicator_rows,
    issues,
    missed,
    read_weights,
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
from jixiao.web.cycle.review import decide, move, refusal
from jixiao.web.models import AuditEvent, Document
from jixiao.web.store import UploadError, check_file, safe_name
from jixiao.web.views.common import acting_user, forbidden, plain_number
from jixiao.web.views.documents import FORMATS, attachment
from jixiao.web.workflow import WorkflowError

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


WHAT = "年度自评"


@dataclass(frozen=True)
class Typed:
    """What the page holds: per row the 实际完成值, 偏差原因 and 分值 as typed (an empty 分值: the
    equal share), the budget executed, the ruleset chosen and the ruleset the 分值 were typed for
    (when the ruleset changes, the 分值 go back to the new ruleset's equal shares)."""

    actuals: list[str]
    reasons: list[str]
    weights: list[str]
    executed: str
    ruleset: str
    weights_for: str = ""

    @property
    def reset(self) -> bool:
        return bool(self.weights_for) and self.weights_for != self.ruleset


def _executed(raw: str, ref: TargetFormRef) -> tuple[Decimal | None, Issue | None]:
    if not raw.strip():
        return None, None
    _budget, unit = form_budget(ref.form)
    value = read_money(raw, unit)
    return (None, value) if isinstance(value, Issue) else (value, None)


def _typed(request: HttpRequest, count: int) -> Typed:
    return Typed(
        [str(request.POST.get(f"actual-{i}", ""))[:200] for i in range(count)],
        [str(request.POST.get(f"reason-{i}", ""))[:2000] for i in range(count)],
        [str(request.POST.get(f"weight-{i}", ""))[:50] for i in range(count)],
        str(request.POST.get("executed", ""))[:100],
        str(request.POST.get("ruleset", ""))[:100],
        str(request.POST.get("weights_for", ""))[:100],
    )


def _stored(draft: SelfEvaluationDraft | None, count: int) -> Typed:
    if draft is None:
        return Typed([""] * count, [""] * count, [""] * count, "", "")
    rows: list[dict[str, Any]] = draft.rows if isinstance(draft.rows, list) else []
    rows = rows + [{}] * (count - len(rows))
    return Typed(
        [str(row.get("actual", "")) for row in rows[:count]],
        [str(row.get("reason", "")) for row in rows[:count]],
        [str(row.get("weight", "")) for row in rows[:count]],
        draft.executed_raw,
        draft.ruleset,
    )


def _weights(typed: Typed, ref: TargetFormRef, ruleset: RuleSet) -> tuple[list[str], Weights]:
    """The 分值 texts the inputs show (typed, else the equal share) and what they read as."""
    texts = [""] * len(typed.weights) if typed.reset else typed.weights
    weights = read_weights(ref.form.indicators, texts, ruleset)
    defaults = default_weight_texts(ref.form.indicators, ruleset)
    shown = [text.strip() or default for text, default in zip(texts, defaults, strict=True)]
    return shown, weights


def _open_issues(ref: TargetFormRef, typed: Typed, ruleset: RuleSet) -> tuple[list[Issue], Weights, Any]:
    """Every issue that stops the files and the submission, the 分值 read and the score sheet."""
    executed, budget_issue = _executed(typed.executed, ref)
    _shown, weights = _weights(typed, ref, ruleset)
    _rows, sheet = score(ref.form, typed.actuals, executed, ruleset, weights.values)
    found = weights.issues + issues(ref.form, sheet, typed.reasons) + ([budget_issue] if budget_issue else [])
    return found, weights, sheet


def _context(
    document: Document,
    forms: list[TargetFormRef],
    ref: TargetFormRef,
    draft: SelfEvaluationDraft | None,
    typed: Typed,
    editable: bool,
    shown_issues: list[Issue] | None = None,
    can_review: bool = False,
) -> dict[str, Any]:
    ruleset = _ruleset(typed.ruleset, ref, document)
    executed, budget_issue = _executed(typed.executed, ref)
    shown, weights = _weights(typed, ref, ruleset)
    _rows, sheet = score(ref.form, typed.actuals, executed, ruleset, weights.values)
    scored = indicator_rows(sheet, len(ref.form.indicators))
    budget, unit = form_budget(ref.form)
    open_issues = (
        weights.issues + issues(ref.form, sheet, typed.reasons) + ([budget_issue] if budget_issue else [])
    )
    row_issues = {issue.row: issue for issue in weights.issues if issue.row is not None}
    defaults = default_weight_texts(ref.form.indicators, ruleset)
    rows = [
        {
            "index": i,
            "indicator": indicator,
            "row": scored[i],
            "actual": typed.actuals[i],
            "reason": typed.reasons[i],
            "weight": shown[i],
            "weighted": bool(defaults[i]),
            "weight_issue": row_issues.get(i),
            "missed": missed(scored[i]),
            "needs_reason": missed(scored[i]) and not typed.reasons[i].strip(),
        }
        for i, indicator in enumerate(ref.form.indicators)
    ]
    levels = [{"level": level, "issue": weights.level_issue(level.name)} for level in sheet.levels]
    budget_row = sheet.rows[0] if ruleset.budget_execution is not None and sheet.rows else None
    return {
        "document": document,
        "forms": forms,
        "ref": ref,
        "draft": draft,
        "record": draft,
        "can_review": can_review,
        "review_url": _page_url(document, ref, "self_evaluation_review"),
        "ruleset": ruleset,
        "rulesets": rulesets_for(ref.scope),
        "sheet": sheet,
        "rows": rows,
        "levels": levels,
        "custom_weights": weights.custom,
        "reset_weights": typed.reset,
        "budget": plain_number(budget) if budget is not None else "",
        "unit": unit,
        "executed": typed.executed,
        "budget_row": budget_row,
        "budget_issue": budget_issue,
        "unscored": unscored_levels(ref.form.indicators, ruleset),
        "open_issues": open_issues,
        "issues": shown_issues or [],
        "editable": editable,
        "outputs": [(what, name, formats) for what, (name, formats) in OUTPUTS.items()],
    }


def _page_url(document: Document, ref: TargetFormRef, name: str = "self_evaluation") -> str:
    return reverse(f"jixiao_cycle:{name}", args=[document.pk]) + f"?form={ref.index}"


def _draft(document: Document, ref: TargetFormRef) -> SelfEvaluationDraft | None:
    return SelfEvaluationDraft.objects.filter(document=document, form_index=ref.index).first()


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    draft = _draft(document, ref)
    status = draft.status if draft is not None else None
    edit = decide(user, "edit", document, status, WHAT)
    count = len(ref.form.indicators)
    page = _page_url(document, ref)
    if request.method == "GET":
        review = bool(decide(user, "approve", document, status, WHAT))
        context = _context(document, forms, ref, draft, _stored(draft, count), bool(edit), None, review)
        return render(request, "jixiao_cycle/self_evaluation.html", context)
    submit = request.POST.get("action") == "submit"
    if not edit:
        return refusal(request, edit.kind, edit.reason, page, WHAT, "submit" if submit else "edit")
    typed = _typed(request, count)
    executed, budget_issue = _executed(typed.executed, ref)
    if budget_issue is not None:
        context = _context(document, forms, ref, draft, typed, True, [budget_issue])
        return render(request, "jixiao_cycle/self_evaluation.html", context, status=400)
    ruleset = _ruleset(typed.ruleset, ref, document)
    found, weights, _sheet = _open_issues(ref, typed, ruleset)
    if submit and found:
        context = _context(document, forms, ref, draft, typed, True, found)
        return render(request, "jixiao_cycle/self_evaluation.html", context, status=400)
    _form, sheet = build_self_evaluation(
        ref.form, typed.actuals, typed.reasons, executed, ruleset, weights.values
    )
    try:
        with transaction.atomic():
            draft = _save(document, ref, draft, user, typed, executed, ruleset, weights, sheet)
            if submit:
                move(draft, "submit", user, extra={"total": str(sheet.total_computed)})
    except WorkflowError as exc:
        return refusal(request, exc.kind, exc.reason, page, WHAT, "submit")
    total = plain_number(sheet.total_computed)
    if submit:
        messages.success(
            request, f"年度自评已提交（总分 {total}，等级“{sheet.grade_computed}”），等待财政局审核"
        )
    elif found:
        missing = [issue for issue in found if issue.code == "M107"]
        text = (
            f"还有 {len(missing)} 项未完成的指标没有填写偏差原因" if missing else f"还有 {len(found)} 项问题"
        )
        if len(found) > len(missing) and missing:
            text += f"，另有 {len(found) - len(missing)} 项分值问题"
        messages.warning(request, f"已保存；{text}，生成自评表和提交前须处理")
    else:
        messages.success(request, f"已保存：总分 {total}，等级“{sheet.grade_computed}”")
    return redirect(page)


def _save(
    document: Document,
    ref: TargetFormRef,
    draft: SelfEvaluationDraft | None,
    user: Any,
    typed: Typed,
    executed: Decimal | None,
    ruleset: RuleSet,
    weights: Weights,
    sheet: Any,
) -> SelfEvaluationDraft:
    """Store what was typed; a 分值 is kept as typed when it is not the equal share (empty: the
    share, so that a ruleset chosen later shares its own points)."""
    if draft is None:
        draft = SelfEvaluationDraft(document=document, form_index=ref.index, updated_by=user)
    defaults = default_weight_texts(ref.form.indicators, ruleset)
    texts = [""] * len(typed.weights) if typed.reset else typed.weights
    kept = []
    for i, text in enumerate(texts):
        value = weights.values[i]
        same = value is not None and defaults[i] and value == Decimal(defaults[i])
        kept.append("" if same or not defaults[i] else text.strip())
    draft.rows = [
        {"actual": a, "reason": r, "weight": w}
        for a, r, w in zip(typed.actuals, typed.reasons, kept, strict=True)
    ]
    draft.executed_raw = typed.executed.strip()
    draft.executed = executed
    draft.ruleset = ruleset.name
    draft.total = sheet.total_computed
    draft.grade = sheet.grade_computed or ""
    draft.updated_by = user
    draft.save()
    return draft


@login_required
@require_POST
def self_evaluation_live(request: HttpRequest, pk: int) -> HttpResponse:
    """Scores, total and grade for what is typed now (htmx): summary plus out-of-band row cells
    (and the 分值 inputs, when the ruleset was changed)."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    decision = may_fill(user, document)
    if not decision:
        return forbidden(request, decision.reason)
    context = _context(document, forms, ref, None, _typed(request, len(ref.form.indicators)), True)
    return render(request, "jixiao_cycle/partials/self_live.html", context)


@login_required
@require_POST
def self_evaluation_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer returns the submitted self-evaluation (with a comment) or approves it."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    draft = _draft(document, ref)
    action = str(request.POST.get("action", ""))
    if draft is None or action not in ("return", "approve"):
        raise Http404("没有这份自评或这种操作")
    page = _page_url(document, ref)
    try:
        moved = move(
            draft, "return" if action == "return" else "approve", user, str(request.POST.get("comment", ""))
        )
    except WorkflowError as exc:
        return refusal(request, exc.kind, exc.reason, page, WHAT, action)
    done = "已退回" if action == "return" else "已审核通过"
    messages.success(request, f"{ref.label} 年度自评{done}（{moved.get_status_display()}）")
    return redirect(page)


def _evaluation(
    draft: SelfEvaluationDraft | None, typed: Typed, document: Document, ref: TargetFormRef
) -> tuple[SelfEvaluation, Any, RuleSet, list[Issue]]:
    ruleset = _ruleset(typed.ruleset, ref, document)
    executed, _budget_issue = _executed(typed.executed, ref)
    found, weights, _sheet = _open_issues(ref, typed, ruleset)
    evaluation, sheet = build_self_evaluation(
        ref.form, typed.actuals, typed.reasons, executed, ruleset, weights.values
    )
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
    draft = _draft(document, ref)
    stored = _stored(draft, len(ref.form.indicators))
    evaluation, sheet, ruleset, found = _evaluation(draft, stored, document, ref)
    if found:
        status = draft.status if draft is not None else None
        editable = bool(decide(user, "edit", document, status, WHAT))
        context = _context(document, forms, ref, draft, stored, editable, found)
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
    draft = _draft(document, ref)
    edit = decide(user, "edit", document, draft.status if draft is not None else None, WHAT)
    if not edit:
        return refusal(request, edit.kind, edit.reason, _page_url(document, ref), WHAT, "edit")
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
    imported = actuals_from(ref.form, evaluation)
    ruleset = _ruleset(draft.ruleset if draft else "", ref, document)
    executed = imported.executed
    typed = Typed(
        imported.actuals,
        imported.reasons,
        imported.weights,
        plain_number(executed) if executed is not None else "",
        ruleset.name,
    )
    _found, weights, _sheet = _open_issues(ref, typed, ruleset)
    _form, sheet = build_self_evaluation(
        ref.form, typed.actuals, typed.reasons, executed, ruleset, weights.values
    )
    _save(document, ref, draft, user, typed, executed, ruleset, weights, sheet)
    AuditEvent.objects.create(
        actor=user,
        document=document,
        action="self_evaluation_import",
        detail={"form": ref.index, "file": name},
    )
    filled = sum(1 for actual in imported.actuals if actual.strip())
    messages.success(request, f"已从 {name} 导入 {filled} 项实际完成值")
    return redirect(_page_url(document, ref))
