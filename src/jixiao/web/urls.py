"""URLs: the pages (``jixiao.web.views``), the JSON API at ``/api/`` (OpenAPI at
``/api/openapi.json``) and the Django admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from jixiao.web.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("batches/", include("jixiao.web.batches.urls")),
    path("dashboard/", include("jixiao.web.dashboard.urls")),
    path("library/", include("jixiao.web.library.urls")),
    path("targets/", include("jixiao.web.targets.urls")),
    path("cycle/", include("jixiao.web.cycle.urls")),
    path("", include("jixiao.web.views.urls")),
]
