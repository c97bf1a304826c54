"""A ``Doc`` as a printable PDF: the HTML page of ``write_html`` printed by WeasyPrint.

Enters: a ``Doc``. Leaves: PDF bytes: A4 pages with official-document margins (3.7 cm top,
3.5 cm bottom, 2.8 cm left, 2.6 cm right), ``Doc.header`` at the top of each page, "— 1 —" page
numbers, wide grids (``Grid.landscape``) on landscape pages, table header rows repeated on every
page and rows kept whole where they fit, the headings as PDF bookmarks. The fonts are embedded
as subsets with their Unicode maps, so the text can be searched and extracted again.

A long document (a disclosure package of 30–50 pages: WeasyPrint lays out about 0.1 s of CPU a
page, whatever the CSS) is printed in two parts at once, the second in a worker process: the
document is cut where a new page starts anyway (``html.page_sections``: after a page break, around
a landscape grid), at the cut that balances the estimated printing cost. The first part prints
with its page numbers, the second without; its numbers are stamped on afterwards from empty pages
printed with the same rules (``@page :first { counter-reset: page N }``), laid over each page as a
form XObject. So every page carries the number it has in the whole document, in the same font at
the same place, and the pages are those of the whole document printed in one pass. pypdf joins
the parts and rebuilds the bookmark tree across them. Each part embeds its own font subsets: the
file grows by 40–60 %. The cut depends on the document only, never on the machine: a machine
without a second core, or a process whose worker is still starting, prints the parts one after
the other and gets the same bytes.

The output is deterministic: the same ``Doc`` gives the same bytes: no creation date, the PDF
identifier derived from the page, and the embedded font subsets stamped with a fixed date
(fontTools, which WeasyPrint subsets with when HarfBuzz's subsetter library is absent, stamps
them with the current time unless ``SOURCE_DATE_EPOCH`` is set). Before printing, fontconfig must know a Chinese font:
otherwise ``RenderError`` ``G001`` (a PDF of empty boxes is worse than no PDF).

>>> from jixiao.render.layout import Doc, Paragraph
>>> write_pdf(Doc("绩效自评报告", (Paragraph("预算执行"),)))[:5]
b'%PDF-'
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any

from jixiao.render.fonts import require_fontconfig_cjk
from jixiao.render.html import Section, page_sections, print_css, write_html, write_html_part
from jixiao.render.layout import Doc

#: The fixed date font subsets carry when the caller did not set SOURCE_DATE_EPOCH: 2000-01-01.
FIXED_EPOCH = "946684800"

#: A document whose printing cost (``html.Section.cost``: tenths of a millisecond of WeasyPrint CPU
#: time on the machine it was fitted on) stays under this prints in one pass: under 2 s, some 20
#: pages (the 自评报告 of seed 002). Below it, printing in parts saves too little for what it costs:
#: the second subset of every font (the file grows by half) and the joining.
PARTS_FROM_COST = 20_000

#: ``JIXIAO_PDF_WORKERS=0`` prints every part in the calling process (same bytes, one core).
WORKERS_VARIABLE = "JIXIAO_PDF_WORKERS"

#: PDF points per CSS pixel (WeasyPrint's scale at zoom 1).
POINTS_PER_PX = 0.75


@contextmanager
def _reproducible_fonts() -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` while printing (fontTools reads it), then put it back."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None:
        os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


#: A bookmark as WeasyPrint lists it on a page: (level, label, (x, y) in CSS px, open/closed).
Bookmark = tuple[int, str, tuple[float, float], str]


@dataclass(frozen=True)
class _PageFacts:
    """What joining parts needs to know of a printed page: its height in CSS px, whether it is a
    landscape page, and its bookmarks."""

    height: float
    landscape: bool
    bookmarks: tuple[Bookmark, ...]


@dataclass(frozen=True)
class _Printed:
    pdf: bytes
    pages: tuple[_PageFacts, ...]
    timing: PartTiming


@dataclass(frozen=True)
class PartTiming:
    """How long printing one part took where it was printed (``bench/render.py``): wall-clock
    and CPU seconds of that process, and its pages."""

    part: str  # "whole"; or "first", "second", "numbers+join"
    wall: float
    cpu: float
    pages: int
    worker: bool


def _print(page: str, css: str, identifier: bytes | None, part: str = "whole", parent: int = 0) -> _Printed:
    """``page`` printed with the print rules ``css`` (in this process or a worker: plain data in,
    plain data out)."""
    import weasyprint  # a heavy import (Pango, fonts): only when a PDF is asked for

    start, cpu = time.perf_counter(), time.process_time()
    with _reproducible_fonts():
        document = weasyprint.HTML(string=page, base_url=None).render(
            stylesheets=[weasyprint.CSS(string=css)]
        )
        data = document.write_pdf(pdf_identifier=identifier)
    assert data is not None  # write_pdf without a target returns the bytes
    facts = tuple(
        _PageFacts(
            float(page_.height),
            page_.width > page_.height,
            tuple(
                (level, label, (float(x), float(y)), state) for level, label, (x, y), state in page_.bookmarks
            ),
        )
        for page_ in document.pages
    )
    timing = PartTiming(
        part, time.perf_counter() - start, time.process_time() - cpu, len(facts), os.getpid() != parent
    )
    return _Printed(bytes(data), facts, timing)


def _identifier(page: str) -> bytes:
    return hashlib.md5(page.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")


def write_pdf(doc: Doc) -> bytes:
    """``doc`` printed as PDF bytes. Raises ``RenderError`` ``G001`` when no Chinese font is installed."""
    return write_pdf_timed(doc)[0]


def write_pdf_timed(doc: Doc) -> tuple[bytes, tuple[PartTiming, ...]]:
    """``write_pdf``, and how long each part took where it was printed (for the benchmark)."""
    require_fontconfig_cjk()
    page = write_html(doc)
    sections = page_sections(doc)
    cut = balanced_cut(sections)
    me = os.getpid()
    if cut is None:
        whole = _print(page, print_css(doc), _identifier(page), "whole", me)
        return whole.pdf, (whole.timing,)
    import weasyprint  # noqa: F401  (imported before the worker is forked: it starts with it)

    first_page = write_html_part(doc, sections[:cut], first=True)
    rest_page = write_html_part(doc, sections[cut:], first=False)
    rest_css = print_css(doc, page_numbers=False)
    pending = _submit(rest_page, rest_css, me)
    first = _print(first_page, print_css(doc), _identifier(page), "first", me)
    start, cpu = time.perf_counter(), time.process_time()
    if pending is not None:  # while the worker prints: the page numbers it will need, likely
        _prepare_numbers(pending, len(first.pages) + 1, sections[cut:])
    rest = _result(pending, rest_page, rest_css, me)
    numbers = [
        _numbers(len(first.pages) + 1 + index, facts.landscape) for index, facts in enumerate(rest.pages)
    ]
    data = join_parts(first, rest, numbers)
    joined = PartTiming("numbers+join", time.perf_counter() - start, time.process_time() - cpu, 0, False)
    return data, (first.timing, rest.timing, joined)


def balanced_cut(sections: Sequence[Section]) -> int | None:
    """Where to cut ``sections`` into the two parts printed at once: the index of the first
    section of the second part that makes the costlier part cheapest (the earliest such cut); or
    ``None`` when the document is printed in one pass (cheap, or a single section)."""
    costs = [section.cost for section in sections]
    total = sum(costs)
    if total < PARTS_FROM_COST or len(costs) < 2:
        return None
    best: tuple[int, int] | None = None
    before = 0
    for index in range(1, len(costs)):
        before += costs[index - 1]
        worst = max(before, total - before)
        if best is None or worst < best[0]:
            best = (worst, index)
    assert best is not None
    return best[1]


#: Page numbers are printed ten at a time, portrait or landscape, and kept (the pages depend on
#: nothing but the number and the orientation): a page of a second part is stamped from the page
#: of the printed ten that has its number.
NUMBERS_PER_PRINT = 10

#: The least printing cost of a page, about (the corpus packages cost 1 000–1 900 a page): how
#: many page numbers to print ahead while the worker prints.
COST_PER_PAGE = 800


@cache
def _numbers_pdf(start: int, landscape: bool) -> bytes:
    """Ten empty pages numbered ``start`` … ``start + 9``, printed with the document print rules
    (no header): what is on them is the page number, where a page of a document has it."""
    page = '<div class="wide"></div>' if landscape else "<div></div>"
    html = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        "div { break-before: page; height: 0; } .wide { page: wide; }"
        f"</style></head><body>{page * NUMBERS_PER_PRINT}</body></html>"
    )
    return _print(html, print_css(Doc(""), header=False, first_page=start), None, "numbers").pdf


def _numbers(number: int, landscape: bool) -> tuple[bytes, int]:
    """The printed numbers holding page ``number`` (1-based) in that orientation, and its index."""
    start = (number - 1) // NUMBERS_PER_PRINT * NUMBERS_PER_PRINT + 1
    return _numbers_pdf(start, landscape), number - start


def _prepare_numbers(pending: Future[_Printed], first_number: int, sections: Sequence[Section]) -> None:
    """Print the page numbers from ``first_number`` on, ten by ten, in the orientations the
    ``sections`` have, until the worker is done or the likely pages are covered: time this
    process would spend waiting. What is printed depends on the numbers only, so how far this
    got changes nothing in the document."""
    kinds = {"wide" in view.classes.split() for section in sections for view in section.views}
    likely = sum(section.cost for section in sections) // COST_PER_PAGE + NUMBERS_PER_PRINT
    start = (first_number - 1) // NUMBERS_PER_PRINT * NUMBERS_PER_PRINT + 1
    while start < first_number + likely:
        for landscape in sorted(kinds):
            if pending.done():
                return
            _numbers_pdf(start, landscape)
        start += NUMBERS_PER_PRINT


# ----------------------------------------------------------------------------- the worker
class _Forked:
    """A worker forked from this process when it has a single thread (the CLI, a task runner):
    it starts at once and warm, with everything imported."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))

    def submit(self, page: str, css: str, parent: int) -> Future[_Printed] | None:
        return self._pool.submit(_print, page, css, None, "second", parent)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class _Piped:
    """A worker of its own (a new interpreter reading jobs on a pipe), for a process with threads
    (the web server), which must not fork itself: another thread may hold a lock of fontconfig or
    Pango that the child would wait for forever. It takes seconds to import WeasyPrint; until it
    answers its first job, and while it prints for another thread, documents print here."""

    def __init__(self) -> None:
        code = "from jixiao.render.pdf import serve_parts; serve_parts()"
        self._process = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._busy = threading.Lock()
        ready = self.submit("<p>预算 1</p>", "", 0)  # the imports and the font lookup, once
        assert ready is not None  # nothing else can have taken it yet
        self.ready = ready

    def submit(self, page: str, css: str, parent: int) -> Future[_Printed] | None:
        if not self._busy.acquire(blocking=False):
            return None
        future: Future[_Printed] = Future()

        def exchange() -> None:
            try:
                assert self._process.stdin is not None and self._process.stdout is not None
                _send(self._process.stdin, (page, css, parent))
                future.set_result(_receive(self._process.stdout))
            except BaseException as error:  # the worker died: print here (see _result)
                future.set_exception(error)
            finally:
                self._busy.release()

        threading.Thread(target=exchange, name="jixiao-pdf-part", daemon=True).start()
        return future

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()  # the worker ends at the end of its input


