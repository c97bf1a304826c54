"""The indicator library: every indicator of every form, de-duplicated, with suggestions (issue 8)."""

from __future__ import annotations

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "jixiao.web.library"
    label = "jixiao_library"
    verbose_name = "指标库"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jixiao.web.library import signals  # noqa: F401  (connects the post_save receiver)
