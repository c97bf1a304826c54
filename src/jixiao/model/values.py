"""Parsing of 指标值 / 实际完成值 strings into ``Target``.

Enters: the text of one cell as printed (any width of characters, any spacing), optionally the name
of its indicator. Leaves: a ``Target`` that never loses the printed text (``raw``) and says in
``notes`` what had to be assumed. Parsing never raises.

What is read (all forms seen in real declarations, disclosures and self-evaluations):

- numbers with a comparator and a unit: ``≥95%``, ``≤30万元``, ``>80%``, ``≅11500人``, ``≈13000件、次``
  (unit ``件次``), ``≥1万人以上`` (value 1, unit ``万人``, the redundant 以上 noted), ``100元/每人``
  (unit ``元/人``), ``≥20000`` (noted: no unit), ``(100%)`` as printed in 实际完成值 columns;
- comparator words before the number: 不低于/不少于/至少/达到 → ≥, 不高于/不超过/低于 → ≤ (as forms
  use 低于), 大于/超过 → >, 小于 → <, 约/预计 → ≈; after it: 以上 → ≥, 以下/以内/内 → ≤ (以下 includes
  the number), 左右 → ≈; a unit in brackets ``≥100.00(人数)`` (Shanghai forms) is read as ``人``;
- bare decimals in a ratio context (the indicator ends in 率/度 or names 满意/比例/占比, or
  ``ratio_hint=True``): ``1`` → 100 %, ``0.6`` → 60 %; without any context a bare ``0 < x < 1`` is a
  ratio too (``0.99`` → 99 %) unless the indicator names an amount (金额, 经费, 人数…);
- ranges ``90%-95%``, ``90%～95%``, ``90%至95%`` (``op=range``, ``low``/``high``);
- durations ``≤24月``, ``≤12个月`` (kind ``deadline``, unit ``月``: a time limit counted in months);
  calendar deadlines ``12月底之前``, ``2024年12底之前``, ``2023年12月31日前`` (kind ``deadline``,
  ``value`` = the month, unit ``月份``, ``label`` = the date as ``2024-12`` / ``--12`` / ``2023-12-31``);
- several values in one cell ``岗位补贴:2004元/人/月,1002元/人/月`` (``parts``);
- qualitative grades 充分, 合理, 及时, 符合要求, 得以保障… (kind ``qualitative``, ``label`` = the words);
- placeholders (``重要改革事项1``, ``XX``, ``x,xxx``, ``*``) and blanks (``——``, ``无``): kind ``missing``;
- anything else is ``text``; numbers found inside it are kept as ``parts``
  (``预完成100件案件庭审笔录及50件调解笔录，当期结案率≥90%``).

For a number, ``label`` names what it measures when the cell says so (``当期结案率≥90%`` → label
``当期结案率``); for a qualitative value it is the grade itself; for a calendar deadline the date.
Each note starts with a stable English key (``no unit: …``) followed by a Chinese explanation; test
for one with ``has_note(target, NOTE_NO_UNIT)``.

>>> parse_target("≥95%").value
Decimal('95')
>>> t = parse_target("≥1万人以上")
>>> (t.op.value, t.value, t.unit)
('≥', Decimal('1'), '万人')
>>> parse_target("0.6", indicator="劳动力稳定就业率").value
Decimal('60')
>>> parse_target("2024年12底之前").label
'2024-12'
>>> [p.value for p in parse_target("岗位补贴:2004元/人/月,1002元/人/月").parts]
[Decimal('2004'), Decimal('1002')]
>>> target_direction("预算调整率", parse_target("≤30%"))
'reverse'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, NamedTuple

from jixiao.model.target import Comparator, Target, TargetKind

__all__ = [
    "NOTE_AMBIGUOUS_MONTH",
    "NOTE_AVERAGE",
    "NOTE_BOUNDS_SWAPPED",
    "NOTE_CALENDAR",
    "NOTE_CHINESE_NUMERAL",
    "NOTE_CONFLICT",
    "NOTE_DURATION",
    "NOTE_EMPTY",
    "NOTE_FREE_TEXT",
    "NOTE_LEAD_IN",
    "NOTE_LIST",
    "NOTE_MIXED",
    "NOTE_MONTH_END",
    "NOTE_MORE_THAN",
    "NOTE_NAME_AS_VALUE",
    "NOTE_NOT_APPLICABLE",
    "NOTE_NO_MONTH_MARK",
    "NOTE_NO_UNIT",
    "NOTE_NO_YEAR",
    "NOTE_OBJECT",
    "NOTE_PARENTHESES",
    "NOTE_PLACEHOLDER",
    "NOTE_RANGE_UNIT",
    "NOTE_RATIO_DECIMAL",
    "NOTE_RATIO_PERCENT",
    "NOTE_REDUNDANT",
    "NOTE_SHARED_SUBJECT",
    "NOTE_TIME_AMOUNT",
    "NOTE_UNIT",
    "NOTE_UNIT_FROM_TARGET",
    "NOTE_UNKNOWN_GRADE",
    "NOTE_WORD",
    "NOTE_YEAR_END",
    "Direction",
    "has_note",
    "is_ratio_indicator",
    "name_direction",
    "parse_actual",
    "parse_target",
    "target_direction",
]

Direction = Literal["forward", "reverse", "equal"]

# ---------------------------------------------------------------------------------------------------
# Notes: a stable key, then the Chinese explanation shown to users.

NOTE_EMPTY = "empty"
NOTE_PLACEHOLDER = "placeholder"
NOTE_NOT_APPLICABLE = "not applicable"
NOTE_NO_UNIT = "no unit"
NOTE_REDUNDANT = "redundant comparator"
NOTE_CONFLICT = "conflicting comparator"
NOTE_WORD = "comparator word"
NOTE_RATIO_DECIMAL = "ratio from decimal"
NOTE_RATIO_PERCENT = "ratio assumed percent"
NOTE_UNIT = "unit normalised"
NOTE_DURATION = "duration"
NOTE_TIME_AMOUNT = "time amount"
NOTE_CALENDAR = "calendar deadline"
NOTE_MONTH_END = "month end"
NOTE_YEAR_END = "year end"
NOTE_NO_YEAR = "year missing"
NOTE_NO_MONTH_MARK = "month mark missing"
NOTE_AMBIGUOUS_MONTH = "ambiguous month"
NOTE_PARENTHESES = "parentheses"
NOTE_LIST = "several values"
NOTE_SHARED_SUBJECT = "shared subject"
NOTE_AVERAGE = "average"
NOTE_MORE_THAN = "more than"
NOTE_LEAD_IN = "lead-in"
NOTE_OBJECT = "counted object"
NOTE_FREE_TEXT = "free text"
NOTE_UNKNOWN_GRADE = "unrecognised grade"
NOTE_CHINESE_NUMERAL = "chinese numeral"
NOTE_BOUNDS_SWAPPED = "bounds swapped"
NOTE_RANGE_UNIT = "range unit"
NOTE_MIXED = "mixed kinds"
NOTE_UNIT_FROM_TARGET = "unit from target"
NOTE_NAME_AS_VALUE = "name as value"


def _note(key: str, text: str) -> str:
    return f"{key}: {text}"


def has_note(target: Target, key: str) -> bool:
    """Does ``target`` (or one of its parts) carry a note with this key (``NOTE_NO_UNIT``…)?"""
    prefix = f"{key}:"
    return any(n.startswith(prefix) for n in target.notes) or any(has_note(p, key) for p in target.parts)


# ---------------------------------------------------------------------------------------------------
# Normalisation: full-width to ASCII, comparator spellings to one symbol, spaces out.

_SYMBOLS = {
    "≧": "≥",
    "⩾": "≥",
    "≦": "≤",
    "⩽": "≤",
    "≅": "≈",
    "≃": "≈",
    "∽": "≈",
    "〜": "~",
    "∼": "~",
    "—": "-",
    "–": "-",
    "―": "-",
    "−": "-",
    "﹪": "%",
    "﹣": "-",
    "﹤": "<",
    "﹥": ">",
    "﹦": "=",
}
_PAIRS = {">=": "≥", "=>": "≥", "≥=": "≥", "<=": "≤", "=<": "≤", "≤=": "≤", "==": "="}


#: Character by character: full-width forms to ASCII, comparator spellings to one symbol, a line
#: break inside a cell to ``;`` (it separates values). Every character maps to exactly one.
_CHARACTERS = str.maketrans(
    {
        **{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},
        **_SYMBOLS,
        "\n": ";",
        "\r": ";",
    }
)
_SPACE = re.compile(r"\s")
_ANY_MAPPED = re.compile("[" + re.escape("".join(chr(code) for code in _CHARACTERS)) + "]")


def _normalise(raw: str) -> tuple[str, list[int]]:
    """The comparable form of ``raw`` and, for each of its characters, the index it came from."""
    text = raw.translate(_CHARACTERS) if _ANY_MAPPED.search(raw) else raw
    if "=" not in text and not _SPACE.search(text):
        return text, list(range(len(text)))  # nothing to drop or merge: the common case
    # spaces go, except one between two digits ("90 95" must not become 9095)
    kept: list[str] = []
    kept_origin: list[int] = []
    length = len(text)
    for i, char in enumerate(text):
        if char.isspace():
            if kept and kept[-1].isdigit():
                after = i + 1
                while after < length and text[after].isspace():
                    after += 1
                if after < length and text[after].isdigit():
                    kept.append(" ")
                    kept_origin.append(i)
            continue
        kept.append(char)
        kept_origin.append(i)
    if "=" not in text:
        return "".join(kept), kept_origin
    merged: list[str] = []
    merged_origin: list[int] = []
    i = 0
    while i < len(kept):
        pair = "".join(kept[i : i + 2])
        if pair in _PAIRS:
            merged.append(_PAIRS[pair])
            merged_origin.append(kept_origin[i])
            i += 2
            continue
        merged.append(kept[i])
        merged_origin.append(kept_origin[i])
        i += 1
    return "".join(merged), merged_origin


# ---------------------------------------------------------------------------------------------------
# Vocabulary.

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SYMBOL_OPS = {
    "≥": Comparator.GE,
    ">": Comparator.GT,
    "≤": Comparator.LE,
    "<": Comparator.LT,
    "=": Comparator.EQ,
    "≈": Comparator.APPROX,
    "~": Comparator.APPROX,
}
# Words written before the number. Longest first so that 大于等于 wins over 大于.
_PREFIX_WORDS: dict[str, Comparator] = {
    "大于或等于": Comparator.GE,
    "大于等于": Comparator.GE,
    "不低于": Comparator.GE,
    "不少于": Comparator.GE,
    "不小于": Comparator.GE,
    "不下于": Comparator.GE,
    "至少": Comparator.GE,
    "最少": Comparator.GE,
    "最低": Comparator.GE,
    "达到": Comparator.GE,
    "高于": Comparator.GT,
    "大于": Comparator.GT,
    "超过": Comparator.GT,
    "多于": Comparator.GT,
    "小于或等于": Comparator.LE,
    "小于等于": Comparator.LE,
    "不超过": Comparator.LE,
    "不高于": Comparator.LE,
    "不大于": Comparator.LE,
    "不多于": Comparator.LE,
    "控制在": Comparator.LE,
    "最多": Comparator.LE,
    "最高": Comparator.LE,
    "低于": Comparator.LE,  # as forms use it: 差错率低于1% means at most 1 %
    "小于": Comparator.LT,
    "少于": Comparator.LT,
    "约为": Comparator.APPROX,
    "大约": Comparator.APPROX,
    "约": Comparator.APPROX,
    "预计": Comparator.APPROX,
    "等于": Comparator.EQ,
    "为": Comparator.EQ,
    "达": Comparator.GE,
}
# Words written after the number (and its unit).
_SUFFIX_WORDS: dict[str, Comparator] = {
    "及以上": Comparator.GE,
    "或以上": Comparator.GE,
    "以上": Comparator.GE,
    "及以下": Comparator.LE,
    "或以下": Comparator.LE,
    "以下": Comparator.LE,
    "以内": Comparator.LE,
    "之内": Comparator.LE,
    "内": Comparator.LE,
    "左右": Comparator.APPROX,
    "上下": Comparator.APPROX,
}
_SUFFIXES_LONGEST_FIRST = tuple(sorted(_SUFFIX_WORDS, key=len, reverse=True))
_RANGE_SUFFIXES = ("之间", "范围内", "区间内", "区间", "以内", "内")
_LEAD_WORDS = (
    "预计完成",
    "预完成",
    "完成",
    "开展",
    "举办",
    "组织",
    "召开",
    "实现",
    "确保",
    "力争",
    "争取",
    "计划",
    "累计",
    "全年",
    "共计",
    "合计",
    "总计",
    "共",
)
_UNIT_ATOMS = sorted(
    [
        "%", "‰", "个百分点", "百分点",
        "万人次", "人次", "万人", "人天", "人日", "人", "户次", "万户", "户", "家", "个", "项", "件次", "件",
        "场次", "场", "期", "班次", "班", "批次", "批", "份", "万份", "册", "万册", "本", "篇", "部", "套", "台",
        "辆", "座", "所", "处", "条", "张", "块", "名", "位", "次", "轮", "门", "类", "种", "宗", "起", "例",
        "元", "万元", "亿元", "千元", "分", "课时", "学时", "字",
        "工作日", "天", "日", "小时", "分钟", "秒", "周", "月", "季度", "年",
        "公里", "千米", "米", "平方米", "平方公里", "亩", "万亩", "公顷", "吨", "万吨", "千克", "公斤",
        "万", "亿", "千",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
#: The atoms by their first character, longest first as in ``_UNIT_ATOMS``.
_ATOMS_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(a for a in _UNIT_ATOMS if a[0] == first) for first in {a[0] for a in _UNIT_ATOMS}
}


def _unit_atom(text: str) -> str | None:
    """The longest known unit ``text`` starts with (``人次`` in ``人次数``), or ``None``."""
    return next((a for a in _ATOMS_BY_FIRST.get(text[:1], ()) if text.startswith(a)), None)


_TIME_UNITS = frozenset({"工作日", "天", "日", "小时", "分钟", "秒", "周", "月", "季度", "年"})
_UNIT_SPELLINGS = {
    "个月": "月",
    "个小时": "小时",
    "个工作日": "工作日",
    "个季度": "季度",
    "个星期": "周",
    "星期": "周",
    "人数": "人",
    "次数": "次",
    "个数": "个",
    "户数": "户",
    "件数": "件",
    "家数": "家",
    "场数": "场",
}
_TIME_LIMIT_WORDS = ("时限", "时效", "期限", "周期", "工期", "完成时间", "截止", "时间")

# Qualitative grades. A short cell containing one of these is a qualitative target.
_GRADE_WORDS = (
    "充分", "合理", "有效", "完整", "规范", "及时", "显著", "提高", "健全", "完成", "良好", "相关", "科学",
    "合规", "真实", "公开", "明显", "完备", "符合", "保障", "推动", "促进", "持续", "增长", "提升", "改善",
    "加强", "稳定", "降低", "下降", "减少", "优化", "达标", "合格", "满意", "准确", "安全", "到位", "落实",
    "实现", "达到", "明确", "清晰", "可行", "较好", "一般", "基本", "逐步", "稳步", "整治", "完善", "覆盖",
    "按时", "按期", "正常", "优秀", "较高", "较大", "有所", "积极", "良性", "巩固", "改进", "增强", "扩大",
    "全面", "顺利", "高效", "便捷", "透明", "可控", "确保", "得到", "得以", "有力", "长效", "一致", "准时",
)  # fmt: skip
_GRADE_SINGLE = frozenset("优良中差好高低是否")

_MISSING = frozenset(
    {"", "-", "--", "---", "----", "/", "//", "\\", "无", "暂无", "空", "N/A", "n/a", "NA", "na", "null", "None",
     "none", "…", "……", "...", "......", ".", "。", "0/0"}
)  # fmt: skip
_NOT_APPLICABLE = frozenset({"不适用", "不涉及", "不存在", "本年无", "无此项"})
_PLACEHOLDER_PATTERNS = (
    re.compile(r"[xX×*#?]+[%‰]?[\u4e00-\u9fff]{0,3}"),
    re.compile(r".*(?:[xX×]{2,}|[xX×][.,][xX×]).*"),
    re.compile(
        r"[\u4e00-\u9fff]{0,12}(?:事项|任务|指标|目标|项目|计划|内容|措施|工作|成效)[0-9一二三四五六七八九十]{1,2}"
    ),
    re.compile(r".*(?:请填写|请输入|待填写|待填|待定|待补充|待确定|填报说明|示例).*"),
)

_CHINESE_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}

_RATIO_NAME_ENDINGS_EXCLUDED = (
    "年度",
    "季度",
    "月度",
    "额度",
    "力度",
    "进度",
    "温度",
    "长度",
    "深度",
    "宽度",
)
_RATIO_NAME_WORDS = ("比例", "占比", "比重", "百分比", "比率")
# Names of amounts and counts: there a bare 0.5 stays 0.5 (of the form's unit), not 50 %.
_QUANTITY_NAME_WORDS = (
    "金额",
    "资金",
    "经费",
    "费",
    "数",
    "量",
    "额",
    "标准",
    "面积",
    "时间",
    "时长",
    "人次",
    "价",
)

_REVERSE_NAME_WORDS = (
    "成本", "变动率", "调整率", "投诉", "差错", "错误率", "结转结余率", "结余率", "时限", "超支", "事故",
    "违规", "违纪", "失误", "偏差率", "逾期", "闲置率", "费用", "单价", "发生率", "损失", "返工率", "退回率",
    "报名费", "经费", "培训费", "工作费", "维护费", "运行费",
)  # fmt: skip
_FORWARD_NAME_WORDS = (
    "满意度", "满意率", "完成率", "覆盖率", "及时率", "准确率", "合格率", "达标率", "执行率", "到位率",
    "知晓率", "参与率", "结案率", "回收率", "利用率", "使用率", "就业率", "通过率", "办结率", "出勤率",
    "符合率", "细化率", "实现率", "增长率", "受益", "完好率", "上线率", "开展率", "兑现率", "发放率",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Public API.


_NAME_DECORATION = re.compile(r"[\s()（）“”\"'《》]")


def is_ratio_indicator(indicator: str | None) -> bool:
    """Does the indicator's name say its value is a ratio (…率, 满意度, 比例, 占比)?"""
    if not indicator:
        return False
    name = _NAME_DECORATION.sub("", indicator)
    if any(word in name for word in _RATIO_NAME_WORDS) or name.endswith("满意"):
        return True
    if name.endswith("率"):
        return True
    return name.endswith("度") and not name.endswith(_RATIO_NAME_ENDINGS_EXCLUDED)


