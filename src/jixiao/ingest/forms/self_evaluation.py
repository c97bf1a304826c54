"""Self-evaluation recogniser: 绩效自评表 (部门整体 / 项目支出) and the 自评报告 around it.

Enters: a ``SourceDocument``. Leaves: ``SelfEvaluation`` forms and ``F`` findings; nothing when the
document has no scored table (a table with 得分 next to 实际完成值 or 执行数).

What is read, each block found by the words of its header, never by a fixed position:

- 预算执行情况 / 项目资金: 年初数, 全年数, 全年执行数, 分值, 执行率, 得分 → ``budget_execution``;
- 年度履职目标 / 年度总体目标 (预期目标 vs 实际完成情况) → ``goals``; 年度主要任务 → ``tasks``;
- the scored indicator table (一级/二级/三级指标, 指标值, 实际完成值, 分值, 得分, 偏差原因…) →
  ``indicators``; the same table inside a report (表3-2) → ``report_indicators``;
- a level summary (表3-1, 一级指标 across or down) → ``level_scores``; 总分 rows, 等级 cells and
  the report's sentences (自评得分为 97 分，评价等级为“优”) → ``total_reported`` / ``grade_reported``;
- the report's paragraphs → ``sections``; the form's footnote (注：…) → ``scoring_notes``.

Text exports drop merged cells and break rows at page ends, so a row's cells may sit one to three
columns off their header. Each row is aligned to the header by content: a dynamic programme places
the row's non-empty cells, in order, on the header's columns, scoring how well each text fits a
column (a plain number fits 分值/得分, ``≥90%`` fits 指标值/实际完成值, a long sentence fits 指标说明)
and penalising changes of offset. A row without 指标值/实际完成值/分值/得分 is the continuation of
the row above (a cell split by a page break) and is appended to it.

>>> from jixiao.ingest.readers.text import read_text
>>> table = "三级指标\\t指标值\\t实际完成值\\t分值\\t得分\\n培训人次\\t≥100人次\\t120人次\\t20\\t20\\n"
>>> forms, findings = recognise(read_text(table.encode(), "a.txt"))
>>> forms[0].indicators[0].score
Decimal('20')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

from jixiao.ingest.forms.cells import cell_kind, compact
from jixiao.ingest.forms.common import find_department, find_year, line_loc, norm
from jixiao.ingest.forms.indicator_table import LEVEL1_NAMES
from jixiao.ingest.forms.narrative import extract_sections, heading_level
from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table
from jixiao.model.declaration import Goal, Task
from jixiao.model.document import Form
from jixiao.model.evaluation import FundLine, LevelScore, SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.money import detect_unit, normalise_digits, parse_amount
from jixiao.model.values import parse_actual, parse_target

CODES: dict[str, str] = {
    "F010": "自评总分或评价等级前后不一致（自评表、得分汇总表与报告文字）",
    "F011": "自评指标行缺少分值或得分",
    "F012": "自评表行单元格与表头错位，已按内容对齐",
    "F013": "自评表跨页续行，已并入上一行",
    "F014": "自评表单元格无法对应到任何列，已忽略",
}

# ---------------------------------------------------------------------------------------------
# The alignment of a row's cells to its header (cell kinds: ``cells.cell_kind``)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    key: str  # the model field a column feeds; "" for a column read but not kept (备注, 二级分值)
    col: int  # the header cell's column


@dataclass
class _Aligned:
    cells: dict[str, Cell]
    dropped: list[Cell]
    shifted: bool


Compat = Callable[[str, str, str], float | None]  # (kind, field key, text) → fit, None = impossible

_DROP = -4.0  # a cell left out of every column
_FIRST_SHIFT = 0.1  # per column between a row's first placed cell and its header
#: the same in a spreadsheet, whose cells sit in their true columns (no extraction shifted them):
#: a row moved off its headers must fit much better to be believed
_FIRST_SHIFT_SHEET = 1.0
_SHIFT_CHANGE = 0.3  # per column of change in offset between two neighbouring cells


def _align(cells: Sequence[Cell], fields: Sequence[_Field], compat: Compat) -> _Aligned:
    """Place ``cells`` (in order) on ``fields`` (in order) so that fit minus offset changes is best."""
    kinds = [cell_kind(c.text) for c in cells]
    fits = [[compat(kind, f.key, cell.text) for f in fields] for kind, cell in zip(kinds, cells, strict=True)]
    offsets = [[cell.col - f.col for f in fields] for cell in cells]
    path = _in_place(cells, fields, fits)
    if path is None:
        # rows of one table are alike: the same fits and offsets recur, and so does their answer
        exact = all(cell.loc.sheet is not None for cell in cells)
        first_shift = _FIRST_SHIFT_SHEET if exact else _FIRST_SHIFT
        path = list(_best_path(tuple(map(tuple, fits)), tuple(map(tuple, offsets)), first_shift))
    placed: dict[str, Cell] = {}
    dropped: list[Cell] = []
    shifted = False
    for cell, field_index in zip(cells, path, strict=True):
        if field_index < 0:
            dropped.append(cell)
            continue
        shifted = shifted or cell.col != fields[field_index].col
        if fields[field_index].key:
            placed[fields[field_index].key] = cell
    return _Aligned(placed, dropped, shifted)


def _in_place(
    cells: Sequence[Cell], fields: Sequence[_Field], fits: list[list[float | None]]
) -> list[int] | None:
    """The placement of every cell under its own header column, when that is provably the best.

    It is when each cell fits its own column at least as well as any other: no placement can then
    score more (fits are bounded by each cell's best fit, and any shift costs a penalty), and every
    other placement reaching that score would need zero offsets, i.e. be this one.
    """
    by_column = {f.col: index for index, f in enumerate(fields)}
    path: list[int] = []
    for cell, row_fits in zip(cells, fits, strict=True):
        index = by_column.get(cell.col)
        own = row_fits[index] if index is not None else None
        if index is None or own is None or (path and index <= path[-1]):
            return None
        if any(fit is not None and fit > own for fit in row_fits):
            return None
        path.append(index)
    return path


@lru_cache(maxsize=4096)
def _best_path(
    fits: tuple[tuple[float | None, ...], ...],
    offsets: tuple[tuple[int, ...], ...],
    first_shift: float = _FIRST_SHIFT,
) -> tuple[int, ...]:
    """Dynamic programming over (cell, first free field, current offset): the best placement.

    ``fits[cell][field]`` is how well a cell fits a field (None: it cannot go there), ``offsets``
    how many columns the cell sits off the field's header, ``first_shift`` what a row moved off its
    headers costs per column; the answer is a field per cell (-1: none).

    The states each cell can meet are found first, going forwards: dropping a cell keeps its state,
    placing it on a field gives (the next field, that offset). Their best scores are then filled in
    going backwards, one cell at a time; what placing a cell on a field leads to does not depend on
    the state it came from, so it is looked up once per cell and field. Ties keep the earliest
    choice in the order drop, first field, next field… (a later one must be better by more than 1e-9).
    """
    n_cells = len(fits)
    n_fields = len(fits[0]) if fits else 0
    reachable: list[set[tuple[int, int | None]]] = [{(0, None)}]
    for cell_index in range(n_cells):
        states = set(reachable[-1])
        lowest = min(first for first, _ in states)
        row_fits, row_offsets = fits[cell_index], offsets[cell_index]
        for field_index in range(lowest, n_fields):
            if row_fits[field_index] is not None:
                states.add((field_index + 1, row_offsets[field_index]))
        reachable.append(states)
    following: dict[tuple[int, int | None], float] = dict.fromkeys(reachable[n_cells], 0.0)
    choices: list[dict[tuple[int, int | None], int]] = []
    for cell_index in range(n_cells - 1, -1, -1):
        row_fits, row_offsets = fits[cell_index], offsets[cell_index]
        # the best score of the cells after this one, once it is placed on each field
        after = [
            following[(field_index + 1, row_offsets[field_index])]
            if row_fits[field_index] is not None
            else 0.0
            for field_index in range(n_fields)
        ]
        scores: dict[tuple[int, int | None], float] = {}
        chosen: dict[tuple[int, int | None], int] = {}
        for state in reachable[cell_index]:
            first_field, shift = state
            score, choice = following[state] + _DROP, -1
            for field_index in range(first_field, n_fields):
                fit = row_fits[field_index]
                if fit is None:
                    continue
                offset = row_offsets[field_index]
                penalty = first_shift * abs(offset) if shift is None else _SHIFT_CHANGE * abs(offset - shift)
                total = fit - penalty + after[field_index]
                if total > score + 1e-9:
                    score, choice = total, field_index
            scores[state] = score
            chosen[state] = choice
        following = scores
        choices.append(chosen)
    choices.reverse()
    path: list[int] = []
    current: tuple[int, int | None] = (0, None)
    for cell_index in range(n_cells):
        choice = choices[cell_index][current]
        path.append(choice)
        if choice >= 0:
            current = (choice + 1, offsets[cell_index][choice])
    return tuple(path)


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------


def _level_stem(text: str) -> str:
    """产出指标 → 产出: the name of a level without its 指标 suffix."""
    name = norm(text)
    return name[:-2] if name.endswith("指标") else name


#: 一级 names without their 指标 suffix: the indicator reader's vocabulary, plus the ones only scored
#: tables print (预算执行 / 预算执行率, scored as a level of its own; 服务满意度).
_LEVEL1_NAMES = {_level_stem(name) for name in LEVEL1_NAMES} | {
    "服务满意度",
    "预算执行",
    "预算执行情况",
    "预算执行率",
}
_LEVEL2_NAMES = {
    "数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度",
    "经济成本", "社会成本", "生态环境成本", "满意度",
}  # fmt: skip
_TOTAL_LABELS = ("总分", "合计", "总计", "自评总分", "得分合计", "综合得分")
_SUBTOTAL_LABELS = ("小计",)
_GRADE_LABELS = ("评价等级", "自评等级", "绩效等级", "等级", "自评结果", "评价结果")
_GRADES = re.compile(r"^(优秀|良好|合格|不合格|优|良|中|差)$")
_FORM_START = ("项目名称", "部门(单位)名称", "部门名称", "单位名称", "预算单位名称", "预算部门")
_ATTRIBUTES = {
    "项目名称": "project_name",
    "部门(单位)名称": "department",
    "部门名称": "department",
    "单位名称": "department",
    "预算单位名称": "department",
    "预算部门": "department",
    "主管部门": "department",
    "实施单位": "implementing_unit",
}
_GOAL_BLOCK = ("年度履职目标", "年度总体目标", "年度绩效目标", "总体目标", "绩效目标", "年度目标", "履职目标")
_TASK_BLOCK = ("年度主要任务", "主要任务", "年度重点任务", "重点任务")
_ITEM_LABEL = re.compile(r"^(目标|任务)?\s*([0-9一二三四五六七八九十]+)\s*[:：、.．]?$")
_TOC = re.compile(r"\.{4,}|…{2,}|未定义书签|^目\s*录$")
_NOTE_START = ("注", "说明", "备注", "评分说明")
_FORM_TITLE = re.compile(r"自评(?:表|报告)(?:\(.*\))?$")
_REPORT_TABLE = re.compile(r"^表\s*[0-9一二三四五六七八九十]+(?:\s*[-－—.．]\s*\d+)?")
_TERMINAL = ("。", "！", "？", "!", "?", "；", ";")  # a text ending so was not cut by a page break


def _short(text: str) -> str | None:
    """The normalised text of a header-like cell (short), or None."""
    label = norm(text)
    return label if 0 < len(label) <= 16 else None


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------

#: A header vocabulary: (field key, words any of which in a header cell names that field), the
#: first match wins; an empty key is a column read but not kept.
_Words = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class _Pairs:
    """A vocabulary as (word, field key) pairs in the order they are tried, and a pattern finding
    any of its words at once (most cells hold none: they are answered without trying each word)."""

    pairs: tuple[tuple[str, str], ...]
    anywhere: re.Pattern[str]


def _pairs(vocabulary: _Words) -> _Pairs:
    pairs = tuple((word, key) for key, words in vocabulary for word in words)
    return _Pairs(pairs, re.compile("|".join(re.escape(word) for word, _ in pairs)))


def _header_fields(cells: Sequence[Cell], vocabulary: _Pairs) -> list[_Field]:
    """A field for each short cell whose text contains a word of the vocabulary, in reading order."""
    fields: list[_Field] = []
    for cell in cells:
        key = _field_key(cell.text, vocabulary)
        if key is not None:
            fields.append(_Field(key, cell.col))
    return fields


def _field_key(text: str, vocabulary: _Pairs) -> str | None:
    """The field a header cell's text names in ``vocabulary``: the key of the first word it contains."""
    short = _short(text)
    if short is None or not vocabulary.anywhere.search(short):
        return None
    for word, key in vocabulary.pairs:
        if word in short:
            return key
    return None


_INDICATOR_HEADER: _Words = (
    ("actual", ("实际完成值", "实际完成情况", "实际值", "完成值", "全年实际", "实际完成")),
    ("deviation_reason", ("偏差原因", "未完成原因", "原因分析", "改进措施", "偏差")),
    ("explanation", ("指标解释", "指标值说明", "指标内涵")),
    ("formula", ("指标说明", "计算公式", "评分标准", "评分规则", "评价标准", "评分方法")),
    ("", ("得分率",)),
    ("target", ("指标值", "目标值", "预期值")),
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("name", ("三级指标", "指标名称")),
    ("score", ("得分",)),
    ("weight", ("分值", "权重")),
    ("nature", ("指标性质",)),
    ("direction", ("指标方向",)),
    ("unit", ("计量单位",)),
    ("previous", ("上年",)),
    ("", ("备注",)),
)
_INDICATOR_PAIRS = _pairs(_INDICATOR_HEADER)


def _indicator_fields(cells: Sequence[Cell]) -> list[_Field] | None:
    """The columns of a scored indicator header row, or None when the row is not one."""
    fields = _header_fields(cells, _INDICATOR_PAIRS)
    keys = [f.key for f in fields]
    if "name" not in keys or "score" not in keys or ("actual" not in keys and "weight" not in keys):
        return None
    if keys.count("name") > 1:
        return None
    # 分值 columns before the 三级指标 are the weights of the level they follow
    name_index = keys.index("name")
    result: list[_Field] = []
    for index, column in enumerate(fields):
        if column.key == "weight" and index < name_index:
            previous = fields[index - 1].key if index else ""
            result.append(_Field("level1_weight" if previous == "level1" else "", column.col))
        elif column.key and column.key in {kept.key for kept in result}:
            result.append(_Field("", column.col))  # a second 分值 / 指标值 column: read, not kept
        else:
            result.append(column)
    return result


_BUDGET_HEADER: _Words = (
    ("executed", ("执行数", "实际支出", "支出数")),
    ("rate", ("执行率",)),
    ("initial", ("年初",)),
    ("adjusted", ("全年数", "全年预算", "调整后", "预算数", "全年")),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
)
_BUDGET_PAIRS = _pairs(_BUDGET_HEADER)


def _budget_fields(cells: Sequence[Cell]) -> list[_Field] | None:
    fields: list[_Field] = []
    for found in _header_fields(cells, _BUDGET_PAIRS):
        if found.key not in {f.key for f in fields}:
            fields.append(found)
    keys = {f.key for f in fields}
    if "executed" in keys and ("initial" in keys or "adjusted" in keys):
        return fields
    return None


_ITEM_HEADER: _Words = (
    ("actual", ("实际完成情况", "目标完成情况", "任务完成情况", "完成情况", "实际完成")),
    ("title", ("目标名称", "任务名称", "名称")),
    ("content", ("主要内容", "预期目标", "目标内容", "任务内容", "具体内容")),
    ("fiscal", ("财政资金", "财政拨款")),
    ("total", ("合计", "预算金额", "金额", "预算数")),
    ("note", ("备注",)),
)
_ITEM_PAIRS = _pairs(_ITEM_HEADER)


def _item_fields(cells: Sequence[Cell]) -> list[_Field]:
    """The columns of a goals or tasks header, the block's own name (年度主要任务) left out."""
    blocks = (*_GOAL_BLOCK, *_TASK_BLOCK)
    return _header_fields([c for c in cells if _short(c.text) not in blocks], _ITEM_PAIRS)


def _is_item_header(cells: Sequence[Cell], block: tuple[str, ...], words: tuple[str, ...]) -> bool:
    labels = [label for label in (_short(c.text) for c in cells) if label]
    if not labels:
        return False
    if norm(cells[0].text) in block:
        return True
    return any(label in words for label in labels)


def _row_role(cells: Sequence[Cell]) -> str | None:
    """What a row of a form is: a header of some block, a form start, a total, a note, or data."""
    if not cells:
        return None
    first = norm(cells[0].text)
    if _indicator_fields(cells) is not None:
        return "indicator_header"
    if _budget_fields(cells) is not None:
        return "budget_header"
    if _is_item_header(cells, _TASK_BLOCK, ("任务名称", "任务完成情况")):
        return "tasks_header"
    if _is_item_header(cells, _GOAL_BLOCK, ("预期目标", "目标名称", "目标完成情况")):
        return "goals_header"
    if len(cells) == 1 and len(first) <= 40 and _FORM_TITLE.search(first):
        return "title"
    if any(first.startswith(label) for label in _FORM_START):
        return "form_start"
    if first.rstrip(":") in _ATTRIBUTES:
        return "attributes"
    if first.rstrip(":") in _TOTAL_LABELS:
        return "total"
    if first.startswith(_NOTE_START) and len(first) > 12 and len(cells) == 1:
        return "note"
    return None


# ---------------------------------------------------------------------------------------------
# Fit of a cell to a column
# ---------------------------------------------------------------------------------------------

_LEVEL_KEYS = ("level1", "level1_weight", "level2")
_NUMERIC_FIELDS = {"level1_weight", "weight", "score", "initial", "adjusted", "executed", "total", "fiscal"}
# How well a kind of text fits a column (None: it cannot be there). Names are words, values are
# values, explanations are sentences; a blank (—) may stand in any value column.
_INDICATOR_FIT: dict[str, dict[str, float | None]] = {
    "level2": {"number": None, "value": None, "qualitative": -1.0, "word": 1.0, "long": -1.0},
    "name": {"number": -2.0, "value": -1.0, "qualitative": 0.0, "word": 3.0, "long": 1.0},
    "target": {"number": 1.0, "value": 3.0, "qualitative": 2.5, "word": 0.5, "long": 0.0},
    "actual": {"number": 1.0, "value": 3.0, "qualitative": 2.5, "word": 0.5, "long": 0.5},
    "formula": {"number": -1.0, "value": -0.5, "qualitative": 0.0, "word": 1.0, "long": 2.0},
    "explanation": {"number": -1.0, "value": -0.5, "qualitative": 0.0, "word": 1.0, "long": 2.0},
    "deviation_reason": {"number": -1.0, "value": -1.0, "qualitative": 0.5, "word": 1.0, "long": 2.0},
    "previous": {"number": 1.5, "value": 2.0, "qualitative": 1.0, "word": 0.5, "long": -1.0},
}
_ITEM_FIT: dict[str, dict[str, float | None]] = {
    "title": {"number": None, "value": None, "qualitative": 1.0, "word": 2.0, "long": 0.0},
    "content": {"number": None, "value": 0.0, "qualitative": 0.5, "word": 1.0, "long": 2.0},
    "actual": {"number": 0.5, "value": 1.0, "qualitative": 1.0, "word": 1.0, "long": 2.0},
    "note": {"number": 0.0, "value": 0.5, "qualitative": 1.0, "word": 1.0, "long": 1.0},
}


def _indicator_compat(kind: str, key: str, text: str) -> float | None:
    if kind == "blank":
        return 1.0 if key in {"target", "actual", "weight", "score", "deviation_reason"} else 0.2
    if key in _NUMERIC_FIELDS:
        return 2.0 if kind == "number" else None
    if key == "level1":
        if kind != "word" and kind != "qualitative":
            return None
        return 2.0 if _level_stem(text) in _LEVEL1_NAMES else -1.5
    if key == "level2" and kind == "word" and _level_stem(text) in _LEVEL2_NAMES:
        return 1.5
    if key in _INDICATOR_FIT:
        return _INDICATOR_FIT[key][kind]
    if key in {"nature", "direction", "unit"}:
        return 1.0 if kind in {"word", "qualitative"} else (0.5 if kind == "value" else -1.0)
    return 0.5 if kind == "number" else 0.0  # a column read but not kept


def _budget_compat(kind: str, key: str, text: str) -> float | None:
    if kind == "blank":
        return 1.0
    if key == "rate":
        return {"value": 2.0, "number": 1.0}.get(kind)
    return 2.0 if kind == "number" else None


def _item_compat(kind: str, key: str, text: str) -> float | None:
    if kind == "blank":
        return 0.5
    if key in {"total", "fiscal"}:
        return 2.0 if kind == "number" else None
    return _ITEM_FIT.get(key, {}).get(kind, 0.0)


# ---------------------------------------------------------------------------------------------
# Drafts: rows collected before they become model objects (continuations are appended first)
# ---------------------------------------------------------------------------------------------


@dataclass
class _IndicatorDraft:
    texts: dict[str, str]
    cells: dict[str, Loc]
    loc: Loc


@dataclass
class _ItemDraft:
    label: str | None
    texts: dict[str, str]
    cells: dict[str, Loc]
    loc: Loc


@dataclass
class _Block:
    kind: str  # budget, goals, tasks, indicators
    fields: list[_Field]
    width: int
    header_row: int  # the last header row read, to merge two-row headers
    unit: str | None = None  # money unit of a budget block
    context: dict[str, tuple[str, Loc]] = field(default_factory=dict)  # level1 / level2 / level1_weight
    level2_row: int | None = None  # the row where the current 二级指标 was printed


@dataclass
class _Unit:
    """One 自评表 (or the report's tables when no form is present)."""

    title: str | None = None
    title_loc: Loc | None = None
    attributes: dict[str, tuple[str, Loc]] = field(default_factory=dict)
    budget: list[FundLine] = field(default_factory=list)
    goals: list[_ItemDraft] = field(default_factory=list)
    tasks: list[_ItemDraft] = field(default_factory=list)
    indicators: list[_IndicatorDraft] = field(default_factory=list)
    totals: list[tuple[str, Decimal, Loc]] = field(default_factory=list)
    total_weight: Decimal | None = None
    grades: list[tuple[str, str, Loc]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    loc: Loc | None = None
    has_content: bool = False

    @property
    def scored(self) -> bool:
        return bool(self.indicators) or any(
            line.weight is not None or line.score is not None for line in self.budget
        )


@dataclass
class _Report:
    indicators: list[_IndicatorDraft] = field(default_factory=list)
    level_scores: list[LevelScore] = field(default_factory=list)
    totals: list[tuple[str, Decimal, Loc]] = field(default_factory=list)


@dataclass
class _TableLog:
    """What happened to the rows of one table, reported once per table."""

    shifted: list[int] = field(default_factory=list)
    continued: list[int] = field(default_factory=list)


#: A money unit in brackets and a leading 其中：, dropped from the labels of budget lines.
_MONEY_UNIT_IN_BRACKETS = re.compile(r"[（(]\s*(?:万元|元|千元|亿元)\s*[)）]")
_OF_WHICH = re.compile(r"^其中\s*[:：]")


class _Reader:
    """Walks the tables of one document, filling units, the report part and findings."""

    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.units: list[_Unit] = []
        self.report = _Report()
        self.findings: list[Finding] = []
        self.logs: dict[int, _TableLog] = {}

    # -- tables ---------------------------------------------------------------------------------

    def read(self) -> None:
        # a report has numbered headings; workbooks' sheet names (heading 1) do not count
        has_headings = any(heading_level(p) is not None for p in self.doc.paragraphs if not _is_sheet_name(p))
        previous_form_table: Table | None = None
        block: _Block | None = None
        for table in self.doc.tables:
            if self._read_level_scores(table):
                previous_form_table = None
                continue
            roles = [_row_role(self._cells(table, r)) for r in range(1, table.n_rows + 1)]
            form_roles = {"form_start", "budget_header", "goals_header", "tasks_header", "title"}
            strong = form_roles | {"indicator_header"}
            is_report = (
                has_headings
                and "indicator_header" in roles
                and not form_roles & set(roles)
                and bool(table.caption and _REPORT_TABLE.match(table.caption.strip()))
                and "自评表" not in (table.caption or "")
            )
            if is_report:
                self._read_report_table(table, roles)
                previous_form_table = None
                continue
            continues = (
                previous_form_table is not None
                and block is not None
                and not strong & set(roles)
                and abs(table.n_cols - block.width) <= 2
                and _position(self.doc, table) - _position(self.doc, previous_form_table) <= 3
            )
            if not continues:
                block = None
            if strong & set(roles) or continues:
                block = self._read_form_table(table, roles, block)
                previous_form_table = table
            else:
                previous_form_table = None

    @staticmethod
    def _cells(table: Table, row: int) -> list[Cell]:
        return table.nonempty(row)

    def _log(self, table: Table) -> _TableLog:
        return self.logs.setdefault(table.index, _TableLog())

    def _current_unit(self, table: Table, row: int) -> _Unit:
        if not self.units:
            self.units.append(_Unit(loc=_row_loc(table, row)))
        unit = self.units[-1]
        if not any(known is table for known in unit.tables):
            unit.tables.append(table)
        return unit

    def _new_unit(self, table: Table, row: int) -> _Unit:
        unit = _Unit(loc=_row_loc(table, row), tables=[table])
        self.units.append(unit)
        return unit

    def _read_form_table(self, table: Table, roles: list[str | None], block: _Block | None) -> _Block | None:
        for row in range(1, table.n_rows + 1):
            cells = self._cells(table, row)
            if not cells:
                continue
            role = roles[row - 1]
            unit = self._current_unit(table, row)
            if role == "title":
                if unit.has_content or unit.title or unit.attributes:
                    unit = self._new_unit(table, row)
                unit.title, unit.title_loc = cells[0].text, cells[0].loc
                block = None
            elif role in ("form_start", "attributes"):
                key = _ATTRIBUTES.get(norm(cells[0].text).rstrip(":"), "")
                if role == "form_start" and (unit.has_content or key in unit.attributes):
                    unit = self._new_unit(table, row)
                self._read_attributes(unit, cells)
                block = None
            elif role == "budget_header":
                fields = _budget_fields(cells) or []
                unit_text = " ".join(c.text for c in cells)
                block = _Block("budget", fields, table.n_cols, row, unit=detect_unit(unit_text))
                unit.has_content = True
            elif role in ("goals_header", "tasks_header"):
                kind = "goals" if role == "goals_header" else "tasks"
                fields = _item_fields(cells)
                if block is not None and block.kind == kind and block.header_row == row - 1:
                    merged = {f.key: f for f in block.fields}
                    merged.update({f.key: f for f in fields})
                    fields = sorted(merged.values(), key=lambda f: f.col)
                block = _Block(kind, fields, table.n_cols, row)
                unit.has_content = True
                data = [c for c in cells if _short(c.text) is None]
                if data:
                    self._read_item_row(unit, block, table, row, data)
            elif role == "indicator_header":
                fields = _indicator_fields(cells) or []
                context = block.context if block is not None and block.kind == "indicators" else {}
                block = _Block("indicators", fields, table.n_cols, row, context=context)
                unit.has_content = True
            elif role == "total" and block is not None and block.kind == "indicators":
                self._read_total(unit.totals, unit, block, cells, "自评表总分")
                block = None
            elif role == "note":
                unit.notes.append(cells[0].text)
                block = None
            elif block is None:
                pass  # a line between blocks: only its 评价等级 cell (below) is read
            elif block.kind == "budget":
                self._read_budget_row(unit, block, table, row, cells)
            elif block.kind in ("goals", "tasks"):
                self._read_item_row(unit, block, table, row, cells)
            else:
                self._read_indicator_row(unit.indicators, block, table, row, cells)
            self._read_grade(unit, cells)
        return block

    def _read_report_table(self, table: Table, roles: list[str | None]) -> None:
        block: _Block | None = None
        for row in range(1, table.n_rows + 1):
            cells = self._cells(table, row)
            if not cells:
                continue
            if roles[row - 1] == "indicator_header":
                fields = _indicator_fields(cells) or []
                context = block.context if block is not None else {}
                block = _Block("indicators", fields, table.n_cols, row, context=context)
            elif roles[row - 1] == "total":
                self._read_total(self.report.totals, None, block, cells, "得分情况表合计")
            elif block is not None:
                self._read_indicator_row(self.report.indicators, block, table, row, cells)

    # -- blocks ---------------------------------------------------------------------------------

    def _read_attributes(self, unit: _Unit, cells: list[Cell]) -> None:
        index = 0
        while index < len(cells):
            key = _ATTRIBUTES.get(norm(cells[index].text).rstrip(":"))
            if key is not None and index + 1 < len(cells):
                value = cells[index + 1]
                if norm(value.text).rstrip(":") not in _ATTRIBUTES:
                    unit.attributes.setdefault(key, (value.text, value.loc))
                    index += 2
                    continue
            index += 1

    def _read_grade(self, unit: _Unit, cells: list[Cell]) -> None:
        for index, cell in enumerate(cells[:-1]):
            if norm(cell.text).rstrip(":") in _GRADE_LABELS:
                value = cells[index + 1]
                if _GRADES.match(norm(value.text)):
                    unit.grades.append(("自评表", norm(value.text), value.loc))

    def _read_total(
        self,
        totals: list[tuple[str, Decimal, Loc]],
        unit: _Unit | None,
        block: _Block | None,
        cells: list[Cell],
        source: str,
    ) -> None:
        numbers = [c for c in cells[1:] if cell_kind(c.text) == "number"]
        if not numbers:
            return
        fields = [f for f in (block.fields if block else []) if f.key in ("weight", "score")]
        if len(fields) == 2 and len(numbers) >= 2:
            placed = _align(numbers, fields, _budget_compat).cells
        else:
            placed = {"score": numbers[-1]}
            if len(numbers) >= 2:
                placed["weight"] = numbers[-2]
        score = placed.get("score")
        if score is not None:
            value = _amount(score.text)
            if value is not None:
                totals.append((source, value, score.loc))
        weight = placed.get("weight")
        if unit is not None and weight is not None:
            unit.total_weight = _amount(weight.text)

    def _read_budget_row(self, unit: _Unit, block: _Block, table: Table, row: int, cells: list[Cell]) -> None:
        first_value_col = min((f.col for f in block.fields), default=0)
        labels = [
            c
            for c in cells
            if cell_kind(c.text) in ("word", "long", "qualitative")
            and (c.col < first_value_col or not block.fields)
        ]
        value_cells = [c for c in cells if not any(c is label for label in labels)]
        names = [c for c in labels if norm(c.text) not in ("资金来源", "预算执行情况", "其中")]
        if not names and not value_cells:
            return
        label_cell = names[-1] if names else None
        label = label_cell.text if label_cell is not None else ""
        unit_name = detect_unit(label) or block.unit or "万元"
        label = _MONEY_UNIT_IN_BRACKETS.sub("", label)
        label = _OF_WHICH.sub("", label).strip()
        placed = _align(value_cells, block.fields, _budget_compat)
        self._note_alignment(table, row, placed)
        line = FundLine(label=label, unit=unit_name, loc=_row_loc(table, row))
        if label_cell is not None:
            line.cells["label"] = label_cell.loc
        for key, cell in placed.cells.items():
            line.cells[key] = cell.loc
            if key == "rate":
                line.rate_raw = cell.text
                line.rate = _percent(cell.text)
            elif key in ("initial", "adjusted", "executed", "weight", "score"):
                setattr(line, key, _amount(cell.text))
        if block.unit is None and label_cell is not None:
            block.unit = detect_unit(label_cell.text)  # 部门预算总额（万元） sets the unit of the lines below
        unit.budget.append(line)

    def _read_item_row(self, unit: _Unit, block: _Block, table: Table, row: int, cells: list[Cell]) -> None:
        items = unit.goals if block.kind == "goals" else unit.tasks
        block_words = _GOAL_BLOCK if block.kind == "goals" else _TASK_BLOCK
        cells = [c for c in cells if norm(c.text) not in block_words]
        if not cells:
            return
        label: str | None = None
        match = _ITEM_LABEL.match(norm(cells[0].text))
        if match:
            label = f"{match.group(1) or ''}{match.group(2)}"
            cells = cells[1:]
        texts = [c for c in cells if cell_kind(c.text) != "blank"]
        if label is None and len(texts) == 1 and items:
            target = _continued_field(items[-1], texts[0], block.fields)
            if target is not None:
                items[-1].texts[target] += texts[0].text
                self._log(table).continued.append(row)
                return
        if not cells and label is None:
            return
        placed = _align(cells, block.fields, _item_compat)
        self._note_alignment(table, row, placed)
        draft = _ItemDraft(label, {}, {}, _row_loc(table, row))
        for key, cell in placed.cells.items():
            if key and cell_kind(cell.text) != "blank":
                draft.texts[key] = cell.text
                draft.cells[key] = cell.loc
        if draft.texts or label:
            items.append(draft)

    def _read_indicator_row(
        self, drafts: list[_IndicatorDraft], block: _Block, table: Table, row: int, cells: list[Cell]
    ) -> None:
        """One row of a scored table: a new indicator, a level label, or the rest of the row above."""
        first = norm(cells[0].text)
        if first in _SUBTOTAL_LABELS or first in _TOTAL_LABELS:
            return
        placed = _align(cells, block.fields, _indicator_compat)
        if len(cells) == 1:
            # a lone fragment belongs to the column it is printed in, when its text fits there
            under = [f for f in block.fields if f.col == cells[0].col and f.key]
            fit = _indicator_compat(cell_kind(cells[0].text), under[0].key, cells[0].text) if under else None
            if under and fit is not None and fit >= 1:
                placed = _Aligned({under[0].key: cells[0]}, [], False)
        self._note_alignment(table, row, placed)
        measured = set(placed.cells) & {"target", "actual", "weight", "score"}
        for level in _LEVEL_KEYS:
            if level not in placed.cells:
                continue
            cell = placed.cells[level]
            printed = block.context.get(level)
            if level == "level2" and not measured and printed is not None and block.level2_row == row - 1:
                # a 二级指标 name cut by a page break: 可持续发展 / 影响
                joined = printed[0] + cell.text
                block.context[level] = (joined, printed[1])
                if drafts and drafts[-1].cells.get("level2") == printed[1]:
                    drafts[-1].texts["level2"] = joined
                self._log(table).continued.append(row)
                continue
            block.context[level] = (cell.text, cell.loc)
            if level == "level1":
                block.context.pop("level2", None)
                block.context.pop("level1_weight", None)
            if level == "level2":
                block.level2_row = row
        own = {key: cell for key, cell in placed.cells.items() if key and key not in _LEVEL_KEYS}
        if measured:
            draft = _IndicatorDraft({"name": ""}, {}, _row_loc(table, row))
            for level, (text, loc) in block.context.items():
                draft.texts[level], draft.cells[level] = text, loc
            for key, cell in own.items():
                draft.texts[key], draft.cells[key] = cell.text, cell.loc
            drafts.append(draft)
        elif own and drafts:
            for key, cell in own.items():
                drafts[-1].texts[key] = drafts[-1].texts.get(key, "") + cell.text
                drafts[-1].cells.setdefault(key, cell.loc)
            self._log(table).continued.append(row)

    def _note_alignment(self, table: Table, row: int, placed: _Aligned) -> None:
        if placed.shifted:
            self._log(table).shifted.append(row)
        for cell in placed.dropped:
            self.findings.append(
                Finding(
                    code="F014",
                    severity=Severity.WARNING,
                    message=f"{cell.loc.label()}：单元格“{cell.text[:30]}”无法对应到表头的任何一列，已忽略",
                    locations=(cell.loc,),
                    actual=cell.text,
                    suggestion="核对该行是否错位或被分页截断。",
                )
            )

    # -- 表3-1: level summary ---------------------------------------------------------------------

    def _read_level_scores(self, table: Table) -> bool:
        """A 一级指标 summary (across: names in a row; or down: one row per level). True if read."""
        for row in range(1, table.n_rows + 1):
            cells = self._cells(table, row)
            if not cells or norm(cells[0].text) != "一级指标":
                continue
            headers = [norm(c.text) for c in cells]
            if any(h in ("二级指标", "三级指标") for h in headers):
                return False
            if any("得分" in h for h in headers[1:]):
                return self._read_level_scores_down(table, row, cells)
            return self._read_level_scores_across(table, row, cells)
        return False

    def _read_level_scores_across(self, table: Table, header_row: int, names: list[Cell]) -> bool:
        rows: dict[str, int] = {}
        for row in range(header_row + 1, table.n_rows + 1):
            cells = self._cells(table, row)
            if not cells:
                continue
            label = norm(cells[0].text)
            if label in ("权重", "分值", "权重分值", "满分"):
                rows.setdefault("weight", row)
            elif label == "得分率":
                rows.setdefault("rate_raw", row)
            elif label in ("得分", "自评得分", "实际得分"):
                rows.setdefault("score", row)
        if "score" not in rows or len(names) < 2:
            return False
        for name in names[1:]:
            self._add_level_score(name, {key: table.cell(row, name.col) for key, row in rows.items()})
        return True

    def _read_level_scores_down(self, table: Table, header_row: int, header: list[Cell]) -> bool:
        columns: dict[str, int] = {}
        for cell in header[1:]:
            text = norm(cell.text)
            if text == "得分率":
                columns.setdefault("rate_raw", cell.col)
            elif "得分" in text:
                columns.setdefault("score", cell.col)
            elif "权重" in text or "分值" in text:
                columns.setdefault("weight", cell.col)
        name_col = header[0].col
        for row in range(header_row + 1, table.n_rows + 1):
            name = table.cell(row, name_col)
            if name is None or not name.text:
                continue
            self._add_level_score(name, {key: table.cell(row, col) for key, col in columns.items()})
        return bool(self.report.level_scores)

    def _add_level_score(self, name: Cell, values: dict[str, Cell | None]) -> None:
        """One 一级指标 of the summary from its cells (权重, 得分, 得分率); its 合计 is a reported total."""
        level = LevelScore(name=name.text, loc=name.loc)
        for key, cell in values.items():
            if cell is None or not cell.text:
                continue
            level.cells[key] = cell.loc
            if key == "rate_raw":
                level.rate_raw = cell.text
            else:
                setattr(level, key, _amount(cell.text))
        self.report.level_scores.append(level)
        if _is_total_name(name.text) and level.score is not None:
            self.report.totals.append(("得分汇总表合计", level.score, level.cells["score"]))

    # -- findings about the tables ----------------------------------------------------------------

    def table_findings(self) -> list[Finding]:
        findings: list[Finding] = []
        for table in self.doc.tables:
            log = self.logs.get(table.index)
            if log is None:
                continue
            where = table.loc.label()
            shifted = set(log.shifted) - set(log.continued)
            if shifted:
                rows = "、".join(str(r) for r in sorted(shifted))
                findings.append(
                    Finding(
                        code="F012",
                        severity=Severity.INFO,
                        message=f"{where}：第 {rows} 行的单元格与表头错位（合并单元格丢失），已按内容对齐到各列",
                        locations=(table.loc,),
                    )
                )
            if log.continued:
                rows = "、".join(str(r) for r in sorted(set(log.continued)))
                findings.append(
                    Finding(
                        code="F013",
                        severity=Severity.INFO,
                        message=f"{where}：第 {rows} 行是上一行被分页截断的续行，其文字已并入上一行",
                        locations=(table.loc,),
                    )
                )
        return findings


# ---------------------------------------------------------------------------------------------
# Small readers
# ---------------------------------------------------------------------------------------------


def _position(doc: SourceDocument, block: Table) -> int:
    """The index of ``block`` among the document's blocks (by identity: equal tables may repeat)."""
    return next(index for index, candidate in enumerate(doc.blocks) if candidate is block)


def _row_loc(table: Table, row: int) -> Loc:
    """The location of a whole row: its first cell's, without the column (sheet rows for workbooks)."""
    cells = table.rows[row - 1] if 1 <= row <= table.n_rows else []
    return line_loc(cells[0]) if cells else table.loc


def _amount(text: str) -> Decimal | None:
    """A printed amount or number of points: ``1633.2``, ``2``, ``14分``; None for anything else."""
    return parse_amount(compact(text).removesuffix("分"))


def _percent(text: str) -> Decimal | None:
    """``（100%）`` → 100; ``0.95`` (a fraction) → 95; ``100`` → 100."""
    number = normalise_digits(text).strip().strip("()（） ").replace(" ", "")
    percent = number.endswith("%")
    try:
        value = Decimal(number.rstrip("%"))
    except InvalidOperation:
        return None
    if not percent and value <= 1:
        return value * 100
    return value


def _is_total_name(text: str) -> bool:
    return norm(text) in _TOTAL_LABELS


def _continued_field(previous: _ItemDraft, cell: Cell, fields: list[_Field]) -> str | None:
    """Which field of the item above a lone text continues: one not ending a sentence, nearest first."""
    open_fields = [
        key
        for key in ("title", "content", "actual")
        if key in previous.texts and not previous.texts[key].endswith(_TERMINAL)
    ]
    if not open_fields:
        return None
    columns = {f.key: f.col for f in fields}
    return min(open_fields, key=lambda key: abs(columns.get(key, cell.col) - cell.col))


def _indicator(draft: _IndicatorDraft) -> Indicator:
    texts = draft.texts
    target = parse_target(texts.get("target"), texts.get("name") or None)
    actual_raw = texts.get("actual")
    indicator = Indicator(
        level1=texts.get("level1"),
        level2=texts.get("level2"),
        name=texts.get("name", ""),
        target=target,
        explanation=texts.get("explanation"),
        formula=texts.get("formula"),
        nature=texts.get("nature"),
        direction=texts.get("direction"),
        unit=texts.get("unit"),
        previous=texts.get("previous"),
        level1_weight=_amount(texts["level1_weight"]) if "level1_weight" in texts else None,
        actual_raw=actual_raw,
        actual=parse_actual(actual_raw, target) if actual_raw is not None else None,
        weight=_amount(texts["weight"]) if "weight" in texts else None,
        score=_amount(texts["score"]) if "score" in texts else None,
        deviation_reason=texts.get("deviation_reason"),
        loc=draft.loc,
        cells=dict(draft.cells),
    )
    return indicator


def _missing_findings(indicators: list[Indicator]) -> list[Finding]:
    findings: list[Finding] = []
    for indicator in indicators:
        missing = [
            label for label, value in (("分值", indicator.weight), ("得分", indicator.score)) if value is None
        ]
        if not indicator.name:
            missing.insert(0, "三级指标名称")
        if not missing:
            continue
        loc = indicator.cells.get("name") or indicator.loc or Loc(file="")
        findings.append(
            Finding(
                code="F011",
                severity=Severity.WARNING,
                message=f"{loc.label()}：指标“{indicator.name or '（无名称）'}”缺少{'、'.join(missing)}",
                locations=(loc,),
                expected="、".join(missing),
                suggestion="核对原表：该单元格可能在导出时因跨页或列错位而丢失。",
            )
        )
    return findings


_FIRST_SENTENCE = re.compile(r"^([^。；;，,]{2,20})[。；;]")


def _goal(draft: _ItemDraft) -> Goal:
    texts = draft.texts
    content = texts.get("content") or texts.get("title") or ""
    title = texts.get("title") if "content" in texts else None
    return Goal(label=draft.label, title=title, content=content, actual=texts.get("actual"), loc=draft.loc)


def _task(draft: _ItemDraft) -> Task:
    """A task; where the 任务名称 column holds only a label (任务 1:) the content's first sentence names it."""
    texts = draft.texts
    content = texts.get("content")
    name = texts.get("title")
    if name is None and content:
        match = _FIRST_SENTENCE.match(content)
        name = match.group(1) if match else None
    return Task(
        label=draft.label,
        name=name or draft.label or content or "",
        content=content,
        total=_amount(texts["total"]) if "total" in texts else None,
        fiscal=_amount(texts["fiscal"]) if "fiscal" in texts else None,
        note=texts.get("note"),
        actual=texts.get("actual"),
        loc=draft.loc,
        cells=dict(draft.cells),
    )


# ---------------------------------------------------------------------------------------------
# The report's narrative
# ---------------------------------------------------------------------------------------------

_Value = TypeVar("_Value", Decimal, str)
_REPORT_TITLE = re.compile(r"^(.{0,60}?自评报告)")
_TOTAL_SENTENCE = re.compile(r"(?:自评|总|综合|整体)得分(?:为|是|:|：)?\s*(\d+(?:\.\d+)?)\s*分")
_GRADE_SENTENCE = re.compile(r"等级(?:为|是|:|：)\s*[“\"「『]?\s*(优秀|良好|合格|不合格|优|良|中|差)")


def _narrative_claims(
    paragraphs: list[Paragraph],
) -> tuple[list[tuple[str, Decimal, Loc]], list[tuple[str, str, Loc]]]:
    totals: list[tuple[str, Decimal, Loc]] = []
    grades: list[tuple[str, str, Loc]] = []
    for p in paragraphs:
        text = normalise_digits(p.text)
        total = _TOTAL_SENTENCE.search(text)
        if total and not totals:
            totals.append(("报告文字", Decimal(total.group(1)), p.loc))
        grade = _GRADE_SENTENCE.search(text)
        if grade and not grades:
            grades.append(("报告文字", grade.group(1), p.loc))
    return totals, grades


def _title_rows(table: Table) -> list[list[Cell]]:
    """The leading rows of a table holding one text each (the form's title, its year line)."""
    rows: list[list[Cell]] = []
    for row in range(1, table.n_rows + 1):
        cells = table.nonempty(row)
        if len(cells) != 1:
            break
        rows.append(cells)
    return rows


def _note_after(doc: SourceDocument, table: Table) -> Paragraph | None:
    """The footnote printed just below a form (注：1.自评采取打分评价的形式…)."""
    index = _position(doc, table)
    for block in doc.blocks[index + 1 : index + 3]:
        if isinstance(block, Table):
            return None
        if norm(block.text).startswith(_NOTE_START):
            return block
    return None


def _settle(
    file: str, what: str, claims: Sequence[tuple[str, _Value, Loc]], findings: list[Finding]
) -> tuple[_Value, Loc] | None:
    """The first claim wins; every claim that disagrees with it becomes an F010 warning."""
    if not claims:
        return None
    source, value, loc = claims[0]
    for other_source, other_value, other_loc in claims[1:]:
        if other_value != value:
            findings.append(
                Finding(
                    code="F010",
                    severity=Severity.WARNING,
                    message=(
                        f"{file}：{what}前后不一致：{source}为“{value}”（{loc.label()}），"
                        f"{other_source}为“{other_value}”（{other_loc.label()}）"
                    ),
                    locations=(loc, other_loc),
                    expected=str(value),
                    actual=str(other_value),
                    suggestion="核对自评表、得分汇总表与报告正文，统一总分与等级。",
                )
            )
    return value, loc


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _is_sheet_name(paragraph: Paragraph) -> bool:
    """The heading a spreadsheet reader emits for each sheet (it has a sheet but no cell)."""
    return paragraph.loc.sheet is not None and paragraph.loc.cell is None


def recognise(doc: SourceDocument) -> tuple[list[Form], list[Finding]]:
    """Every 绩效自评表 in ``doc`` (one form per 自评表), the report's parts attached to the first."""
    if not doc.mentions("得分", "评分"):
        return [], []  # every scored table and every score summary prints 得分
    reader = _Reader(doc)
    reader.read()
    units = [u for u in reader.units if u.scored]
    report = reader.report
    if not units and not report.indicators and not report.level_scores:
        return [], []
    if not units:
        units = [_Unit(loc=Loc(file=doc.file))]
    findings = list(reader.findings)

    note_paragraphs: list[Paragraph] = []
    form_titles: set[str] = set(doc.sheets)  # sheet names and form titles are not narrative
    for unit in units:
        form_titles.update(row[0].text for table in unit.tables for row in _title_rows(table))
        for table in unit.tables:
            note = _note_after(doc, table)
            if note is not None:
                note_paragraphs.append(note)
                unit.notes.append(note.text)
            if table.caption:
                form_titles.add(table.caption)
    narrative = [
        p
        for p in doc.paragraphs
        if not _TOC.search(p.text)
        and not any(p is note for note in note_paragraphs)
        and p.text not in form_titles
    ]
    has_report = any(heading_level(p) is not None for p in narrative)
    report_title = next((m.group(1) for p in narrative if (m := _REPORT_TITLE.match(p.text))), None)

    forms: list[Form] = []
    for number, unit in enumerate(units):
        first = number == 0
        caption = next((t.caption for t in unit.tables if t.caption and "自评" in t.caption), None)
        title = (report_title if first and report_title else None) or unit.title or caption
        attributes = {key: value for key, (value, _) in unit.attributes.items()}
        project_name = attributes.get("project_name")
        scope = (
            "project" if project_name or (title and "项目" in title and "部门整体" not in title) else "dept"
        )
        evaluation = SelfEvaluation(
            scope=scope,
            title=title,
            department=attributes.get("department") or (find_department(narrative) if first else None),
            project_name=project_name,
            implementing_unit=attributes.get("implementing_unit"),
            year=find_year(title, caption, unit.title, *(t.caption for t in unit.tables))
            or find_year(*(c.text for t in unit.tables for row in t.rows[:4] for c in row)),
            budget_execution=unit.budget,
            goals=[_goal(g) for g in unit.goals],
            tasks=[_task(t) for t in unit.tasks],
            indicators=[_indicator(d) for d in unit.indicators],
            total_weight_reported=unit.total_weight,
            scoring_notes="\n".join(unit.notes) or None,
            loc=unit.loc,
        )
        for key, (_, loc) in unit.attributes.items():
            evaluation.cells[key] = loc
        if unit.title_loc is not None:
            evaluation.cells["title"] = unit.title_loc
        totals = list(unit.totals)
        grades = list(unit.grades)
        if first:
            evaluation.report_indicators = [_indicator(d) for d in report.indicators]
            evaluation.level_scores = report.level_scores
            if has_report:
                evaluation.sections = extract_sections(narrative)
            narrative_totals, narrative_grades = _narrative_claims(narrative)
            totals += report.totals + narrative_totals
            grades += narrative_grades
        where = doc.file
        total = _settle(where, "自评总分", totals, findings)
        if total is not None:
            evaluation.total_reported, evaluation.cells["total_reported"] = total
        grade = _settle(where, "评价等级", grades, findings)
        if grade is not None:
            evaluation.grade_reported, evaluation.cells["grade_reported"] = grade
        findings += _missing_findings(evaluation.indicators) + _missing_findings(evaluation.report_indicators)
        forms.append(evaluation)
    findings += reader.table_findings()
    return forms, findings
