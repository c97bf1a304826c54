"""The 部门预算/决算公开 package, built from the typed model: the 情况说明 is computed from its tables.

Enters: a ``Disclosure`` (``jixiao.model.disclosure``). Leaves: a ``Doc`` (``jixiao.render.layout``):
the title (“{部门}{年}年部门预算公开”, 决算 for a final-accounts disclosure), the 目录, 第一部分 部门概况
(the form's own 职责/机构 sections, text as printed), 第二部分 情况说明 written from the table values
(never from the printed narrative), 第三部分 名词解释 (when the form has one, text as printed), then
the tables as grids in the official layout (表一 …, 单位：万元 above, 2-row headers with merged parent
cells, 合计 rows bold) and the annexed 绩效目标表 / 项目绩效目标汇总表.

Every amount in the 情况说明 is a table cell or a sum, difference or ratio of table cells: exact
``Decimal`` arithmetic, rounded 四舍五入 to 2 decimals only when shown, in the table's own unit.
A sentence is written only when its numbers exist in the tables.

>>> percent_of(Decimal("4550.7"), Decimal("8562.6")).quantize(Decimal("0.0001"))
Decimal('53.1462')
>>> change_sentence(Decimal("8562.6"), Decimal("8743.4"), "万元")
'比上年减少 180.80 万元，下降 2.07%'
>>> change_sentence(Decimal("5"), Decimal("5"), "万元")
'与上年持平'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from jixiao.model.declaration import ProjectTargetSummary
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.money import display
from jixiao.model.narrative import Section
from jixiao.render.layout import Block, Cell, Doc, Grid, Heading, PageBreak, Paragraph, Role, money_cell

__all__ = [
    "amount_text",
    "change_sentence",
    "disclosure_doc",
    "largest_items",
    "percent_of",
    "percent_text",
    "project_summary_grid",
    "table_grid",
]

Side = Literal["income", "expenditure"]
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)

# ---------------------------------------------------------------------------------------------
# Small helpers: percentages, amounts, year-on-year sentences, the largest 功能分类 items
# ---------------------------------------------------------------------------------------------


def percent_of(part: Decimal, total: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``total``, exact (None when the total is zero)."""
    if total == 0:
        return None
    return part * _HUNDRED / total


def percent_text(value: Decimal) -> str:
    """A percentage shown with 2 decimals, 四舍五入: ``53.146`` → ``53.15%``."""
    return f"{display(value, 2, thousands=False)}%"


def amount_text(amount: Decimal, unit: str) -> str:
    """An amount with thousands separators, 2 decimals and its unit: ``8,562.60 万元``."""
    return f"{display(amount, 2)} {unit}"


def change_sentence(current: Decimal, previous: Decimal, unit: str, against: str = "上年") -> str:
    """How ``current`` compares with ``previous``: “比上年增加 12.34 万元，增长 5.67%”,
    “比上年减少 …，下降 …”, or “与上年持平” (the rate is left out when ``previous`` is zero)."""
    difference = current - previous
    if difference == 0:
        return f"与{against}持平"
    rate = percent_of(abs(difference), abs(previous))
    if difference > 0:
        text = f"比{against}增加 {amount_text(difference, unit)}"
        return text + (f"，增长 {percent_text(rate)}" if rate is not None else "")
    text = f"比{against}减少 {amount_text(-difference, unit)}"
    return text + (f"，下降 {percent_text(rate)}" if rate is not None else "")


def largest_items(
    table: DisclosureTable, level: str = "项", count: int = 3, column: str | None = None
) -> list[tuple[DisclosureRow, Decimal]]:
    """The ``count`` largest 功能分类 rows at ``level`` (类/款/项) by ``column`` (the table's main
    amount column by default), largest first; rows in table order break ties."""
    column = column or _main_column(table)
    if column is None:
        return []
    items = [
        (row, amount)
        for row in table.rows
        if not row.is_total and row.code_level == level
        for amount in [row.values.get(column)]
        if amount is not None and amount != 0
    ]
    return sorted(items, key=lambda item: -item[1])[:count]


# ---------------------------------------------------------------------------------------------
# Columns: which holds the current amount, the previous year's, the budget a 决算 is compared with
# ---------------------------------------------------------------------------------------------

_YEAR = re.compile(r"^\d{4}年(?:度)?")
_VARIANT = re.compile(r"(?:本年|上年|年初)?(?:预算数|决算数|执行数)$|^(?:本年|上年)?(?:预算|决算)$")
_ENUMERATOR = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.．、]\s*)"
)


def _segments(column: str) -> list[str]:
    return [part.strip() for part in column.split("/") if part.strip()]


def _core(column: str) -> list[str]:
    """The column's path without its year and 预算数/决算数 words: what it measures, not when."""
    parts = []
    for segment in _segments(column):
        segment = _VARIANT.sub("", _YEAR.sub("", segment))
        if segment:
            parts.append(segment)
    return parts


def _is_previous(column: str, year: int | None) -> bool:
    return "上年" in column or (year is not None and f"{year - 1}年" in column)


@dataclass(frozen=True)
class _Columns:
    """The amount columns of one table sorted by role."""

    current: list[str]
    previous: list[str]
    budget: list[str]  # 预算数 columns of a 决算 table (what the 决算数 is compared with)