def parse_target(raw: str | None, indicator: str | None = None, *, ratio_hint: bool | None = None) -> Target:
    """Read one 指标值 cell. Never raises.

    ``indicator`` is the 三级指标 name: a name ending in 率/度 makes bare decimals ratios
    (``0.6`` → 60 %) and a name about a time limit makes ``≅12月`` a deadline. ``ratio_hint``
    overrides the ratio reading from the name either way.
    """
    return _parse_target_cached(raw, _name_reading(indicator, ratio_hint))


class _Name(NamedTuple):
    """All the parser takes from an indicator's name: rows with other names and the same value
    text (``≥95%`` under 满意度, 合格率, 覆盖率…) share one reading."""

    ratio: bool  # bare numbers are ratios (the name is a 率/度, or the caller said so)
    fraction_ratio: bool  # a bare 0 < x < 1 is a ratio even without a hint
    time_limit: bool  # the name is about a time limit (时限, 期限…), not a length of time (时长)
    point_in_time: bool  # the name asks for a point in time (时间, 日期, 月份, 截止)
    says_time_limit: bool  # the name says 时限


@lru_cache(maxsize=8192)
def _name_reading(indicator: str | None, ratio_hint: bool | None) -> _Name:
    name = indicator or ""
    return _Name(
        ratio=is_ratio_indicator(indicator) if ratio_hint is None else ratio_hint,
        fraction_ratio=ratio_hint is None and not any(word in name for word in _QUANTITY_NAME_WORDS),
        time_limit=any(word in name for word in _TIME_LIMIT_WORDS) and "时长" not in name,
        point_in_time=any(word in name for word in ("时间", "日期", "月份", "截止")),
        says_time_limit="时限" in name,
    )


