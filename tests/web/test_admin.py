"""The Django admin: every model's list and detail pages load for a superuser, in Chinese; the audit
log, the versions and the review record cannot be changed there; roles are edited on the user."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jixiao.web.models import (
    ApiToken,
    AuditEvent,
    Comment,
    Department,
    Dismissal,
    Document,
    DocumentVersion,
    Profile,
    Role,
)
from jixiao.web.store import finding_key
from jixiao.web.tokens import issue_token
from jixiao.web.workflow import move

MODELS = [Department, Profile, Document, DocumentVersion, Comment, Dismissal, AuditEvent, ApiToken, User]


@pytest.fixture
def filled(users: dict[str, User], seed_002_document: Document, seed_000_document: Document) -> Document:
    """Two seed documents, one submitted and returned with a comment, a dismissed finding, a token."""
    move(seed_002_document, "submit", users["officer"])
    move(seed_002_document, "return", users["reviewer"], "表3-1 效益指标得分与明细不一致")
    version = seed_002_document.versions.get()
    finding = version.audit["findings"][0]
    Dismissal.objects.create(
        version=version, code=finding["code"], key=finding_key(finding), reason="误报", user=users["reviewer"]
    )
    issue_token(users["officer"], "脚本")
    return seed_002_document


@pytest.fixture
def superuser_client(client: Client, db: Any) -> Client:
    boss = User.objects.create_superuser("root", password="jixiao-test-密码")
    client.force_login(boss)
    return client


def _url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_registered() -> None:
    assert all(admin.site.is_registered(model) for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_list_and_detail_page_loads(superuser_client: Client, filled: Document, model: Any) -> None:
    listed = superuser_client.get(_url(model, "changelist"))
    assert listed.status_code == 200
    assert str(model._meta.verbose_name_plural) in listed.content.decode()
    first = model.objects.order_by("pk").first()
    assert first is not None, f"no {model.__name__} in the fixture"
    detail = superuser_client.get(_url(model, "change", first.pk))
    assert detail.status_code == 200


def test_lists_search_and_filter(superuser_client: Client, filled: Document) -> None:
    found = superuser_client.get(_url(Document, "changelist"), {"q": "平桥"})
    assert found.status_code == 200 and filled.title in found.content.decode()
    assert found.context["cl"].result_count == 1
    returned = superuser_client.get(_url(Document, "changelist"), {"status__exact": "returned"})
    assert returned.context["cl"].result_count == 1
    uploads = superuser_client.get(_url(AuditEvent, "changelist"), {"action": "upload"})
    assert uploads.status_code == 200 and uploads.context["cl"].result_count == 2


def test_the_audit_log_cannot_be_changed_in_the_admin(superuser_client: Client, filled: Document) -> None:
    event = AuditEvent.objects.filter(action="return").get()
    before = (event.action, event.detail)
    page = superuser_client.get(_url(AuditEvent, "change", event.pk))
    html = page.content.decode()
    assert page.status_code == 200 and "表3-1 效益指标得分与明细不一致" in html
    assert 'name="_save"' not in html and 'name="action"' not in html  # shown, not a form
    posted = superuser_client.post(_url(AuditEvent, "change", event.pk), {"action": "approve"})
    assert posted.status_code == 403
    assert superuser_client.get(_url(AuditEvent, "add")).status_code == 403
    assert superuser_client.post(_url(AuditEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    bulk = superuser_client.post(
        _url(AuditEvent, "changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)  # no such action: nothing deleted
    event.refresh_from_db()
    assert (event.action, event.detail) == before
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_version_shows_its_hash_and_reading_not_its_bytes(
    superuser_client: Client, filled: Document
) -> None:
    version = filled.versions.get()
    html = superuser_client.get(_url(DocumentVersion, "change", version.pk)).content.decode()
    assert version.sha256 in html and str(version.size) in html
    assert "信阳市平桥区人力资源和社会保障局" in html  # the stored reading, Chinese as is
    assert 'name="content"' not in html and 'name="parsed"' not in html and 'name="_save"' not in html
    assert superuser_client.get(_url(DocumentVersion, "add")).status_code == 403
    posted = superuser_client.post(_url(DocumentVersion, "change", version.pk), {"original_name": "x.txt"})
    assert posted.status_code == 403
    version.refresh_from_db()
    assert version.original_name == "002_07fbb4ae47c57219.txt"


def test_a_document_status_is_not_edited_by_hand(superuser_client: Client, filled: Document) -> None:
    html = superuser_client.get(_url(Document, "change", filled.pk)).content.decode()
    assert 'name="status"' not in html and 'name="title"' in html
    assert "已退回" in html


def test_the_role_is_edited_inline_on_the_user(
    superuser_client: Client, users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    officer = users["officer"]
    page = superuser_client.get(_url(User, "change", officer.pk))
    html = page.content.decode()
    assert page.status_code == 200 and "角色和部门" in html and 'name="profile-0-role"' in html
    listing = superuser_client.get(_url(User, "changelist")).content.decode()
    assert "部门填报人" in listing and "财政局审核人" in listing
    profile = officer.profile
    form = {
        "username": officer.username,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "1",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(officer.pk),
        "profile-0-role": Role.VIEWER,
        "profile-0-department": str(departments[1].pk),
    }
    saved = superuser_client.post(_url(User, "change", officer.pk), form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    profile.refresh_from_db()
    assert (profile.role, profile.department) == (Role.VIEWER, departments[1])


def test_a_department_officer_cannot_open_the_admin(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["officer"])
    page = client.get(_url(Document, "changelist"))
    assert page.status_code == 302 and "/admin/login/" in page["Location"]
