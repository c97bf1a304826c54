"""A long document printed in two parts at once gives the pages of the whole document printed in one pass.

The document is seed 003 (郑州高新区 2023 部门预算公开, with its target forms): a 42-page package,
text first, then tables, portrait and landscape. Its PDF printed in parts (the second in a worker
process, or here when there is none) is compared with the same page printed by WeasyPrint in one
pass: page for page the same size, every character at the same place in the same font and size,
the same rules and boxes, the page number "— n —" of the whole document on each page, and the
same bookmark tree. Read back with pdfplumber, it holds every amount of the package's tables.
"""

from __future__ import annotations

import io
import os
import re
from functools import cache
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from jixiao.render import pdf
from jixiao.render.html import Section, page_sections, print_css, write_html, write_html_part
from jixiao.render.layout import Doc, Grid
from jixiao.render.pipeline import document_doc
from tests.conftest import SEED_002, SEED_003, load_document


@cache
def package() -> Doc:
    document, _ = load_document(SEED_003)
    return document_doc(document, "pdf")


@cache
def in_parts() -> bytes:
    return pdf.write_pdf(package())


@cache
def in_one_pass() -> bytes:
    """The package as WeasyPrint prints the whole page at once: what the parts must add up to."""
    page = write_html(package())
    return pdf._print(page, print_css(package()), pdf._identifier(page)).pdf


Char = tuple[str, float, float, str, float]
Box = tuple[float, float, float, float]


