"""Target quality (T1xx): is each 绩效指标 complete, relevant, appropriate and measurable?

Enters: the indicator rows (``Indicator`` with its parsed ``Target``) of every form that has them:
部门整体绩效目标表 (``DeptTargetDeclaration``), 项目支出绩效目标表 (``ProjectTargetDeclaration``), each
project of a 项目绩效目标汇总表 (``ProjectTargetSummary``) and the scored tables of a 绩效自评
(``SelfEvaluation.indicators`` and ``report_indicators``). Leaves: findings a finance-bureau reviewer
writes when auditing targets (完整性、相关性、适当性、可行性, 可衡量): a 指标值 missing or not
measurable, a direction contrary to the indicator (成本/变动率 with ``≥``), rates above 100 %,
decimals beside percentages, units that do not fit the indicator, template placeholders, duplicated
indicators, copied explanations, inverted formulas, text left in the wrong column, and 一级/二级
indicators missing or misplaced.

Each row's 指标值 is read again with its indicator's name (``parse_target(raw, name)``), so a bare
``0.6`` under 劳动力稳定就业率 is 60 % whatever the recogniser assumed. Indicator names decide what a
value must look like; the rules say nothing where the name does not tell (a name-less rate, a
province's own tree).

>>> from jixiao.checks.registry import Registry, rules_in
>>> import jixiao.checks.targets as targets
>>> Registry(rules_in(targets)).codes()[:3]
('T101', 'T102', 'T103')
>>> satisfaction_sense("学生满意度"), satisfaction_sense("预算调整率")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jixiao.checks.context import Context
from jixiao.checks.engine import forms_of
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc, cell_name
from jixiao.model.target import Comparator, Target, TargetKind
from jixiao.model.values import (
    NOTE_EMPTY,
    NOTE_NAME_AS_VALUE,
    NOTE_NO_UNIT,
    NOTE_PLACEHOLDER,
    NOTE_RATIO_DECIMAL,
    NOTE_RATIO_PERCENT,
    has_note,
    is_ratio_indicator,
    parse_target,
)

__all__ = ["satisfaction_sense"]

TargetForm = DeptTargetDeclaration | ProjectTargetDeclaration | ProjectTargetSummary | SelfEvaluation
FORMS = (DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary, SelfEvaluation)
NO_INDICATORS = "表中没有读到绩效指标"

# ---------------------------------------------------------------------------------------------------
# The indicator lists of a form, each named as a reviewer would name it.


@dataclass(frozen=True)
class _Group:
    """One indicator tree: a form's own, one project row of a summary, or a report's score table."""

    label: str  # how messages name it: 项目“公益性岗位补贴”绩效目标表
    indicators: Sequence[Indicator]
    project: bool  # a project's tree: 产出/效益/满意度 are required
    loc: Loc | None


_SPACES = re.compile(r"\s+")


def _clean(text: str | None) -> str:
    return _SPACES.sub("", text or "")


def _groups(form: TargetForm) -> list[_Group]:
    if isinstance(form, DeptTargetDeclaration):
        title = _clean(form.title)
        label = f"《{title}》" if title else f"“{form.department or '（未命名部门）'}”部门整体绩效目标表"
        return [_Group(label, form.indicators, False, form.loc)]
    if isinstance(form, ProjectTargetDeclaration):
        name = form.project_name or _clean(form.title) or "（未命名）"
        return [_Group(f"项目“{name}”绩效目标表", form.indicators, True, form.loc)]
    if isinstance(form, ProjectTargetSummary):
        title = _clean(form.title) or "项目绩效目标汇总表"
        return [
            _Group(f"《{title}》项目“{row.name}”", row.indicators, True, row.loc)
            for row in form.rows
            if not row.is_unit
        ]
    subject = form.project_name if form.scope == "project" else form.department
    kind = "项目支出" if form.scope == "project" else "部门整体"
    owner = f"“{subject}”" if subject else ""
    return [
        _Group(f"{owner}{kind}绩效自评表", form.indicators, form.scope == "project", form.loc),
        _Group(f"{owner}自评报告指标得分表", form.report_indicators, form.scope == "project", form.loc),
    ]


def _filled_groups(form: TargetForm, ctx: Context) -> list[_Group]:
    """The form's indicator trees that have rows (computed once per form and run)."""
    return ctx.memo(("targets.groups", id(form)), lambda: [g for g in _groups(form) if g.indicators])


def _path(indicator: Indicator) -> str:
    """``“产出指标/数量指标/报考人数”`` as printed (levels the form left out are skipped)."""
    parts = [_clean(p) for p in (indicator.level1, indicator.level2, indicator.name) if p and _clean(p)]
    return "“" + "/".join(parts) + "”"


def _cell(indicator: Indicator, *fields: str) -> Loc | None:
    """The first of ``fields`` the row has a cell for, else its 三级 name, else the row."""
    for name in (*fields, "name"):
        if name in indicator.cells:
            return indicator.cells[name]
    return indicator.loc


def _target_cell(indicator: Indicator) -> Loc | None:
    return _cell(indicator, "target")


def _empty_target_cell(indicator: Indicator, group: _Group) -> Loc | None:
    """Where an empty 指标值 sits: the row's cell under the column the other targets of its table use."""
    if "target" in indicator.cells:
        return indicator.cells["target"]
    name = indicator.cells.get("name")
    if name is None or name.row is None:
        return _cell(indicator)
    columns = Counter(
        i.cells["target"].col
        for i in group.indicators
        if "target" in i.cells
        and i.cells["target"].table == name.table
        and i.cells["target"].page == name.page
    )
    if not columns:
        return name
    column = columns.most_common(1)[0][0]
    if column is None:
        return name
    return name.but(col=column, cell=cell_name(name.row, column) if name.cell else None)


def _quote(text: str | None) -> str:
    value = (text or "").strip()
    return f"“{value}”" if value else "（空）"


# ---------------------------------------------------------------------------------------------------
# Reading names and values.

_DROP = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def _plain(text: str | None) -> str:
    """Comparable text: full-width folded, case folded, spaces and punctuation dropped."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def _reading(indicator: Indicator) -> Target:
    """The 指标值 read with its indicator's name (and 计量单位 column when the value has none)."""
    if not indicator.target.raw.strip():
        return indicator.target
    return _read(indicator.target.raw, indicator.name, indicator.unit)


@lru_cache(maxsize=8192)
def _read(raw: str, name: str, unit_column: str | None) -> Target:
    unit = (unit_column or "").strip()
    if unit and raw.strip()[-1:].isdigit():
        return parse_target(raw.strip() + unit, name)
    return parse_target(raw, name)


def _percent_written(raw: str) -> bool:
    return "%" in raw or "％" in raw or "﹪" in raw


def satisfaction_sense(name: str | None) -> bool:
    """Is this a satisfaction indicator (满意度, 满意率, …满意)?"""
    return "满意" in _plain(name)


