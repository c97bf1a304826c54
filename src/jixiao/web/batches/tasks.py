"""The background task of a batch: one per file, run by ``jixiao worker`` (django-tasks' database
backend). ``enqueue_items`` queues the items of a batch once the transaction that created them
has committed, in one transaction of its own (ten thousand inserts, one commit)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django_tasks import TaskContext, task

from jixiao.web.batches.importer import import_item
from jixiao.web.batches.models import BatchItem


@task(takes_context=True)
def import_file(context: TaskContext, item_id: int) -> str:
    """Import one batch item (idempotent: an item already finished is left as it is). The task's
    workers so far (one more each time a dead worker's task is handed back) count the attempts."""
    return import_item(item_id, attempt=len(context.task_result.worker_ids) or None)


#: The dotted path django-tasks records for ``import_file`` (what recovery looks for).
TASK_PATH = f"{import_file.func.__module__}.{import_file.func.__qualname__}"


def enqueue_now(item_ids: Sequence[int]) -> None:
    """Queue one task per item and remember its id on the item."""
    with transaction.atomic():
        items = list(BatchItem.objects.filter(pk__in=item_ids).only("pk", "task_id"))
        for item in items:
            item.task_id = str(import_file.enqueue(item.pk).id)
        BatchItem.objects.bulk_update(items, ["task_id"], batch_size=500)


def enqueue_items(item_ids: Sequence[int]) -> None:
    """Queue the items once the current transaction commits (at once outside a transaction)."""
    ids = list(item_ids)
    transaction.on_commit(lambda: enqueue_now(ids))
