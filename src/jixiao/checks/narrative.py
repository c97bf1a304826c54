"""Figures quoted in a disclosure's 情况说明 against its own tables and each other (A3xx).

Enters: a ``Disclosure`` (its narrative ``sections`` and standard ``tables``). Leaves: problems where
an amount quoted in the text (收入总计, 基本支出, a 功能分类 类/款/项, the “三公” 经费 …) differs from the
same quantity in the tables, where a share (占 53.1%) or a completion rate (完成年初预算的 98.20%) does
not follow from the figures, where a year-on-year change (比上年增加 180.8 万元，增长 2.1%) contradicts
this year's and last year's figures, and where 决算数大于/小于/等于预算数 contradicts the two amounts.

A quoted amount is compared only when its subject names one quantity unambiguously: the words around
it must reduce to a known quantity (收入预算总计 → the 总计 of the 收支总表) or name a 科目 by its
类/款/项 path or by a name printed once in the tables. Figures about another year (2022年当年预算执行数),
about a part of the department (所属单位, 本级) or with subjects left over (其他交通费) are not compared.
Printed values keep their precision: a table in 元 against a narrative in 万元 with two decimals agrees
when it rounds to the printed figure; one unit of the last printed digit is display rounding (info).

>>> reading = read_sections([Section(title="一、总体情况", text="本年收入合计100万元，其中：财政拨款收入80万元，占80%。")])
>>> [(claim.subject, claim.value) for claim in reading.amounts], [share.percent for share in reading.shares]
([('收入合计', Decimal('100')), ('财政拨款收入', Decimal('80'))], [Decimal('80')])
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Literal

from jixiao.checks.context import Context, amount_text, decimals
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.codes import function_class_by_name
from jixiao.model.disclosure import Disclosure, DisclosureRow, DisclosureTable
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc
from jixiao.model.money import normalise_digits
from jixiao.model.narrative import Section

__all__ = ["read_sections", "table_quantities"]

Role = Literal["current", "previous", "budget", "final"]
Agreement = Literal["equal", "rounding", "differs"]

_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(10**8),
}

# ---------------------------------------------------------------------------------------------
# reading the narrative

_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|千元|元|%)")
_BREAK = re.compile(r"[,;；。:：!?！？\n]")
_ITEM_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d)|[①-⑳])"
)
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.](?!\d)|[①-⑳])[、.\s]*"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_PREVIOUS_WORDS = re.compile(r"上年|上一年|去年|上年度|同期")
_PREVIOUS_LABEL = re.compile(r"(执行数|预算数|决算数|预算|决算|实际数|实际支出|支出数)\s*(为|是)?\s*$")
_CHANGE_VERB = re.compile(
    r"(增加|减少|增长|下降|上升|降低|提高|增幅|减幅|降幅|压减|减少了|增加了)\s*(了|为|约)?\s*$"
)
_INCREASE = ("增加", "增长", "上升", "提高", "增幅")
_SHARE = re.compile(r"占(.{0,20}?)(的)?(比重|比例)?(为|是)?\s*$")
_RATE = re.compile(r"完成(年初|全年|调整)?预算(数)?的\s*$")
_COMPARED = re.compile(
    r"(?:与|比|较|同)(?:上年|上一年|去年|上年度|(?:19|20)\d{2}年(?:度)?)(?:[（(][^）)]*[）)])?(?:当年)?"
    r"(?:预算执行数|执行数|预算数|决算数|预算|决算)?(?:相比|相较|比较)?"
)
_PARENT = re.compile(r"其中|包括|以下方面|如下|分别为|分别是|具体为|具体是|构成为")
_FLAT = re.compile(r"(?:比|与|较|同)[^。；;]{0,24}?(?:持平|无变化|没有变化)")
_COMPARISON = re.compile(
    r"决算数?\s*(大于|高于|多于|超过|小于|低于|少于|等于|与预算数?\s*(?:基本)?(?:持平|一致|相等|相同))\s*(预算数?)?"
)
_OTHER_ENTITY = re.compile(r"下属|所属|本级|\d")
_PATH_PART = re.compile(r"([^（()）“”\"'、,;；。:：\-—－]+?)\s*[（(]\s*(\d{0,3})\s*(类|款|项)\s*[)）]")
_DASH_PATH = re.compile(r"“([^”]{4,80})”\s*科目")
_DASH = re.compile(r"\s*[-—－]+\s*")
_ORG_SUFFIX = re.compile(r"(局|委员会|委|办公室|办事处|检察院|法院|院|中心|厅|署|站|所|馆|队|社|会)")
_GENERIC = re.compile(
    r"^(?:预算安排|安排|年初预算|预算数|预算|支出决算|决算支出|决算数|决算|预算支出|支出|金额|资金)?(?:数)?$"
)
_SPACES = re.compile(r"\s+")


@dataclass
class Segment:
    """A run of narrative text read as one unit: a heading, or an item with its wrapped lines."""

    section: Section
    text: str  # digits and punctuation normalised (１２．５％ → 12.5%), one character for one
    raw: str = ""  # the same text as printed, for messages
    starts: list[int] = field(default_factory=list)  # offset where each source line begins
    locs: list[Loc | None] = field(default_factory=list)
    topic: str | None = None  # the quantity the segment is about, once an explicit subject names it
    section_class: str | None = None  # 类 code named by the section heading (（一）公共安全（类）)

    def loc_at(self, offset: int) -> Loc | None:
        index = bisect_right(self.starts, offset) - 1
        found = self.locs[index] if 0 <= index < len(self.locs) else None
        return found or self.section.loc

    def quote(self, start: int, end: int) -> str:
        """The text from ``start`` to the end of the clause that ``end`` is in, as printed."""
        raw = self.raw or self.text
        right = end
        while right < len(raw) and raw[right] not in "。；;，,\n" and right - end < 20:
            right += 1
        left = start
        if end - left > 80:  # a long sentence: from the clause before ``end``
            left = max(self.text.rfind(mark, start, end - 20) for mark in "，,；;")
            left = start if left < 0 else left + 1
        return raw[left:right].strip(" ，,、：:")

    def sentence_start(self, offset: int) -> int:
        return max(self.text.rfind(mark, 0, offset) for mark in "。；;") + 1


@dataclass
class Amount:
    """An amount quoted in the text and what it is (``key`` names the quantity in the tables)."""

    segment: Segment
    start: int
    end: int
    value: Decimal
    unit: str
    printed: str
    subject: str
    key: str | None
    role: Role
    lead_start: int = 0

    @property
    def loc(self) -> Loc | None:
        return self.segment.loc_at(self.start)


@dataclass
class Share:
    segment: Segment
    start: int
    end: int
    percent: Decimal
    numerator: Amount
    base: Amount | None  # the figure the text divides by (the 其中 parent), if quoted
    base_key: str | None  # or the quantity it names (占“三公”经费的 19.1%)
    base_text: str
    alternatives: list[Amount] = field(default_factory=list)  # other totals the share may be of

    @property
    def loc(self) -> Loc | None:
        return self.segment.loc_at(self.start)


@dataclass
class Change:
    """比上年增加/减少 (or 持平): the amount and/or percent, with this year's and, if quoted, last year's figure."""

    segment: Segment
    start: int
    end: int
    current: Amount
    previous: Amount | None
    direction: int  # +1 增加, -1 减少, 0 持平
    amount: Decimal | None = None
    amount_unit: str = "万元"
    amount_printed: str | None = None
    percent: Decimal | None = None
    percent_printed: str | None = None

    @property
    def loc(self) -> Loc | None:
        return self.segment.loc_at(self.start)


@dataclass
class Rate:
    """完成年初预算的 98.20%: the 决算 over the 预算 quoted before it."""

    segment: Segment
    start: int
    end: int
    percent: Decimal
    budget: Amount
    final: Amount

    @property
    def loc(self) -> Loc | None:
        return self.segment.loc_at(self.start)


@dataclass
class Comparison:
    """决算数大于/小于/等于预算数, said of the two amounts quoted before it."""

    segment: Segment
    start: int
    end: int
    relation: str
    budget: Amount
    final: Amount
    alternatives: list[Amount] = field(default_factory=list)  # other 预算 figures of the same subject

    @property
    def loc(self) -> Loc | None:
        return self.segment.loc_at(self.start)


@dataclass
class Reading:
    amounts: list[Amount] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)


def _segments(section: Section) -> list[Segment]:
    """The heading and the body of a section, split at items (1、 （一）) and after full stops."""
    heading_class = _class_in_heading(section.title)
    segments: list[Segment] = []
    title = normalise_digits(section.title)
    if _FIGURE.search(title):
        segments.append(
            Segment(section, title, section.title, [0], [section.loc], section_class=heading_class)
        )
    figures = list(section.figures)
    pointer = 0
    current: Segment | None = None
    ended = True
    for raw in section.text.split("\n"):
        printed = raw.strip()
        line = normalise_digits(printed)
        if not line:
            continue
        loc: Loc | None = None
        # the paragraph's location: the figures the recogniser found in it carry it
        while pointer < len(figures) and normalise_digits(figures[pointer].text) in line:
            loc = loc or figures[pointer].loc
            pointer += 1
        if current is None or ended or _ITEM_START.match(line):
            current = Segment(section, "", section_class=heading_class)
            segments.append(current)
        current.starts.append(len(current.text))
        current.locs.append(loc)
        current.text += line
        current.raw += printed if len(printed) == len(line) else line
        ended = line.endswith(("。", "！", "？", "!", "?"))
    return segments


def _class_in_heading(title: str) -> str | None:
    for name, digits, level in _PATH_PART.findall(normalise_digits(title)):
        if level == "类":
            return digits if len(digits) == 3 else function_class_by_name(_strip_enumerator(name))
    return None


@lru_cache(maxsize=8192)
def _strip_enumerator(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _ENUMERATOR.sub("", text).strip(" 、，,:：")
    return text


def _previous_end_break(text: str, low: int, high: int) -> int:
    """Offset just after the last clause break in ``text[low:high]`` (``low`` if none)."""
    position = low
    for match in _BREAK.finditer(text, low, high):
        position = match.end()
    return position


class _Reader:
    """Reads one segment figure by figure, keeping what the next figure may refer to."""

    def __init__(
        self, segment: Segment, reading: Reading, year: int | None, stage: str, names: _Names
    ) -> None:
        self.segment = segment
        self.reading = reading
        self.year = year
        self.stage = stage
        self.names = names
        self.text = segment.text
        self.parents: list[Amount] = []
        self.bases: list[Amount] = []  # this-year amounts, in order
        self.previous: list[Amount] = []
        self.budgets: list[Amount] = []
        self.finals: list[Amount] = []
        self.pending: Change | None = None  # an amount change that a percent may complete

    def read(self) -> None:
        text = self.text
        previous_end = 0
        for match in _FIGURE.finditer(text):
            self._gap(previous_end, match.start())
            lead_start = _previous_end_break(text, previous_end, match.start())
            lead = text[lead_start : match.start()].strip(" 、")
            value = Decimal(match.group(1).replace(",", ""))
            unit = match.group(2)
            printed = (self.segment.raw or text)[match.start() : match.end()]
            if unit == "%":
                self._percent(match.start(), match.end(), lead, value, printed)
            else:
                self._amount(match.start(), match.end(), lead, value, unit, printed, lead_start)
            previous_end = match.end()
        self._gap(previous_end, len(text))

    # -- the text between two figures: sentences, 其中, comparisons, 持平
    def _gap(self, start: int, end: int) -> None:
        gap = self.text[start:end]
        if "。" in gap:
            self.pending = None
            tail = gap.rsplit("。", 1)[1]
            self.parents = []
            if _PARENT.search(tail) and self.bases:
                self.parents = [self.bases[-1]]
        elif (
            _PARENT.search(gap)
            and self.bases
            and (not self.parents or self.parents[-1] is not self.bases[-1])
        ):
            self.parents.append(self.bases[-1])
        for match in _COMPARISON.finditer(gap):
            budget, final = self._pair()
            if budget is not None and final is not None:
                relation = match.group(1)
                others = [b for b in self.budgets if b is not budget and b.key == budget.key]
                self.reading.comparisons.append(
                    Comparison(
                        self.segment,
                        start + match.start(),
                        start + match.end(),
                        relation,
                        budget,
                        final,
                        others,
                    )
                )
        flat = _FLAT.search(gap)
        if flat and self.previous and self.bases and "决算" not in flat.group(0):
            # 持平 is checked only where this year's and last year's figures are in its sentence
            sentence = self.text.rfind("。", 0, start + flat.start()) + 1
            current, previous = self.bases[-1], self.previous[-1]
            if current.start >= sentence and previous.start >= sentence:
                self.reading.changes.append(
                    Change(self.segment, start + flat.start(), start + flat.end(), current, previous, 0)
                )

    def _pair(self) -> tuple[Amount | None, Amount | None]:
        """The latest 预算 and 决算 amounts of the same subject."""
        if not self.budgets or not self.finals:
            return None, None
        budget, final = self.budgets[-1], self.finals[-1]
        if budget.key != final.key:
            return None, None
        return budget, final

    # -- percentages
    def _percent(self, start: int, end: int, lead: str, value: Decimal, printed: str) -> None:
        share = _SHARE.search(lead)
        if share and self.bases:
            base_text = share.group(1).strip(' “”"')
            base: Amount | None = None
            base_key: str | None = None
            if base_text:
                base_key = _classify(_clean_subject(base_text, self.names))
            elif self.parents:
                base = self.parents[-1]
            numerator = self.bases[-1]
            alternatives = [
                b for b in (self.parents[0] if self.parents else None, self.bases[0]) if b is not None
            ]
            alternatives = [b for b in alternatives if b is not numerator and b is not base]
            if base is not numerator and (base is not None or base_key is not None):
                self.reading.shares.append(
                    Share(self.segment, start, end, value, numerator, base, base_key, base_text, alternatives)
                )
            return
        if _RATE.search(lead):
            budget, final = self._pair()
            if budget is not None and final is not None:
                self.reading.rates.append(Rate(self.segment, start, end, value, budget, final))
            return
        verb = _CHANGE_VERB.search(lead)
        if verb is None:
            return
        direction = 1 if verb.group(1).startswith(_INCREASE) else -1
        if self.pending is not None and self.pending.direction == direction and self.pending.percent is None:
            self.pending.percent = value
            self.pending.percent_printed = printed
            self.pending.end = end
            self.pending = None
            return
        change = self._change(start, end, lead, verb.group(1), direction)
        if change is not None:
            change.percent = value
            change.percent_printed = printed
            self.reading.changes.append(change)
        self.pending = None

    def _change(self, start: int, end: int, lead: str, verb: str, direction: int) -> Change | None:
        if not self.bases:
            return None
        said = lead[: lead.rfind(verb)] if verb in lead else lead
        said = _COMPARED.sub("", _SPACES.sub("", said)).strip(" ，,、各")
        said = re.sub(r"^[^（(]*[）)]", "", said).replace("同比", "").replace("环比", "")
        current: Amount | None = self._sentence_subject(start)
        if said and not _GENERIC.match(said):
            said_key = _classify(_clean_subject(said, self.names))
            current = next(
                (
                    c
                    for c in reversed(self.bases)
                    if said in c.subject
                    or (c.subject and c.subject in said)
                    or (said_key and c.key == said_key)
                ),
                None,
            )
        if current is None:
            return None
        previous = self.previous[-1] if self.previous else None
        if previous is not None and previous.start > start:
            previous = None
        return Change(self.segment, start, end, current, previous, direction)

    def _sentence_subject(self, start: int) -> Amount | None:
        """What a bare 比上年增加 refers to: the latest amount of its sentence, else the first of the one before."""
        sentence = self.text.rfind("。", 0, start) + 1
        in_sentence = [b for b in self.bases if b.start >= sentence]
        if in_sentence:
            return in_sentence[-1]
        before = self.text.rfind("。", 0, max(sentence - 1, 0)) + 1
        earlier = [b for b in self.bases if before <= b.start < sentence]
        return earlier[0] if earlier else None

    # -- amounts
    def _amount(
        self, start: int, end: int, lead: str, value: Decimal, unit: str, printed: str, lead_start: int
    ) -> None:
        verb = _CHANGE_VERB.search(lead)
        if verb is not None:
            direction = 1 if verb.group(1).startswith(_INCREASE) else -1
            change = self._change(start, end, lead, verb.group(1), direction)
            if change is not None:
                change.amount = value
                change.amount_unit = unit
                change.amount_printed = printed
                self.reading.changes.append(change)
                self.pending = change
            return
        self.pending = None
        years = [int(y) for y in _YEAR.findall(lead)]
        role = self._role(lead, years)
        if role is None:
            return
        key, subject = self._subject(lead, role, start)
        amount = Amount(self.segment, start, end, value, unit, printed, subject, key, role, lead_start)
        self.reading.amounts.append(amount)
        if role == "previous":
            self.previous.append(amount)
            return
        if role == "budget":
            self.budgets.append(amount)
            return
        if role == "final":
            self.finals.append(amount)
        self.bases.append(amount)

    def _role(self, lead: str, years: list[int]) -> Role | None:
        year = self.year
        mentions_previous = bool(_PREVIOUS_WORDS.search(lead)) or (
            year is not None and bool(years) and years[-1] == year - 1
        )
        if mentions_previous:
            return "previous" if _PREVIOUS_LABEL.search(lead) else None
        if years and years[-1] != year:
            return None  # a figure about another year (or about some year, when the document's is unknown)
        if "执行" in lead and self.stage == "budget":
            return None  # 预计执行数: not this year's budget
        if self.stage == "final":
            bare = re.sub(r"一般公共预算|政府性基金预算|国有资本经营预算", "", lead)
            if "年初" in bare or "调整预算" in bare or re.search(r"预算(数)?\s*(为|是)?\s*$", bare):
                return "budget"
            return "final"
        return "current"

    def _subject(self, lead: str, role: Role, start: int) -> tuple[str | None, str]:
        segment = self.segment
        path = _function_key(lead, segment, self.names)
        subject = _clean_subject(lead, self.names)
        if path is not None:
            key = path[0] if path[0] else None
            if key is not None and segment.topic is None and role != "previous":
                segment.topic = key
            return key, subject
        if _GENERIC.match(subject):
            if segment.topic is None:
                head = _PATH_PART.search(segment.text, 0, start) or _DASH_PATH.search(segment.text, 0, start)
                if head is not None:
                    found = _function_key(segment.text[:start], segment, self.names)
                    if found is not None and found[0]:
                        segment.topic = found[0]
            return segment.topic, subject
        key = None if _OTHER_ENTITY.search(subject) else _classify(subject)
        if key is not None and segment.topic is None and role != "previous":
            segment.topic = key
        return key, subject


def _clean_subject(lead: str, names: _Names) -> str:
    """The words naming what an amount is: no enumerator, organisation, year, or trailing 为/是."""
    return _clean_text(lead, names.department)


@lru_cache(maxsize=8192)
def _clean_text(lead: str, department: str) -> str:
    text = _SPACES.sub("", lead)
    years = list(_YEAR.finditer(text))
    if years:
        text = text[years[-1].end() :]
    if "本年" in text:
        text = text[text.rfind("本年") + 2 :]
    text = _strip_enumerator(text)
    text = re.sub(r"^(其中|此外|另外|另|包括|含)[:：]?", "", text)
    text = _strip_enumerator(text)
    text = _strip_self(text, department)
    text = re.sub(r"(为|是|达到|约|共计|合计为|总额为)$", "", text)
    return text.strip(" ，,、:：（）()")


def _strip_self(text: str, department: str) -> str:
    """Remove the department's own name (or a short form of it: 省检察院, 商务委) at the front."""
    if department and department in text:
        text = text.replace(department, "")
    match = _ORG_SUFFIX.search(text)
    if match and department and match.end() <= 16:
        prefix = text[: match.end()]
        if len(prefix) >= 2 and _subsequence(prefix, department):
            text = text[match.end() :]
    return text.strip(" （）()")


