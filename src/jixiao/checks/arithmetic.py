"""Arithmetic rules: every printed total against what it adds up, as a finance-bureau reviewer checks.

Enters: the forms of a ``ParsedDocument``: the standard tables of a ``Disclosure`` (A101–A108) and
the funds of target declarations, self-evaluations and project summaries (A201–A209).
Leaves: ``Problem`` s naming the table or form, the row and column by their printed names, the
printed numbers and the cells involved; ``NotApplicable`` where an identity holds only for some
departments (e.g. the 收支总表 equals the 财政拨款收支总表 only where all income is 财政拨款).

Every identity is computed once per form (``Context.memo``) into ``Gap`` records; an error rule
reports the gaps beyond display rounding, and one info rule per family (A108, A209) the gaps that
display rounding explains (a 0.1 万元 drift between 12 rounded rows and their rounded total).

Rows are summed one level at a time, never 类 + 款 + 项 together: the rows without an ancestor
in the table (项 rows where the table lists only 项, 类 rows where it lists 类 with their 款 and
项), outline rows by their enumerators (一、 above （一） above 1.), unit rows as subtotals of the
rows under them, and 其中 rows never.

>>> from jixiao.model.disclosure import DisclosureRow, DisclosureTable
>>> table = DisclosureTable(kind="expenditure_summary", title="支出总表", unit="万元", rows=[
...     DisclosureRow(name="合计", is_total=True, values={"合计": Decimal("10")}),
...     DisclosureRow(name="行政运行", code="2010101", code_kind="function", values={"合计": Decimal("4")}),
...     DisclosureRow(name="事业运行", code="2010150", code_kind="function", values={"合计": Decimal("5")})])
>>> [(gap.actual, gap.expected, gap.basis) for gap in table_gaps(table)]
[(Decimal('10'), Decimal('9'), '2 个项级科目之和')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import Literal

from jixiao.checks.context import Context, amount_text, decimals, within_rounding
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.ingest.forms.common import norm
from jixiao.ingest.forms.disclosure_tables import KIND_NAMES
from jixiao.model.declaration import (
    BudgetLine,
    DeptTargetDeclaration,
    ProjectSummaryRow,
    ProjectTargetSummary,
    Task,
)
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc

GapKind = Literal[
    "rows",  # a total or subtotal row against the rows it adds up (A101)
    "children",  # a 类/款 or outline parent against its children (A102)
    "columns",  # a 合计/小计 column against its part columns (A103)
    "sides",  # 收入总计 against 支出总计 (A104)
    "three_public",  # “三公”经费 against its parts (A105)
    "across",  # the same total in two tables (A106)
    "all_fiscal",  # 收支总表 against 财政拨款收支总表 where all income is 财政拨款 (A107)
    "tasks",  # a task 合计 row or the tasks against the stated budget (A202, A203)
    "budget",  # 预算情况 / 预算执行 lines: total against its parts (A204)
    "summary_rows",  # 项目汇总表 合计 / unit rows against their projects (A207)
    "summary_columns",  # 项目汇总表 资金总额 against the funds by source (A208)
]


@dataclass(frozen=True)
class Gap:
    """One identity that does not hold exactly: ``actual`` printed where ``expected`` adds up."""

    kind: GapKind
    form: str  # the table or form as named in messages: 《2023年部门支出总体情况表》
    row: str  # the row (or line) whose printed number is checked: “合计”行
    column: str | None  # the column, where the table has several
    basis: str  # what the expected number adds up: 12 个项级科目之和
    expected: Decimal
    actual: Decimal
    unit: str | None
    parts: tuple[Decimal, ...]  # the printed numbers added (display rounding is judged on them)
    locations: tuple[Loc | None, ...]
    group: tuple[object, ...] = ()  # gaps sharing a group are reported as one problem

    @property
    def difference(self) -> Decimal:
        return abs(self.actual - self.expected)

    @cached_property
    def rounding(self) -> bool:
        """True when display rounding explains the difference."""
        return within_rounding(self.expected, self.actual, self.parts)

    def where(self) -> str:
        return f"{self.row}{_q(self.column)}列" if self.column else self.row


# ---------------------------------------------------------------------------------------------
# reporting gaps


def _q(text: str) -> str:
    """A printed name in quotes; quotes inside it become single ones (“‘三公’经费/小计”)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _money(value: Decimal, unit: str | None) -> str:
    return amount_text(value, unit)


def _half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: how far display rounding may have moved ``value``."""
    return Decimal(5) * Decimal(10) ** -(decimals(value) + 1)


def _merged(gaps: Iterable[Gap]) -> list[list[Gap]]:
    """Gaps in groups (one problem per group), in the order first met."""
    groups: dict[tuple[object, ...], list[Gap]] = {}
    for gap in gaps:
        key = gap.group or (id(gap),)
        groups.setdefault(key, []).append(gap)
    return list(groups.values())


def _error(gaps: list[Gap], suggestion: str | None = None) -> Problem:
    first = gaps[0]
    unit = first.unit
    if len(gaps) == 1:
        message = (
            f"{first.form}{first.where()}为 {_money(first.actual, unit)}，{first.basis}为 "
            f"{_money(first.expected, unit)}，相差 {_money(first.difference, unit)}。"
        )
    else:
        items = "；".join(
            f"{_q(g.column or '')}列为 {_money(g.actual, unit)}，应为 {_money(g.expected, unit)}"
            f"（相差 {_money(g.difference, unit)}）"
            for g in gaps
        )
        joiner = "与 " if first.basis[:1].isdigit() else "与"
        message = f"{first.form}{first.row}{joiner}{first.basis}不符：{items}。"
    locations = [loc for g in gaps for loc in g.locations]
    return Problem(
        message=message,
        locations=tuple(dict.fromkeys(loc for loc in locations if loc is not None)),
        expected=amount_text(first.expected),
        actual=amount_text(first.actual),
        suggestion=suggestion,
    )


def _errors(gaps: Iterable[Gap], kind: GapKind, suggestion: str | None = None) -> Iterator[Problem]:
    chosen = [g for g in gaps if g.kind == kind and not g.rounding]
    for group in _merged(chosen):
        yield _error(group, suggestion)


def _rounding_notes(gaps: Iterable[Gap]) -> Iterator[Problem]:
    """One info problem per table or form listing the differences display rounding explains."""
    by_form: dict[str, list[Gap]] = {}
    for gap in gaps:
        if gap.rounding and gap.difference:
            by_form.setdefault(gap.form, []).append(gap)
    for form, found in by_form.items():
        texts = list(
            dict.fromkeys(
                f"{g.where()}为 {_money(g.actual, g.unit)}，{g.basis}为 {_money(g.expected, g.unit)}"
                f"（相差 {_money(g.difference, g.unit)}）"
                for g in found
            )
        )
        shown = found[:4]
        more = f"等 {len(texts)} 处" if len(texts) > 4 else ""
        first = found[0]
        yield Problem(
            message=f"{form}{'；'.join(texts[:4])}{more}，均在四舍五入显示尾差范围内，不是错误。",
            locations=tuple(dict.fromkeys(loc for g in shown for loc in g.locations if loc is not None)),
            expected=amount_text(first.expected),
            actual=amount_text(first.actual),
        )


# ---------------------------------------------------------------------------------------------
# words and shapes of rows and columns

_TOTAL_SEGMENT = re.compile(r"(合计|小计|总计)[:：]?$")
_ENUMERATORS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"^[一二三四五六七八九十百]+[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"), 2),
    (re.compile(r"^\d+[、.．](?!\d)"), 3),
    (re.compile(r"^[（(]\d+[）)]"), 4),
)
_ENUMERATOR_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d+[、.．](?!\d))\s*"
)
#: Column heads that are never a part of a 合计 (another year, a change, a rate, a share).
_NOT_PART_WORDS = (
    "上年预算",
    "上年决算",
    "上年执行",
    "上年实际",
    "上年数",
    "增减",
    "增长",
    "变动",
    "比上年",
    "%",
    "率",
    "比例",
    "其中",
)
#: Leaf heads that are versions of one amount, not parts of it (预算数 and 决算数 of one 费).
_VARIANT_WORDS = ("预算数", "决算数", "执行数", "年初", "全年", "调整")
_GRAND_NAMES = frozenset(
    {
        "合计",
        "总计",
        "收入合计",
        "支出合计",
        "收入总计",
        "支出总计",
        "收支合计",
        "收支总计",
        "总合计",
        "合计数",
    }
)
_LEVEL_WORDS = {3: "类", 5: "款", 7: "项"}
_ABROAD = "因公出国"
_CAR = "公务用车"
_RECEPTION = "公务接待"


@lru_cache(maxsize=8192)
def _plain(name: str) -> str:
    """A row name without its enumerator: 一、一般公共服务支出 → 一般公共服务支出."""
    return _ENUMERATOR_PREFIX.sub("", norm(name))


@lru_cache(maxsize=8192)
def _is_share(name: str) -> bool:
    """其中 rows and columns (其中：财政拨款) are part of another line, never added to it."""
    return any(_plain(part).startswith("其中") for part in name.split("/"))


@lru_cache(maxsize=8192)
def _rank(name: str) -> int | None:
    text = norm(name)
    for pattern, rank in _ENUMERATORS:
        if pattern.match(text):
            return rank
    return None


def _is_total_segment(segment: str) -> bool:
    return bool(_TOTAL_SEGMENT.search(segment)) and not segment.startswith("其中")


TotalRole = Literal["grand", "current", "block", "partial", "group"]


def total_role(row: DisclosureRow) -> TotalRole:
    """How a total row relates to the rows around it.

    ``grand``: 合计 / 总计 of the table (or side); ``current``: 本年收入合计, 当年支出小计: the rows
    above it, which a later 总计 adds to the carry-over lines; ``block``: 小计, 某单位小计: the rows
    above it since the last subtotal, added up by the 合计 (any other name ending in 合计 too);
    ``group``: ``一般公共预算资金/小计`` over the rows named ``一般公共预算资金/…`` under it;
    ``partial``: 人员经费合计, 公用经费合计 (parts of a total the table does not print).
    """
    name = norm(row.name).rstrip(":：")
    pieces = [p for p in name.split("/") if p]
    if len(pieces) >= 2 and _is_total_segment(pieces[-1]):
        return "group"
    if name.startswith(("本年", "当年")):
        return "current"
    if not name or name in _GRAND_NAMES or "总计" in name:
        return "grand"
    if "人员经费" in name or "公用经费" in name:
        return "partial"
    return "block"  # 小计, 某单位合计, 经济分类支出合计: the rows above it since the last subtotal


def _family(row: DisclosureRow) -> str | None:
    """Codes that nest by prefix: 功能分类 and 经济分类 (部门 and 政府 apart)."""
    if row.code is None or not row.code.isdigit():
        return None
    if row.code_kind == "function":
        return "function"
    if row.code_kind in ("economic_dept", "economic_gov"):
        return row.code_kind
    return None


def _row_name(row: DisclosureRow) -> str:
    if (
        row.code
        and row.code_kind in ("function", "economic_dept", "economic_gov")
        and row.code not in row.name
    ):
        return f"{_q(f'{row.code} {row.name}')}行" if row.name else f"{_q(row.code)}行"
    if row.code and row.code_kind == "unit":
        return f"单位{_q(f'{row.code} {row.name}')}行" if row.name else f"单位{_q(row.code)}行"
    return f"{_q(row.name)}行" if row.name else "合计行"


def _table_name(table: DisclosureTable) -> str:
    return f"《{table.title or KIND_NAMES.get(table.kind, table.kind)}》"


#: Amount columns per table while one disclosure is checked (tables are read, never changed, then).
_COLUMNS: ContextVar[dict[int, list[str]] | None] = ContextVar("arithmetic_columns", default=None)


def _amount_columns(table: DisclosureTable) -> list[str]:
    """Amount columns in printed order (the columns some row has a value key for)."""
    cache = _COLUMNS.get()
    if cache is not None and id(table) in cache:
        return cache[id(table)]
    keys: dict[str, None] = {}
    for row in table.rows:
        for key in row.values:
            keys.setdefault(key, None)
    ordered = list(dict.fromkeys(c for c in table.columns if c in keys))
    columns = ordered + [k for k in keys if k not in ordered]
    if cache is not None:
        cache[id(table)] = columns
    return columns


def _side_columns(table: DisclosureTable, side: str | None) -> list[str]:
    rows = [r for r in table.rows if r.side == side]
    keys: dict[str, None] = {}
    for row in rows:
        for key in row.values:
            keys.setdefault(key, None)
    return list(keys)


# ---------------------------------------------------------------------------------------------
# which rows add up to a total


@dataclass
class _Scope:
    """The rows a total adds up, one level only, and the subtotal checks found on the way."""

    roots: list[DisclosureRow]
    basis: str
    without_plain: list[DisclosureRow] | None = None  # a second reading when plain rows are ambiguous
    units: list[tuple[DisclosureRow, _Scope]] = field(default_factory=list)  # unit row → its rows
    single_unit: DisclosureRow | None = None  # one unit row standing for the whole table


def _describe(rows: Sequence[DisclosureRow]) -> str:
    count = len(rows)
    if rows and all(r.code_kind == "unit" for r in rows):
        return f"{count} 个单位之和"
    families = {_family(r) for r in rows}
    lengths = {len(r.code or "") for r in rows}
    if rows and families == {"function"} and len(lengths) == 1:
        return f"{count} 个{_LEVEL_WORDS.get(lengths.pop(), '')}级科目之和"
    if rows and families <= {"economic_dept", "economic_gov"} and None not in families and len(lengths) == 1:
        return f"{count} 个经济分类{'类' if lengths.pop() == 3 else '款'}级科目之和"
    return f"{count} 个明细行之和"


def _descends(child: DisclosureRow, parent: DisclosureRow) -> bool:
    return (
        bool(child.code and parent.code)
        and child.code != parent.code
        and bool(child.code and parent.code and child.code.startswith(parent.code))
    )


def scope_of(rows: Sequence[DisclosureRow]) -> _Scope:
    """The rows (one level) that a total over ``rows`` adds up."""
    rows = [r for r in rows if not _is_share(r.name)]
    units = [r for r in rows if r.code_kind == "unit" and r.code]
    if units:
        return _unit_scope(rows, units)
    if any(_rank(r.name) is not None for r in rows):
        roots = _outline_roots(rows)
        plain = {id(r) for r in roots if _rank(r.name) is None and _family(r) is None}
        without = [r for r in roots if id(r) not in plain] if plain and len(plain) < len(roots) else None
        return _Scope(roots, _describe(roots), without)
    coded = [r for r in rows if _family(r) is not None]
    index = _code_index(coded)
    roots = [r for r in rows if _family(r) is None or not _ancestors(r, index)]
    plain = {id(r) for r in roots if _family(r) is None}
    without = [r for r in roots if id(r) not in plain] if plain and coded else None
    return _Scope(roots, _describe(roots), without)


def _code_index(rows: Iterable[DisclosureRow]) -> dict[tuple[str | None, str], list[DisclosureRow]]:
    """Coded rows by (family, code), for prefix look-ups in linear time."""
    index: dict[tuple[str | None, str], list[DisclosureRow]] = {}
    for row in rows:
        if row.code is not None:
            index.setdefault((_family(row), row.code), []).append(row)
    return index


def _ancestors(
    row: DisclosureRow, index: dict[tuple[str | None, str], list[DisclosureRow]]
) -> list[list[DisclosureRow]]:
    """The printed rows whose code is a proper prefix of ``row``'s, nearest first."""
    family, code = _family(row), row.code or ""
    found: list[list[DisclosureRow]] = []
    for length in range(len(code) - 1, 2, -1):
        rows = index.get((family, code[:length]))
        if rows:
            found.append(rows)
    return found


