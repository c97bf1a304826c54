"""The 运行监控 entry page of one approved target form for 1–6月 or 1–9月.

Enters: a document id, a period (``H1``/``Q3``), ``?form=N``; POSTs to save or submit the progress
typed per indicator, the 偏差原因 and the budget executed; htmx POSTs of the same form to ``live``
while typing. Leaves: the page (per indicator the target, the expected progress, the input, the
light and its reason), or the lights alone (out-of-band swaps) for htmx. Everything is computed by
``jixiao.monitor``; a submission with a yellow or red row without a reason is refused (400) with
the issues listed. A submitted report waits for the reviewer, who returns it with a comment (the
department edits and resubmits it) or approves it (``review``: 403 for a role that may not, 409 for
a state that does not allow it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.monitor import (
    PERIOD_LABELS,
    Issue,
    Monitoring,
    Period,
    form_budget,
    load_thresholds,
    monitor,
    period_of,
)
from jixiao.monitor.errors import MonitorError
from jixiao.monitor.progress import read_money
from jixiao.web.cycle.access import TargetFormRef, chosen_form, may_fill, target_for
from jixiao.web.cycle.models import MonitoringReport
from jixiao.web.cycle.review import decide, move, refusal
from jixiao.web.models import Document
from jixiao.web.views.common import acting_user, forbidden, plain_number
from jixiao.web.workflow import WorkflowError


def _period(value: str) -> Period:
    try:
        return period_of(value)
    except MonitorError:
        raise Http404("监控期间不存在") from None


def _typed(request: HttpRequest, count: int) -> tuple[list[str], list[str], str, str]:
    """The progress and reasons posted per row, the budget executed and its reason."""
    progress = [str(request.POST.get(f"progress-{i}", ""))[:100] for i in range(count)]
    reasons = [str(request.POST.get(f"reason-{i}", ""))[:2000] for i in range(count)]
    executed = str(request.POST.get("executed", ""))[:100]
    budget_reason = str(request.POST.get("budget_reason", ""))[:2000]
    return progress, reasons, executed, budget_reason


def _stored(report: MonitoringReport | None, count: int) -> tuple[list[str], list[str], str, str]:
    if report is None:
        return [""] * count, [""] * count, "", ""
    rows: list[dict[str, Any]] = report.rows if isinstance(report.rows, list) else []
    rows = rows + [{}] * (count - len(rows))
    return (
        [str(row.get("progress", "")) for row in rows[:count]],
        [str(row.get("reason", "")) for row in rows[:count]],
        report.executed_raw,
        report.budget_reason,
    )


def results_of(result: Monitoring) -> dict[str, Any]:
    """What the overview needs of a computed report, as JSON (decimals as strings)."""
    return {
        "counts": result.counts(),
        "rows": [
            {
                "light": row.light.value if row.light else None,
                "deviation": str(row.deviation) if row.deviation is not None else None,
                "reason": row.reason,
            }
            for row in result.rows
        ],
        "budget": {
            "light": result.budget.light.value if result.budget.light else None,
            "rate": str(result.budget.rate) if result.budget.rate is not None else None,
            "reason": result.budget.reason,
        },
        "issues": [issue.code for issue in result.issues],
    }


def _context(
    document: Document,
    forms: list[TargetFormRef],
    ref: TargetFormRef,
    period: Period,
    report: MonitoringReport | None,
    typed: tuple[list[str], list[str], str, str],
    editable: bool,
    issues: list[Issue] | None = None,
    can_review: bool = False,
) -> dict[str, Any]:
    progress, reasons, executed, budget_reason = typed
    result = monitor(ref.form, period, progress, reasons, executed, budget_reason)
    thresholds = load_thresholds()
    budget, unit = form_budget(ref.form)
    rows = [
        {
            "row": row,
            "indicator": indicator,
            "reason": reasons[i],
            "needs_reason": thresholds.needs_reason(row.light),
        }
        for i, (row, indicator) in enumerate(zip(result.rows, ref.form.indicators, strict=True))
    ]
    return {
        "document": document,
        "forms": forms,
        "ref": ref,
        "period": period,
        "period_label": PERIOD_LABELS[period.value],
        "periods": list(PERIOD_LABELS.items()),
        "report": report,
        "record": report,
        "can_review": can_review,
        "review_url": _url(document, period.value, ref, "monitoring_review"),
        "result": result,
        "rows": rows,
        "budget": plain_number(budget) if budget is not None else "",
        "unit": unit,
        "executed": executed,
        "budget_reason": budget_reason,
        "budget_needs_reason": thresholds.needs_reason(result.budget.light),
        "editable": editable,
        "issues": issues or [],
        "thresholds": thresholds,
        "counts": result.counts(),
    }


def _url(document: Document, period: str, ref: TargetFormRef, name: str = "monitoring") -> str:
    return reverse(f"jixiao_cycle:{name}", args=[document.pk, period]) + f"?form={ref.index}"


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_page(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    chosen = _period(period)
    report = MonitoringReport.objects.filter(document=document, form_index=ref.index, period=chosen).first()
    status = report.status if report is not None else None
    what = f"{PERIOD_LABELS[chosen.value]}运行监控"
    edit = decide(user, "edit", document, status, what)
    count = len(ref.form.indicators)
    page = _url(document, chosen.value, ref)
    if request.method == "GET":
        review = bool(decide(user, "approve", document, status, what))
        context = _context(
            document, forms, ref, chosen, report, _stored(report, count), bool(edit), None, review
        )
        return render(request, "jixiao_cycle/monitoring.html", context)
    submit = request.POST.get("action") == "submit"
    if not edit:
        return refusal(request, edit.kind, edit.reason, page, what, "submit" if submit else "edit")
    typed = _typed(request, count)
    progress, reasons, executed_raw, budget_reason = typed
    result = monitor(ref.form, chosen, progress, reasons, executed_raw, budget_reason)
    if submit and result.issues:
        context = _context(document, forms, ref, chosen, report, typed, True, result.issues)
        return render(request, "jixiao_cycle/monitoring.html", context, status=400)
    _budget, unit = form_budget(ref.form)
    executed = read_money(executed_raw, unit) if executed_raw.strip() else None
    if report is None:
        report = MonitoringReport(document=document, form_index=ref.index, period=chosen, updated_by=user)
    report.rows = [{"progress": p, "reason": r} for p, r in zip(progress, reasons, strict=True)]
    report.executed_raw = executed_raw.strip()
    report.executed = executed if isinstance(executed, Decimal) else None
    report.budget_reason = budget_reason
    report.results = results_of(result)
    report.updated_by = user
    try:
        with transaction.atomic():
            report.save()
            if submit:
                move(report, "submit", user, extra={"counts": result.counts()})
    except WorkflowError as exc:
        return refusal(request, exc.kind, exc.reason, page, what, "submit")
    if submit:
        messages.success(request, f"{ref.label} {what}已提交，等待财政局审核")
    else:
        messages.success(request, "已保存草稿")
    return redirect(page)


@login_required
@require_POST
def monitoring_review(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """A reviewer returns the submitted report (with a comment) or approves it."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    chosen = _period(period)
    report = MonitoringReport.objects.filter(document=document, form_index=ref.index, period=chosen).first()
    action = str(request.POST.get("action", ""))
    if report is None or action not in ("return", "approve"):
        raise Http404("没有这份运行监控或这种操作")
    what = f"{PERIOD_LABELS[chosen.value]}运行监控"
    page = _url(document, chosen.value, ref)
    try:
        moved = move(
            report, "return" if action == "return" else "approve", user, str(request.POST.get("comment", ""))
        )
    except WorkflowError as exc:
        return refusal(request, exc.kind, exc.reason, page, what, action)
    messages.success(
        request,
        f"{ref.label} {what}{'已退回' if action == 'return' else '已审核通过'}（{moved.get_status_display()}）",
    )
    return redirect(page)


@login_required
@require_POST
def monitoring_live(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The lights for what is typed now (htmx): summary plus out-of-band row cells."""
    user = acting_user(request)
    document, forms = target_for(user, pk)
    ref = chosen_form(request, forms)
    chosen = _period(period)
    decision = may_fill(user, document)
    if not decision:
        return forbidden(request, decision.reason)
    typed = _typed(request, len(ref.form.indicators))
    context = _context(document, forms, ref, chosen, None, typed, True)
    return render(request, "jixiao_cycle/partials/monitoring_live.html", context)
