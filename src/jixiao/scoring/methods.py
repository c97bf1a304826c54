"""Scoring methods: one indicator row → points, with the working in words.

Pure functions over Decimals and parsed ``Target``s; no I/O, no pydantic models built here (the
benchmark scores a hundred thousand rows a second). Every method returns a ``Scored``: the points
(never above the weight nor below zero), the method's name, the range a reviewer may choose in
(qualitative tiers) and the explanation a user reads.

>>> from jixiao.model.values import parse_actual, parse_target
>>> target = parse_target("≥90%")
>>> quantitative(Decimal(15), target, parse_actual("98%", target), "forward", 2).explanation
'实际 98% ≥ 目标 90%，得满分 15'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps
from typing import NamedTuple, TypeVar, TypeVarTuple

from jixiao.model.target import Comparator, Target, TargetKind
from jixiao.model.values import target_direction

ZERO = Decimal(0)
HUNDRED = Decimal(100)

#: Unit prefixes: 万人 is 10,000 人, 亿元 is 10^8 元 (so 1万人 and 12000人 compare).
_PREFIXES = {"亿": Decimal(100000000), "万": Decimal(10000), "千": Decimal(1000)}
_SAME_UNITS = {"月份": "月", "个月": "月", "个": "个", "次": "次"}


class Scored(NamedTuple):
    """One row's points and working; immutable (a named tuple: built at a third of the cost of a
    frozen dataclass, which matters a hundred thousand times a second)."""

    points: Decimal | None  # None: the row cannot be scored by rule (units differ, no number)
    method: (
        str  # full / proportional / inverse / range / deduction / qualitative / budget / missing / unscorable
    )
    explanation: str
    met: bool | None = None
    tier: str | None = None
    allowed: tuple[Decimal, Decimal] | None = None  # the points a reviewer may give (qualitative tiers)


Owner = TypeVar("Owner")
Arguments = TypeVarTuple("Arguments")
Result = TypeVar("Result")

#: Entries an ``identity_cache`` keeps before it starts afresh (rulesets × indicator names).
IDENTITY_CACHE_SIZE = 8192


def identity_cache(
    function: Callable[[Owner, *Arguments], Result],
) -> Callable[[Owner, *Arguments], Result]:
    """Cache ``function`` by the identity of its first argument and the value of the others
    (positional, all of them: the wrapper takes no keywords, which would cost a dict a call).

    For per-ruleset decisions (which deduction an indicator name takes, which level a 一级指标 name
    means): ``functools.lru_cache`` would hash the frozen ``RuleSet``, every field of it, on every
    call, which costs more than the decision. An entry holds its first argument, so that object's
    id cannot be reused while the entry lives.
    """
    memo: dict[tuple[object, ...], tuple[Owner, Result]] = {}

    @wraps(function)
    def cached(owner: Owner, *args: *Arguments) -> Result:
        key = (id(owner), *args)
        hit = memo.get(key)
        if hit is not None:
            return hit[1]
        if len(memo) >= IDENTITY_CACHE_SIZE:
            memo.clear()
        value = function(owner, *args)
        memo[key] = (owner, value)
        return value

    return cached


def text(value: Decimal) -> str:
    """``Decimal('15.00')`` → ``15``, ``Decimal('1.40')`` → ``1.4`` (no exponent)."""
    shown = str(value)
    if "E" in shown or "e" in shown or ("." in shown and shown[-1] == "0"):
        return format(value.normalize(), "f")
    return shown  # already without trailing zeros or exponent (15, 98.95): the common case


#: ``Decimal(1).scaleb(-places)`` for the places a ruleset allows (0–4), made once.
_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(5))


def rounded(value: Decimal, places: int) -> Decimal:
    quantum = _QUANTA[places] if 0 <= places < len(_QUANTA) else Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def base(value: Decimal, unit: str | None) -> tuple[Decimal, str | None]:
    """A value in its unit's base: (1, 万人) → (10000, 人); (30, 万元) → (300000, 元)."""
    if unit is None:
        return value, None
    unit = _SAME_UNITS.get(unit, unit)
    if len(unit) > 1 and unit[0] in _PREFIXES:
        return value * _PREFIXES[unit[0]], _SAME_UNITS.get(unit[1:], unit[1:])
    return value, unit


def _shown(value: Decimal, unit: str | None) -> str:
    if unit == "%":
        return f"{text(value)}%"
    return f"{text(value)}{unit or ''}"


def _number(target: Target) -> tuple[Decimal, str | None] | None:
    if target.value is None:
        return None
    return base(target.value, target.unit)


def _actual_number(actual: Target | None, target_unit: str | None) -> tuple[Decimal, str | None] | None:
    """The actual as one number in the target's base unit; None when it is not a number or its unit
    is a different kind of thing (人 against 万元). A number without a unit takes the target's."""
    if actual is None or actual.value is None or actual.parts:
        return None
    value, unit = base(actual.value, actual.unit)
    if unit is None or target_unit is None or unit == target_unit:
        return value, target_unit if unit is None else unit
    return None


