"""The dashboard's figures: filters read from the query string, and each chart as rows of numbers.

Enters: the user (what they may see) and the query string (``year``, ``region``, ``department``,
``kind``, ``status``; the document list adds ``code``, ``family``, ``severity``, ``grade``,
``grade_reported``, ``score_min``, ``score_max``). Leaves: ``Figure`` objects, one per chart: its
title, column names, rows of exact numbers (Decimal, int) and, per number, the link to the
documents behind it. The page draws them (ECharts), the xlsx download writes the same rows, and
the leadership report turns them into sentences. Every figure is one ORM ``GROUP BY`` over the
fact tables (``jixiao.web.dashboard.models``), never a loop over documents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse

from jixiao.summary import KIND_NAMES
from jixiao.web.dashboard.extract import SEVERITY_NAMES, code_title, family_name
from jixiao.web.dashboard.models import DocumentFacts, FindingCount
from jixiao.web.models import Department, Role, Status
from jixiao.web.permissions import role_of
from jixiao.web.views.common import visible_departments

GRADES = ("优", "良", "中", "差")
#: Score bands of the distribution: [low, high) with the last one closed (100 included).
SCORE_BANDS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal(0), Decimal(60)),
    (Decimal(60), Decimal(70)),
    (Decimal(70), Decimal(80)),
    (Decimal(80), Decimal(85)),
    (Decimal(85), Decimal(90)),
    (Decimal(90), Decimal(95)),
    (Decimal(95), Decimal(101)),  # 100 included (no score exceeds 100)
)
TOP_DEPARTMENTS = 15
TEN_THOUSAND = Decimal(10000)


def kind_label(kind: str) -> str:
    return KIND_NAMES.get(kind, "未识别")


def status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def wan_yuan(fen: int | None) -> Decimal | None:
    """分 → 万元, exactly."""
    return None if fen is None else Decimal(fen) / 100 / TEN_THOUSAND


def shown(value: Decimal | None, places: int = 2) -> str:
    """A number for people: rounded half up to ``places`` only here, without trailing zeros."""
    if value is None:
        return "—"
    text = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return shown(value)
    return "—" if value is None else str(value)


def mean(total: Decimal | None, count: int) -> Decimal | None:
    if total is None or not count:
        return None
    return Decimal(total) / count


# ------------------------------------------------------------------------------------ filters


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    region: str = ""
    department: int | None = None
    kind: str = ""
    status: str = ""
    # the document list's and the worksheet's extra filters
    code: str = ""
    family: str = ""
    severity: str = ""
    grade: str = ""
    grade_reported: str = ""
    score_min: Decimal | None = None
    score_max: Decimal | None = None  # exclusive

    def params(self, **more: Any) -> dict[str, str]:
        """The query string of these filters (empty ones left out), with ``more`` on top."""
        values: dict[str, Any] = {
            "year": self.year,
            "region": self.region,
            "department": self.department,
            "kind": self.kind,
            "status": self.status,
            "code": self.code,
            "family": self.family,
            "severity": self.severity,
            "grade": self.grade,
            "grade_reported": self.grade_reported,
            "score_min": self.score_min,
            "score_max": self.score_max,
        }
        values.update(more)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **more: Any) -> str:
        return urlencode(self.params(**more))

    @property
    def base(self) -> Filters:
        """Only the dashboard's own filters (year, region, department, type, status)."""
        return Filters(self.year, self.region, self.department, self.kind, self.status)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def read_filters(query: Mapping[str, Any], user: Any) -> Filters:
    """The filters of a request; a department the user may not see (or that does not exist) is a
    404, exactly like a missing one. Unknown values are ignored."""

    def text(name: str) -> str:
        return str(query.get(name, "") or "").strip()

    department = _int(text("department"))
    if department is not None and not visible_departments(user).filter(pk=department).exists():
        raise Http404("部门不存在")
    if text("department") and department is None:
        raise Http404("部门不存在")
    kind = text("kind")
    status = text("status")
    severity = text("severity")
    grade = text("grade")
    grade_reported = text("grade_reported")
    code = text("code").upper()
    family = text("family").upper()
    return Filters(
        year=_int(text("year")),
        region=text("region")[:100],
        department=department,
        kind=kind if kind in KIND_NAMES else "",
        status=status if status in Status.values else "",
        code=code if len(code) == 4 and code.isalnum() else "",
        family=family if len(family) == 1 and family.isalpha() else "",
        severity=severity if severity in SEVERITY_NAMES else "",
        grade=grade if grade in (*GRADES, "none") else "",
        grade_reported=grade_reported if grade_reported in GRADES else "",
        score_min=_decimal(text("score_min")) if text("score_min") else None,
        score_max=_decimal(text("score_max")) if text("score_max") else None,
    )


