"""部门整体绩效目标申报表 / 部门(单位)整体绩效目标表 → ``DeptTargetDeclaration``.

Enters: a ``SourceDocument``. Leaves: one ``DeptTargetDeclaration`` per department-wide target form
found in it, and the findings raised while reading (``F0xx``). Documents that are not declarations
(self-evaluations with 实际完成值 / 得分 / 自评, project forms, summaries) give nothing.

A form is found by its labels, wherever the province put them: 部门名称 / 部门(单位)名称 plus at least
one of 年度总体目标, 年度履职目标, 明细目标, 部门(单位)绩效目标, 年度主要任务, 预算情况 / 资金情况.
Each label opens a block that runs to the next label; blocks are read by content (goal labels 目标1 /
一、/ 1, task headers 任务名称 / 主要内容 / 合计 / 财政资金 / 备注, amounts, periods 1月-6月), and the
indicator tree by ``indicator_table``. The label scanner and block readers here are shared with the
project-form recogniser.

>>> from jixiao.ingest.readers.text import read_text
>>> text = "部门名称\\t示例局\\n年度总体目标\\t目标1: 稳就业\\n一级指标\\t二级指标\\t三级指标\\t指标值\\n产出指标\\t数量指标\\t培训人次\\t≥200人次\\n"
>>> forms, findings = recognise(read_text(text.encode(), "d.txt"))
>>> form = forms[0]
>>> (form.department, form.goals[0].label, form.goals[0].content, form.indicators[0].target.raw)
('示例局', '目标1', '稳就业', '≥200人次')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jixiao.ingest.forms import indicator_table
from jixiao.ingest.forms.common import YEAR_DIGITS, find_department, find_year, norm, table_mentions
from jixiao.ingest.forms.indicator_table import HeaderMap, find_indicator_header, read_indicator_rows, row_loc
from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table
from jixiao.model.declaration import BudgetLine, DeptTargetDeclaration, Goal, StagePlan, Task
from jixiao.model.document import Form
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc
from jixiao.model.money import parse_amount

#: Codes raised here, plus those of the shared indicator reader (``F002`` for rows printed off their
#: columns, ``F040``–``F044``), which is no recogniser of its own and is declared through this one.
CODES: dict[str, str] = {
    **indicator_table.CODES,
    "F020": "部门整体绩效目标表中未找到绩效指标表",
    "F021": "年度主要任务的预算金额无法读取",
}

# ---------------------------------------------------------------------------------------------------
# Labels and blocks (shared with project_target).

LabelKind = Literal["value", "block", "group"]


@dataclass(frozen=True)
class Label:
    """What a printed label introduces: a single value, a block of rows, or only a group heading."""

    field: str
    kind: LabelKind


@dataclass(frozen=True)
class Hit:
    """A label found in a table: its cell, what it means, and a money unit printed with it."""

    cell: Cell
    label: Label
    unit: str | None = None

    @property
    def row(self) -> int:
        return self.cell.row

    @property
    def col(self) -> int:
        return self.cell.col


@dataclass
class Block:
    """The rows a block label governs: from its own row to the row before the next label."""

    hit: Hit
    rows: list[int] = field(default_factory=list)


_LABEL_PREFIXES = ("部门(单位)", "部门", "单位", "本部门", "本单位", "部门整体")
_UNIT_SUFFIX = re.compile(r"\((万元|元|千元|亿元)\)$")

DEPT_LABELS: Mapping[str, Label] = {
    "部门名称": Label("department", "value"),
    "单位名称": Label("department", "value"),
    "部门(单位)名称": Label("department", "value"),
    "预算部门名称": Label("department", "value"),
    "职能描述": Label("functions", "value"),
    "部门职能": Label("functions", "value"),
    "主要职能": Label("functions", "value"),
    "职能职责": Label("functions", "value"),
    "绩效目标": Label("overall_goal", "value"),
    "整体绩效目标": Label("overall_goal", "value"),
    "总体绩效目标": Label("overall_goal", "value"),
    "年度总体目标": Label("goals", "block"),
    "年度履职目标": Label("goals", "block"),
    "明细目标": Label("goals", "block"),
    "年度绩效目标": Label("goals", "block"),
    "年度主要任务": Label("tasks", "block"),
    "主要任务": Label("tasks", "block"),
    "年度重点任务": Label("tasks", "block"),
    "预算情况": Label("budget", "block"),
    "资金情况": Label("budget", "block"),
    "年度预算情况": Label("budget", "block"),
    "预算资金情况": Label("budget", "block"),
    "保障措施": Label("measures", "block"),
    "保障绩效目标实现的措施": Label("measures", "block"),
    "阶段性计划": Label("stage_plan", "block"),
    "目标阶段性计划": Label("stage_plan", "block"),
    "基本情况": Label("basic", "group"),
}


def match_label(text: str, labels: Mapping[str, Label]) -> tuple[Label, str | None] | None:
    """The label ``text`` prints (with a money unit in parentheses, if any), or None.

    Matches the vocabulary exactly after normalisation, or with a 部门(单位)/部门/单位 prefix.
    """
    t = norm(text).rstrip(":")
    if not t or len(t) > 24:
        return None
    unit: str | None = None
    m = _UNIT_SUFFIX.search(t)
    if m:
        unit = m.group(1)
        t = t[: m.start()]
    if t in labels:
        return labels[t], unit
    for prefix in _LABEL_PREFIXES:
        if t.startswith(prefix) and t[len(prefix) :] in labels:
            return labels[t[len(prefix) :]], unit
    return None


def scan_labels(
    table: Table, labels: Mapping[str, Label], first: int = 1, last: int | None = None
) -> list[Hit]:
    """Every label cell in rows ``first``..``last``, in reading order."""
    end = min(last if last is not None else table.n_rows, table.n_rows)
    hits: list[Hit] = []
    for row in range(first, end + 1):
        for cell in table.rows[row - 1]:
            if not cell.text or cell.covered_by is not None:
                continue
            found = match_label(cell.text, labels)
            if found is not None:
                hits.append(Hit(cell=cell, label=found[0], unit=found[1]))
    return hits


def blocks_of(hits: list[Hit], last: int) -> list[Block]:
    """Block labels with their rows: each runs until the next row holding a value or block label."""
    blocks: list[Block] = []
    stops = sorted({h.row for h in hits if h.label.kind != "group"})
    for hit in hits:
        if hit.label.kind != "block":
            continue
        following = [r for r in stops if r > hit.row]
        end = (following[0] - 1) if following else last
        blocks.append(Block(hit=hit, rows=list(range(hit.row, end + 1))))
    return blocks


def value_of(table: Table, hit: Hit, hits: Iterable[Hit]) -> Cell | None:
    """A value label's value: the next text to its right, else the text right below it."""
    label_cells = {(h.row, h.col) for h in hits}
    for cell in table.rows[hit.row - 1][hit.col :]:
        if not cell.text or cell.covered_by is not None:
            continue
        if (cell.row, cell.col) in label_cells:
            break
        return cell
    below = table.cell(hit.row + 1, hit.col)
    if (
        below is not None
        and below.text
        and (below.row, below.col) not in label_cells
        and not any(h.row == below.row and h.col < below.col for h in hits)
    ):
        return below
    return None


