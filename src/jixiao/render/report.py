"""The 绩效自评报告 generated from a self-evaluation and its score sheet, consistent by construction.

Enters: a ``SelfEvaluation`` (the 自评表 as read) and the ``ScoreSheet`` scoring it
(``jixiao.scoring.engine.score_evaluation``). Leaves: a ``layout.Doc`` in the standard outline
(一、基本情况 … 七、其他需要说明的问题, 附件：绩效自评表) that the writers print as docx, pdf or html.

Every figure in the text is read from the model or computed from it (执行率 = 全年执行数 ÷ 全年预算数,
the scores from the sheet), rounded 四舍五入 only when shown; what the form leaves blank is said to be
blank (表中未填列), never filled in. Problems in 五 are the data's own: missed targets, execution
below 100%, budget adjustments, scores departing from the rule; with none, the report says so.

>>> from jixiao.scoring.sheet import ScoreSheet
>>> doc = self_evaluation_report(
...     SelfEvaluation(department="某局", year=2023), ScoreSheet(ruleset="x", ruleset_title="某规则")
... )
>>> doc.title
'某局2023年度部门整体支出绩效自评报告'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.render.forms import self_evaluation_grid
from jixiao.render.layout import Block, Cell, Chart, Doc, Grid, Heading, PageBreak, Paragraph, number_cell
from jixiao.render.sentences import (
    amount,
    heading_number,
    joined,
    lead,
    listing,
    percent,
    points,
    quoted,
    sentence,
    share,
    year_of,
)
from jixiao.scoring.engine import budget_line
from jixiao.scoring.ruleset import RuleSet, RulesetError, load_ruleset
from jixiao.scoring.sheet import LevelResult, ScoreRow, ScoreSheet

#: Section titles of the standard outline (财政部 部门整体/项目支出绩效自评报告 参考提纲).
SECTIONS = (
    "一、基本情况",
    "二、绩效自评工作开展情况",
    "三、综合评价结论",
    "四、绩效目标实现情况分析",
    "五、发现的主要问题和改进措施",
    "六、有关建议",
    "七、其他需要说明的问题",
)
ANNEX = "附件：绩效自评表"
NOT_FILLED = "表中未填列"
NO_REASON = "自评表未填写偏差原因及改进措施"

_TOLERANCE = Decimal("0.01")
_FUNCTION_WORDS = ("职责", "职能", "简介", "概况", "单位介绍", "部门介绍", "基本情况介绍")

Status = Literal["met", "met_below", "partial", "missed", "missing", "unscored"]


@dataclass(frozen=True)
class _Row:
    """A scored 三级指标 with the form's row it came from and what became of its target."""

    score: ScoreRow
    indicator: Indicator | None
    status: Status

    @property
    def name(self) -> str:
        return self.indicator.name if self.indicator is not None else self.score.indicator.split("/")[-1]

    @property
    def group(self) -> str:
        return (self.indicator.level2 or "") if self.indicator is not None else ""

    @property
    def differs(self) -> bool:
        reported, computed = self.score.reported_score, self.score.computed_score
        return reported is not None and computed is not None and abs(reported - computed) > _TOLERANCE


@dataclass(frozen=True)
class _Facts:
    """What the report is written from, decided once: who, which year, which rows, which rule."""

    form: SelfEvaluation
    sheet: ScoreSheet
    ruleset: RuleSet | None
    budget_row: ScoreRow | None
    budget_level: LevelResult | None
    levels: tuple[LevelResult, ...]  # the 一级指标 levels, budget excluded
    rows: tuple[_Row, ...]
    budget_line: FundLine | None

    @property
    def project(self) -> bool:
        return self.form.scope == "project"

    @property
    def subject(self) -> str:
        """Who or what is evaluated: the department, or the project."""
        name = self.form.project_name if self.project else self.form.department
        return name or ""

    @property
    def kind(self) -> str:
        return "项目支出" if self.project else "部门整体支出"

    @property
    def table_name(self) -> str:
        return f"{year_of(self.form.year)}{'项目支出' if self.project else '部门整体'}绩效自评表"

    def rows_of(self, level: str) -> list[_Row]:
        return [row for row in self.rows if row.score.level == level]

    @property
    def not_met(self) -> list[_Row]:
        return [row for row in self.rows if row.status in ("partial", "missed", "missing")]


# ------------------------------------------------------------------------------------ public


