"""Self-evaluation consistency rules (C6xx): the 自评表, the report's own tables and its text agree.

Enters: a ``SelfEvaluation`` (department-wide or project) with its 自评表 rows (``indicators``), the
report's own indicator table (``report_indicators``, e.g. 表3-2), the level summary, the 预算执行
block, goals and tasks with their 完成情况, and the report's narrative ``sections`` with their figures.
Leaves: ``Problem``s where the same quantity is stated differently in two places, or
``NotApplicable`` where a form has only one of the places.

What is compared:

- the same indicator's 指标值, 实际完成值, 分值 and 得分 in the 自评表 and in the report's table
  (names matched after spaces and quotes are dropped, then by near-identical spelling);
- the report's sentences “××，指标 2 分，得 0.86 分”, “投入管理指标得分 30 分”, “群众满意度为 96%”,
  “年初预算 1913.2 万元” against every table that states the same quantity (a sentence is wrong only
  when it matches none of them; display rounding is tolerated);
- the years a 完成情况 cites against the evaluated year, and the figures it quotes against the
  实际完成值 of the indicator they name.

>>> _fund_field("全年实际执行数为 1913.2 万元"), _fund_field("年底结余 0 万元")
('executed', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from jixiao.checks.context import Context, amount_text
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.checks.scoring import (
    cell,
    form_name,
    is_budget_level,
    is_total_level,
    level_stem,
    levels_name,
    name_key,
    points,
    rows_name,
    shown_as,
    table_name,
)
from jixiao.model.declaration import Goal, Task
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.money import normalise_digits
from jixiao.model.target import Comparator, Target, TargetKind
from jixiao.model.values import parse_target
from jixiao.scoring.engine import budget_line

# ---------------------------------------------------------------------------------------------------
# The same indicator in the 自评表 and in the report's table


_DIGITS = re.compile(r"\d+")


def _near(left: str, right: str) -> float:
    """How alike two indicator names are (0–1); names numbered differently are never alike."""
    if _DIGITS.findall(left) != _DIGITS.findall(right) or min(len(left), len(right)) < 4:
        return 0.0
    return SequenceMatcher(None, left, right).ratio()


def _pair(form: SelfEvaluation) -> list[tuple[Indicator, Indicator]]:
    """(自评表 row, report row) for each indicator found in both: same name first, then the one
    unique near-identical name (“三公经”控制率 / “三公经费”控制率) under the same 一级指标."""
    table, report = form.indicators, form.report_indicators
    free: dict[str, list[int]] = {}
    for index, row in enumerate(report):
        free.setdefault(name_key(row.name), []).append(index)
    used: set[int] = set()
    pairs: list[tuple[Indicator, Indicator]] = []
    left_over: list[Indicator] = []
    for row in table:
        same = free.get(name_key(row.name))
        if same:
            index = same.pop(0)
            used.add(index)
            pairs.append((row, report[index]))
        else:
            left_over.append(row)
    for row in left_over:
        key = name_key(row.name)
        scored = sorted(
            (
                (_near(key, name_key(candidate.name)), index)
                for index, candidate in enumerate(report)
                if index not in used
                and (
                    not row.level1
                    or not candidate.level1
                    or level_stem(row.level1) == level_stem(candidate.level1)
                )
            ),
            reverse=True,
        )
        if scored and scored[0][0] >= 0.8 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            used.add(scored[0][1])
            pairs.append((row, report[scored[0][1]]))
    order = {id(row): index for index, row in enumerate(table)}
    return sorted(pairs, key=lambda pair: order[id(pair[0])])


def _pairs(form: SelfEvaluation, ctx: Context) -> list[tuple[Indicator, Indicator]]:
    return ctx.memo(("evaluation:pairs", id(form)), lambda: _pair(form))


def _same(left: Target | None, right: Target | None) -> bool | None:
    """Do two printed values say the same? None when one is missing or they cannot be compared."""
    if left is None or right is None or TargetKind.MISSING in (left.kind, right.kind):
        return None
    if name_key(left.raw) == name_key(right.raw):
        return True
    single = not left.parts and not right.parts
    if single and left.value is not None and right.value is not None:
        if left.unit != right.unit:
            return None if left.unit is None or right.unit is None else False
        same_value = shown_as(left.value, right.value) or shown_as(right.value, left.value)
        ops = {left.op or Comparator.EQ, right.op or Comparator.EQ}
        # “95%” beside “≥95%”: a comparator left out is not a different value
        return same_value and (len(ops) == 1 or Comparator.EQ in ops)
    if left.kind is TargetKind.QUALITATIVE and right.kind is TargetKind.QUALITATIVE:
        return name_key(left.label or left.raw) == name_key(right.label or right.raw)
    return False


def _where(loc: Loc | None) -> str:
    """`` （L460:表4 行23 列7）``: a place in the message, the file being named by the location."""
    if loc is None:
        return ""
    return f"（{loc.label().removeprefix(loc.file).lstrip(':') or loc.file}）"


def _value_rule(
    form: SelfEvaluation, ctx: Context, what: str, key: str, value_of: str
) -> Iterator[Problem | NotApplicable]:
    if not form.indicators or not form.report_indicators:
        yield NotApplicable("报告中没有与自评表对应的指标得分表")
        return
    pairs = _pairs(form, ctx)
    if not pairs:
        yield NotApplicable("报告指标表与自评表的指标名称对不上")
        return
    table = rows_name(ctx, form, form.indicators)
    report = rows_name(ctx, form, form.report_indicators)
    for row, other in pairs:
        left, right = getattr(row, value_of), getattr(other, value_of)
        if _same(left, right) is not False:
            continue
        left_text, right_text = left.raw, right.raw
        yield Problem(
            message=(
                f"指标“{row.name}”的{what}在{table}中为“{left_text}”{_where(cell(row, key))}，"
                f"在{report}中为“{right_text}”{_where(cell(other, key))}"
            ),
            locations=(cell(other, key), cell(row, key)),
            expected=left_text,
            actual=right_text,
        )


@rule(
    "C601",
    Severity.ERROR,
    "自评表与报告指标表的指标值不一致",
    "自评报告中的指标得分表（如表3-2）与所附自评表列出同一批指标，同一指标的指标值应相同。按指标名称对应"
    "（忽略空格、引号，个别错字按近似名称对应）；“≥95%”与“不低于95%”视为相同。报告中没有指标表时不适用。",
    "例：“预算执行率”在自评表中指标值为“100%”，在报告表3-2中为“≥95%”。",
    applies_to=SelfEvaluation,
    suggestion="以批复的绩效目标为准，统一报告与自评表中的指标值。",
)
def report_targets(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield from _value_rule(form, ctx, "指标值", "target", "target")


@rule(
    "C602",
    Severity.ERROR,
    "自评表与报告指标表的实际完成值不一致",
    "同一指标的实际完成值在自评表与报告指标得分表中应相同。数值按显示精度比较（98.95% 与 99% 视为一致，"
    "与 98% 不一致）；文字完成值（如“合理”与“一般合理”）按文字比较。",
    "例：“群众满意度”实际完成值在自评表中为 98.95%，在报告表3-2中为 98%。",
    applies_to=SelfEvaluation,
    suggestion="核对实际完成值的来源数据，统一报告与自评表。",
)
def report_actuals(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    yield from _value_rule(form, ctx, "实际完成值", "actual", "actual")


@rule(
    "C603",
    Severity.ERROR,
    "自评表与报告指标表的分值或得分不一致",
    "同一指标的分值与得分在自评表与报告指标得分表中应相同；任一处未印出时不比较。",
    "例：“长效管理制度”在自评表中得 9 分，在报告表3-2中得 10 分。",
    applies_to=SelfEvaluation,
    suggestion="统一报告与自评表中的分值和得分，并重新核对合计。",
)
def report_points(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not form.indicators or not form.report_indicators:
        yield NotApplicable("报告中没有与自评表对应的指标得分表")
        return
    table = rows_name(ctx, form, form.indicators)
    report = rows_name(ctx, form, form.report_indicators)
    for row, other in _pairs(form, ctx):
        for label, key in (("分值", "weight"), ("得分", "score")):
            left, right = getattr(row, key), getattr(other, key)
            if left is None or right is None or left == right:
                continue
            yield Problem(
                message=(
                    f"指标“{row.name}”的{label}在{table}中为 {amount_text(left)}{_where(cell(row, key))}，"
                    f"在{report}中为 {amount_text(right)}{_where(cell(other, key))}"
                ),
                locations=(cell(other, key), cell(row, key)),
                expected=amount_text(left),
                actual=amount_text(right),
            )


# ---------------------------------------------------------------------------------------------------
# The report's text


@dataclass
class _Paragraph:
    raw: str  # as printed
    text: str  # digits and punctuation made ASCII, character for character (same offsets as ``raw``)
    loc: Loc | None
    heading: str  # the section's title, normalised


def _split_paragraphs(form: SelfEvaluation) -> list[_Paragraph]:
    """The report's paragraphs, each with its location: the line its figures were read from.

    Figures come in reading order, those of one paragraph sharing its location, so a paragraph
    takes the location of the next unused figure it contains; one without figures, its section's.
    """
    paragraphs: list[_Paragraph] = []
    for section in form.sections:
        heading = normalise_digits(section.title)
        if heading:
            paragraphs.append(_Paragraph(section.title, heading, section.loc, heading))
        body = [f for f in section.figures if f.loc != section.loc]
        next_figure = 0
        for line in section.text.split("\n"):
            text = normalise_digits(line)
            if not text.strip():
                continue
            loc = section.loc
            if next_figure < len(body) and (body[next_figure].context or "") in text:
                loc = body[next_figure].loc
                while next_figure < len(body) and body[next_figure].loc == loc:
                    next_figure += 1
            paragraphs.append(_Paragraph(line, text, loc, heading))
    return paragraphs


def _paragraphs(form: SelfEvaluation, ctx: Context) -> list[_Paragraph]:
    return ctx.memo(("evaluation:paragraphs", id(form)), lambda: _split_paragraphs(form))


@dataclass
class _Reference:
    """One table's statement of a quantity the text may quote."""

    where: str  # 《表3-2…》指标“群众满意度”
    weight: Decimal | None = None
    score: Decimal | None = None
    values: list[tuple[str, Decimal]] = field(default_factory=list)  # (实际完成值 / 指标值, percent)
    locs: list[Loc | None] = field(default_factory=list)


