"""The standard tables of 部门预算公开 / 部门决算公开: which table a title names, and how to read one.

Enters: a ``Table`` of a ``SourceDocument`` and the title printed above it. Leaves: a
``DisclosureTable`` (flattened header paths as columns, one ``DisclosureRow`` per 科目 or labelled
line, amounts as Decimal with the cell they came from) and the findings met on the way.

Columns are found by header words, never by position: 类/款/项 and 科目编码 columns give the code,
名称/项目 columns the name, columns of numbers the amounts. Tables printed in two halves side by side
(收支总表: 收入 on the left, 支出 on the right) give one row per half.

>>> table_kind("2023年部门收支总体情况表"), table_kind("一般公共预算财政拨款基本支出决算表")
('income_expenditure_summary', 'general_budget_basic')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from jixiao import codes
from jixiao.ingest.forms.cells import is_amount
from jixiao.ingest.forms.common import norm as _plain_norm
from jixiao.ingest.source import Cell, Table
from jixiao.model.disclosure import DisclosureRow, DisclosureTable
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc
from jixiao.model.money import normalise_digits, parse_amount

norm = lru_cache(maxsize=16384)(_plain_norm)  # the same labels recur on every row and table

#: Finding codes of this module and of ``disclosure`` (form structure, F06x block).
CODES: dict[str, str] = {
    "F060": "公开表格表头错位，已按表头结构重新对齐",
    "F061": "公开表格数值疑似错列，已按合计行对齐",
    "F062": "公开表格未注明金额单位，按文件中其他表格推定",
    "F063": "公开表格金额单元格无法识别为数字",
    "F064": "公开表格未能识别出表头",
}

#: Chinese names of the table kinds, for messages and reports.
KIND_NAMES: dict[str, str] = {
    "income_expenditure_summary": "收支总表",
    "income_summary": "收入总表",
    "expenditure_summary": "支出总表",
    "fiscal_summary": "财政拨款收支总表",
    "fiscal_expenditure": "财政拨款支出表",
    "fiscal_basic": "财政拨款基本支出表",
    "general_budget_expenditure": "一般公共预算支出表",
    "general_budget_basic": "一般公共预算基本支出表",
    "economic_summary": "支出经济分类汇总表",
    "three_public": "“三公”经费支出表",
    "gov_fund": "政府性基金预算支出表",
    "state_capital": "国有资本经营预算支出表",
    "project_expenditure": "项目支出表",
    "procurement": "政府采购支出表",
    "operating_costs": "机关运行经费支出表",
    "dept_target": "部门整体绩效目标表",
    "project_target_summary": "项目绩效目标汇总表",
    "project_target": "项目绩效目标表",
}

#: Kinds that are performance-target tables: listed in a 目录, parsed by other recognisers.
TARGET_KINDS = frozenset({"dept_target", "project_target_summary", "project_target"})


@dataclass(frozen=True)
class _Rule:
    kind: str
    all_of: tuple[str, ...]  # every word must be in the title
    any_of: tuple[str, ...] = ()  # and at least one of these, when given
    none_of: tuple[str, ...] = ()


# Ordered: the first rule that matches names the table. Specific titles before general ones.
_RULES: tuple[_Rule, ...] = (
    _Rule("dept_target", ("绩效目标",), ("整体",)),
    _Rule("project_target_summary", ("绩效目标", "汇总")),
    _Rule("project_target", ("绩效目标",)),
    _Rule("three_public", ("三公",)),
    _Rule("gov_fund", ("政府性基金",)),
    _Rule("state_capital", ("国有资本经营",)),
    _Rule("procurement", ("政府采购",)),
    _Rule("operating_costs", ("机关运行经费",)),
    _Rule("project_expenditure", (), ("项目支出预算表", "项目支出表", "项目经费", "项目支出决算表")),
    _Rule("general_budget_basic", ("一般公共预算", "基本支出")),
    _Rule("fiscal_basic", ("财政拨款", "基本支出")),
    _Rule("general_budget_basic", ("基本支出",), ("决算表", "预算表", "情况表")),
    _Rule("economic_summary", ("经济分类",), ("汇总",)),
    _Rule("fiscal_summary", ("财政拨款",), ("收支", "收入支出")),
    _Rule("income_expenditure_summary", (), ("收支", "收入支出")),
    _Rule("general_budget_expenditure", ("一般公共预算", "支出")),
    _Rule("fiscal_expenditure", ("财政拨款", "支出")),
    _Rule("income_summary", ("收入",), ("总体", "总表", "决算表", "预算表", "情况表")),
    _Rule("expenditure_summary", ("支出",), ("总体", "总表", "决算表", "预算表", "情况表")),
)

_TITLE_END = re.compile(r"表(?:[(（][^)）]{1,8}[)）])?$")


def table_kind(title: str) -> str | None:
    """The stable key of the standard table a printed title names, or None.

    The title must end in 表 (optionally followed by a short bracket such as ``（功能科目）``); the
    year, department and enumerator around it do not matter.
    """
    text = norm(title).replace('"', "").replace("“", "").replace("”", "")
    if not text or len(text) > 60 or not _TITLE_END.search(text):
        return None
    for rule in _RULES:
        if all(w in text for w in rule.all_of) and (not rule.any_of or any(w in text for w in rule.any_of)):
            if any(w in text for w in rule.none_of):
                continue
            return rule.kind
    return None


# ---------------------------------------------------------------------------------------------
# header analysis

_TOTAL = re.compile(r"(合计|总计|小计)[:：]?$")
_ENUMERATED = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))"
)
_CODE_CELL = re.compile(r"^[\[【]?\d{3,7}[\]】]?$")
_CODE_PREFIX = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){1,2}|\d{3})[\]】]?\s*(?=[\u4e00-\u9fff])")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）()“”、])\s+(?=[\u4e00-\u9fff（）()“”、])")
_STATEMENT = re.compile(
    r"无此项|无此类|表为空|空表|无数据|无相关数据|未安排|没有.{0,12}(?:收入|支出|预算|经费)|无.{0,16}(?:收入|支出)(?:安排|预算|决算)?[，,。；;]|无.{0,16}(?:安排|拨款)"
)
_NOTE = re.compile(r"^\s*(?:注|备注|说明|附注)\s*\d*\s*[:：]|^[:：]")
_UNIT_LABEL = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
_UNIT_HEADER = re.compile(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]")

_SIDE = re.compile(r"^(?:本年|财政拨款|部门)?(收入|支出)(?:预算|决算)?(?:数|合计)?$")

CodeKind = Literal["function", "economic_dept", "economic_gov", "project", "unit"]


def join_name(text: str) -> str:
    """A wrapped cell as one name: line breaks and the spaces they left between Chinese characters go.

    >>> join_name("机关事业单位职业年金缴费 支出")
    '机关事业单位职业年金缴费支出'
    """
    text = text.replace("\n", " ").strip()
    return _CJK_GAP.sub("", text)


def unit_in(text: str) -> str | None:
    """A unit stated as ``单位：万元`` (or ``单位:元``) in a line."""
    match = _UNIT_LABEL.search(text.replace(" ", ""))
    return match.group(1) if match else None


def _is_formatted_amount(text: str) -> bool:
    """An amount no header would print: with a decimal point or a thousands separator."""
    s = normalise_digits(text).strip()
    return is_amount(s) and ("." in s or "," in s)


def _is_column_numbers(texts: Sequence[str]) -> bool:
    """A 栏次 row: ``栏次 1 2 3`` or just consecutive small integers."""
    cells = [t for t in texts if t]
    if cells and norm(cells[0]) in ("栏次", "行次"):
        return True
    numbers = [t for t in cells if t.isdigit() and len(t) <= 2]
    return (
        len(cells) >= 3
        and len(numbers) == len(cells)
        and [int(t) for t in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))
    )


def _is_data_row(texts: Sequence[str]) -> bool:
    cells = [t for t in texts if t]
    if not cells:
        return False
    if _is_column_numbers(texts):
        return False
    first = cells[0]
    if _ENUMERATED.match(first) and not _TOTAL.search(norm(first)):
        return True
    if any(_is_formatted_amount(t) for t in cells):
        return True
    if _CODE_CELL.match(first) and len(cells) >= 2:
        return True
    rest = cells[1:]
    return bool(_TOTAL.search(norm(first))) and all(is_amount(t) for t in rest) and len(norm(first)) <= 8


@dataclass
class _Header:
    top: int  # index of the first header row
    data: int  # index of the first data row
    parts: list[list[str]]  # per column, the labels from top to bottom
    repaired: bool = False
    shared: set[int] = field(default_factory=set)  # columns of the first data row that are header labels

    def path(self, col: int) -> str:
        return "/".join(self.parts[col]) if col < len(self.parts) else ""


def _grid(table: Table) -> list[list[str]]:
    width = table.n_cols
    return [[c.text for c in row] + [""] * (width - len(row)) for row in table.rows]


def _has_merges(table: Table) -> bool:
    return any(c.covered_by is not None or c.rowspan > 1 or c.colspan > 1 for row in table.rows for c in row)


def _spans(labels: dict[int, str], bounds: list[int], width: int) -> dict[int, int]:
    """Each label spans rightwards over blanks to the next label, within its parent's span end."""
    ends: dict[int, int] = {}
    cols = sorted(labels)
    for i, col in enumerate(cols):
        nxt = cols[i + 1] - 1 if i + 1 < len(cols) else width - 1
        ends[col] = min(nxt, bounds[col])
    return ends