@lru_cache(maxsize=8192)
def _parse_target_cached(raw: str | None, name: _Name) -> Target:
    """Forms repeat the same cells (``100%``, ``≥95%``, ``及时``); a Target is immutable, so share it."""
    context = _Context(
        ratio=name.ratio,
        fraction_ratio=name.fraction_ratio,
        time_limit_name=name.time_limit,
        point_in_time_name=name.point_in_time,
        says_time_limit=name.says_time_limit,
    )
    return _parse(raw, context)


def parse_actual(raw: str | None, target: Target | None = None) -> Target:
    """Read one 实际完成值 cell; ``target`` (the parsed 指标值) tells how to read a bare number.

    ``98.95`` against a ``%`` target is 98.95 %; ``0.98`` against ``≥95%`` is 98 %; ``16911`` against
    ``≥10000人`` is 16911 人. Each such reading is noted.
    """
    return _parse_actual_cached(raw, target)


@lru_cache(maxsize=8192)
def _parse_actual_cached(raw: str | None, target: Target | None) -> Target:
    """Scored tables repeat the same pairs row after row (``100%`` against ``100%``); a Target is
    immutable, so the reading is shared like ``parse_target``'s."""
    context = _Context(ratio=False, actual_of=target)
    if target is not None:
        context.ratio = _target_kind(target) is TargetKind.RATIO
    return _parse(raw, context)