def full(weight: Decimal, reason: str) -> Scored:
    return Scored(weight, "full", f"{reason}，得满分 {text(weight)}", met=True)


def quantitative(
    weight: Decimal, target: Target, actual: Target | None, direction: str | None, places: int
) -> Scored:
    """Forward (more is better), reverse (less is better) or a range, proportional when missed."""
    if target.op is Comparator.RANGE and target.low is not None and target.high is not None:
        return _range(weight, target, actual, places)
    goal = _number(target)
    if goal is None:
        return Scored(None, "unscorable", f"指标值“{target.raw}”没有可比较的数值")
    goal_value, unit = goal
    done = _actual_number(actual, unit)
    if done is None:
        raw = actual.raw if actual is not None else ""
        return Scored(None, "unscorable", f"实际完成值“{raw}”与指标值“{target.raw}”无法按同一单位比较")
    done_value = done[0]
    shown_goal, shown_done = _shown(goal_value, unit), _shown(done_value, unit)
    if direction == "reverse":
        if done_value <= goal_value:
            return full(weight, f"实际 {shown_done} ≤ 目标 {shown_goal}")
        if goal_value <= 0:  # a bound at or below zero, missed: no share of the weight is left
            return Scored(ZERO, "inverse", f"实际 {shown_done} > 目标 {shown_goal}，得 0", met=False)
        points = rounded(weight * goal_value / done_value, places)  # done > goal > 0
        return Scored(
            points,
            "inverse",
            f"实际 {shown_done} > 目标 {shown_goal}，按比例 {text(weight)} × {text(goal_value)} ÷ "
            f"{text(done_value)} = {text(points)}",
            met=False,
        )
    if done_value >= goal_value:
        return full(weight, f"实际 {shown_done} ≥ 目标 {shown_goal}")
    if goal_value <= 0:
        return Scored(ZERO, "proportional", f"实际 {shown_done} < 目标 {shown_goal}，得 0", met=False)
    points = rounded(weight * max(done_value, ZERO) / goal_value, places)
    return Scored(
        points,
        "proportional",
        f"实际 {shown_done} < 目标 {shown_goal}，按比例 {text(weight)} × {text(max(done_value, ZERO))} ÷ "
        f"{text(goal_value)} = {text(points)}",
        met=False,
    )


def _range(weight: Decimal, target: Target, actual: Target | None, places: int) -> Scored:
    assert target.low is not None and target.high is not None
    low, unit = base(target.low, target.unit)
    high, _ = base(target.high, target.unit)
    done = _actual_number(actual, unit)
    if done is None:
        raw = actual.raw if actual is not None else ""
        return Scored(None, "unscorable", f"实际完成值“{raw}”与指标值“{target.raw}”无法按同一单位比较")
    value = done[0]
    span = f"{_shown(low, unit)}–{_shown(high, unit)}"
    if low <= value <= high:
        return full(weight, f"实际 {_shown(value, unit)} 在目标区间 {span} 内")
    bound = low if value < low else high
    if bound <= 0:  # missed a bound at or below zero: no share of the weight is left
        return Scored(ZERO, "range", f"实际 {_shown(value, unit)} 在目标区间 {span} 外，得 0", met=False)
    if value < low:
        points = rounded(weight * max(value, ZERO) / low, places)
        formula = f"{text(weight)} × {text(max(value, ZERO))} ÷ {text(low)}"
    else:
        points = rounded(weight * high / value, places)  # value > high > 0
        formula = f"{text(weight)} × {text(high)} ÷ {text(value)}"
    return Scored(
        points,
        "range",
        f"实际 {_shown(value, unit)} 在目标区间 {span} 外，按比例 {formula} = {text(points)}",
        met=False,
    )


def deduction(
    weight: Decimal, target: Target, actual: Target | None, per_point: Decimal, places: int
) -> Scored:
    """Full when the target is met; otherwise ``per_point`` % of the weight off per percentage point
    beyond the bound, down to zero (预算调整率：每浮动1%，扣5%权重分值，扣完为止)."""
    goal = _number(target)
    done = _actual_number(actual, goal[1] if goal else None) if goal else None
    if goal is None or done is None:
        raw = actual.raw if actual is not None else ""
        return Scored(None, "unscorable", f"实际完成值“{raw}”与指标值“{target.raw}”无法比较")
    goal_value, unit = goal
    done_value = done[0]
    upper = target.op in (Comparator.LE, Comparator.LT) or target.op is None or target.op is Comparator.EQ
    if target.op in (Comparator.GE, Comparator.GT):
        upper = False
    deviation = done_value - goal_value if upper else goal_value - done_value
    if target.op is Comparator.EQ:
        deviation = abs(done_value - goal_value)
    if deviation <= 0:
        relation = "≤" if upper else "≥"
        return full(weight, f"实际 {_shown(done_value, unit)} {relation} 目标 {_shown(goal_value, unit)}")
    lost = weight * per_point / HUNDRED * deviation
    points = rounded(max(weight - lost, ZERO), places)
    ending = "扣完为止，得 0" if points == 0 else f"扣 {text(rounded(lost, places))}，得 {text(points)}"
    return Scored(
        points,
        "deduction",
        f"实际 {_shown(done_value, unit)} 偏离目标 {target.raw} {text(deviation)} 个百分点，"
        f"每 1 个百分点扣分值的 {text(per_point)}%，{ending}",
        met=False,
    )