def _text_header(rows: list[list[str]], width: int) -> tuple[list[list[str]], bool]:
    """Header labels per column for grids without merge information (text exports, plain PDFs).

    Two repairs for exports that dropped the blank cells of merged areas and shifted the rest left:
    a group label standing over a blank is moved onto its first child; a lower row whose labels sit
    under single-column leaves is laid out again, in order, into the child slots of the groups above
    (only when the counts match exactly).
    """
    labels = [{c: t for c, t in enumerate(row) if t} for row in rows]
    repaired = False
    bounds = [width - 1] * width
    spans: list[dict[int, int]] = []
    for r in range(len(rows)):
        ends = _spans(labels[r], bounds, width)
        if r + 1 < len(rows):
            for col in sorted(labels[r]):
                children = [c for c in labels[r + 1] if col <= c <= ends[col]]
                below_blank = all(col not in labels[k] for k in range(r + 1, len(rows)))
                if children and min(children) > col and below_blank and min(children) not in labels[r]:
                    labels[r][min(children)] = labels[r].pop(col)
                    repaired = True
            ends = _spans(labels[r], bounds, width)
        if r > 0 and _relayout(labels[r], spans, ends_above=spans[r - 1]):
            repaired = True
            ends = _spans(labels[r], bounds, width)
        spans.append(ends)
        bounds = [width - 1] * width
        for col, end in ends.items():
            for c in range(col, end + 1):
                bounds[c] = end
        for c in range(width):
            if not any(col <= c <= end for col, end in ends.items()):
                bounds[c] = _owner_end(spans, c, width)
    parts: list[list[str]] = []
    for c in range(width):
        column: list[str] = []
        for r in range(len(rows)):
            for col, end in spans[r].items():
                if col <= c <= end:
                    label = labels[r][col]
                    if not column or column[-1] != label:
                        column.append(label)
        parts.append(column)
    return parts, repaired


