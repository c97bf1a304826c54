"""The indicator library (指标库): every indicator of every form, de-duplicated, with suggestions.

Enters: parsed documents (``jixiao.model``). Leaves: a ``Catalogue`` of entries keyed by normalised
name (``normalise``, with the synonyms of ``synonyms.toml``), each with its levels, usage count,
typical 指标值 and unit, direction and example projects; ``Catalogue.search``; ``Catalogue.suggest``
(indicators of projects with similar names, by character-bigram TF-IDF); ``near_duplicates`` within
one form. Pure Python: must not import Django or ``jixiao.web``; offline and deterministic.

    uses_of(parsed document) → [Use] → Catalogue.build(uses) → .search(text) / .suggest(project)
"""

from __future__ import annotations

from jixiao.library.catalogue import DIRECTIONS, Catalogue, Entry, Suggestion, direction_of, target_text
from jixiao.library.normalise import normalise, strip_numbering
from jixiao.library.similar import ProjectIndex, name_similarity, near_duplicates
from jixiao.library.uses import Use, uses_of

__all__ = [
    "DIRECTIONS",
    "Catalogue",
    "Entry",
    "ProjectIndex",
    "Suggestion",
    "Use",
    "direction_of",
    "name_similarity",
    "near_duplicates",
    "normalise",
    "strip_numbering",
    "suggest",
    "target_text",
    "uses_of",
]


def suggest(
    catalogue: Catalogue,
    project_name: str,
    function_code: str | None = None,
    level2: str | None = None,
    exclude: tuple[str, ...] | list[str] = (),
    limit: int = 10,
) -> list[Suggestion]:
    """``catalogue.suggest(…)`` as a function."""
    return catalogue.suggest(project_name, function_code, level2, exclude, limit)
