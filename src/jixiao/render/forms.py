"""Form builders: the target declarations and the self-evaluation table as departments publish them.

Enters: a typed form (``DeptTargetDeclaration``, ``ProjectTargetDeclaration``,
``ProjectTargetSummary``, ``SelfEvaluation`` with its ``ScoreSheet``). Leaves: a ``layout.Grid``
per form, or a whole ``layout.Doc`` (``form_doc``), which the writers turn into xlsx, docx, pdf, html.

The layouts follow the official forms (郑州 部门整体绩效目标申报表, 贵州 部门整体支出 / 项目支出绩效目标表,
河南 部门整体绩效自评表): labels on the left, merged down over their block; the indicator tree in
columns 一级指标 | 二级指标 | 三级指标 | 指标值 (+ 指标解释, 指标说明…) with the 一级 and 二级 cells
merged over their rows. Every label is one the readers in ``jixiao.ingest.forms`` look for, so a
generated form reads back into the same model. Sums (the 合计 of the tasks, the 总分 weight) and the
budget execution rate are computed here, never copied; amounts keep their exact ``Decimal``.

>>> from jixiao.model.declaration import DeptTargetDeclaration, Task
>>> form = DeptTargetDeclaration(department="示例局", year=2023, tasks=[
...     Task(name="培训", total=Decimal("50"), fiscal=Decimal("40")),
...     Task(name="补贴", total=Decimal("25.5"), fiscal=Decimal("25.5"))])
>>> grid = dept_target_grid(form)
>>> [c.text for c in grid.cells if c.role == "total"], [c.text for c in grid.cells if c.bold]
(['合计'], ['75.5', '65.5'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from jixiao.model.declaration import (
    DeptTargetDeclaration,
    Goal,
    ProjectSummaryRow,
    ProjectTargetDeclaration,
    ProjectTargetSummary,
    Task,
)
from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.render.layout import Cell, Doc, Grid, Role, money_cell, number_cell
from jixiao.scoring.engine import budget_line, execution_rate
from jixiao.scoring.sheet import ScoreRow, ScoreSheet

__all__ = [
    "GRADES",
    "dept_target_grid",
    "form_doc",
    "project_summary_grid",
    "project_target_grid",
    "self_evaluation_grid",
]

#: The grades a 自评等级 cell offers (the xlsx drop-down).
GRADES: tuple[str, ...] = ("优", "良", "中", "差")
_HUNDRED = Decimal(100)
_MIN_COLUMNS = 6  # label | value columns of the upper part of a declaration
_WIDE_TREE = 6  # an indicator tree of more columns prints in landscape

_T = TypeVar("_T")


# ---------------------------------------------------------------------------------------------------
# Small helpers


class _Cells:
    """Cells collected row by row; ``row`` is the next free row."""

    def __init__(self) -> None:
        self.cells: list[Cell] = []
        self.row = 0

    def add(self, cell: Cell) -> None:
        self.cells.append(cell)

    def text(self, col: int, text: str | None, *, role: Role = "text", span: int = 1, rows: int = 1) -> None:
        """A text, label or header cell at (``row``, ``col``) spanning ``span`` columns, ``rows`` rows."""
        self.add(Cell(self.row, col, text or "", role, rowspan=rows, colspan=span))


def _places(amount: Decimal) -> int:
    """Decimals to show an amount with: as many as it was stated with (``4011.9`` keeps one).

    Padding to two decimals would claim a precision the source never gave, and the checks read the
    printed precision to tell a rounding tail from an error (A209 against A207).
    """
    exponent = amount.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return min(decimals, 6)


def _money(row: int, col: int, amount: Decimal | None, *, span: int = 1, bold: bool = False) -> Cell:
    places = _places(amount) if amount is not None else 0
    return money_cell(row, col, amount, places, colspan=span, bold=bold)


def _total(values: Sequence[Decimal | None]) -> Decimal | None:
    """The sum of the amounts given (None when there is none)."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _length(text: str) -> float:
    """Printed width in CJK characters: ASCII counts half."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def _widths(cells: Sequence[Cell], n_cols: int, floor: float = 4, ceiling: float = 36) -> tuple[float, ...]:
    """Column widths that fit each column's longest line (spanned cells share theirs), wrapped
    beyond ``ceiling`` characters."""
    widths = [floor] * n_cols
    for cell in cells:
        longest = max((_length(line) for line in cell.text.split("\n")), default=0.0)
        need = min(longest + 1, ceiling) / cell.colspan
        for col in range(cell.col, min(cell.col + cell.colspan, n_cols)):
            widths[col] = max(widths[col], need)
    return tuple(round(w, 1) for w in widths)


def _runs(items: Sequence[_T], key: Callable[[_T], object]) -> list[tuple[int, int]]:
    """(start, length) of each run of consecutive items with the same key."""
    runs: list[tuple[int, int]] = []
    for index, item in enumerate(items):
        if runs and key(items[runs[-1][0]]) == key(item):
            start, length = runs[-1]
            runs[-1] = (start, length + 1)
        else:
            runs.append((index, 1))
    return runs


def _year_line(title: str, year: int | None) -> tuple[str, ...]:
    """（2023年度） under a title that does not name its year."""
    if year is None or str(year) in title:
        return ()
    return (f"（{year}年度）",)


# ---------------------------------------------------------------------------------------------------
# The indicator tree of a declaration


_TREE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("nature", "指标性质"),
    ("direction", "指标方向"),
    ("unit", "计量单位"),
    ("explanation", "指标解释"),
    ("formula", "指标说明"),
    ("previous", "上年度指标值或实际水平"),
)


def _tree_columns(indicators: Sequence[Indicator], fill_in: bool = False) -> list[tuple[str, str]]:
    """The tree's columns after 指标值: only those some indicator fills, named as the forms name them
    (计量单位 is beside 指标值 in a form to be filled in)."""
    used = [
        (key, head)
        for key, head in _TREE_COLUMNS
        if any(getattr(i, key) for i in indicators) and not (fill_in and key == "unit")
    ]
    keys = {key for key, _ in used}
    if "formula" in keys and "explanation" not in keys:
        # 指标说明 alone reads as the explanation (郑州 prints it beside 指标解释 only)
        used = [(key, "计算公式" if key == "formula" else head) for key, head in used]
    return used


#: The 运算符号 a department picks from, and the units offered (others may be typed: a warning only).
SIGNS: tuple[str, ...] = ("≥", "≤", "=", "＞", "＜")
UNITS: tuple[str, ...] = (
    "%", "万元", "元", "人", "人次", "户", "家", "个", "项", "次", "件", "场", "期", "份", "篇", "套", "台",
    "天", "个月", "年", "平方米", "公里", "分",
)  # fmt: skip
_SPLIT = re.compile(r"(?P<op>[≥≤=＞＜><])?(?P<number>[-+]?\d[\d,]*(?:\.\d+)?)(?P<unit>[^\d\s≥≤=＞＜><]{0,6})")


def split_target(indicator: Indicator) -> tuple[str, str, str]:
    """(运算符号, 指标值, 计量单位) for a form to be filled in: ``≥95%`` → (``≥``, ``95``, ``%``). A value
    that is not a number with a sign and a unit (及时, 12月底之前, 80%-90%) stays whole in 指标值.
    Read back, the three columns make the same 指标值 again (``target_text``)."""
    raw = indicator.target.raw.strip()
    match = _SPLIT.fullmatch(raw)
    if match is None:
        return "", raw, indicator.unit or ""
    op, number, unit = match["op"] or "", match["number"], match["unit"]
    if unit and unit != indicator.target.unit and unit not in UNITS:
        return "", raw, indicator.unit or ""  # 万人以上, 月底之前, 元/每人: words, not a unit alone
    return op, number, unit or indicator.unit or ""


def _tree(out: _Cells, indicators: Sequence[Indicator], n_cols: int, fill_in: bool = False) -> None:
    """一级指标 | 二级指标 | 三级指标 | 指标值 | …, the 一级 and 二级 cells merged over their rows. A form
    to be filled in (``fill_in``: the xlsx a department types into) prints 运算符号 | 指标值 | 计量单位
    apart, the sign and the unit with drop-downs."""
    extra = _tree_columns(indicators, fill_in)
    target_heads = ["运算符号", "指标值", "计量单位"] if fill_in else ["指标值"]
    heads = ["一级指标", "二级指标", "三级指标", *target_heads, *(head for _, head in extra)]
    for col, head in enumerate(heads):
        span = n_cols - col if col == len(heads) - 1 else 1
        out.text(col, head, role="head", span=span)
    out.row += 1
    first = out.row
    for start, length in _runs(indicators, lambda i: i.level1):
        out.row = first + start
        out.text(0, indicators[start].level1, role="label", rows=length)
        group = indicators[start : start + length]
        for sub, sublength in _runs(group, lambda i: i.level2):
            out.row = first + start + sub
            out.text(1, group[sub].level2, role="label", rows=sublength)
    after = 3 + len(target_heads)
    for index, indicator in enumerate(indicators):
        out.row = first + index
        out.text(2, indicator.name)
        if fill_in:
            op, value, unit = split_target(indicator)
            out.add(Cell(out.row, 3, op, "text", align="center", choices=SIGNS))
            out.text(4, value, role="text")
            out.add(Cell(out.row, 5, unit, "text", align="center", choices=UNITS, open_choices=True))
        else:
            out.text(3, indicator.target.raw, role="text")
        for offset, (key, _) in enumerate(extra):
            col = after + offset
            span = n_cols - col if offset == len(extra) - 1 else 1
            out.text(col, getattr(indicator, key), span=span)
    out.row = first + len(indicators)


def _tree_width(indicators: Sequence[Indicator], fill_in: bool = False) -> int:
    return (6 if fill_in else 4) + len(_tree_columns(indicators, fill_in))


# ---------------------------------------------------------------------------------------------------
# 部门整体绩效目标申报表


def _goal_rows(out: _Cells, label: str, goals: Sequence[Goal], first_col: int, n_cols: int) -> None:
    """A goals block: its label merged down, one row per goal (目标1 | content)."""
    if not goals:
        return
    out.text(first_col, label, role="label", rows=len(goals))
    for goal in goals:
        content = f"{goal.title}：{goal.content}" if goal.title else goal.content
        if goal.label:
            out.text(first_col + 1, goal.label)
            out.text(first_col + 2, content, span=n_cols - first_col - 2)
        else:
            out.text(first_col + 1, content, span=n_cols - first_col - 1)
        out.row += 1


def _keyed_rows(
    out: _Cells,
    label: str,
    items: Sequence[tuple[str, str]],
    first_col: int,
    n_cols: int,
    colon: bool = False,
) -> None:
    """A block of ``key | value`` rows (保障措施, 阶段性计划, 本年度实施计划) under one merged label."""
    if not items:
        return
    out.text(first_col, label, role="label", rows=len(items))
    for key, value in items:
        if not value:
            out.text(first_col + 1, f"{key}：" if colon and key else key, span=n_cols - first_col - 1)
        elif key:
            out.text(first_col + 1, key)
            out.text(first_col + 2, value, span=n_cols - first_col - 2)
        else:
            out.text(first_col + 1, value, span=n_cols - first_col - 1)
        out.row += 1


def _task_name_cells(task: Task) -> tuple[str, str | None]:
    """(任务名称, 主要内容) so that a reader finds the label, name and content again."""
    if task.label and not task.content:
        return task.label, task.name
    if task.label:
        return f"{task.label}：{task.name}", task.content
    return task.name, task.content


def _task_rows(out: _Cells, tasks: Sequence[Task], n_cols: int) -> None:
    """年度主要任务: 任务名称 | 主要内容 | 预算资金 合计 / 其中：财政资金 | 备注, and a computed 合计."""
    if not tasks:
        return
    funded = any(t.total is not None or t.fiscal is not None for t in tasks)
    unit = tasks[0].unit or "万元"
    rows = 2 + len(tasks) + (1 if funded else 0)
    out.text(0, "年度主要任务", role="label", rows=rows)
    note_span = n_cols - 5
    out.text(1, "任务名称", role="head", rows=2)
    out.text(2, "主要内容", role="head", rows=2)
    out.text(3, f"预算资金（{unit}）", role="head", span=2)
    out.text(5, "备注", role="head", rows=2, span=note_span)
    out.row += 1
    out.text(3, "合计", role="head")
    out.text(4, "其中：财政资金", role="head")
    out.row += 1
    for task in tasks:
        name, content = _task_name_cells(task)
        out.text(1, name)
        out.text(2, content)
        out.add(_money(out.row, 3, task.total))
        out.add(_money(out.row, 4, task.fiscal))
        out.text(5, task.note, span=note_span)
        out.row += 1
    if funded:
        out.text(1, "合计", role="total", span=2)
        out.add(_money(out.row, 3, _total([t.total for t in tasks]), bold=True))
        out.add(_money(out.row, 4, _total([t.fiscal for t in tasks]), bold=True))
        out.text(5, "", span=note_span)
        out.row += 1


def dept_target_grid(form: DeptTargetDeclaration, fill_in: bool = False) -> Grid:
    """部门整体绩效目标申报表: 部门名称, 职能, 年度总体目标, 年度主要任务 with a computed 合计, 预算情况,
    保障措施, 阶段性计划, then the indicator tree."""
    n_cols = max(_MIN_COLUMNS, _tree_width(form.indicators, fill_in))
    out = _Cells()
    out.text(0, "部门名称", role="label")
    out.text(1, form.department, span=n_cols - 1)
    out.row += 1
    for label, value in (("部门职能", form.functions), ("整体绩效目标", form.overall_goal)):
        if value:
            out.text(0, label, role="label")
            out.text(1, value, span=n_cols - 1)
            out.row += 1
    _goal_rows(out, "年度总体目标", form.goals, 0, n_cols)
    _task_rows(out, form.tasks, n_cols)
    if form.budget:
        unit = form.budget[0].unit or "万元"
        label_span = n_cols - 3
        out.text(0, "预算情况", role="label", rows=1 + len(form.budget))
        out.text(1, "项目", role="head", span=label_span)
        out.text(1 + label_span, f"金额（{unit}）", role="head", span=2)
        out.row += 1
        for line in form.budget:
            label = line.label if line.unit == unit else f"{line.label}（{line.unit}）"
            out.text(1, label, span=label_span)
            out.add(_money(out.row, 1 + label_span, line.amount, span=2))
            out.row += 1
    _keyed_rows(out, "保障措施", list(form.measures.items()), 0, n_cols, colon=True)
    _keyed_rows(out, "阶段性计划", [(p.period, p.content) for p in form.stage_plan], 0, n_cols)
    _tree(out, form.indicators, n_cols, fill_in)
    title = form.title or _default_title(form.year, form.department, "部门整体绩效目标申报表")
    cells = tuple(out.cells)
    return Grid(
        title=title,
        cells=cells,
        widths=_widths(cells, n_cols),
        above=(*_year_line(title, form.year), "单位：万元"),
        sheet="部门整体绩效目标",
        landscape=n_cols > _WIDE_TREE,
    )


def _default_title(year: int | None, who: str | None, name: str) -> str:
    return f"{f'{year}年度' if year else ''}{who or ''}{name}"


# ---------------------------------------------------------------------------------------------------
# 项目支出绩效目标申报表


def project_target_grid(form: ProjectTargetDeclaration, fill_in: bool = False) -> Grid:
    """项目支出绩效目标申报表: 项目基本情况, 项目资金情况 (年度资金总额, 资金性质), 绩效目标情况 (年度目标,
    详细目标, 本年度实施计划, 保障措施), then the indicator tree."""
    n_cols = max(_MIN_COLUMNS, _tree_width(form.indicators, fill_in))
    out = _Cells()
    value_span = n_cols - 2

    basic: list[tuple[str, str | None, str | None, str | None]] = [
        ("项目名称", form.project_name, None, None)
    ]
    if form.project_code:
        basic.append(("项目编码", form.project_code, None, None))
    if form.department:
        basic.append(("主管部门", form.department, None, None))
    basic += [
        ("项目负责人", form.leader, "联系电话", form.phone),
        ("项目类别", form.category, "项目属性", form.attribute),
        ("项目计划实施时间", form.period, None, None),
    ]
    out.text(0, "项目基本情况", role="label", rows=len(basic))
    for label, value, label2, value2 in basic:
        out.text(1, label, role="label")
        if label2 is None:
            out.text(2, value, span=value_span)
        else:
            out.text(2, value)
            out.text(3, label2, role="label")
            out.text(4, value2, span=n_cols - 4)
        out.row += 1

    out.text(0, "项目资金情况", role="label")
    out.text(1, f"年度资金总额（{form.budget_unit}）", role="label")
    out.add(_money(out.row, 2, form.budget))
    out.text(3, "资金性质", role="label")
    out.text(4, form.fund_nature, span=n_cols - 4)
    out.row += 1

    target_rows = 1 + len(form.goals) + len(form.plans) + len(form.measures)
    out.text(0, "绩效目标情况", role="label", rows=target_rows)
    out.text(1, "年度目标", role="label")
    out.text(2, form.annual_goal, span=value_span)
    out.row += 1
    _goal_rows(out, "详细目标", form.goals, 1, n_cols)
    _keyed_rows(
        out, "本年度实施计划", [(f"计划{i}", plan) for i, plan in enumerate(form.plans, 1)], 1, n_cols
    )
    _keyed_rows(out, "保障措施", list(form.measures.items()), 1, n_cols, colon=True)
    _tree(out, form.indicators, n_cols, fill_in)
    title = form.title or _default_title(form.year, form.project_name, "项目支出绩效目标申报表")
    cells = tuple(out.cells)
    return Grid(
        title=title,
        cells=cells,
        widths=_widths(cells, n_cols),
        above=(*_year_line(title, form.year), f"单位：{form.budget_unit}"),
        sheet=_sheet_name(form.project_name or "项目支出绩效目标"),
        landscape=n_cols > _WIDE_TREE,
    )


_SHEET_UNSAFE = re.compile(r"[\\/*?:\[\]：]")


def _sheet_name(text: str) -> str:
    return _SHEET_UNSAFE.sub("", text)[:31] or "表"


# ---------------------------------------------------------------------------------------------------
# 项目绩效目标汇总表


def project_summary_grid(form: ProjectTargetSummary) -> Grid:
    """部门预算项目绩效目标汇总表 (long layout): 项目编码 | 项目名称 | amounts | 一级 | 二级 | 三级 | 指标值,
    one row per indicator, the project's cells merged over its indicators."""
    amount_heads: list[str] = []
    for row in form.rows:
        for head in row.amounts:
            if head not in amount_heads:
                amount_heads.append(head)
    if not amount_heads:
        amount_heads = ["资金总额"]
    first_tree = 2 + len(amount_heads)
    n_cols = first_tree + 4
    out = _Cells()
    out.text(0, "单位编码（项目编码）", role="head", rows=2)
    out.text(1, "项目单位（项目名称）", role="head", rows=2)
    out.text(2, f"项目金额（{form.unit}）", role="head", span=len(amount_heads))
    out.text(first_tree, "绩效目标", role="head", span=4)
    out.row += 1
    for offset, head in enumerate(amount_heads):
        out.text(2 + offset, head, role="head")
    for offset, head in enumerate(("一级指标", "二级指标", "三级指标", "指标值")):
        out.text(first_tree + offset, head, role="head")
    out.row += 1
    for project in form.rows:
        _summary_project(out, project, amount_heads, first_tree)
    title = form.title or _default_title(form.year, None, "部门预算项目绩效目标汇总表")
    cells = tuple(out.cells)
    return Grid(
        title=title,
        cells=cells,
        widths=_widths(cells, n_cols),
        above=(f"部门名称：{form.department or ''}", f"单位：{form.unit}"),
        header_rows=2,
        sheet="项目绩效目标汇总表",
        landscape=True,
    )


