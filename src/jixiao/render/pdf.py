"""A ``Doc`` as a printable PDF: the HTML page of ``write_html`` printed by WeasyPrint.

Enters: a ``Doc``. Leaves: PDF bytes: A4 pages with official-document margins (3.7 cm top,
3.5 cm bottom, 2.8 cm left, 2.6 cm right), ``Doc.header`` at the top of each page, "— 1 —" page
numbers, wide grids (``Grid.landscape``) on landscape pages, table header rows repeated on every
page and rows kept whole where they fit. The fonts are embedded as subsets with their Unicode
maps, so the text can be searched and extracted again.

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
import os
from collections.abc import Iterator
from contextlib import contextmanager

from jixiao.render.fonts import require_fontconfig_cjk
from jixiao.render.html import print_css, write_html
from jixiao.render.layout import Doc

#: The fixed date font subsets carry when the caller did not set SOURCE_DATE_EPOCH: 2000-01-01.
FIXED_EPOCH = "946684800"


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


def write_pdf(doc: Doc) -> bytes:
    """``doc`` printed as PDF bytes. Raises ``RenderError`` ``G001`` when no Chinese font is installed."""
    require_fontconfig_cjk()
    import weasyprint  # a heavy import (Pango, fonts): only when a PDF is asked for

    page = write_html(doc)
    identifier = hashlib.md5(page.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")
    html = weasyprint.HTML(string=page, base_url=None)
    with _reproducible_fonts():
        data = html.write_pdf(stylesheets=[weasyprint.CSS(string=print_css(doc))], pdf_identifier=identifier)
    assert data is not None  # write_pdf without a target returns the bytes
    return bytes(data)
