"""The 部门预算/决算公开 package built from real disclosures: 情况说明 computed from the tables, the
tables as grids, and the package read back by Jixiao's own readers and checks."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.checks.engine import audit_documents
from jixiao.ingest.load import load_bytes
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.findings import Severity
from jixiao.model.money import display
from jixiao.render.disclosure import change_sentence, disclosure_doc, largest_items, percent_of, percent_text
from jixiao.render.docx import write_docx
from jixiao.render.layout import Doc, Grid, Heading, Paragraph
from jixiao.render.xlsx import write_xlsx
from tests.conftest import PDF_CZJ_FINAL, PDF_JCY, PDF_SWJ, PDF_WANLI, SEED_003, load_document

DOCUMENTS = [SEED_003, PDF_SWJ, PDF_WANLI, PDF_CZJ_FINAL, PDF_JCY]
AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})*\.\d{2}) (万元|元)")
SHARE = re.compile(r"(\d{1,3}(?:,\d{3})*\.\d{2}) (?:万元|元)，占 (\d+\.\d{2})%")


def disclosure(path: Path) -> Disclosure:
    document, _ = load_document(path)
    return next(form for form in document.forms if isinstance(form, Disclosure))


def explanation(doc: Doc) -> dict[str, list[str]]:
    """第二部分's paragraphs by their heading."""
    sections: dict[str, list[str]] = {}
    inside = False
    current = ""
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text.startswith("第二部分")
        elif inside and isinstance(block, Heading):
            current = block.text
            sections[current] = []
        elif inside and isinstance(block, Paragraph):
            sections.setdefault(current, []).append(block.text)
    return sections


def table_values(form: Disclosure) -> set[str]:
    """Every amount printed in the form's tables, shown as the 情况说明 shows amounts."""
    return {display(v, 2) for t in form.tables for r in t.rows for v in r.values.values() if v is not None}


def decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# ---------------------------------------------------------------------------------------------
# helpers


def test_change_sentence_says_increase_decrease_or_flat() -> None:
    assert change_sentence(Decimal("112.34"), Decimal("100"), "万元") == "比上年增加 12.34 万元，增长 12.34%"
    assert (
        change_sentence(Decimal("8562.6"), Decimal("8743.4"), "万元") == "比上年减少 180.80 万元，下降 2.07%"
    )
    assert change_sentence(Decimal("5"), Decimal("5.00"), "元") == "与上年持平"
    assert change_sentence(Decimal("3"), Decimal("0"), "万元") == "比上年增加 3.00 万元"  # no rate from zero


def test_percentages_are_exact_until_shown() -> None:
    share = percent_of(Decimal("1"), Decimal("3"))
    assert share is not None and percent_text(share) == "33.33%"
    assert percent_text(Decimal("0.005")) == "0.01%"  # 四舍五入, not banker's rounding
    assert percent_of(Decimal("1"), Decimal("0")) is None


def test_largest_items_are_the_largest_xiang_rows_of_seed_003() -> None:
    table = next(t for t in disclosure(SEED_003).tables if t.kind == "general_budget_expenditure")
    items = largest_items(table, "项", 3)
    assert [(row.code, amount) for row, amount in items] == [
        ("2080101", Decimal("4550.7")),
        ("2082602", Decimal("1860.0")),
        ("2080999", Decimal("612.5")),
    ]


# ---------------------------------------------------------------------------------------------
# the package's structure


def test_seed_003_package_has_title_toc_parts_and_kept_texts() -> None:
    form = disclosure(SEED_003)
    doc = disclosure_doc(form)
    assert doc.title == "郑州高新技术产业开发区管委会人力资源局2023年部门预算公开"
    parts = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert parts == [
        "目录",
        "第一部分 部门概况",
        "第二部分 2023年部门预算情况说明",
        "第三部分 名词解释",
        "第四部分 2023年部门预算表",
    ]
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    # the 目录 lists every table and annexed form by the title its grid carries
    for grid in doc.grids():
        assert grid.title in paragraphs
    # 职责 and 名词解释 as the document had them, line for line
    duties = next(s for s in form.sections if "主要职责" in s.title)
    glossary = next(s for s in form.sections if "名词解释" in s.title)
    for line in (duties.text + "\n" + glossary.text).splitlines():
        if line.strip():
            assert line.strip() in paragraphs
    # the printed narrative is not copied: its rounded 53.1% becomes the computed 53.15%
    assert "占 53.15%" in "".join(paragraphs)
    assert "占 53.1%" not in "".join(paragraphs)


