"""The review workflow: draft → submitted → returned (with comments) → resubmitted → approved.

Every transition is checked by ``allowed`` and written to the append-only audit log, with the
comment that goes with it (a return must say why).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jixiao.web.models import AuditEvent, Comment, Document, Status
from jixiao.web.permissions import Action, allowed

#: action → the state it leads to.
TRANSITIONS: dict[str, str] = {
    "submit": Status.SUBMITTED,
    "resubmit": Status.RESUBMITTED,
    "return": Status.RETURNED,
    "approve": Status.APPROVED,
}


class WorkflowError(Exception):
    """A transition that may not happen, with the reason in Chinese."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def move(document: Document, action: Action, user: Any, comment: str = "") -> Document:
    """Apply ``action`` (submit, resubmit, return, approve) to ``document`` as ``user``."""
    if action not in TRANSITIONS:
        raise WorkflowError(f"未知的操作：{action}")
    decision = allowed(user, action, document)
    if not decision:
        raise WorkflowError(decision.reason)
    comment = comment.strip()
    if action == "return" and not comment:
        raise WorkflowError("退回时请填写退回意见")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != document.status:
            raise WorkflowError("文件状态已被他人更改，请刷新后重试")
        before = locked.status
        locked.status = TRANSITIONS[action]
        locked.save(update_fields=["status", "updated_at"])
        latest = locked.latest
        if comment:
            Comment.objects.create(document=locked, version=latest, author=user, text=comment)
        AuditEvent.objects.create(
            actor=user,
            document=locked,
            action=action,
            detail={
                "from": before,
                "to": locked.status,
                "version": latest.number if latest is not None else None,
                "comment": comment,
            },
        )
    document.status = locked.status
    return locked
