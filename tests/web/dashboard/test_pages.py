"""The dashboard's pages and downloads on the real seeds: figures equal the stored audits, filters
and permissions (an officer sees only its department's numbers; a guessed department is a 404),
every number links to its documents, the xlsx downloads hold the chart's numbers, the worksheet
has one row per finding, and the leadership report reads back with its figures."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from decimal import Decimal
from typing import Any

import docx
import pdfplumber
import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from jixiao.web.dashboard.exports import WORKSHEET_COLUMNS, worksheet_xlsx
from jixiao.web.models import Department, Dismissal, Document, DocumentVersion
from jixiao.web.store import finding_key, upload
from tests.conftest import SEED_000

CHARTS = re.compile(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', re.S)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode("utf-8")


def charts(page: str) -> dict[str, dict[str, Any]]:
    found = CHARTS.search(page)
    assert found is not None
    return {figure["key"]: figure for figure in json.loads(found.group(1))}


def latest(document: Document) -> DocumentVersion:
    version = document.versions.order_by("-number").first()
    assert version is not None
    return version


def audit_codes(*documents: Document) -> Counter[str]:
    return Counter(f["code"] for d in documents for f in latest(d).audit["findings"])


def chart_codes(figure: dict[str, Any]) -> Counter[str]:
    return Counter(
        {
            label.split(" ")[0]: sum(int(v) for v in values)
            for label, values in zip(figure["labels"], figure["values"], strict=True)
        }
    )


def headline(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', page)
    assert found is not None, name
    return found.group(1)


@pytest.fixture
def both(seed_002_document: Document, seed_000_document: Document) -> tuple[Document, Document]:
    """002 (2022, first department) and 000 (2020, second department)."""
    return seed_002_document, seed_000_document


# --- who may see what ---------------------------------------------------------------------------


def test_anonymous_goes_to_login_and_no_role_is_refused(both: Any, make_user: Any) -> None:
    response = Client().get("/dashboard/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    from django.contrib.auth.models import User as DjangoUser

    nobody = DjangoUser.objects.create_user("nobody", password="x-password-1")
    for url in (
        "/dashboard/",
        "/dashboard/documents/",
        "/dashboard/worksheet.xlsx",
        "/dashboard/figures/codes.xlsx",
    ):
        refused = client_for(nobody).get(url)
        assert refused.status_code == 403, url
        assert "尚未分配角色" in refused.content.decode()


def test_reviewer_sees_every_department_with_the_audits_numbers(users: dict[str, User], both: Any) -> None:
    page = html(client_for(users["reviewer"]), "/dashboard/", year="")
    figures = charts(page)
    assert chart_codes(figures["codes"]) == audit_codes(*both)
    assert set(figures["status"]["labels"]) == {d.department.name for d in both}
    assert headline(page, "documents") == "2"
    assert headline(page, "errors") == str(sum(latest(d).errors for d in both))
    assert headline(page, "warnings") == str(sum(latest(d).warnings for d in both))
    family_totals = {
        label[0]: sum(int(v) for v in values)
        for label, values in zip(figures["families"]["labels"], figures["families"]["values"], strict=True)
    }
    assert family_totals == dict(Counter(code[0] for code in audit_codes(*both).elements()))
    # severities in their columns: S105 is an error of 002
    codes = figures["codes"]
    s105 = next(i for i, label in enumerate(codes["labels"]) if label.startswith("S105 "))
    assert codes["series"][0] == "错误" and codes["values"][s105][0] == 1
    # errors first: every code with an error comes before the first code without one
    errors = [int(v[0]) > 0 for v in codes["values"]]
    assert errors == sorted(errors, reverse=True)


def test_default_year_is_the_newest_and_filters_narrow(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    page = html(client, "/dashboard/")
    assert "2022年度" in page
    assert chart_codes(charts(page)["codes"]) == audit_codes(both[0])
    older = html(client, "/dashboard/", year="2020")
    assert chart_codes(charts(older)["codes"]) == audit_codes(both[1])
    by_kind = html(client, "/dashboard/", year="", kind="dept_target")
    assert chart_codes(charts(by_kind)["codes"]) == audit_codes(both[1])
    by_department = html(client, "/dashboard/", year="", department=both[0].department_id)
    assert headline(by_department, "documents") == "1"
    nothing = html(client, "/dashboard/", year="", status="approved")
    assert headline(nothing, "documents") == "0" and "所选范围内没有文件" in nothing


def test_officer_sees_only_its_own_department(users: dict[str, User], both: Any) -> None:
    own, other = both
    client = client_for(users["officer"])
    page = html(client, "/dashboard/", year="")
    figures = charts(page)
    assert figures["status"]["labels"] == [own.department.name]
    assert chart_codes(figures["codes"]) == audit_codes(own)
    assert headline(page, "documents") == "1"
    assert "仅本部门数据" in page
    # guessing the other department: a 404 everywhere, never its numbers
    for url in (
        "/dashboard/",
        "/dashboard/documents/",
        "/dashboard/figures/codes.xlsx",
        "/dashboard/worksheet.xlsx",
    ):
        assert client.get(url, {"department": other.department_id, "year": ""}).status_code == 404, url
    assert client.get("/dashboard/", {"department": "999999"}).status_code == 404
    # T101 is only in the other department's 000: the officer's list is empty, the reviewer's is not
    mine = html(client, "/dashboard/documents/", code="T101")
    assert "没有符合条件的文件" in mine and other.title not in mine
    theirs = html(client_for(users["reviewer"]), "/dashboard/documents/", code="T101")
    assert f'data-document="{other.pk}"' in theirs
    # the worksheet: only the officer's own findings
    book = load_workbook(io.BytesIO(client.get("/dashboard/worksheet.xlsx", {"year": ""}).content))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {own.department.name}
    assert len(rows) == len(latest(own).audit["findings"])


def test_unknown_figure_is_404(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    assert client.get("/dashboard/figures/nothing.xlsx").status_code == 404
    assert client.get("/dashboard/figures/nothing/table/").status_code == 404
    assert client.get("/dashboard/report.txt").status_code == 404


# --- every number links to its documents --------------------------------------------------------


def test_numbers_link_to_the_documents_behind_them(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    figures = charts(html(client, "/dashboard/", year=""))
    codes = figures["codes"]
    s105 = next(i for i, label in enumerate(codes["labels"]) if label.startswith("S105 "))
    listed = html(client, codes["links"][s105][0])
    assert f'data-document="{both[0].pk}"' in listed and f'data-document="{both[1].pk}"' not in listed
    assert re.search(r'id="total-matching">1<', listed)
    t101 = next(i for i, label in enumerate(codes["labels"]) if label.startswith("T101 "))
    assert int(codes["values"][t101][0]) == 10
    listed = html(client, codes["links"][t101][0])
    assert re.search(r'id="total-matching">10<', listed) and f'data-document="{both[1].pk}"' in listed
    status = figures["status"]
    row = status["labels"].index(both[1].department.name)
    draft = status["series"].index("草稿")
    assert int(status["values"][row][draft]) == 1
    assert f'data-document="{both[1].pk}"' in html(client, status["links"][row][draft])
    grades = figures["grades"]
    excellent = grades["labels"].index("优")
    assert [int(v) for v in grades["values"][excellent]] == [1, 1]
    assert f'data-document="{both[0].pk}"' in html(client, grades["links"][excellent][0])
    scatter = figures["budget"]
    assert scatter["values"] == [["1633.2", "95.6"]]  # 万元, exact; the only scored document
    assert scatter["linkPattern"].format(scatter["links"][0]) == f"/documents/{both[0].pk}/"


def test_table_of_a_figure_has_its_links(users: dict[str, User], both: Any) -> None:
    table = html(client_for(users["reviewer"]), "/dashboard/figures/codes/table/", year="")
    assert "S105" in table and "/dashboard/documents/?code=S105&amp;severity=error" in table


def test_htmx_filter_returns_the_board_only(users: dict[str, User], both: Any) -> None:
    response = client_for(users["reviewer"]).get(
        "/dashboard/", {"year": "2020"}, headers={"HX-Request": "true", "HX-Target": "board"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="board">') and "<html" not in body
    assert chart_codes(charts(body)["codes"]) == audit_codes(both[1])


# --- downloads ----------------------------------------------------------------------------------


def test_each_chart_xlsx_holds_the_charts_numbers(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    figures = charts(html(client, "/dashboard/", year=""))
    assert {"status", "serious", "families", "codes", "grades", "scores", "budget"} <= set(figures)
    for key, figure in figures.items():
        response = client.get(f"/dashboard/figures/{key}.xlsx", {"year": ""})
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd.openxmlformats"
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == figure["title"]
        header = [c.value for c in sheet[3]]
        assert header[1 : 1 + len(figure["series"])] == figure["series"]
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        assert [row[0] for row in rows] == figure["labels"], key
        for row, values in zip(rows, figure["values"], strict=True):
            got = [Decimal(str(v)) if v is not None else None for v in row[1 : 1 + len(values)]]
            assert got == [Decimal(str(v)) if v is not None else None for v in values], key


def test_worksheet_one_row_per_finding_with_location_and_dismissal(users: dict[str, User], both: Any) -> None:
    version = latest(both[0])
    finding = next(f for f in version.audit["findings"] if f["code"] == "S105")
    Dismissal.objects.create(
        version=version, code="S105", key=finding_key(finding), reason="表3-1 已更正", user=users["reviewer"]
    )
    response = client_for(users["reviewer"]).get("/dashboard/worksheet.xlsx", {"year": ""})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [name for name, _ in WORKSHEET_COLUMNS]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(latest(d).audit["findings"]) for d in both)
    assert Counter(row[4] for row in rows) == audit_codes(*both)
    s105 = next(row for row in rows if row[4] == "S105")
    first = finding["locations"][0]
    assert s105[0] == both[0].department.name and s105[1] == both[0].title and s105[3] == 1
    assert s105[5] == "错误" and s105[6] and s105[7] == finding["message"]
    assert (s105[8], s105[10], s105[11], s105[12], s105[13]) == (
        first["file"],
        first["table"],
        first["row"],
        first["col"],
        first["cell"],
    )
    assert (s105[14], s105[15]) == ("是", "表3-1 已更正")
    assert sum(1 for row in rows if row[14] == "是") == 1
    # the function the batch page links to, on versions directly
    direct = load_workbook(io.BytesIO(worksheet_xlsx([latest(both[1])]))).active
    assert direct.max_row - 1 == len(latest(both[1]).audit["findings"])


def test_year_on_year_for_the_same_department(users: dict[str, User], both: Any) -> None:
    earlier = upload(users["officer"], both[0].department, SEED_000.name, SEED_000.read_bytes()).document
    earlier.year = 2021
    earlier.save()
    figures = charts(html(client_for(users["reviewer"]), "/dashboard/", year="2022"))
    yoy = figures["yoy"]
    assert yoy["labels"] == [both[0].department.name]
    errors_2021, errors_2022 = latest(earlier).errors, latest(both[0]).errors
    assert yoy["values"] == [[None, errors_2022 - errors_2021]]  # no score in 2021: no score change
    book = load_workbook(
        io.BytesIO(client_for(users["reviewer"]).get("/dashboard/figures/yoy.xlsx", {"year": "2022"}).content)
    )
    row = next(book.active.iter_rows(min_row=4, values_only=True))
    assert row[-2:] == (errors_2021, errors_2022)
    assert "yoy" not in charts(html(client_for(users["reviewer"]), "/dashboard/", year="2020"))


def test_regions_when_departments_have_them(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    assert "regions" not in charts(html(client, "/dashboard/", year=""))
    for document, region in zip(both, ("信阳市", "郑州市"), strict=True):
        Department.objects.filter(pk=document.department_id).update(region=region)
        document.department.region = region
        document.department.save()
    regions = charts(html(client, "/dashboard/", year=""))["regions"]
    assert regions["labels"] == ["信阳市", "郑州市"]
    assert [int(v[1]) for v in regions["values"]] == [latest(both[0]).errors, latest(both[1]).errors]
    only = charts(html(client, "/dashboard/", year="", region="郑州市"))
    assert chart_codes(only["codes"]) == audit_codes(both[1])


def test_leadership_report_docx_and_pdf(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    response = client.get("/dashboard/report.docx", {"year": ""})
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    errors = sum(latest(d).errors for d in both)
    assert "所选范围内共有 2 个部门的 2 份文件" in text
    assert f"审核共发现错误 {errors} 个" in text
    assert "平均复核得分 95.6 分" in text
    most = audit_codes(*both).most_common(1)[0]
    assert f"共 {most[1]} 个" in text and most[0] in text
    pdf = client.get("/dashboard/report.pdf", {"year": ""})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        pdf_text = "".join(page.extract_text() or "" for page in document.pages)
    assert "预算绩效审核情况汇总" in pdf_text and "问题较多的部门" in pdf_text


def test_documents_of_other_years_stay_out(users: dict[str, User], both: Any) -> None:
    client = client_for(users["reviewer"])
    listed = html(client, "/dashboard/documents/", year="2022")
    assert f'data-document="{both[0].pk}"' in listed and f'data-document="{both[1].pk}"' not in listed
    scored = html(client, "/dashboard/documents/", year="", score_min="95", score_max="100")
    assert f'data-document="{both[0].pk}"' in scored and f'data-document="{both[1].pk}"' not in scored
