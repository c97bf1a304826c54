"""The bench helper's data (fact rows made directly, as for 10,000 documents) through the page:
the headline and the code figure add up to the rows it made, the year before gives 同比."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.test import Client

from jixiao.web.dashboard.bench import YEAR, populate
from jixiao.web.dashboard.models import DocumentFacts, FindingCount
from tests.web.dashboard.test_pages import charts, headline


def test_bench_data_through_the_dashboard(db: Any) -> None:
    context = populate(40, 12, departments=5)
    client = Client()
    client.force_login(context["user"])
    response = client.get("/dashboard/", {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert headline(page, "documents") == "40"
    this_year = FindingCount.objects.filter(facts__year=YEAR)
    figures = charts(page)
    charted = sum(int(v) for values in figures["codes"]["values"] for v in values)
    assert charted == this_year.aggregate(n=Sum("count"))["n"]
    errors = DocumentFacts.objects.filter(year=YEAR).aggregate(n=Sum("errors"))["n"]
    assert headline(page, "errors") == str(errors)
    assert len(figures["yoy"]["labels"]) == 5
    assert len(figures["status"]["labels"]) == 5