def _amount_columns(table: DisclosureTable) -> list[str]:
    """Columns holding amounts in any row, in the table's order (unlisted keys last)."""
    keys: list[str] = []
    for row in table.rows:
        for key in row.values:
            if key not in keys:
                keys.append(key)
    ordered = [c for c in dict.fromkeys(table.columns) if c in keys]
    return ordered + [k for k in keys if k not in ordered]


def _roles(columns: Iterable[str], year: int | None, final: bool) -> _Columns:
    current: list[str] = []
    previous: list[str] = []
    budget: list[str] = []
    for column in columns:
        if _is_previous(column, year):
            previous.append(column)
        elif final and "预算" in column and "决算" not in column:
            budget.append(column)
        else:
            current.append(column)
    if final and not current and budget:  # a 决算 table whose only amounts are called 预算数
        current, budget = budget, []
    return _Columns(current, previous, budget)


def _main_column(table: DisclosureTable, year: int | None = None, final: bool = False) -> str | None:
    """The column of a one-sided table that holds each row's whole amount (合计, 金额, 决算数)."""
    current = _roles(_amount_columns(table), year, final).current
    for column in current:
        core = _core(column)
        if not core or core[-1] in ("合计", "总计", "金额", "小计") or core[-1].endswith("合计"):
            return column
    return current[0] if current else None


def _twin(column: str, candidates: Sequence[str]) -> str | None:
    """The column in ``candidates`` that measures what ``column`` measures (same core path)."""
    core = _core(column)
    return next((c for c in candidates if _core(c) == core), None)


def _first_amount(row: DisclosureRow, columns: Sequence[str]) -> Decimal | None:
    return next((row.values[c] for c in columns if row.values.get(c) is not None), None)


def _strip_enumerator(name: str) -> str:
    return _ENUMERATOR.sub("", name).strip()


# ---------------------------------------------------------------------------------------------
# The 情况说明
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    form: Disclosure
    subject: str  # 郑州…人力资源局2023年
    stage: str  # 预算 / 决算

    @property
    def final(self) -> bool:
        return self.form.stage == "final"

    @property
    def year(self) -> int | None:
        return self.form.year

    def table(self, *kinds: str) -> DisclosureTable | None:
        for kind in kinds:
            for table in self.form.tables:
                if table.kind == kind and table.rows:
                    return table
        return None

    def unit(self, table: DisclosureTable) -> str:
        return table.unit or self.form.unit or "万元"

    def roles(self, table: DisclosureTable) -> _Columns:
        return _roles(_amount_columns(table), self.year, self.final)

    def compare(self, current: Decimal, column: str, row: DisclosureRow, table: DisclosureTable) -> str:
        """The 上年 change (a budget) or the share of the budget completed (a 决算) for ``column``
        of ``row``, when the table has the matching column; “” otherwise."""
        roles = self.roles(table)
        unit = self.unit(table)
        previous = _twin(column, roles.previous)
        if previous is not None and row.values.get(previous) is not None:
            return "，" + change_sentence(current, row.values[previous] or _ZERO, unit)
        budget = _twin(column, roles.budget)
        if budget is not None and row.values.get(budget) is not None:
            planned = row.values[budget] or _ZERO
            rate = percent_of(current, planned)
            text = f"，年初预算 {amount_text(planned, unit)}"
            return text + (f"，完成预算的 {percent_text(rate)}" if rate is not None else "")
        return ""


def _shares(parts: Sequence[tuple[str, Decimal]], total: Decimal, unit: str) -> str:
    """“基本支出 4,550.70 万元，占 53.15%；项目支出 …” (the share left out for a zero total)."""
    texts = []
    for name, amount in parts:
        rate = percent_of(amount, total)
        share = f"，占 {percent_text(rate)}" if rate is not None else ""
        texts.append(f"{name} {amount_text(amount, unit)}{share}")
    return "；".join(texts)


def _total_row(table: DisclosureTable, side: Side | None = None) -> DisclosureRow | None:
    """The grand total as printed (总计 before 合计 before 小计, rows with amounts first), never a
    人员经费合计-style subtotal printed among the totals."""
    rows = [
        r
        for r in table.rows
        if r.is_total
        and (side is None or r.side == side)
        and not any(w in r.name for w in ("人员经费", "公用经费"))
    ]
    rows.sort(key=lambda r: all(v is None for v in r.values.values()))
    for word in ("总计", "合计", "小计"):
        for row in rows:
            if word in row.name:
                return row
    return rows[0] if rows else None


def _table_total(ctx: _Context, *kinds: str) -> tuple[DisclosureTable, str, DisclosureRow, Decimal] | None:
    """The first table of ``kinds`` the form has, its main amount column, its total row and that
    row's amount there; None when any of them is missing."""
    table = ctx.table(*kinds)
    if table is None:
        return None
    main = _main_column(table, ctx.year, ctx.final)
    row = _total_row(table)
    if main is None or row is None or row.values.get(main) is None:
        return None
    return table, main, row, row.values[main] or _ZERO


def _overall(ctx: _Context) -> list[str]:
    table = ctx.table("income_expenditure_summary")
    if table is None:
        return []
    roles = ctx.roles(table)
    unit = ctx.unit(table)
    sentences = []
    sides: tuple[tuple[Side, str], ...] = (("income", "收入"), ("expenditure", "支出"))
    for side, word in sides:
        row = _total_row(table, side)
        if row is None:
            continue
        column = next((c for c in roles.current if row.values.get(c) is not None), None)
        if column is None:
            continue
        amount = row.values[column] or _ZERO
        sentences.append(
            f"{word}{ctx.stage}总计 {amount_text(amount, unit)}{ctx.compare(amount, column, row, table)}"
        )
    if not sentences:
        return []
    return [f"{ctx.subject}" + "；".join(sentences) + "。"]


