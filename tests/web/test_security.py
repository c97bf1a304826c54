"""Security through the pages: the permission matrix (role × action × state: the buttons shown,
the POSTs answered, the state changed or not), 404 for another department's document however it
is guessed, CSRF enforced, login throttling, password hashing, no external URL in a page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import global_settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from jixiao.web.models import AuditEvent, Comment, Department, Dismissal, Document, Profile, Role, Status
from jixiao.web.store import finding_key, upload
from jixiao.web.workflow import TRANSITIONS
from tests.conftest import SEED_000
from tests.web.conftest import PASSWORD

ROLES = ("admin", "reviewer", "officer", "other", "viewer", "auditor")
STATES = tuple(Status.values)


@pytest.fixture(autouse=True)
def _fresh_cache_fast_hashing(settings: Any) -> None:
    """A clean login-throttle cache (the fast password hasher is set in conftest)."""
    cache.clear()


@pytest.fixture
def document_in(
    users: dict[str, User], departments: tuple[Department, Department]
) -> Callable[[str], Document]:
    """Seed 000 as a document of the first department (the officer's and viewer's), in a state."""

    def make(state: str) -> Document:
        document = upload(users["officer"], departments[0], SEED_000.name, SEED_000.read_bytes()).document
        Document.objects.filter(pk=document.pk).update(status=state)
        document.refresh_from_db()
        return document

    return make


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def expected_transition(role: str, action: str, state: str) -> int:
    """The answer to a transition POST: 302 done, 403 not the role's to do, 409 not in this state,
    404 not even visible."""
    if role == "other":
        return 404
    if role == "admin":
        return 302
    if role == "reviewer":
        if action not in ("return", "approve"):
            return 403
        return 302 if state in ("submitted", "resubmitted") else 409
    if role == "officer":
        if action not in ("submit", "resubmit"):
            return 403
        return 302 if (action, state) in (("submit", "draft"), ("resubmit", "returned")) else 409
    return 403  # viewers


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", tuple(TRANSITIONS))
@pytest.mark.parametrize("role", ROLES)
def test_transition_matrix(
    users: dict[str, User], document_in: Callable[[str], Document], role: str, action: str, state: str
) -> None:
    document = document_in(state)
    client = client_for(users[role])
    expected = expected_transition(role, action, state)
    response = client.get(reverse("jixiao:document", args=[document.pk]))
    if expected == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        shown = [b["action"] for b in response.context["buttons"]]
        assert (action in shown) is (expected == 302)
        form = f'action="{reverse("jixiao:transition", args=[document.pk, action])}"'
        assert (form in response.content.decode()) is (expected == 302)
    url = reverse("jixiao:transition", args=[document.pk, action])
    answer = client.post(url, {"comment": "请按意见修改"})
    assert answer.status_code == expected
    document.refresh_from_db()
    assert document.status == (TRANSITIONS[action] if expected == 302 else state)
    events = AuditEvent.objects.filter(document=document, action=action).count()
    assert events == (1 if expected == 302 else 0)
    if expected == 403:
        assert "无权操作" in answer.content.decode()


def test_refusal_gives_the_reason(users: dict[str, User], document_in: Callable[[str], Document]) -> None:
    document = document_in("draft")
    answer = client_for(users["viewer"]).post(reverse("jixiao:transition", args=[document.pk, "submit"]))
    assert answer.status_code == 403 and "只读查看人不能提交" in answer.content.decode()
    answer = client_for(users["officer"]).post(reverse("jixiao:transition", args=[document.pk, "approve"]))
    assert (
        answer.status_code == 403 and "部门填报人不能审核通过，由财政局审核人操作" in answer.content.decode()
    )
    answer = client_for(users["officer"]).post(reverse("jixiao:transition", args=[document.pk, "resubmit"]))
    assert "只有“已退回”的文件可以重新提交" in answer.content.decode()
    assert (
        client_for(users["officer"])
        .post(reverse("jixiao:transition", args=[document.pk, "delete"]))
        .status_code
        == 404
    )


def expected_other(role: str, action: str, state: str) -> int:
    if role == "other":
        return 404
    if role == "admin":
        return 302
    if action == "comment":
        return 302 if role in ("reviewer", "officer") else 403
    if action == "dismiss":
        return 302 if role == "reviewer" else 403
    # upload a new version: the officer, while a draft or returned
    return 302 if role == "officer" and state in ("draft", "returned") else 403


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ("upload", "comment", "dismiss"))
@pytest.mark.parametrize("role", ROLES)
def test_upload_comment_dismiss_matrix(
    users: dict[str, User], document_in: Callable[[str], Document], role: str, action: str, state: str
) -> None:
    document = document_in(state)
    version = document.versions.get()
    client = client_for(users[role])
    expected = expected_other(role, action, state)
    if action == "upload":
        changed = SEED_000.read_bytes() + f"\n{role}{state}\n".encode()
        files = {"files": [SimpleUploadedFile("000-修改.txt", changed)]}
        answer = client.post(reverse("jixiao:upload_version", args=[document.pk]), files)
        count = document.versions.count()
        assert count == (2 if expected == 302 else 1)
    elif action == "comment":
        answer = client.post(
            reverse("jixiao:comment", args=[document.pk]), {"text": "意见", "anchor": "表1 行36"}
        )
        assert Comment.objects.filter(document=document).count() == (1 if expected == 302 else 0)
    else:
        key = finding_key(version.audit["findings"][0])
        answer = client.post(reverse("jixiao:dismiss", args=[document.pk, 1]), {"key": key, "reason": "误报"})
        assert Dismissal.objects.filter(version=version).count() == (1 if expected == 302 else 0)
    assert answer.status_code == expected
    document.refresh_from_db()
    assert document.status == state
    if expected != 404:
        page = client.get(reverse("jixiao:document", args=[document.pk]))
        html = page.content.decode()
        marker = {
            "upload": "上传新版本</button>",
            "comment": "提交意见</button>",
            "dismiss": "<summary>标记误报",
        }[action]
        assert (marker in html) is (expected == 302)


@pytest.mark.parametrize("role", ("officer", "viewer", "other"))
def test_stats_only_for_reviewers(users: dict[str, User], role: str) -> None:
    answer = client_for(users[role]).get(reverse("jixiao:stats"))
    assert answer.status_code == 403
    assert client_for(users["reviewer"]).get(reverse("jixiao:stats")).status_code == 200


def test_new_documents_only_by_officers(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    for role in ("reviewer", "viewer", "auditor"):
        with SEED_000.open("rb") as f:
            answer = client_for(users[role]).post(
                reverse("jixiao:upload"), {"files": [f], "department": departments[0].pk}
            )
        assert answer.status_code == 403, role
    assert Document.objects.count() == 0
    # an officer naming another department still uploads into its own
    with SEED_000.open("rb") as f:
        client_for(users["officer"]).post(
            reverse("jixiao:upload"), {"files": [f], "department": departments[1].pk}
        )
    assert Document.objects.get().department == departments[0]


def test_guessing_another_departments_document_is_404(
    users: dict[str, User], document_in: Callable[[str], Document]
) -> None:
    document = document_in("submitted")
    version = document.versions.get()
    key = finding_key(version.audit["findings"][0])
    guesses: list[tuple[str, str, dict[str, Any]]] = [
        ("get", reverse("jixiao:document", args=[document.pk]), {}),
        ("get", reverse("jixiao:document", args=[document.pk]) + "?version=1", {}),
        ("get", reverse("jixiao:findings", args=[document.pk]), {"version": 1}),
        ("get", reverse("jixiao:download", args=[document.pk, 1]), {}),
        ("get", reverse("jixiao:render", args=[document.pk, 1, "html"]), {}),
        ("post", reverse("jixiao:comment", args=[document.pk]), {"text": "x"}),
        ("post", reverse("jixiao:dismiss", args=[document.pk, 1]), {"key": key, "reason": "x"}),
        ("post", reverse("jixiao:transition", args=[document.pk, "return"]), {"comment": "x"}),
        ("post", reverse("jixiao:transition", args=[document.pk, "approve"]), {}),
        ("post", reverse("jixiao:upload_version", args=[document.pk]), {}),
    ]
    other = client_for(users["other"])
    for method, url, data in guesses:
        answer = getattr(other, method)(url, data)
        assert answer.status_code == 404, url
        assert document.title not in answer.content.decode()
    # the same answer as for an id that does not exist
    missing = Document.objects.order_by("-pk").first()
    assert missing is not None
    assert other.get(reverse("jixiao:document", args=[missing.pk + 100])).status_code == 404
    # versions that do not exist, on a document one may see
    reviewer = client_for(users["reviewer"])
    for url in (
        reverse("jixiao:download", args=[document.pk, 2]),
        reverse("jixiao:render", args=[document.pk, 2, "xlsx"]),
    ):
        assert reviewer.get(url).status_code == 404
    assert (
        reviewer.post(
            reverse("jixiao:dismiss", args=[document.pk, 2]), {"key": key, "reason": "x"}
        ).status_code
        == 404
    )
    document.refresh_from_db()
    assert document.status == Status.SUBMITTED
    assert not Comment.objects.exists() and not Dismissal.objects.exists()


def test_no_role_sees_nothing(users: dict[str, User], document_in: Callable[[str], Document]) -> None:
    document = document_in("draft")
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    client = client_for(nobody)
    assert client.get(reverse("jixiao:document", args=[document.pk])).status_code == 404
    home = client.get(reverse("jixiao:home"))
    assert home.status_code == 200 and document.title not in home.content.decode()
    assert "未分配角色" in home.content.decode()


def test_csrf_is_enforced(users: dict[str, User], document_in: Callable[[str], Document]) -> None:
    document = document_in("draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["officer"])
    url = reverse("jixiao:transition", args=[document.pk, "submit"])
    assert client.post(url).status_code == 403
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    for target, data in (
        (reverse("jixiao:comment", args=[document.pk]), {"text": "x"}),
        (reverse("jixiao:upload"), {}),
        (reverse("jixiao:logout"), {}),
    ):
        assert client.post(target, data).status_code == 403, target
    # with the token the page gives, it goes through
    page = client.get(reverse("jixiao:document", args=[document.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    assert client.post(url, {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    document.refresh_from_db()
    assert document.status == Status.SUBMITTED
    # the login form too
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post(reverse("jixiao:login"), {"username": "officer", "password": PASSWORD}).status_code
        == 403
    )


def login(client: Client, name: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(reverse("jixiao:login"), {"username": name, "password": password}, REMOTE_ADDR=address)


def test_login_and_logout(users: dict[str, User]) -> None:
    client = Client()
    answer = login(client, "officer", PASSWORD)
    assert answer.status_code == 302 and answer["Location"] == reverse("jixiao:home")
    assert client.get(reverse("jixiao:home")).status_code == 200
    wrong = login(Client(), "officer", "错误的密码")
    assert wrong.status_code == 200 and "请输入一个正确的" in wrong.content.decode()
    assert client.post(reverse("jixiao:logout")).status_code == 302
    assert client.get(reverse("jixiao:home")).status_code == 302


@override_settings(LOGIN_ATTEMPTS=3, LOGIN_WINDOW_SECONDS=120)
def test_login_throttled_per_user_name(users: dict[str, User]) -> None:
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert login(Client(), "officer", "错误的密码", address).status_code == 200
    client = Client()
    refused = login(client, "officer", PASSWORD, "10.0.0.4")  # right password, new address: still refused
    assert refused.status_code == 429
    assert "登录失败次数过多，已暂停登录，请 2 分钟后再试。" in refused.content.decode()
    assert client.get(reverse("jixiao:home")).status_code == 302  # not logged in
    assert login(Client(), "reviewer", PASSWORD, "10.0.0.4").status_code == 302  # others unaffected
    cache.clear()  # the window over
    assert login(Client(), "officer", PASSWORD, "10.0.0.4").status_code == 302


@override_settings(LOGIN_ATTEMPTS=3)
def test_login_throttled_per_address(users: dict[str, User]) -> None:
    for name in ("a", "b", "c"):
        assert login(Client(), name, "x", "10.9.9.9").status_code == 200
    assert login(Client(), "viewer", PASSWORD, "10.9.9.9").status_code == 429
    assert login(Client(), "viewer", PASSWORD, "10.9.9.8").status_code == 302


def test_passwords_are_hashed_by_django(settings: Any, departments: tuple[Department, Department]) -> None:
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = User.objects.create_user("hashed", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.OFFICER, department=departments[0])
    assert user.password.startswith("pbkdf2_sha256$") and PASSWORD not in user.password
    assert login(Client(), "hashed", PASSWORD).status_code == 302


def test_pages_name_no_external_url(
    users: dict[str, User], document_in: Callable[[str], Document], departments: tuple[Department, Department]
) -> None:
    document = document_in("draft")
    client = client_for(users["admin"])
    pages = [
        client.get(reverse("jixiao:home")),
        client.get(reverse("jixiao:document", args=[document.pk])),
        client.get(reverse("jixiao:stats")),
        Client().get(reverse("jixiao:login")),
    ]
    for answer in pages:
        html = answer.content.decode()
        assert answer.status_code == 200
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", html)
        assert '/static/jixiao/htmx.min.js"' in html and "/static/jixiao/jixiao.css" in html
    assert client.get("/static/jixiao/htmx.min.js").status_code == 200
    assert (
        'name="csrfmiddlewaretoken"'
        in client.get(reverse("jixiao:document", args=[document.pk])).content.decode()
    )
