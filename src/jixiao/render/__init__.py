"""Generate the standard forms and reports from the typed model, consistent by construction.

Enters: a ``ParsedDocument`` (or one form). Leaves: xlsx, docx, pdf or html bytes. Builders make a
``layout.Doc`` from the model (``forms``: 申报表 and 自评表; ``report``: 自评报告; ``disclosure``:
预算公开 package); writers (``xlsx``, ``docx``, ``html``, ``pdf``) turn the same ``Doc`` into each
format, so every copy shows the same numbers.
"""

from jixiao.render.errors import RENDER_CODES, RenderError
from jixiao.render.pipeline import FORMATS, Format, document_doc, read_input, render

__all__ = ["FORMATS", "RENDER_CODES", "Format", "RenderError", "document_doc", "read_input", "render"]
