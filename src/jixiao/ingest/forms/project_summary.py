"""Recogniser for the 项目绩效目标汇总表 (部门预算项目绩效目标汇总表): every project with its code, funds
and targets in one table.

Enters: a ``SourceDocument``. Leaves: one ``ProjectTargetSummary`` per such table, and findings.

The table is found by its header, never by position: a header band whose top row names the project
(单位编码/项目编码, 项目单位/项目名称) and whose bottom row, at most four rows lower, carries 指标值.
Column roles come from the header words of each column's path through the band (a text export
leaves merged header cells empty; they take the label on their left when the columns under them
are sub-columns, an Excel merge names its anchor):

* 编码/代码 → the code; 项目名称/名称/项目单位 → the name;
* 金额/资金 columns (资金总额, 政府预算资金, 财政专户管理资金, 单位资金…) → ``amounts`` by leaf header,
  the 资金总额/合计 one also → ``total``; the unit (万元/元) from the header or a 单位 line;
* wide layout: one (三级指标, 指标值) pair per 一级指标 group (成本指标, 产出指标, 效益指标, 满意度指标,
  in any order, with an optional 二级指标 column); long layout: 一级指标, 二级指标, 三级指标, 指标值 columns.

A project starts on a row with a code or a name; rows with both empty continue it with further
indicators. Codes of nine digits or fewer (007, 007001) are unit rows (``is_unit``), as are
合计/总计 rows. Rows that repeat the header (page breaks) are skipped, and a table of the same width
right after the first one without a header of its own (a page break in a PDF) is read on.

Checks made while reading (findings):

* ``F002`` the indicator pairs sit one or more groups off their header (an export that dropped the
  empty 成本指标 columns puts 产出 values under 成本, 效益 under 产出, 满意度 under 效益). The shift is
  measured from content: satisfaction names (满意度/满意率) must land under 满意度指标 and cost names
  or money values under 成本指标; the shift that fits the content best, with no data pushed outside
  the header, is applied, and the finding says how the columns were re-aligned.
* ``F070`` the same project listed more than once (seed 003 prints its project list twice, the
  second time with other codes and with the indicators). Every row is kept; one finding per table
  names the repeated projects and how their copies differ.
* ``F071`` a project code whose length differs from the other codes of the table.
* ``F072`` an indicator name without a value, or a value without a name.
* ``F073`` an amount cell that is not a number.

>>> from jixiao.ingest.readers.text import read_text
>>> text = ("单位编码（项目编码）\\t项目单位（项目名称）\\t项目金额（万元）\\t\\t绩效目标\\t\\t\\t\\n"
...         "\\t\\t资金总额\\t政府预算资金\\t产出指标\\t\\t满意度指标\\t\\n"
...         "\\t\\t\\t\\t三级指标\\t指标值\\t三级指标\\t指标值\\n"
...         "410191230000000004124\\t保障农民工工资专项费用\\t10.0\\t10.0\\t案件处理率\\t≥75%\\t群众满意度\\t≥80%\\n")
>>> forms, findings = recognise(read_text(text.encode(), "t.txt"))
>>> row = forms[0].rows[0]
>>> (row.code, row.total, [(i.level1, i.name, i.target.value) for i in row.indicators])
('410191230000000004124', Decimal('10.0'), [('产出指标', '案件处理率', Decimal('75')), ('满意度指标', '群众满意度', Decimal('80'))])
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.ingest.forms.common import (
    find_department,
    find_year,
    line_loc,
    matches,
    most_common,
    norm,
    table_mentions,
)
from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table
from jixiao.model.declaration import ProjectSummaryRow, ProjectTargetSummary
from jixiao.model.document import Form
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.money import detect_unit, parse_amount
from jixiao.model.values import parse_target

CODES: dict[str, str] = {
    "F002": "表格行内容整体错位，已按表头和内容对齐读取",
    "F070": "项目绩效目标汇总表重复列示同一项目",
    "F071": "项目编码位数与同表其他项目不一致",
    "F072": "绩效指标名称与指标值不成对",
    "F073": "项目金额单元格无法识别为数字",
}

_IDENTITY_WORDS = ("项目编码", "单位编码", "项目代码", "项目名称", "项目单位")
_LEVEL1_NAMES = ("成本指标", "产出指标", "效益指标", "满意度指标")
_TOTAL_WORDS = ("资金总额", "合计", "总额", "总计", "小计", "金额合计")
_MAX_BAND = 4  # rows from the identity row to the 指标值 row
_SEARCH_ROWS = 15  # how far down a table its header may start (title rows in spreadsheets)
_MONEY_UNIT = re.compile(r"元")


@dataclass
class _Group:
    """One 一级指标 group of a wide layout: its label and the columns of its pair."""

    label: str
    name_col: int
    value_col: int
    level2_col: int | None = None


@dataclass
class _Layout:
    """Where things are in a summary table, found from its header band."""

    band_top: int
    band_bottom: int
    code_col: int | None
    name_col: int | None
    amount_cols: dict[int, str]  # column → header label
    total_col: int | None
    groups: list[_Group] = field(default_factory=list)  # wide layout
    level1_col: int | None = None  # long layout
    level2_col: int | None = None
    indicator_col: int | None = None
    value_col: int | None = None
    unit: str | None = None
    header_words: frozenset[str] = frozenset()

    @property
    def wide(self) -> bool:
        return bool(self.groups)


@dataclass
class _Part:
    """A table (or its continuation) and the rows of it that carry data."""

    table: Table
    rows: list[int]


@dataclass
class _Entry:
    """A project or unit row being assembled, with the table rows it spans."""

    row: ProjectSummaryRow
    first_row: int
    lines: list[tuple[Table, int]] = field(default_factory=list)  # the table rows it spans


def recognise(doc: SourceDocument) -> tuple[list[Form], list[Finding]]:
    """Every 项目绩效目标汇总表 of ``doc``; nothing at all for documents without one."""
    forms: list[Form] = []
    findings: list[Finding] = []
    tables = doc.tables
    used: set[int] = set()
    for position, table in enumerate(tables):
        if table.index in used:
            continue
        layout = _find_layout(table)
        if layout is None:
            continue
        parts = [_Part(table, list(range(layout.band_bottom + 1, table.n_rows + 1)))]
        for follower in _continuations(doc, tables, position, table, layout):
            used.add(follower.index)
            parts.append(_Part(follower, list(range(1, follower.n_rows + 1))))
        summary, table_findings = _read(doc, table, layout, parts)
        forms.append(summary)
        findings.extend(table_findings)
    return forms, findings


# ---------------------------------------------------------------------------------------------------
# The header.


def _find_layout(table: Table) -> _Layout | None:
    """The column roles of a summary table, or ``None`` when ``table`` is not one."""
    if not table_mentions(table, *_IDENTITY_WORDS) or not table_mentions(table, "指标值"):
        return None  # most tables are no summary: they print neither anchor
    for top in range(1, min(table.n_rows, _SEARCH_ROWS) + 1):
        if not any(matches(c.text, *_IDENTITY_WORDS) for c in table.rows[top - 1] if c.text):
            continue
        for bottom in range(top, min(table.n_rows, top + _MAX_BAND - 1) + 1):
            if any(norm(c.text) == "指标值" for c in table.rows[bottom - 1]):
                layout = _layout(table, top, bottom)
                if layout is not None:
                    return layout
                break
    return None


def _header_grid(table: Table, top: int, bottom: int) -> list[list[str]]:
    """Header labels of the band, merged cells filled: ``grid[band row][column]`` (0-based)."""
    width = table.n_cols
    grid: list[list[str]] = []
    for r in range(top, bottom + 1):
        labels = []
        for c in range(1, width + 1):
            cell = table.cell(r, c)
            text = cell.text if cell is not None else ""
            if not text and cell is not None and cell.covered_by is not None:
                anchor_row, anchor_col = cell.covered_by
                if top <= anchor_row <= bottom:
                    text = table.text(anchor_row, anchor_col)
            labels.append(norm(text))
        grid.append(labels)

    def has_lower(band_row: int, col: int) -> bool:
        return any(grid[lower][col] for lower in range(band_row + 1, len(grid)))

    for band_row in range(len(grid) - 1):
        labels = grid[band_row]
        for col in range(1, width):
            if labels[col] or not has_lower(band_row, col):
                continue
            left = col - 1
            while left >= 0 and not labels[left] and has_lower(band_row, left):
                left -= 1
            if left >= 0 and labels[left] and has_lower(band_row, left):
                labels[col] = labels[left]
    return grid


def _layout(table: Table, top: int, bottom: int) -> _Layout | None:
    grid = _header_grid(table, top, bottom)
    width = table.n_cols
    paths: list[list[str]] = []
    for col in range(width):
        path: list[str] = []
        for band_row in range(len(grid)):
            label = grid[band_row][col]
            if label and (not path or path[-1] != label):
                path.append(label)
        paths.append(path)
    code_col = name_col = None
    amount_cols: dict[int, str] = {}
    total_col = None
    level1_col = level2_col = indicator_col = value_col = None
    groups: dict[str, _Group] = {}
    unit = None
    for index, path in enumerate(paths):
        col = index + 1
        if not path:
            continue
        joined = "/".join(path)
        leaf = path[-1]
        level1 = next((name for name in map(_level1_name, path) if name), None)
        if level1 is not None and leaf in ("三级指标", "指标名称", "指标", "指标值", "二级指标"):
            group = groups.setdefault(level1, _Group(level1, 0, 0))
            if leaf == "指标值":
                group.value_col = col
            elif leaf == "二级指标":
                group.level2_col = col
            else:
                group.name_col = col
            continue
        if leaf == "一级指标":
            level1_col = col
        elif leaf == "二级指标":
            level2_col = col
        elif leaf in ("三级指标", "指标名称"):
            indicator_col = col
        elif leaf == "指标值":
            value_col = col
        elif code_col is None and ("编码" in joined or "代码" in joined):
            code_col = col
        elif name_col is None and ("名称" in joined or "项目单位" in joined):
            name_col = col
        elif any(w in joined for w in ("金额", "资金", "预算数", "万元", "合计")) and "绩效" not in joined:
            amount_cols[col] = leaf
            unit = unit or detect_unit(joined)
            if total_col is None and any(w in leaf for w in _TOTAL_WORDS):
                total_col = col
    pairs = [g for g in groups.values() if g.name_col and g.value_col]
    pairs.sort(key=lambda g: g.value_col)
    if code_col is None and name_col is None:
        return None
    if len(pairs) < 2 and (level1_col is None or indicator_col is None or value_col is None):
        return None
    if not amount_cols:
        return None
    if total_col is None and len(amount_cols) == 1:
        total_col = next(iter(amount_cols))
    words = frozenset(label for row in grid for label in row if label)
    return _Layout(
        band_top=top,
        band_bottom=bottom,
        code_col=code_col,
        name_col=name_col,
        amount_cols=amount_cols,
        total_col=total_col,
        groups=pairs if len(pairs) >= 2 else [],
        level1_col=level1_col,
        level2_col=level2_col,
        indicator_col=indicator_col,
        value_col=value_col,
        unit=unit,
        header_words=words,
    )


_LEAF_WORDS = frozenset({"三级指标", "二级指标", "一级指标", "指标名称", "指标值", "绩效指标", "绩效目标"})


def _level1_name(label: str) -> str | None:
    """A 一级指标 group label (产出指标, or 产出 printed without 指标), else ``None``."""
    if label in ("成本", "产出", "效益", "满意度"):
        return label + "指标"
    if label in _LEVEL1_NAMES or (label.endswith("指标") and label not in _LEAF_WORDS):
        return label
    return None


def _continuations(
    doc: SourceDocument, tables: list[Table], position: int, table: Table, layout: _Layout
) -> list[Table]:
    """Tables right after ``table`` that carry on its rows without a header (a PDF page break)."""
    followers: list[Table] = []
    previous = table
    for candidate in tables[position + 1 :]:
        between = _blocks_between(doc, previous, candidate)
        if len(between) > 2 or any(len(p.text) > 30 for p in between):
            break
        if (
            not _known_columns(layout)[0] <= candidate.n_cols <= table.n_cols
            or _find_layout(candidate) is not None
        ):
            break
        first = next((r for r in range(1, candidate.n_rows + 1) if candidate.nonempty(r)), None)
        if first is None or not _looks_like_data(candidate, first, layout):
            break
        followers.append(candidate)
        previous = candidate
    return followers


def _blocks_between(doc: SourceDocument, first: Table, second: Table) -> list[Paragraph]:
    inside = False
    found: list[Paragraph] = []
    for block in doc.blocks:
        if block is first:
            inside = True
            continue
        if block is second:
            return found
        if inside and isinstance(block, Paragraph):
            found.append(block)
    return found


def _known_columns(layout: _Layout) -> tuple[int, set[int]]:
    """The narrowest width a continuation must have, and every column the layout reads."""
    columns = {c for c in (layout.code_col, layout.name_col, layout.level1_col, layout.level2_col) if c}
    columns |= {c for c in (layout.indicator_col, layout.value_col) if c}
    columns |= set(layout.amount_cols)
    for group in layout.groups:
        columns |= {group.name_col, group.value_col}
        if group.level2_col:
            columns.add(group.level2_col)
    first_value = min((g.value_col for g in layout.groups), default=layout.value_col or 0)
    return max(first_value, layout.code_col or 0, layout.name_col or 0), columns


_PROJECT_CODE = re.compile(r"[0-9A-Za-z]{3,}")


def _looks_like_data(table: Table, row: int, layout: _Layout) -> bool:
    """Is ``row`` a summary row: a code, an amount, or cells only in columns the layout reads?"""
    code = table.text(row, layout.code_col) if layout.code_col else ""
    if _PROJECT_CODE.fullmatch(code):
        return True
    if any(parse_amount(table.text(row, c)) is not None for c in layout.amount_cols):
        return True
    known = _known_columns(layout)[1]
    return all(cell.col in known for cell in table.nonempty(row))


# ---------------------------------------------------------------------------------------------------
# The rows.


def _read(
    doc: SourceDocument, table: Table, layout: _Layout, parts: list[_Part]
) -> tuple[ProjectTargetSummary, list[Finding]]:
    title = _title(doc, table, layout)
    findings: list[Finding] = []
    above = [*(p.text for p in doc.preceding_paragraphs(table)), *_rows_above(table, layout)]
    if table.caption:
        above.append(table.caption)
    unit = layout.unit or next((u for u in (detect_unit(t) for t in above if "单位" in t) if u), None)
    shift = _measure_shift(layout, parts) if layout.wide else None
    entries: list[_Entry] = []
    current: _Entry | None = None
    for part in parts:
        for r in part.rows:
            if _is_header_row(part.table, r, layout) or not part.table.nonempty(r):
                continue
            current = _read_row(doc, part.table, r, layout, current, entries, findings)
    if layout.wide:
        _wide_indicators(entries, layout, shift)
    else:
        _long_indicators(entries, layout)
    findings.extend(_pair_findings(doc, table, title, entries))
    summary = ProjectTargetSummary(
        title=title,
        department=find_department(above),
        year=find_year(title, *above),
        unit=unit or "万元",
        rows=[e.row for e in entries],
        loc=table.loc,
    )
    if shift is not None:
        findings.append(_shift_finding(doc, table, title, layout, shift))
    findings.extend(_duplicate_findings(doc, table, title, entries))
    findings.extend(_code_findings(doc, table, title, entries))
    return summary, findings


def _title(doc: SourceDocument, table: Table, layout: _Layout) -> str | None:
    candidates = [*_rows_above(table, layout), *(p.text for p in reversed(doc.preceding_paragraphs(table)))]
    if table.caption:
        candidates.insert(0, table.caption)
    for text in candidates:
        if "汇总表" in text or ("绩效目标" in text and "表" in text):
            return text.strip()
    return None


def _rows_above(table: Table, layout: _Layout) -> list[str]:
    """Texts of title rows inside the table, above its header band (spreadsheets)."""
    return [" ".join(table.row_texts(r)).strip() for r in range(1, layout.band_top) if table.nonempty(r)]


def _is_header_row(table: Table, row: int, layout: _Layout) -> bool:
    """A row printing header words only (a header repeated after a page break)."""
    found = False
    for cell in table.rows[row - 1]:
        if cell.text:
            if norm(cell.text) not in layout.header_words:
                return False  # most rows: their first text already says no
            found = True
    return found


_UNIT_CODE = re.compile(r"\d{1,9}")


def _read_row(
    doc: SourceDocument,
    table: Table,
    r: int,
    layout: _Layout,
    current: _Entry | None,
    entries: list[_Entry],
    findings: list[Finding],
) -> _Entry | None:
    code = table.text(r, layout.code_col) if layout.code_col else ""
    name = table.text(r, layout.name_col) if layout.name_col else ""
    # a code repeated without its name on the next page continues the project
    same_project = current is not None and bool(code) and code == current.row.code and not name
    if (code or name) and not same_project:
        parsed: dict[str, Decimal | None] = {}
        cells: dict[str, Loc] = {}
        for col, label in layout.amount_cols.items():
            text = table.text(r, col)
            value = parse_amount(text)
            if text and value is None:
                findings.append(_amount_finding(doc, table, r, col, label, text, name or code))
            parsed[label] = value
            amount_cell = table.cell(r, col)
            if amount_cell is not None:
                cells[label] = amount_cell.loc
        is_unit = bool(_UNIT_CODE.fullmatch(code)) or norm(name) in ("合计", "总计", "小计")
        total = parsed.get(layout.amount_cols[layout.total_col]) if layout.total_col else None
        row = ProjectSummaryRow(
            code=code or None,
            name=name,
            is_unit=is_unit,
            total=total,
            amounts=parsed,
            loc=line_loc(table.rows[r - 1][0]),
            cells=cells,
        )
        current = _Entry(row=row, first_row=r)
        entries.append(current)
    if current is None:
        return None
    current.lines.append((table, r))
    return current


def _wide_indicators(entries: list[_Entry], layout: _Layout, shift: _Shift | None) -> None:
    """Indicators of each project from its pairs, re-aligned by ``shift``, in header order of 一级指标."""
    offset = shift.offset if shift is not None else 0
    labels = [g.label for g in layout.groups]
    for entry in entries:
        found: list[tuple[int, Indicator]] = []
        for table, r in entry.lines:
            row_loc = line_loc(table.rows[r - 1][0])  # shared by the row's indicators
            for index, group in enumerate(layout.groups):
                name_cell = table.cell(r, group.name_col)
                value_cell = table.cell(r, group.value_col)
                name = name_cell.text if name_cell is not None else ""
                value = value_cell.text if value_cell is not None else ""
                if not name and not value:
                    continue
                target_index = index + offset
                if not 0 <= target_index < len(labels):
                    target_index = index
                level2_cell = table.cell(r, group.level2_col) if group.level2_col else None
                indicator = _indicator(labels[target_index], level2_cell, name_cell, value_cell, row_loc)
                found.append((target_index, indicator))
        found.sort(key=lambda item: item[0])
        entry.row.indicators.extend(indicator for _, indicator in found)


def _long_indicators(entries: list[_Entry], layout: _Layout) -> None:
    for entry in entries:
        level1: str | None = None
        level2: str | None = None
        for table, r in entry.lines:
            level1_text = table.text(r, layout.level1_col) if layout.level1_col else ""
            level2_text = table.text(r, layout.level2_col) if layout.level2_col else ""
            if level1_text:
                level1, level2 = level1_text, None
            if level2_text:
                level2 = level2_text
            name_cell = table.cell(r, layout.indicator_col) if layout.indicator_col else None
            value_cell = table.cell(r, layout.value_col) if layout.value_col else None
            if not (name_cell and name_cell.text) and not (value_cell and value_cell.text):
                continue
            indicator = _indicator(level1, None, name_cell, value_cell, line_loc(table.rows[r - 1][0]))
            indicator.level2 = level2
            if layout.level1_col and level1_text:
                indicator.cells["level1"] = table.rows[r - 1][layout.level1_col - 1].loc
            entry.row.indicators.append(indicator)


def _indicator(
    level1: str | None,
    level2_cell: Cell | None,
    name_cell: Cell | None,
    value_cell: Cell | None,
    loc: Loc,
) -> Indicator:
    name = name_cell.text if name_cell is not None else ""
    value = value_cell.text if value_cell is not None else ""
    cells: dict[str, Loc] = {}
    if name_cell is not None:
        cells["name"] = name_cell.loc
    if value_cell is not None:
        cells["target"] = value_cell.loc
    if level2_cell is not None and level2_cell.text:
        cells["level2"] = level2_cell.loc
    return Indicator(
        level1=level1,
        level2=level2_cell.text if level2_cell is not None and level2_cell.text else None,
        name=name,
        target=parse_target(value, name or None),
        loc=loc,
        cells=cells,
    )


# ---------------------------------------------------------------------------------------------------
# Column shift of the indicator pairs (F002).


@dataclass
class _Shift:
    offset: int  # data in group i belongs to header group i + offset
    evidence: list[str]
    rows: list[tuple[Table, int]]


def _name_class(name: str, value: str) -> str | None:
    """What a (name, value) pair is evidently about: satisfaction, cost, or nothing telling."""
    if "满意" in name:
        return "satisfaction"
    target = parse_target(value, name or None)
    if "成本" in name or (target.unit is not None and _MONEY_UNIT.search(target.unit)):
        return "cost"
    return None


def _label_class(label: str) -> str:
    if "满意" in label:
        return "satisfaction"
    if "成本" in label:
        return "cost"
    return "other"


def _measure_shift(layout: _Layout, parts: list[_Part]) -> _Shift | None:
    """The group offset that best fits the content, when it is not zero."""
    groups = layout.groups
    occupied = [False] * len(groups)
    observed: list[tuple[int, str | None, str]] = []  # (group index, class, name)
    rows: list[tuple[Table, int]] = []
    for part in parts:
        for r in part.rows:
            if _is_header_row(part.table, r, layout):
                continue
            row_has = False
            for index, group in enumerate(groups):
                name, value = part.table.text(r, group.name_col), part.table.text(r, group.value_col)
                if name or value:
                    occupied[index] = row_has = True
                    observed.append((index, _name_class(name, value), name))
            if row_has:
                rows.append((part.table, r))

    classes = [_label_class(group.label) for group in groups]

    def score(offset: int) -> int:
        total = 0
        for index, kind, _name in observed:
            label = classes[index + offset]
            if kind is not None:
                total += 1 if kind == label else -1
            elif label == "satisfaction":
                total -= 1
        return total

    valid = [
        offset
        for offset in range(-len(groups) + 1, len(groups))
        if all(0 <= i + offset < len(groups) for i, used in enumerate(occupied) if used)
    ]
    scores = {offset: score(offset) for offset in valid}
    best = max(valid, key=lambda o: (scores[o], -abs(o)))
    if best == 0 or scores[best] <= scores[0]:  # no shift (0) is always valid
        return None
    evidence = []
    for index, kind, name in observed:
        if kind == "satisfaction" and _label_class(groups[index].label) != "satisfaction":
            evidence.append(f"满意度类指标“{name}”位于“{groups[index].label}”列")
        elif kind == "cost" and _label_class(groups[index].label) != "cost":
            evidence.append(f"成本类指标“{name}”位于“{groups[index].label}”列")
    empty = [groups[i].label for i, used in enumerate(occupied) if not used]
    if empty:
        evidence.append("“" + "”“".join(empty) + "”列全部为空")
    return _Shift(offset=best, evidence=evidence, rows=rows)


def _shift_finding(
    doc: SourceDocument, table: Table, title: str | None, layout: _Layout, shift: _Shift
) -> Finding:
    groups = layout.groups
    k = shift.offset
    direction = "左" if k > 0 else "右"
    mapping = "，".join(
        f"“{g.label}”列下实为{groups[i + k].label}" for i, g in enumerate(groups) if 0 <= i + k < len(groups)
    )
    emptied = [groups[i].label for i in range(len(groups)) if not 0 <= i - k < len(groups)]
    rows = _row_ranges([r for t, r in shift.rows if t is table])
    satisfaction_examples = [e for e in shift.evidence if "满意度类" in e][:2]
    other_evidence = [e for e in shift.evidence if "满意度类" not in e]
    reason = "；".join([*satisfaction_examples, *other_evidence[:2]])
    count = sum(1 for e in shift.evidence if "满意度类" in e)
    if count > len(satisfaction_examples):
        reason += f"（满意度类指标错位共 {count} 处）"
    message = (
        f"{doc.file}：表{table.index}“{title or '项目绩效目标汇总表'}”第{rows}行的绩效指标整体向{direction}错位"
        f" {abs(k)} 组（{2 * abs(k)} 列）：{mapping}。判断依据：{reason}。"
        f"已按内容向{'右' if k > 0 else '左'}移 {abs(k)} 组重新对齐"
        + (f"，“{'”“'.join(emptied)}”按未填写处理。" if emptied else "。")
    )
    locations = tuple(line_loc(t.rows[r - 1][0]) for t, r in shift.rows[:20])
    return Finding(
        code="F002",
        severity=Severity.WARNING,
        message=message,
        locations=(table.loc, *locations),
        expected="每组“三级指标/指标值”位于其一级指标表头之下",
        actual=mapping,
        suggestion="核对原表：导出时可能删去了空的成本指标列，导致其后各列前移。",
    )


def _row_ranges(rows: list[int]) -> str:
    """[13, 14, 15, 18] → '13–15、18'."""
    if not rows:
        return "-"
    ranges: list[str] = []
    start = previous = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == previous + 1:
            previous = r
            continue
        ranges.append(f"{start}" if start == previous else f"{start}–{previous}")
        if r is not None:
            start = previous = r
    return "、".join(ranges)


# ---------------------------------------------------------------------------------------------------
# Other findings.


def _amount_finding(
    doc: SourceDocument, table: Table, r: int, col: int, label: str, text: str, who: str
) -> Finding:
    cell = table.rows[r - 1][col - 1]
    return Finding(
        code="F073",
        severity=Severity.WARNING,
        message=f"{doc.file}：表{table.index} 第{r}行“{who}”的“{label}”不是数字：“{text}”。",
        locations=(cell.loc,),
        actual=text,
        suggestion="填写数字金额（可带千分位），或留空。",
    )


def _pair_findings(
    doc: SourceDocument, table: Table, title: str | None, entries: list[_Entry]
) -> list[Finding]:
    findings = []
    for entry in entries:
        for indicator in entry.row.indicators:
            has_name = bool(indicator.name)
            has_value = bool(indicator.target.raw.strip())
            if has_name and has_value:
                continue
            where = indicator.cells.get("name") or indicator.cells.get("target") or indicator.loc
            what = (
                f"指标“{indicator.name}”没有指标值"
                if has_name
                else f"指标值“{indicator.target.raw}”没有指标名称"
            )
            findings.append(
                Finding(
                    code="F072",
                    severity=Severity.WARNING,
                    message=(
                        f"{doc.file}：表{table.index}“{title or '项目绩效目标汇总表'}”项目“{entry.row.name}”"
                        f"（{indicator.level1 or '一级指标不明'}）{what}。"
                    ),
                    locations=(where,) if where is not None else (),
                    suggestion="补全三级指标名称和指标值。",
                )
            )
    return findings


def _duplicate_findings(
    doc: SourceDocument, table: Table, title: str | None, entries: list[_Entry]
) -> list[Finding]:
    by_name: dict[str, list[_Entry]] = {}
    for entry in entries:
        if not entry.row.is_unit and entry.row.name:
            by_name.setdefault(norm(entry.row.name), []).append(entry)
    repeated = {name: group for name, group in by_name.items() if len(group) > 1}
    if not repeated:
        return []
    differing = [g for g in repeated.values() if len({_signature(e) for e in g}) > 1]
    units = Counter(e.row.code for e in entries if e.row.is_unit and e.row.code)
    repeated_unit = next((e.row.code for e in entries if e.row.code and units[e.row.code] > 1), None)
    blocks = ""
    if repeated_unit is not None:
        starts = [e.first_row for e in entries if e.row.code == repeated_unit]
        blocks = f"表内项目清单列示了 {len(starts)} 遍（分别从第{'、'.join(map(str, starts))}行起），"
    example_group = (differing or list(repeated.values()))[0]
    example = "与".join(_describe(e) for e in example_group)
    how = f"其中 {len(differing)} 个的编码、金额或指标不一致" if differing else "内容相同"
    message = (
        f"{doc.file}：表{table.index}“{title or '项目绩效目标汇总表'}”{blocks}"
        f"{len(repeated)} 个项目重复出现（{how}），例如“{example_group[0].row.name}”：{example}。各行均已保留。"
    )
    actual = "；".join(f"{g[0].row.name}：" + " / ".join(_describe(e) for e in g) for g in repeated.values())
    return [
        Finding(
            code="F070",
            severity=Severity.WARNING if differing else Severity.INFO,
            message=message,
            locations=tuple(e.row.loc for g in repeated.values() for e in g if e.row.loc is not None)[:40],
            actual=actual,
            suggestion="确认每个项目只列示一次，编码与预算批复一致，并把绩效指标填在对应项目下。",
        )
    ]


def _signature(entry: _Entry) -> tuple[object, ...]:
    row = entry.row
    indicators = tuple((i.level1, i.name, i.target.raw) for i in row.indicators)
    return (row.code, row.total, tuple(sorted(row.amounts.items(), key=lambda kv: kv[0])), indicators)


def _describe(entry: _Entry) -> str:
    row = entry.row
    return f"编码 {row.code or '无'}（第{entry.first_row}行，{len(row.indicators)} 个指标）"


def _code_findings(
    doc: SourceDocument, table: Table, title: str | None, entries: list[_Entry]
) -> list[Finding]:
    codes = [e for e in entries if not e.row.is_unit and e.row.code]
    lengths = Counter(len(e.row.code or "") for e in codes)
    if len(codes) < 3 or len(lengths) < 2:
        return []
    usual = most_common(lengths)
    count = lengths[usual]
    if count * 2 <= len(codes):
        return []
    findings = []
    for entry in codes:
        code = entry.row.code or ""
        if len(code) == usual:
            continue
        findings.append(
            Finding(
                code="F071",
                severity=Severity.WARNING,
                message=(
                    f"{doc.file}：表{table.index}“{title or '项目绩效目标汇总表'}”第{entry.first_row}行项目"
                    f"“{entry.row.name}”的编码 {code} 为 {len(code)} 位，同表其他 {count} 个项目编码均为 {usual} 位。"
                ),
                locations=(entry.row.loc,) if entry.row.loc is not None else (),
                expected=f"{usual} 位编码",
                actual=code,
                suggestion="核对项目编码是否多录或漏录了数字。",
            )
        )
    return findings
