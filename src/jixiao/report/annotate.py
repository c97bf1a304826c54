"""Annotated copies of a source file: the department sees its own document marked up.

Enters: one document's audit (``DocumentAudit``), the path of its source file, an output folder and,
when at hand, the ``SourceDocument`` the audit was made from (it is read again otherwise). Leaves:
one new file in the output folder; the original is only read.

- PDF → ``<stem>.审核标注.pdf``: the original pages, each finding's cells boxed (red for 错误, orange
  for 警告, blue for 提示), numbered with the finding's 序号 within the document, and the message as
  the box's comment (a PDF annotation with a popup). Every annotation carries its own appearance,
  so viewers and printers (poppler, pdf.js, Acrobat) draw it. A location is found through the
  source grid: a cell (its box, spanning its merge), a row, a whole table, or a paragraph (its
  box on its first page; a page-only location is matched to the paragraph quoting the finding's
  numbers or quoted words). A finding on a page but on nothing drawable gets a note in the page
  margin; a note on the first page sums up the findings and lists those that could not be placed.
- xlsx → ``<stem>.审核标注.xlsx``: the workbook as openpyxl keeps it (formulas, styles), the offending
  cells filled by severity with a comment listing the numbered findings, and a sheet 审核标注 listing
  every finding with a link to its cell.
- any other readable format (xls, docx, txt, md, html) → ``<stem>.审核标注.html``: the document's
  paragraphs and tables as one page, the offending cells and paragraphs highlighted and numbered,
  and the numbered findings listed at the end.

Findings without a usable location are listed in the copy but not drawn. ``annotate`` returns the
path written, or None when the file cannot be read.

>>> from jixiao.checks.report import DocumentAudit
>>> from jixiao.ingest.source import Paragraph, SourceDocument
>>> from jixiao.model.loc import Loc
>>> source = SourceDocument(file="a.txt", format="txt", blocks=[Paragraph("正文", Loc(file="a.txt", line=1))])
>>> Locator(source).paragraphs_for(Loc(file="a.txt", line=1))[0].text
'正文'
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.hyperlink import Hyperlink
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from jixiao.checks.report import SEVERITY_NAMES, SEVERITY_RANK, AuditReport, DocumentAudit
from jixiao.ingest.load import read_source
from jixiao.ingest.readers.dispatch import extension_format
from jixiao.ingest.source import Cell, Paragraph, SourceDocument, Table
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc
from jixiao.report.html import SEVERITY_COLOURS, code_titles, environment
from jixiao.summary import KIND_NAMES

#: Inserted between the stem and the extension of every annotated copy.
SUFFIX = ".审核标注"
#: Author shown on every comment.
AUTHOR = "Jixiao 审核"
#: Name of the sheet listing the findings in an annotated workbook.
FINDINGS_SHEET = "审核标注"
#: Template of the annotated HTML copy.
TEMPLATE = "annotated.html.j2"

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber's page coordinates)

_BOX_WIDTH = 1.2
_TAG_HEIGHT = 8.0
_TAG_FONT_SIZE = 6.5
_NOTE_SIZE = 16.0
_MAX_TAG_NUMBERS = 4
_QUOTED = re.compile(r"[“\"「『‘]([^”\"」』’]{2,60})[”\"」』’]")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


def annotated_name(path: Path, extension: str) -> str:
    """``预算.pdf`` → ``预算.审核标注.pdf`` (``extension`` with its dot)."""
    return f"{path.stem}{SUFFIX}{extension}"


def annotate(
    audit: DocumentAudit, path: Path, out_dir: Path, source: SourceDocument | None = None
) -> Path | None:
    """Write an annotated copy of ``path`` into ``out_dir`` (see the module docstring)."""
    path, out_dir = Path(path), Path(out_dir)
    if not audit.readable:
        return None
    file_format = (
        (source.format if source is not None else None) or audit.format or extension_format(path.name)
    )
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if file_format == "xlsx":
        return _annotate_workbook(audit, data, path, out_dir)
    if source is None:
        source, _ = read_source(data, audit.file)
        if source is None:
            return None
    if file_format == "pdf":
        return _annotate_pdf(audit, data, path, out_dir, source)
    return _annotate_html(audit, path, out_dir, source)


def _write(out: Path, data: bytes) -> Path:
    """Write a finished copy (never a half-written one: the content is complete before)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def _most_severe(findings: Iterable[Finding]) -> Severity:
    return max((f.severity for f in findings), key=lambda s: SEVERITY_RANK[s], default=Severity.INFO)