def _indicator_references(form: SelfEvaluation, ctx: Context) -> dict[str, list[_Reference]]:
    return ctx.memo(("evaluation:indicators", id(form)), lambda: _indicator_table(form, ctx))


def _level_references(form: SelfEvaluation, ctx: Context) -> dict[str, list[_Reference]]:
    return ctx.memo(("evaluation:levels", id(form)), lambda: _level_table(form, ctx))


def _indicator_table(form: SelfEvaluation, ctx: Context) -> dict[str, list[_Reference]]:
    """Every scored row by name key, longest name first, as the text may quote it."""
    found: dict[str, list[_Reference]] = {}
    for rows in (form.indicators, form.report_indicators):
        if not rows:
            continue
        where = rows_name(ctx, form, rows)
        for row in rows:
            # a sentence may restate an exact target (计划完成率：100%), not the bound of ≥95%
            exact_target = row.target if row.target.op in (None, Comparator.EQ) else None
            values = [
                (label, t.value)
                for label, t in (("实际完成值", row.actual), ("指标值", exact_target))
                if t is not None and t.kind is TargetKind.RATIO and t.value is not None and not t.parts
            ]
            found.setdefault(name_key(row.name), []).append(
                _Reference(
                    f"{where}指标“{row.name}”",
                    row.weight,
                    row.score,
                    values,
                    [cell(row, "score"), cell(row, "actual")],
                )
            )
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def _level_table(form: SelfEvaluation, ctx: Context) -> dict[str, list[_Reference]]:
    """Every 一级指标 by stem (the summary table's row, the sums of the rows), and 预算执行."""
    found: dict[str, list[_Reference]] = {}
    summary = levels_name(ctx, form)
    for level in form.level_scores:
        if is_total_level(level.name):
            continue
        stem = "预算执行" if is_budget_level(level.name) else level_stem(level.name)
        found.setdefault(stem, []).append(
            _Reference(f"{summary}“{level.name}”", level.weight, level.score, locs=[cell(level, "score")])
        )
    for rows in (form.indicators, form.report_indicators):
        groups: dict[str, list[Indicator]] = {}
        for row in rows:
            if row.level1:
                groups.setdefault(level_stem(row.level1), []).append(row)
        where = rows_name(ctx, form, rows) if rows else ""
        for stem, group in groups.items():
            if any(row.score is None or row.weight is None for row in group):
                continue
            found.setdefault(stem, []).append(
                _Reference(
                    f"{where}“{group[0].level1}”各三级指标之和",
                    sum((row.weight for row in group if row.weight is not None), Decimal(0)),
                    sum((row.score for row in group if row.score is not None), Decimal(0)),
                    locs=[cell(group[0], "score")],
                )
            )
    line = budget_line(form)
    if line is not None and (line.score is not None or line.weight is not None):
        where = table_name(ctx, line.loc, form_name(form))
        found.setdefault("预算执行", []).append(
            _Reference(f"{where}预算执行“{line.label}”", line.weight, line.score, locs=[cell(line, "score")])
        )
    return found


