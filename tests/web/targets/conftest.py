"""Fixtures of the target editor: seed 004 uploaded through the store, a draft started from its
project form 《2023年事业单位面向社会公开招聘》, and the editor's fields as a browser posts them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jixiao.model.edit import Rows, to_rows
from jixiao.web.models import Department, DocumentVersion
from jixiao.web.store import upload
from jixiao.web.targets.models import TargetDraft
from jixiao.web.targets.service import sources_for
from tests.conftest import SEED_004
from tests.web.conftest import PASSWORD

PROJECT = "2023年事业单位面向社会公开招聘"


def fields(rows: Rows) -> dict[str, str]:
    """The editor's fields for ``rows``: ``h-<field>`` and ``<section>-<n>-<field>``."""
    data = {f"h-{name}": value for name, value in rows.header.items()}
    for section, items in rows.sections.items():
        for index, row in enumerate(items):
            for name, value in row.items():
                data[f"{section}-{index}-{name}"] = value
    return data


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


@pytest.fixture
def seed_004_version(users: dict[str, User], departments: tuple[Department, Department]) -> DocumentVersion:
    """Seed 004 (六枝特区 2023: 部门整体 + 4 project target forms) uploaded by the first department's officer."""
    return upload(users["officer"], departments[0], SEED_004.name, SEED_004.read_bytes()).version


@pytest.fixture
def project_draft(users: dict[str, User], seed_004_version: DocumentVersion) -> TargetDraft:
    """A 2024 project draft started, through the new-draft page, from seed 004's project form."""
    officer = users["officer"]
    source = next(s for s in sources_for(officer, "project_target") if PROJECT in s.label)
    response = client_for(officer).post(
        "/targets/new/", {"kind": "project_target", "year": "2024", "start": "source", "source": source.key}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = TargetDraft.objects.get()
    assert response["Location"] == f"/targets/{draft.pk}/"
    return draft


def editor_fields(draft: TargetDraft, **changes: Any) -> dict[str, str]:
    """The fields the editor shows for the saved ``draft``, with ``changes`` (field name → value)."""
    draft.refresh_from_db()
    data = fields(to_rows(draft.typed()))
    data.update({name: str(value) for name, value in changes.items()})
    return data
