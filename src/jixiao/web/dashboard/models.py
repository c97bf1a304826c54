"""The dashboard's fact tables: one row per document, one row per (document, code, severity).

They copy, once per upload or status change, the few figures the dashboard counts (so a page never
reads the JSON columns of ``DocumentVersion``): a document's department, region, year, type,
status, its latest version, the budget total in 元, the computed and reported scores and grades,
and its findings counted per code. ``jixiao.web.dashboard.refresh`` fills them (signals keep them
current); every dashboard figure is an ORM ``GROUP BY`` over them.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from jixiao.web.models import Department, Document, DocumentVersion


class DocumentFacts(models.Model):
    """What the dashboard knows of one document (its latest version)."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="facts", verbose_name="文件"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name="部门"
    )
    region = models.CharField("地区", max_length=100, blank=True)
    year = models.IntegerField("年度", null=True, blank=True)
    kind = models.CharField("类型", max_length=40)
    status = models.CharField("状态", max_length=20)
    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最新版本",
    )
    version_number = models.PositiveIntegerField("版本", null=True, blank=True)
    readable = models.BooleanField("可读取", default=True)
    #: In 分 (an integer: sums stay exact on SQLite, whose NUMERIC columns hold REALs); the amount
    #: as read, converted to 元 exactly, and rounded half up to the 分 only if it had finer digits.
    budget_fen = models.BigIntegerField("预算总额（分）", null=True, blank=True)
    score_computed = models.DecimalField("复核得分", max_digits=10, decimal_places=4, null=True, blank=True)
    score_reported = models.DecimalField("自评得分", max_digits=10, decimal_places=4, null=True, blank=True)
    grade_computed = models.CharField("复核等级", max_length=10, blank=True)
    grade_reported = models.CharField("自评等级", max_length=10, blank=True)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    infos = models.PositiveIntegerField("提示", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "看板：文件数据"
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["year", "department"], name="facts_year_department"),
            models.Index(fields=["year", "status"], name="facts_year_status"),
            models.Index(fields=["year", "kind"], name="facts_year_kind"),
            models.Index(fields=["year", "region"], name="facts_year_region"),
            models.Index(fields=["year", "grade_computed"], name="facts_year_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.year or ''}"


class FindingCount(models.Model):
    """How many findings of one code and severity the latest version of a document has."""

    facts = models.ForeignKey(
        DocumentFacts, on_delete=models.CASCADE, related_name="finding_counts", verbose_name="文件数据"
    )
    #: The document's year again: the dashboard's usual question (one year, every department) then
    #: reads this table alone, through the covering index below, without joining the facts.
    year = models.IntegerField("年度", null=True, blank=True)
    code = models.CharField("代码", max_length=10)
    family = models.CharField("类别", max_length=2)
    severity = models.CharField("严重程度", max_length=10)
    count = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = verbose_name_plural = "看板：问题计数"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["facts", "code", "severity"], name="one_count_per_code")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["code", "facts"], name="findingcount_code"),
            models.Index(fields=["family", "facts"], name="findingcount_family"),
            models.Index(fields=["year", "code", "severity", "count"], name="findingcount_year"),
            # covers the dashboard's GROUP BY code, severity over a set of documents (index only)
            models.Index(fields=["facts", "code", "severity", "count"], name="findingcount_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.code} × {self.count}"
