"""The document page's form grid, laid out and rendered once per version and state of its
dismissals, then served from the cache.

Enters: a version (its ``parsed`` and ``scores`` fields are read only when nothing is cached), its
findings and the keys of its dismissed findings. Leaves: a ``RenderedForm``: the HTML of the grid
section (``jixiao/partials/form_grid.html``) and of the score sheets
(``jixiao/partials/score_sheets.html``), where each finding is highlighted first (the findings
panel's “在表中定位” links) and the indicator names (the comment form's suggestions).

The cache key is made of what the HTML depends on, read from the database on every request: the
version's id and SHA-256 (a version never changes; a new upload is a new version) and a digest of
the dismissed findings' keys (a dismissal changes the key). So no entry is ever invalidated by hand
and several processes, each with its own local-memory cache, can never serve a stale grid: a
reviewer's dismissal in one process changes the key every process computes. The cache is the
``pages`` cache when settings define one, else the default cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.template.loader import render_to_string

import jixiao
from jixiao.render.errors import RenderError
from jixiao.web.models import DocumentVersion
from jixiao.web.store import parsed_document
from jixiao.web.views.formview import FormLayout, form_layout
from jixiao.web.views.sheets import score_sheets

#: Bump when the grid template or the layout changes in a way a shared cache must not mix.
REVISION = 3
#: Seconds an entry lives (entries never go stale: this only frees memory of old versions).
TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class RenderedForm:
    html: str
    sheets_html: str  # the score sheets (they depend on the version alone)
    anchors: dict[int, str]  # finding position → the id of the row it is highlighted on
    indicators: list[str]
    error: str  # why there is no grid ("" when there is one)


def page_cache() -> BaseCache:
    return caches["pages"] if "pages" in settings.CACHES else caches["default"]


def cache_key(version: DocumentVersion, dismissed_keys: Iterable[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(set(dismissed_keys))).encode("utf-8")).hexdigest()[:24]
    return f"jixiao:form:{jixiao.__version__}:{REVISION}:{version.pk}:{version.sha256[:24]}:{digest}"


def layout_of(
    version: DocumentVersion, findings: list[dict[str, Any]], dismissed: set[int]
) -> FormLayout | str:
    """The version's layout, or why there is none (a message for the page)."""
    if not version.parsed:
        return "该版本没有读取结果"
    try:
        return form_layout(parsed_document(version), findings, dismissed)
    except RenderError as exc:
        return exc.message


def rendered_form(
    version: DocumentVersion,
    findings: list[dict[str, Any]],
    dismissed: set[int],
    dismissed_keys: Iterable[str],
) -> RenderedForm:
    """The grid of ``version`` with ``dismissed`` (positions in ``findings``) struck out, from the
    cache when it is there; laid out, rendered and cached when not."""
    cache = page_cache()
    key = cache_key(version, dismissed_keys)
    cached = cache.get(key)
    if isinstance(cached, RenderedForm):
        return cached
    layout = layout_of(version, findings, dismissed)
    sheets = render_to_string("jixiao/partials/score_sheets.html", {"sheets": score_sheets(version)})
    if isinstance(layout, str):
        form = RenderedForm(html="", sheets_html=sheets, anchors={}, indicators=[], error=layout)
    else:
        html = render_to_string("jixiao/partials/form_grid.html", {"tables": layout.tables})
        form = RenderedForm(
            html=html, sheets_html=sheets, anchors=layout.anchors, indicators=layout.indicators, error=""
        )
    cache.set(key, form, TIMEOUT)
    return form
