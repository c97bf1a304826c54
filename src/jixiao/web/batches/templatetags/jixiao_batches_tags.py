"""Template filters of 批量导入: whether the menu shows the 批量导入 link to a user."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.models import Role
from jixiao.web.permissions import role_of

register = template.Library()


@register.filter
def may_batch_import(user: Any) -> bool:
    """财政局审核人, 系统管理员 and 部门填报人 import batches (their own department's, for officers)."""
    return role_of(user) in (Role.ADMIN, Role.REVIEWER, Role.OFFICER)