def block_cells(table: Table, block: Block, hits: Iterable[Hit], row: int) -> list[Cell]:
    """The content cells of one block row: right of the label on its own row; on later rows every
    non-empty cell except group labels and pieces of the wrapped block label (年度主要 / 任务)."""
    label_text = norm(block.hit.cell.text)
    label_cells = {(h.row, h.col) for h in hits}
    cells: list[Cell] = []
    for cell in table.rows[row - 1]:
        if not cell.text or cell.covered_by is not None or (cell.row, cell.col) in label_cells:
            continue
        if row == block.hit.row and cell.col < block.hit.col:
            continue
        if cell.col <= block.hit.col and norm(cell.text) in label_text:
            continue
        cells.append(cell)
    return cells


# ---------------------------------------------------------------------------------------------------
# Block readers.

_GOAL_LABEL = re.compile(r"^(目标\s*\d+|\d{1,2}|[一二三四五六七八九十]{1,3})\s*[:：、.．]?$")
_GOAL_START = re.compile(
    r"^(?P<label>目标\s*\d+|[一二三四五六七八九十]{1,3}(?=、)|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}(?=[、.．](?!\d)))"
    r"\s*[:：、.．]?\s*(?P<rest>.*)$",
    re.S,
)
_GOAL_HEADERS = frozenset(
    {"目标名称", "主要内容", "目标内容", "预期目标", "目标", "内容", "实际完成情况", "目标完成情况"}
)


