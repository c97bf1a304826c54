"""The demo: sample documents and one account per role, so the web app can be tried at once.

In: the files to load (``sample_paths``: the same list ``make run`` uses) and a password for the
demo accounts. Out: a ``DemoResult`` saying what was created: departments named after the
documents' departments, the accounts (``admin`` 系统管理员, ``czj`` 财政局审核人, one 部门填报人 per
department ``dept1``, ``dept2``…, ``viewer`` 只读查看人), each file uploaded through
``jixiao.web.store.upload`` as its department's officer, and the target declarations and
self-evaluations submitted through ``jixiao.web.workflow.move`` so the reviewer's inbox has work.

Idempotent: departments and accounts already there are kept as they are (an existing account's
password is never changed), identical files are recognised by the store, and only documents added
by this run are submitted. Run it on a demo database, not on a production one.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from jixiao.ingest.load import load_bytes
from jixiao.summary import KIND_NAMES
from jixiao.web.models import Department, Document, DocumentVersion, Profile, Role, Status
from jixiao.web.store import UploadError, analyse, upload
from jixiao.web.workflow import WorkflowError, move

#: The demo accounts' password unless another is given.
DEMO_PASSWORD = "jixiao-demo"
#: The department of a document that names none.
FALLBACK_DEPARTMENT = "示例部门"
ADMIN_NAME = "admin"
REVIEWER_NAME = "czj"
VIEWER_NAME = "viewer"
OFFICER_PREFIX = "dept"
#: Document kinds the demo submits for review (disclosures stay drafts).
SUBMITTED_KINDS = ("self_evaluation", "dept_target", "project_target")


class DemoError(Exception):
    """The demo cannot run as asked (e.g. a password Django refuses), with the reason in Chinese."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # the role's Chinese label
    department: str | None
    created: bool
    password_works: bool  # the demo password opens this account (False: an existing, changed one)


@dataclass(frozen=True)
class DemoDocument:
    file: str
    department: str
    title: str = ""
    kind: str = ""  # Chinese name of the kind
    status: str = ""  # Chinese label of the status after this run
    added: bool = False  # False: the same file was already stored
    error: str | None = None  # why the file could not be loaded


@dataclass
class DemoResult:
    password: str
    accounts: list[DemoAccount] = field(default_factory=list)
    documents: list[DemoDocument] = field(default_factory=list)
    departments_created: int = 0
    documents_added: int = 0
    documents_submitted: int = 0

    @property
    def users_created(self) -> int:
        return sum(1 for a in self.accounts if a.created)


def sample_paths(root: Path) -> list[Path]:
    """The sample documents ``make run`` uses: ``../shared`` seeds (txt) and corpus (pdf, xls, xlsx)
    next to ``root``, else the copies under ``root/tests/data``."""
    for base in (root.parent / "shared", root / "tests" / "data"):
        found = [
            *sorted((base / "seeds").glob("*.txt")),
            *sorted((base / "corpus").glob("*.pdf")),
            *sorted((base / "corpus").glob("*.xls*")),
        ]
        if found:
            return found
    return []


def default_sample_paths() -> list[Path]:
    """``sample_paths`` of the source checkout Jixiao runs from, else of the current folder."""
    checkout = Path(__file__).resolve().parents[3]
    roots = [checkout] if (checkout / "pyproject.toml").exists() else []
    for root in [*roots, Path.cwd()]:
        found = sample_paths(root)
        if found:
            return found
    return []


Analysed = tuple[Any, dict[str, Any], list[dict[str, Any]]]  # store.analyse's result


#: Whether ``store.upload`` takes a reading already made (``analysed=``); where it does not, the
#: upload reads the file once more.
_UPLOAD_TAKES_ANALYSIS = "analysed" in inspect.signature(upload).parameters


def _department_name(path: Path, data: bytes) -> tuple[str, Analysed | None]:
    """The department a file belongs to: as already stored (nothing read), else as the library
    reads ``data`` (the bytes read once from disk) — with that reading, handed to the upload so
    that the file is read and analysed once."""
    digest = hashlib.sha256(data).hexdigest()
    known = DocumentVersion.objects.filter(sha256=digest).select_related("document__department").first()
    if known is not None:
        return known.document.department.name, None
    analysed: Analysed | None = None
    if _UPLOAD_TAKES_ANALYSIS:
        analysed = analyse(path.name, data)
        parsed = analysed[0]
    else:
        parsed = load_bytes(data, path.name)[0]
    for form in parsed.forms:
        name = (getattr(form, "department", None) or "").strip()
        if name:
            return name[:200], analysed
    return FALLBACK_DEPARTMENT, analysed


def _check_password(password: str) -> None:
    try:
        validate_password(password)
    except ValidationError as exc:
        raise DemoError("演示密码不符合要求：" + "；".join(exc.messages)) from exc


