"""误报统计: the findings reviewers dismissed as false alarms, counted per rule, most first.

Enters: the ``Dismissal`` rows of the documents the user may see. Leaves: a page with one line
per rule code: its title from ``jixiao.checks.builtin_registry()``, the count and the latest
reasons. For reviewers and administrators (``allowed(user, "dismiss")``); others get a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.checks import builtin_registry
from jixiao.web.models import Dismissal
from jixiao.web.permissions import allowed
from jixiao.web.views.common import forbidden, visible_documents


def rule_title(code: str) -> str:
    registry = builtin_registry()
    return registry[code].title if code in registry else "（非审核规则：读取或结构提示）"


@login_required
@require_GET
def dismissal_stats(request: HttpRequest) -> HttpResponse:
    decision = allowed(request.user, "dismiss", None)
    if not decision:
        return forbidden(request, decision.reason)
    dismissals = Dismissal.objects.filter(version__document__in=visible_documents(request.user))
    counted = dismissals.values("code").annotate(n=Count("id")).order_by("-n", "code")
    lines: list[dict[str, Any]] = []
    for entry in counted:
        code = str(entry["code"])
        latest = (
            dismissals.filter(code=code)
            .select_related("user", "version__document")
            .order_by("-created_at")[:3]
        )
        lines.append({"code": code, "title": rule_title(code), "count": entry["n"], "latest": list(latest)})
    return render(request, "jixiao/stats.html", {"lines": lines, "total": dismissals.count()})
