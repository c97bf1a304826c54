"""C1xx–C2xx, C4xx–C5xx: projects, names, years and the 目录 of one document against themselves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.checks import consistency
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, rules_in
from jixiao.model.declaration import ProjectSummaryRow, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable, TocEntry
from jixiao.model.indicators import Indicator, parse_target
from jixiao.model.loc import Loc
from jixiao.model.narrative import Section
from tests.checks.helpers import findings, run, run_text
from tests.conftest import PDF_CZJ_FINAL, PDF_WANLI, SEED_003, SEED_004, load_document

INDICATOR = Indicator(level1="产出指标", level2="数量指标", name="培训人次", target=parse_target("≥200人次"))
TEXT = Loc(file="inline.txt", line=7)


def row_loc(row: int) -> Loc:
    return Loc(file="inline.txt", table=2, row=row, col=1, cell=f"A{row}")


def summary(*rows: tuple[str | None, str, str, bool], unit: str = "万元") -> ProjectTargetSummary:
    """A 项目绩效目标汇总表: (code, name, amount, has indicators) per project."""
    return ProjectTargetSummary(
        title="2023年部门预算项目绩效目标汇总表",
        unit=unit,
        rows=[
            ProjectSummaryRow(
                code=code,
                name=name,
                total=Decimal(amount),
                indicators=[INDICATOR] if targets else [],
                loc=row_loc(index + 3),
            )
            for index, (code, name, amount, targets) in enumerate(rows)
        ],
    )


def project_table(*rows: tuple[str, str], unit: str = "万元") -> DisclosureTable:
    """A 项目支出预算表: (name, amount) per project."""
    return DisclosureTable(
        kind="project_expenditure",
        title="2023年项目支出预算表",
        unit=unit,
        columns=["项目名称", "合计"],
        rows=[
            DisclosureRow(name="合计", is_total=True, values={"合计": sum(Decimal(a) for _, a in rows)}),
            *(
                DisclosureRow(name=name, values={"合计": Decimal(amount)}, cells={"合计": row_loc(index + 5)})
                for index, (name, amount) in enumerate(rows)
            ),
        ],
    )


def disclosure(
    *,
    tables: list[DisclosureTable] | None = None,
    summaries: list[ProjectTargetSummary] | None = None,
    targets: list[ProjectTargetDeclaration] | None = None,
    text: str = "",
    title: str = "一、收入支出预算总体情况说明",
    toc: list[TocEntry] | None = None,
    year: int = 2023,
    stage: str = "budget",
) -> Disclosure:
    return Disclosure(
        stage="final" if stage == "final" else "budget",
        year=year,
        department="江苏省人民检察院",
        unit="万元",
        sections=[Section(title=title, text=text, loc=TEXT)],
        tables=tables or [],
        project_summaries=summaries or [],
        project_targets=targets or [],
        toc_entries=toc or [],
    )


# ---------------------------------------------------------------------------------------------
# C1xx projects


def test_c101_one_code_two_names() -> None:
    form = disclosure(summaries=[summary(("410191230000000004974", "档案数字化工作经费", "15", True))])
    form.project_targets.append(
        ProjectTargetDeclaration(
            project_name="干部信息管理系统建设经费", project_code="410191230000000004974"
        )
    )
    [finding] = findings(consistency.code_with_two_names, form)
    assert finding.code == "C101" and "410191230000000004974" in finding.message
    assert "档案数字化工作经费" in finding.message and "干部信息管理系统建设经费" in finding.message
    assert finding.locations[0] == row_loc(3)
    consistent = disclosure(summaries=[summary(("410191230000000004974", "档案数字化工作经费", "15", True))])
    assert findings(consistency.code_with_two_names, consistent) == []
    outcome, _ = run(consistency.code_with_two_names, disclosure(tables=[project_table(("就业补助", "260"))]))
    assert outcome.status == "not_applicable"


def test_c102_one_name_two_codes() -> None:
    form = disclosure(
        summaries=[
            summary(
                ("410191230000000004968", "城乡居民基本养老保险", "1850", False),
                ("410191230000000004083", "城乡居民基本养老保险", "1850", True),
            )
        ]
    )
    [finding] = findings(consistency.name_with_two_codes, form)
    assert finding.code == "C102" and "城乡居民基本养老保险" in finding.message
    assert finding.actual == "410191230000000004968、410191230000000004083"
    assert (
        findings(
            consistency.name_with_two_codes, disclosure(summaries=[summary(("4101", "就业补助", "1", True))])
        )
        == []
    )


def test_c102_a_list_repeated_under_other_codes_is_one_finding() -> None:
    names = ["就业补助", "退役安置支出", "原民办教师养老补贴资金", "机关事业单位职业年金"]
    rows = [(f"41019123000000000049{i}", n, "10", False) for i, n in enumerate(names)]
    rows += [(f"41019123000000000041{i}", n, "10", True) for i, n in enumerate(names)]
    [finding] = findings(consistency.name_with_two_codes, disclosure(summaries=[summary(*rows)]))
    assert "4 个项目各有两个以上编码" in finding.message and finding.actual == "4 个项目有多个编码"


def test_c103_a_code_one_digit_too_long() -> None:
    rows = [
        ("410191230000000004942", "保障农民工工资专项费用", "10", True),
        ("410191230000000004949", "人人持证技能河南建设专项资金", "200", True),
        ("4101912300000000009630", "劳动人事争议调解仲裁经费", "10", True),
    ]
    [finding] = findings(consistency.code_length, disclosure(summaries=[summary(*rows)]))
    assert finding.code == "C103" and "4101912300000000009630" in finding.message
    assert (finding.expected, finding.actual) == ("21 位", "22 位") and finding.locations == (row_loc(5),)
    assert findings(consistency.code_length, disclosure(summaries=[summary(*rows[:2], rows[0])])) == []


def test_c104_a_funded_project_without_targets() -> None:
    form = disclosure(
        tables=[project_table(("就业补助", "260.0"), ("退役安置支出", "63.5"))],
        summaries=[summary(("4101", "退役安置支出", "63.5", True))],
    )
    [finding] = findings(consistency.project_without_targets, form)
    assert finding.code == "C104" and "就业补助" in finding.message and "260.0 万元" in finding.message
    assert finding.locations == (row_loc(5),)
    covered = disclosure(
        tables=[project_table(("就业补助", "260.0"))], summaries=[summary(("4101", "就业补助", "260", True))]
    )
    assert findings(consistency.project_without_targets, covered) == []
    outcome, _ = run(
        consistency.project_without_targets, disclosure(tables=[project_table(("就业补助", "260.0"))])
    )
    assert outcome.status == "not_applicable" and "不含项目绩效目标表" in (outcome.reason or "")


def test_c105_a_target_project_the_expenditure_table_does_not_know() -> None:
    form = disclosure(
        tables=[project_table(("干部信息管理系统建设及数字化档案经费", "15.0"), ("就业补助", "260.0"))],
        summaries=[summary(("4101", "干部档案室建设及档案数字化工作经费", "15.0", True))],
    )
    [finding] = findings(consistency.target_project_not_in_expenditure, form)
    assert finding.code == "C105" and "干部档案室建设及档案数字化工作经费" in finding.message
    assert "金额相同的项目：“干部信息管理系统建设及数字化档案经费”" in finding.message
    same = disclosure(
        tables=[project_table(("就业补助", "260.0"))], summaries=[summary(("4101", "就业补助", "260", True))]
    )
    assert findings(consistency.target_project_not_in_expenditure, same) == []


def test_c106_the_same_project_with_two_budgets() -> None:
    form = disclosure(
        tables=[project_table(("城乡居民基本养老保险", "1850.0"))],
        summaries=[summary(("4101", "城乡居民基本养老保险", "1860.0", True))],
    )
    [finding] = findings(consistency.project_amount_differs, form)
    assert finding.code == "C106" and (finding.expected, finding.actual) == ("1850.0 万元", "1860.0 万元")
    in_yuan = ProjectTargetDeclaration(
        project_name="城乡居民基本养老保险",
        budget=Decimal("18500000.00"),
        budget_unit="元",
        indicators=[INDICATOR],
    )
    consistent = disclosure(tables=[project_table(("城乡居民基本养老保险", "1850.0"))], targets=[in_yuan])
    assert findings(consistency.project_amount_differs, consistent) == []


def _targets(*budgets: str) -> list[ProjectTargetDeclaration]:
    return [
        ProjectTargetDeclaration(
            project_name=f"项目{i}",
            budget=Decimal(b),
            budget_unit="元",
            indicators=[INDICATOR],
            loc=row_loc(i),
        )
        for i, b in enumerate(budgets)
    ]


def test_c107_project_count_in_the_text() -> None:
    text = "本部门2个预算单位开展了2023年项目预算绩效目标编报工作，编报绩效目标的项目5个，涉及项目预算资金300万元。"
    [finding] = findings(
        consistency.project_count, disclosure(text=text, targets=_targets("1000000", "2000000"))
    )
    assert finding.code == "C107" and (finding.expected, finding.actual) == ("2 个", "5 个")
    right = text.replace("项目5个", "项目2个")
    assert (
        findings(consistency.project_count, disclosure(text=right, targets=_targets("1000000", "2000000")))
        == []
    )


def test_c108_project_amount_in_the_text() -> None:
    text = "编报绩效目标的项目2个，涉及项目预算资金3328.13万元。"
    form = disclosure(text=text, targets=_targets("4100000.00", "29413343.00"))
    [finding] = findings(consistency.project_amount_total, form)
    assert finding.code == "C108" and (finding.expected, finding.actual) == ("3351.33 万元", "3328.13 万元")
    right = disclosure(text=text, targets=_targets("4100000.00", "29181300.00"))
    assert findings(consistency.project_amount_total, right) == []


# ---------------------------------------------------------------------------------------------
# C2xx names


def test_c201_a_department_named_otherwise() -> None:
    form = disclosure(
        text="人力资源和社会保障局 2019 年无政府性基金预算拨款安排的支出。",
        title="八、政府性基金预算支出情况说明",
    )
    [finding] = findings(consistency.department_name, form)
    assert finding.code == "C201" and (finding.expected, finding.actual) == (
        "江苏省人民检察院",
        "人力资源和社会保障局",
    )
    assert finding.locations[0] == TEXT
    short = disclosure(text="省检察院2019年收入预算合计24,169.74万元。根据省财政厅2019年预算批复……")
    assert findings(consistency.department_name, short) == []


def test_c201_project_forms_of_a_unit_name_the_supervising_department() -> None:
    form = ProjectTargetDeclaration(project_name="就业补助", department="上海市普陀区人力资源和社会保障局")
    department = disclosure(targets=[form])
    [finding] = findings(consistency.department_name, department)
    assert finding.actual == "上海市普陀区人力资源和社会保障局"
    unit = department.model_copy(update={"title": "上海市普陀区2025年区级单位预算"})
    assert findings(consistency.department_name, unit) == []


# ---------------------------------------------------------------------------------------------
# C4xx years


def test_c401_a_heading_of_another_year() -> None:
    form = disclosure(
        title="第三部分上海市普陀区财政局2023年度部门决算情况说明", text="……", year=2024, stage="final"
    )
    [finding] = findings(consistency.title_year, form)
    assert finding.code == "C401" and (finding.expected, finding.actual) == ("2024 年", "2023 年")
    right = disclosure(title="第三部分上海市普陀区财政局2024年度部门决算情况说明", text="……", year=2024)
    assert findings(consistency.title_year, right) == []
    execution = disclosure(title="二、2023年预算执行情况说明", text="……", year=2024)
    assert findings(consistency.title_year, execution) == []


def test_c402_compared_with_the_wrong_year() -> None:
    text = "2026年，上海市普陀区司法局收入预算9628.22万元，其中：财政拨款收入9628.22万元，比2026年预算增加793.14万元。"
    [finding] = findings(consistency.comparison_year, disclosure(text=text, year=2026))
    assert (
        finding.code == "C402"
        and finding.expected == "2025 年"
        and "比2026年预算增加" in (finding.actual or "")
    )
    right = text.replace("比2026年", "比2025年")
    assert findings(consistency.comparison_year, disclosure(text=right, year=2026)) == []


def test_c403_final_accounts_as_of_another_year() -> None:
    text = "截至2023年12月31日，上海市普陀区财政局共有车辆0辆。"
    [finding] = findings(consistency.final_as_of_year, disclosure(text=text, year=2024, stage="final"))
    assert finding.code == "C403" and finding.actual == "截至2023年12月31日"
    right = text.replace("2023", "2024")
    assert findings(consistency.final_as_of_year, disclosure(text=right, year=2024, stage="final")) == []
    outcome, _ = run(consistency.final_as_of_year, disclosure(text=text, year=2024))
    assert outcome.status == "not_applicable"  # a budget states last year's assets


def test_c404_a_statement_of_this_year_dated_otherwise() -> None:
    text = "2024年，上海市普陀区商务委员会收入预算37,151.47万元，其中：财政拨款收入37,151.47万元。"
    [finding] = findings(consistency.statement_year, disclosure(text=text, year=2025))
    assert finding.code == "C404" and (finding.expected, finding.actual) == ("2025 年", "2024 年")
    assert "2024年，上海市普陀区商务委员会收入" in finding.message
    last_year = "2024年当年预算执行数为1690.69万元，2025年预算安排1434.89万元。与2024年预算相比持平。"
    assert findings(consistency.statement_year, disclosure(text=last_year, year=2025)) == []
    assert (
        findings(consistency.statement_year, disclosure(text=text.replace("2024", "2025"), year=2025)) == []
    )


# ---------------------------------------------------------------------------------------------
# C5xx 目录

TOC_LOC = Loc(file="inline.txt", line=21)


def toc(*entries: tuple[str, str, str]) -> list[TocEntry]:
    return [TocEntry(number=n, title=t, kind=k, loc=TOC_LOC) for n, t, k in entries]


def standard(kind: str, title: str, number: str | None = None) -> DisclosureTable:
    return DisclosureTable(kind=kind, title=title, number=number, loc=Loc(file="inline.txt", line=90))


LISTED = toc(
    ("一", "部门收支总体情况表", "income_expenditure_summary"),
    ("二", "部门收入总体情况表", "income_summary"),
    ("三", "部门支出总体情况表", "expenditure_summary"),
    ("四", "政府性基金预算支出情况表", "gov_fund"),
)
PRESENT = [
    standard("income_expenditure_summary", "部门收支总体情况表"),
    standard("expenditure_summary", "部门支出总体情况表"),
]


def test_c501_a_listed_table_missing() -> None:
    form = disclosure(toc=LISTED, tables=PRESENT)
    [income, fund] = findings(consistency.toc_table_missing, form)
    assert (
        income.code == "C501"
        and "二、部门收入总体情况表" in income.message
        and income.locations == (TOC_LOC,)
    )
    assert "政府性基金" in fund.message
    everything = [
        *PRESENT,
        standard("income_summary", "部门收入总体情况表"),
        standard("gov_fund", "政府性基金表"),
    ]
    assert findings(consistency.toc_table_missing, disclosure(toc=LISTED, tables=everything)) == []


def test_c502_a_missing_table_the_text_says_is_empty() -> None:
    text = "本部门2023年无政府性基金预算拨款安排的支出。"
    form = disclosure(toc=LISTED, tables=PRESENT, text=text)
    [finding] = findings(consistency.toc_table_empty, form)
    assert (
        finding.code == "C502"
        and finding.severity.value == "info"
        and "无政府性基金预算拨款" in finding.message
    )
    assert [f.message for f in findings(consistency.toc_table_missing, form)] == [
        "目录列出“二、部门收入总体情况表”，但文件中没有这张收入总表"
    ]
    assert findings(consistency.toc_table_empty, disclosure(toc=LISTED, tables=PRESENT)) == []


def test_c501_a_title_printed_without_its_grid_is_not_missing() -> None:
    text = "\n".join(
        [
            "2023年某某局部门预算公开",
            "目录",
            "一、部门收支总体情况表",
            "二、部门收入总体情况表",
            "三、部门支出总体情况表",
            "2023年部门收支总体情况表",
            "单位：万元",
            "收入\t\t支出\t",
            "项目\t金额\t项目\t金额",
            "一、一般公共预算\t100.0\t一、一般公共服务支出\t100.0",
            "收入总计\t100.0\t支出总计\t100.0",
            "2023年部门收入总体情况表",
            "（见附件）",
        ]
    )
    _, found = run_text(consistency.toc_table_missing, text)
    assert [f.message for f in found] == ["目录列出“三、部门支出总体情况表”，但文件中没有这张支出总表"]
    assert found[0].locations[0].line == 5


def test_c503_a_table_not_listed() -> None:
    tables = [
        *PRESENT,
        standard("income_summary", "部门收入总体情况表"),
        standard("procurement", "政府采购支出表"),
    ]
    [finding] = findings(consistency.table_not_in_toc, disclosure(toc=LISTED, tables=tables))
    assert finding.code == "C503" and "《政府采购支出表》" in finding.message
    assert findings(consistency.table_not_in_toc, disclosure(toc=LISTED, tables=tables[:3])) == []


def test_c504_numbering_gaps() -> None:
    gap = toc(
        ("一", "部门收支总体情况表", "income_expenditure_summary"),
        ("二", "部门收入总体情况表", "income_summary"),
        ("四", "部门支出总体情况表", "expenditure_summary"),
    )
    [finding] = findings(consistency.numbering, disclosure(toc=gap))
    assert finding.code == "C504" and finding.actual == "缺少编号 3"
    assert findings(consistency.numbering, disclosure(toc=LISTED)) == []
    numbered = [standard("income_summary", f"表{n}", number=f"公开0{n}表") for n in (1, 2, 2)]
    [repeated] = findings(consistency.numbering, disclosure(tables=numbered))
    assert repeated.actual == "编号 2 重复"
    assert (consistency.number_value("十三"), consistency.number_value("公开04表")) == (13, 4)


# ---------------------------------------------------------------------------------------------
# real documents

REGISTRY = Registry(rules_in(consistency))


def _found(path: Path) -> list[tuple[str, str | None, str | None]]:
    document, source = load_document(path)
    report = audit_documents([document], [source], registry=REGISTRY)
    return [(f.code, f.expected, f.actual) for f in report.documents[0].findings if f.code.startswith("C")]


def test_seed_003_projects_names_and_toc() -> None:
    assert _found(SEED_003) == [
        ("C501", "部门收入总体情况表", "（缺）"),
        ("C501", "支出经济分类汇总表", "（缺）"),
        ("C502", "政府性基金预算支出情况表", "（未附，说明无此项）"),  # 无政府性基金收支预算
        ("C502", "国有资本经营预算支出情况表", "（未附，说明无此项）"),
        ("C201", "郑州高新技术产业开发区管委会人力资源局", "人力资源和社会保障局"),
        ("C105", "项目支出表中的项目名称", "干部档案室建设及档案数字化工作经费"),
        ("C103", "21 位", "22 位"),  # 4101912300000000009630
    ]  # the project list printed twice with two sets of codes is F070 (reported while reading), not C102
    document, _ = load_document(SEED_003)
    assert [f.code for f in document.findings if f.code == "F070"] == ["F070"]


def test_seed_004_department_and_projects_agree() -> None:
    assert _found(SEED_004) == []


def test_wanli_budget_project_funds_in_the_text() -> None:
    assert _found(PDF_WANLI) == [("C108", "3351.33 万元", "3328.13 万元")]


def test_putuo_finance_final_accounts_are_consistent() -> None:
    assert _found(PDF_CZJ_FINAL) == []
