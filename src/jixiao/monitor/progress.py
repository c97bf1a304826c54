"""Mid-year monitoring (运行监控, 双监控): the progress each indicator should have reached by the end
of 1–6月 or 1–9月, the progress entered against it, and a light with the reason in words.

Enters: a target declaration (``DeptTargetDeclaration`` / ``ProjectTargetDeclaration``), a period,
the progress typed per indicator and the budget executed so far. Leaves: an ``Expectation`` per
indicator, an ``Assessment`` per row (light, deviation, sentence) and ``Issue``s with ``M`` codes.

How the expected progress is decided, row by row:

- 满意度 indicators are measured by a survey at year end: not monitored mid-year (said so);
- qualitative, free-text and empty targets: not measurable mid-year (年末评价);
- deadlines: not yet due → not applicable; due → 100 % expected;
- ceilings (≤, <, 成本指标): the amount so far must not pass the ceiling;
- rates (准确率, 合格率, 回收率… and standards per person ``元/人/月``): held all year at the target;
- quantities and completion rates (完成率, 执行率…): as planned in the 阶段性计划 where it gives a
  share (``1月-6月 实现时间过半任务过半`` → 50 %; between milestones, linearly), else in proportion
  to time (6/12, 9/12);
- budget execution: months / 12 of the year's budget.

The deviation is the part of the expected progress not reached (完成进度 48 % → 偏差 52 %); being
ahead is no deviation. Thresholds (``thresholds.toml``) turn it into a light.

>>> from jixiao.model.values import parse_target
>>> row = Indicator(level1="产出指标", level2="数量指标", name="培训人次", target=parse_target("≥500人次"))
>>> assess(expect(row, 0, Period.H1), "120").reason
'1–6月完成 120 人次，按时间进度应完成 250 人次（50%），完成进度 48%，偏差 52%，红灯'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, StagePlan
from jixiao.model.indicators import Indicator
from jixiao.model.money import fits
from jixiao.model.target import Comparator, TargetKind
from jixiao.model.values import parse_actual, parse_target, target_direction
from jixiao.monitor.errors import Issue, MonitorError
from jixiao.monitor.thresholds import LIGHT_NAMES, Light, Thresholds, load_thresholds
from jixiao.scoring.methods import HUNDRED, base, rounded, text

TargetForm = DeptTargetDeclaration | ProjectTargetDeclaration
TWELVE = Decimal(12)


class Period(StrEnum):
    H1 = "H1"  # 1–6月
    Q3 = "Q3"  # 1–9月


PERIOD_MONTHS: dict[str, int] = {"H1": 6, "Q3": 9}
PERIOD_LABELS: dict[str, str] = {"H1": "1–6月", "Q3": "1–9月"}


def period_of(value: str) -> Period:
    """``H1`` / ``Q3`` (any case) as a ``Period``; M108 otherwise."""
    try:
        return Period(value.upper())
    except ValueError:
        raise MonitorError("M108", value) from None


class Basis(StrEnum):
    TIME = "time"  # 按时间进度
    PLAN = "plan"  # 按阶段性计划
    HOLD = "hold"  # 比率、标准全年保持
    CEILING = "ceiling"  # 上限（成本、≤）
    DUE = "due"  # 时限已到
    NONE = "none"  # 年中不监控


BASIS_NAMES: dict[str, str] = {
    "time": "按时间进度",
    "plan": "按阶段性计划",
    "hold": "全年保持",
    "ceiling": "不超过上限",
    "due": "时限已到",
    "none": "年中不监控",
}

_CUMULATIVE_WORDS = ("完成率", "完成情况", "执行率", "进度", "完成数", "覆盖率", "到位率", "开工率")
_SATISFACTION = "满意"
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_MONTH = re.compile(r"(\d{1,2})\s*月")
_HALF_WORDS = ("过半", "一半", "半数", "二分之一")
_ALL_WORDS = ("全面完成", "全部完成", "完成全部", "全年", "全面实现")


@dataclass(frozen=True)
class Expectation:
    """What one indicator should show at the end of the period."""

    index: int
    path: str  # 一级/二级/三级
    name: str
    target: str  # 指标值 as printed
    basis: Basis
    months: int
    share: Decimal | None = None  # percent of the annual target expected (time, plan, due)
    value: Decimal | None = None  # the amount expected, in ``unit`` (or the rate held / the ceiling)
    unit: str | None = None
    plan: str | None = None  # the 阶段性计划 entry used
    explanation: str = ""  # in words, for the page

    @property
    def applicable(self) -> bool:
        return self.basis is not Basis.NONE

    @property
    def period_label(self) -> str:
        return (
            PERIOD_LABELS["H1" if self.months == 6 else "Q3"]
            if self.months in (6, 9)
            else f"1–{self.months}月"
        )


@dataclass(frozen=True)
class Assessment:
    """The progress entered against one expectation, and what it means."""

    expectation: Expectation
    progress: str  # as typed
    actual: Decimal | None = None  # in the expectation's unit (percent for rates and due rows)
    completion: Decimal | None = None  # percent of the expected progress reached
    deviation: Decimal | None = None  # percent behind (0 when on time or ahead)
    light: Light | None = None
    reason: str = ""  # the sentence: 1–6月完成 120 人次，按时间进度应完成 250 人次（50%）…
    issue: Issue | None = None

    @property
    def index(self) -> int:
        return self.expectation.index

    @property
    def light_name(self) -> str:
        return LIGHT_NAMES[self.light] if self.light is not None else ""


# ------------------------------------------------------------------------------------ helpers


def _pct(value: Decimal) -> str:
    """A percentage for people: 四舍五入 to two places, no trailing zeros."""
    return f"{text(rounded(value, 2))}%"


def _amount(value: Decimal, unit: str | None) -> str:
    if unit == "%":
        return _pct(value)
    shown = text(rounded(value, 2))
    return f"{shown} {unit}" if unit else shown


def _path(indicator: Indicator) -> str:
    return "/".join(part for part in (indicator.level1, indicator.level2, indicator.name) if part)


def _end_month(period: str) -> int | None:
    """The month a 阶段性计划 period ends: ``1月-6月`` → 6, ``7月-12月`` → 12."""
    months = [int(m) for m in _MONTH.findall(period)]
    months = [m for m in months if 1 <= m <= 12]
    return months[-1] if months else None


def _plan_share(content: str) -> Decimal | None:
    """The share of the year's targets a 阶段性计划 entry says is done by its end."""
    found = _PERCENT.search(content)
    if found:
        return Decimal(found.group(1))
    if any(word in content for word in _HALF_WORDS):
        return Decimal(50)
    if any(word in content for word in _ALL_WORDS):
        return HUNDRED
    return None


