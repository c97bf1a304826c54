"""部门整体绩效目标表 recogniser on the real seeds (郑州 2020, 六枝 2023, 郑州高新区 2023)."""

from __future__ import annotations

import doctest
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

from jixiao.ingest.forms import dept_target
from jixiao.ingest.readers.text import read_text
from jixiao.model.declaration import DeptTargetDeclaration
from jixiao.model.findings import Finding
from jixiao.model.indicators import Indicator
from jixiao.model.target import TargetKind
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


@cache
def _recognise(path: Path) -> tuple[list[DeptTargetDeclaration], list[Finding]]:
    forms, findings = dept_target.recognise(read_text(path.read_bytes(), path.name))
    declarations = [f for f in forms if isinstance(f, DeptTargetDeclaration)]
    assert len(declarations) == len(forms)
    return declarations, findings


def _form(path: Path) -> DeptTargetDeclaration:
    forms, _ = _recognise(path)
    assert len(forms) == 1
    return forms[0]


def _indicator(form: DeptTargetDeclaration, name: str) -> Indicator:
    (found,) = [i for i in form.indicators if i.name == name]
    return found


def test_module_example_runs() -> None:
    assert doctest.testmod(dept_target).failed == 0


def test_zhengzhou_header_fields() -> None:
    form = _form(SEED_000)
    assert (form.title, form.department, form.year) == (
        "市级部门整体绩效目标申报表",
        "郑州市人力资源和社会保障局",
        2020,
    )


def test_zhengzhou_ten_goals() -> None:
    goals = _form(SEED_000).goals
    assert [g.label for g in goals] == [f"目标{n}" for n in range(1, 11)]
    assert goals[0].content.startswith("贯彻执行国家、省人力资源和社会保障法律")
    assert goals[9].content.startswith("会同有关部门拟订全市农民工工作综合性政策")
    assert [g.loc.row for g in goals if g.loc] == list(range(2, 12))


def test_zhengzhou_twelve_tasks_with_their_funds() -> None:
    tasks = _form(SEED_000).tasks
    assert [t.label for t in tasks] == [f"任务{n}" for n in range(1, 13)]
    assert sum((t.total or Decimal(0) for t in tasks), Decimal(0)) == Decimal("2924")
    assert dept_target.total_of(tasks, "fiscal") == Decimal("2924")
    assert all(t.unit == "万元" for t in tasks)
    assert tasks[0].name == "深入国有企业负责人薪酬制度改革专项经费"
    assert tasks[0].note is not None and tasks[0].note.startswith(
        "市政府成立郑州市深化国有企业负责人薪酬制度改革"
    )


def test_zhengzhou_shifted_task_rows_are_read_and_the_shift_reported() -> None:
    form = _form(SEED_000)
    _, findings = _recognise(SEED_000)
    task5, task6 = form.tasks[4], form.tasks[5]
    # row 18 is printed one column left (its label in the first column)
    assert (task5.label, task5.name, task5.total, task5.fiscal) == (
        "任务5",
        "劳动人事争议仲裁业务专项经费",
        Decimal("107"),
        Decimal("107"),
    )
    assert task5.note == "不断加强我市仲裁办案机构建设, 保障劳动人事争议仲裁工作开展。"
    assert task5.cells["total"].col == 3
    # row 19 starts with '任务', the wrapped tail of the 年度主要任务 label: not a shift
    assert (task6.label, task6.name, task6.total) == ("任务6", "公益性岗位管理费", Decimal("90"))
    shifts = [f for f in findings if f.code == "F002" and "年度主要任务" in f.message]
    assert [(f.severity.value, f.locations[0].row) for f in shifts] == [("warning", 18)]