def code_titles_for(audit: DocumentAudit) -> dict[str, str]:
    """Rule titles for one document's findings (the built-in registry and the read catalogues)."""
    return code_titles(AuditReport(documents=[audit]))


def _finding_text(number: int, finding: Finding, titles: dict[str, str]) -> str:
    """The comment of one finding: number, severity, code and title, message, values, advice."""
    title = titles.get(finding.code, "")
    lines = [f"【{number}】{SEVERITY_NAMES[finding.severity]} {finding.code}{' ' + title if title else ''}"]
    lines.append(finding.message)
    values = []
    if finding.expected is not None:
        values.append(f"应为：{finding.expected}")
    if finding.actual is not None:
        values.append(f"实为：{finding.actual}")
    if values:
        lines.append("；".join(values))
    if finding.suggestion:
        lines.append(f"建议：{finding.suggestion}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- locating


@dataclass
class Target:
    """Where one location lands in the source grid (nothing when it cannot be placed)."""

    scope: Literal["cell", "row", "table", "paragraph", "none"] = "none"
    table: Table | None = None
    cells: list[Cell] = field(default_factory=list)  # the cells covered (a merge's covered cells too)
    paragraphs: list[Paragraph] = field(default_factory=list)


def _evidence(finding: Finding | None) -> list[str]:
    """Words and numbers a finding quotes, to find the paragraph it is about."""
    if finding is None:
        return []
    text = " ".join(t for t in (finding.message, finding.expected, finding.actual) if t)
    words = [match.group(1) for match in _QUOTED.finditer(text)]
    numbers = [n.replace(",", "") for n in _NUMBER.findall(text) if len(n.replace(",", "")) >= 3]
    return list(dict.fromkeys(w.replace(" ", "") for w in [*words, *numbers]))


class Locator:
    """Finds the cells and paragraphs of a ``SourceDocument`` a ``Loc`` points at.

    Cells are keyed by their own ``Loc`` (sheet, table, row, col), so a location made by any reader
    (sheet coordinates for spreadsheets, table coordinates for PDF and text) finds its cell; a
    covered cell leads to the anchor of its merge.
    """

    def __init__(self, source: SourceDocument) -> None:
        self.source = source
        self.tables: dict[int, Table] = {}
        self.cells: dict[tuple[str | None, int | None, int | None, int | None], tuple[Table, Cell]] = {}
        self.sheet_cells: dict[tuple[str, int | None, int | None], tuple[Table, Cell]] = {}
        self.rows: dict[tuple[str | None, int | None, int | None], tuple[Table, list[Cell]]] = {}
        self.sheet_rows: dict[tuple[str, int | None], tuple[Table, list[Cell]]] = {}
        self.paragraphs: dict[Loc, list[Paragraph]] = {}
        for block in source.blocks:
            if isinstance(block, Paragraph):
                self.paragraphs.setdefault(block.loc, []).append(block)
                continue
            self.tables[block.index] = block
            for row in block.rows:
                for cell in row:
                    loc = cell.loc
                    self.cells[(loc.sheet, loc.table, loc.row, loc.col)] = (block, cell)
                    if loc.sheet is not None:
                        self.sheet_cells.setdefault((loc.sheet, loc.row, loc.col), (block, cell))
                    entry = self.rows.setdefault((loc.sheet, loc.table, loc.row), (block, []))
                    entry[1].append(cell)
                    if loc.sheet is not None:
                        self.sheet_rows.setdefault((loc.sheet, loc.row), entry)

    def anchor(self, table: Table, cell: Cell) -> Cell:
        """The cell holding the text of a merge (``cell`` itself when it is not covered)."""
        if cell.covered_by is None:
            return cell
        return table.cell(*cell.covered_by) or cell

    def covered(self, table: Table, anchor: Cell) -> list[Cell]:
        """Every cell of ``anchor``'s merge, the anchor first."""
        cells = [anchor]
        for row in range(anchor.row, anchor.row + anchor.rowspan):
            for col in range(anchor.col, anchor.col + anchor.colspan):
                cell = table.cell(row, col)
                if cell is not None and cell is not anchor and cell.covered_by == (anchor.row, anchor.col):
                    cells.append(cell)
        return cells

    def cell_for(self, loc: Loc) -> tuple[Table, Cell] | None:
        row, col = loc.row, loc.col
        if (row is None or col is None) and loc.cell:
            try:
                letters, row = coordinate_from_string(loc.cell)
            except ValueError:
                return None
            col = _column_number(letters)
        if row is None or col is None:
            return None
        found = self.cells.get((loc.sheet, loc.table, row, col))
        if found is None and loc.sheet is not None:
            found = self.sheet_cells.get((loc.sheet, row, col))
        if found is None:
            return None
        table, cell = found
        return table, self.anchor(table, cell)

    def paragraphs_for(self, loc: Loc, finding: Finding | None = None) -> list[Paragraph]:
        """The paragraphs with exactly this location; several on one PDF page are told apart by
        the words and numbers the finding quotes (none when that does not single one out)."""
        candidates = self.paragraphs.get(loc, [])
        if len(candidates) <= 1 or loc.page is None or loc.line is not None:
            return candidates
        words = _evidence(finding)
        if not words:
            return []
        scores = [(sum(1 for w in words if w in _compact(p.text)), p) for p in candidates]
        best = max(score for score, _ in scores)
        chosen = [p for score, p in scores if score == best]
        return chosen if best > 0 and len(chosen) == 1 else []

    def locate(self, loc: Loc, finding: Finding | None = None) -> Target:
        """The cells (or paragraphs) ``loc`` points at: a cell, a row, a whole table or a paragraph."""
        if (loc.row is not None and loc.col is not None) or loc.cell:
            found = self.cell_for(loc)
            if found is not None:
                table, anchor = found
                return Target(scope="cell", table=table, cells=self.covered(table, anchor))
        if loc.row is not None and loc.col is None and loc.cell is None:
            row = self.rows.get((loc.sheet, loc.table, loc.row))
            if row is None and loc.sheet is not None:
                row = self.sheet_rows.get((loc.sheet, loc.row))
            if row is not None:
                return Target(scope="row", table=row[0], cells=list(row[1]))
        paragraphs = self.paragraphs_for(loc, finding)
        if paragraphs:
            return Target(scope="paragraph", paragraphs=paragraphs)
        if loc.row is None and loc.col is None and loc.table is not None and loc.table in self.tables:
            table = self.tables[loc.table]
            cells = [cell for row in table.rows for cell in row]
            if loc.page is not None and any(cell.loc.page == loc.page for cell in cells):
                cells = [cell for cell in cells if cell.loc.page == loc.page]
            return Target(scope="table", table=table, cells=cells)
        return Target()


def _compact(text: str) -> str:
    return "".join(text.split()).replace(",", "")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# -------------------------------------------------------------------------------------------- PDF


def _union(boxes: Iterable[Box]) -> Box | None:
    listed = list(boxes)
    if not listed:
        return None
    return (
        min(b[0] for b in listed),
        min(b[1] for b in listed),
        max(b[2] for b in listed),
        max(b[3] for b in listed),
    )


def pdf_regions(target: Target, page_hint: int | None = None) -> list[tuple[int, Box]]:
    """(page, box) regions to draw for a target: its cells' boxes united per page (only the
    ``page_hint`` page when the cells are on it too), or its paragraphs' boxes. Pages are 1-based;
    boxes are in pdfplumber's top-left coordinates."""
    if target.paragraphs:
        return [
            (p.loc.page, p.bbox) for p in target.paragraphs if p.bbox is not None and p.loc.page is not None
        ]
    by_page: dict[int, list[Box]] = {}
    for cell in target.cells:
        if cell.bbox is not None and cell.loc.page is not None:
            by_page.setdefault(cell.loc.page, []).append(cell.bbox)
    if page_hint is not None and page_hint in by_page:
        by_page = {page_hint: by_page[page_hint]}
    regions = []
    for page, boxes in sorted(by_page.items()):
        box = _union(boxes)
        if box is not None:
            regions.append((page, box))
    return regions


def pdf_rect(box: Box, mediabox: Sequence[float], rotation: int) -> tuple[float, float, float, float]:
    """A pdfplumber box (x0, top, x1, bottom) as a PDF rectangle (llx, lly, urx, ury) in the page's
    default user space, undoing what pdfplumber/pdfminer do for the media box origin and /Rotate."""
    x0, y0, x1, y1 = (float(v) for v in mediabox)
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    rotation %= 360
    if rotation in (90, 270):
        height, shift_x, shift_top = x1 - x0, y0, -x0
    else:
        height, shift_x, shift_top = y1 - y0, x0, -y0

    def point(x: float, top: float) -> tuple[float, float]:
        u, v = x - shift_x, height - top + shift_top
        if rotation == 90:
            return x1 - v, u + y0
        if rotation == 180:
            return x1 - u, y1 - v
        if rotation == 270:
            return v + x0, y1 - u
        return u + x0, v + y0

    (ax, ay), (bx, by) = point(box[0], box[1]), point(box[2], box[3])
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


@dataclass
class _Mark:
    """One region drawn on a page and the findings (by number) that point at it."""

    page: int
    rect: tuple[float, float, float, float]
    numbers: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 255, 3) for i in (0, 2, 4))  # type: ignore[return-value]


