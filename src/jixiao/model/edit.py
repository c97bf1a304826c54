"""Editing a target declaration (绩效目标申报表) as rows of text, the way a browser form holds it.

Enters: a typed declaration (``DeptTargetDeclaration`` / ``ProjectTargetDeclaration``), or the rows a
person typed (``Rows``: header fields and sections of rows, every value a string). Leaves: the rows
to show (``to_rows``), the typed declaration they make (``from_rows``, with ``InputProblem``\\ s for
what cannot be read: an amount that is not a number, a 保障措施 named twice), structural edits
(add, move, delete a row, insert a suggested indicator), computed totals, a skeleton to start from,
last year's form rolled forward, and a ``ParsedDocument`` of the draft whose every row has a place
(``Loc``) so that the audit's findings can be put back beside their rows (``place_of``).

Every 指标值 is read by the readers' own parser (``parse_target(raw, name)``); totals (the 合计 of
the tasks, the 部门预算总额) are computed here and never typed. Amounts stay ``Decimal``.

>>> form = skeleton("project_target", department="示例局", year=2024, project_name="示例项目")
>>> [(i.level1, i.level2) for i in form.indicators][:2]
[('产出指标', '数量指标'), ('产出指标', '质量指标')]
>>> rows = to_rows(form)
>>> rows.sections["indicators"][0]["target"] = "≥100%"
>>> rows.sections["indicators"][0]["name"] = "服务对象满意度"
>>> from_rows("project_target", rows).declaration.indicators[0].target.value
Decimal('100')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from jixiao.model.declaration import (
    BudgetLine,
    DeptTargetDeclaration,
    Goal,
    ProjectTargetDeclaration,
    StagePlan,
    Task,
)
from jixiao.model.document import ParsedDocument
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc, cell_name
from jixiao.model.money import MAX_DECIMALS, MAX_INTEGER_DIGITS, fits, parse_amount
from jixiao.model.target import Target, TargetKind
from jixiao.model.values import parse_target

__all__ = [
    "BUDGET_SOURCES",
    "BUDGET_TOTAL",
    "BUDGET_USES",
    "DRAFT_FILE",
    "KIND_NAMES",
    "SECTIONS",
    "STANDARD_TREE",
    "BudgetTotals",
    "Declaration",
    "Edited",
    "InputProblem",
    "Kind",
    "Rows",
    "apply_op",
    "as_edited",
    "budget_totals",
    "declaration_type",
    "draft_document",
    "essence",
    "from_rows",
    "insert_indicator",
    "level1_choices",
    "level2_choices",
    "place_of",
    "prune",
    "read_target",
    "roll_forward",
    "skeleton",
    "task_totals",
    "to_rows",
    "without_provenance",
]

Kind = Literal["dept_target", "project_target"]
Declaration = DeptTargetDeclaration | ProjectTargetDeclaration

KIND_NAMES: dict[str, str] = {
    "dept_target": "部门整体绩效目标申报表",
    "project_target": "项目支出绩效目标申报表",
}

#: The standard 一级/二级 indicators of the form family (财预〔2020〕10号 共性框架).
STANDARD_TREE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)

#: A 部门整体 budget is typed by source and by use; its total is computed (the sum by use, or by
#: source when no use is given). The labels are those the readers and the A204 check know.
BUDGET_SOURCES: tuple[str, ...] = ("财政拨款", "财政专户管理资金", "单位资金")
BUDGET_USES: tuple[str, ...] = ("基本支出", "项目支出")
BUDGET_TOTAL = "部门预算总额"
_TOTAL_WORDS = ("总额", "总计", "合计")


#: Editable sections and the fields of their rows, per kind of form.
SECTIONS: dict[str, tuple[str, ...]] = {
    "goals": ("label", "content"),
    "tasks": ("label", "name", "content", "total", "fiscal", "note"),
    "sources": ("label", "amount"),
    "uses": ("label", "amount"),
    "measures": ("key", "value"),
    "stages": ("period", "content"),
    "plans": ("content",),
    "indicators": (
        "level1",
        "level2",
        "name",
        "target",
        "unit",
        "explanation",
        "formula",
        "nature",
        "direction",
        "previous",
    ),
}
KIND_SECTIONS: dict[str, tuple[str, ...]] = {
    "dept_target": ("goals", "tasks", "sources", "uses", "measures", "stages", "indicators"),
    "project_target": ("goals", "plans", "measures", "indicators"),
}
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "dept_target": ("title", "functions", "overall_goal"),
    "project_target": (
        "title",
        "project_name",
        "project_code",
        "leader",
        "phone",
        "category",
        "attribute",
        "period",
        "budget",
        "budget_unit",
        "fund_nature",
        "annual_goal",
    ),
}
MONEY_UNITS: tuple[str, ...] = ("万元", "元")

#: The draft's file name in findings, and the table number of each section in its places.
DRAFT_FILE = "目标申报草稿"
_TABLES: dict[str, int] = {
    "header": 1,
    "goals": 2,
    "tasks": 3,
    "budget": 4,
    "measures": 5,
    "stages": 6,
    "plans": 6,
    "indicators": 7,
}
_SECTION_OF_TABLE: dict[int, str] = {
    1: "header",
    2: "goals",
    3: "tasks",
    4: "budget",
    5: "measures",
    7: "indicators",
}
_INDICATOR_COLUMNS: dict[str, int] = {
    "level1": 1,
    "level2": 2,
    "name": 3,
    "target": 4,
    "unit": 5,
    "explanation": 6,
    "formula": 7,
    "nature": 8,
    "direction": 9,
    "previous": 10,
}


@dataclass
class Rows:
    """A declaration as a form holds it: header fields and sections of rows, all text."""

    header: dict[str, str] = field(default_factory=dict)
    sections: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def section(self, name: str) -> list[dict[str, str]]:
        return self.sections.setdefault(name, [])


@dataclass(frozen=True)
class InputProblem:
    """Something typed that cannot be read: ``where`` is ``section.index.field`` (or ``header.field``)."""

    where: str
    message: str


@dataclass(frozen=True)
class Edited:
    """The typed declaration, what could not be read, and for each section the row each of its
    items came from (empty rows are skipped: ``origins["indicators"][3]`` is the row of the 4th)."""

    declaration: Declaration
    problems: tuple[InputProblem, ...] = ()
    origins: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def row_of(self, section: str, index: int) -> int | None:
        """The row of the ``index``-th item of ``section`` (budget lines: None, they are computed)."""
        rows = self.origins.get(section, ())
        return rows[index] if 0 <= index < len(rows) else None


@dataclass(frozen=True)
class BudgetTotals:
    sources: Decimal | None
    uses: Decimal | None
    total: Decimal | None

    @property
    def agree(self) -> bool:
        """Both partitions given and equal, or only one given."""
        return self.sources is None or self.uses is None or self.sources == self.uses


def declaration_type(kind: str) -> type[DeptTargetDeclaration] | type[ProjectTargetDeclaration]:
    if kind == "dept_target":
        return DeptTargetDeclaration
    if kind == "project_target":
        return ProjectTargetDeclaration
    raise ValueError(f"not a target declaration kind: {kind!r}")


def read_target(raw: str | None, name: str | None) -> Target:
    """The 指标值 as the readers read it (``parse_target`` with the indicator's name)."""
    return parse_target(raw or "", (name or "").strip() or None)


# ---------------------------------------------------------------------------------------------------
# Starting points


def _empty_indicator(level1: str, level2: str) -> Indicator:
    return Indicator(level1=level1, level2=level2, name="", target=read_target("", None))


def skeleton(
    kind: Kind,
    *,
    department: str | None,
    year: int | None,
    title: str | None = None,
    project_name: str | None = None,
) -> Declaration:
    """An empty form with the standard 一级/二级 indicators, one empty 三级 row under each."""
    indicators = [_empty_indicator(l1, l2) for l1, l2s in STANDARD_TREE for l2 in l2s]
    if kind == "dept_target":
        return DeptTargetDeclaration(
            title=title or f"{department or ''}{year or ''}年度部门整体绩效目标申报表",
            department=department,
            year=year,
            goals=[Goal(label="目标1", content="")],
            tasks=[Task(label="任务1", name="")],
            budget=[BudgetLine(label=label) for label in (*BUDGET_SOURCES, *BUDGET_USES)],
            measures={"组织机构": "", "相关管理制度": ""},
            stage_plan=[StagePlan(period="1月-6月", content=""), StagePlan(period="7月-12月", content="")],
            indicators=indicators,
        )
    return ProjectTargetDeclaration(
        title=title or f"{project_name or ''}{year or ''}年度项目支出绩效目标申报表",
        department=department,
        year=year,
        project_name=project_name,
        goals=[Goal(label="目标1", content="")],
        plans=[""],
        measures={"组织机构": "", "管理制度": ""},
        indicators=indicators,
    )


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("loc", "cells")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


_EVALUATION_FIELDS = ("actual_raw", "actual", "weight", "score", "deviation_reason", "level1_weight")


def _is_total_task(task: Mapping[str, Any] | Task) -> bool:
    name = task.name if isinstance(task, Task) else str(task.get("name") or "")
    return re.sub(r"\s+", "", name) in _TOTAL_WORDS


def without_provenance(declaration: Declaration) -> Declaration:
    """A copy without places (``loc``/``cells``), self-evaluation values and the 合计 row a reader
    may have read as a task (totals are computed): a draft's own."""
    data = _strip(declaration.model_dump(mode="json"))
    if "tasks" in data:
        data["tasks"] = [t for t in data["tasks"] if not _is_total_task(t)]
    for indicator in data.get("indicators", []):
        for name in _EVALUATION_FIELDS:
            indicator[name] = None
    for item in (*data.get("goals", []), *data.get("tasks", [])):
        item["actual"] = None
    return type(declaration).model_validate(data)


def roll_forward(declaration: Declaration, year: int) -> Declaration:
    """Last year's form as this year's draft: the year set, and the years written in the title,
    project name, period and annual goal (``2023年``, ``2023-01-01``) from the form's year on moved
    by the same difference (``2023-01-01至2024-12-31`` → ``2024-01-01至2025-12-31``); places dropped."""
    base = without_provenance(declaration)
    before = base.year
    data = base.model_dump(mode="json")
    data["year"] = year
    if before is not None and before != year:
        shift = year - before

        def moved(match: re.Match[str]) -> str:
            written = int(match.group(0))
            return str(written + shift) if written >= before else match.group(0)

        pattern = re.compile(r"(?<!\d)(?:19|20)\d\d(?=年|-|/|\.)")
        for name in ("title", "project_name", "period", "annual_goal"):
            if isinstance(data.get(name), str):
                data[name] = pattern.sub(moved, data[name])
    return type(base).model_validate(data)


# ---------------------------------------------------------------------------------------------------
# Declaration ↔ rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _split_budget(lines: Sequence[BudgetLine]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(by source, by use) rows of a 部门整体 budget; total lines are dropped (they are computed)."""
    sources: list[dict[str, str]] = []
    uses: list[dict[str, str]] = []
    for line in lines:
        if any(word in line.label for word in _TOTAL_WORDS):
            continue
        row = {"label": line.label, "amount": _text(line.amount)}
        (uses if any(word in line.label for word in BUDGET_USES) else sources).append(row)
    return sources, uses


def to_rows(declaration: Declaration) -> Rows:
    """The rows an editor shows for ``declaration``."""
    kind = declaration.form
    rows = Rows(header={name: _text(getattr(declaration, name)) for name in HEADER_FIELDS[kind]})
    rows.sections["goals"] = [{"label": g.label or "", "content": g.content} for g in declaration.goals]
    rows.sections["measures"] = [{"key": k, "value": v} for k, v in declaration.measures.items()]
    rows.sections["indicators"] = [
        {
            name: _text(i.target.raw if name == "target" else getattr(i, name))
            for name in SECTIONS["indicators"]
        }
        for i in declaration.indicators
    ]
    if isinstance(declaration, DeptTargetDeclaration):
        rows.sections["tasks"] = [
            {
                "label": t.label or "",
                "name": t.name,
                "content": t.content or "",
                "total": _text(t.total),
                "fiscal": _text(t.fiscal),
                "note": t.note or "",
            }
            for t in declaration.tasks
        ]
        rows.sections["sources"], rows.sections["uses"] = _split_budget(declaration.budget)
        rows.sections["stages"] = [{"period": s.period, "content": s.content} for s in declaration.stage_plan]
        rows.header["unit"] = next((t.unit for t in declaration.tasks), None) or next(
            (b.unit for b in declaration.budget), "万元"
        )
    else:
        rows.sections["plans"] = [{"content": p} for p in declaration.plans]
    return rows


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _optional(text: str | None) -> str | None:
    return _clean(text) or None


def _blank(row: Mapping[str, str]) -> bool:
    return not any(_clean(v) for v in row.values())


class _Reader:
    """Reads the typed rows into typed values, collecting what cannot be read."""

    def __init__(self) -> None:
        self.problems: list[InputProblem] = []

    def amount(self, where: str, text: str | None, what: str) -> Decimal | None:
        written = _clean(text)
        if not written:
            return None
        value = parse_amount(written)
        if value is None:
            self.problems.append(InputProblem(where, f"{what}“{written}”不是数字，请填写如 12.5 的金额"))
        elif not fits(value):
            self.problems.append(
                InputProblem(
                    where,
                    f"{what}“{written[:30]}{'…' if len(written) > 30 else ''}”位数过多：整数最多 "
                    f"{MAX_INTEGER_DIGITS} 位，小数最多 {MAX_DECIMALS} 位",
                )
            )
            return None
        return value


def from_rows(kind: str, rows: Rows, *, department: str | None = None, year: int | None = None) -> Edited:
    """The typed declaration ``rows`` make. Rows with nothing typed are skipped; a row with only
    some fields (a skeleton's indicator row with its 一级/二级 set, 目标1 without content) is kept
    for the person to fill in, and dropped by ``prune`` when submitting. Totals are computed."""
    reader = _Reader()
    header = rows.header
    sections = rows.sections
    origins: dict[str, list[int]] = {name: [] for name in SECTIONS}

    goals = []
    for index, r in enumerate(sections.get("goals", [])):
        if not _blank(r):
            goals.append(Goal(label=_optional(r.get("label")), content=_clean(r.get("content"))))
            origins["goals"].append(index)
    measures: dict[str, str] = {}
    for index, r in enumerate(sections.get("measures", [])):
        key = _clean(r.get("key"))
        if not key and not _clean(r.get("value")):
            continue
        if not key:
            reader.problems.append(InputProblem(f"measures.{index}.key", "保障措施缺少名称（如“组织机构”）"))
            continue
        if key in measures:
            reader.problems.append(InputProblem(f"measures.{index}.key", f"保障措施“{key}”填写了两次"))
            continue
        measures[key] = _clean(r.get("value"))
    indicators = []
    for index, r in enumerate(sections.get("indicators", [])):
        if _blank(r):
            continue
        origins["indicators"].append(index)
        name = _clean(r.get("name"))
        indicators.append(
            Indicator(
                level1=_optional(r.get("level1")),
                level2=_optional(r.get("level2")),
                name=name,
                target=read_target(r.get("target"), name),
                explanation=_optional(r.get("explanation")),
                formula=_optional(r.get("formula")),
                nature=_optional(r.get("nature")),
                direction=_optional(r.get("direction")),
                unit=_optional(r.get("unit")),
                previous=_optional(r.get("previous")),
            )
        )
    title = _optional(header.get("title"))
    if kind == "dept_target":
        unit = _clean(header.get("unit")) or "万元"
        tasks = []
        for index, r in enumerate(sections.get("tasks", [])):
            if _blank(r):
                continue
            origins["tasks"].append(index)
            tasks.append(
                Task(
                    label=_optional(r.get("label")),
                    name=_clean(r.get("name")),
                    content=_optional(r.get("content")),
                    total=reader.amount(f"tasks.{index}.total", r.get("total"), "预算资金合计"),
                    fiscal=reader.amount(f"tasks.{index}.fiscal", r.get("fiscal"), "其中财政资金"),
                    unit=unit,
                    note=_optional(r.get("note")),
                )
            )
        budget: list[BudgetLine] = []
        for section, what in (("sources", "资金来源"), ("uses", "支出用途")):
            for index, r in enumerate(sections.get(section, [])):
                label = _clean(r.get("label"))
                amount = reader.amount(f"{section}.{index}.amount", r.get("amount"), f"{what}金额")
                if not label and amount is None:
                    continue
                if not label:
                    reader.problems.append(InputProblem(f"{section}.{index}.label", f"{what}缺少名称"))
                    continue
                budget.append(BudgetLine(label=label, amount=amount, unit=unit))
        totals = budget_totals(budget)
        if totals.total is not None:
            budget.insert(0, BudgetLine(label=BUDGET_TOTAL, amount=totals.total, unit=unit))
        stages = []
        for index, r in enumerate(sections.get("stages", [])):
            if not _blank(r):
                stages.append(StagePlan(period=_clean(r.get("period")), content=_clean(r.get("content"))))
                origins["stages"].append(index)
        declaration: Declaration = DeptTargetDeclaration(
            title=title,
            department=department,
            year=year,
            functions=_optional(header.get("functions")),
            overall_goal=_optional(header.get("overall_goal")),
            goals=goals,
            tasks=tasks,
            budget=budget,
            measures=measures,
            stage_plan=stages,
            indicators=indicators,
        )
    elif kind == "project_target":
        budget_unit = _clean(header.get("budget_unit")) or "万元"
        declaration = ProjectTargetDeclaration(
            title=title,
            department=department,
            year=year,
            project_name=_optional(header.get("project_name")),
            project_code=_optional(header.get("project_code")),
            leader=_optional(header.get("leader")),
            phone=_optional(header.get("phone")),
            category=_optional(header.get("category")),
            attribute=_optional(header.get("attribute")),
            period=_optional(header.get("period")),
            budget=reader.amount("header.budget", header.get("budget"), "年度资金总额"),
            budget_unit=budget_unit,
            fund_nature=_optional(header.get("fund_nature")),
            annual_goal=_optional(header.get("annual_goal")),
            goals=goals,
            plans=[_clean(r.get("content")) for r in sections.get("plans", []) if _clean(r.get("content"))],
            measures=measures,
            indicators=indicators,
        )
    else:
        raise ValueError(f"not a target declaration kind: {kind!r}")
    return Edited(declaration, tuple(reader.problems), {k: tuple(v) for k, v in origins.items() if v})


def as_edited(declaration: Declaration) -> Declaration:
    """``declaration`` as the editor saves it: places dropped, the total lines of the budget
    computed again (a printed 资金总额 becomes the computed 部门预算总额)."""
    clean = without_provenance(declaration)
    return from_rows(clean.form, to_rows(clean), department=clean.department, year=clean.year).declaration


# ---------------------------------------------------------------------------------------------------
# Totals


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def task_totals(tasks: Sequence[Task]) -> tuple[Decimal | None, Decimal | None]:
    """(合计, 其中财政资金) of the 年度主要任务, exact."""
    return _sum(t.total for t in tasks), _sum(t.fiscal for t in tasks)


def budget_totals(lines: Sequence[BudgetLine]) -> BudgetTotals:
    """The sums by source and by use of a 部门整体 budget (total lines ignored), and the total: the
    sum by use when there is one, else by source."""
    parts = [line for line in lines if not any(word in line.label for word in _TOTAL_WORDS)]
    uses = _sum(line.amount for line in parts if any(word in line.label for word in BUDGET_USES))
    sources = _sum(line.amount for line in parts if not any(word in line.label for word in BUDGET_USES))
    return BudgetTotals(sources=sources, uses=uses, total=uses if uses is not None else sources)


# ---------------------------------------------------------------------------------------------------
# Structural edits


def _empty_row(section: str) -> dict[str, str]:
    return dict.fromkeys(SECTIONS[section], "")


def apply_op(rows: Rows, op: str, section: str, index: int) -> Rows:
    """``add`` a row after ``index`` (at the end when ``index`` < 0; an indicator row takes the 一级
    and 二级 of the row it follows), move it ``up``/``down``, or ``delete`` it. Rows are changed in
    place and returned; an index out of range changes nothing."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    items = rows.section(section)
    if op == "add":
        row = _empty_row(section)
        if section == "indicators" and 0 <= index < len(items):
            row["level1"], row["level2"] = items[index].get("level1", ""), items[index].get("level2", "")
        position = index + 1 if 0 <= index < len(items) else len(items)
        items.insert(position, row)
        if section == "goals":
            row["label"] = f"目标{len(items)}"
        elif section == "tasks":
            row["label"] = f"任务{len(items)}"
        return rows
    if not 0 <= index < len(items):
        return rows
    if op == "delete":
        del items[index]
    elif op == "up" and index > 0:
        items[index - 1], items[index] = items[index], items[index - 1]
    elif op == "down" and index < len(items) - 1:
        items[index + 1], items[index] = items[index], items[index + 1]
    elif op not in ("up", "down"):
        raise ValueError(f"unknown operation {op!r}")
    return rows


def insert_indicator(
    rows: Rows, level1: str, level2: str, name: str, target: str = "", unit: str = ""
) -> int:
    """Insert an indicator (a suggestion taken from the library) after the last row of its 二级
    (else of its 一级, else at the end); an empty row of that 二级 is filled instead. Returns its index."""
    items = rows.section("indicators")
    row = _empty_row("indicators") | {
        "level1": level1,
        "level2": level2,
        "name": name,
        "target": target,
        "unit": unit,
    }
    for index, item in enumerate(items):
        if (
            item.get("level1") == level1
            and item.get("level2") == level2
            and not any(_clean(item.get(f)) for f in ("name", "target", "explanation"))
        ):
            items[index] = row
            return index
    same2 = [
        i for i, item in enumerate(items) if item.get("level1") == level1 and item.get("level2") == level2
    ]
    same1 = [i for i, item in enumerate(items) if item.get("level1") == level1]
    position = (same2 or same1 or [len(items) - 1])[-1] + 1
    items.insert(position, row)
    return position


def level1_choices(rows: Rows) -> list[str]:
    """The standard 一级 indicators, then those the form already uses (a province's own tree)."""
    found = [l1 for l1, _ in STANDARD_TREE]
    for item in rows.section("indicators"):
        value = _clean(item.get("level1"))
        if value and value not in found:
            found.append(value)
    return found


def level2_choices(rows: Rows, level1: str) -> list[str]:
    """The 二级 indicators offered under ``level1``: the standard ones, then those the form uses."""
    found = list(next((l2s for l1, l2s in STANDARD_TREE if l1 == _clean(level1)), ()))
    for item in rows.section("indicators"):
        value = _clean(item.get("level2"))
        if _clean(item.get("level1")) == _clean(level1) and value and value not in found:
            found.append(value)
    return found


# ---------------------------------------------------------------------------------------------------
# The draft as a parsed document, and findings back to their rows


def _row_loc(table: int, row: int, col: int | None = None) -> Loc:
    return Loc(
        file=DRAFT_FILE,
        table=table,
        row=row,
        col=col,
        cell=cell_name(row, col) if col is not None else None,
    )


def draft_document(declaration: Declaration) -> ParsedDocument:
    """The draft as a ``ParsedDocument`` for the audit: each goal, task, budget line and indicator
    placed in a table of its section (row = index + 1), each indicator field in its own column.
    ``declaration`` is not changed (its items are copied, shallowly: a keystroke's check is cheap)."""

    def at(section: str, index: int, col: int | None = None) -> Loc:
        return _row_loc(_TABLES[section], index + 1, col)

    update: dict[str, Any] = {
        "loc": at("header", 0),
        "goals": [g.model_copy(update={"loc": at("goals", i)}) for i, g in enumerate(declaration.goals)],
        "indicators": [
            indicator.model_copy(
                update={
                    "loc": at("indicators", i),
                    "cells": {name: at("indicators", i, col) for name, col in _INDICATOR_COLUMNS.items()},
                }
            )
            for i, indicator in enumerate(declaration.indicators)
        ],
    }
    if isinstance(declaration, DeptTargetDeclaration):
        update["tasks"] = [
            t.model_copy(
                update={
                    "loc": at("tasks", i),
                    "cells": {"total": at("tasks", i, 4), "fiscal": at("tasks", i, 5)},
                }
            )
            for i, t in enumerate(declaration.tasks)
        ]
        update["budget"] = [
            b.model_copy(update={"loc": at("budget", i)}) for i, b in enumerate(declaration.budget)
        ]
        update["stage_plan"] = [
            s.model_copy(update={"loc": at("stages", i)}) for i, s in enumerate(declaration.stage_plan)
        ]
    located = declaration.model_copy(update=update)
    return ParsedDocument(file=DRAFT_FILE, format="draft", kind=located.form, forms=[located])


def place_of(loc: Loc) -> tuple[str, int] | None:
    """(section, row index) of a place in ``draft_document``'s draft, e.g. ("indicators", 3)."""
    if loc.file != DRAFT_FILE or loc.table is None or loc.row is None:
        return None
    section = _SECTION_OF_TABLE.get(loc.table)
    if section is None and loc.table == _TABLES["stages"]:
        section = "stages"
    return (section, loc.row - 1) if section else None


# ---------------------------------------------------------------------------------------------------
# What a round trip must keep


def essence(declaration: Declaration) -> dict[str, Any]:
    """What a person typed, without places, parser notes or computed lines: two declarations with
    the same essence are the same form (``parse(render(draft))`` must keep it)."""

    def text(value: object) -> str:
        return re.sub(r"\s+", "", _text(value))

    data: dict[str, Any] = {
        "form": declaration.form,
        "title": text(declaration.title),
        "year": declaration.year,
        "goals": [(text(g.label), text(g.content)) for g in declaration.goals],
        "measures": sorted((text(k), text(v)) for k, v in declaration.measures.items()),
        "indicators": [
            (
                text(i.level1),
                text(i.level2),
                text(i.name),
                text(i.target.raw),
                text(i.explanation),
                text(i.formula),
                text(i.previous),
            )
            for i in declaration.indicators
        ],
    }
    if isinstance(declaration, DeptTargetDeclaration):
        data["tasks"] = [
            (text(t.name), t.total, t.fiscal, text(t.note))
            for t in declaration.tasks
            if not _is_total_task(t)
        ]
        data["budget"] = (
            sorted(
                (text(b.label), _text(b.amount))
                for b in declaration.budget
                if not any(word in b.label for word in _TOTAL_WORDS)
            ),
            next(
                (b.amount for b in declaration.budget if any(word in b.label for word in _TOTAL_WORDS)),
                budget_totals(declaration.budget).total,
            ),
        )
        data["stages"] = [(text(s.period), text(s.content)) for s in declaration.stage_plan]
    else:
        data["project"] = tuple(
            text(getattr(declaration, name))
            for name in (
                "project_name",
                "leader",
                "category",
                "attribute",
                "period",
                "fund_nature",
                "annual_goal",
            )
        )
        data["budget"] = (declaration.budget, declaration.budget_unit)
        data["plans"] = [text(p) for p in declaration.plans]
    return data


def prune(declaration: Declaration) -> Declaration:
    """The declaration as submitted: indicator rows left without a name, a 指标值 and an explanation
    (a skeleton's unused rows) dropped."""
    update: dict[str, Any] = {
        "goals": [g for g in declaration.goals if g.content.strip()],
        "indicators": [
            i
            for i in declaration.indicators
            if i.name.strip() or is_filled(i.target) or (i.explanation or "").strip()
        ],
    }
    if isinstance(declaration, DeptTargetDeclaration):
        update["tasks"] = [
            t for t in declaration.tasks if t.name.strip() or t.total is not None or t.fiscal is not None
        ]
        update["budget"] = [b for b in declaration.budget if b.amount is not None]
        update["stage_plan"] = [s for s in declaration.stage_plan if s.content.strip()]
    return declaration.model_copy(update=update)


def is_filled(target: Target) -> bool:
    """A 指标值 was typed (even one that cannot be measured)."""
    return target.kind is not TargetKind.MISSING or bool(target.raw.strip())
