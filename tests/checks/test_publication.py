"""P: publication quality (garbled text, punctuation, cut sentences, blank pages, 单位/部门) and
plausibility (quantity × unit cost against the budget)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks import publication
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, rules_in
from jixiao.ingest.source import Paragraph, SourceDocument
from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.document import ParsedDocument
from jixiao.model.indicators import Indicator, parse_target
from jixiao.model.loc import Loc
from tests.checks.helpers import findings, run, run_text
from tests.conftest import (
    PDF_CZJ_FINAL,
    PDF_SWJ,
    SEED_000,
    SEED_002,
    SEED_003,
    SEED_004,
    XLSX_TEMPLATE,
    load_document,
)


def _source(*paragraphs: str, pages: int | None = None) -> tuple[ParsedDocument, SourceDocument]:
    blocks = [
        Paragraph(text, Loc(file="a.pdf", page=1 if pages else None, line=None if pages else i + 1))
        for i, text in enumerate(paragraphs)
    ]
    source = SourceDocument(file="a.pdf", format="pdf" if pages else "txt", blocks=list(blocks), pages=pages)
    return ParsedDocument(file="a.pdf"), source


def _run(rule: object, *paragraphs: str, pages: int | None = None, forms: tuple[object, ...] = ()) -> list:  # type: ignore[type-arg]
    document, source = _source(*paragraphs, pages=pages)
    document.forms = list(forms)  # type: ignore[arg-type]
    return findings(rule, document=document, source=source)  # type: ignore[arg-type]


def test_p101_garbled_characters() -> None:
    [finding] = _run(publication.garbled_characters, "预算执行率达到\ufffd%，完成情况良好。", "锟斤拷")[:1]
    assert finding.code == "P101" and finding.actual == "\ufffd"
    assert len(_run(publication.garbled_characters, "预算执行率达到\ufffd%。", "锟斤拷烫烫")) == 2
    assert _run(publication.garbled_characters, "预算执行率达到 98%？是的。", "一般公共预算……") == []


def test_p101_needs_the_source() -> None:
    outcome, _ = run(publication.garbled_characters, document=ParsedDocument(file="a.txt"))
    assert outcome.status == "not_applicable" and outcome.reason == publication.NO_SOURCE


def test_p102_doubled_punctuation() -> None:
    [finding] = _run(
        publication.doubled_punctuation, "主要用于信息化建设等方面的支出。。2025年执行数为6万元。"
    )
    assert finding.actual == "。。" and finding.expected == "。"
    [semicolon] = _run(publication.doubled_punctuation, "评价也较为客观；，进一步调动积极性。")
    assert semicolon.actual == "；，"
    assert _run(publication.doubled_punctuation, "详见附件……。", "一、二、三。") == []


def test_p103_unbalanced_brackets_but_not_across_a_line_break() -> None:
    [finding] = _run(publication.unbalanced_brackets, "4.开展“人民调解协议书检查”、优秀调解案例”活动。")
    assert finding.actual == "”"
    assert _run(publication.unbalanced_brackets, "内设市场秩序科（粮食和物资", "储备科）、产业发展科。") == []
    assert (
        _run(publication.unbalanced_brackets, "卫生健康支出（类）行政事业单位医疗（款)行政单位医疗（项）。")
        == []
    )


def test_p104_a_sentence_cut_before_a_heading() -> None:
    text = "2024年三公经费预算为0.95万元，其中：因公出国（境）费为0万元，\n## 二、机关运行经费\n机关运行经费为10万元。"
    _, found = run_text(publication.incomplete_sentence, text)
    assert [f.code for f in found] == ["P104"] and found[0].actual == "，"
    assert found[0].locations[0].line == 1
    complete = text.replace("0万元，\n", "0万元。\n")
    assert run_text(publication.incomplete_sentence, complete)[1] == []


def test_p105_blank_pages() -> None:
    document, source = _source("第一页的文字。", pages=2)
    [finding] = findings(publication.blank_pages, document=document, source=source)
    assert finding.locations[0].page == 2 and "第 2 页" in finding.message
    _, text_source = _source("文字。")
    outcome, _ = run(publication.blank_pages, document=document, source=text_source)
    assert outcome.status == "not_applicable"


def test_p106_a_unit_document_calling_itself_department() -> None:
    unit = Disclosure(title="上海市普陀区2025年区级单位预算")
    [finding] = _run(publication.unit_called_department, "本部门2025年收入预算为100万元。", forms=(unit,))
    assert finding.expected == "本单位" and finding.actual == "本部门"
    assert _run(publication.unit_called_department, "本单位2025年收入预算为100万元。", forms=(unit,)) == []
    department = Disclosure(title="上海市普陀区2025年区级部门预算")
    [reverse] = _run(publication.unit_called_department, "本单位收入预算为100万元。", forms=(department,))
    assert reverse.expected == "本部门"
    mixed = ("本部门收入预算为100万元。", "本单位支出预算为100万元。")
    assert _run(publication.unit_called_department, *mixed, forms=(department,)) == []


def _project(budget: str, *targets: tuple[str, str]) -> ProjectTargetDeclaration:
    indicators = [Indicator(level1="产出指标", name=name, target=parse_target(raw)) for name, raw in targets]
    return ProjectTargetDeclaration(
        project_name="公益性岗位补贴", budget=Decimal(budget), indicators=indicators
    )


def test_p201_people_times_monthly_standard_against_the_budget() -> None:
    form = _project(
        "40", ("享受公益性岗位补贴人数", "≅700"), ("补贴标准", "岗位补贴:2004元/人/月,1002元/人/月")
    )
    [finding] = findings(publication.budget_below_unit_cost, form)
    assert finding.expected == "≥ 841.68 万元" and finding.actual == "40 万元"
    assert "700人 × 补贴标准 1002 元/人/月 × 12 个月" in finding.message
    assert (
        findings(publication.budget_below_unit_cost, form.model_copy(update={"budget": Decimal("900")})) == []
    )
    yearly = _project("850", ("资助人数", "≥4250人"), ("资助标准", "2000元/人"))
    assert findings(publication.budget_below_unit_cost, yearly) == []  # 4250 × 2000 = 850 万元: covered
    short = yearly.model_copy(update={"budget": Decimal("500")})
    [yearly_finding] = findings(publication.budget_below_unit_cost, short)
    assert yearly_finding.expected == "≥ 850 万元" and "× 12" not in yearly_finding.message


def test_p201_does_not_guess_which_count_goes_with_the_standard() -> None:
    form = _project("1", ("培训人数", "≥700人"), ("就业人数", "≥300人"), ("补贴标准", "1000元/人/月"))
    outcome, found = run(publication.budget_below_unit_cost, form)
    assert found == [] and outcome.status == "not_applicable"


def test_on_the_seeds_and_corpus_only_true_defects_are_reported() -> None:
    registry = Registry(rules_in(publication))
    paths = (SEED_000, SEED_002, SEED_003, SEED_004, PDF_CZJ_FINAL, PDF_SWJ)
    loaded = [load_document(path) for path in paths]
    report = audit_documents([d for d, _ in loaded], [s for _, s in loaded], registry=registry)
    found = sorted(
        (d.file[:8], f.code, f.locations[0].label().split(":", 1)[1])
        for d in report.documents
        for f in d.findings
        if f.code.startswith("P")
    )
    assert found == [
        ("002_07fb", "P102", "L432"),
        ("004_8416", "P201", "L127:表3 行18 列7"),
        ("sh-putuo", "P105", "p.14"),
    ]


def test_p107_template_placeholders_left_in_a_published_document() -> None:
    [finding] = _run(publication.template_placeholder, "第二部分 上海市普陀区XX局2024年度部门决算表")
    assert finding.code == "P107" and finding.actual == "XX"
    assert [
        f.actual for f in _run(publication.template_placeholder, "三公经费预算数为XXX万元。", "20XX年预算")
    ] == [
        "XXX",
        "20XX年",
    ]
    assert _run(publication.template_placeholder, "使用 XML 和 PDF 格式公开。", "ABC 类项目 2 个。") == []


def test_p107_a_blank_template_is_where_placeholders_belong() -> None:
    document, source = load_document(XLSX_TEMPLATE)
    outcome, found = run(publication.template_placeholder, document=document, source=source)
    assert found == [] and outcome.status == "not_applicable"


def _table_with_total(title: str, unit: str, total: str, assumed: bool = False) -> DisclosureTable:
    row = DisclosureRow(name="合计", is_total=True, values={"合计": Decimal(total)})
    return DisclosureTable(
        kind="expenditure_summary", title=title, unit=unit, unit_assumed=assumed, rows=[row]
    )


def test_p202_the_same_total_under_two_units() -> None:
    tables = [
        _table_with_total("部门收支总表", "万元", "22118861.34"),
        _table_with_total("部门支出总表", "元", "22118861.34"),
    ]
    [finding] = findings(publication.unit_mislabelled, Disclosure(tables=tables))
    assert finding.actual == "万元 / 元" and "22118861.34" in finding.message
    converted = [tables[0], _table_with_total("部门支出总表", "元", "221188613400")]
    assert findings(publication.unit_mislabelled, Disclosure(tables=converted)) == []
    assumed = [tables[0], _table_with_total("部门支出总表", "元", "22118861.34", assumed=True)]
    outcome, found = run(publication.unit_mislabelled, Disclosure(tables=assumed))
    assert found == [] and outcome.status == "not_applicable"
