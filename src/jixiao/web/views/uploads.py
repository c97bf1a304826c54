"""Uploads from the pages: several files at once, each a new document of the user's department,
or a new version of one document (“上传新版本”).

Enters: a multipart POST (``files``, one or several; ``department`` when the user may upload for
more than one). Leaves: one message per file — kept (as which document and version), identical to
a version already stored, or refused with ``store.UploadError``'s reason — and a redirect. The
bytes go to ``jixiao.web.store.upload`` and nowhere else; the uploaded name is never a path.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jixiao.web.models import Department, Document
from jixiao.web.permissions import allowed
from jixiao.web.store import Uploaded, UploadError, safe_name, upload
from jixiao.web.views.common import document_for, forbidden, visible_departments


def _report(request: HttpRequest, name: str, result: Uploaded) -> None:
    title = result.document.title
    if result.duplicate:
        messages.info(request, f"{name}：与《{title}》第{result.version.number}版完全相同，未重复保存")
        return
    counts = f"错误 {result.version.errors} 项、警告 {result.version.warnings} 项"
    if not result.version.readable:
        messages.warning(request, f"{name}：已保存为《{title}》第{result.version.number}版，但无法读取内容")
    else:
        messages.success(request, f"{name}：已保存为《{title}》第{result.version.number}版（{counts}）")


def _save_all(request: HttpRequest, department: Department, document: Document | None) -> list[Uploaded]:
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的文件")
        return []
    kept: list[Uploaded] = []
    for item in files:
        name = safe_name(item.name or "")
        try:
            result = upload(request.user, department, name, item.read(), document=document)
        except UploadError as exc:
            messages.error(request, f"未保存：{exc.reason}")
            continue
        _report(request, name, result)
        kept.append(result)
    return kept


@login_required
@require_POST
def upload_documents(request: HttpRequest) -> HttpResponse:
    """Each file a new document of the department (the officer's own; chosen by an admin)."""
    decision = allowed(request.user, "upload", None)
    if not decision:
        return forbidden(request, decision.reason)
    departments = visible_departments(request.user)
    chosen = request.POST.get("department")
    department = departments.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
    if department is None and departments.count() == 1:
        department = departments.first()
    if department is None:
        messages.error(request, "请选择上传文件所属的部门")
        return redirect("jixiao:home")
    decision = allowed(request.user, "upload", department)
    if not decision:
        return forbidden(request, decision.reason)
    kept = _save_all(request, department, None)
    if len(kept) == 1 and not kept[0].duplicate:
        return redirect("jixiao:document", pk=kept[0].document.pk)
    return redirect("jixiao:home")


@login_required
@require_POST
def upload_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Each file a new version of document ``pk`` (while it is a draft or returned)."""
    document = document_for(request.user, pk)
    decision = allowed(request.user, "upload", document)
    if not decision:
        return forbidden(request, decision.reason)
    _save_all(request, document.department, document)
    return redirect(reverse("jixiao:document", args=[document.pk]))
