"""The JSON API at ``/api/`` (django-ninja; the OpenAPI schema at ``/api/openapi.json``).

In: requests from scripts (``Authorization: Bearer <token>``, tokens from ``POST /api/tokens``) or
from the browser (the Django session, with its CSRF token for changes). Out: JSON — documents the
user may see, their versions, findings, score sheets, comments and audit log — and the original
files. Uploads go through ``jixiao.web.store.upload`` and transitions through
``jixiao.web.workflow.move``; nothing here reads, checks or scores a document itself.

Every error is ``{"code": …, "message": …}`` with the message in Chinese: 401 without a valid token
or session, 403 for an action the user's role does not allow, 404 for a document the user may not
see (whether or not it exists), 409 for an action the document's state does not allow, 400 for a
refused upload, 422 for a malformed request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, NinjaAPI, Schema, UploadedFile
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.params import functions as param
from ninja.renderers import JSONRenderer
from ninja.responses import Status as Reply
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from jixiao.web.models import (
    ApiToken,
    AuditEvent,
    Comment,
    Department,
    Dismissal,
    Document,
    DocumentVersion,
    Status,
)
from jixiao.web.permissions import Action, allowed, profile_of, role_of, sees
from jixiao.web.store import UploadError, finding_key, upload
from jixiao.web.tokens import digest, issue_token, user_for_token
from jixiao.web.workflow import TRANSITIONS, WorkflowError, move

#: The largest id accepted (a 64-bit signed integer): larger ones are refused as malformed.
MAX_ID = 2**63 - 1
#: The largest version number accepted (the column is a positive 32-bit integer).
MAX_VERSION = 2**31 - 1
#: Text without NUL characters (PostgreSQL refuses them in text columns).
NO_NUL = r"^[^\x00]*$"

DocumentId = Annotated[int, param.Path(ge=1, le=MAX_ID)]
VersionNumber = Annotated[int, param.Path(ge=1, le=MAX_VERSION)]
TransitionAction = Literal["submit", "resubmit", "return", "approve"]
StatusValue = Literal["draft", "submitted", "returned", "resubmitted", "approved"]


class ApiError(Exception):
    """An answer other than success: HTTP status, a stable code and the Chinese message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(message)


NOT_FOUND = "文件不存在或无权查看"


# ---------------------------------------------------------------------------------------------------
# Authentication


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``, checked against the stored digests."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return user_for_token(token)


class BrowserSession(SessionAuth):
    """The Django session of a signed-in user; changes need the CSRF token as for any form."""

    def __call__(self, request: HttpRequest) -> Any | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "CSRF 校验失败，请刷新页面后重试")
        return user


