"""What the target editor does, apart from HTTP: who may see and edit a draft, where a draft starts
from, checking it with the library's audit, rendering, importing and submitting it.

Enters: a user, a ``TargetDraft``, the rows typed (``jixiao.model.edit.Rows``), a file. Leaves: the
typed declaration with its findings put back on their rows (``Checked``), the bytes of the official
form (``jixiao.render.pipeline``), a new ``Document`` version through ``jixiao.web.store.upload`` moved
by ``jixiao.web.workflow.move``. Nothing here reads, checks or renders by itself: the library does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from jixiao.checks.engine import audit_documents, forms_of
from jixiao.ingest.load import load_bytes
from jixiao.library import near_duplicates
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.edit import (
    KIND_NAMES,
    Declaration,
    Edited,
    Rows,
    as_edited,
    budget_totals,
    draft_document,
    from_rows,
    place_of,
    prune,
    roll_forward,
    skeleton,
    task_totals,
)
from jixiao.model.findings import Finding, Severity
from jixiao.render.pipeline import Format, form_doc, write
from jixiao.web.models import Department, Document, DocumentVersion, Role, Status
from jixiao.web.permissions import Action, Decision, allowed, profile_of, role_of, sees
from jixiao.web.store import UploadError, check_file, parsed_document, upload
from jixiao.web.targets.models import TargetDraft
from jixiao.web.views.common import visible_documents
from jixiao.web.workflow import WorkflowError, move

#: Document kinds whose stored versions may carry a target form to start from.
SOURCE_KINDS = ("dept_target", "project_target", "budget_disclosure")
SOURCE_LIMIT = 60


class DraftError(Exception):
    """Something the person must fix, in Chinese (a file with no target form, a blocked submission)."""

    def __init__(self, reason: str, blocking: list[Finding] | None = None) -> None:
        self.reason = reason
        self.blocking = blocking or []
        super().__init__(reason)


# ---------------------------------------------------------------------------------------------------
# Permissions


def visible_drafts(user: Any) -> QuerySet[TargetDraft]:
    """The drafts ``user`` may see: every department's for reviewers and admins (and viewers without
    a department), their own department's for officers and viewers."""
    drafts = TargetDraft.objects.select_related("department", "document", "updated_by")
    role = role_of(user)
    if role is None:
        return drafts.none()
    profile = profile_of(user)
    own = profile.department if profile is not None else None
    if role in (Role.ADMIN, Role.REVIEWER) or (role == Role.VIEWER and own is None):
        return drafts
    if own is None:
        return drafts.none()
    return drafts.filter(department=own)


def draft_for(user: Any, pk: int) -> TargetDraft:
    """Draft ``pk`` if ``user`` may see it, else ``Http404`` (a guessed id looks like a missing one)."""
    draft = TargetDraft.objects.select_related("department", "document").filter(pk=pk).first()
    if draft is None or not sees(user, draft.department):
        raise Http404("目标申报草稿不存在")
    return draft


def may_edit(user: Any, draft: TargetDraft) -> Decision:
    """Officers edit their own department's drafts while not under review (never submitted, or
    returned); reviewers and viewers only look."""
    if role_of(user) == Role.REVIEWER:
        return Decision(False, "审核人只能查看目标申报表，由部门填报人填写")
    decision = allowed(user, "upload", draft.document if draft.document is not None else draft.department)
    if not decision:
        return Decision(False, f"不能修改此目标申报表：{decision.reason}")
    return Decision(True, decision.reason)


def may_create(user: Any, department: Department | None) -> Decision:
    if role_of(user) == Role.REVIEWER:
        return Decision(False, "审核人不能填写目标申报表，由部门填报人填写")
    decision = allowed(user, "upload", department)
    if not decision:
        return Decision(False, f"不能新建目标申报表：{decision.reason}")
    return decision


# ---------------------------------------------------------------------------------------------------
# Starting points


@dataclass(frozen=True)
class Source:
    """A target form stored in a document version, offered as a starting point."""

    version: DocumentVersion
    index: int  # among forms_of(parsed) that are target declarations
    kind: str
    label: str

    @property
    def key(self) -> str:
        return f"v{self.version.pk}-{self.index}"


def _target_forms(version: DocumentVersion) -> list[Declaration]:
    document = parsed_document(version)
    return [f for f in forms_of(document) if isinstance(f, DeptTargetDeclaration | ProjectTargetDeclaration)]


