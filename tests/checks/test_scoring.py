"""Scoring rules (S1xx) on seed 002 and on small self-evaluations written inline.

The inline report below is laid out as seed 002 (信阳平桥 部门整体自评报告: 表3-1 level summary,
表3-2 indicator scores, 附件1 自评表 with 一级指标分值 and 未完成原因 columns) with consistent
figures; each test changes one cell and expects exactly the rule about that cell to fire.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao.checks import scoring
from jixiao.checks.engine import audit_documents
from jixiao.checks.registry import Registry, Rule, rules_in
from jixiao.ingest.load import load_bytes, load_file
from jixiao.ingest.source import SourceDocument
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import FundLine, LevelScore, SelfEvaluation
from jixiao.model.findings import Finding, Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.values import parse_actual, parse_target
from tests.checks.helpers import findings, run, run_text
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004

#: The rules that need no ruleset (S112–S115 re-score by ruleset: tests/checks/test_scoring_by_rule.py).
RULES = Registry(r for r in rules_in(scoring) if r.code <= "S111")

#: A 部门整体 self-evaluation in seed 002's layout, every figure consistent.
INLINE_002 = """某区人力资源和社会保障局 2023 年度部门整体支出自评报告

三、综合评价结论

2023 年度我单位整体自评得分为 95 分，评价等级为“优”。其中，预算执行率一项得分 10 分，投入管理指标得分 30 分，产出指标得分 25 分，效益指标得分 30 分。

表 3-1 部门整体得分情况

一级指标\t预算执行情况\t投入管理指标\t产出指标\t效益指标\t合计
权重\t10\t30\t25\t35\t100
得分率\t100%\t100%\t100%\t85.7%\t95%
得分\t10\t30\t25\t30\t95

表 3-2 各项指标得分情况表

一级指标\t二级指标\t三级指标\t指标值\t实际完成值\t分值\t得分
投入管理指标\t预算和财务管理\t预算执行率\t100%\t100%\t10\t10
\t\t结转结余率\t≤20%\t0%\t10\t10
\t\t“三公经”控制率\t≤100%\t100%\t10\t10
产出指标\t重点工作任务完成\t重点工作 1 计划完成率\t100%\t100%\t15\t15
\t\t重点工作 2 计划完成率\t100%\t100%\t10\t10
效益指标\t满意度\t群众满意度\t≥90%\t96%\t20\t18
\t可持续发展影响\t长效管理制度\t健全\t健全\t15\t12

四、绩效目标实现情况分析

（一）部门资金情况分析

我单位 2023 年年初预算资金 500.5 万元；全年预算资金总额 520 万元。全年实际执行数为 520 万元，预算执行率为 100%。

（二）项目绩效指标完成情况分析

①预算执行率，指标 10 分，得 10 分。

②结转结余率，指标 10 分，得 10 分。年底结余 0 万元，结转结余率 0%。

③群众满意度，指标 20 分，得 18 分。据统计群众总体满意度为 96%。

附件 1：2023 年度部门整体绩效自评表