class ReadableJSON(JSONRenderer):
    """JSON in UTF-8 with the Chinese text as is (not ``\\uXXXX`` escapes)."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="Jixiao 绩效 API",
    version="1",
    description="预算绩效文件的上传、审核结果、评分与审核流程。令牌认证：Authorization: Bearer <令牌>。",
    auth=[TokenAuth(), BrowserSession()],
    docs_url=None,  # no Swagger page: it would load its scripts from a CDN
    urls_namespace="jixiao-api",
    renderer=ReadableJSON(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthorized", "请先登录，或在 Authorization 头中提供有效的 API 令牌")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", NOT_FOUND)


#: ninja's own HTTP errors (in English) as code and Chinese message.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求内容无法解析（应为 JSON）"),
    403: ("forbidden", "没有权限"),
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = HTTP_ERRORS.get(exc.status_code, (f"http_{exc.status_code}", str(exc)))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_request", "请求参数不正确", detail=exc.errors)


def _user(request: HttpRequest) -> Any:
    """The authenticated user (by token or session)."""
    return request.auth  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------
# Schemas


class ErrorOut(Schema):
    code: str
    message: str


class DepartmentOut(Schema):
    id: int
    name: str


class DocumentSummaryOut(Schema):
    id: int
    title: str
    department: DepartmentOut
    kind: str
    year: int | None
    status: str
    status_label: str
    latest_version: int | None
    errors: int
    warnings: int
    updated_at: datetime


class DocumentPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[DocumentSummaryOut]


class DocumentFilter(Schema):
    status: StatusValue | None = None
    department: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = Field(None, pattern=r"^[a-z_]{1,40}$")
    year: int | None = Field(None, ge=1900, le=2200)
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


class VersionOut(Schema):
    number: int
    original_name: str
    sha256: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    readable: bool
    errors: int
    warnings: int


class FindingOut(Schema):
    key: str
    code: str
    severity: str
    message: str
    locations: list[dict[str, Any]]
    expected: str | None = None
    actual: str | None = None
    suggestion: str | None = None
    dismissed: bool
    dismissal_reason: str | None = None


class CommentOut(Schema):
    id: int
    author: str
    text: str
    anchor: str
    version: int | None
    created_at: datetime


class DocumentDetailOut(Schema):
    id: int
    title: str
    department: DepartmentOut
    kind: str
    year: int | None
    status: str
    status_label: str
    created_at: datetime
    updated_at: datetime
    version: VersionOut | None
    versions: list[VersionOut]
    parsed: dict[str, Any]
    findings: list[FindingOut]
    scores: list[dict[str, Any]]
    comments: list[CommentOut]
    actions: list[str]


class UploadResultOut(Schema):
    name: str
    result: Literal["kept", "duplicate", "refused"]
    reason: str
    document: int | None
    version: int | None


class UploadOut(Schema):
    results: list[UploadResultOut]


class UploadRefusedOut(ErrorOut):
    results: list[UploadResultOut]


class TransitionIn(Schema):
    action: TransitionAction
    comment: str = Field("", max_length=2000, pattern=NO_NUL)


class TransitionOut(Schema):
    id: int
    status: str
    status_label: str


class EventOut(Schema):
    id: int
    at: datetime
    actor: str | None
    action: str
    detail: dict[str, Any]


class TokenIn(Schema):
    name: str = Field("", max_length=100, pattern=NO_NUL)


class TokenOut(Schema):
    id: int
    name: str
    token: str
    created_at: datetime


# ---------------------------------------------------------------------------------------------------
# Helpers


def visible_documents(user: Any) -> QuerySet[Document]:
    """The documents ``user`` may see (``permissions.sees``): all, one department's, or none."""
    documents = Document.objects.select_related("department")
    if not sees(user, None):
        return documents.none()
    if role_of(user) in ("admin", "reviewer"):
        return documents
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    return documents if own is None else documents.filter(department=own)


def _document(user: Any, document_id: int) -> Document:
    """The document if ``user`` may see it; 404 otherwise (never says whether it exists)."""
    document = visible_documents(user).filter(pk=document_id).first()
    if document is None or not allowed(user, "view", document):
        raise ApiError(404, "not_found", NOT_FOUND)
    return document


def _check(user: Any, action: Action, document: Document) -> None:
    """403 when the user's role may not do ``action`` here, 409 when the document's state forbids it."""
    role = allowed(user, action, document.department)
    if not role:
        raise ApiError(403, "forbidden", role.reason)
    state = allowed(user, action, document)
    if not state:
        raise ApiError(409, "conflict", state.reason)


def _version(version: DocumentVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "original_name": version.original_name,
        "sha256": version.sha256,
        "size": version.size,
        "uploaded_by": version.uploaded_by.get_username(),
        "uploaded_at": version.uploaded_at,
        "readable": version.readable,
        "errors": version.errors,
        "warnings": version.warnings,
    }


def _findings(version: DocumentVersion) -> list[dict[str, Any]]:
    """The stored findings of a version, each with its key and whether a reviewer dismissed it."""
    dismissed = {d.key: d.reason for d in Dismissal.objects.filter(version=version)}
    findings = []
    for finding in version.audit.get("findings", []):
        key = finding_key(finding)
        findings.append(
            {
                **finding,
                "key": key,
                "locations": list(finding.get("locations") or []),
                "dismissed": key in dismissed,
                "dismissal_reason": dismissed.get(key),
            }
        )
    return findings


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


# ---------------------------------------------------------------------------------------------------
# Endpoints


