"""The home page, by role: the reviewer's 待审核 inbox and every document with filters; the
officer's department documents with the returned ones on top (with the return comment) and the
upload form; the viewer's list. Counts per status above.

Enters: the user and the filters in the query string (``department``, ``status``, ``kind``,
``page``). Leaves: the page, or only the document list when htmx asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.summary import KIND_NAMES
from jixiao.web.models import AuditEvent, Document, DocumentVersion, Role, Status
from jixiao.web.pending import pending
from jixiao.web.permissions import allowed, profile_of, role_of
from jixiao.web.views.common import kind_name, visible_departments, visible_documents

PAGE_SIZE = 50


def status_counts(documents: QuerySet[Document]) -> list[dict[str, Any]]:
    counted = dict(documents.order_by().values_list("status").annotate(n=Count("id")))
    return [
        {"status": value, "label": label, "count": counted.get(value, 0)} for value, label in Status.choices
    ]


def _filtered(
    request: HttpRequest, documents: QuerySet[Document]
) -> tuple[QuerySet[Document], dict[str, str]]:
    chosen = {
        "department": str(request.GET.get("department", "")),
        "status": str(request.GET.get("status", "")),
        "kind": str(request.GET.get("kind", "")),
    }
    if chosen["department"].isdigit():
        documents = documents.filter(department_id=int(chosen["department"]))
    else:
        chosen["department"] = ""
    if chosen["status"] in Status.values:
        documents = documents.filter(status=chosen["status"])
    else:
        chosen["status"] = ""
    if chosen["kind"] in KIND_NAMES or chosen["kind"] == "unknown":
        documents = documents.filter(kind=chosen["kind"])
    else:
        chosen["kind"] = ""
    return documents, chosen


@dataclass(frozen=True)
class Latest:
    """The figures of a document's newest version the lists show."""

    number: int
    errors: int
    warnings: int


def with_latest(documents: QuerySet[Document]) -> QuerySet[Document]:
    """``documents`` with their newest version's number and counts, in the same query."""
    newest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    return documents.annotate(
        latest_number=Subquery(newest.values("number")[:1]),
        latest_errors=Subquery(newest.values("errors")[:1]),
        latest_warnings=Subquery(newest.values("warnings")[:1]),
    )


def rows(documents: Any) -> list[dict[str, Any]]:
    """One line per document: its latest version's figures beside it (annotated by
    ``with_latest``; a document without them asks the database, one query)."""
    out = []
    for document in documents:
        number = getattr(document, "latest_number", None)
        if number is not None:
            latest: Latest | None = Latest(number, document.latest_errors or 0, document.latest_warnings or 0)
        else:
            stored = document.latest if not hasattr(document, "latest_number") else None
            latest = Latest(stored.number, stored.errors, stored.warnings) if stored is not None else None
        out.append({"document": document, "kind": kind_name(document.kind), "latest": latest})
    return out


def returned(documents: QuerySet[Document]) -> list[dict[str, Any]]:
    """The returned documents with the comment they were returned with (the latest return)."""
    last_return = AuditEvent.objects.filter(document=OuterRef("pk"), action="return").order_by("-at", "-id")
    listed = list(
        documents.filter(status=Status.RETURNED)
        .annotate(return_event=Subquery(last_return.values("id")[:1]))
        .order_by("updated_at")
    )
    ids = [d.return_event for d in listed if d.return_event is not None]
    events = AuditEvent.objects.select_related("actor").in_bulk(ids) if ids else {}
    out = []
    for document in listed:
        event = events.get(document.return_event)
        detail = event.detail if event is not None and isinstance(event.detail, dict) else {}
        out.append(
            {
                "document": document,
                "comment": detail.get("comment", ""),
                "by": event.actor if event is not None else None,
                "at": event.at if event is not None else None,
            }
        )
    return out


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = role_of(user)
    profile = profile_of(user)
    documents = visible_documents(user)
    listed, chosen = _filtered(request, documents)
    page = Paginator(with_latest(listed).order_by("-updated_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "role": role,
        "role_label": Role(role).label if role else "未分配角色",
        "department": profile.department if profile is not None else None,
        "counts": status_counts(documents),
        "page": page,
        "rows": rows(page.object_list),
        "chosen": chosen,
        "departments": visible_departments(user),
        "statuses": Status.choices,
        "kinds": [*KIND_NAMES.items(), ("unknown", "未识别")],
        "can_upload": bool(allowed(user, "upload", None)),
        "inbox": [],
        "returned": [],
        "pending": pending(user),
    }
    if role in (Role.ADMIN, Role.REVIEWER):
        waiting = documents.filter(status__in=(Status.SUBMITTED, Status.RESUBMITTED)).order_by(
            "updated_at", "id"
        )
        context["inbox"] = rows(with_latest(waiting))
    if role == Role.OFFICER:
        context["returned"] = returned(documents)
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "document-list":
        return render(request, "jixiao/partials/document_list.html", context)
    return render(request, "jixiao/home.html", context)