def _function_key(lead: str, segment: Segment, names: _Names) -> tuple[str | None] | None:
    """A 功能分类 code named by its path (类/款/项 markers, “类-款-项”科目) or by its printed name.

    Returns None when the words do not look like a 科目; ``(None,)`` when they do but name no
    single code of this document's tables (they must then not be read as anything else).
    """
    memo_key = (lead, segment.section_class)
    if memo_key not in names.memo:
        names.memo[memo_key] = _find_function_key(lead, segment.section_class, names)
    return names.memo[memo_key]


def _find_function_key(lead: str, section_class: str | None, names: _Names) -> tuple[str | None] | None:
    text = _SPACES.sub("", lead)
    parts = [
        (level, _strip_enumerator(name).strip("“”\"'"), digits)
        for name, digits, level in _PATH_PART.findall(text)
    ]
    if not parts:
        dashed = _DASH_PATH.search(text)
        if dashed:
            names_in_path = [n for n in _DASH.split(dashed.group(1)) if n]
            levels = ("类", "款", "项")[: len(names_in_path)]
            parts = [(level, name, "") for level, name in zip(levels, names_in_path, strict=False)]
    if parts:
        code = names.resolve_path(parts, section_class)
        return (f"function:{code}" if code else None,)
    bare = _clean_subject(lead, names)
    if not bare:
        return None
    code = names.by_name(bare)
    return (f"function:{code}",) if code is not None else None