_NUMBER = r"(\d+(?:\.\d+)?)"
_WEIGHT_AND_SCORE = re.compile(
    r"(?:指标|分值|权重|满分|标准分)\s*(?:为|是|:|：)?\s*" + _NUMBER + r"\s*分\s*[,，;；]?\s*"
    r"(?:实际)?(?:得分|得)\s*(?:为|是|:|：)?\s*" + _NUMBER + r"\s*分"
)
_SCORE_ONLY = re.compile(r"^(?P<name>.+?)(?:一项)?(?:的)?得分\s*(?:为|是|:|：)?\s*" + _NUMBER + r"\s*分$")
_SENTENCES = re.compile(r"[。;；!！?？]")
_CLAUSES = re.compile(r"[,，;；。!！?？]")
_ENUMERATION = re.compile(r"^(?:其中|[①-⑳]|[(（]\d+[)）]|\d+[.、．])+[,，:：]?")


@dataclass
class _Claim:
    text: str
    loc: Loc | None
    weight: Decimal | None
    score: Decimal
    references: list[_Reference]


_TARGET_TAIL = re.compile(r"[\d.%‰≥≤<>=]*")


def _longest_contained(key: str, names: dict[str, list[_Reference]]) -> list[_Reference]:
    """The rows of the longest name ``key`` ends with (or with that name and a target: ××率：100%).

    ``names`` is ordered longest first (``_indicator_references``)."""
    for name, references in names.items():
        if len(name) >= 3 and name in key and _TARGET_TAIL.fullmatch(key[key.rindex(name) + len(name) :]):
            return references
    return []


