"""A batch import: who started it, into which department (or bureau-wide), and one item per file.

A ``BatchItem`` keeps the file exactly as received (bytes, SHA-256, size) until it is imported;
its name is the file's own name without any folder (``store.safe_name``), the folders it came in
(a zip's or an uploaded folder's) are kept as ``folder`` for display only, never used as a path.
Each item is imported by one background task (``tasks.import_file``); its status, the failure's
stable code and Chinese message, the resulting document version and timings are recorded here.

``WorkerBeat`` is how ``jixiao worker`` processes say they are alive: a task left RUNNING by a
worker whose beat stopped (killed, machine gone) is handed back to the queue (``recovery``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from jixiao.web.models import Department, Document, DocumentVersion


class ItemStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已导入"
    DUPLICATE = "duplicate", "重复文件"
    FAILED = "failed", "失败"


#: An item in one of these states is finished: its task does nothing when run again.
FINISHED = (ItemStatus.DONE, ItemStatus.DUPLICATE, ItemStatus.FAILED)


class Batch(models.Model):
    name = models.CharField("名称", max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人"
    )
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="部门",
        help_text="为空：全局导入，部门按文件中的部门名称确定",
    )
    total = models.PositiveIntegerField("文件数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "批量导入"
        ordering: ClassVar[list[str]] = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.name


class BatchItem(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items", verbose_name="批次")
    position = models.PositiveIntegerField("序号")
    name = models.CharField("文件名", max_length=255)
    folder = models.CharField("所在文件夹", max_length=500, blank=True)  # display only
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content = models.BinaryField("原文件", null=True)  # cleared once imported
    status = models.CharField("状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.QUEUED)
    code = models.CharField("失败代码", max_length=10, blank=True)
    message = models.TextField("失败原因", blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="文件"
    )
    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="版本",
    )
    task_id = models.CharField("任务", max_length=64, blank=True, db_index=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    started_at = models.DateTimeField("开始导入", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    seconds = models.FloatField("耗时（秒）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入文件"
        ordering: ClassVar[list[str]] = ["batch", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["batch", "position"], name="one_item_per_position")
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name


class WorkerBeat(models.Model):
    """A running ``jixiao worker`` process: where it runs and when it was last seen alive."""

    worker_id = models.CharField("工作进程", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间", auto_now_add=True)
    seen_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = verbose_name_plural = "工作进程"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
