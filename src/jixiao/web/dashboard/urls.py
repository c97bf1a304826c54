"""The pages of 财政局看板 (namespace ``jixiao_dashboard``)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "jixiao_dashboard"

urlpatterns: list[URLPattern] = []