def name_direction(indicator_name: str | None) -> Direction | None:
    """The direction an indicator's name implies: 成本/变动率/投诉… reverse, 满意度/完成率… forward."""
    if not indicator_name:
        return None
    name = _SPACE.sub("", indicator_name)
    if any(word in name for word in _FORWARD_NAME_WORDS):
        return "forward"
    if any(word in name for word in _REVERSE_NAME_WORDS):
        return "reverse"
    return None


def target_direction(indicator_name: str, target: Target) -> Direction | None:
    """How the indicator is scored: ``forward`` (more is better), ``reverse`` (less is better), ``equal``.

    A comparator decides first: ≥/> forward, ≤/< reverse (a deadline too: earlier is better). With
    ``=``/``≈``/a range or no comparator the name decides (``name_direction``); a 100 % ratio is
    forward; other exact values are ``equal``; a target without a number and without a telling name
    gives ``None``.
    """
    op = _effective_op(target)
    if op in (Comparator.GE, Comparator.GT):
        return "forward"
    if op in (Comparator.LE, Comparator.LT):
        return "reverse"
    by_name = name_direction(indicator_name)
    if by_name is not None:
        return by_name
    if op is Comparator.RANGE:
        return "equal"
    if op in (Comparator.EQ, Comparator.APPROX):
        if target.kind is TargetKind.RATIO and target.value == Decimal(100):
            return "forward"
        return "equal"
    return None


# ---------------------------------------------------------------------------------------------------
# The parser.


@dataclass
class _Context:
    ratio: bool  # bare numbers are ratios (the indicator is a 率/度, or the caller said so)
    actual_of: Target | None = None
    fraction_ratio: bool = True  # a bare 0 < x < 1 is a ratio even without a hint
    time_limit_name: bool = False  # the indicator is about a time limit (``_Name.time_limit``)
    point_in_time_name: bool = False  # the indicator asks for a point in time
    says_time_limit: bool = False  # the indicator's name says 时限


@dataclass
class _Reading:
    """An intermediate result for one measurable value, before it becomes a ``Target``."""

    kind: TargetKind
    op: Comparator | None = None
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    label: str | None = None
    notes: list[str] = field(default_factory=list)
    has_subject: bool = False

    def target(self, raw: str, extra: tuple[str, ...] = ()) -> Target:
        return Target(
            kind=self.kind,
            op=self.op,
            value=self.value,
            low=self.low,
            high=self.high,
            unit=self.unit,
            label=self.label,
            raw=raw,
            notes=(*extra, *self.notes),
        )


_DIGIT = re.compile(r"\d")
_SHORT_WORD = re.compile(r"[\u4e00-\u9fff]{1,8}")


def _parse(raw: str | None, context: _Context) -> Target:
    original = raw if isinstance(raw, str) else ""
    text, origin = _normalise(original)
    text, origin = _trim(text, origin)
    missing = _missing(text)
    if missing is not None:
        return Target(kind=TargetKind.MISSING, raw=original, notes=(missing,))
    notes: list[str] = []
    inner = _strip_parentheses(text)
    if inner is not None:
        text, origin = inner, origin[1:-1]
        notes.append(_note(NOTE_PARENTHESES, "数值印在括号内"))
        missing = _missing(text)
        if missing is not None:
            return Target(kind=TargetKind.MISSING, raw=original, notes=(*notes, missing))
    reading = _read_item(text, context)
    if reading is not None:
        return reading.target(original, tuple(notes))
    listed = _read_list(text, origin, original, context)
    if listed is not None:
        return listed
    if not _DIGIT.search(text):
        qualitative = _read_grade(text)
        if qualitative is not None:
            label, grade_notes = qualitative
            return Target(
                kind=TargetKind.QUALITATIVE, label=label, raw=original, notes=(*notes, *grade_notes)
            )
    if not _DIGIT.search(text) and _SHORT_WORD.fullmatch(text) and is_ratio_indicator(text):
        note = _note(NOTE_NAME_AS_VALUE, f"“{text}”是指标名称而不是指标值")
        return Target(kind=TargetKind.TEXT, raw=original, notes=(*notes, note))
    parts = _scan_prose(text, origin, original, context)
    if parts:
        note = _note(NOTE_FREE_TEXT, f"文字描述，从中提取出 {len(parts)} 个可衡量数值，见 parts")
        return Target(kind=TargetKind.TEXT, raw=original, notes=(*notes, note), parts=tuple(parts))
    return Target(
        kind=TargetKind.TEXT, raw=original, notes=(*notes, _note(NOTE_FREE_TEXT, "文字描述，不能直接衡量"))
    )


