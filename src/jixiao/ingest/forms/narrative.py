"""Narrative text: split paragraphs into sections and find the figures quoted in them.

>>> [f.value for f in find_figures("收入总计8562.6万元，下降2.1%。")]
[Decimal('8562.6'), Decimal('2.1')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from jixiao.ingest.forms.common import YEAR_DIGITS
from jixiao.ingest.source import Paragraph
from jixiao.model.loc import Loc
from jixiao.model.money import normalise_digits
from jixiao.model.narrative import Figure, Section

_UNITS = "万元|亿元|千元|元|%|％|分|人次|万人|人|个月|个|项|次|件|家|场|份|辆|台|套|户|天|小时|月"
_FIGURE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(" + _UNITS + r")")
# Subjects: the words just before the number, back to the previous punctuation or verb.
_SUBJECT = re.compile(r"([\u4e00-\u9fa5“”\"（）()A-Za-z0-9]{1,24}?)\s*(?:为|是|达到|约|[:：])?\s*$")
_LEADING_YEAR = re.compile(r"^\d{0,4}年(?:度)?")
_DATE_BEFORE = re.compile(r"\d\s*年\s*$")
_DAY_AFTER = re.compile(r"\s*\d{1,2}\s*日")
_YEAR_PREFIX = re.compile(r"^.*?" + YEAR_DIGITS + r"\s*年(?:度)?")
_RELATIONS = {"占", "下降", "增长", "减少", "增加", "上升", "降低", "提高", "比上年增加", "比上年减少"}
_CLAUSE_SPLIT = re.compile(r"[，,；;。！？\n]")

_TOC_LINE = re.compile(r"\.{4,}|…{2,}|错误！未定义书签|\s\d+\s*$")
_AMOUNT_IN_TEXT = re.compile(r"\d\s*(?:万元|元)[，,]")

# Heading styles in Chinese official documents, from the outermost level in.
_HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^第[一二三四五六七八九十]+部分")),
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d+[.、．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)


def heading_level(paragraph: Paragraph) -> int | None:
    """The outline level of a heading paragraph, or None for body text."""
    text = paragraph.text.strip()
    if paragraph.heading is not None:
        return paragraph.heading
    if len(text) > 40 or text.endswith(("。", "；", ";", "，", ",")):
        return None
    if _AMOUNT_IN_TEXT.search(normalise_digits(text)):
        return None  # "（三）公务用车购置及运行费 0 万元，其中…": a body line cut by a page break
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return None


def find_figures(text: str, loc: Loc | None = None) -> list[Figure]:
    """Every number-with-unit in ``text``, with the clause it sits in and its likely subject."""
    text = normalise_digits(text)
    figures: list[Figure] = []
    # where the clauses break (each break is one character), found once for the whole text
    breaks = [x.start() for x in _CLAUSE_SPLIT.finditer(text)]
    for m in _FIGURE.finditer(text):
        try:
            value = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            continue
        unit = "%" if m.group(2) == "％" else m.group(2)
        before_figure = bisect_left(breaks, m.start())  # breaks ending at or before the figure
        start = breaks[before_figure - 1] + 1 if before_figure else 0
        after_figure = bisect_left(breaks, m.end())
        end = breaks[after_figure] if after_figure < len(breaks) else len(text)
        before = text[start : m.start()]
        subject_match = _SUBJECT.search(before)
        subject = subject_match.group(1).strip() if subject_match and subject_match.group(1) else None
        if unit == "月" and (_DATE_BEFORE.search(text, 0, m.start()) or _DAY_AFTER.match(text, m.end())):
            continue  # a date ("截至2024年8月31日"), not a quantity of months
        if subject:
            subject = _LEADING_YEAR.sub("", _YEAR_PREFIX.sub("", subject)).lstrip("年度") or None
        if subject in _RELATIONS and figures:
            # "行政运行 4550.7 万元，占 53.1%": the share belongs to the previous figure's subject
            previous = figures[-1].subject or ""
            base = previous.removesuffix(subject)
            for relation in _RELATIONS:
                base = base.removesuffix(relation)
            subject = f"{base}{subject}" if base else subject
        figures.append(
            Figure(
                text=text[start : m.end()].strip(),
                value=value,
                unit=unit,
                subject=subject or None,
                context=text[start:end].strip(),
                loc=loc,
            )
        )
    return figures


def extract_sections(paragraphs: Iterable[Paragraph]) -> list[Section]:
    """Group paragraphs under the headings above them; each section carries its figures.

    Text before the first heading becomes a section titled ``""``.
    """
    sections: list[Section] = []
    current: Section | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            current.text = "\n".join(body)
            sections.append(current)

    for p in paragraphs:
        if _TOC_LINE.search(p.text):
            continue  # a table-of-contents entry, not a heading of the body
        level = heading_level(p)
        if level is not None:
            close()
            current = Section(title=p.text.strip().rstrip("：:"), level=level, loc=p.loc)
            body = []
            # a heading line may carry its own figures: "③预算执行率，指标 2 分，得 2 分。"
            current.figures.extend(find_figures(p.text, p.loc))
            continue
        if current is None:
            current = Section(title="", level=0, loc=p.loc)
            body = []
        body.append(p.text)
        current.figures.extend(find_figures(p.text, p.loc))
    close()
    return sections
