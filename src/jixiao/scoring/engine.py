"""Score a self-evaluation by a ruleset, and say where its own scores depart from the rule.

Enters: a ``SelfEvaluation`` (or indicator rows and actuals, for a what-if) and a ``RuleSet``.
Leaves: a ``ScoreSheet``. Departures are findings S112–S115 (declared in ``jixiao.checks.scoring``
too, so ``jixiao check`` reports them with the ruleset the form's own notes name).

>>> from jixiao.scoring.ruleset import load_ruleset
>>> sheet = what_if([], {}, load_ruleset("national-project"), budget_rate=Decimal(95))
>>> sheet.total_computed, sheet.grade_computed
(Decimal('9.50'), '差')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.target import Target, TargetKind
from jixiao.model.values import parse_actual
from jixiao.scoring import methods
from jixiao.scoring.methods import Scored, rounded, text
from jixiao.scoring.ruleset import Level, RuleSet, builtin_rulesets, load_ruleset
from jixiao.scoring.sheet import LevelResult, ScoreRow, ScoreSheet

#: The departures a score sheet reports; ``jixiao.checks.scoring`` registers the same codes.
CODES: dict[str, tuple[Severity, str]] = {
    "S112": (Severity.ERROR, "得分与评分规则不符"),
    "S113": (Severity.WARNING, "缺少实际完成值，按评分规则记 0 分"),
    "S114": (Severity.WARNING, "一级指标分值与评分规则规定不同"),
    "S115": (Severity.WARNING, "按评分规则重算的总分或等级与自评结果不同"),
}

_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」]")
_BUDGET_LABELS = ("总额", "合计", "年度资金", "部门预算")


def _key(name: str) -> str:
    return _NAME_NOISE.sub("", name)


def _finding(code: str, message: str, locations: Iterable[Loc | None], expected: str, actual: str) -> Finding:
    """A finding built from values already of their types (no validation: a table may have dozens)."""
    severity, _ = CODES[code]
    return _built(
        Finding,
        {
            "code": code,
            "severity": severity,
            "message": message,
            "locations": tuple(loc for loc in locations if loc is not None),
            "expected": expected,
            "actual": actual,
            "suggestion": None,
        },
    )


# ------------------------------------------------------------------------------------ ruleset


def detect_ruleset(form: SelfEvaluation) -> tuple[RuleSet, bool]:
    """The ruleset the form's own scoring notes describe, else the national one for its scope.

    The second value says whether the notes named it (only then are level weights held to it)."""
    notes = _key(form.scoring_notes or "")
    for ruleset in builtin_rulesets():
        if ruleset.detect and ruleset.scope == form.scope and all(_key(p) in notes for p in ruleset.detect):
            return ruleset, True
    return load_ruleset("national-project" if form.scope == "project" else "national-dept"), False


@methods.identity_cache
def _deduction_for(ruleset: RuleSet, name: str) -> Decimal | None:
    key = _key(name)
    for rule in ruleset.deductions:
        if any(_key(indicator) in key for indicator in rule.indicators):
            return rule.per_point
    return None


@methods.identity_cache
def _tier_words(ruleset: RuleSet) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((tier.name, tier.words) for tier in ruleset.tiers)


@methods.identity_cache
def _level_of(ruleset: RuleSet, name: str | None) -> Level | None:
    """``ruleset.level_for(name)``, decided once per ruleset and name (forms repeat 一级指标 names)."""
    return ruleset.level_for(name)


# ----------------------------------------------------------------------------------------- rows


def _path(indicator: Indicator) -> str:
    return "/".join(part for part in (indicator.level1, indicator.level2, indicator.name) if part)


def _qualitative(
    ruleset: RuleSet,
    weight: Decimal,
    target_text: str,
    actual_text: str,
    choice: Decimal | None,
    reported: Decimal | None = None,
) -> Scored:
    tier_name = methods.tier_of(actual_text, target_text, _tier_words(ruleset))
    tier = next(t for t in ruleset.tiers if t.name == tier_name)
    share = tier.default
    chosen = False
    if choice is not None and weight > 0:
        wanted = choice / weight * methods.HUNDRED
        if tier.low <= wanted <= tier.high:
            share, chosen = wanted, True
    return methods.qualitative(
        weight,
        target_text,
        actual_text,
        tier.name,
        tier.low,
        tier.high,
        share,
        ruleset.places,
        chosen,
        reported,
    )


def score_indicator(indicator: Indicator, ruleset: RuleSet, choice: Decimal | None = None) -> Scored:
    """The points one row earns under ``ruleset`` (``choice``: a reviewer's points within a tier)."""
    weight = indicator.weight
    if weight is None:
        return Scored(None, "unweighted", "没有分值，不计分")
    actual_text = (indicator.actual_raw or "").strip()
    if not actual_text:
        return Scored(Decimal(0), "missing", "缺少实际完成值，按规则记 0 分", met=False)
    target, actual = indicator.target, indicator.actual
    per_point = _deduction_for(ruleset, indicator.name)
    if per_point is not None:
        scored = methods.deduction(weight, target, actual, per_point, ruleset.places)
        if scored.points is not None:
            return scored
    if target.kind in (TargetKind.QUANTITY, TargetKind.RATIO) and (
        target.value is not None or target.low is not None
    ):
        direction = methods.direction(target, indicator.name)
        scored = methods.quantitative(weight, target, actual, direction, ruleset.places)
        if scored.points is not None:
            return scored
        if actual is not None and actual.kind is not TargetKind.QUALITATIVE:
            return scored
    elif target.kind is TargetKind.DEADLINE:
        timed = methods.deadline(weight, target, actual, ruleset.places)
        if timed is not None:
            return timed
    # a grade's words as parsed (健全); a number or a deadline as printed (12月底之前, not its date label)
    target_text = (target.label if target.kind is TargetKind.QUALITATIVE else None) or target.raw
    return _qualitative(ruleset, weight, target_text, actual_text, choice, indicator.score)


def budget_line(form: SelfEvaluation) -> FundLine | None:
    """The 预算执行情况 line the budget execution is scored on: the one with a 分值 or 得分, else the
    部门预算总额-like line, else the first."""
    lines = form.budget_execution
    for line in lines:
        if line.weight is not None or line.score is not None:
            return line
    for line in lines:
        if any(word in line.label for word in _BUDGET_LABELS):
            return line
    return lines[0] if lines else None


def execution_rate(line: FundLine) -> Decimal | None:
    if line.executed is not None and line.adjusted:
        return line.executed / line.adjusted * methods.HUNDRED
    return line.rate


# ---------------------------------------------------------------------------------------- sheet


Model = TypeVar("Model", bound=BaseModel)

#: Per model, the set of all its fields, shared as the ``model_fields_set`` of the instances
#: ``_built`` makes: every field is set, and pydantic only ever adds to it a field it holds already.
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}
#: The four slots of a pydantic instance, set through their descriptors (half the cost of going
#: through ``object.__setattr__``, which looks each one up again).
_SET_DICT = vars(BaseModel)["__dict__"].__set__
_SET_FIELDS_SET = vars(BaseModel)["__pydantic_fields_set__"].__set__
_SET_EXTRA = vars(BaseModel)["__pydantic_extra__"].__set__
_SET_PRIVATE = vars(BaseModel)["__pydantic_private__"].__set__


