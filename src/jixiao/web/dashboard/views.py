"""The dashboard's pages and downloads.

Who sees what: reviewers and administrators see every department; a department officer or a
viewer sees the same dashboard with its own department's numbers only (``visible_departments``);
a person without a role gets a 403 with the reason. A ``department`` the user may not see is a
404, like a missing one.

- ``/dashboard/?year=&region=&department=&kind=&status=``: the figures (ECharts);
- ``/dashboard/figures/<key>.xlsx?…``: one chart's numbers;
- ``/dashboard/documents/?…&code=A101``: the documents behind a number;
- ``/dashboard/worksheet.xlsx?…``: the reviewer's worksheet of the filtered documents;
- ``/dashboard/report.docx`` and ``report.pdf``: the summary for the bureau's leadership.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from jixiao.render.pipeline import write
from jixiao.summary import KIND_NAMES
from jixiao.web.dashboard import exports, queries
from jixiao.web.dashboard.extract import SEVERITY_NAMES, code_title, family_name
from jixiao.web.dashboard.models import FindingCount
from jixiao.web.dashboard.queries import FIGURE_KEYS, GRADES, Filters
from jixiao.web.dashboard.refresh import ensure_facts
from jixiao.web.models import Department, DocumentVersion, Role, Status
from jixiao.web.permissions import role_of, sees
from jixiao.web.views.common import forbidden
from jixiao.web.views.documents import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 50
#: A figure's table is in the page up to this many rows; longer ones load when opened.
INLINE_ROWS = 30


def _refused(request: HttpRequest) -> HttpResponse | None:
    decision = sees(request.user, None)
    return None if decision else forbidden(request, decision.reason)


def _filters(request: HttpRequest) -> Filters:
    filters = queries.read_filters(request.GET, request.user)
    if "year" not in request.GET:  # the newest year by default; ``year=`` (empty) means every year
        years = queries.years(request.user)
        if years:
            filters = Filters(**{**filters.__dict__, "year": years[0]})
    return filters


def caption(filters: Filters) -> str:
    """The filters in words: ``2023年度 · 部门：某局 · 状态：已提交``."""
    parts = [f"{filters.year}年度" if filters.year else "全部年度"]
    if filters.region:
        parts.append(f"地区：{filters.region}")
    if filters.department is not None:
        department = Department.objects.filter(pk=filters.department).first()
        parts.append(f"部门：{department.name if department else filters.department}")
    if filters.kind:
        parts.append(f"类型：{queries.kind_label(filters.kind)}")
    if filters.status:
        parts.append(f"状态：{queries.status_label(filters.status)}")
    if filters.code:
        parts.append(f"规则：{filters.code} {code_title(filters.code)}".rstrip())
    if filters.family:
        parts.append(f"规则类别：{filters.family} {family_name(filters.family)}")
    if filters.severity:
        parts.append(f"严重程度：{SEVERITY_NAMES[filters.severity]}")
    if filters.grade:
        parts.append(f"复核等级：{'无评分' if filters.grade == 'none' else filters.grade}")
    if filters.grade_reported:
        parts.append(f"自评等级：{filters.grade_reported}")
    if filters.score_min is not None or filters.score_max is not None:
        low = queries.shown(filters.score_min) if filters.score_min is not None else "0"
        high = queries.shown(filters.score_max) if filters.score_max is not None else ""
        parts.append(f"复核得分：{low}（含）至 {high}（不含）".replace("至 （不含）", "以上"))
    return " · ".join(parts)


def script_json(value: Any) -> str:
    """``value`` as JSON safe inside ``<script type="application/json">`` (what ``json_script``
    does, without escaping every Chinese character: the page is half the size and quicker)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = attachment(data, name, name, content_type)
    response["Cache-Control"] = "no-store"
    return response


def _ascii_name(stem: str, filters: Filters, suffix: str) -> str:
    return f"{stem}-{filters.year or 'all'}.{suffix}"


def headline_links(filters: Filters) -> dict[str, str]:
    """The documents behind each headline figure."""
    links = queries.Links(filters)
    return {
        "documents": links(),
        "approved": links(status=Status.APPROVED),
        "errors": links(severity="error"),
        "warnings": links(severity="warning"),
        "scored": links(score_min=0),
    }


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    refused = _refused(request)
    if refused is not None:
        return refused
    ensure_facts()
    filters = _filters(request)
    board = queries.dashboard(request.user, filters)
    role = role_of(request.user)
    context: dict[str, Any] = {
        "board": board,
        "headline": board.headline,
        "figures": board.figures,
        "charts_json": script_json([figure.as_json() for figure in board.figures]),
        "inline_rows": INLINE_ROWS,
        "filters": filters,
        "query": filters.base.query(),
        "links": headline_links(filters),
        "caption": caption(filters),
        "years": queries.years(request.user),
        "departments": queries.department_choices(request.user),
        "regions": queries.region_choices(request.user),
        "kinds": [(k, queries.kind_label(k)) for k in KIND_NAMES if k != "unknown"] + [("unknown", "未识别")],
        "statuses": Status.choices,
        "own_only": role not in (Role.ADMIN, Role.REVIEWER)
        and queries.department_choices(request.user).count() == 1,
    }
    template = "jixiao_dashboard/dashboard.html"
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "board":
        template = "jixiao_dashboard/partials/board.html"
    return render(request, template, context)