class _Names:
    """The 功能分类 codes printed in the document's tables, their names, and the department's name."""

    def __init__(self, form: Disclosure) -> None:
        self.department = _SPACES.sub("", form.department or "")
        self.memo: dict[tuple[str, str | None], tuple[str | None] | None] = {}
        self.names: dict[str, set[str]] = {}
        for table in form.tables:
            for row in table.rows:
                code = row.codes.get("function") or (row.code if row.code_kind == "function" else None)
                if code and len(code) in (3, 5, 7) and code.isdigit():
                    self.names.setdefault(code, set()).add(_name_key(row.name))
        self.by_key: dict[str, set[str]] = {}
        for code, printed in self.names.items():
            for name in printed:
                self.by_key.setdefault(name, set()).add(code)

    def by_name(self, name: str) -> str | None:
        """The one 科目 code printed under this name (a 类 by its official name), or None."""
        key = _name_key(name)
        codes = self.by_key.get(key, set())
        if not codes:
            class_code = function_class_by_name(name)
            codes = {class_code} if class_code is not None else set()
        if len(codes) == 1:
            return next(iter(codes))
        return None

    def resolve_path(self, parts: Sequence[tuple[str, str, str]], section_class: str | None) -> str | None:
        levels = {level: (name, digits) for level, name, digits in parts}
        code: str | None = None
        if "类" in levels:
            name, digits = levels["类"]
            code = digits if len(digits) == 3 else function_class_by_name(name)
            if code is None:
                code = self._child(None, name, 3)
            if code is None:
                return None
        elif section_class is not None:
            code = section_class
        for level, width in (("款", 5), ("项", 7)):
            if level not in levels:
                continue
            name, digits = levels[level]
            if digits and code is not None and len(code) == width - 2:
                code = code + digits.zfill(2)[-2:]
            else:
                code = self._child(code, name, width)
            if code is None:
                return None
        return code

    def _child(self, parent: str | None, name: str, width: int) -> str | None:
        key = _name_key(name)
        found = {
            code
            for code in self.by_key.get(key, set())
            if len(code) == width and (parent is None or code.startswith(parent))
        }
        return next(iter(found)) if len(found) == 1 else None


def _subsequence(short: str, full: str) -> bool:
    position = 0
    for char in short:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    text = _strip_enumerator(_SPACES.sub("", name)).replace("（", "(").replace("）", ")")
    return text.strip("“”\"'")


# ---------------------------------------------------------------------------------------------
# what a subject names

_FILLERS = (
    "一般公共预算",
    "本部门",
    "本单位",
    "部门",
    "单位",
    "年初",
    "年度",
    "当年",
    "全年",
    "预算数",
    "决算数",
    "预算",
    "决算",
    "总计",
    "合计",
    "小计",
    "总额",
    "支出",
    "收入",
    "收支",
    "收、支",
    "安排",
    "财政拨款",
    "拨款",
    "资金",
    "的",
    "中",
    "各",
    "共",
    "数",
    "、",
    "和",
    "及",
    "总",
    "“",
    "”",
    '"',
)

# (key, the words that name it); first match wins, the leftover must be filler words only
_CORES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("three_public:abroad", ("因公出国(境)费", "因公出国费", "出国(境)费")),
    (
        "three_public:vehicle",
        ("公务用车购置及运行维护费", "公务用车购置及运行费", "公务车购置及运行费", "公务用车购置和运行费"),
    ),
    ("three_public:vehicle_purchase", ("公务用车购置费", "公务车购置费")),
    (
        "three_public:vehicle_running",
        ("公务用车运行维护费", "公务用车运行费", "公务车用车运行费", "公务车运行费", "公务车运行维护费"),
    ),
    ("three_public:reception", ("公务接待费",)),
    ("three_public", ("三公经费", "三公")),
    ("operating_costs", ("机关运行经费",)),
    ("meeting", ("会议费",)),
    ("training", ("培训费",)),
    ("procurement", ("政府采购",)),
    ("personnel", ("人员经费",)),
    ("public", ("日常公用经费", "公用经费")),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("gov_fund", ("政府性基金",)),
    ("state_capital", ("国有资本经营",)),
    ("general_budget", ("一般公共预算",)),
    ("fiscal", ("财政拨款",)),
)

