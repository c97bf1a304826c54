"""Import one batch item: the library reads, audits and scores the file (``store.analyse``), and the
result is kept as a new document version — or recognised as one already stored.

No write happens before the file is read (a batch of text files is bound by commits): the item is
finished in the same transaction that keeps its version. Safe to run twice, and by two workers at
once: an item already finished is left alone, and the
check for an identical version and the creation of the new one happen in one transaction holding
the department's row lock (PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: an exclusive transaction),
so two workers importing the same bytes into one department make one version, not two.

The department is the batch's when it has one; for a bureau-wide batch it is the department of an
identical version already stored, else the one the document names (created when unknown, as
``web/demo.py`` does); a document that names none fails with ``B003``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks_db.utils import exclusive_transaction

from jixiao.ingest.errors import READ_CODES
from jixiao.model.document import ParsedDocument
from jixiao.web import store
from jixiao.web.batches.intake import CODES
from jixiao.web.batches.models import FINISHED, Batch, BatchItem, ItemStatus
from jixiao.web.library import index as library_index
from jixiao.web.models import Department, Document, DocumentVersion
from jixiao.web.store import ACCEPTED, UploadError, analyse, check_file

logger = logging.getLogger(__name__)


class ImportFailure(Exception):
    """An item that cannot be imported: a stable code and the reason in Chinese."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code} {message}")


def refusal_code(name: str, data: bytes) -> str:
    """The read code matching ``store.check_file``'s refusal of this file."""
    if not data:
        return "R001"
    if len(data) > settings.MAX_UPLOAD_BYTES:
        return "R007"
    if not name.lower().endswith(ACCEPTED):
        return "R002"
    return "B099"


def _checked(name: str, data: bytes) -> None:
    try:
        check_file(name, data)
    except UploadError as exc:
        raise ImportFailure(refusal_code(name, data), exc.reason) from exc


def _unreadable(audit: dict[str, Any], name: str) -> ImportFailure:
    for raw in audit.get("findings", []):
        if raw.get("code") in READ_CODES:
            return ImportFailure(str(raw["code"]), str(raw.get("message") or READ_CODES[raw["code"]]))
    return ImportFailure("R011", f"{READ_CODES['R011']}：{name}")


def named_department(parsed: ParsedDocument) -> str | None:
    """The department the document names (its first form that names one)."""
    for form in parsed.forms:
        name = (getattr(form, "department", None) or "").strip()
        if name:
            return name[:200]
    return None


def _department(batch: Batch, parsed: ParsedDocument, digest: str) -> Department:
    if batch.department is not None:
        return batch.department
    known = DocumentVersion.objects.filter(sha256=digest).select_related("document__department").first()
    if known is not None:
        return known.document.department
    name = named_department(parsed)
    if name is None:
        raise ImportFailure("B003", CODES["B003"])
    department, _ = Department.objects.get_or_create(name=name)
    return department


def _finish(item: BatchItem, status: str, started: float, **fields: Any) -> None:
    item.status = status
    item.finished_at = timezone.now()
    item.seconds = round(time.perf_counter() - started, 4)
    for key, value in fields.items():
        setattr(item, key, value)
    changed = ["status", "finished_at", "seconds", "attempts", "started_at", *fields]
    if status in (ItemStatus.DONE, ItemStatus.DUPLICATE):
        item.content = None  # kept in the document version now
        changed.append("content")
    item.save(update_fields=changed)


def _keep(
    item: BatchItem, department: Department, parsed: ParsedDocument, audit: dict[str, Any], scores: list[Any]
) -> tuple[Document, DocumentVersion, bool]:
    """The existing identical version, or a new document with its first version (call locked)."""
    same = DocumentVersion.objects.filter(sha256=item.sha256, document__department=department)
    existing = same.select_related("document").order_by("pk").first()
    if existing is not None:
        return existing.document, existing, True
    kept = store.keep(
        item.batch.started_by,
        department,
        item.name,
        bytes(item.content or b""),
        (parsed, audit, scores),
        detail={"batch": item.batch_id},
    )
    return kept.document, kept.version, False


def import_item(item_id: int, attempt: int | None = None) -> str:
    """Import the item (if not finished yet); its status afterwards. ``attempt``: how many times
    its task was started (a task handed back after its worker died runs again).

    The indicator library's figures are not recomputed per file (an indicator that thousands of
    files use would be recomputed from all its uses after each): the last file of the batch to
    finish recomputes the ones its files touched."""
    with library_index.deferred():
        status = _import(item_id, attempt)
    batch_id = BatchItem.objects.filter(pk=item_id).values_list("batch_id", flat=True).first()
    if (
        batch_id is not None
        and not BatchItem.objects.filter(batch_id=batch_id).exclude(status__in=FINISHED).exists()
    ):
        try:
            library_index.refresh_stale()
        except DatabaseError:  # busy (two workers ending at once on SQLite): the entries stay marked
            logger.warning("指标库统计稍后重算（数据库忙）", exc_info=True)  # and the library's pages do it
    return status


def _import(item_id: int, attempt: int | None) -> str:
    item = BatchItem.objects.select_related("batch__started_by", "batch__department").get(pk=item_id)
    if item.status in FINISHED:
        return str(item.status)
    item.attempts = attempt if attempt is not None else item.attempts + 1
    item.started_at = timezone.now()
    started = time.perf_counter()
    data = bytes(item.content or b"")
    try:
        if hashlib.sha256(data).hexdigest() != item.sha256:
            raise ImportFailure("R004", f"{CODES['R004']}：{item.name}（保存的内容与接收时不一致）")
        _checked(item.name, data)
        parsed, audit, scores = analyse(item.name, data)
        if not parsed.readable:
            raise _unreadable(audit, item.name)
        department = _department(item.batch, parsed, item.sha256)
        with exclusive_transaction():
            Department.objects.select_for_update().filter(pk=department.pk).first()  # the lock
            current = BatchItem.objects.select_for_update().only("status").get(pk=item_id)
            if current.status in FINISHED:  # another worker finished it meanwhile
                return str(current.status)
            document, version, duplicate = _keep(item, department, parsed, audit, scores)
            status = ItemStatus.DUPLICATE if duplicate else ItemStatus.DONE
            _finish(item, status, started, document=document, version=version, code="", message="")
        return str(status)
    except ImportFailure as failure:
        with transaction.atomic():
            _finish(item, ItemStatus.FAILED, started, code=failure.code, message=failure.message)
        return str(ItemStatus.FAILED)
    except DatabaseError:
        # the database is busy or gone (SQLite's lock timeout, a PostgreSQL deadlock or restart):
        # nothing was kept, the task fails, the item stays queued and ``worker.recover`` queues it again
        raise
    except Exception as exc:  # a defect in Jixiao: the item fails, the batch goes on
        with transaction.atomic():
            message = f"{CODES['B099']}：{item.name}（{type(exc).__name__}）"
            _finish(item, ItemStatus.FAILED, started, code="B099", message=message)
        return str(ItemStatus.FAILED)