def self_evaluation_report(form: SelfEvaluation, sheet: ScoreSheet, ruleset: RuleSet | None = None) -> Doc:
    """The 自评报告 of ``form`` as scored in ``sheet`` (``ruleset``: the rule the sheet used, to
    describe it; by default loaded by the sheet's ruleset name)."""
    facts = _facts(form, sheet, ruleset)
    blocks: list[Block] = []
    blocks += _basics(facts)
    blocks += _work(facts)
    blocks += _conclusion(facts)
    blocks += _analysis(facts)
    blocks += _problems(facts)
    blocks += _advice(facts)
    blocks += _other(facts)
    blocks += [PageBreak(), Heading(ANNEX, 1), self_evaluation_grid(form, sheet)]
    return Doc(title=_title(facts), blocks=tuple(blocks), header=_header(facts), subtitle=_subtitle(facts))


# ------------------------------------------------------------------------------------ facts


def _facts(form: SelfEvaluation, sheet: ScoreSheet, ruleset: RuleSet | None) -> _Facts:
    if ruleset is None:
        try:
            ruleset = load_ruleset(sheet.ruleset)
        except (RulesetError, OSError, ValueError):
            ruleset = None  # a user's ruleset no longer at hand: the sheet's title still names it
    indicators = form.indicators or form.report_indicators
    budget_row, pairs = _pair(sheet.rows, indicators)
    budget_name = budget_row.level if budget_row is not None else None
    budget_level = next((level for level in sheet.levels if level.name == budget_name), None)
    levels = tuple(level for level in sheet.levels if level is not budget_level)
    best, worst = _tier_names(ruleset)
    rows = tuple(_Row(row, indicator, _status(row, best, worst)) for row, indicator in pairs)
    return _Facts(form, sheet, ruleset, budget_row, budget_level, levels, rows, budget_line(form))


def _pair(
    rows: Sequence[ScoreRow], indicators: Sequence[Indicator]
) -> tuple[ScoreRow | None, list[tuple[ScoreRow, Indicator | None]]]:
    """The budget row (if any) and each indicator row with the form's row it scores.

    ``score_evaluation`` lists the budget row first, then one row per indicator in the form's order."""
    offset = len(rows) - len(indicators)
    if offset in (0, 1) and all(
        row.indicator.split("/")[-1] == indicator.name
        for row, indicator in zip(rows[offset:], indicators, strict=True)
    ):
        return (rows[0] if offset else None), list(zip(rows[offset:], indicators, strict=True))
    budget = next((row for row in rows if row.method == "budget" or row.indicator == row.level), None)
    by_name = {indicator.name: indicator for indicator in indicators}
    return budget, [(row, by_name.get(row.indicator.split("/")[-1])) for row in rows if row is not budget]


def _tier_names(ruleset: RuleSet | None) -> tuple[str, str]:
    if ruleset is None:
        return "达成", "未达成"
    return ruleset.tiers[0].name, ruleset.tiers[-1].name


def _status(row: ScoreRow, best: str, worst: str) -> Status:
    weight, computed = row.weight, row.computed_score
    if row.method == "missing":
        return "missing"
    if computed is None or weight is None:
        return "unscored"
    if row.method == "qualitative" and row.tier is not None:
        if row.tier == best:
            return "met" if computed >= weight else "met_below"
        return "missed" if row.tier == worst else "partial"
    if computed >= weight:
        return "met"
    return "missed" if computed <= 0 else "partial"


def _title(facts: _Facts) -> str:
    return f"{facts.subject}{year_of(facts.form.year)}{facts.kind}绩效自评报告"


def _subtitle(facts: _Facts) -> str | None:
    form = facts.form
    if facts.project:
        unit = form.implementing_unit or form.department
        return f"实施单位：{unit}" if unit else None
    return f"自评单位：{form.department}" if form.department else None


def _header(facts: _Facts) -> str | None:
    form = facts.form
    owner = form.department or form.implementing_unit or form.project_name
    if owner is None and form.year is None:
        return None
    return f"{owner or ''}{year_of(form.year)}绩效自评报告"


def _weight(level: LevelResult) -> Decimal | None:
    """A level's points: as the form's rows add up, else as the rule sets them."""
    return level.weight_document if level.weight_document is not None else level.weight_rule


def _rate(line: FundLine) -> Decimal | None:
    return share(line.executed, line.adjusted)


def _para(text: str) -> list[Block]:
    """A paragraph, or nothing when the text is empty (no empty sentences)."""
    return [Paragraph(text)] if text else []


# ------------------------------------------------------------------------------ 一、基本情况


