"""Scoring methods one by one (exact points and the explanation a user reads), then
``score_indicator`` on indicator rows parsed as the readers parse them, and on seed 002's own rows.

Rulesets: henan-dept (seed 002's footnote: deductions for 预算调整率 / 结转结余率 / 三公经费) and
national-project (财预〔2020〕10号: no deductions, so 预算调整率 is scored as a reverse target).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from jixiao.ingest.load import parse_file
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.model.target import Target
from jixiao.model.values import parse_actual, parse_target
from jixiao.scoring import load_ruleset, score_indicator
from jixiao.scoring.engine import score_rows
from jixiao.scoring.methods import (
    Scored,
    base,
    budget_execution,
    deadline,
    deduction,
    qualitative,
    quantitative,
    rounded,
    text,
    tier_of,
)
from jixiao.scoring.sheet import ScoreRow
from tests.conftest import SEED_002

HENAN = load_ruleset("henan-dept")
NATIONAL = load_ruleset("national-project")
TIERS = tuple((tier.name, tier.words) for tier in HENAN.tiers)


def pair(target: str, actual: str, name: str | None = None) -> tuple[Target, Target]:
    parsed = parse_target(target, name)
    return parsed, parse_actual(actual, parsed)


def row(
    name: str, target: str, actual: str | None, weight: str | None, score: str | None = None
) -> Indicator:
    parsed = parse_target(target, name)
    return Indicator(
        level1="产出指标",
        name=name,
        target=parsed,
        actual_raw=actual,
        actual=parse_actual(actual, parsed) if actual else None,
        weight=Decimal(weight) if weight is not None else None,
        score=Decimal(score) if score is not None else None,
    )


# ----------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "shown"),
    [("15.00", "15"), ("1.40", "1.4"), ("100", "100"), ("1E+2", "100"), ("0.00", "0"), ("98.95", "98.95"),
     ("0.0000001", "0.0000001"), ("-2.50", "-2.5"), ("1234567.8900", "1234567.89")],
)  # fmt: skip
def test_text_prints_without_trailing_zeros_or_exponent(value: str, shown: str) -> None:
    assert text(Decimal(value)) == shown


def test_rounded_is_half_up() -> None:
    assert rounded(Decimal("8.335"), 2) == Decimal("8.34")
    assert rounded(Decimal("8.345"), 2) == Decimal("8.35")
    assert rounded(Decimal("0.5"), 0) == Decimal("1")
    assert str(rounded(Decimal(15), 2)) == "15.00"


def test_base_units_scale_prefixes_and_merge_spellings() -> None:
    assert base(Decimal(1), "万人") == (Decimal(10000), "人")
    assert base(Decimal(30), "万元") == (Decimal(300000), "元")
    assert base(Decimal("1.5"), "亿元") == (Decimal(150000000), "元")
    assert base(Decimal(12), "月份") == (Decimal(12), "月")
    assert base(Decimal(24), "个月") == (Decimal(24), "月")
    assert base(Decimal(95), "%") == (Decimal(95), "%")
    assert base(Decimal(3), None) == (Decimal(3), None)


# ------------------------------------------------------------------------------ quantitative


def test_forward_met_gets_full_points() -> None:
    target, actual = pair("≥90%", "98%")
    assert quantitative(Decimal(15), target, actual, "forward", 2) == Scored(
        Decimal(15), "full", "实际 98% ≥ 目标 90%，得满分 15", met=True
    )


def test_forward_missed_is_proportional() -> None:
    target, actual = pair("≥90%", "81%")
    scored = quantitative(Decimal(15), target, actual, "forward", 2)
    assert scored.points == Decimal("13.50")
    assert scored.method == "proportional"
    assert scored.met is False
    assert scored.explanation == "实际 81% < 目标 90%，按比例 15 × 81 ÷ 90 = 13.5"


def test_forward_negative_actual_counts_as_zero() -> None:
    target, actual = pair("≥5%", "-3%")
    scored = quantitative(Decimal(10), target, actual, "forward", 2)
    assert scored.points == Decimal("0.00")
    assert scored.explanation == "实际 -3% < 目标 5%，按比例 10 × 0 ÷ 5 = 0"


def test_forward_zero_goal_missed_gets_zero() -> None:
    target, actual = pair("≥0%", "-1%")
    scored = quantitative(Decimal(10), target, actual, "forward", 2)
    assert (scored.points, scored.explanation) == (Decimal(0), "实际 -1% < 目标 0%，得 0")


def test_reverse_met_and_missed() -> None:
    target, actual = pair("≤10%", "0%")
    assert (
        quantitative(Decimal(10), target, actual, "reverse", 2).explanation == "实际 0% ≤ 目标 10%，得满分 10"
    )
    target, actual = pair("≤10%", "12%")
    scored = quantitative(Decimal(10), target, actual, "reverse", 2)
    assert (scored.points, scored.method, scored.met) == (Decimal("8.33"), "inverse", False)
    assert scored.explanation == "实际 12% > 目标 10%，按比例 10 × 10 ÷ 12 = 8.33"


def test_reverse_negative_goal_missed_gets_zero_not_below() -> None:
    target, actual = pair("≤-5%", "3%", "成本变动率")
    scored = quantitative(Decimal(10), target, actual, "reverse", 2)
    assert scored.points == Decimal(0)
    assert scored.explanation == "实际 3% > 目标 -5%，得 0"


def test_range_inside_below_and_above() -> None:
    target, actual = pair("90%-95%", "92%")
    assert quantitative(Decimal(10), target, actual, "equal", 2) == Scored(
        Decimal(10), "full", "实际 92% 在目标区间 90%–95% 内，得满分 10", met=True
    )
    target, actual = pair("90%-95%", "80%")
    below = quantitative(Decimal(10), target, actual, "equal", 2)
    assert (below.points, below.method) == (Decimal("8.89"), "range")
    assert below.explanation == "实际 80% 在目标区间 90%–95% 外，按比例 10 × 80 ÷ 90 = 8.89"
    target, actual = pair("90%-95%", "97%")
    above = quantitative(Decimal(10), target, actual, "equal", 2)
    assert above.points == Decimal("9.79")
    assert above.explanation == "实际 97% 在目标区间 90%–95% 外，按比例 10 × 95 ÷ 97 = 9.79"


def test_units_are_compared_in_their_base() -> None:
    target, actual = pair("≥1万人", "12000人")
    assert quantitative(Decimal(5), target, actual, "forward", 2).explanation == (
        "实际 12000人 ≥ 目标 10000人，得满分 5"
    )
    target, actual = pair("≤50万元", "520000元")
    scored = quantitative(Decimal(5), target, actual, "reverse", 2)
    assert scored.points == Decimal("4.81")
    assert scored.explanation == "实际 520000元 > 目标 500000元，按比例 5 × 500000 ÷ 520000 = 4.81"


def test_a_bare_number_takes_the_targets_unit() -> None:
    target, actual = pair("≥1万人", "9000")
    scored = quantitative(Decimal(5), target, actual, "forward", 2)
    assert scored.explanation == "实际 9000人 < 目标 10000人，按比例 5 × 9000 ÷ 10000 = 4.5"


def test_different_units_and_wordless_targets_cannot_be_scored() -> None:
    target, actual = pair("≥95%", "5人")
    scored = quantitative(Decimal(15), target, actual, "forward", 2)
    assert (scored.points, scored.method) == (None, "unscorable")
    assert scored.explanation == "实际完成值“5人”与指标值“≥95%”无法按同一单位比较"
    target, actual = pair("好", "5人")
    assert quantitative(Decimal(15), target, actual, "forward", 2).explanation == "指标值“好”没有可比较的数值"
    target = parse_target("≥95%")
    assert quantitative(Decimal(15), target, None, "forward", 2).explanation == (
        "实际完成值“”与指标值“≥95%”无法按同一单位比较"
    )


# --------------------------------------------------------------------------------- deduction


def test_deduction_five_percent_of_the_weight_per_point() -> None:
    """预算调整率 ≤10%, actual 12%: 2 points over, weight × (1 − 5% × 2)."""
    target, actual = pair("≤10%", "12%")
    scored = deduction(Decimal(2), target, actual, Decimal(5), 2)
    assert scored.points == Decimal(2) * (1 - Decimal("0.05") * 2)
    assert (scored.points, scored.method, scored.met) == (Decimal("1.80"), "deduction", False)
    assert scored.explanation == "实际 12% 偏离目标 ≤10% 2 个百分点，每 1 个百分点扣分值的 5%，扣 0.2，得 1.8"


def test_deduction_stops_at_zero() -> None:
    target, actual = pair("≤20%", "100%")
    scored = deduction(Decimal(1), target, actual, Decimal(5), 2)
    assert scored.points == Decimal(0)
    assert (
        scored.explanation == "实际 100% 偏离目标 ≤20% 80 个百分点，每 1 个百分点扣分值的 5%，扣完为止，得 0"
    )


def test_deduction_within_bound_is_full_and_lower_bounds_deduct_below() -> None:
    target, actual = pair("≤10%", "(0.1%)")
    assert (
        deduction(Decimal(2), target, actual, Decimal(5), 2).explanation == "实际 0.1% ≤ 目标 10%，得满分 2"
    )
    target, actual = pair("≥98%", "95%")
    scored = deduction(Decimal(4), target, actual, Decimal(2), 2)
    assert scored.points == Decimal("3.76")  # 4 × (1 − 2% × 3)
    target, actual = pair("=100%", "97%")
    assert deduction(Decimal(4), target, actual, Decimal(2), 2).points == Decimal("3.76")


def test_deduction_without_a_comparable_actual_is_unscorable() -> None:
    target, actual = pair("≤10%", "较少")
    scored = deduction(Decimal(2), target, actual, Decimal(5), 2)
    assert (scored.points, scored.explanation) == (None, "实际完成值“较少”与指标值“≤10%”无法比较")


# ---------------------------------------------------------------------- budget and deadlines


def test_budget_execution_is_capped_at_the_weight() -> None:
    assert budget_execution(Decimal(10), Decimal(105), 2) == Scored(
        Decimal(10), "budget", "执行率 105% ≥ 100%，得满分 10", met=True
    )
    scored = budget_execution(Decimal(10), Decimal("93.12"), 2)
    assert (scored.points, scored.explanation) == (Decimal("9.31"), "执行率 93.12%，10 × 93.12% = 9.31")
    assert budget_execution(Decimal(10), Decimal(-5), 2).points == Decimal(0)


def test_deadline_met_missed_and_left_to_words() -> None:
    target, actual = pair("12月底之前", "11月", "资金拨付时间")
    assert deadline(Decimal(3), target, actual, 2) == Scored(
        Decimal(3), "full", "实际 11月，在期限 12月底之前 内，得满分 3", met=True
    )
    target, actual = pair("≤24月", "30个月", "建设工期")
    missed = deadline(Decimal(3), target, actual, 2)
    assert missed is not None
    assert (missed.points, missed.method) == (Decimal("2.40"), "inverse")
    assert missed.explanation == "实际 30月 > 目标 24月，按比例 3 × 24 ÷ 30 = 2.4"
    target, actual = pair("12月底之前", "按时完成", "资金拨付时间")
    assert deadline(Decimal(3), target, actual, 2) is None


def test_a_deadline_met_only_next_year_is_late() -> None:
    target, actual = pair("12月底之前", "次年2月", "资金拨付时间")
    late = deadline(Decimal(3), target, actual, 2)
    assert late is not None
    assert (late.points, late.method, late.met) == (Decimal("2.57"), "inverse", False)
    assert late.explanation == (
        "实际“次年2月”晚于期限“12月底之前”（第 14 个月 > 第 12 个月），按比例 3 × 12 ÷ 14 = 2.57"
    )


# ------------------------------------------------------------------------------- qualitative


@pytest.mark.parametrize(
    ("actual", "tier"),
    [("健全", "达成"), ("已建立", "达成"), ("相关", "达成"), ("一般合理", "部分达成"), ("基本完成", "部分达成"),
     ("有待完善", "部分达成"), ("未完成", "未达成"), ("不健全", "未达成"), ("较差", "未达成"), ("", "未达成"),
     ("  ", "未达成")],
)  # fmt: skip
def test_tier_of_real_wording(actual: str, tier: str) -> None:
    assert tier_of(actual, "健全", TIERS) == tier


def test_qualitative_points_and_allowed_range() -> None:
    scored = qualitative(Decimal(2), "合理", "一般合理", "部分达成", Decimal(60), Decimal(80), Decimal(70), 2)
    assert (scored.points, scored.allowed, scored.tier, scored.met) == (
        Decimal("1.40"),
        (Decimal("1.20"), Decimal("1.60")),
        "部分达成",
        False,
    )
    assert scored.explanation == "实际“一般合理”（目标“合理”）属部分达成，按规则得分区间 1.2–1.6，取 1.4"
    chosen = qualitative(
        Decimal(10), "健全", "健全", "达成", Decimal(80), Decimal(100), Decimal(90), 2, chosen=True
    )
    assert (chosen.points, chosen.met) == (Decimal("9.00"), True)
    assert chosen.explanation == "实际“健全”（目标“健全”）属达成，按规则得分区间 8–10，审核人选定 9"


# ---------------------------------------------------------------------------- score_indicator


def test_score_indicator_scales_units() -> None:
    assert score_indicator(row("城镇新增就业人数", "≥1万人", "12000人", "5"), HENAN).points == Decimal(5)
    assert score_indicator(row("城镇新增就业人数", "≥1万人", "1.2万人", "5"), HENAN).points == Decimal(5)
    missed = score_indicator(row("城镇新增就业人数", "≥1万人", "9000人", "5"), HENAN)
    assert (missed.points, missed.method) == (Decimal("4.50"), "proportional")
    cost = score_indicator(row("项目总成本", "≤50万元", "520000元", "5"), HENAN)
    assert (cost.points, cost.method) == (Decimal("4.81"), "inverse")
    assert score_indicator(row("项目总成本", "≤50万元", "480000元", "5"), HENAN).points == Decimal(5)
    fraction = score_indicator(row("群众满意度", "≥95%", "0.9", "15"), HENAN)
    percent = score_indicator(row("群众满意度", "≥95%", "90%", "15"), HENAN)
    assert fraction == percent
    assert fraction.points == Decimal("14.21")
    assert fraction.explanation == "实际 90% < 目标 95%，按比例 15 × 90 ÷ 95 = 14.21"


def test_score_indicator_deductions_follow_the_ruleset() -> None:
    adjusted = row("预算调整率", "≤10%", "12%", "2")
    assert score_indicator(adjusted, HENAN).points == Decimal("1.80")
    national = score_indicator(adjusted, NATIONAL)  # no deductions there: a reverse target
    assert (national.points, national.method) == (Decimal("1.67"), "inverse")
    three = score_indicator(row("“三公经费”控制率", "≤100%", "104%", "1"), HENAN)
    assert (three.points, three.method) == (Decimal("0.92"), "deduction")  # 1 × (1 − 2% × 4)
    assert (
        three.explanation == "实际 104% 偏离目标 ≤100% 4 个百分点，每 1 个百分点扣分值的 2%，扣 0.08，得 0.92"
    )


def test_score_indicator_qualitative_tiers_and_a_reviewers_choice() -> None:
    reasonable = row("绩效指标合理性", "合理", "一般合理", "2")
    assert score_indicator(reasonable, HENAN).points == Decimal("1.40")
    chosen = score_indicator(reasonable, HENAN, Decimal("1.5"))
    assert chosen.points == Decimal("1.50")
    assert chosen.explanation.endswith("审核人选定 1.5")
    outside = score_indicator(reasonable, HENAN, Decimal("1.9"))  # above the tier: the default stands
    assert (outside.points, outside.explanation.endswith("取 1.4")) == (Decimal("1.40"), True)
    broken = score_indicator(row("管理制度健全性", "健全", "不健全", "2"), HENAN)
    assert (broken.points, broken.tier, broken.allowed) == (
        Decimal("0.60"),
        "未达成",
        (Decimal(0), Decimal("1.2")),
    )


def test_score_indicator_deadline_words_go_to_the_tiers() -> None:
    scored = score_indicator(row("资金拨付时间", "12月底之前", "按时完成", "3"), HENAN)
    assert (scored.points, scored.tier) == (Decimal("3.00"), "达成")
    assert scored.explanation == "实际“按时完成”（目标“12月底之前”）属达成，按规则得分区间 2.4–3，取 3"
    assert score_indicator(row("资金拨付时间", "12月底之前", "11月", "3"), HENAN).method == "full"


def test_score_indicator_missing_unweighted_and_unscorable() -> None:
    missing = score_indicator(row("群众满意度", "≥95%", None, "15"), HENAN)
    assert missing == Scored(Decimal(0), "missing", "缺少实际完成值，按规则记 0 分", met=False)
    assert score_indicator(row("群众满意度", "≥95%", "  ", "15"), HENAN).method == "missing"
    assert score_indicator(row("群众满意度", "≥95%", "98%", None), HENAN) == Scored(
        None, "unweighted", "没有分值，不计分"
    )
    other_unit = score_indicator(row("群众满意度", "≥95%", "5人", "15"), HENAN)
    assert (other_unit.points, other_unit.method) == (None, "unscorable")
    words = score_indicator(row("群众满意度", "≥95%", "很高", "15"), HENAN)  # words against a number
    assert (words.method, words.tier) == ("qualitative", "达成")


# --------------------------------------------------------------------------------- seed 002


@cache
def seed_002() -> SelfEvaluation:
    form = next(f for f in parse_file(SEED_002).forms if isinstance(f, SelfEvaluation))
    assert isinstance(form, SelfEvaluation)
    return form


def seed_row(name: str) -> Indicator:
    return next(indicator for indicator in seed_002().indicators if indicator.name == name)


@pytest.mark.parametrize(
    ("name", "points", "method", "reported"),
    [
        ("结转结余率", "0.00", "deduction", "1"),  # ≤20% against 100%: 80 points over, all 1 lost
        ("预算调整率", "2", "full", "2"),  # ≤10% against (0.1%)
        ("绩效指标合理性", "1.60", "qualitative", "2"),  # 一般合理: 部分达成 1.2–1.6; the 2 given held to 1.6
        ("群众满意度", "15", "full", "14"),  # ≥90% against 98.95%
        ("长效管理制度", "9.00", "qualitative", "9"),  # 健全 against 健全: 达成 8–10; the 9 given stands
        ("重点工作1计划完成率", "3", "full", "3"),
    ],
)
def test_seed_002_rows(name: str, points: str, method: str, reported: str) -> None:
    indicator = seed_row(name)
    assert indicator.score == Decimal(reported)
    scored = score_indicator(indicator, HENAN)
    assert (scored.points, scored.method) == (Decimal(points), method)


def test_rows_built_without_validation_are_valid_score_rows() -> None:
    """``score_rows`` builds rows without pydantic's validation (and copies repeated ones): each
    must be the row pydantic would build from the same values, every field set."""
    rows = score_rows(seed_002().indicators * 2, HENAN)  # the second half copied from the first
    assert len(rows) == 64
    for row in rows:
        assert ScoreRow.model_validate(row.model_dump()) == row
        assert row.model_fields_set == set(ScoreRow.model_fields)
    assert [row.model_dump() for row in rows[:32]] == [row.model_dump() for row in rows[32:]]
    reasonable = next(row for row in rows if row.indicator.endswith("绩效指标合理性"))
    assert (reasonable.level, reasonable.computed_score, reasonable.departs) == (
        "投入管理指标",
        Decimal("1.60"),
        True,
    )
    assert [loc.cell for loc in reasonable.locations[:1]] == [seed_row("绩效指标合理性").cells["score"].cell]
