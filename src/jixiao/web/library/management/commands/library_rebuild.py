"""``python -m django library_rebuild``: index the newest version of every stored document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.web.library.index import rebuild
from jixiao.web.library.models import IndicatorEntry


class Command(BaseCommand):
    help = "重建指标库：收录每个文件最新版本的全部指标（保留管理员的命名、共性指标标记和合并）"

    def handle(self, *args: Any, **options: Any) -> None:
        uses = rebuild()
        entries = IndicatorEntry.objects.filter(merged_into__isnull=True, usage_count__gt=0).count()
        self.stdout.write(f"指标库已重建：{uses} 条指标使用，{entries} 个指标")
