"""``jixiao worker``: django-tasks' database worker, plus a heartbeat so that nothing is lost when a
worker dies.

django_tasks_db marks a task RUNNING with the worker's id and start time and records nothing else
about workers: a worker killed mid-task (SIGKILL, power cut) leaves its task RUNNING for ever. So
each ``jixiao worker`` process records a ``WorkerBeat`` (host, process id, last seen) and refreshes
it every few seconds from a thread. When a worker starts, and at every beat, ``recover`` hands a
batch-import task back to the queue when its worker is gone: a process of this machine that no
longer exists, or a beat older than the lease (``JIXIAO_WORKER_LEASE`` seconds, default 60; a
worker without any beat after the lease from the task's start). Only ``import_file`` tasks are
handed back — they are idempotent (``importer``); other apps' tasks are left to their owners.
``recover`` also queues again the items of a batch whose task went missing (a crash between the
batch's commit and its queueing) or ended without finishing the item.

``run(processes=N)`` runs one worker in this process, or starts N worker processes and waits;
with ``max_tasks`` each worker process is replaced by a fresh one after that many tasks (the
library's lru caches grow a worker's memory with the number of documents it read).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from jixiao.web.batches.models import FINISHED, BatchItem, ItemStatus, WorkerBeat
from jixiao.web.batches.tasks import enqueue_now, import_file


def lease_seconds() -> float:
    return float(os.environ.get("JIXIAO_WORKER_LEASE", "60"))


def beat_seconds() -> float:
    return max(0.5, min(10.0, lease_seconds() / 6))


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not os.path.exists("/proc")  # /proc present but no entry: gone


def _gone(beat: WorkerBeat | None, started_at: Any, now: Any, host: str) -> bool:
    lease = timedelta(seconds=lease_seconds())
    if beat is None:
        return started_at is None or started_at < now - lease
    if beat.host == host and not process_alive(beat.pid):
        return True
    return bool(beat.seen_at < now - lease)


def recover(orphans: bool = True) -> int:
    """Hand back to the queue the import tasks whose worker is gone, and (``orphans``) queue again
    the items whose task is missing or over; the number of items queued again."""
    now, host = timezone.now(), socket.gethostname()
    path = import_file.module_path
    beats = {b.worker_id: b for b in WorkerBeat.objects.all()}
    dead = [b.pk for b in beats.values() if _gone(b, None, now, host)]
    if dead:
        WorkerBeat.objects.filter(pk__in=dead).delete()
    handed_back = 0
    for result in (
        DBTaskResult.objects.running().filter(task_path=path).only("id", "worker_ids", "started_at")
    ):
        worker = result.worker_ids[-1] if result.worker_ids else None
        if not _gone(beats.get(str(worker)), result.started_at, now, host):
            continue
        with exclusive_transaction():
            handed_back += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
            BatchItem.objects.filter(task_id=str(result.pk), status=ItemStatus.RUNNING).update(
                status=ItemStatus.QUEUED
            )
    return handed_back + (requeue_orphans(now) if orphans else 0)


def requeue_orphans(now: Any = None) -> int:
    """Queue again unfinished items older than the lease whose task is missing or finished."""
    now = now or timezone.now()
    old = now - timedelta(seconds=lease_seconds())
    unfinished = BatchItem.objects.exclude(status__in=FINISHED).filter(batch__started_at__lt=old)
    live = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("id", flat=True)
    candidates = list(unfinished.values_list("pk", "task_id")[:5000])
    if not candidates:
        return 0
    alive = {str(i) for i in live.filter(id__in=[t for _, t in candidates if t])}
    orphans = [pk for pk, task_id in candidates if not task_id or task_id not in alive]
    if orphans:
        enqueue_now(orphans)
    return len(orphans)


class BeatingWorker(Worker):
    """django_tasks_db's worker with a ``WorkerBeat`` kept fresh by a thread."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stop = threading.Event()

    def _beat(self) -> None:
        beats = 0
        while not self._stop.wait(beat_seconds()):
            beats += 1
            try:
                WorkerBeat.objects.filter(worker_id=self.worker_id).update(seen_at=timezone.now())
                recover(orphans=beats % 6 == 0)
            except Exception:  # a locked database or a lost connection: try again at the next beat
                close_old_connections()
        connection.close()

    def run(self) -> None:
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen_at": timezone.now()},
        )
        recover()
        beat = threading.Thread(target=self._beat, name="jixiao-beat", daemon=True)
        beat.start()
        try:
            super().run()
        finally:
            self._stop.set()
            self._forget()
            beat.join(timeout=beat_seconds() + 5)

    def _forget(self) -> None:
        """Remove this worker's beat (a task it claimed but did not run is recovered anyway)."""
        try:
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            # the stop signal interrupted a query on this connection: use a fresh one
            connection.close()
            with contextlib.suppress(DatabaseError):
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def run_one(interval: float = 1.0, batch: bool = False, max_tasks: int | None = None) -> None:
    """Run one worker in this process until stopped (``batch``: until the queue is empty;
    ``max_tasks``: until it ran that many tasks)."""
    worker = BeatingWorker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=new_worker_id(),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def worker_command(interval: float, batch: bool, max_tasks: int = 0) -> list[str]:
    """The command line of one worker process (this Python, the CLI module, no migration)."""
    command = [sys.executable, "-m", "jixiao.cli", "worker", "--child", "--no-migrate"]
    command += ["--interval", str(interval), "--max-tasks", str(max_tasks)]
    return [*command, "--batch"] if batch else command


def run(
    processes: int = 1, interval: float = 1.0, batch: bool = False, max_tasks: int = 0, child: bool = False
) -> int:
    """Run ``processes`` workers until stopped; the exit code (0: every worker stopped cleanly).

    One worker without ``max_tasks`` runs in this process. Otherwise this process starts the
    workers as child processes and waits; with ``max_tasks``, a worker that ran that many tasks
    exits and a fresh process takes its place (the memory of a worker does not grow with the batch:
    the library's caches go with the old process)."""
    if child or (processes <= 1 and not max_tasks):
        run_one(interval, batch, max_tasks or None)
        return 0
    stopping = False

    def start() -> subprocess.Popen[bytes]:
        # a session of its own: a Ctrl+C or a signal to this process group reaches the child once,
        # forwarded from here
        return subprocess.Popen(worker_command(interval, batch, max_tasks), start_new_session=True)

    children: list[subprocess.Popen[bytes]] = [start() for _ in range(max(processes, 1))]
    codes: dict[int, int] = {}

    def forward(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in children:
            if process.poll() is None:
                process.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    while len(codes) < len(children):
        time.sleep(0.5)
        for index, process in enumerate(children):
            code = process.poll()
            if code is None or index in codes:
                continue
            more = not batch or DBTaskResult.objects.ready().exists()
            if code == 0 and max_tasks and not stopping and more:
                children[index] = start()  # recycled after max_tasks
            else:
                codes[index] = code
    return max((abs(c) for c in codes.values()), default=0)