def _basics(facts: _Facts) -> list[Block]:
    blocks: list[Block] = [Heading(SECTIONS[0], 1)]
    blocks += [Heading(f"{heading_number(1)}{'项目概况' if facts.project else '单位概况'}", 2)]
    blocks += _overview(facts)
    blocks += [Heading(f"{heading_number(2)}预算及执行情况", 2)]
    blocks += _funds(facts)
    goals = _goals(facts)
    if goals:
        blocks += [Heading(f"{heading_number(3)}年度绩效目标", 2), *goals]
    return blocks


def _overview(facts: _Facts) -> list[Block]:
    form = facts.form
    if facts.project:
        parts = []
        if form.project_name:
            parts.append(f"项目名称：{form.project_name}")
        if form.department:
            parts.append(f"主管部门：{form.department}")
        if form.implementing_unit:
            parts.append(f"实施单位：{form.implementing_unit}")
        text = joined(parts)
    else:
        text = ""
    blocks = _para(text)
    for section in form.sections:
        if section.text and any(word in section.title for word in _FUNCTION_WORDS):
            blocks += [Paragraph(line.strip()) for line in section.text.splitlines() if line.strip()]
            break
    else:
        if not facts.project and form.department:
            blocks.append(Paragraph(sentence(f"自评单位为{form.department}，单位职能{NOT_FILLED}")))
    if not blocks:
        blocks = [Paragraph(sentence(f"单位基本情况{NOT_FILLED}"))]
    return blocks


def _fund_clause(line: FundLine, lead_words: str) -> str:
    """``部门预算总额年初预算 1,633.20 万元，全年预算 …，执行率 100.00%``; "" when the line is blank."""
    figures = []
    if line.initial is not None:
        figures.append(f"年初预算 {amount(line.initial, line.unit)}")
    if line.adjusted is not None:
        figures.append(f"全年预算 {amount(line.adjusted, line.unit)}")
    if line.executed is not None:
        figures.append(f"全年执行数 {amount(line.executed, line.unit)}")
    rate = _rate(line)
    if rate is not None:
        figures.append(f"预算执行率 {percent(rate)}")
    if not figures:
        return ""
    return f"{lead_words}{line.label}" + "，".join(figures)


def _funds(facts: _Facts) -> list[Block]:
    lines = facts.form.budget_execution
    main = facts.budget_line
    if main is None:
        return [Paragraph(sentence(f"预算执行情况{NOT_FILLED}"))]
    blocks: list[Block] = []
    first = _fund_clause(main, f"{year_of(facts.form.year)}，" if facts.form.year else "")
    blocks += _para(sentence(first) if first else sentence(f"{main.label}的预算及执行数{NOT_FILLED}"))
    others = [line for line in lines if line is not main]
    filled = [clause for clause in (_fund_clause(line, "") for line in others) if clause]
    if filled:
        blocks.append(Paragraph(sentence("其中，" + "；".join(filled))))
    blank = [line.label for line in others if not _fund_clause(line, "")]
    if blank:
        blocks.append(Paragraph(sentence(f"{listing(blank)}{NOT_FILLED}")))
    blocks += _para(_change_sentence(main))
    return blocks


def _change_sentence(line: FundLine) -> str:
    """The adjustment (全年 vs 年初) and the part left unspent, where the figures show them."""
    parts = []
    if line.initial is not None and line.adjusted is not None and line.initial != line.adjusted:
        change = line.adjusted - line.initial
        verb = "调增" if change > 0 else "调减"
        rate = share(abs(change), line.initial)
        size = f"，调整幅度 {percent(rate)}" if rate is not None else ""
        parts.append(f"全年预算较年初预算{verb} {amount(abs(change), line.unit)}{size}")
    if line.adjusted is not None and line.executed is not None and line.executed < line.adjusted:
        parts.append(f"全年预算中未执行 {amount(line.adjusted - line.executed, line.unit)}")
    return joined(parts)


def _goals(facts: _Facts) -> list[Block]:
    form = facts.form
    blocks: list[Block] = []
    if form.goals:
        blocks.append(
            Paragraph(sentence(f"{'年度目标' if facts.project else '年度履职目标'}共 {len(form.goals)} 项"))
        )
        for goal in form.goals:
            head = "：".join(part for part in (goal.label, goal.title) if part)
            text = sentence(f"{head}：{goal.content}" if head else goal.content)
            done = sentence(f"完成情况：{goal.actual}") if goal.actual else sentence(f"完成情况{NOT_FILLED}")
            blocks.append(Paragraph(text + done))
    if form.tasks:
        blocks.append(Paragraph(sentence(f"年度主要任务共 {len(form.tasks)} 项")))
        for task in form.tasks:
            head = task.label or ""
            body = task.content or task.name
            text = sentence(f"{head}：{body}" if head else body)
            done = sentence(f"完成情况：{task.actual}") if task.actual else sentence(f"完成情况{NOT_FILLED}")
            blocks.append(Paragraph(text + done))
    return blocks