def plan_milestones(plan: Sequence[StagePlan]) -> list[tuple[int, Decimal, StagePlan]]:
    """(end month, share, entry) for every 阶段性计划 entry that gives a share, by month."""
    points = []
    for entry in plan:
        month, share = _end_month(entry.period), _plan_share(entry.content)
        if month is not None and share is not None:
            points.append((month, share, entry))
    return sorted(points, key=lambda point: point[0])


def _planned(months: int, plan: Sequence[StagePlan]) -> tuple[Decimal, StagePlan] | None:
    """The share planned for ``months``: a milestone's, or linear between two (from 0 at month 0)."""
    points = plan_milestones(plan)
    if not points:
        return None
    previous_month, previous_share = 0, Decimal(0)
    for month, share, entry in points:
        if month == months:
            return share, entry
        if month > months:
            part = Decimal(months - previous_month) / Decimal(month - previous_month)
            return previous_share + (share - previous_share) * part, entry
        previous_month, previous_share = month, share
    return points[-1][1], points[-1][2]


def _not_applicable(index: int, indicator: Indicator, months: int, why: str) -> Expectation:
    return Expectation(
        index, _path(indicator), indicator.name, indicator.target.raw, Basis.NONE, months, explanation=why
    )


# ------------------------------------------------------------------------------------ expectations