def _summary_project(out: _Cells, project: ProjectSummaryRow, heads: Sequence[str], first_tree: int) -> None:
    rows = max(1, len(project.indicators))
    out.text(0, project.code, rows=rows)
    out.text(1, project.name, rows=rows)
    for offset, head in enumerate(heads):
        amount = project.amounts.get(head)
        if amount is None and head == heads[0]:
            amount = project.total
        cell = _money(out.row, 2 + offset, amount)
        out.add(Cell(cell.row, cell.col, cell.text, "money", rows, 1, cell.value, cell.places))
    for indicator in project.indicators:
        out.text(first_tree, indicator.level1)
        out.text(first_tree + 1, indicator.level2)
        out.text(first_tree + 2, indicator.name)
        out.text(first_tree + 3, indicator.target.raw)
        out.row += 1
    if not project.indicators:
        for offset in range(4):
            out.text(first_tree + offset, "")
        out.row += 1


# ---------------------------------------------------------------------------------------------------
# 绩效自评表


def _score_rows(form: SelfEvaluation, sheet: ScoreSheet | None) -> list[ScoreRow | None]:
    """The sheet's row for each of the form's indicators, matched by 一级/二级/三级 path in order."""
    if sheet is None:
        return [None] * len(form.indicators)
    queue: dict[str, list[ScoreRow]] = {}
    for row in sheet.rows:
        queue.setdefault(row.indicator, []).append(row)
    matched: list[ScoreRow | None] = []
    for indicator in form.indicators:
        rows = queue.get(_path(indicator), [])
        matched.append(rows.pop(0) if rows else None)
    return matched


