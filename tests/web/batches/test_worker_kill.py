"""Nothing lost when a worker dies: real ``jixiao worker`` processes on a file database, one killed
with SIGKILL in the middle of a task, another started after it; every file imported exactly once.

The database is a SQLite file in a temporary folder, or the scratch PostgreSQL database named by
``JIXIAO_TEST_WORKER_DATABASE_URL`` (it is migrated and filled; use an empty one).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PDF_SWJ

ROOT = Path(__file__).resolve().parents[3]
TEXTS = 24

SETUP = f"""
import json, os, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from jixiao.synth import generate_many
from jixiao.web.batches.service import start_batch
from jixiao.web.models import Profile, Role
user = User.objects.create_user("czj")
Profile.objects.create(user=user, role=Role.REVIEWER)
docs = list(generate_many({TEXTS}, seed=11))
files = [(d.name, d.data) for d in docs[:2]]
files.append(("{PDF_SWJ.name}", open(r"{PDF_SWJ}", "rb").read()))
files += [(d.name, d.data) for d in docs[2:]]
files += [("副本-" + d.name, d.data) for d in docs[:3]]  # the same bytes again
batch = start_batch(user, None, "kill -9", files)
print(json.dumps({{"batch": batch.pk, "files": len(files)}}))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="jixiao.web.settings",
        JIXIAO_DATA=str(tmp_path),
        JIXIAO_WORKER_LEASE="300",  # the dead worker is found by its process id, not by the lease
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    url = os.environ.get("JIXIAO_TEST_WORKER_DATABASE_URL")
    if url:
        env["DATABASE_URL"] = url
    return env


class Database:
    """Read-only queries on the workers' database, from this process."""

    def __init__(self, tmp_path: Path) -> None:
        self.url = os.environ.get("JIXIAO_TEST_WORKER_DATABASE_URL")
        self.path = tmp_path / "db.sqlite3"

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        for _ in range(50):
            try:
                if self.url:
                    import psycopg

                    with psycopg.connect(self.url) as conn:
                        return list(conn.execute(sql).fetchall())
                with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10) as conn:
                    return list(conn.execute(sql).fetchall())
            except sqlite3.OperationalError:
                time.sleep(0.1)  # locked while a worker writes
        raise AssertionError("database stayed locked")

    def value(self, sql: str) -> Any:
        return self.rows(sql)[0][0]


def worker(env: dict[str, str], *more: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "jixiao.cli", "worker", "--no-migrate", "--interval", "0.2", *more]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_killed_worker_task_is_picked_up_and_every_file_imported_once(
    tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    env = _env(tmp_path)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    facts = json.loads(setup.stdout.strip().splitlines()[-1])
    db = Database(tmp_path)
    assert (
        db.value("select count(*) from django_tasks_database_dbtaskresult where status = 'READY'")
        == (facts["files"])
    )

    first = worker(env)
    started.append(first)
    task = "t.id = i.task_id::uuid" if db.url else "t.id = replace(i.task_id, '-', '')"
    running_pdf = (
        "select i.id from jixiao_batches_batchitem i join django_tasks_database_dbtaskresult t on "
        f"{task} where t.status = 'RUNNING' and i.status = 'queued' and i.name = '{PDF_SWJ.name}'"
    )
    [(item_id,)] = wait_for(lambda: db.rows(running_pdf), 120, "the PDF to be imported")
    os.kill(first.pid, signal.SIGKILL)
    assert first.wait(timeout=30) == -signal.SIGKILL
    # the dead worker left its task RUNNING: this is what must not be lost
    stuck = db.rows("select worker_ids from django_tasks_database_dbtaskresult where status = 'RUNNING'")
    assert len(stuck) == 1
    assert db.rows(running_pdf) == [(item_id,)]  # not imported, nothing kept
    assert db.value("select count(*) from jixiao_documentversion where original_name like '%.pdf'") == 0

    second = worker(env, "--batch")  # recovers at start, then exits once the queue is empty
    started.append(second)
    _, errors = second.communicate(timeout=600)
    assert second.returncode == 0, errors.decode(errors="replace")

    statuses = dict(db.rows("select status, count(*) from jixiao_batches_batchitem group by status"))
    assert statuses == {"done": facts["files"] - 3, "duplicate": 3}
    assert db.value("select count(*) from django_tasks_database_dbtaskresult where status = 'RUNNING'") == 0
    versions = db.value("select count(*) from jixiao_documentversion")
    distinct = db.value("select count(distinct sha256) from jixiao_batches_batchitem")
    assert versions == distinct == facts["files"] - 3  # one version per distinct file, none twice
    assert db.value(f"select attempts from jixiao_batches_batchitem where id = {item_id}") == 2
    linked = db.value(
        "select count(*) from jixiao_batches_batchitem i join jixiao_documentversion v on v.id = i.version_id"
        " where v.sha256 = i.sha256"
    )
    assert linked == facts["files"]
    assert (
        db.value("select count(*) from jixiao_batches_workerbeat") == 0
    )  # the dead one's removed, the other left


RECYCLE_SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from jixiao.synth import generate_many
from jixiao.web.batches.service import start_batch
from jixiao.web.models import Profile, Role
user = User.objects.create_user("czj")
Profile.objects.create(user=user, role=Role.REVIEWER)
batch = start_batch(user, None, "recycle", [(d.name, d.data) for d in generate_many(12, seed=12)])
print(json.dumps({"files": batch.total}))
"""


def test_workers_recycled_after_max_tasks_finish_the_batch(
    tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    env = _env(tmp_path)
    setup = subprocess.run(
        [sys.executable, "-c", RECYCLE_SETUP],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    files = json.loads(setup.stdout.strip().splitlines()[-1])["files"]
    supervisor = worker(env, "--processes", "2", "--max-tasks", "4", "--batch")
    started.append(supervisor)
    _, errors = supervisor.communicate(timeout=600)
    assert supervisor.returncode == 0, errors.decode(errors="replace")
    db = Database(tmp_path)
    assert dict(db.rows("select status, count(*) from jixiao_batches_batchitem group by status")) == {
        "done": files
    }
    workers = {
        json.loads(row[0])[-1] for row in db.rows("select worker_ids from django_tasks_database_dbtaskresult")
    }
    assert len(workers) >= 3  # 12 tasks, at most 4 per process: fresh processes took over