def _unit_scope(rows: list[DisclosureRow], units: list[DisclosureRow]) -> _Scope:
    tops = [u for u in units if not any(_descends(u, o) for o in units)]
    top_ids = {id(u) for u in tops}
    loose: list[DisclosureRow] = []
    blocks: list[tuple[DisclosureRow, list[DisclosureRow]]] = []
    current: tuple[DisclosureRow, list[DisclosureRow]] | None = None
    for row in rows:
        if id(row) in top_ids:
            current = (row, [])
            blocks.append(current)
        elif current is None:
            loose.append(row)
        else:
            current[1].append(row)
    scoped = [(unit, scope_of(block)) for unit, block in blocks if block]
    loose_with_values = [r for r in loose if any(v is not None for v in r.values.values())]
    if len(blocks) == 1 and not loose_with_values:
        unit, inner = blocks[0][0], (scoped[0][1] if scoped else _Scope([], "0 个明细行之和"))
        return _Scope(inner.roots, inner.basis, inner.without_plain, inner.units, single_unit=unit)
    roots = [unit for unit, _ in blocks] + scope_of(loose).roots
    return _Scope(roots, _describe(roots), None, scoped)


def _outline_roots(rows: Sequence[DisclosureRow]) -> list[DisclosureRow]:
    ranks = _outline_ranks(rows)
    top = min(ranks)
    return [r for r, rank in zip(rows, ranks, strict=True) if rank == top]


def _outline_ranks(rows: Sequence[DisclosureRow]) -> list[int]:
    """Enumerator ranks; a plain row heads the outline before the first enumerated row and is a
    child of the enumerated row above it after (procurement items under 一、货物)."""
    ranks: list[int] = []
    seen_enumerated = False
    for row in rows:
        rank = _rank(row.name)
        if rank is not None:
            seen_enumerated = True
            ranks.append(rank)
        elif _family(row) is not None:
            ranks.append(10 + len(row.code or ""))
        else:
            ranks.append(99 if seen_enumerated else 0)
    return ranks


# ---------------------------------------------------------------------------------------------
# A101 / A102: rows against totals, parents against children


def _sum(values: Iterable[Decimal | None]) -> tuple[Decimal, tuple[Decimal, ...]]:
    present = tuple(v for v in values if v is not None)
    return sum(present, Decimal(0)), present


def _single_value(row: DisclosureRow) -> tuple[str, Decimal] | None:
    """The one amount a total row prints when its side has parallel listings (功能分类 / 支出用途)."""
    present = [(k, v) for k, v in row.values.items() if v is not None]
    if present and len({v for _, v in present}) == 1:
        return present[0]
    return None


@dataclass
class _Check:
    """A total row (or a synthetic total) against the rows it adds up."""

    total: DisclosureRow | None
    scope: _Scope
    synthetic: list[DisclosureRow] | None = None  # partial totals added up when no grand total is printed


def _row_checks(rows: Sequence[DisclosureRow]) -> Iterator[_Check]:
    """Total rows of one side of a table with the scope each one adds up."""
    walk: list[DisclosureRow] = []
    grouped: set[int] = set()
    for index, row in enumerate(rows):
        if id(row) in grouped:
            continue
        if row.is_total and total_role(row) == "group":
            prefix = norm(row.name).rsplit("/", 1)[0] + "/"
            children: list[DisclosureRow] = []
            for follower in rows[index + 1 :]:
                if follower.is_total or not norm(follower.name).startswith(prefix):
                    break
                children.append(follower)
                grouped.add(id(follower))
            if children:
                yield _Check(row, scope_of(children))
            walk.append(row.model_copy(update={"is_total": False}))
            continue
        walk.append(row)
    pending: list[DisclosureRow] = []
    carried: list[DisclosureRow] = []
    details: list[DisclosureRow] = []
    top: list[DisclosureRow] = []
    partials: list[DisclosureRow] = []
    grand_seen = False
    for row in walk:
        if not row.is_total:
            pending.append(row)
            details.append(row)
            continue
        role = total_role(row)
        if role == "partial":
            partials.append(row)
        elif not pending and not carried and not details:
            top.append(row)
            grand_seen = grand_seen or role == "grand"
        elif role == "current":
            yield _Check(row, _with_carried(carried, pending))
            carried, pending = [row], []
        elif role == "block":
            yield _Check(row, scope_of(pending))
            carried, pending = [*carried, row], []
        else:
            # a 收入合计 followed by 上年结转 and a 收入总计: the later total adds the earlier one
            yield _Check(row, _with_carried(carried, pending))
            carried, pending = [row], []
            grand_seen = True
    for row in top:
        yield _Check(row, scope_of(details))
    if partials and not grand_seen and not top and details:
        yield _Check(None, scope_of(details), synthetic=partials)


def _with_carried(carried: list[DisclosureRow], pending: list[DisclosureRow]) -> _Scope:
    scope = scope_of(pending)
    if not carried:
        return scope
    roots = carried + scope.roots
    without = carried + scope.without_plain if scope.without_plain is not None else None
    names = "、".join(f"{_q(c.name)}" for c in carried[:2]) + ("等" if len(carried) > 2 else "")
    basis = f"{names}与其后 {len(scope.roots)} 行之和" if scope.roots else f"{names}之和"
    return _Scope(roots, basis, without, scope.units, scope.single_unit)


def _sides(table: DisclosureTable) -> list[str | None]:
    return list(dict.fromkeys(r.side for r in table.rows))


