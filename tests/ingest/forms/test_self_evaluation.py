"""The self-evaluation recogniser on seed 002 (信阳平桥 2022 部门整体自评报告 + 自评表) and inline forms."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.ingest.forms.self_evaluation import CODES, recognise
from jixiao.ingest.readers.text import read_text
from jixiao.ingest.source import SourceDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


def _read(path: Path) -> SourceDocument:
    return read_text(path.read_bytes(), path.name)


def _only(doc: SourceDocument) -> tuple[SelfEvaluation, list[Finding]]:
    forms, findings = recognise(doc)
    assert len(forms) == 1
    (form,) = forms
    assert isinstance(form, SelfEvaluation)
    return form, findings


@pytest.fixture(scope="module")
def seed_002() -> tuple[SelfEvaluation, list[Finding]]:
    return _only(_read(SEED_002))


def _row(rows: list[Indicator], name: str) -> Indicator:
    (found,) = [i for i in rows if i.name == name]
    return found


def _total(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


# --- seed 002: the 自评表 (附件1) --------------------------------------------------------------------


def test_002_is_one_department_self_evaluation(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    assert form.scope == "dept"
    assert form.title == "信阳市平桥区人力资源和社会保障局 2022 年度部门整体支出自评报告"
    assert form.department == "信阳市平桥区人力资源和社会保障局"
    assert form.year == 2022


def test_002_scored_rows_weights_and_scores(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    rows = form.indicators
    assert len(rows) == 32
    assert _total([i.weight for i in rows]) == Decimal("90")
    # 30 + 25 + (8 + 9 + 14): the 附件1 rows add up to 86, while 表3-1 reports 效益 32 and total 97
    assert _total([i.score for i in rows]) == Decimal("86")
    assert all(i.weight is not None and i.score is not None for i in rows)
    by_level = {
        name: [i for i in rows if i.level1 == name] for name in ("投入管理指标", "产出指标", "效益指标")
    }
    assert [len(v) for v in by_level.values()] == [19, 10, 3]
    assert [_total([i.weight for i in v]) for v in by_level.values()] == [
        Decimal(30),
        Decimal(25),
        Decimal(35),
    ]
    assert {name: {i.level1_weight for i in v} for name, v in by_level.items()} == {
        "投入管理指标": {Decimal(30)},
        "产出指标": {Decimal(25)},
        "效益指标": {Decimal(35)},
    }
    assert all(i.level2 for i in rows)
    assert list(dict.fromkeys(i.level2 for i in rows)) == [
        "工作目标管理",
        "预算和财务管理",
        "绩效管理",
        "重点工作任务完成",
        "履职目标实现",
        "履职社会效益",
        "可持续发展影响",
        "满意度",
    ]
    assert all(i.deviation_reason is None for i in rows)


def test_002_rows_shifted_by_dropped_merged_cells_are_realigned(
    seed_002: tuple[SelfEvaluation, list[Finding]],
) -> None:
    form, _ = seed_002
    adjustment = _row(form.indicators, "预算调整率")
    assert (adjustment.level1, adjustment.level2) == ("投入管理指标", "预算和财务管理")
    assert adjustment.target.raw == "≤10%"
    assert adjustment.actual_raw == "(0.1%)"
    assert adjustment.actual is not None and adjustment.actual.raw == "(0.1%)"
    assert (adjustment.weight, adjustment.score) == (Decimal(2), Decimal(2))
    assert adjustment.formula is not None and "每浮动1%，扣5%权重分值" in adjustment.formula
    # provenance: the printed cells, one column left of their headers on line 466
    assert adjustment.cells["weight"].line == 466 and adjustment.cells["weight"].col == 6
    assert adjustment.cells["score"].col == 7
    assert adjustment.cells["level1"].line == 458  # inherited from the block's first row
    assert adjustment.cells["level1_weight"].line == 458
    assert adjustment.loc is not None and adjustment.loc.row == 28

    satisfaction = _row(form.indicators, "群众满意度")
    assert (satisfaction.level1, satisfaction.level2) == ("效益指标", "满意度")
    assert (satisfaction.target.raw, satisfaction.actual_raw) == ("≥90%", "98.95%")
    assert (satisfaction.weight, satisfaction.score) == (Decimal(15), Decimal(14))

    quality = _row(form.indicators, "提高人民群众生活质量")
    assert (quality.weight, quality.score, quality.level2) == (Decimal(10), Decimal(8), "履职社会效益")

    reasonable = _row(form.indicators, "绩效指标合理性")
    assert (reasonable.target.raw, reasonable.actual_raw) == ("合理", "一般合理")


def test_002_page_break_continuations_are_joined(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, findings = seed_002
    names = [i.name for i in form.indicators]
    assert "年度工作目标3实现率" in names and "年度工作" not in names
    reasonable = _row(form.indicators, "绩效指标合理性")
    assert reasonable.formula is not None
    assert reasonable.formula.endswith(
        "3.工作任务预算项目绩效指标的评价标准是否清晰、可衡量；4.是否与部门年度的任务数或计划数相对应。"
    )
    carry_over = _row(form.indicators, "结转结余率")
    assert carry_over.formula is not None and "每浮动1%，扣 5%权重分值" in carry_over.formula
    applied = _row(form.indicators, "评价结果应用率")
    assert applied.formula is not None and "应用情况。评价结果应用率=" in applied.formula
    (continued,) = [f for f in findings if f.code == "F013"]
    assert continued.severity is Severity.INFO
    assert "第 12、24、30、35、39、44、53 行" in continued.message


def test_002_budget_execution(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    assert [line.label for line in form.budget_execution] == ["部门预算总额", "财政性资金", "其他资金"]
    total, fiscal, other = form.budget_execution
    assert (total.initial, total.adjusted, total.executed) == (Decimal("1633.2"),) * 3
    assert (total.weight, total.rate_raw, total.rate, total.score) == (
        Decimal(10),
        "（100%）",
        Decimal(100),
        Decimal(10),
    )
    assert total.unit == "万元"
    assert total.cells["score"].line == 438
    assert (fiscal.initial, fiscal.adjusted, fiscal.executed, fiscal.rate) == (
        Decimal("1633.2"),
        Decimal("1633.2"),
        Decimal("1633.2"),
        Decimal(100),
    )
    assert (fiscal.weight, fiscal.score) == (None, None)
    assert (other.initial, other.adjusted, other.executed, other.rate) == (None, None, None, None)
    # 90 points of indicators plus the 10 of 预算执行 make the 100 of the form
    assert _total([i.weight for i in form.indicators]) + (total.weight or 0) == Decimal(100)


def test_002_goals_and_tasks(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    assert [g.label for g in form.goals] == ["目标1", "目标2", "目标3", "目标4", "目标5"]
    assert all(g.content and g.actual for g in form.goals)
    assert form.goals[0].content.startswith("高站位稳就业促发展。")
    assert form.goals[0].actual is not None and form.goals[0].actual.startswith("组织 224 场招聘活动")
    fourth = form.goals[3].actual
    assert fourth is not None
    assert fourth.startswith("规范公开招聘 92 名政府购买服务人员")
    assert "政府购买教师 51 人" in fourth  # the half printed after the page break is joined
    assert fourth.endswith("巡防队员 10 人。")
    fifth = form.goals[4]
    assert fifth.content.endswith("提升仲裁办案效能。")
    assert fifth.actual is not None and fifth.actual.startswith("办理上级交办拖欠农民工工资案件")

    assert [t.label for t in form.tasks] == ["任务1", "任务2", "任务3", "任务4", "任务5"]
    assert [t.name for t in form.tasks] == [
        "深化完善就业创业政策",
        "加大高层次人才引进力度",
        "提高社会保险覆盖面",
        "规范提升人事考试品质",
        "加强劳动保障监察执法能力建设",
    ]
    assert form.tasks[3].actual == "公开招聘了 155 名事业单位工作人员，其中教师 155 人。"
    assert all(t.content and t.actual for t in form.tasks)


def test_002_scoring_notes(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    assert form.scoring_notes is not None
    assert form.scoring_notes.startswith("注：1.自评采取打分评价的形式，满分为100分")
    assert "投入管理指标30分、产出指标25分、效益指标35分、预算执行率10分" in form.scoring_notes


# --- seed 002: the report ---------------------------------------------------------------------------


def test_002_level_scores_from_table_3_1(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    assert [(s.name, s.weight, s.score) for s in form.level_scores] == [
        ("预算执行情况", Decimal(10), Decimal(10)),
        ("投入管理指标", Decimal(30), Decimal(30)),
        ("产出指标", Decimal(25), Decimal(25)),
        ("效益指标", Decimal(35), Decimal(32)),
        ("合计", Decimal(100), Decimal(97)),
    ]
    assert form.level_scores[3].rate_raw == "91.4%"
    assert form.level_scores[3].cells["score"].line == 135


def test_002_total_and_grade(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, findings = seed_002
    assert form.total_reported == Decimal(97)
    assert form.cells["total_reported"].line == 135  # 表3-1 合计, confirmed by the narrative
    assert form.grade_reported == "优"
    assert form.cells["grade_reported"].line == 127
    assert not [f for f in findings if f.code == "F010"]


def test_002_report_table_3_2_is_kept_apart(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, findings = seed_002
    report = form.report_indicators
    assert len(report) == 32
    assert _total([i.weight for i in report]) == Decimal(90)
    # the report's own figures, which differ from the 自评表: kept as printed for the audit
    assert _row(report, "群众满意度").actual_raw == "98%"
    assert _row(form.indicators, "群众满意度").actual_raw == "98.95%"
    assert _row(report, "结转结余率").actual_raw == "0%"
    assert _row(form.indicators, "结转结余率").actual_raw == "100%"
    assert _row(report, "预算执行率").target.raw == "≥95%"
    assert _row(form.indicators, "预算执行率").target.raw == "100%"
    # rows shifted to the right lost their 得分 in the export
    monitoring = _row(report, "绩效监控完成率")
    assert (monitoring.level2, monitoring.weight, monitoring.score) == ("绩效管理", Decimal(2), None)
    first_task = _row(report, "重点工作 1 计划完成率")
    assert (first_task.level1, first_task.level2, first_task.score) == ("产出指标", "重点工作任务完成", None)
    second_task = _row(report, "重点工作 2 计划完成率")
    assert (second_task.level2, second_task.weight, second_task.score) == (
        "重点工作任务完成",
        Decimal(2),
        Decimal(2),
    )
    missing = [f for f in findings if f.code == "F011"]
    assert [f.locations[0].row for f in missing] == [17, 21]
    assert "缺少得分" in missing[0].message and "绩效监控完成率" in missing[0].message


def test_002_narrative_sections(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    form, _ = seed_002
    titles = [s.title for s in form.sections]
    assert "三、综合评价结论" in titles
    assert titles.index("一、基本情况") < titles.index("七、其他需要说明的问题")
    assert not any("未定义书签" in t for t in titles)  # the table of contents is not narrative
    conclusion = form.sections[titles.index("三、综合评价结论")]
    assert conclusion.level == 1
    assert (Decimal(97), "分") in [(f.value, f.unit) for f in conclusion.figures]
    assert all("注：1.自评采取" not in s.text for s in form.sections)


def test_002_findings_use_declared_codes(seed_002: tuple[SelfEvaluation, list[Finding]]) -> None:
    _, findings = seed_002
    assert {f.code for f in findings} <= set(CODES)
    assert not [f for f in findings if f.code == "F014"]


@pytest.mark.parametrize("seed", [SEED_000, SEED_003, SEED_004], ids=["000", "003", "004"])
def test_declarations_and_disclosures_are_not_self_evaluations(seed: Path) -> None:
    assert recognise(_read(seed)) == ([], [])


# --- a national 项目支出绩效自评表 as a workbook ---------------------------------------------------

_PROJECT_ROWS: list[list[object]] = [
    ["项目支出绩效自评表"],
    ["（2023年度）"],
    ["项目名称", "职业技能提升培训"],
    ["主管部门", "某市人力资源和社会保障局", None, None, None, "实施单位", "某市职业技能鉴定中心"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 120, 114, 10, "95%", 9.5],
    [None, "其中：当年财政拨款", 100, 120, 114, "—", "95%", "—"],
    [None, "上年结转资金", None, None, None, "—", None, "—"],
    [None, "其他资金", None, None, None, "—", None, "—"],
    ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
    [
        None,
        "全年开展职业技能培训20000人次，培训合格率不低于95%。",
        None,
        None,
        None,
        "全年培训21000人次，合格率93%。",
    ],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [None, "产出指标", "数量指标", "培训人次", "≥20000人次", "21000人次", 20, 20],
    [None, None, "质量指标", "培训合格率", "≥95%", "93%", 15, 14, "部分学员未参加考核，下年加强组织"],
    [None, None, "时效指标", "培训完成时间", "12月底之前", "12月底", 15, 15],
    [None, "效益指标", "社会效益指标", "培训后就业率", "≥80%", "85%", 30, 30],
    [None, "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", 10, 10],
    ["总分", None, None, None, None, None, 100, 98.5],
]
_PROJECT_MERGES = [
    "A1:I1",
    "A2:I2",
    "B3:I3",
    "B4:E4",
    "G4:I4",
    "A5:A9",
    "A10:A11",
    "B10:E10",
    "F10:I10",
    "B11:E11",
    "F11:I11",
    "A12:A17",
    "B13:B15",
    "A18:F18",
]


def _project_workbook(*projects: str) -> bytes:
    """One sheet per project, laid out as the national 项目支出绩效自评表 with its merged cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, project in enumerate(projects, start=1):
        sheet = book.create_sheet(f"项目{number}")
        for r, values in enumerate(_PROJECT_ROWS, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    sheet.cell(r, c, project if value == "职业技能提升培训" else value)
        for merge in _PROJECT_MERGES:
            sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read_xlsx(data: bytes, name: str) -> SourceDocument:
    xlsx = pytest.importorskip("jixiao.ingest.readers.xlsx")
    doc: SourceDocument = xlsx.read_xlsx(data, name)
    return doc


def test_project_self_evaluation_workbook() -> None:
    form, findings = _only(_read_xlsx(_project_workbook("职业技能提升培训"), "project.xlsx"))
    assert form.scope == "project"
    assert (form.title, form.year) == ("项目支出绩效自评表", 2023)
    assert (form.project_name, form.department, form.implementing_unit) == (
        "职业技能提升培训",
        "某市人力资源和社会保障局",
        "某市职业技能鉴定中心",
    )
    assert form.cells["project_name"].cell == "B3"

    assert [line.label for line in form.budget_execution] == [
        "年度资金总额",
        "当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    funds = form.budget_execution[0]
    assert (funds.initial, funds.adjusted, funds.executed) == (Decimal(100), Decimal(120), Decimal(114))
    assert (funds.weight, funds.rate, funds.score) == (Decimal(10), Decimal(95), Decimal("9.5"))
    assert funds.cells["score"].cell == "H6"
    assert (form.budget_execution[1].weight, form.budget_execution[1].score) == (None, None)

    (goal,) = form.goals
    assert goal.content == "全年开展职业技能培训20000人次，培训合格率不低于95%。"
    assert goal.actual == "全年培训21000人次，合格率93%。"

    rows = form.indicators
    assert [(i.level1, i.level2, i.name) for i in rows] == [
        ("产出指标", "数量指标", "培训人次"),
        ("产出指标", "质量指标", "培训合格率"),
        ("产出指标", "时效指标", "培训完成时间"),
        ("效益指标", "社会效益指标", "培训后就业率"),
        ("满意度指标", "服务对象满意度指标", "学员满意度"),
    ]
    assert [i.weight for i in rows] == [Decimal(v) for v in (20, 15, 15, 30, 10)]
    assert [i.score for i in rows] == [Decimal(v) for v in (20, 14, 15, 30, 10)]
    quality = rows[1]
    assert (quality.target.raw, quality.actual_raw) == ("≥95%", "93%")
    assert quality.deviation_reason == "部分学员未参加考核，下年加强组织"
    assert quality.cells["score"].cell == "H14" and quality.cells["level1"].cell == "B13"
    assert _total([i.weight for i in rows]) + (funds.weight or 0) == Decimal(100)
    assert (form.total_weight_reported, form.total_reported) == (Decimal(100), Decimal("98.5"))
    assert _total([i.score for i in rows]) + (funds.score or 0) == form.total_reported
    assert form.cells["total_reported"].cell == "H18"
    assert form.sections == [] and form.level_scores == [] and form.report_indicators == []
    assert not [f for f in findings if f.severity is not Severity.INFO]


def test_one_form_per_project_sheet() -> None:
    forms, _ = recognise(_read_xlsx(_project_workbook("职业技能提升培训", "创业担保贷款贴息"), "two.xlsx"))
    assert [f.project_name for f in forms if isinstance(f, SelfEvaluation)] == [
        "职业技能提升培训",
        "创业担保贷款贴息",
    ]
    assert all(isinstance(f, SelfEvaluation) and len(f.indicators) == 5 for f in forms)


# --- another layout: 分值 before 指标值, a 指标解释 column, and a report that disagrees ----------------

_OTHER_LAYOUT = "\n".join(
    [
        "# 2023年度某区教育局部门整体支出绩效自评报告",
        "一、综合评价结论",
        "2023 年度我局整体自评得分为 95 分，评价等级为“优”。",
        "附件：部门整体支出绩效自评表",
        "一级指标\t二级指标\t三级指标\t指标解释\t分值\t指标值\t实际完成值\t得分\t偏差原因",
        "产出指标\t数量指标\t培训教师人次\t反映培训人次\t30\t≥500人次\t520人次\t30\t",
        "\t\t新建校舍面积\t反映校舍建设\t20\t≥1万平方米\t0.8万平方米\t16\t受雨季影响延期，已调整工期",
        "效益指标\t社会效益指标\t入学率\t反映义务教育入学\t40\t≥99%\t99.5%\t40\t",
        "满意度指标\t\t家长满意度\t问卷调查\t10\t≥90%\t92%\t10\t",
        "总分\t\t\t\t100\t\t\t96\t",
    ]
)


def test_columns_are_found_by_their_headers_and_the_report_is_cross_checked() -> None:
    form, findings = _only(read_text(_OTHER_LAYOUT.encode(), "other.txt"))
    assert form.scope == "dept"
    assert form.title == "2023年度某区教育局部门整体支出绩效自评报告"
    building = _row(form.indicators, "新建校舍面积")
    assert (building.level1, building.level2, building.explanation) == (
        "产出指标",
        "数量指标",
        "反映校舍建设",
    )
    assert (building.weight, building.target.raw, building.actual_raw, building.score) == (
        Decimal(20),
        "≥1万平方米",
        "0.8万平方米",
        Decimal(16),
    )
    assert building.deviation_reason == "受雨季影响延期，已调整工期"
    assert _row(form.indicators, "家长满意度").level2 is None  # a new 一级指标 clears the 二级
    assert _total([i.weight for i in form.indicators]) == form.total_weight_reported == Decimal(100)
    # the 自评表's 总分 wins; the narrative's 95 is reported
    assert (form.total_reported, form.grade_reported) == (Decimal(96), "优")
    (mismatch,) = [f for f in findings if f.code == "F010"]
    assert mismatch.severity is Severity.WARNING
    assert (mismatch.expected, mismatch.actual) == ("96", "95")
    assert "other.txt" in mismatch.message and "L10" in mismatch.message and "L3" in mismatch.message


def test_a_cell_that_fits_no_column_is_reported() -> None:
    text = "三级指标\t指标值\t实际完成值\t分值\t得分\n培训人次\t≥100人次\t120人次\t20\t20\t多出的文字\t5\n"
    form, findings = _only(read_text(text.encode(), "extra.txt"))
    assert (form.indicators[0].weight, form.indicators[0].score) == (Decimal(20), Decimal(20))
    dropped = [f for f in findings if f.code == "F014"]
    assert dropped and dropped[0].severity is Severity.WARNING
    assert "extra.txt" in dropped[0].message


def test_a_level_name_cut_by_a_page_break_is_joined() -> None:
    text = "\n".join(
        [
            "一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t分值\t得分",
            "效益指标\t可持续发展\t长效管理制度\t健全\t健全\t10\t9",
            "",
            "\t影响\t\t\t\t\t",
            "\t\t制度执行\t100%\t100%\t5\t5",
            "",
            "\t\t\t率\t\t\t",
        ]
    )
    form, findings = _only(read_text(text.encode(), "cut.txt"))
    assert [(i.level2, i.name) for i in form.indicators] == [
        ("可持续发展影响", "长效管理制度"),
        ("可持续发展影响", "制度执行率"),
    ]
    (continued,) = [f for f in findings if f.code == "F013"]
    assert "第 3、5 行" in continued.message


def test_a_generated_self_evaluation_table_reads_back_in_its_columns() -> None:
    """The 自评表 made from each of seed 004's project forms, as the web app's self-evaluation
    downloads it (xlsx), reads back with every row under its own 一级/二级/三级: a 二级 word in its
    column (成本指标, also a 一级 in newer forms) and a name ending in 时限 are not shifted."""
    from jixiao.ingest.load import load_bytes, parse_file
    from jixiao.model.declaration import ProjectTargetDeclaration
    from jixiao.monitor.evaluation import build_self_evaluation, ruleset_for_region
    from jixiao.render.forms import form_doc
    from jixiao.render.pipeline import write

    forms = [f for f in parse_file(SEED_004).forms if isinstance(f, ProjectTargetDeclaration)]
    assert len(forms) == 4
    ruleset = ruleset_for_region(None, "project")
    for form in forms:
        blank = [""] * len(form.indicators)
        evaluation, _ = build_self_evaluation(form, blank, blank, Decimal(1), ruleset)
        back, _ = load_bytes(write(form_doc(evaluation), "xlsx"), "自评表.xlsx")
        (read,) = back.forms
        assert isinstance(read, SelfEvaluation)
        expected = [(i.level1, i.level2, i.name) for i in evaluation.indicators]
        assert [(i.level1, i.level2, i.name) for i in read.indicators] == expected, form.project_name
