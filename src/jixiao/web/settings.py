"""Django settings, from the environment with safe defaults for one office machine.

- ``JIXIAO_DATA``: the data folder (default ``./.jixiao``): the SQLite database and the secret key.
- ``DATABASE_URL``: another database (``postgres://user:pass@host/db``), via dj-database-url.
- ``JIXIAO_SECRET_KEY``: the secret key; without it one is generated once and kept in the data folder.
- ``JIXIAO_DEBUG=1``: debug pages (never in production). Off by default.
- ``JIXIAO_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``JIXIAO_MAX_UPLOAD_MB``: the largest file accepted (default 50).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("JIXIAO_DATA", Path.cwd() / ".jixiao")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    given = os.environ.get("JIXIAO_SECRET_KEY") or os.environ.get("DJANGO_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JIXIAO_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web",
    "jixiao.web.batches",
    "jixiao.web.dashboard",
    "jixiao.web.library",
    "jixiao.web.targets",
    "jixiao.web.cycle",
]
# Background jobs (batch import): django-tasks with its database backend, so that on SQLite nothing else
# is needed and in production several `jixiao worker` processes on several machines share PostgreSQL.
# a folder picked for 批量导入 arrives as one request with a field per file (Django's default is 100)
DATA_UPLOAD_MAX_NUMBER_FILES = 5000
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes share the file (the web server, ``jixiao worker --processes N``). A
    # transaction takes the write lock when it starts (IMMEDIATE), so two writers queue on the
    # busy timeout instead of one failing at once with "database is locked" when both try to
    # upgrade a read lock; WAL lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve the app's static files without collectstatic
LOGIN_URL = "jixiao:login"
LOGIN_REDIRECT_URL = "jixiao:home"
LOGOUT_REDIRECT_URL = "jixiao:login"

MAX_UPLOAD_BYTES = int(os.environ.get("JIXIAO_MAX_UPLOAD_MB", "50")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
#: Failed logins allowed per user name and per address in ``LOGIN_WINDOW_SECONDS``.
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 300

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# "default" (login throttling) is local memory; ``jixiao serve --workers N`` (N > 1) moves it to a
# database table the workers share (jixiao.web.server.share_default_cache), else each process
# would allow the attempts anew. "pages" holds rendered document grids in each process's memory:
# their keys are read from the database (version, dismissals), so no process can serve a stale one
# (jixiao.web.views.formcache).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jixiao-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
