"""The store of 运行监控 and 自评: what a department typed against an approved target form.

A ``MonitoringReport`` is one form's 1–6月 or 1–9月 monitoring (progress and 偏差原因 per indicator,
budget executed, and the lights the library computed when it was last saved); a
``SelfEvaluationDraft`` its 自评 after the year (actuals, 偏差原因, budget executed, ruleset, and the
score and grade computed). ``form_index`` says which form of the document (a 部门整体 file often
carries its 项目 forms too). Amounts are exact decimals; nothing here computes: ``jixiao.monitor`` does.

Both are reviewed (``Reviewed``): 草稿 → 已提交 → 已退回 (with the reviewer's comment) → 已重新提交 →
已通过; ``jixiao.web.cycle.review`` moves them and writes the audit log.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from jixiao.web.models import Document


class Period(models.TextChoices):
    H1 = "H1", "1–6月"
    Q3 = "Q3", "1–9月"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    RESUBMITTED = "resubmitted", "已重新提交"
    APPROVED = "approved", "已通过"


#: the states a department may edit in, and those waiting for the reviewer
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
WAITING = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)


class Reviewed(models.Model):
    """What the review adds to a monitoring report or a self-evaluation: its state, who submitted,
    who returned or approved it last and the comment of the last return."""

    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交人",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)

    class Meta:
        abstract = True

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def waiting(self) -> bool:
        return self.status in WAITING


class MonitoringReport(Reviewed):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="monitoring_reports", verbose_name="目标文件"
    )
    form_index = models.PositiveIntegerField("表单序号", default=0)
    period = models.CharField("监控期间", max_length=2, choices=Period.choices)
    executed = models.DecimalField("预算执行数", max_digits=20, decimal_places=6, null=True, blank=True)
    executed_raw = models.CharField("预算执行数（原文）", max_length=100, blank=True)
    budget_reason = models.TextField("预算执行偏差原因", blank=True)
    #: per indicator, in the form's order: {"progress": "120", "reason": "…"}
    rows: models.JSONField[Any] = models.JSONField("进度", default=list)
    #: the library's result when last saved: per row {"light", "deviation", "reason"}, and counts
    results: models.JSONField[Any] = models.JSONField("监控结果", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "运行监控"
        ordering: ClassVar[list[str]] = ["document", "form_index", "period"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["document", "form_index", "period"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.get_period_display()}运行监控"


class SelfEvaluationDraft(Reviewed):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="self_evaluations", verbose_name="目标文件"
    )
    form_index = models.PositiveIntegerField("表单序号", default=0)
    ruleset = models.CharField("评分规则", max_length=100)
    executed = models.DecimalField("全年执行数", max_digits=20, decimal_places=6, null=True, blank=True)
    executed_raw = models.CharField("全年执行数（原文）", max_length=100, blank=True)
    #: per indicator, in the form's order: {"actual": "500人", "reason": "…", "weight": "10"}
    rows: models.JSONField[Any] = models.JSONField("实际完成值", default=list)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=10, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填报人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评"
        ordering: ClassVar[list[str]] = ["document", "form_index"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["document", "form_index"], name="one_self_evaluation_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.document} 绩效自评"
