"""Expected progress and lights on the real target forms of seed 004 (六枝特区 2023: a 部门整体
form with its 阶段性计划 and four 项目 forms) and seed 000 (郑州 部门整体, no plan)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from jixiao.ingest.load import parse_file
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.indicators import Indicator
from jixiao.model.values import parse_target
from jixiao.monitor import (
    Basis,
    Light,
    MonitorError,
    Period,
    assess,
    assess_budget,
    expect,
    expectations,
    form_budget,
    load_thresholds,
    monitor,
    period_of,
)
from tests.conftest import SEED_000, SEED_004


@cache
def seed_004() -> list[DeptTargetDeclaration | ProjectTargetDeclaration]:
    forms = parse_file(SEED_004).forms
    return [f for f in forms if isinstance(f, DeptTargetDeclaration | ProjectTargetDeclaration)]


def row(forms: list[DeptTargetDeclaration | ProjectTargetDeclaration], form: int, name: str) -> int:
    return next(i for i, ind in enumerate(forms[form].indicators) if ind.name == name)


def test_dept_form_follows_its_stage_plan_half_by_june() -> None:
    dept = seed_004()[0]
    assert isinstance(dept, DeptTargetDeclaration)
    i = row(seed_004(), 0, "开展就业扶贫专项活动")  # ≥2次
    found = expectations(dept, Period.H1)[i]
    assert found.basis is Basis.PLAN
    assert found.share == Decimal(50) and found.value == Decimal(1) and found.unit == "次"
    assert "1月-6月：实现时间过半任务过半" in found.explanation


def test_plan_is_interpolated_between_milestones_for_september() -> None:
    dept = seed_004()[0]
    i = row(seed_004(), 0, "下乡镇调研指导就业扶贫、农村劳动力转移、有组织劳务输出工作")  # ≥200人次
    found = expectations(dept, Period.Q3)[i]
    assert found.basis is Basis.PLAN and found.share == Decimal(75) and found.value == Decimal(150)


def test_project_form_without_plan_is_time_proportional() -> None:
    project = seed_004()[1]  # 2023年事业单位面向社会公开招聘
    i = row(seed_004(), 1, "考务人员人次")  # ≥2500人次
    h1, q3 = expectations(project, Period.H1)[i], expectations(project, Period.Q3)[i]
    assert (h1.basis, h1.value, q3.value) == (Basis.TIME, Decimal(1250), Decimal(1875))


@pytest.mark.parametrize(
    ("form", "name", "basis", "words"),
    [
        (1, "考生满意度,用人单位满意度", Basis.NONE, "满意度在年末"),
        (1, "招考完成时间", Basis.NONE, "尚未到期"),  # 12月底之前
        (1, "促进人事工作发展", Basis.NONE, "定性指标"),  # 有效促进
        (2, "公益性岗位补贴人均标准", Basis.NONE, "含多个数值"),
        (2, "补贴发放准确率", Basis.HOLD, "全年保持"),
        (4, "品台软、硬件购买费用", Basis.CEILING, "不超过 30 万元"),  # ≤30万元
        (4, "数字化平台建设时间", Basis.NONE, "尚未到期"),  # ≤24月
    ],
)
def test_rows_not_monitored_by_time_say_why(form: int, name: str, basis: Basis, words: str) -> None:
    found = expectations(seed_004()[form], Period.H1)[row(seed_004(), form, name)]
    assert found.basis is basis
    assert words in found.explanation


def test_low_progress_is_red_with_its_reason() -> None:
    project = seed_004()[1]
    i = row(seed_004(), 1, "考务人员人次")
    result = assess(expectations(project, Period.H1)[i], "600", indicator=project.indicators[i])
    assert result.light is Light.RED
    assert result.deviation == Decimal(52)
    assert result.reason == (
        "1–6月完成 600 人次，按时间进度应完成 1250 人次（50%），完成进度 48%，偏差 52%，红灯"
    )


@pytest.mark.parametrize(
    ("typed", "light"), [("1200", Light.GREEN), ("1000人次", Light.YELLOW), ("80%", Light.GREEN)]
)
def test_lights_follow_the_thresholds(typed: str, light: Light) -> None:
    project = seed_004()[1]
    i = row(seed_004(), 1, "考务人员人次")
    assert assess(expectations(project, Period.H1)[i], typed, indicator=project.indicators[i]).light is light


def test_a_share_of_the_target_reads_as_progress() -> None:
    project = seed_004()[1]
    i = row(seed_004(), 1, "考务人员人次")
    result = assess(expectations(project, Period.H1)[i], "40%", indicator=project.indicators[i])
    assert result.actual == Decimal(1000) and result.light is Light.YELLOW


def test_ten_thousands_convert() -> None:
    dept = seed_004()[0]
    i = row(seed_004(), 0, "城镇新增就业人数")  # ≥1万人以上 → 0.5 万人 by June
    result = assess(expectations(dept, Period.H1)[i], "4800人", indicator=dept.indicators[i])
    assert result.actual == Decimal("0.48") and result.light is Light.GREEN


def test_unreadable_progress_is_an_issue_with_a_code() -> None:
    project = seed_004()[1]
    i = row(seed_004(), 1, "考务人员人次")
    result = assess(expectations(project, Period.H1)[i], "进展顺利", indicator=project.indicators[i])
    assert result.light is None and result.issue is not None and result.issue.code == "M101"
    wrong_unit = assess(expectations(project, Period.H1)[i], "30万元", indicator=project.indicators[i])
    assert wrong_unit.issue is not None and wrong_unit.issue.code == "M102"


def test_held_rate_below_target() -> None:
    project = seed_004()[2]  # 公益性岗位补贴
    i = row(seed_004(), 2, "就业困难家庭帮扶率")  # ≥95%
    result = assess(expectations(project, Period.H1)[i], "76%", indicator=project.indicators[i])
    assert result.deviation == Decimal(20) and result.light is Light.YELLOW
    assert "全年保持" in result.reason and "黄灯" in result.reason


def test_ceiling_passed_is_a_deviation() -> None:
    project = seed_004()[4]
    i = row(seed_004(), 4, "品台软、硬件购买费用")
    assert (
        assess(expectations(project, Period.H1)[i], "12", indicator=project.indicators[i]).light
        is Light.GREEN
    )
    over = assess(expectations(project, Period.H1)[i], "40万元", indicator=project.indicators[i])
    assert over.light is Light.RED and "超出上限" in over.reason


def test_budget_execution_against_months() -> None:
    project = seed_004()[2]
    budget, unit = form_budget(project)
    assert (budget, unit) == (Decimal(40), "万元")
    result = assess_budget(budget, unit, "16", Period.H1)
    assert result.rate == Decimal(40) and result.expected_rate == Decimal(50) and result.light is Light.YELLOW
    assert (
        result.reason == "1–6月支出 16 万元，预算 40 万元，执行率 40%，按时间进度应执行 50%，偏差 20%，黄灯"
    )
    assert assess_budget(budget, unit, "12", Period.H1).light is Light.RED  # 30 % of 50 %: 40 % behind
    assert assess_budget(budget, unit, "十二", Period.H1).issue.code == "M103"  # type: ignore[union-attr]
    assert assess_budget(None, unit, "12", Period.H1).issue.code == "M109"  # type: ignore[union-attr]


def test_dept_budget_is_its_total_line() -> None:
    assert form_budget(seed_004()[0]) == (Decimal("3896.05"), "万元")


def test_submission_needs_progress_and_reasons() -> None:
    project = seed_004()[1]
    count = len(project.indicators)
    progress = [""] * count
    reasons = [""] * count
    i = row(seed_004(), 1, "考务人员人次")
    progress[i] = "600"
    result = monitor(project, Period.H1, progress, reasons, "", "")
    codes = {issue.code for issue in result.issues}
    assert {"M105", "M106", "M110"} <= codes
    red = next(issue for issue in result.issues if issue.code == "M105")
    assert red.row == i and "考务人员人次" in red.text
    for j, expectation in enumerate(expectations(project, Period.H1)):
        if expectation.applicable and not progress[j]:
            progress[j] = "100%" if expectation.unit == "%" else str(expectation.value)
    reasons[i] = "考务人员按考试安排集中在下半年"
    done = monitor(project, Period.H1, progress, reasons, "150", "")
    assert done.issues == [] and done.counts()["red"] == 1


def test_seed_000_rates_without_a_plan() -> None:
    dept = parse_file(SEED_000).forms[0]
    assert isinstance(dept, DeptTargetDeclaration)
    found = {e.name: e for e in expectations(dept, Period.H1)}
    assert found["总体工作完成率"].basis is Basis.TIME and found["总体工作完成率"].value == Decimal(50)
    assert found["预算调整率"].basis is Basis.CEILING
    assert found["群众满意度"].basis is Basis.NONE
    assert found["目标依据充分性"].basis is Basis.NONE


def test_period_codes() -> None:
    assert period_of("h1") is Period.H1
    with pytest.raises(MonitorError) as raised:
        period_of("Q2")
    assert raised.value.issue.code == "M108"


def test_thresholds_are_data() -> None:
    thresholds = load_thresholds()
    assert (thresholds.green_below, thresholds.yellow_below) == (Decimal(10), Decimal(30))
    assert thresholds.light(Decimal("9.99")) is Light.GREEN and thresholds.light(Decimal(30)) is Light.RED


def test_expect_outside_forms() -> None:
    indicator = Indicator(
        level1="产出指标", level2="数量指标", name="培训人次", target=parse_target("≥500人次")
    )
    assert expect(indicator, 0, 9).value == Decimal(375)