def _numbers_label(numbers: Sequence[int]) -> str:
    shown = ",".join(str(n) for n in numbers[:_MAX_TAG_NUMBERS])
    return shown + ("+" if len(numbers) > _MAX_TAG_NUMBERS else "")


def _floats(*values: float) -> ArrayObject:
    return ArrayObject(FloatObject(round(v, 3)) for v in values)


def _appearance(
    writer: PdfWriter, width: float, height: float, content: str, resources: DictionaryObject | None = None
) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(content.encode("latin-1"))
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = _floats(0, 0, width, height)
    if resources is not None:
        stream[NameObject("/Resources")] = resources
    return writer._add_object(stream)  # streams must be indirect objects; pypdf has no public call


def _helvetica() -> DictionaryObject:
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/Helv"): font})})


def _box_appearance(writer: PdfWriter, width: float, height: float, colour: str) -> IndirectObject:
    r, g, b = _rgb(colour)
    half = _BOX_WIDTH / 2
    content = (
        f"q /Tint gs {r} {g} {b} rg 0 0 {width:.3f} {height:.3f} re f Q "
        f"{r} {g} {b} RG {_BOX_WIDTH} w {half} {half} {max(width - _BOX_WIDTH, 0):.3f} "
        f"{max(height - _BOX_WIDTH, 0):.3f} re S"
    )
    tint = DictionaryObject(
        {NameObject("/Type"): NameObject("/ExtGState"), NameObject("/ca"): FloatObject(0.12)}
    )
    resources = DictionaryObject({NameObject("/ExtGState"): DictionaryObject({NameObject("/Tint"): tint})})
    return _appearance(writer, width, height, content, resources)


