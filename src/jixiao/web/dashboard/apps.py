"""The finance bureau's dashboard per year and region, and the batch exports (issue 9)."""

from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jixiao.web.dashboard"
    label = "jixiao_dashboard"
    verbose_name = "财政局看板"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jixiao.web.dashboard import signals  # noqa: F401  (connects the receivers)
