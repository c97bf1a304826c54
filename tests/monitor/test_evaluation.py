"""Self-evaluation built from seed 004's approved project forms and actuals: weights by the ruleset
(or as the department gives them, checked per level against seed 002's real 自评表), scores as the
scoring engine gives them, 偏差原因 required where a target is missed, the 自评表 and 自评报告
rendered, and the 自评表 xlsx read back (round trip, with its 分值)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from jixiao.ingest.load import load_bytes, parse_file
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.evaluation import SelfEvaluation
from jixiao.monitor.errors import Issue
from jixiao.monitor.evaluation import (
    actuals_from,
    build_self_evaluation,
    default_weight_texts,
    issues,
    level_weights,
    plain,
    read_weight,
    read_weights,
    ruleset_for_region,
    score,
    unscored_levels,
)
from jixiao.render.forms import self_evaluation_grid
from jixiao.render.layout import Doc
from jixiao.render.pipeline import write
from jixiao.render.report import self_evaluation_report
from jixiao.scoring.engine import score_evaluation, what_if
from jixiao.scoring.ruleset import load_ruleset
from tests.conftest import SEED_000, SEED_002, SEED_004

# 公益性岗位补贴 (seed 004, third form): ten rows, budget 40 万元
ACTUALS = ["500", "100%", "100%", "12月", "2004元/人/月", "已实现", "90%", "95%", "96%", "97%"]


@cache
def welfare_jobs() -> ProjectTargetDeclaration:
    form = parse_file(SEED_004).forms[2]
    assert isinstance(form, ProjectTargetDeclaration) and form.project_name == "公益性岗位补贴"
    return form


def test_weights_share_each_level_exactly() -> None:
    ruleset = load_ruleset("national-project")
    weights = level_weights(welfare_jobs().indicators, ruleset)
    assert weights[:5] == [Decimal(10)] * 5  # 产出 50 over five rows
    assert sum(w for w in weights if w is not None) == Decimal(90)  # + 预算执行率 10 = 100
    dept = parse_file(SEED_004).forms[0]
    assert isinstance(dept, DeptTargetDeclaration)
    dept_weights = level_weights(dept.indicators, load_ruleset("national-dept"))
    assert sum(w for w in dept_weights if w is not None) == Decimal(90)  # 40 rows of 产出 share 50


def test_scores_are_the_engines() -> None:
    ruleset = load_ruleset("national-project")
    rows, sheet = score(welfare_jobs(), ACTUALS, Decimal(38), ruleset)
    again = what_if(rows, {}, ruleset, budget_rate=Decimal(95))
    assert sheet.total_computed == again.total_computed == Decimal("96.11")
    assert sheet.grade_computed == "优"
    evaluation, built_sheet = build_self_evaluation(welfare_jobs(), ACTUALS, [""] * 10, Decimal(38), ruleset)
    scored = score_evaluation(evaluation, ruleset)
    assert scored.total_computed == built_sheet.total_computed and scored.grade_computed == "优"
    assert scored.findings == []  # the form's own scores are the rule's
    assert evaluation.budget_execution[0].executed == Decimal(38)
    assert evaluation.budget_execution[0].adjusted == Decimal(40)


def test_missed_targets_need_a_reason() -> None:
    ruleset = load_ruleset("national-project")
    _rows, sheet = score(welfare_jobs(), ACTUALS, Decimal(38), ruleset)
    missing = issues(welfare_jobs(), sheet, [""] * 10)
    assert [(i.code, i.row) for i in missing] == [("M107", 0), ("M107", 6)]  # 500 of ≅700; 90% of ≥95%
    reasons = [""] * 10
    reasons[0], reasons[6] = "部分岗位下半年才开发", "两户家庭迁出辖区"
    assert issues(welfare_jobs(), sheet, reasons) == []


def test_region_chooses_the_province_ruleset() -> None:
    assert ruleset_for_region("河南省信阳市", "dept").name == "henan-dept"
    assert ruleset_for_region("贵州省六盘水市", "dept").name == "national-dept"
    assert ruleset_for_region("河南省信阳市", "project").name == "national-project"


def test_levels_a_ruleset_does_not_know_are_named() -> None:
    dept = parse_file(SEED_000).forms[0]
    assert isinstance(dept, DeptTargetDeclaration)
    assert unscored_levels(dept.indicators, load_ruleset("national-dept")) == []
    assert "服务满意" in unscored_levels(dept.indicators, load_ruleset("henan-dept"))


def test_renders_and_reads_back() -> None:
    ruleset = load_ruleset("national-project")
    reasons = [""] * 10
    reasons[0] = "部分岗位下半年才开发"
    evaluation, sheet = build_self_evaluation(welfare_jobs(), ACTUALS, reasons, Decimal(38), ruleset)
    grid = self_evaluation_grid(evaluation, sheet)
    xlsx = write(Doc(title=grid.title, blocks=(grid,)), "xlsx")
    docx = write(self_evaluation_report(evaluation, sheet, ruleset), "docx")
    assert xlsx[:2] == b"PK" and docx[:2] == b"PK"
    parsed, _source = load_bytes(xlsx, "自评表.xlsx")
    read = next(f for f in parsed.forms if isinstance(f, SelfEvaluation))
    imported = actuals_from(welfare_jobs(), read)
    assert imported.executed == Decimal(38)
    assert imported.actuals == ACTUALS  # rows 3 and 4 are read with shifted names: matched by place
    assert imported.reasons[0] == "部分岗位下半年才开发"
    assert imported.weights == ["10"] * 8 + ["5", "5"]


# 分值 a department gives: 产出 50 = 20+5+10+10+5, 效益 30 = 15+10+5, 满意度 10 = 4+6
CUSTOM = ["20", "5", "10", "10", "5", "15", "10", "5", "4", "6"]


def test_typed_weights_are_exact_decimals() -> None:
    assert read_weight("7.5", 0) == Decimal("7.5")
    assert read_weight(" １５分 ", 0) == Decimal(15)  # full-width digits and 分, as typed in Chinese
    assert read_weight("0.1", 0) + read_weight("0.2", 0) == Decimal("0.3")  # type: ignore[operator]
    assert read_weight("十分", 3) == Issue("M112", "“十分”", 3)
    assert read_weight("-2", 4) == Issue("M113", "“-2”", 4)
    assert read_weight("NaN", 0) == Issue("M112", "“NaN”", 0)
    ruleset = load_ruleset("national-project")
    assert default_weight_texts(welfare_jobs().indicators, ruleset) == ["10"] * 8 + ["5", "5"]
    weights = read_weights(welfare_jobs().indicators, CUSTOM, ruleset)
    assert weights.issues == [] and weights.custom
    assert weights.values == [Decimal(w) for w in CUSTOM]
    untouched = read_weights(welfare_jobs().indicators, [""] * 10, ruleset)
    assert untouched.values == level_weights(welfare_jobs().indicators, ruleset) and not untouched.custom


def test_levels_must_add_up_to_the_rulesets_points() -> None:
    ruleset = load_ruleset("national-project")
    typed = list(CUSTOM)
    typed[0] = "18"  # 产出 48 of 50
    weights = read_weights(welfare_jobs().indicators, typed, ruleset)
    (issue,) = weights.issues
    assert (issue.code, issue.level, issue.row) == ("M114", "产出指标", None)
    assert (
        issue.text
        == "一级指标下各三级指标的分值合计与评分规则不一致：产出指标：三级指标分值合计 48，评分规则为 50"
    )
    assert weights.level_issue("产出指标") == issue and weights.level_issue("效益指标") is None
    typed[0], typed[5] = "abc", "-15"  # unreadable rows: their own codes, no sum over the level
    codes = [(i.code, i.row, i.level) for i in read_weights(welfare_jobs().indicators, typed, ruleset).issues]
    assert codes == [("M112", 0, None), ("M113", 5, None)]


def test_real_self_evaluation_weights_pass_the_level_check() -> None:
    """Seed 002 (信阳市平桥区人社局 自评表, 河南 rule 投入管理 30 / 产出 25 / 效益 35): its own 分值
    (绩效指标合理性 2, 群众满意度 15…) as a department would type them add up level by level; one
    changed does not; scored with them, every quantitative row scores as the engine scores the form."""
    evaluation = parse_file(SEED_002).forms[0]
    assert isinstance(evaluation, SelfEvaluation)
    ruleset = load_ruleset("henan-dept")
    form = DeptTargetDeclaration(
        department=evaluation.department,
        indicators=[i.model_copy(update={"weight": None, "score": None}) for i in evaluation.indicators],
    )
    typed = [plain(i.weight) for i in evaluation.indicators if i.weight is not None]
    assert typed[2] == "2" and typed[-1] == "15" and len(typed) == len(form.indicators)
    weights = read_weights(form.indicators, typed, ruleset)
    assert weights.issues == [] and weights.custom
    typed[2] = "3"
    (issue,) = read_weights(form.indicators, typed, ruleset).issues
    assert issue.detail == "投入管理指标：三级指标分值合计 31，评分规则为 30"
    actuals = [i.actual_raw or "" for i in evaluation.indicators]
    _rows, sheet = score(form, actuals, None, ruleset, weights.values)
    assert [(level.name, level.weight_document) for level in sheet.levels[1:4]] == [
        ("投入管理指标", Decimal(30)),
        ("产出指标", Decimal(25)),
        ("效益指标", Decimal(35)),
    ]
    engine = score_evaluation(evaluation, ruleset)
    ours = sheet.rows[1:]
    theirs = [row for row in engine.rows if row.level != "预算执行率"]
    compared = 0
    for mine, real in zip(ours, theirs, strict=True):
        assert mine.weight == real.weight
        if real.method in ("full", "proportional"):
            assert mine.computed_score == real.computed_score, mine.indicator
            compared += 1
    assert compared >= 20


def test_scores_and_table_use_the_departments_weights() -> None:
    ruleset = load_ruleset("national-project")
    weights = read_weights(welfare_jobs().indicators, CUSTOM, ruleset)
    rows, sheet = score(welfare_jobs(), ACTUALS, Decimal(38), ruleset, weights.values)
    assert [r.weight for r in rows] == weights.values
    assert sheet.total_computed == what_if(rows, {}, ruleset, budget_rate=Decimal(95)).total_computed
    assert sheet.total_computed != Decimal("96.11")  # 500 of ≅700 now weighs 20, not 10
    assert sheet.rows[1].computed_score == Decimal("14.29") and sheet.rows[1].weight == Decimal(20)
    evaluation, built = build_self_evaluation(
        welfare_jobs(), ACTUALS, [""] * 10, Decimal(38), ruleset, weights.values
    )
    assert [i.weight for i in evaluation.indicators] == weights.values
    assert "三级指标分值由部门填报" in (evaluation.scoring_notes or "")
    assert "平均分配" not in (evaluation.scoring_notes or "")
    scored = score_evaluation(evaluation, ruleset)
    assert scored.total_computed == built.total_computed and scored.findings == []
    equal, _ = build_self_evaluation(welfare_jobs(), ACTUALS, [""] * 10, Decimal(38), ruleset)
    assert "平均分配" in (equal.scoring_notes or "")
    # the generated 自评表 carries the weights and reads back with them
    grid = self_evaluation_grid(evaluation, built)
    parsed, _source = load_bytes(write(Doc(title=grid.title, blocks=(grid,)), "xlsx"), "自评表.xlsx")
    read = next(f for f in parsed.forms if isinstance(f, SelfEvaluation))
    assert actuals_from(welfare_jobs(), read).weights == CUSTOM