def read_goals(table: Table, block: Block, hits: list[Hit]) -> list[Goal]:
    """Goals as printed: ``目标1: …`` cells, ``1 | 内容`` rows, or one cell of ``一、…`` paragraphs."""
    goals: list[Goal] = []
    for row in block.rows:
        cells = block_cells(table, block, hits, row)
        if not cells or all(norm(c.text) in _GOAL_HEADERS for c in cells):
            continue
        if len(cells) >= 2 and _GOAL_LABEL.match(norm(cells[0].text)):
            content = "\n".join(c.text for c in cells[1:])
            label = norm(cells[0].text).rstrip(":：、.．")
            goals.append(_goal(label, content, cells[1]))
            continue
        for cell in cells:
            goals.extend(_split_goals(cell))
    return goals


def _split_goals(cell: Cell) -> list[Goal]:
    items: list[tuple[str | None, list[str]]] = []
    for line in cell.text.split("\n"):
        m = _GOAL_START.match(line.strip())
        if m:
            items.append((norm(m.group("label")), [m.group("rest")]))
        elif items:
            items[-1][1].append(line)
        else:
            items.append((None, [line]))
    return [_goal(label, "\n".join(lines).strip(), cell) for label, lines in items if "".join(lines).strip()]


_TITLED_GOAL = re.compile(r"^([^:：，,。；;]{2,20})[:：](.+)$", re.S)


def _goal(label: str | None, content: str, cell: Cell) -> Goal:
    title: str | None = None
    m = _TITLED_GOAL.match(content)
    if m and label is not None and not label.startswith("目标"):
        title, content = m.group(1).strip(), m.group(2).strip()
    return Goal(label=label, title=title, content=content, loc=cell.loc)


_TASK_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fiscal", ("财政资金", "财政拨款", "其中:财政资金", "其中财政资金", "财政性资金")),
    ("other", ("其他资金", "其中:其他资金")),
    ("total", ("合计", "小计", "资金总额", "预算资金", "预算金额", "金额", "预算数")),
    ("name", ("任务名称", "任务")),
    ("content", ("主要内容", "任务内容", "具体内容", "内容")),
    ("note", ("备注", "说明")),
    ("actual", ("任务完成情况", "完成情况")),
)
_TASK_LABEL = re.compile(r"^任务\s*\d+\s*[:：]?$")


def _task_header_field(text: str) -> str | None:
    t = norm(text).rstrip(":")
    t = _UNIT_SUFFIX.sub("", t)
    for name, words in _TASK_HEADERS:
        if t in (norm(w) for w in words):
            return name
    return None


