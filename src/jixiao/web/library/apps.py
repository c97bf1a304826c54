from __future__ import annotations

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "jixiao.web.library"
    label = "jixiao_library"
    verbose_name = "指标库"
    default_auto_field = "django.db.models.BigAutoField"
