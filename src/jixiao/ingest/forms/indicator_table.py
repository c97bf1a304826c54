"""Read a three-level indicator block (一级/二级/三级指标) from a table into ``Indicator`` rows.

Enters: a ``Table`` and the header found in it by ``find_indicator_header``. Leaves: one ``Indicator``
per 三级指标 row, each with its 一级 and 二级 names, and the ``Finding`` list of what had to be repaired.
Used by the target-declaration recognisers and by the self-evaluation recogniser (scored tables with
实际完成值 / 分值 / 得分 / 偏差原因 columns are mapped the same way).

The reader is built for the family of forms, not one file:

* **Header by anchors.** The header row is the row carrying 三级指标 (or 三级) with 一级/二级/指标值;
  each column is mapped by its header words (一级指标, 二级指标, 三级指标, 指标值, 指标解释, 指标说明,
  计算公式, 指标值说明, 上年度指标值或实际水平, 实际完成值, 分值, 得分, 偏差原因, 未完成原因…). A header
  split over two rows is merged; a header printed one word per row (exports that put every cell on its
  own line) switches to the sequential reader.
* **Merged cells.** 一级/二级 names are inherited down blank cells; cells a reader marks as covered by a
  merge take the name of their anchor.
* **Vertically centred labels.** PDF exports print a merged 一级 cell on the middle row of its block.
  The blocks are therefore decided by the 二级 names: a 一级 name applies from the start of the 二级
  block it sits in, back to where the previous 一级 block ended.
* **Shifted rows.** Each row is aligned to the header by content (a 三级 name must be name-like, an
  指标值 target-like, level names known or short), so a row printed one or more columns off is read
  correctly and reported (``F002``).
* **Known level names.** A small vocabulary of 一级 and 二级 names (产出指标 → 数量/质量/时效指标…,
  履职效能 → 重点工作履行…) places level names found in the wrong column and infers a missing 一级.
* **Values in the wrong column.** An empty 指标值 with a short target in the 指标解释 column, or a
  formula in the 指标解释 column while the 计算公式 column is empty, are put back by content (``F040``).

>>> from jixiao.ingest.readers.text import read_text
>>> rows = "一级指标\\t二级指标\\t三级指标\\t指标值\\n产出指标\\t数量指标\\t培训人次\\t≥20000人次\\n\\t\\t发放人数\\t≥100人\\n"
>>> table = read_text(rows.encode(), "t.txt").tables[0]
>>> header = find_indicator_header(table)
>>> indicators, findings = read_indicator_rows(table, header)
>>> [(i.level1, i.level2, i.name, i.target.raw) for i in indicators]
[('产出指标', '数量指标', '培训人次', '≥20000人次'), ('产出指标', '数量指标', '发放人数', '≥100人')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from jixiao.ingest.forms.cells import is_amount, is_formula, is_level_like, is_sentence, target_strength
from jixiao.ingest.forms.common import line_loc, norm
from jixiao.ingest.source import Cell, Table
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.money import parse_amount
from jixiao.model.values import parse_actual, parse_target

CODES: dict[str, str] = {
    "F002": "表格行内容整体错位，已按表头和内容对齐读取",
    "F040": "指标值、指标解释或计算公式填在了其他列，已按内容归位",
    "F041": "无法确定指标所属的一级或二级指标",
    "F042": "指标表为逐格换行的导出格式，结构按顺序推断",
    "F043": "指标层级文字位置异常，已忽略",
    "F044": "指标行找不到三级指标名称，未读取",
}

#: Fields an indicator column can map to: ``Indicator`` attributes, plus ``level1_weight`` (the 一级's
#: own 分值 column) and ``seq`` (序号), which are read or skipped but never taken for level names.
FIELDS: tuple[str, ...] = (
    "seq",
    "level1",
    "level1_weight",
    "level2",
    "name",
    "op",
    "target",
    "explanation",
    "formula",
    "previous",
    "nature",
    "direction",
    "unit",
    "actual",
    "weight",
    "score",
    "deviation",
)

# ---------------------------------------------------------------------------------------------------
# Vocabulary of level names. Keys are normalised (``norm``); values of LEVEL2 are the possible parents.

LEVEL1_NAMES: frozenset[str] = frozenset(
    {
        "产出指标",
        "效益指标",
        "满意度指标",
        "成本指标",
        "履职效能",
        "管理效率",
        "运行成本",
        "服务满意",
        "可持续性",
        "投入管理指标",
        "投入管理",
        "决策指标",
        "过程指标",
        "投入指标",
    }
)

LEVEL2_PARENTS: Mapping[str, tuple[str, ...]] = {
    "数量指标": ("产出指标",),
    "质量指标": ("产出指标",),
    "时效指标": ("产出指标",),
    "成本指标": ("产出指标",),
    "经济成本指标": ("成本指标",),
    "社会成本指标": ("成本指标",),
    "生态环境成本指标": ("成本指标",),
    "生态成本指标": ("成本指标",),
    "经济效益指标": ("效益指标",),
    "社会效益指标": ("效益指标",),
    "生态效益指标": ("效益指标",),
    "生态环境效益指标": ("效益指标",),
    "可持续影响指标": ("效益指标",),
    "可持续发展影响指标": ("效益指标",),
    "可持续发展影响": ("效益指标",),
    "服务对象满意度指标": ("满意度指标",),
    "服务对象满意度": ("满意度指标",),
    "社会公众或服务对象满意度指标": ("满意度指标",),
    "社会公众或服务对象满意度": ("满意度指标",),
    "社会公众满意度指标": ("满意度指标",),
    "满意度": ("效益指标", "满意度指标"),
    "工作目标管理情况": ("履职效能",),
    "整体工作完成": ("履职效能",),
    "重点工作履行": ("履职效能",),
    "部门目标实现": ("履职效能",),
    "预算管理": ("管理效率",),
    "收支管理": ("管理效率",),
    "财务管理": ("管理效率",),
    "资产管理": ("管理效率",),
    "基础管理": ("管理效率",),
    "成本控制成效": ("运行成本",),
    "服务对象满意": ("服务满意",),
    "利益相关方满意": ("服务满意",),
    "监督部门满意": ("服务满意",),
    "体制机制改革情况": ("可持续性",),
    "创新能力": ("可持续性",),
    "人才支撑": ("可持续性",),
    "工作目标管理": ("投入管理指标",),
    "预算和财务管理": ("投入管理指标",),
    "绩效管理": ("投入管理指标",),
    "重点工作任务完成": ("产出指标",),
    "履职目标实现": ("产出指标",),
    "履职效益": ("效益指标",),
    "履职社会效益": ("效益指标",),
}

# Texts that are pieces of the header or of a wrapped group label, never a level name.
_GENERIC = frozenset({"指标", "一级", "二级", "三级", "绩效指标", "指标体系", "年度绩效指标"})


def level_kind(text: str) -> str | None:
    """``"level1"``, ``"level2"``, ``"both"`` (成本指标) or None for a name outside the vocabulary."""
    key = norm(text)
    one = key in LEVEL1_NAMES
    two = key in LEVEL2_PARENTS
    if one and two:
        return "both"
    if one:
        return "level1"
    if two:
        return "level2"
    return None


def level2_parents(name: str | None) -> tuple[str, ...]:
    """The 一级 names a known 二级 name belongs under (empty for unknown names)."""
    if not name:
        return ()
    return LEVEL2_PARENTS.get(norm(name), ())


# ---------------------------------------------------------------------------------------------------
# Header detection.


@dataclass(frozen=True)
class HeaderMap:
    """Where an indicator block's header is and which column holds which field.

    ``row`` is the last header row (data start below it), ``first_row`` the first one. ``columns``
    maps field names (see ``FIELDS``) to 1-based columns. ``vertical`` lists the fields a badly
    exported form printed one per row under the 三级指标 header (指标值, 指标解释…), in order; the rows
    below are then read sequentially. ``marks`` are level names printed inside the header row itself
    (六枝 prints 数量指标 in the header's first cell): ``(row, col, text)``.
    """

    row: int
    first_row: int
    columns: Mapping[str, int]
    vertical: tuple[str, ...] = ()
    marks: tuple[tuple[int, int, str], ...] = ()

    def col(self, name: str) -> int | None:
        return self.columns.get(name)

    @property
    def is_scored(self) -> bool:
        """True for self-evaluation tables (实际完成值 or 得分 columns)."""
        return "actual" in self.columns or "score" in self.columns


_NAME_HEADERS = ("三级指标", "三级", "指标名称", "三级指标名称")


def header_field(text: str) -> str | None:
    """The field a header cell names, or None when the text is not an indicator header word."""
    t = norm(text).rstrip(":")
    if not t or len(t) > 20:
        return None
    if t in ("一级指标", "一级"):
        return "level1"
    if t in ("序号", "编号", "行次"):
        return "seq"
    if t in ("二级指标", "二级"):
        return "level2"
    if t in _NAME_HEADERS:
        return "name"
    if t.startswith("上年") or "上年度" in t or "上一年" in t:
        return "previous"
    if "实际完成" in t or t in ("完成值", "实际值", "全年实际值", "实际完成情况", "实际完成指标值"):
        return "actual"
    if "偏差" in t or "未完成原因" in t or "原因分析" in t or "改进措施" in t:
        return "deviation"
    if "得分" in t:
        return "score"
    if t in ("分值", "权重", "指标分值", "权重分值", "分值(权重)", "权重(分值)", "指标权重"):
        return "weight"
    if t in ("指标值说明", "指标解释", "指标解释及计算公式", "指标解释和计算公式", "指标内涵", "指标定义"):
        return "explanation"
    if t in ("指标说明", "计算公式", "计算方法", "评分标准", "评(扣)分标准", "评分规则", "指标计算公式"):
        return "formula"
    if t in (
        "指标值",
        "目标值",
        "年度指标值",
        "预期目标",
        "年度目标值",
        "指标目标值",
        "预期指标值",
        "绩效指标值",
    ):
        return "target"
    if "指标值" in t and not any(w in t for w in ("说明", "解释", "实际", "完成")):
        return "target"  # 年度(/项目)指标值, 年度指标值(2024) …
    if t == "指标性质":
        return "nature"
    if t in ("运算符号", "比较符号", "符号", "指标值符号"):
        return "op"
    if t in ("指标方向", "方向", "指标方向性"):
        return "direction"
    if t in ("计量单位", "单位", "度量单位"):
        return "unit"
    return None


def _names_column(table: Table, row: int) -> bool:
    """Does a cell of the row head the 三级指标 column? Only such a row can be a header row, and
    most rows are told apart by that alone, without mapping every cell."""
    return any(c.text and norm(c.text).rstrip(":") in _NAME_HEADERS for c in table.rows[row - 1])


def _map_row(table: Table, row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for cell in table.rows[row - 1]:
        name = header_field(cell.text) if cell.text else None
        if name is None:
            continue
        if name == "weight" and "weight" in found:
            continue
        found.setdefault(name, cell.col)
    return found


def find_indicator_header(table: Table, start_row: int = 1, end_row: int | None = None) -> HeaderMap | None:
    """The first indicator header at or below ``start_row``, or None.

    A header row carries the 三级指标 column and at least one of 一级/二级/指标值. The next row is merged
    into it when it adds header words only (two-row headers), or read as a vertical header when each
    next row holds a single header word (exports that print one cell per line).
    """
    last = min(end_row or table.n_rows, table.n_rows)
    for row in range(start_row, last + 1):
        if not _names_column(table, row):
            continue
        columns = _map_row(table, row)
        if "name" not in columns or not ({"level1", "level2", "target"} & columns.keys()):
            continue
        first_row = row
        vertical: list[str] = []
        while row + 1 <= table.n_rows:
            following = table.nonempty(row + 1)
            words = [header_field(c.text) for c in following]
            if not following or any(w is None for w in words):
                break
            if len(following) == 1 and "target" not in columns and words[0] not in vertical:
                vertical.append(words[0] or "")
            elif not vertical:
                for cell, word in zip(following, words, strict=True):
                    if word is not None and word not in columns:
                        columns[word] = cell.col
            else:
                break
            row += 1
        _split_weights(table, first_row, row, columns)
        _split_explanations(columns, table, first_row, row)
        marks = tuple(
            (first_row, c.col, c.text)
            for c in table.nonempty(first_row)
            if header_field(c.text) is None and level_kind(c.text) is not None
        )
        return HeaderMap(
            row=row, first_row=first_row, columns=dict(columns), vertical=tuple(vertical), marks=marks
        )
    return None


def _split_weights(table: Table, first: int, last: int, columns: dict[str, int]) -> None:
    """Two 分值 columns: the one left of the 三级 names is the 一级 weight (河南 self-evaluations)."""
    weight_cols = sorted(
        c.col
        for r in range(first, last + 1)
        for c in table.rows[r - 1]
        if c.text and header_field(c.text) == "weight"
    )
    name_col = columns["name"]
    left = [c for c in weight_cols if c < name_col]
    right = [c for c in weight_cols if c > name_col]
    if left:
        columns["level1_weight"] = left[0]
    if right:
        columns["weight"] = right[0]
    elif left:
        columns.pop("weight", None)


def _split_explanations(columns: dict[str, int], table: Table, first: int, last: int) -> None:
    """指标说明 alone is the explanation; beside an 指标解释 column it holds the formula (郑州 2020)."""
    if "formula" in columns and "explanation" not in columns:
        text = norm(table.text(first, columns["formula"]) or table.text(last, columns["formula"]))
        if text == "指标说明":
            columns["explanation"] = columns.pop("formula")


# ---------------------------------------------------------------------------------------------------
# Row reading.


@dataclass
class _RowRead:
    row: int
    shift: int
    values: dict[str, str]
    cells: dict[str, Cell]
    level1: tuple[str, Cell] | None = None
    level2: tuple[str, Cell] | None = None
    level1_covered: bool = False
    level2_covered: bool = False
    level_only: bool = False  # a row printing only 一级/二级 names: it places levels, it is no indicator
    notes: list[str] = field(default_factory=list)


def _anchor(table: Table, cell: Cell | None) -> Cell | None:
    """The merge anchor whose text a covered cell shows."""
    if cell is None or cell.covered_by is None:
        return None
    anchor = table.cell(*cell.covered_by)
    return anchor if anchor is not None and anchor.text else None


def _row_cells(table: Table, row: int) -> dict[int, Cell]:
    """Non-empty, non-covered cells of a row by column."""
    return {c.col: c for c in table.rows[row - 1] if c.text and c.covered_by is None}


def _data_fields(header: HeaderMap) -> dict[str, int]:
    return {k: v for k, v in header.columns.items() if k not in ("level1", "level2", "level1_weight", "seq")}


def _zone_extra(header: HeaderMap, cell: Cell, shift: int) -> str | None:
    """``level1_weight`` or ``seq`` for a number left of the names in a 分值 / 序号 column."""
    return _extra_column(header, cell.col, shift) if is_amount(cell.text) else None


def _extra_column(header: HeaderMap, col: int, shift: int) -> str | None:
    """``level1_weight`` or ``seq`` when ``col`` is that header column moved by ``shift``."""
    for name in ("level1_weight", "seq"):
        column = header.col(name)
        if column is not None and col == column + shift:
            return name
    return None


@dataclass(slots=True)
class _Look:
    """What a cell's text looks like, worked out once for all the shifts a row is scored at."""

    cell: Cell
    level: str | None  # ``level_kind``
    generic: bool  # a piece of the header or of a wrapped group label
    strength: int  # ``target_strength``
    sentence: bool  # ``is_sentence``
    amount: bool  # ``is_amount``
    level_like: bool | None = None  # ``is_level_like``, once asked

    @classmethod
    def of(cls, cell: Cell) -> _Look:
        text = cell.text
        return cls(
            cell=cell,
            level=level_kind(text),
            generic=norm(text) in _GENERIC,
            strength=target_strength(text),
            sentence=is_sentence(text),
            amount=is_amount(text),
        )

    def is_level_like(self) -> bool:
        if self.level_like is None:
            self.level_like = is_level_like(self.cell.text)
        return self.level_like

    def is_plain_name(self) -> bool:
        """Name-like: no value, no sentence, no level name, not too long."""
        return self.strength == 0 and not self.sentence and self.level is None and len(self.cell.text) <= 30


def _look_extra(header: HeaderMap, look: _Look, shift: int) -> str | None:
    """``_zone_extra`` from a ``_Look``."""
    return _extra_column(header, look.cell.col, shift) if look.amount else None


def _fit(
    looks: dict[int, _Look], header: HeaderMap, shift: int, fields: dict[str, int]
) -> tuple[float, bool]:
    """Score one alignment of a row with the header; True when the name comes from the level zone.

    ``looks`` are the row's cells by column, ``fields`` the header's ``_data_fields``.
    """
    name_col = fields["name"] + shift
    if name_col < 1:
        return float("-inf"), False
    zone = {col: look for col, look in looks.items() if col < name_col}
    score = 0.75 if shift == 0 else 0.0
    name_look = looks.get(name_col)
    name_from_zone = False
    if name_look is None and shift == 0:
        # the 三级 name slipped into a level column while the values stayed put
        unknown = [look for look in zone.values() if look.level is None and not look.generic]
        unknown = [look for look in unknown if _look_extra(header, look, shift) is None]
        if unknown and unknown[-1].strength == 0 and not unknown[-1].sentence:
            name_from_zone = True
            zone.pop(unknown[-1].cell.col)
            score += 2
        else:
            score -= 4
    elif name_look is None or name_look.cell.text.strip() in _COMPARATOR_SIGNS:
        score -= 4  # nothing, or a 运算符号 (≥) where the name should be
    elif name_look.strength == 2:
        score -= 3
    elif name_look.level is not None or name_look.sentence:
        score -= 1.5
    else:
        score += 2
    level1_col = header.col("level1")
    has_known_level2 = any(look.level in ("level2", "both") for look in zone.values())
    for col, look in zone.items():
        if look.generic:
            continue
        if _look_extra(header, look, shift) is not None:
            score += 0.5
        elif look.level is not None:
            score += 1
        elif not look.is_level_like():
            score -= 3
        elif has_known_level2 and (level1_col is None or col > level1_col + shift):
            score -= 2  # an unknown text in the 二级 position beside a known 二级 name has no place
    target_col = fields.get("target")
    if target_col is not None:
        target = looks.get(target_col + shift)
        if target is not None:
            if target.strength == 2:
                score += 2
            elif target.strength == 1:
                score += 1
            elif target.sentence:
                score -= 1.5
            else:
                score -= 0.5
    for number_field in ("weight", "score"):
        number_col = fields.get(number_field)
        number = looks.get(number_col + shift) if number_col is not None else None
        if number is not None:
            score += 0.5 if number.amount else -1
    mapped = fields.values()  # a header column holds a field: here, col - shift
    for col in looks:
        if col >= name_col and col - shift not in mapped:
            score -= 2
    if shift != 0:
        # a name-like text right where the header puts the 三级 names argues for the printed layout
        printed = looks.get(fields["name"])
        if printed is not None and printed.is_plain_name():
            score -= 2
    return score, name_from_zone


def _choose_shift(cells: dict[int, Cell], header: HeaderMap) -> tuple[int, bool]:
    name_col = header.columns["name"]
    fields = _data_fields(header)
    looks = {col: _Look.of(cell) for col, cell in cells.items()}
    best: tuple[float, int, bool] = (float("-inf"), 0, False)
    for shift in (0, -1, 1, -2, 2, -3, 3):
        if name_col + shift < 1:
            continue
        score, from_zone = _fit(looks, header, shift, fields)
        if score > best[0]:
            best = (score, shift, from_zone)
    return best[1], best[2]


def _read_row(
    table: Table, header: HeaderMap, row: int, findings: list[Finding], file: str
) -> _RowRead | None:
    cells = _row_cells(table, row)
    if not cells:
        return None
    shift, name_from_zone = _choose_shift(cells, header)
    fields = _data_fields(header)
    name_col = fields["name"] + shift
    read = _RowRead(row=row, shift=shift, values={}, cells={})
    for name, col in fields.items():
        cell = cells.get(col + shift)
        if cell is not None:
            read.values[name] = cell.text
            read.cells[name] = cell
    zone = sorted((c for col, c in cells.items() if col < name_col), key=lambda c: c.col)
    if name_from_zone:
        unknown = [c for c in zone if level_kind(c.text) is None and norm(c.text) not in _GENERIC]
        unknown = [c for c in unknown if _zone_extra(header, c, shift) is None]
        name_cell = unknown[-1]
        read.values["name"] = name_cell.text
        read.cells["name"] = name_cell
        zone = [c for c in zone if c is not name_cell]
    _place_levels(table, header, read, zone, shift, findings, file)
    if shift != 0 or name_from_zone:
        where = "左" if shift < 0 else "右"
        what = f"整体{where}移 {abs(shift)} 列" if shift else "三级指标名称填在了层级列"
        findings.append(
            Finding(
                code="F002",
                severity=Severity.WARNING,
                message=f"{file} 表{table.index} 第{row}行：指标行内容{what}，已按表头对齐读取"
                f"（三级指标“{read.values.get('name', '')}”）",
                locations=(row_loc(table, row),),
                actual=" | ".join(c.text for c in sorted(cells.values(), key=lambda c: c.col)),
            )
        )
    return read


def _place_levels(
    table: Table,
    header: HeaderMap,
    read: _RowRead,
    zone: list[Cell],
    shift: int,
    findings: list[Finding],
    file: str,
) -> None:
    """Sort the texts left of the 三级 name into 一级 / 二级 by vocabulary, then by column."""
    level1_col = header.col("level1")
    level2_col = header.col("level2")
    ones: list[Cell] = []
    twos: list[Cell] = []
    for cell in zone:
        text = cell.text
        if norm(text) in _GENERIC:
            continue
        extra = _zone_extra(header, cell, shift)
        if extra == "level1_weight":
            read.values["level1_weight"] = text
            read.cells["level1_weight"] = cell
        if extra is not None:
            continue
        kind = level_kind(text)
        if kind == "level1":
            ones.append(cell)
        elif kind == "level2":
            twos.append(cell)
        elif level1_col is not None and cell.col <= level1_col + shift:
            ones.append(cell)
        elif level2_col is not None or level1_col is None:
            twos.append(cell)
        else:
            ones.append(cell)
    # A name in both vocabularies (成本指标) beside a known 二级 of another branch is not the 一级.
    if ones and twos and level_kind(ones[0].text) == "both":
        parents = level2_parents(twos[0].text)
        if parents and norm(ones[0].text) not in parents:
            dropped = ones.pop(0)
            read.notes.append(dropped.text)
    known_twos = [c for c in twos if level_kind(c.text) is not None]
    if len(twos) > 1 and known_twos and all(norm(c.text) == norm(known_twos[0].text) for c in known_twos):
        twos = [known_twos[0], *[c for c in twos if level_kind(c.text) is None]]
    if len(ones) > 1:
        known = [c for c in ones if level_kind(c.text) is not None]
        keep = known[0] if known else ones[0]
        read.notes.extend(c.text for c in ones if c is not keep)
        ones = [keep]
    if len(twos) > 1:
        known = [c for c in twos if level_kind(c.text) is not None]
        keep = known[0] if known else twos[0]
        read.notes.extend(c.text for c in twos if c is not keep)
        twos = [keep]
    if ones:
        read.level1 = (ones[0].text, ones[0])
    if twos:
        read.level2 = (twos[0].text, twos[0])
    if read.level1 is None and level1_col is not None:
        anchor = _anchor(table, table.cell(read.row, level1_col))
        if anchor is not None:
            read.level1 = (anchor.text, anchor)
            read.level1_covered = True
    if read.level2 is None and level2_col is not None:
        anchor = _anchor(table, table.cell(read.row, level2_col))
        if anchor is not None:
            read.level2 = (anchor.text, anchor)
            read.level2_covered = True
    if read.notes:
        findings.append(
            Finding(
                code="F043",
                severity=Severity.INFO,
                message=f"{file} 表{table.index} 第{read.row}行：层级文字“{'、'.join(read.notes)}”位置与其他层级冲突，已忽略",
                locations=(row_loc(table, read.row),),
            )
        )


_DIGIT = re.compile(r"\d")


def _repair_values(
    table: Table, header: HeaderMap, read: _RowRead, findings: list[Finding], file: str
) -> None:
    """Put a target, explanation or formula found in a neighbouring column back where it belongs."""
    values, cells = read.values, read.cells
    moved: list[str] = []
    target = values.get("target", "")
    explanation = values.get("explanation", "")
    if not target and explanation and target_strength(explanation) == 2 and len(explanation) <= 20:
        values["target"] = values.pop("explanation")
        cells["target"] = cells.pop("explanation")
        moved.append(f"指标值“{values['target']}”在指标解释列")
    elif (
        target
        and explanation
        and target_strength(target) == 0
        and not _DIGIT.search(target)
        and target_strength(explanation) == 2
        and len(explanation) <= 20
    ):
        values["target"], values["explanation"] = explanation, target
        cells["target"], cells["explanation"] = cells["explanation"], cells["target"]
        moved.append(f"指标值“{explanation}”与指标解释“{target}”互换")
    explanation = values.get("explanation", "")
    if "formula" in header.columns and not values.get("formula") and explanation and is_formula(explanation):
        values["formula"] = values.pop("explanation")
        cells["formula"] = cells.pop("explanation")
        moved.append("计算公式在指标解释列")
    if moved:
        findings.append(
            Finding(
                code="F040",
                severity=Severity.INFO,
                message=f"{file} 表{table.index} 第{read.row}行（{values.get('name', '')}）："
                + "；".join(moved)
                + "，已按内容归位",
                locations=(row_loc(table, read.row),),
            )
        )


def row_loc(table: Table, row: int) -> Loc:
    """Where a table row is: its first cell's place without the column (text and PDF exports), or
    the first cell itself in a spreadsheet, whose labels need a cell name (``Sheet!A7``)."""
    cells = table.rows[row - 1] if 1 <= row <= table.n_rows else []
    if not cells:
        return table.loc.but(row=row)
    return cells[0].loc if cells[0].loc.sheet is not None else line_loc(cells[0])


def _is_header_row(table: Table, row: int) -> bool:
    if not _names_column(table, row):
        return False
    columns = _map_row(table, row)
    return "name" in columns and len(columns) >= 3


def _is_continuation(table: Table, header: HeaderMap, row: int, previous: _RowRead | None) -> str | None:
    """A page break cut a cell: the row after the break holds only the rest of one text.

    Returns the field the text continues, or None when the row is an indicator of its own.
    """
    if previous is None or row not in table.continued:
        return None
    cells = list(_row_cells(table, row).values())
    if len(cells) != 1:
        return None
    (cell,) = cells
    text = cell.text
    if target_strength(text) == 2:
        return None
    fields = _data_fields(header)
    name_col = fields["name"]
    if cell.col in (name_col, name_col + previous.shift) and not is_sentence(text):
        previous_name = previous.values.get("name", "")
        if len(text) <= 6 or len(previous_name) <= 4:
            return "name"
        return None
    if not is_sentence(text) and len(text) <= 12:
        return None
    for name, col in fields.items():
        if col + previous.shift == cell.col and name in ("explanation", "formula", "deviation"):
            return name
    return "explanation" if "explanation" in fields else ("formula" if "formula" in fields else None)


def read_indicator_rows(
    table: Table,
    header: HeaderMap,
    start_row: int | None = None,
    end_row: int | None = None,
    file: str | None = None,
) -> tuple[list[Indicator], list[Finding]]:
    """Read rows ``start_row``..``end_row`` (1-based, inclusive; default: below the header to the end).

    Every indicator keeps its row (``loc``) and the cell each field came from (``cells``); 一级 and 二级
    names are filled where the form left them blank. Repeated header rows (page breaks) are skipped,
    text cut by a page break is joined to the indicator it belongs to.
    """
    file = file or table.loc.file
    first = start_row if start_row is not None else header.row + 1
    last = min(end_row if end_row is not None else table.n_rows, table.n_rows)
    findings: list[Finding] = []
    if header.vertical:
        return _read_vertical(table, header, first, last, file)
    reads: list[_RowRead] = []
    for row in range(first, last + 1):
        if _is_header_row(table, row):
            continue
        previous = next((r for r in reversed(reads) if not r.level_only), None)
        continued = _is_continuation(table, header, row, previous)
        if continued is not None and previous is not None:
            (cell,) = _row_cells(table, row).values()
            joined = previous.values.get(continued, "") + cell.text
            previous.values[continued] = joined
            previous.cells.setdefault(continued, cell)
            continue
        level_cells = list(_row_cells(table, row).values())
        if level_cells and all(level_kind(c.text) is not None for c in level_cells):
            marker = _RowRead(row=row, shift=0, values={}, cells={}, level_only=True)
            _place_levels(table, header, marker, sorted(level_cells, key=lambda c: c.col), 0, findings, file)
            reads.append(marker)
            continue
        read = _read_row(table, header, row, findings, file)
        if read is None or not read.values.get("name"):
            if read is not None and any(read.values.values()):
                findings.append(
                    Finding(
                        code="F044",
                        severity=Severity.WARNING,
                        message=f"{file} 表{table.index} 第{row}行：找不到三级指标名称，该行未读取",
                        locations=(row_loc(table, row),),
                        actual=" | ".join(table.row_texts(row)),
                    )
                )
            continue
        _repair_values(table, header, read, findings, file)
        reads.append(read)
    levels = _assign_levels(header, reads)
    pairs = [(read, level) for read, level in zip(reads, levels, strict=True) if not read.level_only]
    indicators = [_indicator(table, read, level1, level2) for read, (level1, level2) in pairs]
    for indicator, (read, _) in zip(indicators, pairs, strict=True):
        missing = [
            label
            for label, value, column in (
                ("一级指标", indicator.level1, "level1"),
                ("二级指标", indicator.level2, "level2"),
            )
            if not value and column in header.columns
        ]
        if missing:
            findings.append(
                Finding(
                    code="F041",
                    severity=Severity.WARNING,
                    message=f"{file} 表{table.index} 第{read.row}行（{indicator.name}）：无法确定{'和'.join(missing)}",
                    locations=(row_loc(table, read.row),),
                )
            )
    return indicators, findings


def _assign_levels(header: HeaderMap, reads: list[_RowRead]) -> list[tuple[str | None, str | None]]:
    """Give every row its 一级 and 二级 names (see the module docstring for the rules)."""
    # 二级 groups: a new group starts where a 二级 name is printed (not where a merge covers the cell).
    level2_names: list[str] = []
    group_of: list[int] = []
    group_start: list[int] = []  # index into ``reads`` of each group's first row
    current = -1
    header_level1: str | None = None
    for _, _, text in header.marks:
        kind = level_kind(text)
        if kind == "level2" or kind == "both":
            level2_names.append(text)
            group_start.append(0)
            current = 0
        elif kind == "level1":
            header_level1 = text
    for index, read in enumerate(reads):
        if read.level2 is not None and not read.level2_covered:
            text = read.level2[0]
            if current >= 0 and _continues(level2_names[current], text):
                level2_names[current] = level2_names[current] + text
            elif current < 0 or norm(text) != norm(level2_names[current]) or read.level1 is not None:
                level2_names.append(text)
                group_start.append(index)
                current = len(level2_names) - 1
        elif (
            read.level2 is not None
            and read.level2_covered
            and (current < 0 or norm(read.level2[0]) != norm(level2_names[current]))
        ):
            level2_names.append(read.level2[0])
            group_start.append(index)
            current = len(level2_names) - 1
        group_of.append(current)
    # 一级 segments: each printed 一级 name starts at the beginning of the 二级 group it sits in.
    boundaries: list[tuple[int, str]] = []  # (index of the first row, name)
    if header_level1:
        boundaries.append((0, header_level1))
    previous_mark = -1
    for index, read in enumerate(reads):
        if read.level1 is None or read.level1_covered:
            continue
        group = group_of[index]
        start = group_start[group] if group >= 0 else index
        if start <= previous_mark:
            start = index  # two 一级 names inside one 二级 group: each starts on its own row
        if boundaries and start <= boundaries[-1][0]:
            boundaries[-1] = (boundaries[-1][0], read.level1[0])
        else:
            boundaries.append((start, read.level1[0]))
        previous_mark = index
    result: list[tuple[str | None, str | None]] = []
    for index, read in enumerate(reads):
        group = group_of[index]
        level2 = level2_names[group] if group >= 0 else None
        if read.level2 is not None and read.level2_covered:
            level2 = read.level2[0]
        level1: str | None = None
        for start, name in boundaries:
            if start <= index:
                level1 = name
        if level1 is None and boundaries:
            level1 = boundaries[0][1]
        if read.level1 is not None and read.level1_covered:
            level1 = read.level1[0]
        parents = level2_parents(level2)
        own_mark = read.level1 is not None and not read.level1_covered
        if parents and (
            level1 is None
            or (norm(level1) not in parents and level_kind(level1) is not None and not own_mark)
        ):
            level1 = parents[0]
        result.append((level1, level2))
    return result


def _continues(previous: str, text: str) -> bool:
    """'重点工作任务完' + '成': a 二级 name wrapped onto the next printed row."""
    if level_kind(text) is not None:
        return False
    return norm(previous + text) in LEVEL2_PARENTS or len(norm(text)) == 1


_COMPARATOR_SIGNS = ("≥", "≤", "=", ">", "<", "＞", "＜", "＝", ">=", "<=", "≈", "≅")


def target_text(values: Mapping[str, str]) -> str:
    """The 指标值 as one text: with the 运算符号 column in front and the 计量单位 column behind where
    the form prints them apart (``≥`` | ``95`` | ``%`` → ``≥95%``). Nothing is added that the 指标值
    already says (a sign it starts with, a unit it ends with) or to a qualitative value.

    >>> target_text({"op": "≥", "target": "95", "unit": "%"}), target_text({"target": "及时", "unit": "%"})
    ('≥95%', '及时')
    """
    text = values.get("target", "")
    op, unit = (values.get("op") or "").strip(), (values.get("unit") or "").strip()
    number = re.fullmatch(r"[≥≤=<>＞＜＝≈≅]*\s*[-+]?\d[\d,]*(?:\.\d+)?", text.strip()) is not None
    if op in _COMPARATOR_SIGNS and text and not text.lstrip().startswith(_COMPARATOR_SIGNS):
        text = op + text.strip()
    if unit and number and not text.endswith(unit):
        text = text.strip() + unit
    return text


def _indicator(table: Table, read: _RowRead, level1: str | None, level2: str | None) -> Indicator:
    values = read.values
    cells: dict[str, Loc] = {name: cell.loc for name, cell in read.cells.items()}
    if read.level1 is not None:
        cells.setdefault("level1", read.level1[1].loc)
    if read.level2 is not None:
        cells.setdefault("level2", read.level2[1].loc)
    actual_raw = values.get("actual")
    return Indicator(
        level1=level1,
        level2=level2,
        name=values["name"],
        target=(target := parse_target(target_text(values), values["name"] or None)),
        explanation=values.get("explanation") or None,
        formula=values.get("formula") or None,
        nature=values.get("nature") or None,
        direction=values.get("direction") or None,
        unit=values.get("unit") or None,
        previous=values.get("previous") or None,
        level1_weight=parse_amount(values.get("level1_weight")),
        actual_raw=actual_raw,
        actual=parse_actual(actual_raw, target) if actual_raw is not None else None,
        weight=parse_amount(values.get("weight")),
        score=parse_amount(values.get("score")),
        deviation_reason=values.get("deviation") or None,
        loc=row_loc(table, read.row),
        cells=cells,
    )


# ---------------------------------------------------------------------------------------------------
# Sequential reading for forms exported one cell per row.


@dataclass
class _Record:
    row: int
    name: str
    level1: str | None
    level2: str | None
    values: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)


