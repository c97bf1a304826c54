"""The pages of 运行监控与自评 (namespace ``jixiao_cycle``)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "jixiao_cycle"

urlpatterns: list[URLPattern] = []