def _tag_appearance(writer: PdfWriter, width: float, label: str, colour: str) -> IndirectObject:
    r, g, b = _rgb(colour)
    text = label.replace("\\", "").replace("(", "").replace(")", "")
    content = (
        f"{r} {g} {b} rg 0 0 {width:.3f} {_TAG_HEIGHT} re f "
        f"BT /Helv {_TAG_FONT_SIZE} Tf 1 1 1 rg 1.8 2 Td ({text}) Tj ET"
    )
    return _appearance(writer, width, _TAG_HEIGHT, content, _helvetica())


def _note_appearance(writer: PdfWriter, label: str, colour: str) -> IndirectObject:
    r, g, b = _rgb(colour)
    size = _NOTE_SIZE
    text = label.replace("\\", "").replace("(", "").replace(")", "")
    content = (
        f"1 0.93 0.6 rg {r} {g} {b} RG 1 w 0.5 0.5 {size - 1} {size - 1} re B "
        f"BT /Helv 7 Tf {r} {g} {b} rg 2.5 5 Td ({text}) Tj ET"
    )
    return _appearance(writer, size, size, content, _helvetica())


def _page_box(writer: PdfWriter, index: int) -> tuple[float, float, float, float]:
    box = writer.pages[index].mediabox
    return float(box.left), float(box.bottom), float(box.right), float(box.top)


