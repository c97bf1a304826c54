"""Keeping the fact tables current: one document at a time (signals), or all of them at once.

``refresh_document(pk)`` rewrites a document's ``DocumentFacts`` and ``FindingCount`` rows from its
latest version (reading that version's JSON once, here, never at page time); ``refresh_status``
only copies the document's own fields when its version did not change (a workflow move);
``ensure_facts()`` fills the rows of documents that have none (data stored before the dashboard
existed), and ``refresh_all()`` rebuilds every row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from jixiao.web.dashboard.extract import facts_of
from jixiao.web.dashboard.models import DocumentFacts, FindingCount
from jixiao.web.models import Document, DocumentVersion

CHUNK = 200


def _latest(document: Document) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(document=document)
        .order_by("-number")
        .only("id", "number", "readable", "parsed", "audit", "scores", "document_id")
        .first()
    )


def refresh_document(pk: int, saved: DocumentVersion | None = None) -> DocumentFacts | None:
    """Rewrite the facts of document ``pk`` from its latest version (None: no such document).
    ``saved``, a version just stored, is used as it is in memory when it is the latest (the
    upload's case: its JSON is not read back from the database)."""
    document = Document.objects.select_related("department").filter(pk=pk).first()
    if document is None:
        DocumentFacts.objects.filter(document_id=pk).delete()
        return None
    newer = (
        saved is not None
        and DocumentVersion.objects.filter(document=document, number__gt=saved.number).exists()
    )
    version = saved if saved is not None and not newer else _latest(document)
    facts = (
        facts_of(version.parsed or {}, version.audit or {}, version.scores or [])
        if version is not None
        else facts_of({}, {}, [])
    )
    with transaction.atomic():
        row, _ = DocumentFacts.objects.update_or_create(
            document=document,
            defaults={
                "department_id": document.department_id,
                "region": document.department.region,
                "year": document.year,
                "kind": document.kind,
                "status": document.status,
                "version": version,
                "version_number": version.number if version is not None else None,
                "readable": version.readable if version is not None else True,
                "budget_fen": facts.budget_fen,
                "score_computed": facts.score_computed,
                "score_reported": facts.score_reported,
                "grade_computed": facts.grade_computed,
                "grade_reported": facts.grade_reported,
                "errors": facts.total("error"),
                "warnings": facts.total("warning"),
                "infos": facts.total("info"),
            },
        )
        FindingCount.objects.filter(facts=row).delete()
        FindingCount.objects.bulk_create(
            FindingCount(
                facts=row, year=document.year, code=code, family=code[:1], severity=severity, count=count
            )
            for (code, severity), count in facts.counts.items()
        )
    return row


def refresh_status(document: Document) -> None:
    """Copy the document's own fields (status, department, year, type) when its latest version is
    the one the facts were made from; otherwise rebuild them."""
    latest_id = (
        DocumentVersion.objects.filter(document=document)
        .order_by("-number")
        .values_list("id", flat=True)
        .first()
    )
    row = DocumentFacts.objects.filter(document=document).only("version_id").first()
    if row is None or row.version_id != latest_id:
        refresh_document(document.pk)
        return
    DocumentFacts.objects.filter(document=document).update(
        status=document.status,
        department_id=document.department_id,
        region=document.department.region,
        year=document.year,
        kind=document.kind,
    )
    FindingCount.objects.filter(facts_id=document.pk).exclude(year=document.year).update(year=document.year)


def refresh_documents(pks: Iterable[int]) -> int:
    count = 0
    for pk in pks:
        refresh_document(pk)
        count += 1
    return count


def ensure_facts() -> int:
    """Fill the facts of the documents that have none; how many were filled."""
    missing = list(Document.objects.filter(facts__isnull=True).values_list("pk", flat=True)[:100000])
    return refresh_documents(missing)


def refresh_all() -> int:
    """Rebuild the facts of every document (after a library upgrade changed what is counted)."""
    DocumentFacts.objects.exclude(document__in=Document.objects.all()).delete()
    return refresh_documents(Document.objects.order_by("pk").values_list("pk", flat=True).iterator(CHUNK))