_TOTAL_LEFTOVER = re.compile(r"^(收入|支出|收支|收、支|收入、支出|收入和支出|收入支出)$")


def _strip_fillers(text: str) -> str:
    for word in _FILLERS:
        text = text.replace(word, "")
    return text


@lru_cache(maxsize=4096)
def _classify(subject: str) -> str | None:
    """The quantity a cleaned subject names, or None when its words leave anything unexplained."""
    text = subject.replace("（", "(").replace("）", ")").replace("“", "").replace("”", "").replace('"', "")
    if not text or len(text) > 30:
        return None
    if re.search(r"结转|结余|上年|执行", text):
        return None
    for key, cores in _CORES:
        for core in cores:
            if core in text:
                rest = text.replace(core, "")
                if key in ("basic", "project") and re.search(r"政府性基金|国有资本", rest):
                    return None
                if key == "fiscal" and "收入" in rest and "支出" not in rest:
                    rest = rest.replace("收入", "")
                return key if not _strip_fillers(rest) else None
    row = _named_row(text)
    if row is not None:
        return row
    bare = _strip_fillers(text.replace("总计", "@"))
    if bare == "@" or (bare == "" and "总计" in text):
        both = ("收" in text and "支" in text) or "收支" in text
        return "total:grand" if both or "总计" in text else None
    if bare:
        return None
    spoken = re.sub(r"本年|年度|预算数|决算数|预算|决算|合计|小计|总额|部门|单位|安排|的", "", text)
    if not _TOTAL_LEFTOVER.match(spoken):
        return None
    if "收" in spoken and "支" in spoken:
        return "total:grand"
    return "total:income" if "收" in spoken else "total:expenditure"


_INCOME_ROWS = (
    "事业单位经营收入",
    "事业收入",
    "经营收入",
    "其他收入",
    "上级补助收入",
    "附属单位上缴收入",
    "财政专户管理资金收入",
    "单位资金",
)


def _named_row(text: str) -> str | None:
    for name in _INCOME_ROWS:
        if text.startswith(name) and not re.sub(r"预算数|决算数|预算|决算|本年|为", "", text[len(name) :]):
            return f"row:{name}"
    return None


def read_sections(
    sections: Sequence[Section],
    year: int | None = None,
    stage: str = "budget",
    form: Disclosure | None = None,
) -> Reading:
    """Every amount, share, change, rate and 决算/预算 comparison quoted in ``sections``."""
    names = _Names(form or Disclosure())
    reading = Reading()
    for section in sections:
        for segment in _segments(section):
            _Reader(segment, reading, year, stage, names).read()
    return reading


# ---------------------------------------------------------------------------------------------
# the same quantities in the tables


@dataclass(frozen=True)
class TableValue:
    """A quantity as a table prints it: value, unit, where, and the previous year's figure if printed."""

    key: str
    value: Decimal
    unit: str
    label: str
    loc: Loc | None
    kind: str = ""  # the table's kind
    assumed: bool = False  # the table printed no unit; 元 and 万元 are both possible
    variant: str | None = None  # 预算 / 决算 for tables that print both (三公 决算表)
    previous: Decimal | None = None


def _row_label(table: DisclosureTable, row: DisclosureRow | None, column: str | None) -> str:
    where = f"《{table.title}》"
    if row is not None and row.name:
        where += f"“{row.name}”行"
    if column:
        where += f"“{column}”列"
    return where


def _has_numbers(table: DisclosureTable) -> bool:
    return bool(table.empty_statement) or any(v is not None for r in table.rows for v in r.values.values())


def _previous_column(table: DisclosureTable) -> str | None:
    return next(
        (c for c in table.columns if "上年" in c and "结转" not in c and "结余" not in c),
        None,
    )


class _Collector:
    def __init__(self, form: Disclosure) -> None:
        self.form = form
        self.values: dict[str, list[TableValue]] = {}
        self.numbers: dict[int, bool] = {}
        self.previous: dict[int, str | None] = {}

    def add(
        self,
        key: str,
        table: DisclosureTable,
        row: DisclosureRow | None,
        column: str | None,
        value: Decimal | None,
        variant: str | None = None,
    ) -> None:
        if value is None:
            if id(table) not in self.numbers:
                self.numbers[id(table)] = _has_numbers(table)
            if not self.numbers[id(table)]:
                return
            value = Decimal(0)
        if id(table) not in self.previous:
            self.previous[id(table)] = _previous_column(table)
        previous_column = self.previous[id(table)]
        previous = row.values.get(previous_column) if row is not None and previous_column else None
        loc = (row.cells.get(column) if row is not None and column else None) or (
            row.loc if row else table.loc
        )
        unit = table.unit or self.form.unit or "万元"
        if unit not in _FACTORS:
            return
        self.values.setdefault(key, []).append(
            TableValue(
                key,
                value,
                unit,
                _row_label(table, row, column),
                loc,
                table.kind,
                table.unit_assumed,
                variant,
                previous,
            )
        )


def _first_column(row: DisclosureRow) -> str | None:
    return next(iter(row.values), None)


def _amount_columns(row: DisclosureRow) -> list[str]:
    return [c for c in row.values if "上年" not in c]


def _leaf(column: str) -> str:
    return column.rsplit("/", 1)[-1]


_TOTAL_KINDS = {
    "expenditure_summary": "total:expenditure",
    "income_summary": "total:income",
    "general_budget_expenditure": "general_budget",
    "fiscal_expenditure": "fiscal",
    "gov_fund": "gov_fund",
    "state_capital": "state_capital",
    "general_budget_basic": "basic",
    "fiscal_basic": "basic",
    "operating_costs": "operating_costs",
    "procurement": "procurement",
    "project_expenditure": "project",
}


def table_quantities(form: Disclosure) -> dict[str, list[TableValue]]:
    """Each quantity a narrative may quote, with every place the tables print it."""
    collector = _Collector(form)
    for table in form.tables:
        if table.kind in ("income_expenditure_summary", "fiscal_summary"):
            _two_sided(collector, table)
        elif table.kind == "three_public":
            _three_public(collector, table)
        else:
            _one_sided(collector, table)
    return collector.values


def _two_sided(collector: _Collector, table: DisclosureTable) -> None:
    fiscal = table.kind == "fiscal_summary"
    totals = [r for r in table.rows if r.is_total]
    grand = [r for r in totals if "总计" in r.name] or totals
    for row in totals:
        column = _first_column(row)
        value = row.values.get(column) if column else None
        side = row.side or "income"
        collector.add("fiscal" if fiscal else f"total:{side}", table, row, column, value)
        if row in grand and not fiscal:
            collector.add("total:grand", table, row, column, value)
        if fiscal and side == "expenditure":
            for column_name in _amount_columns(row):
                for word, key in (
                    ("一般公共预算", "general_budget"),
                    ("政府性基金", "gov_fund"),
                    ("国有资本", "state_capital"),
                ):
                    if word in column_name:
                        collector.add(key, table, row, column_name, row.values.get(column_name))
    seen: set[str] = set()
    carried = False
    for row in table.rows:
        if row.is_total:
            continue
        column = _first_column(row)
        value = row.values.get(column) if column else None
        name = _strip_enumerator(row.name).removeprefix("其中:").removeprefix("其中：")
        if row.side == "expenditure":
            code = row.codes.get("function") or (row.code if row.code_kind == "function" else None)
            if code:
                collector.add(f"function:{code}", table, row, column, value)
            elif "基本支出" in name:
                collector.add("basic", table, row, column, value)
            elif "项目支出" in name:
                collector.add("project", table, row, column, value)
            elif name and value is not None:
                collector.add(f"row:{_name_key(name)}", table, row, column, value)
            continue
        if "结转" in name or "结余" in name:
            carried = True
        if carried:
            continue
        for word, key in (
            ("一般公共预算", "general_budget"),
            ("政府性基金", "gov_fund"),
            ("国有资本经营", "state_capital"),
            ("财政拨款", "fiscal"),
        ):
            if word in name and key not in seen:
                seen.add(key)
                collector.add(key, table, row, column, value)
                break
        else:
            for income in _INCOME_ROWS:
                if name == income or name.endswith(income):
                    collector.add(f"row:{income}", table, row, column, value)
                    break


