"""Who may import a batch and who may see one, built on ``jixiao.web.permissions``.

财政局审核人 and 系统管理员 import bureau-wide (each file into the department it names) or into one
department; a 部门填报人 only into the department he belongs to; 只读查看人 never. A batch is seen
by those who see its department; a bureau-wide batch by those who see every department.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jixiao.web.batches.models import Batch
from jixiao.web.models import Department, Role
from jixiao.web.permissions import Decision, profile_of, role_of, sees


def may_import(user: Any, department: Department | None) -> Decision:
    """May ``user`` import a batch into ``department`` (None: bureau-wide)?"""
    role = role_of(user)
    if role is None:
        return Decision(False, "请先登录" if not getattr(user, "is_authenticated", False) else "尚未分配角色")
    if role in (Role.ADMIN, Role.REVIEWER):
        return Decision(True, f"{Role(role).label}可以批量导入")
    if role == Role.VIEWER:
        return Decision(False, "只读查看人不能批量导入")
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if own is None:
        return Decision(False, "尚未分配所属部门")
    if department is None:
        return Decision(False, "部门填报人只能导入本部门的文件，不能全局导入")
    seen = sees(user, department)
    if not seen:
        return Decision(False, "只能导入本部门的文件")
    return Decision(True, "部门填报人可以导入本部门的文件")


def sees_all(user: Any) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.REVIEWER):
        return True
    profile = profile_of(user)
    return role == Role.VIEWER and (profile is None or profile.department is None)


def sees_batch(user: Any, batch: Batch) -> bool:
    if batch.department is None:
        return sees_all(user)
    return bool(sees(user, batch.department))


def visible_batches(user: Any) -> QuerySet[Batch]:
    batches = Batch.objects.select_related("department", "started_by")
    if role_of(user) is None:
        return batches.none()
    if sees_all(user):
        return batches
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if own is None:
        return batches.none()
    return batches.filter(Q(department=own))