def test_final_accounts_say_jue_suan() -> None:
    doc = disclosure_doc(disclosure(PDF_CZJ_FINAL))
    assert doc.title == "上海市普陀区财政局2024年部门决算公开"
    assert all("预算情况" not in title for title in explanation(doc))
    assert "“三公”经费支出决算情况" in "".join(explanation(doc))


# ---------------------------------------------------------------------------------------------
# the 情况说明: every figure from the tables


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_every_amount_in_the_explanation_is_a_table_value(path: Path) -> None:
    form = disclosure(path)
    printed = table_values(form) | {"0.00"}  # a blank cell of a printed 三公 row is nothing spent
    projects = {r.name: r.total for s in form.project_summaries for r in s.rows if not r.is_unit}
    budgets = [p.budget for p in form.project_targets if p.budget is not None]
    sums = {
        display(sum((v for v in projects.values() if v is not None), Decimal(0)), 2),
        display(sum(budgets, Decimal(0)), 2),
    }
    checked = 0
    for title, paragraphs in explanation(disclosure_doc(form)).items():
        for text in paragraphs:
            # year-on-year differences are checked by recomputation, not looked up
            text = re.sub(r"(增加|减少) [\d,.]+ (万元|元)", "", text)
            for amount, _unit in AMOUNT.findall(text):
                allowed = printed | sums if "绩效目标" in title else printed
                assert amount in allowed, f"{title}: {amount} is not in the tables"
                checked += 1
    assert checked >= 10
    assert not any("None" in p for ps in explanation(disclosure_doc(form)).values() for p in ps)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_shares_recompute_against_the_section_total(path: Path) -> None:
    shares = 0
    for title, paragraphs in explanation(disclosure_doc(disclosure(path))).items():
        first = AMOUNT.search(paragraphs[0])
        if first is None:
            continue
        total = decimal(first.group(1))
        for text in paragraphs:
            for amount, percent in SHARE.findall(text):
                expected = percent_of(decimal(amount), total)
                assert expected is not None
                assert percent_text(expected) == f"{percent}%", f"{title}: {amount} of {total}"
                shares += 1
    assert shares >= 5


def test_seed_003_explanation_figures() -> None:
    sections = explanation(disclosure_doc(disclosure(SEED_003)))
    text = "\n".join(p for ps in sections.values() for p in ps)
    assert "收入预算总计 8,562.60 万元" in text
    assert "基本支出 4,550.70 万元，占 53.15%；项目支出 4,011.90 万元，占 46.85%" in text
    assert "人员经费 4,461.40 万元，占 98.04%；公用经费 89.30 万元，占 1.96%" in text
    assert "行政运行（2080101） 4,550.70 万元" in text
    assert "项目支出预算共 18 个项目，合计 4,011.90 万元" in text
    # seed 003's 三公 table prints no amount: no 三公 sentence rather than one with missing numbers
    assert not any("三公" in title for title in sections)


def test_three_public_items_on_a_real_table() -> None:
    text = "".join(p for ps in explanation(disclosure_doc(disclosure(PDF_JCY))).values() for p in ps)
    # 418.26 is the “三公” 小计, not the table's 合计 1,276.70 that adds 会议费 and 培训费
    assert "“三公”经费预算 418.26 万元" in text
    assert "因公出国（境）费 80.00 万元" in text
    assert "公务接待费 101.26 万元" in text
    assert "公务用车购置及运行费 237.00 万元（公务用车购置费 0.00 万元，公务用车运行费 237.00 万元）" in text


