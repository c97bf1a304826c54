"""Self-evaluation (自评) from an approved target form and the actuals entered after the year.

Enters: a ``DeptTargetDeclaration`` / ``ProjectTargetDeclaration``, per indicator the 实际完成值 as
typed and the 偏差原因, the budget executed, a ``RuleSet``. Leaves: the ``SelfEvaluation`` the render
layer turns into the 自评表 and 自评报告, the ``ScoreSheet`` of ``jixiao.scoring.engine.what_if`` and
the issues (M107: a target missed without a 偏差原因).

分值 (weights): a target form has none, so each ruleset level's points are shared equally among the
form's rows of that level (四舍五入 to the ruleset's places, the last row taking the remainder, so a
level adds up exactly); a row whose 一级指标 the ruleset does not know gets no points (listed, not
scored), as the engine does for any unweighted row. The department may give each row its own 分值
(``read_weights``: exact decimals, M112 not a number, M113 negative); the rows of each ruleset level
must then add up to the level's points (M114), as a real 自评表 does (群众满意度 15, 绩效指标合理性 2…).

>>> from jixiao.scoring.ruleset import load_ruleset
>>> ruleset_for_region("河南省信阳市平桥区", "dept").name
'henan-dept'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao.model.declaration import Goal, ProjectTargetDeclaration
from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.model.money import fits
from jixiao.model.values import parse_actual
from jixiao.monitor.errors import Issue
from jixiao.monitor.progress import TargetForm, form_budget
from jixiao.scoring.engine import what_if
from jixiao.scoring.methods import HUNDRED, rounded
from jixiao.scoring.ruleset import RuleSet, builtin_rulesets, load_ruleset
from jixiao.scoring.sheet import ScoreRow, ScoreSheet

_PROVINCE = re.compile(r"^(.{2,7}?)(?:省|自治区|市)")


def scope_of(form: TargetForm) -> str:
    return "project" if isinstance(form, ProjectTargetDeclaration) else "dept"


def ruleset_for_region(region: str | None, scope: str) -> RuleSet:
    """The shipped ruleset of the province ``region`` names (河南… → ``henan-dept``), else the
    national one for ``scope``."""
    for ruleset in builtin_rulesets():
        match = _PROVINCE.match(ruleset.title)
        if ruleset.scope == scope and match and region and match.group(1) in region:
            return ruleset
    return load_ruleset("national-project" if scope == "project" else "national-dept")


def rulesets_for(scope: str) -> list[RuleSet]:
    """The shipped rulesets a form of ``scope`` may be scored by."""
    return [ruleset for ruleset in builtin_rulesets() if ruleset.scope == scope]


def level_weights(indicators: Sequence[Indicator], ruleset: RuleSet) -> list[Decimal | None]:
    """Each row's 分值: its ruleset level's points shared equally among that level's rows."""
    levels = [ruleset.level_for(indicator.level1) for indicator in indicators]
    weights: list[Decimal | None] = [None] * len(indicators)
    for level in ruleset.levels:
        members = [i for i, found in enumerate(levels) if found is not None and found.name == level.name]
        if not members:
            continue
        share = rounded(level.weight / Decimal(len(members)), ruleset.places)
        for i in members[:-1]:
            weights[i] = share
        weights[members[-1]] = level.weight - share * (len(members) - 1)
    return weights