def _built(model: type[Model], values: dict[str, Any]) -> Model:
    """``model.model_construct(**values)`` when ``values`` gives every field (already of its type),
    without its per-field alias and default lookups, which cost five times the rest of a score row."""
    fields = _ALL_FIELDS.get(model)
    if fields is None:
        fields = _ALL_FIELDS[model] = set(model.__pydantic_fields__)
    if len(values) != len(fields):
        return model.model_construct(**values)  # a field not given: let pydantic fill its default
    built = object.__new__(model)
    _SET_DICT(built, values)
    _SET_FIELDS_SET(built, fields)
    _SET_EXTRA(built, None)
    _SET_PRIVATE(built, None)
    return built


def _place(indicator: Indicator, fields: Mapping[str, Any]) -> tuple[str, list[Loc]]:
    """Where a row is: its 一级/二级/三级 path, and its score cell then the row itself. ``fields`` is
    the indicator's ``__dict__``: reading a pydantic model's fields from it costs a third as much."""
    level1, level2, name = fields["level1"], fields["level2"], fields["name"]
    score_cell, row_loc = fields["cells"].get("score"), fields["loc"]
    if score_cell is not None and row_loc is not None:
        locations = [score_cell, row_loc]
    else:
        locations = [loc for loc in (score_cell, row_loc) if loc is not None]
    return (f"{level1}/{level2}/{name}" if level1 and level2 and name else _path(indicator)), locations