class _Password:
    """The demo password hashed once for every new account, and checked once per stored hash
    (Django's hashing takes most of a second each time)."""

    def __init__(self, password: str) -> None:
        self.password = password
        self._encoded: str | None = None
        self._checked: dict[str, bool] = {}

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = make_password(self.password)
            self._checked[self._encoded] = True
        return self._encoded

    def works(self, user: Any) -> bool:
        stored = str(user.password)
        if stored not in self._checked:
            self._checked[stored] = user.check_password(self.password)
        return self._checked[stored]


def _account(
    username: str, role: str, department: Department | None, password: _Password, superuser: bool = False
) -> tuple[Any, DemoAccount]:
    """The account ``username`` with ``role``, created when missing (an existing one is kept)."""
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = users(
            username=username, password=password.encoded(), is_staff=superuser, is_superuser=superuser
        )
        user.save()
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"role": role, "department": department})
    shown = profile.department.name if profile.department is not None else None
    return user, DemoAccount(username, Role(profile.role).label, shown, created, password.works(user))


def _officer(department: Department, password: _Password) -> tuple[Any, DemoAccount]:
    """The department's demo officer (``deptN``): the existing one, or a new one with the next N."""
    pattern = rf"^{OFFICER_PREFIX}[0-9]+$"
    profile = (
        Profile.objects.filter(role=Role.OFFICER, department=department, user__username__regex=pattern)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if profile is not None:
        return _account(profile.user.username, Role.OFFICER, department, password)
    users = get_user_model()
    taken = {
        int(m.group(1))
        for name in users.objects.filter(username__regex=pattern).values_list("username", flat=True)
        if (m := re.match(rf"{OFFICER_PREFIX}([0-9]+)$", name))
    }
    number = next(n for n in range(1, len(taken) + 2) if n not in taken)
    return _account(f"{OFFICER_PREFIX}{number}", Role.OFFICER, department, password)


def _describe(document: Document, name: str, added: bool) -> DemoDocument:
    return DemoDocument(
        file=name,
        department=document.department.name,
        title=document.title,
        kind=KIND_NAMES.get(document.kind, document.kind),
        status=Status(document.status).label,
        added=added,
    )


def load_demo(
    paths: list[Path],
    password: str | None = None,
    progress: Callable[[DemoDocument], None] | None = None,
) -> DemoResult:
    """Create the demo departments and accounts and load ``paths`` (see the module docstring);
    ``progress`` is called after each file."""
    password = password or DEMO_PASSWORD
    _check_password(password)
    result = DemoResult(password=password)
    secret = _Password(password)

    contents: list[tuple[Path, bytes | None, str, Analysed | None]] = []
    for path in paths:
        try:
            read = path.read_bytes()
        except OSError as exc:
            contents.append((path, None, f"无法读取文件：{exc.strerror or exc}", None))
            continue
        contents.append((path, read, *_department_name(path, read)))

    departments: dict[str, Department] = {}
    for _, content, name, _ in contents:
        if content is not None and name not in departments:
            department, created = Department.objects.get_or_create(name=name)
            departments[name] = department
            result.departments_created += created

    _, admin = _account(ADMIN_NAME, Role.ADMIN, None, secret, superuser=True)
    _, reviewer = _account(REVIEWER_NAME, Role.REVIEWER, None, secret)
    officers: dict[str, Any] = {}
    officer_accounts: list[DemoAccount] = []
    for name, department in departments.items():
        officers[name], account = _officer(department, secret)
        officer_accounts.append(account)
    _, viewer = _account(VIEWER_NAME, Role.VIEWER, None, secret)
    result.accounts = [admin, reviewer, *officer_accounts, viewer]

    for path, data, detail, analysed in contents:
        if data is None:
            item = DemoDocument(file=path.name, department="", error=detail)
        else:
            item = _load_one(result, officers[detail], departments[detail], path.name, data, analysed)
        result.documents.append(item)
        if progress is not None:
            progress(item)
    return result


def _load_one(
    result: DemoResult,
    officer: Any,
    department: Department,
    name: str,
    data: bytes,
    analysed: Analysed | None = None,
) -> DemoDocument:
    """Upload one file as the department's officer; submit it when new and of a kind reviewed."""
    try:
        if analysed is not None and _UPLOAD_TAKES_ANALYSIS:
            uploaded = upload(officer, department, name, data, analysed=analysed)  # type: ignore[call-arg,unused-ignore]
        else:
            uploaded = upload(officer, department, name, data)
    except UploadError as exc:
        return DemoDocument(file=name, department=department.name, error=exc.reason)
    document = uploaded.document
    if uploaded.duplicate:
        return _describe(document, name, added=False)
    result.documents_added += 1
    if document.kind in SUBMITTED_KINDS and document.status == Status.DRAFT and uploaded.version.readable:
        try:
            document = move(document, "submit", officer)
            result.documents_submitted += 1
        except WorkflowError:
            pass  # e.g. the officer account was changed by hand: the document stays a draft
    return _describe(document, name, added=True)