def plain(value: Decimal) -> str:
    """A weight as a person types it: ``10``, ``7.5`` (no exponent, no trailing zeros)."""
    shown = format(value, "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


@dataclass(frozen=True)
class Weights:
    """The 分值 of a form's rows as read from what the user typed: ``values`` per row (None: the
    ruleset does not score the row's level, or the text is not a usable number), the issues (M112,
    M113 per row; M114 per ruleset level) and whether they differ from the equal shares."""

    values: list[Decimal | None]
    issues: list[Issue]
    custom: bool

    def level_issue(self, name: str) -> Issue | None:
        return next((issue for issue in self.issues if issue.level == name), None)


def read_weight(raw: str, row: int) -> Decimal | Issue:
    """One 分值 as typed (``15``, ``7.5``, ``１５分``): an exact decimal, else M112 / M113."""
    cleaned = unicodedata.normalize("NFKC", raw).strip().replace(" ", "").removesuffix("分")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return Issue("M112", f"“{raw.strip()}”", row)
    if not value.is_finite():
        return Issue("M112", f"“{raw.strip()}”", row)
    if value < 0:
        return Issue("M113", f"“{raw.strip()}”", row)
    if not fits(value):
        return Issue("M115", f"分值“{raw.strip()}”", row)
    return value + 0  # -0 → 0


def read_weights(indicators: Sequence[Indicator], typed: Sequence[str], ruleset: RuleSet) -> Weights:
    """Each row's 分值 from ``typed`` (an empty or missing entry: the equal share of
    ``level_weights``), checked: every ruleset level's rows add up to the level's points (M114,
    unless one of its rows is already M112/M113)."""
    defaults = level_weights(indicators, ruleset)
    values: list[Decimal | None] = []
    found: list[Issue] = []
    bad_rows: set[int] = set()
    for index, default in enumerate(defaults):
        raw = typed[index].strip() if index < len(typed) and typed[index] else ""
        if default is None or not raw:
            values.append(default)
            continue
        value = read_weight(raw, index)
        if isinstance(value, Issue):
            found.append(value)
            bad_rows.add(index)
            values.append(None)
        else:
            values.append(value)
    levels = [ruleset.level_for(indicator.level1) for indicator in indicators]
    for level in ruleset.levels:
        members = [
            i
            for i, found_level in enumerate(levels)
            if found_level is not None and found_level.name == level.name
        ]
        if not members or bad_rows & set(members):
            continue
        total = sum((values[i] or Decimal(0) for i in members), Decimal(0))
        if total != level.weight:
            detail = f"{level.name}：三级指标分值合计 {plain(total)}，评分规则为 {plain(level.weight)}"
            found.append(Issue("M114", detail, None, level.name))
    custom = any(value != default for value, default in zip(values, defaults, strict=True))
    return Weights(values, found, custom)


def default_weight_texts(indicators: Sequence[Indicator], ruleset: RuleSet) -> list[str]:
    """The equal shares as the 分值 inputs are prefilled (empty for a row that is not scored)."""
    return [plain(w) if w is not None else "" for w in level_weights(indicators, ruleset)]


def unscored_levels(indicators: Sequence[Indicator], ruleset: RuleSet) -> list[str]:
    """The 一级指标 of the form the ruleset has no points for (their rows count nothing)."""
    names: list[str] = []
    for indicator in indicators:
        name = indicator.level1 or "（未归类）"
        if ruleset.level_for(indicator.level1) is None and name not in names:
            names.append(name)
    return names


def _text(values: Sequence[str], index: int) -> str | None:
    value = values[index].strip() if index < len(values) and values[index] else ""
    return value or None


def budget_rate(form: TargetForm, executed: Decimal | None) -> Decimal | None:
    budget, _unit = form_budget(form)
    if executed is None or not budget:
        return None
    return executed / budget * HUNDRED


def score(
    form: TargetForm,
    actuals: Sequence[str],
    executed: Decimal | None,
    ruleset: RuleSet,
    weights: Sequence[Decimal | None] | None = None,
) -> tuple[list[Indicator], ScoreSheet]:
    """The form's rows with their 分值 (``weights``, else the equal shares) and 实际完成值, and the
    scores ``what_if`` gives them."""
    weights = list(weights) if weights is not None else level_weights(form.indicators, ruleset)
    rows = [
        indicator.model_copy(update={"weight": weights[i], "actual_raw": _text(actuals, i), "score": None})
        for i, indicator in enumerate(form.indicators)
    ]
    return rows, what_if(rows, {}, ruleset, budget_rate=budget_rate(form, executed))


def indicator_rows(sheet: ScoreSheet, count: int) -> list[ScoreRow]:
    """The sheet's rows for the form's indicators (after the budget row), in the form's order."""
    return sheet.rows[len(sheet.rows) - count :]


def missed(row: ScoreRow) -> bool:
    """A scored row below its 分值: the target was not met (or no actual was given)."""
    return row.weight is not None and row.computed_score is not None and row.computed_score < row.weight


def issues(form: TargetForm, sheet: ScoreSheet, reasons: Sequence[str]) -> list[Issue]:
    """M107 for every missed target without a 偏差原因."""
    found = []
    for index, row in enumerate(indicator_rows(sheet, len(form.indicators))):
        if missed(row) and not _text(reasons, index):
            found.append(Issue("M107", form.indicators[index].name, index))
    return found


def build_self_evaluation(
    form: TargetForm,
    actuals: Sequence[str],
    reasons: Sequence[str],
    executed: Decimal | None,
    ruleset: RuleSet,
    weights: Sequence[Decimal | None] | None = None,
) -> tuple[SelfEvaluation, ScoreSheet]:
    """The 自评 of ``form``: its rows with 分值 (``weights``, else the equal shares), 实际完成值, 得分
    and 偏差原因, the budget execution, the computed total and grade as the department's own; and
    the score sheet."""
    rows, sheet = score(form, actuals, executed, ruleset, weights)
    custom = weights is not None and list(weights) != level_weights(form.indicators, ruleset)
    scored = indicator_rows(sheet, len(rows))
    indicators = [
        row.model_copy(
            update={
                "actual": parse_actual(row.actual_raw, row.target) if row.actual_raw else None,
                "score": scored[i].computed_score if row.weight is not None else None,
                "deviation_reason": _text(reasons, i),
            }
        )
        for i, row in enumerate(rows)
    ]
    budget, unit = form_budget(form)
    weight = ruleset.budget_execution.weight if ruleset.budget_execution is not None else None
    budget_row = sheet.rows[0] if ruleset.budget_execution is not None and sheet.rows else None
    rate = budget_rate(form, executed)
    line = FundLine(
        label="年度资金总额" if isinstance(form, ProjectTargetDeclaration) else "部门预算总额",
        initial=budget,
        adjusted=budget,
        executed=executed,
        weight=weight,
        rate=rounded(rate, 2) if rate is not None else None,
        rate_raw=f"{rounded(rate, 2)}%" if rate is not None else None,
        score=budget_row.computed_score if budget_row is not None else None,
        unit=unit,
    )
    goals = list(form.goals)
    if isinstance(form, ProjectTargetDeclaration):
        project, subject, project_name = True, form.project_name or "", form.project_name
        if not goals and form.annual_goal:
            goals = [Goal(content=form.annual_goal)]
    else:
        project, subject, project_name = False, form.department or "", None
        if not goals and form.overall_goal:
            goals = [Goal(content=form.overall_goal)]
    year = f"{form.year}年度" if form.year else ""
    evaluation = SelfEvaluation(
        scope="project" if project else "dept",
        title=f"{subject}{year}{'项目支出' if project else '部门整体支出'}绩效自评表",
        department=form.department,
        project_name=project_name,
        year=form.year,
        budget_execution=[line],
        goals=[goal.model_copy(update={"loc": None}) for goal in goals],
        tasks=[task.model_copy(update={"loc": None, "cells": {}}) for task in getattr(form, "tasks", [])],
        indicators=[indicator.model_copy(update={"loc": None, "cells": {}}) for indicator in indicators],
        total_reported=sheet.total_computed,
        grade_reported=sheet.grade_computed,
        scoring_notes=f"按《{ruleset.title}》计分；"
        + ("三级指标分值由部门填报。" if custom else "分值按一级指标分值在其三级指标间平均分配。"),
    )
    return evaluation, sheet


@dataclass(frozen=True)
class Imported:
    """What an edited 自评表 gives for a form's rows (texts as a user would type them; empty where
    the table has nothing for the row) and the budget executed."""

    actuals: list[str]
    reasons: list[str]
    executed: Decimal | None
    weights: list[str]


def actuals_from(form: TargetForm, evaluation: SelfEvaluation) -> Imported:
    """What an edited 自评表 (read back by ``jixiao.ingest``) gives for ``form``'s rows: the
    实际完成值, 偏差原因 and 分值 of the row with the same 三级指标 name (in order, for repeated
    names; by place when the table has as many rows as the form and no name matches), and the budget
    executed (round trip of the xlsx the department downloaded)."""
    rows = list(evaluation.indicators or evaluation.report_indicators)
    pool = list(rows)
    same_shape = len(rows) == len(form.indicators)
    actuals: list[str] = []
    reasons: list[str] = []
    weights: list[str] = []
    for index, indicator in enumerate(form.indicators):
        match = next((row for row in pool if row.name == indicator.name), None)
        if match is None and same_shape and rows[index] in pool:
            match = rows[index]  # the reader took another cell for the name (a shifted row): by place
        if match is not None:
            pool.remove(match)
        actuals.append((match.actual_raw or "") if match is not None else "")
        reasons.append((match.deviation_reason or "") if match is not None else "")
        weights.append(plain(match.weight) if match is not None and match.weight is not None else "")
    executed = next(
        (line.executed for line in evaluation.budget_execution if line.executed is not None), None
    )
    return Imported(actuals, reasons, executed, weights)
