"""Shared helpers of the pages: what a user may see, the 403 page, and Chinese labels.

Enters: the request's user, a document id. Leaves: querysets filtered to what the user may see,
a ``Document`` (or ``Http404`` when the user may not see it: an id guessed for another department
looks exactly like a missing one), and ``HttpResponseForbidden`` pages carrying the reason.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.summary import KIND_NAMES
from jixiao.web.models import Department, Document, DocumentVersion, Role
from jixiao.web.permissions import allowed, profile_of, role_of

#: AuditEvent.action → what the audit log shows.
EVENT_NAMES: dict[str, str] = {
    "upload": "上传",
    "submit": "提交",
    "resubmit": "重新提交",
    "return": "退回",
    "approve": "审核通过",
    "comment": "填写意见",
    "dismiss": "标记误报",
    "monitor": "提交运行监控",
    "monitor_resubmit": "重新提交运行监控",
    "monitor_return": "退回运行监控",
    "monitor_approve": "运行监控审核通过",
    "self_evaluation_submit": "提交自评",
    "self_evaluation_resubmit": "重新提交自评",
    "self_evaluation_return": "退回自评",
    "self_evaluation_approve": "自评审核通过",
    "self_evaluation_import": "导入自评表",
    "library_merge": "合并指标",
    "library_rename": "指标改名",
    "library_common": "共性指标标记",
}
SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, "未识别") if kind != "unknown" else "未识别"


def visible_documents(user: Any) -> QuerySet[Document]:
    """The documents ``user`` may see: every department for reviewers, admins and viewers without
    a department; their own department's for officers and viewers; none without a role."""
    documents = Document.objects.select_related("department")
    role = role_of(user)
    if role is None:
        return documents.none()
    if role in (Role.ADMIN, Role.REVIEWER):
        return documents
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if own is None:
        return documents if role == Role.VIEWER else documents.none()
    return documents.filter(department=own)


def visible_departments(user: Any) -> QuerySet[Department]:
    """The departments whose documents ``user`` may see (for the filters and the upload form)."""
    role = role_of(user)
    if role is None:
        return Department.objects.none()
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if role in (Role.ADMIN, Role.REVIEWER) or (role == Role.VIEWER and own is None):
        return Department.objects.all()
    if own is None:
        return Department.objects.none()
    return Department.objects.filter(pk=own.pk)


def document_for(user: Any, pk: int) -> Document:
    """The document ``pk`` if ``user`` may see it, else ``Http404`` (never a hint that it exists)."""
    document = Document.objects.select_related("department").filter(pk=pk).first()
    if document is None or not allowed(user, "view", document):
        raise Http404("文件不存在")
    return document


def version_of(document: Document, number: Any, defer: tuple[str, ...] = ()) -> DocumentVersion:
    """Version ``number`` of ``document`` (the latest when None or empty), else ``Http404``;
    ``defer``: fields not loaded now (read on first use)."""
    versions = document.versions.defer(*defer) if defer else document.versions.all()
    if number in (None, ""):
        version = versions.order_by("-number").first()
    else:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            raise Http404("版本不存在") from None
        version = versions.filter(number=wanted).first()
    if version is None:
        raise Http404("版本不存在")
    return version


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind ``login_required``."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("请先登录")
    return user


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """The 403 page, with the reason ``allowed`` gave."""
    return render(request, "jixiao/forbidden.html", {"reason": reason}, status=403)


def plain_number(value: Any) -> str:
    """A decimal as stored (``"95.60"``) shown without trailing zeros (``95.6``); text unchanged;
    None as empty. Display only: no rounding happens here."""
    if value is None:
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    shown = format(number, "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return shown


def file_size(size: int) -> str:
    """Bytes for people: 812 字节, 35.2 KB, 1.4 MB (display only)."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1048576:.1f} MB"
