"""Who may do what: one function, ``allowed(user, action, obj)``, that decides and says why.

Roles (``Profile.role``): 系统管理员 may do everything; 财政局审核人 sees every department, comments,
dismisses false alarms, returns and approves submitted documents; 部门填报人 sees only its own
department, uploads (while a document is a draft or returned), submits and resubmits; 只读查看人 sees
(its department's, or every department's when it has none) and changes nothing.

>>> Decision(False, "只能查看本部门的文件").reason
'只能查看本部门的文件'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from jixiao.web.models import Department, Document, Profile, Role, Status

Action = Literal["view", "upload", "submit", "resubmit", "return", "approve", "comment", "dismiss", "manage"]
ACTIONS: tuple[Action, ...] = (
    "view",
    "upload",
    "submit",
    "resubmit",
    "return",
    "approve",
    "comment",
    "dismiss",
    "manage",
)
ACTION_NAMES: dict[str, str] = {
    "view": "查看",
    "upload": "上传",
    "submit": "提交",
    "resubmit": "重新提交",
    "return": "退回",
    "approve": "审核通过",
    "comment": "填写意见",
    "dismiss": "标记误报",
    "manage": "系统管理",
}
#: The states a document must be in for an action, where it matters.
NEEDS_STATE: dict[str, tuple[str, ...]] = {
    "upload": (Status.DRAFT, Status.RETURNED),
    "submit": (Status.DRAFT,),
    "resubmit": (Status.RETURNED,),
    "return": (Status.SUBMITTED, Status.RESUBMITTED),
    "approve": (Status.SUBMITTED, Status.RESUBMITTED),
}


@dataclass(frozen=True)
class Decision:
    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


def profile_of(user: Any) -> Profile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        profile: Profile = user.profile
    except Profile.DoesNotExist:
        return None
    return profile


def role_of(user: Any) -> str | None:
    """The user's role: ``admin`` for a Django superuser, else the profile's (None: no role)."""
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return Role.ADMIN
    profile = profile_of(user)
    return profile.role if profile is not None else None


def _department_of(obj: Document | Department | None) -> Department | None:
    if isinstance(obj, Document):
        return obj.department
    return obj


def sees(user: Any, department: Department | None) -> Decision:
    """May ``user`` see documents of ``department``?"""
    role = role_of(user)
    if role is None:
        return Decision(False, "请先登录" if not getattr(user, "is_authenticated", False) else "尚未分配角色")
    if role in (Role.ADMIN, Role.REVIEWER):
        return Decision(True, "可查看所有部门")
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if role == Role.VIEWER and own is None:
        return Decision(True, "只读查看人可查看所有部门")
    if own is None:
        return Decision(False, "尚未分配所属部门")
    if department is not None and department.pk != own.pk:
        return Decision(False, "只能查看本部门的文件")
    return Decision(True, "本部门")


def allowed(user: Any, action: Action, obj: Document | Department | None = None) -> Decision:
    """Whether ``user`` may do ``action`` on ``obj`` (a document, or a department for a new upload),
    and why (in Chinese, for the page and the API)."""
    role = role_of(user)
    name = ACTION_NAMES.get(action, action)
    if role is None:
        return Decision(False, "请先登录" if not getattr(user, "is_authenticated", False) else "尚未分配角色")
    if role == Role.ADMIN:
        return Decision(True, "系统管理员")
    if action == "manage":
        return Decision(False, "只有系统管理员可以管理系统")
    seen = sees(user, _department_of(obj))
    if not seen:
        return seen
    if action == "view":
        return seen
    if role == Role.VIEWER:
        return Decision(False, f"只读查看人不能{name}")
    if role == Role.REVIEWER and action in ("upload", "submit", "resubmit"):
        return Decision(False, f"审核人不能{name}，由部门填报人操作")
    if role == Role.OFFICER and action in ("return", "approve", "dismiss"):
        return Decision(False, f"部门填报人不能{name}，由财政局审核人操作")
    states = NEEDS_STATE.get(action)
    if states and isinstance(obj, Document) and obj.status not in states:
        shown = "、".join(Status(s).label for s in states)
        return Decision(False, f"文件状态为“{Status(obj.status).label}”，只有“{shown}”的文件可以{name}")
    if action in ("submit", "resubmit") and isinstance(obj, Document):
        latest = obj.latest
        if latest is None or not latest.readable:
            return Decision(False, "最新版本无法读取，请先上传可读取的文件")
    return Decision(True, f"{Role(role).label}可以{name}")
