"""Scoring rules (S1xx): the scores of a self-evaluation checked against themselves and against its ruleset.

Enters: a ``SelfEvaluation`` (department-wide or project): its scored rows (``indicators``, and the
report's own table ``report_indicators``), the 预算执行 block, the level summary (表3-1), the total,
the grade and the form's own scoring notes. Leaves: ``Problem``s (the engine adds code and severity)
or ``NotApplicable`` where a precondition is missing.

Only what holds under every ruleset is checked here: a score above its weight or below zero, weights
that do not add up to the level or to the whole, level and total scores against their parts, the
grade against the national bands (财预〔2020〕10号: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60, unless the
form's own notes state other bands), a full score on a row whose actual visibly misses its target, a
miss without 偏差原因, and 预算执行 scored as weight × min(执行率, 1). S112–S115 re-score every row by
the ruleset the form's own notes describe (``jixiao.scoring``; the national one when they do not).

The helpers without a leading underscore are shared with ``jixiao.checks.evaluation``.

>>> from jixiao.model.values import parse_actual, parse_target
>>> target = parse_target("≥95%")
>>> row = Indicator(name="培训合格率", target=target, actual=parse_actual("90%", target))
>>> clear_miss(row)
True
>>> band_of(Decimal("89.5"), NATIONAL_BANDS)
'良'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from jixiao.checks.context import Context, amount_text, decimals
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.model.evaluation import FundLine, LevelScore, SelfEvaluation
from jixiao.model.findings import Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.money import normalise_digits
from jixiao.model.target import Comparator, Target, TargetKind
from jixiao.model.values import target_direction
from jixiao.scoring import CODES as SCORING_CODES
from jixiao.scoring import ScoreSheet, score_evaluation
from jixiao.scoring.engine import budget_line

# ---------------------------------------------------------------------------------------------------
# Shared helpers: names, tables, points


_NAME_NOISE = re.compile(r"[\s“”‘’\"'「」『』《》()（）【】\[\]:：,，、.。;；]")
_TOTAL_NAMES = frozenset({"合计", "总分", "总计", "总得分", "自评总分", "得分合计", "综合得分", "总体得分"})


@lru_cache(maxsize=8192)
def name_key(text: str | None) -> str:
    """A name as compared across tables: no spaces, quotes, brackets or punctuation, ASCII digits."""
    return _NAME_NOISE.sub("", normalise_digits(text or ""))


def level_stem(text: str | None) -> str:
    """产出指标 → 产出: a 一级指标's name without its 指标 suffix, as summary tables may drop it."""
    key = name_key(text)
    return key[:-2] if key.endswith("指标") and len(key) > 2 else key


def is_total_level(name: str | None) -> bool:
    return name_key(name) in _TOTAL_NAMES


def is_budget_level(name: str | None) -> bool:
    """预算执行 / 预算执行情况 / 预算执行率: the level scored from the 预算执行 block."""
    return level_stem(name).startswith("预算执行")


def budget_level(form: SelfEvaluation) -> LevelScore | None:
    return next((level for level in form.level_scores if is_budget_level(level.name)), None)


def total_level(form: SelfEvaluation) -> LevelScore | None:
    return next((level for level in form.level_scores if is_total_level(level.name)), None)


def points(value: Decimal) -> str:
    """A number of points or a percentage for a message: ``Decimal('10.00')`` → ``10``."""
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


