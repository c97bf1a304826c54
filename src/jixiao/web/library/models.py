"""The indicator library as stored: one ``IndicatorEntry`` per normalised name and one
``IndicatorUse`` per indicator of a stored document version (filled by ``jixiao.web.library.index``).

An entry's figures (levels, usage, typical 指标值, direction) are computed by ``jixiao.library`` from
its uses and stored for the list page; what an administrator decides is kept apart and never
recomputed: ``curated_name`` (a rename), ``is_common`` (共性指标) and ``merged_into`` (an entry merged
into another: its uses moved there, and new uses of its key go there too).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from jixiao.web.models import DocumentVersion


class Direction(models.TextChoices):
    FORWARD = "正向", "正向（越大越好）"
    REVERSE = "反向", "反向（越小越好）"
    RANGE = "区间", "区间"
    EQUAL = "定值", "定值"
    QUALITATIVE = "定性", "定性"


class IndicatorEntry(models.Model):
    key = models.CharField("规范名称", max_length=300, unique=True)  # jixiao.library.normalise
    name = models.CharField("常用名称", max_length=300)  # the name most often printed
    curated_name = models.CharField("管理员命名", max_length=300, blank=True)
    level1 = models.CharField("一级指标", max_length=100, blank=True)
    level2 = models.CharField("二级指标", max_length=100, blank=True)
    direction = models.CharField("指标方向", max_length=10, choices=Direction.choices, blank=True)
    typical = models.CharField("常用指标值", max_length=200, blank=True)  # as a form prints it: ≥95%
    typical_value = models.DecimalField("常用数值", max_digits=24, decimal_places=6, null=True, blank=True)
    comparator = models.CharField("比较符", max_length=10, blank=True)
    unit = models.CharField("计量单位", max_length=50, blank=True)
    usage_count = models.PositiveIntegerField("使用次数", default=0, db_index=True)
    project_count = models.PositiveIntegerField("使用项目数", default=0)
    is_common = models.BooleanField("共性指标", default=False, db_index=True)
    #: its uses changed during a batch import and its figures wait to be recomputed (index.refresh_stale)
    stale = models.BooleanField("待重算", default=False, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name="已合并到",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标库条目"
        ordering: ClassVar[list[str]] = ["-usage_count", "key"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The name shown: the administrator's, else the one most often printed."""
        return self.curated_name or self.name or self.key


class IndicatorUse(models.Model):
    """One indicator of one form in one stored version, as printed."""

    entry = models.ForeignKey(
        IndicatorEntry, on_delete=models.CASCADE, related_name="uses", verbose_name="条目"
    )
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="indicator_uses", verbose_name="文件版本"
    )
    position = models.PositiveIntegerField("序号", default=0)  # order within the version
    form = models.CharField("表", max_length=40, blank=True)  # dept_target, project_target…
    project_name = models.CharField("项目名称", max_length=300, blank=True)  # empty: 部门整体
    function_code = models.CharField("功能分类编码", max_length=20, blank=True)
    name = models.CharField("指标名称（原文）", max_length=300)
    level1 = models.CharField("一级指标", max_length=100, blank=True)
    level2 = models.CharField("二级指标", max_length=100, blank=True)
    target = models.CharField("指标值（原文）", max_length=500, blank=True)
    printed_direction = models.CharField("指标方向（原文）", max_length=10, blank=True)
    # the 指标值 as the library read it, so that the library's figures can be recomputed exactly
    target_json = models.JSONField("指标值解析", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "指标使用"
        ordering: ClassVar[list[str]] = ["version", "position"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["project_name"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.project_name or '部门整体'}）"

    @property
    def level_path(self) -> str:
        return " / ".join(part for part in (self.level1, self.level2, self.name) if part)