def _owner_end(spans: list[dict[int, int]], col: int, width: int) -> int:
    for ends in reversed(spans):
        for start, end in ends.items():
            if start <= col <= end:
                return end
    return width - 1


def _owner(spans: list[dict[int, int]], col: int) -> tuple[int, int, int] | None:
    """(row, start, end) of the nearest label above covering ``col``."""
    for r in range(len(spans) - 1, -1, -1):
        for start, end in spans[r].items():
            if start <= col <= end:
                return r, start, end
    return None


def _relayout(row: dict[int, str], spans: list[dict[int, int]], ends_above: dict[int, int]) -> bool:
    """Lay a shifted header row out again under the multi-column groups of the row above."""
    direct = len(spans) - 1
    misplaced: list[int] = []
    placed: list[int] = []
    for col in sorted(row):
        owner = _owner(spans, col)
        if owner is not None and owner[0] != direct and owner[1] == owner[2]:
            misplaced.append(col)
        elif not misplaced:
            placed.append(col)
    if not misplaced:
        return False
    after = max(placed) if placed else -1
    sequence = [c for c in sorted(row) if c >= misplaced[0]]
    slots = [
        c
        for start, end in sorted(ends_above.items())
        if end > start
        for c in range(start, end + 1)
        if c > after
    ]
    if len(slots) != len(sequence):
        return False
    texts = [row.pop(c) for c in sequence]
    for slot, text in zip(slots, texts, strict=True):
        row[slot] = text
    return True


