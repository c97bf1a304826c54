"""What the other apps call: suggestions for a project being entered, and near-duplicate warnings.

    suggest_for("2024年事业单位公开招聘", level2="数量指标", exclude=["报考人数"], user=request.user)
    → [LibrarySuggestion(name="考务人员人次", level1="产出指标", level2="数量指标", typical="≥2500人次", …)]

The catalogue (``jixiao.library.Catalogue``) is built from the stored uses once and rebuilt when
they change (a cheap stamp: number of uses, newest use, newest entry change). Pass ``user`` so that
the reason names only projects of documents the user may see; other projects are "其他部门的相似项目".
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Max

from jixiao.library import Catalogue
from jixiao.library import near_duplicates as library_near_duplicates
from jixiao.web.library.index import library_use
from jixiao.web.library.models import IndicatorEntry, IndicatorUse
from jixiao.web.views.common import visible_departments

__all__ = ["LibrarySuggestion", "catalogue", "near_duplicates", "suggest_for"]

_lock = threading.Lock()


@dataclass(frozen=True)
class _Built:
    stamp: tuple[Any, ...]
    catalogue: Catalogue
    departments: dict[str, frozenset[int]]  # project name → departments whose documents use it


_cached: _Built | None = None


def _stamp() -> tuple[Any, ...]:
    uses = IndicatorUse.objects.aggregate(n=Count("id"), top=Max("id"))
    entries = IndicatorEntry.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (uses["n"], uses["top"], entries["n"], entries["at"])


def _built() -> _Built:
    global _cached
    stamp = _stamp()
    with _lock:
        if _cached is not None and _cached.stamp == stamp:
            return _cached
    keys = dict(IndicatorEntry.objects.values_list("pk", "key"))
    rows = IndicatorUse.objects.order_by("version_id", "position")
    built = Catalogue.build(library_use(row, keys[row.entry_id]) for row in rows)
    departments: dict[str, set[int]] = {}
    pairs = IndicatorUse.objects.exclude(project_name="").values_list(
        "project_name", "version__document__department_id"
    )
    for project, department in pairs.distinct():
        departments.setdefault(project, set()).add(department)
    result = _Built(stamp, built, {p: frozenset(d) for p, d in departments.items()})
    with _lock:
        _cached = result
    return result


def catalogue() -> Catalogue:
    """The library's catalogue over every stored use (curated keys applied), rebuilt when a use or
    an entry changed."""
    return _built().catalogue


@dataclass(frozen=True)
class LibrarySuggestion:
    """One suggestion as the editor inserts it (``data-`` attributes, JSON)."""

    entry_id: int | None
    name: str
    level1: str
    level2: str
    typical: str  # the 指标值 to insert: ≥95%
    value: str  # its number as printed (no rounding): 95
    comparator: str
    unit: str
    direction: str
    usage: int
    is_common: bool
    why: str
    projects: tuple[str, ...]  # similar projects using it that the user may see

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["projects"] = list(self.projects)
        return data


def _visible(
    projects: tuple[str, ...], departments: dict[str, frozenset[int]], seen: set[int]
) -> tuple[str, ...]:
    """The projects of ``projects`` used in a document of one of the departments ``seen``."""
    return tuple(p for p in projects if departments.get(p, frozenset()) & seen)


def suggest_for(
    project_name: str,
    function_code: str | None = None,
    level2: str | None = None,
    exclude: Iterable[str] = (),
    limit: int = 10,
    *,
    user: Any = None,
) -> list[LibrarySuggestion]:
    """Indicators used by projects similar to ``project_name`` (``jixiao.library``), with their
    entries' curated names and 共性指标 marks. ``user``: name only projects he may see (None: a
    trusted caller, every project named)."""
    built = _built()
    found = built.catalogue.suggest(project_name, function_code or None, level2 or None, list(exclude), limit)
    entries = {e.key: e for e in IndicatorEntry.objects.filter(key__in=[s.key for s in found])}
    seen = set(visible_departments(user).values_list("pk", flat=True)) if user is not None else None
    out = []
    for suggestion in found:
        stored = entries.get(suggestion.key)
        entry = suggestion.entry
        projects = suggestion.projects
        if seen is not None:
            projects = _visible(projects, built.departments, seen)
        if suggestion.projects and not projects:
            why = f"其他部门的 {len(suggestion.projects)} 个相似项目使用"
        elif suggestion.projects:
            why = f"相似项目“{projects[0]}”使用"
            if len(suggestion.projects) > 1:
                why += f"，另有 {len(suggestion.projects) - 1} 个相似项目使用"
        else:
            why = suggestion.why
        out.append(
            LibrarySuggestion(
                entry_id=stored.pk if stored is not None else None,
                name=stored.title if stored is not None else entry.name,
                level1=entry.level1 or "",
                level2=entry.level2 or (level2 or ""),
                typical=entry.typical or "",
                value=_plain(entry.typical_value),
                comparator=entry.comparator or "",
                unit=entry.unit or "",
                direction=entry.direction or "",
                usage=entry.usage,
                is_common=bool(stored is not None and stored.is_common),
                why=why,
                projects=projects,
            )
        )
    return out


def _plain(value: Any) -> str:
    if value is None:
        return ""
    shown = format(value, "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def near_duplicates(names: Sequence[str]) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, closeness)`` of names in one form that are the same or nearly the same
    indicator (``jixiao.library.near_duplicates``)."""
    return library_near_duplicates(list(names))