# ------------------------------------------------------------------ 二、绩效自评工作开展情况


def _work(facts: _Facts) -> list[Block]:
    form, sheet = facts.form, facts.sheet
    blocks: list[Block] = [Heading(SECTIONS[1], 1), Heading(f"{heading_number(1)}评价依据和范围", 2)]
    owner = form.department or form.implementing_unit
    filled_by = f"，填报单位为{owner}" if owner else ""
    if form.title and "自评表" in form.title:  # the form is the table itself
        source = f"《{form.title.strip()}》"
    else:
        source = f"《{form.title.strip()}》所附的{facts.table_name}" if form.title else facts.table_name
    blocks.append(Paragraph(sentence(f"本报告由 Jixiao 依据{source}数据生成{filled_by}")))
    blocks += _para(_scope_sentence(facts))
    blocks.append(Heading(f"{heading_number(2)}评价方法", 2))
    detected = "（由自评表所附评分说明识别）" if sheet.ruleset_detected else ""
    blocks.append(Paragraph(sentence(f"按照{quoted(sheet.ruleset_title)}{detected}逐项计算得分")))
    blocks += [Paragraph(text) for text in _rule_sentences(facts.ruleset)]
    blocks.append(Heading(f"{heading_number(3)}工作过程", 2))
    count = len(facts.rows)
    what = ["预算执行情况"] if form.budget_execution else []
    what += ["年度目标"] if form.goals else []
    what += [f"{count} 项三级指标的指标值、实际完成值、分值和自评得分"] if count else []
    if what:
        blocks.append(Paragraph(sentence(f"Jixiao 读取了自评表的{listing(what, last='和')}")))
    blocks.append(
        Paragraph(
            sentence(
                "按上述规则逐项重新计算得分，汇总为一级指标得分和总分，并与自评表填报的得分逐项比较；"
                f"本报告中的金额、比率和得分均由自评表数据计算得出，自评表未填列的内容注明{quoted(NOT_FILLED)}"
            )
        )
    )
    return blocks


def _scope_sentence(facts: _Facts) -> str:
    rows = facts.rows
    if not rows and facts.budget_row is None:
        return sentence(f"自评表的指标{NOT_FILLED}")
    level1 = {row.score.level for row in rows}
    level2 = {(row.score.level, row.group) for row in rows if row.group}
    parts = []
    if facts.budget_row is not None:
        parts.append("预算执行情况")
    if rows:
        counts = f"{len(level1)} 个一级指标、"
        counts += f"{len(level2)} 个二级指标、" if level2 else ""
        parts.append(f"{counts}{len(rows)} 个三级指标")
    weights = [row.score.weight for row in rows if row.score.weight is not None]
    if facts.budget_row is not None and facts.budget_row.weight is not None:
        weights.append(facts.budget_row.weight)
    total = f"，分值合计 {points(sum(weights, Decimal(0)))} 分" if weights else ""
    return sentence(f"自评范围包括{listing(parts, last='和')}{total}")


def _rule_sentences(ruleset: RuleSet | None) -> list[str]:
    """The rule in words, from the ruleset's own data."""
    if ruleset is None:
        return []
    texts = []
    if ruleset.budget_execution is not None:
        texts.append(
            f"{ruleset.budget_execution.label}分值 {points(ruleset.budget_execution.weight)} 分，"
            "得分 = 分值 × min(全年执行数 ÷ 全年预算数, 1)"
        )
    texts.append(
        "定量指标完成指标值的得全部分值，未完成的按完成值与指标值的比例计分（反向指标按指标值与完成值的比例计分）"
    )
    for deduction in ruleset.deductions:
        texts.append(
            f"{deduction.indicators[0]}每偏离指标值 1 个百分点扣分值的 {points(deduction.per_point)}%，扣完为止"
        )
    tiers = "、".join(f"{tier.name} {points(tier.low)}%–{points(tier.high)}%" for tier in ruleset.tiers)
    texts.append(
        f"定性指标按所属档次以分值的比例确定得分：{tiers}；"
        "自评得分在所属档次区间内的采用自评得分，超出区间的取区间上限或下限"
    )
    texts.append(_grade_sentence(ruleset))
    return [joined(texts[:-1]), texts[-1]]