def _merged_header(table: Table, top: int, data: int) -> list[list[str]]:
    width = table.n_cols
    parts: list[list[str]] = [[] for _ in range(width)]
    for r in range(top, data):
        for c in range(width):
            cell = table.cell(r + 1, c + 1)
            if cell is None:
                continue
            text = cell.text
            if cell.covered_by is not None:
                anchor = table.cell(*cell.covered_by)
                text = anchor.text if anchor is not None else ""
            if text and (not parts[c] or parts[c][-1] != text):
                parts[c].append(text)
    return parts


_PREAMBLE = re.compile(r"(部门|单位)(名称)?\s*[:：]|^公开\s*\d+\s*表$")


def _is_preamble(texts: Sequence[str]) -> bool:
    """A title, 编制部门 or 单位 line printed inside the grid above the header (spreadsheets do)."""
    cells = [t for t in texts if t]
    if len(cells) == 1 and (len(cells[0]) >= 6 or cells[0].endswith((":", "："))):
        return True  # a lone caption line above the grid: 附件：, 2023 年某局部门预算表
    return bool(cells) and all(table_kind(t) or unit_in(t) or _PREAMBLE.search(t) for t in cells)


def _header(table: Table, grid: list[list[str]], merged: bool) -> _Header:
    """Find the header rows (after any title/unit rows inside the table) and flatten them.

    ``grid`` is the table's ``_grid`` (not changed here), ``merged`` whether it has merged cells.
    """
    top = 0
    while top < len(grid) and (not any(grid[top]) or _is_preamble(grid[top])):
        top += 1
    data = top
    while data < len(grid) and not _is_data_row(grid[data]) and _statement_or_note(grid[data]) is None:
        data += 1
    header_rows = [
        [join_name(t) for t in row] for row in grid[top:data] if not _is_column_numbers(row) and any(row)
    ]
    if merged:
        parts = [[join_name(t) for t in column] for column in _merged_header(table, top, data)]
        header = _Header(top, data, parts)
    else:
        parts, repaired = _text_header(header_rows, table.n_cols)
        header = _Header(top, data, parts, repaired)
    if data < len(grid):
        # 类 | 款 | 项 | 合计 | 2,946.25 …: the last header line and the total row printed as one row
        for c, text in enumerate(grid[data]):
            if norm(text) in _CODE_LEAVES and c < len(header.parts):
                if not header.parts[c] or header.parts[c][-1] != norm(text):
                    header.parts[c].append(norm(text))
                header.shared.add(c)
    return header


# ---------------------------------------------------------------------------------------------
# column roles


@dataclass
class _CodeGroup:
    cols: list[int]
    kind: CodeKind | None  # None: infer from the digits


@dataclass
class _Segment:
    """One side-by-side part of a table: its code columns, name column, amounts and texts."""

    codes: list[_CodeGroup] = field(default_factory=list)
    name: int | None = None
    names: list[int] = field(default_factory=list)  # further name columns (second code system)
    amounts: list[int] = field(default_factory=list)
    texts: list[int] = field(default_factory=list)
    side: Literal["income", "expenditure"] | None = None


_CODE_LEAVES = {"类", "款", "项"}


def _code_system(path: str) -> CodeKind | None:
    text = norm(path)
    if "功能" in text:
        return "function"
    if "经济分类" in text or "经济科目" in text:
        if "部门" in text:
            return "economic_dept"
        if "政府" in text:
            return "economic_gov"
        return None
    if "项目" in text and ("编码" in text or "代码" in text):
        return "project"
    if "单位" in text and ("编码" in text or "代码" in text):
        return "unit"
    return None


def _is_code_header(parts: list[str]) -> bool:
    if not parts:
        return False
    leaf = norm(parts[-1])
    return leaf in _CODE_LEAVES or "编码" in leaf or "代码" in leaf or leaf in ("科目编码", "编号")


def _is_name_header(parts: list[str]) -> bool:
    if not parts:
        return False
    leaf = norm(parts[-1])
    return "名称" in leaf or leaf in ("项目", "科目", "功能科目", "经济科目") or leaf.endswith("科目名称")


