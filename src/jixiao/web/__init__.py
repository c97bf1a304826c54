"""The web app: documents, findings, scores and the review workflow between departments and the
finance bureau (Django 5.2; a thin shell over the library: it calls ingest, checks, scoring and
render, never re-implements them).

``jixiao serve`` migrates and serves it; ``jixiao demo`` loads the sample documents and demo users.
Settings: ``jixiao.web.settings`` (SQLite under ``JIXIAO_DATA`` by default, ``DATABASE_URL`` for
PostgreSQL).
"""
