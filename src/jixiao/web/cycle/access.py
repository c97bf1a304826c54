"""Who may see and fill what in 运行监控与自评, and the approved target forms a document holds.

Enters: the user and a document id (and ``?form=N``). Leaves: the approved target ``Document`` with
its target forms (``Http404`` when the user may not see it, when it is not approved or holds no
target form: a guessed id looks like a missing one), and ``Decision``s for filling in: the
department's officers (and administrators) fill in; reviewers and viewers read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.monitor import TargetForm, form_budget
from jixiao.web.models import Document, Role, Status
from jixiao.web.permissions import Decision, allowed, profile_of, role_of
from jixiao.web.store import parsed_document
from jixiao.web.views.common import document_for, plain_number, visible_documents

TARGET_KINDS = ("dept_target", "project_target")


@dataclass(frozen=True)
class TargetFormRef:
    """One target form of a document: its position among the document's target forms and names."""

    index: int
    form: TargetForm

    @property
    def scope(self) -> str:
        return "project" if isinstance(self.form, ProjectTargetDeclaration) else "dept"

    @property
    def label(self) -> str:
        if isinstance(self.form, ProjectTargetDeclaration):
            return f"项目：{self.form.project_name or self.form.title or '（未命名项目）'}"
        return f"部门整体：{self.form.department or self.form.title or '（未命名部门）'}"

    @property
    def budget_text(self) -> str:
        budget, unit = form_budget(self.form)
        return f"{plain_number(budget)} {unit}" if budget is not None else "（未列预算）"


def approved_targets(user: Any) -> QuerySet[Document]:
    """The approved target documents ``user`` may see."""
    return visible_documents(user).filter(status=Status.APPROVED, kind__in=TARGET_KINDS)


def target_forms(document: Document) -> list[TargetFormRef]:
    """The 部门整体 and 项目 target forms of the document's latest version, in order."""
    version = document.versions.order_by("-number").only("id", "readable", "parsed").first()
    if version is None or not version.readable:
        return []
    forms = [
        form
        for form in parsed_document(version).forms
        if isinstance(form, DeptTargetDeclaration | ProjectTargetDeclaration)
    ]
    return [TargetFormRef(index, form) for index, form in enumerate(forms)]


def target_for(user: Any, pk: int) -> tuple[Document, list[TargetFormRef]]:
    """The approved target document ``pk`` with its forms, else ``Http404``."""
    document = document_for(user, pk)
    if document.status != Status.APPROVED or document.kind not in TARGET_KINDS:
        raise Http404("没有已通过审核的绩效目标表")
    forms = target_forms(document)
    if not forms:
        raise Http404("文件中没有绩效目标表")
    return document, forms


def chosen_form(request: HttpRequest, forms: list[TargetFormRef]) -> TargetFormRef:
    """The form ``?form=N`` names (the first by default); ``Http404`` for one that does not exist."""
    raw = request.GET.get("form") or request.POST.get("form") or "0"
    if not str(raw).isdigit() or int(raw) >= len(forms):
        raise Http404("表单不存在")
    return forms[int(raw)]


def may_fill(user: Any, document: Document) -> Decision:
    """Officers of the document's department (and administrators) fill in monitoring and
    self-evaluation; reviewers and viewers only read."""
    seen = allowed(user, "view", document)
    if not seen:
        return seen
    role = role_of(user)
    if role == Role.ADMIN:
        return Decision(True, "系统管理员")
    if role == Role.REVIEWER:
        return Decision(False, "审核人只能查看运行监控和自评，由部门填报人填报")
    if role == Role.VIEWER:
        return Decision(False, "只读查看人不能填报运行监控和自评")
    return Decision(True, "部门填报人可以填报本部门的运行监控和自评")


def sees_overview(user: Any) -> Decision:
    """The overview of every department's lights: reviewers, administrators and viewers who see
    every department."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.REVIEWER):
        return Decision(True, "可查看所有部门")
    profile = profile_of(user)
    if role == Role.VIEWER and (profile is None or profile.department is None):
        return Decision(True, "只读查看人可查看所有部门")
    return Decision(False, "监控总览供财政局审核人查看所有部门；部门填报人请在“运行监控与自评”查看本部门")