def half_step(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: how far a printed value may be from what it rounds."""
    return Decimal(5) * Decimal(10) ** -(decimals(value) + 1)


def shown_as(exact: Decimal, printed: Decimal, parts: Iterable[Decimal] = ()) -> bool:
    """Is ``printed`` what ``exact`` looks like at the printed precision (parts may be rounded too)?"""
    allowance = half_step(printed) + sum((half_step(p) for p in parts if decimals(p) > 0), Decimal(0))
    return abs(exact - printed) <= allowance


def form_name(form: SelfEvaluation) -> str:
    if form.scope == "project":
        project = f"“{form.project_name}”" if form.project_name else ""
        return f"项目{project}支出绩效自评表"
    return "部门整体绩效自评表"


_SPACES = re.compile(r"\s+")


def table_name(ctx: Context | None, loc: Loc | None, default: str) -> str:
    """The table's printed caption (表 3-2 各项指标得分情况表) where the source has one, else ``default``."""
    if ctx is None or ctx.source is None or loc is None or loc.table is None:
        return f"《{default}》"
    source = ctx.source
    captions: dict[int, str] = ctx.memo(
        ("scoring:captions",), lambda: {t.index: t.caption or "" for t in source.tables}
    )
    caption = _SPACES.sub("", captions.get(loc.table, ""))
    if caption and "表" in caption and len(caption) <= 40:
        return f"《{caption}》"
    return f"《{default}》"


def rows_name(ctx: Context | None, form: SelfEvaluation, rows: Sequence[Indicator]) -> str:
    """The name of the table ``rows`` come from: the 自评表 or the report's own table."""
    loc = rows[0].loc if rows else None
    if rows and rows is form.report_indicators:
        return table_name(ctx, loc, "自评报告指标得分表")
    return table_name(ctx, loc, form_name(form))


def levels_name(ctx: Context | None, form: SelfEvaluation) -> str:
    loc = form.level_scores[0].loc if form.level_scores else None
    return table_name(ctx, loc, "得分汇总表")


def cell(item: Indicator | FundLine | LevelScore, key: str) -> Loc | None:
    """The cell a field was read from, else the row."""
    return item.cells.get(key) or item.loc


def row_sets(form: SelfEvaluation) -> list[list[Indicator]]:
    """The scored tables of a form: the 自评表's rows, then the report's own table, where present."""
    return [rows for rows in (form.indicators, form.report_indicators) if rows]


# ---------------------------------------------------------------------------------------------------
# Shared helpers: a target visibly missed


def _effective_bound(indicator: Indicator) -> Comparator | None:
    """The comparator the target sets (≥ > ≤ <), reading ``100%`` on a forward indicator as ≥ 100 %
    and an exact value on a reverse one (投诉率 0%) as ≤; None when the target sets no clear bound."""
    target = indicator.target
    if target.op in (Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT):
        return target.op
    if target.op is Comparator.EQ:
        direction = target_direction(indicator.name, target)
        if direction == "reverse":
            return Comparator.LE
        if direction == "forward" and target.kind is TargetKind.RATIO and target.value == Decimal(100):
            return Comparator.GE
    return None


def _comparable(target: Target, actual: Target | None) -> bool:
    """One number each, of the same kind and the same unit (a count or a percentage)."""
    if actual is None or target.parts or actual.parts:
        return False
    if target.kind not in (TargetKind.QUANTITY, TargetKind.RATIO) or actual.kind is not target.kind:
        return False
    if target.value is None or actual.value is None or not target.unit:
        return False
    return target.unit == actual.unit and actual.op in (None, Comparator.EQ)


def clear_miss(indicator: Indicator) -> bool:
    """Does the 实际完成值 visibly miss the 指标值? Only plain numbers in the same unit are judged."""
    target, actual = indicator.target, indicator.actual
    if actual is None or not _comparable(target, actual):
        return False
    bound = _effective_bound(indicator)
    goal, done = target.value, actual.value
    if bound is None or goal is None or done is None:
        return False
    if bound is Comparator.GE:
        return done < goal
    if bound is Comparator.GT:
        return done <= goal
    if bound is Comparator.LE:
        return done > goal
    return done >= goal  # Comparator.LT


def _miss_text(indicator: Indicator) -> str:
    actual = indicator.actual.raw if indicator.actual is not None else ""
    return f"指标值 {indicator.target.raw}，实际完成值 {actual or indicator.actual_raw or ''}"


# ---------------------------------------------------------------------------------------------------
# Shared helpers: grade bands


@dataclass(frozen=True)
class Band:
    grade: str  # 优 / 良 / 中 / 差 (or 优秀 / 良好 / 合格 / 不合格 where a form's notes say so)
    low: Decimal | None  # inclusive
    high: Decimal | None  # exclusive


NATIONAL_BANDS: tuple[Band, ...] = (
    Band("优", Decimal(90), None),
    Band("良", Decimal(80), Decimal(90)),
    Band("中", Decimal(60), Decimal(80)),
    Band("差", None, Decimal(60)),
)
_NATIONAL_GRADE = {
    "优": "优",
    "优秀": "优",
    "良": "良",
    "良好": "良",
    "中": "中",
    "中等": "中",
    "差": "差",
    "较差": "差",
}
_GRADE = r"(优秀|良好|中等|较差|不合格|合格|优|良|中|差)"
#: a grade word after its band (…以上为优), not the start of a longer word (中心, 差额)
_GRADE_AFTER = _GRADE + r"(?=[、，,；;。.)）”\"\s]|$|等|级|档|的)"
#: a grade word before its band (优（90分以上）), not the end of a longer word (其中：90分)
_GRADE_BEFORE = r"(?:(?<![\u4e00-\u9fff])|(?<=为))" + _GRADE
_NUMBER = r"(\d+(?:\.\d+)?)"
_INCLUDED = r"(?:分)?\s*(?:[(（]含[)）])?"
_JOIN = r"\s*(?:[(（][^)）]{0,8}[)）])?\s*(?:的)?(?:为|评为|定为|属于|属|即为|即)?\s*[“\"]?"
_TO = r"\s*[-—–~～至到]\s*"
_BAND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("range", re.compile(_NUMBER + _INCLUDED + _TO + _NUMBER + r"\s*分?\s*(?:[(（]不?含[)）])?" + _JOIN + _GRADE_AFTER)),
    ("above", re.compile(_NUMBER + _INCLUDED + r"\s*(?:及以上|或以上|以上)" + _JOIN + _GRADE_AFTER)),
    ("below", re.compile(_NUMBER + r"\s*分?\s*(?:以下|以内)" + _JOIN + _GRADE_AFTER)),
    ("range", re.compile(_GRADE_BEFORE + r"\s*[(（:：]\s*" + _NUMBER + _INCLUDED + _TO + _NUMBER)),
    ("above", re.compile(_GRADE_BEFORE + r"\s*[(（:：]\s*" + _NUMBER + _INCLUDED + r"\s*(?:及以上|或以上|以上)")),
    ("below", re.compile(_GRADE_BEFORE + r"\s*[(（:：]\s*" + _NUMBER + r"\s*分?\s*(?:以下|以内)")),
)  # fmt: skip
_MENTIONS_BANDS = re.compile(
    r"\d+\s*分" + _JOIN + _GRADE_AFTER + r"|" + _GRADE_BEFORE + r"\s*[(（:：]\s*\d+\s*分?"
)