def _path(indicator: Indicator) -> str:
    return "/".join(part for part in (indicator.level1, indicator.level2, indicator.name) if part)


def _budget_row(sheet: ScoreSheet | None, form: SelfEvaluation) -> ScoreRow | None:
    """The sheet's 预算执行 row (the one not matched to any indicator)."""
    if sheet is None:
        return None
    paths = {_path(i) for i in form.indicators}
    return next((r for r in sheet.rows if r.indicator not in paths and r.method == "budget"), None) or next(
        (r for r in sheet.rows if r.indicator not in paths), None
    )


def _rate(line: FundLine) -> Decimal | None:
    """执行率 in percent to two places (the engine's rate: 全年执行数 / 全年数, else as printed)."""
    rate = execution_rate(line)
    return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if rate is not None else None


def _self_columns(form: SelfEvaluation) -> list[tuple[str, str]]:
    """(field, header) of the scored indicator table, the optional columns only when filled."""
    items = form.indicators
    columns = [("level1", "一级指标")]
    if any(i.level1_weight is not None for i in items):
        columns.append(("level1_weight", "分值"))
    columns += [("level2", "二级指标"), ("name", "三级指标"), ("target", "指标值")]
    if any(i.explanation for i in items):
        columns.append(("explanation", "指标解释"))
    if any(i.formula for i in items):
        columns.append(("formula", "指标说明"))
    columns += [
        ("actual", "实际完成值"),
        ("weight", "分值"),
        ("score", "得分"),
        ("deviation", "偏差原因分析及改进措施"),
    ]
    return columns


