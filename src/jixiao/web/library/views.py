"""The pages of 指标库: the searchable list, one entry with its uses, and the suggestion endpoint the
target editor embeds (HTML partial for htmx, or JSON with ``?format=json``).

Enters: the query string (``q``, ``level1``, ``direction``, ``common``, ``page``; ``project``,
``function``, ``level2``, ``exclude``…). Leaves: pages where every user with a role sees entries
and counts, but uses link only to documents the user may see (the others are counted, not shown).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from jixiao.web.library.index import refresh_stale, resolve
from jixiao.web.library.models import Direction, IndicatorEntry, IndicatorUse
from jixiao.web.library.service import catalogue, near_duplicates, suggest_for
from jixiao.web.permissions import role_of
from jixiao.web.views.common import forbidden, visible_documents

PAGE_SIZE = 50
#: Longest text read from a query parameter.
MAX_TEXT = 200
MAX_SUGGESTIONS = 50


def _text(request: HttpRequest, name: str) -> str:
    return str(request.GET.get(name, "")).strip()[:MAX_TEXT]


def _no_role(request: HttpRequest) -> HttpResponse | None:
    if role_of(request.user) is None:
        return forbidden(request, "尚未分配角色，不能查看指标库")
    return None


def listed_entries() -> QuerySet[IndicatorEntry]:
    """Entries shown in the library: not merged away, used at least once or marked 共性指标."""
    return IndicatorEntry.objects.filter(merged_into__isnull=True).filter(
        Q(usage_count__gt=0) | Q(is_common=True)
    )


def _searched(entries: QuerySet[IndicatorEntry], query: str) -> list[IndicatorEntry]:
    """``entries`` matching ``query`` in the library's order (``Catalogue.search``), then those whose
    administrator's name matches."""
    ranked = [e.key for e in catalogue().search(query)]
    position = {key: i for i, key in enumerate(ranked)}
    found = list(entries.filter(Q(key__in=ranked) | Q(curated_name__icontains=query)))
    found.sort(key=lambda e: (position.get(e.key, len(position)), -e.usage_count, e.key))
    return found


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    refused = _no_role(request)
    if refused is not None:
        return refused
    refresh_stale()  # figures left for later by a batch import
    chosen = {
        "q": _text(request, "q"),
        "level1": _text(request, "level1"),
        "direction": _text(request, "direction"),
        "common": "1" if request.GET.get("common") == "1" else "",
    }
    entries = listed_entries()
    if chosen["level1"]:
        entries = entries.filter(level1=chosen["level1"])
    if chosen["direction"] in Direction.values:
        entries = entries.filter(direction=chosen["direction"])
    else:
        chosen["direction"] = ""
    if chosen["common"]:
        entries = entries.filter(is_common=True)
    shown: list[IndicatorEntry] | QuerySet[IndicatorEntry] = (
        _searched(entries, chosen["q"]) if chosen["q"] else entries.order_by("-usage_count", "key")
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    level1s = (
        listed_entries().exclude(level1="").values("level1").annotate(n=Count("id")).order_by("-n", "level1")
    )
    context: dict[str, Any] = {
        "page": page,
        "chosen": chosen,
        "level1s": [row["level1"] for row in level1s],
        "directions": Direction.choices,
        "total": listed_entries().count(),
        "query_string": "&".join(f"{k}={v}" for k, v in chosen.items() if v),
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "entry-list":
        return render(request, "jixiao_library/partials/entry_list.html", context)
    return render(request, "jixiao_library/list.html", context)


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _no_role(request)
    if refused is not None:
        return refused
    refresh_stale()
    entry = get_object_or_404(IndicatorEntry, pk=pk)
    if entry.merged_into_id is not None:
        return redirect("jixiao_library:entry", pk=resolve(entry).pk)
    uses = IndicatorUse.objects.filter(entry=entry).select_related("version__document__department")
    visible = set(
        visible_documents(request.user)
        .filter(versions__indicator_uses__entry=entry)
        .values_list("pk", flat=True)
    )
    shown = [
        u
        for u in uses.order_by("-version__uploaded_at", "version_id", "position")
        if u.version.document_id in visible
    ]
    variants = uses.values("name").annotate(n=Count("id")).order_by("-n", "name")
    levels = uses.values("level1", "level2").annotate(n=Count("id")).order_by("-n", "level1", "level2")
    targets = uses.values("target").annotate(n=Count("id")).order_by("-n", "target")[:10]
    context = {
        "entry": entry,
        "uses": shown,
        "hidden": uses.count() - len(shown),
        "variants": variants,
        "levels": levels,
        "targets": targets,
        "merged": entry.merged.order_by("key"),
    }
    return render(request, "jixiao_library/detail.html", context)


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """``?project=…&function=…&level2=…&exclude=…&limit=…`` → the suggestions, as a partial list
    (each with ``data-`` attributes the editor inserts) or JSON (``format=json``)."""
    refused = _no_role(request)
    as_json = request.GET.get("format") == "json"
    if refused is not None:
        return JsonResponse({"error": "尚未分配角色，不能查看指标库"}, status=403) if as_json else refused
    project = _text(request, "project")
    function_code = _text(request, "function")[:20]
    level2 = _text(request, "level2")[:100]
    exclude = [str(name)[:MAX_TEXT] for name in request.GET.getlist("exclude")][:500]
    try:
        limit = max(1, min(MAX_SUGGESTIONS, int(request.GET.get("limit", "10"))))
    except ValueError:
        limit = 10
    found = (
        suggest_for(project, function_code or None, level2 or None, exclude, limit, user=request.user)
        if project
        else []
    )
    if as_json:
        return JsonResponse(
            {
                "project": project,
                "function": function_code,
                "level2": level2,
                "suggestions": [s.as_dict() for s in found],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "jixiao_library/partials/suggestions.html",
        {"suggestions": found, "project": project, "level2": level2},
    )


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """``?name=…&name=…`` (the names of one form, in order) → JSON pairs of near-duplicates."""
    refused = _no_role(request)
    if refused is not None:
        return JsonResponse({"error": "尚未分配角色，不能查看指标库"}, status=403)
    names = [str(name)[:MAX_TEXT] for name in request.GET.getlist("name")][:500]
    pairs = near_duplicates(names)
    return JsonResponse(
        {
            "pairs": [
                {"first": i, "second": j, "closeness": closeness, "names": [names[i], names[j]]}
                for i, j, closeness in pairs
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )
