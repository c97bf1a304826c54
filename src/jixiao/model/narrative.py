"""Narrative text (情况说明, 自评报告): sections and the figures quoted in them.

>>> Figure(text="8562.6 万元", value=Decimal("8562.6"), unit="万元").unit
'万元'
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from jixiao.model.loc import Loc


class Figure(BaseModel):
    """A number quoted in prose, with what it measures as far as the sentence says."""

    text: str  # the matched text: 收入总计 8562.6 万元
    value: Decimal
    unit: str | None = None  # 万元, 元, %, 分, 人…
    subject: str | None = None  # what the sentence says it is: 收入总计, 基本支出, 预算执行率
    context: str | None = None  # the clause around it
    loc: Loc | None = None


class Section(BaseModel):
    """A heading and the paragraphs under it."""

    title: str
    level: int = 1
    text: str = ""
    figures: list[Figure] = Field(default_factory=list)
    loc: Loc | None = None
