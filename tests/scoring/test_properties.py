"""Properties of scoring that hold for any row, checked with hypothesis.

(a) a score never exceeds its weight nor falls below zero, whatever the method and wording;
(b) a forward score never decreases as the actual rises, a reverse one never increases;
(c) a sheet's total is the sum of its rows (and of its levels);
(d) the unit a value is written in does not change its score (万元 ↔ 元, 0.95 ↔ 95%, 万人 ↔ 人);
(e) a row the scorer copies from an earlier identical one is exactly the row computed afresh.

Targets and actuals are written as text and parsed as the readers parse them, so the properties
cover the parser's readings too (bare fractions against a % target, unit prefixes).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.model.indicators import Indicator
from jixiao.model.values import parse_actual, parse_target
from jixiao.scoring import engine, load_ruleset, score_indicator, what_if
from jixiao.scoring.methods import budget_execution, deduction, qualitative, text, tier_of
from jixiao.scoring.sheet import ScoreRow

RULESETS = tuple(load_ruleset(name) for name in ("henan-dept", "national-dept", "national-project"))
HENAN, NATIONAL_PROJECT = RULESETS[0], RULESETS[2]
EXAMPLES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLES = settings(EXAMPLES, max_examples=100)  # whole tables of up to 12 rows: fewer, to stay fast

#: Names that make a row forward, reverse, neutral (the comparator decides), or scored by deduction.
FORWARD_NAMES = ("群众满意度", "培训合格率", "城镇新增就业人数")
REVERSE_NAMES = ("人均培训成本", "群众投诉率")
NEUTRAL_NAMES = ("组织招聘活动场次", "重点工作1计划完成率")
DEDUCTION_NAMES = ("预算调整率", "结转结余率", "“三公经费”控制率")
UNITS = ("%", "人", "万人", "万元", "元")
WORDS = (
    "健全", "已完成", "完成", "一般合理", "基本完成", "部分完成", "未完成", "不健全", "较差", "按时完成",
    "有所提高", "显著", "有待提高", "", "  ", "——", "无", "达到预期", "未达到", "尚可", "差",
)  # fmt: skip

weights = st.decimals(min_value=0, max_value=100, places=2) | st.integers(0, 100).map(Decimal)
places = st.integers(0, 2)
amounts = st.decimals(min_value=0, max_value=100000, places=2)


@st.composite
def decimal_text(draw: st.DrawFn, low: int = -50, high: int = 100000) -> str:
    """A number as a form prints it: 95, 98.95, 0.5 (never an exponent)."""
    number = draw(st.decimals(min_value=low, max_value=high, places=draw(places)))
    return text(number)


@st.composite
def target_texts(draw: st.DrawFn) -> str:
    unit = draw(st.sampled_from(UNITS))
    shape = draw(st.sampled_from(("≥", "≤", "", "=", ">", "<", "range")))
    if shape == "range":
        low, high = sorted((draw(decimal_text(0, 1000)), draw(decimal_text(0, 1000))), key=Decimal)
        return f"{low}{unit}-{high}{unit}"
    return f"{shape}{draw(decimal_text())}{unit}"


@st.composite
def actual_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("number", "number", "number", "fraction", "words", "any")))
    if kind == "number":
        return f"{draw(decimal_text())}{draw(st.sampled_from(UNITS))}"
    if kind == "fraction":
        return text(draw(st.decimals(min_value=0, max_value=1, places=3)))
    if kind == "words":
        return draw(st.sampled_from(WORDS))
    return draw(st.text(alphabet="0123456789.%人元万≥≤完成未部分一般不健全差好", max_size=10))


def indicator(
    name: str, target: str, actual: str | None, weight: Decimal, score: Decimal | None = None
) -> Indicator:
    parsed = parse_target(target, name)
    return Indicator(
        level1="产出指标",
        name=name,
        target=parsed,
        actual_raw=actual,
        actual=parse_actual(actual, parsed) if actual else None,
        weight=weight,
        score=score,
    )


def points(name: str, target: str, actual: str, weight: Decimal = Decimal(10)) -> Decimal:
    scored = score_indicator(indicator(name, target, actual, weight), HENAN)
    assert scored.points is not None, scored
    return scored.points


# ------------------------------------------------------------------------ (a) within the weight


@EXAMPLES
@given(
    name=st.sampled_from(FORWARD_NAMES + REVERSE_NAMES + NEUTRAL_NAMES + DEDUCTION_NAMES + ("长效管理制度",)),
    target=target_texts() | st.sampled_from(("健全", "合理", "12月底之前", "≤24月", "及时")),
    actual=actual_texts(),
    weight=weights,
    reported=st.none() | st.decimals(min_value=-5, max_value=120, places=2),
    choice=st.none() | st.decimals(min_value=-5, max_value=120, places=2),
)
def test_a_score_stays_within_its_weight(
    name: str, target: str, actual: str, weight: Decimal, reported: Decimal | None, choice: Decimal | None
) -> None:
    row = indicator(name, target, actual, weight, reported)
    for ruleset in RULESETS:
        scored = score_indicator(row, ruleset, choice)
        if scored.points is not None:
            assert Decimal(0) <= scored.points <= weight, (ruleset.name, scored)
        if scored.allowed is not None:
            assert Decimal(0) <= scored.allowed[0] <= scored.allowed[1] <= weight


@EXAMPLES
@given(
    words=st.sampled_from(WORDS) | st.text(max_size=12),
    weight=weights,
    tier=st.integers(0, 2),
    share=st.decimals(min_value=0, max_value=100, places=2),
    reported=st.none() | st.decimals(min_value=-5, max_value=120, places=2),
    chosen=st.booleans(),
)
def test_a_qualitative_score_stays_within_its_weight_for_any_wording(
    words: str, weight: Decimal, tier: int, share: Decimal, reported: Decimal | None, chosen: bool
) -> None:
    tiers = HENAN.tiers
    named = tier_of(words, "健全", tuple((t.name, t.words) for t in tiers))
    assert named in {t.name for t in tiers}
    low, high = sorted((tiers[tier].low, tiers[tier].high))
    share = min(max(share, low), high)
    scored = qualitative(weight, "健全", words, tiers[tier].name, low, high, share, 2, chosen, reported)
    assert scored.points is not None
    assert Decimal(0) <= scored.points <= weight
    assert scored.allowed is not None
    assert scored.allowed[0] <= scored.points <= scored.allowed[1]


@EXAMPLES
@given(weight=weights, rate=st.decimals(min_value=-100, max_value=10000, places=4))
def test_budget_execution_stays_within_its_weight(weight: Decimal, rate: Decimal) -> None:
    scored = budget_execution(weight, rate, 2)
    assert scored.points is not None
    assert Decimal(0) <= scored.points <= weight


@EXAMPLES
@given(
    weight=weights,
    target=target_texts(),
    actual=actual_texts(),
    per_point=st.decimals(min_value="0.01", max_value=100, places=2),
)
def test_a_deduction_stays_within_its_weight(
    weight: Decimal, target: str, actual: str, per_point: Decimal
) -> None:
    parsed = parse_target(target)
    scored = deduction(weight, parsed, parse_actual(actual, parsed), per_point, 2)
    if scored.points is not None:
        assert Decimal(0) <= scored.points <= weight


# -------------------------------------------------------------------------------- (b) monotone


@EXAMPLES
@given(
    name=st.sampled_from(FORWARD_NAMES + NEUTRAL_NAMES),
    op=st.sampled_from(("≥", ">", "", "=")),
    goal=decimal_text(0, 10000),
    low=decimal_text(-50, 20000),
    high=decimal_text(-50, 20000),
    unit=st.sampled_from(UNITS),
    weight=weights,
)
def test_a_forward_score_never_decreases_as_the_actual_rises(
    name: str, op: str, goal: str, low: str, high: str, unit: str, weight: Decimal
) -> None:
    low, high = sorted((low, high), key=Decimal)
    target = f"{op}{goal}{unit}"
    assert points(name, target, f"{low}{unit}", weight) <= points(name, target, f"{high}{unit}", weight)


@EXAMPLES
@given(
    name=st.sampled_from(REVERSE_NAMES + NEUTRAL_NAMES),
    op=st.sampled_from(("≤", "<")),
    goal=decimal_text(-50, 10000),
    low=decimal_text(-50, 20000),
    high=decimal_text(-50, 20000),
    unit=st.sampled_from(UNITS),
    weight=weights,
)
def test_a_reverse_score_never_increases_as_the_actual_rises(
    name: str, op: str, goal: str, low: str, high: str, unit: str, weight: Decimal
) -> None:
    low, high = sorted((low, high), key=Decimal)
    target = f"{op}{goal}{unit}"
    assert points(name, target, f"{low}{unit}", weight) >= points(name, target, f"{high}{unit}", weight)


@EXAMPLES
@given(
    name=st.sampled_from(DEDUCTION_NAMES),
    goal=decimal_text(0, 100),
    low=decimal_text(0, 200),
    high=decimal_text(0, 200),
    weight=weights,
)
def test_a_deduction_for_an_upper_bound_never_increases_as_the_actual_rises(
    name: str, goal: str, low: str, high: str, weight: Decimal
) -> None:
    low, high = sorted((low, high), key=Decimal)
    target = f"≤{goal}%"
    assert points(name, target, f"{low}%", weight) >= points(name, target, f"{high}%", weight)


# ---------------------------------------------------------------------------- (c) sum of rows


LEVELS = {
    "henan-dept": ("投入管理指标", "产出指标", "效益指标"),
    "national-project": ("产出指标", "效益指标", "满意度指标"),
}


@st.composite
def rows(draw: st.DrawFn) -> tuple[list[Indicator], dict[str, str]]:
    count = draw(st.integers(0, 12))
    indicators: list[Indicator] = []
    actuals: dict[str, str] = {}
    level_names = draw(st.sampled_from(tuple(LEVELS.values())))
    for number in range(count):
        name = f"{draw(st.sampled_from(FORWARD_NAMES + REVERSE_NAMES + DEDUCTION_NAMES + ('长效管理制度',)))}{number}"
        target = draw(target_texts() | st.sampled_from(("健全", "合理", "12月底之前")))
        parsed = parse_target(target, name)
        weight = draw(st.none() | weights)
        indicators.append(
            Indicator(
                level1=draw(st.sampled_from((*level_names, "其他"))), name=name, target=parsed, weight=weight
            )
        )
        if draw(st.booleans()):
            actuals[name] = draw(actual_texts())
    return indicators, actuals


@TABLES
@given(
    table=rows(),
    ruleset=st.sampled_from((HENAN, NATIONAL_PROJECT)),
    budget_rate=st.none() | st.decimals(min_value=0, max_value=120, places=2),
)
def test_a_sheets_total_is_the_sum_of_its_rows(
    table: tuple[list[Indicator], dict[str, str]], ruleset: object, budget_rate: Decimal | None
) -> None:
    assert ruleset in (HENAN, NATIONAL_PROJECT)
    indicators, actuals = table
    sheet = what_if(indicators, actuals, HENAN if ruleset is HENAN else NATIONAL_PROJECT, budget_rate)
    computed = [row.computed_score for row in sheet.rows if row.computed_score is not None]
    assert sheet.total_computed == sum(computed, Decimal(0))
    assert sheet.total_computed == sum((level.computed for level in sheet.levels), Decimal(0))
    assert len(sheet.rows) == len(indicators) + 1  # the budget execution line comes first
    assert sheet.grade_computed == (HENAN if ruleset is HENAN else NATIONAL_PROJECT).grade(
        sheet.total_computed
    )


# ----------------------------------------------------------------------------------- (d) units


OPS = st.sampled_from(("≥", "≤", "", "=", ">", "<"))
NAMES = st.sampled_from(FORWARD_NAMES + REVERSE_NAMES + NEUTRAL_NAMES)


@EXAMPLES
@given(name=NAMES, op=OPS, goal=amounts, done=amounts, weight=weights, mixed=st.booleans())
def test_wan_yuan_and_yuan_score_alike(
    name: str, op: str, goal: Decimal, done: Decimal, weight: Decimal, mixed: bool
) -> None:
    """target 50万元 actual 40万元 scores as target 500000元 actual 400000元 (or a mix of both)."""
    wan = points(name, f"{op}{text(goal)}万元", f"{text(done)}万元", weight)
    actual = f"{text(done)}万元" if mixed else f"{text(done * 10000)}元"
    assert points(name, f"{op}{text(goal * 10000)}元", actual, weight) == wan


@EXAMPLES
@given(
    name=NAMES,
    op=st.sampled_from(("≥", ">", "", "=")),  # against ≤10% a bare 0.5 is 0.5% (预算调整率), by design
    goal=st.decimals(min_value=0, max_value=100, places=2),
    done=st.decimals(min_value=0, max_value=1, places=4),
    weight=weights,
)
def test_a_fraction_scores_as_its_percentage(
    name: str, op: str, goal: Decimal, done: Decimal, weight: Decimal
) -> None:
    """actual 0.95 against a % target scores as 95%."""
    target = f"{op}{text(goal)}%"
    assert points(name, target, text(done), weight) == points(name, target, f"{text(done * 100)}%", weight)


@EXAMPLES
@given(name=NAMES, op=OPS, goal=amounts, done=amounts, weight=weights)
def test_wan_ren_and_ren_score_alike(
    name: str, op: str, goal: Decimal, done: Decimal, weight: Decimal
) -> None:
    """1.2万人 scores as 12000人, in the target and in the actual."""
    wan = points(name, f"{op}{text(goal)}万人", f"{text(done)}万人", weight)
    assert points(name, f"{op}{text(goal * 10000)}人", f"{text(done * 10000)}人", weight) == wan
    assert points(name, f"{op}{text(goal)}万人", f"{text(done * 10000)}人", weight) == wan


def test_the_examples_of_the_issue() -> None:
    assert points("项目总成本", "50万元", "40万元") == points("项目总成本", "500000元", "400000元")
    assert points("群众满意度", "≥98%", "0.95") == points("群众满意度", "≥98%", "95%") == Decimal("9.69")
    assert points("城镇新增就业人数", "≥1.5万人", "1.2万人") == points(
        "城镇新增就业人数", "≥15000人", "12000人"
    )
    assert points("城镇新增就业人数", "≥1.5万人", "12000人") == Decimal("8.00")


# ------------------------------------------------------------------- (e) reuse changes nothing


@TABLES
@given(table=rows(), ruleset=st.sampled_from(RULESETS), reported=st.lists(st.none() | weights, max_size=12))
def test_a_row_copied_from_an_earlier_one_is_the_row_computed_afresh(
    table: tuple[list[Indicator], dict[str, str]], ruleset: object, reported: list[Decimal | None]
) -> None:
    """``score_rows`` copies a row that repeats one scored before; the copy must be what scoring it
    afresh gives, down to how its numbers print (2 and 2.000 are one key, each row shows its own)."""
    indicators, actuals = table
    chosen = next(r for r in RULESETS if r is ruleset)
    filled = []
    for number, indicator in enumerate(indicators):
        raw = actuals.get(indicator.name)
        score = reported[number] if number < len(reported) else None
        filled.append(
            indicator.model_copy(
                update={
                    "actual_raw": raw,
                    "actual": parse_actual(raw, indicator.target) if raw else None,
                    "score": score,
                }
            )
        )
    thousandths = Decimal("0.001")
    again = [  # the same rows elsewhere in the table, their numbers printed with three decimals
        indicator.model_copy(
            update={
                "level2": "复核",
                "weight": indicator.weight.quantize(thousandths) if indicator.weight is not None else None,
                "score": indicator.score.quantize(thousandths) if indicator.score is not None else None,
            }
        )
        for indicator in filled
    ]
    fresh = []
    for indicator in filled + again:
        engine._ROWS.clear()
        fresh.extend(engine.score_rows([indicator], chosen))
    engine._ROWS.clear()
    copied = engine.score_rows(filled + again, chosen)
    assert [row.model_dump_json() for row in copied] == [row.model_dump_json() for row in fresh]
    assert all(row.model_fields_set == set(ScoreRow.model_fields) for row in copied)
