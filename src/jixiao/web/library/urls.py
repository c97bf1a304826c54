"""The pages of 指标库 (namespace ``jixiao_library``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from jixiao.web.library import views

app_name = "jixiao_library"

urlpatterns: list[URLPattern] = [
    path("", views.entry_list, name="list"),
    path("<int:pk>/", views.entry_detail, name="entry"),
    path("suggest/", views.suggest, name="suggest"),
    path("duplicates/", views.duplicates, name="duplicates"),
]
