"""The library's models come with their migration, which depends on the core app only."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from jixiao.web.library.migrations import __path__ as migrations_path


def test_no_model_change_without_a_migration(db: Any) -> None:
    out = StringIO()
    call_command("makemigrations", "jixiao_library", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrations_depend_on_the_core_app_only() -> None:
    from importlib import import_module
    from pathlib import Path

    for path in sorted(Path(next(iter(migrations_path))).glob("0*.py")):
        migration = import_module(f"jixiao.web.library.migrations.{path.stem}").Migration
        apps = {app for app, _ in migration.dependencies}
        assert apps <= {"jixiao", "jixiao_library"}, path.name