def _send(stream: Any, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def _receive(stream: Any) -> Any:
    size = int.from_bytes(_read(stream, 8), "big")
    return pickle.loads(_read(stream, size))  # our own worker, on our own pipe


def _read(stream: Any, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the PDF worker ended")
    return bytes(data)


def serve_parts() -> None:
    """The ``_Piped`` worker's loop: print each (page, css, parent) read on stdin, answer the
    ``_Printed`` on stdout, until stdin ends. Anything else written to stdout goes to stderr."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    jobs = sys.stdin.buffer
    while True:
        try:
            page, css, parent = _receive(jobs)
        except EOFError:
            return
        _send(answers, _print(page, css, None, "second", parent))


_worker_now: _Forked | _Piped | None = None
_lock = threading.Lock()


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _worker() -> _Forked | _Piped | None:
    """The process printing second parts, or ``None``: print them here. One worker, started at
    the first long document and kept; none with ``JIXIAO_PDF_WORKERS=0`` or on a single core."""
    global _worker_now
    if os.environ.get(WORKERS_VARIABLE) == "0" or _cores() < 2:
        return None
    with _lock:
        if _worker_now is None:
            if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
                _worker_now = _Forked()
            else:
                _worker_now = _Piped()
        if isinstance(_worker_now, _Piped) and not _worker_now.ready.done():
            return None
        return _worker_now


def _submit(page: str, css: str, parent: int) -> Future[_Printed] | None:
    worker = _worker()
    if worker is None:
        return None
    try:
        return worker.submit(page, css, parent)
    except (BrokenProcessPool, RuntimeError, OSError):
        _forget_worker()
        return None


def _result(pending: Future[_Printed] | None, page: str, css: str, parent: int) -> _Printed:
    """The worker's part, or the part printed here when there is no worker or it failed."""
    if pending is not None:
        try:
            return pending.result()
        except Exception:  # a dead or broken worker: forget it, and print the part here
            _forget_worker()
    return _print(page, css, None, "second", parent)


def _forget_worker() -> None:
    global _worker_now
    with _lock:
        if _worker_now is not None:
            _worker_now.close()
        _worker_now = None


# ----------------------------------------------------------------------------- joining parts
def join_parts(first: _Printed, rest: _Printed, numbers: Sequence[tuple[bytes, int]]) -> bytes:
    """One PDF: ``first``'s pages, then ``rest``'s, each with its page number (a page of printed
    ``numbers``: the PDF and the page's index in it) laid over it; ``first``'s catalog, metadata
    and identifier; the bookmarks of both as one tree, nested as WeasyPrint nests them in a
    document printed in one pass."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(first.pdf)))
    readers: dict[bytes, Any] = {}
    wrap = (_stream(writer, b"q\n"), _stream(writer, b"\nQ\n" + STAMP_NAME.encode("ascii") + b" Do\n"))
    for page, (printed, index) in zip(PdfReader(io.BytesIO(rest.pdf)).pages, numbers, strict=True):
        if printed not in readers:
            readers[printed] = PdfReader(io.BytesIO(printed))
        _stamp(writer, writer.add_page(page), readers[printed].pages[index], wrap)
    _bookmarks(writer, [*first.pages, *rest.pages])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: The name a stamped page gives its page number (a form XObject) in its resources.
STAMP_NAME = "/JxPageNumber"


def _stream(writer: Any, data: bytes) -> Any:
    """``data`` as a compressed stream object of ``writer`` (its indirect reference)."""
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())


def _stamp(writer: Any, page: Any, number: Any, wrap: tuple[Any, Any]) -> None:
    """Lay the content of ``number`` (a page of the stamps) over ``page``, without parsing
    either: the stamp becomes a form XObject drawn after the page's own content, which is put
    between q and Q so that its coordinate transform does not reach the stamp."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    form = _stream(writer, number.get_contents().get_data()).get_object()
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(number.mediabox)
    form[NameObject("/Resources")] = number["/Resources"].clone(writer)
    resources = DictionaryObject(page["/Resources"].get_object())  # a copy: it may be shared
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    xobjects[NameObject(STAMP_NAME)] = form.indirect_reference
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    contents = page.raw_get("/Contents")  # the reference, not the stream it points to
    own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([wrap[0], *own, wrap[1]])


def _bookmarks(writer: Any, pages: Sequence[_PageFacts]) -> None:
    """Replace ``writer``'s outline with the tree WeasyPrint makes of ``pages``' bookmarks."""
    from pypdf.generic import Fit, NameObject
    from weasyprint.document import Document

    root = writer._root_object
    if "/Outlines" in root:
        del root[NameObject("/Outlines")]
    as_pages = [SimpleNamespace(height=facts.height, bookmarks=list(facts.bookmarks)) for facts in pages]
    # Document.make_bookmark_tree reads nothing but .pages (each with .height and .bookmarks)
    tree = Document.make_bookmark_tree(SimpleNamespace(pages=as_pages), POINTS_PER_PX, True)

    def add(subtrees: list[Any], parent: Any) -> None:
        for label, (number, x, y), children, state in subtrees:
            item = writer.add_outline_item(
                title=label,
                page_number=number,
                parent=parent,
                fit=Fit.xyz(x, y, 0),
                is_open=state != "closed",
            )
            add(children, item)

    add(tree, None)
