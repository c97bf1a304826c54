"""项目支出绩效目标申报表 recogniser on the four 六枝 2023 forms and on an xlsx built inline."""

from __future__ import annotations

import doctest
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

from openpyxl import Workbook

from jixiao.ingest.forms import project_target
from jixiao.ingest.readers.text import read_text
from jixiao.ingest.readers.xlsx import read_xlsx
from jixiao.ingest.source import SourceDocument
from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.model.findings import Finding, Severity
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


@cache
def _recognise(path: Path) -> tuple[list[ProjectTargetDeclaration], list[Finding]]:
    forms, findings = project_target.recognise(read_text(path.read_bytes(), path.name))
    declarations = [f for f in forms if isinstance(f, ProjectTargetDeclaration)]
    assert len(declarations) == len(forms)
    return declarations, findings


def _liuzhi() -> list[ProjectTargetDeclaration]:
    forms, _ = _recognise(SEED_004)
    assert len(forms) == 4
    return forms


def _codes(table: int) -> list[str]:
    _, findings = _recognise(SEED_004)
    return [
        f.code for f in findings if f.locations and f.locations[0].table == table and f.code.startswith("F0")
    ]


def test_module_example_runs() -> None:
    assert doctest.testmod(project_target).failed == 0


def test_four_project_forms_with_their_budgets() -> None:
    forms = _liuzhi()
    assert [f.project_name for f in forms] == [
        "2023年事业单位面向社会公开招聘",
        "公益性岗位补贴",
        "2023年技工院校县级配套学生资助资金",
        "2023年干部人事档案数字化平台建设费用",
    ]
    assert [(f.budget, f.budget_unit, f.budget_unit_assumed) for f in forms] == [
        (Decimal("300"), "元", False),  # as printed in the header 预算资金(元)
        (Decimal("40"), "万元", True),
        (Decimal("28.4"), "万元", True),
        (Decimal("30"), "万元", True),
    ]
    assert all(f.year == 2023 and f.department == "六枝特区人力资源和社会保障局" for f in forms)
    assert all(f.fund_nature == "一般公共预算安排" for f in forms)


def test_a_budget_of_300_yuan_is_flagged_as_a_suspicious_unit() -> None:
    _, findings = _recognise(SEED_004)
    (suspicious,) = [f for f in findings if f.code == "F003"]
    assert suspicious.severity is Severity.WARNING
    assert suspicious.locations[0].table == 2 and suspicious.locations[0].cell == "C6"
    assert "300 元" in suspicious.message
    assumed = [f.locations[0].table for f in findings if f.code == "F032"]
    assert assumed == [3, 4, 5]


def test_recruitment_form_fields() -> None:
    form = _liuzhi()[0]
    assert (form.leader, form.phone, form.category, form.attribute, form.period) == (
        "张明扬",
        "5328068",
        "其它",
        "延续项目",
        "2023年1月1日至2023年12月31日",
    )
    assert form.title == "六枝特区人力资源和社会保障局项目绩效目标表 (2023年度)"
    assert form.annual_goal is not None and form.annual_goal.startswith("为加强六枝特区事业单位人员队伍建设")
    assert form.plans == ["2023年1月至2023年12月六枝特区事业单位面向社会公开招聘工作人员"]
    assert form.measures == {"组织机构": "六枝特区人力资源和社会保障局事业单位人事管理股", "管理制度": ""}
    assert [(i.level1, i.level2, i.name, i.target.raw) for i in form.indicators] == [
        ("产出指标", "数量指标", "报考人数", "≥20000"),
        ("产出指标", "数量指标", "考务人员人次", "≥2500人次"),
        ("产出指标", "数量指标", "组织考试场次", "≥1次"),
        ("产出指标", "时效指标", "招考完成时间", "12月底之前"),
        ("产出指标", "成本指标", "报名费", "100元/每人"),
        ("效益指标", "社会效益指标", "解决大专以上学历毕业生就业问题;壮大事业单位人", "有效推动"),
        ("效益指标", "可持续影响指标", "促进人事工作发展", "有效促进"),
        ("满意度指标", "社会公众或服务对象满意度", "考生满意度,用人单位满意度", "≥95%"),
    ]
    assert form.cells["budget"].cell == "C6"