@api.get("/documents", response={200: DocumentPageOut, 401: ErrorOut}, summary="文件列表")
def list_documents(request: HttpRequest, filters: Annotated[DocumentFilter, param.Query()]) -> dict[str, Any]:
    """The documents the user may see, newest first, with their latest version's error counts."""
    documents = visible_documents(_user(request))
    if filters.status is not None:
        documents = documents.filter(status=filters.status)
    if filters.department is not None:
        documents = documents.filter(department_id=filters.department)
    if filters.kind is not None:
        documents = documents.filter(kind=filters.kind)
    if filters.year is not None:
        documents = documents.filter(year=filters.year)
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    rows = documents.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_errors=Subquery(latest.values("errors")[:1]),
        latest_warnings=Subquery(latest.values("warnings")[:1]),
    ).values(
        "id",
        "title",
        "department_id",
        "department__name",
        "kind",
        "year",
        "status",
        "updated_at",
        "latest_number",
        "latest_errors",
        "latest_warnings",
    )
    start = (filters.page - 1) * filters.page_size
    items = [
        {
            "id": row["id"],
            "title": row["title"],
            "department": {"id": row["department_id"], "name": row["department__name"]},
            "kind": row["kind"],
            "year": row["year"],
            "status": row["status"],
            "status_label": _status_label(row["status"]),
            "latest_version": row["latest_number"],
            "errors": row["latest_errors"] or 0,
            "warnings": row["latest_warnings"] or 0,
            "updated_at": row["updated_at"],
        }
        for row in rows[start : start + filters.page_size]
    ]
    return {"count": documents.count(), "page": filters.page, "page_size": filters.page_size, "items": items}


@api.post(
    "/documents",
    response={
        200: UploadOut,
        400: UploadRefusedOut | ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="上传文件",
)
def upload_documents(
    request: HttpRequest,
    files: Annotated[list[UploadedFile], param.File()],
    department: Annotated[int | None, param.Form(None, ge=1, le=MAX_ID)] = None,
    document: Annotated[int | None, param.Form(None, ge=1, le=MAX_ID)] = None,
) -> Reply[dict[str, Any]]:
    """Each file kept as a new document of ``department`` (default: the officer's own), or as a new
    version of ``document``; an identical file already stored is recognised, not kept twice."""
    user = _user(request)
    target: Document | None = None
    if document is not None:
        target = _document(user, document)
        if department is not None and department != target.department_id:
            raise ApiError(400, "department_mismatch", "该文件不属于所选部门")
        place = target.department
        _check(user, "upload", target)
    else:
        place = _department(user, department)
        decision = allowed(user, "upload", place)
        if not decision:
            raise ApiError(403, "forbidden", decision.reason)
    results: list[dict[str, Any]] = []
    for uploaded_file in files:
        name = uploaded_file.name or "未命名文件"
        try:
            done = upload(user, place, name, uploaded_file.read(), document=target)
        except UploadError as refused:
            results.append(
                {
                    "name": name,
                    "result": "refused",
                    "reason": refused.reason,
                    "document": None,
                    "version": None,
                }
            )
            continue
        results.append(
            {
                "name": name,
                "result": "duplicate" if done.duplicate else "kept",
                "reason": "与已保存的版本完全相同，未重复保存" if done.duplicate else "",
                "document": done.document.pk,
                "version": done.version.number,
            }
        )
    if results and all(r["result"] == "refused" for r in results):
        message = "；".join(r["reason"] for r in results)
        return Reply(400, {"code": "upload_refused", "message": message, "results": results})
    return Reply(200, {"results": results})


def _department(user: Any, department_id: int | None) -> Department:
    """The department named, or the user's own when none is."""
    if department_id is None:
        profile = profile_of(user)
        if profile is None or profile.department is None:
            raise ApiError(400, "department_required", "请指定部门（department）")
        return profile.department
    place = Department.objects.filter(pk=department_id).first()
    if place is None:
        raise ApiError(404, "not_found", "部门不存在")
    return place


@api.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="文件详情",
)
def get_document(
    request: HttpRequest,
    document_id: DocumentId,
    version: Annotated[int | None, param.Query(None, ge=1, le=MAX_VERSION)] = None,
) -> dict[str, Any]:
    """The document with its latest version (or version ``version``): the stored reading, the
    findings (dismissed or not), the score sheets, all versions, comments and status."""
    user = _user(request)
    document = _document(user, document_id)
    versions = list(document.versions.select_related("uploaded_by").order_by("number"))
    if version is None:
        shown = versions[-1] if versions else None
    else:
        shown = next((v for v in versions if v.number == version), None)
        if shown is None:
            raise ApiError(404, "not_found", f"没有第 {version} 版")
    comments = Comment.objects.filter(document=document).select_related("author", "version")
    return {
        "id": document.pk,
        "title": document.title,
        "department": {"id": document.department.pk, "name": document.department.name},
        "kind": document.kind,
        "year": document.year,
        "status": document.status,
        "status_label": _status_label(document.status),
        "created_at": document.created_at,
        "updated_at": document.updated_at,
        "version": _version(shown) if shown is not None else None,
        "versions": [_version(v) for v in versions],
        "parsed": shown.parsed if shown is not None else {},
        "findings": _findings(shown) if shown is not None else [],
        "scores": shown.scores if shown is not None else [],
        "comments": [
            {
                "id": c.pk,
                "author": c.author.get_username(),
                "text": c.text,
                "anchor": c.anchor,
                "version": c.version.number if c.version is not None else None,
                "created_at": c.created_at,
            }
            for c in comments
        ],
        "actions": [a for a in TRANSITIONS if allowed(user, a, document)],  # type: ignore[arg-type]
    }