def _rate_name(name: str | None) -> bool:
    """A name that asks for a percentage: …率, 满意度, 比例, 占比, 比重."""
    plain = _plain(name)
    if not plain:
        return False
    return plain.endswith("率") or "满意" in plain or any(w in plain for w in ("比例", "占比", "比重"))


# Rates that cannot exceed 100 %: a share of a population or of a budget.
_BOUNDED_ENDINGS = (
    "覆盖率", "准确率", "正确率", "合格率", "及时率", "达标率", "知晓率", "参与率", "出勤率", "到位率",
    "完好率", "上线率", "发放率", "兑现率", "符合率", "结案率", "办结率", "通过率", "细化率", "利用率",
    "使用率", "执行率", "回收率", "受理率", "录入率", "公开率", "合规率", "参保率", "入学率", "识别率",
    "处理率", "整改率", "反馈率", "响应率", "回复率", "办理率", "审核率", "就业率", "帮扶率", "满意率",
    "满意度", "比例", "占比", "比重",
)  # fmt: skip

# Rates where less is better.
_REVERSE_RATES = (
    "变动率", "调整率", "结转结余率", "结余率", "差错率", "错误率", "失误率", "偏差率", "误差率", "闲置率",
    "发生率", "返工率", "退回率", "投诉率", "事故率", "违规率", "违纪率", "逾期率", "超期率", "超支率",
    "流失率", "损失率", "失业率", "缺陷率", "故障率", "不合格率", "空置率", "辍学率", "复发率", "发病率",
    "死亡率", "超标率", "延误率", "驳回率",
)  # fmt: skip

# Rates where more is better (the name ends with one of these).
_FORWARD_RATES = (
    *(e for e in _BOUNDED_ENDINGS if e not in ("比例", "占比", "比重")),
    "完成率", "实现率", "开展率", "达成率", "解决率", "化解率", "调解率", "处置率", "节约率", "安置率",
    "登记率", "认定率", "普及率", "巩固率", "成功率", "应用率",
)  # fmt: skip

_COST_WORDS = ("成本", "单价", "造价", "费用", "经费", "开支")
_NOT_COST_WORDS = (
    "节约", "节省", "压减", "降低", "下降", "减少", "收入", "增收", "效益", "保障", "到位", "拨付",
    "发放", "执行", "使用", "覆盖", "资助", "奖励", "补助", "补贴", "投入", "带动", "撬动", "吸引",
    "争取", "筹集", "募集", "落实",
)  # fmt: skip
_BAD_EVENT_WORDS = ("投诉", "事故", "违规", "违纪", "差错", "失误", "逾期", "上访", "信访")
_HANDLING_WORDS = (
    "处理", "办结", "解决", "查处", "受理", "调处", "化解", "办理", "答复", "回复", "整改", "核查",
    "处置", "调解", "结案", "审理", "接待", "响应",
)  # fmt: skip
_MONEY_UNITS = ("元", "万元", "亿元", "千元")
_COUNT_UNITS = frozenset(
    {"件", "次", "起", "个", "例", "人次", "宗", "件次", "人", "户", "家", "项", "场", "场次", "条"}
)


def _is_money(unit: str | None) -> bool:
    return bool(unit) and (unit or "").split("/")[0] in _MONEY_UNITS


def _sense(indicator: Indicator, target: Target) -> str | None:
    """``forward`` (more is better), ``reverse`` (less is better) or None when the form does not say.

    A 指标方向 column (正向/反向) decides; otherwise the indicator's name."""
    return _sense_of(indicator.name, indicator.direction, target.unit)


@lru_cache(maxsize=8192)
def _sense_of(printed_name: str, direction: str | None, unit: str | None) -> str | None:
    declared = _plain(direction)
    if "正向" in declared or declared in ("正", "越大越好", "越高越好"):
        return "forward"
    if "反向" in declared or declared in ("反", "越小越好", "越低越好"):
        return "reverse"
    name = _plain(printed_name)
    if not name:
        return None
    if _rate_name(name):
        if any(word in name for word in _REVERSE_RATES):
            return "reverse"
        if satisfaction_sense(name) or name.endswith(_FORWARD_RATES):
            return "forward"
        return None
    if _is_money(unit):
        cost = any(w in name for w in _COST_WORDS) or name.endswith("费")
        if cost and not any(w in name for w in _NOT_COST_WORDS):
            return "reverse"
        return None
    bad_events = any(w in name for w in _BAD_EVENT_WORDS) and not any(w in name for w in _HANDLING_WORDS)
    if unit in _COUNT_UNITS and bad_events:
        return "reverse"
    return None


def _bounded(name: str | None) -> bool:
    plain = _plain(name)
    return bool(plain) and (satisfaction_sense(plain) or plain.endswith(_BOUNDED_ENDINGS))


def _highest(target: Target) -> Decimal | None:
    return target.high if target.op is Comparator.RANGE else target.value


# ---------------------------------------------------------------------------------------------------
# Measurability and column residue, shared by T102, T108 and T114.

_VAGUE = re.compile(
    r"(?:有效|明显|显著|有所|进一步|持续|不断|逐步|稳步|大幅|全面|积极|切实|得到|逐年|较大)*"
    r"(?:提升|提高|增强|扩大|增长|增加|促进|推动|推进|改善|加强|优化|降低|减少|下降|巩固|持续|不断)+"
)
_TREND = re.compile(r"提升|提高|增强|扩大|增长|促进|推动|改善|加强|优化|不断|逐步|进一步")
# Words that make a sentence a yes/no outcome a reviewer can judge (符合国家标准, 无安全事故, 按时完成).
_ACHIEVABLE = re.compile(
    r"符合|达到|满足|通过|合格|达标|验收|按时|按期|如期|全部|全覆盖|完成|无|没有|不发生|未发生|杜绝|零|不出现"
)
_GRADE_DEFINITION = re.compile(
    r"达成|较好|较差|分档|档次|等级|优[、/]良|评分|得分|扣分|满分|(?:较|同比|上年|基数).{0,12}\d"
)
_EXPLANATION_START = re.compile(r"^(?:反映|用于反映|指标解释|计算公式|计算方法|该指标|本指标)")
_FORMULA_SHAPE = re.compile(r"=.*[/÷]")
_VALUE_START = re.compile(r"^[≥≤<>=≈≅~≧≦]?\d")

_LEVEL_LABELS = frozenset(
    {
        "产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
        "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标",
        "经济成本指标", "社会成本指标", "生态环境成本指标",
    }
)  # fmt: skip


def _residue(indicator: Indicator) -> tuple[str, str] | None:
    """(the field holding misplaced text, why in Chinese) for this row, or None."""
    return _residue_of(indicator.target.raw, indicator.name, indicator.unit, indicator.explanation)