def _add_mark(writer: PdfWriter, mark: _Mark, text: str, name: str) -> None:
    index = mark.page - 1
    llx, lly, urx, ury = mark.rect
    severity = _most_severe(mark.findings)
    colour = SEVERITY_COLOURS[severity][0]
    left, bottom, right, top = _page_box(writer, index)
    width, height = max(urx - llx, 1.0), max(ury - lly, 1.0)
    box = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Square"),
            NameObject("/Rect"): _floats(llx, lly, urx, ury),
            NameObject("/C"): _floats(*_rgb(colour)),
            NameObject("/BS"): DictionaryObject(
                {NameObject("/W"): FloatObject(_BOX_WIDTH), NameObject("/S"): NameObject("/S")}
            ),
            NameObject("/F"): NumberObject(4),
            NameObject("/T"): TextStringObject(AUTHOR),
            NameObject("/Subj"): TextStringObject(f"审核发现 {_numbers_label(mark.numbers)}"),
            NameObject("/NM"): TextStringObject(name),
            NameObject("/Contents"): TextStringObject(text),
            NameObject("/AP"): DictionaryObject(
                {NameObject("/N"): _box_appearance(writer, width, height, colour)}
            ),
        }
    )
    added = writer.add_annotation(index, box)
    popup_left = min(urx + 4, right - 220)
    popup_top = min(ury, top)
    writer.add_annotation(
        index,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Popup"),
                NameObject("/Rect"): _floats(
                    max(popup_left, left),
                    max(popup_top - 120, bottom),
                    max(popup_left, left) + 220,
                    popup_top,
                ),
                NameObject("/Parent"): added.indirect_reference,
                NameObject("/Open"): BooleanObject(False),
                NameObject("/F"): NumberObject(24),
            }
        ),
    )
    label = _numbers_label(mark.numbers)
    tag_width = 4 + 4.2 * len(label)
    tag_bottom = ury if ury + _TAG_HEIGHT <= top else ury - _TAG_HEIGHT
    writer.add_annotation(
        index,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FreeText"),
                NameObject("/Rect"): _floats(llx, tag_bottom, llx + tag_width, tag_bottom + _TAG_HEIGHT),
                NameObject("/F"): NumberObject(4),
                NameObject("/T"): TextStringObject(AUTHOR),
                NameObject("/NM"): TextStringObject(name + "-tag"),
                NameObject("/Contents"): TextStringObject(label),
                NameObject("/DA"): TextStringObject(f"/Helv {_TAG_FONT_SIZE} Tf 1 1 1 rg"),
                NameObject("/IRT"): added.indirect_reference,
                NameObject("/RT"): NameObject("/Group"),
                NameObject("/AP"): DictionaryObject(
                    {NameObject("/N"): _tag_appearance(writer, tag_width, label, colour)}
                ),
            }
        ),
    )


def _add_note(
    writer: PdfWriter, index: int, slot: int, text: str, label: str, colour: str, name: str
) -> None:
    """A sticky note in the left margin of a page (``slot`` stacks several downwards)."""
    left, bottom, _, top = _page_box(writer, index)
    x = left + 4
    y = max(top - 4 - _NOTE_SIZE - slot * (_NOTE_SIZE + 4), bottom)
    writer.add_annotation(
        index,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): _floats(x, y, x + _NOTE_SIZE, y + _NOTE_SIZE),
                NameObject("/C"): _floats(*_rgb(colour)),
                NameObject("/Name"): NameObject("/Comment"),
                NameObject("/Open"): BooleanObject(False),
                NameObject("/F"): NumberObject(28),
                NameObject("/T"): TextStringObject(AUTHOR),
                NameObject("/NM"): TextStringObject(name),
                NameObject("/Contents"): TextStringObject(text),
                NameObject("/AP"): DictionaryObject(
                    {NameObject("/N"): _note_appearance(writer, label, colour)}
                ),
            }
        ),
    )


