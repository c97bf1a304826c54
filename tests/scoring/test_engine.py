"""Scoring seed 002 by its own (Henan) ruleset, choosing rulesets, reviewer choices, what-if."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.model.values import parse_target
from jixiao.scoring import detect_ruleset, load_ruleset, score_evaluation, what_if
from tests.conftest import SEED_002, load_document


@pytest.fixture(scope="module")
def seed_002() -> SelfEvaluation:
    document, _ = load_document(SEED_002)
    [form] = document.forms
    assert isinstance(form, SelfEvaluation)
    return form


def test_seed_002_notes_select_the_henan_ruleset(seed_002: SelfEvaluation) -> None:
    ruleset, detected = detect_ruleset(seed_002)
    assert (ruleset.name, detected) == ("henan-dept", True)
    assert detect_ruleset(SelfEvaluation(scope="project"))[0].name == "national-project"
    assert detect_ruleset(SelfEvaluation(scope="dept")) == (load_ruleset("national-dept"), False)


def test_seed_002_scored_by_its_own_rules(seed_002: SelfEvaluation) -> None:
    sheet = score_evaluation(seed_002)
    assert (sheet.total_reported, sheet.grade_reported) == (Decimal(97), "优")
    assert (sheet.total_computed, sheet.grade_computed) == (Decimal("95.60"), "优")
    levels = {level.name: (level.weight_rule, level.reported, level.computed) for level in sheet.levels}
    assert levels == {
        "预算执行率": (Decimal(10), Decimal(10), Decimal(10)),
        "投入管理指标": (Decimal(30), Decimal(30), Decimal("28.60")),
        "产出指标": (Decimal(25), Decimal(25), Decimal(25)),
        "效益指标": (Decimal(35), Decimal(31), Decimal("32.00")),
    }
    differing = {
        row.indicator.split("/")[-1]: (row.reported_score, row.computed_score, row.departs)
        for row in sheet.rows
        if row.reported_score != row.computed_score
    }
    assert differing == {
        "绩效指标合理性": (Decimal(2), Decimal("1.60"), True),  # 一般合理: 部分达成, at most 1.6 of 2
        "结转结余率": (Decimal(1), Decimal("0.00"), True),  # 100% vs ≤20%: 80 points × 5% > all
        "群众满意度": (Decimal(14), Decimal(15), True),  # 98.95% ≥ 90%: full marks
    }  # 提高… 8 of 10 and 长效管理制度 9 of 10 stand: 达成 allows 8–10
    assert [f.code for f in sheet.findings] == ["S112", "S112", "S112", "S115"]


def test_every_row_explains_its_score(seed_002: SelfEvaluation) -> None:
    sheet = score_evaluation(seed_002)
    explained = {row.indicator.split("/")[-1]: row.explanation for row in sheet.rows}
    assert explained["群众满意度"] == "实际 98.95% ≥ 目标 90%，得满分 15"
    assert explained["预算调整率"] == "实际 0.1% ≤ 目标 10%，得满分 2"
    assert explained["结转结余率"].startswith("实际 100% 偏离目标 ≤20% 80 个百分点")
    assert sheet.rows[0].explanation == "执行率 100% ≥ 100%，得满分 10"  # the 预算执行 block, 10 points
    assert explained["预算执行率"] == "实际 100% ≥ 目标 100%，得满分 2"  # the 投入管理 row of that name
    assert all(row.locations for row in sheet.rows)


def test_a_reviewer_chooses_within_the_tier(seed_002: SelfEvaluation) -> None:
    sheet = score_evaluation(seed_002, choices={"长效管理制度": Decimal(10), "绩效指标合理性": Decimal(2)})
    rows = {row.indicator.split("/")[-1]: row for row in sheet.rows}
    assert rows["长效管理制度"].computed_score == Decimal("10.00")
    assert "审核人选定" in rows["长效管理制度"].explanation
    assert rows["绩效指标合理性"].computed_score == Decimal("1.60")  # 2 is outside 部分达成: ignored
    assert "自评 2 高于区间，取上限 1.6" in rows["绩效指标合理性"].explanation
    assert sheet.total_computed == Decimal("96.60")


def test_without_reported_scores_a_tier_gives_its_default() -> None:
    indicators = [
        Indicator(level1="产出指标", name="制度健全性", target=parse_target("健全"), weight=Decimal(10))
    ]
    sheet = what_if(indicators, {"制度健全性": "基本健全"}, load_ruleset("national-project"))
    assert sheet.rows[1].computed_score == Decimal("7.00") and sheet.rows[1].tier == "部分达成"


def test_the_national_ruleset_does_not_hold_henan_levels(seed_002: SelfEvaluation) -> None:
    sheet = score_evaluation(seed_002, load_ruleset("national-dept"))
    assert not sheet.ruleset_detected
    assert "S114" not in {f.code for f in sheet.findings}
    assert {level.name for level in sheet.levels} >= {"产出指标", "效益指标", "投入管理指标"}


def test_what_if_scores_actuals_entered_before_any_score() -> None:
    indicators = [
        Indicator(level1="产出指标", name="培训人次", target=parse_target("≥2000人次"), weight=Decimal(20)),
        Indicator(level1="产出指标", name="补贴发放准确率", target=parse_target("100%"), weight=Decimal(30)),
        Indicator(level1="效益指标", name="就业率", target=parse_target("≥90%"), weight=Decimal(30)),
        Indicator(
            level1="满意度指标", name="服务对象满意度", target=parse_target("≥90%"), weight=Decimal(10)
        ),
    ]
    actuals = {"培训人次": "1800人次", "补贴发放准确率": "100%", "就业率": "0.95", "服务对象满意度": "92%"}
    sheet = what_if(indicators, actuals, load_ruleset("national-project"), budget_rate=Decimal("96.5"))
    scores = {row.indicator.split("/")[-1]: row.computed_score for row in sheet.rows}
    assert scores == {
        "预算执行率": Decimal("9.65"),
        "培训人次": Decimal("18.00"),
        "补贴发放准确率": Decimal(30),
        "就业率": Decimal(30),
        "服务对象满意度": Decimal(10),
    }
    assert (sheet.total_computed, sheet.grade_computed) == (Decimal("97.65"), "优")
    empty = what_if(indicators, {}, load_ruleset("national-project"))
    assert empty.total_computed == 0 and empty.grade_computed == "差"
    assert {row.method for row in empty.rows} == {"missing"}