def read_tasks(table: Table, block: Block, hits: list[Hit], file: str) -> tuple[list[Task], list[Finding]]:
    """年度主要任务: columns found by their headers; rows printed off their columns are realigned."""
    columns: dict[str, int] = {}
    unit = block.hit.unit or "万元"
    header_rows: list[int] = []
    for row in block.rows:
        row_cells = block_cells(table, block, hits, row)
        fields = [(_task_header_field(c.text), c) for c in row_cells]
        if row_cells and any(name for name, _ in fields) and not any(parse_amount(c.text) for c in row_cells):
            header_rows.append(row)
            for name, cell in fields:
                if "元" in cell.text:
                    unit = "元" if "(元)" in norm(cell.text) else "万元"
                if name == "total" and "total" in columns and norm(cell.text) not in ("合计", "小计"):
                    continue
                if name is not None and (name not in columns or name == "total"):
                    columns[name] = cell.col
    if "name" not in columns and "content" not in columns:
        columns = {"name": block.hit.col + 1, "content": block.hit.col + 2}
    data_rows = [r for r in block.rows if not header_rows or r > header_rows[-1]]
    tasks: list[Task] = []
    findings: list[Finding] = []
    for row in data_rows:
        cells = {c.col: c for c in block_cells(table, block, hits, row)}
        if not cells:
            continue
        shift = _task_shift(cells, columns)
        values = {name: cells.get(col + shift) for name, col in columns.items()}
        name_cell, content_cell = values.get("name"), values.get("content")
        if name_cell is None and content_cell is None:
            continue
        if shift:
            findings.append(
                Finding(
                    code="F002",
                    severity=Severity.WARNING,
                    message=f"{file} 表{table.index} 第{row}行：年度主要任务行整体{'左' if shift < 0 else '右'}移 "
                    f"{abs(shift)} 列，已按表头对齐读取",
                    locations=(row_loc(table, row),),
                    actual=" | ".join(c.text for c in sorted(cells.values(), key=lambda c: c.col)),
                )
            )
        tasks.append(_task(values, unit, table, row))
        for money in ("total", "fiscal"):
            money_cell = values.get(money)
            if money_cell is not None and parse_amount(money_cell.text) is None:
                findings.append(
                    Finding(
                        code="F021",
                        severity=Severity.WARNING,
                        message=f"{file} 表{table.index} 第{row}行：任务“{tasks[-1].name}”的金额“{money_cell.text}”无法读取",
                        locations=(money_cell.loc,),
                    )
                )
    return tasks, findings


def _task_shift(cells: dict[int, Cell], columns: dict[str, int]) -> int:
    best = (float("-inf"), 0)
    for shift in (0, -1, 1, -2, 2):
        mapped = {col + shift for col in columns.values()}
        if min(mapped) < 1:
            continue
        score = 0.75 if shift == 0 else 0.0
        for name, col in columns.items():
            cell = cells.get(col + shift)
            if cell is None:
                continue
            amount = parse_amount(cell.text) is not None
            if name in ("total", "fiscal", "other"):
                score += 2 if amount else -1
            elif name == "name":
                score += -2 if amount else (1 if len(cell.text) <= 40 else -1)
            elif name == "content":
                score += -1 if amount else 0.5
        score -= 2 * sum(1 for col in cells if col not in mapped)
        if score > best[0]:
            best = (score, shift)
    return best[1]


_LABELLED_TASK = re.compile(r"^(任务\s*\d+)\s*[:：]\s*(.+)$", re.S)


def _task(values: Mapping[str, Cell | None], unit: str, table: Table, row: int) -> Task:
    name_cell, content_cell = values.get("name"), values.get("content")
    name = name_cell.text if name_cell is not None else ""
    content = content_cell.text if content_cell is not None else None
    label: str | None = None
    if _TASK_LABEL.match(norm(name)) and content:
        label, name, content = norm(name).rstrip(":："), content, None
    else:
        m = _LABELLED_TASK.match(name)
        if m:
            label, name = norm(m.group(1)), m.group(2).strip()
    if not name and content:
        name, content = content, None

    def text(key: str) -> str | None:
        cell = values.get(key)
        return cell.text if cell is not None else None

    cells = {key: cell.loc for key, cell in values.items() if cell is not None}
    return Task(
        label=label,
        name=name,
        content=content,
        total=parse_amount(text("total")),
        fiscal=parse_amount(text("fiscal")),
        unit=unit,
        note=text("note"),
        actual=text("actual"),
        loc=row_loc(table, row),
        cells=cells,
    )


_BUDGET_HEADERS = ("名称", "项目", "金额", "预算金额", "预算数", "年度预算金额")
_ENUMERATOR = re.compile(r"^(?:\d+[、.．]|[(（]\d+[)）]|[一二三四五六七八九十]+、|其中[:：]?)\s*")
_UNIT_IN_HEADER = re.compile(r"\((万元|元)\)")


