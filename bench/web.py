"""Benchmark: requests per second and latency of the web app's pages under concurrent users (issue 7).

Run: ``.venv/bin/python bench/web.py [--users 10] [--seconds 20] [--port 0] [--workers 1]
[--threads 8] [--rounds 30]``.
In: the text seeds under ``tests/data/seeds``. The script makes a temporary data folder
(``JIXIAO_DATA``), loads the seeds with ``jixiao demo`` (demo reviewer ``czj`` / ``jixiao-demo``).
First, in a child process, it times the document page of seed 002 and the home page in-process
(Django's test client, no network: ``--rounds`` requests each after a warm-up; median and best
wall ms, median CPU ms of the process, SQL queries per page), which other load on the machine disturbs less. Then it starts the server
as ``jixiao serve`` does (``jixiao.web.server.prepare`` and ``serve`` with ``--threads`` threads in
each of ``--workers`` processes) on a free loopback port, logs ``--users`` sessions in as the
reviewer (standard library only: ``urllib`` with one cookie jar per user, the CSRF token from the
login form), finds the document of seed 002 (平桥 自评报告) and warms up. Then for ``--seconds``
each user GETs the document page in a loop, and after that the home page the same way.
Out: per page the requests made, requests/s, p50/p95/p99 (and max) latency in ms, the errors (any
answer other than 200), the page's size, the server's CPU milliseconds per request (from /proc,
Linux; the server's processes together) and the CPU the client threads used (% of one core). The
server is stopped and the temporary folder removed at the end, also on failure. The client shares
the machine with the server (it needs little CPU: see its column); other load on the machine lowers
the figures.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from timing import percentile  # bench/timing.py (the script's own folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests/data/seeds").glob("*.txt"))
USER, PASSWORD = "czj", "jixiao-demo"  # the demo reviewer (jixiao.web.demo), who sees every department
#: How the server is started: the two calls ``jixiao serve`` makes (argv: host, port, threads, workers).
SERVE = (
    "import sys; from jixiao.web.server import prepare, serve; prepare(); "
    "serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), workers=int(sys.argv[4]))"
)
#: The in-process timing, run in a child process (argv: rounds); prints one line per page.
IN_PROCESS = """
import os, statistics, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jixiao.web.models import DocumentVersion
rounds = int(sys.argv[1])
client = Client(SERVER_NAME="127.0.0.1")
assert client.login(username="czj", password="jixiao-demo"), "demo reviewer cannot log in"
version = DocumentVersion.objects.filter(original_name__startswith="002_").first()
for label, path in (("document page", f"/documents/{version.document_id}/"), ("home page", "/")):
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    times, cpu = [], []
    for _ in range(rounds):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(
        f"{label:<16}{statistics.median(times) * 1000:>10.1f}{min(times) * 1000:>10.1f}"
        f"{statistics.median(cpu) * 1000:>9.1f}{len(queries):>9}"
    )