@lru_cache(maxsize=8192)
def _residue_of(
    raw_target: str, printed_name: str, unit: str | None, printed_explanation: str | None
) -> tuple[str, str] | None:
    raw = raw_target.strip()
    name = _plain(printed_name)
    if name in _LEVEL_LABELS:
        return "name", f"三级指标列填的是层级名称“{printed_name.strip()}”，具体指标缺失"
    if raw:
        target = _read(raw_target, printed_name, unit)
        if has_note(target, NOTE_NAME_AS_VALUE):
            return "target", f"指标值列填的是指标名称{_quote(raw)}而不是数值"
        if len(name) >= 4 and _plain(raw) == name:
            return "target", f"指标值{_quote(raw)}与三级指标名称相同，疑为错列或照抄"
        if target.kind is TargetKind.TEXT and (_EXPLANATION_START.match(raw) or _FORMULA_SHAPE.search(raw)):
            return "target", f"指标值列填的是指标解释或计算公式{_quote(_short(raw))}"
    explanation = (printed_explanation or "").strip()
    if 0 < len(explanation) <= 16 and _VALUE_START.match(explanation):
        value = parse_target(explanation, printed_name)
        if value.kind in (TargetKind.RATIO, TargetKind.QUANTITY, TargetKind.DEADLINE) and value.is_measurable:
            return "explanation", f"指标解释列填的是指标值{_quote(explanation)}"
    return None


def _short(text: str, length: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= length else text[:length] + "…"


def _defined(indicator: Indicator) -> bool:
    """Does the explanation or formula define grades or a baseline for a qualitative target?"""
    text = f"{indicator.explanation or ''}{indicator.formula or ''}"
    return bool(_GRADE_DEFINITION.search(text))


def _vague(target: Target) -> bool:
    return target.kind is TargetKind.QUALITATIVE and bool(
        _VAGUE.fullmatch(_plain(target.label or target.raw))
    )


def _unmeasurable(indicator: Indicator) -> str | None:
    """Why the 指标值 cannot be measured (a Chinese phrase), or None; column residue is left to T114."""
    target = _reading(indicator)
    if target.kind is TargetKind.MISSING or _residue(indicator) is not None or _defined(indicator):
        return None
    words = target.kind in (TargetKind.QUALITATIVE, TargetKind.TEXT) and not target.parts
    if words and "定量" in _plain(indicator.nature):
        return "是定性表述，但指标性质为定量"
    if target.kind is TargetKind.TEXT and not target.parts:
        text = _plain(target.raw)
        if _TREND.search(text):
            return "是描述变化方向的文字，没有幅度、基数或分档标准"
        if not _ACHIEVABLE.search(text):
            return "是文字描述，没有数值、比较符号或可判定的等级"
        return None
    if _vague(target):
        return "只写了变化方向，没有幅度、基数或分档标准"
    return None


# ---------------------------------------------------------------------------------------------------
# Rules.


_OPTIONAL_COST = re.compile(r"(?:社会|生态|环境)成本")


def _optional_cost(indicator: Indicator) -> bool:
    """社会成本 / 生态环境成本 rows: “无” there says the project has no such cost."""
    text = _plain(f"{indicator.level1 or ''}{indicator.level2 or ''}{indicator.name}")
    return bool(_OPTIONAL_COST.search(text))


@rule(
    "T101",
    Severity.ERROR,
    "指标值未填写",
    "每个三级指标都必须有指标值，否则目标无法衡量、监控和评价。指标值为空、只有“—”“/”，"
    "或仍是模板占位内容（XX%）时报告；占位的指标名称另由 T110 报告。社会成本、生态环境成本指标"
    "填“无”，以及明确填写“不适用”“不涉及”的，不报告。",
    "例：《市级部门整体绩效目标申报表》指标“管理效率/预算管理/预算执行率”的指标值为空。",
    applies_to=FORMS,
    suggestion="填写可衡量的指标值（数值、比较符号和计量单位，或明确的定性等级）。",
)
def target_missing(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = indicator.target
            if target.kind is not TargetKind.MISSING:
                continue
            if has_note(target, NOTE_PLACEHOLDER):
                why = f"仍是模板占位内容{_quote(target.raw)}"
            elif has_note(target, NOTE_EMPTY) and _optional_cost(indicator):
                continue  # 社会成本/生态环境成本 “无”: the project has no such cost
            elif has_note(target, NOTE_EMPTY):
                why = "为空" if not target.raw.strip() else f"只有{_quote(target.raw)}"
            else:
                continue
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}的指标值{why}",
                locations=(_empty_target_cell(indicator, group),),
                expected="可衡量的指标值",
                actual=target.raw.strip() or "（空）",
            )


@rule(
    "T102",
    Severity.WARNING,
    "指标值不可衡量",
    "绩效目标应当可衡量：定量指标写数值、比较符号和单位，定性指标写可判定的等级（如"
    "“达成/部分达成/未达成”）。指标值只有文字描述，或只写“提升”“有效促进”之类的变化方向、"
    "而指标解释中也没有幅度、基数或分档标准时报告。充分、合理、规范、完整、及时等常用定性等级不报告。",
    "例：项目“就业补助”指标“效益指标/社会效益指标/保障居民养老权益”的指标值为“提升”。",
    applies_to=FORMS,
    suggestion="改为可衡量的表述：写明数值与比较符号（如“≥95%”“较上年提高5%”），或在指标解释中给出分档标准。",
)
def target_not_measurable(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            why = _unmeasurable(indicator)
            if why is None:
                continue
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}的指标值{_quote(indicator.target.raw)}{why}，无法衡量",
                locations=(_target_cell(indicator),),
                expected="数值+比较符号+单位，或定义了分档的定性等级",
                actual=indicator.target.raw.strip(),
            )