def read_budget(table: Table, block: Block, hits: list[Hit]) -> list[BudgetLine]:
    """预算情况 / 资金情况: one line per label with its amount (None where the form left it blank)."""
    unit = block.hit.unit
    lines: list[BudgetLine] = []
    for row in block.rows:
        cells = block_cells(table, block, hits, row)
        if not unit:
            for cell in cells:
                m = _UNIT_IN_HEADER.search(norm(cell.text))
                if m:
                    unit = m.group(1)
        if not cells or any(_is_budget_header(c.text) for c in cells):
            continue
        label_cell = next((c for c in cells if parse_amount(c.text) is None), None)
        if label_cell is None:
            continue
        amount_cell = next(
            (c for c in cells if c.col > label_cell.col and parse_amount(c.text) is not None), None
        )
        label, line_unit = _budget_label(label_cell.text)
        lines.append(
            BudgetLine(
                label=label,
                amount=parse_amount(amount_cell.text) if amount_cell is not None else None,
                unit=line_unit or unit or "万元",
                loc=(amount_cell or label_cell).loc,
            )
        )
    return lines


_YEAR_PREFIX = re.compile("^" + YEAR_DIGITS + "年度?")


def _is_budget_header(text: str) -> bool:
    t = _UNIT_SUFFIX.sub("", norm(text))
    t = _YEAR_PREFIX.sub("", t)
    return t in _BUDGET_HEADERS


_UNIT_END = re.compile(r"[(（](万元|元|千元|亿元)[)）]\s*$")
_SHORT_LABEL = re.compile(r"^[^:：()（）]{1,8}[:：]\s*")
_COLON_TEXT = re.compile(r"[:：]\s*\S")


def _budget_label(text: str) -> tuple[str, str | None]:
    """'1、资金来源：(1) 政府预算资金' → '政府预算资金'; '资金总额(万元)' → ('资金总额', '万元')."""
    t = text.strip()
    unit: str | None = None
    m = _UNIT_SUFFIX.search(norm(t))
    if m:
        unit = m.group(1)
        t = _UNIT_END.sub("", t)
    previous = None
    while previous != t:
        previous = t
        t = _ENUMERATOR.sub("", t).strip()
        t = _SHORT_LABEL.sub("", t).strip() if _COLON_TEXT.search(t) else t
    return t.rstrip(":："), unit


def read_measures(table: Table, block: Block, hits: list[Hit]) -> dict[str, str]:
    """保障措施: ``组织机构 | …`` / ``管理制度: | …`` rows; a key printed without a value maps to ''."""
    measures: dict[str, str] = {}
    for row in block.rows:
        cells = block_cells(table, block, hits, row)
        if not cells:
            continue
        first = cells[0].text.strip()
        if len(cells) >= 2 and len(first) <= 16:
            measures[first.rstrip(":：")] = "\n".join(c.text for c in cells[1:])
        elif len(first) <= 16 and first.endswith((":", "：")):
            measures[first.rstrip(":：")] = ""
        else:
            measures["措施"] = "\n".join(filter(None, [measures.get("措施"), *(c.text for c in cells)]))
    return measures


_PERIOD = re.compile(
    r"^(?P<period>\d{1,2}\s*月?\s*[-—–~～至到]\s*\d{1,2}\s*月(?:份)?|第[一二三四1-4]季度|[上下]半年|\d{1,2}\s*月(?:份|底|末)?)"
    r"\s*[:：]?\s*(?P<content>.*)$",
    re.S,
)


_SPACES = re.compile(r"\s+")


def read_stage_plan(table: Table, block: Block, hits: list[Hit]) -> list[StagePlan]:
    """阶段性计划: cells ``1月-6月 …`` or a period cell followed by its content cell."""
    plans: list[StagePlan] = []
    for row in block.rows:
        cells = block_cells(table, block, hits, row)
        index = 0
        while index < len(cells):
            cell = cells[index]
            m = _PERIOD.match(cell.text.strip())
            if m is None:
                if plans and not plans[-1].content:
                    plans[-1].content = cell.text
                elif cell.text:
                    plans.append(StagePlan(period="", content=cell.text, loc=cell.loc))
                index += 1
                continue
            content = m.group("content").strip()
            if not content and index + 1 < len(cells) and not _PERIOD.match(cells[index + 1].text.strip()):
                content = cells[index + 1].text
                index += 1
            plans.append(StagePlan(period=_SPACES.sub("", m.group("period")), content=content, loc=cell.loc))
            index += 1
    return plans