def _form_label(form: Declaration) -> str:
    if isinstance(form, ProjectTargetDeclaration):
        return form.project_name or form.title or "项目支出绩效目标表"
    return form.title or form.department or "部门整体绩效目标表"


def sources_for(user: Any, kind: str | None = None) -> list[Source]:
    """The target forms of the latest versions of documents ``user`` may see (newest first)."""
    found: list[Source] = []
    documents = visible_documents(user).filter(kind__in=SOURCE_KINDS).order_by("-year", "-updated_at")
    for document in documents[:SOURCE_LIMIT]:
        version = document.versions.order_by("-number").first()
        if version is None or not version.readable:
            continue
        for index, form in enumerate(_target_forms(version)):
            if kind is None or form.form == kind:
                year = f"{form.year}年 " if form.year else ""
                label = f"{year}{_form_label(form)}（{document.title}，第{version.number}版，{document.get_status_display()}）"
                found.append(Source(version, index, form.form, label))
    return found


def source_form(user: Any, key: str) -> tuple[DocumentVersion, Declaration]:
    """The form behind a ``Source.key`` (``v12-3``) if ``user`` may see its document, else 404."""
    try:
        version_pk, index = (int(part) for part in key.lstrip("v").split("-", 1))
    except ValueError:
        raise Http404("来源文件不存在") from None
    version = DocumentVersion.objects.select_related("document__department").filter(pk=version_pk).first()
    if version is None or not allowed(user, "view", version.document):
        raise Http404("来源文件不存在")
    forms = _target_forms(version)
    if not 0 <= index < len(forms):
        raise Http404("来源文件中没有该表")
    return version, forms[index]


def _digits_free(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if not ch.isdigit() and not ch.isspace())


def last_year(
    department: Department, kind: str, year: int, name: str | None
) -> tuple[Any, Declaration] | None:
    """Last year's form of ``department``: its approved document of ``year - 1`` (the form of that
    kind, a project's matched on its name without the year), else its last draft of ``year - 1``.
    Returns (the version or draft it came from, the form)."""
    wanted = _digits_free(name)

    def pick(forms: list[Declaration]) -> Declaration | None:
        forms = [f for f in forms if f.form == kind]
        if not forms:
            return None
        for form in forms:
            if wanted and _digits_free(getattr(form, "project_name", None) or form.title) == wanted:
                return form
        return forms[0]

    approved = Document.objects.filter(department=department, year=year - 1, status=Status.APPROVED)
    for document in approved.order_by("-updated_at"):
        version = document.versions.order_by("-number").first()
        if version is not None and version.readable:
            form = pick(_target_forms(version))
            if form is not None:
                return version, form
    drafts = TargetDraft.objects.filter(department=department, year=year - 1, kind=kind).order_by(
        "-updated_at"
    )
    for draft in drafts:
        form = pick([draft.typed()])
        if form is not None:
            return draft, form
    return None


def start_declaration(
    kind: str, department: Department, year: int, form: Declaration | None, **names: Any
) -> Declaration:
    """The declaration a new draft starts with: ``form`` rolled forward to ``year`` for the
    department, or the skeleton."""
    if form is None:
        return skeleton(kind, department=department.name, year=year, **names)  # type: ignore[arg-type]
    rolled = roll_forward(form, year)
    return as_edited(rolled.model_copy(update={"department": department.name}))


def import_form(draft: TargetDraft, name: str, data: bytes) -> Declaration:
    """The target form of draft's kind read from an uploaded file (a project's matched on its name
    when the file holds several), made the draft's own (department, year, no places)."""
    try:
        check_file(name, data)
    except UploadError as exc:
        raise DraftError(exc.reason) from exc
    document, _ = load_bytes(data, name)
    if not document.readable:
        raise DraftError(f"{name}：无法读取文件内容")
    forms = [f for f in forms_of(document) if isinstance(f, DeptTargetDeclaration | ProjectTargetDeclaration)]
    same = [f for f in forms if f.form == draft.kind]
    if not same:
        raise DraftError(f"{name}：文件中没有{KIND_NAMES[draft.kind]}")
    current = draft.typed()
    wanted = _digits_free(getattr(current, "project_name", None) or current.title)
    chosen = next(
        (f for f in same if _digits_free(getattr(f, "project_name", None) or f.title) == wanted), same[0]
    )
    return as_edited(chosen.model_copy(update={"department": draft.department.name, "year": draft.year}))


