"""The permission matrix: role × action × state, decided by one function that says why."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from jixiao.web.models import Document, Status
from jixiao.web.permissions import ACTIONS, allowed

#: What each role may do to a document of the first department, per state (officer and viewer
#: belong to it; "other" is the second department's officer).
ALLOWED: dict[str, dict[str, set[str]]] = {
    "admin": {state: set(ACTIONS) for state in Status.values},
    "reviewer": {
        Status.DRAFT: {"view", "comment", "dismiss"},
        Status.SUBMITTED: {"view", "comment", "dismiss", "return", "approve"},
        Status.RETURNED: {"view", "comment", "dismiss"},
        Status.RESUBMITTED: {"view", "comment", "dismiss", "return", "approve"},
        Status.APPROVED: {"view", "comment", "dismiss"},
    },
    "officer": {
        Status.DRAFT: {"view", "comment", "upload", "submit"},
        Status.SUBMITTED: {"view", "comment"},
        Status.RETURNED: {"view", "comment", "upload", "resubmit"},
        Status.RESUBMITTED: {"view", "comment"},
        Status.APPROVED: {"view", "comment"},
    },
    "other": {state: set() for state in Status.values},
    "viewer": {state: {"view"} for state in Status.values},
    "auditor": {state: {"view"} for state in Status.values},
}


@pytest.mark.parametrize("state", Status.values)
@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_permission_matrix(
    role: str, state: str, users: dict[str, User], seed_002_document: Document
) -> None:
    seed_002_document.status = state
    granted = {action for action in ACTIONS if allowed(users[role], action, seed_002_document)}
    assert granted == ALLOWED[role][state]
    for action in ACTIONS:
        assert allowed(users[role], action, seed_002_document).reason  # always says why


def test_reasons_are_chinese_and_specific(users: dict[str, User], seed_002_document: Document) -> None:
    assert allowed(users["other"], "view", seed_002_document).reason == "只能查看本部门的文件"
    assert "审核人" in allowed(users["officer"], "approve", seed_002_document).reason
    assert "已通过" not in allowed(users["officer"], "submit", seed_002_document).reason
    seed_002_document.status = Status.APPROVED
    assert "“已通过”" in allowed(users["officer"], "submit", seed_002_document).reason


@pytest.mark.parametrize("who", ["anonymous", "inactive", "no role"])
def test_nobody_without_a_role_may_do_anything(
    who: str, users: dict[str, User], seed_002_document: Document, db: Any
) -> None:
    if who == "anonymous":
        user: Any = AnonymousUser()
    elif who == "inactive":
        user = users["reviewer"]
        user.is_active = False
    else:
        user = User.objects.create_user("nobody", password="x" * 12)
    assert not any(allowed(user, action, seed_002_document) for action in ACTIONS)


def test_a_department_officer_uploads_only_for_its_own_department(
    users: dict[str, User], departments: Any
) -> None:
    own, other = departments
    assert allowed(users["officer"], "upload", own)
    assert not allowed(users["officer"], "upload", other)
    assert not allowed(users["reviewer"], "upload", own)