def scope(user: Any) -> QuerySet[DocumentFacts]:
    """The facts of the documents ``user`` may see (``visible_departments``; no filter at all for
    reviewers and administrators, who see every department)."""
    if role_of(user) in (Role.ADMIN, Role.REVIEWER):
        return DocumentFacts.objects.all()
    return DocumentFacts.objects.filter(department__in=visible_departments(user))


def apply(facts: QuerySet[DocumentFacts], filters: Filters) -> QuerySet[DocumentFacts]:
    if filters.year is not None:
        facts = facts.filter(year=filters.year)
    if filters.region:
        facts = facts.filter(region=filters.region)
    if filters.department is not None:
        facts = facts.filter(department_id=filters.department)
    if filters.kind:
        facts = facts.filter(kind=filters.kind)
    if filters.status:
        facts = facts.filter(status=filters.status)
    if filters.code or filters.family or filters.severity:
        counts = FindingCount.objects.all()
        if filters.code:
            counts = counts.filter(code=filters.code)
        if filters.family:
            counts = counts.filter(family=filters.family)
        if filters.severity:
            counts = counts.filter(severity=filters.severity)
        facts = facts.filter(pk__in=counts.values("facts_id"))
    if filters.grade == "none":
        facts = facts.filter(grade_computed="")
    elif filters.grade:
        facts = facts.filter(grade_computed=filters.grade)
    if filters.grade_reported:
        facts = facts.filter(grade_reported=filters.grade_reported)
    if filters.score_min is not None:
        facts = facts.filter(score_computed__gte=filters.score_min)
    if filters.score_max is not None:
        facts = facts.filter(score_computed__lt=filters.score_max)
    return facts


# ------------------------------------------------------------------------------------ figures


@dataclass
class Row:
    label: str
    values: list[Decimal | int | None]
    links: list[str] = field(default_factory=list)  # one per value
    link: str = ""  # the label's own link
    extra: list[Any] = field(default_factory=list)  # more columns (table and xlsx only)

    @property
    def cells(self) -> list[dict[str, Any]]:
        """The numbers as the page's table shows them, each with its link (none for a zero)."""
        out = [
            {
                "text": cell_text(value),
                "link": self.links[index] if index < len(self.links) else "",
                "value": value not in (None, 0),
            }
            for index, value in enumerate(self.values)
        ]
        out += [{"text": cell_text(value), "link": "", "value": False} for value in self.extra]
        return out