def _income(ctx: _Context) -> list[str]:
    by_columns = _income_by_columns(ctx)
    if by_columns:
        return by_columns
    table = ctx.table("income_expenditure_summary")
    if table is None:
        return []
    current = ctx.roles(table).current
    rows = [r for r in table.rows if r.side == "income"]
    first_total = next((i for i, r in enumerate(rows) if r.is_total), len(rows))
    sources = [
        (_strip_enumerator(r.name), amount)
        for r in rows[:first_total]
        if re.match(r"^[一二三四五六七八九十]+、", r.name.strip())
        for amount in [_first_amount(r, current)]
        if amount is not None
    ]
    year_total = next(
        (r for r in rows if r.is_total and any(w in r.name for w in ("本年", "当年"))),
        _total_row(table, "income"),
    )
    total = _first_amount(year_total, current) if year_total is not None else None
    if total is None or not sources:
        return []
    unit = ctx.unit(table)
    return [
        f"{ctx.subject}收入{ctx.stage}合计 {amount_text(total, unit)}，其中：{_shares(sources, total, unit)}。"
    ]


def _income_by_columns(ctx: _Context) -> list[str]:
    """收入总表 whose columns are the sources (财政拨款收入, 事业收入…) and a 合计 column."""
    found = _table_total(ctx, "income_summary")
    if found is None:
        return []
    table, main, row, total = found
    sources = [
        (_core(c)[-1], amount)
        for c in ctx.roles(table).current
        if c != main and _core(c) and _core(c)[-1] not in ("小计", "合计")
        for amount in [row.values.get(c)]
        if amount is not None
    ]
    if not sources:
        return []
    unit = ctx.unit(table)
    return [
        f"{ctx.subject}收入{ctx.stage}合计 {amount_text(total, unit)}，其中：{_shares(sources, total, unit)}。"
    ]


def _groups(table: DisclosureTable, columns: Sequence[str], main: str) -> list[tuple[str, str]]:
    """Top-level column groups (基本支出, 项目支出, 单位预留机动经费…) and the column with each
    group's amount (``基本支出/小计`` or ``基本支出`` itself), the common prefix ignored."""
    cores = {c: _core(c) for c in columns}
    prefix = 0
    paths = [p for p in cores.values() if p]
    while paths and all(len(p) > prefix + 1 and p[prefix] == paths[0][prefix] for p in paths):
        prefix += 1
    groups: dict[str, str] = {}
    for column, core in cores.items():
        rest = core[prefix:]
        if column == main or not rest or rest[0] in ("合计", "总计") or rest[0].endswith("合计"):
            continue
        if len(rest) == 1 or (len(rest) == 2 and rest[1] in ("小计", "合计")):
            groups.setdefault(rest[0], column)
    return list(groups.items())


def _expenditure(ctx: _Context) -> list[str]:
    found = _table_total(ctx, "expenditure_summary", "general_budget_expenditure")
    if found is None:
        return []
    table, main, row, total = found
    unit = ctx.unit(table)
    parts = [
        (name, amount)
        for name, column in _groups(table, ctx.roles(table).current, main)
        for amount in [row.values.get(column)]
        if amount is not None
    ]
    text = (
        f"{ctx.subject}支出{ctx.stage}合计 {amount_text(total, unit)}{ctx.compare(total, main, row, table)}"
    )
    if parts:
        text += f"，其中：{_shares(parts, total, unit)}"
    return [text + "。"]


_FUNDS = ("一般公共预算", "政府性基金", "国有资本经营")


def _fiscal(ctx: _Context) -> list[str]:
    table = ctx.table("fiscal_summary")
    if table is None:
        return []
    current = ctx.roles(table).current
    unit = ctx.unit(table)
    sentences = []
    income = [r for r in table.rows if r.side == "income"]
    grand = _total_row(table, "income")
    grand_total = _first_amount(grand, current) if grand is not None else None
    if grand_total is not None:
        # the funds of this year's income: the rows above the first total (上年结转 repeats them)
        first_total = next((i for i, r in enumerate(income) if r.is_total), len(income))
        funds = []
        for fund in _FUNDS:
            row = next(
                (r for r in income[:first_total] if fund in r.name and _first_amount(r, current) is not None),
                None,
            )
            if row is not None:
                funds.append((_strip_enumerator(row.name), _first_amount(row, current) or _ZERO))
        text = f"{ctx.subject}财政拨款收入{ctx.stage}总计 {amount_text(grand_total, unit)}"
        if funds:
            text += f"，其中：{_shares(funds, grand_total, unit)}"
        sentences.append(text + "。")
    expenditure = _total_row(table, "expenditure")
    spent = _first_amount(expenditure, current) if expenditure is not None else None
    if spent is not None:
        sentences.append(f"财政拨款支出{ctx.stage}总计 {amount_text(spent, unit)}。")
    return sentences