def _one_sided(collector: _Collector, table: DisclosureTable) -> None:
    total = table.total()
    if total is not None and re.search(r"人员经费|公用经费", total.name):
        total = None  # 人员经费合计 / 公用经费合计 are parts of a 基本支出 table, not its total
    key = _TOTAL_KINDS.get(table.kind)
    rows = [r for r in table.rows if not r.is_total]
    if total is not None:
        columns = _amount_columns(total)
        main = next(
            (c for c in columns if _leaf(c) in ("合计", "总计", "本年收入合计", "本年支出合计", "金额")), None
        )
        main = main or (columns[0] if columns else None)
        if key is not None and main is not None:
            collector.add(key, table, total, main, total.values.get(main))
        _total_columns(collector, table, total, columns, main)
    personnel = next((r for r in table.rows if _SPACES.sub("", r.name) == "人员经费合计"), None)
    public = next((r for r in table.rows if _SPACES.sub("", r.name) == "公用经费合计"), None)
    for row, row_key in ((personnel, "personnel"), (public, "public")):
        if row is not None:
            column = _first_column(row)
            collector.add(row_key, table, row, column, row.values.get(column) if column else None)
    if personnel is not None and public is not None:
        first, second = _first_column(personnel), _first_column(public)
        a = personnel.values.get(first) if first else None
        b = public.values.get(second) if second else None
        if a is not None and b is not None:
            collector.add("basic", table, personnel, first, a + b)
    if table.kind in ("general_budget_basic", "fiscal_basic"):
        _economic_parts(collector, table, rows)
    for row in rows:
        code = row.codes.get("function") or (row.code if row.code_kind == "function" else None)
        if code:
            column = _first_column(row)
            collector.add(f"function:{code}", table, row, column, row.values.get(column) if column else None)


def _total_columns(
    collector: _Collector, table: DisclosureTable, total: DisclosureRow, columns: list[str], main: str | None
) -> None:
    personnel_parts: list[str] = []
    public_parts: list[str] = []
    for column in columns:
        leaf, parts = _leaf(column), column.split("/")
        value = total.values.get(column)
        if (
            "基本支出" in parts
            and leaf in ("基本支出", "小计", "合计")
            and table.kind not in ("general_budget_basic", "fiscal_basic")
        ):
            collector.add("basic", table, total, column, value)
        elif "项目支出" in parts and leaf in ("项目支出", "小计", "合计"):
            collector.add("project", table, total, column, value)
        elif leaf == "人员经费" or leaf.endswith("/人员经费"):
            collector.add("personnel", table, total, column, value)
        elif leaf == "公用经费":
            collector.add("public", table, total, column, value)
        elif "人员经费" in parts:
            personnel_parts.append(column)
        elif "公用经费" in parts:
            public_parts.append(column)
        elif "财政拨款" in leaf and table.kind == "income_summary":
            collector.add("fiscal", table, total, column, value)
        elif column != main and leaf not in ("小计", "合计"):
            if leaf in _INCOME_ROWS:
                collector.add(f"row:{leaf}", table, total, column, value)
            else:
                collector.add(f"row:{_name_key(leaf)}", table, total, column, value)
    for key, parts_of in (("personnel", personnel_parts), ("public", public_parts)):
        values = [total.values.get(c) for c in parts_of]
        if values and any(v is not None for v in values):
            collector.add(key, table, total, parts_of[0], sum((v or Decimal(0) for v in values), Decimal(0)))


def _economic_parts(collector: _Collector, table: DisclosureTable, rows: list[DisclosureRow]) -> None:
    """人员经费 = 301 + 303 and 公用经费 = 302 + 310 where the basic table prints no such columns."""
    by_class: dict[str, Decimal] = {}
    first: dict[str, DisclosureRow] = {}
    classes = [r for r in rows if r.code_kind == "economic_dept" and r.code and len(r.code) == 3]
    items = [r for r in rows if r.code_kind == "economic_dept" and r.code and len(r.code) == 5]
    for row in classes or items:
        column = _first_column(row)
        value = row.values.get(column) if column else None
        code = (row.code or "")[:3]
        by_class[code] = by_class.get(code, Decimal(0)) + (value or Decimal(0))
        first.setdefault(code, row)
    for key, codes in (("personnel", ("301", "303")), ("public", ("302", "310"))):
        present = [c for c in codes if c in by_class]
        if present:
            row = first[present[0]]
            collector.add(key, table, row, None, sum((by_class[c] for c in present), Decimal(0)))


_THREE_PUBLIC_COLUMNS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("three_public:vehicle_purchase", ("购置费",), ("购置及运行",)),
    ("three_public:vehicle_running", ("运行费", "运行维护费"), ("购置及运行", "购置和运行")),
    ("three_public:vehicle", ("公务用车购置及运行", "公务用车购置和运行"), ()),
    ("three_public:abroad", ("因公出国",), ()),
    ("three_public:reception", ("公务接待",), ()),
    ("operating_costs", ("机关运行经费",), ()),
    ("meeting", ("会议费",), ()),
    ("training", ("培训费",), ()),
)


def _variant(column: str) -> str | None:
    leaf = _leaf(column)
    return "budget" if leaf in ("预算数", "预算") else "final" if leaf in ("决算数", "决算") else None


def _three_public(collector: _Collector, table: DisclosureTable) -> None:
    """The “三公” table printed across (one row, a column per item) or down (a row per item)."""
    by_rows = [r for r in table.rows if _three_public_key(_name_key(r.name), table) is not None]
    if len(by_rows) >= 2:
        for item in by_rows:
            key = _three_public_key(_name_key(item.name), table)
            for column in _amount_columns(item):
                if key is not None:
                    collector.add(key, table, item, column, item.values.get(column), _variant(column))
        return
    row = next((r for r in table.rows if any(v is not None for v in r.values.values())), None)
    if row is None:
        return
    named = any("三公" in c for c in table.columns)
    for column in _amount_columns(row):
        parts = column.split("/")
        variant = _variant(column)
        head = [p for p in parts if p not in ("预算数", "预算", "决算数", "决算")]
        if not head:
            continue
        inner = head[-1]
        value = row.values.get(column)
        if inner in ("合计", "小计"):
            if "公务用车" in column or "公务车" in column:
                collector.add("three_public:vehicle", table, row, column, value, variant)
            elif "三公" in column or (not named and head == ["合计"]):
                collector.add("three_public", table, row, column, value, variant)
            continue
        for key, words, unless in _THREE_PUBLIC_COLUMNS:
            if any(w in inner for w in words) and not any(u in inner for u in unless):
                if (
                    key.startswith("three_public:vehicle_")
                    and "公务用车" not in column
                    and "公务车" not in column
                ):
                    continue
                collector.add(key, table, row, column, value, variant)
                break


def _three_public_key(name: str, table: DisclosureTable) -> str | None:
    """The item a row of a “三公” table printed down names (合计 only where the table is just the 三公)."""
    if name in ("合计", "总计", "“三公”经费合计", "三公经费合计", "“三公”经费", "三公经费"):
        meetings = any(re.search(r"会议费|培训费", _name_key(r.name)) for r in table.rows)
        return None if meetings and "三公" not in name else "three_public"
    for key, words, unless in _THREE_PUBLIC_COLUMNS:
        if any(w in name for w in words) and not any(u in name for u in unless):
            if key.startswith("three_public:vehicle_") and "公务用车" not in name and "公务车" not in name:
                return None
            return key
    return None


# ---------------------------------------------------------------------------------------------
# comparing