@cache
def pages_of(data: bytes) -> tuple[tuple[tuple[float, float], tuple[Char, ...], tuple[Box, ...], str], ...]:
    """Each page's size, characters (text, x, top, font without its subset tag, size), rules and
    boxes, and text."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            chars = tuple(
                sorted(
                    (
                        c["text"],
                        round(c["x0"], 2),
                        round(c["top"], 2),
                        c["fontname"].split("+")[-1],
                        round(c["size"], 2),
                    )
                    for c in page.chars
                )
            )
            boxes = tuple(
                sorted(
                    (round(b["x0"], 2), round(b["top"], 2), round(b["x1"], 2), round(b["bottom"], 2))
                    for b in page.lines + page.rects
                )
            )
            pages.append(((float(page.width), float(page.height)), chars, boxes, page.extract_text() or ""))
    return tuple(pages)


def outline(data: bytes) -> list[tuple[int, str, int | None, float, float]]:
    """The bookmarks in order: (depth, title, page index, top, left)."""
    reader = PdfReader(io.BytesIO(data))
    found: list[tuple[int, str, int | None, float, float]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append(
                    (depth, str(item.title), page, round(float(item.top), 2), round(float(item.left), 2))
                )

    walk(reader.outline, 0)
    return found


def test_a_long_package_is_cut_where_pages_start_anyway() -> None:
    sections = page_sections(package())
    cut = pdf.balanced_cut(sections)
    assert cut is not None and 0 < cut < len(sections)
    first, second = sum(s.cost for s in sections[:cut]), sum(s.cost for s in sections[cut:])
    assert max(first, second) < 0.7 * (first + second)  # the two parts are of comparable cost
    for section in sections[1:]:  # each section after a page break, or a landscape grid's own
        previous_ends_with_break = sections[sections.index(section) - 1].views[-1].kind == "break"
        wide = "wide" in section.views[0].classes.split()
        after_wide = "wide" in sections[sections.index(section) - 1].views[-1].classes.split()
        assert previous_ends_with_break or wide or after_wide
    # the parts hold every block once: the whole page's tables and headings, in order
    whole = write_html(package())
    parts = write_html_part(package(), sections[:cut], True) + write_html_part(
        package(), sections[cut:], False
    )
    for tag in ("<table", "<h2", "<h3", "<h1"):
        assert parts.count(tag) == whole.count(tag), tag


def test_parts_give_the_pages_of_the_whole_document_printed_in_one_pass() -> None:
    parts, whole = pages_of(in_parts()), pages_of(in_one_pass())
    assert len(parts) == len(whole) >= 30
    assert any(size[0] > size[1] for size, _, _, _ in parts)  # landscape pages among them
    for number, (mine, theirs) in enumerate(zip(parts, whole, strict=True), start=1):
        assert mine[0] == theirs[0], number  # page size
        assert mine[1] == theirs[1], number  # every character, where and how it is printed
        assert mine[2] == theirs[2], number  # table rules and boxes
        assert f"— {number} —" in mine[3], number  # the page number of the whole document
    assert outline(in_parts()) == outline(in_one_pass())


def test_each_page_carries_one_number_only() -> None:
    """The second part prints without numbers: a stamped page shows its number once (where and
    in which font is compared with the one-pass pages above)."""
    for number, (_, _, _, text) in enumerate(pages_of(in_parts()), start=1):
        assert re.findall(r"— \d+ —", text) == [f"— {number} —"], number


def test_every_amount_of_the_package_extracts_back() -> None:
    text = re.sub(r"\s+", "", "".join(page[3] for page in pages_of(in_parts())))
    grids = [block for block in package().blocks if isinstance(block, Grid)]
    amounts = [cell.text for grid in grids for cell in grid.cells if cell.role == "money" and cell.text]
    assert len(amounts) > 200
    missing = [amount for amount in amounts if amount not in text]
    assert not missing, missing[:10]


def test_parts_are_deterministic_with_or_without_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf.write_pdf(package()) == in_parts()
    monkeypatch.setenv(pdf.WORKERS_VARIABLE, "0")  # both parts printed here, one after the other
    pdf._numbers_pdf.cache_clear()  # and the page numbers printed afresh
    data, timings = pdf.write_pdf_timed(package())
    assert data == in_parts()
    assert [t.part for t in timings] == ["first", "second", "numbers+join"]
    assert not any(t.worker for t in timings)


def test_a_worker_prints_the_second_part_when_the_machine_has_two_cores() -> None:
    if pdf._cores() < 2:
        pytest.skip("one core: the parts print one after the other")
    data, timings = pdf.write_pdf_timed(package())
    assert data == in_parts()
    second = next(t for t in timings if t.part == "second")
    assert second.worker and second.pages > 5


def test_fonts_are_embedded_subsets_with_unicode_maps_in_each_part() -> None:
    reader = PdfReader(io.BytesIO(in_parts()))
    seen: dict[int, tuple[str, bool]] = {}
    for page in reader.pages:
        own: Any = page["/Resources"]
        resources = [own] + [form.get_object()["/Resources"] for form in own.get("/XObject", {}).values()]
        for resource in resources:
            for font in resource.get("/Font", {}).values():
                reference = font.indirect_reference.idnum
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                embedded = "/FontFile2" in descriptor or "/FontFile3" in descriptor
                seen[reference] = (str(font["/BaseFont"]), embedded and "/ToUnicode" in font)
    assert seen and all(ok for _, ok in seen.values()), seen
    assert all(re.match(r"/[A-Z]{6}\+", name) for name, _ in seen.values())
    # each part embeds its own subsets: twice the body font, plus the page numbers' own
    body = [name for name, _ in seen.values() if "UMing" in name]
    assert 2 <= len(body) <= 2 + 5
    assert len(in_parts()) < 2 * len(in_one_pass())


def test_a_short_document_prints_in_one_pass_unchanged() -> None:
    from jixiao.model.evaluation import SelfEvaluation
    from jixiao.render.report import self_evaluation_report
    from jixiao.scoring.engine import score_evaluation

    document, _ = load_document(SEED_002)
    (form,) = document.forms
    assert isinstance(form, SelfEvaluation)
    doc = self_evaluation_report(form, score_evaluation(form))
    assert pdf.balanced_cut(page_sections(doc)) is None
    data, timings = pdf.write_pdf_timed(doc)
    assert [t.part for t in timings] == ["whole"]
    page = write_html(doc)
    assert data == pdf._print(page, print_css(doc), pdf._identifier(page)).pdf


def test_balanced_cut_minimises_the_costlier_part() -> None:
    def sections(*costs: int) -> tuple[Section, ...]:
        return tuple(Section((), cost) for cost in costs)

    big = pdf.PARTS_FROM_COST
    assert pdf.balanced_cut(sections(big // 4, big // 4)) is None  # too cheap to cut
    assert pdf.balanced_cut(sections(2 * big)) is None  # nowhere to cut
    assert pdf.balanced_cut(sections(big, big // 2, big // 2)) == 1
    assert pdf.balanced_cut(sections(big // 2, big // 2, big, big // 10)) == 2
    assert pdf.balanced_cut(sections(100, 100, 3 * big)) == 2  # the best there is, if lopsided


def test_a_process_with_threads_gets_a_worker_of_its_own_that_prints_the_same_part() -> None:
    """The web server's worker: a new interpreter on a pipe (a process with threads must not fork)."""
    doc = package()
    sections = page_sections(doc)
    cut = pdf.balanced_cut(sections)
    assert cut is not None
    page, css = write_html_part(doc, sections[cut:], False), print_css(doc, page_numbers=False)
    worker = pdf._Piped()
    try:
        worker.ready.result(timeout=120)
        pending = worker.submit(page, css, os.getpid())
        assert pending is not None
        assert worker.submit(page, css, os.getpid()) is None  # busy: the caller prints it itself
        printed = pending.result(timeout=120)
    finally:
        worker.close()
    here = pdf._print(page, css, None)
    assert printed.pdf == here.pdf and printed.pages == here.pages
    assert printed.timing.worker and printed.timing.pages == len(here.pages)