# ---------------------------------------------------------------------------------------------------
# Titles, years, self-evaluation guard.

_SELF_EVALUATION = ("自评", "评价表", "实际完成值", "实际完成情况", "目标完成情况", "任务完成情况", "得分")


def title_paragraphs(doc: SourceDocument, table: Table) -> list[Paragraph]:
    return doc.preceding_paragraphs(table, limit=6)


_TITLE = re.compile(
    r"[^\s:：，,。；;]{0,60}?(?:绩效目标(?:申报|填报)?表|目标申报表|目标填报表|目标表)"
    r"(?:\s*[(（]\s*" + YEAR_DIGITS + r"\s*年度?\s*[)）])?"
)


def title_rows(table: Table) -> list[Cell]:
    """Leading rows of a table that hold a single text: titles and year lines printed inside the grid."""
    found: list[Cell] = []
    for row in table.rows[:8]:
        texts = [c for c in row if c.text and c.covered_by is None]
        if len(texts) != 1:
            break
        found.append(texts[0])
    return found


_TITLE_LEAD = re.compile(r"^[\W_]*(?:\d+(?![\d\s]*年))?[\W_]*")


def form_title(doc: SourceDocument, table: Table) -> tuple[str, Loc] | None:
    """The title of the form in ``table`` (…绩效目标申报表 / …目标表) and where it is printed.

    Looked for in the table's own title rows, then the paragraphs above it (nearest first) and its
    caption. A title may share its paragraph with other lines (exports join lines cut at page ends):
    the last title-like phrase of the paragraph is taken.
    """
    # nearest the header first: a cover title printed above the form's own title must not win
    candidates: list[tuple[str, Loc]] = [(c.text, c.loc) for c in reversed(title_rows(table))]
    candidates += [(p.text, p.loc) for p in reversed(title_paragraphs(doc, table))]
    if table.caption:
        candidates.append((table.caption, table.loc))
    for text, loc in candidates:
        found = [m.group(0) for m in _TITLE.finditer(text)]
        if found:
            # drop what the joined line left before the title (a phone number), never the year
            return _TITLE_LEAD.sub("", found[-1]).strip(), loc
    return None


def form_year(doc: SourceDocument, table: Table, title: str | None) -> int | None:
    """The year from the title, the table's title rows, or the paragraphs above (``(2023年度)``)."""
    paragraphs = [p.text for p in reversed(title_paragraphs(doc, table))]
    return find_year(title, *(c.text for c in title_rows(table)), *paragraphs, table.caption)


def is_self_evaluation(doc: SourceDocument, table: Table, header: HeaderMap | None) -> bool:
    """Self-evaluation tables carry the same blocks as declarations; their actuals and scores give them away."""
    if header is not None and header.is_scored:
        return True
    titles = [p.text for p in title_paragraphs(doc, table) if len(p.text) <= 40] + [table.caption or ""]
    if any("自评" in norm(t) for t in titles):
        return True
    first_rows = min(table.n_rows, header.first_row if header is not None else table.n_rows)
    return any(
        norm(c.text) in _SELF_EVALUATION or "自评" in c.text
        for row in table.rows[:first_rows]
        for c in row
        if c.text and len(c.text) <= 12
    )


_DEPARTMENT_BEFORE_YEAR = re.compile(
    r"^(.{2,40}?(?:局|委员会|委|办公室|办|中心|院|厅|部|站|所|馆|会|政府|街道办事处))\s*"
    + YEAR_DIGITS
    + r"\s*年"
)


def department_from_title(title: str | None) -> str | None:
    """'六枝特区人力资源和社会保障局2023年部门整体支出绩效目标表' → '六枝特区人力资源和社会保障局'."""
    if not title:
        return None
    m = _DEPARTMENT_BEFORE_YEAR.match(norm(title))
    return m.group(1) if m else None


def indicator_source(doc: SourceDocument, table: Table) -> tuple[Table, HeaderMap] | None:
    """The indicator header of a form: in its own table, or in the next table when the form's tree
    was printed as a table of its own (Word exports break tables at page ends)."""
    header = find_indicator_header(table)
    if header is not None:
        return table, header
    tables = doc.tables
    position = next((i for i, t in enumerate(tables) if t is table), -1)
    if 0 <= position < len(tables) - 1:
        following = tables[position + 1]
        header = find_indicator_header(following, 1, 3)
        if header is not None:
            return following, header
    return None


