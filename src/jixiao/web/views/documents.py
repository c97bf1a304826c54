"""The document page and what is done from it: downloads, rendered outputs, comments, workflow.

Enters: a document id (and ``?version=N``), POSTs for a comment, a transition (submit, resubmit,
return, approve) or a new version. Leaves: the page (header, versions, the form laid out with the
findings on its rows, findings panel, score sheets, comments, buttons, audit log), the original
bytes of a version, an output rendered by ``jixiao.render.pipeline.render`` and redirects with
messages. A document the user may not see is a 404; an action not allowed a 403 with the reason.
"""

from __future__ import annotations

import re
from typing import Any, get_args
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jixiao.render.errors import RenderError
from jixiao.render.pipeline import Format
from jixiao.render.pipeline import render as render_output
from jixiao.web.models import AuditEvent, Comment, Document, DocumentVersion, Status
from jixiao.web.permissions import ACTION_NAMES, Action, allowed
from jixiao.web.store import parsed_document
from jixiao.web.views.common import (
    EVENT_NAMES,
    acting_user,
    document_for,
    file_size,
    forbidden,
    kind_name,
    version_of,
)
from jixiao.web.views.findings import build_panel, positions_of, version_dismissals, version_findings
from jixiao.web.views.formcache import rendered_form
from jixiao.web.workflow import TRANSITIONS, WorkflowError, move

FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
    "html": ("网页", "text/html; charset=utf-8"),
}
assert set(FORMATS) == set(get_args(Format)), "keep FORMATS in step with jixiao.render.pipeline"


def attachment(data: bytes, name: str, fallback: str, content_type: str) -> HttpResponse:
    """``data`` as a download named ``name``: an ASCII ``filename`` (only letters, digits, ``.-_``)
    for old clients and the real name as RFC 5987 ``filename*``; never a header injection."""
    response = HttpResponse(data, content_type=content_type)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback).strip("._") or "download"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _suffix(name: str) -> str:
    match = re.search(r"\.([A-Za-z0-9]{1,8})$", name)
    return f".{match.group(1).lower()}" if match else ""


def _page_url(document: Document, version: DocumentVersion | None = None, anchor: str = "") -> str:
    url = reverse("jixiao:document", args=[document.pk])
    if version is not None:
        url += f"?version={version.number}"
    return url + (f"#{anchor}" if anchor else "")


def event_detail(event: AuditEvent) -> str:
    """One line saying what an audit event changed, in Chinese."""
    detail: dict[str, Any] = event.detail if isinstance(event.detail, dict) else {}
    parts: list[str] = []
    if event.action == "upload":
        parts.append(f"第{detail.get('version')}版 {detail.get('file', '')}")
        if isinstance(detail.get("size"), int):
            parts.append(file_size(detail["size"]))
    elif event.action in TRANSITIONS:
        before, after = detail.get("from"), detail.get("to")
        if before and after:
            parts.append(f"{Status(before).label} → {Status(after).label}")
        if detail.get("version"):
            parts.append(f"第{detail['version']}版")
        if detail.get("comment"):
            parts.append(f"意见：{detail['comment']}")
    elif event.action == "dismiss":
        parts.append(f"第{detail.get('version')}版 {detail.get('code', '')} 理由：{detail.get('reason', '')}")
    elif event.action == "comment":
        anchor = detail.get("anchor")
        parts.append((f"[{anchor}] " if anchor else "") + str(detail.get("text", ""))[:200])
    elif detail.get("what"):  # 运行监控 / 自评 review steps (jixiao.web.cycle.review)
        parts.append(str(detail["what"]))
        if detail.get("comment"):
            parts.append(f"意见：{detail['comment']}")
    else:
        parts.append(str(detail)[:200])
    return "；".join(p for p in parts if p)


def workflow_buttons(user: Any, document: Document) -> list[dict[str, Any]]:
    """The transitions ``allowed`` lets ``user`` make now (the buttons shown)."""
    actions: tuple[Action, ...] = ("submit", "resubmit", "return", "approve")
    return [
        {"action": action, "name": ACTION_NAMES[action], "needs_comment": action == "return"}
        for action in actions
        if allowed(user, action, document)
    ]


#: What the page never reads of a version: the bytes (downloads read them), the parsed model and
#: the score sheets (read only when the grid is not cached).
PAGE_DEFERRED = ("content", "parsed", "scores")
#: What the versions table never reads.
LIST_DEFERRED = ("content", "parsed", "audit", "scores")


