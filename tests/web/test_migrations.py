"""Every model change comes with its migration."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command


def test_no_model_change_without_a_migration(db: Any) -> None:
    out = StringIO()
    call_command("makemigrations", "jixiao", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