def with_previous_year(table: DisclosureTable) -> DisclosureTable:
    """jcy's real 三公 row with a 上年预算数 block, last year's figures as its 情况说明 states them
    (公务用车 237 + 30.8, 公务接待 101.26 + 15.24, 因公出国 unchanged)."""
    previous = {
        "上年预算数/“三公”经费/小计": Decimal("464.30"),
        "上年预算数/“三公”经费/因公出国（境）费": Decimal("80"),
        "上年预算数/“三公”经费/公务用车购置及运行维护费/小计": Decimal("267.80"),
        "上年预算数/“三公”经费/公务接待费": Decimal("116.50"),
    }
    row = table.rows[0]
    current = {f"本年预算数/{k}": v for k, v in row.values.items()}
    columns = [f"本年预算数/{c}" for c in table.columns] + list(previous)
    return table.model_copy(
        update={"columns": columns, "rows": [row.model_copy(update={"values": current | previous})]}
    )


def test_three_public_change_against_a_previous_year_column() -> None:
    form = disclosure(PDF_JCY)
    tables = [with_previous_year(t) if t.kind == "three_public" else t for t in form.tables]
    text = "".join(
        explanation(disclosure_doc(form.model_copy(update={"tables": tables})))["七、“三公”经费支出预算情况"]
    )
    assert "“三公”经费预算 418.26 万元，比上年减少 46.04 万元，下降 9.92%" in text
    assert "因公出国（境）费 80.00 万元，与上年持平" in text
    assert "公务接待费 101.26 万元，比上年减少 15.24 万元，下降 13.08%" in text
    assert "公务用车购置及运行费 237.00 万元，比上年减少 30.80 万元，下降 11.50%" in text


def test_final_three_public_compares_with_its_budget_column() -> None:
    text = "".join(explanation(disclosure_doc(disclosure(PDF_CZJ_FINAL)))["七、“三公”经费支出决算情况"])
    assert "“三公”经费决算 0.00 万元，年初预算 0.95 万元，完成预算的 0.00%" in text
    assert "公务接待费 0.00 万元，年初预算 0.95 万元" in text


def test_empty_fund_tables_say_so_without_numbers() -> None:
    form = disclosure(PDF_SWJ)
    text = "".join(explanation(disclosure_doc(form))["八、政府性基金和国有资本经营预算支出情况"])
    assert "上海市普陀区商务委员会2025年无政府性基金预算财政拨款安排的支出" in text
    assert not AMOUNT.search(text)


def test_a_disclosure_without_tables_still_builds() -> None:
    bare = Disclosure(department="某某局", year=2024)
    doc = disclosure_doc(bare)
    assert doc.title == "某某局2024年部门预算公开"
    assert doc.grids() == []
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(AMOUNT.search(p) or "None" in p or " 万元" in p for p in paragraphs)
    # a table whose rows print no amount gives a grid but no sentence
    blank = DisclosureTable(
        kind="expenditure_summary",
        title="支出总表",
        unit="万元",
        columns=["合计", "基本支出", "项目支出"],
        rows=[
            DisclosureRow(
                name="合计", is_total=True, values={"合计": None, "基本支出": None, "项目支出": None}
            )
        ],
    )
    doc = disclosure_doc(bare.model_copy(update={"tables": [blank]}))
    assert len(doc.grids()) == 1
    assert explanation(doc) == {"": ["本公开未列示可据以说明的表格数据。"]}


# ---------------------------------------------------------------------------------------------
# the tables as grids


def money(grid: Grid) -> Counter[Decimal]:
    return Counter(
        c.value for c in grid.cells if c.role == "money" and c.value is not None and c.row >= grid.header_rows
    )


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_every_table_becomes_a_grid_with_its_rows_and_exact_amounts(path: Path) -> None:
    form = disclosure(path)
    grids = {g.title: g for g in disclosure_doc(form).grids()}
    numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    for number, table in zip(numbers, form.tables, strict=False):
        grid = grids[f"表{number} {table.title}"]
        values = Counter(v for r in table.rows for v in r.values.values() if v is not None)
        assert money(grid) == values, table.title
        texts = {c.text for c in grid.cells}
        for row in (r for r in table.rows if r.name):
            assert row.name in texts or f"{row.code} {row.name}" in texts or row.code in texts, row.name
        totals = [c for c in grid.cells if c.role == "money" and c.value is not None and c.bold]
        assert len(totals) == sum(
            1 for r in table.rows if r.is_total for v in r.values.values() if v is not None
        )
        assert f"单位：{table.unit}" in grid.above
        body = {c.row for c in grid.cells if c.row >= grid.header_rows}
        if not any(r.side for r in table.rows):  # one row per line (收支总表 pair 收入 and 支出)
            assert len(body) == len(table.rows)


