"""Self-evaluation consistency rules (C6xx): 自评表, report tables and report text against each other.

Inline cases change one statement of the consistent report ``INLINE_002`` (seed 002's layout, see
``test_scoring``); project-scope cases are built from model objects and a report paragraph.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao.checks import evaluation, scoring
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, Rule, rules_in
from jixiao.ingest.forms.narrative import extract_sections
from jixiao.ingest.load import load_bytes, load_file
from jixiao.ingest.source import Paragraph, SourceDocument
from jixiao.model.declaration import Goal
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.values import parse_actual, parse_target
from tests.checks.helpers import findings, run, run_text
from tests.checks.test_scoring import INLINE_002, SEED_002_CORRECTIONS, variant
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004

RULES = Registry(rules_in(evaluation))
ALL = Registry([*(r for r in rules_in(scoring) if r.code <= "S111"), *rules_in(evaluation)])


def fired(rule: Rule, text: str) -> list[Finding]:
    outcome, found = run_text(rule, text)
    assert outcome.status == "failed", outcome
    assert {f.code for f in found} == {rule.code}
    assert all(f.severity is rule.severity for f in found)
    return found


def silent(rule: Rule, text: str) -> None:
    outcome, found = run_text(rule, text)
    assert (outcome.status, found) == ("passed", [])


def test_the_consistent_inline_report_passes_every_evaluation_rule() -> None:
    document, source = load_bytes(INLINE_002.encode("utf-8"), "inline.txt")
    report = audit_documents([document], [source], registry=RULES)
    assert {o.code: o.status for o in report.documents[0].rules} == dict.fromkeys(RULES.codes(), "passed")
    assert [f for f in report.documents[0].findings if f.code in RULES] == []


# --- C601–C603: the 自评表 against the report's own table ------------------------------------------


def test_c601_target_differs_between_the_form_and_the_report_table() -> None:
    text = variant(("预算执行率\t100%\t100%\t10\t10", "预算执行率\t≥95%\t100%\t10\t10"))
    (found,) = fired(evaluation.report_targets, text)
    assert "指标“预算执行率”的指标值在《附件1：2023年度部门整体绩效自评表》中为“100%”（L50:" in found.message
    assert "在《表3-2各项指标得分情况表》中为“≥95%”（L17:" in found.message
    assert (found.expected, found.actual) == ("100%", "≥95%")
    assert [loc.line for loc in found.locations] == [17, 50]


@pytest.mark.parametrize("written", ["不低于90%", "90%", "≥90.0%"])
def test_c601_the_same_target_written_otherwise_is_the_same(written: str) -> None:
    silent(evaluation.report_targets, variant(("群众满意度\t≥90%\t96%", f"群众满意度\t{written}\t96%")))


def test_c601_opposite_comparators_differ() -> None:
    (found,) = fired(evaluation.report_targets, variant(("结转结余率\t≤20%\t0%", "结转结余率\t≥20%\t0%")))
    assert (found.expected, found.actual) == ("≤20%", "≥20%")


def test_c602_actual_differs_beyond_display_rounding() -> None:
    (found,) = fired(evaluation.report_actuals, variant(("群众满意度\t≥90%\t96%", "群众满意度\t≥90%\t95%")))
    assert "指标“群众满意度”的实际完成值" in found.message
    assert (found.expected, found.actual) == ("96%", "95%")
    rounded = variant(("群众满意度\t≥90%\t\t96%", "群众满意度\t≥90%\t\t95.6%"))
    silent(evaluation.report_actuals, rounded)


def test_c602_qualitative_actuals_compare_as_words() -> None:
    text = variant(("长效管理制度\t健全\t\t健全", "长效管理制度\t健全\t\t基本健全"))
    (found,) = fired(evaluation.report_actuals, text)
    assert (found.expected, found.actual) == ("基本健全", "健全")


def test_c603_score_differs_and_a_misspelt_name_is_still_paired() -> None:
    text = variant(
        ("长效管理制度\t健全\t健全\t15\t12", "长效管理制度\t健全\t健全\t15\t13"),
        ("“三公经”控制率\t≤100%\t100%\t10\t10", "“三公经”控制率\t≤100%\t100%\t10\t9"),
    )
    found = fired(evaluation.report_points, text)
    assert [(f.expected, f.actual) for f in found] == [("10", "9"), ("12", "13")]  # in the 自评表's order
    assert "指标““三公经费”控制率”的得分" in found[0].message
    assert "指标“长效管理制度”的得分在《附件1" in found[1].message


def test_c603_differently_numbered_names_are_never_paired() -> None:
    text = variant(
        ("重点工作 2 计划完成率\t100%\t100%\t10\t10", "重点工作 3 计划完成率\t100%\t100%\t10\t8"),
    )
    silent(evaluation.report_points, text)


def test_c601_to_c603_need_the_report_table() -> None:
    start = INLINE_002.index("表 3-2")
    text = INLINE_002[:start] + INLINE_002[INLINE_002.index("四、绩效目标") :]
    for each in (evaluation.report_targets, evaluation.report_actuals, evaluation.report_points):
        outcome, found = run_text(each, text)
        assert (outcome.status, found) == ("not_applicable", [])


# --- C604–C606: the report's text against the tables ------------------------------------------------


def test_c604_an_indicator_score_in_the_text() -> None:
    text = variant(("③群众满意度，指标 20 分，得 18 分", "③群众满意度，指标 20 分，得 19 分"))
    (found,) = fired(evaluation.narrative_points, text)
    assert found.message.startswith("报告正文“③群众满意度，指标 20 分，得 19 分”，而《附件1")
    assert "指标“群众满意度”分值 20、得分 18" in found.message and "亦同" in found.message
    assert (found.expected, found.actual) == ("20/18", "20/19")
    assert found.locations[0].line == 37


def test_c604_level_and_budget_scores_in_the_text() -> None:
    text = variant(
        ("效益指标得分 30 分", "效益指标得分 31 分"), ("预算执行率一项得分 10 分", "预算执行率一项得分 9 分")
    )
    found = fired(evaluation.narrative_points, text)
    assert [(f.expected, f.actual) for f in found] == [("10", "9"), ("30", "31")]
    assert (
        "报告正文“预算执行率一项得分 9 分”，而《表3-1部门整体得分情况》“预算执行情况”得分 10"
        in found[0].message
    )


def test_c604_a_sentence_about_another_indicator_is_not_matched_by_a_shorter_name() -> None:
    text = variant(("③群众满意度，指标 20 分，得 18 分", "③群众满意度调查覆盖率，指标 5 分，得 5 分"))
    silent(evaluation.narrative_points, text)


def test_c604_a_text_figure_matching_any_table_is_not_reported() -> None:
    # the summary table says 31, the rows 30: the text agrees with the summary (S105 reports the rows)
    text = variant(
        ("85.7%\t95%", "88.6%\t96%"),
        ("得分\t10\t30\t25\t30\t95", "得分\t10\t30\t25\t31\t96"),
        ("效益指标得分 30 分", "效益指标得分 31 分"),
    )
    silent(evaluation.narrative_points, text)


def test_c605_a_percentage_in_the_text() -> None:
    text = variant(("据统计群众总体满意度为 96%", "据统计群众总体满意度为 95%"))
    (found,) = fired(evaluation.narrative_percentages, text)
    assert found.message == (
        "报告正文“据统计群众总体满意度为 95%”，而《附件1：2023年度部门整体绩效自评表》指标“群众满意度”"
        "实际完成值为 96%；《表3-2各项指标得分情况表》指标“群众满意度”实际完成值为 96%"
    )
    assert (found.expected, found.actual) == ("96%", "95%")


def test_c605_budget_execution_rate_in_the_text() -> None:
    (found,) = fired(evaluation.narrative_percentages, variant(("预算执行率为 100%", "预算执行率为 98%")))
    assert "预算执行“部门预算总额”执行率为 100%" in found.message


def test_c605_last_years_figures_and_rounding_are_not_reported() -> None:
    text = variant(("据统计群众总体满意度为 96%", "上年群众满意度为 92%，今年群众满意度 95.9%"))
    silent(evaluation.narrative_percentages, text)


def test_c606_budget_amounts_in_the_text() -> None:
    (found,) = fired(
        evaluation.narrative_funds, variant(("年初预算资金 500.5 万元", "年初预算资金 480 万元"))
    )
    assert found.message == (
        "报告正文“我单位 2023 年年初预算资金 480 万元”等所述年初预算为 480 万元，"
        "而《附件1：2023年度部门整体绩效自评表》“部门预算总额”年初数为 500.5 万元"
    )
    assert (found.expected, found.actual) == ("500.5 万元", "480 万元")
    assert found.locations[0].line == 43 and found.locations[-1].line == 29


def test_c606_amounts_in_yuan_are_converted() -> None:
    silent(evaluation.narrative_funds, variant(("年初预算资金 500.5 万元", "年初预算资金 5005000 元")))


@pytest.mark.parametrize(
    "sentence",
    [
        "培训项目年初预算资金 50 万元",
        "其中财政拨款年初预算 480 万元",
        "财政拨款年初预算 480 万元",
        "上年年初预算 480 万元",
    ],
)
def test_c606_amounts_of_a_part_or_another_year_are_not_the_total(sentence: str) -> None:
    silent(evaluation.narrative_funds, variant(("我单位 2023 年年初预算资金 500.5 万元", sentence)))


# --- C607 / C608: goals and tasks -----------------------------------------------------------------


def test_c607_completion_citing_an_earlier_year() -> None:
    text = variant(("2023 年组织招聘活动", "2021 年组织招聘活动"), ("截至 2023 年底", "截至 2022 年底"))
    (found,) = fired(evaluation.completion_of_other_year, text)
    assert "目标1的完成情况写到2021 年、2022 年（“2021 年组织招聘活动 224 场”）" in found.message
    assert "与自评年度 2023 年不符" in found.message
    assert (found.expected, found.actual) == ("2023 年", "2021 年、2022 年")


def test_c607_comparisons_with_earlier_years_are_not_reported() -> None:
    text = variant(("2023 年组织招聘活动 224 场", "较 2021 年增加招聘活动 24 场，自 2020 年以来累计 900 场"))
    silent(evaluation.completion_of_other_year, text)


def test_c608_completion_figure_against_the_indicators_actual() -> None:
    text = variant(("培训合格率 93%。", "培训合格率 96%。"))
    (found,) = fired(evaluation.completion_against_indicators, text)
    assert "目标1的完成情况写“培训合格率 96%”，而《附件1" in found.message
    assert "指标“培训合格率”实际完成值为 93%" in found.message
    assert (found.expected, found.actual) == ("93%", "培训合格率 96%")
    assert found.locations[0].line == 46 and found.locations[1].line == 57


# --- a project self-evaluation with its report -----------------------------------------------------


def _at(line: int, col: int | None = None) -> Loc:
    return Loc(file="project.docx", table=2 if col else None, row=line, col=col, line=None if col else line)


def _project(report: str, goal_actual: str = "全年培训21000人次，合格率93%。") -> SelfEvaluation:
    rows = [
        ("产出指标", "培训人次", "≥20000人次", "21000人次", 20, 20),
        ("产出指标", "培训合格率", "≥95%", "93%", 15, 14),
        ("效益指标", "培训后就业率", "≥80%", "85%", 30, 30),
        ("满意度指标", "学员满意度", "≥90%", "96%", 25, 24),
    ]
    indicators = []
    for row, (level1, name, target, actual, weight, score) in enumerate(rows, start=10):
        parsed = parse_target(target, name)
        indicators.append(
            Indicator(
                level1=level1,
                name=name,
                target=parsed,
                actual_raw=actual,
                actual=parse_actual(actual, parsed),
                weight=Decimal(weight),
                score=Decimal(score),
                loc=_at(row),
                cells={"score": _at(row, 7), "actual": _at(row, 5)},
            )
        )
    paragraphs = [Paragraph(text, _at(number)) for number, text in enumerate(report.split("\n"), start=1)]
    return SelfEvaluation(
        scope="project",
        project_name="职业技能提升培训",
        year=2023,
        budget_execution=[
            FundLine(
                label="年度资金总额",
                initial=Decimal(100),
                adjusted=Decimal(120),
                executed=Decimal(114),
                weight=Decimal(10),
                rate_raw="95%",
                rate=Decimal(95),
                score=Decimal("9.5"),
                loc=_at(5),
                cells={"initial": _at(5, 3), "adjusted": _at(5, 4), "executed": _at(5, 5), "rate": _at(5, 7)},
            )
        ],
        goals=[
            Goal(label="1", content="全年培训20000人次，合格率不低于95%。", actual=goal_actual, loc=_at(8))
        ],
        indicators=indicators,
        sections=extract_sections(paragraphs),
        total_reported=Decimal("97.5"),
    )


_PROJECT_REPORT = "\n".join(
    [
        "一、项目资金情况",
        "项目年初预算 100 万元，全年预算 120 万元，全年执行 114 万元，预算执行率 95%。",
        "二、绩效指标完成情况",
        "（1）培训合格率，分值 15 分，得分 14 分。培训合格率为 93%。",
        "（2）学员满意度，分值 25 分，得分 24 分。",
    ]
)


def test_a_consistent_project_report_passes() -> None:
    document = ParsedDocument(file="project.docx", format="docx", forms=[_project(_PROJECT_REPORT)])
    report = audit_documents([document], registry=ALL)
    assert report.documents[0].findings == []
    statuses = {o.code: o.status for o in report.documents[0].rules}
    assert {code for code in RULES.codes() if statuses[code] == "passed"} == {
        "C604", "C605", "C606", "C607", "C608",
    }  # fmt: skip


def test_project_report_figures_against_the_form() -> None:
    text = (
        _PROJECT_REPORT.replace("全年执行 114 万元", "全年执行 110 万元")
        .replace("得分 24 分", "得分 25 分")
        .replace("培训合格率为 93%", "培训合格率为 95%")
    )
    form = _project(text, goal_actual="截至2021年底累计培训；本年培训21000人次，合格率96%。")
    (funds,) = findings(evaluation.narrative_funds, form)
    assert (
        "全年执行数为 110 万元，而《项目“职业技能提升培训”支出绩效自评表》“年度资金总额”全年执行数为 114 万元"
        in funds.message
    )
    assert funds.locations[0].col == 5 and funds.locations[1].line == 2
    (points,) = findings(evaluation.narrative_points, form)
    assert (points.expected, points.actual) == ("25/24", "25/25")
    (percent,) = findings(evaluation.narrative_percentages, form)
    assert (percent.expected, percent.actual) == ("93%", "95%")
    (completion,) = findings(evaluation.completion_against_indicators, form)
    assert (completion.expected, completion.actual) == ("93%", "合格率96%")
    assert findings(evaluation.completion_of_other_year, form) == []  # 累计: not a claim about 2021


def test_project_completion_of_another_year() -> None:
    form = _project(_PROJECT_REPORT, goal_actual="截至2021年底培训21000人次。")
    (found,) = findings(evaluation.completion_of_other_year, form)
    assert (found.expected, found.actual) == ("2023 年", "2021 年")
    outcome, none = run(evaluation.completion_of_other_year, form.model_copy(update={"year": None}))
    assert (outcome.status, none) == ("not_applicable", [])


def test_rules_never_raise_on_an_empty_form() -> None:
    bare = SelfEvaluation(
        indicators=[Indicator(name="", target=parse_target(None))],
        report_indicators=[Indicator(name="", target=parse_target(None))],
        budget_execution=[FundLine(label="")],
        goals=[Goal(content="", actual="2019年")],
        sections=extract_sections([Paragraph("指标 分，得 分。为 %", Loc(file="x.txt", line=1))]),
    )
    for each in RULES:
        outcome, _ = run(each, bare)
        assert outcome.status != "error", each.code


# --- the real documents --------------------------------------------------------------------------


@cache
def _seed(path: Path) -> tuple[ParsedDocument, SourceDocument | None]:
    return load_file(path)


def _audit(document: ParsedDocument, source: SourceDocument | None, registry: Registry) -> list[Finding]:
    report = audit_documents([document], [source], registry=registry)
    return [f for f in report.documents[0].findings if f.code in registry]


def test_seed_002_evaluation_findings_are_exactly_the_true_defects() -> None:
    found = _audit(*_seed(SEED_002), RULES)
    summary = [(f.code, f.expected, f.actual, f.locations[0].line) for f in found]
    assert sorted(summary, key=lambda item: (item[0], item[3])) == [
        ("C601", "100%", "≥95%", 145),  # 预算执行率: 附件1 100%, 表3-2 ≥95%
        ("C602", "一般合理", "合理", 142),  # 绩效指标合理性
        ("C602", "100%", "0%", 147),  # 结转结余率
        ("C602", "98.95%", "98%", 173),  # 群众满意度
        ("C604", "2/2", "2/0.86", 308),  # 部门绩效评价完成率 “得 0.86 分”
        ("C605", "98.95%", "96%", 390),  # 群众总体满意度为 96%
        ("C606", "1633.2 万元", "1913.2 万元", 438),  # 1913.2 in the text, 1633.2 in 附件1
        ("C607", "2022 年", "2020 年", 444),  # 目标2: 2020 年专业技术人员继续教育
        ("C607", "2022 年", "2020 年", 445),  # 目标3: 截至 2020 年底
    ]
    by_code = {f.code: f for f in found}
    assert "“③部门绩效评价完成率，指标 2 分，得 0.86 分”" in by_code["C604"].message
    funds = by_code["C606"]
    assert "年初预算、全年预算、全年执行数为 1913.2 万元（共 9 处）" in funds.message
    assert [loc.line for loc in funds.locations] == [438, 438, 438, 181, 252, 256, 260]
    assert all(f.severity is Severity.ERROR for f in found if f.code != "C607")


SEED_002_TEXT_CORRECTIONS = (
    ("\t\t预算执行率\t≥95%\t100%\t2\t2", "\t\t预算执行率\t100%\t100%\t2\t2"),
    ("\t一般合理\t2\t2", "\t合理\t2\t2"),
    ("群众满意度\t≥90%\t98%\t15\t14", "群众满意度\t≥90%\t98.95%\t15\t14"),
    ("年底结余 0 万元，结转结余率 100%", "年底结余 0 万元，结转结余率 0%"),
    ("得 0.86 分", "得 2 分"),
    ("群众总体满意度为 96%", "群众总体满意度为 98.95%"),
    ("（万元）\t\t1633.2\t1633.2\t1633.2", "（万元）\t\t1913.2\t1913.2\t1913.2"),
    ("财政性资金\t1633.2\t1633.2\t1633.2", "财政性资金\t1913.2\t1913.2\t1913.2"),
    ("积极开展 2020 年专业技术人员", "积极开展 2022 年专业技术人员"),
    ("截至 2020 年底", "截至 2022 年底"),
)


def test_seed_002_corrected_by_hand_has_no_scoring_or_evaluation_findings() -> None:
    text = variant(
        *SEED_002_CORRECTIONS, *SEED_002_TEXT_CORRECTIONS, base=SEED_002.read_text(encoding="utf-8")
    )
    document, source = load_bytes(text.encode("utf-8"), SEED_002.name)
    assert _audit(document, source, ALL) == []


@pytest.mark.parametrize("path", [SEED_000, SEED_003, SEED_004])
def test_documents_without_a_self_evaluation_are_not_applicable(path: Path) -> None:
    document, source = _seed(path)
    report = audit_documents([document], [source], registry=RULES)
    assert {o.status for o in report.documents[0].rules} == {"not_applicable"}
    assert [f for f in report.documents[0].findings if f.code in RULES] == []


def test_rule_metadata() -> None:
    assert RULES.codes() == tuple(f"C6{n:02d}" for n in range(1, 9))
    for each in RULES:
        assert each.title and each.explanation and each.example and each.applies_to == (SelfEvaluation,)
    assert {each.code for each in RULES if each.severity is Severity.WARNING} == {"C607", "C608"}