def _general_budget(ctx: _Context) -> list[str]:
    table = ctx.table("general_budget_expenditure", "fiscal_expenditure")
    if table is None:
        return []
    main = _main_column(table, ctx.year, ctx.final)
    if main is None:
        return []
    unit = ctx.unit(table)
    row = _total_row(table)
    classes = [
        (r, r.values[main]) for r in table.rows if r.code_level == "类" and r.values.get(main) is not None
    ]
    if row is not None and row.values.get(main) is not None:
        total = row.values[main] or _ZERO
    elif classes:
        total = sum((amount or _ZERO for _, amount in classes), _ZERO)
    else:
        return []
    text = f"{ctx.subject}一般公共预算支出{ctx.stage} {amount_text(total, unit)}"
    if row is not None:
        text += ctx.compare(total, main, row, table)
        parts = [
            (name, amount)
            for name, column in _groups(table, ctx.roles(table).current, main)
            for amount in [row.values.get(column)]
            if amount is not None
        ]
        if parts:
            text += f"，其中：{_shares(parts, total, unit)}"
    sentences = [text + "。"]
    if classes:
        named = [(f"{_strip_enumerator(r.name)}（类）", amount or _ZERO) for r, amount in classes]
        sentences.append(f"按支出功能分类，主要用于：{_shares(named, total, unit)}。")
    items = largest_items(table, "项", 3, main)
    if items:
        named = [(f"{_strip_enumerator(r.name)}（{r.code}）", amount) for r, amount in items]
        sentences.append(f"金额较大的项级科目：{_shares(named, total, unit)}。")
    return sentences


_PERSONNEL_CLASSES = ("301", "303")


def _basic(ctx: _Context) -> list[str]:
    table = ctx.table("general_budget_basic", "fiscal_basic")
    if table is None:
        return []
    main = _main_column(table, ctx.year, ctx.final)
    if main is None:
        return []
    unit = ctx.unit(table)
    current = ctx.roles(table).current
    row = _total_row(table)
    parts: list[tuple[str, Decimal]] = []
    if row is not None:
        for word in ("人员经费", "公用经费"):
            column = next((c for c in current if _core(c) and _core(c)[-1] == word), None)
            if column is not None and row.values.get(column) is not None:
                parts.append((word, row.values[column] or _ZERO))
    if not parts:  # 人员经费合计 / 公用经费合计 printed as rows
        for word in ("人员经费", "公用经费"):
            line = next((r for r in table.rows if r.is_total and r.name.startswith(word)), None)
            if line is not None and _first_amount(line, current) is not None:
                parts.append((word, _first_amount(line, current) or _ZERO))
    if not parts:  # by 经济分类 类: 工资福利支出, 商品和服务支出, 对个人和家庭的补助…
        parts = [
            (r.name, r.values[main] or _ZERO)
            for r in table.rows
            if not r.is_total and r.code is not None and len(r.code) == 3 and r.values.get(main) is not None
        ]
    if row is not None and row.values.get(main) is not None:
        total = row.values[main] or _ZERO
    elif parts:
        total = sum((amount for _, amount in parts), _ZERO)
    else:
        return []
    text = f"{ctx.subject}一般公共预算基本支出{ctx.stage} {amount_text(total, unit)}"
    if parts:
        text += f"，其中：{_shares(parts, total, unit)}"
    return [text + "。"]


# 三公 items: how each is found among the table's columns (by the column's core path)
def _is_three_total(core: list[str]) -> bool:
    joined = "/".join(core)
    return (
        "三公" in joined
        and "公务用车" not in joined
        and (core[-1] in ("合计", "小计") or core[-1].endswith("合计"))
    )


def _is_car(core: list[str]) -> bool:
    return "公务用车" in "/".join(core) and (core[-1] == "小计" or "及运行" in core[-1])


_THREE_PUBLIC: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
    ("因公出国（境）费", lambda core: "出国" in core[-1]),
    ("公务接待费", lambda core: "接待" in core[-1]),
    ("公务用车购置及运行费", _is_car),
)
_CAR_PARTS: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
    ("公务用车购置费", lambda core: "公务用车" in "/".join(core) and core[-1].endswith("购置费")),
    (
        "公务用车运行费",
        lambda core: "公务用车" in "/".join(core) and "运行" in core[-1] and "购置" not in core[-1],
    ),
)


def _pick(columns: Sequence[str], test: Callable[[list[str]], bool]) -> str | None:
    found = [c for c in columns if _core(c) and test(_core(c))]
    return min(found, key=lambda c: len(_core(c))) if found else None


def _three_public(ctx: _Context) -> list[str]:
    table = ctx.table("three_public")
    if table is None:
        return []
    current = ctx.roles(table).current
    # the printed row (a 决算 may leave every 决算数 blank: nothing spent against its 预算数)
    row = next((r for r in table.rows if any(v is not None for v in r.values.values())), None)
    if row is None:
        return []
    unit = ctx.unit(table)

    def amount(column: str | None) -> Decimal | None:
        if column is None:
            return None
        return row.values.get(column) or _ZERO  # a blank cell of a printed 三公 row is nothing spent

    def phrase(name: str, column: str | None) -> str | None:
        value = amount(column)
        if column is None or value is None:
            return None
        return f"{name} {amount_text(value, unit)}{ctx.compare(value, column, row, table)}"

    total_column = _pick(current, _is_three_total)
    if total_column is None and not any(w in c for c in current for w in ("会议", "培训")):
        total_column = _pick(current, lambda core: len(core) == 1 and core[0] in ("合计", "小计"))
    items = [phrase(name, _pick(current, test)) for name, test in _THREE_PUBLIC]
    car_parts = [phrase(name, _pick(current, test)) for name, test in _CAR_PARTS]
    present = [p for p in items if p is not None]
    if total_column is None and not present:
        return []
    total = amount(total_column)
    text = f"{ctx.subject}一般公共预算“三公”经费{ctx.stage}"
    if total_column is not None and total is not None:
        text += f" {amount_text(total, unit)}{ctx.compare(total, total_column, row, table)}"
    if present:
        text += "。其中：" + "；".join(present)
        details = [p for p in car_parts if p is not None]
        if details and items[2] is not None:
            text += "（" + "，".join(details) + "）"
    return [text + "。"]