def expect(
    indicator: Indicator, index: int, period: Period | int, plan: Sequence[StagePlan] = ()
) -> Expectation:
    """What ``indicator`` should show at the end of ``period`` (or after that many months)."""
    months = PERIOD_MONTHS[period] if isinstance(period, Period) else int(period)
    label = PERIOD_LABELS.get(period, f"1–{months}月") if isinstance(period, Period) else f"1–{months}月"
    target = indicator.target
    where = "".join(part for part in (indicator.level1, indicator.level2, indicator.name) if part)
    if _SATISFACTION in where:
        return _not_applicable(index, indicator, months, "满意度在年末通过调查测评，年中不监控")
    if target.kind is TargetKind.MISSING:
        return _not_applicable(index, indicator, months, "未填写指标值，无法监控")
    if target.kind is TargetKind.QUALITATIVE:
        return _not_applicable(index, indicator, months, "定性指标年中不量化监控，年末评价")
    if target.kind is TargetKind.TEXT:
        return _not_applicable(
            index, indicator, months, f"指标值“{target.raw}”不是可衡量的数值，年中无法按进度监控"
        )
    if target.value is None:
        return _not_applicable(
            index, indicator, months, f"指标值“{target.raw}”含多个数值，无法按单一进度监控"
        )
    path, name, raw = _path(indicator), indicator.name, target.raw
    if target.kind is TargetKind.DEADLINE:
        unit = target.unit or ""
        if unit in ("月", "月份", "个月") and target.value > months:
            return _not_applicable(index, indicator, months, f"完成时限“{raw}”，{label}尚未到期，到期后评价")
        if unit not in ("月", "月份", "个月"):
            return _not_applicable(index, indicator, months, f"完成时限“{raw}”，年中不监控")
        return Expectation(
            index, path, name, raw, Basis.DUE, months, HUNDRED, HUNDRED, "%",
            explanation=f"完成时限“{raw}”已到，应全部完成（100%）",
        )  # fmt: skip
    direction = target_direction(name, target)
    cost = "成本" in (indicator.level2 or "") or "成本" in (indicator.level1 or "")
    if direction == "reverse" or target.op in (Comparator.LE, Comparator.LT) or cost:
        shown = _amount(target.value, target.unit)
        return Expectation(
            index, path, name, raw, Basis.CEILING, months, None, target.value, target.unit,
            explanation=f"上限指标：全年不超过 {shown}，年中累计不应超出",
        )  # fmt: skip
    per_unit = bool(target.unit and "/" in target.unit)
    cumulative = any(word in name for word in _CUMULATIVE_WORDS)
    if per_unit or (target.kind is TargetKind.RATIO and not cumulative):
        shown = _amount(target.value, target.unit)
        return Expectation(
            index, path, name, raw, Basis.HOLD, months, None, target.value, target.unit,
            explanation=f"比率、标准类指标全年保持，应达到 {shown}",
        )  # fmt: skip
    planned = _planned(months, plan)
    if planned is not None:
        share, entry = planned
        basis, words = Basis.PLAN, f"按阶段性计划（{entry.period}：{entry.content}）"
    else:
        share, entry = Decimal(months) / TWELVE * HUNDRED, None
        basis, words = Basis.TIME, "按时间进度"
    value = target.value * share / HUNDRED
    return Expectation(
        index, path, name, raw, basis, months, share, value, target.unit,
        plan=f"{entry.period}：{entry.content}" if entry is not None else None,
        explanation=f"{words}应完成 {_amount(value, target.unit)}（{_pct(share)}）",
    )  # fmt: skip


def plan_of(form: TargetForm) -> list[StagePlan]:
    return list(form.stage_plan) if isinstance(form, DeptTargetDeclaration) else []


def expectations(form: TargetForm, period: Period) -> list[Expectation]:
    """Every indicator of ``form`` with what it should show at the end of ``period``."""
    plan = plan_of(form)
    return [expect(indicator, index, period, plan) for index, indicator in enumerate(form.indicators)]


# ------------------------------------------------------------------------------------ assessing


def _read(
    expectation: Expectation, indicator: Indicator | None, progress: str
) -> tuple[Decimal, str] | Issue:
    """The progress typed as a number in the expectation's unit, and how it was read."""
    target = indicator.target if indicator is not None else parse_target(expectation.target)
    actual = parse_actual(progress, target)
    if actual.value is None or actual.parts or actual.kind not in (TargetKind.QUANTITY, TargetKind.RATIO):
        return Issue("M101", f"“{progress}”", expectation.index)
    if not fits(actual.value):
        return Issue("M115", f"进度“{progress}”", expectation.index)
    if expectation.basis is Basis.DUE:
        if actual.unit != "%":
            return Issue("M101", f"“{progress}”：请填写完成百分比，如 80%", expectation.index)
        return actual.value, "percent"
    unit = expectation.unit
    if actual.unit == "%" and unit != "%":
        if expectation.basis is Basis.HOLD or target.value is None:
            return Issue("M102", f"“{progress}”与“{expectation.target}”", expectation.index)
        return target.value * actual.value / HUNDRED, "share"  # 48% of the year's target
    if actual.unit == unit or actual.unit is None or unit is None:
        return actual.value, "value"
    value, actual_base = base(actual.value, actual.unit)
    factor, target_base = base(Decimal(1), unit)
    if actual_base != target_base:
        return Issue("M102", f"“{progress}”与“{expectation.target}”", expectation.index)
    return value / factor, "value"