@rule(
    "T103",
    Severity.WARNING,
    "指标值方向与指标性质相反",
    "成本、费用、变动率、调整率、结转结余率、差错率、投诉等是反向指标（越低越好），应写“≤”；"
    "满意度、完成率、覆盖率、及时率等是正向指标，应写“≥”。比较符号与指标名称所示方向相反时报告。"
    "名称看不出方向的指标（如“控制率”“资金”）不报告。",
    "例：指标“运行成本/成本控制成效/人均公用经费变动率”的指标值为“≥5%”，变动率应控制在上限以内。",
    applies_to=FORMS,
    suggestion="反向指标用“≤”写上限，正向指标用“≥”写下限。",
)
def target_wrong_direction(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = _reading(indicator)
            if target.kind not in (TargetKind.RATIO, TargetKind.QUANTITY) or target.op is None:
                continue
            sense = _sense(indicator, target)
            if sense == "reverse" and target.op in (Comparator.GE, Comparator.GT):
                kind, wanted = "反向指标（越低越好）", "≤"
            elif sense == "forward" and target.op in (Comparator.LE, Comparator.LT):
                kind, wanted = "正向指标（越高越好）", "≥"
            else:
                continue
            yield Problem(
                message=(
                    f"{group.label}指标{_path(indicator)}是{kind}，指标值却写成{_quote(target.raw)}，"
                    f"应使用“{wanted}”"
                ),
                locations=(_target_cell(indicator),),
                expected=f"“{wanted}”",
                actual=target.raw.strip(),
            )


def _comparator_wanted(indicator: Indicator, target: Target) -> str | None:
    """``≤`` or ``≥`` where a value written without a comparator needs one, else None."""
    if target.op not in (Comparator.EQ, Comparator.APPROX, None) or target.value is None or target.parts:
        return None
    if _plain(indicator.direction):
        return None  # a 指标方向 column gives the comparator
    sense = _sense(indicator, target)
    if target.kind is TargetKind.RATIO:
        if sense == "reverse" and target.value != 0:
            return "≤"
        if sense == "forward" and target.value < 100:
            return "≥"
        return None
    if target.kind is TargetKind.QUANTITY and sense == "reverse" and _is_money(target.unit):
        per_unit = "/" in (target.unit or "") or any(
            w in _plain(indicator.name) for w in ("标准", "单价", "人均")
        )
        if not per_unit:
            return "≤"  # a total cost is a ceiling; a unit price or standard may be exact
    return None


@rule(
    "T104",
    Severity.WARNING,
    "指标值缺少比较符号",
    "变动率、调整率、差错率等反向比率指标和成本总额应写上限（≤），满意度、完成率、覆盖率等正向比率指标"
    "低于 100% 时应写下限（≥）；只写一个数（或“≈”）时无法判断是否达成。数值为 0 的反向指标、100% 的"
    "正向指标、单价和补助标准（可以是确定值）以及表中有“指标方向”列的不报告。",
    "例：指标“运行成本/成本控制成效/在职人员经费变动率”的指标值为“20.30%”，没有“≤”。",
    applies_to=FORMS,
    suggestion="补上比较符号：反向指标写“≤x”，正向指标写“≥x”。",
)
def target_without_comparator(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = _reading(indicator)
            wanted = _comparator_wanted(indicator, target)
            if wanted is None or target.value is None:
                continue
            value = f"{wanted}{format(target.value, 'f')}{target.unit or ''}"
            yield Problem(
                message=(
                    f"{group.label}指标{_path(indicator)}的指标值{_quote(target.raw)}没有比较符号，"
                    f"应写成“{value}”一类的{'上限' if wanted == '≤' else '下限'}"
                ),
                locations=(_target_cell(indicator),),
                expected=value,
                actual=target.raw.strip(),
            )


@rule(
    "T105",
    Severity.ERROR,
    "比率指标值超过 100%",
    "满意度、覆盖率、准确率、及时率、执行率、比例等是总体中的占比，不可能超过 100%。指标值大于 100%"
    "（或写“>100%”）时报告。完成率、增长率、变动率等可以超过 100%，不报告。",
    "例：指标“满意度指标/服务对象满意度/群众满意度”的指标值为“≥105%”。",
    applies_to=FORMS,
    suggestion="占比类指标的指标值不超过 100%。",
)
def rate_above_hundred(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = _reading(indicator)
            highest = _highest(target)
            if target.kind is not TargetKind.RATIO or target.unit != "%" or highest is None:
                continue
            if not _bounded(indicator.name):
                continue
            if highest > 100 or (highest == 100 and target.op is Comparator.GT):
                yield Problem(
                    message=f"{group.label}指标{_path(indicator)}是占比，指标值{_quote(target.raw)}超过 100%，不可能达到",
                    locations=(_target_cell(indicator),),
                    expected="≤100%",
                    actual=target.raw.strip(),
                )


@rule(
    "T106",
    Severity.WARNING,
    "满意度等占比指标写成“≥100%”",
    "满意度、覆盖率、准确率等占比最多是 100%，写“≥100%”没有意义（实际只能等于 100%），且多为照抄模板；"
    "满意度目标定为 100% 也缺乏可行性。占比指标写“≥100%”时报告。",
    "例：项目“技工院校县级配套学生资助资金”指标“满意度指标/社会公众/学生、家长抽样调查满意度”的指标值为“≥100%”。",
    applies_to=FORMS,
    suggestion="按实际可达到的水平写下限，如满意度“≥90%”；确需全部达到的写“=100%”。",
)
def rate_at_least_hundred(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = _reading(indicator)
            if target.kind is not TargetKind.RATIO or target.unit != "%" or target.op is not Comparator.GE:
                continue
            if target.value == 100 and _bounded(indicator.name):
                yield Problem(
                    message=(
                        f"{group.label}指标{_path(indicator)}的指标值为{_quote(target.raw)}，"
                        "占比不可能超过 100%，“≥100%”不合逻辑"
                    ),
                    locations=(_target_cell(indicator),),
                    expected="≥x%（x<100）或 =100%",
                    actual=target.raw.strip(),
                )


@rule(
    "T107",
    Severity.WARNING,
    "比率写法混用（小数与百分数）",
    "同一张表中，有的比率指标写成百分数（“≥95%”），有的写成小数或不带%的数字（“1”“0.6”），"
    "读者无法确定“1”是 100% 还是 1%。同表所有比率都写小数时不报告。",
    "例：部门整体绩效目标表中“劳动力就业帮扶率”写“1”、“劳动力稳定就业率”写“0.6”，其他比率写“≥95%”。",
    applies_to=FORMS,
    suggestion="比率统一写成百分数，如“100%”“≥60%”。",
)
def ratio_notation_mixed(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        bare: list[tuple[Indicator, Target]] = []
        percent: list[Indicator] = []
        for indicator in group.indicators:
            target = _reading(indicator)
            if target.kind is not TargetKind.RATIO:
                continue
            raw = target.raw
            if _percent_written(raw):
                percent.append(indicator)
            elif "度" not in raw and (
                has_note(target, NOTE_RATIO_DECIMAL) or has_note(target, NOTE_RATIO_PERCENT)
            ):
                bare.append((indicator, target))
        if not bare or not percent:
            continue
        listed = "、".join(f"{_path(i)}写{_quote(t.raw)}" for i, t in bare[:6])
        more = f"等 {len(bare)} 项" if len(bare) > 6 else ""
        yield Problem(
            message=(
                f"{group.label}比率写法不一致：{listed}{more}，没有%，而同表其他比率写成百分数"
                f"（如{_path(percent[0])}{_quote(percent[0].target.raw)}）"
            ),
            locations=tuple(_target_cell(i) for i, _ in bare),
            expected="百分数，如“100%”",
            actual="、".join(dict.fromkeys(t.raw.strip() for _, t in bare)),
        )


_TIME_LIMIT_WORDS = (
    "时限",
    "时效",
    "期限",
    "周期",
    "工期",
    "时长",
    "完成时间",
    "截止时间",
    "办理时间",
    "用时",
)
_COUNT_NAME_WORDS = (
    "人次",
    "人数",
    "次数",
    "户数",
    "件数",
    "个数",
    "场次",
    "家数",
    "期数",
    "册数",
    "份数",
    "数量",
)


def _unit_problem(indicator: Indicator, target: Target) -> tuple[str, str] | None:
    """(why the value's unit does not fit the indicator, the unit expected), both Chinese, or None."""
    name = _plain(indicator.name)
    level = _plain(f"{indicator.level1 or ''}{indicator.level2 or ''}")
    level2 = _plain(indicator.level2)
    kind = target.kind
    measured = target.value is not None or target.high is not None
    if not name or target.parts or kind is TargetKind.MISSING:
        return None
    if _rate_name(name):
        if kind is TargetKind.RATIO and "度" in target.raw and not _percent_written(target.raw):
            return "比率指标的计量单位写成“度”", "%"
        if kind is TargetKind.QUALITATIVE and not _vague(target):
            return "是比率指标，指标值却是定性表述", "百分比，如“≥95%”"
        if kind is TargetKind.QUANTITY and target.unit and measured and "百分点" not in target.unit:
            return f"是比率指标，指标值的单位却是“{target.unit}”", "%"
        if kind is TargetKind.DEADLINE and measured:
            return "是比率指标，指标值却是时间", "%"
        return None
    if kind is TargetKind.RATIO and measured and any(w in name for w in _TIME_LIMIT_WORDS):
        return "是时限类指标，指标值却是百分比", "时间（天、月或截止日期）"
    if any(w in name for w in _COUNT_NAME_WORDS) and measured:
        if kind is TargetKind.RATIO:
            return "是数量类指标，指标值却是百分比", "数量和计量单位"
        if _is_money(target.unit):
            return f"是数量类指标，指标值的单位却是金额“{target.unit}”", "数量单位（人、人次、次…）"
    if "成本" in level and kind in (TargetKind.RATIO, TargetKind.QUALITATIVE) and not _vague(target):
        shown = "百分比" if kind is TargetKind.RATIO else "定性表述"
        return f"是成本指标，指标值却是{shown}", "金额（元、万元或单位成本）"
    if "数量" in level2 and kind is TargetKind.DEADLINE and measured:
        return "列在数量指标下，指标值却是时间（应列入时效指标）", "数量和计量单位"
    if "时效" in level2 and kind is TargetKind.QUANTITY and target.unit in _COUNT_UNITS:
        return f"列在时效指标下，指标值却是数量“{target.unit}”", "时间（天、月或截止日期）或及时率"
    return None


@rule(
    "T108",
    Severity.WARNING,
    "计量单位与指标不符",
    "指标值的单位要与指标的含义一致：比率（…率、满意度、比例）用%，时限用天、月或日期，人数、人次、"
    "次数用数量单位，成本指标用金额。由三级指标名称和所在二级指标判断；名称看不出含义的不报告。",
    "例：指标“产出指标/时效指标/补贴完成时限”的指标值为“≥90%”，时限应写时间。",
    applies_to=FORMS,
    suggestion="按指标含义改用正确的计量单位，或把指标移到合适的二级指标下。",
)
def unit_inconsistent(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            if _residue(indicator) is not None:
                continue
            target = _reading(indicator)
            found = _unit_problem(indicator, target)
            if found is None:
                continue
            why, wanted = found
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}{why}（指标值{_quote(target.raw)}），应为{wanted}",
                locations=(_target_cell(indicator),),
                expected=wanted,
                actual=target.raw.strip(),
            )


@rule(
    "T109",
    Severity.WARNING,
    "指标值缺少计量单位",
    "定量指标值应写明计量单位（人、人次、件、万元…），否则“≥20000”是人、人次还是元无从判断。"
    "指标值是不带单位的数字、指标名称又不是比率、表中也没有计量单位列时报告；比率写成小数由 T107 报告。",
    "例：项目“2023年事业单位面向社会公开招聘”指标“产出指标/数量指标/报考人数”的指标值为“≥20000”。",
    applies_to=FORMS,
    suggestion="在数值后写上计量单位，如“≥20000人”。",
)
def unit_missing(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = _reading(indicator)
            if target.kind is not TargetKind.QUANTITY or target.unit is not None or target.parts:
                continue
            if not has_note(target, NOTE_NO_UNIT) or (indicator.unit or "").strip():
                continue
            if is_ratio_indicator(indicator.name):
                continue
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}的指标值{_quote(target.raw)}没有计量单位",
                locations=(_target_cell(indicator),),
                expected="数值+计量单位",
                actual=target.raw.strip(),
            )


_EMBEDDED_PLACEHOLDER = re.compile(
    r"(?:事项|任务|工作|目标|项目|指标|内容|措施|成效)\s*\d{1,2}"
    r"(?![\d.．%％]|\s*[项个次件人户家场万年月日号期批轮类名位条本份套台所处座级分天周小时米吨亩])"
)
_SINGLE_MARK = re.compile(r"[xX×*#?][%‰]?[\u4e00-\u9fff]{0,3}")


@lru_cache(maxsize=8192)
def _placeholder_name(name: str) -> bool | None:
    """True for a template name (重要改革事项1, XX, ……), False for one holding a numbered
    template phrase (重点工作1计划完成率), None for a real name."""
    text = name.strip()
    if not text:
        return None
    reading = parse_target(text)
    template = has_note(reading, NOTE_PLACEHOLDER) or has_note(reading, NOTE_EMPTY)
    if reading.kind is TargetKind.MISSING and template and not _SINGLE_MARK.fullmatch(_plain(text) or text):
        return True
    if _EMBEDDED_PLACEHOLDER.search(text):
        return False
    return None


@rule(
    "T110",
    Severity.WARNING,
    "指标名称是模板占位内容",
    "三级指标名称仍是模板的占位文字（“重要改革事项1”“指标1”“XXX”“……”），或保留了“重点工作1”"
    "“年度工作目标2”这类编号而没有写明具体工作，指标与部门实际工作无法对应（相关性不足）。",
    "例：《市级部门整体绩效目标申报表》指标“可持续性/体制机制改革情况/重要改革事项1”未替换为具体改革事项。",
    applies_to=FORMS,
    suggestion="把占位名称替换为具体的工作或事项名称，并填写对应的指标值；确实没有的删除该行。",
)
def placeholder_indicator(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        found: dict[tuple[str, bool], list[Indicator]] = {}
        for indicator in group.indicators:
            template = _placeholder_name(indicator.name)
            if template is not None:
                key = (_plain(indicator.level2 or indicator.level1), template)
                found.setdefault(key, []).append(indicator)
        for (_, template), rows in found.items():
            why = "是模板占位名称，未替换为具体事项" if template else "含模板编号，没有写明是哪项具体工作"
            empty = all(i.target.kind is TargetKind.MISSING for i in rows)
            yield Problem(
                message=f"{group.label}指标{'、'.join(_path(i) for i in rows)}{why}{'，且未填写指标值' if empty else ''}",
                locations=tuple(_cell(i, "name") for i in rows),
                expected="具体的指标名称",
                actual="、".join(i.name.strip() for i in rows),
            )


_FILLER = re.compile(r"任务|工作|情况|的|指标|年度")


def _duplicate_key(name: str | None) -> str:
    return _FILLER.sub("", _plain(name))


@rule(
    "T111",
    Severity.WARNING,
    "重复或近似重复的指标",
    "同一张表（同一项目）的同一个二级指标下，三级指标名称相同，或只差标点、空格和“任务/工作/情况”"
    "之类的虚词，同一事项被重复考核、重复计分。",
    "例：部门整体绩效目标表“产出指标/质量指标”下“补贴发放准确率”列了两次，指标值分别为“1”和“100%”。",
    applies_to=FORMS,
    suggestion="合并重复的指标，或改写名称使每个指标衡量不同的内容。",
)
def duplicate_indicator(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        seen: dict[tuple[str, str], Indicator] = {}
        for indicator in group.indicators:
            key_name = _duplicate_key(indicator.name)
            if len(key_name) < 2:
                continue
            key = (_plain(indicator.level2 or indicator.level1), key_name)
            first = seen.get(key)
            if first is None:
                seen[key] = indicator
                continue
            same = _plain(first.name) == _plain(indicator.name)
            how = "重复" if same else f"与{_quote(first.name)}近似重复"
            values = f"（指标值分别为{_quote(first.target.raw)}和{_quote(indicator.target.raw)}）"
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}{how}，同一二级指标下已列过{values}",
                locations=(_cell(indicator, "name"), _cell(first, "name")),
                expected="每个指标只列一次",
                actual=f"{first.name.strip()}；{indicator.name.strip()}",
            )


_SHORTEST_COPIED = 15  # characters (punctuation dropped) of an explanation worth comparing
_SHORTEST_COPIED_ACROSS = 20  # the same text in two projects
_SHORTEST_SURVEY_COPIED = 30  # satisfaction rows of two projects often share a short survey note


@dataclass(frozen=True)
class _Explained:
    group: _Group
    indicator: Indicator
    order: int  # which indicator group of the document


def _copied_pairs(document: ParsedDocument) -> Iterator[tuple[_Explained, _Explained]]:
    """(copy, original) pairs of indicators with different names and the same explanation."""
    by_text: dict[str, list[_Explained]] = {}
    order = 0
    for form in forms_of(document):
        if not isinstance(form, FORMS):
            continue
        for group in _groups(form):
            order += 1
            for indicator in group.indicators:
                text = _plain(indicator.explanation)
                if len(text) >= _SHORTEST_COPIED:
                    by_text.setdefault(text, []).append(_Explained(group, indicator, order))
    for text, entries in by_text.items():
        for index, entry in enumerate(entries):
            for earlier in entries[:index]:
                if _duplicate_key(earlier.indicator.name) == _duplicate_key(entry.indicator.name):
                    continue
                survey = satisfaction_sense(earlier.indicator.name) and satisfaction_sense(
                    entry.indicator.name
                )
                if earlier.order == entry.order:
                    if survey:
                        continue  # one survey text for several satisfaction rows is normal
                elif len(text) < (_SHORTEST_SURVEY_COPIED if survey else _SHORTEST_COPIED_ACROSS):
                    continue
                yield entry, earlier
                break


@rule(
    "T112",
    Severity.WARNING,
    "指标解释照抄其他指标或其他项目",
    "每个指标的解释（指标解释/计算公式）应说明该指标本身的含义和口径。不同名称的指标使用完全相同的"
    "解释，说明解释是照抄的，或两个指标实为同一指标：在同一张表内（满意度指标共用调查说明的除外），"
    "或在同一文件的另一个项目中出现时报告。",
    "例：项目“干部人事档案数字化平台建设费用”的满意度指标解释“通过抽取一所学校进行问卷调查……”"
    "与项目“技工院校县级配套学生资助资金”的完全相同。",
    applies_to=ParsedDocument,
    suggestion="按本指标的实际口径重写指标解释；两个指标实为同一指标的，合并为一个。",
)
def explanation_copied(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    has_explanations = False
    for form in forms_of(document):
        if isinstance(form, FORMS) and any(i.explanation for g in _groups(form) for i in g.indicators):
            has_explanations = True
            break
    if not has_explanations:
        yield NotApplicable("文件中的绩效指标没有指标解释")
        return
    for copy, original in _copied_pairs(document):
        where = "同表" if copy.order == original.order else original.group.label
        yield Problem(
            message=(
                f"{copy.group.label}指标{_path(copy.indicator)}的指标解释与{where}指标"
                f"{_path(original.indicator)}完全相同（{_quote(_short(copy.indicator.explanation or ''))}），疑为照抄"
            ),
            locations=(_cell(copy.indicator, "explanation"), _cell(original.indicator, "explanation")),
            expected="针对本指标的解释",
            actual=_short(copy.indicator.explanation or "", 40),
        )


_DIVISION = re.compile(r"[/÷]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_OPENING = "(（[【"
_CLOSING = ")）]】"
_STOP_BACK = frozenset("=＝:：，,。；;、\n")
_STOP_FORWARD = frozenset("=＝×*xX，,。；;、\n/÷")
_DENOMINATOR_MARK = re.compile(
    r"(?<![响供相对适反效呼])应(?![急用对届])|计划|总数|总人数|总额|总量|预算数|任务数|目标数|调查|全部|需"
)
_NUMERATOR_MARK = re.compile(r"实际|已|满意|合格|达标|完成|及时|符合|准确")


def _term_before(text: str, end: int) -> str:
    depth = 0
    index = end - 1
    while index >= 0:
        char = text[index]
        if char in _CLOSING:
            depth += 1
        elif char in _OPENING:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and char in _STOP_BACK:
            break
        index -= 1
    return text[index + 1 : end].strip()


def _term_after(text: str, start: int) -> str:
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and char in _STOP_FORWARD:
            break
        index += 1
    return text[start:index].strip()


@lru_cache(maxsize=8192)
def _inverted(text: str) -> tuple[str, str] | None:
    """The (numerator, denominator) of a ratio in ``text`` written upside down, or None."""
    for match in _DIVISION.finditer(text):
        numerator = _term_before(text, match.start())
        denominator = _term_after(text, match.end())
        if not _HAN.search(numerator) or not _HAN.search(denominator):
            continue
        upper_total = bool(_DENOMINATOR_MARK.search(numerator)) and not _NUMERATOR_MARK.search(numerator)
        lower_part = bool(_NUMERATOR_MARK.search(denominator)) and not _DENOMINATOR_MARK.search(denominator)
        if upper_total and lower_part:
            return numerator, denominator
    return None


@rule(
    "T113",
    Severity.WARNING,
    "计算公式分子分母颠倒",
    "比率指标的计算公式应为“实际（已完成、满意）数 ÷ 应（计划、总、调查）数”。公式的分子是应有数、"
    "计划数或总数，分母却是实际数、完成数或满意数时，算出的比率颠倒。只检查名称为比率的指标，"
    "分子分母含义不明确的不报告。",
    "例：指标“会议完成率”的计算方法为“当年应召开（参加）的会议数÷实际召开（参加）会议数×100%”。",
    applies_to=FORMS,
    suggestion="把公式改为“实际数 ÷ 应有数（计划数、总数）× 100%”。",
)
def formula_inverted(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            if not _rate_name(indicator.name):
                continue
            for field_name in ("formula", "explanation"):
                text = getattr(indicator, field_name) or ""
                found = _inverted(text)
                if found is None:
                    continue
                numerator, denominator = found
                yield Problem(
                    message=(
                        f"{group.label}指标{_path(indicator)}的计算公式以{_quote(numerator)}为分子、"
                        f"{_quote(denominator)}为分母，分子分母颠倒"
                    ),
                    locations=(_cell(indicator, field_name),),
                    expected=f"{denominator}÷{numerator}",
                    actual=f"{numerator}÷{denominator}",
                )
                break


@rule(
    "T114",
    Severity.WARNING,
    "内容填错列（错列残留）",
    "表格内容错列后残留在不该在的列：指标值列填的是指标名称（“及时率”“满意度”）、与三级指标名称相同、"
    "或是指标解释和公式；指标解释列只有一个指标值（“≥95%”）；三级指标列填的是“数量指标”等层级名称。"
    "识别时已经归位的错列（F002、F040）不再报告。",
    "例：项目“新建万里街道社区公共服务中心”指标“产出指标/质量指标/完工及时率”的指标值为“及时率”。",
    applies_to=FORMS,
    suggestion="核对原表，把内容移回正确的列，并补上真正的指标值。",
)
def column_residue(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            found = _residue(indicator)
            if found is None:
                continue
            field_name, why = found
            printed = {"name": indicator.name, "target": indicator.target.raw}.get(field_name)
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}：{why}",
                locations=(_cell(indicator, field_name),),
                expected="各列填写本列内容",
                actual=_short(printed if printed is not None else indicator.explanation or "", 40),
            )


_OUTPUT_WORDS = re.compile("数量|质量|时效")
_LEVEL1_NEEDED = (("产出", "产出指标"), ("效益", "效益指标"), ("满意", "满意度指标"))


def _level_text(indicator: Indicator) -> str:
    return _plain(f"{indicator.level1 or ''}|{indicator.level2 or ''}")


def _has_level(indicators: Sequence[Indicator], word: str) -> bool:
    if word == "满意":
        return any("满意" in _level_text(i) or satisfaction_sense(i.name) for i in indicators)
    if word == "产出":
        return any("产出" in _level_text(i) or _OUTPUT_WORDS.search(_level_text(i)) for i in indicators)
    return any("效益" in _level_text(i) or "可持续" in _level_text(i) for i in indicators)


@rule(
    "T115",
    Severity.WARNING,
    "项目缺少必备的一级指标",
    "项目支出绩效目标必须设置产出指标、效益指标和满意度指标（财预〔2021〕101号等）。项目的指标中"
    "找不到其中某一类时报告；部门整体目标各地指标体系不同，不检查。汇总表中只检查表内其他项目填了的类别。",
    "例：项目“就业补助”只列了产出指标和效益指标，没有满意度指标。",
    applies_to=FORMS,
    suggestion="补充缺少的一级指标及其二级、三级指标。",
)
def level1_missing(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if isinstance(form, DeptTargetDeclaration) or (
        isinstance(form, SelfEvaluation) and form.scope != "project"
    ):
        yield NotApplicable("部门整体目标的一级指标各地不同，不检查")
        return
    groups = [g for g in _filled_groups(form, ctx) if g.project]
    if isinstance(form, SelfEvaluation):
        groups = groups[:1]
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    if not any(i.level1 or i.level2 for g in groups for i in g.indicators):
        yield NotApplicable("未读到指标的一级、二级名称")
        return
    summary = isinstance(form, ProjectTargetSummary)
    for group in groups:
        missing = []
        for word, name in _LEVEL1_NEEDED:
            if _has_level(group.indicators, word):
                continue
            if summary and not any(_has_level(g.indicators, word) for g in groups):
                continue  # the summary has no such column at all
            missing.append(name)
        if missing:
            yield Problem(
                message=f"{group.label}的绩效指标缺少{'、'.join(missing)}",
                locations=(group.loc,),
                expected="产出指标、效益指标、满意度指标",
                actual="缺少" + "、".join(missing),
            )


@rule(
    "T116",
    Severity.INFO,
    "项目未设置成本指标",
    "自 2021 年起，财政部项目支出绩效目标要求设置成本指标（经济成本、社会成本、生态环境成本，"
    "或产出指标下的成本指标），许多地方随之采用。2021 年及以后的项目目标表中没有任何成本指标、"
    "也没有以金额表示的指标时提示；各地模板不同，仅作提示。",
    "例：2023 年项目“社区环境整治和建设经费”的绩效目标只有产出、效益和满意度指标，没有成本指标。",
    applies_to=ProjectTargetDeclaration,
    suggestion="按项目的成本构成设置成本指标，如“单位成本≤x元/人”“项目总成本≤x万元”。",
)
def cost_indicator_missing(form: ProjectTargetDeclaration, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not form.indicators:
        yield NotApplicable(NO_INDICATORS)
        return
    if form.year is None or form.year < 2021:
        yield NotApplicable("2021 年以前或年度不明的项目目标表不要求成本指标")
        return
    for indicator in form.indicators:
        if "成本" in _level_text(indicator) or "成本" in _plain(indicator.name):
            return
        target = _reading(indicator)
        units = [target.unit, *(p.unit for p in target.parts)]
        if any(_is_money(u) for u in units):
            return
    label = _groups(form)[0].label
    yield Problem(
        message=f"{label}（{form.year} 年）没有设置成本指标",
        locations=(form.loc,),
        expected="成本指标",
        actual="无",
    )


def _level1_kind(text: str | None) -> str | None:
    plain = _plain(text)
    for word, kind in (("产出", "output"), ("效益", "benefit"), ("满意", "satisfaction"), ("成本", "cost")):
        if plain.startswith(word):
            return kind
    return None


_OUTPUT_LEVEL2 = re.compile(r"(?:数量|质量|时效)(?:指标)?")
_BENEFIT_LEVEL2 = re.compile(r"(?:经济|社会|生态|生态环境)效益(?:指标)?|可持续.*")
_COST_LEVEL2 = re.compile(r"(?:经济|社会|生态|生态环境)成本(?:指标)?")


@lru_cache(maxsize=1024)
def _level2_kind(text: str | None) -> str | None:
    plain = _plain(text)
    if not plain:
        return None
    if _OUTPUT_LEVEL2.fullmatch(plain):
        return "output"
    if _BENEFIT_LEVEL2.fullmatch(plain):
        return "benefit"
    if _COST_LEVEL2.fullmatch(plain):
        return "cost"
    if plain in ("成本", "成本指标"):
        return "cost_or_output"
    if "满意" in plain:
        return "satisfaction"
    return None


_ALLOWED: dict[str, frozenset[str]] = {
    "output": frozenset({"output"}),
    "benefit": frozenset({"benefit"}),
    "cost": frozenset({"cost"}),
    "cost_or_output": frozenset({"cost", "output"}),
    "satisfaction": frozenset({"satisfaction", "benefit"}),  # older trees put 满意度 under 效益
}


@rule(
    "T117",
    Severity.WARNING,
    "二级指标不属于所在的一级指标",
    "二级指标要放在对应的一级指标下：数量、质量、时效指标属于产出指标；经济、社会、生态效益和可持续"
    "影响属于效益指标；经济、社会、生态环境成本属于成本指标；满意度属于满意度指标（旧表可在效益指标下）。"
    "一级指标不是这四类（如部门整体的“履职效能”）时不检查。",
    "例：“效益指标”下列了二级指标“数量指标”。",
    applies_to=FORMS,
    suggestion="把二级指标及其三级指标移到对应的一级指标下。",
)
def level2_misplaced(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        reported: set[tuple[str, str]] = set()
        for indicator in group.indicators:
            parent = _level1_kind(indicator.level1)
            child = _level2_kind(indicator.level2)
            if parent is None or child is None or parent in _ALLOWED[child]:
                continue
            pair = (_plain(indicator.level1), _plain(indicator.level2))
            if pair in reported:
                continue
            reported.add(pair)
            yield Problem(
                message=f"{group.label}的二级指标“{_clean(indicator.level2)}”列在一级指标“{_clean(indicator.level1)}”下，不属于该类",
                locations=(_cell(indicator, "level2"),),
                actual=f"{_clean(indicator.level1)}/{_clean(indicator.level2)}",
            )


_LOW_SATISFACTION = Decimal(80)


@rule(
    "T118",
    Severity.INFO,
    "满意度目标值偏低",
    "满意度指标的目标值通常不低于 80%（各地多要求 85% 或 90% 以上）；目标定得过低，达成也说明不了"
    "服务质量（适当性不足）。满意度指标值低于 80% 时提示；个别业务（如仲裁、执法）确难达到的可以说明理由。",
    "例：项目“社区环境整治和建设经费”指标“满意度指标/服务对象满意度指标/市容环境满意度”的指标值为“不低于50%”。",
    applies_to=FORMS,
    suggestion="按以往实际水平设定满意度目标，一般不低于 80%。",
)
def satisfaction_low(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            if not satisfaction_sense(indicator.name):
                continue
            target = _reading(indicator)
            value = target.low if target.op is Comparator.RANGE else target.value
            if target.kind is not TargetKind.RATIO or target.unit != "%" or value is None:
                continue
            if target.op in (Comparator.LE, Comparator.LT) or value >= _LOW_SATISFACTION:
                continue
            yield Problem(
                message=f"{group.label}指标{_path(indicator)}的指标值{_quote(target.raw)}低于 80%，满意度目标偏低",
                locations=(_target_cell(indicator),),
                expected="≥80%",
                actual=target.raw.strip(),
            )


_PLAN_WORDS = ("预计", "计划", "力争", "争取", "达到", "完成", "组织", "开展", "举办", "新增", "实现", "确保")
_CONTEXT_WORDS = (
    "共有",
    "现有",
    "总数",
    "总人数",
    "上年",
    "去年",
    "截至",
    "截止",
    "累计",
    "全区有",
    "全市有",
    "其中",
    "每",
    "平均",
    "人均",
)


def _base(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A quantity in its base unit: 2 万人 → 20000 人, 30 万元 → 300000 元."""
    head, slash, rest = unit.partition("/")
    for prefix, factor in (("万", Decimal(10000)), ("亿", Decimal(100000000))):
        if head.startswith(prefix) and len(head) > 1:
            return value * factor, head[1:] + slash + rest
    return value, unit


def _stated(indicator: Indicator, target: Target) -> tuple[Decimal, str] | None:
    """The one figure the explanation states for this indicator, in the target's base unit."""
    text = (indicator.explanation or "").strip()
    if not text or target.value is None or target.unit is None:
        return None
    plain = _plain(text)
    name = _plain(indicator.name)
    restates = (len(name) >= 4 and name in plain) or any(w in text for w in _PLAN_WORDS)
    if not restates or any(w in text for w in _CONTEXT_WORDS):
        return None
    reading = parse_target(text, indicator.name)
    parts = reading.parts if reading.parts else (reading,)
    _, unit = _base(target.value, target.unit)
    quantities = [p for p in parts if p.kind is TargetKind.QUANTITY and p.value is not None and p.unit]
    if len(quantities) != 1:
        return None
    [figure] = quantities
    if figure.value is None or figure.unit is None:
        return None
    value, figure_unit = _base(figure.value, figure.unit)
    if figure_unit != unit:
        return None
    return value, f"{format(figure.value, 'f')}{figure.unit}"


@rule(
    "T119",
    Severity.WARNING,
    "指标值与指标解释所述数值不一致",
    "指标解释中写明了本指标的计划数（如“预计组织2次”“新增就业人数2万人”），指标值却定得更低（“≥1次”"
    "“≥1万人”）或不同，目标与说明自相矛盾，也可能是有意压低目标（适当性不足）。只比较同一计量单位、"
    "解释中只有一个数值且写明是计划或本指标的情形；解释中的总量、上年数等背景数字不比较。",
    "例：指标“产出指标/数量指标/城镇新增就业人数”的指标值为“≥1万人以上”，指标解释却写新增就业 2 万人。",
    applies_to=FORMS,
    suggestion="按解释中的计划数设定指标值，或修改解释使两者一致。",
)
def target_below_explanation(form: TargetForm, ctx: Context) -> Iterator[Problem | NotApplicable]:
    groups = _filled_groups(form, ctx)
    if not groups:
        yield NotApplicable(NO_INDICATORS)
        return
    for group in groups:
        for indicator in group.indicators:
            target = _reading(indicator)
            if (
                target.kind is not TargetKind.QUANTITY
                or target.value is None
                or target.unit is None
                or target.parts
            ):
                continue
            found = _stated(indicator, target)
            if found is None:
                continue
            stated, printed = found
            value, _ = _base(target.value, target.unit)
            if target.op in (Comparator.GE, Comparator.GT):
                wrong = stated > value
            elif target.op in (Comparator.EQ, Comparator.APPROX):
                wrong = stated != value
            else:
                wrong = stated < value
            if not wrong:
                continue
            yield Problem(
                message=(
                    f"{group.label}指标{_path(indicator)}的指标值{_quote(target.raw)}与指标解释所述的"
                    f"{_quote(printed)}不一致（解释：{_quote(_short(indicator.explanation or '', 40))}）"
                ),
                locations=(_target_cell(indicator), _cell(indicator, "explanation")),
                expected=printed,
                actual=target.raw.strip(),
            )