def _operating(ctx: _Context) -> list[str]:
    three = ctx.table("three_public")
    if three is not None:
        current = ctx.roles(three).current
        column = _pick(current, lambda core: "机关运行经费" in "/".join(core))
        row = next((r for r in three.rows if column is not None and r.values.get(column) is not None), None)
        if column is not None and row is not None:
            value = row.values[column] or _ZERO
            unit = ctx.unit(three)
            return [
                f"{ctx.subject}机关运行经费{ctx.stage} {amount_text(value, unit)}"
                f"{ctx.compare(value, column, row, three)}。"
            ]
    found = _table_total(ctx, "operating_costs")
    if found is None:
        return []
    table, main, total, value = found
    return [
        f"{ctx.subject}一般公共预算机关运行经费{ctx.stage} {amount_text(value, ctx.unit(table))}"
        f"{ctx.compare(value, main, total, table)}。"
    ]


def _procurement(ctx: _Context) -> list[str]:
    found = _table_total(ctx, "procurement")
    if found is None:
        return []
    table, main, _, value = found
    unit = ctx.unit(table)
    kinds = []
    for word in ("货物", "工程", "服务"):
        row = next(
            (
                r
                for r in table.rows
                if not r.is_total and re.match(r"^[一二三四五六七八九十]+、", r.name) and word in r.name
            ),
            None,
        )
        if row is not None and row.values.get(main) is not None:
            kinds.append((f"政府采购{word}", row.values[main] or _ZERO))
    text = f"{ctx.subject}政府采购{ctx.stage}总额 {amount_text(value, unit)}"
    if kinds:
        text += f"，其中：{_shares(kinds, value, unit)}"
    return [text + "。"]


def _funds(ctx: _Context) -> list[str]:
    sentences = []
    for kind, name in (("gov_fund", "政府性基金预算"), ("state_capital", "国有资本经营预算")):
        table = next((t for t in ctx.form.tables if t.kind == kind), None)
        if table is None:
            continue
        main = _main_column(table, ctx.year, ctx.final)
        total = _total_row(table)
        value = total.values.get(main) if total is not None and main is not None else None
        if value:
            sentences.append(
                f"{ctx.subject}{name}财政拨款支出{ctx.stage} {amount_text(value, ctx.unit(table))}。"
            )
        elif table.empty_statement or not any(v for r in table.rows for v in r.values.values()):
            sentences.append(f"{ctx.subject}无{name}财政拨款安排的支出。")
    return sentences


def _projects(ctx: _Context) -> list[str]:
    table = ctx.table("project_expenditure")
    if table is None:
        return []
    main = _main_column(table, ctx.year, ctx.final)
    if main is None:
        return []
    projects = [
        (r.name, r.values[main] or _ZERO)
        for r in table.rows
        if not r.is_total and r.code_kind != "unit" and r.name and r.values.get(main) is not None
    ]
    total_row = _total_row(table)
    total = total_row.values.get(main) if total_row is not None else None
    if not projects or total is None:
        return []
    unit = ctx.unit(table)
    largest = sorted(projects, key=lambda item: -item[1])[:3]
    return [
        f"{ctx.subject}项目支出{ctx.stage}共 {len(projects)} 个项目，合计 {amount_text(total, unit)}，"
        f"金额较大的项目：{_shares(largest, total, unit)}。"
    ]


def _targets(ctx: _Context) -> list[str]:
    form = ctx.form
    sentences = []
    if form.dept_targets:
        sentences.append(f"{ctx.subject}编制部门（单位）整体绩效目标表 {len(form.dept_targets)} 张。")
    listed = {r.name: r for summary in form.project_summaries for r in summary.rows if not r.is_unit}
    if listed:
        summary = form.project_summaries[0]
        amounts = [r.total for r in listed.values() if r.total is not None]
        funds = sum(amounts, _ZERO) if amounts else None  # what the annexed projects add up to
        text = f"编报绩效目标的项目共 {len(listed)} 个"
        if funds is not None:
            text += f"，涉及项目预算资金 {amount_text(funds, summary.unit)}"
        with_targets = [r for r in listed.values() if r.indicators]
        indicators = sum(len(r.indicators) for r in with_targets)
        sentences.append(f"{text}；其中 {len(with_targets)} 个项目列示了绩效指标，共 {indicators} 个。")
    elif form.project_targets:
        budgets = [p.budget for p in form.project_targets if p.budget is not None]
        units = {p.budget_unit for p in form.project_targets if p.budget is not None}
        text = f"编报项目绩效目标表 {len(form.project_targets)} 张"
        if budgets and len(units) == 1:
            text += f"，涉及项目预算资金 {amount_text(sum(budgets, _ZERO), units.pop())}"
        sentences.append(text + "。")
    return sentences