def _grade_sentence(ruleset: RuleSet) -> str:
    bands = []
    higher: Decimal | None = None
    for band in ruleset.grades:
        if higher is None:
            bands.append(f"{points(band.min)} 分（含）以上为{quoted(band.grade)}")
        elif band.min > 0:
            bands.append(f"{points(band.min)} 分（含）至 {points(higher)} 分为{quoted(band.grade)}")
        else:
            bands.append(f"{points(higher)} 分以下为{quoted(band.grade)}")
        higher = band.min
    return sentence(f"总分 {points(ruleset.total)} 分，" + "，".join(bands))


# ------------------------------------------------------------------------ 三、综合评价结论


def _conclusion(facts: _Facts) -> list[Block]:
    sheet = facts.sheet
    grade = f"，等级为{quoted(sheet.grade_computed)}" if sheet.grade_computed else ""
    blocks: list[Block] = [
        Heading(SECTIONS[2], 1),
        Paragraph(
            sentence(
                f"经评价，{facts.subject}{year_of(facts.form.year)}{facts.kind}绩效自评得分为 "
                f"{points(sheet.total_computed)} 分{grade}"
            )
        ),
    ]
    levels = [level for level in ([facts.budget_level] if facts.budget_level else []) + list(facts.levels)]
    parts = [_level_clause(level) for level in levels]
    if parts:
        blocks.append(Paragraph(sentence("其中，" + "，".join(parts))))
    blocks += _para(_reported_sentence(facts))
    if levels:
        blocks.append(_level_grid(facts, levels))
        blocks.append(
            Chart(
                title="各一级指标得分情况",
                labels=tuple(level.name for level in levels),
                values=tuple(level.computed for level in levels),
                maxima=_maxima(levels),
            )
        )
    return blocks


def _level_clause(level: LevelResult) -> str:
    weight = _weight(level)
    out_of = f"（分值 {points(weight)} 分）" if weight is not None else ""
    return f"{level.name}得分 {points(level.computed)} 分{out_of}"


def _maxima(levels: Sequence[LevelResult]) -> tuple[Decimal, ...]:
    weights = [_weight(level) for level in levels]
    return tuple(w for w in weights if w is not None) if all(w is not None for w in weights) else ()


def _reported_sentence(facts: _Facts) -> str:
    """One sentence where the form's own total or grade differ from the computed ones."""
    sheet = facts.sheet
    total, grade = sheet.total_reported, sheet.grade_reported
    if total is None and grade is None:
        return sentence(f"自评表填报的总分和等级{NOT_FILLED}")
    total_differs = total is not None and abs(total - sheet.total_computed) > _TOLERANCE
    grade_differs = (
        grade is not None and sheet.grade_computed is not None and grade.strip() != sheet.grade_computed
    )
    if not (total_differs or grade_differs):
        return ""
    said = []
    if total is not None:
        said.append(f"总分为 {points(total)} 分")
    if grade is not None:
        said.append(f"等级为{quoted(grade.strip())}")
    differing = [row.name for row in facts.rows if row.differs]
    if facts.budget_row is not None and _row_differs(facts.budget_row):
        differing.insert(0, facts.budget_row.indicator)
    because = f"，差异来自{listing(differing)}的得分（见七）" if differing else ""
    return sentence(f"自评表填报的{'、'.join(said)}，与按评分规则计算的结果不一致{because}")


def _row_differs(row: ScoreRow) -> bool:
    reported, computed = row.reported_score, row.computed_score
    return reported is not None and computed is not None and abs(reported - computed) > _TOLERANCE


def _level_grid(facts: _Facts, levels: Sequence[LevelResult]) -> Grid:
    heads = ("一级指标", "分值", "自评得分", "计算得分", "得分率")
    cells: list[Cell] = [Cell(0, col, text, role="head") for col, text in enumerate(heads)]
    for number, level in enumerate(levels, start=1):
        weight = _weight(level)
        rate = share(level.computed, weight)
        cells += [
            Cell(number, 0, level.name, role="label"),
            number_cell(number, 1, weight),
            number_cell(number, 2, level.reported),
            number_cell(number, 3, level.computed),
            Cell(number, 4, percent(rate) if rate is not None else "", role="number", value=rate, places=2),
        ]
    last = len(levels) + 1
    weights = [_weight(level) for level in levels]
    reported = [level.reported for level in levels]
    total_weight = sum((w for w in weights if w is not None), Decimal(0)) if any(weights) else None
    # the column adds up: the levels' own sums; the form's printed total, where other, in a note
    total_reported = sum((r for r in reported if r is not None), Decimal(0)) if any(reported) else None
    total_rate = share(facts.sheet.total_computed, total_weight)
    cells += [
        Cell(last, 0, "合计", role="total"),
        number_cell(last, 1, total_weight, bold=True),
        number_cell(last, 2, total_reported, bold=True),
        number_cell(last, 3, facts.sheet.total_computed, bold=True),
        Cell(
            last,
            4,
            percent(total_rate) if total_rate is not None else "",
            "number",
            1,
            1,
            total_rate,
            2,
            True,
        ),
    ]
    notes: tuple[str, ...] = ()
    printed = facts.sheet.total_reported
    if printed is not None and total_reported is not None and abs(printed - total_reported) > _TOLERANCE:
        notes = (
            f"注：自评表填报的总分为 {points(printed)} 分，与各项指标自评得分合计 "
            f"{points(total_reported)} 分不一致。",
        )
    return Grid(
        title="一级指标得分情况",
        cells=tuple(cells),
        widths=(18, 10, 10, 10, 12),
        above=("单位：分",),
        header_rows=1,
        notes=notes,
    )


