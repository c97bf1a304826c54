"""A target declaration being written in the browser (目标申报草稿).

A ``TargetDraft`` holds one 部门整体 or 项目支出 绩效目标申报表 of one department for one year as the
library's typed model in JSON (``declaration``: ``model_dump(mode="json")`` of
``DeptTargetDeclaration`` / ``ProjectTargetDeclaration``), where it started from (a previous draft or
a stored ``DocumentVersion``) and, once submitted, the ``Document`` its rendered xlsx was kept as:
the review workflow of that document applies unchanged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from jixiao.model.edit import Declaration, declaration_type
from jixiao.web.models import Department, Document, DocumentVersion


class Kind(models.TextChoices):
    DEPT = "dept_target", "部门整体绩效目标申报表"
    PROJECT = "project_target", "项目支出绩效目标申报表"


class TargetDraft(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="target_drafts", verbose_name="部门"
    )
    year = models.IntegerField("年度")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=300)
    declaration: models.JSONField[Any] = models.JSONField("申报表内容", default=dict)
    based_on_draft = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="来源草稿"
    )
    based_on_version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="来源文件版本",
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="target_drafts",
        verbose_name="提交后的文件",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "目标申报草稿"
        ordering: ClassVar[list[str]] = ["-updated_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["department", "year", "kind"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.year}）"

    def typed(self) -> Declaration:
        """The declaration as the library's model."""
        return declaration_type(self.kind).model_validate(self.declaration)

    def keep(self, declaration: Declaration) -> None:
        """Store ``declaration`` (not saved: call ``save``); the title follows the form's."""
        self.declaration = declaration.model_dump(mode="json")
        name = declaration.title or getattr(declaration, "project_name", None)
        if name:
            self.title = name[:300]