def _trim(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Drop Markdown bold and trailing sentence punctuation around the value."""
    start, end = 0, len(text)
    changed = True
    while changed and start < end:
        changed = False
        if text.startswith("**", start) and text.endswith("**", start, end) and end - start > 4:
            start, end = start + 2, end - 2
            changed = True
        while end > start and text[end - 1] in "。.,;、:":
            end -= 1
            changed = True
        while start < end and text[start] in ",;、:":
            start += 1
            changed = True
    return text[start:end], origin[start:end]


_DASHES = re.compile(r"-+|/+|\.+")


def _missing(text: str) -> str | None:
    """The note for an empty or placeholder cell, or ``None`` for a real value."""
    if text in _MISSING or _DASHES.fullmatch(text):
        return _note(NOTE_EMPTY, "未填写指标值")
    if text in _NOT_APPLICABLE:
        return _note(NOTE_NOT_APPLICABLE, f"填写为“{text}”")
    for pattern in _PLACEHOLDER_PATTERNS:
        if pattern.fullmatch(text):
            return _note(NOTE_PLACEHOLDER, f"模板占位内容“{text}”，未填写实际值")
    return None


_BRACKETED = re.compile(r"[(\[](.+)[)\]]")
_BRACKET = re.compile(r"[()\[\]]")


def _strip_parentheses(text: str) -> str | None:
    m = _BRACKETED.fullmatch(text)
    if m is None or _BRACKET.search(m.group(1)):
        return None
    return m.group(1)


def _read_item(text: str, context: _Context) -> _Reading | None:
    """One measurable value: a number, a range, a date, or a number in Chinese numerals."""
    for reader in (_read_date, _read_single, _read_range, _read_chinese_number):
        reading = reader(text, context)
        if reading is not None:
            return reading
    return None


_PREFIX_ALTERNATION = "|".join(re.escape(w) for w in sorted(_PREFIX_WORDS, key=len, reverse=True))
_SINGLE = re.compile(
    rf"(?P<subject>[^\d≥≤<>=≈~]*?):?(?P<average>平均)?(?P<words>{_PREFIX_ALTERNATION})?"
    rf"(?P<symbol>[≥≤<>=≈~])?(?P<sign>-)?(?P<number>{_NUMBER})(?P<more>余|多)?(?P<tail>[^\d]*)"
)


def _read_single(text: str, context: _Context) -> _Reading | None:
    m = _SINGLE.fullmatch(text)
    if m is None:
        return None
    subject = _clean_subject(m.group("subject"))
    if subject is None:
        return None
    tail = _read_tail(m.group("tail"))
    if tail is None:
        return None
    unit_written, unit, suffix, unit_notes, counted = tail
    notes: list[str] = []
    op = _comparator(m.group("words"), m.group("symbol"), suffix, notes)
    if m.group("more"):
        notes.append(_note(NOTE_MORE_THAN, f"“{m.group('more')}”表示多于该数，按“≥”理解"))
        op = op or Comparator.GE
    number = _decimal(m.group("number"), negative=bool(m.group("sign")))
    if number is None:
        return None
    reading = _measure(number, op or Comparator.EQ, unit, unit_written, context, notes)
    reading.notes.extend(unit_notes)
    label, label_notes = _subject_label(subject, counted)
    reading.label = reading.label or label
    reading.has_subject = bool(subject)
    reading.notes.extend(label_notes)
    if m.group("average"):
        reading.notes.append(_note(NOTE_AVERAGE, "“平均”：该数为平均值"))
    return reading


_SENTENCE_END = re.compile(r"[。!！?？]")


def _clean_subject(subject: str) -> str | None:
    """The words before a number, or ``None`` where they are too long or sentence-like to be a label."""
    subject = subject.strip(":")
    if len(subject) > 24 or _SENTENCE_END.search(subject):
        return None
    return subject


def _subject_label(subject: str, counted: str | None) -> tuple[str | None, list[str]]:
    notes: list[str] = []
    label: str | None = subject or None
    if label is not None:
        for word in _LEAD_WORDS:
            if label == word:
                notes.append(_note(NOTE_LEAD_IN, f"数值前的说明文字“{word}”"))
                label = None
                break
    if counted:
        notes.append(_note(NOTE_OBJECT, f"计量对象“{counted}”"))
        label = label or counted
    return label, notes


_UNIT_IN_BRACKETS = re.compile(r"\(([^()]+)\)")


def _read_tail(tail: str) -> tuple[str | None, str | None, str | None, list[str], str | None] | None:
    """Split what follows a number into (unit as written, unit, suffix word, notes, counted object)."""
    suffix: str | None = None
    rest = tail
    for word in _SUFFIXES_LONGEST_FIRST:
        if rest.endswith(word) and (rest != word or word != "内"):
            suffix = word
            rest = rest[: -len(word)]
            break
    if rest.endswith("(含)"):
        rest = rest[:-3]
    notes: list[str] = []
    bracketed = _UNIT_IN_BRACKETS.fullmatch(rest)
    if bracketed:
        rest = bracketed.group(1)
        notes.append(_note(NOTE_UNIT, f"计量单位写在括号内“({rest})”"))
    if rest == "":
        return None, None, suffix, notes, None
    read = _read_unit(rest)
    if read is None:
        return None
    unit, unit_notes, counted = read
    return rest, unit, suffix, [*notes, *unit_notes], counted


_UNIT_LIST = re.compile(r"[\u4e00-\u9fff]{1,3}(?:、[\u4e00-\u9fff]{1,3})+")
_SLASH_EACH = re.compile(r"(?<=[\u4e00-\u9fff])/每(?=[\u4e00-\u9fff])")
_EACH = re.compile(r"(?<=[元次人件个分])每(?=[\u4e00-\u9fff])")
_UNIT_SHAPE = re.compile(r"(?:[%‰]|[A-Za-z\u4e00-\u9fff㎡²³]{1,16})(?:/[A-Za-z\u4e00-\u9fff㎡²³]{1,4}){0,3}")


def _read_unit(written: str) -> tuple[str, list[str], str | None] | None:
    """A unit as printed → (normalised unit, notes, counted object); ``None`` if it is not a unit."""
    notes: list[str] = []
    unit = written
    if _UNIT_LIST.fullmatch(unit):
        unit = unit.replace("、", "")
    unit = _SLASH_EACH.sub("/", unit)
    unit = _EACH.sub("/", unit)
    for spelled, plain in _UNIT_SPELLINGS.items():
        if unit.startswith(spelled):
            unit = plain + unit[len(spelled) :]
            break
    if not _UNIT_SHAPE.fullmatch(unit):
        return None
    segments = unit.split("/")
    head = segments[0]
    counted: str | None = None
    atom = _unit_atom(head)
    if atom is None:
        if len(head) > 3:
            return None
    elif atom != head:
        if len(segments) > 1 or _looks_like_atoms(head):
            if len(head) > 4:
                return None
        else:
            counted = head[len(atom) :].removeprefix("的") or None
            unit = atom
    if any(len(s) > 3 and not _looks_like_atoms(s) for s in segments[1:]):
        return None
    if unit != written and counted is None:
        notes.append(_note(NOTE_UNIT, f"计量单位“{written}”记为“{unit}”"))
    return unit, notes, counted


def _looks_like_atoms(text: str) -> bool:
    """Is ``text`` made only of known units (人次, 万人, 元年…)?"""
    rest = text
    while rest:
        atom = _unit_atom(rest)
        if atom is None:
            return False
        rest = rest[len(atom) :]
    return True


def _comparator(
    words: str | None, symbol: str | None, suffix: str | None, notes: list[str]
) -> Comparator | None:
    """Combine a symbol, a word before and a word after the number into one comparator."""
    op: Comparator | None = None
    shown: str | None = None
    if symbol:
        op, shown = _SYMBOL_OPS[symbol], symbol
        if symbol == "~":
            notes.append(_note(NOTE_WORD, "数字前的“~”按“≈”理解"))
    if words:
        word_op = _PREFIX_WORDS[words]
        if op is None:
            op, shown = word_op, words
            notes.append(_note(NOTE_WORD, f"“{words}”按“{_symbol(word_op)}”理解"))
        elif word_op is not op:
            notes.append(_note(NOTE_CONFLICT, f"“{words}”与“{shown}”含义不同，按“{shown}”理解"))
        else:
            notes.append(_note(NOTE_REDUNDANT, f"“{words}”与“{shown}”重复"))
    if suffix:
        suffix_op = _SUFFIX_WORDS[suffix]
        if op is None:
            op = suffix_op
            notes.append(_note(NOTE_WORD, f"“{suffix}”按“{_symbol(suffix_op)}”理解"))
        elif _same_side(op, suffix_op):
            notes.append(_note(NOTE_REDUNDANT, f"已有“{shown}”，“{suffix}”重复"))
        else:
            notes.append(_note(NOTE_CONFLICT, f"“{suffix}”与“{shown}”含义不同，按“{shown}”理解"))
    return op


def _same_side(op: Comparator, other: Comparator) -> bool:
    groups = (
        {Comparator.GE, Comparator.GT},
        {Comparator.LE, Comparator.LT},
        {Comparator.APPROX, Comparator.EQ},
    )
    return any(op in g and other in g for g in groups)


def _symbol(op: Comparator) -> str:
    return op.value


def _decimal(text: str, negative: bool = False) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return -value if negative else value


def _percent_of(fraction: Decimal) -> Decimal:
    """0.6 → 60, 1 → 100, 0.995 → 99.5: exact, without exponent notation."""
    shifted = fraction.scaleb(2)
    exponent = shifted.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return shifted.quantize(Decimal(1))
    return shifted


def _measure(
    number: Decimal,
    op: Comparator,
    unit: str | None,
    unit_written: str | None,
    context: _Context,
    notes: list[str],
) -> _Reading:
    """Kind, value and unit of one number, from its unit and the context."""
    reading = _Reading(kind=TargetKind.QUANTITY, op=op, value=number, unit=unit, notes=notes)
    if unit in ("%", "‰"):
        reading.kind = TargetKind.RATIO
        return reading
    if unit == "度" and context.ratio:
        reading.kind = TargetKind.RATIO
        reading.unit = "%"
        reading.notes.append(_note(NOTE_RATIO_PERCENT, f"比率语境下的“{number}度”按 {number}% 理解"))
        return reading
    if unit is None:
        return _bare_number(reading, number, context)
    if unit in _TIME_UNITS or unit.split("/")[0] in _TIME_UNITS:
        _time_amount(reading, unit, unit_written or unit, context)
    return reading


def _bare_number(reading: _Reading, number: Decimal, context: _Context) -> _Reading:
    target = context.actual_of
    if context.ratio:
        reading.kind = TargetKind.RATIO
        reading.unit = "%"
        reference_op = _effective_op(target) if target is not None else None
        scale = Decimal(0) <= number <= Decimal(1) and reference_op not in (Comparator.LE, Comparator.LT)
        if scale:
            reading.value = _percent_of(number)
            reading.notes.append(
                _note(NOTE_RATIO_DECIMAL, f"比率语境下的小数 {number} 按 {reading.value}% 理解")
            )
        else:
            reading.notes.append(_note(NOTE_RATIO_PERCENT, f"比率语境下的数字 {number} 按 {number}% 理解"))
        return reading
    if target is not None and target.unit and target.unit != "月份" and _unit_carries(target, number):
        reading.unit = target.unit
        if target.kind in (TargetKind.QUANTITY, TargetKind.DEADLINE):
            reading.kind = target.kind
        reading.notes.append(_note(NOTE_UNIT_FROM_TARGET, f"未写单位，沿用指标值的单位“{target.unit}”"))
        return reading
    if context.fraction_ratio and target is None and Decimal(0) < number < Decimal(1):
        reading.kind = TargetKind.RATIO
        reading.unit = "%"
        reading.value = _percent_of(number)
        reading.notes.append(
            _note(NOTE_RATIO_DECIMAL, f"小于 1 的小数 {number} 按比率 {reading.value}% 理解")
        )
        return reading
    reading.notes.append(_note(NOTE_NO_UNIT, "未写计量单位"))
    return reading


def _unit_carries(target: Target, number: Decimal) -> bool:
    """May a bare actual take the target's unit? Not 16911 against ≥1万人 (that is 人, not 万人)."""
    if target.unit is None or not target.unit.startswith(("万", "亿")):
        return True
    reference = target.value if target.value is not None else target.high
    return reference is not None and number <= reference * 100


def _time_amount(reading: _Reading, unit: str, written: str, context: _Context) -> None:
    """A number of months/days/hours: a time limit (deadline) or an amount of time (quantity)."""
    if reading.op in (Comparator.LE, Comparator.LT) or context.time_limit_name:
        reading.kind = TargetKind.DEADLINE
        reading.notes.append(_note(NOTE_DURATION, f"时限：以“{unit}”计的期限（时长），不是日历日期"))
    else:
        reading.notes.append(_note(NOTE_TIME_AMOUNT, f"以“{unit}”计的时间数量，按数量理解"))
    month = reading.value
    exact = reading.op in (Comparator.EQ, Comparator.APPROX)
    if unit == written == "月" and exact and month is not None and Decimal(1) <= month <= Decimal(12):
        reading.notes.append(
            _note(
                NOTE_AMBIGUOUS_MONTH,
                f"“{month}月”可能指 {month} 月份，也可能指 {month} 个月，按 {month} 个月理解",
            )
        )


_RANGE = re.compile(
    rf"(?P<subject>[^\d≥≤<>=≈~]*?):?(?P<words>控制在|保持在|介于|在)?(?P<sign1>-)?(?P<low>{_NUMBER})"
    rf"(?P<unit1>[^\d~\-至到]*?)(?:~|-|至|到)(?P<sign2>-)?(?P<high>{_NUMBER})(?P<tail>[^\d]*)"
)


def _read_range(text: str, context: _Context) -> _Reading | None:
    m = _RANGE.fullmatch(text)
    if m is None:
        return None
    subject = _clean_subject(m.group("subject"))
    if subject is None:
        return None
    tail = m.group("tail")
    for word in _RANGE_SUFFIXES:
        if tail.endswith(word):
            tail = tail[: -len(word)]
            break
    notes: list[str] = []
    unit_high = _read_unit(tail) if tail else None
    if tail and unit_high is None:
        return None
    unit_low = _read_unit(m.group("unit1")) if m.group("unit1") else None
    if m.group("unit1") and unit_low is None:
        return None
    unit = unit_high[0] if unit_high else None
    if unit_low is not None:
        if unit is None:
            unit = unit_low[0]
        elif unit_low[0] != unit:
            return None
    elif unit is not None:
        notes.append(_note(NOTE_RANGE_UNIT, f"区间下限未写单位，沿用上限的单位“{unit}”"))
    low = _decimal(m.group("low"), negative=bool(m.group("sign1")))
    high = _decimal(m.group("high"), negative=bool(m.group("sign2")))
    if low is None or high is None:
        return None
    if low > high:
        low, high = high, low
        notes.append(_note(NOTE_BOUNDS_SWAPPED, "区间上下限写反，已交换"))
    for read in (unit_low, unit_high):
        if read is not None:
            notes.extend(n for n in read[1] if n not in notes)
    reading = _Reading(
        kind=TargetKind.QUANTITY, op=Comparator.RANGE, low=low, high=high, unit=unit, notes=notes
    )
    if unit in ("%", "‰"):
        reading.kind = TargetKind.RATIO
    elif unit is None and context.ratio:
        reading.kind = TargetKind.RATIO
        reading.unit = "%"
        if high <= Decimal(1):
            reading.low, reading.high = _percent_of(low), _percent_of(high)
            notes.append(_note(NOTE_RATIO_DECIMAL, f"比率语境下的小数区间 {low}-{high} 按百分数理解"))
        else:
            notes.append(_note(NOTE_RATIO_PERCENT, "比率语境下的数字区间按百分数理解"))
    elif unit is None:
        notes.append(_note(NOTE_NO_UNIT, "未写计量单位"))
    elif unit in _TIME_UNITS:
        reading.kind = TargetKind.DEADLINE
        notes.append(_note(NOTE_DURATION, f"时限：以“{unit}”计的期限区间"))
    reading.label = subject or None
    reading.has_subject = bool(subject)
    return reading


_DATE = re.compile(
    r"(?P<lead>截止到|截至|截止|于|在|到|至|预计|计划|力争|争取)?"
    r"(?:(?P<year>\d{4})年度?|(?P<relyear>次年|当年|本年度|本年|今年|明年|年度|年))?"
    r"(?:(?P<month>\d{1,2})(?P<mark>月份|月)?)?"
    r"(?:(?P<day>\d{1,2})[日号])?"
    r"(?P<part>底|末|初|上旬|中旬|下旬)?"
    r"(?P<suffix>之前|以前|前|之内|以内|内|止|为止)?"
    r"(?P<done>完成|完工|结束|办结|实施|竣工)?"
)
_ISO_DATE = re.compile(
    r"(?P<lead>截止到|截至|截止|于|在|到|至)?(?P<year>(?:19|20)\d{2})[-./](?P<month>\d{1,2})(?:[-./](?P<day>\d{1,2}))?"
    r"(?P<suffix>之前|以前|前|之内|以内|内|止|为止)?(?P<done>完成|完工|结束|办结)?"
)


def _read_date(text: str, context: _Context) -> _Reading | None:
    """A calendar deadline: 12月底之前, 2024年12底之前, 2023年12月31日前, 年底前, 2023.12.31."""
    m = _DATE.fullmatch(text)
    groups: dict[str, str | None]
    if m is not None:
        groups = m.groupdict()
    else:
        iso = _ISO_DATE.fullmatch(text)
        if iso is None:
            return None
        groups = {**iso.groupdict(), "mark": "月", "relyear": None, "part": None}
    year, relyear, month, mark = groups["year"], groups["relyear"], groups["month"], groups["mark"]
    day, part, suffix, done = groups["day"], groups["part"], groups["suffix"], groups["done"]
    notes: list[str] = []
    if month is not None:
        if mark is None and part is None and day is None:
            return None  # a plain number
        if mark is None and day is None and year is None and relyear is None:
            return None  # "12底" alone is too thin to call a date
        if mark is None and part is not None:
            notes.append(_note(NOTE_NO_MONTH_MARK, f"“{month}{part}”缺少“月”字，按 {int(month)} 月理解"))
        bare_month = mark is not None and day is None and part is None and suffix is None and done is None
        point_in_time = context.point_in_time_name and not (mark == "月" and context.says_time_limit)
        if bare_month and year is None and relyear is None and not point_in_time:
            return None  # "12月": a duration unless the indicator names a point in time
    else:
        if year is None and relyear is None:
            return None
        if part not in ("底", "末") and suffix not in ("内", "之内", "以内") and done is None:
            return None
        if day is not None:
            return None
        month = "12"
        notes.append(_note(NOTE_YEAR_END, "“年底/年内”按当年 12 月理解"))
    month_number = int(month)
    if not 1 <= month_number <= 12:
        return None
    if day is not None and not 1 <= int(day) <= 31:
        return None
    if year is not None:
        label = f"{int(year):04d}-{month_number:02d}"
    else:
        label = f"--{month_number:02d}"
        said = relyear if relyear not in (None, "年", "年度") else "按当年理解"
        notes.append(_note(NOTE_NO_YEAR, f"未写年份（{said}）"))
    if day is not None:
        label += f"-{int(day):02d}"
    if part in ("底", "末") and groups["month"] is not None:
        notes.append(_note(NOTE_MONTH_END, f"“{part}”指当月最后一天"))
    elif part in ("初", "上旬", "中旬", "下旬"):
        notes.append(_note(NOTE_MONTH_END, f"“{part}”：{month_number} 月{part}"))
    op = Comparator.LE if suffix is not None or part in ("底", "末") else Comparator.EQ
    value = month_number
    if year is None and relyear in ("次年", "明年"):
        value += 12  # the next year's months follow this year's: 次年2月 comes after 12月底
        label = f"次年{label.removeprefix('-')}"
        notes.insert(
            0, _note(NOTE_CALENDAR, f"日历期限 {label}（次年，value 为自当年 1 月起算的月份 {value}）")
        )
    else:
        notes.insert(0, _note(NOTE_CALENDAR, f"日历期限 {label}（value 为月份）"))
    return _Reading(
        kind=TargetKind.DEADLINE, op=op, value=Decimal(value), unit="月份", label=label, notes=notes
    )


_CHINESE_NUMBER = re.compile(
    rf"(?P<words>{_PREFIX_ALTERNATION})?(?P<symbol>[≥≤<>=≈~])?(?P<number>[零一二两三四五六七八九十百千]+)(?P<tail>[^\d]+)"
)


def _read_chinese_number(text: str, context: _Context) -> _Reading | None:
    m = _CHINESE_NUMBER.fullmatch(text)
    if m is None:
        return None
    tail = _read_tail(m.group("tail"))
    if tail is None:
        return None
    unit_written, unit, suffix, unit_notes, counted = tail
    if (
        unit is None
        or counted
        or unit in ("月", "日", "年", "天", "分")
        or not _looks_like_atoms(unit.replace("/", ""))
    ):
        return None
    number = _chinese_to_decimal(m.group("number"))
    if number is None:
        return None
    notes = [_note(NOTE_CHINESE_NUMERAL, f"中文数字“{m.group('number')}”按 {number} 理解")]
    op = _comparator(m.group("words"), m.group("symbol"), suffix, notes)
    reading = _measure(number, op or Comparator.EQ, unit, unit_written, context, notes)
    reading.notes.extend(unit_notes)
    return reading


def _chinese_to_decimal(text: str) -> Decimal | None:
    """一 → 1, 十二 → 12, 两百 → 200, 三千零五 → 3005 (up to 9999)."""
    total = 0
    digit: int | None = None
    for char in text:
        if char in _CHINESE_DIGITS:
            if digit is not None and _CHINESE_DIGITS[char] != 0:
                return None
            digit = _CHINESE_DIGITS[char]
        elif char in _CHINESE_UNITS:
            total += (1 if digit is None else digit) * _CHINESE_UNITS[char]
            digit = None
        else:
            return None
    total += digit or 0
    return Decimal(total) if total > 0 else None


def _read_list(text: str, origin: list[int], original: str, context: _Context) -> Target | None:
    """Several clean values in one cell: 岗位补贴:2004元/人/月,1002元/人/月."""
    pieces = _split(text)
    if len(pieces) < 2:
        return None
    readings: list[tuple[_Reading, str]] = []
    for start, end in pieces:
        item = text[start:end]
        reading = _read_item(item, context)
        if reading is None:
            return None
        readings.append((reading, _raw_slice(original, origin, start, end)))
    subject: str | None = None
    parts: list[Target] = []
    for reading, raw in readings:
        if reading.has_subject and reading.label:
            subject = reading.label
        elif subject is not None and reading.label is None and reading.kind is not TargetKind.DEADLINE:
            reading.label = subject
            reading.notes.append(_note(NOTE_SHARED_SUBJECT, f"沿用前项的对象“{subject}”"))
        parts.append(reading.target(raw))
    kinds = {p.kind for p in parts}
    units = {p.unit for p in parts}
    ops = {p.op for p in parts}
    labels = {p.label for p in parts}
    notes = [_note(NOTE_LIST, f"一格含 {len(parts)} 个数值，见 parts")]
    kind = kinds.pop() if len(kinds) == 1 else TargetKind.QUANTITY
    if len({p.kind for p in parts}) > 1:
        notes.append(_note(NOTE_MIXED, "各数值类型不同"))
    return Target(
        kind=kind,
        op=ops.pop() if len(ops) == 1 else None,
        unit=units.pop() if len(units) == 1 else None,
        label=labels.pop() if len(labels) == 1 else None,
        raw=original,
        notes=tuple(notes),
        parts=tuple(parts),
    )


def _split(text: str) -> list[tuple[int, int]]:
    """Spans of the items of a list, split at , ; 、 outside parentheses."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char in ",;、" and depth == 0:
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _raw_slice(original: str, origin: list[int], start: int, end: int) -> str:
    if start >= end or end > len(origin):
        return ""
    return original[origin[start] : origin[end - 1] + 1]


_GRADE_TEXT = re.compile(r"[\u4e00-\u9fff、]+")


def _read_grade(text: str) -> tuple[str, list[str]] | None:
    """A qualitative grade (充分, 符合要求, 得以保障…) as (label, notes), or ``None``."""
    if not _GRADE_TEXT.fullmatch(text):
        return None
    if text.endswith(("率", "满意度", "比例", "数量", "人数", "次数")):
        return None  # an indicator's name written where its value belongs (及时率, 满意度)
    if text in _GRADE_SINGLE:
        return text, []
    if len(text) <= 6 and any(word in text for word in _GRADE_WORDS):
        return text, []
    if len(text) <= 4:
        return text, [_note(NOTE_UNKNOWN_GRADE, f"“{text}”不是常见的定性等级用语")]
    return None


_MENTION = re.compile(
    rf"(?<![\d.])(?P<words>{_PREFIX_ALTERNATION})?(?P<symbol>[≥≤<>=≈~])?(?P<sign>-)?(?P<number>{_NUMBER})"
    r"(?P<more>余|多)?(?P<tail>[%‰]|\([%‰\u4e00-\u9fff]{1,4}\)|[A-Za-z\u4e00-\u9fff/、]{0,16})"
)
_CONNECTORS = re.compile(r"[,;、:()\[\]]|及|和|与|并|或")
_ORDINAL_BEFORE = re.compile(r"(?:第|目标|任务|事项|计划|附件|表)$")


def _scan_prose(text: str, origin: list[int], original: str, context: _Context) -> list[Target]:
    """Numbers with a comparator or a unit inside free text, each with the words that name it."""
    parts: list[Target] = []
    previous_end = 0
    for m in _MENTION.finditer(text):
        number_text = m.group("number")
        tail = m.group("tail")
        has_op = bool(m.group("words") or m.group("symbol"))
        before = text[previous_end : m.start()]
        after_tail = text[m.end() : m.end() + 1]
        if not has_op and _date_fragment(number_text, tail, before, after_tail):
            continue
        if _ORDINAL_BEFORE.search(before) and not has_op:
            continue  # an ordinal: 目标1, 第3
        unit, counted, unit_notes, consumed = _unit_prefix(tail)
        if unit is None and not has_op:
            continue
        notes: list[str] = []
        op = _comparator(m.group("words"), m.group("symbol"), None, notes)
        if m.group("more"):
            notes.append(_note(NOTE_MORE_THAN, f"“{m.group('more')}”表示多于该数，按“≥”理解"))
            op = op or Comparator.GE
        number = _decimal(number_text, negative=bool(m.group("sign")))
        if number is None:
            continue
        reading = _measure(number, op or Comparator.EQ, unit, unit, context, notes)
        reading.notes.extend(unit_notes)
        reading.label = _prose_subject(before) or counted
        end = m.start("tail") + consumed
        parts.append(reading.target(_raw_slice(original, origin, m.start(), end)))
        previous_end = end
    return parts


_YEAR_NUMBER = re.compile(r"(?:19|20)\d{2}")


def _date_fragment(number: str, tail: str, before: str, after_tail: str) -> bool:
    """Is this number part of a date (2023年, 12月31日, 2023年1月) rather than a quantity?"""
    if _YEAR_NUMBER.fullmatch(number) and tail.startswith("年"):
        return True
    if before.endswith(("年", "月")) and tail.startswith(("月", "日", "号")):
        return True
    return tail == "月" and after_tail.isdigit()


_BRACKETED_UNIT = re.compile(r"\(([%‰\u4e00-\u9fff]{1,4})\)")
_COMPOUND_UNIT = re.compile(r"[\u4e00-\u9fff]{1,2}(?:/[\u4e00-\u9fff]{1,2})+")


def _unit_prefix(tail: str) -> tuple[str | None, str | None, list[str], int]:
    """The unit at the start of ``tail``, the object words right after it (案件庭审笔录), notes, and
    how many characters of ``tail`` they take."""
    if tail in ("%", "‰"):
        return tail, None, [], 1
    bracketed = _BRACKETED_UNIT.fullmatch(tail)
    if bracketed:
        inner = bracketed.group(1)
        unit = _UNIT_SPELLINGS.get(inner, inner)
        return unit, None, [_note(NOTE_UNIT, f"计量单位写在括号内“({inner})”")], len(tail)
    for spelled, plain in _UNIT_SPELLINGS.items():
        if tail.startswith(spelled):
            counted, length = _object_words(tail[len(spelled) :])
            notes = [_note(NOTE_UNIT, f"计量单位“{spelled}”记为“{plain}”")]
            return plain, counted, notes, len(spelled) + length
    compound = _COMPOUND_UNIT.match(tail)
    if compound and _unit_atom(compound.group(0)):
        counted, length = _object_words(tail[compound.end() :])
        return compound.group(0), counted, [], compound.end() + length
    atom = _unit_atom(tail)
    if atom is None:
        return None, None, [], 0
    counted, length = _object_words(tail[len(atom) :])
    return atom, counted, [], len(atom) + length


def _object_words(rest: str) -> tuple[str | None, int]:
    """The words right after a unit up to the next connector (的 dropped), and their printed length."""
    words = _CONNECTORS.split(rest, maxsplit=1)[0]
    return words.removeprefix("的") or None, len(words)


_DATE_LEAD = re.compile(r"^(?:\d+(?:年度?|月|日|号))+")
_NON_WORD_LEAD = re.compile(r"^[^\u4e00-\u9fffA-Za-z]+")


def _prose_subject(before: str) -> str | None:
    """The words naming a number in prose: back to the previous clause boundary, lead verbs dropped."""
    clause = _CONNECTORS.split(before)[-1] if before else ""
    clause = _DATE_LEAD.sub("", clause)
    clause = _NON_WORD_LEAD.sub("", clause)
    for word in _LEAD_WORDS:
        if clause == word or (clause.endswith(word) and len(clause) <= len(word) + 1):
            return None
    return clause or None


def _target_kind(target: Target) -> TargetKind:
    if target.parts and len({p.kind for p in target.parts}) == 1:
        return target.parts[0].kind
    return target.kind


def _effective_op(target: Target) -> Comparator | None:
    """The comparator of a target, or the one its parts share."""
    if target.op is not None:
        return target.op
    ops = {p.op for p in target.parts if p.op is not None}
    return ops.pop() if len(ops) == 1 else None