def test_form_exported_one_cell_per_row() -> None:
    form = _liuzhi()[1]
    # values printed below their labels
    assert (form.leader, form.phone, form.fund_nature) == ("王辉", "5322213", "一般公共预算安排")
    assert form.cells["phone"].row == 3
    assert form.plans == ["约安置公益性岗位700人"]
    assert form.measures["组织机构"] == "六枝特区人力资源和社会保障局"
    assert len(form.indicators) == 10
    first = form.indicators[0]
    assert (first.level1, first.level2, first.name, first.target.raw) == (
        "产出指标",
        "数量指标",
        "享受公益性岗位补贴人数",
        "≅700",
    )
    assert [i.level1 for i in form.indicators].count("满意度指标") == 2
    assert "F042" in _codes(3)  # the reader says the structure was inferred


def test_project_name_misaligned_with_the_leader_is_recovered_by_content() -> None:
    form = _liuzhi()[2]
    assert (form.project_name, form.leader) == ("2023年技工院校县级配套学生资助资金", "罗敏")
    assert form.cells["project_name"].cell == "B1"
    assert [g.label for g in form.goals] == ["目标1", "目标2", "目标3"]
    assert form.goals[1].content == "确保就读技工院校的贵州省户籍家庭经济困难学生助学金资助到人"
    assert "F030" in _codes(4)
    assert len(form.indicators) == 11
    assert [i.name for i in form.indicators[:3]] == ["助学金资助人数", "免学费资助人数", "精准扶贫资助人数"]
    assert form.indicators[0].previous == "实际人数100%"


def test_archive_platform_form() -> None:
    form = _liuzhi()[3]
    assert (form.leader, form.phone, form.period) == ("宋卉", "5322217", "2023-01-01至2024-12-31")
    assert [g.content for g in form.goals] == [
        "干部人事档案数字化平台搭建完成",
        "完成干部人事档案信息采集录入工作",
    ]
    assert [(i.level2, i.name, i.target.raw) for i in form.indicators] == [
        ("数量指标", "数字化平台建设时间", "≤24月"),
        ("数量指标", "干部人事档案信息采集录入工作", "≤24月"),
        ("成本指标", "品台软、硬件购买费用", "≤30万元"),
        ("质量指标", "信息采集录入准确率", "100%"),
        ("时效指标", "平台搭建和信息采集完成实现", "2024年12底之前"),
        ("社会效益指标", "人事档案管理规范性", "得以保障"),
        ("社会公众", "用人单位及服务对象满意度", "≥100%"),
    ]


def test_documents_without_project_forms_give_none() -> None:
    for seed in (SEED_000, SEED_002, SEED_003):  # 003 has a 项目绩效目标汇总表 and a 项目支出表: not forms
        forms, findings = _recognise(seed)
        assert forms == [] and findings == []


_XLSX_ROWS: list[list[str | None]] = [
    ["2024年项目支出绩效目标申报表", None, None, None, None],
    ["项目名称", "职业技能培训补贴", None, None, None],
    ["项目负责人", "李四", "联系电话", "12345678", None],
    ["预算资金(万元)", "120.5", "资金性质", "一般公共预算", None],
    ["年度目标", "完成职业技能培训2000人次", None, None, None],
    ["一级指标", "二级指标", "三级指标", "指标值", "指标解释"],
    ["产出指标", "数量指标", "培训人次", "≥2000人次", "全年培训人次"],
    [None, None, "发放补贴人数", "≥1500人", "享受补贴人数"],
    [None, "质量指标", "培训合格率", "≥90%", "合格人数/培训人数×100%"],
    [None, "时效指标", "补贴发放及时率", "100%", None],
    ["效益指标", "社会效益指标", "就业率", "≥80%", None],
    ["满意度指标", "服务对象满意度指标", "学员满意度", "≥95%", None],
]


def _xlsx_document() -> SourceDocument:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "项目目标表"
    for row in _XLSX_ROWS:
        sheet.append(row)
    for merged in ("A1:E1", "B2:E2", "B5:E5", "A7:A10", "B7:B8"):
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return read_xlsx(buffer.getvalue(), "培训补贴.xlsx")