def test_seed_003_expenditure_table_has_merged_two_level_header_and_split_codes() -> None:
    grid = next(g for g in disclosure_doc(disclosure(SEED_003)).grids() if "支出总体情况表" in g.title)
    assert grid.header_rows == 3 and grid.landscape
    head = {c.text: c for c in grid.cells if c.role == "head"}
    assert (head["基本支出"].colspan, head["人员经费"].colspan, head["项目支出"].colspan) == (5, 2, 3)
    assert head["合计"].rowspan == 3 and head["工资福利支出"].rowspan == 1
    row = next(c.row for c in grid.cells if c.text == "行政运行")
    assert [c.text for c in grid.cells if c.row == row and c.col < 3] == ["208", "01", "01"]


def test_two_sided_table_pairs_income_and_expenditure_on_one_line() -> None:
    grid = next(g for g in disclosure_doc(disclosure(SEED_003)).grids() if "收支总体情况表" in g.title)
    line = {c.row for c in grid.cells if c.text in ("收入总计", "支出总计")}
    assert len(line) == 1
    first = min(c.row for c in grid.cells if c.row >= grid.header_rows)
    assert {c.text for c in grid.cells if c.row == first} == {
        "一、一般公共预算",
        "8,562.6",
        "一、一般公共服务",
        "",
    }


def test_empty_statement_is_kept_as_a_note() -> None:
    form = disclosure(PDF_SWJ)
    table = next(t for t in form.tables if t.kind == "gov_fund")
    grid = next(g for g in disclosure_doc(form).grids() if g.title.endswith(table.title))
    assert table.empty_statement is not None and table.empty_statement in grid.notes


def test_annexed_target_forms_follow_the_tables() -> None:
    titles = [g.title for g in disclosure_doc(disclosure(SEED_003)).grids()]
    assert titles[-2:] == ["表八 部门(单位)整体绩效目标表", "表九 2023年部门预算项目绩效目标汇总表"]
    summary = disclosure_doc(disclosure(SEED_003)).grids()[-1]
    assert any(c.text == "开展宣传活动数" for c in summary.cells)


# ---------------------------------------------------------------------------------------------
# read back by Jixiao: the same tables, no arithmetic finding beyond display rounding


@pytest.mark.parametrize("writer", [write_xlsx, write_docx], ids=["xlsx", "docx"])
@pytest.mark.parametrize("path", [SEED_003, PDF_SWJ, PDF_CZJ_FINAL, PDF_JCY], ids=lambda p: p.stem)
def test_generated_package_reads_back_with_the_same_tables(path: Path, writer: object) -> None:
    form = disclosure(path)
    assert callable(writer)
    data = writer(disclosure_doc(form))
    name = "package.xlsx" if writer is write_xlsx else "package.docx"
    document, source = load_bytes(data, name)
    assert document.kind == ("final_disclosure" if form.stage == "final" else "budget_disclosure")
    again = next(f for f in document.forms if isinstance(f, Disclosure))
    assert (again.department, again.year, again.stage) == (form.department, form.year, form.stage)
    assert [t.kind for t in again.tables] == [t.kind for t in form.tables]
    for before, after in zip(form.tables, again.tables, strict=True):
        assert after.unit == before.unit
        assert [{k: v for k, v in r.values.items() if v is not None} for r in after.rows] == [
            {k: v for k, v in r.values.items() if v is not None} for r in before.rows
        ], before.title
        assert after.empty_statement == before.empty_statement
    assert len(again.dept_targets) == len(form.dept_targets)
    assert len(again.project_summaries) == len(form.project_summaries)
    report = audit_documents([document], [source])
    arithmetic = [
        f
        for d in report.documents
        for f in d.findings
        if f.code.startswith("A") and f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    assert arithmetic == []
