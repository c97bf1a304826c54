"""A3xx: figures quoted in a disclosure's 情况说明 against its tables and against each other."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.checks import narrative
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, rules_in
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.loc import Loc
from jixiao.model.narrative import Section
from tests.checks.helpers import findings, run
from tests.conftest import PDF_CZJ_FINAL, PDF_JCY, SEED_003, load_document

TEXT = Loc(file="inline.txt", line=5)


def cell(row: int, col: int = 2) -> Loc:
    return Loc(file="inline.txt", table=1, row=row, col=col, cell=f"B{row}")


def summary_table(income: str = "8562.6", unit: str = "万元", previous: str | None = None) -> DisclosureTable:
    """A 收支总表 with its totals on both sides (and a 上年 column when ``previous`` is given)."""
    values: dict[str, Decimal | None] = {"收入/金额": Decimal(income)}
    columns = ["收入/项目", "收入/金额", "支出/项目", "支出/金额"]
    if previous is not None:
        values["收入/上年预算数"] = Decimal(previous)
        columns.append("收入/上年预算数")
    return DisclosureTable(
        kind="income_expenditure_summary",
        title="2023年部门收支总体情况表",
        unit=unit,
        columns=columns,
        rows=[
            DisclosureRow(name="一、一般公共预算", side="income", values={"收入/金额": Decimal(income)}),
            DisclosureRow(
                name="收入总计", is_total=True, side="income", values=values, cells={"收入/金额": cell(9)}
            ),
            DisclosureRow(
                name="支出总计",
                is_total=True,
                side="expenditure",
                values={"支出/金额": Decimal(income)},
                cells={"支出/金额": cell(9, 4)},
            ),
        ],
    )


def expenditure_table() -> DisclosureTable:
    """A 支出总表 by 功能分类 with 基本支出 / 项目支出 columns."""
    return DisclosureTable(
        kind="expenditure_summary",
        title="2023年部门支出总体情况表",
        unit="万元",
        columns=["科目名称", "合计", "基本支出", "项目支出"],
        rows=[
            DisclosureRow(
                name="合计",
                is_total=True,
                values={
                    "合计": Decimal("8562.6"),
                    "基本支出": Decimal("4550.7"),
                    "项目支出": Decimal("4011.9"),
                },
                cells={"基本支出": cell(4, 3)},
            ),
            DisclosureRow(
                name="社会保障和就业支出",
                code="208",
                code_kind="function",
                values={"合计": Decimal("8562.6")},
            ),
            DisclosureRow(
                name="行政运行",
                code="2080101",
                code_kind="function",
                values={"合计": Decimal("4550.7"), "基本支出": Decimal("4550.7")},
                cells={"合计": cell(6)},
            ),
        ],
    )


def disclosure(text: str, *tables: DisclosureTable, stage: str = "budget", year: int = 2023) -> Disclosure:
    section = Section(title="一、收入支出预算总体情况说明", text=text, loc=TEXT)
    return Disclosure(
        stage="final" if stage == "final" else "budget",
        year=year,
        department="郑州高新技术产业开发区管委会人力资源局",
        unit="万元",
        sections=[section],
        tables=list(tables) or [summary_table(), expenditure_table()],
    )


# ---------------------------------------------------------------------------------------------
# reading the text


def test_reading_subjects_shares_and_changes() -> None:
    reading = narrative.read_sections(
        [
            Section(
                title="三、支出预算总体情况说明",
                text="人力资源局 2023 年支出合计 8562.6 万元，其中：基本支出 4550.7 万元，占 53.1%；"
                "项目支出 4011.9 万元，占 46.9%。与 2022 年预算相比，支出减少 180.8 万元，下降 2.1%。",
            )
        ],
        year=2023,
    )
    assert [(a.key, a.value) for a in reading.amounts] == [
        ("total:expenditure", Decimal("8562.6")),
        ("basic", Decimal("4550.7")),
        ("project", Decimal("4011.9")),
    ]
    assert [(s.percent, s.numerator.key, s.base.key if s.base else None) for s in reading.shares] == [
        (Decimal("53.1"), "basic", "total:expenditure"),
        (Decimal("46.9"), "project", "total:expenditure"),
    ]
    [change] = reading.changes
    assert (change.direction, change.amount, change.percent, change.current.key) == (
        -1,
        Decimal("180.8"),
        Decimal("2.1"),
        "total:expenditure",
    )


def test_reading_leaves_figures_it_cannot_name() -> None:
    reading = narrative.read_sections(
        [
            Section(
                title="（一）机构运转经费",
                text="2022年收入总计 9000 万元。所属单位收入总计 300 万元。办公费 20 万元、其他交通费 20 万元。",
            )
        ],
        year=2023,
    )
    # 2022's total is left out; the unit's total and the 经费 items are read but name no quantity
    assert [(a.value, a.key) for a in reading.amounts] == [
        (Decimal("300"), None),
        (Decimal("20"), None),
        (Decimal("20"), None),
    ]


def test_table_quantities_convert_nothing_and_keep_cells() -> None:
    quantities = narrative.table_quantities(disclosure("", summary_table(), expenditure_table()))
    assert [(v.value, v.loc) for v in quantities["total:grand"]] == [
        (Decimal("8562.6"), cell(9)),
        (Decimal("8562.6"), cell(9, 4)),
    ]
    assert [v.value for v in quantities["basic"]] == [Decimal("4550.7")]
    assert [v.value for v in quantities["function:2080101"]] == [Decimal("4550.7")]


# ---------------------------------------------------------------------------------------------
# A301 / A302 amounts


def test_a301_a_total_that_differs_from_the_table() -> None:
    form = disclosure("人力资源局 2023 年收入总计 8600 万元，支出总计 8562.6 万元。")
    [finding] = findings(narrative.narrative_amount_against_tables, form)
    assert finding.code == "A301" and finding.severity.value == "error"
    assert (
        "收入总计 8600 万元" in finding.message
        and "《2023年部门收支总体情况表》“收入总计”行" in finding.message
    )
    assert (finding.expected, finding.actual) == ("8562.6 万元", "8600 万元")
    assert finding.locations == (TEXT, cell(9))
    assert findings(narrative.narrative_amount_rounding, form) == []


def test_a301_passes_equal_figures_and_converts_yuan() -> None:
    in_yuan = summary_table(income="85626000.00", unit="元")
    form = disclosure(
        "人力资源局 2023 年收入总计 8562.6 万元，行政运行 4550.7 万元。", in_yuan, expenditure_table()
    )
    outcome, found = run(narrative.narrative_amount_against_tables, form)
    assert found == [] and outcome.status == "passed"


def test_a301_compares_a_function_item_named_by_its_path() -> None:
    form = disclosure(
        "“社会保障和就业支出（类）人力资源和社会保障管理事务（款）行政运行（项）”4500.7万元，主要用于……"
    )
    assert findings(narrative.narrative_amount_against_tables, form) == []  # 款 not printed: no single code
    form = disclosure("“社会保障和就业支出（类）行政运行（项）”4500.7万元，主要用于机关运行。")
    [finding] = findings(narrative.narrative_amount_against_tables, form)
    assert finding.expected == "4550.7 万元" and finding.locations[1] == cell(6)


def test_a301_personnel_and_operating_totals_of_a_basic_table() -> None:
    basic = DisclosureTable(
        kind="general_budget_basic",
        title="一般公共预算财政拨款基本支出决算表",
        unit="万元",
        columns=["科目名称", "决算数"],
        rows=[
            DisclosureRow(
                name="基本工资", code="30101", code_kind="economic_dept", values={"决算数": Decimal("262.33")}
            ),
            DisclosureRow(name="人员经费合计", is_total=True, values={"决算数": Decimal("2152.26")}),
            DisclosureRow(name="公用经费合计", is_total=True, values={"决算数": Decimal("184.65")}),
        ],
    )
    text = "一般公共预算财政拨款基本支出2363.91万元。其中：人员经费2152.26万元；公用经费184.65万元。"
    [finding] = findings(narrative.narrative_amount_against_tables, disclosure(text, basic, stage="final"))
    assert (finding.expected, finding.actual) == ("2336.91 万元", "2363.91万元")  # 2152.26 + 184.65


def test_a301_three_public_printed_down_and_budget_columns_of_a_final_table() -> None:
    down = DisclosureTable(
        kind="three_public",
        title="“三公”经费支出决算表",
        unit="万元",
        columns=["项目", "预算数", "决算数"],
        rows=[
            DisclosureRow(
                name="合计", is_total=True, values={"预算数": Decimal("0.95"), "决算数": Decimal("0.00")}
            ),
            DisclosureRow(name="因公出国（境）费", values={"预算数": None, "决算数": None}),
            DisclosureRow(name="公务接待费", values={"预算数": Decimal("0.95"), "决算数": Decimal("0.00")}),
        ],
    )
    text = "“三公”经费财政拨款支出年初预算为0.59万元，支出决算为0.00万元，其中：公务接待费决算为0.00万元。"
    [finding] = findings(narrative.narrative_amount_against_tables, disclosure(text, down, stage="final"))
    assert (finding.expected, finding.actual) == (
        "0.95 万元",
        "0.59万元",
    )  # the 预算数 column, not the 决算数
    across = down.model_copy(
        update={
            "columns": ["合计/决算数"],
            "rows": [down.rows[0].model_copy(update={"values": {"合计/决算数": Decimal("0.00")}})],
        }
    )
    assert findings(narrative.narrative_amount_against_tables, disclosure(text, across, stage="final")) == []


def test_a301_a_table_without_a_printed_unit_may_be_in_yuan() -> None:
    assumed = summary_table(income="85626000.00").model_copy(update={"unit_assumed": True})
    form = disclosure("人力资源局 2023 年收入总计 8562.6 万元。", assumed, expenditure_table())
    assert findings(narrative.narrative_amount_against_tables, form) == []


def test_a301_does_not_apply_without_tables_or_figures() -> None:
    outcome, found = run(narrative.narrative_amount_against_tables, disclosure("本部门职责如下。"))
    assert found == [] and outcome.status == "not_applicable"


def test_a302_display_rounding_is_info() -> None:
    form = disclosure("人力资源局 2023 年收入总计 8562.7 万元。")
    [finding] = findings(narrative.narrative_amount_rounding, form)
    assert finding.code == "A302" and finding.severity.value == "info" and "仅差显示舍入" in finding.message
    assert findings(narrative.narrative_amount_against_tables, form) == []
    assert findings(narrative.narrative_amount_rounding, disclosure("收入总计 8562.6 万元。")) == []


# ---------------------------------------------------------------------------------------------
# A303 / A304 shares and rounding


def test_a303_a_share_that_does_not_follow() -> None:
    form = disclosure(
        "2023 年支出合计 8562.6 万元，其中：基本支出 4550.7 万元，占 63.1%；项目支出 4011.9 万元，占 46.9%。"
    )
    [finding] = findings(narrative.narrative_share, form)
    assert (
        finding.code == "A303"
        and "占比 63.1%" in finding.message
        and "4550.7 万元 ÷ 8562.6 万元" in finding.message
    )
    assert (finding.expected, finding.actual) == ("53.1%", "63.1%") and finding.locations == (TEXT,)
    good = disclosure(
        "2023 年支出合计 8562.6 万元，其中：基本支出 4550.7 万元，占 53.1%；项目支出 4011.9 万元，占 46.9%。"
    )
    assert findings(narrative.narrative_share, good) == []


def test_a303_a_share_of_a_named_total_uses_the_table() -> None:
    form = disclosure("项目支出 4011.9 万元，占支出总计的 50%。")
    [finding] = findings(narrative.narrative_share, form)
    assert finding.expected == "47%" and "《2023年部门收支总体情况表》" in finding.message


def test_a304_percent_off_by_one_unit_is_info() -> None:
    form = disclosure("专项资金合计 24169.74 万元，其中：培训资金 15844.04 万元，占 65.56%。")
    [finding] = findings(narrative.narrative_percent_rounding, form)
    assert finding.code == "A304" and (finding.expected, finding.actual) == ("65.55%", "65.56%")
    assert findings(narrative.narrative_share, form) == []
    exact = disclosure("专项资金合计 24169.74 万元，其中：培训资金 15844.04 万元，占 65.55%。")
    assert findings(narrative.narrative_percent_rounding, exact) == []


# ---------------------------------------------------------------------------------------------
# A305 year-on-year changes


def test_a305_a_percent_that_does_not_follow_from_the_change() -> None:
    form = disclosure("专项业务费预算数为4335.3万元。与上年相比减少了1237.7万元，减少 13.22 %。")
    [finding] = findings(narrative.narrative_change, form)
    assert finding.code == "A305" and "增减率 13.22 %" in finding.message
    assert (finding.expected, finding.actual) == ("22.21%", "13.22 %")
    good = disclosure("专项业务费预算数为4335.3万元。与上年相比减少了1237.7万元，减少 22.21%。")
    assert findings(narrative.narrative_change, good) == []


def test_a305_last_year_would_be_negative() -> None:
    form = disclosure(
        "一般公共预算拨款支出预算100万元，比2022年预算增加10万元；政府性基金拨款支出预算0万元，比2022年预算增加10万元。"
    )
    [finding] = findings(narrative.narrative_change, form)
    assert "上年数将为负数" in finding.message and finding.actual == "10万元"


def test_a305_last_year_quoted_and_the_direction_wrong() -> None:
    text = "2022年当年预算执行数为43269.3万元，2023年预算安排3845.49万元，比2022年预算执行数增加17.62%。"
    [finding] = findings(narrative.narrative_change, disclosure(text))
    assert "实为减少" in finding.message and (finding.expected, finding.actual) == ("减少", "增加")
    good = "2022年当年预算执行数为3269.3万元，2023年预算安排3845.49万元，比2022年预算执行数增加17.62%。"
    assert findings(narrative.narrative_change, disclosure(good)) == []


def test_a305_uses_the_table_where_the_text_misquotes_this_year() -> None:
    # 收入总计 0 is A301's; the change is right for the table's 8562.6 and is not reported again
    form = disclosure("2023年收入总计0万元。与2022年相比，收入总计减少180.8万元，下降2.1%。")
    assert findings(narrative.narrative_change, form) == []
    assert [f.code for f in findings(narrative.narrative_amount_against_tables, form)] == ["A301"]


def test_a305_flat_but_different() -> None:
    text = "2022年当年预算执行数为15.00万元，2023年预算安排16.00万元，比2022年预算执行数持平。"
    [finding] = findings(narrative.narrative_change, disclosure(text))
    assert "持平" in finding.message and finding.expected == "增加"


def test_a305_not_applicable_without_changes() -> None:
    outcome, _ = run(narrative.narrative_change, disclosure("收入总计 8562.6 万元。"))
    assert outcome.status == "not_applicable"


# ---------------------------------------------------------------------------------------------
# A306 completion rate, A307 against a previous-year column, A308 决算/预算 wording


def test_a306_completion_rate() -> None:
    text = "专项业务费年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的96.20%。"
    [finding] = findings(narrative.narrative_completion_rate, disclosure(text, stage="final"))
    assert finding.code == "A306" and (finding.expected, finding.actual) == ("98.20%", "96.20%")
    good = text.replace("96.20%", "98.20%")
    assert findings(narrative.narrative_completion_rate, disclosure(good, stage="final")) == []


def test_a307_change_against_the_previous_year_column() -> None:
    tables = (summary_table(previous="8462.6"), expenditure_table())
    form = disclosure("2023年收入总计8562.6万元，比上年增加180.8万元。", *tables)
    [finding] = findings(narrative.narrative_change_against_tables, form)
    assert finding.code == "A307" and finding.expected == "100 万元" and finding.actual == "增加 180.8万元"
    good = disclosure("2023年收入总计8562.6万元，比上年增加100万元。", *tables)
    assert findings(narrative.narrative_change_against_tables, good) == []
    outcome, _ = run(
        narrative.narrative_change_against_tables, disclosure("收入总计8562.6万元，比上年增加100万元。")
    )
    assert outcome.status == "not_applicable"


def test_a308_comparison_wording() -> None:
    text = (
        "1、社会保障和就业支出（类）行政运行（项）。年初预算为 4600.00 万元，支出决算为4550.7万元。"
        "决算数大于预算数的主要原因：人员减少。"
    )
    [finding] = findings(narrative.narrative_budget_final_comparison, disclosure(text, stage="final"))
    assert finding.code == "A308" and (finding.expected, finding.actual) == (
        "决算数小于预算数",
        "决算数大于预算数",
    )
    right = text.replace("大于", "小于")
    assert findings(narrative.narrative_budget_final_comparison, disclosure(right, stage="final")) == []
    roughly = text.replace("大于预算数", "与预算数基本持平")
    assert findings(narrative.narrative_budget_final_comparison, disclosure(roughly, stage="final")) == []


# ---------------------------------------------------------------------------------------------
# real documents

REGISTRY = Registry(rules_in(narrative))


def _found(path: Path) -> list[tuple[str, str | None, str | None]]:
    document, source = load_document(path)
    report = audit_documents([document], [source], registry=REGISTRY)
    return [(f.code, f.expected, f.actual) for f in report.documents[0].findings if f.code.startswith("A3")]


def test_seed_003_narrative_agrees_with_its_tables() -> None:
    document, source = load_document(SEED_003)
    report = audit_documents([document], [source], registry=REGISTRY)
    assert [f for f in report.documents[0].findings if f.code.startswith("A3")] == []
    outcomes = {o.code: o.status for o in report.documents[0].rules}
    # 27 amounts, 18 shares and 3 changes compared, all in agreement
    assert outcomes["A301"] == outcomes["A303"] == outcomes["A305"] == "passed"


def test_jiangsu_procuratorate_changes_and_rounding() -> None:
    assert _found(PDF_JCY) == [
        ("A304", "10.16%", "10.15 %"),  # 2228.78 ÷ 21940.96: truncated, not rounded
        ("A305", "10.09%", "10.06 %"),  # 收、支预算总计各增加 2214.39 万元
        ("A305", "22.21%", "13.22 %"),  # 项目支出减少 1237.7 万元: the 基本支出's rate copied
        ("A304", "65.55%", "65.56%"),  # shares forced to add up to 100%
        ("A304", "10.16%", "10.15 %"),
        ("A304", "10.16%", "10.15 %"),
        ("A304", "35.78%", "35.77 %"),
        ("A304", "10.16%", "10.15%"),
        ("A305", "34.36%", "34.38 %"),  # 住房公积金 368.97 ÷ 1073.77
    ]


def test_putuo_finance_final_accounts() -> None:
    assert _found(PDF_CZJ_FINAL) == [
        ("A301", "2961.68 万元", "0.3万元"),  # 财政拨款收入支出总计 0.3 万元
        ("A303", "71.65%", "71.73%"),  # 一般公共服务支出 2106.66 ÷ 2940.05
    ]
