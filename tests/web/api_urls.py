"""A test-only URL configuration: the JSON API alone at ``/api/`` (independent of the pages)."""

from __future__ import annotations

from django.urls import path

from jixiao.web.api import api

urlpatterns = [path("api/", api.urls)]