def _explanation(ctx: _Context) -> list[Block]:
    """第二部分: one heading per topic the tables have data for, its sentences as paragraphs."""
    stage = ctx.stage
    topics: tuple[tuple[str, Callable[[_Context], list[str]]], ...] = (
        (f"收入支出{stage}总体情况", _overall),
        (f"收入{stage}情况", _income),
        (f"支出{stage}情况", _expenditure),
        (f"财政拨款收入支出{stage}总体情况", _fiscal),
        (f"一般公共预算支出{stage}情况", _general_budget),
        (f"一般公共预算基本支出{stage}情况", _basic),
        (f"“三公”经费支出{stage}情况", _three_public),
        (f"政府性基金和国有资本经营{stage}支出情况", _funds),
        (f"项目支出{stage}情况", _projects),
        (f"机关运行经费{stage}情况", _operating),
        (f"政府采购{stage}情况", _procurement),
        ("绩效目标设置情况", _targets),
    )
    blocks: list[Block] = []
    number = 0
    for title, build in topics:
        sentences = build(ctx)
        if not sentences:
            continue
        number += 1
        blocks.append(Heading(f"{_chinese(number)}、{title}", level=2))
        blocks.extend(Paragraph(sentence) for sentence in sentences)
    if not blocks:
        blocks.append(Paragraph("本公开未列示可据以说明的表格数据。"))
    return blocks


# ---------------------------------------------------------------------------------------------
# 第一部分 / 名词解释: the form's own sections, text as printed
# ---------------------------------------------------------------------------------------------

_OVERVIEW = re.compile(r"职责|职能|机构|构成|概况|工作任务|主要任务")
_STOP = re.compile(r"情况说明|编制说明|名词解释|第[二三四五]部分|其他相关|其他重要事项|附件|附表")


def _overview_sections(sections: Sequence[Section]) -> list[Section]:
    """The sections before the first 情况说明/名词解释 heading: 职责, 机构设置, 单位构成…"""
    chosen: list[Section] = []
    started = False
    for section in sections:
        if _STOP.search(section.title):
            if started or any(s.text for s in chosen):
                break
            continue
        if not started and not (_OVERVIEW.search(section.title) or (not section.title and section.text)):
            continue
        started = True
        if section.text.strip() or not re.match(r"^第[一二三四五]部分", section.title):
            chosen.append(section)  # a bare 第一部分 … heading is this part's own title
    return chosen


def _glossary(sections: Sequence[Section]) -> Section | None:
    return next((s for s in sections if "名词解释" in s.title and s.text.strip()), None)


def _section_blocks(section: Section, keep_title: bool = True) -> list[Block]:
    blocks: list[Block] = []
    title = re.sub(r"^第[一二三四五]部分\s*", "", section.title).strip()
    if keep_title and title:
        blocks.append(Heading(title, level=2))
    blocks.extend(Paragraph(line.strip()) for line in section.text.splitlines() if line.strip())
    return blocks


# ---------------------------------------------------------------------------------------------
# The tables as grids
# ---------------------------------------------------------------------------------------------

_CODE_WORDS = ("编码", "代码", "代 码")
_NAME_WORDS = ("名称", "项目")


def _is_code_column(column: str) -> bool:
    return any(w in column for w in _CODE_WORDS) and "名称" not in _segments(column)[-1]


def _code_for(row: DisclosureRow, column: str) -> str:
    """The part of the row's code a 科目编码 column prints (类 208 / 款 01 / 项 01, or the whole)."""
    if "单位" in column:
        code = row.codes.get("unit")
    elif "经济" in column:
        kind = "economic_gov" if "政府" in column else "economic_dept"
        code = row.codes.get(kind) or (row.code if row.code_kind == kind else None)
    elif "项目" in column and "功能" not in column:
        code = row.codes.get("project")
    else:
        code = row.codes.get("function") or (row.code if row.code_kind not in ("unit", "project") else None)
    if not code:
        return ""
    last = _segments(column)[-1]
    pieces = {"类": code[:3], "款": code[3:5], "项": code[5:7]}
    return pieces.get(last, code) if last in pieces else code


def _table_columns(table: DisclosureTable) -> list[str]:
    """The printed columns, each once (a two-column-layout table lists its columns twice), with
    a leading 项目 column where rows have names the printed header had no column for."""
    columns = list(dict.fromkeys(table.columns))
    for key in _amount_columns(table):
        if key not in columns:
            columns.append(key)
    for row in table.rows:
        for key in row.texts:
            if key not in columns:
                columns.append(key)
    names = [c for c in columns if _is_name_column(c, table)]
    if not names and any(r.name for r in table.rows):
        columns.insert(0, "项目")
    return columns


def _is_name_column(column: str, table: DisclosureTable) -> bool:
    """A column a row's own name is printed in (项目, 科目名称, 单位（科目名称）), not one whose cells
    the rows hold as texts (项目单位, the 政府经济分类's 科目名称)."""
    if column == "项目":
        return True
    return (
        column not in _amount_columns(table)
        and not _is_code_column(column)
        and any(w in _segments(column)[-1] for w in _NAME_WORDS)
        and not any(column in r.texts for r in table.rows)
    )