def stated_bands(notes: str | None) -> tuple[Band, ...] | None:
    """The grade bands a form's scoring notes state: ``()`` when they state none, None when they
    mention bands that could not be read (the grade is then not judged)."""
    if not notes:
        return ()
    text = normalise_digits(notes)
    if not _MENTIONS_BANDS.search(text):
        return ()
    bands: dict[str, Band] = {}
    for kind, pattern in _BAND_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groups()
            numbers = [g for g in groups if g and g[0].isdigit()]
            grade = next(g for g in groups if g and not g[0].isdigit())
            try:
                values = [Decimal(n) for n in numbers]
            except InvalidOperation:
                continue
            if kind == "range" and len(values) == 2:
                low, high = sorted(values)
                bands.setdefault(grade, Band(grade, low, high))
            elif kind == "above":
                bands.setdefault(grade, Band(grade, values[0], None))
            elif kind == "below":
                bands.setdefault(grade, Band(grade, None, values[0]))
    return tuple(bands.values()) if bands else None


def band_of(total: Decimal, bands: Sequence[Band]) -> str | None:
    """The grade ``total`` falls in (a range's upper end belongs to the band above)."""
    for band in bands:
        if (band.low is None or total >= band.low) and (band.high is None or total < band.high):
            return band.grade
    return None


# ---------------------------------------------------------------------------------------------------
# Rules


def _scored_items(
    form: SelfEvaluation, ctx: Context
) -> Iterator[tuple[str, Decimal | None, Decimal | None, Loc | None, Loc | None]]:
    """(what, weight, score, weight cell, score cell) for every scored thing of a form."""
    for rows in row_sets(form):
        where = rows_name(ctx, form, rows)
        for row in rows:
            yield f"{where}指标“{row.name}”", row.weight, row.score, cell(row, "weight"), cell(row, "score")
    where = table_name(ctx, form.budget_execution[0].loc if form.budget_execution else None, form_name(form))
    for line in form.budget_execution:
        yield (
            f"{where}预算执行“{line.label}”",
            line.weight,
            line.score,
            cell(line, "weight"),
            cell(line, "score"),
        )
    levels = levels_name(ctx, form)
    for level in form.level_scores:
        yield (
            f"{levels}“{level.name}”",
            level.weight,
            level.score,
            cell(level, "weight"),
            cell(level, "score"),
        )
    if form.total_reported is not None or form.total_weight_reported is not None:
        yield (
            f"{table_name(ctx, form.cells.get('total_reported'), form_name(form))}总分",
            form.total_weight_reported,
            form.total_reported,
            form.cells.get("total_weight_reported"),
            form.cells.get("total_reported"),
        )


@rule(
    "S101",
    Severity.ERROR,
    "得分超过分值",
    "检查自评表、报告指标表、预算执行栏、得分汇总表和总分行中每一项的得分是否超过其分值（权重）。"
    "任何评分规则下得分都不能超过该项分值；分值或得分未印出的行不检查。",
    "例：“群众满意度”分值 15 分，得分 16 分。",
    applies_to=SelfEvaluation,
    suggestion="核对该项得分，得分不应超过其分值。",
)
def score_above_weight(form: SelfEvaluation, ctx: Context) -> Iterator[Problem]:
    for what, weight, score, weight_cell, score_cell in _scored_items(form, ctx):
        if weight is not None and score is not None and score > weight:
            yield Problem(
                message=f"{what}得分 {amount_text(score)} 超过其分值 {amount_text(weight)}",
                locations=(score_cell, weight_cell),
                expected=f"≤{amount_text(weight)}",
                actual=amount_text(score),
            )


@rule(
    "S102",
    Severity.ERROR,
    "分值或得分为负数",
    "分值与得分都不应为负数（扣分应体现为得分低于分值，而不是负的得分）。检查自评表、报告指标表、"
    "预算执行栏、得分汇总表和总分。",
    "例：“预算调整率”得分 -1 分。",
    applies_to=SelfEvaluation,
    suggestion="扣分扣完为止，得分最低为 0。",
)
def negative_points(form: SelfEvaluation, ctx: Context) -> Iterator[Problem]:
    for what, weight, score, weight_cell, score_cell in _scored_items(form, ctx):
        for label, value, where in (("分值", weight, weight_cell), ("得分", score, score_cell)):
            if value is not None and value < 0:
                yield Problem(
                    message=f"{what}{label}为负数 {amount_text(value)}",
                    locations=(where,),
                    expected="≥0",
                    actual=amount_text(value),
                )


def _level_groups(rows: Sequence[Indicator]) -> dict[str, list[Indicator]] | None:
    """Rows by 一级指标 (stem), in order; None when some row has no 一级指标."""
    groups: dict[str, list[Indicator]] = {}
    for row in rows:
        if not row.level1:
            return None
        groups.setdefault(level_stem(row.level1), []).append(row)
    return groups


