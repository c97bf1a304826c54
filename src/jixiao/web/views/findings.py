"""The findings panel of a document version, its filters, and marking a finding as a false alarm.

Enters: a version's stored audit (``DocumentVersion.audit["findings"]``), the filters from the
query string (``severity``: error/warning/info; ``family``: the code's letter, A/T/S/C/F/P/R…),
and a reviewer's POST to dismiss one finding with a reason. Leaves: the panel (whole, or the
partial htmx swaps in), and a ``Dismissal`` keyed by ``store.finding_key`` with an ``AuditEvent``
``dismiss``. Findings are the library's; nothing here re-checks anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jixiao.web.models import AuditEvent, Dismissal, Document, DocumentVersion
from jixiao.web.permissions import allowed
from jixiao.web.store import finding_key
from jixiao.web.views.common import (
    SEVERITY_NAMES,
    SEVERITY_ORDER,
    acting_user,
    document_for,
    forbidden,
    version_of,
)
from jixiao.web.views.formcache import rendered_form
from jixiao.web.views.formview import location_label


@dataclass
class FindingItem:
    index: int
    key: str
    code: str
    family: str
    severity: str
    severity_name: str
    message: str
    expected: str | None
    actual: str | None
    suggestion: str | None
    places: list[str]
    anchor: str | None
    dismissal: Dismissal | None


@dataclass
class Panel:
    items: list[FindingItem]  # after the filters
    total: int
    counts: dict[str, int]  # severity → open findings (not dismissed)
    families: list[str]
    severity: str
    family: str
    dismissed: int
    can_dismiss: bool
    severities: list[tuple[str, str]] = field(default_factory=lambda: list(SEVERITY_NAMES.items()))


def version_findings(version: DocumentVersion) -> list[dict[str, Any]]:
    audit = version.audit if isinstance(version.audit, dict) else {}
    found = audit.get("findings") or []
    return [f for f in found if isinstance(f, dict)]


def dismissed_positions(version: DocumentVersion, findings: list[dict[str, Any]]) -> set[int]:
    return positions_of(findings, set(version.dismissals.values_list("key", flat=True)))


def positions_of(findings: list[dict[str, Any]], keys: set[str] | dict[str, Any]) -> set[int]:
    """The positions in ``findings`` of those whose ``finding_key`` is among ``keys``."""
    return {i for i, f in enumerate(findings) if finding_key(f) in keys}


def version_dismissals(version: DocumentVersion) -> dict[str, Dismissal]:
    """The version's dismissals by finding key, with who dismissed (one query)."""
    return {d.key: d for d in version.dismissals.select_related("user")}


def build_panel(
    request: HttpRequest,
    document: Document,
    version: DocumentVersion,
    findings: list[dict[str, Any]] | None = None,
    dismissals: dict[str, Dismissal] | None = None,
    anchors: dict[int, str] | None = None,
) -> Panel:
    """The panel's content: every finding of ``version`` with its dismissal, filtered. The page
    passes what it has already read (findings, dismissals, the grid's anchors); the partial alone
    reads them here (the anchors from the cached grid)."""
    findings = version_findings(version) if findings is None else findings
    dismissals = version_dismissals(version) if dismissals is None else dismissals
    if anchors is None:
        form = rendered_form(version, findings, positions_of(findings, dismissals), dismissals)
        anchors = form.anchors
    severity = str(request.GET.get("severity", ""))
    severity = severity if severity in SEVERITY_NAMES else ""
    family = str(request.GET.get("family", "")).strip().upper()[:1]
    items: list[FindingItem] = []
    for index, finding in enumerate(findings):
        code = str(finding.get("code", ""))
        key = finding_key(finding)
        level = str(finding.get("severity", "info"))
        items.append(
            FindingItem(
                index=index,
                key=key,
                code=code,
                family=code[:1],
                severity=level,
                severity_name=SEVERITY_NAMES.get(level, level),
                message=str(finding.get("message", "")),
                expected=finding.get("expected"),
                actual=finding.get("actual"),
                suggestion=finding.get("suggestion"),
                places=[location_label(where) for where in finding.get("locations") or []] or ["全文"],
                anchor=anchors.get(index),
                dismissal=dismissals.get(key),
            )
        )
    items.sort(key=lambda i: (i.dismissal is not None, SEVERITY_ORDER.get(i.severity, 9), i.index))
    counts = Counter(i.severity for i in items if i.dismissal is None)
    shown = [
        i for i in items if (not severity or i.severity == severity) and (not family or i.family == family)
    ]
    return Panel(
        items=shown,
        total=len(items),
        counts={level: counts.get(level, 0) for level in SEVERITY_NAMES},
        families=sorted({i.family for i in items if i.family}),
        severity=severity,
        family=family,
        dismissed=sum(1 for i in items if i.dismissal is not None),
        can_dismiss=bool(allowed(request.user, "dismiss", document)),
    )


def panel_response(
    request: HttpRequest, document: Document, version: DocumentVersion, with_grid: bool = False
) -> HttpResponse:
    """The panel alone; ``with_grid`` (after a dismissal): with the form grid as an out-of-band
    swap too, so that the row struck out loses its colour without reloading the page."""
    findings = version_findings(version)
    dismissals = version_dismissals(version)
    form = rendered_form(version, findings, positions_of(findings, dismissals), dismissals)
    context = {
        "document": document,
        "version": version,
        "panel": build_panel(request, document, version, findings, dismissals, form.anchors),
        "partial": True,  # the panel shows the messages itself
        "grid": form.html if with_grid else None,
    }
    return render(request, "jixiao/partials/findings.html", context)


@login_required
@require_GET
def findings_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings panel alone (what htmx swaps in when a filter changes)."""
    document = document_for(request.user, pk)
    version = version_of(document, request.GET.get("version"), defer=("content", "parsed"))
    return panel_response(request, document, version)


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Mark one finding of version ``number`` as a false alarm, with the reason (reviewers)."""
    document = document_for(request.user, pk)
    version = version_of(document, number)
    decision = allowed(request.user, "dismiss", document)
    if not decision:
        return forbidden(request, decision.reason)
    key = str(request.POST.get("key", ""))
    finding = next((f for f in version_findings(version) if finding_key(f) == key), None)
    if finding is None:
        raise Http404("该问题不存在")
    reason = str(request.POST.get("reason", "")).strip()
    if not reason:
        messages.error(request, "标记误报时请填写理由")
    else:
        try:
            with transaction.atomic():
                Dismissal.objects.create(
                    version=version,
                    code=str(finding.get("code", ""))[:10],
                    key=key,
                    reason=reason,
                    user=acting_user(request),
                )
                AuditEvent.objects.create(
                    actor=acting_user(request),
                    document=document,
                    action="dismiss",
                    detail={
                        "version": version.number,
                        "code": finding.get("code"),
                        "key": key,
                        "reason": reason,
                    },
                )
            messages.success(request, f"已将 {finding.get('code')} 标记为误报")
        except IntegrityError:
            messages.info(request, f"{finding.get('code')} 已标记为误报")
    if getattr(request, "htmx", False):
        return panel_response(request, document, version, with_grid=True)
    return redirect(f"{reverse('jixiao:document', args=[document.pk])}?version={version.number}#findings")
