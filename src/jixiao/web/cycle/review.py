"""The review of monitoring reports and self-evaluations: who may do what in which state, and the moves.

States (``ReportStatus``): 草稿 → 已提交 → 已退回（附意见）→ 已重新提交 → 已通过. The department's officer
edits a draft or a returned one and submits it (a returned one is resubmitted); a reviewer (财政局)
returns a submitted one with a required comment, or approves it; an approved one is read-only.

``decide(user, action, document, status)`` answers like ``jixiao.web.permissions.allowed``, with the
Chinese reason, and says whether a refusal is the person's (``forbidden``, 403) or the state's
(``conflict``, 409: approving an approved report). ``move`` applies a transition under a row lock
(a state changed meanwhile is a conflict) and appends the core app's ``AuditEvent``; a refusal
raises ``jixiao.web.workflow.WorkflowError`` with its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jixiao.monitor import PERIOD_LABELS
from jixiao.web.cycle.access import may_fill
from jixiao.web.cycle.models import EDITABLE, WAITING, MonitoringReport, ReportStatus, SelfEvaluationDraft
from jixiao.web.models import AuditEvent, Document
from jixiao.web.permissions import allowed
from jixiao.web.views.common import forbidden
from jixiao.web.workflow import HTTP_STATUS, Kind, WorkflowError

Record = MonitoringReport | SelfEvaluationDraft
CycleAction = Literal["edit", "submit", "return", "approve"]
ACTION_NAMES: dict[str, str] = {"edit": "修改", "submit": "提交", "return": "退回", "approve": "审核通过"}
#: the states an action needs
NEEDS: dict[str, tuple[str, ...]] = {
    "edit": EDITABLE,
    "submit": EDITABLE,
    "return": WAITING,
    "approve": WAITING,
}


@dataclass(frozen=True)
class Verdict:
    """A ``Decision`` that also says what a refusal is: the person's (403) or the state's (409)."""

    ok: bool
    reason: str
    kind: Kind = "forbidden"

    def __bool__(self) -> bool:
        return self.ok


def record_name(record: Record) -> str:
    """运行监控 of 1–6月 / 1–9月, or 年度自评 (for messages and the audit log)."""
    if isinstance(record, MonitoringReport):
        return f"{PERIOD_LABELS.get(record.period, '')}运行监控"
    return "年度自评"


def decide(user: Any, action: CycleAction, document: Document, status: str | None, what: str = "") -> Verdict:
    """May ``user`` do ``action`` on the monitoring report or self-evaluation of ``document``
    that is in ``status`` (None: not saved yet, a draft)? ``what`` names it in the reason."""
    if action in ("edit", "submit"):
        person = may_fill(user, document)
    else:
        person = allowed(user, "return" if action == "return" else "approve", document.department)
    if not person:
        return Verdict(False, person.reason, "forbidden")
    state = status or ReportStatus.DRAFT
    if state not in NEEDS[action]:
        shown = "、".join(ReportStatus(s).label for s in NEEDS[action])
        label = ReportStatus(state).label
        subject = what or "本表"
        if state == ReportStatus.APPROVED:
            why = f"{subject}已通过审核，不能再{ACTION_NAMES[action]}"
        elif state in WAITING and action in ("edit", "submit"):
            why = f"{subject}已提交，等待财政局审核，审核退回后才能{ACTION_NAMES[action]}"
        else:
            why = f"{subject}状态为“{label}”，只有“{shown}”的可以{ACTION_NAMES[action]}"
        return Verdict(False, why, "conflict")
    return Verdict(True, person.reason)


def _event(record: Record, action: str, before: str) -> str:
    prefix = "monitor" if isinstance(record, MonitoringReport) else "self_evaluation"
    if action == "submit":
        if before == ReportStatus.RETURNED:
            return f"{prefix}_resubmit"
        return "monitor" if prefix == "monitor" else "self_evaluation_submit"  # "monitor": the first name
    return f"{prefix}_{action}"


def move(
    record: Record, action: CycleAction, user: Any, comment: str = "", extra: dict[str, Any] | None = None
) -> Record:
    """Submit (or resubmit), return (``comment`` required) or approve ``record`` as ``user``; the
    state it leads to, who and when are saved, and the audit log gets the event."""
    if action == "edit":
        raise WorkflowError("未知的操作：edit", "unknown")
    what = record_name(record)
    verdict = decide(user, action, record.document, record.status, what)
    if not verdict:
        raise WorkflowError(verdict.reason, verdict.kind)
    comment = comment.strip()
    if action == "return" and not comment:
        raise WorkflowError("退回时请填写退回意见", "invalid")
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if locked.status != record.status:
            raise WorkflowError(f"{what}状态已被他人更改，请刷新后重试", "conflict")
        before = locked.status
        now = timezone.now()
        if action == "submit":
            locked.status = (
                ReportStatus.RESUBMITTED if before == ReportStatus.RETURNED else ReportStatus.SUBMITTED
            )
            locked.submitted_by, locked.submitted_at = user, now
            fields = ["status", "submitted_by", "submitted_at"]
        else:
            locked.status = ReportStatus.RETURNED if action == "return" else ReportStatus.APPROVED
            locked.reviewed_by, locked.reviewed_at = user, now
            locked.return_comment = comment if action == "return" else locked.return_comment
            fields = ["status", "reviewed_by", "reviewed_at", "return_comment"]
        locked.save(update_fields=fields)
        detail: dict[str, Any] = {
            "what": what,
            "form": locked.form_index,
            "from": before,
            "to": locked.status,
            "comment": comment,
        }
        if isinstance(locked, MonitoringReport):
            detail["period"] = locked.period
        AuditEvent.objects.create(
            actor=user,
            document=locked.document,
            action=_event(locked, action, before),
            detail={**detail, **(extra or {})},
        )
    return locked


def refusal(request: HttpRequest, kind: str, reason: str, page: str, what: str, action: str) -> HttpResponse:
    """The answer to a refused action: 403 with the reason (the person may not), 409 (the state
    does not allow it; the page to reload is linked), or, for a return without its comment, the page
    again with the message."""
    if kind == "forbidden":
        return forbidden(request, reason)
    if kind == "invalid":
        messages.error(request, f"{ACTION_NAMES.get(action, action)}未完成：{reason}")
        return redirect(page)
    context = {
        "reason": reason,
        "action": ACTION_NAMES.get(action, action),
        "page": page,
        "what": what,
        "home": reverse("jixiao_cycle:index"),
        "home_label": "运行监控与自评",
    }
    return render(request, "jixiao/conflict.html", context, status=HTTP_STATUS.get(kind, 409))