def table_gaps(table: DisclosureTable) -> list[Gap]:
    """Rows against their totals (A101) and parents against their children (A102) in one table."""
    if table.kind == "three_public":
        return []
    gaps: list[Gap] = []
    for side in _sides(table):
        rows = [r for r in table.rows if r.side == side]
        columns = _side_columns(table, side)
        for check in _row_checks(rows):
            gaps.extend(_check_gaps(table, check, columns))
        gaps.extend(_children_gaps(table, rows, columns))
    return gaps


def _check_gaps(table: DisclosureTable, check: _Check, columns: list[str]) -> list[Gap]:
    gaps: list[Gap] = []
    scope = check.scope
    if check.synthetic is not None:
        gaps.extend(_synthetic_gaps(table, check.synthetic, scope, columns))
        return gaps
    total = check.total
    if total is None:
        return gaps
    if scope.single_unit is not None:
        unit_scope = _Scope([scope.single_unit], _row_name(scope.single_unit))
        gaps.extend(_total_gaps(table, total, unit_scope, columns))
    gaps.extend(_total_gaps(table, total, scope, columns))
    for unit, inner in scope.units:
        gaps.extend(_total_gaps(table, unit, inner, columns))
    return gaps


def _total_gaps(table: DisclosureTable, total: DisclosureRow, scope: _Scope, columns: list[str]) -> list[Gap]:
    if not scope.roots:
        return []
    # a side printed as parallel listings (功能分类 | 支出用途): each listing adds up to the one total
    single = (
        _single_value(total)
        if any(v is None for v in total.values.values())
        and all(sum(v is not None for v in r.values.values()) <= 1 for r in scope.roots)
        else None
    )
    several = len(columns) > 1
    # plain rows may be group headers over the rows under them (类型, 单位 printed without code):
    # rows adding up to exactly twice the total are such a two-level listing, not an error
    headed = any(_family(r) is None and r.code_kind != "unit" for r in scope.roots) and len(scope.roots) >= 3
    gaps: list[Gap] = []
    for column in columns:
        printed = total.values.get(column)
        cell = total.cells.get(column)
        if printed is None and single is not None and column != single[0]:
            printed, cell = single[1], total.cells.get(single[0])
        if printed is None:
            continue
        expected, parts = _sum(r.values.get(column) for r in scope.roots)
        if not parts:
            continue
        if expected != printed and scope.without_plain is not None:
            alternative, alternative_parts = _sum(r.values.get(column) for r in scope.without_plain)
            if alternative_parts and abs(alternative - printed) < abs(expected - printed):
                expected, parts = alternative, alternative_parts
        if expected == printed or (headed and printed and expected == 2 * printed):
            continue
        with_values = [r for r in scope.roots if r.values.get(column) is not None]
        gaps.append(
            Gap(
                kind="rows",
                form=_table_name(table),
                row=_row_name(total),
                column=column if several else None,
                basis=scope.basis,
                expected=expected,
                actual=printed,
                unit=table.unit,
                parts=(*parts, printed),
                locations=(cell, *(r.cells.get(column) for r in with_values[:1] + with_values[-1:])),
                group=("rows", id(table), id(total), id(scope)),
            )
        )
    return gaps


def _synthetic_gaps(
    table: DisclosureTable, partials: list[DisclosureRow], scope: _Scope, columns: list[str]
) -> list[Gap]:
    """人员经费合计 + 公用经费合计 against the 类 rows when the table prints no grand total."""
    gaps: list[Gap] = []
    names = "与".join(f"{_q(p.name)}" for p in partials)
    for column in columns:
        printed, printed_parts = _sum(p.values.get(column) for p in partials)
        expected, parts = _sum(r.values.get(column) for r in scope.roots)
        if not printed_parts or not parts or expected == printed:
            continue
        gaps.append(
            Gap(
                kind="rows",
                form=_table_name(table),
                row=f"{names}之和",
                column=column if len(columns) > 1 else None,
                basis=scope.basis,
                expected=expected,
                actual=printed,
                unit=table.unit,
                parts=(*parts, *printed_parts),
                locations=tuple(p.cells.get(column) for p in partials),
                group=("rows", id(table), "partials"),
            )
        )
    return gaps


def _children_gaps(table: DisclosureTable, rows: Sequence[DisclosureRow], columns: list[str]) -> list[Gap]:
    """A 类 against its 款, a 款 against its 项 (nearest printed ancestor), an outline parent against
    its enumerated children; within each unit's block."""
    details = [r for r in rows if not r.is_total and not _is_share(r.name)]
    gaps: list[Gap] = []
    for block in _unit_blocks(details):
        if any(_rank(r.name) is not None for r in block):
            pairs = _outline_children(block)
        else:
            pairs = _code_children(block)
        for parent, children in pairs:
            gaps.extend(_parent_gaps(table, parent, children, columns))
    return gaps


def _unit_blocks(rows: list[DisclosureRow]) -> list[list[DisclosureRow]]:
    blocks: list[list[DisclosureRow]] = [[]]
    for row in rows:
        if row.code_kind == "unit":
            blocks.append([])
            continue
        blocks[-1].append(row)
    return [b for b in blocks if b]


def _code_children(block: list[DisclosureRow]) -> list[tuple[DisclosureRow, list[DisclosureRow]]]:
    coded = [r for r in block if _family(r) is not None]
    index = _code_index(coded)
    children: dict[int, list[DisclosureRow]] = {}
    parents: dict[int, DisclosureRow] = {}
    for row in coded:
        ancestors = _ancestors(row, index)
        if not ancestors or len(ancestors[0]) > 1:
            continue  # no parent printed, or the parent's code printed twice: which one is unclear
        nearest = ancestors[0][0]
        children.setdefault(id(nearest), []).append(row)
        parents[id(nearest)] = nearest
    return [(parents[key], rows) for key, rows in children.items()]


def _outline_children(block: list[DisclosureRow]) -> list[tuple[DisclosureRow, list[DisclosureRow]]]:
    ranks = _outline_ranks(block)
    pairs: list[tuple[DisclosureRow, list[DisclosureRow]]] = []
    for index, (row, rank) in enumerate(zip(block, ranks, strict=True)):
        if rank == 99:
            continue
        below: list[tuple[DisclosureRow, int]] = []
        for follower, follower_rank in zip(block[index + 1 :], ranks[index + 1 :], strict=True):
            if follower_rank <= rank:
                break
            below.append((follower, follower_rank))
        if not below:
            continue
        direct_rank = min(r for _, r in below)
        direct = [f for f, r in below if r == direct_rank]
        if direct_rank == 99 or any(r == 99 for _, r in below):
            continue  # plain rows under an enumerated one: items of several levels, not checkable
        pairs.append((row, direct))
    return pairs


def _parent_gaps(
    table: DisclosureTable, parent: DisclosureRow, children: list[DisclosureRow], columns: list[str]
) -> list[Gap]:
    gaps: list[Gap] = []
    for column in columns:
        printed = parent.values.get(column)
        if printed is None:
            continue
        expected, parts = _sum(c.values.get(column) for c in children)
        if not parts or expected == printed:
            continue
        with_values = [c for c in children if c.values.get(column) is not None]
        gaps.append(
            Gap(
                kind="children",
                form=_table_name(table),
                row=_row_name(parent),
                column=column if len(columns) > 1 else None,
                basis=f"其下 {_describe(children)}",
                expected=expected,
                actual=printed,
                unit=table.unit,
                parts=(*parts, printed),
                locations=(
                    parent.cells.get(column),
                    *(c.cells.get(column) for c in with_values[:1] + with_values[-1:]),
                ),
                group=("children", id(table), id(parent)),
            )
        )
    return gaps


# ---------------------------------------------------------------------------------------------
# A103 / A105: columns


@lru_cache(maxsize=4096)
def _segments(path: str) -> tuple[str, ...]:
    return tuple(norm(s) for s in path.split("/"))