def test_zhengzhou_indicator_tree() -> None:
    """Rows 27–70 of the form, counted by hand: 履职效能 27–33 (7), 管理效率 34–51 (18, row 51
    管理制度建设成效 printed two columns left), 运行成本 52–57 (6), 服务满意 58–62 (5), 可持续性 63–70 (8)."""
    form = _form(SEED_000)
    assert len(form.indicators) == 44
    assert all(i.level1 and i.level2 for i in form.indicators)
    assert Counter(i.level1 for i in form.indicators) == {
        "履职效能": 7,
        "管理效率": 18,
        "运行成本": 6,
        "服务满意": 5,
        "可持续性": 8,
    }
    detail = _indicator(form, "专项资金细化率")
    assert (detail.level1, detail.level2, detail.target.raw) == ("管理效率", "预算管理", "≥95%")
    assert detail.target.kind is TargetKind.RATIO
    satisfaction = _indicator(form, "群众满意度")
    assert (satisfaction.level1, satisfaction.level2, satisfaction.target.raw) == (
        "服务满意",
        "服务对象满意",
        "≥95%",
    )
    assert _indicator(form, "预算调整率").target.raw == "≤5%"
    assert _indicator(form, "结转结余变动率").target.raw == "≤5%"
    shifted = _indicator(form, "管理制度建设成效")
    assert (shifted.level1, shifted.level2, shifted.target.raw) == ("管理效率", "基础管理", "明显")


def test_zhengzhou_empty_targets_are_kept_as_missing() -> None:
    form = _form(SEED_000)
    missing = [i.name for i in form.indicators if i.target.kind is TargetKind.MISSING]
    assert missing == [
        "预算执行率",
        "厉行节约支出变动率",
        "总体成本节约率",
        "重要改革事项1",
        "重要改革事项2",
        "重点创新事项1",
        "重点创新事项2",
        "高层次领军人才数量",
        "高级职称人才比重",
        "硕士和博士人才数量",
    ]


def test_liuzhi_department_form() -> None:
    form = _form(SEED_004)
    assert form.title == "六枝特区人力资源和社会保障局2023年部门整体支出绩效目标表"
    assert (form.department, form.year) == ("六枝特区人力资源和社会保障局", 2023)
    assert form.functions is not None and form.functions.startswith("全面推进就业、创业工作")
    assert form.overall_goal is not None and form.overall_goal.startswith(
        "坚持以“服务民生、服务发展、服务基层”为主题"
    )
    assert [(b.label, b.amount, b.unit) for b in form.budget] == [
        ("基本支出", Decimal("823.26"), "万元"),
        ("项目支出", Decimal("3072.79"), "万元"),
        ("资金总额", Decimal("3896.05"), "万元"),
    ]
    assert [(g.label, g.content) for g in form.goals] == [
        ("1", "有条不紊开展常规工作,立足做好服务"),
        ("2", "开启就业培训工作的新局面"),
        ("3", "深化社会保险制度改革聚焦更加开放更有活力"),
        ("4", "提升人事人才工作新高度"),
        ("5", "聚焦更加和谐更加稳定,应对劳动关系工作新挑战,聚焦更加规范更为科学"),
    ]
    assert form.measures["组织机构"] == "六枝特区人力资源和社会保障局"
    assert form.measures["相关管理制度"].startswith("《人力资源社会保障部关于修改部分规章的决定》")
    assert [(s.period, s.content) for s in form.stage_plan] == [
        ("1月-6月", "实现时间过半任务过半"),
        ("7月-12月", "全面完成目标任务"),
    ]
    assert form.tasks == []


def test_liuzhi_indicator_tree() -> None:
    """Rows 17–59: 数量 17–36 (20), 质量 37–53 (17), 时效 54–56 (3), 社会效益 57–58 (2), 满意度 59 (1)."""
    form = _form(SEED_004)
    assert len(form.indicators) == 43
    assert Counter((i.level1, i.level2) for i in form.indicators) == {
        ("产出指标", "数量指标"): 20,
        ("产出指标", "质量指标"): 17,
        ("产出指标", "时效指标"): 3,
        ("效益指标", "社会效益指标"): 2,
        ("满意度指标", "服务对象满意度指标"): 1,
    }
    jobs = _indicator(form, "城镇新增就业人数")
    assert (jobs.level1, jobs.level2, jobs.target.raw) == ("产出指标", "数量指标", "≥1万人以上")
    assert jobs.explanation is not None and jobs.explanation.startswith("当年城镇新增就业人数")
    satisfaction = _indicator(form, "服务对象满意度")
    assert (satisfaction.level1, satisfaction.target.raw) == ("满意度指标", "≥95%")
    assert _indicator(form, "劳动力稳定就业率").target.raw == "0.6"


