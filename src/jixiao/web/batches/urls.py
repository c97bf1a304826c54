"""The pages of 批量导入 (namespace ``jixiao_batches``)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "jixiao_batches"

urlpatterns: list[URLPattern] = []