# ------------------------------------------------------------------ 四、绩效目标实现情况分析


def _analysis(facts: _Facts) -> list[Block]:
    blocks: list[Block] = [Heading(SECTIONS[3], 1)]
    number = 0
    budget = _budget_analysis(facts)
    if budget:
        number += 1
        blocks += [Heading(f"{heading_number(number)}预算执行情况", 2), *budget]
    for level in facts.levels:
        number += 1
        blocks.append(Heading(f"{heading_number(number)}{level.name}完成情况", 2))
        blocks += _level_analysis(facts, level)
    return blocks


def _budget_analysis(facts: _Facts) -> list[Block]:
    row, line = facts.budget_row, facts.budget_line
    if row is None and line is None:
        return []
    parts = []
    if row is not None and row.weight is not None:
        parts.append(f"{row.indicator}分值 {points(row.weight)} 分")
    if line is not None:
        if line.adjusted is not None:
            parts.append(f"{line.label}全年预算 {amount(line.adjusted, line.unit)}")
        if line.executed is not None:
            parts.append(f"全年执行数 {amount(line.executed, line.unit)}")
        rate = _rate(line)
        if rate is not None:
            parts.append(f"执行率 {percent(rate)}")
        elif line.rate_raw:
            parts.append(f"执行率按自评表填列为 {line.rate_raw.strip()}（全年预算或执行数{NOT_FILLED}）")
    if row is not None and row.computed_score is not None:
        reported = (
            f"（自评 {points(row.reported_score)} 分）"
            if _row_differs(row) and row.reported_score is not None
            else ""
        )
        if row.method == "missing":
            parts.append(f"预算执行数据{NOT_FILLED}，按评分规则记 0 分")
        else:
            parts.append(f"得 {points(row.computed_score)} 分{reported}")
    return _para(sentence("，".join(parts)))


def _level_analysis(facts: _Facts, level: LevelResult) -> list[Block]:
    rows = facts.rows_of(level.name)
    if not rows:
        return [Paragraph(sentence(f"自评表未设{level.name}的三级指标"))]
    weight = _weight(level)
    out_of = f"分值 {points(weight)} 分，" if weight is not None else ""
    blocks: list[Block] = [
        Paragraph(sentence(f"{level.name}{out_of}得分 {points(level.computed)} 分，{_counts(rows)}"))
    ]
    met = [row for row in rows if row.status == "met"]
    if met:
        blocks.append(Paragraph(sentence(f"达成目标并得满分的指标：{_grouped(met)}")))
    below = [row for row in rows if row.status == "met_below"]
    if below:
        listed = listing(
            f"{row.name}（分值 {points(row.score.weight or Decimal(0))} 分，得 {points(row.score.computed_score or Decimal(0))} 分）"
            for row in below
        )
        blocks.append(Paragraph(sentence(f"达成目标、按档次未得满分的指标：{listed}")))
    blocks += [Paragraph(_shortfall(row)) for row in rows if row.status in ("partial", "missed", "missing")]
    unscored = [row for row in rows if row.status == "unscored"]
    if unscored:
        blocks.append(
            Paragraph(sentence(f"无法按评分规则计分的指标：{listing(row.name for row in unscored)}（见七）"))
        )
    return blocks


_STATUS_WORDS: dict[str, str] = {
    "met": "达成目标并得满分",
    "met_below": "达成目标、按档次未得满分",
    "partial": "部分达成",
    "missed": "未达成",
    "missing": "缺少实际完成值",
    "unscored": "无法计分",
}