def _summary(audit: DocumentAudit, placed: int) -> str:
    counts = "，".join(f"{SEVERITY_NAMES[s]} {audit.count(s)}" for s in SEVERITY_COLOURS)
    kind = KIND_NAMES.get(audit.kind, audit.kind)
    return (
        f"Jixiao 审核标注：{audit.file}（{kind}）共 {len(audit.findings)} 条审核发现（{counts}），"
        f"其中 {placed} 条已在页面上框出并编号；框的颜色：红色为错误，橙色为警告，蓝色为提示。"
    )


def _annotate_pdf(
    audit: DocumentAudit, data: bytes, path: Path, out_dir: Path, source: SourceDocument
) -> Path | None:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None
        writer = PdfWriter(clone_from=reader)
        page_count = len(writer.pages)
    except Exception:  # pypdf raises many kinds on damaged files; the copy is then impossible
        return None
    titles = code_titles_for(audit)
    locator = Locator(source)
    marks: dict[tuple[int, tuple[float, ...]], _Mark] = {}
    page_notes: dict[int, list[int]] = {}
    unplaced: list[int] = []
    for number, finding in enumerate(audit.findings, start=1):
        drawn = noted = False
        for loc in finding.locations:
            regions = pdf_regions(locator.locate(loc, finding), loc.page)
            for page, box in regions:
                if not 1 <= page <= page_count:
                    continue
                pdf_page = writer.pages[page - 1]
                rect = pdf_rect(box, [float(v) for v in pdf_page.mediabox], pdf_page.rotation)
                key = (page, tuple(round(v, 1) for v in rect))
                mark = marks.setdefault(key, _Mark(page=page, rect=rect))
                if number not in mark.numbers:
                    mark.numbers.append(number)
                    mark.findings.append(finding)
                drawn = True
            if not regions and loc.page is not None and 1 <= loc.page <= page_count:
                numbers = page_notes.setdefault(loc.page, [])
                if number not in numbers:
                    numbers.append(number)
                noted = True
        if not drawn and not noted:
            unplaced.append(number)
    findings = audit.findings
    for position, mark in enumerate(sorted(marks.values(), key=lambda m: (m.page, -m.rect[3], m.rect[0]))):
        text = "\n\n".join(
            _finding_text(n, f, titles) for n, f in zip(mark.numbers, mark.findings, strict=True)
        )
        _add_mark(writer, mark, text, f"jixiao-{position + 1}")
    placed = len({n for mark in marks.values() for n in mark.numbers})
    summary = _summary(audit, placed)
    if unplaced:
        summary += "\n\n以下审核发现未能在页面上定位：\n\n" + "\n\n".join(
            _finding_text(n, findings[n - 1], titles) for n in unplaced
        )
    summary_colour = SEVERITY_COLOURS[_most_severe(findings)][0]
    _add_note(writer, 0, 0, summary, str(len(findings)), summary_colour, "jixiao-summary")
    for page, numbers in sorted(page_notes.items()):
        slot = 1 if page == 1 else 0
        text = "本页的审核发现：\n\n" + "\n\n".join(
            _finding_text(n, findings[n - 1], titles) for n in numbers
        )
        colour = SEVERITY_COLOURS[_most_severe(findings[n - 1] for n in numbers)][0]
        _add_note(writer, page - 1, slot, text, _numbers_label(numbers), colour, f"jixiao-page-{page}")
    buffer = io.BytesIO()
    try:
        writer.write(buffer)
    except Exception:  # objects of a damaged original that pypdf cannot write back
        return None
    return _write(out_dir / annotated_name(path, ".pdf"), buffer.getvalue())


# ------------------------------------------------------------------------------------------- xlsx