def _row(indicator: Indicator, level: str, scored: Scored) -> ScoreRow:
    allowed = scored.allowed
    path, locations = _place(indicator, indicator.__dict__)
    return _built(
        ScoreRow,
        {
            "indicator": path,
            "level": level,
            "weight": indicator.weight,
            "target": indicator.target.raw,
            "actual": indicator.actual_raw,
            "reported_score": indicator.score,
            "computed_score": scored.points,
            "method": scored.method,
            "tier": scored.tier,
            "allowed_low": allowed[0] if allowed else None,
            "allowed_high": allowed[1] if allowed else None,
            "explanation": scored.explanation,
            "departs": False,
            "locations": locations,
        },
    )


def _departs(row: ScoreRow, tolerance: Decimal) -> bool:
    reported, computed = row.reported_score, row.computed_score
    if reported is None or computed is None:
        return False
    if row.allowed_low is not None and row.allowed_high is not None:
        return not row.allowed_low - tolerance <= reported <= row.allowed_high + tolerance
    return abs(reported - computed) > tolerance


def _row_finding(row: ScoreRow, where: str) -> Finding:
    reported = text(row.reported_score) if row.reported_score is not None else "（空）"
    computed = text(row.computed_score) if row.computed_score is not None else "（空）"
    if row.allowed_low is not None and row.allowed_high is not None:
        expected = f"{text(row.allowed_low)}–{text(row.allowed_high)}"
        message = (
            f"{where}指标“{row.indicator}”自评得分 {reported}，按评分规则：{row.explanation}；"
            f"得分应在 {expected} 之间"
        )
    else:
        expected = computed
        message = (
            f"{where}指标“{row.indicator}”自评得分 {reported}，按评分规则应得 {computed}：{row.explanation}"
        )
    return _finding("S112", message, row.locations[:1], expected, reported)


def score_rows(
    indicators: Sequence[Indicator],
    ruleset: RuleSet,
    choices: Mapping[str, Decimal] | None = None,
) -> list[ScoreRow]:
    """Every row scored (rows without a weight are listed, not scored)."""
    return _tally(indicators, ruleset, choices)[0]


#: Per level (as the rows name it): its weights, reported and computed scores added up, None where
#: no row of the level has one (the computed sum starts at zero).
_Sums = dict[str, list[Decimal | None]]


