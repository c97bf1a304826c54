"""SourceDocument: the format-neutral grid every reader produces.

A document is a sequence of blocks: paragraphs and tables. A table is a list of rows of cells;
every cell knows where it came from (``Loc``). Merged cells are explicit: the anchor cell carries
``rowspan``/``colspan`` and every cell it covers is present, empty, with ``covered_by`` pointing at
the anchor. Text exports cannot know merges: there, merged cells are simply empty.

>>> t = Table(index=1, rows=[[Cell("a", 1, 1, Loc(file="f"))]], loc=Loc(file="f"))
>>> t.text(1, 1)
'a'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from jixiao.model.findings import Finding
from jixiao.model.loc import Loc

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_SPECIAL = re.compile(r"[<\r\n\t\u3000\u00a0]")
_BREAK_TAG = re.compile(r"</p>\s*<p>|<br\s*/?>", re.I)
_PARAGRAPH_TAG = re.compile(r"</?p>", re.I)


def _needs_cleaning(text: str) -> bool:
    """Markup, line breaks, tabs, wide spaces, a double space, or whitespace at either end."""
    return text != text.strip() or "  " in text or _SPECIAL.search(text) is not None


def clean_text(text: str) -> str:
    """Normalise a cell's text: HTML ``<p>``/``<br>`` to newlines, runs of spaces to one, trimmed."""
    if not _needs_cleaning(text):
        return text.strip(" ")  # the common case: a plain cell
    if "<" in text:
        text = _BREAK_TAG.sub("\n", text)
        text = _PARAGRAPH_TAG.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


@dataclass(slots=True)
class Cell:
    text: str
    row: int  # 1-based within the table
    col: int  # 1-based within the table
    loc: Loc
    rowspan: int = 1
    colspan: int = 1
    covered_by: tuple[int, int] | None = None  # (row, col) of the merge anchor covering this cell
    #: PDF only: (x0, top, x1, bottom) in points from the page's top-left corner, as pdfplumber
    #: measures, on the cell's own page and spanning its merge; None for other formats.
    bbox: tuple[float, float, float, float] | None = None


@dataclass(slots=True)
class Paragraph:
    text: str
    loc: Loc
    heading: int | None = None  # Markdown heading level, or None for body text
    #: PDF only: (x0, top, x1, bottom) in points from the top-left corner of the paragraph's first
    #: page, around its lines there; None for other formats.
    bbox: tuple[float, float, float, float] | None = None


@dataclass(slots=True)
class Table:
    index: int  # 1-based position among the document's tables
    rows: list[list[Cell]]
    loc: Loc  # where the table starts
    caption: str | None = None  # the nearest title-like paragraph above it
    page: int | None = None
    sheet: str | None = None
    continued: list[int] = field(default_factory=list)  # row numbers where a page/part break joined
    _joined: str | None = field(default=None, init=False, repr=False, compare=False)
    #: ``joined_text`` normalised for comparison, kept by ``jixiao.ingest.forms.common.table_mentions``
    #: (on the table, not in a process-wide cache: a worker reading thousands of files stays flat)
    normalised: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, col: int) -> Cell | None:
        """1-based access; ``None`` outside the (possibly ragged) grid."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= col <= len(cells):
                return cells[col - 1]
        return None

    def text(self, row: int, col: int) -> str:
        c = self.cell(row, col)
        return c.text if c is not None else ""

    def row_texts(self, row: int) -> list[str]:
        return [c.text for c in self.rows[row - 1]]

    def nonempty(self, row: int) -> list[Cell]:
        return [c for c in self.rows[row - 1] if c.text]

    def joined_text(self) -> str:
        """Every non-empty cell's text in reading order, joined by spaces.

        A cheap gate for recognisers (does this table print a word at all?): it is joined once
        and kept, as a table is not changed once read.
        """
        if self._joined is None:
            self._joined = " ".join(c.text for row in self.rows for c in row if c.text)
        return self._joined


Block = Paragraph | Table


@dataclass(slots=True)
class SourceDocument:
    file: str  # the name shown to users (basename as uploaded)
    format: str  # txt, md, xlsx, xls, docx, pdf, html
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    sheets: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _compact: str | None = field(default=None, init=False, repr=False, compare=False)

    def mentions(self, *words: str) -> bool:
        """Does any of ``words`` occur anywhere in the document (whitespace ignored)?

        A cheap gate for recognisers: the document's text is joined once and kept.
        """
        if self._compact is None:
            self._compact = "".join(self.full_text().split())  # as re's \s sees whitespace, but faster
        return any("".join(w.split()) in self._compact for w in words)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def iter_text(self) -> Iterator[str]:
        """Every paragraph and every cell's text, in reading order."""
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            else:
                for row in block.rows:
                    for c in row:
                        if c.text:
                            yield c.text

    def full_text(self) -> str:
        return "\n".join(self.iter_text())

    def preceding_paragraphs(self, table: Table, limit: int = 4) -> list[Paragraph]:
        """Up to ``limit`` paragraphs just above ``table`` (nearest last), stopping at another table."""
        found: list[Paragraph] = []
        for i, block in enumerate(self.blocks):
            if block is table:
                for prev in reversed(self.blocks[:i]):
                    if isinstance(prev, Table) or len(found) >= limit:
                        break
                    found.insert(0, prev)
                return found
        return found
