from __future__ import annotations

from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "jixiao.web.cycle"
    label = "jixiao_cycle"
    verbose_name = "运行监控与自评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jixiao.web.cycle.index import pending
        from jixiao.web.pending import register

        register(pending)  # the home page's count of monitoring and self-evaluation work