def _one_figure(request: HttpRequest, key: str) -> tuple[Any, Any] | HttpResponse:
    """The chart ``key`` under the request's filters, with the filters (or the refusal)."""
    refused = _refused(request)
    if refused is not None:
        return refused
    if key not in FIGURE_KEYS:
        raise Http404("没有这张图表")
    filters = _filters(request)
    figure = queries.dashboard(request.user, filters, only=key).figure(key)
    if figure is None:
        raise Http404("所选范围内没有这张图表的数据")
    return figure, filters


@login_required
@require_GET
def figure_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    found = _one_figure(request, key)
    if isinstance(found, HttpResponse):
        return found
    figure, filters = found
    return _download(exports.figure_xlsx(figure, caption(filters)), XLSX, _ascii_name(key, filters, "xlsx"))


@login_required
@require_GET
def figure_table(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's numbers as a table with links (loaded when its 数据表 is opened)."""
    found = _one_figure(request, key)
    if isinstance(found, HttpResponse):
        return found
    return render(request, "jixiao_dashboard/partials/figure_table.html", {"figure": found[0]})


def _listed(request: HttpRequest, filters: Filters) -> Any:
    return queries.apply(queries.scope(request.user), filters)


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """The documents behind a number of the dashboard (the same filters, plus the number's own)."""
    refused = _refused(request)
    if refused is not None:
        return refused
    ensure_facts()
    filters = queries.read_filters(request.GET, request.user)
    facts = _listed(request, filters).select_related("document", "department")
    if filters.code:
        counts = FindingCount.objects.filter(code=filters.code)
        if filters.severity:
            counts = counts.filter(severity=filters.severity)
        facts = facts.prefetch_related(Prefetch("finding_counts", queryset=counts, to_attr="matching"))
    ordered = facts.order_by("-errors", "-warnings", "department__name", "document_id")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    total_matching = None
    if filters.code:
        matching = FindingCount.objects.filter(facts__in=_listed(request, filters), code=filters.code)
        if filters.severity:
            matching = matching.filter(severity=filters.severity)
        total_matching = matching.aggregate(n=Sum("count"))["n"] or 0
    rows = [
        {
            "facts": row,
            "kind": queries.kind_label(row.kind),
            "status": queries.status_label(row.status),
            "score": queries.shown(row.score_computed) if row.score_computed is not None else "",
            "reported": queries.shown(row.score_reported) if row.score_reported is not None else "",
            "budget": queries.shown(queries.wan_yuan(row.budget_fen)) if row.budget_fen is not None else "",
            "matching": sum(c.count for c in getattr(row, "matching", [])),
        }
        for row in page.object_list
    ]
    return render(
        request,
        "jixiao_dashboard/documents.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "caption": caption(filters),
            "query": filters.query(),
            "back": filters.base.query(),
            "code_title": code_title(filters.code) if filters.code else "",
            "total_matching": total_matching,
            "grades": GRADES,
        },
    )


@login_required
@require_GET
def worksheet(request: HttpRequest) -> HttpResponse:
    """The reviewer's worksheet (xlsx) of the latest versions of the filtered documents."""
    refused = _refused(request)
    if refused is not None:
        return refused
    ensure_facts()
    filters = _filters(request)
    version_ids = _listed(request, filters).exclude(version=None).values("version_id")
    versions = (
        DocumentVersion.objects.filter(pk__in=version_ids)
        .select_related("document__department")
        .defer("content", "parsed", "scores")
        .order_by("document__department__name", "document_id")
    )
    return _download(exports.worksheet_xlsx(versions), XLSX, _ascii_name("worksheet", filters, "xlsx"))


@login_required
@require_GET
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The summary for the bureau's leadership, as docx or pdf."""
    refused = _refused(request)
    if refused is not None:
        return refused
    if fmt not in ("docx", "pdf"):
        raise Http404("不支持的格式")
    ensure_facts()
    filters = _filters(request)
    board = queries.dashboard(request.user, filters)
    doc = exports.summary_doc(board, caption(filters))
    data = write(doc, "docx" if fmt == "docx" else "pdf")
    return _download(data, DOCX if fmt == "docx" else "application/pdf", _ascii_name("summary", filters, fmt))
