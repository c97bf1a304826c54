"""Ids and numbers no one means, guessed into URLs and query strings (a 30-digit id, page or year):
every page answers 404 or a page, never a server error, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

BIG = "9" * 30

URLS = [
    f"/documents/{BIG}/",
    f"/documents/?page={BIG}",
    f"/?page={BIG}",
    f"/targets/{BIG}/",
    f"/cycle/{BIG}/self-evaluation/",
    f"/cycle/{BIG}/monitoring/H1/",
    f"/cycle/overview/?page={BIG}",
    f"/batches/{BIG}/",
    f"/batches/?page={BIG}",
    f"/library/{BIG}/",
    f"/library/?page={BIG}",
    f"/dashboard/?year={BIG}",
    f"/dashboard/?year=-{BIG}",
    f"/dashboard/?department={BIG}",
    f"/api/documents/{BIG}",
]


@pytest.mark.parametrize("url", URLS)
def test_a_guessed_huge_number_is_never_a_server_error(
    users: dict[str, User], seed_002_document: Any, url: str
) -> None:
    client = Client()
    client.force_login(users["reviewer"])
    assert client.get(url).status_code < 500
    assert client.get(f"/documents/{seed_002_document.pk}/?version={BIG}").status_code < 500
