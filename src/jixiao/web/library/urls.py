"""The pages of 指标库 (namespace ``jixiao_library``)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "jixiao_library"

urlpatterns: list[URLPattern] = []
