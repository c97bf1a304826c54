"""Seed 004 (六枝特区: 部门整体 + four 项目 forms) uploaded by the first department's officer and
seed 003 (郑州高新区 部门预算公开 with its 项目绩效目标汇总表) by the second department's officer."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from jixiao.web.models import Department, Document
from jixiao.web.store import upload
from tests.conftest import SEED_003, SEED_004


@pytest.fixture
def seed_004_document(users: dict[str, User], departments: tuple[Department, Department]) -> Document:
    return upload(users["officer"], departments[0], SEED_004.name, SEED_004.read_bytes()).document


@pytest.fixture
def seed_003_document(users: dict[str, User], departments: tuple[Department, Department]) -> Document:
    return upload(users["other"], departments[1], SEED_003.name, SEED_003.read_bytes()).document


@pytest.fixture
def library(seed_004_document: Document, seed_003_document: Document) -> tuple[Document, Document]:
    return seed_004_document, seed_003_document
