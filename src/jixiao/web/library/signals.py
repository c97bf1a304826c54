"""Every stored version feeds the library: ``post_save`` of ``DocumentVersion`` indexes it.

A failure here is a bug in the library, never a reason to lose an upload: it is logged and the
upload goes on (``index.rebuild`` catches up later).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from jixiao.web.library.index import index_version
from jixiao.web.models import DocumentVersion

log = logging.getLogger(__name__)


@receiver(post_save, sender=DocumentVersion, dispatch_uid="jixiao_library_index_version")
def index_saved_version(sender: Any, instance: DocumentVersion, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the stored data is replayed as is
        return
    try:
        with transaction.atomic():
            index_version(instance)
    except Exception:
        log.exception("指标库未能收录文件版本 %s", instance.pk)