def _level_named(key: str, levels: dict[str, list[_Reference]]) -> list[_Reference]:
    """The level a clause's subject names exactly (投入管理指标, 产出, 预算执行率)."""
    stem = key[:-2] if key.endswith("指标") else key
    if stem.startswith("预算执行") and stem in ("预算执行", "预算执行率", "预算执行情况"):
        return levels.get("预算执行", [])
    return levels.get(stem, [])


def _spans(
    text: str, separators: re.Pattern[str], start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int]]:
    """The (start, end) of each piece of ``text[start:end]`` between separators."""
    end = len(text) if end is None else end
    for match in separators.finditer(text, start, end):
        yield start, match.start()
        start = match.end()
    yield start, end


_SPACE = re.compile(r"\s+")


def _claims(form: SelfEvaluation, ctx: Context) -> list[_Claim]:
    indicators = _indicator_references(form, ctx)
    levels = _level_references(form, ctx)
    claims: list[_Claim] = []
    for paragraph in _paragraphs(form, ctx):
        text = paragraph.text
        if "分" not in text:
            continue
        for start, end in _spans(text, _SENTENCES):
            sentence = text[start:end]
            match = _WEIGHT_AND_SCORE.search(sentence)
            if match:
                subject = name_key(_ENUMERATION.sub("", _SPACE.sub("", sentence[: match.start()])))
                references = _longest_contained(subject, indicators) or _level_named(subject, levels)
                if not references and not subject:
                    references = _longest_contained(name_key(paragraph.heading), indicators)
                if references:
                    weight, score = Decimal(match.group(1)), Decimal(match.group(2))
                    quoted = paragraph.raw[start:end].strip()
                    claims.append(_Claim(quoted, paragraph.loc, weight, score, references))
                continue
            for clause_start, clause_end in _spans(text, _CLAUSES, start, end):
                only = _SCORE_ONLY.match(_SPACE.sub("", text[clause_start:clause_end]))
                if not only:
                    continue
                subject = name_key(_ENUMERATION.sub("", only.group("name")))
                references = _level_named(subject, levels) or indicators.get(subject, [])
                if references:
                    quoted = paragraph.raw[clause_start:clause_end].strip()
                    claims.append(_Claim(quoted, paragraph.loc, None, Decimal(only.group(2)), references))
    return claims


