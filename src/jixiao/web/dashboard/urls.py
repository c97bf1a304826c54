"""The pages of 财政局看板 (namespace ``jixiao_dashboard``), mounted at ``/dashboard/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from jixiao.web.dashboard import views

app_name = "jixiao_dashboard"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard_page, name="dashboard"),
    path("figures/<str:key>.xlsx", views.figure_xlsx, name="figure_xlsx"),
    path("figures/<str:key>/table/", views.figure_table, name="figure_table"),
    path("documents/", views.document_list, name="documents"),
    path("worksheet.xlsx", views.worksheet, name="worksheet"),
    path("report.<str:fmt>", views.report, name="report"),
]
