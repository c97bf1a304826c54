"""The dashboard's models come with their migration, which depends only on the core app's."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


def test_no_model_change_without_a_migration(db: Any) -> None:
    out = StringIO()
    call_command("makemigrations", "jixiao_dashboard", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_depends_only_on_the_core_app(db: Any) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, _), migration in loader.disk_migrations.items():
        if app == "jixiao_dashboard":
            assert {dependency[0] for dependency in migration.dependencies} <= {"jixiao", "jixiao_dashboard"}
