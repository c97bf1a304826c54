"""What a table cell's text looks like: an amount, an 指标值, a formula, a sentence, a level label.

Enters: the text of one cell. Leaves: a classification the form readers use to put a cell in the
column its content fits when exports shift a row off its header (merged cells dropped, rows cut by
page breaks). Nothing here looks at positions.

Two dialects live side by side, each tuned on its own forms and pinned by their tests:

* ``target_strength`` / ``is_formula`` / ``is_sentence`` / ``is_level_like`` serve the three-level
  indicator reader (``indicator_table``), which scores whole-row shifts of declaration tables;
* ``cell_kind`` (number, value, qualitative, word, long, blank) serves the self-evaluation reader
  (``self_evaluation``), whose dynamic programme matches kinds against per-column fit tables.

They are not merged because they disagree at the edges, and each reader's figures depend on its
own answers: ``合格`` is a clear 指标值 to ``target_strength`` but a plain word to ``cell_kind``
(``长期`` the other way round); a question (``是否达标？``) or a 31- to 40-character phrase is
``long`` to ``cell_kind`` but no sentence to ``is_sentence``. What they share is written once: the
comparison signs, and ``is_amount``, which the disclosure tables use as well.

>>> is_amount("1,633.20"), target_strength("≥95%"), target_strength("岗位补贴:2004元/人/月")
(True, 2, 1)
>>> cell_kind("(0.1%)"), cell_kind("一般合理"), cell_kind("决算真实性"), cell_kind("—")
('value', 'qualitative', 'word', 'blank')
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.ingest.forms.common import YEAR_DIGITS
from jixiao.model.money import normalise_digits, parse_amount

#: Comparison signs that open or sit inside a value (``≥95%``, ``岗位补贴≥2000元``).
_SIGNS = "≥≤><≈≅＞＜"


@lru_cache(maxsize=32768)
def is_amount(text: str) -> bool:
    """A plain printed number or amount (``1633.2``, ``24,169.74``, ``(12)``), nothing more."""
    return parse_amount(text) is not None


def compact(text: str) -> str:
    """The text with ASCII digits and no spaces, for matching numbers (``１２ 分`` → ``12分``)."""
    return normalise_digits(text).strip().replace(" ", "")


# ---------------------------------------------------------------------------------------------------
# The indicator reader's dialect: how much a text looks like an 指标值.

_COMPARATOR = re.compile(
    r"^\s*(≥|≤|>=|<=|>|<|＞|＜|=|≈|≅|~|约|不低于|不少于|不高于|不超过|大于|小于|低于|高于)"
)
_COMPARATOR_INSIDE = re.compile(f"[{_SIGNS}]" + r"\s*\d")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?\s*(?:%|[^\d\s]{0,6})$")
_YEAR_START = re.compile("^" + YEAR_DIGITS + r"\s*年")
_DEADLINE = re.compile(
    r"(\d{1,2}\s*月\s*(?:底|末|前|份)|年底|年末|之前|以前|前完成|\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
_LABELLED_AMOUNT = re.compile(r"^[\u4e00-\u9fa5]{1,8}[:：]\s*\d")
_UNITS_IN_TEXT = re.compile(r"元|人|次|件|个|%|月|天|年|小时|项|户|份|场|家")
_GRADES = (
    "充分", "合理", "有效", "完整", "规范", "及时", "显著", "明显", "提高", "提升", "健全", "完成", "良好",
    "相关", "科学", "合规", "真实", "公开", "完备", "符合", "达到", "达标", "保障", "促进", "持续", "整治",
    "改善", "稳定", "增强", "优良", "准确", "到位", "落实", "合格", "满意", "是", "否",
)  # fmt: skip
_NAME_ENDINGS = (
    "性",
    "率",
    "度",
    "数",
    "量",
    "费",
    "指标",
    "人次",
    "情况",
    "时限",
    "时间",
    "期限",
    "标准",
    "成效",
    "水平",
)
_FORMULA_MARKS = ("=", "×100", "*100", "÷", "x100")
_SENTENCE_MARKS = ("。", "；", ";")


_DIGIT = re.compile(r"\d")
_LEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)?")


@lru_cache(maxsize=32768)
def target_strength(text: str) -> int:
    """How much ``text`` looks like an 指标值: 2 clearly (``≥95%``, ``1``, ``12月底之前``, ``合规``),
    1 possibly (``岗位补贴:2004元/人/月``, ``预完成100件…结案率≥90%``), 0 not (names, sentences, formulas).
    """
    t = normalise_digits(text).strip()
    if not t or any(mark in t for mark in _FORMULA_MARKS):
        return 0
    if len(t) <= 30 and _COMPARATOR.match(t) and _DIGIT.search(t):
        return 2
    if len(t) <= 16 and _PLAIN_NUMBER.match(t) and not _YEAR_START.match(t):
        return 2
    if len(t) <= 30 and t[0].isdigit() and not _YEAR_START.match(t) and _UNITS_IN_TEXT.search(t):
        # '100元/每人' is a value; '15个居民区全覆盖' is a name that starts with a number
        rest = _LEADING_NUMBER.sub("", t)
        return 2 if len(rest) <= 6 else 1
    if len(t) <= 16 and _DEADLINE.search(t):
        return 2
    if len(t) <= 6 and any(g in t for g in _GRADES) and not t.endswith(_NAME_ENDINGS):
        return 2
    if len(t) <= 40 and (_LABELLED_AMOUNT.match(t) or _COMPARATOR_INSIDE.search(t)):
        return 1
    return 0


def is_formula(text: str) -> bool:
    """A calculation rule (contains ``=`` or ``×100%``…), as printed in 指标说明 / 计算公式 columns."""
    t = normalise_digits(text)
    return any(mark in t for mark in _FORMULA_MARKS)


@lru_cache(maxsize=32768)
def is_sentence(text: str) -> bool:
    """Prose rather than a name or a value: long, or with sentence punctuation or a formula."""
    t = text.strip()
    return len(t) > 40 or any(m in t for m in _SENTENCE_MARKS) or ("，" in t and len(t) > 16) or is_formula(t)


_ANY_DIGIT = re.compile(r"[0-9０-９]")


def is_level_like(text: str) -> bool:
    """Short label text that could be a 一级/二级 name: no digits, no comparators, no sentence marks."""
    t = text.strip()
    if not t or len(t) > 16 or _ANY_DIGIT.search(t):
        return False
    if any(ch in t for ch in "，。；;=/%" + _SIGNS):
        return False
    return target_strength(t) == 0


# ---------------------------------------------------------------------------------------------------
# The self-evaluation reader's dialect: one coarse kind per cell.

_POINTS = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?分?$")  # 2, 0.86, 1,633.20
_VALUE = re.compile(
    r"^[（(]?\s*(?:≥|>=|＞|>|≤|<=|＜|<|=|≈|≅)?\s*[-+]?\d+(?:\.\d+)?\s*(?:%|‰|[^\d\s]{0,6})\s*[)）]?$"
)
_COMPARATOR_START = re.compile(f"^[{_SIGNS}]")
_BLANKS = {"-", "—", "——", "－", "/", "／", "…", "无", "--"}
_PROSE_MARKS = ("。", "；", ";", "=", "？", "?")
_WORD_NAME_ENDINGS = ("性", "率", "度", "数", "量", "额", "值", "时限", "时间", "期限", "标准", "费用")
_DEGREE = re.compile(r"^(?:一般|基本|较为|较|比较|非常|十分|部分|全部|全面|明显|有所|逐步|进一步|显著)")
_GRADE_WORDS = (
    "充分", "合理", "有效", "完整", "规范", "及时", "显著", "提高", "健全", "完成", "良好", "相关", "科学",
    "合规", "真实", "公开", "明显", "完备", "达到", "达标", "保障", "提升", "增长", "满意", "符合", "准确",
    "到位", "稳定", "改善", "持续", "长期", "优", "良", "是", "否", "实现", "落实", "开展",
)  # fmt: skip


@lru_cache(maxsize=32768)
def cell_kind(text: str) -> str:
    """number (2, 0.86), value (≥90%, (0.1%), 120人次), qualitative (合理), word, long, blank."""
    text = compact(text)
    if text in _BLANKS:
        return "blank"
    if _POINTS.match(text):
        return "number"
    if len(text) <= 20 and (_VALUE.match(text) or _COMPARATOR_START.match(text)):
        return "value"
    if len(text) > 30 or any(mark in text for mark in _PROSE_MARKS):
        return "long"
    if _is_grade_word(text):
        return "qualitative"
    return "word"


def _is_grade_word(text: str) -> bool:
    """A qualitative 指标值 such as 合理, 一般合理, 基本达到 (not an indicator name like 决算真实性)."""
    if len(text) > 6 or text.endswith(_WORD_NAME_ENDINGS) or "指标" in text or "目标" in text:
        return False
    stem = _DEGREE.sub("", text)
    return 0 < len(stem) <= 4 and any(word in stem for word in _GRADE_WORDS)
