"""Recogniser for 部门预算公开 and 部门决算公开: title, 目录, narrative and the standard tables.

Enters: a ``SourceDocument``. Leaves: at most one ``Disclosure`` (stage ``budget`` or ``final``)
and the findings met while reading it. The 绩效目标表 / 项目绩效目标汇总表 a disclosure carries are
read by their own recognisers and attached by the dispatcher; here they only appear in the 目录.

A document is a disclosure when its title or 目录 says so (预算公开, 部门决算, 预算表…) and at
least one standard table or 目录 entry is found, or when three standard tables are found.

>>> from jixiao.ingest.readers.text import read_text
>>> text = "2023年部门预算公开\\n2023年部门收支总体情况表\\n单位：万元\\n收入\\t\\t支出\\t\\n项目\\t金额\\t项目\\t金额\\n收入总计\\t8,562.6\\t支出总计\\t8,562.6\\n"
>>> forms, _ = recognise(read_text(text.encode(), "x.txt"))
>>> forms[0].tables[0].total("income").values
{'收入/金额': Decimal('8562.6')}
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from jixiao.codes import function_class_by_name
from jixiao.ingest.forms.common import YEAR_DIGITS, find_year, most_common, norm
from jixiao.ingest.forms.disclosure_tables import (
    CODES,
    TARGET_KINDS,
    header_unit,
    is_note,
    is_statement,
    join_name,
    parse_table,
    table_kind,
    unit_in,
)
from jixiao.ingest.forms.narrative import extract_sections
from jixiao.ingest.source import Block, Paragraph, SourceDocument, Table
from jixiao.model.disclosure import Disclosure, DisclosureTable, TocEntry
from jixiao.model.document import Form
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc

__all__ = ["CODES", "recognise"]

_GATE_WORDS = ("预算公开", "决算公开", "部门预算", "部门决算", "预算表", "决算表", "预决算公开")
_TOC_ENUMERATOR = re.compile(
    r"^\s*(?:(?P<a>[一二三四五六七八九十]+)[、.．]|[（(](?P<b>[一二三四五六七八九十]+)[）)]|(?P<c>\d+)\s*[、.．]|表\s*(?P<d>[一二三四五六七八九十\d]+)[:：\s]?)\s*"
)
_NUMBER = re.compile(r"^(公开\s*\d+\s*表|附表\s*\d+|表\s*[一二三四五六七八九十\d]+(?:[-－]\d+)?)")
_PAGE_NUMBER = re.compile(r"^[-—\s]*\d{1,3}[-—\s]*$|^第\s*\d+\s*页")
_DEPT_LABEL = re.compile(
    r"(?:部门名称|单位名称|编制部门|编制单位|预算主管部门|主管部门|预算单位|部门\s*[（(]\s*单位\s*[)）]\s*名称|^部门)\s*[:：]\s*(.+)"
)
_ORG_END = re.compile(r"(局|院|委员会|委|办事处|办公室|厅|部|中心|街道|政府|会|所|处|站|队|馆|校|社|署)$")
_STANDALONE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


@dataclass
class _Found:
    """A standard table located in the document, before it is read."""

    table: Table
    kind: str
    title: str
    title_loc: Loc | None
    number: str | None
    unit: str | None
    department: str | None
    extra: list[Table] = field(default_factory=list)
    after: list[Paragraph] = field(default_factory=list)  # notes printed under the table
    closed: bool = False  # a paragraph that is not a note came after the table


_NUMBERED = re.compile(r"^\s*\d+\s*[.、．]")


def _annotates(found: _Found, paragraph: Paragraph) -> bool:
    """Is ``paragraph`` a note under ``found``: 注：… or a statement, or the next point of a note."""
    if found.closed or _is_noise(paragraph):
        return False
    text = paragraph.text
    follows_note = bool(found.after) and bool(_NUMBERED.match(text))
    return is_note(text) or is_statement(text) or follows_note


def _is_noise(paragraph: Paragraph) -> bool:
    """Page numbers, stray quote marks, sheet names."""
    if paragraph.loc.sheet is not None and paragraph.loc.cell is None:
        return True  # the heading a spreadsheet reader gives each sheet: its name, not the cover
    return bool(_PAGE_NUMBER.match(paragraph.text)) or norm(paragraph.text) in ('""', "“”", "", "封面")


_NAME_END = re.compile(r"\s+(?:单位|金额)\s*[:：]|\s{2,}")
_UNIT_TAIL = re.compile(r"\s*单位\s*[:：].*$")


def _department_in(text: str) -> str | None:
    match = _DEPT_LABEL.search(text.strip())
    if not match:
        return None
    name = _NAME_END.split(match.group(1).strip())[0].strip()
    name = _UNIT_TAIL.sub("", name).strip()
    if not name or name in ("万元", "元") or len(name) > 40:
        return None
    return join_name(name)


_SPACES = re.compile(r"\s+")


def _locate_tables(doc: SourceDocument) -> list[_Found]:
    found: list[_Found] = []
    before: list[Paragraph] = []
    previous: _Found | None = None
    since_table: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            before.append(block)
            since_table.append(block)
            if previous is not None and _annotates(previous, block):
                previous.after.append(block)
            elif previous is not None:
                previous.closed = True
            continue
        table = block
        window = [p for p in before[-6:] if not _is_noise(p)]
        title_paragraph = next((p for p in reversed(window) if table_kind(p.text)), None)
        title = title_paragraph.text if title_paragraph is not None else None
        preamble = [c.text for row in table.rows[:3] for c in row if c.text]
        if title is None:
            title = next((t for t in preamble if table_kind(t)), None)
        meaningful = [p for p in since_table if isinstance(p, Paragraph) and not _is_noise(p)]
        if title is None:
            if previous is not None and not meaningful and _continues(previous.table, table):
                previous.extra.append(table)
                previous.closed = False
            else:
                previous = None
            before = []
            since_table = []
            continue
        kind = table_kind(title) or ""
        block_texts = [p.text for p in window[window.index(title_paragraph) :]] if title_paragraph else []
        block_texts += preamble
        above = [p.text for p in window]
        number = next((m.group(1) for t in above if (m := _NUMBER.match(t.strip()))), None)
        unit = next((u for t in block_texts if (u := unit_in(t))), None) or header_unit(table)
        department = next((d for t in block_texts if (d := _department_in(t))), None)
        current = _Found(
            table=table,
            kind=kind,
            title=join_name(title),
            title_loc=title_paragraph.loc if title_paragraph is not None else table.loc,
            number=_SPACES.sub("", number) if number else None,
            unit=unit,
            department=department,
        )
        found.append(current)
        previous = current
        before = []
        since_table = []
    return found


def _continues(first: Table, second: Table) -> bool:
    """A table with no title of its own right after another, with about as many columns."""
    return abs(first.n_cols - second.n_cols) <= 2 and second.n_rows > 0


def _title_block(doc: SourceDocument) -> list[Paragraph]:
    """The cover: paragraphs before the 目录 or the first table (at most six)."""
    cover: list[Paragraph] = []
    for block in doc.blocks[:20]:
        if isinstance(block, Table) or norm(block.text) in ("目录", "目次"):
            break
        if cover and (table_kind(block.text) or unit_in(block.text)):
            break  # the first table's title: no cover page
        if not _is_noise(block):
            cover.append(block)
        if len(cover) >= 6:
            break
    return cover


_TOC_PAGE = re.compile(r"[.…·]{3,}\s*\d*$|\s+\d+$")


def _toc(doc: SourceDocument) -> tuple[list[TocEntry], set[int]]:
    """Entries of the 目录 that name tables, and the ids of the paragraphs that make up the 目录."""
    blocks = doc.blocks
    start = next(
        (i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and norm(b.text) in ("目录", "目次")),
        None,
    )
    if start is None:
        return [], set()
    start_block = blocks[start]
    start_page = start_block.loc.page if isinstance(start_block, Paragraph) else None
    used = {id(start_block)}
    seen: set[str] = set()
    entries: list[TocEntry] = []
    for block in blocks[start + 1 :]:
        if isinstance(block, Table):
            break
        text = block.text.strip()
        key = norm(_TOC_ENUMERATOR.sub("", text))
        page = block.loc.page
        if start_page is not None and page is not None and page > start_page + 1:
            break
        if key in seen or (len(text) > 60 or text.endswith("。")):
            break
        seen.add(key)
        used.add(id(block))
        match = _TOC_ENUMERATOR.match(text)
        title = join_name(text[match.end() :] if match else text)
        title = _TOC_PAGE.sub("", title).strip()
        kind = table_kind(title)
        if kind is None and not _other_table_title(title):
            continue
        number = next((g for g in match.groups() if g), None) if match else None
        entries.append(TocEntry(title=title, number=number, kind=kind, loc=block.loc))
    return entries, used


_PART_OR_ANNEX = re.compile(r"^(第.{1,3}部分|附件)")


def _other_table_title(title: str) -> bool:
    """A 目录 entry naming a table this module has no kind for (not a part heading like 部门预算表)."""
    text = norm(title)
    return (
        text.endswith("表")
        and not _PART_OR_ANNEX.match(text)
        and any(w in text for w in ("收入", "支出", "收支", "经费", "采购", "资产", "绩效"))
    )


_NOTE_START = re.compile(r"^\s*(注|备注|说明)\s*\d*\s*[:：]")


def _zones(doc: SourceDocument) -> set[int]:
    """Paragraphs that belong to tables: the short title lines above each table and notes under it."""
    ids: set[int] = set()
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        for prev in reversed(blocks[:i]):
            if isinstance(prev, Table) or len(prev.text) > 40 or prev.text.endswith("。"):
                break
            ids.add(id(prev))
        for nxt in blocks[i + 1 : i + 4]:
            if isinstance(nxt, Table) or not _NOTE_START.match(nxt.text):
                break
            ids.add(id(nxt))
    return ids


_BUDGET_WORD = re.compile(r"预算|决算|年")
_NAME_BEFORE_YEAR = re.compile(r"^(.{3,40}?)\s*(?:" + YEAR_DIGITS + r"\s*年|年度|部门预算|部门决算)")


def _department(cover: list[Paragraph], found: list[_Found], title: str) -> str | None:
    labelled = [d for p in cover if (d := _department_in(p.text))]
    labelled += [f.department for f in found if f.department]
    if labelled:
        return most_common(Counter(labelled))
    for p in cover:
        text = join_name(p.text)
        if _ORG_END.search(text) and not _BUDGET_WORD.search(text) and 3 <= len(text) <= 40:
            return text
    match = _NAME_BEFORE_YEAR.match(join_name(title))
    return match.group(1) if match and _ORG_END.search(match.group(1)) else None


def _year(cover: list[Paragraph], toc: list[TocEntry], found: list[_Found]) -> int | None:
    texts = [p.text for p in cover]
    year = find_year(*texts, *(e.title for e in toc), *(f.title for f in found))
    if year is not None:
        return year
    for text in texts:
        match = _STANDALONE_YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


def recognise(doc: SourceDocument) -> tuple[list[Form], list[Finding]]:
    cover = _title_block(doc)
    toc, toc_ids = _toc(doc)
    located = _locate_tables(doc)
    standard = [f for f in located if f.kind and f.kind not in TARGET_KINDS]
    cover_text = norm(" ".join(p.text for p in cover))
    announced = any(w in cover_text for w in _GATE_WORDS) or any(
        w in norm(e.title) for e in toc for w in ("预算表", "决算表")
    )
    toc_standard = [e for e in toc if e.kind and e.kind not in TARGET_KINDS]
    if not ((announced and (standard or len(toc_standard) >= 2)) or len(standard) >= 3):
        return [], []
    findings: list[Finding] = []
    tables: list[DisclosureTable] = []
    for item in standard:
        table, table_findings = parse_table(item.table, item.kind, item.title, item.extra)
        table.number = item.number
        table.unit = item.unit
        table.loc = item.title_loc or item.table.loc
        has_amounts = any(v is not None for row in table.rows for v in row.values.values())
        for paragraph in item.after:
            if table.empty_statement is None and not has_amounts and is_statement(paragraph.text):
                table.empty_statement = paragraph.text
            else:
                table.notes.append(paragraph.text)
        tables.append(table)
        findings.extend(table_findings)
    _name_function_classes(tables)
    units = Counter(t.unit for t in tables if t.unit)
    unit = most_common(units) if units else None
    for table in tables:
        if table.unit is None:
            table.unit = unit or "万元"
            table.unit_assumed = True
            findings.append(
                Finding(
                    code="F062",
                    severity=Severity.INFO,
                    message=f"{table.title}：未注明金额单位，按文件中其他表格推定为{table.unit}。",
                    locations=(table.loc,) if table.loc else (),
                )
            )
    title = " ".join(p.text for p in cover if not _department_in(p.text)) or None
    stage_text = cover_text + "".join(norm(e.title) for e in toc)
    if "决算" in stage_text:
        stage = "final"
    elif "预算" in stage_text:
        stage = "budget"
    else:
        final = sum("决算" in t.title for t in tables)
        stage = "final" if final > len(tables) / 2 else "budget"
    zones = _zones(doc)
    cover_ids = {id(p) for p in cover}
    narrative = [
        p
        for p in doc.paragraphs
        if id(p) not in toc_ids and id(p) not in zones and id(p) not in cover_ids and not _is_noise(p)
    ]
    disclosure = Disclosure(
        stage="final" if stage == "final" else "budget",
        title=title,
        department=_department(cover, standard, title or ""),
        year=_year(cover, toc, standard),
        toc=[e.title for e in toc],
        toc_entries=toc,
        unit=unit,
        sections=extract_sections(narrative),
        tables=tables,
        loc=cover[0].loc if cover else Loc(file=doc.file),
    )
    return [disclosure], findings


def _name_function_classes(tables: list[DisclosureTable]) -> None:
    """On the 支出 side of 收支 tables, a line that is a 功能分类 类 gets its code (八、社会保障和就业 → 208)."""
    for table in tables:
        if table.kind not in ("income_expenditure_summary", "fiscal_summary"):
            continue
        for row in table.rows:
            if row.side == "expenditure" and row.code is None and not row.is_total:
                code = function_class_by_name(row.name)
                if code is not None:
                    row.code = code
                    row.code_kind = "function"
                    row.codes["function"] = code
