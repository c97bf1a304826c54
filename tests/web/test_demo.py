"""``jixiao demo`` and ``jixiao serve``: the seeds loaded as their departments' officers, one account
per role, the reviewer's inbox filled, nothing added on a second run; the CLI wiring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.web import demo as demo_module
from jixiao.web import server
from jixiao.web.demo import DEMO_PASSWORD, DemoError, load_demo, sample_paths
from jixiao.web.models import AuditEvent, Department, Document, DocumentVersion, Role, Status
from jixiao.web.permissions import allowed
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004

SEEDS = [SEED_000, SEED_002, SEED_003, SEED_004]
DEPARTMENTS = {
    "郑州市人力资源和社会保障局",  # 000
    "信阳市平桥区人力资源和社会保障局",  # 002
    "郑州高新技术产业开发区管委会人力资源局",  # 003
    "六枝特区人力资源和社会保障局",  # 004
}
INBOX = [Status.SUBMITTED, Status.RESUBMITTED]
runner = CliRunner()


def test_the_seeds_become_departments_accounts_and_documents(db: Any) -> None:
    result = load_demo(SEEDS)
    assert set(Department.objects.values_list("name", flat=True)) == DEPARTMENTS
    assert result.departments_created == 4 and result.documents_added == 4
    roles = {a.username: (a.role, a.department) for a in result.accounts}
    assert roles["admin"][0] == Role.ADMIN.label and roles["czj"] == (Role.REVIEWER.label, None)
    assert roles["viewer"] == (Role.VIEWER.label, None)
    officers = {name: dept for name, (role, dept) in roles.items() if role == Role.OFFICER.label}
    assert sorted(officers) == ["dept1", "dept2", "dept3", "dept4"]
    assert set(officers.values()) == DEPARTMENTS
    assert User.objects.get(username="admin").is_superuser
    assert all(User.objects.get(username=a.username).check_password(DEMO_PASSWORD) for a in result.accounts)
    # each file belongs to the department it names, uploaded by that department's officer
    for path in SEEDS:
        version = DocumentVersion.objects.get(original_name=path.name)
        assert version.document.department.name in DEPARTMENTS
        assert officers[version.uploaded_by.username] == version.document.department.name
        assert bytes(version.content) == path.read_bytes()
    by_file = {d.file: d for d in result.documents}
    assert by_file[SEED_002.name].department == "信阳市平桥区人力资源和社会保障局"
    assert by_file[SEED_002.name].kind == "绩效自评" and by_file[SEED_002.name].status == "已提交"
    assert by_file[SEED_003.name].status == "草稿"  # a disclosure is not submitted for review


def test_the_reviewer_has_work_and_each_officer_sees_only_its_own(db: Any) -> None:
    load_demo(SEEDS)
    inbox = Document.objects.filter(status__in=INBOX)
    assert {d.kind for d in inbox} == {"self_evaluation", "dept_target"}
    assert inbox.count() == 3 and Document.objects.filter(status=Status.DRAFT).count() == 1
    reviewer = User.objects.get(username="czj")
    assert all(allowed(reviewer, "return", d) for d in inbox)
    submissions = AuditEvent.objects.filter(action="submit")
    assert submissions.count() == 3 and all(
        e.actor.username.startswith("dept") for e in submissions if e.actor
    )
    officer = User.objects.get(username="dept1")
    own = officer.profile.department
    assert all(bool(allowed(officer, "view", d)) == (d.department == own) for d in Document.objects.all())


def test_running_the_demo_twice_adds_nothing(db: Any) -> None:
    load_demo(SEEDS)
    counts = (
        User.objects.count(),
        Department.objects.count(),
        Document.objects.count(),
        DocumentVersion.objects.count(),
        AuditEvent.objects.count(),
    )
    again = load_demo(SEEDS)
    assert (again.departments_created, again.users_created, again.documents_added) == (0, 0, 0)
    assert again.documents_submitted == 0 and not any(d.added for d in again.documents)
    assert all(a.password_works for a in again.accounts)
    assert counts == (
        User.objects.count(),
        Department.objects.count(),
        Document.objects.count(),
        DocumentVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def test_more_files_later_keep_the_officers_and_add_a_department(db: Any) -> None:
    first = load_demo([SEED_000, SEED_002])
    officers = {a.username: a.department for a in first.accounts if a.username.startswith("dept")}
    later = load_demo([SEED_004, SEED_002, SEED_000])
    assert later.documents_added == 1 and later.departments_created == 1
    now = {a.username: a.department for a in later.accounts if a.username.startswith("dept")}
    assert now == {**officers, "dept3": "六枝特区人力资源和社会保障局"}


def test_an_existing_account_keeps_its_password(db: Any) -> None:
    User.objects.create_user("czj", password="另一个密码-不是演示密码")
    result = load_demo([SEED_002])
    reviewer = next(a for a in result.accounts if a.username == "czj")
    assert not reviewer.created and not reviewer.password_works
    assert User.objects.get(username="czj").check_password("另一个密码-不是演示密码")


def test_a_file_naming_no_department_and_a_missing_file(db: Any, tmp_path: Path) -> None:
    note = tmp_path / "说明.txt"
    note.write_text("这是一份没有表格的说明文字。\n", encoding="utf-8")
    result = load_demo([note, tmp_path / "不存在.pdf"], password="另一个演示用的密码")
    sample, missing = result.documents
    assert sample.department == "示例部门" and sample.added and sample.status == "草稿"
    assert missing.error is not None and "无法读取" in missing.error
    assert User.objects.get(username="dept1").check_password("另一个演示用的密码")


def test_a_password_django_refuses_is_refused(db: Any) -> None:
    with pytest.raises(DemoError, match="演示密码不符合要求"):
        load_demo([SEED_002], password="123")
    assert not User.objects.exists()


def test_sample_paths_prefer_shared_and_fall_back_to_tests_data(tmp_path: Path) -> None:
    repo = tmp_path / "main"
    (repo / "tests" / "data" / "seeds").mkdir(parents=True)
    (repo / "tests" / "data" / "corpus").mkdir(parents=True)
    for name in ("seeds/001.txt", "seeds/README.md", "corpus/b.pdf", "corpus/a.xlsx", "corpus/c.xls"):
        (repo / "tests" / "data" / name).write_bytes(b"x")
    assert [p.relative_to(repo / "tests" / "data").as_posix() for p in sample_paths(repo)] == [
        "seeds/001.txt",
        "corpus/b.pdf",
        "corpus/a.xlsx",
        "corpus/c.xls",
    ]
    (tmp_path / "shared" / "seeds").mkdir(parents=True)
    (tmp_path / "shared" / "seeds" / "009.txt").write_bytes(b"x")
    assert sample_paths(repo) == [tmp_path / "shared" / "seeds" / "009.txt"]
    assert sample_paths(tmp_path / "elsewhere" / "main") == []


def test_the_real_sample_list_is_the_make_run_list() -> None:
    root = Path(__file__).resolve().parents[2]
    found = sample_paths(root)
    names = {p.name for p in found}
    assert {SEED_000.name, SEED_002.name, SEED_003.name, SEED_004.name} <= names
    assert any(p.suffix == ".pdf" for p in found) and any(p.suffix == ".xls" for p in found)
    assert not any(p.suffix == ".md" for p in found)


def test_cli_demo_loads_the_files_and_prints_the_accounts(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared: list[bool] = []
    monkeypatch.setattr(server, "prepare", lambda: prepared.append(True))  # the test database is ready
    result = runner.invoke(app, ["demo", str(SEED_002), str(SEED_000), "--password", "演示用的密码123"])
    assert result.exit_code == 0, result.output
    assert prepared == [True]
    out = result.output
    assert f"[新增] {SEED_002.name} → 信阳市平桥区人力资源和社会保障局 · 绩效自评 · 已提交" in out
    assert "czj\t财政局审核人\t全部部门\t演示用的密码123" in out
    assert "dept2\t部门填报人\t郑州市人力资源和社会保障局\t演示用的密码123" in out
    assert "新增文件 2 个，提交审核 2 个" in out
    again = runner.invoke(app, ["demo", str(SEED_002), str(SEED_000), "--password", "演示用的密码123"])
    assert again.exit_code == 0 and "新增文件 0 个" in again.output and "[已有]" in again.output


def test_cli_demo_without_files_uses_the_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_load(paths: list[Path], password: str | None, progress: Any = None) -> demo_module.DemoResult:
        seen.update(paths=paths, password=password)
        return demo_module.DemoResult(password=password or DEMO_PASSWORD)

    monkeypatch.setattr(server, "prepare", lambda: None)
    monkeypatch.setattr(demo_module, "load_demo", fake_load)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert seen["password"] is None and seen["paths"] == demo_module.default_sample_paths()
    assert SEED_002.name in {p.name for p in seen["paths"]}


def test_cli_demo_refuses_a_weak_password(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "prepare", lambda: None)
    result = runner.invoke(app, ["demo", str(SEED_002), "--password", "short"])
    assert result.exit_code == 2 and "演示密码不符合要求" in result.output


def test_cli_demo_end_to_end_on_a_fresh_data_folder(tmp_path: Path) -> None:
    """A real process: JIXIAO_DATA gets a new SQLite database, migrated, with the demo in it."""
    env = {**os.environ, "JIXIAO_DATA": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "jixiao.cli", "demo", str(SEED_000), str(SEED_004)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新建部门 2 个，新建账号 5 个，新增文件 2 个，提交审核 2 个" in done.stdout
    assert f"admin\t系统管理员\t全部部门\t{DEMO_PASSWORD}" in done.stdout
    assert (tmp_path / "db.sqlite3").stat().st_size > 0
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert again.returncode == 0 and "新建部门 0 个，新建账号 0 个，新增文件 0 个" in again.stdout


def test_cli_serve_prepares_then_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(server, "prepare", lambda: calls.append(("prepare",)))
    monkeypatch.setattr(server, "serve", lambda h, p, t, *_, **__: calls.append(("serve", h, str(p), str(t))))
    result = runner.invoke(app, ["serve", "--port", "8765", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert calls == [("prepare",), ("serve", "127.0.0.1", "8765", "2")]
    assert "Jixiao 已停止。" in result.output


def test_serve_runs_the_wsgi_app_with_waitress(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import waitress.server

    seen: dict[str, Any] = {}

    class FakeServer:
        effective_port = 8000

        def run(self) -> None:
            seen["ran"] = True

    def fake_create(app: Any, **options: Any) -> FakeServer:
        seen.update(app=app, **options)
        return FakeServer()

    monkeypatch.setattr(waitress.server, "create_server", fake_create)
    server.serve("127.0.0.1", 8000, 4)
    from jixiao.web.wsgi import application

    assert seen["app"] is application and seen["ran"]
    assert (seen["host"], seen["port"], seen["threads"]) == ("127.0.0.1", 8000, 4)
    assert "Jixiao 已启动：http://127.0.0.1:8000/ （按 Ctrl+C 停止）" in capsys.readouterr().out


def test_a_port_in_use_fails_before_saying_started(monkeypatch: pytest.MonkeyPatch) -> None:
    import waitress.server

    def busy(app: Any, **options: Any) -> Any:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(server, "prepare", lambda: None)
    monkeypatch.setattr(waitress.server, "create_server", busy)
    result = runner.invoke(app, ["serve", "--port", "8000"])
    assert result.exit_code == 2
    assert "已启动" not in result.output and "无法在 127.0.0.1:8000 启动" in result.output


def test_listening_beyond_this_machine_says_how_to_allow_the_host() -> None:
    assert server.allowed_hosts_hint("127.0.0.1") is None
    hint = server.allowed_hosts_hint("0.0.0.0")
    assert hint is not None and "JIXIAO_ALLOWED_HOSTS" in hint


def test_each_sample_file_is_read_from_disk_and_parsed_once(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The department comes from the same reading the upload keeps (``store.upload(analysed=)``):
    each new file is read once and parsed once; a file already stored is not parsed at all."""
    from jixiao.ingest import load as ingest_load
    from jixiao.web import store

    reads: list[str] = []
    parses: list[str] = []
    real_read, real_load = Path.read_bytes, ingest_load.load_bytes

    def read(path: Path) -> bytes:
        reads.append(path.name)
        return real_read(path)

    def parse(data: bytes, name: str, *args: Any, **kwargs: Any) -> Any:
        parses.append(name)
        return real_load(data, name, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read)
    for module in (ingest_load, store, demo_module):
        if hasattr(module, "load_bytes"):
            monkeypatch.setattr(module, "load_bytes", parse)
    load_demo([SEED_002, SEED_003])
    assert sorted(reads) == sorted([SEED_002.name, SEED_003.name])
    if demo_module._UPLOAD_TAKES_ANALYSIS:
        assert sorted(parses) == sorted([SEED_002.name, SEED_003.name])
    else:  # until store.upload takes the reading: the department's reading, then the upload's
        assert sorted(parses) == sorted([SEED_002.name, SEED_002.name, SEED_003.name, SEED_003.name])
    reads.clear()
    parses.clear()
    load_demo([SEED_002, SEED_003])  # again: known by their hash, nothing parsed
    assert parses == [] and len(reads) == 2


