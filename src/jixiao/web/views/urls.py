"""The pages' URLs (namespace ``jixiao``)."""

from __future__ import annotations

from django.urls import path

from jixiao.web.views import auth, documents, findings, home, stats, uploads

app_name = "jixiao"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("", home.home, name="home"),
    path("upload/", uploads.upload_documents, name="upload"),
    path("documents/<int:pk>/", documents.document_page, name="document"),
    path("documents/<int:pk>/upload/", uploads.upload_version, name="upload_version"),
    path("documents/<int:pk>/findings/", findings.findings_panel, name="findings"),
    path("documents/<int:pk>/comment/", documents.add_comment, name="comment"),
    path("documents/<int:pk>/transition/<str:action>/", documents.transition, name="transition"),
    path("documents/<int:pk>/versions/<int:number>/download/", documents.download, name="download"),
    path(
        "documents/<int:pk>/versions/<int:number>/render/<str:fmt>/", documents.render_version, name="render"
    ),
    path("documents/<int:pk>/versions/<int:number>/dismiss/", findings.dismiss, name="dismiss"),
    path("dismissals/", stats.dismissal_stats, name="stats"),
]
