"""The reviewer's worksheet: one row per finding, filterable, with a status drop-down; deterministic."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from jixiao.checks.report import AuditReport
from jixiao.report.xlsx import FIXED_TIME, REVIEW_STATES, render_xlsx
from tests.report.conftest import CELL, HOSTILE, REGISTRY, ROW

HEADER = [
    "序号",
    "文件",
    "文件类型",
    "级别",
    "代码",
    "规则",
    "问题描述",
    "位置",
    "工作表/页",
    "表",
    "行",
    "列",
    "单元格",
    "应为",
    "实为",
    "建议",
    "审核意见",
    "处理状态",
]


def _workbook(report: AuditReport):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(render_xlsx(report, REGISTRY)))


def test_one_row_per_finding(report: AuditReport) -> None:
    sheet = _workbook(report)["审核发现"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 1 + 4
    assert rows[1] == [
        1,
        "部门决算.pdf",
        "部门决算公开",
        "错误",
        "A991",
        "示例：合计与明细不符",
        "《收入支出决算总表》合计 2,946.25 万元，与各项之和 2,946.26 万元不符",
        f"{CELL.label()}\n{ROW.label()}",
        "p.6",
        2,
        3,
        2,
        "B3",
        "2946.26",
        "2946.25",
        "核对合计行。",
        None,
        "待处理",
    ]
    assert rows[2][:8] == [
        2,
        "部门决算.pdf",
        "部门决算公开",
        "警告",
        "T991",
        "示例：指标值未填写",
        HOSTILE,
        ROW.label(),
    ]
    assert rows[2][8:13] == ["p.6", 2, 5, None, None]  # a whole row: no column, no cell
    assert rows[3][3:5] == ["提示", "P991"] and rows[3][7:13] == [None] * 6  # no location at all
    assert rows[4][:5] == [1, "预算表.xlsx", "部门预算公开", "错误", "A991"]
    assert rows[4][8:13] == ["部门收入总表", 2, 10, 4, "D10"]
    assert all(row[-1] == "待处理" for row in rows[1:])


def test_filter_freeze_validation_and_colours(report: AuditReport) -> None:
    sheet = _workbook(report)["审核发现"]
    assert sheet.auto_filter.ref == "A1:R5"
    assert sheet.freeze_panes == "A2"
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    states = validations[0]
    assert states.type == "list"
    assert states.formula1 == '"待处理,已确认,已更正,误报"'
    assert str(states.sqref) == "R2:R5"
    assert REVIEW_STATES[0] == "待处理"
    fills = [sheet.cell(row=row, column=4).fill.fgColor.rgb for row in range(2, 6)]
    assert fills == ["00FDE0DC", "00FFE9CC", "00DCEBFB", "00FDE0DC"]  # red, orange, blue, red
    assert sheet.cell(row=2, column=7).alignment.wrap_text
    assert sheet.column_dimensions["G"].width == 60


def test_rule_outcomes_sheet(report: AuditReport) -> None:
    sheet = _workbook(report)["规则执行情况"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ["文件", "代码", "规则", "结果", "发现数", "说明"],
        ["部门决算.pdf", "A991", "示例：合计与明细不符", "发现问题", 1, None],
        ["部门决算.pdf", "A104", "出错的规则", "规则出错", 0, None],
        ["部门决算.pdf", "A103", "收支总表与财政拨款收支总表一致", "不适用", 0, "收入不全是财政拨款"],
        ["部门决算.pdf", "A102", "基本支出等于人员经费与公用经费之和", "通过", 0, None],
        ["预算表.xlsx", "A991", "示例：合计与明细不符", "发现问题", 1, None],
    ]
    assert sheet.auto_filter.ref == "A1:F6" and sheet.freeze_panes == "A2"


def test_summary_sheet(report: AuditReport) -> None:
    sheet = _workbook(report)["汇总"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == ["文件", "文件类型", "格式", "错误", "警告", "提示", "发现合计"]
    assert rows[1] == ["部门决算.pdf", "部门决算公开", "pdf", 1, 1, 1, 3, 1, 1, 1, 1]
    assert rows[2] == ["预算表.xlsx", "部门预算公开", "xlsx", 1, 0, 0, 1, 0, 1, 0, 0]
    assert rows[3] == ["合计（2 个文件）", None, None, 2, 1, 1, 4, 1, 2, 1, 1]


def test_same_report_same_bytes(report: AuditReport) -> None:
    first, second = render_xlsx(report, REGISTRY), render_xlsx(report, REGISTRY)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    workbook = load_workbook(io.BytesIO(first))
    assert workbook.properties.created == FIXED_TIME == workbook.properties.modified
    assert workbook.sheetnames == ["审核发现", "规则执行情况", "汇总"]


def test_an_empty_report_is_still_a_worksheet() -> None:
    workbook = load_workbook(io.BytesIO(render_xlsx(AuditReport(), REGISTRY)))
    sheet = workbook["审核发现"]
    assert [c.value for c in sheet[1]] == HEADER and sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:R1"
    summary = [list(row) for row in workbook["汇总"].iter_rows(values_only=True)]
    assert summary[-1] == ["合计（0 个文件）", None, None, 0, 0, 0, 0, 0, 0, 0, 0]
