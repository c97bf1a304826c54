"""政府收支分类科目: the expenditure classification codes printed in budget and final-accounts tables.

Enters: a code or a 科目 name as printed. Leaves: the code's kind, level and official name.
The tables are data (``classification.toml``): the 类 level of the 支出功能分类 and of both 支出经济分类
(部门 3xx, 政府 5xx), and the 经济分类 款 codes that published documents print. The yearly editions
(``editions.toml``: 类/款/项 with the years each name is in force, which parents are listed completely,
and the 部门→政府 经济分类对照) answer ``edition(year)``. Must not import ``jixiao.ingest`` or anything
that reads files other than its own data.

>>> join_code(["208", "01", "01"])
'2080101'
>>> code_kind("30101"), class_name("2080101")
('economic_dept', '社会保障和就业支出')
>>> function_class_by_name("八、社会保障和就业")
'208'
>>> book = edition(2023)
>>> book.name("function", "210"), book.exists("function", "218"), book.exists("function", "2089901")
('卫生健康支出', False, None)
>>> book.former("function", "210", "（九）医疗卫生与计划生育支出").renamed
2019
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

CodeKind = Literal["function", "economic_dept", "economic_gov"]

_CODE = re.compile(r"^[\[【(（]?\s*(\d{3}(?:\d{2}){0,2})\s*[\]】)）]?$")
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百零\d]+[）)]|[一二三四五六七八九十百零]+[、.．]|\d+[、.．]\s*)"
)
_SPACES = re.compile(r"\s+")
_TRANS = str.maketrans({"（": "(", "）": ")"})


@cache
def _tables() -> dict[str, dict[str, str]]:
    text = resources.files("jixiao.codes").joinpath("classification.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {section: {str(k): str(v) for k, v in entries.items()} for section, entries in data.items()}


def names(kind: CodeKind) -> Mapping[str, str]:
    """Every code of ``kind`` known here, mapped to its official name."""
    return _tables()[kind]


def normalise_code(text: str) -> str | None:
    """A printed code (``2080101``, ``[2080101]``, ``【208】``) → its digits, or None if it is not one."""
    match = _CODE.match(text.strip())
    return match.group(1) if match else None


def join_code(parts: Iterable[str]) -> str | None:
    """Join the 类/款/项 cells of one row: ``['208', '01', '01']`` → ``'2080101'``; blanks are skipped.

    A 类 has 3 digits, a 款 or 项 2 (a single-digit 款 such as ``1`` is zero-padded). Returns None
    when the first part is not a 3-digit 类 or a later part is not a 1–2 digit number.
    """
    pieces = [p.strip() for p in parts if p and p.strip()]
    if not pieces or not (len(pieces[0]) == 3 and pieces[0].isdigit()):
        return None
    code = pieces[0]
    for piece in pieces[1:]:
        if not piece.isdigit() or len(piece) > 2:
            return None
        code += piece.zfill(2)
    return code


def code_kind(code: str) -> CodeKind | None:
    """Which classification a 3/5/7-digit code belongs to, by its leading digit (2 / 3 / 5)."""
    if not code.isdigit() or len(code) not in (3, 5, 7):
        return None
    if code[0] == "2":
        return "function"
    if len(code) == 7:
        return None
    return {"3": "economic_dept", "5": "economic_gov"}.get(code[0])  # type: ignore[return-value]


def level(code: str) -> str | None:
    """类 (3 digits), 款 (5) or 项 (7)."""
    return {3: "类", 5: "款", 7: "项"}.get(len(code)) if code.isdigit() else None


def name_of(code: str) -> str | None:
    """The official name of ``code`` where this table has it (all 类, the 经济分类 款 printed in practice)."""
    kind = code_kind(code)
    return None if kind is None else names(kind).get(code)


def class_name(code: str) -> str | None:
    """The name of the 类 a code belongs to: ``2080101`` → ``社会保障和就业支出``."""
    return name_of(code[:3]) if len(code) >= 3 else None


def _bare(name: str) -> str:
    """Compare-friendly 科目 name: no enumerator, no spaces, no (类) marker, no trailing 支出."""
    text = _SPACES.sub("", _ENUMERATOR.sub("", name)).translate(_TRANS)
    text = text.replace("(类)", "")
    return text.removesuffix("支出") or text


@cache
def _function_index() -> dict[str, str]:
    index = {_bare(name): code for code, name in names("function").items()}
    for alias, code in _tables()["function_aliases"].items():
        index.setdefault(_bare(alias), code)
    return index


def function_class_by_name(name: str) -> str | None:
    """The 功能分类 类 code for a printed class name, ignoring enumerators and a trailing 支出.

    ``（八）社会保障和就业支出`` and ``八、社会保障和就业`` both give ``'208'``; older names
    (``医疗卫生与计划生育支出`` → ``'210'``) are known too. None when the name is not a 类.
    """
    return _function_index().get(_bare(name))


# ---------------------------------------------------------------------------------------------
# yearly editions (editions.toml)

_MARKERS = re.compile(r"[(（][类款项][)）]|^其中[:：]|[“”\"'、,，.。:：]")


@dataclass(frozen=True, slots=True)
class NamePeriod:
    """One name a code had: in force from edition ``since`` to ``until`` (None: open-ended)."""

    name: str
    since: int | None = None
    until: int | None = None
    renamed: int | None = None  # on an older name: the edition that renamed it, where known

    def covers(self, year: int) -> bool:
        return (self.since is None or self.since <= year) and (self.until is None or year <= self.until)


@dataclass(frozen=True, slots=True)
class _EditionData:
    first: int
    last: int
    codes: dict[str, dict[str, tuple[NamePeriod, ...]]]  # kind → code → its names
    complete: dict[str, dict[str, tuple[int, int]]]  # kind → parent ("" for 类) → years listed in full
    pairs: dict[str, tuple[str, ...]]  # 部门经济分类 款 → 政府经济分类 款


def _periods(value: object) -> tuple[NamePeriod, ...]:
    items = value if isinstance(value, list) else [value]
    periods: list[NamePeriod] = []
    for item in items:
        if isinstance(item, str):
            periods.append(NamePeriod(item))
        elif isinstance(item, dict):
            periods.append(
                NamePeriod(str(item["name"]), item.get("since"), item.get("until"), item.get("renamed"))
            )
    return tuple(periods)


@cache
def _editions() -> _EditionData:
    text = resources.files("jixiao.codes").joinpath("editions.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    kinds = ("function", "economic_dept", "economic_gov")
    return _EditionData(
        first=int(data["meta"]["first"]),
        last=int(data["meta"]["last"]),
        codes={kind: {str(code): _periods(v) for code, v in data[kind].items()} for kind in kinds},
        complete={
            kind: {str(parent): (int(y[0]), int(y[1])) for parent, y in data[f"{kind}_complete"].items()}
            for kind in kinds
        },
        pairs={str(k): tuple(str(c) for c in v) for k, v in data["economic_pairs"].items()},
    )


@lru_cache(maxsize=8192)
def comparable_name(name: str) -> str:
    """A 科目 name with harmless differences removed: enumerators, spaces, bracket widths,
    （类）/（款）/（项） markers, 其中：, punctuation and a trailing 支出.

    >>> comparable_name("（一）维修 (护) 费"), comparable_name("其他行政事业单位养老支出")
    ('维修(护)费', '其他行政事业单位养老')
    """
    text = _SPACES.sub("", _ENUMERATOR.sub("", name.strip())).translate(_TRANS)
    text = _MARKERS.sub("", text)
    return text.removesuffix("支出") or text


def edition_years() -> tuple[int, int]:
    """The first and last edition (year) the tables hold."""
    data = _editions()
    return data.first, data.last


def parent_code(code: str) -> str:
    """``2080501`` → ``20805`` → ``208`` → ``''`` (the 类 level's parent)."""
    return code[:-2] if len(code) > 3 else ""


@dataclass(frozen=True, slots=True)
class Edition:
    """The 政府收支分类科目 in force for one year, as far as ``editions.toml`` holds it."""

    year: int

    def periods(self, kind: CodeKind, code: str) -> tuple[NamePeriod, ...]:
        """Every name ``code`` had in any edition held (empty: the code is not in the tables)."""
        return _editions().codes.get(kind, {}).get(code, ())

    def names(self, kind: CodeKind, code: str) -> tuple[str, ...]:
        """The names in force this year (two where a renaming year is uncertain), official first."""
        return _names_in(self.year, kind, code)

    def name(self, kind: CodeKind, code: str) -> str | None:
        """The official name this year, or None when the code is absent or not held."""
        found = self.names(kind, code)
        return found[0] if found else None

    def complete(self, kind: CodeKind, parent: str) -> bool:
        """Are all the children of ``parent`` (``''``: every 类) listed for this year?"""
        years = _editions().complete.get(kind, {}).get(parent)
        return years is not None and years[0] <= self.year <= years[1]

    def exists(self, kind: CodeKind, code: str) -> bool | None:
        """True when the code is in force this year, False when it is certainly not (its parent is
        listed completely), None when the tables cannot tell."""
        if self.names(kind, code):
            return True
        return False if self.complete(kind, parent_code(code)) else None

    def years_of(self, kind: CodeKind, code: str) -> tuple[int, int] | None:
        """The editions held in which the code exists at all (first, last), or None."""
        periods = self.periods(kind, code)
        if not periods:
            return None
        first, last = _editions().first, _editions().last
        since = min(p.since if p.since is not None else first for p in periods)
        until = max(p.until if p.until is not None else last for p in periods)
        return since, until

    def accepts(self, kind: CodeKind, code: str, printed: str) -> bool:
        """Is ``printed`` one of this year's names of ``code``, harmless differences aside?"""
        return comparable_name(printed) in _comparable_names_in(self.year, kind, code)

    def former(self, kind: CodeKind, code: str, printed: str) -> NamePeriod | None:
        """The older name ``printed`` matches, when it is no longer in force this year."""
        wanted = comparable_name(printed)
        for period in self.periods(kind, code):
            if (
                period.until is not None
                and period.until < self.year
                and comparable_name(period.name) == wanted
            ):
                return period
        return None

    def later(self, kind: CodeKind, code: str, printed: str) -> bool:
        """Does ``printed`` match a name only a later edition gives the code?"""
        wanted = comparable_name(printed)
        return any(
            p.since is not None and p.since > self.year and comparable_name(p.name) == wanted
            for p in self.periods(kind, code)
        )


@lru_cache(maxsize=8192)
def _names_in(year: int, kind: CodeKind, code: str) -> tuple[str, ...]:
    periods = _editions().codes.get(kind, {}).get(code, ())
    return tuple(reversed([p.name for p in periods if p.covers(year)]))


@lru_cache(maxsize=8192)
def _comparable_names_in(year: int, kind: CodeKind, code: str) -> frozenset[str]:
    return frozenset(comparable_name(n) for n in _names_in(year, kind, code))


def edition(year: int | None) -> Edition | None:
    """The edition in force for ``year`` (a 决算 of 2024 uses the 2024 edition), or None outside
    the years held."""
    if year is None:
        return None
    first, last = edition_years()
    return Edition(year) if first <= year <= last else None


def economic_pair(dept_code: str) -> tuple[str, ...]:
    """The 政府经济分类 款 a 部门经济分类 款 maps to (机关 first, then 505xx for 事业单位); empty when
    the pair is not held. ``economic_pair("30101")`` → ``('50101', '50501')``."""
    return _editions().pairs.get(dept_code, ())
