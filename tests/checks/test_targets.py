"""T1xx: target quality of the indicator rows of declarations, summaries and self-evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.checks import targets
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, Rule, rules_in
from jixiao.ingest.load import load_bytes
from jixiao.model.declaration import (
    DeptTargetDeclaration,
    ProjectSummaryRow,
    ProjectTargetDeclaration,
    ProjectTargetSummary,
)
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Finding
from jixiao.model.indicators import Indicator, parse_target
from jixiao.model.loc import Loc
from tests.checks.helpers import document_of, findings, run
from tests.conftest import PDF_WANLI, SEED_000, SEED_002, SEED_003, SEED_004, load_document

REGISTRY = Registry(rules_in(targets))
FORM_LOC = Loc(file="inline.txt", table=1, row=1, col=1)


def row(
    name: str,
    raw: str,
    level1: str | None = "产出指标",
    level2: str | None = "数量指标",
    line: int = 5,
    explanation: str | None = None,
    **fields: str,
) -> Indicator:
    """One indicator row at table 1, row ``line``: 三级 in column 3, 指标值 4, 指标解释 5."""
    cells = {"name": Loc(file="inline.txt", table=1, row=line, col=3)}
    if raw:
        cells["target"] = Loc(file="inline.txt", table=1, row=line, col=4)
    if explanation:
        cells["explanation"] = Loc(file="inline.txt", table=1, row=line, col=5)
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        target=parse_target(raw),
        explanation=explanation,
        cells=cells,
        loc=Loc(file="inline.txt", table=1, row=line),
        **fields,
    )


def project(
    *indicators: Indicator, name: str = "就业补助", year: int | None = 2024
) -> ProjectTargetDeclaration:
    return ProjectTargetDeclaration(project_name=name, year=year, indicators=list(indicators), loc=FORM_LOC)


def dept(*indicators: Indicator) -> DeptTargetDeclaration:
    return DeptTargetDeclaration(department="某局", title="部门整体绩效目标表", indicators=list(indicators))


def cell(finding: Finding) -> tuple[int | None, int | None]:
    return finding.locations[0].row, finding.locations[0].col


def check(rule: Rule, *forms: object) -> list[Finding]:
    return findings(rule, *forms)


# ---------------------------------------------------------------------------------------------------
# T101 指标值未填写


def test_t101_empty_and_placeholder_values() -> None:
    form = project(
        row("培训人次", "≥200人次", line=5),
        row("取证人数", "", line=6),
        row("培训合格率", "XX%", level2="质量指标", line=7),
    )
    empty, placeholder = check(targets.target_missing, form)
    assert empty.code == "T101" and empty.severity.value == "error"
    assert "项目“就业补助”绩效目标表" in empty.message and "“产出指标/数量指标/取证人数”" in empty.message
    assert "为空" in empty.message and empty.actual == "（空）"
    assert cell(empty) == (6, 4)  # the empty cell under the 指标值 column, not the name
    assert "模板占位内容“XX%”" in placeholder.message and cell(placeholder) == (7, 4)


def test_t101_not_reported_for_filled_values_or_declared_absent_costs() -> None:
    form = project(
        row("培训人次", "≥200人次"),
        row("社会成本", "无", level1="成本指标", level2="社会成本指标", line=6),
        row("生态影响", "不涉及", level1="效益指标", level2="生态效益指标", line=7),
    )
    assert check(targets.target_missing, form) == []
    outcome, _ = run(targets.target_missing, project())
    assert outcome.status == "not_applicable"


# ---------------------------------------------------------------------------------------------------
# T102 指标值不可衡量


def test_t102_vague_direction_words_and_free_text() -> None:
    form = project(
        row("保障居民养老权益", "提升", level1="效益指标", level2="社会效益指标", line=5),
        row("促进人事工作发展", "有效促进", level1="效益指标", level2="可持续影响指标", line=6),
        row("为退役士兵发放补助", "补助退役士兵生活", level1="效益指标", level2="社会效益指标", line=7),
    )
    vague, promote, text = check(targets.target_not_measurable, form)
    assert vague.code == "T102" and "“提升”只写了变化方向" in vague.message and vague.actual == "提升"
    assert cell(promote) == (6, 4)
    assert "“补助退役士兵生活”是文字描述" in text.message


def test_t102_not_reported_for_grades_defined_targets_and_yes_no_outcomes() -> None:
    form = project(
        row("目标依据充分性", "充分", line=5),
        row("劳动者技能水平", "明显提高", line=6, explanation="较上年提高5%以上为达成"),
        row("环境影响", "无不良影响", line=7),
        row("工程质量", "符合国家验收标准", line=8),
        row("劳动争议案件", "预完成100件案件庭审笔录及50件调解笔录，当期结案率≥90%", line=9),
    )
    assert check(targets.target_not_measurable, form) == []


def test_t102_quantitative_nature_with_words() -> None:
    form = project(row("培训质量", "良好", nature="定量"))
    [finding] = check(targets.target_not_measurable, form)
    assert "指标性质为定量" in finding.message
    assert check(targets.target_not_measurable, project(row("培训质量", "良好", nature="定性"))) == []


# ---------------------------------------------------------------------------------------------------
# T103 方向


def test_t103_reverse_indicators_with_a_floor_and_forward_ones_with_a_ceiling() -> None:
    form = dept(
        row("人均公用经费变动率", "≥5%", level1="运行成本", level2="成本控制成效", line=5),
        row("群众满意度", "≤90%", level1="满意度指标", level2="服务对象满意度指标", line=6),
        row("培训成本", "≥10万元", level1="成本指标", level2="经济成本指标", line=7),
        row("走访次数", "≥12次", line=8, direction="反向"),
    )
    change, satisfaction, cost, declared = check(targets.target_wrong_direction, form)
    assert change.code == "T103" and "反向指标" in change.message and change.expected == "“≤”"
    assert change.actual == "≥5%" and cell(change) == (5, 4)
    assert "正向指标" in satisfaction.message and satisfaction.expected == "“≥”"
    assert "“成本指标/经济成本指标/培训成本”" in cost.message and cost.actual == "≥10万元"
    assert "走访次数" in declared.message and declared.expected == "“≤”"  # the 指标方向 column decides


def test_t103_not_reported_for_handling_rates_savings_and_right_directions() -> None:
    form = dept(
        row("投诉处理率", "≥95%", line=5),
        row("成本节约率", "≥5%", line=6),
        row("差错率", "≤1%", line=7),
        row("争取上级经费", "≥100万元", line=8),
        row("项目总成本", "≤500万元", level1="成本指标", level2="经济成本指标", line=9),
        row("“三公经费”控制率", "≤100%", line=10),
    )
    assert check(targets.target_wrong_direction, form) == []


# ---------------------------------------------------------------------------------------------------
# T104 缺少比较符号


def test_t104_rates_without_a_comparator() -> None:
    form = dept(
        row("在职人员经费变动率", "20.30%", level1="运行成本", level2="成本控制成效", line=5),
        row("居民满意度", "90%", level1="满意度指标", level2="服务对象满意度指标", line=6),
        row("劳动力稳定就业率", "0.6", level2="质量指标", line=7),
        row("项目总成本", "500万元", "成本指标", "经济成本指标", line=8),
    )
    change, satisfaction, decimal, cost = check(targets.target_without_comparator, form)
    assert change.code == "T104" and change.expected == "≤20.30%" and change.actual == "20.30%"
    assert satisfaction.expected == "≥90%" and cell(satisfaction) == (6, 4)
    assert decimal.expected == "≥60%"
    assert cost.expected == "≤500万元" and "上限" in cost.message


def test_t104_not_reported_for_zero_changes_full_rates_and_written_comparators() -> None:
    form = dept(
        row("差错率", "0%", line=5),
        row("补贴发放准确率", "100%", line=6),
        row("群众满意度", "≥95%", line=7),
        row("综合业务率", "90%", line=8),  # the name does not say which way is better
        row("报名费", "100元/每人", "成本指标", "经济成本指标", line=9),  # a price may be exact
        row("人均救助标准", "800元", "成本指标", "经济成本指标", line=10),
        row("群众满意度", "90%", line=11, direction="正向"),  # the 指标方向 column gives “≥”
    )
    assert check(targets.target_without_comparator, form) == []


# ---------------------------------------------------------------------------------------------------
# T105 / T106 above 100 %


def test_t105_share_above_a_hundred_percent() -> None:
    form = project(
        row("群众满意度", "≥105%", level1="满意度指标", level2="服务对象满意度指标", line=5),
        row("政策知晓率", ">100%", line=6),
        row("创业担保贷款完成率", "≥110%", line=7),  # over-fulfilment is possible
    )
    above, strictly = check(targets.rate_above_hundred, form)
    assert above.code == "T105" and above.severity.value == "error" and above.actual == "≥105%"
    assert cell(strictly) == (6, 4)


def test_t106_at_least_a_hundred_percent() -> None:
    form = project(
        row("学生、家长抽样调查满意度", "≥100%", level1="满意度指标", level2="社会公众", line=5),
        row("任务完成率", "≥100%", line=6),
        row("补贴发放准确率", "100%", line=7),
    )
    [finding] = check(targets.rate_at_least_hundred, form)
    assert finding.code == "T106" and "“≥100%”不合逻辑" in finding.message and cell(finding) == (5, 4)
    assert check(targets.rate_above_hundred, form) == []


# ---------------------------------------------------------------------------------------------------
# T107 小数与百分数混用


def test_t107_decimals_beside_percentages() -> None:
    form = dept(
        row("劳动力就业帮扶率", "1", level2="质量指标", line=5),
        row("劳动力稳定就业率", "0.6", level2="质量指标", line=6),
        row("贷款到期回收率", ">80%", level2="质量指标", line=7),
    )
    [finding] = check(targets.ratio_notation_mixed, form)
    assert finding.code == "T107" and finding.actual == "1、0.6"
    assert [cell(f) for f in [finding]] == [(5, 4)] and len(finding.locations) == 2
    assert "“>80%”" in finding.message


def test_t107_not_reported_for_one_notation() -> None:
    decimals = dept(row("劳动力就业帮扶率", "1", line=5), row("劳动力稳定就业率", "0.6", line=6))
    percents = dept(row("劳动力就业帮扶率", "100%", line=5), row("劳动力稳定就业率", "≥60%", line=6))
    assert check(targets.ratio_notation_mixed, decimals, percents) == []


# ---------------------------------------------------------------------------------------------------
# T108 单位与指标不符


def test_t108_units_that_do_not_fit_the_indicator() -> None:
    form = project(
        row("补贴完成时限", "≥90%", level2="时效指标", line=5),
        row("慰问及时率", "及时", level2="时效指标", line=6),
        row("特殊人员及群体满意", "90.00(度)", level1="满意度指标", level2="服务对象满意度指标", line=7),
        row("培训人次", "≥5万元", line=8),
        row("预算内经费", "合规", level2="成本指标", line=9),
        row("数字化平台建设时间", "≤24月", line=10),
    )
    found = check(targets.unit_inconsistent, form)
    assert [f.code for f in found] == ["T108"] * 6
    assert [cell(f)[0] for f in found] == [5, 6, 7, 8, 9, 10]
    time_limit, rate, degree, count, cost, duration = found
    assert "时限类指标" in time_limit.message and time_limit.expected == "时间（天、月或截止日期）"
    assert "定性表述" in rate.message and "“度”" in degree.message and degree.expected == "%"
    assert "金额“万元”" in count.message and "成本指标" in cost.message and "数量指标下" in duration.message


def test_t108_not_reported_for_fitting_units() -> None:
    form = project(
        row("补贴发放及时率", "≥95%", level2="时效指标", line=5),
        row("完成时限", "≤30天", level2="时效指标", line=6),
        row("就业增长率", "提高2个百分点", line=7),
        row("人均培训成本", "≤1500元/人", level2="成本指标", line=8),
        row("培训人次", "≥2000人次", line=9),
    )
    assert check(targets.unit_inconsistent, form) == []


# ---------------------------------------------------------------------------------------------------
# T109 缺少计量单位


def test_t109_number_without_unit() -> None:
    [finding] = check(targets.unit_missing, project(row("报考人数", "≥20000")))
    assert finding.code == "T109" and finding.actual == "≥20000" and cell(finding) == (5, 4)
    with_unit = project(row("报考人数", "≥20000人"), row("考场数", "50", line=6, unit="个"))
    assert check(targets.unit_missing, with_unit) == []


# ---------------------------------------------------------------------------------------------------
# T110 占位名称


def test_t110_template_names_grouped_by_level2() -> None:
    form = dept(
        row("重要改革事项1", "", level1="可持续性", level2="体制机制改革情况", line=5),
        row("重要改革事项2", "", level1="可持续性", level2="体制机制改革情况", line=6),
        row("重点工作1计划完成率", "100%", level2="重点工作任务完成", line=7),
        row("XXX", "≥1次", line=8),
    )
    reform, numbered, marks = check(targets.placeholder_indicator, form)
    assert reform.code == "T110" and "模板占位名称" in reform.message and "且未填写指标值" in reform.message
    assert [loc.row for loc in reform.locations] == [5, 6] and reform.locations[0].col == 3
    assert "含模板编号" in numbered.message and numbered.actual == "重点工作1计划完成率"
    assert marks.actual == "XXX"


def test_t110_not_reported_for_real_names() -> None:
    form = dept(
        row("完成任务3项", "=3项", line=5),
        row("X光机数量", "≥2台", line=6),
        row("目标依据充分性", "充分", line=7),
    )
    assert check(targets.placeholder_indicator, form) == []


# ---------------------------------------------------------------------------------------------------
# T111 重复指标


def test_t111_same_and_near_duplicate_names_under_one_level2() -> None:
    form = dept(
        row("补贴发放准确率", "1", level2="质量指标", line=5),
        row("补贴发放准确率", "100%", level2="质量指标", line=6),
        row("创业担保贷款完成情况", "≥100%", line=7),
        row("创业担保贷款任务完成情况", "≥100%", line=8),
    )
    same, near = check(targets.duplicate_indicator, form)
    assert same.code == "T111" and "重复" in same.message and "“1”和“100%”" in same.message
    assert [loc.row for loc in same.locations] == [6, 5]
    assert "与“创业担保贷款完成情况”近似重复" in near.message


def test_t111_not_reported_across_level2_or_projects() -> None:
    form = dept(
        row("补贴发放准确率", "100%", level2="质量指标", line=5),
        row("补贴发放准确率", "100%", level2="时效指标", line=6),
        row("重点工作1计划完成率", "100%", line=7),
        row("重点工作2计划完成率", "100%", line=8),
    )
    assert check(targets.duplicate_indicator, form) == []
    summary = ProjectTargetSummary(
        rows=[
            ProjectSummaryRow(name="甲", indicators=[row("服务对象满意度", "≥90%")]),
            ProjectSummaryRow(name="乙", indicators=[row("服务对象满意度", "≥90%")]),
        ]
    )
    assert check(targets.duplicate_indicator, summary) == []


# ---------------------------------------------------------------------------------------------------
# T112 照抄的解释

SURVEY = "通过抽取一所学校进行问卷调查,调查人数不少于100人。计算公示:(满意人数÷调查人数)×100%"


def test_t112_explanation_copied_from_another_project_or_indicator() -> None:
    school = project(
        row("学生、家长抽样调查满意度", "≥90%", "满意度指标", "社会公众", explanation=SURVEY),
        name="技工院校学生资助",
    )
    archive = project(
        row("用人单位及服务对象满意度", "≥90%", "满意度指标", "社会公众", line=9, explanation=SURVEY),
        row(
            "贷款到期回收率",
            "≥80%",
            level2="质量指标",
            line=10,
            explanation="担保贷款到期实际偿还金额/应偿还金额×100%",
        ),
        row(
            "创业担保贷款回收率",
            "≥80%",
            level2="质量指标",
            line=11,
            explanation="担保贷款到期实际偿还金额/应偿还金额×100%",
        ),
        name="干部人事档案数字化",
    )
    across, within = findings(targets.explanation_copied, school, archive)
    assert across.code == "T112" and "项目“技工院校学生资助”绩效目标表" in across.message
    assert [(loc.row, loc.col) for loc in across.locations] == [(9, 5), (5, 5)]
    assert "同表" in within.message and "“产出指标/质量指标/创业担保贷款回收率”" in within.message


def test_t112_not_reported_for_shared_survey_notes_and_same_indicators() -> None:
    note = "数据一般通过问卷调查的方式获得，用百分比衡量。"
    form = dept(
        row("群众满意度", "≥95%", "服务满意", "服务对象满意", line=5, explanation=note),
        row("企业满意度", "≥95%", "服务满意", "利益相关方满意", line=6, explanation=note),
    )
    same = project(row("补贴发放准确率", "100%", explanation="实际发放补贴人数/应发放补贴人数*100%"))
    again = project(row("补贴发放准确率", "100%", explanation="实际发放补贴人数/应发放补贴人数*100%"))
    assert findings(targets.explanation_copied, form, same, again) == []
    outcome, _ = run(targets.explanation_copied, project(row("培训人次", "≥1人次")))
    assert outcome.status == "not_applicable"


# ---------------------------------------------------------------------------------------------------
# T113 公式颠倒


def test_t113_inverted_formula() -> None:
    inverted = row(
        "会议完成率", "100%", explanation="计算方法：当年应召开（参加）的会议数÷实际召开（参加）会议数*100%"
    )
    survey = row("群众满意度", "≥90%", line=6, formula="满意度=调查总人数/满意人数×100%")
    first, second = check(targets.formula_inverted, dept(inverted, survey))
    assert first.code == "T113" and first.actual == "当年应召开（参加）的会议数÷实际召开（参加）会议数"
    assert cell(first) == (5, 5)
    assert second.actual == "调查总人数÷满意人数"


def test_t113_not_reported_for_right_or_unclear_formulas() -> None:
    form = dept(
        row("补贴发放准确率", "100%", explanation="实际发放补贴人数/应发放补贴人数*100%"),
        row("预算调整率", "≤5%", line=6, formula="预算调整率=(预算调整数/预算数)×100%"),
        row("补贴对象识别准确率", "100%", line=7, explanation="符合补贴条件人数/实际申报人数*100%"),
        row(
            "创业担保贷款占比",
            "≥40%",
            line=8,
            explanation="当年发放授信方式创业担保贷款/当年创业担保贷款总额×100%",
        ),
    )
    assert check(targets.formula_inverted, form) == []


# ---------------------------------------------------------------------------------------------------
# T114 错列残留


def test_t114_text_left_in_the_wrong_column() -> None:
    form = project(
        row("完工及时率", "及时率", level2="质量指标", line=5),
        row("做好禁毒示范城区标准化建设", "做好禁毒示范城区标准化建设", level2="质量指标", line=6),
        row("群众满意度", "≥95%", "满意度指标", "服务对象满意度指标", line=7, explanation="≥95%"),
        row("数量指标", "≥3次", line=8),
        row("培训覆盖面", "反映培训覆盖的范围", line=9),
    )
    found = check(targets.column_residue, form)
    assert [(f.code, cell(f)) for f in found] == [
        ("T114", (5, 4)),
        ("T114", (6, 4)),
        ("T114", (7, 5)),
        ("T114", (8, 3)),
        ("T114", (9, 4)),
    ]
    assert "指标名称“及时率”" in found[0].message and "与三级指标名称相同" in found[1].message
    assert "指标解释列填的是指标值“≥95%”" in found[2].message and "层级名称" in found[3].message
    # the same rows are not reported again as unmeasurable
    assert check(targets.target_not_measurable, form) == []


def test_t114_not_reported_for_aligned_rows() -> None:
    form = project(
        row("完工及时率", "100%", explanation="按期完工的工程数/工程总数×100%"),
        row("安全生产", "无事故", line=6),
    )
    assert check(targets.column_residue, form) == []


# ---------------------------------------------------------------------------------------------------
# T115 一级指标缺失, T116 成本指标, T117 二级位置


def test_t115_project_without_a_required_level1() -> None:
    form = project(row("培训人次", "≥200人次"), row("就业率", "≥70%", "效益指标", "社会效益指标", line=6))
    [finding] = check(targets.level1_missing, form)
    assert finding.code == "T115" and finding.actual == "缺少满意度指标" and finding.locations == (FORM_LOC,)
    complete = form.model_copy(
        update={
            "indicators": [
                *form.indicators,
                row("满意度", "≥90%", "满意度指标", "服务对象满意度指标", line=7),
            ]
        }
    )
    assert check(targets.level1_missing, complete) == []
    outcome, _ = run(targets.level1_missing, dept(row("培训人次", "≥200人次")))
    assert outcome.status == "not_applicable"


def test_t115_summary_checks_only_columns_the_summary_has() -> None:
    full = [row("人次", "≥1人次"), row("效益", "良好", "效益指标"), row("满意度", "≥90%", "满意度指标")]
    summary = ProjectTargetSummary(
        title="项目绩效目标汇总表",
        rows=[
            ProjectSummaryRow(name="甲", indicators=full),
            ProjectSummaryRow(name="乙", indicators=full[:2], loc=FORM_LOC),
        ],
    )
    [finding] = check(targets.level1_missing, summary)
    assert "《项目绩效目标汇总表》项目“乙”" in finding.message
    two_columns = ProjectTargetSummary(rows=[ProjectSummaryRow(name="丙", indicators=full[:2])])
    assert check(targets.level1_missing, two_columns) == []


def test_t116_no_cost_indicator_since_2021() -> None:
    form = project(row("培训人次", "≥200人次"), year=2023)
    [finding] = check(targets.cost_indicator_missing, form)
    assert finding.code == "T116" and finding.severity.value == "info" and "2023 年" in finding.message
    priced = project(row("补贴标准", "2000元/年/人", level2="质量指标"), year=2023)
    assert check(targets.cost_indicator_missing, priced) == []
    outcome, _ = run(targets.cost_indicator_missing, project(row("培训人次", "≥200人次"), year=2019))
    assert outcome.status == "not_applicable"


def test_t117_level2_under_the_wrong_level1() -> None:
    form = project(
        row("培训人次", "≥200人次", "效益指标", "数量指标", line=5),
        row("发放人数", "≥100人", "效益指标", "数量指标", line=6),
        row("群众满意度", "≥90%", "效益指标", "满意度", line=7),  # older trees: allowed
        row("报名费", "≤100元/人", "产出指标", "成本指标", line=8),  # older trees: allowed
    )
    [finding] = check(targets.level2_misplaced, form)
    assert finding.code == "T117" and finding.actual == "效益指标/数量指标" and finding.locations[0].row == 5
    assert (
        check(targets.level2_misplaced, dept(row("目标依据充分性", "充分", "履职效能", "工作目标管理情况")))
        == []
    )


# ---------------------------------------------------------------------------------------------------
# T118 满意度偏低, T119 指标值与解释不一致


def test_t118_low_satisfaction_target() -> None:
    form = project(
        row("市容环境满意度", "不低于50%", "满意度指标", "服务对象满意度指标", line=5),
        row("群众满意度", "≥85%", "满意度指标", "服务对象满意度指标", line=6),
    )
    [finding] = check(targets.satisfaction_low, form)
    assert finding.code == "T118" and finding.actual == "不低于50%" and cell(finding) == (5, 4)


def test_t119_target_below_the_figure_in_its_explanation() -> None:
    form = project(
        row("组织考试场次", "≥1次", line=5, explanation="2023年预计组织事业单位面向社会公开招聘工作至2次"),
        row(
            "城镇新增就业人数",
            "≥1万人",
            line=6,
            explanation="当年城镇新增就业人数(灵活就业、自主创业人员)2万人",
        ),
        row("开展专项活动", "≥2次", line=7, explanation="组织开展招聘会活动2次"),
        row("帮扶人数", "≥4000人", line=8, explanation="全区共有贫困劳动力5000人，计划帮扶"),
        row("宣传活动", "=4次", line=9, explanation="计划每季度开展1次"),
    )
    exams, jobs = check(targets.target_below_explanation, form)
    assert exams.code == "T119" and exams.expected == "2次" and exams.actual == "≥1次"
    assert [(loc.row, loc.col) for loc in exams.locations] == [(5, 4), (5, 5)]
    assert jobs.expected == "2万人"


# ---------------------------------------------------------------------------------------------------
# Every form that carries indicators is checked; bad data never crashes a rule.


def test_self_evaluation_tables_and_summary_rows_are_checked() -> None:
    evaluation = SelfEvaluation(
        department="某局",
        indicators=[row("预算执行率", "")],
        report_indicators=[row("预算执行率", "", line=9)],
    )
    annex, report = check(targets.target_missing, evaluation)
    assert "“某局”部门整体绩效自评表" in annex.message and "“某局”自评报告指标得分表" in report.message
    summary = ProjectTargetSummary(
        title="2023年部门预算项目绩效目标汇总表",
        rows=[ProjectSummaryRow(name="就业补助", indicators=[row("培训人次", "")])],
    )
    [finding] = check(targets.target_missing, summary)
    assert "《2023年部门预算项目绩效目标汇总表》项目“就业补助”" in finding.message


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.code)
def test_rules_survive_odd_rows(rule: Rule) -> None:
    odd = Indicator(name="", target=parse_target(None))
    weird = Indicator(
        name="——", target=parse_target("≥"), explanation="/", formula="÷", level1="效益", level2="数量"
    )
    forms = [project(odd, weird), dept(weird), ProjectTargetSummary(rows=[ProjectSummaryRow(name="x")])]
    outcome, found = run(rule, document=document_of(*forms))
    assert outcome.status != "error" and all(f.code == rule.code for f in found)


CLEAN = """项目支出绩效目标申报表
（2024年度）
项目名称\t职业技能培训补贴
主管部门\t某市人力资源和社会保障局
项目资金（万元）\t年度资金总额\t500
年度总体目标\t完成职业技能培训20000人次，培训合格率不低于90%。
一级指标\t二级指标\t三级指标\t指标值\t指标解释
产出指标\t数量指标\t培训人次\t≥20000人次\t全年开展补贴性职业技能培训的人次
\t\t取证人数\t≥8000人\t取得职业资格证书或技能等级证书的人数
\t质量指标\t培训合格率\t≥90%\t考核合格人数/参加考核人数×100%
\t\t补贴发放准确率\t100%\t准确发放人数/应发放人数×100%
\t时效指标\t补贴发放及时率\t≥95%\t按时发放的补贴笔数/应发放笔数×100%
\t\t完成时间\t2024年12月31日前\t年度内完成
成本指标\t经济成本指标\t人均培训补贴标准\t≤1500元/人\t按照补贴标准核定
\t\t项目总成本\t≤500万元\t项目预算控制数
\t社会成本指标\t社会成本\t无\t
效益指标\t社会效益指标\t培训后就业率\t≥70%\t培训后实现就业人数/培训人数×100%
\t\t投诉处理率\t100%\t已处理投诉数/受理投诉数×100%
\t可持续影响指标\t劳动者技能水平\t明显提高\t较上年取证率提高5%以上为达成
满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90%\t满意人数/调查人数×100%
"""


def test_a_well_written_project_form_has_no_target_findings() -> None:
    document, source = load_bytes(CLEAN.encode("utf-8"), "clean.txt")
    [form] = document.forms
    assert isinstance(form, ProjectTargetDeclaration) and len(form.indicators) == 13
    report = audit_documents([document], [source], registry=REGISTRY)
    assert [f.label() for f in report.documents[0].findings] == []


# ---------------------------------------------------------------------------------------------------
# Real documents: every finding pinned (each one read and judged a true defect).


def _found(path: Path) -> list[tuple[str, str]]:
    document, source = load_document(path)
    report = audit_documents([document], [source], registry=REGISTRY)
    return [
        (f.code, f.locations[0].label().split(":", 1)[1])
        for f in report.documents[0].findings
        if f.code.startswith(("T", "X"))
    ]


def _messages(path: Path, code: str) -> list[str]:
    document, source = load_document(path)
    report = audit_documents([document], [source], registry=REGISTRY)
    return [f.message for f in report.documents[0].findings if f.code == code]


def test_seed_000_empty_values_placeholders_and_change_rates() -> None:
    assert _found(SEED_000) == [
        ("T101", "L44:表1 行36 列4"),  # 预算执行率: no 指标值
        ("T104", "L61:表1 行52 列4"),  # 在职人员经费变动率 20.30%: no ≤
        ("T107", "L62:表1 行53 列4"),  # 变动率 “0” beside “≥95%”
        ("T104", "L63:表1 行54 列4"),  # 人均公用经费变动率 14.40%
        ("T101", "L65:表1 行56 列4"),  # 厉行节约支出变动率
        ("T101", "L67:表1 行57 列4"),  # 总体成本节约率
        ("T110", "L73:表1 行63 列3"),  # 重要改革事项1、2 not replaced
        ("T101", "L73:表1 行63 列4"),  # 重要改革事项1: no value either
        ("T101", "L74:表1 行64 列4"),
        ("T110", "L75:表1 行65 列3"),  # 重点创新事项1、2
        ("T101", "L75:表1 行65 列4"),
        ("T101", "L76:表1 行66 列4"),
        ("T101", "L77:表1 行67 列4"),  # 高层次领军人才数量
        ("T101", "L79:表1 行69 列4"),  # 高级职称人才比重
        ("T101", "L80:表1 行70 列4"),  # 硕士和博士人才数量
    ]


def test_seed_002_numbered_template_names_and_a_vague_benefit() -> None:
    assert _found(SEED_002) == [
        ("T110", "L159:表2 行21 列4"),  # report table: 重点工作1…5计划完成率
        ("T110", "L164:表2 行26 列3"),  # report table: 年度工作目标1…5实现率
        ("T102", "L171:表2 行32 列4"),  # 提高人民群众生活质量: “提高”
        ("T110", "L487:表4 行45 列4"),  # annex: the same template names
        ("T110", "L492:表4 行50 列3"),
        ("T102", "L499:表4 行56 列5"),
    ]


def test_seed_003_vague_summary_targets() -> None:
    assert _found(SEED_003) == [
        ("T102", "L433:表8 行38 列4"),  # 稳就业促创业: “促进”
        ("T102", "L440:表8 行44 列4"),  # 社会正面影响: “持续”
        ("T102", "L461:表9 行13 列10"),  # 宣传活动普及人次: “增长”
        ("T108", "L468:表9 行20 列8"),  # 慰问及时率: “及时”
        ("T102", "L469:表9 行21 列10"),  # “补助退役士兵生活”
        ("T102", "L482:表9 行34 列10"),  # 保障居民养老权益: “提升”
        ("T102", "L494:表9 行46 列10"),
        ("T108", "L505:表9 行56 列8"),  # 服务及时率: “及时”
        ("T102", "L506:表9 行57 列8"),
        ("T102", "L507:表9 行58 列8"),  # “一月一主题月月有活动”
        ("T108", "L508:表9 行59 列8"),
        ("T103", "L509:表9 行60 列8"),  # 农民工工资投诉案件数量 ≥1000件
        ("T118", "L512:表9 行63 列12"),  # 相关单位满意度 ≥70%
        ("T102", "L525:表9 行76 列10"),  # the project list printed twice (F070)
        ("T108", "L535:表9 行86 列8"),
    ]


def test_seed_004_the_reviewers_list() -> None:
    assert _found(SEED_004) == [
        ("T119", "L35:表1 行17 列5"),  # 城镇新增就业人数 ≥1万人 but the explanation says 2万人
        ("T111", "L45:表1 行27 列4"),  # 创业担保贷款(任务)完成情况 twice
        ("T104", "L57:表1 行38 列5"),  # 完成率 “≅85%”
        ("T107", "L58:表1 行39 列5"),  # 1, 0.6, 0.99 beside ≥95%
        ("T104", "L59:表1 行40 列5"),  # 劳动力稳定就业率 “0.6”
        ("T112", "L65:表1 行46 列6"),  # 创业担保贷款回收率 = 贷款到期回收率
        ("T113", "L70:表1 行51 列6"),  # 会议完成率 = 应召开 ÷ 实际召开
        ("T111", "L72:表1 行53 列3"),  # 补贴发放准确率 twice
        ("T108", "L74:表1 行55 列5"),  # 补贴完成时限 ≥90%
        ("T109", "L75:表1 行56 列5"),  # 结案时效 “1”
        ("T109", "L76:表1 行57 列4"),  # 落实“六稳六保” “1”
        ("T109", "L95:表2 行12 列6"),  # 报考人数 ≥20000
        ("T119", "L97:表2 行14 列6"),  # 组织考试场次 ≥1次, explanation 2次
        ("T102", "L100:表2 行17 列6"),  # “有效推动”
        ("T102", "L101:表2 行18 列5"),  # “有效促进”
        ("T109", "L127:表3 行18 列7"),  # ≅700
        ("T102", "L139:表3 行30 列5"),  # “解决就业困难人员实现就业”
        ("T111", "L147:表3 行38 列3"),  # 社会公众或服务对象满意度 twice
        ("T111", "L178:表4 行24 列4"),  # 继续推进教育公平 twice
        ("T112", "L178:表4 行24 列6"),
        ("T106", "L179:表4 行25 列5"),  # 学生、家长抽样调查满意度 ≥100%
        ("T108", "L199:表5 行14 列6"),  # ≤24月 under 数量指标
        ("T108", "L200:表5 行15 列6"),
        ("T106", "L205:表5 行20 列5"),  # 用人单位及服务对象满意度 ≥100%
        ("T112", "L205:表5 行20 列6"),  # “抽取一所学校” copied into the archive project
    ]
    [school, archive] = _messages(SEED_004, "T106")
    assert "“满意度指标/社会公众/学生、家长抽样调查满意度”的指标值为“≥100%”" in school
    assert "项目“2023年干部人事档案数字化平台建设费用”" in archive


def test_wanli_project_tables() -> None:
    assert _found(PDF_WANLI) == [
        ("T114", "p.31:表10 行14 列7"),  # 完工及时率: “及时率”
        ("T108", "p.31:表10 行15 列7"),  # 成本指标 预算内经费: “合规”
        ("T114", "p.31:表10 行16 列7"),  # “完善率”
        ("T114", "p.31:表10 行17 列7"),  # 居民满意度: “满意度”
        ("T116", "p.32:表11 行1 列1"),
        ("T116", "p.33:表12 行1 列1"),
        ("T118", "p.33:表12 行15 列7"),  # 不低于50%
        ("T118", "p.33:表12 行16 列7"),
        ("T116", "p.34:表13 行1 列1"),
        ("T114", "p.34:表13 行28 列7"),  # value = name
        ("T102", "p.34:表13 行29 列7"),
        ("T102", "p.34:表13 行30 列7"),
        ("T102", "p.34:表13 行33 列7"),
        ("T102", "p.34:表13 行36 列7"),
        ("T102", "p.34:表13 行37 列7"),
        ("T102", "p.34:表13 行38 列7"),
        ("T102", "p.34:表13 行39 列7"),
        ("T102", "p.34:表13 行40 列7"),
        ("T102", "p.34:表13 行41 列7"),
        ("T114", "p.34:表13 行42 列7"),
        ("T102", "p.34:表13 行43 列7"),
        ("T102", "p.34:表13 行45 列7"),
        ("T102", "p.34:表13 行50 列7"),  # 满意度: “提升”
        ("T104", "p.34:表13 行51 列7"),  # 90.00(度)
        ("T108", "p.34:表13 行51 列7"),
        ("T102", "p.34:表13 行53 列7"),
        ("T102", "p.34:表13 行54 列7"),
        ("T116", "p.35:表14 行1 列1"),
        ("T102", "p.35:表14 行14 列7"),
        ("T106", "p.35:表14 行15 列7"),  # 居民参与率不低于100%
        ("T102", "p.35:表14 行16 列7"),  # 维修处理及时率: “维修响应速度快”
        ("T104", "p.35:表14 行20 列7"),  # 居民满意度 “90%”
    ]


def test_registry_codes_are_dense() -> None:
    assert REGISTRY.codes() == tuple(f"T{n}" for n in range(101, 120))