def _self_head(out: _Cells, form: SelfEvaluation, n_cols: int) -> None:
    if form.scope == "project":
        out.text(0, "项目名称", role="label", span=2)
        out.text(2, form.project_name, span=n_cols - 2)
        out.row += 1
        out.text(0, "主管部门", role="label", span=2)
        span = (n_cols - 4) // 2
        out.text(2, form.department, span=span)
        out.text(2 + span, "实施单位", role="label")
        out.text(3 + span, form.implementing_unit, span=n_cols - 3 - span)
    else:
        out.text(0, "部门（单位）名称", role="label", span=2)
        out.text(2, form.department, span=n_cols - 2)
    out.row += 1


def _self_budget(out: _Cells, form: SelfEvaluation, sheet: ScoreSheet | None, n_cols: int) -> None:
    """预算执行情况: 年初数 | 全年数 | 全年执行数 | 分值 | 执行率 | 得分, the rate and score computed."""
    lines = form.budget_execution
    if not lines:
        return
    unit = lines[0].unit or "万元"
    label_span = n_cols - 6
    scored = budget_line(form)
    budget_row = _budget_row(sheet, form)
    out.text(0, f"预算执行情况（{unit}）", role="head", span=label_span)
    for offset, head in enumerate(("年初数", "全年数", "全年执行数", "分值", "执行率", "得分")):
        out.text(label_span + offset, head, role="head")
    out.row += 1
    for line in lines:
        label = line.label if line.unit == unit else f"{line.label}（{line.unit}）"
        out.text(0, label, role="label", span=label_span)
        for offset, amount in enumerate((line.initial, line.adjusted, line.executed)):
            out.add(_money(out.row, label_span + offset, amount))
        out.add(number_cell(out.row, label_span + 3, line.weight))
        rate = _rate(line)
        if rate is not None:
            out.add(number_cell(out.row, label_span + 4, rate, "%"))
        else:
            out.text(label_span + 4, line.rate_raw)
        score = line.score
        if line is scored and budget_row is not None and budget_row.computed_score is not None:
            score = budget_row.computed_score
        out.add(number_cell(out.row, label_span + 5, score))
        out.row += 1


