"""The pages of 目标申报 (namespace ``jixiao_targets``)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "jixiao_targets"

urlpatterns: list[URLPattern] = []
