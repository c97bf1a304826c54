"""The pages of 批量导入 (namespace ``jixiao_batches``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from jixiao.web.batches import views

app_name = "jixiao_batches"

urlpatterns: list[URLPattern] = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_start, name="start"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/rerun/", views.batch_rerun, name="rerun"),
    path("<int:pk>/worksheet.xlsx", views.batch_worksheet, name="worksheet"),
]
