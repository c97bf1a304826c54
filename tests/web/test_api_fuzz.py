"""Schemathesis fuzzes every operation of ``/api/openapi.json`` (valid and invalid inputs, as a
signed-in officer with seed 002 stored): no input may give a server error (5xx)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from jixiao.web.models import Document
from jixiao.web.store import ACCEPTED
from jixiao.web.tokens import issue_token

pytestmark = pytest.mark.urls("tests.web.api_urls")

#: Examples per operation and generation mode: the whole run stays well under a minute.
EXAMPLES = 25
#: The first bytes of the formats Jixiao reads, so that random files reach the readers' parsers.
PREFIXES = (b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"{")


@pytest.fixture(autouse=True)
def connection_kept_open() -> Any:
    """Requests here go straight to the WSGI app, not through Django's test client, which is what
    stops a request from closing the database connection the test's transaction lives on (on
    PostgreSQL the next query would find it closed). Do as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(users: dict[str, User]) -> dict[str, Any]:
    """An officer's API token, and a browser session with its CSRF token (for ``POST /api/tokens``)."""
    browser = Client()
    browser.force_login(users["officer"])
    page = RequestFactory().get("/")
    csrf = get_token(page)
    return {
        "headers": {"Authorization": f"Bearer {issue_token(users['officer'], 'fuzz')}", "X-CSRFToken": csrf},
        "cookies": {
            django_settings.SESSION_COOKIE_NAME: browser.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: page.META["CSRF_COOKIE"],
        },
    }


# The API's own OpenAPI document, as the Django WSGI app serves it (loaded at collection: the lazy
# ``schemathesis.pytest.from_fixture`` loader does not work with pytest 9).
with override_settings(ROOT_URLCONF="tests.web.api_urls"):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_gives_a_server_error(
    case: Any, credentials: dict[str, Any], seed_002_document: Document
) -> None:
    case.call_and_validate(checks=[not_a_server_error], **credentials)


@hypothesis_settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.binary(max_size=2048), extension=st.sampled_from(ACCEPTED), prefix=st.sampled_from(PREFIXES))
def test_no_uploaded_bytes_give_a_server_error(
    data: bytes, extension: str, prefix: bytes, credentials: dict[str, Any], seed_002_document: Document
) -> None:
    """Arbitrary bytes under every accepted file type (some with a real format's first bytes) are
    kept, recognised or refused — never a 5xx."""
    client = Client()
    response = client.post(
        "/api/documents",
        {"files": [SimpleUploadedFile(f"随机{extension}", prefix + data)]},
        headers={"Authorization": credentials["headers"]["Authorization"]},
    )
    assert response.status_code in (200, 400), response.content
    (result,) = response.json()["results"]
    assert result["result"] in ("kept", "duplicate", "refused")
