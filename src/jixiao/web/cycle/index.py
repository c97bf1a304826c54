"""The list of approved target forms with their monitoring and self-evaluation state, and the
reviewers' overview of every department's lights.

Enters: the user (``?period=H1|Q3`` on the overview). Leaves: ``/cycle/``: per approved target
document the user may see, each of its forms with 1–6月 / 1–9月 state and light counts and the
self-evaluation's score and state, the returned ones first with the reviewer's comment;
``/cycle/overview/``: what waits for the reviewer (submitted monitoring reports and
self-evaluations, with links), and per department and colour the rows of submitted reports. Counts
come from what ``jixiao.monitor`` stored on saving.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jixiao.monitor import PERIOD_LABELS
from jixiao.web.cycle.access import approved_targets, sees_overview, target_forms
from jixiao.web.cycle.models import WAITING, MonitoringReport, ReportStatus, SelfEvaluationDraft
from jixiao.web.models import Role
from jixiao.web.pending import Pending
from jixiao.web.permissions import role_of
from jixiao.web.views.common import acting_user, forbidden, visible_departments, visible_documents

#: states whose lights count in the overview (submitted, waiting or approved)
COUNTED = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.APPROVED)


def _link(record: MonitoringReport | SelfEvaluationDraft) -> dict[str, Any]:
    """A returned or waiting record for the lists: what it is and the page it is on."""
    if isinstance(record, MonitoringReport):
        url = reverse("jixiao_cycle:monitoring", args=[record.document_id, record.period])
        what = f"{PERIOD_LABELS.get(record.period, '')}运行监控"
    else:
        url = reverse("jixiao_cycle:self_evaluation", args=[record.document_id])
        what = "年度自评"
    return {"record": record, "what": what, "url": f"{url}?form={record.form_index}"}


def _counts(report: MonitoringReport) -> dict[str, int]:
    results: dict[str, Any] = report.results if isinstance(report.results, dict) else {}
    counts = results.get("counts") or {}
    return {colour: int(counts.get(colour, 0)) for colour in ("green", "yellow", "red")}


def pending(user: Any) -> Pending | None:
    """For the home page: the monitoring reports and self-evaluations waiting for a reviewer, or
    those returned to an officer's department."""
    if sees_overview(user):
        departments = visible_departments(user)
        waiting = (
            MonitoringReport.objects.filter(status__in=WAITING, document__department__in=departments).count()
            + SelfEvaluationDraft.objects.filter(
                status__in=WAITING, document__department__in=departments
            ).count()
        )
        return Pending("运行监控与自评待审核", waiting, reverse("jixiao_cycle:overview") + "#waiting")
    if role_of(user) != Role.OFFICER:
        return None
    documents = visible_documents(user)
    returned = (
        MonitoringReport.objects.filter(status=ReportStatus.RETURNED, document__in=documents).count()
        + SelfEvaluationDraft.objects.filter(status=ReportStatus.RETURNED, document__in=documents).count()
    )
    return Pending("运行监控与自评被退回，待修改", returned, reverse("jixiao_cycle:index") + "#returned")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    documents = list(approved_targets(user).order_by("department__name", "-year", "title")[:200])
    reports: dict[tuple[int, int, str], MonitoringReport] = {
        (r.document_id, r.form_index, r.period): r
        for r in MonitoringReport.objects.filter(document__in=documents)
    }
    drafts = {
        (d.document_id, d.form_index): d for d in SelfEvaluationDraft.objects.filter(document__in=documents)
    }
    returned = [
        _link(record)
        for record in [*reports.values(), *drafts.values()]
        if isinstance(record, MonitoringReport | SelfEvaluationDraft)
        and record.status == ReportStatus.RETURNED
    ]
    returned.sort(key=lambda item: item["record"].reviewed_at or item["record"].updated_at, reverse=True)
    entries = []
    for document in documents:
        forms = []
        for ref in target_forms(document):
            periods = []
            for period, label in PERIOD_LABELS.items():
                report = reports.get((document.pk, ref.index, period))
                periods.append(
                    {
                        "period": period,
                        "label": label,
                        "report": report,
                        "counts": _counts(report) if report is not None else None,
                    }
                )
            forms.append({"ref": ref, "periods": periods, "draft": drafts.get((document.pk, ref.index))})
        entries.append({"document": document, "forms": forms})
    return render(
        request,
        "jixiao_cycle/index.html",
        {"entries": entries, "overview": bool(sees_overview(user)), "returned": returned},
    )


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    decision = sees_overview(user)
    if not decision:
        return forbidden(request, decision.reason)
    period = str(request.GET.get("period", "H1")).upper()
    if period not in PERIOD_LABELS:
        period = "H1"
    departments = list(visible_departments(user))
    reports = (
        MonitoringReport.objects.filter(period=period, document__department__in=departments)
        .select_related("document", "document__department", "submitted_by")
        .order_by("document__department__name", "document__title", "form_index")
    )
    by_department: dict[int, list[MonitoringReport]] = defaultdict(list)
    for report in reports:
        by_department[report.document.department_id].append(report)
    rows = []
    for department in departments:
        listed = by_department.get(department.pk, [])
        submitted = [r for r in listed if r.status in COUNTED]
        totals = {"green": 0, "yellow": 0, "red": 0}
        for report in submitted:
            for colour, n in _counts(report).items():
                totals[colour] += n
        rows.append(
            {
                "department": department,
                "totals": totals,
                "submitted": len(submitted),
                "drafts": len(listed) - len(submitted),
                "reports": [{"report": r, "counts": _counts(r)} for r in listed],
            }
        )
    waiting_reports = MonitoringReport.objects.filter(
        status__in=WAITING, document__department__in=departments
    ).select_related("document", "document__department", "submitted_by")
    waiting_drafts = SelfEvaluationDraft.objects.filter(
        status__in=WAITING, document__department__in=departments
    ).select_related("document", "document__department", "submitted_by")
    waiting = [_link(record) for record in waiting_reports] + [_link(record) for record in waiting_drafts]
    waiting.sort(key=lambda item: item["record"].submitted_at or item["record"].updated_at)
    context = {
        "waiting": waiting,
        "rows": rows,
        "period": period,
        "period_label": PERIOD_LABELS[period],
        "periods": list(PERIOD_LABELS.items()),
        "approved": approved_targets(user).count(),
    }
    return render(request, "jixiao_cycle/overview.html", context)