def budget_execution(weight: Decimal, rate: Decimal, places: int) -> Scored:
    """预算执行率 score = weight × min(rate, 100%)."""
    if rate >= HUNDRED:
        return Scored(weight, "budget", f"执行率 {text(rate)}% ≥ 100%，得满分 {text(weight)}", met=True)
    points = rounded(weight * max(rate, ZERO) / HUNDRED, places)
    return Scored(
        points,
        "budget",
        f"执行率 {text(rate)}%，{text(weight)} × {text(max(rate, ZERO))}% = {text(points)}",
        met=False,
    )


def deadline(weight: Decimal, target: Target, actual: Target | None, places: int) -> Scored | None:
    """A deadline met or missed when both are months (12月底之前 vs 11月); None when the actual is
    words (按时完成…), which the qualitative tiers then judge."""
    if actual is None or actual.value is None or target.value is None:
        return None
    if actual.kind not in (TargetKind.DEADLINE, TargetKind.QUANTITY):
        return None
    goal, unit = base(target.value, target.unit)
    done = _actual_number(actual, unit)
    if done is None:
        return None
    if done[0] <= goal:
        return full(weight, f"实际 {_shown(done[0], unit)}，在期限 {target.raw} 内")
    if (
        target.unit == actual.unit == "月份" and goal > 0
    ):  # calendar months (次年2月 is month 14): late, in proportion
        points = rounded(weight * goal / done[0], places)
        return Scored(
            points,
            "inverse",
            f"实际“{actual.raw}”晚于期限“{target.raw}”（第 {text(done[0])} 个月 > 第 {text(goal)} 个月），"
            f"按比例 {text(weight)} × {text(goal)} ÷ {text(done[0])} = {text(points)}",
            met=False,
        )
    return quantitative(weight, target, actual, "reverse", places)


@identity_cache
def direction(target: Target, indicator_name: str) -> str | None:
    """``target_direction`` decided once per parsed target and indicator name (tables repeat both;
    the parser shares one ``Target`` among cells that read the same)."""
    return target_direction(indicator_name, target)


Tiers = tuple[tuple[str, tuple[str, ...]], ...]


@identity_cache
def _tier_patterns(tiers: Tiers) -> tuple[tuple[str, re.Pattern[str] | None], ...]:
    """The lower tiers, worst first, each with one pattern matching any of its words."""
    return tuple(
        (name, re.compile("|".join(map(re.escape, words))) if words else None)
        for name, words in reversed(tiers[1:])
    )


def tier_of(actual_text: str, target_text: str, tiers: Tiers) -> str:
    """The tier an actual's wording puts it in. Tiers are given best first; the worst tiers' words
    are tried first (未完成 before 完成); wording with no lower tier's words (the target's own word,
    完成, 健全…) is the best tier, and an empty actual the worst."""
    actual = actual_text.strip()
    if not actual:
        return tiers[-1][0]
    for name, pattern in _tier_patterns(tiers):
        if pattern is not None and pattern.search(actual) is not None:
            return name
    return tiers[0][0]


def qualitative(
    weight: Decimal,
    target_text: str,
    actual_text: str,
    tier: str,
    low: Decimal,
    high: Decimal,
    share: Decimal,
    places: int,
    chosen: bool = False,
    reported: Decimal | None = None,
) -> Scored:
    """Points within the tier's range. A reviewer's choice wins; else the document's own score held
    to the range (the rule lets the department choose within its tier: 8 of 10 in 达成 stands, 2 of 2
    in 部分达成 becomes the tier's top 1.6); else ``share`` percent of the weight (the default)."""
    bottom, top = rounded(weight * low / HUNDRED, places), rounded(weight * high / HUNDRED, places)
    head = f"实际“{actual_text}”（目标“{target_text}”）属{tier}，按规则得分区间 {text(bottom)}–{text(top)}"
    if chosen:
        points = rounded(weight * share / HUNDRED, places)
        how = f"审核人选定 {text(points)}"
    elif reported is not None and bottom <= reported <= top:
        points = rounded(reported, places)
        how = f"自评 {text(reported)} 在区间内，取 {text(points)}"
    elif reported is not None:
        points = top if reported > top else bottom
        how = f"自评 {text(reported)} {'高于' if reported > top else '低于'}区间，取{'上' if reported > top else '下'}限 {text(points)}"
    else:
        points = rounded(weight * share / HUNDRED, places)
        how = f"取 {text(points)}"
    return Scored(
        points,
        "qualitative",
        f"{head}，{how}",
        met=tier == "达成",
        tier=tier,
        allowed=(bottom, top),
    )
