"""Helpers shared by the form recognisers: label normalisation, anchors, years, departments.

Recognisers find forms by header anchors (the words a form prints), never by position.

>>> norm("部门（单位）名称 ")
'部门(单位)名称'
>>> find_year("2023年部门收支总体情况表")
2023
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TypeVar

from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table
from jixiao.model.loc import Loc

_Key = TypeVar("_Key")

#: Full-width punctuation and its ASCII form. Each maps one character to one character, so
#: replacing them in turn is a translation, and much faster than ``str.translate`` on Chinese text.
_PUNCTUATION = (
    ("（", "("),
    ("）", ")"),
    ("：", ":"),
    ("，", ","),
    ("；", ";"),
    ("\u3000", " "),
    ("“", '"'),
    ("”", '"'),
)


def _ascii_punctuation(text: str) -> str:
    for wide, narrow in _PUNCTUATION:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _normalise(text: str) -> str:
    """Full-width punctuation to ASCII, all whitespace (as ``str.split`` sees it) removed."""
    return "".join(_ascii_punctuation(text).split())


#: Texts up to this length are labels that repeat from table to table (headers, row names) and are
#: worth a cache entry; longer ones (a cover page, a paragraph) are unique to their document, and
#: caching them would grow a batch worker's memory with every file it reads.
_CACHED_LENGTH = 80


@lru_cache(maxsize=16384)
def _norm_label(text: str) -> str:
    return _normalise(text)


def norm(text: str) -> str:
    """Compare-friendly label: full-width punctuation to ASCII, all whitespace removed."""
    return _norm_label(text) if len(text) <= _CACHED_LENGTH else _normalise(text)


def matches(text: str, *anchors: str) -> bool:
    """True when the normalised ``text`` contains any of ``anchors`` (normalised too)."""
    t = norm(text)
    return any(norm(a) in t for a in anchors)


def find_cells(table: Table, *anchors: str) -> list[Cell]:
    """Cells whose text contains an anchor, in reading order."""
    return [c for row in table.rows for c in row if c.text and matches(c.text, *anchors)]


def first_cell(table: Table, *anchors: str) -> Cell | None:
    found = find_cells(table, *anchors)
    return found[0] if found else None


def table_mentions(table: Table, *anchors: str) -> bool:
    """Does any of ``anchors`` occur in the table, cells run together and normalised like ``norm``?

    A cheap gate before reading a table cell by cell: a cell whose ``norm`` holds an anchor makes
    this true (the converse need not hold: an anchor may also straddle two cells).
    """
    if table.normalised is None:  # normalised once per table, kept on it (not in norm's cache)
        table.normalised = _normalise(table.joined_text())
    text = table.normalised
    return any(norm(a) in text for a in anchors)


def tables_with(doc: SourceDocument, *anchors: str) -> list[Table]:
    """Tables containing every one of ``anchors`` somewhere in their cells."""
    result = []
    for table in doc.tables:
        text = norm(" ".join(c.text for row in table.rows for c in row if c.text))
        if all(norm(a) in text for a in anchors):
            result.append(table)
    return result


#: The digits of a plausible year (1900–2099), for the patterns that look for one.
YEAR_DIGITS = r"(?:19|20)\d{2}"
_YEAR = re.compile("(" + YEAR_DIGITS + r")\s*年")


def find_year(*texts: str | None) -> int | None:
    """The first 4-digit year followed by 年 in ``texts`` (e.g. ``(2023年度)``)."""
    for text in texts:
        if text:
            m = _YEAR.search(text)
            if m:
                return int(m.group(1))
    return None


_DEPT_LABEL = re.compile(
    r"(?:部门|单位|编制单位|部门\(单位\)|预算单位)(?:名称)?\s*(?:\(盖章\))?\s*[:：]\s*(.+)"
)


_UNIT_AFTER_NAME = re.compile(r"\s+(?:单位|金额)[:：]")


def find_department(paragraphs: Iterable[Paragraph | str]) -> str | None:
    """A department name from a ``部门名称：…`` / ``编制单位（盖章）：…`` line."""
    for p in paragraphs:
        text = p if isinstance(p, str) else p.text
        m = _DEPT_LABEL.search(_ascii_punctuation(text))
        if m:
            name = m.group(1).strip().split("  ")[0].strip()
            name = _UNIT_AFTER_NAME.split(name)[0].strip()
            if name:
                return name
    return None


def most_common(counts: Counter[_Key]) -> _Key:
    """The most frequent key, the first counted on ties: ``counts.most_common(1)[0][0]`` without
    the ``heapq`` import that costs a first call more than the counting itself."""
    return max(counts, key=counts.__getitem__)


def value_after(table: Table, cell: Cell) -> Cell | None:
    """The first non-empty cell to the right of ``cell`` on its row."""
    for c in table.rows[cell.row - 1][cell.col :]:
        if c.text:
            return c
    return None


def row_nonempty_texts(table: Table, row: int) -> list[str]:
    return [c.text for c in table.rows[row - 1] if c.text]


def join_nonempty(parts: Sequence[str | None], sep: str = "") -> str:
    return sep.join(p for p in parts if p)


def line_loc(cell: Cell) -> Loc:
    """Where the row of ``cell`` is: the cell's place without its column (``t.txt:L2:表1 行2``)."""
    return cell.loc.but(col=None, cell=None)
