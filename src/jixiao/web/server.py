"""Run the web app on one machine: ``prepare`` sets Django up and brings the database up to date,
``serve`` answers HTTP with waitress (static files through whitenoise, configured in settings).

In: the host, port and number of worker threads. Out: a running server until Ctrl+C (the address is
printed in Chinese first). Nothing here is needed by the library or the rest of the CLI, which never
import Django.
"""

from __future__ import annotations

import os
from pathlib import Path


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


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 4) -> None:
    """Serve ``jixiao.web.wsgi.application`` until Ctrl+C (call ``prepare`` first). The address is
    printed once the port is bound, so a port already in use fails before any "started" message."""
    from django.conf import settings
    from waitress.server import create_server

    # whitenoise serves the app's files through the finders; the folder only has to exist
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    from jixiao.web.wsgi import application

    server = create_server(application, host=host, port=port, threads=threads, ident="jixiao")
    bound = getattr(server, "effective_port", port)
    print(f"Jixiao 已启动：{address(host, int(bound))} （按 Ctrl+C 停止）", flush=True)
    print(f"数据库：{database_name()}", flush=True)
    hint = allowed_hosts_hint(host)
    if hint:
        print(hint, flush=True)
    server.run()  # returns on Ctrl+C