def assess(
    expectation: Expectation,
    progress: str,
    thresholds: Thresholds | None = None,
    indicator: Indicator | None = None,
) -> Assessment:
    """The light of one row for the progress typed (empty: no light yet; unreadable: an issue)."""
    thresholds = thresholds or load_thresholds()
    progress = (progress or "").strip()
    if not expectation.applicable or not progress:
        return Assessment(expectation, progress)
    read = _read(expectation, indicator, progress)
    if isinstance(read, Issue):
        return Assessment(expectation, progress, issue=read)
    actual, _how = read
    label = expectation.period_label
    unit, expected = expectation.unit, expectation.value or Decimal(0)
    basis = expectation.basis
    if basis is Basis.CEILING:
        over = (actual - expected) / expected * HUNDRED if expected > 0 and actual > expected else Decimal(0)
        if expected == 0 and actual > 0:
            over = HUNDRED
        light = thresholds.light(over)
        state = f"超出上限 {_pct(over)}" if over > 0 else "未超出上限"
        reason = f"{label}累计 {_amount(actual, unit)}，上限 {_amount(expected, unit)}，{state}，{LIGHT_NAMES[light]}"
        return Assessment(expectation, progress, actual, None, over, light, reason)
    if expected <= 0:
        return Assessment(
            expectation,
            progress,
            actual,
            None,
            Decimal(0),
            Light.GREEN,
            f"{label}完成 {_amount(actual, unit)}，绿灯",
        )
    completion = actual / expected * HUNDRED
    deviation = max(HUNDRED - completion, Decimal(0))
    light = thresholds.light(deviation)
    if basis is Basis.HOLD:
        reason = (
            f"{label}达到 {_amount(actual, unit)}，指标值 {expectation.target}（全年保持），"
            f"达成 {_pct(completion)}，偏差 {_pct(deviation)}，{LIGHT_NAMES[light]}"
        )
    elif basis is Basis.DUE:
        reason = f"完成时限已到，{label}完成 {_pct(actual)}，偏差 {_pct(deviation)}，{LIGHT_NAMES[light]}"
    else:
        words = "按阶段性计划" if basis is Basis.PLAN else "按时间进度"
        reason = (
            f"{label}完成 {_amount(actual, unit)}，{words}应完成 {_amount(expected, unit)}"
            f"（{_pct(expectation.share or Decimal(0))}），完成进度 {_pct(completion)}，"
            f"偏差 {_pct(deviation)}，{LIGHT_NAMES[light]}"
        )
    return Assessment(expectation, progress, actual, completion, deviation, light, reason)


# ------------------------------------------------------------------------------------ budget


_BUDGET_TOTAL = ("资金总额", "总额", "合计", "总计", "部门预算")


def form_budget(form: TargetForm) -> tuple[Decimal | None, str]:
    """The year's budget of a target form and its unit: a project's 预算资金; a department's
    资金总额 / 合计 line, else its lines added up."""
    if isinstance(form, ProjectTargetDeclaration):
        return form.budget, form.budget_unit
    lines = [line for line in form.budget if line.amount is not None]
    for line in lines:
        if any(word in line.label for word in _BUDGET_TOTAL):
            return line.amount, line.unit
    if lines:
        return sum((line.amount for line in lines if line.amount is not None), Decimal(0)), lines[0].unit
    return None, "万元"


def read_money(raw: str, unit: str) -> Decimal | Issue:
    """An amount typed in ``unit`` (``1,234.5``, ``1234.5万元``); M103 / M104 otherwise."""
    cleaned = raw.strip().replace(",", "").replace("，", "").replace(" ", "")
    if cleaned.endswith(unit):
        cleaned = cleaned[: -len(unit)]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return Issue("M103", f"“{raw}”（单位：{unit}）")
    if not value.is_finite():
        return Issue("M103", f"“{raw}”")
    if value < 0:
        return Issue("M104", f"“{raw}”")
    if not fits(value):
        return Issue("M115", f"预算执行数“{raw}”")
    return value