def _side_of(parts: list[str]) -> Literal["income", "expenditure"] | None:
    if not parts:
        return None
    match = _SIDE.match(norm(parts[0]))
    if match is None:
        return None
    return "income" if match.group(1) == "收入" else "expenditure"


def _segments(header: _Header, data_rows: list[list[str]], width: int) -> list[_Segment]:
    roles: list[str] = []
    for c in range(width):
        parts = header.parts[c] if c < len(header.parts) else []
        values = [row[c] for row in data_rows if c < len(row) and row[c]]
        if _is_code_header(parts) and all(
            _CODE_CELL.match(v) or v.isdigit() for v in values if not _TOTAL.search(norm(v))
        ):
            roles.append("code")
        elif values and all(is_amount(v) for v in values) and not _is_name_header(parts):
            roles.append("amount")
        elif _is_name_header(parts):
            roles.append("name")
        elif not values and parts:
            roles.append("amount")
        elif values:
            roles.append("text")
        else:
            roles.append("empty")
    segments: list[_Segment] = []
    current = _Segment()
    seen_amount = False
    for c, role in enumerate(roles):
        if role in ("code", "name") and seen_amount:
            segments.append(current)
            current = _Segment()
            seen_amount = False
        parts = header.parts[c] if c < len(header.parts) else []
        if current.side is None and role != "empty":
            current.side = _side_of(parts)
        if role == "code":
            system = _code_system("/".join(parts))
            last = current.codes[-1] if current.codes else None
            same_group = (
                last is not None
                and last.cols[-1] == c - 1
                and norm(parts[-1]) in _CODE_LEAVES
                and header.parts[last.cols[-1]][:-1] == parts[:-1]
            )
            if same_group and last is not None:
                last.cols.append(c)
            else:
                current.codes.append(_CodeGroup([c], system))
        elif role == "name":
            if current.name is None:
                current.name = c
            else:
                current.names.append(c)
        elif role == "amount":
            current.amounts.append(c)
            seen_amount = True
        elif role == "text":
            current.texts.append(c)
    segments.append(current)
    for segment in segments:
        if segment.name is None and segment.texts:
            first_amount = min(segment.amounts, default=width)
            leading = [c for c in segment.texts if c < first_amount]
            if leading:
                segment.name = leading[0]
                segment.texts.remove(leading[0])
    kept = [s for s in segments if s.name is not None or s.amounts or s.codes]
    if len(kept) == 1:
        kept[0].side = None
    return kept


# ---------------------------------------------------------------------------------------------
# rows


def _code_from(texts: list[str], group: _CodeGroup) -> str | None:
    parts = [texts[c] for c in group.cols if c < len(texts)]
    if len(group.cols) == 1:
        return codes.normalise_code(parts[0]) if parts and parts[0] else None
    return codes.join_code(parts)


def _kind_of(code: str, system: CodeKind | None) -> CodeKind | None:
    if system is not None:
        return system
    return codes.code_kind(code)