def _tally(
    indicators: Sequence[Indicator],
    ruleset: RuleSet,
    choices: Mapping[str, Decimal] | None = None,
) -> tuple[list[ScoreRow], _Sums]:
    """``score_rows``, with the level sums added up in the same pass.

    A row's score, working and departure depend on nothing but its own values, so a row that repeats
    one scored before (tables repeat ``100%`` against ``100%`` and 健全 against 健全, weight 2, score 2,
    row after row and form after form) is copied from it, with its own path, level and cells."""
    rows: list[ScoreRow] = []
    sums: _Sums = {}
    tolerance = ruleset.tolerance
    ruleset_id = id(ruleset)
    all_fields = _ALL_FIELDS.setdefault(ScoreRow, set(ScoreRow.__pydantic_fields__))
    level_names: dict[str | None, str] = {}  # a form's 一级指标 as printed → the ruleset's level
    for indicator in indicators:
        fields = indicator.__dict__  # its fields, read as a dict (a third of the cost of attributes)
        level1 = fields["level1"]
        level_name = level_names.get(level1)
        if level_name is None:
            level = _level_of(ruleset, level1)
            level_name = level_names[level1] = level.name if level is not None else (level1 or "（未归类）")
        name, target, actual = fields["name"], fields["target"], fields["actual"]
        weight, score = fields["weight"], fields["score"]
        choice = choices.get(name) if choices else None
        key = (ruleset_id, id(target), id(actual), name, fields["actual_raw"], weight, score, choice)
        known = _ROWS.get(key)
        if known is None:
            row = _row(indicator, level_name, score_indicator(indicator, ruleset, choice))
            if _departs(row, tolerance):
                row.departs = True  # rows are built agreeing; only the few that depart pay for this
            if len(_ROWS) >= _ROWS_SIZE:
                _ROWS.clear()
            _ROWS[key] = (ruleset, target, actual, row.__dict__.copy())
        else:
            template = known[3]
            values = template.copy()
            values["indicator"], values["locations"] = _place(indicator, fields)
            values["level"] = level_name
            # the row's own weight and score: 2 and 2.0 share a key (nothing else in the row depends
            # on how they are printed: computed scores are rounded, explanations normalised), but a
            # row shows its own, and a full score is the weight itself
            if template["computed_score"] is template["weight"]:
                values["computed_score"] = weight
            values["weight"], values["reported_score"] = weight, score
            # ``_built(ScoreRow, values)`` without its checks: a template holds every field
            row = object.__new__(ScoreRow)
            _SET_DICT(row, values)
            _SET_FIELDS_SET(row, all_fields)
            _SET_EXTRA(row, None)
            _SET_PRIVATE(row, None)
        rows.append(row)
        values = row.__dict__
        level_sums = sums.get(level_name)
        if level_sums is None:
            level_sums = sums[level_name] = [None, None, Decimal(0)]
        if weight is not None:  # added from zero as ``sum`` does (0 + 1E+1 prints as 10)
            level_sums[0] = (Decimal(0) if level_sums[0] is None else level_sums[0]) + weight
        if score is not None:
            level_sums[1] = (Decimal(0) if level_sums[1] is None else level_sums[1]) + score
        computed = values["computed_score"]
        if computed is not None:
            level_sums[2] += computed  # starts at zero, never None
    return rows, sums


#: Rows already scored (``score_rows``), by all that decides their values but their place: the
#: ruleset and the parsed target and actual by identity (the parser hands one ``Target`` to every
#: cell that reads the same), then the row's name, words, weight, score and a reviewer's choice
#: (by value).
#: An entry holds the objects whose ids key it, so no id is reused while it lives.
_ROWS: dict[tuple[object, ...], tuple[RuleSet, Target, Target | None, dict[str, Any]]] = {}
_ROWS_SIZE = 16384  # about 1.2 KB an entry: at most some 20 MB


def _levels(sums: _Sums, ruleset: RuleSet) -> list[LevelResult]:
    results = []
    names = [level.name for level in ruleset.levels] + [n for n in sums if _level_of(ruleset, n) is None]
    for name in names:
        weight_document, reported_sum, computed_sum = sums.get(name) or (None, None, Decimal(0))
        rule = _level_of(ruleset, name)
        results.append(
            _built(
                LevelResult,
                {
                    "name": name,
                    "weight_rule": rule.weight if rule is not None else None,
                    "weight_document": weight_document,
                    "reported": reported_sum,
                    "computed": computed_sum,
                },
            )
        )
    return results


