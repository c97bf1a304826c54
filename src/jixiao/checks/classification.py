"""Rules C301–C308: 功能分类 and 经济分类 codes and names against the 政府收支分类科目 in force.

Enters: a ``Disclosure`` (its tables' coded rows: ``DisclosureRow.codes`` / ``code_kind`` / ``name``)
and the yearly editions held in ``jixiao.codes`` (``edition(Disclosure.year)``; a 决算 carries the year
it accounts for). Leaves: problems for codes absent from the edition, names that differ from the
official ones or are older names, 项/款 printed without their 款/类 rows, one code printed under two
names, codes of the wrong form for their column, 部门 (3xx) and 政府 (5xx) 经济分类 swapped, and 部门/政府
经济分类 pairs that do not correspond. Where the tables do not cover a code (its parent is not listed
completely for that year) the rules say so (不适用) instead of guessing.

>>> from jixiao.checks.context import Context
>>> from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
>>> from jixiao.model.document import ParsedDocument
>>> row = DisclosureRow(name="卫生健康", code="210", code_kind="function", codes={"function": "210"})
>>> table = DisclosureTable(kind="general_budget_expenditure", title="一般公共预算支出表", rows=[row])
>>> form = Disclosure(year=2023, tables=[table])
>>> ctx = Context(document=ParsedDocument(file="a.txt", format="txt", forms=[form]))
>>> [p.actual for p in name_differs(form, ctx)], [p.actual for p in code_unknown(form, ctx)]
([], [])
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from jixiao import codes
from jixiao.checks.context import Context
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.codes import CodeKind, Edition, comparable_name
from jixiao.ingest.source import Table
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc

_KINDS: tuple[CodeKind, ...] = ("function", "economic_dept", "economic_gov")
_KIND_WORDS: dict[str, str] = {
    "function": "支出功能分类",
    "economic_dept": "部门预算支出经济分类",
    "economic_gov": "政府预算支出经济分类",
}
_LEVELS: dict[str, tuple[int, ...]] = {"function": (3, 5, 7), "economic_dept": (3, 5), "economic_gov": (3, 5)}
_LEADING: dict[str, str] = {"function": "2", "economic_dept": "3", "economic_gov": "5"}
_LEVEL_WORDS = {3: "类", 5: "款", 7: "项"}
_SUMMARY_KINDS = ("income_expenditure_summary", "fiscal_summary")
_CODE_LEAVES = ("类", "款", "项")
_ECONOMIC_SYSTEM = re.compile(r"(部门|政府)(?:预算)?(?:支出)?经济(?:分类|科目)")
_FUNCTION_SYSTEM = re.compile(r"功能(?:分类|科目)")
_DIGITS = re.compile(r"^[\[【(（]?\s*(\d+)\s*[\]】)）]?$")
_NO_EDITION = "文件年度未知或不在所存《政府收支分类科目》年版（{first}–{last}年）之内，无法核对科目"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One code printed on one row, with the name printed for it and where both stand."""

    table: DisclosureTable
    row: DisclosureRow
    kind: CodeKind
    code: str
    name: str
    name_loc: Loc | None
    code_loc: Loc | None
    code_path: str  # header path of the code column ('' when the code came from the name)
    derived: bool  # the code was inferred from a 类 name (收支总表), not printed

    @property
    def label(self) -> str:
        return f"{self.code}「{self.name}」" if self.name else self.code

    @property
    def locations(self) -> tuple[Loc | None, ...]:
        return (self.code_loc or self.name_loc, self.name_loc) if self.code_loc else (self.name_loc,)


@lru_cache(maxsize=1024)
def _is_code_path(path: str) -> bool:
    leaf = path.rsplit("/", 1)[-1]
    if "单位" in path or "项目" in leaf:
        return False
    return leaf in _CODE_LEAVES or "编码" in leaf or "代码" in leaf or leaf == "编号"


@lru_cache(maxsize=1024)
def _system_of(text: str) -> CodeKind | None:
    """The classification a header path or a table title names, if any."""
    match = _ECONOMIC_SYSTEM.search(text)
    if match:
        return "economic_dept" if match.group(1) == "部门" else "economic_gov"
    return "function" if _FUNCTION_SYSTEM.search(text) else None


