"""URLs: the pages (``jixiao.web.views``), the JSON API at ``/api/`` (OpenAPI at
``/api/openapi.json``) and the Django admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from jixiao.web.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("jixiao.web.views.urls")),
]