@dataclass
class Figure:
    key: str
    title: str
    label_column: str
    series: list[str]
    rows: list[Row]
    kind: str = "bar"  # bar (horizontal, stacked when ``stacked``), column, scatter
    stacked: bool = False
    unit: str = "份"
    note: str = ""
    extra_columns: list[str] = field(default_factory=list)
    x_name: str = ""  # scatter axes
    y_name: str = ""
    link_pattern: str = ""  # scatter: the document URL with ``{}`` for its id (first extra column)

    @property
    def columns(self) -> list[str]:
        return [self.label_column, *self.series, *self.extra_columns]

    def table(self) -> list[list[Any]]:
        """The rows as the xlsx holds them (exact numbers)."""
        return [[row.label, *row.values, *row.extra] for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        """What the page's script draws (numbers as exact decimal strings)."""

        def number(value: Decimal | int | None) -> str | int | None:
            if isinstance(value, Decimal):
                text = format(value, "f")
                return text.rstrip("0").rstrip(".") if "." in text else text
            return value

        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "stacked": self.stacked,
            "unit": self.unit,
            "series": self.series,
            "xName": self.x_name,
            "yName": self.y_name,
            "labels": [row.label for row in self.rows],
            "values": [[number(v) for v in row.values] for row in self.rows],
            "links": [row.extra[0] for row in self.rows]
            if self.link_pattern
            else [row.links for row in self.rows],
            "linkPattern": self.link_pattern,
        }


class Links:
    """Links to the document list for the current filters plus the figure's own."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters.base
        self.path = reverse("jixiao_dashboard:documents")
        self.taken = set(self.filters.params())
        self.prefix = f"{self.path}?{self.filters.query()}"

    def __call__(self, **more: Any) -> str:
        if self.taken & more.keys():  # a figure's own value replaces the filter's
            return f"{self.path}?{self.filters.query(**more)}"
        # the common case, thousands of times a page: the filters' part is encoded once
        extra = "&".join(
            f"{key}={quote_plus(str(value))}" for key, value in more.items() if value not in (None, "")
        )
        if not extra:
            return self.prefix
        return f"{self.prefix}&{extra}" if self.taken else f"{self.prefix}{extra}"


def status_by_department(facts: QuerySet[DocumentFacts], links: Links) -> Figure:
    counted = facts.order_by().values("department_id", "department__name", "status").annotate(n=Count("pk"))
    statuses = [value for value, _ in Status.choices]
    table: dict[int, tuple[str, dict[str, int]]] = {}
    for entry in counted:
        name, by_status = table.setdefault(entry["department_id"], (entry["department__name"], {}))
        by_status[entry["status"]] = entry["n"]
    rows = []
    for pk, (name, by_status) in table.items():
        rows.append(
            Row(
                name,
                [by_status.get(s, 0) for s in statuses],
                [links(department=pk, status=s) for s in statuses],
                links(department=pk),
                [sum(by_status.values())],
            )
        )
    rows.sort(key=lambda r: (-int(r.extra[0]), r.label))
    return Figure(
        "status",
        "各部门文件数（按状态）",
        "部门",
        [label for _, label in Status.choices],
        rows,
        stacked=True,
        extra_columns=["合计"],
    )


CodeCounts = tuple[dict[str, dict[str, int]], dict[str, int]]


def finding_counts(user: Any, facts: QuerySet[DocumentFacts], filters: Filters) -> QuerySet[FindingCount]:
    """The finding counts of ``facts``: for a reviewer asking for a year (or every year) with no
    other filter, straight from the counts' own ``year`` (no join with the facts)."""
    plain = not (filters.region or filters.department is not None or filters.kind or filters.status)
    if plain and role_of(user) in (Role.ADMIN, Role.REVIEWER):
        counts = FindingCount.objects.all()
        return counts.filter(year=filters.year) if filters.year is not None else counts
    return FindingCount.objects.filter(facts__in=facts)


def code_counts(counts: QuerySet[FindingCount]) -> CodeCounts:
    """Findings per code and severity, and documents per code: one GROUP BY query, shared by the
    family and the code figures. A code has one severity (the registry's), so the documents per
    (code, severity) added up are the documents per code."""
    counted = (
        counts.order_by()
        .values_list("code", "severity")
        .annotate(n=Sum("count"), docs=Count("pk"))  # a row per document and (code, severity)
    )
    table: dict[str, dict[str, int]] = {}
    docs: dict[str, int] = {}
    for code, severity, n, documents in counted:
        table.setdefault(code, {})[severity] = int(n)
        docs[code] = docs.get(code, 0) + int(documents)
    return table, docs


