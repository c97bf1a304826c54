"""The generated 自评报告: outline, figures and sentences from the data only, on real forms.

Seed 002 (信阳市平桥区人社局 2022 部门整体 自评报告 + 附件1 自评表) scored by the Henan rule, a national
项目支出绩效自评表 workbook read through the ingest layer, and 002 without its budget block.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from jixiao.ingest.load import load_bytes
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.money import display
from jixiao.model.values import parse_actual
from jixiao.render.layout import Chart, Doc, Grid, Heading, Paragraph
from jixiao.render.report import self_evaluation_report
from jixiao.scoring.engine import score_evaluation
from jixiao.scoring.ruleset import RuleSet, load_ruleset, ruleset_names
from jixiao.scoring.sheet import ScoreRow, ScoreSheet
from tests.conftest import SEED_002, load_document
from tests.factories import xlsx_bytes

OUTLINE = [
    "一、基本情况",
    "二、绩效自评工作开展情况",
    "三、综合评价结论",
    "四、绩效目标实现情况分析",
    "五、发现的主要问题和改进措施",
    "六、有关建议",
    "七、其他需要说明的问题",
    "附件：绩效自评表",
]
NO_REASON = "自评表未填写偏差原因及改进措施"


# --------------------------------------------------------------------------------- inputs


def seed_002() -> SelfEvaluation:
    document, _ = load_document(SEED_002)
    (form,) = document.forms
    assert isinstance(form, SelfEvaluation)
    return form


def henan() -> RuleSet:
    assert "henan-dept" in ruleset_names()
    return load_ruleset("henan-dept")


#: A national 项目支出绩效自评表 (财预〔2020〕10号 layout): budget adjusted 100 → 120, 114 spent; one
#: missed target with its reason, one without.
PROJECT_ROWS: list[list[Any]] = [
    ["项目支出绩效自评表"],
    ["（2023年度）"],
    ["项目名称", "职业技能提升培训"],
    ["主管部门", "某市人力资源和社会保障局", None, None, None, "实施单位", "某市职业技能鉴定中心"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 120, 114, 10, "95%", 9.5],
    [None, "其中：当年财政拨款", 100, 120, 114, "—", "95%", "—"],
    [None, "上年结转资金", None, None, None, "—", None, "—"],
    [None, "其他资金", None, None, None, "—", None, "—"],
    ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
    [
        None,
        "全年开展职业技能培训20000人次，培训合格率不低于95%。",
        None,
        None,
        None,
        "全年培训21000人次，合格率93%。",
    ],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [None, "产出指标", "数量指标", "培训人次", "≥20000人次", "21000人次", 20, 20],
    [None, None, "质量指标", "培训合格率", "≥95%", "93%", 15, 14, "部分学员未参加考核，下年加强组织"],
    [None, None, "时效指标", "培训完成时间", "12月底之前", "12月底", 15, 15],
    [None, "效益指标", "社会效益指标", "培训后就业率", "≥80%", "75%", 30, 28],
    [None, "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", 10, 10],
    ["总分", None, None, None, None, None, 100, 96.5],
]
PROJECT_MERGES = [
    "A1:I1", "A2:I2", "B3:I3", "B4:E4", "G4:I4", "A5:A9", "A10:A11", "B10:E10", "F10:I10",
    "B11:E11", "F11:I11", "A12:A17", "B13:B15", "A18:F18",
]  # fmt: skip


def project_form() -> SelfEvaluation:
    data = xlsx_bytes({"项目1": PROJECT_ROWS}, merges={"项目1": PROJECT_MERGES})
    document, _ = load_bytes(data, "项目支出绩效自评表.xlsx")
    (form,) = document.forms
    assert isinstance(form, SelfEvaluation) and form.scope == "project"
    return form


def without_budget() -> SelfEvaluation:
    return seed_002().model_copy(update={"budget_execution": []})


def scored(form: SelfEvaluation) -> tuple[ScoreSheet, RuleSet]:
    ruleset = henan() if form.scope == "dept" else load_ruleset("national-project")
    return score_evaluation(form, ruleset), ruleset


def report(form: SelfEvaluation) -> tuple[Doc, ScoreSheet, RuleSet]:
    sheet, ruleset = scored(form)
    return self_evaluation_report(form, sheet), sheet, ruleset


CASES = {"002": seed_002, "project": project_form, "002-no-budget": without_budget}


# -------------------------------------------------------------------------------- helpers


def headings(doc: Doc, level: int = 1) -> list[str]:
    return [block.text for block in doc.blocks if isinstance(block, Heading) and block.level == level]


def section(doc: Doc, title: str) -> list[Any]:
    """The blocks under a level-1 heading, up to the next one."""
    blocks: list[Any] = []
    inside = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text == title
            continue
        if inside:
            blocks.append(block)
    return blocks


def texts(blocks: list[Any]) -> list[str]:
    return [block.text for block in blocks if isinstance(block, Paragraph)]


def missed(sheet: ScoreSheet) -> list[ScoreRow]:
    """Rows not fully met, decided here from the sheet: a lower qualitative tier, a quantitative
    score below the weight, or no actual at all."""
    rows = [row for row in sheet.rows if row.method != "budget"]
    return [
        row
        for row in rows
        if row.method == "missing"
        or (row.tier is not None and row.tier != "达成")
        or (
            row.tier is None
            and row.weight is not None
            and row.computed_score is not None
            and row.computed_score < row.weight
        )
    ]


def name(row: ScoreRow) -> str:
    return row.indicator.split("/")[-1]


# ------------------------------------------------------------------------- seed 002 report


def test_outline_title_and_header_of_002() -> None:
    doc, _, _ = report(seed_002())
    assert doc.title == "信阳市平桥区人力资源和社会保障局2022年度部门整体支出绩效自评报告"
    assert doc.subtitle == "自评单位：信阳市平桥区人力资源和社会保障局"
    assert doc.header is not None and "2022年度" in doc.header
    assert headings(doc) == OUTLINE
    assert headings(doc, 2)[:2] == ["（一）单位概况", "（二）预算及执行情况"]
    # one sub-heading per level of the sheet under 四, budget first
    analysis = [b.text for b in section(doc, "四、绩效目标实现情况分析") if isinstance(b, Heading)]
    assert analysis == [
        "（一）预算执行情况",
        "（二）投入管理指标完成情况",
        "（三）产出指标完成情况",
        "（四）效益指标完成情况",
    ]


def test_conclusion_gives_the_computed_total_and_grade_and_the_form_s_own() -> None:
    doc, sheet, _ = report(seed_002())
    assert (sheet.total_computed, sheet.grade_computed) == (Decimal("95.60"), "优")
    conclusion = texts(section(doc, "三、综合评价结论"))
    assert conclusion[0] == (
        "经评价，信阳市平桥区人力资源和社会保障局2022年度部门整体支出绩效自评得分为 95.6 分，等级为“优”。"
    )
    assert conclusion[1] == (
        "其中，预算执行率得分 10 分（分值 10 分），投入管理指标得分 28.6 分（分值 30 分），"
        "产出指标得分 25 分（分值 25 分），效益指标得分 32 分（分值 35 分）。"
    )
    # the form says 97: one sentence says so and names the rows that make the difference
    (differs,) = [text for text in conclusion if "97 分" in text]
    assert all(row in differs for row in ("绩效指标合理性", "结转结余率", "群众满意度"))


def test_level_table_adds_up_and_notes_the_printed_total() -> None:
    doc, sheet, _ = report(seed_002())
    (grid,) = [b for b in section(doc, "三、综合评价结论") if isinstance(b, Grid)]
    rows = list(grid.rows())
    assert [row[0].text for row in rows] == [
        "一级指标",
        "预算执行率",
        "投入管理指标",
        "产出指标",
        "效益指标",
        "合计",
    ]
    computed = [row[3].value for row in rows[1:-1]]
    assert computed == [level.computed for level in sheet.levels]
    assert rows[-1][3].value == sheet.total_computed == sum(computed, Decimal(0))
    assert rows[-1][2].value == sum((row[2].value or Decimal(0) for row in rows[1:-1]), Decimal(0)) == 96
    assert grid.notes == ("注：自评表填报的总分为 97 分，与各项指标自评得分合计 96 分不一致。",)


def test_budget_figures_are_the_form_s_fund_lines() -> None:
    form = seed_002()
    doc, _, _ = report(form)
    funds = section(doc, "一、基本情况")
    start = next(i for i, b in enumerate(funds) if isinstance(b, Heading) and "预算及执行情况" in b.text)
    paragraphs = texts(funds[start + 1 : start + 4])
    shown = [Decimal(m.replace(",", "")) for p in paragraphs for m in re.findall(r"([\d,]+\.\d{2}) 万元", p)]
    expected = [
        value
        for line in form.budget_execution
        for value in (line.initial, line.adjusted, line.executed)
        if value is not None
    ]
    assert shown == expected and len(shown) == 6
    main = form.budget_execution[0]
    assert main.initial is not None and main.executed is not None and main.adjusted is not None
    assert paragraphs[0] == (
        f"2022年度，部门预算总额年初预算 {display(main.initial)} 万元，全年预算 {display(main.adjusted)} 万元，"
        f"全年执行数 {display(main.executed)} 万元，预算执行率 100.00%。"
    )
    assert "其他资金表中未填列。" in paragraphs  # the blank line is said to be blank


def test_every_missed_indicator_is_named_with_its_reason_or_its_absence() -> None:
    form = seed_002()
    doc, sheet, _ = report(form)
    rows = missed(sheet)
    assert [name(row) for row in rows] == ["绩效指标合理性", "结转结余率"]
    analysis = texts(section(doc, "四、绩效目标实现情况分析"))
    reasons = {i.name: i.deviation_reason for i in form.indicators}
    for row in rows:
        (paragraph,) = [p for p in analysis if p.startswith(name(row))]
        assert f"指标值“{row.target}”" in paragraph and f"实际完成值“{row.actual}”" in paragraph
        assert row.computed_score is not None and row.weight is not None
        assert f"分值 {row.weight} 分" in paragraph
        assert f"得分 {row.computed_score.normalize():f} 分" in paragraph
        assert (reasons[name(row)] or NO_REASON) in paragraph
    problems = texts(section(doc, "五、发现的主要问题和改进措施"))
    assert problems[0].startswith("一是 2 项指标未完全达成目标：绩效指标合理性")
    assert any("未填写偏差原因及改进措施：绩效指标合理性、结转结余率" in p for p in problems)
    # met rows are listed as met, not among the shortfalls
    (met,) = [p for p in analysis if p.startswith("达成目标并得满分的指标") and "预算编制完整性" in p]
    assert "结转结余率" not in met and "绩效指标合理性" not in met


def test_other_matters_list_rows_whose_self_score_differs() -> None:
    doc, sheet, _ = report(seed_002())
    other = texts(section(doc, "七、其他需要说明的问题"))
    differing = [
        r for r in sheet.rows if r.reported_score is not None and r.reported_score != r.computed_score
    ]
    assert [name(r) for r in differing] == ["绩效指标合理性", "结转结余率", "群众满意度"]
    (line,) = other
    for row in differing:
        assert row.reported_score is not None and row.computed_score is not None
        assert (
            f"{name(row)}（自评 {row.reported_score} 分，按评分规则 {row.computed_score.normalize():f} 分）"
            in line
        )


def test_chart_is_the_sheet_s_levels() -> None:
    doc, sheet, _ = report(seed_002())
    (chart,) = [b for b in doc.blocks if isinstance(b, Chart)]
    assert chart in section(doc, "三、综合评价结论")
    assert chart.labels == tuple(level.name for level in sheet.levels)
    assert chart.values == tuple(level.computed for level in sheet.levels)
    assert (
        chart.maxima
        == tuple(level.weight_document for level in sheet.levels)
        == tuple(Decimal(w) for w in (10, 30, 25, 35))
    )


def test_annex_is_the_self_evaluation_grid() -> None:
    forms = pytest.importorskip("jixiao.render.forms")
    form = seed_002()
    doc, sheet, _ = report(form)
    annex = section(doc, "附件：绩效自评表")
    assert annex == [forms.self_evaluation_grid(form, sheet)]


# ---------------------------------------------------------------- figures from the data only

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_COUNT = re.compile(r"(\d+) (?:项|个)")


def _walk(value: Any, skip: frozenset[str]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _walk(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, skip)
    elif value is not None:
        yield str(value)


def _cent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def data_numbers(form: SelfEvaluation, sheet: ScoreSheet, ruleset: RuleSet) -> set[Decimal]:
    """Every number the model holds (not where it was read: no row or line numbers), the ruleset's
    parameters, and what the report may compute from them: rates, adjustments, unspent amounts."""
    # the report's narrative is not a source of figures, but the 单位职责 it quotes in 一（一）
    strings = list(_walk(form.model_dump(mode="json"), frozenset({"loc", "cells", "sections"})))
    strings += [
        s.text for s in form.sections if any(word in s.title for word in ("职责", "职能", "简介", "概况"))
    ]
    strings += _walk(sheet.model_dump(mode="json"), frozenset({"locations", "explanation", "findings"}))
    strings += _walk(ruleset.model_dump(mode="json"), frozenset({"source"}))
    numbers = {Decimal(m.replace(",", "")) for s in strings for m in _NUMBER.findall(s)}
    for line in form.budget_execution:
        if line.adjusted and line.executed is not None:
            numbers |= {line.executed / line.adjusted * 100, line.adjusted - line.executed}
        if line.initial and line.adjusted is not None:
            numbers |= {line.adjusted - line.initial, abs(line.adjusted - line.initial) / line.initial * 100}
    return {_cent(n) for n in numbers}


@pytest.mark.parametrize("case", list(CASES))
def test_numbers_in_the_text_are_the_model_s(case: str) -> None:
    form = CASES[case]()
    doc, sheet, ruleset = report(form)
    allowed = data_numbers(form, sheet, ruleset)
    rows = len(sheet.rows)
    for paragraph in texts(list(doc.blocks)):
        counts = {m.start(1) for m in _COUNT.finditer(paragraph)}
        for match in _NUMBER.finditer(paragraph):
            value = Decimal(match.group().replace(",", ""))
            if match.start() in counts:  # 32 个三级指标, 2 项指标: a count of the form's rows
                assert value == int(value) and 0 < value <= rows, (case, paragraph)
            else:
                assert _cent(value) in allowed, (case, match.group(), paragraph)


@pytest.mark.parametrize("case", list(CASES))
def test_no_empty_sentence_and_no_placeholder(case: str) -> None:
    doc, _, _ = report(CASES[case]())
    for paragraph in texts(list(doc.blocks)):
        assert paragraph.strip() and paragraph.strip() not in ("。", "；")
        for bad in ("None", "XXX", "xx", "{", "}", "nan", "，。", "：。", "。。"):
            assert bad not in paragraph, (case, paragraph)


# ---------------------------------------------------------------------- project, no budget


def test_project_self_evaluation_report() -> None:
    form = project_form()
    doc, sheet, _ = report(form)
    assert doc.title == "职业技能提升培训2023年度项目支出绩效自评报告"
    assert doc.subtitle == "实施单位：某市职业技能鉴定中心"
    assert headings(doc) == OUTLINE
    assert sheet.total_computed == Decimal("97.31")  # 9.5 + 20 + 14.68 + 15 + 28.13 + 10
    basics = texts(section(doc, "一、基本情况"))
    assert (
        "项目名称：职业技能提升培训；主管部门：某市人力资源和社会保障局；实施单位：某市职业技能鉴定中心。"
        in basics
    )
    assert (
        "2023年度，年度资金总额年初预算 100.00 万元，全年预算 120.00 万元，全年执行数 114.00 万元，"
        "预算执行率 95.00%。" in basics
    )
    assert "全年预算较年初预算调增 20.00 万元，调整幅度 20.00%；全年预算中未执行 6.00 万元。" in basics
    conclusion = texts(section(doc, "三、综合评价结论"))
    assert conclusion[0] == "经评价，职业技能提升培训2023年度项目支出绩效自评得分为 97.31 分，等级为“优”。"
    analysis = texts(section(doc, "四、绩效目标实现情况分析"))
    assert analysis[0] == (
        "预算执行率分值 10 分，年度资金总额全年预算 120.00 万元，全年执行数 114.00 万元，执行率 95.00%，得 9.5 分。"
    )
    assert [name(row) for row in missed(sheet)] == ["培训合格率", "培训后就业率"]
    (quality,) = [p for p in analysis if p.startswith("培训合格率")]
    assert quality.endswith("偏差原因及改进措施：部分学员未参加考核，下年加强组织。")
    (employment,) = [p for p in analysis if p.startswith("培训后就业率")]
    assert employment.endswith(NO_REASON + "。") and "得分 28.13 分（自评 28 分）" in employment
    problems = texts(section(doc, "五、发现的主要问题和改进措施"))
    assert any("全年预算 120.00 万元中有 6.00 万元未执行" in p for p in problems)
    assert any("调增 20.00 万元" in p for p in problems)


def test_report_without_a_budget_block() -> None:
    doc, sheet, _ = report(without_budget())
    assert headings(doc) == OUTLINE
    basics = section(doc, "一、基本情况")
    start = next(i for i, b in enumerate(basics) if isinstance(b, Heading) and "预算及执行情况" in b.text)
    assert texts(basics[start + 1 : start + 2]) == ["预算执行情况表中未填列。"]
    analysis = texts(section(doc, "四、绩效目标实现情况分析"))
    assert analysis[0] == "预算执行率分值 10 分，预算执行数据表中未填列，按评分规则记 0 分。"
    assert sheet.total_computed == Decimal("85.60")
    assert "自评得分为 85.6 分，等级为“良”" in texts(section(doc, "三、综合评价结论"))[0]


def test_an_almost_empty_form_still_reports() -> None:
    form = SelfEvaluation()
    sheet = score_evaluation(form, henan())
    doc = self_evaluation_report(form, sheet)
    assert doc.title == "部门整体支出绩效自评报告"
    assert headings(doc) == OUTLINE
    assert all(p.strip() and "None" not in p for p in texts(list(doc.blocks)))


def test_a_form_with_every_target_met_says_so_plainly() -> None:
    form = project_form()
    met = [
        indicator.model_copy(
            update={"actual_raw": indicator.target.raw.lstrip("≥"), "score": indicator.weight}
        )
        for indicator in form.indicators
    ]
    full = {"rate_raw": "100%", "rate": Decimal(100)}
    funds = [
        line.model_copy(update={"initial": line.adjusted, "executed": line.adjusted, **full})
        if line.adjusted is not None
        else line
        for line in form.budget_execution
    ]
    funds[0] = funds[0].model_copy(update={"score": funds[0].weight})
    # actuals as typed: parse them again as the reader would
    met = [i.model_copy(update={"actual": parse_actual(i.actual_raw or "", i.target)}) for i in met]
    clean = form.model_copy(update={"indicators": met, "budget_execution": funds, "total_reported": None})
    doc, sheet, _ = report(clean)
    assert missed(sheet) == [] and sheet.total_computed == 100
    problems = texts(section(doc, "五、发现的主要问题和改进措施"))
    assert problems == [
        "根据自评表数据，各项指标均达成目标，预算执行率 100.00%，未发现需要说明的问题。",
        "本次自评未发现需要整改的问题。",
    ]
    assert texts(section(doc, "七、其他需要说明的问题")) == ["无。"]


# ------------------------------------------------------------------------------- writers


def test_docx_contains_the_headings_in_order() -> None:
    writer = pytest.importorskip("jixiao.render.docx")
    pytest.importorskip("jixiao.render.forms")
    docx = pytest.importorskip("docx")
    doc, _, _ = report(seed_002())
    document = docx.Document(io.BytesIO(writer.write_docx(doc)))
    lines = [p.text.strip() for p in document.paragraphs]
    positions = [lines.index(title) for title in OUTLINE]
    assert positions == sorted(positions)
    assert any("95.6 分" in line for line in lines)


def test_pdf_contains_the_total() -> None:
    writer = pytest.importorskip("jixiao.render.pdf")
    pytest.importorskip("jixiao.render.forms")
    pdfplumber = pytest.importorskip("pdfplumber")
    from jixiao.render.errors import RenderError

    doc, _, _ = report(seed_002())
    try:
        data = writer.write_pdf(doc)
    except RenderError as error:  # no CJK font on this machine (G001)
        pytest.skip(error.message)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "95.6" in text and "三、综合评价结论" in text
