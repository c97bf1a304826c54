"""Template helpers: what the logged-in person is and may do, for the page header.

Enters: the template's ``user``. Leaves: the role's Chinese name with the department, and whether
the user may open 误报统计 — both from ``jixiao.web.permissions`` (nothing decided here).
"""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.models import Role
from jixiao.web.permissions import allowed, profile_of, role_of

register = template.Library()


@register.filter
def role_label(user: Any) -> str:
    """``财政局审核人`` or ``部门填报人 · 某局``; ``未分配角色`` without a role."""
    role = role_of(user)
    if role is None:
        return "未分配角色"
    profile = profile_of(user)
    department = profile.department if profile is not None else None
    label = str(Role(role).label)
    return f"{label} · {department.name}" if department is not None else label


@register.filter
def may_review(user: Any) -> bool:
    """May ``user`` dismiss findings (reviewers, administrators): 误报统计 is theirs."""
    return bool(allowed(user, "dismiss", None))