@lru_cache(maxsize=8192)
def _half(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit."""
    return Decimal(5) * Decimal(10) ** -(decimals(value) + 1)


def _in_unit(value: Decimal, unit: str, to: str) -> Decimal:
    return value * _FACTORS[unit] / _FACTORS[to]


def _amount_agreement(claim: Amount, table: TableValue) -> Agreement:
    """Equal when the printed figures round to each other; one unit of the coarser figure is rounding.

    A table whose unit had to be assumed is read in 元 and in 万元, whichever agrees better.
    """
    if claim.unit not in _FACTORS:
        return "equal"
    units = ("元", "万元") if table.assumed and table.unit in ("元", "万元") else (table.unit,)
    ranks: dict[Agreement, int] = {"equal": 0, "rounding": 1, "differs": 2}
    return min((_agreement_in(claim, table.value, unit) for unit in units), key=lambda a: ranks[a])


def _agreement_in(claim: Amount, table_value: Decimal, table_unit: str) -> Agreement:
    value = _in_unit(table_value, table_unit, claim.unit)
    allowance = max(_half(claim.value), _in_unit(_half(table_value), table_unit, claim.unit))
    difference = abs(value - claim.value)
    if difference <= allowance:
        return "equal"
    if difference <= 2 * allowance:
        return "rounding"
    return "differs"


def _percent_agreement(stated: Decimal, low: Decimal, high: Decimal) -> Agreement:
    half = _half(stated)
    distance = max(low - stated, stated - high, Decimal(0))
    if distance <= half:
        return "equal"
    if distance <= 2 * half:
        return "rounding"
    return "differs"


def _display(value: Decimal, like: Decimal) -> str:
    places = Decimal(1).scaleb(-decimals(like))
    return format(value.quantize(places, rounding=ROUND_HALF_UP), "f")


@dataclass(frozen=True)
class _Interval:
    low: Decimal
    high: Decimal

    @property
    def middle(self) -> Decimal:
        return (self.low + self.high) / 2


@dataclass
class AmountCheck:
    claim: Amount
    status: Agreement
    table: TableValue


@dataclass
class PercentCheck:
    kind: Literal["share", "rate", "change"]
    status: Agreement
    stated: Decimal
    stated_printed: str
    expected: Decimal
    where: Share | Rate | Change
    basis: str  # how the expected figure was computed, in Chinese


@dataclass
class Analysis:
    reading: Reading
    quantities: dict[str, list[TableValue]]
    amounts: list[AmountCheck] = field(default_factory=list)
    trusted: dict[int, tuple[Decimal, str]] = field(
        default_factory=dict
    )  # id(claim) → the table's value, unit
    percents: list[PercentCheck] = field(default_factory=list)


def _matching(claim: Amount, quantities: dict[str, list[TableValue]], stage: str) -> list[TableValue]:
    if claim.key is None or claim.role == "previous":
        return []
    values = quantities.get(claim.key, [])
    if claim.key.startswith(("three_public", "operating_costs", "meeting", "training")):
        wanted = "budget" if claim.role == "budget" else "final" if stage == "final" else None
        variants = [v for v in values if v.variant is not None]
        if variants:
            return [v for v in variants if v.variant == wanted] if wanted else []
        return [] if claim.role == "budget" else values  # a 决算 table without 预算 columns
    if claim.role == "budget":
        return []  # final tables print the 决算 only
    return values


#: Where a quantity is printed first and foremost (the table a reviewer would look it up in).
_PREFERRED_KINDS: dict[str, tuple[str, ...]] = {
    "total": ("income_expenditure_summary", "income_summary", "expenditure_summary"),
    "fiscal": ("fiscal_summary", "income_expenditure_summary", "fiscal_expenditure", "income_summary"),
    "general_budget": ("general_budget_expenditure", "fiscal_summary", "income_expenditure_summary"),
    "basic": ("general_budget_basic", "fiscal_basic", "general_budget_expenditure", "expenditure_summary"),
    "personnel": ("general_budget_basic", "fiscal_basic", "expenditure_summary"),
    "public": ("general_budget_basic", "fiscal_basic", "expenditure_summary"),
    "project": ("project_expenditure", "general_budget_expenditure", "expenditure_summary"),
    "function": ("general_budget_expenditure", "expenditure_summary", "fiscal_expenditure", "fiscal_summary"),
}


def _preference(claim: Amount, value: TableValue) -> tuple[int, int]:
    family = (claim.key or "").split(":")[0]
    kinds = _PREFERRED_KINDS.get(family, ())
    rank = kinds.index(value.kind) if value.kind in kinds else len(kinds)
    words = [w for w in ("总计", "合计", "本年") if w in claim.subject]
    named = 0 if not words or any(w in value.label for w in words) else 1
    return named, rank


def _analyse(form: Disclosure) -> Analysis:
    stage = form.stage
    reading = read_sections(form.sections, form.year, stage, form)
    quantities = table_quantities(form)
    analysis = Analysis(reading, quantities)
    for claim in reading.amounts:
        if claim.key is None and claim.role in ("current", "final") and claim.subject:
            named = f"row:{_name_key(re.sub(r'(预算数|决算数|预算|决算|数)$', '', claim.subject))}"
            if named in quantities:
                claim.key = named
        candidates = _matching(claim, quantities, stage)
        if not candidates:
            continue
        candidates = sorted(candidates, key=lambda value: _preference(claim, value))
        checks = [(_amount_agreement(claim, c), c) for c in candidates]
        order: dict[Agreement, int] = {"equal": 0, "rounding": 1, "differs": 2}
        status, best = min(checks, key=lambda item: order[item[0]])
        analysis.amounts.append(AmountCheck(claim, status, best))
        if status == "differs":
            analysis.trusted[id(claim)] = (best.value, best.unit)
    for share in reading.shares:
        _check_share(analysis, share)
    for rate in reading.rates:
        _check_rate(analysis, rate)
    for change in reading.changes:
        _check_change(analysis, change)
    return analysis


@dataclass(frozen=True)
class _Value:
    """One reading of a quoted amount: where its true value lies, and how to name it in a message."""

    interval: _Interval
    text: str


def _variants(analysis: Analysis, claim: Amount, unit: str = "万元") -> list[_Value]:
    """The readings of a quoted amount: the table's figure where the text misquotes it, then the text's own.

    A percentage or a change that agrees with either reading is not reported: a misquoted amount is
    A301's finding, and the figures computed from it are not a second defect.
    """
    if unit not in _FACTORS:
        return []
    readings: list[_Value] = []
    trusted = analysis.trusted.get(id(claim))
    if trusted is not None and trusted[1] in _FACTORS:
        exact = _in_unit(trusted[0], trusted[1], unit)
        readings.append(_Value(_Interval(exact, exact), _value_text(analysis, claim)))
    if claim.unit in _FACTORS:
        value = _in_unit(claim.value, claim.unit, unit)
        half = _in_unit(_half(claim.value), claim.unit, unit)
        readings.append(_Value(_Interval(value - half, value + half), claim.printed))
    return readings


def _table_interval(value: TableValue, unit: str) -> _Interval:
    exact = _in_unit(value.value, value.unit, unit)
    half = _in_unit(_half(value.value), value.unit, unit)
    return _Interval(exact - half, exact + half)


def _ratio(numerator: _Interval, denominator: _Interval) -> _Interval | None:
    if denominator.low <= 0 or numerator.low < 0:
        return None
    hundred = Decimal(100)
    return _Interval(numerator.low / denominator.high * hundred, numerator.high / denominator.low * hundred)


_RANKS: dict[Agreement, int] = {"equal": 0, "rounding": 1, "differs": 2}


def _record_best(
    analysis: Analysis,
    kind: Literal["share", "rate", "change"],
    where: Share | Rate | Change,
    stated: Decimal,
    printed: str,
    readings: Iterable[tuple[_Interval | None, str]],
) -> None:
    """Keep the reading that agrees best with the stated percent (the first of equals: the table's)."""
    best: tuple[int, Agreement, _Interval, str] | None = None
    for interval, basis in readings:
        if interval is None:
            continue
        status = _percent_agreement(stated, interval.low, interval.high)
        if best is None or _RANKS[status] < best[0]:
            best = (_RANKS[status], status, interval, basis)
    if best is not None:
        analysis.percents.append(PercentCheck(kind, best[1], stated, printed, best[2].middle, where, best[3]))


def _check_share(analysis: Analysis, share: Share) -> None:
    """占 xx%: against the quoted parent, else against the named total; any reading that agrees counts."""
    bases: list[_Value] = [
        v for amount in (share.base, *share.alternatives) if amount for v in _variants(analysis, amount)
    ]
    if share.base is None and share.base_key is not None:
        bases = [
            _Value(_table_interval(value, "万元"), f"{value.label} {amount_text(value.value, value.unit)}")
            for value in analysis.quantities.get(share.base_key, [])
        ]
    readings = [
        (_ratio(numerator.interval, base.interval), f"{numerator.text} ÷ {base.text}")
        for numerator in _variants(analysis, share.numerator)
        for base in bases
    ]
    _record_best(analysis, "share", share, share.percent, f"{share.percent}%", readings)


def _check_rate(analysis: Analysis, rate: Rate) -> None:
    readings = [
        (_ratio(final.interval, budget.interval), f"{final.text} ÷ {budget.text}")
        for final in _variants(analysis, rate.final)
        for budget in _variants(analysis, rate.budget)
    ]
    _record_best(analysis, "rate", rate, rate.percent, f"{rate.percent}%", readings)


def _change_rate(current: _Interval, previous: _Interval) -> _Interval | None:
    if previous.low <= 0:
        return None
    hundred = Decimal(100)
    return _Interval((current.low / previous.high - 1) * hundred, (current.high / previous.low - 1) * hundred)


def _change_rate_from_amount(current: _Interval, amount: _Interval, direction: int) -> _Interval | None:
    """增减额 ÷ 上年数, with 上年数 = 本年数 ∓ 增减额; signed (a decrease is negative)."""
    hundred = Decimal(100)
    if direction > 0:
        low_base, high_base = current.low - amount.high, current.high - amount.low
    else:
        low_base, high_base = current.low + amount.low, current.high + amount.high
    if low_base <= 0:
        return None
    interval = _Interval(amount.low / high_base * hundred, amount.high / low_base * hundred)
    return interval if direction > 0 else _Interval(-interval.high, -interval.low)


def _check_change(analysis: Analysis, change: Change) -> None:
    if change.percent is None or change.direction == 0:
        return
    signed = change.percent if change.direction > 0 else -change.percent
    readings: list[tuple[_Interval | None, str]] = []
    if change.previous is not None:
        previous_readings = _variants(analysis, change.previous)
        readings = [
            (
                _change_rate(current.interval, previous.interval),
                f"（{current.text} − {previous.text}）÷ {previous.text}",
            )
            for current in _variants(analysis, change.current)
            for previous in previous_readings
        ]
    elif change.amount is not None:
        amount = _interval_of_printed(change.amount, change.amount_unit, "万元")
        if amount is None:
            return
        sign = "−" if change.direction > 0 else "+"
        readings = [
            (
                _change_rate_from_amount(current.interval, amount, change.direction),
                f"{change.amount_printed} ÷（{current.text} {sign} {change.amount_printed}）",
            )
            for current in _variants(analysis, change.current)
        ]
    printed = change.percent_printed or f"{change.percent}%"
    _record_best(analysis, "change", change, signed, printed, readings)


def _interval_of_printed(value: Decimal, from_unit: str, unit: str) -> _Interval | None:
    if from_unit not in _FACTORS or unit not in _FACTORS:
        return None
    exact = _in_unit(value, from_unit, unit)
    half = _in_unit(_half(value), from_unit, unit)
    return _Interval(exact - half, exact + half)


def _analysis(form: Disclosure, ctx: Context) -> Analysis:
    return ctx.memo(("narrative", id(form)), lambda: _analyse(form))


def _where(segment: Segment) -> str:
    title = segment.section.title.strip() or "正文"
    return f"情况说明“{title}”"


def _applicable(form: Disclosure) -> NotApplicable | None:
    if not any(
        section.figures or _FIGURE.search(normalise_digits(f"{section.title}\n{section.text}"))
        for section in form.sections
    ):
        return NotApplicable("情况说明中没有引用金额或百分比")
    if not form.tables:
        return NotApplicable("没有读到公开表格")
    return None


# ---------------------------------------------------------------------------------------------
# the rules


def _table_text(value: TableValue, unit: str) -> str:
    """``2206272 元（即 220.6272 万元）``: the table's figure, converted where the text uses another unit."""
    printed = amount_text(value.value, value.unit)
    if value.unit != unit and unit in _FACTORS:
        printed += f"（即 {format(_in_unit(value.value, value.unit, unit).normalize(), 'f')} {unit}）"
    return printed


def _value_text(analysis: Analysis, claim: Amount) -> str:
    """A quoted amount as the checks used it: the table's figure where the text misquotes it."""
    trusted = analysis.trusted.get(id(claim))
    if trusted is None:
        return claim.printed
    value, unit = trusted
    if unit in _FACTORS and claim.unit in _FACTORS:
        value, unit = _in_unit(value, unit, claim.unit).normalize(), claim.unit
    return f"{format(value, 'f')} {unit}（表中数，说明写作 {claim.printed}）"


def _amount_problem(check: AmountCheck) -> Problem:
    claim, table = check.claim, check.table
    quote = claim.segment.quote(claim.lead_start, claim.end)
    message = f"{_where(claim.segment)}“{quote}”：{claim.printed}，而{table.label}为 {_table_text(table, claim.unit)}"
    return Problem(
        message=message,
        locations=(claim.loc, table.loc),
        expected=amount_text(table.value, table.unit),
        actual=claim.printed,
    )


@rule(
    "A301",
    Severity.ERROR,
    "情况说明中的金额与表格不符",
    "情况说明引用的收入、支出总计，基本支出、项目支出，人员经费、公用经费，“三公”经费及其各项，"
    "一般公共预算、政府性基金，以及按类、款、项写明的功能分类科目金额，应与公开表格中的同一数字一致。"
    "只比较主语明确的数字：说的是上年、其他年度、所属单位或表中找不到的科目时不比较；差额在最后一位"
    "显示舍入以内的另报提示（A302）。",
    "例：说明称“收入支出总计 0 万元”，而《收入支出决算总表》“总计”为 2995.39 万元。",
    applies_to=Disclosure,
    suggestion="核对说明中的数字与对应公开表格，改正抄错的一方。",
)
def narrative_amount_against_tables(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    analysis = _analysis(form, ctx)
    if not analysis.amounts:
        yield NotApplicable("说明中没有能与表格对应的金额")
        return
    for check in analysis.amounts:
        if check.status == "differs":
            yield _amount_problem(check)


@rule(
    "A302",
    Severity.INFO,
    "情况说明中的金额与表格仅差显示舍入",
    "说明中的金额与表格中同一数字相差不超过最后一位的一个单位（如 0.01 万元），多为单位换算或四舍五入"
    "造成，不算错误，但公开前宜统一。",
    "例：说明称“基本支出 4550.8 万元”，表格为 4550.7 万元。",
    applies_to=Disclosure,
)
def narrative_amount_rounding(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    for check in _analysis(form, ctx).amounts:
        if check.status == "rounding":
            problem = _amount_problem(check)
            yield Problem(
                message=problem.message + "，仅差显示舍入",
                locations=problem.locations,
                expected=problem.expected,
                actual=problem.actual,
            )


def _quote_start(where: Share | Rate | Change) -> int:
    if isinstance(where, Share):
        return where.numerator.lead_start
    return where.segment.sentence_start(where.start)


def _percent_problem(check: PercentCheck, what: str) -> Problem:
    where = check.where
    segment = where.segment
    quote = segment.quote(_quote_start(where), where.end)
    expected = _display(check.expected, check.stated)
    if check.kind == "change":
        expected = _display(abs(check.expected), check.stated)
        if (check.expected < 0) != (check.stated < 0) and check.expected != 0:
            expected = ("减少 " if check.expected < 0 else "增加 ") + expected
    message = (
        f"{_where(segment)}“{quote}”：{what} {check.stated_printed}，按 {check.basis} 计算应为 {expected}%"
    )
    return Problem(
        message=message, locations=(where.loc,), expected=f"{expected}%", actual=check.stated_printed
    )


@rule(
    "A303",
    Severity.ERROR,
    "情况说明中的占比与金额不符",
    "“占 xx%”按所说的金额除以其上级（“其中”之前的合计，或明写的“占……的”）重新计算，金额能在表格中"
    "找到且说明抄错时用表格数字。超出显示舍入（最后一位一个单位）的差异报告为错误。",
    "例：“基本支出 4550.7 万元，占 63.1%”，而 4550.7 ÷ 8562.6 = 53.1%。",
    applies_to=Disclosure,
)
def narrative_share(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    analysis = _analysis(form, ctx)
    if not analysis.reading.shares:
        yield NotApplicable("说明中没有“占 xx%”")
        return
    for check in analysis.percents:
        if check.kind == "share" and check.status == "differs":
            yield _percent_problem(check, "占比")


@rule(
    "A304",
    Severity.INFO,
    "情况说明中的百分比仅差显示舍入",
    "占比、完成率或增减率与重新计算的结果相差不超过最后一位的一个单位（如写 35.77% 而计算为 35.78%，"
    "或为使各项合计 100% 而调整尾数），不算错误。",
    "例：“减少 35.77%”，按 1311.6 ÷ 3666.0 计算为 35.78%。",
    applies_to=Disclosure,
)
def narrative_percent_rounding(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    names = {"share": "占比", "rate": "完成率", "change": "增减率"}
    for check in _analysis(form, ctx).percents:
        if check.status == "rounding":
            problem = _percent_problem(check, names[check.kind])
            yield Problem(
                message=problem.message + "，仅差显示舍入",
                locations=problem.locations,
                expected=problem.expected,
                actual=problem.actual,
            )


def _structure_problem(
    change: Change, where: str, current: _Value, previous: _Value | None
) -> Problem | None:
    """Direction, 持平, the amount against the two years, or a last year below zero, for one reading."""
    this_year = current.text
    if previous is None:
        amount = (
            _interval_of_printed(change.amount, change.amount_unit, "万元")
            if change.amount is not None
            else None
        )
        if change.direction > 0 and amount is not None and current.interval.high < amount.low:
            return Problem(
                message=f"{where}：本年 {this_year}，却说比上年增加 {change.amount_printed}，上年数将为负数",
                locations=(change.current.loc, change.loc),
                expected=f"增加额不超过 {this_year}",
                actual=change.amount_printed,
            )
        return None
    now, before = current.interval, previous.interval
    last_year = previous.text
    grew, fell = now.low > before.high, now.high < before.low
    if change.direction == 0:
        if not grew and not fell:
            return None
        return Problem(
            message=f"{where}：说与上年持平，但本年 {this_year}、上年 {last_year} 并不相等",
            locations=(change.loc,),
            expected="增加" if grew else "减少",
            actual="持平",
        )
    if (change.direction > 0 and fell) or (change.direction < 0 and grew):
        said, real = ("增加", "减少") if change.direction > 0 else ("减少", "增加")
        return Problem(
            message=f"{where}：说比上年{said}，但本年 {this_year}、上年 {last_year}，实为{real}",
            locations=(change.loc,),
            expected=real,
            actual=said,
        )
    amount = (
        _interval_of_printed(change.amount, change.amount_unit, "万元") if change.amount is not None else None
    )
    if amount is None or change.amount is None:
        return None
    low, high = sorted((abs(now.low - before.high), abs(now.high - before.low)))
    slack = amount.high - amount.low
    if low <= amount.high + slack and amount.low - slack <= high:
        return None
    return Problem(
        message=f"{where}：增减额 {change.amount_printed}，与本年 {this_year} 和上年 {last_year} 之差不符",
        locations=(change.loc,),
        expected=f"{_display((low + high) / 2, change.amount)} 万元",
        actual=change.amount_printed,
    )


def _change_problems(analysis: Analysis, change: Change) -> Iterator[Problem]:
    """What does not add up in one 比上年 statement: direction, last year below zero, amount, percent.

    Reported only when no reading of the amounts (the table's or the text's) makes it add up.
    """
    segment = change.segment
    start = segment.sentence_start(change.start)
    if change.current.start < start and change.start - change.current.lead_start <= 90:
        start = change.current.lead_start
    where = f"{_where(segment)}“{segment.quote(start, change.end)}”"
    currents = _variants(analysis, change.current)
    previous_readings: list[_Value | None] = (
        list(_variants(analysis, change.previous)) if change.previous is not None else [None]
    )
    problems = [
        _structure_problem(change, where, current, previous)
        for current in currents
        for previous in previous_readings
    ]
    if problems and all(p is not None for p in problems):
        first = problems[0]
        if first is not None:
            yield first
        return
    for check in analysis.percents:
        if check.where is change and check.status == "differs":
            yield _percent_problem(check, "增减率")


@rule(
    "A305",
    Severity.ERROR,
    "情况说明中的增减额、增减率与本年数、上年数互相矛盾",
    "“比上年增加/减少 x 万元，增长/下降 y%”须满足：本年数 − 增减额 = 上年数（不得为负），增减额 ÷ 上年数 = y%；"
    "写明上年数（如“2022年当年预算执行数为…”）时，本年数与上年数之差的方向、金额和比例须与所说一致，"
    "“持平”须两数相等。本年数在表格中能找到而说明抄错时按表格数字计算。",
    "例：“项目支出 4335.3 万元，与上年相比减少 1237.7 万元，减少 13.22%”，而 1237.7 ÷ 5573.0 = 22.21%。",
    applies_to=Disclosure,
)
def narrative_change(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    analysis = _analysis(form, ctx)
    if not analysis.reading.changes:
        yield NotApplicable("说明中没有与上年比较的数字")
        return
    for change in analysis.reading.changes:
        yield from _change_problems(analysis, change)


@rule(
    "A306",
    Severity.ERROR,
    "情况说明中的预算完成率与所列预算数、决算数不符",
    "决算说明中“年初预算为 a，支出决算为 b，完成年初预算的 r%”须满足 b ÷ a = r%（超出显示舍入即报告）。",
    "例：“年初预算为 2993.92 万元，支出决算为 2940.05 万元，完成年初预算的 96.20%”，应为 98.20%。",
    applies_to=Disclosure,
)
def narrative_completion_rate(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    analysis = _analysis(form, ctx)
    if not analysis.reading.rates:
        yield NotApplicable("说明中没有预算完成率")
        return
    for check in analysis.percents:
        if check.kind == "rate" and check.status == "differs":
            yield _percent_problem(check, "完成率")


@rule(
    "A307",
    Severity.ERROR,
    "情况说明中的增减与表格所列上年数不符",
    "表格列有上年数（如“上年预算数”列）时，说明中“比上年增加/减少 x 万元”应等于表中本年数与上年数之差。"
    "表格没有上年数时不适用。",
    "例：说明称基本支出比上年增加 100 万元，而表中本年 4550.7、上年 4500.0，只增加 50.7 万元。",
    applies_to=Disclosure,
)
def narrative_change_against_tables(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    analysis = _analysis(form, ctx)
    compared = 0
    for change in analysis.reading.changes:
        claim = change.current
        if change.amount is None or change.direction == 0 or claim.key is None:
            continue
        stated_unit = change.amount_unit
        if stated_unit not in _FACTORS:
            continue
        for value in sorted(
            _matching(claim, analysis.quantities, form.stage), key=lambda v: _preference(claim, v)
        ):
            if value.previous is None:
                continue
            compared += 1
            actual_change = _in_unit(value.value - value.previous, value.unit, "万元")
            stated = _in_unit(change.amount, stated_unit, "万元") * change.direction
            allowance = 2 * max(
                _in_unit(_half(change.amount), stated_unit, "万元"),
                _in_unit(_half(value.value), value.unit, "万元"),
            )
            if abs(actual_change - stated) > allowance:
                quote = change.segment.quote(change.segment.sentence_start(change.start), change.end)
                difference = format(actual_change.normalize(), "f")
                yield Problem(
                    message=f"{_where(change.segment)}“{quote}”：{value.label}本年 "
                    f"{amount_text(value.value, value.unit)}、上年 {amount_text(value.previous, value.unit)}，"
                    f"实际变动 {difference} 万元",
                    locations=(change.loc, value.loc),
                    expected=f"{difference} 万元",
                    actual=f"{'增加' if change.direction > 0 else '减少'} {change.amount_printed}",
                )
            break
    if not compared:
        yield NotApplicable("表格未列上年数")


_RELATIONS: dict[str, str] = {
    "大于": ">",
    "高于": ">",
    "多于": ">",
    "超过": ">",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    "等于": "=",
}


def _relation_holds(kind: str, bigger: bool, smaller: bool) -> bool:
    return (
        (kind == ">" and bigger) or (kind == "<" and smaller) or (kind == "=" and not bigger and not smaller)
    )


def _order(final: _Interval, budget: _Interval) -> tuple[bool, bool]:
    """(决算 above 预算, 决算 below 预算), each beyond display rounding."""
    return final.low > budget.high, final.high < budget.low


@rule(
    "A308",
    Severity.ERROR,
    "情况说明中“决算数大于/小于/等于预算数”与所列金额矛盾",
    "决算说明逐项写明年初预算数和决算数后，常说“决算数小于预算数的主要原因……”。所说的大小关系须与"
    "刚列出的两个数一致；“基本持平”不检查。",
    "例：“年初预算为 1560.05 万元，支出决算为 1511.89 万元。决算数大于预算数的主要原因……”。",
    applies_to=Disclosure,
)
def narrative_budget_final_comparison(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    skipped = _applicable(form)
    if skipped is not None:
        yield skipped
        return
    analysis = _analysis(form, ctx)
    if not analysis.reading.comparisons:
        yield NotApplicable("说明中没有决算数与预算数的比较")
        return
    for comparison in analysis.reading.comparisons:
        relation = comparison.relation
        kind = _RELATIONS.get(relation[:2])
        if kind is None and "基本" not in relation and re.search(r"持平|一致|相等|相同", relation):
            kind = "="
        finals = _variants(analysis, comparison.final)
        budgets = [v for b in (comparison.budget, *comparison.alternatives) for v in _variants(analysis, b)]
        if kind is None or not finals or not budgets:
            continue
        if any(_relation_holds(kind, *_order(f.interval, b.interval)) for f in finals for b in budgets):
            continue
        bigger, smaller = _order(finals[0].interval, budgets[0].interval)
        real = "大于" if bigger else "小于" if smaller else "等于"
        quote = comparison.segment.quote(comparison.segment.sentence_start(comparison.start), comparison.end)
        yield Problem(
            message=f"{_where(comparison.segment)}“{quote}”：预算数 {comparison.budget.printed}、"
            f"决算数 {_value_text(analysis, comparison.final)}，决算数实际{real}预算数",
            locations=(comparison.loc, comparison.budget.loc),
            expected=f"决算数{real}预算数",
            actual=f"决算数{relation}预算数",
        )