def _budget(
    form: SelfEvaluation | None, rate: Decimal | None, ruleset: RuleSet
) -> tuple[ScoreRow | None, Decimal]:
    if ruleset.budget_execution is None:
        return None, Decimal(0)
    weight = ruleset.budget_execution.weight
    line = budget_line(form) if form is not None else None
    if rate is None and line is not None:
        rate = execution_rate(line)
    if rate is None:
        scored = Scored(Decimal(0), "missing", "没有预算执行数据，按规则记 0 分", met=False)
    else:
        scored = methods.budget_execution(weight, rate, ruleset.places)
    row = _built(
        ScoreRow,
        {
            "indicator": ruleset.budget_execution.label,
            "level": ruleset.budget_execution.label,
            "weight": weight,
            "target": "100%",
            "actual": f"{text(rounded(rate, 2))}%" if rate is not None else None,
            "reported_score": line.score if line is not None else None,
            "computed_score": scored.points,
            "method": scored.method,
            "tier": None,
            "allowed_low": None,
            "allowed_high": None,
            "explanation": scored.explanation,
            "departs": False,
            "locations": [
                loc for loc in ((line.cells.get("score") or line.loc) if line else None,) if loc is not None
            ],
        },
    )
    row.departs = _departs(row, ruleset.tolerance)
    return row, scored.points or Decimal(0)


def _assemble(
    ruleset: RuleSet,
    detected: bool,
    rows: list[ScoreRow],
    sums: _Sums,
    budget: ScoreRow | None,
    total_reported: Decimal | None,
    grade_reported: str | None,
) -> ScoreSheet:
    all_rows = ([budget] if budget is not None else []) + rows
    total = sum((r.computed_score for r in all_rows if r.computed_score is not None), Decimal(0))
    levels = _levels(sums, ruleset)
    if budget is not None:
        levels.insert(
            0,
            _built(
                LevelResult,
                {
                    "name": budget.level,
                    "weight_rule": budget.weight,
                    "weight_document": budget.weight,
                    "reported": budget.reported_score,
                    "computed": budget.computed_score or Decimal(0),
                },
            ),
        )
    return _built(
        ScoreSheet,
        {
            "schema_version": 1,
            "ruleset": ruleset.name,
            "ruleset_title": ruleset.title,
            "ruleset_detected": detected,
            "file": None,
            "form": None,
            "rows": all_rows,
            "levels": levels,
            "total_reported": total_reported,
            "total_computed": total,
            "grade_reported": grade_reported,
            "grade_computed": ruleset.grade(total),
            "findings": [],
        },
    )


def score_evaluation(
    form: SelfEvaluation,
    ruleset: RuleSet | None = None,
    choices: Mapping[str, Decimal] | None = None,
) -> ScoreSheet:
    """Score the 自评表's rows (or the report's table when the form has no other) by ``ruleset``
    (default: the one its notes describe, see ``detect_ruleset``), with the departures as findings."""
    detected = False
    if ruleset is None:
        ruleset, detected = detect_ruleset(form)
    indicators = form.indicators or form.report_indicators
    rows, sums = _tally(indicators, ruleset, choices)
    budget, _ = _budget(form, None, ruleset)
    sheet = _assemble(ruleset, detected, rows, sums, budget, form.total_reported, form.grade_reported)
    sheet.form = form.project_name if form.scope == "project" else form.department
    sheet.file = form.loc.file if form.loc is not None else None
    sheet.findings = departures(form, sheet, ruleset, detected)
    return sheet