# ---------------------------------------------------------------------------------------------------
# The recogniser.


def recognise(doc: SourceDocument) -> tuple[list[Form], list[Finding]]:
    forms: list[Form] = []
    findings: list[Finding] = []
    for table in doc.tables:
        # a form names its department: most tables print no such label, and need no closer look
        if not table_mentions(table, *_DEPARTMENT_LABELS):
            continue
        header = find_indicator_header(table)
        last = header.first_row - 1 if header is not None else table.n_rows
        hits = scan_labels(table, DEPT_LABELS, 1, last)
        if not _has_dept_labels(hits):
            continue
        if any(norm(c.text) == "项目名称" for row in table.rows for c in row if c.text):
            continue
        if is_self_evaluation(doc, table, header):
            continue
        form, form_findings = read_dept_form(doc, table, hits, last)
        forms.append(form)
        findings.extend(form_findings)
    return forms, findings


#: The labels of the department's name (``match_label`` finds them inside a cell's text, after ``norm``).
_DEPARTMENT_LABELS = tuple(text for text, label in DEPT_LABELS.items() if label.field == "department")


def _has_dept_labels(hits: list[Hit]) -> bool:
    """A department form names the department and at least one of its goals, tasks or budget."""
    fields = {h.label.field for h in hits}
    return "department" in fields and bool(fields & {"goals", "tasks", "overall_goal", "budget"})


def read_dept_form(
    doc: SourceDocument, table: Table, hits: list[Hit], last: int
) -> tuple[DeptTargetDeclaration, list[Finding]]:
    file = doc.file
    findings: list[Finding] = []
    title = form_title(doc, table)
    paragraphs = title_paragraphs(doc, table)
    form = DeptTargetDeclaration(
        title=title[0] if title is not None else None,
        loc=title[1] if title is not None else table.loc,
        year=form_year(doc, table, title[0] if title is not None else None),
    )
    for hit in hits:
        if hit.label.kind != "value":
            continue
        cell = value_of(table, hit, hits)
        if cell is None:
            continue
        if hit.label.field == "department" and form.department is None:
            form.department = cell.text
        elif hit.label.field == "functions" and form.functions is None:
            form.functions = cell.text
        elif hit.label.field == "overall_goal" and form.overall_goal is None:
            form.overall_goal = cell.text
    form.department = form.department or find_department(paragraphs) or department_from_title(form.title)
    for block in blocks_of(hits, last):
        kind = block.hit.label.field
        if kind == "goals":
            form.goals.extend(read_goals(table, block, hits))
        elif kind == "tasks":
            tasks, task_findings = read_tasks(table, block, hits, file)
            form.tasks.extend(tasks)
            findings.extend(task_findings)
        elif kind == "budget":
            form.budget.extend(read_budget(table, block, hits))
        elif kind == "measures":
            form.measures.update(read_measures(table, block, hits))
        elif kind == "stage_plan":
            form.stage_plan.extend(read_stage_plan(table, block, hits))
    source = indicator_source(doc, table)
    if source is None:
        findings.append(
            Finding(
                code="F020",
                severity=Severity.WARNING,
                message=f"{file} 表{table.index}：部门整体绩效目标表中没有找到一级/二级/三级指标表头，未读取绩效指标",
                locations=(table.loc,),
                suggestion="确认表中是否填报了绩效指标（一级指标、二级指标、三级指标、指标值）。",
            )
        )
    else:
        indicator_table, header = source
        indicators, indicator_findings = read_indicator_rows(indicator_table, header, file=file)
        form.indicators = indicators
        findings.extend(indicator_findings)
    return form, findings


def total_of(tasks: Iterable[Task], key: Literal["total", "fiscal"]) -> Decimal:
    """Sum of the tasks' 合计 or 财政资金 (blank amounts count as zero)."""
    return sum((getattr(t, key) or Decimal(0) for t in tasks), Decimal(0))