def _code_cell(row: DisclosureRow, kind: CodeKind, primary: bool) -> tuple[str, Loc | None]:
    """The header path and Loc of the cell holding ``kind``'s code on ``row``."""
    paths = [p for p in row.cells if _is_code_path(p)]
    for path in paths:
        if _system_of(path) == kind:
            return path, row.cells[path]
    if primary:
        for path in paths:
            if _system_of(path) in (None, kind):
                return path, row.cells[path]
    return "", None


def _secondary_name(row: DisclosureRow, kind: CodeKind) -> tuple[str, Loc | None]:
    """The name printed for a second code on the row (政府经济分类 beside 部门经济分类)."""
    for key, text in row.texts.items():
        if "名称" in key and _system_of(key) == kind:
            return text, row.cells.get(key)
    return "", None


def _entries_of(form: Disclosure) -> list[_Entry]:
    found: list[_Entry] = []
    for table in form.tables:
        for row in table.rows:
            if row.is_total:
                continue
            for key, code in row.codes.items():
                if key not in _KINDS:
                    continue
                kind: CodeKind = key
                primary = kind == row.code_kind and code == row.code
                path, code_loc = _code_cell(row, kind, primary)
                if primary:
                    name, name_loc = row.name, row.loc
                else:
                    name, name_loc = _secondary_name(row, kind)
                derived = primary and table.kind in _SUMMARY_KINDS and code_loc is None and len(code) == 3
                found.append(_Entry(table, row, kind, code, name, name_loc, code_loc, path, derived))
    return found


def _entries(form: Disclosure, ctx: Context) -> list[_Entry]:
    return ctx.memo(("classification.entries", id(form)), lambda: _entries_of(form))


def _title(table: DisclosureTable) -> str:
    return f"《{table.title or table.kind}》"


def _no_edition() -> NotApplicable:
    first, last = codes.edition_years()
    return NotApplicable(_NO_EDITION.format(first=first, last=last))


def _well_formed(entry: _Entry) -> bool:
    return len(entry.code) in _LEVELS[entry.kind] and entry.code[0] == _LEADING[entry.kind]


# ---------------------------------------------------------------------------------------------
# C301 code absent from the edition


def _absent_prefix(book: Edition, entry: _Entry) -> tuple[str | None, bool]:
    """The shortest prefix of the code that the edition certainly lacks, and whether the tables
    could judge the code at all (False: some level is not covered)."""
    for length in _LEVELS[entry.kind]:
        if length > len(entry.code):
            break
        prefix = entry.code[:length]
        state = book.exists(entry.kind, prefix)
        if state is False:
            return prefix, True
        if state is None:
            return None, False
    return None, True


