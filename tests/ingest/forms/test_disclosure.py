"""部门预算公开 / 部门决算公开 read from the real documents: seed 003 (text export) and the corpus PDFs.

Every figure below was read off the printed page (the PDFs' 收支总表 pages were viewed as images).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao.ingest.forms.disclosure import recognise
from jixiao.ingest.forms.disclosure_tables import join_name, table_kind
from jixiao.ingest.readers.text import read_text
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.findings import Finding
from tests.conftest import (
    PDF_CZJ_FINAL,
    PDF_JCY,
    PDF_SWJ,
    PDF_WANLI,
    SEED_000,
    SEED_002,
    SEED_003,
    SEED_004,
    XLSX_TEMPLATE,
    read_document,
)


@cache
def _read(path: Path) -> tuple[Disclosure | None, tuple[Finding, ...]]:
    doc = read_document(path)
    forms, findings = recognise(doc)
    assert len(forms) <= 1
    disclosure = forms[0] if forms else None
    assert disclosure is None or isinstance(disclosure, Disclosure)
    return disclosure, tuple(findings)


def _disclosure(path: Path) -> Disclosure:
    disclosure, _ = _read(path)
    assert disclosure is not None
    return disclosure


def _table(disclosure: Disclosure, kind: str) -> DisclosureTable:
    (table,) = [t for t in disclosure.tables if t.kind == kind]
    return table


def _row(table: DisclosureTable, code: str) -> DisclosureRow:
    (row,) = [r for r in table.rows if r.code == code]
    return row


# --- seed 003: 郑州高新区人力资源局 2023 部门预算公开 (text export) -----------------------------


def test_003_is_a_budget_disclosure_of_its_department_and_year() -> None:
    d = _disclosure(SEED_003)
    assert (d.stage, d.year, d.unit) == ("budget", 2023, "万元")
    assert d.department == "郑州高新技术产业开发区管委会人力资源局"
    assert d.title == "2023 年人力资源局部门预算公开"


def test_003_toc_lists_thirteen_tables_with_their_kinds() -> None:
    d = _disclosure(SEED_003)
    assert d.toc[0] == "部门收支总体情况表"
    assert d.toc[-1] == "部门预算项目绩效目标汇总表"
    assert [e.kind for e in d.toc_entries] == [
        "income_expenditure_summary",
        "income_summary",
        "expenditure_summary",
        "fiscal_summary",
        "general_budget_expenditure",
        "general_budget_basic",
        "economic_summary",
        "three_public",
        "gov_fund",
        "state_capital",
        "project_expenditure",
        "dept_target",
        "project_target_summary",
    ]
    assert [e.number for e in d.toc_entries][:3] == ["一", "二", "三"]
    assert d.toc_entries[0].loc is not None and d.toc_entries[0].loc.line == 19


def test_003_tables_present_are_read_and_the_missing_ones_are_not_invented() -> None:
    d = _disclosure(SEED_003)
    assert [(t.kind, len(t.rows)) for t in d.tables] == [
        ("income_expenditure_summary", 46),  # 13 收入 lines and 33 支出 lines
        ("expenditure_summary", 14),  # 合计, unit 007, 12 项
        ("fiscal_summary", 43),
        ("general_budget_expenditure", 14),
        ("general_budget_basic", 19),  # 合计 and 18 经济分类 lines
        ("three_public", 0),  # header only
        ("project_expenditure", 20),  # total, unit 007, 18 projects
    ]
    listed = {e.kind for e in d.toc_entries}
    present = {t.kind for t in d.tables}
    assert listed - present == {
        "income_summary",
        "economic_summary",
        "gov_fund",
        "state_capital",
        "dept_target",
        "project_target_summary",
    }


def test_003_income_expenditure_summary_totals_both_sides_with_assumed_unit() -> None:
    d, findings = _read(SEED_003)
    assert d is not None
    table = _table(d, "income_expenditure_summary")
    assert table.title == "2023年部门收支总体情况表"
    assert (table.unit, table.unit_assumed) == ("万元", True)  # the table prints no 单位 line
    assert table.columns == ["收入/项目", "收入/金额", "支出/项目", "支出/金额"]
    income, expenditure = table.total("income"), table.total("expenditure")
    assert income is not None and expenditure is not None
    assert (income.name, income.values) == ("收入总计", {"收入/金额": Decimal("8562.6")})
    assert (expenditure.name, expenditure.values) == ("支出总计", {"支出/金额": Decimal("8562.6")})
    assert income.cells["收入/金额"].line == 217 and expenditure.cells["支出/金额"].cell == "D35"
    social = next(r for r in table.rows if r.name == "八、社会保障和就业")
    assert (social.side, social.code, social.code_kind) == ("expenditure", "208", "function")
    assert social.values == {"支出/金额": Decimal("8562.6")}
    assert [r.name for r in table.rows if r.side == "income"][:2] == ["一、一般公共预算", "其中：财政拨款"]
    assert [f.code for f in findings if f.code == "F062"] == ["F062"]


def test_003_expenditure_summary_joins_codes_and_repairs_the_shifted_header() -> None:
    d, findings = _read(SEED_003)
    assert d is not None
    table = _table(d, "expenditure_summary")
    assert table.columns == [
        "科目编码/类",
        "科目编码/款",
        "科目编码/项",
        "单位代码",
        "单位（科目名称）",
        "合计",
        "基本支出/小计",
        "基本支出/人员经费/工资福利支出",
        "基本支出/人员经费/对个人和家庭的补助",
        "基本支出/公用经费/商品和服务支出",
        "基本支出/公用经费/资本性支出",
        "项目支出/小计",
        "项目支出/其他运转类",
        "项目支出/特定目标类",
    ]
    running = _row(table, "2080101")
    assert (running.name, running.code_kind, running.code_level) == ("行政运行", "function", "项")
    assert running.values["合计"] == Decimal("4550.7")
    assert running.values["基本支出/人员经费/工资福利支出"] == Decimal("4458.0")
    assert running.values["基本支出/公用经费/商品和服务支出"] == Decimal("89.3")
    assert running.values["项目支出/小计"] is None
    assert running.cells["合计"].cell == "F6" and running.cells["合计"].line == 232
    unit = _row(table, "007")
    assert (unit.code_kind, unit.name) == ("unit", "郑州高新技术产业开发区管委会人力资源局")
    total = table.total()
    assert total is not None and total.values["合计"] == Decimal("8562.6")
    # as published: the 项 lines add up to 8562.7, 0.1 more than the printed 合计 (display rounding)
    assert sum(r.values["合计"] or 0 for r in table.rows if r.code_level == "项") == Decimal("8562.7")
    assert "F060" in {f.code for f in findings}


def test_003_wrapped_names_are_joined() -> None:
    table = _table(_disclosure(SEED_003), "expenditure_summary")
    assert _row(table, "2080506").name == "机关事业单位职业年金缴费支出"
    assert _row(table, "2082602").name == "财政对城乡居民基本养老保险基金的补助"
    assert _row(table, "2082699").name == "财政对其他基本养老保险基金的补助"


def test_003_general_budget_expenditure_amounts_shifted_by_the_export_are_realigned() -> None:
    d, findings = _read(SEED_003)
    assert d is not None
    table = _table(d, "general_budget_expenditure")
    row = _row(table, "2080102")
    assert row.values["项目支出/小计"] == Decimal("137.0")  # printed one cell to the left in the export
    assert row.values["基本支出/公用经费/资本性支出"] is None
    assert row.cells["项目支出/小计"].cell == "K7"  # provenance stays on the cell as exported
    assert table.notes == ["备注：本表仅含当年财政拨款安排的支出"]
    (shift,) = [f for f in findings if f.code == "F061"]
    assert "11 行" in shift.message and "一般行政管理事务" in shift.message


def test_003_basic_expenditure_keeps_department_and_government_economic_codes() -> None:
    table = _table(_disclosure(SEED_003), "general_budget_basic")
    salary = _row(table, "30101")
    assert (salary.name, salary.code_kind) == ("基本工资", "economic_dept")
    assert salary.codes == {"economic_dept": "30101", "economic_gov": "50101"}
    assert salary.texts == {"政府预算支出经济分类科目编码/科目名称": "工资奖金津补贴"}
    assert salary.values["本年一般公共预算基本支出/合计"] == Decimal("740.6")
    total = table.total()
    assert total is not None and total.name == "合计"
    assert total.values == {
        "本年一般公共预算基本支出/合计": Decimal("4550.7"),
        "本年一般公共预算基本支出/人员经费": Decimal("4461.4"),
        "本年一般公共预算基本支出/公用经费": Decimal("89.3"),
    }


def test_003_three_public_header_without_rows_and_project_table() -> None:
    d = _disclosure(SEED_003)
    three = _table(d, "three_public")
    assert three.rows == [] and three.empty_statement is None
    assert three.columns[2:5] == [
        "公务用车购置及运行费/小计",
        "公务用车购置及运行费/公务用车购置费",
        "公务用车购置及运行费/公务用车运行费",
    ]
    projects = _table(d, "project_expenditure")
    specific = [r for r in projects.rows if r.texts.get("类型") == "特定目标类"]
    assert len(specific) == 18
    assert specific[0].name == "深化管理体制机制改革工作经费"
    total = projects.rows[0]
    assert total.is_total and total.values["合计"] == Decimal("4011.9")
    # as published: the projects add up to 4012.0, 0.1 more than the printed total (display rounding)
    assert sum(r.values["合计"] or 0 for r in specific) == Decimal("4012.0")


def test_003_narrative_sections_carry_the_quoted_figures() -> None:
    d = _disclosure(SEED_003)
    by_title = {s.title: s for s in d.sections}
    overview = by_title["一、收入支出预算总体情况说明"]
    assert ("收入总计", Decimal("8562.6"), "万元") in [(f.subject, f.value, f.unit) for f in overview.figures]
    spending = by_title["三、支出预算总体情况说明"]
    assert [(f.subject, f.value, f.unit) for f in spending.figures][1:3] == [
        ("基本支出", Decimal("4550.7"), "万元"),
        ("基本支出占", Decimal("53.1"), "%"),
    ]
    assert not any("部门收支总体情况表" in s.title for s in d.sections)


@pytest.mark.parametrize("seed", [SEED_000, SEED_002, SEED_004], ids=["000", "002", "004"])
def test_other_seeds_are_not_disclosures(seed: Path) -> None:
    # 002 is a self-evaluation report holding one 决算 table (表 4-1 部门资金情况分析表（决算表）)
    assert _read(seed) == (None, ())


# --- corpus PDFs --------------------------------------------------------------------------------

BUDGET_TABLES = [
    "income_expenditure_summary",
    "income_summary",
    "expenditure_summary",
    "fiscal_summary",
    "general_budget_expenditure",
    "gov_fund",
    "state_capital",
    "general_budget_basic",
    "three_public",
]

# file, stage, year, department, unit, kinds in order, 收支总表 totals (收入, 支出) as printed
CORPUS = [
    (
        PDF_SWJ,
        "budget",
        2025,
        "上海市普陀区商务委员会",
        "元",
        BUDGET_TABLES,
        ("收入总计", "371514655.00", "支出总计", "371514655.00"),
    ),
    (
        PDF_WANLI,
        "budget",
        2023,
        "上海市普陀区人民政府万里街道办事处",
        "元",
        BUDGET_TABLES,
        ("收入总计", "164978640", "支出总计", "164978640"),
    ),
    (
        PDF_CZJ_FINAL,
        "final",
        2024,
        "上海市普陀区财政局",
        "万元",
        [
            "income_expenditure_summary",
            "income_summary",
            "expenditure_summary",
            "fiscal_summary",
            "general_budget_expenditure",
            "general_budget_basic",
            "three_public",
            "gov_fund",
            "state_capital",
        ],
        ("总计", "2995.39", "总计", "2995.39"),
    ),
    (
        PDF_JCY,
        "budget",
        2019,
        "江苏省人民检察院",
        "万元",
        [
            "income_expenditure_summary",
            "income_summary",
            "expenditure_summary",
            "fiscal_summary",
            "fiscal_expenditure",
            "fiscal_basic",
            "general_budget_expenditure",
            "general_budget_basic",
            "three_public",
            "gov_fund",
            "operating_costs",
            "procurement",
        ],
        ("收入合计", "24169.74", "支出合计", "24169.74"),
    ),
]


@pytest.mark.parametrize(
    ("path", "stage", "year", "department", "unit", "kinds", "totals"),
    CORPUS,
    ids=[c[0].stem for c in CORPUS],
)
def test_corpus_disclosure_identity_tables_and_acceptance_totals(
    path: Path,
    stage: str,
    year: int,
    department: str,
    unit: str,
    kinds: list[str],
    totals: tuple[str, str, str, str],
) -> None:
    d = _disclosure(path)
    assert (d.stage, d.year, d.department, d.unit) == (stage, year, department, unit)
    assert [t.kind for t in d.tables] == kinds
    assert [e.kind for e in d.toc_entries] == kinds  # every table the 目录 lists is present
    summary = d.tables[0]
    assert not summary.unit_assumed
    income, expenditure = summary.total("income"), summary.total("expenditure")
    assert income is not None and expenditure is not None
    income_amount = next(v for v in income.values.values() if v is not None)
    expenditure_amount = next(v for v in expenditure.values.values() if v is not None)
    assert (income.name, income_amount, expenditure.name, expenditure_amount) == (
        totals[0],
        Decimal(totals[1]),
        totals[2],
        Decimal(totals[3]),
    )
    assert income.loc is not None and income.loc.page == (7 if path == PDF_CZJ_FINAL else summary.loc.page)


def test_swj_amounts_in_yuan_and_the_three_public_table_in_wan_yuan() -> None:
    d = _disclosure(PDF_SWJ)
    assert [t.unit for t in d.tables] == ["元"] * 8 + ["万元"]
    general = _table(d, "general_budget_expenditure")  # printed over pages 15 and 16: one table
    assert len(general.rows) == 31
    assert {loc.page for r in general.rows for loc in r.cells.values()} == {15, 16}
    row = _row(general, "2011301")
    assert (row.name, row.values["一般公共预算支出/合计"]) == ("行政运行", Decimal("9389913.00"))
    three = _table(d, "three_public")
    assert three.rows[0].values["“三公”经费预算数/合计"] == Decimal("1.00")
    assert three.rows[0].values["机关运行经费预算数"] == Decimal("171.01")
    fund = _table(d, "gov_fund")
    assert fund.empty_statement == "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"


def test_wanli_long_function_lists_to_class_item_and_section() -> None:
    d = _disclosure(PDF_WANLI)
    table = _table(d, "general_budget_expenditure")
    levels = [r.code_level for r in table.rows if r.code]
    assert (levels.count("类"), levels.count("款"), levels.count("项")) == (8, 24, 34)
    assert _row(table, "2010506").values == {
        "一般公共预算支出/合计": Decimal("26300"),
        "一般公共预算支出/基本支出": Decimal("0"),
        "一般公共预算支出/项目支出": Decimal("26300"),
    }
    classes = sum(r.values["一般公共预算支出/合计"] or 0 for r in table.rows if r.code_level == "类")
    total = table.total()
    assert total is not None and classes == total.values["一般公共预算支出/合计"] == Decimal("164978640")


def test_czj_final_accounts_nine_tables() -> None:
    d = _disclosure(PDF_CZJ_FINAL)
    assert d.toc == [
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    income = _table(d, "income_summary")
    assert _row(income, "2010601").values["财政拨款收入"] == Decimal("1511.89")
    basic = _table(d, "general_budget_basic")  # printed as two halves side by side
    assert [(r.name, r.values) for r in basic.rows if r.is_total] == [
        ("人员经费合计", {"决算数": Decimal("2152.26")}),
        ("公用经费合计", {"决算数": Decimal("184.65")}),
    ]
    assert _row(basic, "30101").values == {"决算数": Decimal("262.33")}
    assert _row(basic, "31002").values == {"决算数": Decimal("13.58")}
    fiscal = _table(d, "fiscal_summary")
    total = fiscal.total("expenditure")
    assert total is not None and total.values["支出/合计"] == Decimal("2961.68")
    for kind in ("gov_fund", "state_capital"):
        empty = _table(d, kind)
        assert empty.empty_statement is not None and "故本表无数据" in empty.empty_statement


def test_jcy_same_amount_printed_two_ways_and_table_numbers() -> None:
    d = _disclosure(PDF_JCY)
    assert [t.number for t in d.tables] == [f"公开{n:02d}表" for n in range(1, 13)]
    summary = _table(d, "income_expenditure_summary")
    income = _table(d, "income_summary")
    first = summary.total("income")
    second = income.total()
    assert first is not None and second is not None
    assert first.cells["收入/金额"].page == 14 and second.cells["金额"].page == 15
    assert first.values["收入/金额"] == second.values["金额"] == Decimal("24169.74")  # 24,169.74 / 24169.74
    assert [r.name for r in income.rows[1:3]] == [
        "一般公共预算资金/小计",
        "一般公共预算资金/公共财政拨款（补助）资金",
    ]
    uses = [r.name for r in summary.rows if r.side == "expenditure" and "支出用途/金额" in str(r.values)]
    assert uses[:3] == ["一、基本支出", "二、项目支出", "三、单位预留机动经费"]
    assert _table(d, "gov_fund").empty_statement == "此表为空"
    assert _row(_table(d, "fiscal_expenditure"), "2040401").values == {"金额": Decimal("12268.62")}


def test_blank_official_workbook_reads_as_the_same_family() -> None:
    d = _disclosure(XLSX_TEMPLATE)  # one table per sheet, 编制部门/单位 rows inside the grid
    assert (d.stage, d.year, d.department) == ("budget", 2026, "上海市普陀区XX局")
    assert [t.kind for t in d.tables] == BUDGET_TABLES
    assert [t.unit for t in d.tables] == ["元"] * 8 + ["万元"]
    summary = d.tables[0]
    assert summary.columns == ["本年收入/项目", "本年收入/预算数", "本年支出/项目", "本年支出/预算数"]
    income = summary.total("income")
    assert income is not None and income.values == {"本年收入/预算数": None}  # x,xxx placeholders


# --- pieces -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2023年部门收支总体情况表", "income_expenditure_summary"),
        ("2025年部门财务收支预算总表", "income_expenditure_summary"),
        ("收入支出决算总表", "income_expenditure_summary"),
        ("部门收入总体情况表", "income_summary"),
        ("收入决算表", "income_summary"),
        ("支出决算表", "expenditure_summary"),
        ("财政拨款收入支出决算总表", "fiscal_summary"),
        ("一般公共预算财政拨款支出决算表", "general_budget_expenditure"),
        ("一般公共预算财政拨款基本支出决算表", "general_budget_basic"),
        ("财政拨款基本支出预算表（经济科目）", "fiscal_basic"),
        ("支出经济分类汇总表", "economic_summary"),
        ("财政拨款 三公 经费支出决算表", "three_public"),
        ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
        ("国有资本经营预算财政拨款收入支出决算表", "state_capital"),
        ("项目支出预算表", "project_expenditure"),
        ("政府采购支出预算表", "procurement"),
        ("部门（单位）整体绩效目标表", "dept_target"),
        ("表 4-1 部门资金情况分析表（决算表）", None),
        ("五、部门预算表", None),
        ("收入支出决算总表的编制说明如下。", None),
    ],
)
def test_table_kind_from_titles(title: str, kind: str | None) -> None:
    assert table_kind(title) == kind


def test_join_name_removes_breaks_between_chinese_only() -> None:
    assert join_name("财政对城乡居民基本养老保\n险基金的补助") == "财政对城乡居民基本养老保险基金的补助"
    assert join_name("Office 365 订阅") == "Office 365 订阅"


def test_small_tables_inline_statement_bracket_codes_and_sides_by_position() -> None:
    text = "\n".join(
        [
            "某某局2024年部门预算公开",
            "2024年部门收支总表",
            "单位：元",
            "项目\t预算数\t项目\t预算数",
            "一、财政拨款收入\t1,200.00\t一、一般公共服务支出\t1,200.00",
            "收入总计\t1,200.00\t支出总计\t1,200.00",
            "2024年一般公共预算支出表",
            "单位：元",
            "科目\t合计",
            "[2010101]行政运行\t1,200.00",
            "2024年政府性基金预算支出表",
            "单位：元",
            "科目\t合计",
            "本单位无此项支出。",
            "\t",
        ]
    )
    forms, findings = recognise(read_text(text.encode(), "inline.txt"))
    (d,) = forms
    assert isinstance(d, Disclosure) and findings == []
    assert (d.title, d.department, d.year) == ("某某局2024年部门预算公开", "某某局", 2024)
    summary, general, fund = d.tables
    assert [(r.side, r.name) for r in summary.rows][:2] == [
        ("income", "一、财政拨款收入"),
        ("expenditure", "一、一般公共服务支出"),
    ]
    assert summary.rows[1].code == "201"
    row = general.rows[0]
    assert (row.code, row.code_kind, row.name, row.values) == (
        "2010101",
        "function",
        "行政运行",
        {"合计": Decimal("1200.00")},
    )
    assert fund.rows == [] and fund.empty_statement == "本单位无此项支出。"