def _counts(rows: Sequence[_Row]) -> str:
    counted = [
        f"{_STATUS_WORDS[status]} {sum(row.status == status for row in rows)} 项"
        for status in _STATUS_WORDS
        if any(row.status == status for row in rows)
    ]
    return f"共 {len(rows)} 项三级指标，其中" + "，".join(counted)


def _grouped(rows: Sequence[_Row]) -> str:
    """Names grouped by 二级指标: ``工作目标管理方面，A、B；绩效管理方面，C``."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row.name)
    if len(groups) == 1:
        return listing(next(iter(groups.values())))
    return "；".join(
        f"{group}方面，{listing(names)}" if group else listing(names) for group, names in groups.items()
    )


def _how(row: ScoreRow) -> str:
    """Why the row lost points, in the rule's words (no figure that is not in the sheet)."""
    if row.method == "qualitative" and row.tier:
        span = ""
        if row.allowed_low is not None and row.allowed_high is not None:
            span = f"（得分区间 {points(row.allowed_low)}–{points(row.allowed_high)} 分）"
        return f"属{quoted(row.tier)}档{span}"
    return {
        "proportional": "未达到指标值，按完成值与指标值的比例计分",
        "inverse": "超过指标值，按指标值与完成值的比例计分",
        "range": "不在指标值区间内，按比例计分",
        "deduction": "偏离指标值，按偏离的百分点扣分",
        "deadline": "未在指标值规定的时间内完成",
        "missing": "缺少实际完成值，按评分规则记 0 分",
    }.get(row.method, "")


def _shortfall(row: _Row) -> str:
    """One missed or partly met indicator: target, actual, score, and its 偏差原因 (or that none is given)."""
    score = row.score
    target = f"指标值{quoted(score.target.strip())}" if score.target.strip() else f"指标值{NOT_FILLED}"
    actual_text = (score.actual or "").strip()
    actual = f"实际完成值{quoted(actual_text)}" if actual_text else f"实际完成值{NOT_FILLED}"
    weight = f"分值 {points(score.weight)} 分" if score.weight is not None else ""
    computed = f"得分 {points(score.computed_score)} 分" if score.computed_score is not None else ""
    if row.differs and score.reported_score is not None:
        computed += f"（自评 {points(score.reported_score)} 分）"
    facts = "，".join(part for part in (target, actual, weight, computed, _how(score)) if part)
    reason = (row.indicator.deviation_reason or "").strip() if row.indicator is not None else ""
    where = f"（{row.group}）" if row.group else ""
    said = sentence(f"偏差原因及改进措施：{reason}") if reason else sentence(NO_REASON)
    return sentence(f"{row.name}{where}：{facts}") + said


# -------------------------------------------------------------- 五、发现的主要问题和改进措施


@dataclass(frozen=True)
class _Problem:
    text: str
    measure: str


def _problem_list(facts: _Facts) -> list[_Problem]:
    found: list[_Problem] = []
    not_met = facts.not_met
    if not_met:
        named = listing(
            f"{row.name}（分值 {points(row.score.weight)} 分，得 {points(row.score.computed_score or Decimal(0))} 分）"
            if row.score.weight is not None
            else row.name
            for row in not_met
        )
        found.append(
            _Problem(
                f"{len(not_met)} 项指标未完全达成目标：{named}",
                "对未完全达成目标的指标逐项分析原因、落实整改，在下一年度绩效目标设定和执行中改进",
            )
        )
        silent = [
            row.name
            for row in not_met
            if row.indicator is None or not (row.indicator.deviation_reason or "").strip()
        ]
        if silent:
            found.append(
                _Problem(
                    f"其中 {len(silent)} 项自评表未填写偏差原因及改进措施：{listing(silent)}",
                    "补充填写未完成指标的偏差原因及改进措施",
                )
            )
    line = facts.budget_line
    if line is not None:
        rate = _rate(line)
        if (
            rate is not None
            and line.adjusted is not None
            and line.executed is not None
            and line.executed < line.adjusted
        ):
            found.append(
                _Problem(
                    f"预算执行率 {percent(rate)}，全年预算 {amount(line.adjusted, line.unit)}中有 "
                    f"{amount(line.adjusted - line.executed, line.unit)}未执行，形成结转结余",
                    "加强预算执行进度管理，及时盘活结转结余资金",
                )
            )
        if line.initial is not None and line.adjusted is not None and line.initial != line.adjusted:
            change = line.adjusted - line.initial
            found.append(
                _Problem(
                    f"全年预算较年初预算{'调增' if change > 0 else '调减'} {amount(abs(change), line.unit)}，年初预算与全年预算不一致",
                    "提高年初预算编制的准确性，减少年中预算调整",
                )
            )
    differing = [row for row in facts.rows if row.differs]
    sheet = facts.sheet
    total_differs = (
        sheet.total_reported is not None and abs(sheet.total_reported - sheet.total_computed) > _TOLERANCE
    )
    if differing or total_differs:
        totals = (
            f"，自评总分 {points(sheet.total_reported)} 分，按评分规则计算为 {points(sheet.total_computed)} 分"
            if total_differs and sheet.total_reported is not None
            else ""
        )
        count = (
            f"{len(differing)} 项指标的自评得分与按评分规则计算的得分不一致"
            if differing
            else "自评总分与计算结果不一致"
        )
        found.append(_Problem(f"{count}{totals}", "按评分规则复核自评得分"))
    return found


