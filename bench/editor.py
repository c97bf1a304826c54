"""Benchmark: the target editor's keystroke check (issue 8: under 100 ms p95 on loopback).

Run: ``.venv/bin/python bench/editor.py [--requests 200] [--threads 4] [--screenshot PATH]``.
In: seed 004 (六枝特区 2023). The script makes a temporary data folder (``JIXIAO_DATA``), migrates,
creates a department and an officer, uploads seed 004 through ``jixiao.web.store.upload`` and starts
a 2024 project draft from its form 《2023年事业单位面向社会公开招聘》 (8 indicators), as the
new-draft page does. It times ``service.check`` in-process (the library's parse + audit of the
whole draft, no HTTP), then starts the server as ``jixiao serve`` does (waitress, ``--threads``) on
a free loopback port, logs the officer in (CSRF token from the login form) and POSTs the editor's
whole form to ``/targets/<id>/check/<row>/`` ``--requests`` times one after another, as htmx does
after each pause in typing, the satisfaction row's 指标值 cycling through values a person types
(``≥``, ``≥1``, ``≥10``, ``≥100``, ``≥100%``…). Out: p50/p95/p99/max latency in ms of those
requests and of the in-process check, and whether the T106 finding came back for ``≥100%``.
``--screenshot PATH`` also saves a PNG of the editor at 1366×768 with that finding shown (Chromium,
the system one). Other load on the machine raises the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from timing import percentile  # bench/timing.py (the script's own folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
SEED_004 = ROOT / "tests/data/seeds/004_84163d3bfca5f923.txt"
PROJECT = "2023年事业单位面向社会公开招聘"
SATISFACTION = "考生满意度,用人单位满意度"
USER, PASSWORD = "bench-officer", "bench-editor-密码"
TYPED = ("≥", "≥9", "≥95", "≥95%", "≥1", "≥10", "≥100", "≥100%", "≥9", "≥90", "≥90%")
SERVE = (
    "import sys; from jixiao.web.server import prepare, serve; prepare(); "
    "serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), workers=1)"
)
TIMEOUT = 30


def figures(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return (
        f"{label:<34}{len(ms):>6}{percentile(ms, 0.5):>9.1f}{percentile(ms, 0.95):>9.1f}"
        f"{percentile(ms, 0.99):>9.1f}{max(ms):>9.1f}"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup() -> tuple[int, int, dict[str, str]]:
    """The database of the run: the officer, seed 004 stored, the draft. Returns (draft id, the
    satisfaction row's index, the editor's fields)."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections

    from jixiao.model.edit import to_rows
    from jixiao.web.models import Department, Profile, Role
    from jixiao.web.store import upload
    from jixiao.web.targets import service
    from jixiao.web.targets.models import TargetDraft

    call_command("migrate", interactive=False, verbosity=0)
    department = Department.objects.create(name="六枝特区人力资源和社会保障局")
    user = User.objects.create_user(USER, password=PASSWORD)
    Profile.objects.create(user=user, role=Role.OFFICER, department=department)
    upload(user, department, SEED_004.name, SEED_004.read_bytes())
    source = next(s for s in service.sources_for(user, "project_target") if PROJECT in s.label)
    version, form = service.source_form(user, source.key)
    draft = TargetDraft(
        department=department,
        year=2024,
        kind="project_target",
        title=PROJECT,
        created_by=user,
        updated_by=user,
    )
    draft.based_on_version = version
    draft.keep(service.start_declaration("project_target", department, 2024, form))
    draft.save()
    rows = to_rows(draft.typed())
    row = next(i for i, r in enumerate(rows.sections["indicators"]) if r["name"] == SATISFACTION)
    fields = {f"h-{k}": v for k, v in rows.header.items()}
    for section, items in rows.sections.items():
        for index, item in enumerate(items):
            fields.update({f"{section}-{index}-{k}": v for k, v in item.items()})
    in_process = []
    for typed in TYPED * 10:
        rows.sections["indicators"][row]["target"] = typed
        started = time.perf_counter()
        service.check(service.edit(draft, rows))
        in_process.append(time.perf_counter() - started)
    print(f"{'':<34}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print(figures("in-process service.check", in_process[len(TYPED) :]))
    connections.close_all()
    return draft.pk, row, fields


class Session:
    """The officer's browser: cookies, the CSRF token htmx sends as ``X-CSRFToken``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def login(self) -> None:
        with self.opener.open(self.base + "/login/", timeout=TIMEOUT) as response:
            body = response.read()
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if match is None:
            raise RuntimeError("no csrfmiddlewaretoken in the login form")
        form = {"csrfmiddlewaretoken": match.group(1).decode(), "username": USER, "password": PASSWORD}
        request = urllib.request.Request(
            self.base + "/login/", data=urllib.parse.urlencode(form).encode(), method="POST"
        )
        request.add_header("Referer", self.base + "/login/")
        self.opener.open(request, timeout=TIMEOUT).close()
        if not self.cookie("sessionid"):
            raise RuntimeError("login failed")

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(fields).encode(), method="POST"
        )
        request.add_header("X-CSRFToken", self.cookie("csrftoken"))
        request.add_header("HX-Request", "true")
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return int(response.status), response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read().decode("utf-8", "replace")


def wait_until_up(base: str, server: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    until = time.monotonic() + limit
    while time.monotonic() < until:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}")
        try:
            with opener.open(base + "/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not answer within {limit:.0f} s")


def keystrokes(session: Session, pk: int, row: int, fields: dict[str, str], count: int) -> None:
    path = f"/targets/{pk}/check/{row}/"
    name = f"indicators-{row}-target"
    for typed in TYPED:  # warm-up
        session.post(path, fields | {name: typed})
    latencies: list[float] = []
    errors = 0
    t106 = False
    for index in range(count):
        typed = TYPED[index % len(TYPED)]
        started = time.perf_counter()
        status, body = session.post(path, fields | {name: typed})
        latencies.append(time.perf_counter() - started)
        errors += status != 200
        if typed == "≥100%":
            t106 = t106 or "T106" in body
    print(figures(f"HTTP POST check/{row}/ (loopback)", latencies))
    print(f"errors: {errors}; T106 shown for ≥100%: {'yes' if t106 else 'NO'}")
    print(f"mean {statistics.mean(latencies) * 1000:.1f} ms; target: p95 < 100 ms")


def screenshot(base: str, pk: int, path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        page.goto(base + "/login/")
        page.get_by_label("用户名").fill(USER)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto(f"{base}/targets/{pk}/")
        row = page.locator("tbody.indicator").filter(has=page.locator(f'input[value="{SATISFACTION}"]'))
        field = row.locator("input.target")
        field.fill("")
        field.press_sequentially("≥100%", delay=40)
        expect(row.locator(".row-finding").filter(has_text="T106")).to_have_count(1)
        row.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(path))
        browser.close()
    print(f"screenshot: {path}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="keystroke checks to time")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads")
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the editor showing T106")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="jixiao-bench-editor-"))
    os.environ["JIXIAO_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    os.environ.pop("DATABASE_URL", None)
    server: subprocess.Popen[bytes] | None = None
    try:
        pk, row, fields = setup()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE, "127.0.0.1", str(port), str(args.threads)],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(base, server)
        session = Session(base)
        session.login()
        keystrokes(session, pk, row, fields, args.requests)
        if args.screenshot is not None:
            screenshot(base, pk, args.screenshot)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