def _sheet_cell(sheet: Any, row: int, col: int) -> Any:
    """The cell to mark at (row, col): the top-left cell of a merge covering it."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return sheet.cell(row=merged.min_row, column=merged.min_col)
    return sheet.cell(row=row, column=col)


def _workbook_cells(sheet: Any, loc: Loc) -> list[Any]:
    """The cells a location marks in an openpyxl sheet: one cell, or a row of the used range."""
    row, col = loc.row, loc.col
    if (row is None or col is None) and loc.cell:
        try:
            letters, row = coordinate_from_string(loc.cell)
        except ValueError:
            return []
        col = _column_number(letters)
    if row is None or row < 1:
        return []
    if col is not None and col >= 1:
        return [_sheet_cell(sheet, row, col)]
    cells: list[Any] = []
    for column in range(sheet.min_column, sheet.max_column + 1):
        cell = _sheet_cell(sheet, row, column)
        if all(cell is not kept for kept in cells):
            cells.append(cell)
    return cells


def _unique_title(names: Sequence[str], wanted: str) -> str:
    title, suffix = wanted, 1
    while title in names:
        suffix += 1
        title = f"{wanted}{suffix}"
    return title


def _annotate_workbook(audit: DocumentAudit, data: bytes, path: Path, out_dir: Path) -> Path | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # extensions openpyxl drops (slicers, validations lists)
            workbook = load_workbook(io.BytesIO(data))
    except Exception:  # damaged or not a workbook after all
        return None
    titles = code_titles_for(audit)
    marked: dict[tuple[str, str], tuple[Any, list[int]]] = {}  # (sheet, coordinate) → (cell, numbers)
    where: dict[int, list[tuple[str, str]]] = {}
    for number, finding in enumerate(audit.findings, start=1):
        for loc in finding.locations:
            if loc.sheet is None or loc.sheet not in workbook.sheetnames:
                continue
            sheet = workbook[loc.sheet]
            for cell in _workbook_cells(sheet, loc):
                key = (loc.sheet, cell.coordinate)
                entry = marked.setdefault(key, (cell, []))
                if number not in entry[1]:
                    entry[1].append(number)
                places = where.setdefault(number, [])
                if key not in places:
                    places.append(key)
    findings = audit.findings
    for cell, numbers in marked.values():
        severity = _most_severe(findings[n - 1] for n in numbers)
        light = SEVERITY_COLOURS[severity][1]
        cell.fill = PatternFill("solid", fgColor=light)
        text = "\n\n".join(_finding_text(n, findings[n - 1], titles) for n in numbers)
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n——\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width = 320
        comment.height = min(60 + 16 * text.count("\n") + len(text) // 2, 600)
        cell.comment = comment
    listing = workbook.create_sheet(_unique_title(workbook.sheetnames, FINDINGS_SHEET))
    listing.append(["序号", "级别", "代码", "规则", "问题描述", "应为", "实为", "建议", "标注位置"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", (6, 7, 7, 26, 70, 14, 14, 36, 30), strict=True):
        listing.column_dimensions[column].width = width
    for number, finding in enumerate(findings, start=1):
        places = where.get(number, [])
        shown = "、".join(f"{sheet}!{coordinate}" for sheet, coordinate in places) or "未能在工作表中定位"
        listing.append(
            [
                number,
                SEVERITY_NAMES[finding.severity],
                finding.code,
                titles.get(finding.code, ""),
                finding.message,
                finding.expected,
                finding.actual,
                finding.suggestion,
                shown,
            ]
        )
        strong, light = SEVERITY_COLOURS[finding.severity]
        level = listing.cell(row=listing.max_row, column=2)
        level.fill = PatternFill("solid", fgColor=light)
        level.font = Font(bold=True, color=strong)
        if places:
            sheet, coordinate = places[0]
            link = listing.cell(row=listing.max_row, column=9)
            quoted = sheet.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{coordinate}")
            link.font = Font(color="0B57D0", underline="single")
    listing.freeze_panes = "A2"
    listing.auto_filter.ref = f"A1:I{max(listing.max_row, 1)}"
    buffer = io.BytesIO()
    try:
        workbook.save(buffer)
    except Exception:  # parts openpyxl read but cannot write back
        return None
    return _write(out_dir / annotated_name(path, ".xlsx"), buffer.getvalue())


# ------------------------------------------------------------------------------------------- HTML


@dataclass
class _CellView:
    text: str
    rowspan: int
    colspan: int
    severity: str | None
    numbers: list[int]


@dataclass
class _BlockView:
    kind: str  # "paragraph" or "table"
    text: str = ""
    heading: int | None = None
    severity: str | None = None
    numbers: list[int] = field(default_factory=list)
    caption: str | None = None
    label: str = ""
    rows: list[list[_CellView]] = field(default_factory=list)


@dataclass
class _FindingItem:
    number: int
    severity: str
    severity_name: str
    code: str
    title: str
    message: str
    expected: str | None
    actual: str | None
    suggestion: str | None
    locations: list[str]
    placed: bool


def _annotate_html(audit: DocumentAudit, path: Path, out_dir: Path, source: SourceDocument) -> Path:
    titles = code_titles_for(audit)
    locator = Locator(source)
    tinted: dict[int, list[int]] = {}  # id(anchor cell) → numbers of the findings colouring it
    tagged: dict[int, list[int]] = {}  # id(anchor cell) → numbers shown in it
    by_table: dict[int, list[int]] = {}  # id(table) → numbers of findings about the whole table
    by_paragraph: dict[int, list[int]] = {}
    placed: set[int] = set()
    findings = audit.findings

    def add(marks: dict[int, list[int]], key: int, number: int) -> None:
        numbers = marks.setdefault(key, [])
        if number not in numbers:
            numbers.append(number)

    for number, finding in enumerate(findings, start=1):
        for loc in finding.locations:
            target = locator.locate(loc, finding)
            if target.scope == "table" and target.table is not None:
                add(by_table, id(target.table), number)
            elif target.table is not None and target.cells:  # a cell or a row: the row tagged once
                anchors = [locator.anchor(target.table, cell) for cell in target.cells]
                for anchor in anchors:
                    add(tinted, id(anchor), number)
                add(tagged, id(next((a for a in anchors if a.text), anchors[0])), number)
            for paragraph in target.paragraphs:
                add(by_paragraph, id(paragraph), number)
            if target.scope != "none":
                placed.add(number)

    def severity_of(numbers: list[int]) -> str | None:
        return _most_severe(findings[n - 1] for n in numbers).value if numbers else None

    blocks: list[_BlockView] = []
    for block in source.blocks:
        if isinstance(block, Paragraph):
            numbers = by_paragraph.get(id(block), [])
            blocks.append(
                _BlockView(
                    kind="paragraph",
                    text=block.text,
                    heading=min(block.heading, 4) if block.heading else None,
                    severity=severity_of(numbers),
                    numbers=numbers,
                )
            )
            continue
        rows = []
        for row in block.rows:
            cells = []
            for cell in row:
                if cell.covered_by is not None:
                    continue
                colouring = tinted.get(id(cell), [])
                cells.append(
                    _CellView(
                        cell.text,
                        cell.rowspan,
                        cell.colspan,
                        severity_of(colouring),
                        tagged.get(id(cell), []),
                    )
                )
            rows.append(cells)
        where = f"工作表“{block.sheet}”" if block.sheet else (f"第 {block.page} 页" if block.page else "")
        numbers = by_table.get(id(block), [])
        blocks.append(
            _BlockView(
                kind="table",
                caption=block.caption,
                label=f"表{block.index}" + (f"（{where}）" if where else ""),
                rows=rows,
                severity=severity_of(numbers),
                numbers=numbers,
            )
        )
    items = [
        _FindingItem(
            number=number,
            severity=finding.severity.value,
            severity_name=SEVERITY_NAMES[finding.severity],
            code=finding.code,
            title=titles.get(finding.code, ""),
            message=finding.message,
            expected=finding.expected,
            actual=finding.actual,
            suggestion=finding.suggestion,
            locations=[loc.label() for loc in finding.locations],
            placed=number in placed,
        )
        for number, finding in enumerate(findings, start=1)
    ]
    page = (
        environment()
        .get_template(TEMPLATE)
        .render(
            file=audit.file,
            kind=KIND_NAMES.get(audit.kind, audit.kind),
            counts=[(SEVERITY_NAMES[s], s.value, audit.count(s)) for s in SEVERITY_COLOURS],
            blocks=blocks,
            findings=items,
            unplaced=sum(1 for item in items if not item.placed),
            colours={severity.value: colours for severity, colours in SEVERITY_COLOURS.items()},
        )
    )
    return _write(out_dir / annotated_name(path, ".html"), page.encode("utf-8"))
