"""批量导入 in the Django admin: batches with their items, read only (imports happen in tasks)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jixiao.web.batches.models import Batch, BatchItem, WorkerBeat


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnly):
    list_display = ("name", "department", "started_by", "started_at", "total")
    list_filter = ("department",)


@admin.register(BatchItem)
class BatchItemAdmin(ReadOnly):
    list_display = ("name", "batch", "status", "code", "attempts", "seconds")
    list_filter = ("status",)
    exclude = ("content",)


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnly):
    list_display = ("worker_id", "host", "pid", "started_at", "seen_at")