@dataclass(frozen=True)
class BudgetAssessment:
    budget: Decimal | None
    unit: str
    months: int
    executed_raw: str
    executed: Decimal | None = None
    expected_rate: Decimal = Decimal(0)  # percent of the year's budget expected spent
    rate: Decimal | None = None  # percent spent
    deviation: Decimal | None = None
    light: Light | None = None
    reason: str = ""
    issue: Issue | None = None

    @property
    def light_name(self) -> str:
        return LIGHT_NAMES[self.light] if self.light is not None else ""


def assess_budget(
    budget: Decimal | None, unit: str, executed_raw: str, period: Period, thresholds: Thresholds | None = None
) -> BudgetAssessment:
    """Budget execution against months / 12 of the year's budget (双监控's money half)."""
    thresholds = thresholds or load_thresholds()
    months = PERIOD_MONTHS[period]
    expected = Decimal(months) / TWELVE * HUNDRED
    raw = (executed_raw or "").strip()
    if budget is None or budget <= 0:
        return BudgetAssessment(budget, unit, months, raw, expected_rate=expected, issue=Issue("M109"))
    if not raw:
        return BudgetAssessment(budget, unit, months, raw, expected_rate=expected)
    executed = read_money(raw, unit)
    if isinstance(executed, Issue):
        return BudgetAssessment(budget, unit, months, raw, expected_rate=expected, issue=executed)
    rate = executed / budget * HUNDRED
    completion = rate / expected * HUNDRED
    deviation = max(HUNDRED - completion, Decimal(0))
    light = thresholds.light(deviation)
    reason = (
        f"{PERIOD_LABELS[period]}支出 {_amount(executed, unit)}，预算 {_amount(budget, unit)}，执行率 {_pct(rate)}，"
        f"按时间进度应执行 {_pct(expected)}，偏差 {_pct(deviation)}，{LIGHT_NAMES[light]}"
    )
    return BudgetAssessment(budget, unit, months, raw, executed, expected, rate, deviation, light, reason)


# ------------------------------------------------------------------------------------ a whole report


@dataclass(frozen=True)
class Monitoring:
    """Every row of one form assessed for one period, with what stops it being submitted."""

    period: Period
    rows: list[Assessment]
    budget: BudgetAssessment
    issues: list[Issue]  # everything wrong or missing for a submission

    def counts(self) -> dict[str, int]:
        found = {light.value: 0 for light in Light}
        for row in self.rows:
            if row.light is not None:
                found[row.light.value] += 1
        if self.budget.light is not None:
            found[self.budget.light.value] += 1
        return found


def monitor(
    form: TargetForm,
    period: Period,
    progress: Sequence[str],
    reasons: Sequence[str],
    executed: str,
    budget_reason: str = "",
    thresholds: Thresholds | None = None,
) -> Monitoring:
    """Assess every indicator of ``form`` (``progress[i]`` and ``reasons[i]`` for indicator ``i``)
    and its budget; list the issues a submission must clear: unreadable or missing progress (M101,
    M102, M106), a yellow or red row without a reason (M105), the budget executed (M103, M104, M109,
    M110) and its reason when yellow or red."""
    thresholds = thresholds or load_thresholds()
    rows: list[Assessment] = []
    issues: list[Issue] = []
    for expectation, indicator in zip(expectations(form, period), form.indicators, strict=True):
        typed = progress[expectation.index] if expectation.index < len(progress) else ""
        why = reasons[expectation.index] if expectation.index < len(reasons) else ""
        row = assess(expectation, typed, thresholds, indicator)
        rows.append(row)
        if row.issue is not None:
            issues.append(row.issue)
        elif expectation.applicable and not row.progress:
            issues.append(Issue("M106", expectation.name, expectation.index))
        elif thresholds.needs_reason(row.light) and not why.strip():
            issues.append(Issue("M105", f"{expectation.name}（{row.light_name}）", expectation.index))
    budget, unit = form_budget(form)
    budget_row = assess_budget(budget, unit, executed, period, thresholds)
    if budget_row.issue is not None:
        issues.append(budget_row.issue)
    elif not budget_row.executed_raw:
        issues.append(Issue("M110"))
    elif thresholds.needs_reason(budget_row.light) and not budget_reason.strip():
        issues.append(Issue("M105", f"预算执行（{budget_row.light_name}）"))
    return Monitoring(period, rows, budget_row, issues)
