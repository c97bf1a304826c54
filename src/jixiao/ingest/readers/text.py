"""Reader for text exported from PDF/Word (.txt, .md): tab-separated cells, Markdown headings.

Lines containing a tab are table rows; other lines are paragraphs (``#`` lines are headings).
Blank lines between table rows do not end a table: exports break tables at page ends, and the
rows after the break belong to the same table (recorded in ``Table.continued``). A line without
a tab squeezed between two table rows is kept as a one-cell row. HTML ``<p>`` inside cells is
turned into line breaks.

>>> doc = read_text(b"# T\\na\\tb\\n\\nc\\td\\n", "x.txt")
>>> [b.n_rows for b in doc.tables]
[2]
"""

from __future__ import annotations

import re

from jixiao.ingest.errors import ReadError
from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table, clean_text
from jixiao.model.loc import Loc, cell_loc, column_letter


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030, as Chinese office files are."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("R009", file, "UTF-16") from exc
    if b"\x00" in data[:4096]:
        raise ReadError("R003", file, "文本文件中含有二进制内容")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("R009", file, "既不是 UTF-8 也不是 GB18030")


def read_text(data: bytes, file: str, fmt: str = "txt") -> SourceDocument:
    text = decode(data, file)
    doc = SourceDocument(file=file, format=fmt)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pending: list[tuple[int, str]] = []  # (line number, raw line) of the table being collected
    breaks: list[int] = []  # indexes in ``pending`` where blank lines interrupted the table
    blank_run = False

    def flush() -> None:
        if pending:
            _add_table(doc, file, pending, breaks)
            pending.clear()
            breaks.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            blank_run = True
            continue
        if "\t" in line:
            if pending and blank_run:
                breaks.append(len(pending))
            pending.append((number, line))
        elif pending and not blank_run and _next_is_row(lines, number):
            pending.append((number, line))  # a one-cell row inside a table
        else:
            flush()
            _add_paragraph(doc, file, number, line)
        blank_run = False
    flush()
    if not doc.blocks:
        raise ReadError("R011", file)
    return doc


def _next_is_row(lines: list[str], number: int) -> bool:
    """Is the line after ``number`` (1-based) a table row, with no blank line between?"""
    return number < len(lines) and "\t" in lines[number]


def _add_paragraph(doc: SourceDocument, file: str, number: int, line: str) -> None:
    stripped = line.strip()
    heading = None
    if stripped.startswith("#"):
        hashes = len(stripped) - len(stripped.lstrip("#"))
        heading = hashes
        stripped = stripped[hashes:].strip()
    stripped = stripped.replace("**", "").strip()
    if stripped.startswith("- "):
        stripped = stripped[2:].strip()
    text = clean_text(stripped)
    if not text:
        return
    last = doc.blocks[-1] if doc.blocks else None
    if heading is None and isinstance(last, Paragraph) and _continues(last, text):
        last.text += text  # a sentence cut by a page break in the export
        return
    doc.blocks.append(Paragraph(text=text, loc=Loc(file=file, line=number), heading=heading))


_OPENERS = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[①-⑳]|第.+部分|目标|任务|表|附件|附表|注|单位|部门)"
)


_LABEL = re.compile(r"^[^，。；：:]{1,10}[：:]")


def _continues(previous: Paragraph, text: str) -> bool:
    """Is ``text`` the rest of ``previous``, cut mid-sentence (no closing punctuation, long line)?"""
    if previous.heading is not None or len(previous.text) < 20:
        return False
    if previous.text.endswith(
        ("。", "；", "：", "！", "？", ";", ":", "”", "」", "）", ")", "报告", "表", "说明")
    ):
        return False
    if len(text) < 6 or _LABEL.match(text):
        return False  # "目 录", "自评单位：…": a new line of a title block, not the rest of a sentence
    return not _OPENERS.match(text)


def _add_table(doc: SourceDocument, file: str, pending: list[tuple[int, str]], breaks: list[int]) -> None:
    index = len(doc.tables) + 1
    rows: list[list[Cell]] = []
    letters = [""]  # column letters by 1-based column, grown as wide rows come
    for r, (number, line) in enumerate(pending, start=1):
        raws = line.split("\t")
        while len(letters) <= len(raws):
            letters.append(column_letter(len(letters)))
        row_name = str(r)
        cells = []
        for c, raw in enumerate(raws, start=1):
            loc = cell_loc(file, index, r, c, letters[c] + row_name, number)
            cells.append(Cell(clean_text(raw) if raw else "", r, c, loc))
        rows.append(cells)
    last = doc.blocks[-1] if doc.blocks else None
    caption = last.text if isinstance(last, Paragraph) else None  # the line just above the table
    first = pending[0][0]
    doc.blocks.append(
        Table(
            index=index,
            rows=rows,
            loc=Loc(file=file, table=index, line=first),
            caption=caption,
            continued=[b + 1 for b in breaks],
        )
    )