@dataclass
class _Parsed:
    rows: list[DisclosureRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    statement: str | None = None
    bad_amounts: list[Loc] = field(default_factory=list)


def _cell(table: Table, row: int, col: int) -> Cell | None:
    return table.cell(row + 1, col + 1)


def _label_at(table: Table, r: int, c: int, texts: list[str]) -> tuple[str, tuple[int, int] | None]:
    """The text of a name cell; a merged cell's text where the cell is covered (and the anchor)."""
    text = texts[c] if c < len(texts) else ""
    if text:
        return text, None
    cell = _cell(table, r, c)
    if cell is not None and cell.covered_by is not None:
        anchor = table.cell(*cell.covered_by)
        if anchor is not None and anchor.text:
            return anchor.text, cell.covered_by
    return "", None


@dataclass
class _Columns:
    """What reading a row of one segment needs, worked out once per table rather than per row."""

    paths: list[str]  # the header path of every column (``_Header.path``)
    name_cols: list[int]  # the name column and further name columns under the same header
    name_path: str
    other_cols: list[int]  # name columns of another header, then text columns
    label_cols: list[int]  # code columns, then text columns: where a 合计 label may stand

    @classmethod
    def of(cls, segment: _Segment, header: _Header, width: int) -> _Columns:
        paths = [header.path(c) for c in range(max(width, len(header.parts)))]
        name_cols = [segment.name] if segment.name is not None else []
        name_path = header.path(segment.name) if segment.name is not None else ""
        # a name printed over several columns under one header (收入总计 / 一般公共预算资金 | 小计)
        name_cols += [c for c in segment.names if header.path(c) == name_path]
        return cls(
            paths=paths,
            name_cols=name_cols,
            name_path=name_path,
            other_cols=[c for c in segment.names if c not in name_cols] + segment.texts,
            label_cols=[c for group in segment.codes for c in group.cols] + segment.texts,
        )

    def path(self, col: int) -> str:
        return self.paths[col] if col < len(self.paths) else ""


def _row_for_segment(
    table: Table, r: int, texts: list[str], segment: _Segment, columns: _Columns, parsed: _Parsed
) -> DisclosureRow | None:
    cells: dict[str, Loc] = {}
    used: set[tuple[int, int]] = set()  # merge anchors already read as the name
    row_cells = table.rows[r]
    n_cells = len(row_cells)
    path = columns.path
    name_cols = columns.name_cols
    name_path = columns.name_path
    pieces: list[str] = []
    name_loc: Loc | None = None
    for c in name_cols:
        text, anchor = _label_at(table, r, c, texts)
        if anchor is not None:
            used.add(anchor)
        source = table.cell(*anchor) if anchor is not None else row_cells[c] if c < n_cells else None
        if text and name_loc is None and source is not None:
            name_loc = source.loc
        if text and (not pieces or pieces[-1] != join_name(text)):
            pieces.append(join_name(text))
    name = "/".join(pieces)
    row_codes: dict[str, str] = {}
    primary: tuple[str, CodeKind | None] | None = None
    for group in segment.codes:
        code = _code_from(texts, group)
        if code is None:
            continue
        kind = _kind_of(code, group.kind)
        row_codes[kind or "code"] = code
        if primary is None:
            primary = (code, kind)
        for c in group.cols:
            cell = row_cells[c] if c < n_cells else None
            if cell is not None and cell.text:
                cells[path(c)] = cell.loc
    if name and primary is None:
        match = _CODE_PREFIX.match(name)
        if match:
            code = match.group(1)
            primary = (code, codes.code_kind(code))
            row_codes[primary[1] or "code"] = code
            name = name[match.end() :].strip()
    row_texts: dict[str, str] = {}
    for c in columns.other_cols:
        if c < len(texts) and texts[c] and (r + 1, c + 1) not in used:
            row_texts[path(c)] = join_name(texts[c]) if c in segment.names else texts[c]
            cell = row_cells[c] if c < n_cells else None
            if cell is not None:
                cells[path(c)] = cell.loc
    if name and codes.normalise_code(name) and primary is None:
        code = codes.normalise_code(name) or name
        unit_code: CodeKind | None = "unit" if len(code) in (3, 6, 9) and code.startswith("0") else None
        primary = (code, unit_code or codes.code_kind(code))
        row_codes[primary[1] or "code"] = code
        name = next((v for v in row_texts.values() if not codes.normalise_code(v)), "")
    if not name and primary is None:
        for c in columns.label_cols:
            label, anchor = _label_at(table, r, c, texts)
            if label and _TOTAL.search(norm(label)) and len(norm(label)) <= 8:
                name = label
                row_texts.pop(path(c), None)
                break
    if not name and row_texts:
        key = next(iter(row_texts))
        name = row_texts.pop(key)
    values: dict[str, Decimal | None] = {}
    for c in segment.amounts:
        text = texts[c] if c < len(texts) else ""
        value = parse_amount(text)
        column = path(c)
        values[column] = value
        cell = row_cells[c] if c < n_cells else None
        if cell is not None and text:
            cells[column] = cell.loc
            if value is None and normalise_digits(text).strip() not in ("-", "—", "——", "－", "/", "／", "…"):
                parsed.bad_amounts.append(cell.loc)
    has_values = any(v is not None for v in values.values())
    if not name and primary is None and not has_values and not row_texts:
        return None
    is_total = bool(_TOTAL.search(norm(name))) or (
        not name and primary is None and has_values and not row_texts
    )
    first = next((c for c in row_cells if c.text), None)
    if name_loc is not None and pieces:
        cells[name_path] = name_loc
    code_text, code_kind = primary if primary is not None else (None, None)
    return DisclosureRow(
        name=name,
        code=code_text,
        code_kind=code_kind,
        codes=row_codes,
        values=values,
        texts=row_texts,
        is_total=is_total,
        side=segment.side,
        loc=name_loc if name_loc is not None and pieces else first.loc if first else None,
        cells=cells,
    )


def _drop_echoes(rows: list[DisclosureRow]) -> list[DisclosureRow]:
    """A name merged across two halves of a row (支出合计 over 功能分类 and 支出用途) counts once: where
    its amounts are."""
    with_values = {row.name for row in rows if any(v is not None for v in row.values.values())}
    kept: list[DisclosureRow] = []
    for row in rows:
        bare = row.code is None and not row.texts and not any(v is not None for v in row.values.values())
        seen = any(k.name == row.name and k.side == row.side for k in kept)
        if bare and (row.name in with_values or seen):
            continue
        kept.append(row)
    return kept


def is_statement(text: str) -> bool:
    """A sentence saying the table has nothing to show: 本单位无此项支出, 故本表为空表, 此表为空."""
    return bool(_STATEMENT.search(text)) and len(text) <= 120


def is_note(text: str) -> bool:
    """A note printed under a table: 注：…, 备注：…, or a line starting with a colon."""
    return bool(_NOTE.match(text))


def _statement_or_note(texts: list[str]) -> tuple[str, bool] | None:
    """A row that is a sentence (注：…, 本单位无此项支出) rather than a line of the table."""
    cells = [t for t in texts if t]
    if len(cells) != 1:
        return None
    text = cells[0]
    if is_statement(text):
        return text, True
    if is_note(text) or len(text) > 40:
        return text, False
    return None


def _is_header_repeat(texts: list[str], header_rows: set[tuple[str, ...]]) -> bool:
    first = next((t for t in texts if t), None)
    if first is None:
        return False
    key = norm(first)
    if not any(row and row[0] == key for row in header_rows):
        return False  # most rows: their first text begins no header row
    return tuple(norm(t) for t in texts if t) in header_rows


def _join_wrapped(rows: list[DisclosureRow]) -> list[DisclosureRow]:
    """Name fragments printed on a line of their own (no code, no amount) belong to the line above."""
    joined: list[DisclosureRow] = []
    for row in rows:
        fragment = (
            joined
            and row.code is None
            and not any(v is not None for v in row.values.values())
            and not row.texts
            and row.name
            and not _ENUMERATED.match(row.name)
            and not row.is_total
            and len(row.name) <= 8
            and not row.name.startswith("其中")
            and row.side == joined[-1].side
            and _ENUMERATED.match(joined[-1].name)
        )
        if fragment:
            previous = joined[-1]
            joined[-1] = previous.model_copy(update={"name": previous.name + row.name})
        else:
            joined.append(row)
    return joined


def _align_to_totals(header: _Header, segment: _Segment, rows: list[DisclosureRow]) -> list[str]:
    """Move amounts that sit in a column the total row leaves blank to the next column it fills.

    Text exports drop blank cells and shift the rest of a row left; the total row, printed in full,
    shows where the amounts belong. Returns the names of the rows that were moved.
    """
    totals = [r for r in rows if r.is_total and sum(v is not None for v in r.values.values()) >= 2]
    if not totals:
        return []
    reference = totals[0]
    paths = [header.path(c) for c in segment.amounts]
    filled = [reference.values.get(p) is not None for p in paths]
    moved: list[str] = []
    for row in rows:
        if row is reference:
            continue
        values = [row.values.get(p) for p in paths]
        cells = dict(row.cells)
        changed = False
        for i in range(len(paths) - 1, -1, -1):
            if values[i] is None or filled[i]:
                continue
            target = next((j for j in range(i + 1, len(paths)) if filled[j] or values[j] is not None), None)
            if target is None or values[target] is not None or not filled[target]:
                continue
            values[target], values[i] = values[i], None
            if paths[i] in cells:
                cells[paths[target]] = cells.pop(paths[i])
            changed = True
        if changed:
            row.values = dict(zip(paths, values, strict=True))
            row.cells = cells
            moved.append(row.name)
    return moved


def parse_table(
    table: Table, kind: str, title: str, extra: Sequence[Table] = ()
) -> tuple[DisclosureTable, list[Finding]]:
    """Read one standard table (and its continuation ``extra`` tables, split at page ends)."""
    findings: list[Finding] = []
    grid = _grid(table)
    merged = _has_merges(table)
    header = _header(table, grid, merged)
    header_rows = {tuple(norm(t) for t in row if t) for row in grid[header.top : header.data]}
    if header.shared and header.data < len(grid):
        grid[header.data] = ["" if c in header.shared else t for c, t in enumerate(grid[header.data])]
    sources: list[tuple[Table, int, list[str]]] = [(table, r, grid[r]) for r in range(header.data, len(grid))]
    for part in extra:
        part_grid = _grid(part)
        start = 0
        while start < len(part_grid) and (
            _is_header_repeat(part_grid[start], header_rows) or _is_column_numbers(part_grid[start])
        ):
            start += 1
        sources.extend((part, r, part_grid[r]) for r in range(start, len(part_grid)))
    width = max([table.n_cols, *(p.n_cols for p in extra)])
    body = [texts for _, _, texts in sources if _statement_or_note(texts) is None]
    segments = _segments(header, body, width)
    two_sided = kind in ("income_expenditure_summary", "fiscal_summary") and len(segments) >= 2
    if two_sided and all(s.side is None for s in segments):
        for i, segment in enumerate(segments):
            segment.side = "income" if i == 0 else "expenditure"
    columns = [header.path(c) for c in range(table.n_cols) if header.path(c)]
    result = DisclosureTable(kind=kind, title=title, columns=columns, loc=table.loc)
    if header.repaired:
        findings.append(
            Finding(
                code="F060",
                severity=Severity.INFO,
                message=f"{title}：表头单元格错位（导出时合并单元格的空白被删除），已按表头结构重新对齐，请核对列名。",
                locations=(table.loc,),
                actual="；".join(columns),
            )
        )
    if not any(header.parts):
        findings.append(
            Finding(
                code="F064",
                severity=Severity.WARNING,
                message=f"{title}：未能识别出表头，表格内容未读取。",
                locations=(table.loc,),
            )
        )
        return result, findings
    parsed = _Parsed()
    plans = [(segment, _Columns.of(segment, header, width)) for segment in segments]
    for source, r, texts in sources:
        special = _statement_or_note(texts)
        if special is not None:
            text, is_statement = special
            if is_statement and parsed.statement is None:
                parsed.statement = text
            else:
                parsed.notes.append(text)
            continue
        if _is_header_repeat(texts, header_rows) or _is_column_numbers(texts):
            continue
        printed = [
            _row_for_segment(source, r, texts, segment, segment_columns, parsed)
            for segment, segment_columns in plans
        ]
        parsed.rows.extend(_drop_echoes([row for row in printed if row is not None]))
    result.rows = _join_wrapped(parsed.rows)
    result.notes.extend(parsed.notes)
    result.empty_statement = parsed.statement
    if len(segments) == 1 and not merged:  # only exports lose cells; ruled grids keep them
        moved = _align_to_totals(header, segments[0], result.rows)
        if moved:
            findings.append(
                Finding(
                    code="F061",
                    severity=Severity.WARNING,
                    message=(
                        f"{title}：{len(moved)} 行的金额位于合计行为空的列，疑似导出时错列，"
                        f"已移至右侧合计行有数的列（{'、'.join(moved[:5])}{'等' if len(moved) > 5 else ''}），请核对原表。"
                    ),
                    locations=(table.loc,),
                )
            )
    for loc in parsed.bad_amounts[:10]:
        findings.append(
            Finding(
                code="F063",
                severity=Severity.WARNING,
                message=f"{title}：{loc.label()} 的金额无法识别为数字。",
                locations=(loc,),
            )
        )
    return result, findings


def header_unit(table: Table) -> str | None:
    """A unit printed in the header or in a title row inside the table: ``金额（元）``, ``单位：万元``."""
    for row in table.rows[:6]:
        for cell in row:
            if not cell.text:
                continue
            unit = unit_in(cell.text)
            if unit:
                return unit
            match = _UNIT_HEADER.search(cell.text)
            if match:
                return match.group(1)
    return None
