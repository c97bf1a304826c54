"""Filling the library from stored documents, and the curation that moves uses between entries.

Enters: a ``DocumentVersion`` (its stored parsed model, read back by ``store.parsed_document``).
Leaves: its ``IndicatorUse`` rows, one per indicator and project (``jixiao.library.uses_of``), filed
under the entry of their normalised name (or the entry that name was merged into), and the entries'
figures recomputed by ``jixiao.library`` from their uses.

The library holds the newest version of each document: a new version replaces the uses of the
older ones (a document uploaded three times counts once).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.db.models import Max

from jixiao.library import Entry, Use, uses_of
from jixiao.model.target import Target
from jixiao.web.library.models import IndicatorEntry, IndicatorUse
from jixiao.web.models import AuditEvent, DocumentVersion
from jixiao.web.store import parsed_document

#: How many merge hops are followed from a key to the entry that holds it.
MAX_HOPS = 20

#: Inside ``deferred()`` (a batch import) the figures of the entries a version touches are not
#: recomputed at once: an entry used by thousands of documents would be recomputed from all its
#: uses after each of them. The entries are marked ``stale`` and ``refresh_stale`` does them once.
_DEFERRED: ContextVar[bool] = ContextVar("jixiao_library_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Index versions without recomputing the entries' figures (marked stale instead)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def refresh_stale() -> int:
    """Recompute the figures of the entries marked stale; how many. Two workers finishing a batch
    at once do not both do it: the entries are locked, and the ones another holds are skipped
    (PostgreSQL; SQLite has one writer anyway)."""
    with transaction.atomic():
        stale = IndicatorEntry.objects.select_for_update(skip_locked=True).filter(stale=True)
        ids = list(stale.values_list("pk", flat=True))
        refresh(ids)
    return len(ids)


def _cut(text: str | None, length: int) -> str:
    return (text or "")[:length]


def resolve(entry: IndicatorEntry) -> IndicatorEntry:
    """The entry that holds ``entry``'s uses: itself, or the one it was merged into (transitively)."""
    seen = {entry.pk}
    while entry.merged_into_id is not None and len(seen) < MAX_HOPS:
        entry = IndicatorEntry.objects.get(pk=entry.merged_into_id)
        if entry.pk in seen:
            break
        seen.add(entry.pk)
    return entry


def entry_for(key: str, name: str) -> IndicatorEntry:
    entry, _ = IndicatorEntry.objects.get_or_create(key=key[:300], defaults={"name": _cut(name, 300)})
    return resolve(entry)


def is_latest(version: DocumentVersion) -> bool:
    top = DocumentVersion.objects.filter(document_id=version.document_id).aggregate(top=Max("number"))["top"]
    return top is None or version.number >= top


@transaction.atomic
def index_version(version: DocumentVersion) -> int:
    """File the indicators of ``version`` (when it is its document's newest) in place of the
    document's older versions'; the number of uses stored."""
    if not is_latest(version):
        return 0
    stale = IndicatorUse.objects.filter(version__document_id=version.document_id)
    touched = set(stale.values_list("entry_id", flat=True))
    stale.delete()
    if not version.parsed:
        _changed(touched)
        return 0
    document = parsed_document(version)
    title = version.document.title if version.document_id else document.file
    rows = []
    for position, use in enumerate(uses_of(document, title)):
        entry = entry_for(use.key, use.name)
        touched.add(entry.pk)
        rows.append(
            IndicatorUse(
                entry=entry,
                version=version,
                position=position,
                form=_cut(use.form, 40),
                project_name=_cut(use.project, 300),
                function_code=_cut(use.function_code, 20),
                name=_cut(use.name, 300),
                level1=_cut(use.level1, 100),
                level2=_cut(use.level2, 100),
                target=_cut(use.target.raw, 500),
                printed_direction=_cut(use.direction, 10),
                target_json=use.target.model_dump(mode="json"),
            )
        )
    IndicatorUse.objects.bulk_create(rows)
    _changed(touched)
    return len(rows)


def _changed(entry_ids: set[Any]) -> None:
    """These entries' uses changed: recompute their figures now, or mark them (``deferred``)."""
    if _DEFERRED.get():
        IndicatorEntry.objects.filter(pk__in=entry_ids).update(stale=True)
    else:
        refresh(entry_ids)


