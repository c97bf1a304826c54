"""The Django admin of 指标库: administrators curate entries — merge selected entries into one (the
uses move, nothing is lost), rename (``curated_name``), mark or unmark 共性指标 — and every change
goes into the core audit log (``AuditEvent``, without a document). Uses are read-only: they come
from stored documents only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from jixiao.web.library.index import merge, record
from jixiao.web.library.models import IndicatorEntry, IndicatorUse


class UseInline(admin.TabularInline):  # type: ignore[type-arg]
    model = IndicatorUse
    extra = 0
    can_delete = False
    fields = ("version", "project_name", "name", "level1", "level2", "target")
    readonly_fields = fields
    verbose_name_plural = "使用情况（来自已上传的文件，只读）"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=IndicatorEntry.objects.none(), widget=forms.RadioSelect, label="合并到", empty_label=None
    )


@admin.register(IndicatorEntry)
class IndicatorEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "title",
        "level1",
        "level2",
        "usage_count",
        "typical",
        "unit",
        "direction",
        "is_common",
        "merged_into",
    )
    list_filter = ("is_common", "direction", "level1", ("merged_into", admin.EmptyFieldListFilter))
    search_fields = ("key", "name", "curated_name")
    list_select_related = ("merged_into",)
    fields = (
        "key",
        "name",
        "curated_name",
        "is_common",
        "merged_into",
        "level1",
        "level2",
        "direction",
        "typical",
        "unit",
        "usage_count",
        "project_count",
        "updated_at",
    )
    readonly_fields = (
        "key",
        "name",
        "merged_into",
        "level1",
        "level2",
        "direction",
        "typical",
        "unit",
        "usage_count",
        "project_count",
        "updated_at",
    )
    inlines = (UseInline,)
    actions = ("merge_entries", "mark_common", "unmark_common")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries come from documents; an administrator curates them

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uses would be lost: merge instead

    @admin.display(description="名称", ordering="name")
    def title(self, obj: IndicatorEntry) -> str:
        return obj.title

    def save_model(self, request: HttpRequest, obj: IndicatorEntry, form: Any, change: bool) -> None:
        row = IndicatorEntry.objects.filter(pk=obj.pk).values("curated_name", "is_common").first()
        before: dict[str, Any] = dict(row) if row else {}
        super().save_model(request, obj, form, change)
        if before.get("curated_name", "") != obj.curated_name:
            record(
                request.user,
                "library_rename",
                obj,
                before=before.get("curated_name", "") or obj.name,
                after=obj.curated_name or obj.name,
            )
        if before.get("is_common", False) != obj.is_common:
            record(request.user, "library_common", obj, is_common=obj.is_common)

    @admin.action(description="合并所选指标（使用记录并入一个指标）")
    def merge_entries(self, request: HttpRequest, queryset: QuerySet[IndicatorEntry]) -> HttpResponse | None:
        chosen = queryset.filter(merged_into__isnull=True).order_by("-usage_count", "pk")
        if chosen.count() < 2:
            self.message_user(request, "请至少选择两个未合并的指标", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None)
        form.fields["target"].queryset = chosen  # type: ignore[attr-defined]
        if "apply" in request.POST and form.is_valid():
            target: IndicatorEntry = form.cleaned_data["target"]
            sources = [e for e in chosen if e.pk != target.pk]
            moved = merge(target, sources, request.user)
            names = "、".join(e.title for e in sources)
            self.message_user(request, f"已将 {names} 合并到“{target.title}”，{moved} 条使用记录随之并入")
            return None
        if "apply" not in request.POST:
            form.initial["target"] = chosen.first()
        context = {
            **self.admin_site.each_context(request),
            "title": "合并指标",
            "entries": chosen,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "jixiao_library/admin_merge.html", context)

    @admin.action(description="标记为共性指标")
    def mark_common(self, request: HttpRequest, queryset: QuerySet[IndicatorEntry]) -> None:
        self._set_common(request, queryset, True)

    @admin.action(description="取消共性指标标记")
    def unmark_common(self, request: HttpRequest, queryset: QuerySet[IndicatorEntry]) -> None:
        self._set_common(request, queryset, False)

    def _set_common(self, request: HttpRequest, queryset: QuerySet[IndicatorEntry], value: bool) -> None:
        changed = 0
        for entry in queryset.exclude(is_common=value):
            entry.is_common = value
            entry.save(update_fields=["is_common", "updated_at"])
            record(request.user, "library_common", entry, is_common=value)
            changed += 1
        self.message_user(request, f"已{'标记' if value else '取消'} {changed} 个共性指标")


@admin.register(IndicatorUse)
class IndicatorUseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "project_name", "entry", "target", "version")
    list_select_related = ("entry", "version__document")
    search_fields = ("name", "project_name", "entry__key")
    fields = (
        "entry",
        "version",
        "position",
        "form",
        "project_name",
        "function_code",
        "name",
        "level1",
        "level2",
        "target",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
