"""Start a batch: every received file becomes one item (a file refused at once — empty, too large,
of a type Jixiao does not read, a zip bomb — is an item failed with its code and reason), and each
item waiting for import gets its background task once the batch is committed.

A bureau-wide batch (``department`` None) puts each file into the department it names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.web.batches.importer import refusal_code
from jixiao.web.batches.intake import Refused, entries
from jixiao.web.batches.models import Batch, BatchItem, ItemStatus
from jixiao.web.batches.tasks import enqueue_items
from jixiao.web.models import Department
from jixiao.web.store import UploadError, check_file

CHUNK = 200


def _item(batch: Batch, position: int, entry: Any) -> BatchItem:
    if isinstance(entry, Refused):
        return BatchItem(
            batch=batch, position=position, name=entry.name, size=0, status=ItemStatus.FAILED,
            code=entry.code, message=entry.message, finished_at=timezone.now(),
        )  # fmt: skip
    item = BatchItem(
        batch=batch, position=position, name=entry.name, folder=entry.folder,
        sha256=hashlib.sha256(entry.data).hexdigest(), size=len(entry.data), content=entry.data,
    )  # fmt: skip
    try:
        check_file(entry.name, entry.data)
    except UploadError as exc:
        item.status, item.content, item.finished_at = ItemStatus.FAILED, None, timezone.now()
        item.code, item.message = refusal_code(entry.name, entry.data), exc.reason
    return item


def start_batch(
    user: Any, department: Department | None, name: str, files: Iterable[tuple[str, bytes]]
) -> Batch:
    """A new batch of ``files`` (name as sent, bytes), its items queued for import."""
    with transaction.atomic():
        batch = Batch.objects.create(name=name[:200] or "批量导入", started_by=user, department=department)
        queued: list[int] = []
        chunk: list[BatchItem] = []
        position = 0

        def flush() -> None:
            created = BatchItem.objects.bulk_create(chunk)
            queued.extend(i.pk for i in created if i.status == ItemStatus.QUEUED)
            chunk.clear()

        for entry in entries(files):
            chunk.append(_item(batch, position, entry))
            position += 1
            if len(chunk) >= CHUNK:
                flush()
        flush()
        batch.total = position
        batch.save(update_fields=["total"])
        enqueue_items(queued)
    return batch


def rerun(batch: Batch) -> int:
    """Queue again the items not imported yet and the failed ones whose bytes are kept (the others
    are finished: running them again would give the same version); how many were queued."""
    with transaction.atomic():
        retry = batch.items.filter(status=ItemStatus.FAILED, content__isnull=False)
        retry.update(status=ItemStatus.QUEUED, code="", message="", finished_at=None)
        ids = list(
            batch.items.filter(status__in=[ItemStatus.QUEUED, ItemStatus.RUNNING]).values_list(
                "pk", flat=True
            )
        )
        enqueue_items(ids)
    return len(ids)
