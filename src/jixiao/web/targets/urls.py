"""The pages of 目标申报 (namespace ``jixiao_targets``)."""

from __future__ import annotations

from django.urls import path

from jixiao.web.targets import views

app_name = "jixiao_targets"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.new_draft, name="new"),
    path("<int:pk>/", views.editor, name="editor"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/check/<int:index>/", views.check_row, name="check"),
    path("<int:pk>/level2/<int:index>/", views.level2_options, name="level2"),
    path("<int:pk>/totals/", views.totals, name="totals"),
    path("<int:pk>/insert/", views.insert, name="insert"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/import/", views.import_file, name="import"),
]