def what_if(
    indicators: Sequence[Indicator],
    actuals: Mapping[str, str],
    ruleset: RuleSet,
    budget_rate: Decimal | None = None,
    choices: Mapping[str, Decimal] | None = None,
) -> ScoreSheet:
    """Scores and grade for actuals entered before any score exists (the web app's 试算).

    ``actuals`` maps an indicator's name (三级指标) to its 实际完成值 as typed; ``budget_rate`` is the
    budget execution rate in percent; ``choices`` a reviewer's points for qualitative rows.
    """
    filled = []
    for indicator in indicators:
        raw = actuals.get(indicator.name, indicator.actual_raw)
        actual = parse_actual(raw, indicator.target) if raw else None
        filled.append(indicator.model_copy(update={"actual_raw": raw, "actual": actual, "score": None}))
    rows, sums = _tally(filled, ruleset, choices)
    budget, _ = _budget(None, budget_rate, ruleset)
    return _assemble(ruleset, False, rows, sums, budget, None, None)


# ----------------------------------------------------------------------------------- departures


def _names(rows: Sequence[ScoreRow]) -> str:
    names = "、".join(f"“{row.indicator.split('/')[-1]}”" for row in rows[:6])
    return names + (f"等 {len(rows)} 项" if len(rows) > 6 else "")


def _differences(rows: Sequence[ScoreRow]) -> str:
    """Which rows make the totals differ: those breaking the rule, and qualitative rows where a
    reviewer chose other points within the tier."""
    broken = [row for row in rows if row.departs or (row.method == "missing" and row.reported_score)]
    within = [
        row
        for row in rows
        if not row.departs
        and row.reported_score is not None
        and row.computed_score is not None
        and row.reported_score != row.computed_score
    ]
    parts = []
    if broken:
        parts.append(f"不符合规则的{_names(broken)}")
    if within:
        parts.append(f"审核人在档内另行选定得分的{_names(within)}")
    return "，差异来自" + "，以及".join(parts) if parts else ""


def departures(
    form: SelfEvaluation, sheet: ScoreSheet, ruleset: RuleSet, held_to_levels: bool
) -> list[Finding]:
    """S112 rows scored against the rule, S113 missing actuals, S114 level weights other than the
    rule's (only when the form's notes name the rule or the user chose it), S115 total or grade."""
    where = "《绩效自评表》"
    found: list[Finding] = []
    for row in sheet.rows:
        if row.method == "missing" and row.level != (
            ruleset.budget_execution.label if ruleset.budget_execution else ""
        ):
            found.append(
                _finding(
                    "S113",
                    f"{where}指标“{row.indicator}”没有实际完成值，按评分规则记 0 分"
                    + (f"（自评得分 {text(row.reported_score)}）" if row.reported_score is not None else ""),
                    row.locations[:1],
                    "实际完成值",
                    "（空）",
                )
            )
        elif row.departs:
            found.append(_row_finding(row, where))
    if held_to_levels:
        for level in sheet.levels:
            if level.weight_rule is None or level.weight_document is None:
                continue
            if abs(level.weight_rule - level.weight_document) > ruleset.tolerance:
                found.append(
                    _finding(
                        "S114",
                        f"{where}一级指标“{level.name}”各三级指标分值合计 {text(level.weight_document)}，"
                        f"评分规则（{ruleset.title}）规定为 {text(level.weight_rule)}",
                        [form.loc],
                        text(level.weight_rule),
                        text(level.weight_document),
                    )
                )
    total, grade = sheet.total_reported, sheet.grade_reported
    total_differs = total is not None and abs(total - sheet.total_computed) > ruleset.tolerance
    grade_differs = (
        grade is not None and sheet.grade_computed is not None and grade.strip() != sheet.grade_computed
    )
    if total_differs or grade_differs:
        because = _differences(sheet.rows)
        found.append(
            _finding(
                "S115",
                f"按评分规则（{ruleset.title}）重算总分 {text(sheet.total_computed)}、等级“{sheet.grade_computed}”，"
                f"自评为 {text(total) if total is not None else '（空）'}、“{grade or '（空）'}”{because}",
                [form.cells.get("total_reported") or form.loc],
                f"{text(sheet.total_computed)} / {sheet.grade_computed}",
                f"{text(total) if total is not None else '（空）'} / {grade or '（空）'}",
            )
        )
    return found