# ---------------------------------------------------------------------------------------------------
# Checking


@dataclass
class RowCheck:
    """What the editor shows beside one indicator row."""

    findings: list[Finding] = field(default_factory=list)
    near: list[tuple[int, str, float]] = field(default_factory=list)  # (row, name, closeness)


@dataclass
class Checked:
    edited: Edited
    findings: list[Finding]  # every finding of the audit on the draft
    rows: dict[tuple[str, int], RowCheck]  # (section, row index in the editor) → findings there
    elsewhere: list[Finding]  # findings not on a row (the form as a whole)

    @property
    def declaration(self) -> Declaration:
        return self.edited.declaration

    def row(self, section: str, index: int) -> RowCheck:
        return self.rows.get((section, index)) or RowCheck()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def audit(declaration: Declaration) -> list[Finding]:
    """Every finding of the library's audit on the draft (no source text: a draft has none)."""
    report = audit_documents([draft_document(declaration)])
    return list(report.documents[0].findings)


def check(edited: Edited) -> Checked:
    """The audit's findings on ``edited``'s declaration put back on the editor's rows, and the
    near-duplicate indicator names of the form (``jixiao.library.near_duplicates``)."""
    findings = audit(edited.declaration)
    rows: dict[tuple[str, int], RowCheck] = defaultdict(RowCheck)
    elsewhere: list[Finding] = []
    for finding in findings:
        place = place_of(finding.locations[0]) if finding.locations else None
        row = edited.row_of(place[0], place[1]) if place is not None else None
        if place is None or row is None:
            elsewhere.append(finding)
        else:
            rows[(place[0], row)].findings.append(finding)
    indicators = edited.declaration.indicators
    for first, second, closeness in near_duplicates([i.name for i in indicators]):
        a, b = edited.row_of("indicators", first), edited.row_of("indicators", second)
        if a is not None and b is not None:
            rows[("indicators", b)].near.append((a, indicators[first].name, closeness))
    return Checked(edited, findings, dict(rows), elsewhere)


def edit(draft: TargetDraft, rows: Rows) -> Edited:
    return from_rows(draft.kind, rows, department=draft.department.name, year=draft.year)


@dataclass(frozen=True)
class Totals:
    tasks_total: Any
    tasks_fiscal: Any
    budget_sources: Any
    budget_uses: Any
    budget_total: Any
    agree: bool


def totals(declaration: Declaration) -> Totals | None:
    """The computed sums a 部门整体 form shows (None for a project form: nothing to add up)."""
    if not isinstance(declaration, DeptTargetDeclaration):
        return None
    total, fiscal = task_totals(declaration.tasks)
    budget = budget_totals(declaration.budget)
    return Totals(total, fiscal, budget.sources, budget.uses, budget.total, budget.agree)


# ---------------------------------------------------------------------------------------------------
# Rendering and submitting


def rendered(draft: TargetDraft, to: Format) -> bytes:
    """The draft as the official form (rows left empty dropped), in ``to`` (xlsx, docx…)."""
    return write(form_doc(prune(draft.typed()), to), to)


def file_name(draft: TargetDraft, suffix: str) -> str:
    return f"{draft.title}.{suffix}"


def submit(draft: TargetDraft, user: Any) -> Document:
    """Check the draft (errors block, listed), render its xlsx, keep it as a new version of its
    document (a new document the first time) and submit or resubmit it."""
    decision = may_edit(user, draft)
    if not decision:
        raise DraftError(decision.reason)
    declaration = prune(draft.typed())
    errors = [f for f in audit(declaration) if f.severity is Severity.ERROR]
    if errors:
        raise DraftError(f"还有 {len(errors)} 项错误，修改后才能提交", errors)
    data = write(form_doc(declaration, "xlsx"), "xlsx")
    with transaction.atomic():
        try:
            kept = upload(user, draft.department, file_name(draft, "xlsx"), data, document=draft.document)
        except UploadError as exc:
            raise DraftError(exc.reason) from exc
        document = kept.document
        if draft.document is None and kept.duplicate:
            raise DraftError(f"与已有文件《{document.title}》内容完全相同，未重复提交")
        action: Action = "resubmit" if document.status == Status.RETURNED else "submit"
        try:
            document = move(document, action, user)
        except WorkflowError as exc:
            raise DraftError(exc.reason) from exc
        draft.document = document
        draft.updated_by = user
        draft.save(update_fields=["document", "updated_by", "updated_at"])
    return document
