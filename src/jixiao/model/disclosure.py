"""Budget and final-accounts disclosures (部门预算公开 / 部门决算公开): narrative and standard tables.

>>> DisclosureRow(name="行政运行", code="2080101", code_kind="function").code_level
'项'
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.loc import Loc
from jixiao.model.narrative import Section


class DisclosureRow(BaseModel):
    """A row of a disclosure table: a 科目 (code + name) or a labelled line, and its amounts."""

    name: str
    code: str | None = None  # 功能分类 2080101 (类+款+项 joined) or 经济分类 30101 / 50101
    code_kind: Literal["function", "economic_dept", "economic_gov", "project", "unit"] | None = None
    codes: dict[str, str] = Field(default_factory=dict)  # every code printed on the row, by kind
    values: dict[str, Decimal | None] = Field(default_factory=dict)  # column header → amount
    texts: dict[str, str] = Field(default_factory=dict)  # non-amount cells by column header
    is_total: bool = False  # 合计 / 总计 / 小计 lines
    side: Literal["income", "expenditure"] | None = None  # for two-sided 收支 tables
    loc: Loc | None = None
    cells: dict[str, Loc] = Field(default_factory=dict)  # column header → the cell it came from

    @property
    def code_level(self) -> str | None:
        """类 (3 digits), 款 (5) or 项 (7) for a 功能分类 code."""
        if self.code is None or self.code_kind != "function":
            return None
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code))


class DisclosureTable(BaseModel):
    """One standard table (收支总表, 支出总表…) as printed, with its kind recognised from the title."""

    kind: str  # stable key: income_expenditure_summary, income_summary, expenditure_summary, …
    title: str
    number: str | None = None  # 表一, 表3, 附表1 as printed
    unit: str | None = None  # 万元 / 元, from the 单位 line or the header
    unit_assumed: bool = False
    columns: list[str] = Field(default_factory=list)  # flattened header paths: 基本支出/人员经费/…
    rows: list[DisclosureRow] = Field(default_factory=list)
    empty_statement: str | None = None  # 本单位无此项支出 …
    notes: list[str] = Field(default_factory=list)
    loc: Loc | None = None

    def total(self, side: Literal["income", "expenditure"] | None = None) -> DisclosureRow | None:
        """The grand total row as printed: 总计 before 合计 before 小计 (on ``side`` for 收支 tables)."""
        rows = [r for r in self.rows if r.is_total and (side is None or r.side == side)]
        rows.sort(key=lambda r: all(v is None for v in r.values.values()))  # rows with amounts first
        for word in ("总计", "合计", "小计"):
            for row in rows:
                if word in row.name:
                    return row
        return rows[0] if rows else None


class TocEntry(BaseModel):
    """A table listed in the 目录, with the kind its title names (None for other entries)."""

    title: str  # as printed, without its enumerator (一、 / 1. / 4．)
    number: str | None = None  # the enumerator as printed: 一, 1, 十三
    kind: str | None = None  # same keys as ``DisclosureTable.kind``; dept_target / project_target_summary
    loc: Loc | None = None


class Disclosure(BaseModel):
    """部门预算公开 (stage=budget) or 部门决算公开 (stage=final)."""

    form: Literal["disclosure"] = "disclosure"
    stage: Literal["budget", "final"] = "budget"
    title: str | None = None
    department: str | None = None
    year: int | None = None
    toc: list[str] = Field(default_factory=list)  # table titles listed in the 目录
    toc_entries: list[TocEntry] = Field(default_factory=list)  # the same titles with kind and location
    unit: str | None = None  # the money unit most tables state
    sections: list[Section] = Field(default_factory=list)
    tables: list[DisclosureTable] = Field(default_factory=list)
    dept_targets: list[DeptTargetDeclaration] = Field(default_factory=list)
    project_targets: list[ProjectTargetDeclaration] = Field(default_factory=list)
    project_summaries: list[ProjectTargetSummary] = Field(default_factory=list)
    loc: Loc | None = None