def findings_by_family(counted: CodeCounts, links: Links) -> Figure:
    table: dict[str, dict[str, int]] = {}
    for code, by_severity in counted[0].items():
        family = table.setdefault(code[:1], {})
        for severity, n in by_severity.items():
            family[severity] = family.get(severity, 0) + n
    severities = list(SEVERITY_NAMES)
    rows = [
        Row(
            f"{family} {family_name(family)}",
            [table[family].get(s, 0) for s in severities],
            [links(family=family, severity=s) for s in severities],
            links(family=family),
        )
        for family in sorted(table)
    ]
    return Figure(
        "families",
        "问题数（按规则类别）",
        "规则类别",
        list(SEVERITY_NAMES.values()),
        rows,
        stacked=True,
        unit="个",
    )


def findings_by_code(counted: CodeCounts, links: Links) -> Figure:
    table, docs = counted
    severities = list(SEVERITY_NAMES)

    def order(code: str) -> tuple[tuple[int, ...], str]:
        return tuple(-table[code].get(s, 0) for s in severities), code

    rows = [
        Row(
            f"{code} {code_title(code)}".strip(),
            [table[code].get(s, 0) for s in severities],
            [links(code=code, severity=s) for s in severities],
            links(code=code),
            [docs.get(code, 0), code_title(code)],
        )
        for code in sorted(table, key=order)
    ]
    return Figure(
        "codes",
        "问题数（按规则代码，错误在前）",
        "规则",
        list(SEVERITY_NAMES.values()),
        rows,
        stacked=True,
        unit="个",
        extra_columns=["涉及文件数", "规则名称"],
    )


def scan(facts: QuerySet[DocumentFacts]) -> dict[str, Any]:
    """One pass over the facts: the headline figures, the grades (computed and reported) and the
    score bands, as conditional counts and sums of a single aggregate query."""
    counts: dict[str, Any] = {
        "documents": Count("pk"),
        "departments": Count("department_id", distinct=True),
        "errors": Sum("errors"),
        "warnings": Sum("warnings"),
        "scored": Count("score_computed"),
        "score": Sum("score_computed"),
        "budget": Sum("budget_fen"),
        "budgeted": Count("budget_fen"),
        "approved": Count("pk", filter=Q(status=Status.APPROVED)),
        "unreadable": Count("pk", filter=Q(readable=False)),
    }
    for index, grade in enumerate(GRADES):
        counts[f"g{index}"] = Count("pk", filter=Q(grade_computed=grade))
        counts[f"r{index}"] = Count("pk", filter=Q(grade_reported=grade))
    for index, (low, high) in enumerate(SCORE_BANDS):
        counts[f"b{index}"] = Count("pk", filter=Q(score_computed__gte=low, score_computed__lt=high))
    return facts.order_by().aggregate(**counts)


def grades(scanned: dict[str, Any], links: Links) -> Figure:
    rows = [
        Row(
            grade,
            [int(scanned[f"g{index}"]), int(scanned[f"r{index}"])],
            [links(grade=grade), links(grade_reported=grade)],
            links(grade=grade),
        )
        for index, grade in enumerate(GRADES)
    ]
    return Figure("grades", "等级分布（复核与自评）", "等级", ["复核等级", "自评等级"], rows, kind="column")


def score_bands(scanned: dict[str, Any], links: Links) -> Figure:
    rows = []
    for index, (low, high) in enumerate(SCORE_BANDS):
        label = f"{shown(low)}–{shown(high, 0)}" if high <= 100 else f"{shown(low)}–100"
        url = links(score_min=low, score_max=high)
        rows.append(Row(label, [int(scanned[f"b{index}"])], [url], url))
    return Figure("scores", "复核得分分布", "得分区间", ["文件数"], rows, kind="column")


