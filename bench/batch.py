"""Benchmark: batch import through the job queue with 1, 2 and 4 workers (issue 9).

Run: ``.venv/bin/python bench/batch.py [--count 10000] [--workers 1,2,4] [--seed 0] [--sqlite] [--keep]``
(``--keep``: the last run's database stays, and the line ``kept: DATABASE_URL=… JIXIAO_DATA=…``
says how to serve it).
In: ``--count`` synthetic documents (``jixiao.synth``: the four seed families with planted defects)
written as text files into a temporary folder. For each worker count, a fresh database —
PostgreSQL (``tools/postgres.sh`` starts it; the bench creates and drops its own database
``jixiao_bench_batch``), or a SQLite file with a warning when PostgreSQL cannot be started or
``--sqlite`` is given — is migrated, a reviewer starts one bureau-wide batch of the whole folder
(the items are created and queued as the web page does: ``batches.service.start_batch``), then that
many ``jixiao worker`` processes are started and the clock runs until every item is finished.
Out: per worker count, documents per second (items / wall time from the workers' start to the last
item finished), the peak RSS of each worker (VmHWM from /proc) and its RSS when 10%, 50% and 100%
of the batch was done (flat memory: they stay close), the items by status, the recall of the planted
defects (each planted code found among the stored version's findings) and the precision (findings of
a planted code over all findings raised), and, when the dashboard exists (``/dashboard/``), its page time
with the data loaded (GET as the reviewer through Django's test client, median of 5 after a warm-up).
Other load on the machine lowers the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = "jixiao_bench_batch"


# ---------------------------------------------------------------------------------------------
# stages run in a child process, with Django set up on the run's database


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def stage_setup(folder: Path) -> dict[str, Any]:
    """Migrate, make the reviewer, start one bureau-wide batch of every file in ``folder``."""
    _django()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from jixiao.web.batches.service import start_batch
    from jixiao.web.models import Profile, Role

    call_command("migrate", interactive=False, verbosity=0)
    user = User.objects.create_user("czj", password="jixiao-bench")
    Profile.objects.create(user=user, role=Role.REVIEWER)
    paths = sorted(p for p in folder.glob("*.txt"))
    started = time.perf_counter()
    batch = start_batch(user, None, "bench", ((p.name, p.read_bytes()) for p in paths))
    return {"batch": batch.pk, "items": batch.total, "queue_seconds": time.perf_counter() - started}


def stage_report(folder: Path) -> dict[str, Any]:
    """Items by status, recall and precision of the planted defects, the dashboard's page time."""
    _django()
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from jixiao.synth import MANIFEST
    from jixiao.web.batches.models import BatchItem

    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    statuses = dict(BatchItem.objects.values_list("status").annotate(n=Count("id")))
    planted = found = raised = expected = 0
    missed: dict[str, int] = {}
    other: dict[str, int] = {}  # findings of codes not planted in their document
    items = (
        BatchItem.objects.select_related("version").only("name", "version__audit").iterator(chunk_size=500)
    )
    for item in items:
        record = manifest.get(item.name)
        if record is None or item.version is None:
            continue
        codes = [f["code"] for f in (item.version.audit or {}).get("findings", [])]
        raised += len(codes)
        expected += sum(1 for code in codes if code in record["planted"])
        for code in codes:
            if code not in record["planted"]:
                other[code] = other.get(code, 0) + 1
        for code in record["planted"]:
            planted += 1
            if code in codes:
                found += 1
            else:
                missed[code] = missed.get(code, 0) + 1
    report: dict[str, Any] = {
        "statuses": statuses,
        "recall": found / planted if planted else None,
        "planted": planted,
        "found": found,
        "missed": missed,
        "precision": expected / raised if raised else None,
        "raised": raised,
        "other": other,
    }
    try:
        url = reverse("jixiao_dashboard:dashboard")
    except NoReverseMatch:
        report["dashboard_ms"] = None
        return report
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(User.objects.get(username="czj"))
    first = time.perf_counter()
    status = client.get(url).status_code  # warm-up (may build the dashboard's facts)
    report["dashboard_first_ms"] = (time.perf_counter() - first) * 1000
    times = []
    for _ in range(5):
        start = time.perf_counter()
        status = client.get(url).status_code
        times.append((time.perf_counter() - start) * 1000)
    report["dashboard_ms"] = statistics.median(times)
    report["dashboard_status"] = status  # not 200: the page failed (its time is then meaningless)
    return report


# ---------------------------------------------------------------------------------------------
# the driver


