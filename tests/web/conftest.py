"""Web fixtures: two departments, one user per role, and seed documents uploaded through the store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from jixiao.web.models import Department, Document, Profile, Role
from jixiao.web.store import upload
from tests.conftest import SEED_000, SEED_002

PASSWORD = "jixiao-test-密码"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """A fast hasher in tests: the real one (PBKDF2) spends seconds per user by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def departments(db: Any) -> tuple[Department, Department]:
    return (
        Department.objects.create(name="信阳市平桥区人力资源和社会保障局"),
        Department.objects.create(name="郑州市人力资源和社会保障局"),
    )


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(name: str, role: str, department: Department | None = None) -> User:
        user = User.objects.create_user(name, password=PASSWORD)
        Profile.objects.create(user=user, role=role, department=department)
        return user

    return make


@pytest.fixture
def users(make_user: Callable[..., User], departments: tuple[Department, Department]) -> dict[str, User]:
    """admin, reviewer, officer (of the first department), other (officer of the second), viewer
    (of the first department), auditor (viewer without a department)."""
    own, other = departments
    return {
        "admin": make_user("admin", Role.ADMIN),
        "reviewer": make_user("reviewer", Role.REVIEWER),
        "officer": make_user("officer", Role.OFFICER, own),
        "other": make_user("other", Role.OFFICER, other),
        "viewer": make_user("viewer", Role.VIEWER, own),
        "auditor": make_user("auditor", Role.VIEWER),
    }


@pytest.fixture
def seed_002_document(users: dict[str, User], departments: tuple[Department, Department]) -> Document:
    """Seed 002 (a 部门整体 self-evaluation) uploaded by the first department's officer."""
    return upload(users["officer"], departments[0], SEED_002.name, SEED_002.read_bytes()).document


@pytest.fixture
def seed_000_document(users: dict[str, User], departments: tuple[Department, Department]) -> Document:
    """Seed 000 (a 部门整体 target declaration) uploaded by the second department's officer."""
    return upload(users["other"], departments[1], SEED_000.name, SEED_000.read_bytes()).document