def budget_and_score(facts: QuerySet[DocumentFacts]) -> Figure:
    """One point per scored document with a budget; its link opens the document (one URL pattern,
    filled per point: no ``reverse`` per row)."""
    points = (
        facts.filter(budget_fen__isnull=False, score_computed__isnull=False)
        .order_by("budget_fen")
        .values_list("document_id", "department__name", "budget_fen", "score_computed")
    )
    pattern = reverse("jixiao:document", args=[0]).replace("/0/", "/{}/")
    rows = []
    for pk, name, fen, score in points:
        url = pattern.format(pk)
        rows.append(Row(f"{name}（{pk}号）", [wan_yuan(fen), score], [url], url, [pk]))
    return Figure(
        "budget",
        "预算总额与复核得分",
        "文件",
        ["预算总额（万元）", "复核得分"],
        rows,
        kind="scatter",
        unit="分",
        x_name="预算总额（万元）",
        y_name="复核得分",
        extra_columns=["文件编号"],
        link_pattern=pattern,
        note="每个点是一份有评分的文件；点击打开该文件。",
    )


def serious_departments(facts: QuerySet[DocumentFacts], links: Links) -> Figure:
    counted = (
        facts.order_by()
        .values("department_id", "department__name")
        .annotate(errors=Sum("errors"), warnings=Sum("warnings"), docs=Count("pk"))
        .filter(Q(errors__gt=0) | Q(warnings__gt=0))
        .order_by("-errors", "-warnings", "department__name")[:TOP_DEPARTMENTS]
    )
    rows = [
        Row(
            entry["department__name"],
            [int(entry["errors"]), int(entry["warnings"])],
            [
                links(department=entry["department_id"], severity="error"),
                links(department=entry["department_id"], severity="warning"),
            ],
            links(department=entry["department_id"]),
            [entry["docs"]],
        )
        for entry in counted
    ]
    return Figure(
        "serious",
        f"问题最严重的部门（前 {TOP_DEPARTMENTS} 个，错误在前）",
        "部门",
        ["错误", "警告"],
        rows,
        stacked=True,
        unit="个",
        extra_columns=["文件数"],
    )


def _per_department(facts: QuerySet[DocumentFacts]) -> dict[int, dict[str, Any]]:
    counted = (
        facts.order_by()
        .values("department_id", "department__name")
        .annotate(
            docs=Count("pk"),
            errors=Sum("errors"),
            scored=Count("score_computed"),
            score=Sum("score_computed"),
        )
    )
    return {entry["department_id"]: dict(entry) for entry in counted}


def year_on_year(
    facts: QuerySet[DocumentFacts], previous: QuerySet[DocumentFacts], links: Links, year: int | None
) -> Figure | None:
    """Per department present in both years: the change of its mean computed score and of its
    errors. None when there is no year or no previous year's documents."""
    if year is None:
        return None
    now, before = _per_department(facts), _per_department(previous)
    common = sorted(set(now) & set(before), key=lambda pk: now[pk]["department__name"])
    if not common:
        return None
    rows = []
    for pk in common:
        this, last = now[pk], before[pk]
        score_now, score_before = mean(this["score"], this["scored"]), mean(last["score"], last["scored"])
        score_change = (
            score_now - score_before if score_now is not None and score_before is not None else None
        )
        errors_now, errors_before = int(this["errors"] or 0), int(last["errors"] or 0)
        rows.append(
            Row(
                this["department__name"],
                [score_change, errors_now - errors_before],
                [links(department=pk), links(department=pk, severity="error")],
                links(department=pk),
                [score_before, score_now, errors_before, errors_now],
            )
        )
    return Figure(
        "yoy",
        f"同比变化（{year - 1} → {year}，同一部门）",
        "部门",
        ["平均复核得分变化", "错误数变化"],
        rows,
        kind="bar",
        unit="",
        extra_columns=[f"{year - 1}年平均得分", f"{year}年平均得分", f"{year - 1}年错误", f"{year}年错误"],
    )


