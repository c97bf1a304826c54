"""Signals that keep the dashboard's facts current: a new version, a status move, a region change.

Connected in ``DashboardConfig.ready``. A fixture load (``raw``) is skipped: ``ensure_facts``
fills those documents on the dashboard's first use.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from jixiao.web.dashboard.models import DocumentFacts
from jixiao.web.dashboard.refresh import refresh_document, refresh_status
from jixiao.web.models import Department, Document, DocumentVersion


@receiver(post_save, sender=DocumentVersion, dispatch_uid="jixiao_dashboard_version")
def version_saved(sender: Any, instance: DocumentVersion, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_document(instance.document_id, instance)


@receiver(post_save, sender=Document, dispatch_uid="jixiao_dashboard_document")
def document_saved(
    sender: Any, instance: Document, raw: bool = False, created: bool = False, **kwargs: Any
) -> None:
    if not raw and not created:  # a new document has no version yet: its version's signal follows
        refresh_status(instance)


@receiver(post_save, sender=Department, dispatch_uid="jixiao_dashboard_department")
def department_saved(sender: Any, instance: Department, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        DocumentFacts.objects.filter(department=instance).exclude(region=instance.region).update(
            region=instance.region
        )