def _sum_text(values: Sequence[Decimal]) -> str:
    if len(values) > 12:
        return f"{len(values)} 项"
    return " + ".join(amount_text(v) for v in values)


@rule(
    "S103",
    Severity.ERROR,
    "三级指标分值之和与一级指标分值不符",
    "某一一级指标下各三级指标的分值（权重）之和，应等于该一级指标的分值：自评表一级指标旁印出的分值，"
    "或得分汇总表（如表3-1）中该一级指标的权重。只在两者都印出、且该级每一行都有分值时检查；"
    "一级指标名称在汇总表中找不到的不检查。",
    "例：自评表“产出指标”分值 25，而其下各三级指标分值之和为 24。",
    applies_to=SelfEvaluation,
    suggestion="核对各三级指标的分值与一级指标分值，使其相加一致。",
)
def level_weights(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    checked = False
    summary = {
        level_stem(level.name): level
        for level in form.level_scores
        if level.weight is not None and not is_total_level(level.name)
    }
    for rows in row_sets(form):
        groups = _level_groups(rows)
        if groups is None:
            continue
        where = rows_name(ctx, form, rows)
        for stem, group in groups.items():
            weights = [row.weight for row in group]
            if any(w is None for w in weights):
                continue
            values = [w for w in weights if w is not None]
            total = sum(values, Decimal(0))
            printed = {row.level1_weight for row in group if row.level1_weight is not None}
            references: list[tuple[str, Decimal, Loc | None]] = []
            if len(printed) == 1:
                first = next(row for row in group if row.level1_weight is not None)
                references.append((f"{where}", printed.pop(), first.cells.get("level1_weight")))
            level = summary.get(stem)
            if level is not None and level.weight is not None:
                references.append((levels_name(ctx, form), level.weight, cell(level, "weight")))
            name = group[0].level1 or stem
            for reference_name, reference, reference_cell in references:
                checked = True
                if total != reference:
                    yield Problem(
                        message=(
                            f"{reference_name}一级指标“{name}”分值 {amount_text(reference)}，"
                            f"而{where}其下各三级指标分值之和为 {amount_text(total)}（{_sum_text(values)}）"
                        ),
                        locations=(reference_cell, cell(group[0], "weight"), cell(group[-1], "weight")),
                        expected=amount_text(reference),
                        actual=amount_text(total),
                    )
    if not checked:
        yield NotApplicable("未印出一级指标分值，或三级指标缺少分值")


def _budget_weight(form: SelfEvaluation) -> tuple[Decimal, Loc | None] | None:
    line = budget_line(form)
    if line is not None and line.weight is not None:
        return line.weight, cell(line, "weight")
    level = budget_level(form)
    if level is not None and level.weight is not None:
        return level.weight, cell(level, "weight")
    return None


def _full_weight(form: SelfEvaluation) -> tuple[Decimal, Loc | None, str]:
    """The printed total weight (总分 row, 合计 column), else the national 100 points."""
    if form.total_weight_reported is not None:
        return form.total_weight_reported, form.cells.get("total_weight_reported"), "总分行分值"
    total = total_level(form)
    if total is not None and total.weight is not None:
        return total.weight, cell(total, "weight"), "得分汇总表合计权重"
    return Decimal(100), None, "满分"


@rule(
    "S104",
    Severity.ERROR,
    "各项分值合计不等于总分值",
    "自评表各三级指标的分值加上预算执行的分值，应等于总分值（总分行印出的分值，未印出时为满分 100 分）；"
    "得分汇总表各一级指标的权重之和应等于其合计。预算执行分值未印出而指标分值之和不足总分值时不判断。",
    "例：各三级指标分值之和 88 分，加预算执行 10 分为 98 分，不等于 100 分。",
    applies_to=SelfEvaluation,
    suggestion="核对各指标分值，使其合计为总分值。",
)
def total_weights(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    checked = False
    full, full_cell, full_label = _full_weight(form)
    weights = [row.weight for row in form.indicators]
    if form.indicators and all(w is not None for w in weights):
        values = [w for w in weights if w is not None]
        rows_total = sum(values, Decimal(0))
        budget = _budget_weight(form)
        where = rows_name(ctx, form, form.indicators)
        first, last = cell(form.indicators[0], "weight"), cell(form.indicators[-1], "weight")
        if budget is not None:
            checked = True
            whole = rows_total + budget[0]
            if whole != full:
                yield Problem(
                    message=(
                        f"{where}各三级指标分值之和 {amount_text(rows_total)} 加预算执行分值 "
                        f"{amount_text(budget[0])}，共 {amount_text(whole)}，不等于{full_label} {amount_text(full)}"
                    ),
                    locations=(full_cell, budget[1], first, last),
                    expected=amount_text(full),
                    actual=amount_text(whole),
                )
        elif rows_total == full:
            checked = True
        elif rows_total > full:
            checked = True
            yield Problem(
                message=(
                    f"{where}各三级指标分值之和 {amount_text(rows_total)} 超过{full_label} {amount_text(full)}"
                ),
                locations=(full_cell, first, last),
                expected=f"≤{amount_text(full)}",
                actual=amount_text(rows_total),
            )
    levels = [level for level in form.level_scores if not is_total_level(level.name)]
    total = total_level(form)
    if levels and all(level.weight is not None for level in levels):
        level_values = [level.weight for level in levels if level.weight is not None]
        level_total = sum(level_values, Decimal(0))
        reference: tuple[Decimal, Loc | None] | None = None
        if total is not None and total.weight is not None:
            reference = (total.weight, cell(total, "weight"))
        elif budget_level(form) is not None:
            reference = (Decimal(100), None)
        if reference is not None:
            checked = True
            if level_total != reference[0]:
                yield Problem(
                    message=(
                        f"{levels_name(ctx, form)}各一级指标权重之和为 {amount_text(level_total)}"
                        f"（{_sum_text(level_values)}），不等于合计 {amount_text(reference[0])}"
                    ),
                    locations=(reference[1], cell(levels[0], "weight"), cell(levels[-1], "weight")),
                    expected=amount_text(reference[0]),
                    actual=amount_text(level_total),
                )
    if not checked:
        yield NotApplicable("指标缺少分值，或未印出预算执行分值")


@rule(
    "S105",
    Severity.ERROR,
    "一级指标得分与其下各指标得分之和不符",
    "得分汇总表（如表3-1）中每个一级指标的得分，应等于自评表（及报告中的指标得分表）该一级指标下各三级指标"
    "得分之和；“预算执行”一级的得分应等于预算执行栏的得分。汇总表得分按其印出的小数位数四舍五入比较；"
    "某一级下有行缺少得分时不检查该级。",
    "例：表3-1“效益指标”得分 32，而该级三个指标得分 8 + 9 + 14 = 31。",
    applies_to=SelfEvaluation,
    suggestion="核对汇总表中的一级指标得分与明细得分，并相应更正总分。",
)
def level_scores_against_rows(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    levels = [
        level for level in form.level_scores if level.score is not None and not is_total_level(level.name)
    ]
    if not levels:
        yield NotApplicable("没有得分汇总表（一级指标得分）")
        return
    checked = False
    summary = levels_name(ctx, form)
    groups = [(rows, _level_groups(rows)) for rows in row_sets(form)]
    for level in levels:
        printed = level.score
        if printed is None:
            continue
        if is_budget_level(level.name):
            line = budget_line(form)
            if line is None or line.score is None:
                continue
            checked = True
            if not shown_as(line.score, printed):
                where = table_name(ctx, line.loc, form_name(form))
                yield Problem(
                    message=(
                        f"{summary}“{level.name}”得分 {amount_text(printed)}，"
                        f"而{where}预算执行得分为 {amount_text(line.score)}"
                    ),
                    locations=(cell(level, "score"), cell(line, "score")),
                    expected=amount_text(line.score),
                    actual=amount_text(printed),
                )
            continue
        disagreeing: list[tuple[str, Decimal, list[Decimal], list[Indicator]]] = []
        for rows, grouped in groups:
            group = (grouped or {}).get(level_stem(level.name))
            if not group or any(row.score is None for row in group):
                continue
            scores = [row.score for row in group if row.score is not None]
            total = sum(scores, Decimal(0))
            checked = True
            if not shown_as(total, printed, scores):
                disagreeing.append((rows_name(ctx, form, rows), total, scores, group))
        if not disagreeing:
            continue
        where, total, scores, group = disagreeing[0]
        also = "".join(
            f"；{other}中为 {amount_text(other_total)}"
            if other_total != total
            else f"；{other}中亦为 {amount_text(total)}"
            for other, other_total, _, _ in disagreeing[1:]
        )
        yield Problem(
            message=(
                f"{summary}“{level.name}”得分 {amount_text(printed)}，而{where}该一级指标下"
                f"各三级指标得分之和为 {amount_text(total)}（{_sum_text(scores)}）{also}"
            ),
            locations=(
                cell(level, "score"),
                *(cell(row, "score") for _, _, _, rows in disagreeing for row in rows),
            ),
            expected=amount_text(total),
            actual=amount_text(printed),
        )
    if not checked:
        yield NotApplicable("得分汇总表的一级指标在明细表中找不到，或明细行缺少得分")


@rule(
    "S106",
    Severity.ERROR,
    "总分与各部分得分之和不符",
    "总分应等于得分汇总表各一级指标得分之和；没有汇总表时，应等于自评表各三级指标得分之和加预算执行得分"
    "（仅在各项分值合计恰为总分值、每行都有得分时检查）。总分按其印出的小数位数四舍五入比较。",
    "例：各一级指标得分 10 + 30 + 25 + 31 = 96，而总分为 97。",
    applies_to=SelfEvaluation,
    suggestion="按各项得分重新加总，更正总分及评价等级。",
)
def total_against_parts(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    total_row = total_level(form)
    printed = form.total_reported
    printed_cell = form.cells.get("total_reported")
    if printed is None and total_row is not None and total_row.score is not None:
        printed, printed_cell = total_row.score, cell(total_row, "score")
    if printed is None:
        yield NotApplicable("未印出总分")
        return
    levels = [level for level in form.level_scores if not is_total_level(level.name)]
    if levels and all(level.score is not None for level in levels):
        scores = [level.score for level in levels if level.score is not None]
        expected = sum(scores, Decimal(0))
        if not shown_as(expected, printed, scores):
            yield Problem(
                message=(
                    f"总分 {amount_text(printed)}，而{levels_name(ctx, form)}各一级指标得分之和为 "
                    f"{amount_text(expected)}（{_sum_text(scores)}）"
                ),
                locations=(printed_cell, *(cell(level, "score") for level in levels)),
                expected=amount_text(expected),
                actual=amount_text(printed),
            )
        return
    rows = form.indicators
    if not rows or any(row.score is None or row.weight is None for row in rows):
        yield NotApplicable("没有得分汇总表，且自评表有行缺少分值或得分")
        return
    row_scores = [row.score for row in rows if row.score is not None]
    row_weights = sum((row.weight for row in rows if row.weight is not None), Decimal(0))
    full = _full_weight(form)[0]
    line = budget_line(form)
    parts = list(row_scores)
    parts_cells = [cell(row, "score") for row in rows]
    if row_weights != full:
        budget = _budget_weight(form)
        if budget is None or line is None or line.score is None or row_weights + budget[0] != full:
            yield NotApplicable("各项分值合计不等于总分值，无法确定总分由哪些得分组成")
            return
        parts.append(line.score)
        parts_cells.insert(0, cell(line, "score"))
    expected = sum(parts, Decimal(0))
    if not shown_as(expected, printed, parts):
        budget_text = f"预算执行得分 {amount_text(parts[-1])} 与" if len(parts) > len(row_scores) else ""
        yield Problem(
            message=(
                f"总分 {amount_text(printed)}，而{budget_text}{rows_name(ctx, form, rows)}各三级指标得分"
                f"之和为 {amount_text(expected)}"
            ),
            locations=(printed_cell, *parts_cells),
            expected=amount_text(expected),
            actual=amount_text(printed),
        )


@rule(
    "S107",
    Severity.ERROR,
    "评价等级与总分不符",
    "按财预〔2020〕10号的等级划分：90 分（含）以上为优，80（含）至 90 分为良，60（含）至 80 分为中，"
    "60 分以下为差（优秀/良好按优/良对待）。表格注释中另有等级划分的，按其规定；注释提到等级划分但无法读出、"
    "或等级为“合格/不合格”等其他体系时不判断。",
    "例：总分 88 分，评价等级为“优”。",
    applies_to=SelfEvaluation,
    suggestion="按总分确定评价等级。",
)
def grade_against_total(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    grade, total = form.grade_reported, form.total_reported
    if not grade or total is None:
        yield NotApplicable("未同时印出总分和评价等级")
        return
    grade = grade.strip()
    own = stated_bands(form.scoring_notes)
    if own is None:
        yield NotApplicable("评分说明另有等级划分，未能读出")
        return
    if own and grade in {band.grade for band in own}:
        bands, basis, reported = own, "评分说明所列等级划分", grade
    elif grade in _NATIONAL_GRADE and not own:
        bands, basis, reported = NATIONAL_BANDS, "财预〔2020〕10号等级划分", _NATIONAL_GRADE[grade]
    else:
        yield NotApplicable(f"评价等级“{grade}”不属于可判断的等级体系")
        return
    expected = band_of(total, bands)
    if expected is not None and expected != reported:
        yield Problem(
            message=f"总分 {amount_text(total)} 按{basis}应为“{expected}”，而评价等级为“{grade}”",
            locations=(form.cells.get("grade_reported"), form.cells.get("total_reported")),
            expected=expected,
            actual=grade,
        )


@rule(
    "S108",
    Severity.ERROR,
    "实际完成值未达指标值却得满分",
    "实际完成值明显未达到指标值（如指标值“≥95%”而实际完成值 90%，或“≤20%”而实际 100%），该行却得了全部分值。"
    "只比较同一单位的单个数值：正向指标（≥、>，或完成率类指标的 100%）低于指标值，反向指标（≤、<）高于指标值；"
    "定性指标、单位不同或含多个数值的不判断。",
    "例：“培训合格率”指标值 ≥95%，实际完成值 90%，分值 15 分，得分 15 分。",
    applies_to=SelfEvaluation,
    suggestion="按评分规则对未达标的指标扣分，或更正实际完成值。",
)
def full_score_despite_miss(form: SelfEvaluation, ctx: Context) -> Iterator[Problem]:
    for rows in row_sets(form):
        where = rows_name(ctx, form, rows)
        for row in rows:
            if row.weight is None or row.score is None or row.weight <= 0 or row.score < row.weight:
                continue
            if clear_miss(row):
                yield Problem(
                    message=(
                        f"{where}指标“{row.name}”{_miss_text(row)}，未达到指标值，"
                        f"却得满分 {amount_text(row.score)}（分值 {amount_text(row.weight)}）"
                    ),
                    locations=(cell(row, "score"), cell(row, "target"), cell(row, "actual")),
                    expected=f"<{amount_text(row.weight)}",
                    actual=amount_text(row.score),
                )


_EMPTY_REASONS = frozenset({"", "无", "/", "-", "—", "——", "－", "无偏差", "不适用"})
_REASON_HEADERS = ("偏差", "未完成原因", "原因分析", "改进措施")


def _has_reason_column(form: SelfEvaluation, ctx: Context) -> bool | None:
    """Does the 自评表 have a 偏差原因 column? None when that cannot be told."""
    if any(row.deviation_reason for row in form.indicators):
        return True
    source = ctx.source
    table = next((row.loc.table for row in form.indicators if row.loc is not None), None)
    if source is None or table is None:
        return None
    for candidate in source.tables:
        if candidate.index == table:
            return any(
                any(word in text.text for word in _REASON_HEADERS)
                for cells in candidate.rows
                for text in cells
                if text.text and len(text.text) <= 16
            )
    return None


@rule(
    "S109",
    Severity.WARNING,
    "未达指标值却未说明偏差原因",
    "实际完成值明显未达到指标值（判断方法同 S108）时，自评表的“偏差原因分析及改进措施”一栏应说明原因。"
    "只检查有该栏的自评表；报告中的指标得分表没有该栏，不检查。",
    "例：“结转结余率”指标值 ≤20%，实际完成值 100%，偏差原因一栏为空。",
    applies_to=SelfEvaluation,
    suggestion="在偏差原因栏说明未完成的原因及改进措施，或更正实际完成值。",
)
def missed_without_reason(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not form.indicators:
        yield NotApplicable("没有自评表指标行")
        return
    has_column = _has_reason_column(form, ctx)
    if not has_column:
        yield NotApplicable(
            "自评表没有偏差原因栏" if has_column is False else "无法确定自评表是否有偏差原因栏"
        )
        return
    where = rows_name(ctx, form, form.indicators)
    for row in form.indicators:
        reason = name_key(row.deviation_reason)
        if reason not in _EMPTY_REASONS or not clear_miss(row):
            continue
        yield Problem(
            message=f"{where}指标“{row.name}”{_miss_text(row)}，未达到指标值，但未说明偏差原因",
            locations=(cell(row, "actual"), row.loc),
            expected="偏差原因及改进措施",
            actual=row.deviation_reason or "（空）",
        )


_OTHER_BUDGET_METHOD = re.compile(r"执行率[^。；;]{0,30}?(?:≥|≤|>|<|以上|以下|扣|档|不得分|满分|区间)")


@rule(
    "S110",
    Severity.WARNING,
    "预算执行得分与“分值×执行率”不符",
    "预算执行的得分通常为“分值 × 预算执行率”（执行率超过 100% 按 100% 计）。只在分值、执行率、得分都印出时检查，"
    "容许执行率与得分的显示舍入（印为整数的得分不视为 9.5 的舍入）；表格注释对预算执行率另有计分办法（分档、扣分）"
    "时不检查。",
    "例：预算执行分值 10 分，执行率 95%，得分 10 分（应为 9.5 分）。",
    applies_to=SelfEvaluation,
    suggestion="按“分值×预算执行率”计算预算执行得分，或在注释中说明所用的计分办法。",
)
def budget_score(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    lines = [
        line
        for line in form.budget_execution
        if line.weight is not None and line.score is not None and line.rate is not None
    ]
    if not lines:
        yield NotApplicable("预算执行栏未同时印出分值、执行率和得分")
        return
    if form.scoring_notes and _OTHER_BUDGET_METHOD.search(normalise_digits(form.scoring_notes)):
        yield NotApplicable("评分说明对预算执行率另有计分办法")
        return
    where = table_name(ctx, lines[0].loc, form_name(form))
    for line in lines:
        weight, score, rate = line.weight, line.score, line.rate
        if weight is None or score is None or rate is None:
            continue
        expected = weight * min(rate, Decimal(100)) / Decimal(100)
        # the printed rate may be rounded; a score printed as an integer is not a rounded 9.5
        own = half_step(score) if decimals(score) > 0 else Decimal("0.005")
        if abs(expected - score) <= own + weight * half_step(rate) / Decimal(100):
            continue
        yield Problem(
            message=(
                f"{where}预算执行“{line.label}”分值 {amount_text(weight)}、执行率 {line.rate_raw or points(rate) + '%'}，"
                f"按“分值×执行率”得分应为 {points(expected)}，而得分为 {amount_text(score)}"
            ),
            locations=(cell(line, "score"), cell(line, "rate"), cell(line, "weight")),
            expected=points(expected),
            actual=amount_text(score),
        )


def _percent(text: str | None) -> Decimal | None:
    """``91.4%`` → 91.4, ``（100%）`` → 100, ``0.914`` → 91.4; None for anything else."""
    if not text:
        return None
    number = normalise_digits(text).strip().strip("()（） ").replace(" ", "")
    percent = number.endswith("%")
    try:
        value = Decimal(number.rstrip("%"))
    except InvalidOperation:
        return None
    return value if percent or value > 1 else value * 100


@rule(
    "S111",
    Severity.ERROR,
    "得分率与“得分÷分值”不符",
    "得分汇总表（如表3-1）印出的得分率应等于该项得分除以权重，按得分率印出的小数位数四舍五入比较。",
    "例：“效益指标”权重 35、得分 32，得分率应为 91.4%，表中印为 94.1%。",
    applies_to=SelfEvaluation,
    suggestion="按“得分÷权重”重新计算得分率。",
)
def level_rates(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    checked = False
    for level in form.level_scores:
        rate = _percent(level.rate_raw)
        if rate is None or level.weight is None or level.score is None or level.weight <= 0:
            continue
        checked = True
        expected = level.score / level.weight * Decimal(100)
        if shown_as(expected, rate, (level.score,)):
            continue
        shown = expected.quantize(Decimal(10) ** -max(decimals(rate), 1))
        yield Problem(
            message=(
                f"{levels_name(ctx, form)}“{level.name}”得分 {amount_text(level.score)}、权重 "
                f"{amount_text(level.weight)}，得分率应为 {points(shown)}%，而表中为 {level.rate_raw}"
            ),
            locations=(cell(level, "rate_raw"), cell(level, "score"), cell(level, "weight")),
            expected=f"{points(shown)}%",
            actual=level.rate_raw,
        )
    if not checked:
        yield NotApplicable("得分汇总表未印出得分率")


# ---------------------------------------------------------------------------------------------------
# By ruleset (jixiao.scoring): the ruleset the form's own notes describe, else the national one


def _sheet(form: SelfEvaluation, ctx: Context) -> ScoreSheet:
    return ctx.memo(("score_sheet", id(form)), lambda: score_evaluation(form))


def _departures(form: SelfEvaluation, ctx: Context, code: str) -> Iterator[Problem | NotApplicable]:
    if not form.indicators and not form.report_indicators:
        yield NotApplicable("没有评分表")
        return
    sheet = _sheet(form, ctx)
    # a full score on a visibly missed row is S108's (it needs no ruleset): not reported twice
    s108 = {
        cell(row, "score")
        for row in (form.indicators or form.report_indicators)
        if row.weight is not None
        and row.score is not None
        and row.score >= row.weight > 0
        and clear_miss(row)
    }
    for finding in sheet.findings:
        if finding.code != code or (code == "S112" and finding.locations and finding.locations[0] in s108):
            continue
        yield Problem(
            message=finding.message,
            locations=finding.locations,
            expected=finding.expected,
            actual=finding.actual,
        )


_RULESET_NOTE = (
    "评分规则取自评表注释所描述的规则集（如河南区县部门整体），注释未说明时取全国口径"
    "（项目支出：财预〔2020〕10号；部门整体：同一口径）；`jixiao score --ruleset` 可指定其他规则集。"
)


@rule(
    "S112",
    Severity.ERROR,
    SCORING_CODES["S112"][1],
    "按评分规则逐行重算得分：定量指标完成指标值记满分，未完成的按完成值与指标值之比（反向指标按指标值与"
    "完成值之比）；规则规定扣分的指标（如预算调整率每浮动 1% 扣 5%）按扣分计；定性指标按实际完成情况的措辞"
    "归入达成（100%–80%）、部分达成（80%–60%）、未达成（60%–0%）三档，自评得分在档内即不报告。"
    + _RULESET_NOTE
    + "未达指标却得满分且数值明显的，由 S108 报告，这里不重复。",
    "例：“群众满意度”指标值 ≥90%，实际 98.95%，分值 15，按规则应得满分 15，自评得分 14。",
    applies_to=SelfEvaluation,
    suggestion="按评分规则重新计分，或说明采用的其他计分依据。",
)
def score_against_rule(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield from _departures(form, ctx, "S112")


@rule(
    "S113",
    Severity.WARNING,
    SCORING_CODES["S113"][1],
    "有分值的指标没有填写实际完成值，无法按规则计分，按 0 分计。" + _RULESET_NOTE,
    "例：“培训人次”分值 5，实际完成值为空，自评得分 5。",
    applies_to=SelfEvaluation,
    suggestion="填写实际完成值。",
)
def missing_actual(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield from _departures(form, ctx, "S113")


@rule(
    "S114",
    Severity.WARNING,
    SCORING_CODES["S114"][1],
    "评分规则规定了各一级指标的分值（如河南区县部门整体：投入管理 30、产出 25、效益 35、预算执行 10），"
    "各三级指标分值之和与之不同时报告。只在自评表注释表明采用该规则时检查，全国默认口径下不检查。",
    "例：注释写明“产出指标25分”，而产出指标下各三级指标分值合计 30。",
    applies_to=SelfEvaluation,
    suggestion="按评分规则调整各三级指标的分值。",
)
def level_weights_against_rule(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    scored = bool(form.indicators or form.report_indicators)
    if scored and not _sheet(form, ctx).ruleset_detected:
        yield NotApplicable("自评表注释没有说明采用的评分规则")
        return
    yield from _departures(form, ctx, "S114")


@rule(
    "S115",
    Severity.WARNING,
    SCORING_CODES["S115"][1],
    "按评分规则重算全部指标后，总分与自评总分不同（超过 0.01 分）或等级不同时报告一条，列出造成差异的"
    "指标：不符合规则的，以及定性指标在档内取值与规则默认值不同的。" + _RULESET_NOTE,
    "例：按规则重算总分 98.4、等级“优”，自评为 97、“优”。",
    applies_to=SelfEvaluation,
    suggestion="核对各项得分，按规则重新合计总分并确定等级。",
)
def total_against_rule(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield from _departures(form, ctx, "S115")