def test_gaoxin_department_form_inside_a_budget_disclosure() -> None:
    form = _form(SEED_003)
    assert (form.title, form.department, form.year) == (
        "部门(单位)整体绩效目标表",
        "郑州高新技术产业开发区管委会人力资源局",
        2023,
    )
    assert [g.label for g in form.goals] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [g.title for g in form.goals] == [
        "深化管理体制机制改革",
        "稳就业促创业",
        "深化推进社会保障制度完善健全",
        "开展根治欠薪专项行动",
        "维护辖区和谐劳动关系",
        "做好人才服务和人力资源保障",
        "持续做好退役军人事务服务",
    ]
    assert form.goals[1].content.startswith("1. 扎实做好高校毕业生")
    # six tasks: the seventh goal has none; the last task row is printed one column left
    assert [t.name for t in form.tasks] == [g.title for g in form.goals[:6]]
    assert form.tasks[5].content is not None and form.tasks[5].content.startswith("1. 贯彻落实“郑州人才计划”")
    assert all(t.total is None for t in form.tasks)
    assert [(b.label, b.amount) for b in form.budget] == [
        ("部门预算总额", Decimal("8562.6")),
        ("政府预算资金", Decimal("8562.6")),
        ("财政专户管理资金", None),
        ("单位资金", None),
        ("基本支出", Decimal("4550.7")),
        ("项目支出", Decimal("4011.9")),
    ]


def test_gaoxin_indicator_blocks_with_centred_level1_names() -> None:
    form = _form(SEED_003)
    assert len(form.indicators) == 29
    assert Counter(i.level1 for i in form.indicators) == {"投入管理指标": 20, "产出指标": 7, "效益指标": 2}
    assert _indicator(form, "满意度").target.raw == "≥80%"
    assert _indicator(form, "开展根治欠薪专项行动").level2 == "重点工作任务完成"


def test_self_evaluation_is_not_a_declaration() -> None:
    forms, findings = _recognise(SEED_002)
    assert forms == [] and findings == []


def test_project_forms_are_not_department_forms() -> None:
    forms, _ = _recognise(SEED_004)
    assert len(forms) == 1  # the four 项目 forms of the same file are left to project_target


def test_form_split_over_two_tables_and_a_year_in_the_title() -> None:
    text = (
        "某某局2024年部门整体绩效目标表\n"
        "部门(单位)名称\t某某局\n"
        "年度主要任务\t任务名称\t主要内容\t预算资金(元)\n"
        "\t\t\t合计\t财政资金\n"
        "\t任务1: 就业服务\t开展招聘会\t120,000\t100,000\n"
        "\n注：指标表另起一页。\n\n"
        "一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t招聘会场次\t≥12场\n"
    )
    forms, findings = dept_target.recognise(read_text(text.encode(), "split.txt"))
    (form,) = forms
    assert isinstance(form, DeptTargetDeclaration)
    assert (form.department, form.year) == ("某某局", 2024)
    (task,) = form.tasks
    assert (task.label, task.name, task.content, task.total, task.fiscal, task.unit) == (
        "任务1",
        "就业服务",
        "开展招聘会",
        Decimal("120000"),
        Decimal("100000"),
        "元",
    )
    assert [(i.level1, i.name, i.target.raw) for i in form.indicators] == [
        ("产出指标", "招聘会场次", "≥12场")
    ]
    assert findings == []
