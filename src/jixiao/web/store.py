"""Uploads and what the library makes of them: each file kept byte for byte as a new version, read,
audited and scored by the library (never re-implemented here), the results stored as JSON.

``upload`` refuses files that are too large or of a type Jixiao does not read, with a clear
message; recognises a file identical to a version already stored (by SHA-256) and keeps no copy;
and never uses the uploaded name as a path (the bytes go into the database).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from jixiao.checks.engine import audit_documents
from jixiao.ingest.load import load_bytes
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Severity
from jixiao.report.score import score_document
from jixiao.summary import KIND_NAMES
from jixiao.web.models import AuditEvent, Department, Document, DocumentVersion, Status
from jixiao.web.permissions import allowed

#: File types Jixiao reads (``jixiao.ingest``).
ACCEPTED = (".txt", ".md", ".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".html", ".htm", ".json")


class UploadError(Exception):
    """An upload refused, with the reason in Chinese (file name included)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Uploaded:
    document: Document
    version: DocumentVersion
    duplicate: bool  # the same bytes as a version already stored: nothing new was kept


def safe_name(name: str) -> str:
    """The uploaded name without any folder part, for display only (never used as a path)."""
    base = PurePath(name.replace("\\", "/")).name.strip() or "未命名文件"
    return "".join(ch for ch in base if ch.isprintable())[:200]


def check_file(name: str, data: bytes) -> None:
    """Refuse a file that is empty, too large or of a type Jixiao does not read."""
    if not data:
        raise UploadError(f"文件为空（0 字节）：{name}")
    limit = settings.MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UploadError(f"文件过大：{name}（{len(data) / 1048576:.1f} MB，上限 {limit // 1048576} MB）")
    if not name.lower().endswith(ACCEPTED):
        shown = "、".join(ext.lstrip(".") for ext in ACCEPTED)
        raise UploadError(f"不支持的文件类型：{name}（支持 {shown}）")


def analyse(name: str, data: bytes) -> tuple[ParsedDocument, dict[str, Any], list[dict[str, Any]]]:
    """The library's reading, audit and score sheets of one file, as stored (JSON)."""
    document, source = load_bytes(data, name)
    report = audit_documents([document], [source])
    sheets = score_document(document, source) if document.readable else []
    return (
        document,
        report.documents[0].model_dump(mode="json"),
        [sheet.model_dump(mode="json") for sheet in sheets],
    )


def _title(document: ParsedDocument, name: str) -> str:
    for form in document.forms:
        title = getattr(form, "title", None)
        if title:
            return str(title)[:300]
    return PurePath(name).stem[:300] or KIND_NAMES.get(document.kind, "文件")


def _year(document: ParsedDocument) -> int | None:
    for form in document.forms:
        year = getattr(form, "year", None)
        if isinstance(year, int):
            return year
    return None


def upload(
    user: Any,
    department: Department,
    name: str,
    data: bytes,
    document: Document | None = None,
    analysed: tuple[ParsedDocument, dict[str, Any], list[dict[str, Any]]] | None = None,
) -> Uploaded:
    """Keep ``data`` as a new version of ``document`` (a new document of ``department`` when None).
    ``analysed`` is ``analyse(name, data)`` when the caller already has it (it read the file to
    find the department)."""
    name = safe_name(name)
    decision = allowed(user, "upload", document if document is not None else department)
    if not decision:
        raise UploadError(decision.reason)
    check_file(name, data)
    digest = hashlib.sha256(data).hexdigest()
    same = DocumentVersion.objects.filter(sha256=digest, document__department=department)
    if document is not None:
        same = same.filter(document=document)
    existing = same.select_related("document").first()
    if existing is not None:
        return Uploaded(existing.document, existing, duplicate=True)
    parsed, audit, scores = analysed if analysed is not None else analyse(name, data)
    with transaction.atomic():
        return keep(user, department, name, data, (parsed, audit, scores), document)


def keep(
    user: Any,
    department: Department,
    name: str,
    data: bytes,
    analysed: tuple[ParsedDocument, dict[str, Any], list[dict[str, Any]]],
    document: Document | None = None,
    detail: dict[str, Any] | None = None,
) -> Uploaded:
    """Store ``data`` and what the library made of it as the next version of ``document`` (a new
    document of ``department`` when None), with its audit event (``detail`` added to it). Call it
    inside a transaction; the caller has checked the permission, the file and that no identical
    version exists."""
    parsed, audit, scores = analysed
    digest = hashlib.sha256(data).hexdigest()
    severities = [str(f.get("severity")) for f in audit.get("findings", [])]
    if document is None:
        document = Document.objects.create(
            department=department,
            title=_title(parsed, name),
            kind=parsed.kind,
            year=_year(parsed),
            status=Status.DRAFT,
            created_by=user,
        )
    else:  # before the version is created, so that the version's signals see the document as it is
        if parsed.kind != "unknown" and document.kind == "unknown":
            document.kind = parsed.kind
        document.save(update_fields=["kind", "updated_at"])
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        original_name=name,
        sha256=digest,
        size=len(data),
        content=data,
        uploaded_by=user,
        readable=parsed.readable,
        parsed=parsed.model_dump(mode="json"),
        audit=audit,
        scores=scores,
        errors=severities.count(Severity.ERROR.value),
        warnings=severities.count(Severity.WARNING.value),
    )
    AuditEvent.objects.create(
        actor=user,
        document=document,
        action="upload",
        detail={"version": number, "file": name, "sha256": digest, "size": len(data), **(detail or {})},
    )
    return Uploaded(document, version, duplicate=False)


def parsed_document(version: DocumentVersion) -> ParsedDocument:
    """The stored reading of a version, as the library's model again."""
    return ParsedDocument.model_validate(version.parsed)


def finding_key(finding: dict[str, Any]) -> str:
    """A stable identity for a finding within a version: code, first location and message digest."""
    locations = finding.get("locations") or [{}]
    first = locations[0] or {}
    where = "|".join(
        str(first.get(k) or "") for k in ("sheet", "page", "table", "row", "col", "cell", "line")
    )
    digest = hashlib.sha256(str(finding.get("message", "")).encode("utf-8")).hexdigest()[:16]
    return f"{finding.get('code')}|{where}|{digest}"[:300]