@login_required
@require_GET
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for(request.user, pk)
    version = version_of(document, request.GET.get("version"), defer=PAGE_DEFERRED)
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "findings":
        from jixiao.web.views.findings import panel_response

        return panel_response(request, document, version)
    findings = version_findings(version)
    dismissals = version_dismissals(version)
    form = rendered_form(version, findings, positions_of(findings, dismissals), dismissals)
    listed = list(document.versions.select_related("uploaded_by").defer(*LIST_DEFERRED).order_by("-number"))
    versions = [{"version": v, "size": file_size(v.size), "short": v.sha256[:12]} for v in listed]
    events = [
        {"event": e, "name": EVENT_NAMES.get(e.action, e.action), "detail": event_detail(e)}
        for e in AuditEvent.objects.filter(document=document).select_related("actor")
    ]
    latest = listed[0] if listed else None
    comments = (
        Comment.objects.filter(document=document)
        .select_related("author", "version")
        .defer(*(f"version__{name}" for name in LIST_DEFERRED))
    )
    context = {
        "document": document,
        "version": version,
        "is_latest": latest is not None and latest.pk == version.pk,
        "kind": kind_name(document.kind),
        "versions": versions,
        "form": form,
        "panel": build_panel(request, document, version, findings, dismissals, form.anchors),
        "formats": [(key, label) for key, (label, _) in FORMATS.items()],
        "comments": comments,
        "can_comment": bool(allowed(request.user, "comment", document)),
        "can_upload": bool(allowed(request.user, "upload", document)),
        "buttons": workflow_buttons(request.user, document),
        "events": events,
    }
    return render(request, "jixiao/document.html", context)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The bytes of version ``number`` exactly as uploaded."""
    document = document_for(request.user, pk)
    version = version_of(document, number)
    fallback = f"jixiao-{document.pk}-v{version.number}{_suffix(version.original_name)}"
    return attachment(bytes(version.content), version.original_name, fallback, "application/octet-stream")


@login_required
@require_GET
def render_version(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    """Version ``number`` generated as xlsx/docx/pdf/html by the library's render pipeline."""
    document = document_for(request.user, pk)
    version = version_of(document, number)
    if fmt not in FORMATS:
        raise Http404("不支持的格式")
    try:
        data = render_output(parsed_document(version), fmt)  # type: ignore[arg-type]
    except RenderError as exc:
        messages.error(request, f"无法生成{FORMATS[fmt][0]}：{exc.message}")
        return redirect(_page_url(document, version, "outputs"))
    name = f"{document.title}（第{version.number}版）.{fmt}"
    return attachment(data, name, f"jixiao-{document.pk}-v{version.number}.{fmt}", FORMATS[fmt][1])


@login_required
@require_POST
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment on the document, optionally on one row or cell (``anchor``)."""
    document = document_for(request.user, pk)
    decision = allowed(request.user, "comment", document)
    if not decision:
        return forbidden(request, decision.reason)
    version = version_of(document, request.POST.get("version"))
    text = str(request.POST.get("text", "")).strip()
    anchor = str(request.POST.get("anchor", "")).strip()[:200]
    if not text:
        messages.error(request, "请填写意见内容")
        return redirect(_page_url(document, version, "comments"))
    Comment.objects.create(
        document=document, version=version, anchor=anchor, author=acting_user(request), text=text
    )
    AuditEvent.objects.create(
        actor=acting_user(request),
        document=document,
        action="comment",
        detail={"version": version.number, "anchor": anchor, "text": text[:500]},
    )
    messages.success(request, "意见已保存")
    return redirect(_page_url(document, version, "comments"))


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, resubmit, return (with a comment) or approve, through ``workflow.move``. Refused:
    403 with the reason when the person may not, 409 when the document's state does not allow it
    (already approved, changed by someone else meanwhile); a return without a comment is sent
    back to the page with a message."""
    document = document_for(request.user, pk)
    if action not in TRANSITIONS:
        raise Http404("未知的操作")
    wanted: Action = action  # type: ignore[assignment]
    try:
        move(document, wanted, request.user, str(request.POST.get("comment", "")))
    except WorkflowError as exc:
        if exc.kind == "forbidden":
            return forbidden(request, exc.reason)
        if exc.kind == "invalid":
            messages.error(request, f"{ACTION_NAMES[action]}未完成：{exc.reason}")
            return redirect(_page_url(document))
        document.refresh_from_db(fields=["status"])
        context = {
            "reason": exc.reason,
            "action": ACTION_NAMES[action],
            "state": f"文件《{document.title}》当前状态为“{document.get_status_display()}”。",
            "page": _page_url(document),
            "what": "文件",
            "home": reverse("jixiao:home"),
            "home_label": "首页",
        }
        return render(request, "jixiao/conflict.html", context, status=exc.http_status)
    messages.success(request, f"已{ACTION_NAMES[action]}，文件状态为“{Status(document.status).label}”")
    return redirect(_page_url(document))
