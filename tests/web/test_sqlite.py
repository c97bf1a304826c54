"""SQLite shared by several processes (the web server and ``jixiao worker --processes N``): the file
is in WAL mode and a transaction takes the write lock when it begins, so a second writer waits for
it instead of failing with "database is locked" when two try to upgrade a read lock at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sqlite3
import django
django.setup()
from django.db import connection, transaction
connection.ensure_connection()
mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
with transaction.atomic():
    connection.cursor().execute("SELECT count(*) FROM sqlite_master")  # a read: DEFERRED takes no write lock
    try:
        other.execute("BEGIN IMMEDIATE")
        blocked = False
        other.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        blocked = "locked" in str(exc)
print(json.dumps({"mode": mode, "blocked": blocked}))
"""


def test_sqlite_runs_in_wal_and_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"JIXIAO_DATA": str(tmp_path), "DJANGO_SETTINGS_MODULE": "jixiao.web.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"mode": "wal", "blocked": True}
