"""Self-evaluation built from seed 004's approved project forms and actuals: weights by the ruleset,
scores as the scoring engine gives them, 偏差原因 required where a target is missed, the 自评表 and
自评报告 rendered, and the 自评表 xlsx read back (round trip)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from jixiao.ingest.load import load_bytes, parse_file
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.evaluation import SelfEvaluation
from jixiao.monitor.evaluation import (
    actuals_from,
    build_self_evaluation,
    issues,
    level_weights,
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
from tests.conftest import SEED_000, SEED_004

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
    actuals, read_reasons, executed = actuals_from(welfare_jobs(), read)
    assert executed == Decimal(38)
    assert actuals == ACTUALS  # rows 3 and 4 are read with shifted names: matched by place
    assert read_reasons[0] == "部分岗位下半年才开发"