def _lane(row: DisclosureRow, columns: Sequence[str], names: Sequence[int]) -> int:
    """Which name column (by its position in ``names``) the row's name goes in: the nearest one
    left of its first amount (a 收支总表's 收入 or 支出 side), else the first."""
    keys = [i for i, c in enumerate(columns) if c in row.values]
    if keys:
        left = [k for k, i in enumerate(names) if i < keys[0]]
        if left:
            return left[-1]
    return 0


def _joined_notes(notes: Sequence[str]) -> list[str]:
    """A 注 continued on later lines (“注：1.…”, “2.…”) as one note: a line of its own below the
    table would read back as a row of it."""
    joined: list[str] = []
    for note in notes:
        if joined and not re.match(r"^\s*(注|备注|说明)", note):
            joined[-1] = f"{joined[-1]}{note}"
        else:
            joined.append(note)
    return joined


def _name_text(row: DisclosureRow, columns: Sequence[str], start: int, end: int) -> str:
    """The row's name; a unit row (007) whose table has no column for its code prints the code
    where the name goes when its name stands in a column of its own (项目单位), else before it."""
    if row.code_kind != "unit" or not row.code:
        return row.name
    if any(_is_code_column(c) and "单位" in c for c in columns[start:end]):
        return row.name
    if row.name in row.texts.values():
        return row.code
    return f"{row.code} {row.name}"


def _header(columns: Sequence[str]) -> tuple[list[Cell], int]:
    """Header cells from flattened paths: parents merged across their children, leaves spanning
    down to the last header row."""
    paths = [_segments(c) or [c] for c in columns]
    depth = max((len(p) for p in paths), default=1)
    cells: list[Cell] = []
    for level in range(depth):
        col = 0
        while col < len(paths):
            path = paths[col]
            if level >= len(path):
                col += 1
                continue
            if level == len(path) - 1:
                cells.append(Cell(level, col, path[level], role="head", rowspan=depth - level))
                col += 1
                continue
            end = col + 1
            while (
                end < len(paths)
                and len(paths[end]) > level + 1
                and paths[end][: level + 1] == path[: level + 1]
            ):
                end += 1
            cells.append(Cell(level, col, path[level], role="head", colspan=end - col))
            col = end
    return cells, depth


def _places(table: DisclosureTable) -> int:
    """The decimals the table printed (8,562.6 → 1, 371,514,655.00 → 2): shown the same way, a
    0.1 drift between rounded rows and their rounded total stays the display rounding it was."""
    places: int | None = None
    for row in table.rows:
        for value in row.values.values():
            if value is not None:
                exponent = value.as_tuple().exponent
                if isinstance(exponent, int):
                    places = max(places or 0, -exponent)
    return 2 if places is None else min(places, 4)


def _width(column: str, table: DisclosureTable) -> float:
    if _is_code_column(column):
        return 6.0 if _segments(column)[-1] in ("类", "款", "项") else 12.0
    if _is_name_column(column, table):
        return 30.0
    if column in _amount_columns(table):
        return 14.0
    return 16.0


def table_grid(
    table: DisclosureTable, number: str, department: str | None = None, unit: str | None = None
) -> Grid:
    """One standard table as printed: “表{number} {title}”, 单位 line above, its header, every row
    with its codes, name and exact amounts; an empty table keeps its 无此项 statement as a note."""
    columns = _table_columns(table)
    header, depth = _header(columns)
    cells = list(header)
    places = _places(table)
    names = [i for i, c in enumerate(columns) if _is_name_column(c, table)]
    # each name column starts a side (收入 | 支出): its codes, name and amounts up to the next side
    starts = [0, *names[1:]] if names else [0]
    ends = [*names[1:], len(columns)] if names else [len(columns)]
    line = depth - 1
    previous_lane = len(starts)  # the first row opens a line
    for row in table.rows:
        role: Role = "total" if row.is_total else "text"
        lane = _lane(row, columns, names)
        # rows come in reading order: a row on the same printed line lies right of the one before
        if lane <= previous_lane:
            line += 1
        previous_lane = lane
        for index, column in enumerate(columns):
            if column in row.values:
                cells.append(money_cell(line, index, row.values[column], places, bold=row.is_total))
            elif column in row.texts:
                cells.append(Cell(line, index, row.texts[column], role="text", bold=row.is_total))
            elif names and index == names[lane]:
                cells.append(Cell(line, index, _name_text(row, columns, starts[lane], ends[lane]), role=role))
            elif _is_code_column(column) and starts[lane] <= index < ends[lane]:
                code = _code_for(row, column)
                if code:
                    cells.append(Cell(line, index, code, role="text", align="center"))
    above = []
    if department:
        above.append(f"部门名称：{department}")
    above.append(f"单位：{table.unit or unit or '万元'}")
    notes = _joined_notes(table.notes)
    if table.empty_statement and table.empty_statement not in notes:
        notes.insert(0, table.empty_statement)
    return Grid(
        title=f"表{number} {table.title}",
        cells=tuple(cells),
        widths=tuple(_width(c, table) for c in columns),
        above=tuple(above),
        header_rows=depth,
        notes=tuple(notes),
        sheet=f"表{number}",
        landscape=len(columns) > 8,
    )


