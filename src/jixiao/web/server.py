"""Run the web app on one machine: ``prepare`` sets Django up and brings the database up to date,
``serve`` answers HTTP with waitress (static files through whitenoise, configured in settings).

In: the host, port, number of threads per process and number of worker processes. Out: a running
server until Ctrl+C or SIGTERM (the address is printed in Chinese first). Nothing here is needed by
the library or the rest of the CLI, which never import Django.

One process (the default) is waitress alone: threads, which Python's GIL lets use one core. With
``workers`` > 1 (Linux/Unix) the parent binds the port once, then forks that many processes, each a
waitress server with its own threads on the shared listening socket (the kernel hands each new
connection to one of them), so the pages use every core. The parent only watches: a worker that
dies is started again, and Ctrl+C / SIGTERM stops them all. Before forking, the default cache
(login throttling) is moved to a database table the workers share (``share_default_cache``), and
the database connection is closed so that no worker inherits it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

#: The table of the shared default cache (``jixiao serve --workers N``).
SHARED_CACHE_TABLE = "jixiao_cache"
#: A worker that dies sooner than this after its start, this many times in a row, stops the server
#: (something is wrong with every start; restarting forever would only hide it).
QUICK_DEATH_SECONDS = 5.0
QUICK_DEATHS_ALLOWED = 5


def prepare() -> None:
    """Configure Django (``jixiao.web.settings`` unless another module is set) and migrate quietly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def address(host: str, port: int) -> str:
    """The address to open in a browser (an IPv6 host in brackets).

    >>> address("127.0.0.1", 8000)
    'http://127.0.0.1:8000/'
    >>> address("::1", 8080)
    'http://[::1]:8080/'
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def database_name() -> str:
    """Where the data lives (the SQLite file, or the database name), for the startup message."""
    from django.conf import settings

    return str(settings.DATABASES["default"].get("NAME", ""))


def allowed_hosts_hint(host: str) -> str | None:
    """A hint when the server listens beyond this machine but Django only accepts local host names."""
    from django.conf import settings

    local = {"127.0.0.1", "localhost", "::1"}
    if host in local or "*" in settings.ALLOWED_HOSTS or host in settings.ALLOWED_HOSTS:
        return None
    return (
        "提示：从其他电脑访问时，请在环境变量 JIXIAO_ALLOWED_HOSTS 中列出本机的主机名或 IP 地址"
        f"（当前只接受：{'、'.join(settings.ALLOWED_HOSTS)}）"
    )


def share_default_cache() -> None:
    """Move the default cache from process memory to a database table (made when missing), so that
    every worker process and machine counts the same login attempts. Call before forking."""
    from asgiref.local import Local
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command

    configured: dict[str, Any] = settings.CACHES
    if str(configured.get("default", {}).get("BACKEND", "")).endswith("LocMemCache"):
        shared = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": SHARED_CACHE_TABLE}
        settings.CACHES = {**settings.CACHES, "default": shared}
        # what Django does when a test overrides CACHES: read the settings again, drop the old caches
        caches._settings = caches.settings = caches.configure_settings(None)  # type: ignore[attr-defined]
        caches._connections = Local()  # type: ignore[attr-defined]
    call_command("createcachetable", verbosity=0)


def _announce(host: str, port: int, workers: int = 1) -> None:
    processes = f"，{workers} 个进程" if workers > 1 else ""
    print(f"Jixiao 已启动：{address(host, port)} （按 Ctrl+C 停止{processes}）", flush=True)
    print(f"数据库：{database_name()}", flush=True)
    hint = allowed_hosts_hint(host)
    if hint:
        print(hint, flush=True)


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 4, workers: int = 1) -> None:
    """Serve ``jixiao.web.wsgi.application`` until Ctrl+C (call ``prepare`` first): in this process
    with ``threads`` threads, or in ``workers`` forked processes of ``threads`` threads each. The
    address is printed once the port is bound, so a port already in use fails before any
    "started" message (``OSError``)."""
    from django.conf import settings

    # whitenoise serves the app's files through the finders; the folder only has to exist
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from jixiao.web.wsgi import application

    if workers > 1:
        _serve_forked(application, host, port, threads, workers)
        return
    from waitress.server import create_server

    server = create_server(application, host=host, port=port, threads=threads, ident="jixiao")
    bound = getattr(server, "effective_port", port)
    _announce(host, int(bound))
    server.run()  # returns on Ctrl+C


def listening_socket(host: str, port: int) -> socket.socket:
    """The port bound and listening (IPv6 for a host with a colon), for the workers to share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def _worker(application: Any, sock: socket.socket, threads: int) -> None:
    """One worker process: waitress on the shared socket until SIGTERM or Ctrl+C. Never returns."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from waitress.server import create_server

        create_server(application, sockets=[sock], threads=threads, ident="jixiao").run()
    except KeyboardInterrupt:
        pass
    except BaseException as exc:  # report anything, then leave the parent to decide
        print(f"Jixiao 工作进程 {os.getpid()} 出错：{exc!r}", file=sys.stderr, flush=True)
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve_forked(application: Any, host: str, port: int, threads: int, workers: int) -> None:
    if not hasattr(os, "fork"):
        raise OSError("多进程（--workers 大于 1）只支持 Linux/Unix；请改用 --workers 1 并增加 --threads")
    from django.db import connections

    share_default_cache()
    sock = listening_socket(host, port)
    _announce(host, int(sock.getsockname()[1]), workers)
    connections.close_all()  # no worker may share the parent's database connection

    children: dict[int, float] = {}  # pid → when it started
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:
            _worker(application, sock, threads)
        children[pid] = time.monotonic()

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    quick_deaths = 0
    try:
        for _ in range(workers):
            start()
        while children:
            try:
                pid, _status = os.wait()
            except KeyboardInterrupt:
                stop(signal.SIGINT, None)
                continue
            except ChildProcessError:
                break
            began = children.pop(pid, None)
            if stopping or began is None:
                continue
            quick_deaths = quick_deaths + 1 if time.monotonic() - began < QUICK_DEATH_SECONDS else 0
            if quick_deaths >= QUICK_DEATHS_ALLOWED:
                print("Jixiao 工作进程反复退出，已停止", file=sys.stderr, flush=True)
                stop(signal.SIGTERM, None)
                continue
            print(f"Jixiao 工作进程 {pid} 已退出，正在重新启动", file=sys.stderr, flush=True)
            start()
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