@rule(
    "C301",
    Severity.ERROR,
    "科目编码在当年《政府收支分类科目》中不存在",
    "说明：按文件所属年度（决算为所决算的年度）选用当年版《政府收支分类科目》，核对表中每个支出功能分类"
    "类/款/项编码和部门、政府预算支出经济分类类/款编码是否存在。只有当该编码的上级科目在本工具所存的年版中"
    "列全时才判定“不存在”；上级科目未列全（如部分款下的项）时不作判断并说明不适用。",
    "例：2024年决算表列出“2080504 未归口管理的行政单位离退休”，该项在2021年版修订后已不再设置。",
    applies_to=Disclosure,
    suggestion="按当年《政府收支分类科目》改用现行科目编码，并核对对应金额是否归入正确科目。",
)
def code_unknown(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    book = codes.edition(form.year)
    if book is None:
        yield _no_edition()
        return
    absent: dict[tuple[int, CodeKind, str], list[_Entry]] = defaultdict(list)
    judged = False
    for entry in _entries(form, ctx):
        if not _well_formed(entry):
            continue
        prefix, covered = _absent_prefix(book, entry)
        judged = judged or covered
        if prefix is not None:
            absent[(id(entry.table), entry.kind, prefix)].append(entry)
    for (_, kind, prefix), entries in absent.items():
        first = entries[0]
        level = _LEVEL_WORDS.get(len(prefix), "")
        where = f"{first.label}" + ("" if prefix == first.code else f"（其{level}级编码 {prefix}）")
        more = f"等 {len(entries)} 行" if len(entries) > 1 else ""
        years = book.years_of(kind, prefix)
        history = f"；该科目只在{years[0]}–{years[1]}年版中设置" if years else ""
        yield Problem(
            message=(
                f"{_title(first.table)}中{_KIND_WORDS[kind]}科目 {where}{more}在{book.year}年"
                f"《政府收支分类科目》中不存在{history}"
            ),
            locations=tuple(e.code_loc or e.name_loc for e in entries[:5]),
            expected=f"{book.year}年版中的{level}级科目",
            actual=prefix,
        )
    if not judged and not absent:
        yield NotApplicable("表中的科目编码不在本工具所存年版完整覆盖的范围内，未作存在性判断")


# ---------------------------------------------------------------------------------------------
# C302 / C303 names


@rule(
    "C302",
    Severity.WARNING,
    "科目名称与当年《政府收支分类科目》不符",
    "说明：核对表中每个科目编码旁印出的名称与当年版《政府收支分类科目》中该编码的名称是否一致。全半角括号、"
    "空格、序号、“（类）/（款）/（项）”标注和名称末尾的“支出”二字不计为差异；旧版名称另由 C303 提示。"
    "本工具未收录该编码名称时不作判断。",
    "例：表中“2101101 事业单位医疗”，2023年版中2101101为“行政单位医疗”（事业单位医疗为2101102）。",
    applies_to=Disclosure,
    suggestion="核对编码与名称是否对应，按当年版《政府收支分类科目》改正编码或名称。",
)
def name_differs(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    book = codes.edition(form.year)
    if book is None:
        yield _no_edition()
        return
    judged = False
    for entry in _entries(form, ctx):
        if not entry.name or entry.derived:
            continue
        official = book.name(entry.kind, entry.code)
        if official is None:
            continue
        judged = True
        if book.accepts(entry.kind, entry.code, entry.name):
            continue
        if book.former(entry.kind, entry.code, entry.name) or book.later(entry.kind, entry.code, entry.name):
            continue
        yield Problem(
            message=(
                f"{_title(entry.table)}中{_KIND_WORDS[entry.kind]}科目 {entry.code} 的名称印为「{entry.name}」，"
                f"{book.year}年《政府收支分类科目》中该编码的名称为「{official}」"
            ),
            locations=entry.locations,
            expected=official,
            actual=entry.name,
        )
    if not judged:
        yield NotApplicable("表中没有本工具收录了名称的科目编码")


def _current_row_present(book: Edition, entries: list[_Entry], stale: _Entry) -> bool:
    return any(
        e.table is stale.table
        and e.kind == stale.kind
        and e.code == stale.code
        and e is not stale
        and book.accepts(e.kind, e.code, e.name)
        for e in entries
    )


@rule(
    "C303",
    Severity.INFO,
    "使用了旧版科目名称",
    "说明：表中印出的科目名称是该编码在较早年版中的名称（模板未随年度修订更新时常见），当年版已更名。"
    "这不影响金额，但公开文件应使用现行名称。同一表中已另有现行名称的同一科目时，改由 C305 提示重复。",
    "例：2023年预算公开的收支总表印“医疗卫生与计划生育支出”，该类自2019年版起更名为“卫生健康支出”。",
    applies_to=Disclosure,
    suggestion="按当年《政府收支分类科目》更新模板中的科目名称。",
)
def former_name(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    book = codes.edition(form.year)
    if book is None:
        yield _no_edition()
        return
    entries = _entries(form, ctx)
    reported: set[tuple[int, str, str, str]] = set()
    for entry in entries:
        if not entry.name or book.accepts(entry.kind, entry.code, entry.name):
            continue
        period = book.former(entry.kind, entry.code, entry.name)
        official = book.name(entry.kind, entry.code)
        if period is None or official is None or _current_row_present(book, entries, entry):
            continue
        key = (id(entry.table), entry.kind, entry.code, comparable_name(entry.name))
        if key in reported:
            continue
        reported.add(key)
        first_year = codes.edition_years()[0]
        if period.renamed:
            when = f"自{period.renamed}年版起更名"
        elif period.until is not None and period.until >= first_year:
            when = f"至迟自{period.until + 1}年版起更名"
        else:
            when = f"{first_year}年版以前已更名"
        yield Problem(
            message=(
                f"{_title(entry.table)}中{_KIND_WORDS[entry.kind]}科目 {entry.code} 仍使用旧名称「{entry.name}」，"
                f"{book.year}年《政府收支分类科目》中的名称为「{official}」（{when}）"
            ),
            locations=entry.locations,
            expected=official,
            actual=entry.name,
        )


# ---------------------------------------------------------------------------------------------
# C304 hierarchy, C305 one code under two names


@rule(
    "C304",
    Severity.WARNING,
    "项/款缺少所属的款/类行",
    "说明：按类、款、项分级列示的表（表中印有类级行）中，每个项应在其所属的款和类之下、每个款应在其所属的"
    "类之下列示。某级科目整表都不列（如只列类和项）时视为该表的体例，不作判断；只列项级的表不适用。",
    "例：支出决算表列有“208 社会保障和就业支出”和“2080501 行政单位离退休”，却没有“20805 行政事业单位养老支出”一行。",
    applies_to=Disclosure,
    suggestion="补列缺少的上级科目行及其金额，或核对该项的编码是否有误。",
)
def parent_row_missing(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    book = codes.edition(form.year)
    by_table: dict[tuple[int, str], list[_Entry]] = defaultdict(list)
    for entry in _entries(form, ctx):
        if not entry.derived and _well_formed(entry):
            by_table[(id(entry.table), entry.kind)].append(entry)
    judged = False
    for entries in by_table.values():
        present = {e.code for e in entries}
        lengths = {len(c) for c in present}
        if 3 not in lengths or len(lengths) < 2:
            continue
        judged = True
        missing: dict[str, list[_Entry]] = defaultdict(list)
        # rows before the first 类 row continue a table printed earlier (a page break): their
        # parents stand there
        start = next(i for i, e in enumerate(entries) if len(e.code) == 3)
        for entry in entries[start:]:
            parents = [entry.code[:n] for n in (3, 5) if n < len(entry.code) and n in lengths]
            for parent in parents:
                if parent not in present:
                    missing[parent].append(entry)
                    break
        for parent, children in missing.items():
            first = children[0]
            official = book.name(first.kind, parent) if book is not None else None
            parent_label = f"{parent}「{official}」" if official else parent
            more = f"等 {len(children)} 行" if len(children) > 1 else ""
            yield Problem(
                message=(
                    f"{_title(first.table)}列有{_KIND_WORDS[first.kind]}科目 {first.label}{more}，"
                    f"却没有其所属的{_LEVEL_WORDS[len(parent)]}级科目 {parent_label}一行"
                ),
                locations=tuple(c.code_loc or c.name_loc for c in children[:5]),
                expected=parent,
                actual="（缺行）",
            )
    if not judged:
        yield NotApplicable("表中没有按类、款、项分级列示的科目")


@rule(
    "C305",
    Severity.WARNING,
    "同一科目编码印有不同名称",
    "说明：同一张表中同一科目编码出现两次且名称不同（常见于模板保留了旧名称的一行），或同一文件不同表中"
    "同一编码名称不同而本工具未收录其官方名称（已收录的由 C302/C303 逐处核对）。名称的全半角、空格、"
    "序号和末尾“支出”不计为差异。",
    "例：财政拨款收支总表中“（九）医疗卫生与计划生育支出”和“（十）卫生健康支出”都对应功能分类210。",
    applies_to=Disclosure,
    suggestion="删去重复或过时的一行，各表统一使用当年版科目名称。",
)
def name_inconsistent(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    book = codes.edition(form.year)
    entries = [e for e in _entries(form, ctx) if e.name]
    in_table: dict[tuple[int, CodeKind, str], list[_Entry]] = defaultdict(list)
    across: dict[tuple[int, CodeKind, str], list[_Entry]] = defaultdict(list)
    for entry in entries:
        in_table[(id(entry.table), entry.kind, entry.code)].append(entry)
    for (_, kind, code), group in in_table.items():
        known = book is not None and book.name(kind, code) is not None
        if not known and not any(e.derived for e in group):
            across[(0, kind, code)].extend(group)
    for (table_id, kind, code), group in [*in_table.items(), *across.items()]:
        names: dict[str, _Entry] = {}
        for entry in group:
            names.setdefault(comparable_name(entry.name), entry)
        if len(names) < 2:
            continue
        same_table = table_id != 0
        if not same_table and len({id(e.table) for e in names.values()}) == 1:
            continue  # already reported as a duplicate within its table
        if book is not None and all(book.accepts(kind, code, e.name) for e in names.values()):
            continue
        shown = list(names.values())
        where = _title(shown[0].table) if same_table else "各表"
        printed = "、".join(f"「{e.name}」" for e in shown)
        stale = [e.name for e in shown if book is not None and book.former(kind, code, e.name)]
        note = "".join(f"（「{name}」为旧版名称）" for name in stale)
        yield Problem(
            message=f"{where}中{_KIND_WORDS[kind]}科目 {code} 出现 {len(shown)} 个不同名称：{printed}{note}",
            locations=tuple(e.name_loc for e in shown),
            expected="同一名称",
            actual=printed,
        )


# ---------------------------------------------------------------------------------------------
# C306 form of the code, C307 部门/政府, C308 pairs


def _source_tables(ctx: Context) -> dict[int, Table]:
    source = ctx.source
    if source is None:
        return {}
    return ctx.memo("classification.source_tables", lambda: {t.index: t for t in source.tables})


def _raw_code_cells(table: DisclosureTable, ctx: Context) -> Iterator[tuple[str, Loc, str]]:
    """(leaf, cell loc, digits) of every digit-only cell in the table's code columns, per source row."""
    grid = _source_tables(ctx)
    columns: dict[tuple[int, int], str] = {}
    rows: set[tuple[int, int]] = set()
    read: set[tuple[int | None, int | None, int | None]] = set()  # cells a code was read from
    for row in table.rows:
        if row.loc is not None and row.loc.table is not None and row.loc.row is not None:
            rows.add((row.loc.table, row.loc.row))
        for path, loc in row.cells.items():
            if _is_code_path(path) and loc.table is not None and loc.col is not None:
                leaf = path.rsplit("/", 1)[-1]
                columns[(loc.table, loc.col)] = leaf if leaf in _CODE_LEAVES else "编码"
                if row.codes:
                    read.add((loc.table, loc.row, loc.col))
    for table_index, row_number in sorted(rows):
        source = grid.get(table_index)
        if source is None:
            continue
        for (column_table, col), leaf in columns.items():
            if column_table != table_index or (table_index, row_number, col) in read:
                continue
            cell = source.cell(row_number, col)
            if cell is None or not cell.text or cell.covered_by is not None:
                continue
            text = cell.text if cell.text.isdigit() else "".join(cell.text.split())
            match = _DIGITS.match(text)
            if match:
                yield leaf, cell.loc, match.group(1)


def _raw_fits(leaf: str, digits: str) -> bool:
    if leaf == "类":
        return len(digits) == 3
    if leaf in ("款", "项"):
        return len(digits) in (1, 2)
    return len(digits) in (3, 5, 7)


@rule(
    "C306",
    Severity.ERROR,
    "科目编码位数或格式与所在列不符",
    "说明：支出功能分类编码为类3位、款5位、项7位且以2开头；部门预算支出经济分类为类3位、款5位且以3开头，"
    "政府预算支出经济分类以5开头；分列印出时“类”列3位、“款”“项”列各2位。检查表中编码列里的每个数字，"
    "如6位编码、4位类、3位款，或功能分类列中出现经济分类编码。",
    "例：支出功能分类的“项”列印为“011”，或“科目编码”列印为“208050”（6位）。",
    applies_to=Disclosure,
    suggestion="按《政府收支分类科目》的编码规则改正编码（类3位、款2位、项2位）。",
)
def code_malformed(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    seen: set[tuple[str, int | None, int | None, int | None]] = set()
    for entry in _entries(form, ctx):
        if _well_formed(entry):
            continue
        if entry.kind != "function" and len(entry.code) in (3, 5) and entry.code[0] in "35":
            continue  # a 部门 code in a 政府 column or the reverse: C307
        loc = entry.code_loc or entry.name_loc
        key = (entry.code, loc.table if loc else None, loc.row if loc else None, loc.col if loc else None)
        if key in seen:
            continue
        seen.add(key)
        lengths = "、".join(str(n) for n in _LEVELS[entry.kind])
        yield Problem(
            message=(
                f"{_title(entry.table)}中{_KIND_WORDS[entry.kind]}列印有编码 {entry.label}，"
                f"该列编码应以{_LEADING[entry.kind]}开头、为{lengths}位"
            ),
            locations=entry.locations,
            expected=f"以{_LEADING[entry.kind]}开头的{lengths}位编码",
            actual=entry.code,
        )
    if ctx.source is None:
        yield NotApplicable("没有原始表格，无法检查未能识读的编码单元格")
        return
    classified = {id(e.table) for e in _entries(form, ctx)}
    for table in form.tables:
        if id(table) not in classified:
            continue
        for leaf, loc, digits in _raw_code_cells(table, ctx):
            if _raw_fits(leaf, digits):
                continue
            wanted = {"类": "3位", "款": "2位", "项": "2位"}.get(leaf, "3、5或7位")
            yield Problem(
                message=f"{_title(table)}的“{leaf}”列印有“{digits}”（{len(digits)}位），该列编码应为{wanted}",
                locations=(loc,),
                expected=wanted,
                actual=digits,
            )


@rule(
    "C307",
    Severity.ERROR,
    "部门/政府预算支出经济分类编码用错",
    "说明：部门预算支出经济分类编码以3开头（301工资福利支出…），政府预算支出经济分类以5开头（501机关工资福利"
    "支出…）。表头或表名写明“部门经济分类”的列出现5开头的编码，或写明“政府经济分类”的列出现3开头的编码，"
    "说明两套科目混用。表头与表名都未写明是哪一套时不作判断。",
    "例：《一般公共预算基本支出表（按部门预算经济分类）》中列出“50101 工资奖金津补贴”。",
    applies_to=Disclosure,
    suggestion="按表头要求改用对应的经济分类科目（可参照部门与政府预算支出经济分类对照表）。",
)
def economic_system_swapped(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    judged = False
    for entry in _entries(form, ctx):
        if entry.kind == "function":
            continue
        declared = _system_of(entry.code_path) or _system_of(entry.table.title)
        actual = codes.code_kind(entry.code)
        if declared not in ("economic_dept", "economic_gov") or actual not in (
            "economic_dept",
            "economic_gov",
        ):
            continue
        judged = True
        if declared == actual:
            continue
        yield Problem(
            message=(
                f"{_title(entry.table)}按{_KIND_WORDS[declared]}列示，却印有{_KIND_WORDS[actual]}编码 {entry.label}"
            ),
            locations=entry.locations,
            expected=f"以{_LEADING[declared]}开头的{_KIND_WORDS[declared]}编码",
            actual=entry.code,
        )
    if not judged:
        yield NotApplicable("没有写明部门或政府预算支出经济分类的编码列")


@rule(
    "C308",
    Severity.WARNING,
    "部门与政府预算支出经济分类对照不符",
    "说明：同一行同时印出部门预算支出经济分类和政府预算支出经济分类时，二者应符合《两套支出经济分类科目对照表》"
    "（如30101基本工资对应50101工资奖金津补贴，事业单位对应50501工资福利支出）。只核对本工具收录了对照关系的款。",
    "例：“30216 培训费”一行的政府经济分类印为“50201 办公经费”，对照表中培训费对应“50203 培训费”。",
    applies_to=Disclosure,
    suggestion="按对照表改正政府预算支出经济分类编码。",
)
def economic_pair_mismatch(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    judged = False
    done: set[int] = set()
    for entry in _entries(form, ctx):
        row = entry.row
        if id(row) in done:
            continue
        done.add(id(row))
        dept, government = row.codes.get("economic_dept"), row.codes.get("economic_gov")
        if dept is None or government is None:
            continue
        allowed = codes.economic_pair(dept)
        if not allowed:
            continue
        judged = True
        if government in allowed:
            continue
        book = codes.edition(form.year) or codes.Edition(codes.edition_years()[1])
        dept_name = book.name("economic_dept", dept) or ""
        options = "或".join(f"{c}「{book.name('economic_gov', c) or ''}」" for c in allowed)
        government_loc = _code_cell(row, "economic_gov", False)[1]
        yield Problem(
            message=(
                f"{_title(entry.table)}中部门预算支出经济分类 {dept}「{dept_name}」一行的政府预算支出经济分类印为 "
                f"{government}，按对照表应为{options}"
            ),
            locations=(government_loc or row.loc, row.loc),
            expected="/".join(allowed),
            actual=government,
        )
    if not judged:
        yield NotApplicable("没有同一行同时印出部门与政府预算支出经济分类（且对照关系已收录）的科目")