def _postgres() -> str | None:
    """The URL of a fresh bench database on the local PostgreSQL, or None."""
    try:
        url = subprocess.run(
            ["bash", str(ROOT / "tools/postgres.sh")], capture_output=True, text=True, timeout=120, check=True
        ).stdout.strip()
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        return url.rsplit("/", 1)[0] + "/" + BENCH_DB
    except Exception as exc:  # no PostgreSQL here: the caller falls back to SQLite
        print(f"PostgreSQL unavailable ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def _drop_postgres(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/jixiao"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _child(stage: str, folder: Path, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--folder", str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB (empty once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def _finished(env: dict[str, str]) -> int:
    url = env.get("DATABASE_URL")
    sql = "select count(*) from jixiao_batches_batchitem where status in ('done', 'duplicate', 'failed')"
    if url:
        import psycopg

        with psycopg.connect(url) as conn:
            row = conn.execute(sql).fetchone()
    else:
        import sqlite3

        with sqlite3.connect(f"file:{env['JIXIAO_DATA']}/db.sqlite3?mode=ro", uri=True, timeout=30) as conn:
            row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def run_once(workers: int, folder: Path, use_postgres: bool, keep: bool = False) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="jixiao-bench-batch-data-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="jixiao.web.settings", JIXIAO_DATA=str(data), PYTHONPATH=str(ROOT / "src")
    )
    url = _postgres() if use_postgres else None
    if url:
        env["DATABASE_URL"] = url
    try:
        setup = _child("setup", folder, env)
        total = int(setup["items"])
        command = [sys.executable, "-m", "jixiao.cli", "worker", "--no-migrate", "--interval", "0.2"]
        started = time.perf_counter()
        processes = [
            subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL) for _ in range(workers)
        ]
        early: dict[int, int] = {}
        middle: dict[int, int] = {}
        peak: dict[int, int] = {}
        finished = 0
        while finished < total:
            time.sleep(0.5)
            for process in processes:
                status = _status(process.pid)
                peak[process.pid] = max(peak.get(process.pid, 0), status.get("VmHWM", 0))
                if finished >= total // 10 and process.pid not in early:
                    early[process.pid] = status.get("VmRSS", 0)
                if finished >= total // 2 and process.pid not in middle:
                    middle[process.pid] = status.get("VmRSS", 0)
            if any(p.poll() is not None for p in processes):
                raise SystemExit("a worker stopped unexpectedly")
            try:
                finished = _finished(env)
            except Exception:
                continue  # the database is busy: look again
        elapsed = time.perf_counter() - started
        late = {p.pid: _status(p.pid).get("VmRSS", 0) for p in processes}
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        report = _child("report", folder, env)
        return {
            "workers": workers,
            "database": "PostgreSQL" if url else "SQLite",
            "items": total,
            "queue_seconds": setup["queue_seconds"],
            "seconds": elapsed,
            "per_second": total / elapsed,
            "peak_rss_mb": [round(peak[p.pid] / 1024, 1) for p in processes],
            "rss_at_10pct_mb": [round(early.get(p.pid, 0) / 1024, 1) for p in processes],
            "rss_at_50pct_mb": [round(middle.get(p.pid, 0) / 1024, 1) for p in processes],
            "rss_at_end_mb": [round(late[p.pid] / 1024, 1) for p in processes],
            **report,
        }
    finally:
        if keep and url:
            print(f"  kept: DATABASE_URL={url} JIXIAO_DATA={data}", flush=True)
        else:
            if url:
                _drop_postgres(url)
            shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="documents to generate")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, comma separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even when PostgreSQL is available")
    parser.add_argument(
        "--keep", action="store_true", help="keep the last run's PostgreSQL database (to serve and look at)"
    )
    parser.add_argument("--stage", choices=["setup", "report"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stage = stage_setup if args.stage == "setup" else stage_report
        print(json.dumps(stage(args.folder), ensure_ascii=False))
        return

    sys.path.insert(0, str(ROOT / "src"))
    from jixiao.synth import write_folder

    use_postgres = not args.sqlite and _postgres() is not None
    if not use_postgres:
        print(
            "WARNING: running on SQLite (PostgreSQL unavailable or --sqlite): one writer at a time",
            flush=True,
        )
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-batch-docs-"))
    try:
        started = time.perf_counter()
        write_folder(folder, args.count, seed=args.seed)
        print(f"generated {args.count} documents in {time.perf_counter() - started:.1f} s", flush=True)
        counts = [int(w) for w in args.workers.split(",")]
        for index, workers in enumerate(counts):
            result = run_once(workers, folder, use_postgres, keep=args.keep and index == len(counts) - 1)
            print(
                f"{result['workers']} worker(s) on {result['database']}: {result['items']} documents in "
                f"{result['seconds']:.1f} s = {result['per_second']:.1f} documents/s "
                f"(queueing the batch took {result['queue_seconds']:.1f} s)",
                flush=True,
            )
            print(
                f"  peak RSS per worker (MB): {result['peak_rss_mb']}; RSS at 10% {result['rss_at_10pct_mb']}, "
                f"at 50% {result['rss_at_50pct_mb']}, at the end {result['rss_at_end_mb']}",
                flush=True,
            )
            recall = result["recall"]
            print(
                f"  items {result['statuses']}; planted defects found {result['found']}/{result['planted']} "
                f"(recall {recall:.4f}); precision {result['precision']:.4f} "
                f"({result['raised']} findings raised, of codes not planted: {result['other'] or 'none'}); "
                f"missed {result['missed'] or 'none'}",
                flush=True,
            )
            if result.get("dashboard_ms") is not None:
                print(
                    f"  dashboard /dashboard/ (HTTP {result['dashboard_status']}): median of 5 "
                    f"{result['dashboard_ms']:.0f} ms (first request {result['dashboard_first_ms']:.0f} ms)",
                    flush=True,
                )
            else:
                print("  dashboard: no /dashboard/ page", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