def _item_rows(out: _Cells, kind: str, form: SelfEvaluation, n_cols: int) -> None:
    """年度履职目标 / 年度主要任务: 名称 | 主要内容 | (合计 | 财政资金) | 完成情况, one row each."""
    if kind == "goals":
        items: Sequence[Goal | Task] = form.goals
        block = "年度履职目标" if form.scope == "dept" else "年度总体目标"
        heads = ("目标名称", "主要内容", "目标完成情况")
    else:
        items = form.tasks
        block = "年度主要任务"
        heads = ("任务名称", "主要内容", "任务完成情况")
    if not items:
        return
    funded = kind == "tasks" and any(t.total is not None or t.fiscal is not None for t in form.tasks)
    actual_span = max(1, (n_cols - 2) // 3)
    actual_col = n_cols - actual_span
    content_end = actual_col - (2 if funded else 0)
    out.text(0, block, role="label", rows=1 + len(items))
    out.text(1, heads[0], role="head")
    out.text(2, heads[1], role="head", span=content_end - 2)
    if funded:
        unit = form.tasks[0].unit or "万元"
        out.text(content_end, f"预算金额合计（{unit}）", role="head")
        out.text(content_end + 1, "其中：财政资金", role="head")
    out.text(actual_col, heads[2], role="head", span=actual_span)
    out.row += 1
    for item in items:
        if isinstance(item, Goal):
            name = item.title or item.label
            content: str | None = item.content
            if item.title and item.label:
                name, content = item.label, f"{item.title}：{item.content}"
        else:
            name = item.label if item.label and item.name == _derived_name(item) else item.name
            content = item.content
        out.text(1, name)
        out.text(2, content, span=content_end - 2)
        if funded and isinstance(item, Task):
            out.add(_money(out.row, content_end, item.total))
            out.add(_money(out.row, content_end + 1, item.fiscal))
        out.text(actual_col, item.actual, span=actual_span)
        out.row += 1


_FIRST_SENTENCE = re.compile(r"^([^。；;，,]{2,20})[。；;]")


def _derived_name(task: Task) -> str:
    """The name a 自评表 reader gives a task whose 任务名称 cell holds only its label."""
    if task.content:
        match = _FIRST_SENTENCE.match(task.content)
        if match:
            return match.group(1)
    return task.label or task.content or ""


def self_evaluation_grid(form: SelfEvaluation, sheet: ScoreSheet | None) -> Grid:
    """绩效自评表 (部门整体 or 项目支出): 预算执行情况, 年度目标 / 完成情况, 年度主要任务, the scored indicator
    rows, 总分 and 自评等级. With ``sheet`` the scores, total and grade are the computed ones."""
    columns = _self_columns(form)
    n_cols = max(len(columns), 8)
    out = _Cells()
    _self_head(out, form, n_cols)
    _self_budget(out, form, sheet, n_cols)
    _item_rows(out, "goals", form, n_cols)
    _item_rows(out, "tasks", form, n_cols)

    index = {key: col for col, (key, _) in enumerate(columns)}
    for col, (_, head) in enumerate(columns):
        out.text(col, head, role="head", span=n_cols - col if col == len(columns) - 1 else 1)
    out.row += 1
    first = out.row
    items = form.indicators
    matched = _score_rows(form, sheet)
    for start, length in _runs(items, lambda i: i.level1):
        out.row = first + start
        out.text(index["level1"], items[start].level1, role="label", rows=length)
        if "level1_weight" in index:
            cell = number_cell(out.row, index["level1_weight"], items[start].level1_weight)
            out.add(Cell(cell.row, cell.col, cell.text, "number", length, 1, cell.value))
        group = items[start : start + length]
        for sub, sublength in _runs(group, lambda i: i.level2):
            out.row = first + start + sub
            out.text(index["level2"], group[sub].level2, role="label", rows=sublength)
    scores: list[Decimal | None] = []
    for offset, (indicator, row) in enumerate(zip(items, matched, strict=True)):
        out.row = first + offset
        score = row.computed_score if row is not None else indicator.score
        scores.append(score)
        out.text(index["name"], indicator.name)
        out.text(index["target"], indicator.target.raw)
        for key in ("explanation", "formula"):
            if key in index:
                out.text(index[key], getattr(indicator, key))
        out.text(index["actual"], indicator.actual_raw)
        out.add(number_cell(out.row, index["weight"], indicator.weight))
        out.add(number_cell(out.row, index["score"], score))
        out.text(index["deviation"], indicator.deviation_reason, span=n_cols - index["deviation"])
    out.row = first + len(items)

    scored = budget_line(form)
    budget_weight = scored.weight if scored is not None else None
    total_weight = _total([*(i.weight for i in items), budget_weight])
    if sheet is not None:
        total: Decimal | None = sheet.total_computed
        grade = sheet.grade_computed
    else:
        total, grade = form.total_reported, form.grade_reported
    out.text(0, "总分", role="total", span=index["weight"])
    out.add(number_cell(out.row, index["weight"], total_weight, bold=True))
    out.add(number_cell(out.row, index["score"], total, bold=True))
    out.text(index["deviation"], "", span=n_cols - index["deviation"])
    out.row += 1
    out.text(0, "自评等级", role="label", span=index["weight"])
    out.add(
        Cell(out.row, index["weight"], grade or "", "text", colspan=n_cols - index["weight"], choices=GRADES)
    )
    out.row += 1

    who = form.project_name if form.scope == "project" else form.department
    kind = "项目支出绩效自评表" if form.scope == "project" else "部门整体绩效自评表"
    title = (
        form.title if form.title and form.title.endswith("自评表") else _default_title(form.year, who, kind)
    )
    notes: tuple[str, ...] = ()
    if form.scoring_notes:
        text = form.scoring_notes
        notes = (text if text.startswith(("注", "说明", "备注")) else f"注：{text}",)
    cells = tuple(out.cells)
    return Grid(
        title=title,
        cells=cells,
        widths=_widths(cells, n_cols, ceiling=30),
        above=(*_year_line(title, form.year),),
        notes=notes,
        sheet="绩效自评表",
        landscape=True,
    )


# ---------------------------------------------------------------------------------------------------
# One form as a document


def form_doc(
    form: DeptTargetDeclaration | ProjectTargetDeclaration | ProjectTargetSummary | SelfEvaluation,
    fill_in: bool = False,
) -> Doc:
    """One form as a whole document: its title, the 部门/年度 header line, its grid. ``fill_in``: a
    target form for a department to type into (the xlsx): 运算符号 and 计量单位 apart, with drop-downs."""
    if isinstance(form, SelfEvaluation):
        from jixiao.scoring.engine import score_evaluation

        grid = self_evaluation_grid(form, score_evaluation(form))
        who = form.department
    elif isinstance(form, DeptTargetDeclaration):
        grid = dept_target_grid(form, fill_in)
        who = form.department
    elif isinstance(form, ProjectTargetDeclaration):
        grid = project_target_grid(form, fill_in)
        who = form.department
    else:
        grid = project_summary_grid(form)
        who = form.department
    header = " ".join(part for part in (who, f"{form.year}年度" if form.year else None) if part) or None
    return Doc(title=grid.title, blocks=(grid,), header=header)