def rebuild() -> int:
    """Index the newest version of every document (for data stored before the library existed, or
    after the normalisation changed); curation (names, 共性指标, merges) is kept. Uses stored."""
    latest = DocumentVersion.objects.values("document_id").annotate(top=Max("number"))
    total = 0
    for row in latest.order_by("document_id"):
        version = DocumentVersion.objects.select_related("document").get(
            document_id=row["document_id"], number=row["top"]
        )
        total += index_version(version)
    refresh(IndicatorEntry.objects.values_list("pk", flat=True))
    return total


def library_use(row: IndicatorUse, key: str) -> Use:
    """A stored use as the library's record, filed under ``key`` (its entry's)."""
    return Use(
        name=row.name,
        level1=row.level1 or None,
        level2=row.level2 or None,
        target=Target.model_validate(row.target_json),
        project=row.project_name or None,
        function_code=row.function_code or None,
        source=str(row.version_id),
        form=row.form,
        direction=row.printed_direction or None,
        curated_key=key,
        ref=row.pk,
    )


def refresh(entry_ids: Iterable[Any]) -> None:
    """Recompute the figures of these entries from their uses (``jixiao.library.Entry``); an entry
    left without uses is deleted unless an administrator curated it or other keys point to it.

    The uses are streamed in entry order and each entry is done as soon as its uses are read, so the
    memory held is one entry's uses, not all the uses of a batch (a worker finishing a batch of
    10,000 documents recomputes some 300,000 uses)."""
    ids = sorted({pk for pk in entry_ids if pk is not None})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        entries = {entry.pk: entry for entry in IndicatorEntry.objects.filter(pk__in=chunk)}
        uses = (
            IndicatorUse.objects.filter(entry_id__in=chunk)
            .order_by("entry_id", "version_id", "position")
            .iterator(chunk_size=2000)
        )
        used: set[int] = set()
        for entry_id, rows in groupby(uses, key=attrgetter("entry_id")):
            entry = entries.get(entry_id)
            if entry is None:
                continue
            used.add(entry_id)
            _store_figures(entry, Entry.of(entry.key, [library_use(row, entry.key) for row in rows]))
        for pk, entry in entries.items():
            if pk in used:
                continue
            kept = entry.is_common or entry.curated_name or entry.merged_into_id or entry.merged.exists()
            if kept:
                _store_figures(entry, None)
            else:
                entry.delete()


def _store_figures(entry: IndicatorEntry, figures: Entry | None) -> None:
    if figures is None:
        entry.usage_count = entry.project_count = 0
    else:
        entry.name = _cut(figures.name, 300)
        entry.level1 = _cut(figures.level1, 100)
        entry.level2 = _cut(figures.level2, 100)
        entry.direction = figures.direction or ""
        entry.typical = _cut(figures.typical, 200)
        entry.typical_value = figures.typical_value
        entry.comparator = figures.comparator or ""
        entry.unit = _cut(figures.unit, 50)
        entry.usage_count = figures.usage
        entry.project_count = figures.project_count
    entry.stale = False
    entry.save()


@transaction.atomic
def merge(target: IndicatorEntry, sources: Iterable[IndicatorEntry], actor: Any = None) -> int:
    """Merge ``sources`` into ``target``: their uses move to it (none is lost), they point to it (so
    new uses of their names land there too), and the audit log records it. Uses moved."""
    target = resolve(target)
    moved = 0
    merged: list[dict[str, Any]] = []
    for source in sources:
        if source.pk == target.pk:
            continue
        moved += IndicatorUse.objects.filter(entry=source).update(entry=target)
        IndicatorEntry.objects.filter(merged_into=source).update(merged_into=target)
        merged.append({"id": source.pk, "key": source.key, "name": source.title, "uses": source.usage_count})
        source.merged_into = target
        source.is_common = False
        source.save()
    refresh([target.pk, *(m["id"] for m in merged)])
    if merged:
        AuditEvent.objects.create(
            actor=actor,
            action="library_merge",
            detail={
                "into": {"id": target.pk, "key": target.key, "name": target.title},
                "merged": merged,
                "uses": moved,
            },
        )
    return moved


def record(actor: Any, action: str, entry: IndicatorEntry, **changes: Any) -> None:
    """One curation step in the core audit log (no document: the library is shared)."""
    AuditEvent.objects.create(
        actor=actor, action=action, detail={"entry": {"id": entry.pk, "key": entry.key}, **changes}
    )
