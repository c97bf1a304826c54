"""The pages of 运行监控与自评 (namespace ``jixiao_cycle``, mounted at ``/cycle/``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from jixiao.web.cycle import index, monitoring, selfeval

app_name = "jixiao_cycle"

urlpatterns: list[URLPattern] = [
    path("", index.index, name="index"),
    path("overview/", index.overview, name="overview"),
    path("<int:pk>/monitoring/<str:period>/", monitoring.monitoring_page, name="monitoring"),
    path("<int:pk>/monitoring/<str:period>/live/", monitoring.monitoring_live, name="monitoring_live"),
    path("<int:pk>/monitoring/<str:period>/review/", monitoring.monitoring_review, name="monitoring_review"),
    path("<int:pk>/self-evaluation/", selfeval.self_evaluation_page, name="self_evaluation"),
    path("<int:pk>/self-evaluation/live/", selfeval.self_evaluation_live, name="self_evaluation_live"),
    path("<int:pk>/self-evaluation/import/", selfeval.self_evaluation_import, name="self_evaluation_import"),
    path("<int:pk>/self-evaluation/review/", selfeval.self_evaluation_review, name="self_evaluation_review"),
    path(
        "<int:pk>/self-evaluation/<str:what>.<str:fmt>",
        selfeval.self_evaluation_download,
        name="self_evaluation_download",
    ),
]