"""
TIMEOUT = 60.0  # seconds a single request may take before it counts as an error
WARMUP_ROUNDS = 2  # requests of each page per user before the clock starts
#: Environment variables that would point the server at another database or change its behaviour.
CLEARED_ENV = ("DATABASE_URL", "JIXIAO_DEBUG", "JIXIAO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")


def jixiao_command() -> str:
    """The ``jixiao`` CLI of the project's venv, else the one next to this Python, else on PATH."""
    for candidate in (ROOT / ".venv/bin/jixiao", Path(sys.executable).parent / "jixiao"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("jixiao")
    if found is None:
        sys.exit("jixiao CLI not found: run `make install` first")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Session:
    """One logged-in user: an opener with its own cookie jar, never through a proxy."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def get(self, path: str) -> tuple[int, bytes]:
        """(status, body) of GET ``path``; an HTTP error status is returned, not raised."""
        try:
            with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read()

    def login(self, username: str, password: str) -> None:
        status, body = self.get("/login/")
        if status != 200:
            raise RuntimeError(f"GET /login/ answered {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if match is None:
            raise RuntimeError("no csrfmiddlewaretoken in the login form")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
                "next": "/",
            }
        ).encode()
        request = urllib.request.Request(self.base + "/login/", data=form, method="POST")
        request.add_header("Referer", self.base + "/login/")
        with self.opener.open(request, timeout=TIMEOUT) as response:
            landed = response.geturl()
        if landed.rstrip("/").endswith("/login") or not any(c.name == "sessionid" for c in self.cookies):
            raise RuntimeError(f"login as {username} failed (ended at {landed})")


@dataclass
class Result:
    label: str
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, of every request
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    bytes_last: int = 0
    server_cpu: float | None = None  # CPU seconds the server process used during the run
    client_cpu: float = 0.0  # CPU seconds this process (the users) used during the run

    def line(self) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        n = len(ms)
        per_request = f"{self.server_cpu * 1000 / n:.0f}" if self.server_cpu is not None and n else "-"
        return (
            f"{self.label:<16}{n:>9}{n / self.seconds:>8.1f}"
            f"{percentile(ms, 0.50):>8.0f}{percentile(ms, 0.95):>8.0f}{percentile(ms, 0.99):>8.0f}"
            f"{(max(ms) if ms else 0):>8.0f}{self.errors:>7}{self.bytes_last:>9,}"
            f"{per_request:>9}{100 * self.client_cpu / self.seconds:>8.0f}%"
        )


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` and its live worker processes
    (children); None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        total += process_cpu(int(child)) or 0.0
    return total


def load(sessions: list[Session], path: str, label: str, seconds: float, server_pid: int) -> Result:
    """Every session GETs ``path`` in a loop, one thread each, for ``seconds``."""
    result = Result(label, seconds)
    server_before, client_before = process_cpu(server_pid), time.process_time()
    lock = threading.Lock()
    start = threading.Barrier(len(sessions) + 1)
    deadline = 0.0

    def user(session: Session) -> None:
        latencies: list[float] = []
        errors: dict[str, int] = {}
        size = 0
        start.wait()
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                status, body = session.get(path)
                kind = "" if status == 200 else f"HTTP {status}"
                size = len(body)
            except (OSError, urllib.error.URLError) as exc:
                kind = type(exc).__name__
            latencies.append(time.perf_counter() - began)
            if kind:
                errors[kind] = errors.get(kind, 0) + 1
        with lock:
            result.latencies.extend(latencies)
            for kind, count in errors.items():
                result.error_kinds[kind] = result.error_kinds.get(kind, 0) + count
                result.errors += count
            result.bytes_last = max(result.bytes_last, size)

    threads = [threading.Thread(target=user, args=(s,), daemon=True) for s in sessions]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began  # to the end of the last request started in time
    server_after = process_cpu(server_pid)
    if server_before is not None and server_after is not None:
        result.server_cpu = server_after - server_before
    result.client_cpu = time.process_time() - client_before
    return result


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path, limit: float = 60.0) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    until = time.monotonic() + limit
    while time.monotonic() < until:
        if server.poll() is not None:
            raise RuntimeError(
                f"server exited with {server.returncode}:\n{log.read_text('utf-8', 'replace')}"
            )
        try:
            with opener.open(base + "/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {limit:.0f} s:\n{log.read_text('utf-8', 'replace')}")


def find_document(session: Session, data: Path) -> int:
    """The id of seed 002's document: the home page link naming 平桥, else the database (read-only)."""
    status, body = session.get("/")
    if status == 200:
        links = re.findall(r'<a href="/documents/(\d+)/">([^<]*)</a>', body.decode("utf-8"))
        ids = {int(pk) for pk, text in links if "平桥" in html.unescape(text)}
        if len(ids) == 1:
            return ids.pop()
    with sqlite3.connect(f"file:{data / 'db.sqlite3'}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT document_id FROM jixiao_documentversion WHERE original_name LIKE '002\\_%' ESCAPE '\\'"
        ).fetchone()
    if row is None:
        raise RuntimeError("seed 002 was not loaded")
    return int(row[0])


def run(args: argparse.Namespace, data: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    env["JIXIAO_DATA"] = str(data)
    env.setdefault("PYTHONUNBUFFERED", "1")
    jixiao = jixiao_command()

    started = time.perf_counter()
    demo = subprocess.run(
        [jixiao, "demo", *map(str, SEEDS)], env=env, capture_output=True, text=True, check=False
    )
    if demo.returncode != 0:
        raise RuntimeError(f"jixiao demo failed ({demo.returncode}):\n{demo.stdout}\n{demo.stderr}")
    print(f"jixiao demo: {len(SEEDS)} seeds loaded in {time.perf_counter() - started:.1f} s")

    timed = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(args.rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if timed.returncode != 0:
        raise RuntimeError(f"in-process timing failed ({timed.returncode}):\n{timed.stdout}\n{timed.stderr}")
    print(f"\nin-process, {args.rounds} requests each (Django test client, no network)")
    print(f"{'page':<16}{'median ms':>10}{'best ms':>10}{'cpu ms':>9}{'queries':>9}")
    print(timed.stdout.rstrip() + "\n")

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    log = data / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE, "127.0.0.1", str(port), str(args.threads), str(args.workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(base, server, log)
        shape = (
            f"{args.workers} processes × {args.threads} threads"
            if args.workers > 1
            else f"{args.threads} threads"
        )
        print(f"server: {base}/ (waitress, {shape}, pid {server.pid})")

        started = time.perf_counter()
        sessions = [Session(base) for _ in range(args.users)]
        for session in sessions:  # one after another: a PBKDF2 check each, as real users log in
            session.login(USER, PASSWORD)
        print(f"{args.users} sessions logged in as {USER} in {time.perf_counter() - started:.1f} s")

        pk = find_document(sessions[0], data)
        page = f"/documents/{pk}/"
        print(f"document of seed 002: {page}")

        started = time.perf_counter()
        for session in sessions:
            for _ in range(WARMUP_ROUNDS):
                for path in (page, "/"):
                    status, _ = session.get(path)
                    if status != 200:
                        raise RuntimeError(f"warm-up GET {path} answered {status}")
        print(f"warm-up: {WARMUP_ROUNDS * 2 * args.users} requests in {time.perf_counter() - started:.1f} s")

        results = [
            load(sessions, page, "document page", args.seconds, server.pid),
            load(sessions, "/", "home page", args.seconds, server.pid),
        ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    print()
    print(
        f"{'page':<16}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'errors':>7}{'bytes':>9}{'srv ms/r':>9}{'client':>9}"
    )
    for result in results:
        print(result.line())
        for kind, count in sorted(result.error_kinds.items()):
            print(f"{'':<16}  {kind}: {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="concurrent logged-in users")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each page's run")
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (jixiao serve --workers)")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument("--rounds", type=int, default=30, help="in-process requests per page")
    args = parser.parse_args()
    if args.users < 1 or args.seconds <= 0 or args.workers < 1 or args.threads < 1 or args.rounds < 1:
        parser.error("--users, --seconds, --workers, --threads and --rounds must be positive")

    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    print(f"Jixiao web benchmark: {args.users} users, {args.seconds:g} s per page, loopback")
    print(
        f"machine: {cpus} CPUs ({usable} usable), Python {sys.version.split()[0]}; client and server share them"
    )
    data = Path(tempfile.mkdtemp(prefix="jixiao-bench-web-"))
    try:
        run(args, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