部门（单位）名称\t\t某区人力资源和社会保障局
预算执行情况\t\t年初数\t全年数\t全年执行数\t分值\t预算执行率\t得分
\t部门预算总额（万元）\t500.5\t520\t520\t10\t（100%）\t10
年度履职目标\t预期目标\t\t实际完成情况
\t目标名称\t主要内容\t目标完成情况
\t目标 1:\t稳就业促发展。\t2023 年组织招聘活动 224 场，截至 2023 年底培训合格率 93%。
年度主要任务\t任务名称\t主要内容\t任务完成情况
\t任务 1:\t深化完善就业创业政策。\t城镇新增就业 16911 人。
一级指标\t分值\t二级指标\t三级指标\t指标值\t指标说明\t实际完成值\t分值\t得分\t未完成原因分析及改进措施
投入管理指标\t30\t预算和财务管理\t预算执行率\t100%\t预算执行率=执行数/预算数×100%\t100%\t10\t10\t
\t\t\t结转结余率\t≤20%\t结转结余总额/预算数×100%\t0%\t10\t10\t
\t\t\t“三公经费”控制率\t≤100%\t实际支出数/预算数×100%\t100%\t10\t10\t
产出指标\t25\t重点工作任务完成\t重点工作1计划完成率\t100%\t\t100%\t15\t15\t
\t\t\t重点工作2计划完成率\t100%\t\t100%\t10\t10\t
效益指标\t35\t满意度\t群众满意度\t≥90%\t\t96%\t20\t18\t
\t\t可持续发展影响\t长效管理制度\t健全\t\t健全\t15\t12\t
\t\t质量指标\t培训合格率\t≥90%\t\t93%\t0\t0\t
"""


def variant(*changes: tuple[str, str], base: str = INLINE_002) -> str:
    """``base`` with each (old, new) applied; each ``old`` must occur exactly once."""
    text = base
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def codes_of(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


def audit_text(text: str, registry: Registry = RULES, name: str = "inline.txt") -> list[Finding]:
    document, source = load_bytes(text.encode("utf-8"), name)
    report = audit_documents([document], [source], registry=registry)
    return [f for f in report.documents[0].findings if f.code in registry]


def fired(rule: Rule, text: str) -> list[Finding]:
    outcome, found = run_text(rule, text)
    assert outcome.status == "failed", outcome
    assert {f.code for f in found} == {rule.code}
    assert all(f.severity is rule.severity for f in found)
    return found


# --- the consistent layout --------------------------------------------------------------------------


def test_the_consistent_inline_report_passes_every_scoring_rule() -> None:
    document, source = load_bytes(INLINE_002.encode("utf-8"), "inline.txt")
    report = audit_documents([document], [source], registry=RULES)
    outcomes = {o.code: o.status for o in report.documents[0].rules}
    assert outcomes == dict.fromkeys(RULES.codes(), "passed")
    assert [f for f in report.documents[0].findings if f.code in RULES] == []


# --- S101 / S102 --------------------------------------------------------------------------------


def test_s101_a_score_above_its_weight() -> None:
    text = variant(("群众满意度\t≥90%\t\t96%\t20\t18", "群众满意度\t≥90%\t\t96%\t20\t22"))
    (found,) = fired(scoring.score_above_weight, text)
    assert "群众满意度" in found.message and "22" in found.message and "20" in found.message
    assert "附件1：2023年度部门整体绩效自评表" in found.message
    assert (found.expected, found.actual) == ("≤20", "22")
    assert found.locations[0].line == 55 and found.locations[0].col == 9


def test_s101_on_the_summary_table_and_the_budget_line() -> None:
    text = variant(
        ("得分\t10\t30\t25\t30\t95", "得分\t12\t30\t25\t30\t95"),
        ("10\t（100%）\t10", "10\t（100%）\t11"),
    )
    found = fired(scoring.score_above_weight, text)
    assert [(f.expected, f.actual) for f in found] == [("≤10", "11"), ("≤10", "12")]
    assert "预算执行“部门预算总额”" in found[0].message and "“预算执行情况”" in found[1].message


def test_s102_a_negative_score() -> None:
    text = variant(("长效管理制度\t健全\t\t健全\t15\t12", "长效管理制度\t健全\t\t健全\t15\t-3"))
    (found,) = fired(scoring.negative_points, text)
    assert "长效管理制度" in found.message and "得分为负数 -3" in found.message
    assert (found.expected, found.actual) == ("≥0", "-3")


# --- S103 / S104: weights -----------------------------------------------------------------------


def test_s103_level_weight_against_its_rows() -> None:
    text = variant(("产出指标\t25\t重点工作任务完成", "产出指标\t26\t重点工作任务完成"))
    (found,) = fired(scoring.level_weights, text)
    assert "“产出指标”分值 26" in found.message and "之和为 25（15 + 10）" in found.message
    assert (found.expected, found.actual) == ("26", "25")
    assert found.locations[0].line == 53


def test_s103_summary_table_weight_against_the_report_rows() -> None:
    text = variant(
        ("权重\t10\t30\t25\t35\t100", "权重\t10\t30\t25\t36\t101"),
    )
    found = fired(scoring.level_weights, text)
    assert {f.expected for f in found} == {"36"} and {f.actual for f in found} == {"35"}
    assert len(found) == 2  # the 自评表's rows and the report's 表3-2 rows


def test_s104_rows_and_budget_weight_against_the_whole() -> None:
    text = variant(
        ("重点工作2计划完成率\t100%\t\t100%\t10\t10", "重点工作2计划完成率\t100%\t\t100%\t9\t9"),
        ("产出指标\t25\t重点工作任务完成", "产出指标\t24\t重点工作任务完成"),
    )
    (found,) = fired(scoring.total_weights, text)
    assert "分值之和 89 加预算执行分值 10，共 99" in found.message and "100" in found.message
    assert (found.expected, found.actual) == ("100", "99")


def test_s104_summary_weights_against_their_total() -> None:
    text = variant(("权重\t10\t30\t25\t35\t100", "权重\t10\t30\t25\t35\t90"))
    rows, levels = fired(scoring.total_weights, text)
    assert "各三级指标分值之和 90 加预算执行分值 10，共 100，不等于得分汇总表合计权重 90" in rows.message
    assert "各一级指标权重之和为 100（10 + 30 + 25 + 35），不等于合计 90" in levels.message
    assert rows.locations[0] == levels.locations[0]  # both point at the 合计 cell


# --- S105 / S106: level and total scores -------------------------------------------------------------


def test_s105_a_level_score_against_its_rows_as_in_seed_002() -> None:
    text = variant(
        ("85.7%\t95%", "88.6%\t96%"),
        ("得分\t10\t30\t25\t30\t95", "得分\t10\t30\t25\t31\t96"),
        ("得分为 95 分", "得分为 96 分"),
        ("效益指标得分 30 分", "效益指标得分 31 分"),
    )
    (found,) = fired(scoring.level_scores_against_rows, text)
    assert "《表3-1部门整体得分情况》“效益指标”得分 31" in found.message
    assert "之和为 30（18 + 12 + 0）；《表3-2各项指标得分情况表》中亦为 30" in found.message
    assert (found.expected, found.actual) == ("30", "31")
    assert (found.locations[0].line, found.locations[0].col) == (12, 5)


def test_s105_budget_level_against_the_budget_line() -> None:
    text = variant(("10\t（100%）\t10", "10\t（100%）\t9"))
    found = fired(scoring.level_scores_against_rows, text)
    assert [(f.expected, f.actual) for f in found] == [("9", "10")]


def test_s106_total_against_the_level_scores() -> None:
    text = variant(
        ("100%\t85.7%\t95%", "100%\t85.7%\t96%"), ("30\t95\n", "30\t96\n"), ("得分为 95 分", "得分为 96 分")
    )
    (found,) = fired(scoring.total_against_parts, text)
    assert "总分 96" in found.message and "10 + 30 + 25 + 30" in found.message
    assert (found.expected, found.actual) == ("95", "96")


# --- S107 grades --------------------------------------------------------------------------------


def test_s107_grade_against_the_national_bands() -> None:
    (found,) = fired(scoring.grade_against_total, variant(("评价等级为“优”", "评价等级为“良”")))
    assert "总分 95 按财预〔2020〕10号等级划分应为“优”，而评价等级为“良”" in found.message
    assert (found.expected, found.actual) == ("优", "良")
    assert found.locations[0].line == 5


def _graded(total: str, grade: str, notes: str | None = None) -> SelfEvaluation:
    return SelfEvaluation(
        total_reported=Decimal(total),
        grade_reported=grade,
        scoring_notes=notes,
        cells={"grade_reported": Loc(file="g.txt", line=3), "total_reported": Loc(file="g.txt", line=4)},
    )


_FOUR_BANDS = (
    "注：评价等级：90分（含）以上为优秀、80分（含）-90分为良好、60分（含）-80分为合格、60分以下为不合格。"
)


@pytest.mark.parametrize(
    ("total", "grade", "notes", "expected"),
    [
        ("89.9", "良", None, None),
        ("90", "优秀", None, None),
        ("80", "中", None, "良"),
        ("59.5", "中", None, "差"),
        ("85", "良好", _FOUR_BANDS, None),
        ("85", "合格", _FOUR_BANDS, "良好"),
        ("75", "合格", _FOUR_BANDS, None),
    ],
)
def test_s107_bands_national_and_from_the_forms_notes(
    total: str, grade: str, notes: str | None, expected: str | None
) -> None:
    found = findings(scoring.grade_against_total, _graded(total, grade, notes))
    assert [f.expected for f in found] == ([expected] if expected else [])


def test_s107_does_not_judge_other_grade_systems_or_unreadable_bands() -> None:
    for form in (_graded("95", "合格"), _graded("95", "良", "注：90分为优，80分为良。")):
        outcome, found = run(scoring.grade_against_total, form)
        assert (outcome.status, found) == ("not_applicable", [])


# --- S108 / S109: a missed target -------------------------------------------------------------------


def test_s108_full_score_on_a_missed_target_and_s109_without_reason() -> None:
    text = variant(("结转结余总额/预算数×100%\t0%\t10\t10", "结转结余总额/预算数×100%\t30%\t10\t10"))
    (full,) = fired(scoring.full_score_despite_miss, text)
    assert "指标“结转结余率”指标值 ≤20%，实际完成值 30%，未达到指标值，却得满分 10（分值 10）" in full.message
    assert (full.expected, full.actual) == ("<10", "10")
    (reason,) = fired(scoring.missed_without_reason, text)
    assert "“结转结余率”" in reason.message and "未说明偏差原因" in reason.message
    assert reason.locations[0].line == 51


def test_s108_forward_target_and_s109_with_a_reason() -> None:
    text = variant(
        ("群众满意度\t≥90%\t\t96%\t20\t18\t", "群众满意度\t≥90%\t\t85%\t20\t20\t问卷回收偏少，下年扩大样本"),
    )
    (full,) = fired(scoring.full_score_despite_miss, text)
    assert "“群众满意度”指标值 ≥90%，实际完成值 85%" in full.message
    outcome, found = run_text(scoring.missed_without_reason, text)
    assert (outcome.status, found) == ("passed", [])


@pytest.mark.parametrize(
    ("target", "actual", "missed"),
    [
        ("≥95%", "90%", True),
        ("100%", "98%", True),
        (">90%", "90%", True),
        ("≤20%", "20%", False),
        ("≥95%", "95%", False),
        ("≥1万人", "9000人", False),  # different units: not judged
        ("≥20000人次", "19000人次", True),
        ("≤10个工作日", "12个工作日", False),  # a deadline is not judged
        ("提高", "一般", False),  # qualitative: not judged
        ("≥95%", "", False),
    ],
)
def test_clear_miss_judges_only_plain_numbers_in_one_unit(target: str, actual: str, missed: bool) -> None:
    parsed = parse_target(target, "指标")
    row = Indicator(name="完成率" if "%" in target else "人数", target=parsed)
    row.actual = parse_actual(actual, parsed) if actual else None
    assert scoring.clear_miss(row) is missed


def test_s109_needs_a_reason_column() -> None:
    text = variant(
        ("\t得分\t未完成原因分析及改进措施\n", "\t得分\n"),
        ("结转结余总额/预算数×100%\t0%\t10\t10", "结转结余总额/预算数×100%\t30%\t10\t10"),
    )
    outcome, found = run_text(scoring.missed_without_reason, text)
    assert (outcome.status, found) == ("not_applicable", [])


# --- S110 / S111 --------------------------------------------------------------------------------


def test_s110_budget_score_against_weight_times_rate() -> None:
    text = variant(("500.5\t520\t520\t10\t（100%）\t10", "500.5\t520\t494\t10\t（95%）\t10"))
    (found,) = fired(scoring.budget_score, text)
    assert "执行率 （95%），按“分值×执行率”得分应为 9.5，而得分为 10" in found.message
    assert (found.expected, found.actual) == ("9.5", "10")
    assert found.locations[0].line == 43


def test_s110_passes_when_scored_so_and_yields_to_the_forms_own_method() -> None:
    text = variant(("500.5\t520\t520\t10\t（100%）\t10", "500.5\t520\t494\t10\t（95%）\t9.5"))
    outcome, found = run_text(scoring.budget_score, text)
    assert (outcome.status, found) == ("passed", [])
    form = SelfEvaluation(
        budget_execution=[
            FundLine(label="年度资金总额", weight=Decimal(10), rate=Decimal(95), score=Decimal(10))
        ],
        scoring_notes="注：预算执行率≥95%的得满分，每降低1%扣0.5分。",
    )
    outcome, found = run(scoring.budget_score, form)
    assert (outcome.status, found) == ("not_applicable", [])


def test_s111_rate_against_score_over_weight() -> None:
    (found,) = fired(scoring.level_rates, variant(("85.7%", "87.5%")))
    assert "“效益指标”得分 30、权重 35，得分率应为 85.7%，而表中为 87.5%" in found.message
    assert (found.expected, found.actual) == ("85.7%", "87.5%")


# --- a project self-evaluation (national 项目支出绩效自评表) ---------------------------------------


def _loc(line: int, col: int | None = None) -> Loc:
    return Loc(file="project.xlsx", sheet="项目1", row=line, col=col, cell=f"H{line}" if col else None)


def _project(**changes: object) -> SelfEvaluation:
    """The national template: 预算执行 10 + 产出 50 + 效益 30 + 满意度 10, scored 97.5."""
    rows = [
        ("产出指标", "培训人次", "≥20000人次", "21000人次", 20, "20", None),
        ("产出指标", "培训合格率", "≥95%", "93%", 15, "14", "部分学员未参加考核"),
        ("产出指标", "培训完成时间", "12月底之前", "12月底", 15, "15", None),
        ("效益指标", "培训后就业率", "≥80%", "85%", 30, "30", None),
        ("满意度指标", "学员满意度", "≥90%", "96%", 10, "9", None),
    ]
    indicators = []
    for line, (level1, name, target, actual, weight, score, reason) in enumerate(rows, start=13):
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
                deviation_reason=reason,
                loc=_loc(line),
                cells={"score": _loc(line, 8), "weight": _loc(line, 7), "actual": _loc(line, 6)},
            )
        )
    form = SelfEvaluation(
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
                loc=_loc(6),
                cells={"score": _loc(6, 8), "weight": _loc(6, 6), "rate": _loc(6, 7)},
            )
        ],
        indicators=indicators,
        total_weight_reported=Decimal(100),
        total_reported=Decimal("97.5"),
        grade_reported="优",
        cells={"total_reported": _loc(18, 8), "grade_reported": _loc(19, 8)},
    )
    return form.model_copy(update=changes)


def test_a_consistent_project_self_evaluation_passes() -> None:
    document = ParsedDocument(file="project.xlsx", format="xlsx", forms=[_project()])
    report = audit_documents([document], registry=RULES)
    outcomes = {o.code: o.status for o in report.documents[0].rules}
    assert report.documents[0].findings == []
    assert {code for code, status in outcomes.items() if status == "passed"} == {
        "S101", "S102", "S104", "S106", "S107", "S108", "S109", "S110",
    }  # fmt: skip
    # no level weights and no summary table: not applicable
    assert {code for code, status in outcomes.items() if status == "not_applicable"} == {
        "S103",
        "S105",
        "S111",
    }


def test_project_total_against_rows_plus_budget() -> None:
    (found,) = findings(scoring.total_against_parts, _project(total_reported=Decimal(99)))
    assert "总分 99，而预算执行得分 9.5 与《项目“职业技能提升培训”支出绩效自评表》" in found.message
    assert (found.expected, found.actual) == ("97.5", "99")
    assert found.locations[0].cell == "H18"
    # 97.5 printed as a whole number is display rounding, not a defect
    assert findings(scoring.total_against_parts, _project(total_reported=Decimal(98))) == []


def test_project_missed_target_with_full_score_and_grade() -> None:
    form = _project()
    form.indicators[1].score = Decimal(15)
    form.indicators[4].actual = parse_actual("88%", form.indicators[4].target)
    form.indicators[4].score = Decimal(10)
    found = findings(scoring.full_score_despite_miss, form)
    assert [f.message.split("指标“")[1].split("”")[0] for f in found] == ["培训合格率", "学员满意度"]
    graded = _project(total_reported=Decimal("79.5"))
    (grade,) = findings(scoring.grade_against_total, graded)
    assert (grade.expected, grade.actual) == ("中", "优")


def test_project_weights_without_a_budget_weight_are_not_guessed() -> None:
    form = _project(total_weight_reported=None)
    form.budget_execution[0].weight = None
    outcome, found = run(scoring.total_weights, form)
    assert (outcome.status, found) == ("not_applicable", [])
    form.indicators[0].weight = Decimal(40)
    (found_over,) = findings(scoring.total_weights, form)
    assert (found_over.expected, found_over.actual) == ("≤100", "110")


def test_rules_never_raise_on_an_empty_form() -> None:
    bare = SelfEvaluation(
        indicators=[Indicator(name="", target=parse_target(None))],
        level_scores=[LevelScore(name="合计")],
        budget_execution=[FundLine(label="")],
    )
    for each in RULES:
        outcome, _ = run(each, bare)
        assert outcome.status != "error", each.code


# --- the real documents --------------------------------------------------------------------------


@cache
def _seed(path: Path) -> tuple[ParsedDocument, SourceDocument | None]:
    return load_file(path)


def _audit_seed(path: Path, registry: Registry = RULES) -> list[Finding]:
    document, source = _seed(path)
    report = audit_documents([document], [source], registry=registry)
    return [f for f in report.documents[0].findings if f.code in registry]


def test_seed_002_scoring_findings_are_exactly_the_true_defects() -> None:
    found = _audit_seed(SEED_002)
    assert sorted((f.code, f.severity) for f in found) == [
        ("S105", Severity.ERROR),
        ("S108", Severity.ERROR),
        ("S109", Severity.WARNING),
    ]
    by_code = {f.code: f for f in found}
    # 效益: 8 + 9 + 14 = 31 in both the 自评表 and 表3-2, while 表3-1 says 32
    level = by_code["S105"]
    assert "《表3-1部门整体得分情况》“效益指标”得分 32" in level.message
    assert (
        "之和为 31（8 + 9 + 14）" in level.message and "《表3-2各项指标得分情况表》中亦为 31" in level.message
    )
    assert (level.expected, level.actual) == ("31", "32")
    assert [(loc.line, loc.col) for loc in level.locations] == [
        (135, 5), (499, 9), (500, 9), (501, 9), (171, 7), (172, 7), (173, 7),
    ]  # fmt: skip
    # 结转结余率 ≤20% with 100% printed as done, scored 1 of 1 and no reason given
    for code in ("S108", "S109"):
        assert "“结转结余率”指标值 ≤20%，实际完成值 100%" in by_code[code].message
        assert by_code[code].locations[0].line == 467


SEED_002_CORRECTIONS = (
    ("得分率\t100%\t100%\t100%\t91.4%\t97%", "得分率\t100%\t100%\t100%\t88.6%\t96%"),
    ("得分\t10\t30\t25\t32\t97", "得分\t10\t30\t25\t31\t96"),
    ("整体自评得分为 97 分", "整体自评得分为 96 分"),
    ("效益指标得分 32 分", "效益指标得分 31 分"),
    ("每浮动\t100%\t1\t1", "每浮动\t0%\t1\t1"),
)


def test_seed_002_corrected_by_hand_has_no_scoring_findings() -> None:
    text = variant(*SEED_002_CORRECTIONS, base=SEED_002.read_text(encoding="utf-8"))
    assert audit_text(text, name=SEED_002.name) == []


@pytest.mark.parametrize("path", [SEED_000, SEED_003, SEED_004])
def test_documents_without_a_self_evaluation_are_not_applicable(path: Path) -> None:
    document, source = _seed(path)
    report = audit_documents([document], [source], registry=RULES)
    assert {o.status for o in report.documents[0].rules} == {"not_applicable"}
    assert _audit_seed(path) == []


def test_rule_metadata() -> None:
    assert RULES.codes() == tuple(f"S1{n:02d}" for n in range(1, 12))
    for each in RULES:
        assert each.title and each.explanation and each.example and each.applies_to == (SelfEvaluation,)
    assert RULES["S109"].severity is Severity.WARNING and RULES["S110"].severity is Severity.WARNING
