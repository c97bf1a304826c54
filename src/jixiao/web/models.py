"""The store: departments, people and their roles, documents with their versions (each upload kept
byte for byte), comments, dismissed findings and the append-only audit log.

A ``DocumentVersion`` holds the file exactly as received (bytes, SHA-256, size, uploader, time) and
what the library made of it: the parsed model, the audit and the score sheets, as the JSON the CLI
prints (amounts as exact decimal strings). A new upload never overwrites: it is a new version.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    REVIEWER = "reviewer", "财政局审核人"
    OFFICER = "officer", "部门填报人"
    VIEWER = "viewer", "只读查看人"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    RESUBMITTED = "resubmitted", "已重新提交"
    APPROVED = "approved", "已通过"


class Department(models.Model):
    name = models.CharField("部门名称", max_length=200, unique=True)
    code = models.CharField("部门编码", max_length=50, blank=True)
    region = models.CharField("地区", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A person's role and, for department officers and viewers, the department they belong to."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.VIEWER)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="部门",
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Document(models.Model):
    """One document of one department (a 申报表, a 预算公开, a 自评表…) through its versions."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="documents", verbose_name="部门"
    )
    title = models.CharField("名称", max_length=300)
    kind = models.CharField("类型", max_length=40, default="unknown")
    year = models.IntegerField("年度", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "文件"
        ordering: ClassVar[list[str]] = ["-updated_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["status", "department"])]

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self) -> DocumentVersion | None:
        """The newest version, without its bytes and stored results (lists only need its number,
        counts and readability; a page that shows it loads it in full)."""
        return self.versions.order_by("-number").defer("content", "parsed", "audit", "scores").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name="文件"
    )
    number = models.PositiveIntegerField("版本")
    original_name = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content = models.BinaryField("原文件")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    readable = models.BooleanField("可读取", default=True)
    parsed: models.JSONField[Any] = models.JSONField("读取结果", default=dict)
    audit: models.JSONField[Any] = models.JSONField("审核结果", default=dict)
    scores: models.JSONField[Any] = models.JSONField("评分结果", default=list)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文件版本"
        ordering: ClassVar[list[str]] = ["document", "-number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.document} 第{self.number}版"


class Comment(models.Model):
    """A reviewer's or officer's comment, on the document or on one row/cell (``anchor``)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    anchor = models.CharField("位置", max_length=200, blank=True)  # e.g. 表3 行4 列5, or Sheet1!C12
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("意见")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering: ClassVar[list[str]] = ["created_at", "id"]


class Dismissal(models.Model):
    """A finding a reviewer set aside as a false alarm, with the reason (counted per rule)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="dismissals")
    code = models.CharField("代码", max_length=10, db_index=True)
    key = models.CharField("发现标识", max_length=300)  # code + first location + message digest
    reason = models.TextField("理由")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "误报标记"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["version", "key"], name="one_dismissal_per_finding")
        ]


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """Append-only: who did what, when, to which document, and what changed."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="操作人"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, related_name="events", verbose_name="文件"
    )
    action = models.CharField("操作", max_length=40)
    detail: models.JSONField[Any] = models.JSONField("内容", default=dict)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering: ClassVar[list[str]] = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计日志只能追加，不能删除")


class ApiToken(models.Model):
    """A token for scripts (``Authorization: Bearer …``); only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"