def test_xlsx_form_with_merged_level_cells() -> None:
    forms, findings = project_target.recognise(_xlsx_document())
    (form,) = forms
    assert isinstance(form, ProjectTargetDeclaration)
    assert (form.title, form.year, form.project_name, form.leader, form.phone) == (
        "2024年项目支出绩效目标申报表",
        2024,
        "职业技能培训补贴",
        "李四",
        "12345678",
    )
    assert (form.budget, form.budget_unit, form.budget_unit_assumed) == (Decimal("120.5"), "万元", False)
    assert [(i.level1, i.level2, i.name) for i in form.indicators] == [
        ("产出指标", "数量指标", "培训人次"),
        ("产出指标", "数量指标", "发放补贴人数"),
        ("产出指标", "质量指标", "培训合格率"),
        ("产出指标", "时效指标", "补贴发放及时率"),
        ("效益指标", "社会效益指标", "就业率"),
        ("满意度指标", "服务对象满意度指标", "学员满意度"),
    ]
    inherited = form.indicators[3]
    assert inherited.cells["level1"].cell == "A7" and inherited.cells["name"].cell == "C10"
    assert findings == []


# sh-putuo-wanli-2023-bumen-yusuan.pdf p.32 (表11) as the PDF reader lays it out: the title and year
# inside the grid, the unit on the row label 项目资金（元）, dates in two cells, free-text targets.
_SHANGHAI = """\
财政项目支出绩效目标填报表\t\t\t\t\t\t\t
（2023年度）\t\t\t\t\t\t\t
项目名称\t\t就业援助基地补贴\t\t项目性质\t经常性项目\t项目类别\t特定目标类
主管部门\t\t上海市普陀区人民政府万里街道办事处\t\t实施单位\t上海市普陀区人民政府万里街道办事处\t\t
计划开始日期\t\t2023-01-01\t\t计划完成日期\t2023-12-31\t\t
项目资金（元）\t\t项目资金总额\t\t6,351,000.00\t年度资金申请总额\t\t6,351,000.00
\t\t其中：财政资金\t\t6,351,000.00\t其中：当年财政拨款\t\t6,351,000.00
\t\t其他资金\t\t0.00\t其他资金\t\t0.00
项目绩效目标\t项目总目标\t\t\t\t年度总体目标\t\t
\t管理各类下拨费用，实报实销\t\t\t\t管理各类下拨费用，实报实销\t\t
\t一级指标\t二级指标\t三级指标\t\t\t年度(/项目)指标值\t
绩效指标\t产出指标\t数量指标\t补贴对象申请审核完成率\t\t\t=100.00(%)\t
\t\t质量指标\t补贴对象审核达标率\t\t\t=100.00(%)\t
\t效益指标\t社会效益指标\t补贴对象生活改善度\t\t\t补贴对象生活改善度不低于80%\t
\t满意度指标\t服务对象满意度指标\t补贴对象满意度\t\t\t≥80.00(%)\t
"""


def test_shanghai_layout_of_the_same_form() -> None:
    forms, findings = project_target.recognise(read_text(_SHANGHAI.encode(), "wanli.txt"))
    (form,) = forms
    assert isinstance(form, ProjectTargetDeclaration)
    assert (form.title, form.year, form.project_name, form.department) == (
        "财政项目支出绩效目标填报表",
        2023,
        "就业援助基地补贴",
        "上海市普陀区人民政府万里街道办事处",
    )
    assert (form.attribute, form.category, form.period) == (
        "经常性项目",
        "特定目标类",
        "2023-01-01至2023-12-31",
    )
    # the year's amount (年度资金申请总额), in the unit its row label prints
    assert (form.budget, form.budget_unit, form.budget_unit_assumed) == (Decimal("6351000.00"), "元", False)
    assert form.cells["budget"].cell == "H6"
    assert form.annual_goal == "管理各类下拨费用，实报实销"  # printed below its label
    assert [(i.level1, i.level2, i.name, i.target.raw) for i in form.indicators] == [
        ("产出指标", "数量指标", "补贴对象申请审核完成率", "=100.00(%)"),
        ("产出指标", "质量指标", "补贴对象审核达标率", "=100.00(%)"),
        ("效益指标", "社会效益指标", "补贴对象生活改善度", "补贴对象生活改善度不低于80%"),
        ("满意度指标", "服务对象满意度指标", "补贴对象满意度", "≥80.00(%)"),
    ]
    assert findings == []
