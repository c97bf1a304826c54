"""The Django admin (``/admin/``) for 系统管理员: departments, people and roles, documents and their
versions, comments, dismissed findings, the audit log and API tokens, in Chinese.

What the workflow and the store guard stays guarded here: a document's status changes only through
the workflow (read-only here), versions are never edited or added by hand (only ``store.upload``
reads, audits and scores a file), the audit log is read-only (no add, change or delete), and API
tokens are issued by ``jixiao.web.tokens`` (only their digest is stored; here they can be revoked).
A person's role and department are edited inline on the user.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from jixiao.summary import KIND_NAMES
from jixiao.web.models import (
    ApiToken,
    AuditEvent,
    Comment,
    Department,
    Dismissal,
    Document,
    DocumentVersion,
    Profile,
)

admin.site.site_header = "Jixiao 绩效 · 系统管理"
admin.site.site_title = "Jixiao 系统管理"
admin.site.index_title = "管理部门、用户和文件"

#: Longest text shown in a list column.
SHORT = 60


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def _json_block(value: Any) -> SafeString:
    """Stored JSON, readable (Chinese as is, indented) and scrollable."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)
    return format_html(
        '<pre style="max-height:32em;overflow:auto;white-space:pre-wrap;margin:0">{}</pre>', text
    )


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Profile
    fk_name = "user"
    can_delete = False
    extra = 0
    min_num = 1
    max_num = 1
    verbose_name = verbose_name_plural = "角色和部门"
    autocomplete_fields = ("department",)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class JixiaoUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = (ProfileInline,)
    list_display = ("username", "role", "department", "is_active", "is_superuser", "last_login")
    list_filter = ("is_active", "is_superuser", "profile__role", "profile__department")
    list_select_related = ("profile", "profile__department")
    search_fields = ("username", "first_name", "last_name", "email", "profile__department__name")

    @admin.display(description="角色", ordering="profile__role")
    def role(self, obj: Any) -> str:
        profile = getattr(obj, "profile", None)  # a user without a profile has no role yet
        return str(profile.get_role_display()) if profile is not None else "—"

    @admin.display(description="部门", ordering="profile__department__name")
    def department(self, obj: Any) -> str:
        profile = getattr(obj, "profile", None)
        if profile is None or profile.department is None:
            return "—"
        return str(profile.department.name)


class MemberInline(ReadOnlyInline):
    model = Profile
    fields = ("user", "role")
    verbose_name = verbose_name_plural = "人员"


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "region", "document_count", "member_count")
    list_filter = ("region",)
    search_fields = ("name", "code", "region")
    inlines = (MemberInline,)

    @admin.display(description="文件数")
    def document_count(self, obj: Department) -> int:
        return obj.documents.count()

    @admin.display(description="人数")
    def member_count(self, obj: Department) -> int:
        return obj.members.count()


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "department")
    list_filter = ("role", "department")
    list_select_related = ("user", "department")
    search_fields = ("user__username", "department__name")
    autocomplete_fields = ("department",)


class VersionInline(ReadOnlyInline):
    model = DocumentVersion
    fields = ("number", "original_name", "size", "sha256", "readable", "errors", "warnings", "uploaded_by")
    readonly_fields = fields
    verbose_name = "版本"
    verbose_name_plural = "版本（只能通过上传新增）"


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ("created_at", "author", "anchor", "text")
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "department", "kind_name", "year", "status", "version_count", "updated_at")
    list_filter = ("status", "kind", "year", "department")
    list_select_related = ("department",)
    search_fields = ("title", "department__name")
    date_hierarchy = "updated_at"
    fields = ("title", "department", "kind", "year", "status", "created_by", "created_at", "updated_at")
    readonly_fields = ("department", "kind", "status", "created_by", "created_at", "updated_at")
    inlines = (VersionInline, CommentInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a document starts with an upload (read, audited and scored by the library)

    @admin.display(description="类型", ordering="kind")
    def kind_name(self, obj: Document) -> str:
        return KIND_NAMES.get(obj.kind, obj.kind)

    @admin.display(description="版本数")
    def version_count(self, obj: Document) -> int:
        return obj.versions.count()


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "original_name", "size", "readable", "errors", "warnings", "uploaded_at")
    list_filter = ("readable", "document__kind", "document__department")
    list_select_related = ("document",)
    search_fields = ("original_name", "sha256", "document__title")
    fields = (
        "document",
        "number",
        "original_name",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "readable",
        "errors",
        "warnings",
        "parsed_json",
        "audit_json",
        "scores_json",
    )
    readonly_fields = fields  # the file and what the library made of it are never edited by hand

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[DocumentVersion]:
        # the bytes are never shown; the JSON is loaded only on the detail page
        return super().get_queryset(request).defer("content", "parsed", "audit", "scores")

    @admin.display(description="读取结果")
    def parsed_json(self, obj: DocumentVersion) -> SafeString:
        return _json_block(obj.parsed)

    @admin.display(description="审核结果")
    def audit_json(self, obj: DocumentVersion) -> SafeString:
        return _json_block(obj.audit)

    @admin.display(description="评分结果")
    def scores_json(self, obj: DocumentVersion) -> SafeString:
        return _json_block(obj.scores)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("document", "anchor", "author", "short_text", "created_at")
    list_filter = ("document__department", "author")
    list_select_related = ("document", "author")
    search_fields = ("text", "anchor", "document__title")
    fields = ("document", "version", "anchor", "author", "text", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments are written on the document page, by the reviewer or the officer

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # part of the review record

    @admin.display(description="意见")
    def short_text(self, obj: Comment) -> str:
        return _short(obj.text)


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "version", "short_reason", "user", "created_at")
    list_filter = ("code", "user")
    list_select_related = ("version__document", "user")
    search_fields = ("code", "reason", "key", "version__document__title")
    fields = ("version", "code", "key", "reason", "user", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a finding is set aside on the document page, with its reason

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the reason given is part of the review record

    @admin.display(description="理由")
    def short_reason(self, obj: Dismissal) -> str:
        return _short(obj.reason)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Append-only: shown, never added, changed or deleted here."""

    list_display = ("at", "actor", "action", "document", "summary")
    list_filter = ("action", "actor")
    list_select_related = ("actor", "document")
    search_fields = ("action", "actor__username", "document__title")
    date_hierarchy = "at"
    fields = ("at", "actor", "action", "document", "detail_json")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="内容")
    def summary(self, obj: AuditEvent) -> str:
        return _short(json.dumps(obj.detail, ensure_ascii=False))

    @admin.display(description="内容")
    def detail_json(self, obj: AuditEvent) -> SafeString:
        return _json_block(obj.detail)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are issued on the user's page (the secret is shown once); here they can be revoked."""

    list_display = ("user", "name", "created_at", "last_used")
    list_filter = ("user",)
    list_select_related = ("user",)
    search_fields = ("user__username", "name")
    fields = ("user", "name", "created_at", "last_used")
    readonly_fields = ("user", "created_at", "last_used")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
