"""The pages of 批量导入: the list of batches with the form to start one, a batch's page with its
progress (polled by htmx every second until every file is finished), its files and failures, and
the reviewer's worksheet of the batch (xlsx, from the dashboard's exports).

Every view checks ``access``: a batch the user may not see is a 404, an import the user may not
start a 403 with the reason in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jixiao.web.batches.access import may_import, sees_batch, visible_batches
from jixiao.web.batches.models import Batch, BatchItem, ItemStatus
from jixiao.web.batches.service import rerun, start_batch
from jixiao.web.models import Department, DocumentVersion, Role
from jixiao.web.permissions import profile_of, role_of
from jixiao.web.views.common import acting_user, forbidden, visible_departments
from jixiao.web.views.documents import FORMATS, attachment

ITEMS_PER_PAGE = 200


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    running: int
    done: int
    duplicate: int
    failed: int

    @property
    def waiting(self) -> int:
        return self.queued + self.running

    @property
    def finished(self) -> int:
        return self.done + self.duplicate + self.failed

    @property
    def complete(self) -> bool:
        return self.finished >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.finished * 100 // self.total


def progress_of(batch: Batch) -> Progress:
    counts = {row["status"]: row["n"] for row in batch.items.values("status").annotate(n=Count("id"))}
    return Progress(
        total=batch.total,
        queued=counts.get(ItemStatus.QUEUED, 0),
        running=counts.get(ItemStatus.RUNNING, 0),
        done=counts.get(ItemStatus.DONE, 0),
        duplicate=counts.get(ItemStatus.DUPLICATE, 0),
        failed=counts.get(ItemStatus.FAILED, 0),
    )


def _batch_for(user: Any, pk: int) -> Batch:
    batch = Batch.objects.select_related("department", "started_by").filter(pk=pk).first()
    if batch is None or not sees_batch(user, batch):
        raise Http404("批次不存在")
    return batch


def _import_choices(user: Any) -> tuple[bool, list[Department], bool]:
    """(may import at all, departments to choose from, may import bureau-wide)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.REVIEWER):
        return True, list(visible_departments(user)), True
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if role == Role.OFFICER and own is not None:
        return True, [own], False
    return False, [], False


@login_required
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    batches = Paginator(visible_batches(user), 50).get_page(request.GET.get("page"))
    rows = [(batch, progress_of(batch)) for batch in batches]
    can_import, departments, bureau_wide = _import_choices(user)
    context = {
        "page": batches,
        "rows": rows,
        "can_import": can_import,
        "departments": departments,
        "bureau_wide": bureau_wide,
        "default_name": f"批量导入 {timezone.localtime():%Y-%m-%d %H:%M}",
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES or 0,
    }
    return render(request, "jixiao_batches/list.html", context)


def _uploaded(request: HttpRequest) -> list[tuple[str, bytes]]:
    """The files sent: several files or zips (``files``) and a folder (``folder``, its relative paths
    in ``folder_paths``, one a line, as the browser gives them)."""
    files = [(f.name or "", f.read()) for f in request.FILES.getlist("files")]
    folder = request.FILES.getlist("folder")
    paths = str(request.POST.get("folder_paths", "")).split("\n")
    for index, upload in enumerate(folder):
        sent = paths[index].strip() if index < len(paths) and paths[index].strip() else upload.name or ""
        files.append((sent, upload.read()))
    return files


@login_required
@require_POST
def batch_start(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    chosen = str(request.POST.get("department", ""))
    department: Department | None = None
    if chosen:
        department = visible_departments(user).filter(pk=chosen).first() if chosen.isdigit() else None
        if department is None:
            raise Http404("部门不存在")
    else:
        can_import, departments, bureau_wide = _import_choices(user)
        if can_import and not bureau_wide and len(departments) == 1:
            department = departments[0]
    decision = may_import(user, department)
    if not decision:
        return forbidden(request, decision.reason)
    try:
        files = _uploaded(request)
    except (TooManyFilesSent, RequestDataTooBig):
        messages.error(request, "一次选择的文件过多或过大，请打包为 zip 压缩包后导入")
        return redirect("jixiao_batches:list")
    if not files:
        messages.error(request, "请选择要导入的文件、文件夹或 zip 压缩包")
        return redirect("jixiao_batches:list")
    batch = start_batch(user, department, str(request.POST.get("name", "")).strip(), files)
    return redirect("jixiao_batches:detail", pk=batch.pk)


def _detail_context(request: HttpRequest, batch: Batch) -> dict[str, Any]:
    user = acting_user(request)
    progress = progress_of(batch)
    show = str(request.GET.get("show", ""))
    items = batch.items.select_related("document__department", "version").defer("content", "version__content")
    items = items.defer("version__parsed", "version__audit", "version__scores")
    if show in ItemStatus.values:
        items = items.filter(status=show)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    failures = batch.items.filter(status=ItemStatus.FAILED).only("name", "folder", "code", "message")[:200]
    return {
        "batch": batch,
        "progress": progress,
        "page": page,
        "show": show,
        "statuses": [c for c in ItemStatus.choices if c[0] != ItemStatus.RUNNING],  # running: see tasks
        "failures": failures,
        "can_rerun": bool(may_import(user, batch.department)),
    }


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(acting_user(request), pk)
    return render(request, "jixiao_batches/detail.html", _detail_context(request, batch))


@login_required
@require_GET
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar and counts (htmx polls it every second until the batch is finished)."""
    batch = _batch_for(acting_user(request), pk)
    context = {"batch": batch, "progress": progress_of(batch), "partial": True}
    return render(request, "jixiao_batches/_progress.html", context)


@login_required
@require_POST
def batch_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    batch = _batch_for(user, pk)
    decision = may_import(user, batch.department)
    if not decision:
        return forbidden(request, decision.reason)
    count = rerun(batch)
    messages.info(request, f"已重新排队 {count} 个文件；已导入的文件不会重复保存")
    return redirect("jixiao_batches:detail", pk=batch.pk)


@login_required
@require_GET
def batch_worksheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's worksheet of the batch's documents: one row per finding (xlsx)."""
    from jixiao.web.dashboard.exports import worksheet_xlsx

    batch = _batch_for(acting_user(request), pk)
    ids = BatchItem.objects.filter(batch=batch, version__isnull=False).values("version_id")
    versions = DocumentVersion.objects.filter(pk__in=ids).select_related("document__department")
    versions = versions.defer("content", "parsed", "scores").order_by("document__department__name", "pk")
    name = f"batch-{batch.pk}-worksheet.xlsx"
    return attachment(worksheet_xlsx(versions), name, name, FORMATS["xlsx"][1])
