"""运行监控与自评 in the Django admin: listed and searchable for administrators, read-only (what a
department typed is changed by the department, through its pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jixiao.web.cycle.models import MonitoringReport, SelfEvaluationDraft


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MonitoringReport)
class MonitoringReportAdmin(_ReadOnly):
    list_display = ("document", "form_index", "period", "status", "updated_by", "updated_at", "submitted_at")
    list_filter = ("period", "status")
    search_fields = ("document__title", "document__department__name")


@admin.register(SelfEvaluationDraft)
class SelfEvaluationDraftAdmin(_ReadOnly):
    list_display = (
        "document",
        "form_index",
        "ruleset",
        "total",
        "grade",
        "status",
        "updated_by",
        "updated_at",
    )
    list_filter = ("status",)
    search_fields = ("document__title", "document__department__name")
