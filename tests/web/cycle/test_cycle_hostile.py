"""Numbers no department means, typed into every number field of 运行监控 and 自评 (budget executed,
progress, 分值, actuals): the live answer, the save and the downloads answer with a page (400 when
the input cannot be kept), never a server error; a number too long to keep exactly says so (M115)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from jixiao.monitor import Period, expectations
from jixiao.web.models import Document
from tests.web.cycle.test_cycle_views import (
    WELFARE,
    WELFARE_ACTUALS,
    client_for,
    monitoring_url,
    recruit,
    self_url,
)

HOSTILE = [
    "1e999999",
    "-1e999999",
    "1E-999999",
    "99999999999999999999999999999999999",
    "0.00000000000000000000000000000001",
    "NaN",
    "sNaN",
    "Infinity",
    "１e９９９９",
    "9" * 200,
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_monitoring_numbers(users: dict[str, User], approved_004: Document, raw: str) -> None:
    client = client_for(users["officer"])
    data = {"executed": raw}
    for e in expectations(recruit(approved_004), Period.H1):
        if e.applicable:
            data[f"progress-{e.index}"] = raw
    live = client.post(monitoring_url(approved_004, live=True), data, HTTP_HX_REQUEST="true")
    assert live.status_code == 200
    if raw in ("1e999999", "9" * 200):
        assert "数值超出可填写的范围" in live.content.decode()
    saved = client.post(monitoring_url(approved_004), data)
    assert saved.status_code in (200, 302, 400)
    assert client.get(monitoring_url(approved_004)).status_code == 200


@pytest.mark.parametrize("raw", HOSTILE)
def test_self_evaluation_numbers(users: dict[str, User], approved_004: Document, raw: str) -> None:
    client = client_for(users["officer"])
    data = {"executed": raw, "ruleset": "national-project"}
    for i, actual in enumerate(WELFARE_ACTUALS):
        data[f"actual-{i}"] = actual if i % 2 else raw
        data[f"weight-{i}"] = raw if i % 3 == 0 else ""
        data[f"reason-{i}"] = "原因"
    live = client.post(self_url(approved_004, name="self_evaluation_live"), data, HTTP_HX_REQUEST="true")
    assert live.status_code == 200
    if raw in ("1e999999", "9" * 200):
        assert "数值超出可填写的范围" in live.content.decode()
    saved = client.post(self_url(approved_004), data)
    assert saved.status_code in (200, 302, 400)
    assert client.get(self_url(approved_004)).status_code == 200
    download = client.get(
        reverse("jixiao_cycle:self_evaluation_download", args=[approved_004.pk, "table", "xlsx"])
        + f"?form={WELFARE}"
    )
    assert download.status_code in (200, 400)
