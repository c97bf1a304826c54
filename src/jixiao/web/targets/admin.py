"""目标申报草稿 in the Django admin: listed and searchable for administrators (editing is the editor's)."""

from __future__ import annotations

from django.contrib import admin

from jixiao.web.targets.models import TargetDraft


@admin.register(TargetDraft)
class TargetDraftAdmin(admin.ModelAdmin[TargetDraft]):
    list_display = ("title", "department", "year", "kind", "document", "updated_by", "updated_at")
    list_filter = ("kind", "year", "department")
    search_fields = ("title",)
    readonly_fields = (
        "declaration",
        "based_on_draft",
        "based_on_version",
        "document",
        "created_by",
        "updated_by",
    )
