"""Screenshots of the web app for the documentation, taken with Chromium at 1366×768.

Usage: ``python tools/screenshots.py [--out docs/screenshots] [--chromium PATH]``

In: the seeds under tests/data/seeds (loaded with ``jixiao demo``) and the system Chromium. Out:
PNG files in ``--out``:

- ``inbox.png``: the reviewer's (czj) home page with 待审核;
- ``officer.png``: the home page of seed 002's department officer (deptN), with the upload form;
- ``document.png``: the document page of seed 002 (自评报告 + 自评表) as the reviewer sees it;
- ``findings.png``: the findings panel (审核发现) of that page, whole;
- ``declaration.png``: the document page of seed 000 (绩效目标申报表) as the reviewer sees it.

Each run starts from scratch: a temporary data folder (``JIXIAO_DATA``, SQLite), ``jixiao demo``
on the seeds, ``jixiao serve`` on a free local port in a subprocess until it answers, the pages
captured (full page, except ``findings.png`` which is the panel alone), then the server stopped
and the folder removed. Nothing leaves this machine.

On a screen the findings panel is a sidebar that stays in view while the form scrolls (sticky, as
tall as the window, with its own scrollbar); a full-page capture cannot show that, so for the two
document pages the sidebar is laid out at full length instead (``WHOLE_PANEL_CSS``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
SEED_000 = SEEDS / "000_7afb392a5cd23151.txt"  # 郑州 部门整体绩效目标申报表 2020
SEED_002 = SEEDS / "002_07fbb4ae47c57219.txt"  # 信阳平桥 2022 部门整体支出自评报告 + 自评表
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
REVIEWER = "czj"
PASSWORD = "jixiao-demo"
#: Lifts the findings sidebar's own scrolling so the whole panel can be captured at once.
WHOLE_PANEL_CSS = (
    ".sidecol { position: static !important; max-height: none !important; overflow: visible !important; }"
)


@dataclass(frozen=True)
class Demo:
    """What the demo database holds that the screenshots need."""

    seed_000: int  # document id
    seed_002: int  # document id
    officer: str  # the demo officer of seed 002's department


def jixiao_command() -> list[str]:
    """The ``jixiao`` command of the Python running this script."""
    beside = Path(sys.executable).with_name("jixiao")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("jixiao")
    if found:
        return [found]
    return [sys.executable, "-c", "from jixiao.cli import main; main()"]


def chromium_path(given: str | None) -> str:
    found = given or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise SystemExit(f"没有找到 Chromium：{found}（请安装 chromium，或用 --chromium 指定路径）")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_demo(env: dict[str, str]) -> None:
    """``jixiao demo`` on the seeds, in the temporary data folder."""
    seeds = sorted(SEEDS.glob("*.txt"))
    done = subprocess.run(
        [*jixiao_command(), "demo", *map(str, seeds)], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"jixiao demo 失败（退出码 {done.returncode}）：\n{done.stdout}\n{done.stderr}")


def read_demo(data_dir: Path) -> Demo:
    """The documents of seeds 000 and 002 and seed 002's officer, read from the demo database
    (Django in this process, before the browser starts; the connection is closed afterwards)."""
    os.environ["JIXIAO_DATA"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.db import connections

    from jixiao.web.models import DocumentVersion, Profile, Role

    def document_of(seed: Path) -> DocumentVersion:
        version = DocumentVersion.objects.select_related("document").filter(original_name=seed.name).first()
        if version is None:
            raise SystemExit(f"演示数据中没有 {seed.name}")
        return version

    seed_002 = document_of(SEED_002)
    officer = (
        Profile.objects.filter(role=Role.OFFICER, department=seed_002.document.department)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if officer is None:
        raise SystemExit("演示数据中没有该部门的填报人")
    demo = Demo(document_of(SEED_000).document_id, seed_002.document_id, officer.user.get_username())
    connections.close_all()
    return demo


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"jixiao serve 已退出（退出码 {server.returncode}）")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"jixiao serve 在 {seconds:.0f} 秒内没有响应：{url}")


@contextmanager
def running_server(env: dict[str, str], port: int) -> Iterator[str]:
    """``jixiao serve`` on ``port`` until the block ends; yields the base address."""
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*jixiao_command(), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base + "/login/", server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def logged_in(browser: Browser, base: str, username: str) -> Page:
    """A new browser context (one person) at 1366×768, logged in through the login form."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator("header .who .user").wait_for()
    return page


def shoot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    print(f"已保存：{path}")


def take(browser: Browser, base: str, demo: Demo, out: Path) -> None:
    reviewer = logged_in(browser, base, REVIEWER)
    reviewer.locator("#inbox").wait_for()
    shoot(reviewer, out / "inbox.png")

    officer = logged_in(browser, base, demo.officer)
    shoot(officer, out / "officer.png")

    reviewer.goto(f"{base}/documents/{demo.seed_002}/")
    reviewer.locator("#findings").wait_for()
    reviewer.add_style_tag(content=WHOLE_PANEL_CSS)
    shoot(reviewer, out / "document.png")
    reviewer.locator("#findings").screenshot(path=str(out / "findings.png"))
    print(f"已保存：{out / 'findings.png'}")

    reviewer.goto(f"{base}/documents/{demo.seed_000}/")
    reviewer.locator("#findings").wait_for()
    reviewer.add_style_tag(content=WHOLE_PANEL_CSS)
    shoot(reviewer, out / "declaration.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为文档截取网页版截图（1366×768，Chromium）")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="保存截图的目录")
    parser.add_argument("--chromium", help="Chromium 可执行文件（默认 PATH 中的 chromium）")
    args = parser.parse_args(argv)
    executable = chromium_path(args.chromium)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jixiao-screenshots-") as folder:
        data_dir = Path(folder)
        env = {**os.environ, "JIXIAO_DATA": str(data_dir)}
        env.pop("DATABASE_URL", None)
        env.pop("JIXIAO_DEBUG", None)
        load_demo(env)
        demo = read_demo(data_dir)
        with running_server(env, free_port()) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--lang=zh-CN"]
            )
            try:
                take(browser, base, demo, out)
            finally:
                browser.close()
    print(f"完成，用时 {time.monotonic() - started:.1f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