def column_identities(paths: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each 合计/小计 column with the columns it adds up, by header words.

    ``合计`` at the top over ``基本支出/小计`` and ``项目支出/小计``; ``基本支出/小计`` over the leaves
    under 基本支出; ``合计/预算数`` over the ``…/预算数`` of its sibling groups. Columns of another
    year, changes, rates and 其中 columns are never parts; an identity whose parts are ambiguous
    (预算数 and 决算数 under a 合计 that names neither) is left out.

    >>> column_identities(["合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出"])
    [('合计', ['基本支出/小计', '项目支出']), ('基本支出/小计', ['基本支出/人员经费', '基本支出/公用经费'])]
    """
    return [(total, list(parts)) for total, parts in _identities(tuple(paths))]


@lru_cache(maxsize=1024)
def _identities(paths: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``column_identities`` for a table's columns, computed once per distinct header."""
    segments = {p: _segments(p) for p in paths}
    identities: list[tuple[str, tuple[str, ...]]] = []
    for path in paths:
        segs = segments[path]
        index = next((i for i, s in enumerate(segs) if _is_total_segment(s)), None)
        if index is None:
            continue
        parts = _parts(segs[:index], segs[index + 1 :], paths, segments, exclude=path)
        if parts:
            identities.append((path, tuple(parts)))
    return tuple(identities)


def _parts(
    prefix: tuple[str, ...],
    suffix: tuple[str, ...],
    paths: Sequence[str],
    segments: dict[str, tuple[str, ...]],
    exclude: str,
) -> list[str] | None:
    depth = len(prefix)
    groups: dict[str, list[str]] = {}
    for path in paths:
        segs = segments[path]
        if path == exclude or segs[:depth] != prefix or len(segs) < depth + 1 + len(suffix):
            continue
        if suffix and segs[len(segs) - len(suffix) :] != suffix:
            continue
        head = segs[depth]
        if _is_total_segment(head) or any(w in head for w in _NOT_PART_WORDS):
            continue
        groups.setdefault(head, []).append(path)
    if not groups:
        return None
    columns: list[str] = []
    for head, members in groups.items():
        middles = {m: segments[m][depth + 1 : len(segments[m]) - len(suffix)] for m in members}
        middles = {m: mid for m, mid in middles.items() if not any(_is_share(s) for s in mid)}
        leaf = [m for m, mid in middles.items() if not mid]
        subtotal = [m for m, mid in middles.items() if len(mid) == 1 and _is_total_segment(mid[0])]
        if leaf:
            if len(middles) > 1:
                return None  # a column named like its own group: which one is the part is unclear
            columns.append(leaf[0])
        elif subtotal:
            columns.append(subtotal[0])
        else:
            if not suffix and any(
                any(w in mid[-1] for w in _VARIANT_WORDS) for mid in middles.values() if mid
            ):
                return None
            inner = _parts((*prefix, head), suffix, paths, segments, exclude)
            if inner is None:
                return None
            columns.extend(inner)
    return columns


_THREE_PUBLIC_WORDS = ("三公", _ABROAD, _CAR, _RECEPTION)


def _three_public_identities(identities: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """A “三公” 合计 never adds the 机关运行经费 printed beside it; a total naming 三公 adds only 三公 parts."""
    kept: list[tuple[str, list[str]]] = []
    for total, parts in identities:
        chosen = [p for p in parts if "机关运行" not in p]
        if "三公" in total:
            chosen = [p for p in chosen if any(w in p for w in _THREE_PUBLIC_WORDS)]
        if chosen:
            kept.append((total, chosen))
    return kept


def _column_gaps(table: DisclosureTable, kind: GapKind) -> list[Gap]:
    identities = column_identities(_amount_columns(table))
    if kind == "three_public":
        identities = _three_public_identities(identities)
    gaps: list[Gap] = []
    seen: set[tuple[object, ...]] = set()
    for row in table.rows:
        for total, parts in identities:
            printed = row.values.get(total)
            if printed is None:
                continue
            expected, present = _sum(row.values.get(p) for p in parts)
            if not present or expected == printed:
                continue
            figures = (total, printed, *(row.values.get(p) for p in parts))
            if figures in seen:
                continue  # a unit row repeating the 合计 row: one report
            seen.add(figures)
            names = " + ".join(f"{_q(p)}" for p in parts)
            gaps.append(
                Gap(
                    kind=kind,
                    form=_table_name(table),
                    row=_row_name(row),
                    column=total,
                    basis=f"{names}之和",
                    expected=expected,
                    actual=printed,
                    unit=table.unit,
                    parts=(*present, printed),
                    locations=(row.cells.get(total), *(row.cells.get(p) for p in parts)),
                    group=(kind, id(table), id(row), total),
                )
            )
    return gaps


# ---------------------------------------------------------------------------------------------
# A104: 收入总计 = 支出总计

_TWO_SIDED = ("income_expenditure_summary", "fiscal_summary")


def _grand_of_side(table: DisclosureTable, side: str) -> DisclosureRow | None:
    rows = [r for r in table.rows if r.side == side and r.is_total and total_role(r) == "grand"]
    with_values = [r for r in rows if any(v is not None for v in r.values.values())]
    for word in ("总计", "合计"):
        for row in with_values:
            if word in row.name:
                return row
    return with_values[-1] if with_values else None


def _headline(table: DisclosureTable, row: DisclosureRow) -> tuple[str, Decimal] | None:
    """The number a total row stands for: its only value, or its 合计 column."""
    single = _single_value(row)
    if single is not None:
        return single
    for column, value in row.values.items():
        if value is not None and any(_is_total_segment(s) for s in _segments(column)):
            return column, value
    return None


def _sides_gaps(table: DisclosureTable) -> list[Gap]:
    if table.kind not in _TWO_SIDED:
        return []
    income, spending = _grand_of_side(table, "income"), _grand_of_side(table, "expenditure")
    if income is None or spending is None:
        return []
    left, right = _headline(table, income), _headline(table, spending)
    if left is None or right is None or left[1] == right[1]:
        return []
    return [
        Gap(
            kind="sides",
            form=_table_name(table),
            row=f"收入方{_q(income.name)}",
            column=None,
            basis=f"支出方{_q(spending.name)}",
            expected=right[1],
            actual=left[1],
            unit=table.unit,
            parts=(left[1], right[1]),
            locations=(income.cells.get(left[0]), spending.cells.get(right[0])),
        )
    ]


# ---------------------------------------------------------------------------------------------
# A105: “三公”经费


def _three_public_rows(table: DisclosureTable) -> list[Gap]:
    """“三公” tables printed with one row per 费 (因公出国（境）费, 公务用车购置及运行费, …)."""
    named: dict[str, DisclosureRow] = {}
    for row in table.rows:
        name = _plain(row.name)
        if row.is_total or ("三公" in name and ("合计" in name or "小计" in name or name.endswith("经费"))):
            named.setdefault("total", row)
        elif _ABROAD in name:
            named.setdefault("abroad", row)
        elif _RECEPTION in name:
            named.setdefault("reception", row)
        elif _CAR in name or name.startswith(("购置", "运行")) or "用车" in name:
            buys, runs = "购置" in name, "运行" in name
            if buys and runs:
                named.setdefault("car", row)
            elif buys:
                named.setdefault("purchase", row)
            elif runs:
                named.setdefault("running", row)
    if "total" not in named or not ({"abroad", "reception"} & named.keys()):
        return []
    gaps: list[Gap] = []
    columns = _amount_columns(table)
    several = len(columns) > 1
    for column in columns:
        car_parts = [named.get("purchase"), named.get("running")]
        car = named.get("car")
        if car is not None and any(p is not None for p in car_parts):
            gaps.extend(
                _three_public_gap(table, car, [p for p in car_parts if p is not None], column, several)
            )
        parts = [named.get("abroad"), car if car is not None else None, named.get("reception")]
        if car is None:
            parts.extend(car_parts)
        gaps.extend(
            _three_public_gap(table, named["total"], [p for p in parts if p is not None], column, several)
        )
    return gaps


def _three_public_gap(
    table: DisclosureTable, total: DisclosureRow, parts: list[DisclosureRow], column: str, several: bool
) -> list[Gap]:
    printed = total.values.get(column)
    expected, present = _sum(p.values.get(column) for p in parts)
    if printed is None or not present or expected == printed:
        return []
    names = " + ".join(f"{_q(p.name)}" for p in parts)
    return [
        Gap(
            kind="three_public",
            form=_table_name(table),
            row=_row_name(total),
            column=column if several else None,
            basis=f"{names}之和",
            expected=expected,
            actual=printed,
            unit=table.unit,
            parts=(*present, printed),
            locations=(total.cells.get(column), *(p.cells.get(column) for p in parts)),
            group=("three_public", id(table), id(total)),
        )
    ]


# ---------------------------------------------------------------------------------------------
# A106 / A107: the same total across tables


@dataclass(frozen=True)
class _Figure:
    """A total as printed in one table: the number, the table, what it is called, the cell."""

    value: Decimal
    table: DisclosureTable
    label: str
    cell: Loc | None


def _only(disclosure: Disclosure, kind: str) -> DisclosureTable | None:
    tables = [t for t in disclosure.tables if t.kind == kind]
    return tables[0] if len(tables) == 1 else None


def _outer_total_column(columns: list[str]) -> str | None:
    best: tuple[int, str] | None = None
    for column in columns:
        segs = _segments(column)
        index = next((i for i, s in enumerate(segs) if _is_total_segment(s)), None)
        if index is not None and (best is None or index < best[0]):
            best = (index, column)
    if best is not None:
        return best[1]
    return columns[0] if len(columns) == 1 else None


def _group_column(columns: list[str], word: str) -> str | None:
    """The column standing for the 基本支出 (项目支出, 财政拨款收入 …) group: its 小计, or the leaf."""
    for depth in range(4):
        heads = [c for c in columns if len(_segments(c)) > depth and word in _segments(c)[depth]]
        heads = [c for c in heads if not _is_share(_segments(c)[depth])]
        if not heads:
            continue
        leaf = [c for c in heads if len(_segments(c)) == depth + 1]
        if len(leaf) == 1 and len(heads) == 1:
            return leaf[0]
        subtotal = [
            c for c in heads if len(_segments(c)) == depth + 2 and _is_total_segment(_segments(c)[depth + 1])
        ]
        return subtotal[0] if len(subtotal) == 1 else None
    return None


def _group_leaves(columns: list[str], word: str) -> list[str] | None:
    """The leaves of a group printed without a 小计 (基本支出/人员经费 + 基本支出/公用经费)."""
    for depth in range(4):
        heads = [c for c in columns if len(_segments(c)) > depth + 1 and word in _segments(c)[depth]]
        if not heads:
            continue
        if len({_segments(c)[: depth + 1] for c in heads}) != 1:
            return None
        leaves = [c for c in heads if not any(_is_share(s) or _is_total_segment(s) for s in _segments(c))]
        variants = any(any(w in _segments(c)[-1] for w in _VARIANT_WORDS) for c in leaves)
        return leaves if leaves and not variants and len(leaves) == len(heads) else None
    return None


def _table_grand(table: DisclosureTable) -> DisclosureRow | None:
    grands = [r for r in table.rows if r.is_total and total_role(r) == "grand" and r.side is None]
    with_values = [r for r in grands if any(v is not None for v in r.values.values())]
    return with_values[0] if with_values else None


def _table_figure(table: DisclosureTable | None, word: str | None = None) -> _Figure | None:
    """The grand total of a one-sided table, in its 合计 column or the column of ``word``."""
    if table is None:
        return None
    columns = _amount_columns(table)
    column = _group_column(columns, word) if word else _outer_total_column(columns)
    row = _table_grand(table)
    if column is None and word and row is not None:
        leaves = _group_leaves(columns, word)
        values = [row.values.get(c) for c in leaves or []]
        if leaves and all(v is not None for v in values):
            total = sum((v or Decimal(0) for v in values), Decimal(0))
            label = f"{_q(row.name or '合计')}行" + " + ".join(_q(c) for c in leaves)
            return _Figure(total, table, label, row.cells.get(leaves[0]))
    if column is None:
        return None
    if row is not None:
        value = row.values.get(column)
        if value is None:
            return None
        name = (
            f"{_q(row.name or '合计')}行{_q(column)}列" if len(columns) > 1 else f"{_q(row.name or '合计')}"
        )
        return _Figure(value, table, name, row.cells.get(column))
    partials = [
        r
        for r in table.rows
        if r.is_total and total_role(r) == "partial" and r.values.get(column) is not None
    ]
    if len(partials) >= 2 and not word:
        value = sum((r.values[column] or Decimal(0) for r in partials), Decimal(0))
        label = "与".join(f"{_q(r.name)}" for r in partials) + "之和"
        return _Figure(value, table, label, partials[0].cells.get(column))
    return None


_CARRY_WORDS = ("结转", "结余")


def _side_figure(table: DisclosureTable | None, side: str, word: str | None = None) -> list[_Figure]:
    """A 收支 table's 本年收入 (本年支出) on one side: the 本年 subtotal where printed, and the
    总计 (another table may repeat either: a 收入总表 with a 上年结转 column repeats the 总计)."""
    if table is None:
        return []
    rows = [r for r in table.rows if r.side == side]
    figures: list[_Figure] = []
    column = _group_column(_amount_columns(table), word) if word else None
    if word and column is None:
        return []

    def value_of(row: DisclosureRow) -> tuple[str, Decimal] | None:
        if column is not None:
            value = row.values.get(column)
            return (column, value) if value is not None else None
        return _headline(table, row)

    totals = [r for r in rows if r.is_total and total_role(r) in ("current", "grand")]
    grand = _grand_of_side(table, side)
    ordered = [r for r in totals if total_role(r) == "current"] + [r for r in totals if r is grand]
    ordered += [r for r in totals if all(r is not o for o in ordered)]
    for row in ordered:
        found = value_of(row)
        if found is not None:
            label = f"{_q(row.name)}行{_q(column)}列" if column is not None else _q(row.name)
            figures.append(_Figure(found[1], table, label, row.cells.get(found[0])))
    return figures


def _same(one: _Figure, other: _Figure) -> bool:
    """Equal as printed; a total in 元 and one in 万元 are equal when the 万元 one is the 元 one rounded."""
    units = {one.table.unit, other.table.unit}
    if units != {"元", "万元"}:
        return one.value == other.value
    yuan, wan = (one, other) if one.table.unit == "元" else (other, one)
    return abs(yuan.value / Decimal(10000) - wan.value) <= _half_unit(wan.value)


def _compare(
    left: list[_Figure], right: list[_Figure] | _Figure | None, what: str, kind: GapKind = "across"
) -> list[Gap]:
    """The figure of the table in question (``right``) must equal the figure ``left`` repeats; each
    side may offer several readings (本年 subtotal, 总计), any matching pair will do."""
    rights = right if isinstance(right, list) else [right] if right is not None else []
    if not left or not rights:
        return []
    if any(_same(one, other) for one in left for other in rights):
        return []
    primary, shown = left[0], rights[0]
    if primary.table.unit != shown.table.unit and {primary.table.unit, shown.table.unit} == {"元", "万元"}:
        return []  # not equal even after conversion, but the units make the message misleading: left out
    return [
        Gap(
            kind=kind,
            form=_table_name(shown.table),
            row=shown.label,
            column=None,
            basis=f"{_table_name(primary.table)}{primary.label}（{what}）",
            expected=primary.value,
            actual=shown.value,
            unit=shown.table.unit,
            parts=(primary.value, shown.value),
            locations=(shown.cell, primary.cell),
        )
    ]


_FISCAL_INCOME = ("财政拨款", "一般公共预算", "政府性基金", "国有资本经营")


def _all_income_fiscal(summary: DisclosureTable) -> bool | None:
    """Whether every income line of the 收支总表 is 财政拨款 (None when it cannot be told)."""
    rows = [r for r in summary.rows if r.side == "income" and not r.is_total and not _is_share(r.name)]
    if not rows:
        return None
    for row in rows:
        name = _plain(row.name)
        if any(w in name for w in _CARRY_WORDS):
            continue
        if any(w in name for w in _FISCAL_INCOME):
            continue
        if any(v for v in row.values.values() if v is not None):
            return False
    return True


def _only_general_budget(summary: DisclosureTable) -> bool:
    """Whether all the money of a 收支总表 is this year's 一般公共预算 (no funds, no carry-over), so its
    人员经费 and 公用经费 are those of the 一般公共预算基本支出表."""
    rows = [r for r in summary.rows if r.side == "income" and not r.is_total and not _is_share(r.name)]
    if not rows:
        return False
    for row in rows:
        name = _plain(row.name)
        if any(w in name for w in ("财政拨款", "一般公共预算")) and not any(w in name for w in _CARRY_WORDS):
            continue
        if any(v for v in row.values.values() if v is not None):
            return False
    return True


def across_gaps(disclosure: Disclosure) -> list[Gap]:
    """The totals that several tables of one disclosure repeat, where the identity always holds."""
    gaps: list[Gap] = []
    summary = _only(disclosure, "income_expenditure_summary")
    fiscal = _only(disclosure, "fiscal_summary")
    income = _only(disclosure, "income_summary")
    spending = _only(disclosure, "expenditure_summary")
    general = _only(disclosure, "general_budget_expenditure")
    basic = _only(disclosure, "general_budget_basic")
    fiscal_spending = _only(disclosure, "fiscal_expenditure")
    projects = _only(disclosure, "project_expenditure")
    gov_fund = _only(disclosure, "gov_fund")
    gaps += _compare(_side_figure(summary, "expenditure"), _table_figure(spending), "本年支出合计")
    gaps += _compare(_side_figure(summary, "income"), _table_figure(income), "本年收入合计")
    fiscal_income = _side_figure(fiscal, "income")
    gaps += _compare(fiscal_income, _table_figure(income, "财政拨款"), "财政拨款收入")
    general_in_fiscal = _side_figure(fiscal, "expenditure", "一般公共预算")
    if general_in_fiscal:
        gaps += _compare(general_in_fiscal, _table_figure(general), "一般公共预算支出")
    elif fiscal is not None and general is not None and not _other_funds(fiscal):
        gaps += _compare(_side_figure(fiscal, "expenditure"), _table_figure(general), "一般公共预算支出")
    gaps += _compare(_side_figure(fiscal, "expenditure"), _table_figure(fiscal_spending), "财政拨款支出")
    gaps += _compare(
        _side_figure(fiscal, "expenditure", "政府性基金"), _table_figure(gov_fund), "政府性基金预算支出"
    )
    general_basic = _table_figure(general, "基本支出")
    if general_basic is not None:
        gaps += _compare([general_basic], _table_figure(basic), "一般公共预算基本支出")
    for word in ("人员经费", "公用经费"):
        in_basic = _table_figure(basic, word)
        in_general = _table_figure(general, word)
        gaps += _compare([in_general] if in_general else [], in_basic, word)
        if summary is not None and _only_general_budget(summary):
            gaps += _compare(_side_figure(summary, "expenditure", word), in_basic, word)
    gaps += _class_gaps(summary, "expenditure", None, spending)
    if fiscal is not None and _group_column(_amount_columns(fiscal), "一般公共预算") is not None:
        gaps += _class_gaps(fiscal, "expenditure", "一般公共预算", general)
    elif fiscal is not None and not _other_funds(fiscal):
        gaps += _class_gaps(fiscal, "expenditure", None, general)
    if projects is not None and spending is not None:
        # a 项目支出表 listing every source repeats the 项目支出 of the 支出总表; one listing only
        # 财政拨款 projects need not
        sources = " ".join(_amount_columns(projects))
        if any(w in sources for w in ("单位资金", "其他资金", "事业收入", "财政专户")):
            project_total = _table_figure(spending, "项目支出")
            gaps += _compare(
                [project_total] if project_total else [], _table_figure(projects), "项目支出合计"
            )
    return gaps


def fiscal_summary_gaps(disclosure: Disclosure) -> tuple[list[Gap], str | None]:
    """收支总表 against 财政拨款收支总表, which must agree only where all income is 财政拨款."""
    summary = _only(disclosure, "income_expenditure_summary")
    fiscal = _only(disclosure, "fiscal_summary")
    if summary is None or fiscal is None:
        return [], "没有收支总表和财政拨款收支总表两张表"
    all_fiscal = _all_income_fiscal(summary)
    if all_fiscal is None:
        return [], "收支总表没有收入项目，无法判断收入是否全部为财政拨款"
    if not all_fiscal:
        return [], "收入不全是财政拨款（另有事业收入、其他收入等），收支总表与财政拨款收支总表的总数不必相等"
    left, right = _side_figure(summary, "income"), _side_figure(fiscal, "income")
    return _compare(left, right, "全部收入均为财政拨款", kind="all_fiscal"), None


def _class_figures(table: DisclosureTable, side: str | None, word: str | None) -> dict[str, _Figure]:
    """The 类 rows of a table by code, with the amount another table repeats (codes printed twice left out)."""
    columns = _amount_columns(table)
    column = (
        _group_column(columns, word) if word else (_outer_total_column(columns) if side is None else None)
    )
    if (word or side is None) and column is None:
        return {}
    figures: dict[str, _Figure] = {}
    repeated: set[str] = set()
    for row in table.rows:
        if (
            row.side != side
            or row.is_total
            or row.code_kind != "function"
            or not row.code
            or len(row.code) != 3
        ):
            continue
        if row.code in figures or row.code in repeated:
            figures.pop(row.code, None)
            repeated.add(row.code)
            continue
        found = (column, row.values.get(column)) if column is not None else _headline(table, row)
        if found is None or found[1] is None:
            continue
        figures[row.code] = _Figure(found[1], table, _row_name(row), row.cells.get(found[0]))
    return figures


def _class_gaps(
    summary: DisclosureTable | None, side: str, word: str | None, detail: DisclosureTable | None
) -> list[Gap]:
    """Each 类 of a 收支 table against the same 类 in the detail table (支出总表, 一般公共预算支出表)."""
    if summary is None or detail is None:
        return []
    printed = _class_figures(summary, side, word)
    repeated = _class_figures(detail, None, None)
    gaps: list[Gap] = []
    for code, figure in printed.items():
        other = repeated.get(code)
        if other is not None:
            gaps += _compare([other], figure, "同一类级科目")
    return gaps


def _other_funds(fiscal: DisclosureTable) -> bool:
    """Whether the 财政拨款收支总表 has 政府性基金 or 国有资本经营 income (then 财政拨款 ≠ 一般公共预算)."""
    for row in fiscal.rows:
        fund = any(w in row.name for w in ("政府性基金", "国有资本经营"))
        if row.side == "income" and not row.is_total and fund and any(row.values.values()):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# the disclosure's gaps, once per document


def disclosure_gaps(form: Disclosure) -> list[Gap]:
    """Every A1xx identity of one disclosure that does not hold exactly (rounding ones included)."""
    token = _COLUMNS.set({})
    try:
        gaps: list[Gap] = []
        for table in form.tables:
            gaps.extend(table_gaps(table))
            if table.kind == "three_public":
                gaps.extend(_column_gaps(table, "three_public"))
                gaps.extend(_three_public_rows(table))
            else:
                gaps.extend(_column_gaps(table, "columns"))
            gaps.extend(_sides_gaps(table))
        gaps.extend(across_gaps(form))
        gaps.extend(fiscal_summary_gaps(form)[0])
        return gaps
    finally:
        _COLUMNS.reset(token)


def _gaps(form: Disclosure, ctx: Context) -> list[Gap]:
    return ctx.memo(("arithmetic.disclosure", id(form)), lambda: disclosure_gaps(form))


def _has_tables(form: Disclosure, ctx: Context) -> NotApplicable | None:
    def amounts() -> bool:
        return any(v is not None for t in form.tables for r in t.rows for v in r.values.values())

    if not ctx.memo(("arithmetic.amounts", id(form)), amounts):
        return NotApplicable("公开表格中没有金额（空白模板或表格未能读取）")
    return None


# ---------------------------------------------------------------------------------------------
# A101–A108


@rule(
    "A101",
    Severity.ERROR,
    "表格合计与明细行之和不符",
    "逐表逐列核对合计（总计、本年收入合计、单位小计等）行与其下明细行之和。只加同一层级的行：表中只有项级科目时加项，"
    "列出类级科目时只加类，不把类、款、项重复相加；“其中”行不计入；收支总表分段核对“本年收入合计”与“总计”。"
    "差额在四舍五入显示尾差范围内的不在此报告（见 A108）。表格没有合计行或明细行没有金额时不适用。",
    "例：《部门支出总体情况表》“合计”行“合计”列为 8562.6 万元，12 个项级科目之和为 8600.0 万元，相差 37.4 万元。",
    applies_to=Disclosure,
    suggestion="核对合计行与各明细行的金额，确认是否漏列、重列科目或合计行计算有误。",
)
def table_total_against_rows(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _errors(_gaps(form, ctx), "rows")


@rule(
    "A102",
    Severity.ERROR,
    "上级科目金额与下级科目之和不符",
    "功能分类的类应等于其下各款之和、款应等于其下各项之和（经济分类的类与款同理），按表中最近的上级科目归属；"
    "收支表中“一、”行应等于其下“（一）”“（二）”等行之和。多个单位并列时在各单位内分别核对。"
    "下级为无编号的多层明细（如政府采购品目）时无法判断层级，不核对。",
    "例：《一般公共预算支出表》“208 社会保障和就业支出”行为 326.72 万元，其下 2 个款级科目之和为 336.72 万元，相差 10.00 万元。",
    applies_to=Disclosure,
    suggestion="核对上级科目与其下级科目的金额。",
)
def parent_against_children(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _errors(_gaps(form, ctx), "children")


@rule(
    "A103",
    Severity.ERROR,
    "合计列与分项列之和不符",
    "按表头词语逐行核对列间关系：合计 = 基本支出 + 项目支出，基本支出 = 人员经费 + 公用经费，"
    "收入合计 = 各项收入来源，小计 = 其下各列。“其中”列、上年数、增减和比率列不参与；"
    "“三公”经费表见 A105。表头不能确定分项时不核对。",
    "例：《部门支出总表》“合计”行“合计”列为 8562.6 万元，“基本支出/小计” + “项目支出/小计”之和为 8662.6 万元，相差 100.0 万元。",
    applies_to=Disclosure,
    suggestion="核对该行合计列与各分项列的金额。",
)
def total_column_against_parts(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _errors(_gaps(form, ctx), "columns")


@rule(
    "A104",
    Severity.ERROR,
    "收入总计与支出总计不等",
    "收支总表和财政拨款收支总表左右两方应平衡：收入方“总计”（含上年结转）等于支出方“总计”（含年末结转结余）。"
    "表中缺少某一方总计时不适用。",
    "例：《部门收支总体情况表》收入方“收入总计”为 8562.6 万元，支出方“支出总计”为 8526.6 万元，相差 36.0 万元。",
    applies_to=Disclosure,
    suggestion="核对收支两方的总计及其构成。",
)
def income_total_against_expenditure_total(
    form: Disclosure, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    if not any(t.kind in _TWO_SIDED for t in form.tables):
        yield NotApplicable("没有收支总表或财政拨款收支总表")
        return
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _errors(_gaps(form, ctx), "sides")


@rule(
    "A105",
    Severity.ERROR,
    "“三公”经费合计与分项之和不符",
    "“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费，公务用车购置及运行费 = 购置费 + 运行费；"
    "按列（预算数、决算数分别核对）或按行列示均可识别。表中另列会议费、培训费时，总合计包含它们。",
    "例：《“三公”经费支出表》“合计”列为 22.91 万元，“因公出国(境)费” + “公务接待费” + “公务用车购置及运行费/小计”之和为 23.91 万元。",
    applies_to=Disclosure,
    suggestion="核对“三公”经费合计及其分项。",
)
def three_public_against_parts(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not any(t.kind == "three_public" for t in form.tables):
        yield NotApplicable("没有“三公”经费表")
        return
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _errors(_gaps(form, ctx), "three_public")


@rule(
    "A106",
    Severity.ERROR,
    "同一总数在不同表中不一致",
    "同一公开文件中各表重复出现的总数应相同：收支总表的本年支出（收入）与支出总表（收入总表）合计，"
    "财政拨款收支总表的本年收入与收入总表财政拨款收入，其一般公共预算支出与一般公共预算支出表合计，"
    "一般公共预算支出表的基本支出与基本支出表合计，财政拨款支出表合计与财政拨款收支总表本年支出等。"
    "项目支出表只在列出全部资金来源时与支出总表的项目支出比较；同类表不止一张时不比较；元与万元的表按四舍五入换算后比较。"
    "收支总表与财政拨款收支总表见 A107。",
    "例：《一般公共预算基本支出表》“合计”为 4550.7 万元，《一般公共预算支出表》“合计”行“基本支出/小计”列为 4505.7 万元。",
    applies_to=Disclosure,
    suggestion="核对各表的同一总数，找出填错的一张表。",
)
def same_total_across_tables(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _errors(_gaps(form, ctx), "across")


@rule(
    "A107",
    Severity.ERROR,
    "收支总表与财政拨款收支总表总数不一致",
    "部门的收入全部是财政拨款（收支总表中事业收入、经营收入、其他收入等均为空或零）时，收支总表的本年收入（总计）"
    "应等于财政拨款收支总表的本年收入（总计）。另有非财政拨款收入时两表不必相等，本规则不适用并说明原因。",
    "例：收入全部为财政拨款，《部门收支总表》“收入总计”为 8562.6 万元，《财政拨款收支总表》“收入合计”为 8526.6 万元。",
    applies_to=Disclosure,
    suggestion="核对两张总表的收入与支出，或确认是否有未列示的非财政拨款收入。",
)
def summary_against_fiscal_summary(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    reason = fiscal_summary_gaps(form)[1]
    if reason is not None:
        yield NotApplicable(reason)
        return
    yield from _errors(_gaps(form, ctx), "all_fiscal")


@rule(
    "A108",
    Severity.INFO,
    "合计与分项相差在四舍五入显示尾差范围内",
    "A101–A107 的核对中，差额不超过各数显示精度的舍入误差（如 12 行 0.1 万元的数与其合计相差 0.1）时，"
    "记为提示而非错误：这是四舍五入显示造成的尾差。每张表汇总为一条。",
    "例：《部门支出总体情况表》“合计”行“合计”列为 8562.6 万元，12 个项级科目之和为 8562.7 万元，相差 0.1 万元，在尾差范围内。",
    applies_to=Disclosure,
)
def rounding_differences(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    empty = _has_tables(form, ctx)
    if empty is not None:
        yield empty
        return
    yield from _rounding_notes(_gaps(form, ctx))


# ---------------------------------------------------------------------------------------------
# A2xx: declared and executed funds

_TOTAL_TASK_NAMES = ("合计", "总计", "小计", "金额合计", "资金合计", "合计金额")


def _form_name(form: DeptTargetDeclaration | SelfEvaluation | ProjectTargetSummary) -> str:
    if form.title:
        return f"《{form.title}》"
    if isinstance(form, SelfEvaluation):
        return "《绩效自评表》"
    if isinstance(form, ProjectTargetSummary):
        return "《项目绩效目标汇总表》"
    return "《部门整体绩效目标表》"


def _is_total_task(task: Task) -> bool:
    return norm(task.name).rstrip(":：") in _TOTAL_TASK_NAMES or norm(task.label or "") in _TOTAL_TASK_NAMES


def _task_name(task: Task) -> str:
    return _q(f"{task.label}：{task.name}") if task.label else _q(task.name)


def _task_gaps(form: DeptTargetDeclaration) -> list[Gap]:
    """A 合计 row of the 年度主要任务 against its tasks; else the tasks against the budget total."""
    totals = [t for t in form.tasks if _is_total_task(t)]
    tasks = [t for t in form.tasks if not _is_total_task(t)]
    gaps: list[Gap] = []
    if totals:
        for key, label in (("total", "合计"), ("fiscal", "其中财政资金")):
            printed = getattr(totals[0], key)
            expected, parts = _sum(getattr(t, key) for t in tasks)
            if printed is None or not parts or printed == expected:
                continue
            gaps.append(
                Gap(
                    kind="tasks",
                    form=_form_name(form),
                    row=f"年度主要任务{_q(totals[0].name)}行",
                    column=label,
                    basis=f"{len(tasks)} 项任务之和",
                    expected=expected,
                    actual=printed,
                    unit=totals[0].unit,
                    parts=(*parts, printed),
                    locations=(totals[0].cells.get(key), *(t.cells.get(key) for t in tasks[:1] + tasks[-1:])),
                    group=("tasks", id(form), "total"),
                )
            )
        return gaps
    amounts = [t.total for t in tasks if t.total is not None]
    budget_total = _budget_total(form.budget)
    if len(amounts) < 2 or budget_total is None or budget_total.amount is None:
        return gaps
    expected, parts = _sum(amounts)
    projects = next((b for b in form.budget if "项目支出" in norm(b.label) and b.amount is not None), None)
    if expected in (budget_total.amount, projects.amount if projects else None):
        return gaps
    unit = tasks[0].unit
    if budget_total.unit != unit:
        return gaps
    target = budget_total
    if projects is not None and abs((projects.amount or Decimal(0)) - expected) < abs(
        budget_total.amount - expected
    ):
        target = projects
    printed = target.amount or Decimal(0)
    gaps.append(
        Gap(
            kind="tasks",
            form=_form_name(form),
            row=f"预算情况{_q(target.label)}",
            column=None,
            basis=f"年度主要任务 {len(amounts)} 项合计金额之和",
            expected=expected,
            actual=printed,
            unit=unit,
            parts=(*parts, printed),
            locations=(target.loc, *(t.cells.get("total") for t in tasks[:1] + tasks[-1:])),
            group=("tasks", id(form), "budget"),
        )
    )
    return gaps


_BUDGET_TOTAL_WORDS = ("总额", "总计", "合计")
#: Categories of a budget by source and by use; a line belongs to the first category it names.
_SOURCE_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fiscal", ("财政拨款", "财政资金", "财政性资金", "政府预算资金", "财政补助", "公共财政")),
    ("fiscal_part", ("一般公共预算", "政府性基金", "国有资本经营")),
    ("special", ("财政专户",)),
    ("carry", ("上年结转", "结转结余", "结转资金")),
    ("other", ("单位资金", "其他资金", "自有资金", "事业收入", "其他收入", "经营收入", "非财政")),
)
_USE_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
)


def _budget_total(lines: Sequence[BudgetLine]) -> BudgetLine | None:
    totals = [b for b in lines if any(w in norm(b.label) for w in _BUDGET_TOTAL_WORDS)]
    return totals[0] if totals else None


def _partitions(labels: Sequence[str]) -> list[list[int]]:
    """Indexes of lines that together make the total: one partition by source, one by use."""
    result: list[list[int]] = []
    for categories in (_SOURCE_CATEGORIES, _USE_CATEGORIES):
        chosen: dict[str, list[int]] = {}
        for index, label in enumerate(labels):
            text = norm(label)
            if any(w in text for w in _BUDGET_TOTAL_WORDS):
                continue
            for name, words in categories:
                if any(w in text for w in words):
                    chosen.setdefault(name, []).append(index)
                    break
        if "fiscal" in chosen and "fiscal_part" in chosen:
            chosen.pop("fiscal_part")  # 一般公共预算 printed under 财政拨款: a share, not a part
        if any(len(v) > 1 for k, v in chosen.items() if k != "fiscal_part"):
            continue  # two lines claim one category: the layout is not understood
        if len(chosen) >= 2:
            result.append(sorted(i for v in chosen.values() for i in v))
    return result


def _budget_line_gaps(form: DeptTargetDeclaration) -> list[Gap]:
    total = _budget_total(form.budget)
    if total is None or total.amount is None:
        return []
    lines = [b for b in form.budget if b is not total]
    gaps: list[Gap] = []
    for partition in _partitions([b.label for b in lines]):
        parts = [lines[i] for i in partition]
        expected, present = _sum(p.amount for p in parts)
        if not present or expected == total.amount:
            continue
        gaps.append(
            Gap(
                kind="budget",
                form=_form_name(form),
                row=f"预算情况{_q(total.label)}",
                column=None,
                basis="、".join(f"{_q(p.label)}" for p in parts) + "之和",
                expected=expected,
                actual=total.amount,
                unit=total.unit,
                parts=(*present, total.amount),
                locations=(total.loc, *(p.loc for p in parts)),
            )
        )
    return gaps


_FUND_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", "年初数"),
    ("adjusted", "全年数"),
    ("executed", "全年执行数"),
)


def _fund_line_gaps(form: SelfEvaluation) -> list[Gap]:
    lines = form.budget_execution
    totals = [f for f in lines if any(w in norm(f.label) for w in _BUDGET_TOTAL_WORDS)]
    if not totals:
        return []
    total = totals[0]
    rest = [f for f in lines if f is not total]
    gaps: list[Gap] = []
    for partition in _partitions([f.label for f in rest]):
        parts = [rest[i] for i in partition]
        for key, label in _FUND_COLUMNS:
            printed = getattr(total, key)
            expected, present = _sum(getattr(p, key) for p in parts)
            if printed is None or not present or expected == printed:
                continue
            gaps.append(
                Gap(
                    kind="budget",
                    form=_form_name(form),
                    row=f"预算执行情况{_q(total.label)}行",
                    column=label,
                    basis="、".join(f"{_q(p.label)}" for p in parts) + "之和",
                    expected=expected,
                    actual=printed,
                    unit=total.unit,
                    parts=(*present, printed),
                    locations=(total.cells.get(key), *(p.cells.get(key) for p in parts)),
                    group=("budget", id(form), tuple(partition)),
                )
            )
    return gaps


def _summary_listings(rows: Sequence[ProjectSummaryRow]) -> list[list[ProjectSummaryRow]]:
    """A summary printed twice (seed 003) is two listings: a unit code or 合计 seen again starts one."""
    listings: list[list[ProjectSummaryRow]] = [[]]
    seen: set[str] = set()
    for row in rows:
        key = row.code if row.is_unit and row.code else (norm(row.name) if row.is_unit else None)
        if key is not None and key in seen:
            listings.append([])
            seen = set()
        if key is not None:
            seen.add(key)
        listings[-1].append(row)
    return [listing for listing in listings if listing]


def _summary_row_name(row: ProjectSummaryRow) -> str:
    if row.code and row.name:
        return f"{_q(f'{row.code} {row.name}')}行"
    return f"{_q(row.code or row.name or '合计')}行"


def _summary_gaps(form: ProjectTargetSummary) -> list[Gap]:
    gaps: list[Gap] = []
    columns = list(dict.fromkeys(k for r in form.rows for k in r.amounts))
    for listing in _summary_listings(form.rows):
        for total, members, basis in _summary_checks(listing):
            for column in columns:
                printed = total.amounts.get(column)
                expected, parts = _sum(m.amounts.get(column) for m in members)
                if printed is None or not parts or expected == printed:
                    continue
                with_values = [m for m in members if m.amounts.get(column) is not None]
                gaps.append(
                    Gap(
                        kind="summary_rows",
                        form=_form_name(form),
                        row=_summary_row_name(total),
                        column=column,
                        basis=basis,
                        expected=expected,
                        actual=printed,
                        unit=form.unit,
                        parts=(*parts, printed),
                        locations=(
                            total.cells.get(column),
                            *(m.cells.get(column) for m in with_values[:1] + with_values[-1:]),
                        ),
                        group=("summary_rows", id(form), id(total)),
                    )
                )
    return gaps


def _summary_checks(
    listing: list[ProjectSummaryRow],
) -> list[tuple[ProjectSummaryRow, list[ProjectSummaryRow], str]]:
    """(total row, the rows it adds up, what they are): a unit over its sub-units or its projects,
    a 合计 row over the top units (or the projects where there are no units)."""
    units = [r for r in listing if r.is_unit and r.code]
    grands = [r for r in listing if r.is_unit and not r.code]
    parent_of: dict[int, ProjectSummaryRow | None] = {}
    for unit in units:
        ancestors = [
            u
            for u in units
            if u is not unit and u.code and unit.code and unit.code.startswith(u.code) and u.code != unit.code
        ]
        parent_of[id(unit)] = max(ancestors, key=lambda u: len(u.code or "")) if ancestors else None
    members: dict[int, list[ProjectSummaryRow]] = {id(u): [] for u in units}
    loose: list[ProjectSummaryRow] = []
    current: ProjectSummaryRow | None = None
    for row in listing:
        if row.is_unit and row.code:
            current = row
            parent = parent_of[id(row)]
            (members[id(parent)] if parent is not None else loose).append(row)
        elif row.is_unit:
            continue
        elif current is not None:
            members[id(current)].append(row)
        else:
            loose.append(row)
    checks: list[tuple[ProjectSummaryRow, list[ProjectSummaryRow], str]] = []
    for unit in units:
        inner = members[id(unit)]
        if inner:
            kind = "个下级单位" if all(m.is_unit for m in inner) else "个项目"
            checks.append((unit, inner, f"其下 {len(inner)} {kind}之和"))
    for grand in grands:
        if loose:
            kind = "个单位" if all(m.is_unit for m in loose) else "个项目（单位）"
            checks.append((grand, loose, f"{len(loose)} {kind}之和"))
    return checks


_SUMMARY_TOTAL_WORDS = ("总额", "合计", "总计")


def _summary_column_gaps(form: ProjectTargetSummary) -> list[Gap]:
    columns = list(dict.fromkeys(k for r in form.rows for k in r.amounts))
    totals = [c for c in columns if any(w in norm(c) for w in _SUMMARY_TOTAL_WORDS)]
    if len(totals) != 1:
        return []
    total = totals[0]
    parts = [
        c for c in columns if c != total and not _is_share(c) and not any(w in c for w in _NOT_PART_WORDS)
    ]
    if not parts or ("财政拨款" in " ".join(parts) and "一般公共预算" in " ".join(parts)):
        return []
    gaps: list[Gap] = []
    seen: set[tuple[Decimal | None, ...]] = set()
    for row in form.rows:
        printed = row.amounts.get(total)
        expected, present = _sum(row.amounts.get(p) for p in parts)
        if printed is None or not present or expected == printed:
            continue
        figures = (printed, *(row.amounts.get(p) for p in parts))
        if row.is_unit and figures in seen:
            continue
        seen.add(figures)
        gaps.append(
            Gap(
                kind="summary_columns",
                form=_form_name(form),
                row=_summary_row_name(row),
                column=total,
                basis=" + ".join(f"{_q(p)}" for p in parts) + "之和",
                expected=expected,
                actual=printed,
                unit=form.unit,
                parts=(*present, printed),
                locations=(row.cells.get(total), *(row.cells.get(p) for p in parts)),
            )
        )
    return gaps


FundForm = DeptTargetDeclaration | SelfEvaluation | ProjectTargetSummary


def fund_gaps(form: FundForm) -> list[Gap]:
    """Every A2xx identity of one form that does not hold exactly."""
    if isinstance(form, DeptTargetDeclaration):
        return _task_gaps(form) + _budget_line_gaps(form)
    if isinstance(form, SelfEvaluation):
        return _fund_line_gaps(form)
    return _summary_gaps(form) + _summary_column_gaps(form)


def _fund_gaps(form: FundForm, ctx: Context) -> list[Gap]:
    return ctx.memo(("arithmetic.funds", id(form)), lambda: fund_gaps(form))


def _tasks_of(form: DeptTargetDeclaration | SelfEvaluation) -> list[Task]:
    return [t for t in form.tasks if not _is_total_task(t)]


@rule(
    "A201",
    Severity.ERROR,
    "任务的“其中财政资金”大于合计",
    "年度主要任务的预算资金中，“其中：财政资金”是合计的一部分，不能大于合计。任务未填金额时不核对。",
    "例：任务2“年度考核优秀等次人员奖励经费”合计 536 万元，其中财政资金 563 万元。",
    applies_to=(DeptTargetDeclaration, SelfEvaluation),
    suggestion="核对该任务的合计与财政资金，可能两数填反或多填一位。",
)
def task_fiscal_above_total(
    form: DeptTargetDeclaration | SelfEvaluation, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    tasks = [t for t in _tasks_of(form) if t.total is not None and t.fiscal is not None]
    if not tasks:
        yield NotApplicable("年度主要任务未同时填写合计与财政资金")
        return
    for task in tasks:
        total, fiscal = task.total or Decimal(0), task.fiscal or Decimal(0)
        if fiscal > total:
            yield Problem(
                message=(
                    f"{_form_name(form)}年度主要任务{_task_name(task)}的其中财政资金为 {_money(fiscal, task.unit)}，"
                    f"大于合计 {_money(total, task.unit)}。"
                ),
                locations=(task.cells.get("fiscal"), task.cells.get("total")),
                expected=f"≤{amount_text(total)}",
                actual=amount_text(fiscal),
            )


@rule(
    "A202",
    Severity.ERROR,
    "年度主要任务的合计行与各任务之和不符",
    "年度主要任务表印有“合计”（金额合计）行时，其合计与其中财政资金应分别等于各任务之和。没有合计行时不适用。",
    "例：年度主要任务“合计”行为 2924 万元，12 项任务之和为 2942 万元。",
    applies_to=DeptTargetDeclaration,
    suggestion="核对任务合计行与各任务金额。",
)
def task_total_row_against_tasks(
    form: DeptTargetDeclaration, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    if not any(_is_total_task(t) for t in form.tasks):
        yield NotApplicable("年度主要任务没有合计行")
        return
    gaps = [g for g in _fund_gaps(form, ctx) if g.group[-1:] == ("total",)]
    yield from _errors(gaps, "tasks")


@rule(
    "A203",
    Severity.WARNING,
    "年度主要任务资金之和与预算总额不符",
    "表中填报了预算情况（资金总额、部门预算总额）而任务未印合计行时，各任务合计金额之和应等于预算总额"
    "（任务涵盖全部资金），或等于项目支出（任务只列项目）。两者都不等时提示人工核对：可能漏列任务或金额有误。"
    "任务不足两项有金额、或没有预算总额时不适用。",
    "例：预算情况“资金总额”为 3896.05 万元，年度主要任务 5 项之和为 3200.00 万元，项目支出为 3072.79 万元。",
    applies_to=DeptTargetDeclaration,
    suggestion="核对年度主要任务是否涵盖全部预算资金，金额是否填写正确。",
)
def tasks_against_budget(form: DeptTargetDeclaration, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if any(_is_total_task(t) for t in form.tasks):
        yield NotApplicable("年度主要任务印有合计行，见 A202")
        return
    if sum(1 for t in form.tasks if t.total is not None) < 2:
        yield NotApplicable("年度主要任务不足两项填有金额")
        return
    total = _budget_total(form.budget)
    if total is None or total.amount is None:
        yield NotApplicable("表中没有填报预算总额")
        return
    gaps = [g for g in _fund_gaps(form, ctx) if g.group[-1:] == ("budget",)]
    yield from _errors(gaps, "tasks")


@rule(
    "A204",
    Severity.ERROR,
    "预算总额与其构成之和不符",
    "预算情况（资金情况）与自评表预算执行情况中，总额应等于按来源的各项之和（财政拨款/政府预算资金 + 财政专户管理资金 + "
    "单位资金/其他资金 + 上年结转），也应等于按用途的基本支出 + 项目支出；自评表按年初数、全年数、执行数分别核对。"
    "按标签词语识别各项，某一类由两行同时认领（布局不明）时不核对。",
    "例：预算情况“资金总额”为 3896.05 万元，“基本支出”、“项目支出”之和为 3986.05 万元。",
    applies_to=(DeptTargetDeclaration, SelfEvaluation),
    suggestion="核对预算总额与其各项构成。",
)
def budget_total_against_parts(
    form: DeptTargetDeclaration | SelfEvaluation, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    lines = form.budget if isinstance(form, DeptTargetDeclaration) else form.budget_execution
    if not lines:
        yield NotApplicable("没有预算情况或预算执行情况")
        return
    yield from _errors(_fund_gaps(form, ctx), "budget")


def _rate_bounds(executed: Decimal, budget: Decimal) -> tuple[Decimal, Decimal] | None:
    """The 执行率 (percent) the printed amounts allow, given each is rounded for display."""
    high_budget = budget + _half_unit(budget)
    low_budget = budget - _half_unit(budget)
    if low_budget <= 0:
        return None
    return (
        (executed - _half_unit(executed)) / high_budget * 100,
        (executed + _half_unit(executed)) / low_budget * 100,
    )


def _rate_fits(line: FundLine) -> tuple[bool, Decimal] | None:
    """Whether the printed rate fits 执行数/全年数 (or 执行数/年初数), and the rate computed."""
    rate, executed = line.rate, line.executed
    if rate is None or executed is None:
        return None
    bases = [b for b in (line.adjusted, line.initial) if b is not None and b > 0]
    if not bases:
        return None
    # a rate printed as a bare ratio (0.98, 1) beside amounts means 98%, 100%
    readings = [(rate, _half_unit(rate))]
    if "%" not in (line.rate_raw or "%") and rate <= Decimal("1.5"):
        readings.append((rate * 100, _half_unit(rate) * 100))
    computed = executed / bases[0] * 100
    for base in bases:
        bounds = _rate_bounds(executed, base)
        if bounds is None:
            return None
        for value, slack in readings:
            if bounds[0] - slack <= value <= bounds[1] + slack:
                return True, computed
            if executed > base and value == 100:
                return True, computed  # the rate is capped at 100% for scoring
    return False, computed


@rule(
    "A205",
    Severity.ERROR,
    "预算执行率与执行数、全年数不符",
    "自评表预算执行情况中，执行率应等于全年执行数 ÷ 全年预算数（按各数的显示精度容许舍入）；也接受按年初数计算，"
    "以及执行数超过预算时按 100% 封顶。执行率、执行数或全年数未填时不核对。",
    "例：“部门预算总额”全年数 1633.2 万元、执行数 1500.0 万元，执行率应为 91.84%，表中为 100%。",
    applies_to=SelfEvaluation,
    suggestion="按 执行数 ÷ 全年预算数 重新计算执行率，并核对执行率得分。",
)
def execution_rate_against_amounts(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    checked = False
    for line in form.budget_execution:
        fit = _rate_fits(line)
        if fit is None:
            continue
        checked = True
        fits, computed = fit
        if fits:
            continue
        rate = line.rate or Decimal(0)
        shown = computed.quantize(Decimal(10) ** -max(decimals(rate), 2), rounding=ROUND_HALF_UP)
        base = line.adjusted if line.adjusted is not None and line.adjusted > 0 else line.initial
        yield Problem(
            message=(
                f"{_form_name(form)}预算执行情况{_q(line.label)}执行率为 {line.rate_raw or amount_text(rate) + '%'}，"
                f"而执行数 {_money(line.executed or Decimal(0), line.unit)} ÷ 预算数 {_money(base or Decimal(0), line.unit)} = {amount_text(shown)}%。"
            ),
            locations=(line.cells.get("rate"), line.cells.get("executed"), line.cells.get("adjusted")),
            expected=f"{amount_text(shown)}%",
            actual=line.rate_raw or f"{amount_text(rate)}%",
        )
    if not checked:
        yield NotApplicable("预算执行情况没有同时填写执行率、执行数和预算数")


@rule(
    "A206",
    Severity.WARNING,
    "全年执行数大于全年预算数",
    "自评表预算执行情况中，执行数一般不应超过全年（调整后）预算数；超过时可能填错，或需说明超预算支出的依据。"
    "差额在四舍五入范围内的不提示。",
    "例：“财政性资金”全年数 1633.2 万元，全年执行数 1733.2 万元。",
    applies_to=SelfEvaluation,
    suggestion="核对执行数与全年预算数，确有超支时在报告中说明原因。",
)
def executed_above_budget(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    lines = [f for f in form.budget_execution if f.executed is not None and f.adjusted is not None]
    if not lines:
        yield NotApplicable("预算执行情况没有同时填写全年数和执行数")
        return
    for line in lines:
        executed, adjusted = line.executed or Decimal(0), line.adjusted or Decimal(0)
        if executed > adjusted and not within_rounding(adjusted, executed, [adjusted, executed]):
            yield Problem(
                message=(
                    f"{_form_name(form)}预算执行情况{_q(line.label)}全年执行数 {_money(executed, line.unit)}，"
                    f"大于全年预算数 {_money(adjusted, line.unit)}（超出 {_money(executed - adjusted, line.unit)}）。"
                ),
                locations=(line.cells.get("executed"), line.cells.get("adjusted")),
                expected=f"≤{amount_text(adjusted)}",
                actual=amount_text(executed),
            )


@rule(
    "A207",
    Severity.ERROR,
    "项目汇总表合计或单位小计与项目之和不符",
    "项目绩效目标汇总表中，单位行（007、007001）应等于其下级单位或其下各项目之和，合计行应等于各单位之和，"
    "按每个金额列（资金总额、政府预算资金等）分别核对。表中把项目清单印了两遍时各遍分别核对。",
    "例：汇总表“007001 人力资源局”行“资金总额”列为 4011.9 万元，其下 18 个项目之和为 4111.9 万元。",
    applies_to=ProjectTargetSummary,
    suggestion="核对单位小计、合计与各项目金额。",
)
def summary_totals_against_projects(
    form: ProjectTargetSummary, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    if not any(r.is_unit for r in form.rows):
        yield NotApplicable("汇总表没有合计行或单位小计行")
        return
    yield from _errors(_fund_gaps(form, ctx), "summary_rows")


@rule(
    "A208",
    Severity.ERROR,
    "项目资金总额与各资金来源之和不符",
    "项目绩效目标汇总表中，每一行的资金总额（合计）应等于政府预算资金、财政专户管理资金、单位资金等来源列之和；"
    "“其中”列不计入。没有总额列或来源列时不适用。",
    "例：“就业补助”行“资金总额”为 260.0 万元，“政府预算资金” + “财政专户管理资金” + “单位资金”之和为 206.0 万元。",
    applies_to=ProjectTargetSummary,
    suggestion="核对该项目的资金总额与各来源金额。",
)
def summary_total_against_sources(
    form: ProjectTargetSummary, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    columns = {k for r in form.rows for k in r.amounts}
    if len(columns) < 2:
        yield NotApplicable("汇总表没有分资金来源的金额列")
        return
    yield from _errors(_fund_gaps(form, ctx), "summary_columns")


@rule(
    "A209",
    Severity.INFO,
    "资金合计与分项相差在四舍五入显示尾差范围内",
    "A202–A208 的核对中，差额不超过各数显示精度的舍入误差时，记为提示而非错误。每张表（表单）汇总为一条。",
    "例：项目汇总表“007001”行“资金总额”列为 4011.9 万元，其下 18 个项目之和为 4012.0 万元，相差 0.1 万元。",
    applies_to=(DeptTargetDeclaration, SelfEvaluation, ProjectTargetSummary),
)
def fund_rounding_differences(form: FundForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield from _rounding_notes(_fund_gaps(form, ctx))


__all__ = [
    "Gap",
    "across_gaps",
    "column_identities",
    "disclosure_gaps",
    "fund_gaps",
    "scope_of",
    "table_gaps",
    "total_role",
]