def _read_vertical(
    table: Table, header: HeaderMap, first: int, last: int, file: str
) -> tuple[list[Indicator], list[Finding]]:
    """Rows hold one or two cells each: a 三级 name (maybe after level names), then its values.

    The values after a name fill the fields in the order the header listed them (指标值, 指标解释…),
    a target-like text goes to 指标值 first, a formula or sentence to 指标解释.
    """
    order = ("target", *[f for f in header.vertical if f != "target"])
    records: list[_Record] = []
    level1: str | None = None
    level2: str | None = None
    for row in range(first, last + 1):
        cells = sorted(_row_cells(table, row).values(), key=lambda c: c.col)
        if not cells:
            continue
        levels = [c for c in cells if level_kind(c.text) is not None]
        rest = [c for c in cells if level_kind(c.text) is None and norm(c.text) not in _GENERIC]
        current = records[-1] if records else None
        starts = bool(levels)
        if not starts and rest and current is not None:
            head = rest[0]
            starts = _is_name_like(head.text) and bool(current.values.get("target"))
        if current is None and rest:
            starts = True
        if starts:
            for cell in levels:
                kind = level_kind(cell.text)
                if kind == "level1" or (kind == "both" and cell is levels[0] and len(levels) > 1):
                    level1 = cell.text
                    level2 = None
                else:
                    level2 = cell.text
                    parents = level2_parents(cell.text)
                    if parents and (level1 is None or norm(level1) not in parents):
                        level1 = parents[0]
            names = [c for c in rest if target_strength(c.text) < 2 and not is_formula(c.text)]
            if names:
                name_cell = names[0]
                rest = [c for c in rest if c is not name_cell]
            elif levels:
                name_cell = levels[-1]
            else:
                continue
            current = _Record(row=row, name=name_cell.text, level1=level1, level2=level2)
            current.cells["name"] = name_cell
            records.append(current)
        if current is None:
            continue
        for cell in rest:
            _fill(current, cell, order)
    findings = [
        Finding(
            code="F042",
            severity=Severity.WARNING,
            message=f"{file} 表{table.index}：指标表每个单元格各占一行（导出格式损坏），已按顺序恢复 {len(records)} 个"
            "三级指标，指标值与解释的对应关系请人工核对",
            locations=(row_loc(table, header.row),),
        )
    ]
    indicators = [
        Indicator(
            level1=r.level1,
            level2=r.level2,
            name=r.name,
            target=parse_target(r.values.get("target", ""), r.name or None),
            explanation=r.values.get("explanation") or None,
            formula=r.values.get("formula") or None,
            previous=r.values.get("previous") or None,
            loc=row_loc(table, r.row),
            cells={k: c.loc for k, c in r.cells.items()},
        )
        for r in records
    ]
    return indicators, findings


def _is_name_like(text: str) -> bool:
    """Could start a new 三级 indicator: not a value, a sentence, a formula or a cited regulation."""
    if target_strength(text) or is_sentence(text) or len(text) > 30:
        return False
    return not any(mark in text for mark in "《》〔〕[]【】")


def _fill(record: _Record, cell: Cell, order: tuple[str, ...]) -> None:
    text = cell.text
    explanation_field = "explanation" if "explanation" in order else "formula"
    if target_strength(text) == 2 or (target_strength(text) == 1 and not is_sentence(text)):
        slots = ["target", "previous", explanation_field]
    elif is_formula(text) or is_sentence(text) or "《" in text or "》" in text:
        slots = [explanation_field, "previous"]
    else:
        slots = [*order]
    for slot in slots:
        if slot in order and not record.values.get(slot):
            record.values[slot] = text
            record.cells[slot] = cell
            return
    record.values[explanation_field] = f"{record.values.get(explanation_field, '')}\n{text}".strip()
    record.cells.setdefault(explanation_field, cell)
