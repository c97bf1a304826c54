"""A1xx / A2xx: totals against their rows, columns and other tables; declared and executed funds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.checks import arithmetic
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, rules_in
from jixiao.ingest.load import load_bytes
from jixiao.ingest.source import SourceDocument
from jixiao.model.declaration import (
    BudgetLine,
    DeptTargetDeclaration,
    ProjectSummaryRow,
    ProjectTargetSummary,
    Task,
)
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.findings import Finding
from jixiao.model.loc import Loc
from tests.checks.helpers import findings, run, run_text
from tests.conftest import (
    PDF_CZJ_FINAL,
    PDF_JCY,
    SEED_000,
    SEED_002,
    SEED_003,
    SEED_004,
    XLS_TEMPLATE,
    XLSX_TEMPLATE,
    load_document,
)

REGISTRY = Registry(rules_in(arithmetic))
FILE = "inline.txt"

# ---------------------------------------------------------------------------------------------
# building small tables: one line per row, amounts as printed ("-" for a blank cell)


def at(row: int, col: int) -> Loc:
    return Loc(file=FILE, table=1, row=row, col=col)


def _kind(code: str | None) -> str | None:
    if code is None:
        return None
    if code.startswith("0"):
        return "unit"
    return "function" if code.startswith("2") else "economic_dept"


def _is_total(name: str) -> bool:
    return (
        name in ("合计", "总计", "收入总计", "支出总计")
        or name.startswith(("本年", "当年"))
        or name.endswith(("小计", "合计"))
    )


def table(
    kind: str, title: str, columns: list[str], lines: list[tuple[str, ...]], unit: str = "万元"
) -> DisclosureTable:
    """``lines``: (name, code or "", amounts separated by spaces) or (side, name, code, amounts)."""
    rows: list[DisclosureRow] = []
    for index, line in enumerate(lines, start=1):
        side = line[0] if len(line) == 4 else None
        name, code, amounts = line[-3], line[-2] or None, line[-1].split()
        row_columns = [
            c for c in columns if side is None or c.startswith("收入" if side == "income" else "支出")
        ]
        values = {c: (None if a == "-" else Decimal(a)) for c, a in zip(row_columns, amounts, strict=True)}
        rows.append(
            DisclosureRow(
                name=name,
                code=code,
                code_kind=_kind(code),
                values=values,
                is_total=_is_total(name),
                side=side,
                loc=at(index, 1),
                cells={c: at(index, columns.index(c) + 2) for c, v in values.items() if v is not None},
            )
        )
    return DisclosureTable(kind=kind, title=title, unit=unit, columns=columns, rows=rows, loc=at(0, 0))


def disclosure(*tables: DisclosureTable) -> Disclosure:
    return Disclosure(tables=list(tables))


SPENDING = ["合计", "基本支出", "项目支出"]


def spending_table(total: str = "100.0 60.0 40.0") -> DisclosureTable:
    return table(
        "expenditure_summary",
        "部门支出总表",
        SPENDING,
        [
            ("合计", "", total),
            ("行政运行", "2010101", "60.0 60.0 -"),
            ("一般行政管理事务", "2010102", "25.0 - 25.0"),
            ("其他一般公共服务支出", "2019999", "15.0 - 15.0"),
        ],
    )


# ---------------------------------------------------------------------------------------------
# A101 rows against totals


def test_a101_a_total_that_is_not_the_sum_of_its_rows() -> None:
    [finding] = findings(arithmetic.table_total_against_rows, disclosure(spending_table("137.4 60.0 77.4")))
    assert finding.code == "A101" and finding.severity.value == "error"
    assert finding.message == (
        "《部门支出总表》“合计”行与 3 个项级科目之和不符：“合计”列为 137.4 万元，应为 100.0 万元（相差 37.4 万元）；"
        "“项目支出”列为 77.4 万元，应为 40.0 万元（相差 37.4 万元）。"
    )
    assert (finding.expected, finding.actual) == ("100.0", "137.4")
    assert finding.locations[0] == at(1, 2)  # the 合计 cell, then the first and last rows added
    assert at(2, 2) in finding.locations and at(4, 2) in finding.locations


def test_a101_adds_one_level_only_and_skips_shares() -> None:
    layered = table(
        "general_budget_expenditure",
        "一般公共预算支出表",
        ["合计"],
        [
            ("社会保障和就业支出", "208", "326.72"),
            ("行政事业单位养老支出", "20805", "326.72"),
            ("行政单位离退休", "2080501", "84.65"),
            ("机关事业单位基本养老保险缴费支出", "2080505", "242.07"),
            ("住房保障支出", "221", "445.69"),
            ("住房公积金", "2210201", "445.69"),  # 款 22102 not printed: the 项 hangs under its 类
            ("其中：财政拨款", "", "445.69"),
            ("合计", "", "772.41"),
        ],
    )
    assert findings(arithmetic.table_total_against_rows, disclosure(layered)) == []
    assert findings(arithmetic.parent_against_children, disclosure(layered)) == []


def test_a101_unit_rows_block_subtotals_and_two_sided_sections() -> None:
    units = table(
        "expenditure_summary",
        "支出总表",
        ["合计"],
        [
            ("合计", "", "35"),
            ("甲单位", "001001", "10"),
            ("行政运行", "2010101", "10"),
            ("乙单位", "001002", "25"),
            ("行政运行", "2010101", "20"),
        ],
    )
    [finding] = findings(arithmetic.table_total_against_rows, disclosure(units))
    assert (
        finding.message
        == "《支出总表》单位“001002 乙单位”行为 25 万元，1 个项级科目之和为 20 万元，相差 5 万元。"
    )
    single = table(
        "expenditure_summary",
        "支出总表",
        ["合计"],
        [("合计", "", "30"), ("某局", "007", "35"), ("行政运行", "2010101", "30")],
    )
    [finding] = findings(arithmetic.table_total_against_rows, disclosure(single))
    assert finding.message == "《支出总表》“合计”行为 30 万元，单位“007 某局”行为 35 万元，相差 5 万元。"
    blocks = table(
        "project_expenditure",
        "项目支出表",
        ["合计"],
        [
            ("项目甲", "", "5"),
            ("项目乙", "", "5"),
            ("小计", "", "10"),
            ("项目丙", "", "7"),
            ("小计", "", "7"),
            ("合计", "", "17"),
        ],
    )
    assert findings(arithmetic.table_total_against_rows, disclosure(blocks)) == []
    two_sided = table(
        "income_expenditure_summary",
        "部门收支总表",
        ["收入/金额", "支出/金额"],
        [
            ("income", "一、一般公共预算", "", "90"),
            ("income", "其中：财政拨款", "", "90"),
            ("income", "二、事业收入", "", "10"),
            ("expenditure", "一、一般公共服务支出", "201", "95"),
            ("income", "本年收入合计", "", "100"),
            ("expenditure", "本年支出合计", "", "95"),
            ("income", "上年结转结余", "", "5"),
            ("expenditure", "年终结转结余", "", "10"),
            ("income", "收入总计", "", "105"),
            ("expenditure", "支出总计", "", "105"),
        ],
    )
    assert findings(arithmetic.table_total_against_rows, disclosure(two_sided)) == []
    closing = table(
        "income_expenditure_summary",
        "收支总表",
        ["收入/金额"],
        [
            ("income", "一、财政拨款收入", "", "100"),
            ("income", "收入合计", "", "100"),
            ("income", "上年结转", "", "5"),
            ("income", "收入总计", "", "105"),
        ],
    )
    assert findings(arithmetic.table_total_against_rows, disclosure(closing)) == []
    wrong = two_sided.model_copy(deep=True)
    wrong.rows[-2].values["收入/金额"] = Decimal("115")
    [finding] = findings(arithmetic.table_total_against_rows, disclosure(wrong))
    assert "“收入总计”行为 115 万元，“本年收入合计”与其后 1 行之和为 105 万元" in finding.message


def test_a101_display_rounding_is_not_an_error_but_an_a108_note() -> None:
    rounded = disclosure(spending_table("100.1 60.0 40.1"))
    assert findings(arithmetic.table_total_against_rows, rounded) == []
    [note] = findings(arithmetic.rounding_differences, rounded)
    assert note.code == "A108" and note.severity.value == "info"
    assert "“合计”列为 100.1 万元，3 个项级科目之和为 100.0 万元（相差 0.1 万元）" in note.message
    assert findings(arithmetic.rounding_differences, disclosure(spending_table())) == []


def test_a101_does_not_apply_to_a_blank_template() -> None:
    blank = table(
        "expenditure_summary", "支出总表", ["合计"], [("合计", "", "-"), ("行政运行", "2010101", "-")]
    )
    outcome, found = run(arithmetic.table_total_against_rows, disclosure(blank))
    assert found == [] and outcome.status == "not_applicable" and "没有金额" in (outcome.reason or "")


# ---------------------------------------------------------------------------------------------
# A102 parents against children


def test_a102_a_class_that_is_not_the_sum_of_its_items() -> None:
    # unit_budget.pdf-like: 行政运行 prints the whole 项目支出 of its 款 again
    spending = table(
        "expenditure_summary",
        "支出预算总表",
        ["合计", "基本支出", "项目支出"],
        [
            ("司法", "20406", "79.00 14.00 65.00"),
            ("行政运行", "2040601", "14.00 14.00 65.00"),
            ("基层司法业务", "2040604", "65.00 - 65.00"),
        ],
    )
    [finding] = findings(arithmetic.parent_against_children, disclosure(spending))
    assert finding.message == (
        "《支出预算总表》“20406 司法”行“项目支出”列为 65.00 万元，其下 2 个项级科目之和为 130.00 万元，相差 65.00 万元。"
    )
    assert finding.locations == (at(1, 4), at(2, 4), at(3, 4))
    [column] = findings(arithmetic.total_column_against_parts, disclosure(spending))
    assert (
        "“2040601 行政运行”行“合计”列为 14.00 万元，“基本支出” + “项目支出”之和为 79.00 万元"
        in column.message
    )
    fixed = spending.model_copy(deep=True)
    fixed.rows[1].values["项目支出"] = None
    assert findings(arithmetic.parent_against_children, disclosure(fixed)) == []


def test_a102_outline_parents_and_plain_items_under_them() -> None:
    income = table(
        "income_expenditure_summary",
        "收支总表",
        ["收入/金额"],
        [
            ("income", "一、财政拨款收入", "", "100"),
            ("income", "1. 一般公共预算", "", "90"),
            ("income", "2. 政府性基金", "", "20"),
            ("income", "收入总计", "", "100"),
        ],
    )
    [finding] = findings(arithmetic.parent_against_children, disclosure(income))
    assert "“一、财政拨款收入”行为 100 万元，其下 2 个明细行之和为 110 万元" in finding.message
    procurement = table(
        "procurement",
        "政府采购支出表",
        ["总计"],
        [("一、货物", "", "30"), ("办公设备", "", "30"), ("台式计算机", "", "30"), ("合计", "", "30")],
    )
    assert findings(arithmetic.parent_against_children, disclosure(procurement)) == []
    assert findings(arithmetic.table_total_against_rows, disclosure(procurement)) == []


# ---------------------------------------------------------------------------------------------
# A103 columns


def test_a103_total_column_against_basic_and_project() -> None:
    [finding] = findings(arithmetic.total_column_against_parts, disclosure(spending_table("100.0 60.0 50.0")))
    assert finding.code == "A103"
    assert finding.message == (
        "《部门支出总表》“合计”行“合计”列为 100.0 万元，“基本支出” + “项目支出”之和为 110.0 万元，相差 10.0 万元。"
    )
    assert finding.locations == (at(1, 2), at(1, 3), at(1, 4))
    assert findings(arithmetic.total_column_against_parts, disclosure(spending_table())) == []


def test_a103_reads_the_header_tree() -> None:
    identities = arithmetic.column_identities(
        [
            "合计",
            "上年结转",
            "一般公共预算",
            "其中：教育收费",
            "上年预算数",
            "基本支出/小计",
            "基本支出/人员经费",
            "基本支出/公用经费",
        ]
    )
    assert identities == [
        ("合计", ["上年结转", "一般公共预算", "基本支出/小计"]),
        ("基本支出/小计", ["基本支出/人员经费", "基本支出/公用经费"]),
    ]
    basic = table(
        "general_budget_basic",
        "基本支出表",
        ["基本支出/合计", "基本支出/人员经费", "基本支出/公用经费"],
        [("合计", "", "4550.7 4461.4 90.3")],
    )
    [finding] = findings(arithmetic.total_column_against_parts, disclosure(basic))
    assert "“基本支出/人员经费” + “基本支出/公用经费”之和为 4551.7 万元" in finding.message
    # 预算数 and 决算数 under a 合计 that names neither: which to add is unknown, no identity
    assert arithmetic.column_identities(["合计", "甲/预算数", "甲/决算数"]) == []


# ---------------------------------------------------------------------------------------------
# A104 two sides


def test_a104_income_total_against_expenditure_total() -> None:
    sides = table(
        "fiscal_summary",
        "财政拨款收支总表",
        ["收入/金额", "支出/合计"],
        [
            ("income", "一、一般公共预算", "", "8562.6"),
            ("expenditure", "一、社会保障和就业支出", "208", "8526.6"),
            ("income", "收入合计", "", "8562.6"),
            ("expenditure", "支出合计", "", "8526.6"),
        ],
    )
    [finding] = findings(arithmetic.income_total_against_expenditure_total, disclosure(sides))
    assert finding.message == (
        "《财政拨款收支总表》收入方“收入合计”为 8562.6 万元，支出方“支出合计”为 8526.6 万元，相差 36.0 万元。"
    )
    assert (finding.expected, finding.actual) == ("8526.6", "8562.6")
    balanced = sides.model_copy(deep=True)
    balanced.rows[1].values["支出/合计"] = balanced.rows[3].values["支出/合计"] = Decimal("8562.6")
    assert findings(arithmetic.income_total_against_expenditure_total, disclosure(balanced)) == []
    outcome, _ = run(arithmetic.income_total_against_expenditure_total, disclosure(spending_table()))
    assert outcome.status == "not_applicable"


# ---------------------------------------------------------------------------------------------
# A105 “三公”


THREE_COLUMNS = [
    "合计/预算数",
    "合计/决算数",
    "因公出国（境）费/预算数",
    "因公出国（境）费/决算数",
    "公务用车购置及运行费/小计/预算数",
    "公务用车购置及运行费/小计/决算数",
    "公务用车购置及运行费/公务用车购置费/预算数",
    "公务用车购置及运行费/公务用车购置费/决算数",
    "公务用车购置及运行费/公务用车运行费/预算数",
    "公务用车购置及运行费/公务用车运行费/决算数",
    "公务接待费/预算数",
    "公务接待费/决算数",
    "机关运行经费",
]


def test_a105_three_public_by_columns_budget_and_final_apart() -> None:
    three = table(
        "three_public",
        "“三公”经费支出决算表",
        THREE_COLUMNS,
        [("", "", "22.91 20.00 0 0 21.56 19.00 0 0 21.56 18.00 1.35 1.00 786.09")],
    )
    [finding] = findings(arithmetic.three_public_against_parts, disclosure(three))
    assert finding.code == "A105"  # 合计/决算数 20.00 = 0 + 19.00 + 1.00 holds; the 小计 does not
    assert finding.message == (
        "《“三公”经费支出决算表》合计行“公务用车购置及运行费/小计/决算数”列为 19.00 万元，“公务用车购置及运行费/公务用车购置费/决算数”"
        " + “公务用车购置及运行费/公务用车运行费/决算数”之和为 18.00 万元，相差 1.00 万元。"
    )
    assert [f.code for f in findings(arithmetic.total_column_against_parts, disclosure(three))] == []
    fixed = three.model_copy(deep=True)
    fixed.rows[0].values["公务用车购置及运行费/小计/决算数"] = Decimal("18.00")
    fixed.rows[0].values["合计/决算数"] = Decimal("19.00")
    assert findings(arithmetic.three_public_against_parts, disclosure(fixed)) == []


def test_a105_three_public_by_rows() -> None:
    rows = table(
        "three_public",
        "“三公”经费支出表",
        ["预算数"],
        [
            ("因公出国（境）费", "", "2.0"),
            ("公务用车购置及运行费", "", "8.0"),
            ("其中：公务用车购置费", "", "5.0"),
            ("公务用车运行费", "", "3.0"),
            ("公务接待费", "", "1.0"),
            ("合计", "", "12.0"),
        ],
    )
    [finding] = findings(arithmetic.three_public_against_parts, disclosure(rows))
    assert "“合计”行为 12.0 万元" in finding.message and "之和为 11.0 万元" in finding.message
    assert findings(arithmetic.table_total_against_rows, disclosure(rows)) == []  # left to A105
    fixed = rows.model_copy(deep=True)
    fixed.rows[-1].values["预算数"] = Decimal("11.0")
    assert findings(arithmetic.three_public_against_parts, disclosure(fixed)) == []


# ---------------------------------------------------------------------------------------------
# A106 across tables


def _general(basic: str) -> DisclosureTable:
    return table(
        "general_budget_expenditure",
        "一般公共预算支出表",
        ["合计", "基本支出", "项目支出"],
        [("合计", "", f"100.0 {basic} 40.0"), ("行政运行", "2010101", f"100.0 {basic} 40.0")],
    )


def _basic(total: str) -> DisclosureTable:
    return table(
        "general_budget_basic",
        "一般公共预算基本支出表",
        ["合计"],
        [("合计", "", total), ("工资福利支出", "301", total)],
    )


def test_a106_the_same_total_in_two_tables() -> None:
    [finding] = findings(arithmetic.same_total_across_tables, disclosure(_general("60.0"), _basic("66.0")))
    assert finding.code == "A106"
    assert finding.message == (
        "《一般公共预算基本支出表》“合计”为 66.0 万元，《一般公共预算支出表》“合计”行“基本支出”列"
        "（一般公共预算基本支出）为 60.0 万元，相差 6.0 万元。"
    )
    assert finding.locations == (at(1, 2), at(1, 3))
    assert findings(arithmetic.same_total_across_tables, disclosure(_general("60.0"), _basic("60.0"))) == []


def test_a106_a_class_in_the_summary_against_the_expenditure_table() -> None:
    summary = table(
        "income_expenditure_summary",
        "收支总表",
        ["收入/金额", "支出/金额"],
        [
            ("income", "一、财政拨款收入", "", "100.0"),
            ("expenditure", "一、一般公共服务支出", "201", "90.0"),
            ("expenditure", "二、社会保障和就业支出", "208", "10.0"),
            ("income", "收入总计", "", "100.0"),
            ("expenditure", "支出总计", "", "100.0"),
        ],
    )
    spending = table(
        "expenditure_summary",
        "支出总表",
        ["合计"],
        [("合计", "", "100.0"), ("一般公共服务支出", "201", "85.0"), ("社会保障和就业支出", "208", "15.0")],
    )
    found = findings(arithmetic.same_total_across_tables, disclosure(summary, spending))
    assert [f.actual for f in found] == ["90.0", "10.0"]
    assert found[0].message == (
        "《收支总表》“201 一、一般公共服务支出”行为 90.0 万元，《支出总表》“201 一般公共服务支出”行（同一类级科目）"
        "为 85.0 万元，相差 5.0 万元。"
    )
    assert found[0].locations == (at(2, 3), at(2, 2))


def test_a107_summary_against_fiscal_summary_only_when_all_income_is_fiscal() -> None:
    def summary(other: str) -> DisclosureTable:
        return table(
            "income_expenditure_summary",
            "收支总表",
            ["收入/金额", "支出/金额"],
            [
                ("income", "一、财政拨款收入", "", "90"),
                ("income", "二、其他收入", "", other),
                ("income", "收入总计", "", str(90 + int(other.replace("-", "0")))),
                ("expenditure", "支出总计", "", str(90 + int(other.replace("-", "0")))),
            ],
        )

    fiscal = table(
        "fiscal_summary",
        "财政拨款收支总表",
        ["收入/金额", "支出/金额"],
        [
            ("income", "一、一般公共预算", "", "95"),
            ("income", "收入总计", "", "95"),
            ("expenditure", "支出总计", "", "95"),
        ],
    )
    outcome, found = run(arithmetic.summary_against_fiscal_summary, disclosure(summary("6"), fiscal))
    assert (
        found == [] and outcome.status == "not_applicable" and "收入不全是财政拨款" in (outcome.reason or "")
    )
    [finding] = findings(arithmetic.summary_against_fiscal_summary, disclosure(summary("-"), fiscal))
    assert finding.code == "A107"
    assert finding.message == (
        "《财政拨款收支总表》“收入总计”为 95 万元，《收支总表》“收入总计”（全部收入均为财政拨款）为 90 万元，相差 5 万元。"
    )
    assert findings(arithmetic.same_total_across_tables, disclosure(summary("-"), fiscal)) == []
    agreeing = fiscal.model_copy(deep=True)
    for row in agreeing.rows:
        row.values["收入/金额" if row.side == "income" else "支出/金额"] = Decimal("90")
    assert findings(arithmetic.summary_against_fiscal_summary, disclosure(summary("-"), agreeing)) == []


# ---------------------------------------------------------------------------------------------
# a whole disclosure as a text export: consistent, then with one planted error at a time

DISCLOSURE_TEXT = """2024年某局部门预算公开