@api.get(
    "/documents/{document_id}/versions/{number}/original",
    response={401: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "原文件（按上传时的字节）",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="下载原文件",
)
def get_original(
    request: HttpRequest,
    document_id: DocumentId,
    number: VersionNumber,
) -> HttpResponse:
    """The original file of one version, byte for byte, as an attachment."""
    document = _document(_user(request), document_id)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise ApiError(404, "not_found", f"没有第 {number} 版")
    response = HttpResponse(bytes(version.content), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, version.original_name)
    response["X-Content-SHA256"] = version.sha256
    return response


@api.post(
    "/documents/{document_id}/transitions",
    response={200: TransitionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="提交、重新提交、退回或审核通过",
)
def transition(request: HttpRequest, document_id: DocumentId, body: TransitionIn) -> dict[str, Any]:
    """Move the document through the review workflow (``jixiao.web.workflow.move``)."""
    user = _user(request)
    document = _document(user, document_id)
    _check(user, body.action, document)
    try:
        moved = move(document, body.action, user, body.comment)
    except WorkflowError as refused:
        if body.action == "return" and not body.comment.strip():
            raise ApiError(400, "comment_required", refused.reason) from refused
        raise ApiError(409, "conflict", refused.reason) from refused
    return {"id": moved.pk, "status": moved.status, "status_label": _status_label(moved.status)}


@api.get(
    "/documents/{document_id}/events",
    response={200: list[EventOut], 401: ErrorOut, 404: ErrorOut},
    summary="审计日志",
)
def document_events(request: HttpRequest, document_id: DocumentId) -> list[dict[str, Any]]:
    """Who did what to the document and when, oldest first (the append-only audit log)."""
    document = _document(_user(request), document_id)
    return [
        {
            "id": e.pk,
            "at": e.at,
            "actor": e.actor.get_username() if e.actor is not None else None,
            "action": e.action,
            "detail": e.detail if isinstance(e.detail, dict) else {"value": e.detail},
        }
        for e in AuditEvent.objects.filter(document=document).select_related("actor")
    ]


@api.post(
    "/tokens",
    auth=BrowserSession(),
    response={201: TokenOut, 401: ErrorOut, 403: ErrorOut},
    summary="生成 API 令牌（仅显示一次）",
)
def create_token(request: HttpRequest, body: TokenIn) -> Reply[dict[str, Any]]:
    """A token for scripts, for the signed-in user (from the browser session, not from a token)."""
    user = _user(request)
    if role_of(user) is None:
        raise ApiError(403, "forbidden", "尚未分配角色，不能生成令牌")
    secret = issue_token(user, body.name.strip())
    token = ApiToken.objects.get(digest=digest(secret))
    return Reply(201, {"id": token.pk, "name": token.name, "token": secret, "created_at": token.created_at})
