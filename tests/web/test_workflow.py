"""The review workflow on seed 002: submit, return with a comment, a corrected version, resubmit,
approve; every step in the append-only audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from jixiao.web.models import AuditEvent, Comment, Document, Status
from jixiao.web.store import upload
from jixiao.web.workflow import WorkflowError, move
from tests.conftest import SEED_002


def test_the_whole_cycle_is_logged(users: dict[str, User], seed_002_document: Document) -> None:
    doc = seed_002_document
    move(doc, "submit", users["officer"])
    with pytest.raises(WorkflowError, match="退回意见"):
        move(doc, "return", users["reviewer"])
    move(doc, "return", users["reviewer"], "表3-1 效益指标得分与明细不一致，请核对")
    assert doc.status == Status.RETURNED
    corrected = SEED_002.read_bytes().replace("群众满意度".encode(), "群众满意率".encode(), 1)
    again = upload(users["officer"], doc.department, "002-修改.txt", corrected, document=doc)
    assert (again.version.number, again.duplicate) == (2, False)
    move(doc, "resubmit", users["officer"])
    move(doc, "approve", users["reviewer"])
    doc.refresh_from_db()
    assert doc.status == Status.APPROVED
    log = [(e.action, e.actor.username if e.actor else None) for e in AuditEvent.objects.filter(document=doc)]
    assert log == [
        ("upload", "officer"),
        ("submit", "officer"),
        ("return", "reviewer"),
        ("upload", "officer"),
        ("resubmit", "officer"),
        ("approve", "reviewer"),
    ]
    assert Comment.objects.get(document=doc).text.startswith("表3-1")


def test_transitions_refused_with_the_reason(users: dict[str, User], seed_002_document: Document) -> None:
    with pytest.raises(WorkflowError, match="部门填报人不能审核通过"):
        move(seed_002_document, "approve", users["officer"])
    with pytest.raises(WorkflowError, match="只能查看本部门"):
        move(seed_002_document, "submit", users["other"])
    with pytest.raises(WorkflowError, match="“草稿”"):
        move(seed_002_document, "approve", users["reviewer"])
    assert seed_002_document.status == Status.DRAFT


def test_the_audit_log_is_append_only(users: dict[str, User], seed_002_document: Document) -> None:
    event = AuditEvent.objects.filter(document=seed_002_document).first()
    assert event is not None
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="x")


def test_each_refusal_says_its_kind(users: dict[str, User], seed_002_document: Document) -> None:
    """Not allowed (role, department) is ``forbidden`` (403); allowed but not in this state is
    ``conflict`` (409); a return without its comment is ``invalid`` (400); no such action ``unknown``."""
    doc = seed_002_document
    cases = [
        ("approve", "officer", "", "forbidden", 403),  # an officer never approves
        ("submit", "other", "", "forbidden", 403),  # another department's document
        ("submit", "viewer", "", "forbidden", 403),
        ("approve", "reviewer", "", "conflict", 409),  # a draft: not yet submitted
        ("resubmit", "officer", "", "conflict", 409),  # a draft was never returned
        ("delete", "admin", "", "unknown", 404),
    ]
    for action, who, comment, kind, status in cases:
        with pytest.raises(WorkflowError) as refused:
            move(doc, action, users[who], comment)  # type: ignore[arg-type]
        assert (refused.value.kind, refused.value.http_status) == (kind, status), (action, who)
        assert refused.value.reason
    move(doc, "submit", users["officer"])
    with pytest.raises(WorkflowError) as refused:
        move(doc, "return", users["reviewer"], "  ")
    assert (refused.value.kind, refused.value.http_status) == ("invalid", 400)
    move(doc, "approve", users["reviewer"])
    with pytest.raises(WorkflowError) as refused:
        move(doc, "approve", users["reviewer"])  # approved already
    assert refused.value.kind == "conflict" and "“已通过”" in refused.value.reason
    assert doc.status == Status.APPROVED


def test_two_reviewers_at_once_the_second_is_a_conflict(
    users: dict[str, User], seed_002_document: Document
) -> None:
    """Both loaded the submitted document; the first approves, the second returns it: the second
    finds another state than the one it saw and nothing is written for it."""
    move(seed_002_document, "submit", users["officer"])
    first = Document.objects.get(pk=seed_002_document.pk)
    second = Document.objects.get(pk=seed_002_document.pk)
    move(first, "approve", users["reviewer"])
    with pytest.raises(WorkflowError) as refused:
        move(
            second, "return", users["admin"], "请修改"
        )  # an admin may act in any state: only the race stops it
    assert refused.value.kind == "conflict" and "已被他人更改" in refused.value.reason
    assert refused.value.http_status == 409
    assert not AuditEvent.objects.filter(document=seed_002_document, action="return").exists()
    assert Comment.objects.filter(document=seed_002_document).count() == 0
