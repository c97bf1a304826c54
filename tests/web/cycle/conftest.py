"""Cycle fixtures: seed 004 (六枝特区 2023: 部门整体 + 4 项目 target forms) uploaded by the first
department's officer through the store, submitted and approved by the reviewer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from jixiao.web.models import Department, Document
from jixiao.web.store import upload
from jixiao.web.workflow import move
from tests.conftest import SEED_004


@pytest.fixture
def approved_004(users: dict[str, User], departments: tuple[Department, Department]) -> Document:
    document = upload(users["officer"], departments[0], SEED_004.name, SEED_004.read_bytes()).document
    move(document, "submit", users["officer"])
    return move(document, "approve", users["reviewer"])