一、部门收支总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t80.00
二、政府性基金预算拨款收入\t\t二、教育支出\t20.00
三、事业收入\t5.00\t三、社会保障和就业支出\t5.00
本年收入合计\t105.00\t本年支出合计\t105.00
上年结转\t10.00\t结转下年\t10.00
收入总计\t115.00\t支出总计\t115.00

二、部门收入总表
单位：万元
科目编码\t科目名称\t合计\t上年结转\t一般公共预算拨款收入\t事业收入
\t合计\t115.00\t10.00\t100.00\t5.00
201\t一般公共服务支出\t90.00\t10.00\t80.00\t
205\t教育支出\t20.00\t\t20.00\t
208\t社会保障和就业支出\t5.00\t\t\t5.00

三、部门支出总表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t105.00\t60.00\t45.00
201\t一般公共服务支出\t80.00\t60.00\t20.00
20101\t人大事务\t80.00\t60.00\t20.00
2010101\t行政运行\t60.00\t60.00\t
2010102\t一般行政管理事务\t20.00\t\t20.00
205\t教育支出\t20.00\t\t20.00
208\t社会保障和就业支出\t5.00\t\t5.00

四、一般公共预算支出表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t\t项目支出
\t\t\t人员经费\t公用经费\t
\t合计\t100.00\t50.00\t10.00\t40.00
201\t一般公共服务支出\t80.00\t50.00\t10.00\t20.00
205\t教育支出\t20.00\t\t\t20.00

