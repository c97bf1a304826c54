from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jixiao.web.dashboard"
    label = "jixiao_dashboard"
    verbose_name = "财政局看板"
    default_auto_field = "django.db.models.BigAutoField"