def _agrees(claim: _Claim, reference: _Reference) -> bool:
    if reference.score is None or not shown_as(reference.score, claim.score):
        return False
    return claim.weight is None or reference.weight is None or reference.weight == claim.weight


@rule(
    "C604",
    Severity.ERROR,
    "报告正文所述分值、得分与表格不符",
    "自评报告正文逐项说明的“指标 2 分，得 2 分”、“投入管理指标得分 30 分”、“预算执行率一项得分 10 分”等，"
    "应与自评表、报告指标得分表和得分汇总表中的分值、得分一致。正文数字只要与其中任一表格相符即不报告"
    "（表格之间的不一致由其他规则报告）；正文未点名指标或一级指标的句子不比较，总分由 F010 比较。",
    "例：正文“部门绩效评价完成率，指标 2 分，得 0.86 分”，而自评表与表3-2中该指标得 2 分。",
    applies_to=SelfEvaluation,
    suggestion="按表格更正报告正文中的得分（或更正表格），使两者一致。",
)
def narrative_points(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not form.sections:
        yield NotApplicable("没有自评报告正文")
        return
    for claim in _claims(form, ctx):
        scored = [reference for reference in claim.references if reference.score is not None]
        if not scored or any(_agrees(claim, reference) for reference in scored):
            continue
        first, others = scored[0], scored[1:]
        both = claim.weight is not None and first.weight is not None
        stated = f"分值 {amount_text(first.weight)}、得分 {amount_text(first.score)}" if both else ""
        also = "".join(f"，{r.where}亦同" for r in others if r.score == first.score)
        yield Problem(
            message=f"报告正文“{claim.text}”，而{first.where}{stated or '得分 ' + amount_text(first.score)}{also}",
            locations=(claim.loc, *(r.locs[0] for r in scored if r.locs)),
            expected=f"{amount_text(first.weight)}/{amount_text(first.score)}"
            if both
            else amount_text(first.score),
            actual=f"{amount_text(claim.weight)}/{amount_text(claim.score)}"
            if both
            else amount_text(claim.score),
        )


_PERCENT = re.compile(_NUMBER + r"\s*%")
_VERBS = re.compile(r"(?:为|是|达到|达|约为|约|仅为|仅|了)+$")
_FILLERS = re.compile(r"总体|整体|综合|平均")
_NOT_THIS_YEAR = ("上年", "去年", "上一年", "同比", "较上", "比上", "增长", "下降", "提高", "降低", "增加", "减少", "目标", "计划", "预期", "要求", "不低于", "不少于", "以上", "以下")  # fmt: skip


@dataclass
class _Quote:
    text: str
    loc: Loc | None
    value: Decimal
    references: list[_Reference]


def _percent_quotes(form: SelfEvaluation, ctx: Context) -> list[_Quote]:
    indicators = {
        key: [r for r in references if r.values]
        for key, references in _indicator_references(form, ctx).items()
    }
    indicators = {key: references for key, references in indicators.items() if references}
    line = budget_line(form)
    budget: list[_Reference] = []
    if line is not None and line.rate is not None:
        budget.append(
            _Reference(
                f"{table_name(ctx, line.loc, form_name(form))}预算执行“{line.label}”",
                values=[("执行率", line.rate)],
                locs=[cell(line, "rate")],
            )
        )
    quotes: list[_Quote] = []
    for paragraph in _paragraphs(form, ctx):
        text = paragraph.text
        if "%" not in text:
            continue
        for match in _PERCENT.finditer(text):
            start = max((m.end() for m in _CLAUSES.finditer(text, 0, match.start())), default=0)
            before = _VERBS.sub("", name_key(text[start : match.start()]))
            if not before or before.endswith(("=", "×", "*", "/")):
                continue
            subject = _FILLERS.sub("", before)
            references: list[_Reference] = []
            matched = ""
            for name, candidates in indicators.items():  # longest name first
                if len(name) >= 3 and subject.endswith(name):
                    matched, references = name, list(candidates)
                    break
            if subject.endswith("执行率") and ("预算" in subject or "资金" in subject):
                matched = matched or "执行率"
                references = references + budget
            rest = subject[: len(subject) - len(matched)] if matched else subject
            if not references or any(word in rest for word in _NOT_THIS_YEAR):
                continue
            quoted = paragraph.raw[start : match.end()].strip()
            quotes.append(_Quote(quoted, paragraph.loc, Decimal(match.group(1)), references))
    return quotes


@rule(
    "C605",
    Severity.ERROR,
    "报告正文所述指标完成值与表格不符",
    "自评报告正文写出的指标百分比（如“群众满意度为 96%”、“预算执行率为 100%”），应与自评表或报告指标表中"
    "该指标的实际完成值（或写成确切值的指标值，如“100%”）、预算执行栏的执行率一致，按显示精度比较。"
    "正文数字与任一表格相符即不报告；"
    "句中出现上年、同比、增长、目标等字样（说的不是本年完成值）时不比较。",
    "例：正文“据统计群众总体满意度为 96%”，而自评表中“群众满意度”实际完成值为 98.95%。",
    applies_to=SelfEvaluation,
    suggestion="核对满意度调查等来源数据，统一报告正文与表格中的完成值。",
)
def narrative_percentages(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not form.sections:
        yield NotApplicable("没有自评报告正文")
        return
    for quote in _percent_quotes(form, ctx):
        values = [value for reference in quote.references for _, value in reference.values]
        if any(shown_as(v, quote.value) or shown_as(quote.value, v) for v in values):
            continue
        listed = "；".join(
            f"{reference.where}{label}为 {points(value)}%"
            for reference in quote.references
            for label, value in reference.values[:1]
        )
        yield Problem(
            message=f"报告正文“{quote.text}”，而{listed}",
            locations=(quote.loc, *(r.locs[-1] for r in quote.references if r.locs)),
            expected=f"{points(quote.references[0].values[0][1])}%",
            actual=f"{points(quote.value)}%",
        )


_FUND_EXCLUDED = ("三公", "结余", "结转", "其中", "基本支出", "项目支出", "人员", "公用", "收入", "采购", "上年", "去年", "同比", "增加", "减少", "下降", "增长")  # fmt: skip
_FUND_LABELS = {"initial": "年初预算", "adjusted": "全年预算", "executed": "全年执行数"}
_TABLE_LABELS = {"initial": "年初数", "adjusted": "全年数", "executed": "全年执行数"}
_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}


_FUND_WORDS: dict[str, tuple[str, ...]] = {
    "initial": ("年初",),
    "adjusted": ("全年预算", "全年总预算", "调整后", "总预算", "预算总额", "预算资金总额", "全年数"),
    "executed": ("执行数", "执行", "实际支出", "支出数"),
}


def _fund_field(text: str) -> str | None:
    """Which 预算执行 amount a clause quotes (年初预算 / 全年预算 / 执行数): the kind named nearest
    the number (``预算执行情况：全年预算 120 万元`` is 全年预算), or None."""
    key = name_key(text)
    if any(word in key for word in _FUND_EXCLUDED):
        return None
    best, position = None, -1
    for fund, words in _FUND_WORDS.items():
        for word in words:
            found = key.rfind(word)
            if found > position:
                best, position = fund, found
    if best == "initial" and not any(word in key for word in ("预算", "资金", "批复")):
        return None
    return best if position >= 0 else None


_SOURCES = ("财政", "其他资金", "自有资金", "单位资金", "政府性基金", "一般公共预算", "上级补助")


def _fund_line(form: SelfEvaluation, text: str) -> int | None:
    """The 预算执行 line a clause speaks of: the one its source of funds names (财政拨款 → 财政性资金),
    else the main line; None when it names a source the block has no line for."""
    key = name_key(text)
    for word in _SOURCES:
        if word in key:
            stem = word.removesuffix("资金")
            return next((i for i, line in enumerate(form.budget_execution) if stem in line.label), None)
    main = budget_line(form)
    return next((i for i, line in enumerate(form.budget_execution) if line is main), None)


@rule(
    "C606",
    Severity.ERROR,
    "报告正文所述预算资金与自评表不符",
    "自评报告正文写出的年初预算、全年预算和全年执行数（万元或元），应与自评表预算执行栏（部门预算总额/"
    "年度资金总额）的年初数、全年数、全年执行数一致，按显示精度比较；句中点明资金来源（财政拨款、其他资金）的，"
    "与预算执行栏的同名行比较。句中出现三公、结转结余、其中、基本支出、项目支出、上年等字样，或部门整体报告中"
    "提到某个项目时（说的不是预算总额）不比较。",
    "例：正文“年初预算资金 1913.2 万元”，而自评表部门预算总额年初数为 1633.2 万元。",
    applies_to=SelfEvaluation,
    suggestion="核对预算批复与决算数，统一报告正文与自评表中的预算资金。",
)
def narrative_funds(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    main = budget_line(form)
    if not form.sections or main is None:
        yield NotApplicable("没有自评报告正文或预算执行栏")
        return
    groups: dict[tuple[int, Decimal, Decimal], list[tuple[str, str, Loc | None]]] = {}
    for section in form.sections:
        for figure in section.figures:
            unit_scale = _TO_WAN.get(figure.unit or "")
            fund = _fund_field(figure.text) if unit_scale is not None else None
            if fund is None or unit_scale is None or (form.scope == "dept" and "项目" in figure.text):
                continue  # a project's amount in a department's report is not the department's total
            index = _fund_line(form, figure.text)
            line = form.budget_execution[index] if index is not None else None
            scale = _TO_WAN.get(line.unit) if line is not None else None
            printed = getattr(line, fund) if line is not None else None
            if printed is None or scale is None:
                continue
            stated = figure.value * unit_scale / scale
            if shown_as(printed, stated) or shown_as(stated, printed):
                continue
            groups.setdefault((index or 0, printed, figure.value), []).append((fund, figure.text, figure.loc))
    where = table_name(ctx, main.loc, form_name(form))
    for (index, table_value, stated_value), mentions in groups.items():
        line = form.budget_execution[index]
        fields = list(dict.fromkeys(fund for fund, _, _ in mentions))
        unit = next((f.unit for s in form.sections for f in s.figures if f.value == stated_value), line.unit)
        count = f"（共 {len(mentions)} 处）" if len(mentions) > 1 else ""
        yield Problem(
            message=(
                f"报告正文“{mentions[0][1]}”等所述{'、'.join(_FUND_LABELS[f] for f in fields)}为 "
                f"{amount_text(stated_value, unit)}{count}，而{where}“{line.label}”"
                f"{'、'.join(_TABLE_LABELS[f] for f in fields)}为 {amount_text(table_value, line.unit)}"
            ),
            locations=(
                *(cell(line, f) for f in fields),
                *dict.fromkeys(loc for _, _, loc in mentions),
            ),
            expected=amount_text(table_value, line.unit),
            actual=amount_text(stated_value, unit),
        )


# ---------------------------------------------------------------------------------------------------
# Goals and tasks: what was done


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_AS_OF = re.compile(r"(?:截至|截止|截止到|截至到|到)\s*$")
_YEAR_CONTEXT = ("较", "比", "同比", "相比", "以来", "起", "自", "从", "至今", "累计", "连续", "此前", "上年", "结转", "历年", "近")  # fmt: skip


def _item_name(kind: str, label: str | None, name: str) -> str:
    """目标2, 任务1 (as labelled), else 目标“…” by its name."""
    if label:
        label = name_key(label)
        return label if label.startswith(kind) else f"{kind}{label}"
    return f"{kind}“{name[:16]}”"


def _items(form: SelfEvaluation) -> Iterator[tuple[str, Goal | Task]]:
    for goal in form.goals:
        yield _item_name("目标", goal.label, goal.title or goal.content), goal
    for task in form.tasks:
        yield _item_name("任务", task.label, task.name), task


def _other_years(text: str, year: int) -> list[tuple[int, str]]:
    """Years a 完成情况 cites for what was done that are not the evaluated year (with the clause)."""
    text = normalise_digits(text)
    found: list[tuple[int, str]] = []
    for match in _YEAR.finditer(text):
        cited = int(match.group(1))
        if cited >= year:
            continue
        start = max((m.end() for m in _CLAUSES.finditer(text, 0, match.start())), default=0)
        end = next((m.start() for m in _CLAUSES.finditer(text, match.end())), len(text))
        clause = text[start:end]
        as_of = bool(_AS_OF.search(text[start : match.start()]))
        if any(word in clause for word in _YEAR_CONTEXT):
            continue
        if cited <= year - 2 or as_of:
            found.append((cited, clause.strip()))
    return found


@rule(
    "C607",
    Severity.WARNING,
    "完成情况引用了其他年度",
    "自评表年度目标、主要任务的“完成情况”应说明自评年度的完成情况。若其中写到更早年度的工作（如 2022 年度"
    "自评写“截至 2020 年底”或“开展 2020 年……培训”），多为沿用往年材料。与上年比较、“以来”“累计”、"
    "上年结转等语境不报告，上一年度只在“截至××年底”时报告；自评年度未知时不适用。",
    "例：2022 年度自评表目标 3 完成情况写“截至 2020 年底，……参保人数分别达到 6.4 万人”。",
    applies_to=SelfEvaluation,
    suggestion="更新为自评年度的完成情况和数据。",
)
def completion_of_other_year(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    year = form.year
    if year is None:
        yield NotApplicable("自评年度未知")
        return
    if not any(item.actual for _, item in _items(form)):
        yield NotApplicable("没有目标或任务的完成情况")
        return
    where = table_name(ctx, next((item.loc for _, item in _items(form) if item.loc), None), form_name(form))
    for label, item in _items(form):
        if not item.actual:
            continue
        cited = _other_years(item.actual, year)
        if not cited:
            continue
        years = "、".join(dict.fromkeys(f"{y} 年" for y, _ in cited))
        loc = item.cells.get("actual") if isinstance(item, Task) else None
        yield Problem(
            message=(
                f"{where}{label}的完成情况写到{years}（“{cited[0][1]}”），与自评年度 {year} 年不符，"
                "疑似沿用往年材料"
            ),
            locations=(loc or item.loc,),
            expected=f"{year} 年",
            actual=years,
        )


def _comparable_actual(row: Indicator) -> Target | None:
    actual = row.actual
    if actual is None or actual.parts or actual.value is None or not actual.unit:
        return None
    if actual.kind not in (TargetKind.QUANTITY, TargetKind.RATIO) or actual.op not in (None, Comparator.EQ):
        return None
    return actual


def _named_row(label: str, rows: Sequence[Indicator]) -> Indicator | None:
    """The one row a figure's label names (合格率 → 培训合格率), or None when none or several."""
    key = name_key(label)
    if len(key) < 3 or key.startswith("其中"):
        return None
    found = [
        row
        for row in rows
        if (name := name_key(row.name)) and len(name) >= 3 and (name.endswith(key) or key.endswith(name))
    ]
    names = {name_key(row.name) for row in found}
    return found[0] if len(names) == 1 else None


def _quoted(text: str, words: str, raw: str) -> str:
    """The printed words of ``text`` from ``words`` to the number ``raw`` (培训合格率 96%)."""
    start = text.find(words) if words else -1
    end = text.find(raw, start) if start >= 0 and raw else -1
    if start >= 0 and end >= 0 and end - start <= len(words) + 6:
        return text[start : end + len(raw)]
    return f"{words}{raw}"


@rule(
    "C608",
    Severity.WARNING,
    "完成情况所述数值与指标实际完成值不符",
    "年度目标、主要任务的“完成情况”写出的带单位数值（如“培训合格率 93%”“新增就业 16911 人”），若其名称"
    "唯一对应自评表中的某个三级指标，应与该指标的实际完成值一致（同一单位，按显示精度比较）。名称对应不唯一、"
    "单位不同或带比较符号的数值不比较。",
    "例：目标完成情况写“合格率 96%”，而自评表“培训合格率”实际完成值为 93%。",
    applies_to=SelfEvaluation,
    suggestion="统一完成情况文字与指标实际完成值。",
)
def completion_against_indicators(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    rows = [row for row in form.indicators if _comparable_actual(row) is not None]
    if not rows or not any(item.actual for _, item in _items(form)):
        yield NotApplicable("没有可对应的完成情况与实际完成值")
        return
    where = rows_name(ctx, form, form.indicators)
    for label, item in _items(form):
        if not item.actual:
            continue
        parsed = parse_target(item.actual)
        for part in parsed.parts or (parsed,):
            if part.label is None or part.value is None or part.op not in (None, Comparator.EQ):
                continue
            row = _named_row(part.label, rows)
            actual = _comparable_actual(row) if row is not None else None
            if row is None or actual is None or actual.value is None or actual.unit != part.unit:
                continue
            if shown_as(actual.value, part.value) or shown_as(part.value, actual.value):
                continue
            label_key, row_key = name_key(part.label), name_key(row.name)
            quoted = _quoted(item.actual, row.name if label_key.endswith(row_key) else part.label, part.raw)
            yield Problem(
                message=f"{label}的完成情况写“{quoted}”，而{where}指标“{row.name}”实际完成值为 {actual.raw}",
                locations=(item.loc, cell(row, "actual")),
                expected=actual.raw,
                actual=quoted,
            )