def test_share_default_cache_moves_login_throttling_to_the_database(db: Any, settings: Any) -> None:
    """With several workers the default cache is one table: what one process counts, all see."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    server.share_default_cache()
    try:
        assert isinstance(caches["default"], DatabaseCache)
        caches["default"].set("jixiao-test", 3)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {server.SHARED_CACHE_TABLE}")
            assert cursor.fetchone()[0] == 1
    finally:
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }


def children_of(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists() or not hasattr(os, "fork"), reason="Linux only")
def test_serve_with_workers_answers_restarts_a_dead_worker_and_stops(tmp_path: Path) -> None:
    """``serve(workers=2)`` in a real process: two worker processes answer on one port, a worker
    killed is started again, SIGTERM stops them all."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["JIXIAO_DATA"] = str(tmp_path)
    code = (
        f"from jixiao.web.server import prepare, serve; prepare(); serve('127.0.0.1', {port}, 2, workers=2)"
    )
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log, stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def answers() -> int:
        with opener.open(f"http://127.0.0.1:{port}/login/", timeout=10) as response:
            return int(response.status)

    def wait_for(test: Any, limit: float = 60.0) -> None:
        until = time.monotonic() + limit
        while time.monotonic() < until:
            try:
                if test():
                    return
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "server.log").read_text("utf-8")
            time.sleep(0.2)
        raise AssertionError((tmp_path / "server.log").read_text("utf-8"))

    try:
        wait_for(lambda: answers() == 200 and len(children_of(process.pid)) == 2)
        assert all(answers() == 200 for _ in range(6))
        first, second = children_of(process.pid)
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: len(children_of(process.pid)) == 2 and first not in children_of(process.pid))
        assert second in children_of(process.pid) and answers() == 200
        workers = children_of(process.pid)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert not any(
            Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()
            for pid in workers
        )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
    shown = (tmp_path / "server.log").read_text("utf-8")
    assert f"Jixiao 已启动：http://127.0.0.1:{port}/ （按 Ctrl+C 停止，2 个进程）" in shown
    assert f"工作进程 {first} 已退出，正在重新启动" in shown