def regions(facts: QuerySet[DocumentFacts], links: Links) -> Figure | None:
    counted = list(
        facts.exclude(region="")
        .order_by()
        .values("region")
        .annotate(
            docs=Count("pk"),
            errors=Sum("errors"),
            scored=Count("score_computed"),
            score=Sum("score_computed"),
        )
        .order_by("region")
    )
    if not counted:
        return None
    rows = [
        Row(
            entry["region"],
            [int(entry["docs"]), int(entry["errors"] or 0)],
            [links(region=entry["region"]), links(region=entry["region"], severity="error")],
            links(region=entry["region"]),
            [mean(entry["score"], entry["scored"])],
        )
        for entry in counted
    ]
    return Figure(
        "regions", "各地区文件数与错误数", "地区", ["文件数", "错误数"], rows, extra_columns=["平均复核得分"]
    )


@dataclass
class Headline:
    documents: int
    departments: int
    errors: int
    warnings: int
    scored: int
    mean_score: Decimal | None
    budget_fen: int | None
    budgeted: int
    approved: int
    unreadable: int

    @property
    def budget_wan(self) -> Decimal | None:
        return wan_yuan(self.budget_fen)


def headline(scanned: dict[str, Any]) -> Headline:
    return Headline(
        documents=int(scanned["documents"]),
        departments=int(scanned["departments"]),
        errors=int(scanned["errors"] or 0),
        warnings=int(scanned["warnings"] or 0),
        scored=int(scanned["scored"]),
        mean_score=mean(scanned["score"], int(scanned["scored"])),
        budget_fen=int(scanned["budget"]) if scanned["budget"] is not None else None,
        budgeted=int(scanned["budgeted"]),
        approved=int(scanned["approved"]),
        unreadable=int(scanned["unreadable"]),
    )


@dataclass
class Dashboard:
    filters: Filters
    headline: Headline
    figures: list[Figure]

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


#: In the page's order: what needs a look first (the most serious departments, the families), then
#: the documents per department and the codes (full width), scores, budget against score, 同比, regions.
FIGURE_KEYS = ("serious", "families", "status", "codes", "grades", "scores", "budget", "yoy", "regions")


def dashboard(user: Any, filters: Filters, only: str | None = None) -> Dashboard:
    """Every figure of the dashboard for ``filters`` (or just the figure ``only``)."""
    base = scope(user)
    facts = apply(base, filters.base)
    links = Links(filters)
    scanned = scan(facts)
    shared: dict[str, CodeCounts] = {}

    def counted() -> CodeCounts:
        if "codes" not in shared:
            shared["codes"] = code_counts(finding_counts(user, facts, filters.base))
        return shared["codes"]

    builders: dict[str, Callable[[], Figure | None]] = {
        "status": lambda: status_by_department(facts, links),
        "serious": lambda: serious_departments(facts, links),
        "families": lambda: findings_by_family(counted(), links),
        "codes": lambda: findings_by_code(counted(), links),
        "grades": lambda: grades(scanned, links),
        "scores": lambda: score_bands(scanned, links),
        "budget": lambda: budget_and_score(facts),
        "yoy": lambda: year_on_year(
            facts,
            apply(base, replace(filters.base, year=(filters.year - 1) if filters.year else None)),
            links,
            filters.year,
        ),
        "regions": lambda: regions(facts, links),
    }
    keys = [only] if only is not None else list(FIGURE_KEYS)
    if not scanned["documents"]:
        keys = []
    figures = [figure for key in keys if key in builders and (figure := builders[key]()) is not None]
    return Dashboard(filters, headline(scanned), figures)


def years(user: Any) -> list[int]:
    """The years the user's documents cover, newest first."""
    return sorted(
        {y for y in scope(user).order_by().values_list("year", flat=True).distinct() if y is not None},
        reverse=True,
    )


def department_choices(user: Any) -> QuerySet[Department]:
    return visible_departments(user).order_by("name")


def region_choices(user: Any) -> list[str]:
    return sorted(
        {r for r in visible_departments(user).order_by().values_list("region", flat=True).distinct() if r}
    )