def project_summary_grid(
    summary: ProjectTargetSummary, number: str | None = None, department: str | None = None
) -> Grid:
    """部门预算项目绩效目标汇总表: each project (or unit subtotal) with its funds, its indicators one a
    line (一级/二级/三级指标, 指标值), the project's cells merged down its indicator lines."""
    amount_keys: list[str] = []
    for row in summary.rows:
        for key in row.amounts:
            if key not in amount_keys:
                amount_keys.append(key)
    columns = ["项目编码", "项目名称", *amount_keys, "一级指标", "二级指标", "三级指标", "指标值"]
    cells = [Cell(0, i, c, role="head") for i, c in enumerate(columns)]
    first_indicator = 2 + len(amount_keys)
    exponents = [
        -e
        for r in summary.rows
        for v in r.amounts.values()
        if v is not None and isinstance(e := v.as_tuple().exponent, int)
    ]
    places = min(max(exponents), 4) if exponents else 2  # as printed: 4,011.9 stays 4,011.9
    line = 1
    for row in summary.rows:
        span = max(1, len(row.indicators))
        cells.append(Cell(line, 0, row.code or "", role="text", rowspan=span, bold=row.is_unit))
        cells.append(Cell(line, 1, row.name, role="total" if row.is_unit else "text", rowspan=span))
        for offset, key in enumerate(amount_keys):
            cell = money_cell(line, 2 + offset, row.amounts.get(key), places, bold=row.is_unit)
            cells.append(replace(cell, rowspan=span))
        for k, indicator in enumerate(row.indicators):
            values = (indicator.level1 or "", indicator.level2 or "", indicator.name, indicator.target.raw)
            cells.extend(Cell(line + k, first_indicator + j, text) for j, text in enumerate(values))
        line += span
    title = summary.title or "部门预算项目绩效目标汇总表"
    return Grid(
        title=f"表{number} {title}" if number else title,
        cells=tuple(cells),
        widths=(22.0, 28.0, *([14.0] * len(amount_keys)), 10.0, 10.0, 26.0, 16.0),
        above=(
            *([f"部门名称：{dept}"] if (dept := summary.department or department) else []),
            f"单位：{summary.unit}",
        ),
        header_rows=1,
        sheet=f"表{number}" if number else None,
        landscape=True,
    )


# ---------------------------------------------------------------------------------------------
# The whole package
# ---------------------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (table and heading numbers up to 99)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _annex_grids(form: Disclosure, start: int) -> list[Grid]:
    """The annexed target forms, numbered after the tables (forms.py draws the declarations)."""
    grids: list[Grid] = []
    number = start
    if form.dept_targets or form.project_targets:
        from jixiao.render.forms import dept_target_grid, project_target_grid

        for dept in form.dept_targets:
            grid = dept_target_grid(dept)
            grids.append(_renumbered(grid, number))
            number += 1
        for project in form.project_targets:
            grid = project_target_grid(project)
            grids.append(_renumbered(grid, number))
            number += 1
    for summary in form.project_summaries:
        grids.append(project_summary_grid(summary, _chinese(number), form.department))
        number += 1
    return grids


def _renumbered(grid: Grid, number: int) -> Grid:
    return Grid(
        title=f"表{_chinese(number)} {grid.title}",
        cells=grid.cells,
        widths=grid.widths,
        above=grid.above,
        header_rows=grid.header_rows,
        notes=grid.notes,
        sheet=f"表{_chinese(number)}",
        landscape=grid.landscape,
    )


def disclosure_doc(form: Disclosure) -> Doc:
    """The disclosure package: title, 目录, 部门概况, 情况说明 generated from the tables, 名词解释,
    the tables and the annexed target forms."""
    stage = "决算" if form.stage == "final" else "预算"
    department = form.department or ""
    year = f"{form.year}年" if form.year is not None else ""
    title = f"{department}{year}部门{stage}公开"
    subject = f"{department or '本部门'}{year}"
    ctx = _Context(form=form, subject=subject, stage=stage)

    overview = _overview_sections(form.sections)
    glossary = _glossary(form.sections)
    tables = [t for t in form.tables]
    grids = [table_grid(t, _chinese(i), form.department, form.unit) for i, t in enumerate(tables, start=1)]
    grids.extend(_annex_grids(form, len(tables) + 1))

    parts = ["部门概况", f"{year}部门{stage}情况说明"]
    if glossary is not None:
        parts.append("名词解释")
    parts.append(f"{year}部门{stage}表")
    part_titles = [f"第{_chinese(i)}部分 {name}" for i, name in enumerate(parts, start=1)]

    blocks: list[Block] = [Heading("目录", level=1)]
    blocks.extend(Paragraph(t, indent=False) for t in part_titles)
    blocks.extend(Paragraph(grid.title, indent=False) for grid in grids)
    blocks.append(PageBreak())

    blocks.append(Heading(part_titles[0], level=1))
    for section in overview:
        blocks.extend(_section_blocks(section))
    if not overview:
        blocks.append(Paragraph("（本公开未载明部门职责与机构设置。）"))
    blocks.append(PageBreak())

    blocks.append(Heading(part_titles[1], level=1))
    blocks.extend(_explanation(ctx))
    blocks.append(PageBreak())

    if glossary is not None:
        blocks.append(Heading(part_titles[2], level=1))
        blocks.extend(_section_blocks(glossary, keep_title=False))
        blocks.append(PageBreak())

    blocks.append(Heading(part_titles[-1], level=1))
    for index, grid in enumerate(grids):
        if index:
            blocks.append(PageBreak())  # each 表 on a page of its own, as the packages print them
        blocks.append(grid)
    header = f"{department} {year}部门{stage}".strip()
    return Doc(title=title, blocks=tuple(blocks), header=header or None)
