"""Rules C301–C308: classification codes and names against the yearly 政府收支分类科目.

Each rule fires on the smallest inline table that shows its defect and stays silent on the corrected
one; then the real documents: seed 003's template prints older class names and one class twice, the
Shanghai 决算 and the blank templates carry no classification defect, and the 决算 with one name and
one 款 row altered by hand yields exactly those two findings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from jixiao import codes
from jixiao.checks import classification
from jixiao.checks.registry import Rule
from jixiao.ingest.load import load_file
from jixiao.ingest.source import Cell, SourceDocument, Table
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc
from tests.checks.helpers import run
from tests.conftest import PDF_CZJ_FINAL, SEED_003, XLS_TEMPLATE, XLSX_TEMPLATE

FILE = "inline.txt"
FUNCTION_PATH = "功能分类科目编码"
DEPT_PATH = "部门预算支出经济分类科目/科目编码"
GOV_PATH = "政府预算支出经济分类科目/科目编码"


def loc(row: int, col: int) -> Loc:
    return Loc(file=FILE, table=1, row=row, col=col)


def coded(
    row: int,
    code: str,
    name: str,
    kind: str = "function",
    *,
    path: str = FUNCTION_PATH,
    more: dict[str, str] | None = None,
    texts: dict[str, str] | None = None,
) -> DisclosureRow:
    """A row printing ``code`` in column 1 under ``path`` and ``name`` in column 2."""
    cells = {path: loc(row, 1), "科目名称": loc(row, 2)}
    for index, key in enumerate(texts or {}, start=3):
        cells[key] = loc(row, index)
    return DisclosureRow(
        name=name,
        code=code,
        code_kind=kind,
        codes={kind: code, **(more or {})},
        texts=texts or {},
        loc=loc(row, 2),
        cells=cells,
    )


def table(*rows: DisclosureRow, title: str = "2024年一般公共预算支出表") -> DisclosureTable:
    return DisclosureTable(kind="general_budget_expenditure", title=title, rows=list(rows))


def disclosure(*tables: DisclosureTable, year: int | None = 2024) -> Disclosure:
    return Disclosure(year=year, tables=list(tables))


def found(rule: Rule, form: Disclosure, source: SourceDocument | None = None) -> list[Finding]:
    outcome, findings = run(rule, form, source=source)
    assert outcome.status != "error", findings
    return findings


def status(rule: Rule, form: Disclosure) -> str:
    return run(rule, form)[0].status


# ---------------------------------------------------------------------------------------------
# the editions the rules read


def test_every_edition_entry_is_a_well_formed_code_under_a_listed_parent() -> None:
    first, last = codes.edition_years()
    assert (first, last) == (2019, 2026)
    for year in range(first, last + 1):
        book = codes.Edition(year)
        for kind in ("function", "economic_dept", "economic_gov"):
            for code in codes._editions().codes[kind]:
                assert codes.code_kind(code) == kind and len(code) in (3, 5, 7), code
                if book.names(kind, code) and len(code) > 3:
                    assert book.names(kind, codes.parent_code(code)), (year, code)


def test_the_edition_agrees_with_the_class_table_the_readers_use() -> None:
    book = codes.Edition(2026)
    for kind in ("function", "economic_dept", "economic_gov"):
        for code, name in codes.names(kind).items():
            assert book.accepts(kind, code, name), (code, name)


def test_classes_renamed_in_2019_and_the_pairs_point_at_held_codes() -> None:
    assert codes.Edition(2018 + 1).name("function", "207") == "文化旅游体育与传媒支出"
    assert codes.edition(2018) is None
    assert codes.Edition(2023).former("function", "220", "国土海洋气象等支出").renamed == 2019  # type: ignore[union-attr]
    for dept, government in codes._editions().pairs.items():
        assert codes.Edition(2024).name("economic_dept", dept), dept
        assert all(codes.Edition(2024).name("economic_gov", g) for g in government), dept


# ---------------------------------------------------------------------------------------------
# C301 code absent from the edition


def test_c301_a_item_dropped_by_an_earlier_edition() -> None:
    form = disclosure(
        table(coded(5, "208", "社会保障和就业支出"), coded(6, "2080504", "未归口管理的行政单位离退休"))
    )
    [finding] = found(classification.code_unknown, form)
    assert (finding.code, finding.severity) == ("C301", Severity.ERROR)
    assert "2080504「未归口管理的行政单位离退休」在2024年《政府收支分类科目》中不存在" in finding.message
    assert "只在2019–2021年版中设置" in finding.message
    assert finding.actual == "2080504"
    assert finding.locations == (loc(6, 1),)


def test_c301_an_unknown_class_is_reported_once_for_its_rows() -> None:
    form = disclosure(
        table(coded(5, "218", "某类支出"), coded(6, "21801", "某款"), coded(7, "2180101", "某项"))
    )
    [finding] = found(classification.code_unknown, form)
    assert finding.actual == "218" and "等 3 行" in finding.message


def test_c301_silent_on_codes_in_force_and_not_applicable_where_not_covered() -> None:
    valid = disclosure(
        table(
            coded(5, "2080505", "机关事业单位基本养老保险缴费支出"), coded(6, "234", "抗疫特别国债安排的支出")
        )
    )
    assert found(classification.code_unknown, valid) == []
    assert status(classification.code_unknown, valid) == "passed"
    # 2049902: 20499's 项 are not held in full, so nothing is said about it
    uncovered = disclosure(table(coded(5, "2049902", "国家司法救助支出")))
    assert status(classification.code_unknown, uncovered) == "not_applicable"
    # 抗疫特别国债 did not exist before 2020
    [early] = found(
        classification.code_unknown, disclosure(table(coded(5, "234", "抗疫特别国债安排的支出")), year=2019)
    )
    assert early.actual == "234"
    assert (
        status(classification.code_unknown, disclosure(table(coded(5, "208", "x")), year=None))
        == "not_applicable"
    )


# ---------------------------------------------------------------------------------------------
# C302 name differs, C303 older name


def test_c302_a_name_that_belongs_to_another_code() -> None:
    form = disclosure(table(coded(7, "2101101", "事业单位医疗")))
    [finding] = found(classification.name_differs, form)
    assert (finding.code, finding.severity) == ("C302", Severity.WARNING)
    assert (
        "科目 2101101 的名称印为「事业单位医疗」，2024年《政府收支分类科目》中该编码的名称为「行政单位医疗」"
        in finding.message
    )
    assert (finding.expected, finding.actual) == ("行政单位医疗", "事业单位医疗")
    assert finding.locations == (loc(7, 1), loc(7, 2))


def test_c302_checks_the_government_name_printed_beside_the_department_code() -> None:
    row = coded(
        4,
        "30216",
        "培训费",
        "economic_dept",
        path=DEPT_PATH,
        more={"economic_gov": "50203"},
        texts={"政府预算支出经济分类科目/科目名称": "办公经费"},
    )
    row.cells[GOV_PATH] = loc(4, 9)
    [finding] = found(classification.name_differs, disclosure(table(row)))
    assert (finding.expected, finding.actual) == ("培训费", "办公经费")
    assert "政府预算支出经济分类科目 50203" in finding.message


def test_c302_harmless_differences_are_not_reported() -> None:
    form = disclosure(
        table(
            coded(4, "30213", "维修 (护) 费", "economic_dept", path=DEPT_PATH),
            coded(5, "2080599", "其他行政事业单位养老"),
            coded(6, "210", "（十）卫生健康"),
            coded(7, "2080505", "机关事业单位基本养老保险缴费支出（项）"),
        )
    )
    assert found(classification.name_differs, form) == []
    assert status(classification.name_differs, form) == "passed"


def test_c303_an_older_name_still_printed() -> None:
    form = disclosure(table(coded(5, "20805", "行政事业单位离退休")), year=2024)
    [finding] = found(classification.former_name, form)
    assert (finding.code, finding.severity) == ("C303", Severity.INFO)
    assert "仍使用旧名称「行政事业单位离退休」" in finding.message
    assert "名称为「行政事业单位养老支出」（自2021年版起更名）" in finding.message
    assert found(classification.name_differs, form) == []  # an older name is not a wrong name


def test_c303_silent_where_the_older_name_was_still_in_force() -> None:
    form = disclosure(
        table(coded(5, "20805", "行政事业单位离退休"), coded(6, "210", "卫生健康支出")), year=2019
    )
    assert found(classification.former_name, form) == []


# ---------------------------------------------------------------------------------------------
# C304 parent rows, C305 one code under two names


def test_c304_an_item_without_its_section_row() -> None:
    form = disclosure(
        table(
            coded(5, "208", "社会保障和就业支出"),
            coded(6, "2080501", "行政单位离退休"),
            coded(7, "2080505", "机关事业单位基本养老保险缴费支出"),
            coded(8, "221", "住房保障支出"),
            coded(9, "22102", "住房改革支出"),
            coded(10, "2210201", "住房公积金"),
        )
    )
    [finding] = found(classification.parent_row_missing, form)
    assert (finding.code, finding.severity) == ("C304", Severity.WARNING)
    assert (
        "2080501「行政单位离退休」等 2 行，却没有其所属的款级科目 20805「行政事业单位养老支出」一行"
        in finding.message
    )
    assert finding.expected == "20805"
    assert finding.locations == (loc(6, 1), loc(7, 1))


def test_c304_complete_hierarchy_passes_and_item_only_tables_do_not_apply() -> None:
    full = disclosure(
        table(
            coded(5, "221", "住房保障支出"),
            coded(6, "22102", "住房改革支出"),
            coded(7, "2210201", "住房公积金"),
        )
    )
    assert found(classification.parent_row_missing, full) == []
    assert status(classification.parent_row_missing, full) == "passed"
    continued = disclosure(table(coded(5, "2080506", "机关事业单位职业年金缴费支出"), *full.tables[0].rows))
    assert found(classification.parent_row_missing, continued) == []  # the rest of a table on the page before
    items_only = disclosure(table(coded(5, "2080101", "行政运行"), coded(6, "2080102", "一般行政管理事务")))
    assert status(classification.parent_row_missing, items_only) == "not_applicable"


def test_c305_one_class_printed_twice_under_two_names() -> None:
    form = disclosure(
        table(coded(12, "210", "（九）医疗卫生与计划生育支出"), coded(13, "210", "（十）卫生健康支出")),
        year=2023,
    )
    [finding] = found(classification.name_inconsistent, form)
    assert (finding.code, finding.severity) == ("C305", Severity.WARNING)
    assert (
        "科目 210 出现 2 个不同名称：「（九）医疗卫生与计划生育支出」、「（十）卫生健康支出」"
        in finding.message
    )
    assert "（「（九）医疗卫生与计划生育支出」为旧版名称）" in finding.message
    assert found(classification.former_name, form) == []  # the stale row is C305's, not C303's


def test_c305_across_tables_only_for_codes_whose_official_name_is_not_held() -> None:
    uncovered = disclosure(
        table(coded(5, "2049902", "国家司法救助支出")),
        table(coded(5, "2049902", "司法救助"), title="2024年支出总表"),
    )
    [finding] = found(classification.name_inconsistent, uncovered)
    assert "各表中支出功能分类科目 2049902 出现 2 个不同名称" in finding.message
    known = disclosure(
        table(coded(5, "2101101", "行政单位医疗")),
        table(coded(5, "2101101", "事业单位医疗"), title="支出总表"),
    )
    assert found(classification.name_inconsistent, known) == []  # C302 names the wrong one
    same = disclosure(
        table(coded(5, "30213", "维修（护）费", "economic_dept")),
        table(coded(5, "30213", "维修(护)费", "economic_dept")),
    )
    assert found(classification.name_inconsistent, same) == []


# ---------------------------------------------------------------------------------------------
# C306 form, C307 部门/政府, C308 pairs


def test_c306_an_economic_code_in_a_function_column() -> None:
    [finding] = found(classification.code_malformed, disclosure(table(coded(5, "30101", "基本工资"))))
    assert (finding.code, finding.severity) == ("C306", Severity.ERROR)
    assert "支出功能分类列印有编码 30101「基本工资」，该列编码应以2开头、为3、5、7位" in finding.message
    assert finding.actual == "30101"


def test_c306_a_cell_the_reader_could_not_take_as_a_code() -> None:
    cells = [
        Cell("2080", 1, 1, loc(1, 1)),
        Cell("05", 1, 2, loc(1, 2)),
        Cell("01", 1, 3, loc(1, 3)),
        Cell("行政单位离退休", 1, 4, loc(1, 4)),
    ]
    good = [
        Cell("208", 2, 1, loc(2, 1)),
        Cell("05", 2, 2, loc(2, 2)),
        Cell("", 2, 3, loc(2, 3)),
        Cell("x", 2, 4, loc(2, 4)),
    ]
    source = SourceDocument(
        file=FILE, format="txt", blocks=[Table(index=1, rows=[cells, good], loc=loc(1, 1))]
    )
    broken = DisclosureRow(name="行政单位离退休", loc=loc(1, 4), cells={"科目名称": loc(1, 4)})
    parsed = DisclosureRow(
        name="行政事业单位养老支出",
        code="20805",
        code_kind="function",
        codes={"function": "20805"},
        loc=loc(2, 4),
        cells={"科目编码/类": loc(2, 1), "科目编码/款": loc(2, 2), "科目名称": loc(2, 4)},
    )
    [finding] = found(classification.code_malformed, disclosure(table(broken, parsed)), source=source)
    assert "的“类”列印有“2080”（4位），该列编码应为3位" in finding.message
    assert (finding.expected, finding.actual) == ("3位", "2080")
    assert finding.locations == (loc(1, 1),)


def test_c306_well_formed_codes_pass() -> None:
    form = disclosure(
        table(
            coded(5, "2080505", "机关事业单位基本养老保险缴费支出"),
            coded(6, "30101", "基本工资", "economic_dept", path=DEPT_PATH),
        )
    )
    assert found(classification.code_malformed, form) == []


def test_c307_a_government_code_in_a_department_column() -> None:
    form = disclosure(table(coded(5, "50101", "工资奖金津补贴", "economic_dept", path=DEPT_PATH)))
    [finding] = found(classification.economic_system_swapped, form)
    assert (finding.code, finding.severity) == ("C307", Severity.ERROR)
    assert (
        "按部门预算支出经济分类列示，却印有政府预算支出经济分类编码 50101「工资奖金津补贴」"
        in finding.message
    )
    assert finding.actual == "50101"
    assert found(classification.code_malformed, form) == []  # one defect, one code


def test_c307_the_table_title_declares_the_system_when_the_header_does_not() -> None:
    titled = table(
        coded(5, "30101", "基本工资", "economic_dept", path="科目编码"),
        title="2021年部门支出总表（按政府经济科目）",
    )
    [finding] = found(classification.economic_system_swapped, disclosure(titled))
    assert "按政府预算支出经济分类列示" in finding.message
    right = disclosure(table(coded(5, "30101", "基本工资", "economic_dept", path=DEPT_PATH)))
    assert found(classification.economic_system_swapped, right) == []
    silent = disclosure(table(coded(5, "30101", "基本工资", "economic_dept", path="科目编码")))
    assert status(classification.economic_system_swapped, silent) == "not_applicable"


def test_c308_department_and_government_codes_that_do_not_correspond() -> None:
    def paired(gov: str) -> Disclosure:
        row = coded(4, "30216", "培训费", "economic_dept", path=DEPT_PATH, more={"economic_gov": gov})
        row.cells[GOV_PATH] = loc(4, 3)
        return disclosure(table(row))

    [finding] = found(classification.economic_pair_mismatch, paired("50201"))
    assert (finding.code, finding.severity) == ("C308", Severity.WARNING)
    assert (
        "30216「培训费」一行的政府预算支出经济分类印为 50201，按对照表应为50203「培训费」或50502「商品和服务支出」"
        in finding.message
    )
    assert (finding.expected, finding.actual) == ("50203/50502", "50201")
    assert finding.locations[0] == loc(4, 3)
    assert found(classification.economic_pair_mismatch, paired("50203")) == []
    assert found(classification.economic_pair_mismatch, paired("50502")) == []


# ---------------------------------------------------------------------------------------------
# real documents


@cache
def audited(path: Path) -> tuple[ParsedDocument, SourceDocument | None]:
    return load_file(path)


def classification_findings(
    path: Path, document: ParsedDocument | None = None
) -> tuple[list[Finding], dict[str, str]]:
    parsed, source = audited(path)
    document = document if document is not None else parsed
    findings: list[Finding] = []
    statuses: dict[str, str] = {}
    for item in vars(classification).values():
        if isinstance(item, Rule):
            outcome, found_here = run(item, document=document, source=source)
            statuses[item.code] = outcome.status
            findings.extend(found_here)
    return findings, statuses


def test_seed_003_older_class_names_and_a_class_printed_twice() -> None:
    findings, statuses = classification_findings(SEED_003)
    assert statuses["C301"] == "passed"
    got = sorted((f.code, f.locations[0].line, f.actual) for f in findings)
    assert got == [
        ("C303", 196, "十二、城乡社区事务"),
        ("C303", 197, "十三、农林水事务"),
        ("C303", 199, "十五、资源勘探信息等"),
        ("C303", 266, "（十二）城乡社区事务支出"),
        ("C303", 267, "（十三）农林水事务支出"),
        ("C303", 269, "（十五）资源勘探信息等支出"),
        ("C305", 263, "「（九）医疗卫生与计划生育支出」、「（十）卫生健康支出」"),
    ]
    # 30 部门/政府经济分类 pairs of the 基本支出表 and all 项 names were checked, not skipped
    assert statuses["C302"] == statuses["C308"] == "passed"


def test_shanghai_final_accounts_have_no_classification_defect() -> None:
    findings, statuses = classification_findings(PDF_CZJ_FINAL)
    assert findings == []
    assert statuses["C301"] == statuses["C302"] == statuses["C304"] == "passed"


def test_shanghai_final_accounts_altered_by_hand() -> None:
    parsed, _ = audited(PDF_CZJ_FINAL)
    document = parsed.model_copy(deep=True)
    [form] = [f for f in document.forms if isinstance(f, Disclosure)]
    [expenditure] = [t for t in form.tables if t.kind == "expenditure_summary"]
    expenditure.rows = [r for r in expenditure.rows if r.code != "20805"]
    [medical] = [r for r in expenditure.rows if r.code == "2101101"]
    medical.name = "事业单位医疗"
    findings, _ = classification_findings(PDF_CZJ_FINAL, document)
    assert sorted((f.code, f.expected) for f in findings) == [("C302", "行政单位医疗"), ("C304", "20805")]
    [missing] = [f for f in findings if f.code == "C304"]
    assert "《支出决算表》列有支出功能分类科目 2080501「行政单位离退休」等 4 行" in missing.message
    assert [loc.page for loc in missing.locations] == [10, 10, 10, 11]


@pytest.mark.parametrize("path", [XLSX_TEMPLATE, XLS_TEMPLATE])
def test_blank_templates_raise_nothing(path: Path) -> None:
    findings, _ = classification_findings(path)
    assert findings == []
