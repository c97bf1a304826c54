"""The review workflow: draft → submitted → returned (with comments) → resubmitted → approved.

Every transition is checked by ``allowed`` and written to the append-only audit log, with the
comment that goes with it (a return must say why). A transition refused raises ``WorkflowError``
with the reason in Chinese and its kind, which says how a page or the API answers:

- ``forbidden`` (403): this person may not do this (role, department);
- ``conflict`` (409): the person could, but not in the document's present state — approving a
  document already approved, or two reviewers acting on it at once (the second one's state is no
  longer the one they saw);
- ``invalid`` (400): the request lacks something (a return without its comment);
- ``unknown`` (404): no such transition.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from django.db import transaction

from jixiao.web.models import AuditEvent, Comment, Document, Status
from jixiao.web.permissions import NEEDS_STATE, Action, allowed

#: action → the state it leads to.
TRANSITIONS: dict[str, str] = {
    "submit": Status.SUBMITTED,
    "resubmit": Status.RESUBMITTED,
    "return": Status.RETURNED,
    "approve": Status.APPROVED,
}

Kind = Literal["forbidden", "conflict", "invalid", "unknown"]
#: The HTTP status each kind of refusal answers with.
HTTP_STATUS: dict[str, int] = {"forbidden": 403, "conflict": 409, "invalid": 400, "unknown": 404}


class WorkflowError(Exception):
    """A transition that may not happen, with the reason in Chinese and its kind (see above)."""

    def __init__(self, reason: str, kind: Kind = "conflict") -> None:
        self.reason = reason
        self.kind: Kind = kind
        super().__init__(reason)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.kind]


def _only_the_state(user: Any, action: Action, document: Document) -> bool:
    """Is the document's state all that stands in the way (the same request on the document in
    a state the action needs would be allowed)?"""
    states = NEEDS_STATE.get(action, ())
    if not states or document.status in states:
        return False
    probe = copy.copy(document)
    probe.status = states[0]
    return bool(allowed(user, action, probe))


def check(user: Any, action: str, document: Document) -> None:
    """Raise ``WorkflowError`` when ``user`` may not apply ``action`` to ``document`` now."""
    if action not in TRANSITIONS:
        raise WorkflowError(f"未知的操作：{action}", "unknown")
    wanted: Action = action  # type: ignore[assignment]
    decision = allowed(user, wanted, document)
    if not decision:
        raise WorkflowError(
            decision.reason, "conflict" if _only_the_state(user, wanted, document) else "forbidden"
        )


def move(document: Document, action: Action, user: Any, comment: str = "") -> Document:
    """Apply ``action`` (submit, resubmit, return, approve) to ``document`` as ``user``."""
    check(user, action, document)
    comment = comment.strip()
    if action == "return" and not comment:
        raise WorkflowError("退回时请填写退回意见", "invalid")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != document.status:
            raise WorkflowError("文件状态已被他人更改，请刷新后重试", "conflict")
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
