"""S112–S115: a self-evaluation re-scored by the ruleset its own notes describe."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks import scoring
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.values import parse_actual, parse_target
from jixiao.scoring import CODES
from tests.checks.helpers import findings, run
from tests.conftest import SEED_002, load_document

BY_RULE = Registry(
    [
        scoring.score_against_rule,
        scoring.missing_actual,
        scoring.level_weights_against_rule,
        scoring.total_against_rule,
    ]
)
HENAN_NOTES = "原则上一级指标分值统一设为：投入管理指标30分、产出指标25分、效益指标35分、预算执行率10分."


def _row(
    name: str, target: str, actual: str | None, weight: str, score: str, level1: str = "产出指标"
) -> Indicator:
    parsed = parse_target(target, name)
    return Indicator(
        level1=level1,
        name=name,
        target=parsed,
        actual_raw=actual,
        actual=parse_actual(actual, parsed) if actual else None,
        weight=Decimal(weight),
        score=Decimal(score),
        cells={"score": Loc(file="a.txt", table=1, row=3, col=7)},
    )


def test_registry_severities_match_the_scoring_package() -> None:
    for code, (severity, title) in CODES.items():
        assert BY_RULE[code].severity is severity and BY_RULE[code].title == title


def test_s112_a_row_scored_against_the_rule() -> None:
    form = SelfEvaluation(scope="project", indicators=[_row("培训合格率", "≥95%", "90%", "15", "15")])
    assert findings(scoring.score_against_rule, form) == []  # a full score on a visible miss is S108's
    partly = form.model_copy(update={"indicators": [_row("培训合格率", "≥95%", "90%", "15", "12")]})
    [finding] = findings(scoring.score_against_rule, partly)
    assert finding.code == "S112" and finding.expected == "14.21" and finding.actual == "12"
    assert "15 × 90 ÷ 95 = 14.21" in finding.message
    right = form.model_copy(update={"indicators": [_row("培训合格率", "≥95%", "90%", "15", "14.21")]})
    assert findings(scoring.score_against_rule, right) == []


def test_s112_a_qualitative_row_is_judged_by_its_tier() -> None:
    form = SelfEvaluation(indicators=[_row("管理制度健全性", "健全", "基本健全", "10", "10")])
    [finding] = findings(scoring.score_against_rule, form)
    assert finding.expected == "6–8" and "部分达成" in finding.message
    within = form.model_copy(update={"indicators": [_row("管理制度健全性", "健全", "基本健全", "10", "7")]})
    assert findings(scoring.score_against_rule, within) == []


def test_s113_a_weighted_row_without_an_actual() -> None:
    form = SelfEvaluation(indicators=[_row("培训人次", "≥2000人次", None, "5", "5")])
    [finding] = findings(scoring.missing_actual, form)
    assert finding.code == "S113" and "按评分规则记 0 分" in finding.message
    filled = SelfEvaluation(indicators=[_row("培训人次", "≥2000人次", "2100人次", "5", "5")])
    assert findings(scoring.missing_actual, filled) == []


def test_s114_level_weights_only_under_a_ruleset_the_notes_name() -> None:
    rows = [_row("培训人次", "≥2000人次", "2100人次", "30", "30")]
    named = SelfEvaluation(indicators=rows, scoring_notes=HENAN_NOTES)
    [finding] = findings(scoring.level_weights_against_rule, named)
    assert finding.expected == "25" and finding.actual == "30" and "产出指标" in finding.message
    outcome, found = run(scoring.level_weights_against_rule, SelfEvaluation(indicators=rows))
    assert found == [] and outcome.status == "not_applicable"


def test_s115_total_and_grade_by_the_rule() -> None:
    rows = [_row("培训合格率", "≥95%", "90%", "100", "95")]
    form = SelfEvaluation(scope="project", indicators=rows, total_reported=Decimal(95), grade_reported="优")
    [finding] = findings(scoring.total_against_rule, form)
    assert finding.expected == "94.74 / 优" and finding.actual == "95 / 优"
    agreed = form.model_copy(
        update={"indicators": [_row("培训合格率", "≥95%", "96%", "90", "90")], "total_reported": Decimal(90)}
    )
    assert findings(scoring.total_against_rule, agreed) == []


def test_on_seed_002() -> None:
    document, source = load_document(SEED_002)
    report = audit_documents([document], [source], registry=BY_RULE)
    found = [(f.code, f.expected, f.actual) for f in report.documents[0].findings if f.code.startswith("S")]
    assert found == [
        ("S115", "95.6 / 优", "97 / 优"),
        ("S112", "1.2–1.6", "2"),  # 绩效指标合理性: 一般合理 is 部分达成
        ("S112", "15", "14"),  # 群众满意度 98.95% ≥ 90%
    ]  # 结转结余率 (full score on 100% against ≤20%) is S108's; the level weights agree with the rule