def _problems(facts: _Facts) -> list[Block]:
    found = _problem_list(facts)
    blocks: list[Block] = [Heading(SECTIONS[4], 1), Heading(f"{heading_number(1)}发现的主要问题", 2)]
    if not found:
        rate = _rate(facts.budget_line) if facts.budget_line is not None else None
        execution = f"，预算执行率 {percent(rate)}" if rate is not None else ""
        blocks.append(
            Paragraph(sentence(f"根据自评表数据，各项指标均达成目标{execution}，未发现需要说明的问题"))
        )
        blocks.append(Heading(f"{heading_number(2)}改进措施", 2))
        blocks.append(Paragraph(sentence("本次自评未发现需要整改的问题")))
        return blocks
    blocks += [
        Paragraph(sentence(lead(number, problem.text))) for number, problem in enumerate(found, start=1)
    ]
    blocks.append(Heading(f"{heading_number(2)}改进措施", 2))
    measures = list(dict.fromkeys(problem.measure for problem in found))
    blocks += [Paragraph(sentence(lead(number, measure))) for number, measure in enumerate(measures, start=1)]
    return blocks


# ------------------------------------------------------------------------------ 六、有关建议


def _advice(facts: _Facts) -> list[Block]:
    texts = [sentence("将本次自评结果应用于下一年度预算安排和绩效目标设定")]
    if facts.not_met:
        texts.append(sentence("对未完全达成目标的指标，在下一年度执行中加强绩效监控，及时发现和纠正偏差"))
    if any(row.status == "missing" for row in facts.rows):
        texts.append(sentence("自评表应为每项指标填列实际完成值"))
    blocks: list[Block] = [Heading(SECTIONS[5], 1)]
    blocks += [Paragraph(sentence(lead(number, text))) for number, text in enumerate(texts, start=1)]
    return blocks


# -------------------------------------------------------------------- 七、其他需要说明的问题


def _other(facts: _Facts) -> list[Block]:
    texts: list[str] = []
    missing = [row.name for row in facts.rows if row.status == "missing"]
    if missing:
        texts.append(f"以下指标自评表未填列实际完成值，按评分规则记 0 分：{listing(missing)}")
    unweighted = [row.name for row in facts.rows if row.score.weight is None]
    if unweighted:
        texts.append(f"以下指标自评表未填列分值，不计分：{listing(unweighted)}")
    unscorable = [row.name for row in facts.rows if row.status == "unscored" and row.score.weight is not None]
    if unscorable:
        texts.append(f"以下指标的实际完成值与指标值无法比较，未计分：{listing(unscorable)}")
    differing = [
        f"{row.name}（自评 {points(row.score.reported_score or Decimal(0))} 分，按评分规则 "
        f"{points(row.score.computed_score or Decimal(0))} 分）"
        for row in facts.rows
        if row.differs
    ]
    budget = facts.budget_row
    if budget is not None and _row_differs(budget):
        differing.insert(
            0,
            f"{budget.indicator}（自评 {points(budget.reported_score or Decimal(0))} 分，按评分规则 "
            f"{points(budget.computed_score or Decimal(0))} 分）",
        )
    if differing:
        texts.append(f"以下指标的自评得分与按评分规则计算的得分不同：{listing(differing)}")
    line = facts.budget_line
    if line is not None and line.rate is not None:
        rate = _rate(line)
        if rate is not None and abs(rate - line.rate) > _TOLERANCE:
            printed = line.rate_raw.strip() if line.rate_raw else percent(line.rate)
            texts.append(
                f"自评表填列的预算执行率为 {printed}，按全年执行数与全年预算数计算为 {percent(rate)}"
            )
    blocks: list[Block] = [Heading(SECTIONS[6], 1)]
    blocks += [Paragraph(sentence(text)) for text in texts] or [Paragraph("无。")]
    return blocks
