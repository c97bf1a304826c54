"""Curation in the Django admin: merge selected entries (the uses move), rename, mark 共性指标 —
each step in the core audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jixiao.web.library.models import IndicatorEntry, IndicatorUse
from jixiao.web.models import AuditEvent, Document
from tests.web.conftest import PASSWORD


@pytest.fixture
def boss(client: Client, db: Any) -> Client:
    user = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(user)
    return client


CHANGELIST = "admin:jixiao_library_indicatorentry_changelist"


def test_pages_load(boss: Client, library: tuple[Document, Document]) -> None:
    entry = IndicatorEntry.objects.get(key="服务对象满意度")
    assert "服务对象满意度" in boss.get(reverse(CHANGELIST), {"q": "满意"}).content.decode()
    page = boss.get(reverse("admin:jixiao_library_indicatorentry_change", args=[entry.pk])).content.decode()
    assert "社会公众或服务对象满意度" in page  # its uses, read-only
    use = IndicatorUse.objects.first()
    assert use is not None
    assert boss.get(reverse("admin:jixiao_library_indicatoruse_change", args=[use.pk])).status_code == 200
    assert boss.get(reverse("admin:jixiao_library_indicatorentry_add")).status_code == 403


def test_admin_merge_keeps_the_uses(boss: Client, library: tuple[Document, Document]) -> None:
    target = IndicatorEntry.objects.get(key="补贴发放准确率")
    source = IndicatorEntry.objects.get(key="补助资金发放准确率")
    uses = set(IndicatorUse.objects.filter(entry__in=[target, source]).values_list("pk", flat=True))
    selected = {"action": "merge_entries", "_selected_action": [target.pk, source.pk]}
    confirm = boss.post(reverse(CHANGELIST), selected)
    assert confirm.status_code == 200 and "确认合并" in confirm.content.decode()
    done = boss.post(reverse(CHANGELIST), {**selected, "apply": "1", "target": target.pk}, follow=True)
    assert "合并到“补贴发放准确率”" in done.content.decode()
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target
    assert set(target.uses.values_list("pk", flat=True)) == uses
    assert target.usage_count == len(uses)
    event = AuditEvent.objects.get(action="library_merge")
    assert event.actor is not None and event.actor.username == "root"
    assert event.detail["uses"] == 1


def test_merge_needs_two_entries(boss: Client, library: tuple[Document, Document]) -> None:
    entry = IndicatorEntry.objects.get(key="补贴发放准确率")
    answer = boss.post(
        reverse(CHANGELIST), {"action": "merge_entries", "_selected_action": [entry.pk]}, follow=True
    )
    assert "请至少选择两个未合并的指标" in answer.content.decode()
    assert not AuditEvent.objects.filter(action="library_merge").exists()


def test_mark_common_and_rename_are_logged(boss: Client, library: tuple[Document, Document]) -> None:
    entry = IndicatorEntry.objects.get(key="群众满意度")
    boss.post(reverse(CHANGELIST), {"action": "mark_common", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.is_common
    assert AuditEvent.objects.get(action="library_common").detail == {
        "entry": {"id": entry.pk, "key": "群众满意度"},
        "is_common": True,
    }
    url = reverse("admin:jixiao_library_indicatorentry_change", args=[entry.pk])
    uses = list(entry.uses.all())
    form = {
        "curated_name": "社会公众满意度",
        "is_common": "on",
        "uses-TOTAL_FORMS": str(len(uses)),
        "uses-INITIAL_FORMS": str(len(uses)),
        "uses-MIN_NUM_FORMS": "0",
        "uses-MAX_NUM_FORMS": "1000",
        **{f"uses-{i}-id": str(use.pk) for i, use in enumerate(uses)},
        **{f"uses-{i}-entry": str(entry.pk) for i, _ in enumerate(uses)},
    }
    saved = boss.post(url, form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.title == "社会公众满意度" and entry.usage_count == len(uses)
    renamed = AuditEvent.objects.get(action="library_rename")
    assert renamed.detail["before"] == "群众满意度" and renamed.detail["after"] == "社会公众满意度"
    assert AuditEvent.objects.filter(action="library_common").count() == 1  # unchanged on save