五、一般公共预算基本支出表
单位：万元
科目编码\t科目名称\t合计\t人员经费\t公用经费
\t合计\t60.00\t50.00\t10.00
301\t工资福利支出\t45.00\t45.00\t
30101\t基本工资\t45.00\t45.00\t
302\t商品和服务支出\t10.00\t\t10.00
303\t对个人和家庭的补助\t5.00\t5.00\t

六、一般公共预算“三公”经费支出表
单位：万元
2023年预算数\t\t\t\t\t\t2024年预算数\t\t\t\t\t
合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费
\t\t小计\t购置费\t运行费\t\t\t\t小计\t购置费\t运行费\t
10.00\t2.00\t6.00\t4.00\t2.00\t2.00\t9.00\t2.00\t5.00\t3.00\t2.00\t2.00
"""


def text_findings(text: str) -> list[tuple[str, str]]:
    document, source = load_bytes(text.encode("utf-8"), "disclosure.txt")
    found, _ = _audit(document, source)
    return [(f.code, f.message) for f in found]


def test_a_consistent_disclosure_gives_nothing() -> None:
    document, source = load_bytes(DISCLOSURE_TEXT.encode("utf-8"), "disclosure.txt")
    found, status = _audit(document, source)
    assert found == []
    assert all(status[code] == "passed" for code in ("A101", "A102", "A103", "A104", "A105", "A106"))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "205\t教育支出\t20.00\t\t20.00\t",
            "205\t教育支出\t25.00\t\t20.00\t",
            [
                (
                    "A101",
                    "《二、部门收入总表》“合计”行“合计”列为 115.00 万元，3 个类级科目之和为 120.00 万元，相差 5.00 万元。",
                ),
                (
                    "A103",
                    "《二、部门收入总表》“205 教育支出”行“合计”列为 25.00 万元，“上年结转” + “一般公共预算拨款收入” + "
                    "“事业收入”之和为 20.00 万元，相差 5.00 万元。",
                ),
            ],
        ),
        (
            "\t9.00\t2.00\t5.00",
            "\t10.00\t2.00\t5.00",
            [
                (
                    "A105",
                    "《六、一般公共预算“三公”经费支出表》合计行“2024年预算数/合计”列为 10.00 万元，“2024年预算数/因公出国（境）费”"
                    " + “2024年预算数/公务用车购置及运行费/小计” + “2024年预算数/公务接待费”之和为 9.00 万元，相差 1.00 万元。",
                )
            ],
        ),
        (
            "\t合计\t60.00\t50.00\t10.00",
            "\t合计\t66.00\t56.00\t10.00",
            [
                (
                    "A101",
                    "《五、一般公共预算基本支出表》“合计”行与 3 个经济分类类级科目之和不符：“合计”列为 66.00 万元，应为 60.00 万元"
                    "（相差 6.00 万元）；“人员经费”列为 56.00 万元，应为 50.00 万元（相差 6.00 万元）。",
                ),
                (
                    "A106",
                    "《五、一般公共预算基本支出表》“合计”行“合计”列为 66.00 万元，《四、一般公共预算支出表》“合计”行"
                    "“基本支出/人员经费” + “基本支出/公用经费”（一般公共预算基本支出）为 60.00 万元，相差 6.00 万元。",
                ),
                (
                    "A106",
                    "《五、一般公共预算基本支出表》“合计”行“人员经费”列为 56.00 万元，《四、一般公共预算支出表》“合计”行"
                    "“基本支出/人员经费”列（人员经费）为 50.00 万元，相差 6.00 万元。",
                ),
            ],
        ),
        (
            "\t合计\t60.00\t50.00\t10.00",
            "\t合计\t60.00\t55.00\t5.00",
            [
                (
                    "A101",
                    "《五、一般公共预算基本支出表》“合计”行与 3 个经济分类类级科目之和不符：“人员经费”列为 55.00 万元，"
                    "应为 50.00 万元（相差 5.00 万元）；“公用经费”列为 5.00 万元，应为 10.00 万元（相差 5.00 万元）。",
                ),
                (
                    "A106",
                    "《五、一般公共预算基本支出表》“合计”行“人员经费”列为 55.00 万元，《四、一般公共预算支出表》“合计”行"
                    "“基本支出/人员经费”列（人员经费）为 50.00 万元，相差 5.00 万元。",
                ),
                (
                    "A106",
                    "《五、一般公共预算基本支出表》“合计”行“公用经费”列为 5.00 万元，《四、一般公共预算支出表》“合计”行"
                    "“基本支出/公用经费”列（公用经费）为 10.00 万元，相差 5.00 万元。",
                ),
            ],
        ),
        (
            "支出总计\t115.00",
            "支出总计\t125.00",
            [
                (
                    "A104",
                    "《一、部门收支总表》收入方“收入总计”为 115.00 万元，支出方“支出总计”为 125.00 万元，相差 10.00 万元。",
                ),
                (
                    "A101",
                    "《一、部门收支总表》“支出总计”行为 125.00 万元，“本年支出合计”与其后 1 行之和为 115.00 万元，相差 10.00 万元。",
                ),
            ],
        ),
    ],
)
def test_a_planted_error_in_a_disclosure_is_found(
    old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    assert old in DISCLOSURE_TEXT
    assert text_findings(DISCLOSURE_TEXT.replace(old, new)) == expected


# ---------------------------------------------------------------------------------------------
# A201–A209 declared and executed funds

TASKS_TEXT = """部门整体绩效目标申报表
部门名称\t示例局\t\t\t
年度主要任务\t任务名称\t主要内容\t预算资金(万元)\t\t
\t\t\t合计\t其中: 财政资金\t备注
\t任务1\t培训\t50\t{fiscal}\t
\t任务2\t招聘\t30\t30\t
\t合计\t\t{total}\t{fiscal_total}\t
预算情况\t资金总额(万元)\t{budget}\t\t\t
\t基本支出\t10\t\t\t
\t项目支出\t80\t\t\t
一级指标\t二级指标\t三级指标\t指标值\t\t
产出指标\t数量指标\t培训人次\t≥200人次\t\t
"""


def _declaration(fiscal: str = "50", total: str = "80", budget: str = "90") -> str:
    fiscal_total = str(int(fiscal) + 30)
    return TASKS_TEXT.format(fiscal=fiscal, total=total, fiscal_total=fiscal_total, budget=budget)


def test_a201_fiscal_funds_above_the_task_total() -> None:
    _, found = run_text(arithmetic.task_fiscal_above_total, _declaration(fiscal="60"))
    [finding] = found
    assert (
        finding.message
        == "《部门整体绩效目标申报表》年度主要任务“任务1：培训”的其中财政资金为 60 万元，大于合计 50 万元。"
    )
    assert (finding.expected, finding.actual) == ("≤50", "60")
    assert [loc.col for loc in finding.locations] == [5, 4]
    assert run_text(arithmetic.task_fiscal_above_total, _declaration())[1] == []


def test_a202_task_total_row() -> None:
    _, found = run_text(arithmetic.task_total_row_against_tasks, _declaration(total="85"))
    [finding] = found
    assert "年度主要任务“合计”行“合计”列为 85 万元，2 项任务之和为 80 万元" in finding.message
    assert run_text(arithmetic.task_total_row_against_tasks, _declaration())[1] == []


def test_a203_tasks_against_the_budget_total() -> None:
    tasks = [
        Task(name="培训", total=Decimal("50"), cells={"total": at(1, 4)}),
        Task(name="招聘", total=Decimal("30")),
    ]
    budget = [
        BudgetLine(label="资金总额", amount=Decimal("100"), loc=at(5, 3)),
        BudgetLine(label="项目支出", amount=Decimal("70")),
    ]
    form = DeptTargetDeclaration(title="部门整体绩效目标表", tasks=tasks, budget=budget)
    [finding] = findings(arithmetic.tasks_against_budget, form)
    assert finding.code == "A203" and finding.severity.value == "warning"
    assert "预算情况“项目支出”为 70 万元，年度主要任务 2 项合计金额之和为 80 万元" in finding.message
    covered = form.model_copy(
        update={"budget": [budget[0], BudgetLine(label="项目支出", amount=Decimal("80"))]}
    )
    assert findings(arithmetic.tasks_against_budget, covered) == []
    outcome, _ = run(arithmetic.tasks_against_budget, form.model_copy(update={"budget": []}))
    assert outcome.status == "not_applicable"


def test_a204_budget_lines_by_source_and_by_use() -> None:
    _, found = run_text(arithmetic.budget_total_against_parts, _declaration(budget="100"))
    [finding] = found
    assert (
        finding.message
        == "《部门整体绩效目标申报表》预算情况“资金总额”为 100 万元，“基本支出”、“项目支出”之和为 90 万元，相差 10 万元。"
    )
    assert run_text(arithmetic.budget_total_against_parts, _declaration())[1] == []
    lines = [
        BudgetLine(label="部门预算总额", amount=Decimal("8562.6")),
        BudgetLine(label="政府预算资金", amount=Decimal("8562.6")),
        BudgetLine(label="财政专户管理资金"),
        BudgetLine(label="单位资金", amount=Decimal("100")),
    ]
    [source] = findings(arithmetic.budget_total_against_parts, DeptTargetDeclaration(budget=lines))
    assert "“政府预算资金”、“财政专户管理资金”、“单位资金”之和为 8662.6 万元" in source.message


def _funds(executed: str = "1633.2", rate: str = "100", other: str | None = None) -> SelfEvaluation:
    return SelfEvaluation(
        title="部门整体支出绩效自评表",
        budget_execution=[
            FundLine(
                label="部门预算总额",
                initial=Decimal("1633.2"),
                adjusted=Decimal("1633.2"),
                executed=Decimal(executed),
                rate_raw=f"{rate}%",
                rate=Decimal(rate),
                cells={"rate": at(1, 7), "executed": at(1, 5), "adjusted": at(1, 4)},
            ),
            FundLine(label="财政性资金", adjusted=Decimal("1633.2"), executed=Decimal(executed)),
            FundLine(label="其他资金", adjusted=Decimal(other) if other else None),
        ],
    )


def test_a204_fund_lines_of_a_self_evaluation() -> None:
    [finding] = findings(arithmetic.budget_total_against_parts, _funds(other="20"))
    assert (
        "预算执行情况“部门预算总额”行“全年数”列为 1633.2 万元，“财政性资金”、“其他资金”之和为 1653.2 万元"
        in finding.message
    )
    assert findings(arithmetic.budget_total_against_parts, _funds()) == []


def test_a205_execution_rate() -> None:
    [finding] = findings(arithmetic.execution_rate_against_amounts, _funds(executed="1500.0"))
    assert finding.message == (
        "《部门整体支出绩效自评表》预算执行情况“部门预算总额”执行率为 100%，而执行数 1500.0 万元 ÷ 预算数 1633.2 万元 = 91.84%。"
    )
    assert (finding.expected, finding.actual) == ("91.84%", "100%")
    assert finding.locations[0] == at(1, 7)
    assert findings(arithmetic.execution_rate_against_amounts, _funds(executed="1500.0", rate="91.8")) == []
    ratio = _funds(executed="1500.0")
    ratio.budget_execution[0] = ratio.budget_execution[0].model_copy(
        update={"rate": Decimal("0.92"), "rate_raw": "0.92"}
    )
    assert findings(arithmetic.execution_rate_against_amounts, ratio) == []  # 0.92 beside amounts is 92%
    assert findings(arithmetic.execution_rate_against_amounts, _funds()) == []


def test_a206_executed_above_the_budget() -> None:
    finding, line = findings(arithmetic.executed_above_budget, _funds(executed="1733.2", rate="100"))
    assert finding.code == "A206" and finding.severity.value == "warning"
    assert "“财政性资金”全年执行数 1733.2 万元" in line.message
    assert (
        "“部门预算总额”全年执行数 1733.2 万元，大于全年预算数 1633.2 万元（超出 100.0 万元）"
        in finding.message
    )
    assert findings(arithmetic.executed_above_budget, _funds()) == []


def _summary(first: str = "10.0", unit_total: str = "30.0", source: str = "10.0") -> ProjectTargetSummary:
    def row(code: str, name: str, total: str, government: str, is_unit: bool = False) -> ProjectSummaryRow:
        line = len(code)
        return ProjectSummaryRow(
            code=code,
            name=name,
            is_unit=is_unit,
            total=Decimal(total),
            amounts={"资金总额": Decimal(total), "政府预算资金": Decimal(government), "单位资金": None},
            cells={"资金总额": at(line, 3), "政府预算资金": at(line, 4)},
        )

    return ProjectTargetSummary(
        title="项目绩效目标汇总表",
        rows=[
            row("007", "", unit_total, unit_total, is_unit=True),
            row("007001", "人力资源局", unit_total, unit_total, is_unit=True),
            row("410191230000000004942", "保障农民工工资专项费用", first, source),
            row("410191230000000004949", "人人持证技能河南建设专项资金", "20.0", "20.0"),
        ],
    )


def test_a207_summary_units_against_projects() -> None:
    [finding] = findings(arithmetic.summary_totals_against_projects, _summary(first="15.0", source="15.0"))
    assert finding.message == (
        "《项目绩效目标汇总表》“007001 人力资源局”行与其下 2 个项目之和不符：“资金总额”列为 30.0 万元，应为 35.0 万元"
        "（相差 5.0 万元）；“政府预算资金”列为 30.0 万元，应为 35.0 万元（相差 5.0 万元）。"
    )
    assert findings(arithmetic.summary_totals_against_projects, _summary()) == []
    [note] = findings(arithmetic.fund_rounding_differences, _summary(unit_total="30.1"))
    assert note.code == "A209" and "相差 0.1 万元" in note.message
    assert findings(arithmetic.fund_rounding_differences, _summary()) == []


def test_a208_project_total_against_its_sources() -> None:
    [finding] = findings(arithmetic.summary_total_against_sources, _summary(source="1.0"))
    assert (
        "“410191230000000004942 保障农民工工资专项费用”行“资金总额”列为 10.0 万元，“政府预算资金” + “单位资金”之和为 1.0 万元"
        in finding.message
    )
    assert findings(arithmetic.summary_total_against_sources, _summary()) == []


# ---------------------------------------------------------------------------------------------
# real documents: every finding pinned, and the rules shown to run on their layouts


def audit(path: Path) -> tuple[list[Finding], dict[str, str]]:
    return _audit(*load_document(path))


def _audit(document: ParsedDocument, source: SourceDocument | None) -> tuple[list[Finding], dict[str, str]]:
    """The A/X findings of the arithmetic rules on one document, and how each rule went."""
    report = audit_documents([document], [source], registry=REGISTRY)
    [result] = report.documents
    found = [f for f in result.findings if f.code.startswith(("A", "X"))]
    return found, {o.code: o.status for o in result.rules}


def summary_of(found: list[Finding]) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.code, f.locations[0].label() if f.locations else "", f.expected, f.actual) for f in found]


def test_seed_003_only_display_rounding() -> None:
    found, status = audit(SEED_003)
    assert summary_of(found) == [
        ("A108", "003_c06aad5ab77f5f33.txt:L230:表2 行4 列6", "8562.7", "8562.6"),
        ("A108", "003_c06aad5ab77f5f33.txt:L297:表4 行4 列6", "8562.7", "8562.6"),
        ("A108", "003_c06aad5ab77f5f33.txt:L322:表5 行3 列6", "4461.5", "4461.4"),
        ("A108", "003_c06aad5ab77f5f33.txt:L369:表7 行3 列4", "4012.0", "4011.9"),
        ("A209", "003_c06aad5ab77f5f33.txt:L453:表9 行5 列3", "4012.0", "4011.9"),
    ]
    first = found[0].message
    assert first.startswith(
        "《2023年部门支出总体情况表》“合计”行“合计”列为 8562.6 万元，12 个项级科目之和为 8562.7 万元"
    )
    assert "“基本支出/小计”列为 4550.7 万元" in first  # 4458.0 + 3.5 + 89.3 = 4550.8
    assert found[2].message == (
        "《2023年一般公共预算基本支出表》“合计”行“本年一般公共预算基本支出/人员经费”列为 4461.4 万元，"
        "《2023年一般公共预算支出情况表》“合计”行“基本支出/人员经费/工资福利支出” + “基本支出/人员经费/对个人和家庭的补助”"
        "（人员经费）为 4461.5 万元（相差 0.1 万元），均在四舍五入显示尾差范围内，不是错误。"
    )
    assert (
        "《2023年项目支出预算表》合计行“合计”列为 4011.9 万元，18 个明细行之和为 4012.0 万元"
        in found[3].message
    )
    for code in ("A101", "A102", "A103", "A104", "A105", "A106", "A107", "A204", "A207", "A208"):
        assert status[code] == "passed", code


def test_seed_003_with_a_wrong_total_is_caught_everywhere_it_shows() -> None:
    document, source = load_document(SEED_003)
    changed = document.model_copy(deep=True)
    [form] = [f for f in changed.forms if isinstance(f, Disclosure)]
    basic = next(t for t in form.tables if t.kind == "general_budget_basic")
    basic.rows[0].values["本年一般公共预算基本支出/合计"] = Decimal("4505.7")
    found, _ = _audit(changed, source)
    assert sorted(f.code for f in found if f.severity.value == "error") == ["A101", "A103", "A106"]
    [across] = [f for f in found if f.code == "A106"]
    assert (
        "《2023年一般公共预算基本支出表》“合计”行“本年一般公共预算基本支出/合计”列为 4505.7 万元"
        in across.message
    )
    assert (
        "《2023年一般公共预算支出情况表》“合计”行“基本支出/小计”列（一般公共预算基本支出）为 4550.7 万元"
        in across.message
    )


@pytest.mark.parametrize("path", [SEED_000, SEED_002, SEED_004])
def test_declarations_and_self_evaluation_seeds_add_up(path: Path) -> None:
    found, status = audit(path)
    assert found == []
    assert status["A204"] in ("passed", "not_applicable")


def test_seed_002_fund_lines_are_checked() -> None:
    _, status = audit(SEED_002)
    assert (status["A204"], status["A205"], status["A206"]) == ("passed", "passed", "passed")


def test_seed_004_budget_lines_are_checked() -> None:
    _, status = audit(SEED_004)
    assert status["A204"] == "passed"  # 基本支出 823.26 + 项目支出 3072.79 = 资金总额 3896.05


def test_czj_final_accounts_only_rounding() -> None:
    found, status = audit(PDF_CZJ_FINAL)
    assert summary_of(found) == [
        ("A108", "sh-putuo-czj-2024-juesuan.pdf:p.6:表2 行10 列4", "326.72", "326.71"),
        ("A108", "sh-putuo-czj-2024-juesuan.pdf:p.8:表3 行4 列5", "2946.26", "2946.25"),
        ("A108", "sh-putuo-czj-2024-juesuan.pdf:p.10:表4 行4 列5", "2940.06", "2940.05"),
        ("A108", "sh-putuo-czj-2024-juesuan.pdf:p.12:表5 行10 列5", "326.72", "326.71"),
        ("A108", "sh-putuo-czj-2024-juesuan.pdf:p.15:表6 行24 列5", "2940.06", "2940.05"),
        ("A108", "sh-putuo-czj-2024-juesuan.pdf:p.16:表7 行4 列4", "2082.86", "2082.85"),
    ]
    # 326.71 in the two 总表 (which therefore add up exactly), 326.72 in the function tables
    assert found[0].message == (
        "《收入支出决算总表》“208 八、社会保障和就业支出”行为 326.71 万元，《支出决算表》“208 社会保障和就业支出”行"
        "（同一类级科目）为 326.72 万元（相差 0.01 万元），均在四舍五入显示尾差范围内，不是错误。"
    )
    assert "4 个类级科目之和为 2940.06 万元（相差 0.01 万元）" in found[2].message
    assert (
        "“302 商品和服务支出”行为 171.07 万元，其下 27 个经济分类款级科目之和为 171.09 万元（相差 0.02 万元）"
        in found[5].message
    )
    for code in ("A101", "A102", "A103", "A104", "A105", "A106"):
        assert status[code] == "passed", code
    assert status["A107"] == "not_applicable"  # 其他收入 6.20: the two 总表 need not agree


def test_czj_with_a_changed_item_is_caught() -> None:
    document, source = load_document(PDF_CZJ_FINAL)
    changed = document.model_copy(deep=True)
    [form] = [f for f in changed.forms if isinstance(f, Disclosure)]
    spending = next(t for t in form.tables if t.kind == "expenditure_summary")
    row = next(r for r in spending.rows if r.code == "2080505")
    row.values["本年支出合计"] = row.values["基本支出"] = Decimal("106.75")
    found, _ = _audit(changed, source)
    [finding] = [f for f in found if f.severity.value == "error"]
    assert finding.code == "A102"
    assert "《支出决算表》“20805 行政事业单位养老支出”行与其下 4 个项级科目之和不符" in finding.message
    assert "“本年支出合计”列为 326.72 万元，应为 272.72 万元（相差 54.00 万元）" in finding.message


def test_jcy_budget_adds_up() -> None:
    found, status = audit(PDF_JCY)
    assert found == []
    for code in ("A101", "A102", "A103", "A104", "A105", "A106", "A107"):
        assert status[code] == "passed", code


def test_jcy_three_public_with_meeting_and_training_costs() -> None:
    document, source = load_document(PDF_JCY)
    changed = document.model_copy(deep=True)
    [form] = [f for f in changed.forms if isinstance(f, Disclosure)]
    three = next(t for t in form.tables if t.kind == "three_public")
    three.rows[0].values["“三公”经费/公务接待费"] = Decimal("110.26")
    found, _ = _audit(changed, source)
    [finding] = [f for f in found if f.severity.value == "error"]
    assert finding.code == "A105"
    assert finding.message == (
        "《“三公”经费、会议费、培训费支出预算表》合计行“‘三公’经费/小计”列为 418.26 万元，“‘三公’经费/因公出国（境）费”"
        " + “‘三公’经费/公务用车购置及运行维护费/小计” + “‘三公’经费/公务接待费”之和为 427.26 万元，相差 9.00 万元。"
    )


@pytest.mark.parametrize("path", [XLSX_TEMPLATE, XLS_TEMPLATE])
def test_blank_templates_give_nothing(path: Path) -> None:
    found, status = audit(path)
    assert found == []
    assert status["A101"] == "not_applicable"
