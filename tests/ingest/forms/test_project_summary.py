"""项目绩效目标汇总表: seed 003 (text export with its shifted indicator columns) and the same form as xlsx."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from jixiao.ingest.forms import recognise as recognise_all
from jixiao.ingest.forms.project_summary import CODES, recognise
from jixiao.ingest.readers.dispatch import read_bytes
from jixiao.ingest.readers.text import read_text
from jixiao.ingest.source import SourceDocument
from jixiao.model.declaration import ProjectSummaryRow, ProjectTargetSummary
from jixiao.model.findings import Finding, Severity
from jixiao.model.target import Comparator, TargetKind
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


def _read(path: Path) -> SourceDocument:
    return read_text(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def seed_003() -> tuple[ProjectTargetSummary, list[Finding]]:
    forms, findings = recognise(_read(SEED_003))
    assert len(forms) == 1
    summary = forms[0]
    assert isinstance(summary, ProjectTargetSummary)
    return summary, findings


def _row(summary: ProjectTargetSummary, code: str) -> ProjectSummaryRow:
    return next(r for r in summary.rows if r.code == code)


def test_seed_003_header_fields(seed_003: tuple[ProjectTargetSummary, list[Finding]]) -> None:
    summary, _ = seed_003
    assert summary.title == "2023年部门预算项目绩效目标汇总表"
    assert summary.department == "郑州高新技术产业开发区管委会人力资源局"
    assert summary.year == 2023
    assert summary.unit == "万元"
    assert summary.loc is not None and summary.loc.table == 9 and summary.loc.line == 449


def test_seed_003_rows_units_and_projects(seed_003: tuple[ProjectTargetSummary, list[Finding]]) -> None:
    summary, _ = seed_003
    assert len(summary.rows) == 40
    projects = [r for r in summary.rows if not r.is_unit]
    assert len(projects) == 36 and all(r.code for r in projects)
    assert [r.code for r in summary.rows if r.is_unit] == ["007", "007001", "007", "007001"]
    unit = summary.rows[1]
    assert (unit.name, unit.total) == ("郑州高新技术产业开发区管委会人力资源局", Decimal("4011.9"))
    assert unit.amounts == {
        "资金总额": Decimal("4011.9"),
        "政府预算资金": Decimal("4011.9"),
        "财政专户管理资金": None,
        "单位资金": None,
    }
    assert _row(summary, "410191230000000004083").total == Decimal("1850.0")
    assert (summary.rows[20].code, summary.rows[21].code) == ("007", "007001")  # the list starts again
    second_listing = summary.rows[22:]
    assert second_listing[0].code == "410191230000000004083" and len(second_listing) == 18
    # both listings add up to 4012.0 while the unit rows print 4011.9 (display rounding in the source)
    assert sum(r.total or 0 for r in second_listing) == Decimal("4012.0")
    assert sum(r.total or 0 for r in summary.rows[2:20]) == Decimal("4012.0")
    assert sum(len(r.indicators) for r in summary.rows) == 109
    assert sum(1 for r in summary.rows if r.indicators) == 21


def test_seed_003_project_with_indicators_realigned(
    seed_003: tuple[ProjectTargetSummary, list[Finding]],
) -> None:
    summary, _ = seed_003
    row = _row(summary, "410191230000000004124")
    assert (row.name, row.total, row.amounts["政府预算资金"]) == (
        "保障农民工工资专项费用",
        Decimal("10.0"),
        Decimal("10.0"),
    )
    got = [(i.level1, i.name, i.target.op, i.target.value, i.target.unit) for i in row.indicators]
    assert got == [
        ("产出指标", "农民工工资投诉案件数量", Comparator.GE, Decimal(1000), "件"),
        ("产出指标", "案件处理率", Comparator.GE, Decimal(75), "%"),
        ("产出指标", "案件处理及时率", Comparator.GE, Decimal(90), "%"),
        ("效益指标", "查处问题整改反馈率", Comparator.GE, Decimal(90), "%"),
        ("满意度指标", "群众满意度", Comparator.GE, Decimal(80), "%"),
    ]
    satisfaction = row.indicators[-1]
    assert satisfaction.cells["target"].line == 509 and satisfaction.cells["target"].col == 12
    assert satisfaction.target.raw == "≥80%"
    levels = Counter(i.level1 for r in summary.rows for i in r.indicators)
    assert levels == {"产出指标": 67, "效益指标": 21, "满意度指标": 21}
    assert all("满意" in i.name for r in summary.rows for i in r.indicators if i.level1 == "满意度指标")


def test_seed_003_first_listing_is_kept_with_its_own_codes(
    seed_003: tuple[ProjectTargetSummary, list[Finding]],
) -> None:
    summary, _ = seed_003
    first = _row(summary, "410191230000000004942")
    assert (first.name, first.total, first.indicators) == ("保障农民工工资专项费用", Decimal("10.0"), [])
    veterans = _row(summary, "410191230000000004956")
    assert [(i.level1, i.name) for i in veterans.indicators][:1] == [("产出指标", "开展宣传活动数")]
    assert veterans.indicators[-1].level1 == "满意度指标"


def test_seed_003_shift_is_reported(seed_003: tuple[ProjectTargetSummary, list[Finding]]) -> None:
    _, findings = seed_003
    shift = [f for f in findings if f.code == "F002"]
    assert len(shift) == 1
    finding = shift[0]
    assert finding.severity is Severity.WARNING
    assert "表9“2023年部门预算项目绩效目标汇总表”第13–23、34–89行" in finding.message
    assert (
        "“成本指标”列下实为产出指标，“产出指标”列下实为效益指标，“效益指标”列下实为满意度指标"
        in finding.message
    )
    assert "满意度类指标错位共 21 处" in finding.message
    assert finding.message.startswith("003_c06aad5ab77f5f33.txt：")
    assert finding.locations[1].line == 461


def test_seed_003_repeated_listing_and_odd_code(seed_003: tuple[ProjectTargetSummary, list[Finding]]) -> None:
    _, findings = seed_003
    codes = Counter(f.code for f in findings)
    assert codes == {"F002": 1, "F070": 1, "F071": 1}
    repeated = next(f for f in findings if f.code == "F070")
    assert "列示了 2 遍（分别从第4、32行起）" in repeated.message
    assert "17 个项目重复出现" in repeated.message
    assert repeated.severity is Severity.WARNING
    odd = next(f for f in findings if f.code == "F071")
    assert "4101912300000000009630 为 22 位" in odd.message and odd.locations[0].line == 479


@pytest.mark.parametrize("path", [SEED_000, SEED_002, SEED_004])
def test_does_not_fire_on_other_forms(path: Path) -> None:
    assert recognise(_read(path)) == ([], [])


def test_dispatcher_reports_a_project_target_document() -> None:
    result = recognise_all(_read(SEED_003), recognisers=("jixiao.ingest.forms.project_summary",))
    assert result.kind == "project_target"
    assert [type(f).__name__ for f in result.forms] == ["ProjectTargetSummary"]


def test_codes_are_declared() -> None:
    assert set(CODES) == {"F002", "F070", "F071", "F072", "F073"}


# -- the same form as a spreadsheet -------------------------------------------------------------------

# fmt: off
_SHEET_ROWS: list[list[object]] = [
    ["2024年部门预算项目绩效目标汇总表"],
    ["部门名称：某市人力资源和社会保障局", *[None] * 11, "单位：万元"],
    ["单位编码（项目编码）", "项目单位（项目名称）", "项目金额（万元）", None, None, None, "绩效目标"],
    [None, None, "资金总额", "政府预算资金", "财政专户管理资金", "单位资金", "成本指标", None, "产出指标", None,
     "效益指标", None, "满意度指标"],
    [*[None] * 6, "三级指标", "指标值", "三级指标", "指标值", "三级指标", "指标值", "三级指标", "指标值"],
    ["301", None, 1260.5, 1260.5],
    ["301001", "某市人力资源和社会保障局", 1260.5, 1260.5],
    ["410100240000000001001", "职业技能培训补贴", 1200, 1150, None, 50, "人均培训成本", "≤1500元/人",
     "培训人次", "≥20000人次", "培训后就业率", "≥60%", "参训人员满意度", "≥90%"],
    [*[None] * 8, "培训合格率", "≥85%"],
    [*[None] * 8, "补贴发放及时率", "100%"],
    ["410100240000000001002", "劳动监察执法经费", 60.5, 60.5, None, None, "办案成本", "≤10万元",
     "办结案件数", "≥300件", "欠薪案件结案率", "≥95%", "劳动者满意度", "≥85%"],
]
# fmt: on
_MERGES = ["A1:N1", "A3:A5", "B3:B5", "C3:F3", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G3:N3"]
_MERGES += ["G4:H4", "I4:J4", "K4:L4", "M4:N4"]


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "项目绩效目标汇总表"
    for row in _SHEET_ROWS:
        sheet.append(row)
    for merged in _MERGES:
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_layout_without_shift_keeps_cost_indicators() -> None:
    forms, findings = recognise(read_bytes(_workbook(), "summary.xlsx"))
    assert findings == []
    summary = forms[0]
    assert isinstance(summary, ProjectTargetSummary)
    assert (summary.title, summary.department, summary.year, summary.unit) == (
        "2024年部门预算项目绩效目标汇总表",
        "某市人力资源和社会保障局",
        2024,
        "万元",
    )
    assert [(r.code, r.is_unit, r.total) for r in summary.rows] == [
        ("301", True, Decimal("1260.5")),
        ("301001", True, Decimal("1260.5")),
        ("410100240000000001001", False, Decimal(1200)),
        ("410100240000000001002", False, Decimal("60.5")),
    ]
    training = summary.rows[2]
    assert training.amounts == {
        "资金总额": Decimal(1200),
        "政府预算资金": Decimal(1150),
        "财政专户管理资金": None,
        "单位资金": Decimal(50),
    }
    assert [(i.level1, i.name, i.target.raw) for i in training.indicators] == [
        ("成本指标", "人均培训成本", "≤1500元/人"),
        ("产出指标", "培训人次", "≥20000人次"),
        ("产出指标", "培训合格率", "≥85%"),
        ("产出指标", "补贴发放及时率", "100%"),
        ("效益指标", "培训后就业率", "≥60%"),
        ("满意度指标", "参训人员满意度", "≥90%"),
    ]
    cost = training.indicators[0]
    assert (cost.target.op, cost.target.value, cost.target.unit) == (Comparator.LE, Decimal(1500), "元/人")
    assert cost.cells["target"].cell == "H8" and cost.cells["target"].sheet == "项目绩效目标汇总表"
    assert summary.rows[3].indicators[0].level1 == "成本指标"


# -- other layouts of the family ----------------------------------------------------------------------


def _text_doc(lines: list[str], name: str = "summary.txt") -> SourceDocument:
    return read_text("\n".join(lines).encode(), name)


def test_long_layout_with_other_column_order() -> None:
    doc = _text_doc(
        [
            "2022年项目支出绩效目标汇总表",
            "项目名称\t项目编码\t一级指标\t二级指标\t三级指标\t指标值\t预算金额（元）",
            "公益性岗位补贴\tP001\t产出指标\t数量指标\t享受补贴人数\t≅700人\t400,000.00",
            "\t\t\t质量指标\t补贴发放准确率\t100%\t",
            "\t\t成本指标\t经济成本指标\t岗位补贴标准\t岗位补贴:2004元/人/月,1002元/人/月\t",
            "\t\t满意度指标\t服务对象满意度\t服务对象满意度\t≥95%\t",
            "技工院校学生资助\tP002\t产出指标\t数量指标\t助学金资助人数\t≥1200人\t284,000.00",
        ]
    )
    forms, findings = recognise(doc)
    assert findings == []
    summary = forms[0]
    assert isinstance(summary, ProjectTargetSummary)
    assert (summary.year, summary.unit) == (2022, "元")
    first, second = summary.rows
    assert (first.code, first.name, first.total) == ("P001", "公益性岗位补贴", Decimal("400000.00"))
    assert [(i.level1, i.level2, i.name) for i in first.indicators] == [
        ("产出指标", "数量指标", "享受补贴人数"),
        ("产出指标", "质量指标", "补贴发放准确率"),
        ("成本指标", "经济成本指标", "岗位补贴标准"),
        ("满意度指标", "服务对象满意度", "服务对象满意度"),
    ]
    assert [p.value for p in first.indicators[2].target.parts] == [Decimal(2004), Decimal(1002)]
    assert (second.total, len(second.indicators)) == (Decimal("284000.00"), 1)


_WIDE_HEADER = [
    "项目编码\t项目名称\t项目金额（万元）\t绩效目标\t\t\t\t\t",
    "\t\t\t产出指标\t\t效益指标\t\t满意度指标\t",
    "\t\t\t三级指标\t指标值\t三级指标\t指标值\t三级指标\t指标值",
]


def test_empty_satisfaction_column_without_evidence_is_not_a_shift() -> None:
    doc = _text_doc(
        [
            *_WIDE_HEADER,
            "A01\t培训项目\t20\t培训人次\t≥500人次\t就业率\t≥60%\t\t",
            "A02\t宣传项目\t5\t宣传场次\t≥10场\t知晓率\t≥80%\t\t",
        ]
    )
    forms, findings = recognise(doc)
    assert [f.code for f in findings] == []
    summary = forms[0]
    assert isinstance(summary, ProjectTargetSummary)
    assert [i.level1 for i in summary.rows[0].indicators] == ["产出指标", "效益指标"]


def test_shift_to_the_right_is_detected_from_cost_content() -> None:
    doc = _text_doc(
        [
            "项目编码\t项目名称\t项目金额（万元）\t绩效目标\t\t\t\t\t\t\t",
            "\t\t\t成本指标\t\t产出指标\t\t效益指标\t\t满意度指标\t",
            "\t\t\t三级指标\t指标值\t三级指标\t指标值\t三级指标\t指标值\t三级指标\t指标值",
            "A01\t培训项目\t20\t\t\t人均培训成本\t≤1500元/人\t培训人次\t≥500人次\t就业率\t≥60%",
            "A02\t执法项目\t5\t\t\t办案成本\t≤10万元\t办结案件数\t≥300件\t结案率\t≥95%",
        ]
    )
    forms, findings = recognise(doc)
    assert [f.code for f in findings] == ["F002"]
    assert "向右错位 1 组" in findings[0].message and "“满意度指标”按未填写处理" in findings[0].message
    summary = forms[0]
    assert isinstance(summary, ProjectTargetSummary)
    assert [(i.level1, i.name) for i in summary.rows[0].indicators] == [
        ("成本指标", "人均培训成本"),
        ("产出指标", "培训人次"),
        ("效益指标", "就业率"),
    ]


def test_page_break_table_is_read_on_and_incomplete_pairs_are_reported() -> None:
    doc = _text_doc(
        [
            *_WIDE_HEADER,
            "A01\t培训项目\t20\t培训人次\t≥500人次\t就业率\t≥60%\t满意度\t≥90%",
            "",
            "- 2 -",
            "",
            "\t\t\t培训合格率\t\t\t\t\t",
            "A02\t宣传项目\t五万\t宣传场次\t≥10场\t\t\t群众满意度\t≥85%",
        ]
    )
    forms, findings = recognise(doc)
    assert len(doc.tables) == 2 and len(forms) == 1
    summary = forms[0]
    assert isinstance(summary, ProjectTargetSummary)
    assert [r.code for r in summary.rows] == ["A01", "A02"]
    assert [i.name for i in summary.rows[0].indicators] == ["培训人次", "培训合格率", "就业率", "满意度"]
    assert summary.rows[0].indicators[1].target.kind is TargetKind.MISSING
    assert sorted(f.code for f in findings) == ["F072", "F073"]
    missing = next(f for f in findings if f.code == "F072")
    assert "指标“培训合格率”没有指标值" in missing.message
    assert missing.locations[0].table == 2
    amount = next(f for f in findings if f.code == "F073")
    assert "“五万”" in amount.message and summary.rows[1].total is None
