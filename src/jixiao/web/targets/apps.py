from __future__ import annotations

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "jixiao.web.targets"
    label = "jixiao_targets"
    verbose_name = "目标申报"
    default_auto_field = "django.db.models.BigAutoField"
