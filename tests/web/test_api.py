"""The JSON API on the real seeds: each endpoint per role, token and session authentication, uploads
(kept, duplicate, refused), the review workflow and the errors, always ``{"code", "message"}``."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from jixiao.web.models import ApiToken, AuditEvent, Department, Dismissal, Document, Status
from jixiao.web.store import finding_key
from jixiao.web.tokens import issue_token
from tests.conftest import SEED_000, SEED_002

pytestmark = pytest.mark.urls("tests.web.api_urls")

ROLES_SEEING_OWN_DEPARTMENT = ("admin", "reviewer", "officer", "viewer", "auditor")


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, 'test')}"}


def api_get(user: User, url: str, **params: Any) -> Any:
    return Client().get(url, params, headers=bearer(user))


def api_post(user: User, url: str, body: dict[str, Any]) -> Any:
    return Client().post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def api_upload(user: User, *files: tuple[str, bytes], **fields: Any) -> Any:
    data: dict[str, Any] = {"files": [SimpleUploadedFile(name, content) for name, content in files]}
    data.update({k: str(v) for k, v in fields.items()})
    return Client().post("/api/documents", data, headers=bearer(user))


def assert_error(response: Any, status: int, code: str, message: str = "") -> None:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert body["code"] == code and message in body["message"]


# --- authentication ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/documents"),
        ("post", "/api/documents"),
        ("get", "/api/documents/1"),
        ("get", "/api/documents/1/versions/1/original"),
        ("post", "/api/documents/1/transitions"),
        ("get", "/api/documents/1/events"),
        ("post", "/api/tokens"),
    ],
)
def test_every_endpoint_needs_authentication(method: str, url: str, seed_002_document: Document) -> None:
    for headers in ({}, {"Authorization": "Bearer jx_wrong"}, {"Authorization": "Basic b2ZmaWNlcjp4"}):
        response = getattr(Client(), method)(url, headers=headers)
        assert_error(response, 401, "unauthorized", "API 令牌")


def test_a_token_authenticates_and_only_its_digest_is_kept(users: dict[str, User]) -> None:
    secret = issue_token(users["officer"], "每日导出")
    token = ApiToken.objects.get(user=users["officer"])
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest() and token.name == "每日导出"
    assert secret not in {token.digest, token.name}
    ok = Client().get("/api/documents", headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200 and ok.json()["count"] == 0
    token.refresh_from_db()
    assert token.last_used is not None
    wrong = Client().get("/api/documents", headers={"Authorization": f"Bearer {secret[:-1]}x"})
    assert_error(wrong, 401, "unauthorized")
    users["officer"].is_active = False
    users["officer"].save()
    gone = Client().get("/api/documents", headers={"Authorization": f"Bearer {secret}"})
    assert_error(gone, 401, "unauthorized")


def test_tokens_are_issued_to_a_browser_session_only(users: dict[str, User]) -> None:
    browser = Client()
    browser.force_login(users["reviewer"])
    made = browser.post("/api/tokens", json.dumps({"name": "年度统计脚本"}), content_type="application/json")
    assert made.status_code == 201
    secret = made.json()["token"]
    assert made.json()["name"] == "年度统计脚本"
    assert ApiToken.objects.get(pk=made.json()["id"]).digest == hashlib.sha256(secret.encode()).hexdigest()
    assert AuditEvent.objects.filter(action="token", actor=users["reviewer"]).count() == 1
    listed = Client().get("/api/documents", headers={"Authorization": f"Bearer {secret}"})
    assert listed.status_code == 200
    # a token cannot make more tokens
    again = Client().post(
        "/api/tokens", "{}", content_type="application/json", headers={"Authorization": f"Bearer {secret}"}
    )
    assert_error(again, 401, "unauthorized")


def test_session_changes_need_the_csrf_token(users: dict[str, User], seed_002_document: Document) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["officer"])
    assert browser.get("/api/documents").status_code == 200  # reading needs no CSRF token
    refused = browser.post(
        f"/api/documents/{seed_002_document.pk}/transitions",
        json.dumps({"action": "submit"}),
        content_type="application/json",
    )
    assert_error(refused, 403, "csrf_failed", "CSRF")
    seed_002_document.refresh_from_db()
    assert seed_002_document.status == Status.DRAFT
    # with the cookie and the token, as a page sends them
    page = RequestFactory().get("/")
    token = get_token(page)
    browser.cookies[settings.CSRF_COOKIE_NAME] = page.META["CSRF_COOKIE"]
    done = browser.post(
        f"/api/documents/{seed_002_document.pk}/transitions",
        json.dumps({"action": "submit"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert done.status_code == 200 and done.json()["status"] == Status.SUBMITTED


def test_a_user_without_a_role_sees_nothing(
    make_user: Any, seed_002_document: Document, users: dict[str, User]
) -> None:
    nobody = User.objects.create_user("nobody", password="jixiao-test-密码")
    listed = api_get(nobody, "/api/documents")
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert_error(api_get(nobody, f"/api/documents/{seed_002_document.pk}"), 404, "not_found")


# --- reading, per role ----------------------------------------------------------------------------------


@pytest.fixture
def both(seed_002_document: Document, seed_000_document: Document) -> tuple[Document, Document]:
    """Seed 002 in the first department, seed 000 in the second."""
    return seed_002_document, seed_000_document


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"002", "000"}),
        ("reviewer", {"002", "000"}),
        ("auditor", {"002", "000"}),
        ("officer", {"002"}),
        ("viewer", {"002"}),
        ("other", {"000"}),
    ],
)
def test_the_list_holds_what_the_role_may_see(
    role: str, expected: set[str], users: dict[str, User], both: tuple[Document, Document]
) -> None:
    names = {both[0].pk: "002", both[1].pk: "000"}
    response = api_get(users[role], "/api/documents")
    assert response.status_code == 200
    body = response.json()
    assert {names[item["id"]] for item in body["items"]} == expected and body["count"] == len(expected)
    for item in body["items"]:
        version = Document.objects.get(pk=item["id"]).versions.get()
        assert (item["latest_version"], item["errors"], item["warnings"]) == (
            1,
            version.errors,
            version.warnings,
        )
        assert item["status"] == "draft" and item["status_label"] == "草稿"
    assert "草稿" in response.content.decode() or not expected  # readable Chinese, not \\u escapes


def test_the_list_filters_and_pages(users: dict[str, User], both: tuple[Document, Document]) -> None:
    admin = users["admin"]
    seed_002, seed_000 = both

    def ids(**params: Any) -> list[int]:
        response = api_get(admin, "/api/documents", **params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(kind="self_evaluation") == [seed_002.pk]
    assert ids(kind="dept_target") == [seed_000.pk]
    assert ids(year=2022) == [seed_002.pk] and ids(year=2020) == [seed_000.pk]
    assert ids(department=seed_000.department_id) == [seed_000.pk]
    assert ids(status="draft", page_size=1, page=1) + ids(status="draft", page_size=1, page=2) == ids()
    assert ids(status="approved") == [] and ids(page=3) == []
    # an officer filtering on another department still sees nothing of it
    response = api_get(users["officer"], "/api/documents", department=seed_000.department_id)
    assert response.json()["items"] == []


@pytest.mark.parametrize("role", ROLES_SEEING_OWN_DEPARTMENT)
def test_each_role_of_the_department_reads_the_document(
    role: str, users: dict[str, User], seed_002_document: Document
) -> None:
    pk = seed_002_document.pk
    detail = api_get(users[role], f"/api/documents/{pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["kind"] == "self_evaluation" and body["year"] == 2022
    assert body["version"]["number"] == 1 and [v["number"] for v in body["versions"]] == [1]
    assert body["parsed"]["forms"][0]["form"] == "self_evaluation"
    original = api_get(users[role], f"/api/documents/{pk}/versions/1/original")
    assert original.status_code == 200 and original["Content-Type"] == "application/octet-stream"
    assert original.content == SEED_002.read_bytes()
    assert original["Content-Disposition"].startswith("attachment")
    events = api_get(users[role], f"/api/documents/{pk}/events")
    assert [(e["action"], e["actor"]) for e in events.json()] == [("upload", "officer")]
    expected_actions = {"admin": ["submit", "resubmit", "return", "approve"], "officer": ["submit"]}
    assert body["actions"] == expected_actions.get(role, [])


def test_another_departments_document_is_not_found_by_guessing(
    users: dict[str, User], both: tuple[Document, Document]
) -> None:
    seed_002, _ = both
    missing = Document.objects.order_by("-pk").first()
    assert missing is not None
    urls = ["", "/versions/1/original", "/events"]
    for url in urls:
        hidden = api_get(users["other"], f"/api/documents/{seed_002.pk}{url}")
        absent = api_get(users["other"], f"/api/documents/{missing.pk + 100}{url}")
        assert_error(hidden, 404, "not_found")
        assert hidden.json() == absent.json()  # the answer does not tell that the document exists
    moved = api_post(users["other"], f"/api/documents/{seed_002.pk}/transitions", {"action": "submit"})
    assert_error(moved, 404, "not_found")
    added = api_upload(users["other"], (SEED_002.name, SEED_002.read_bytes()), document=seed_002.pk)
    assert_error(added, 404, "not_found")
    seed_002.refresh_from_db()
    assert seed_002.status == Status.DRAFT and seed_002.versions.count() == 1


def test_a_version_that_does_not_exist_is_404(users: dict[str, User], seed_002_document: Document) -> None:
    pk = seed_002_document.pk
    assert_error(api_get(users["officer"], f"/api/documents/{pk}", version=2), 404, "not_found", "第 2 版")
    assert_error(api_get(users["officer"], f"/api/documents/{pk}/versions/2/original"), 404, "not_found")


def test_dismissed_findings_are_marked_with_the_reason(
    users: dict[str, User], seed_002_document: Document
) -> None:
    version = seed_002_document.versions.get()
    finding = next(f for f in version.audit["findings"] if f["code"] == "S105")
    Dismissal.objects.create(
        version=version, code="S105", key=finding_key(finding), reason="已电话核实", user=users["reviewer"]
    )
    findings = api_get(users["viewer"], f"/api/documents/{seed_002_document.pk}").json()["findings"]
    dismissed = [f for f in findings if f["dismissed"]]
    assert [(f["code"], f["dismissal_reason"]) for f in dismissed] == [("S105", "已电话核实")]
    assert len(findings) == len(version.audit["findings"])
    assert all(f["dismissal_reason"] is None for f in findings if not f["dismissed"])


# --- uploads ---------------------------------------------------------------------------------------------


def test_seed_002_uploaded_through_the_api_is_read_audited_and_scored(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    response = api_upload(users["officer"], (SEED_002.name, SEED_002.read_bytes()))
    assert response.status_code == 200, response.content
    (result,) = response.json()["results"]
    assert (result["result"], result["version"], result["reason"]) == ("kept", 1, "")
    document = Document.objects.get(pk=result["document"])
    assert document.department == departments[0]  # the officer's own by default
    body = api_get(users["reviewer"], f"/api/documents/{document.pk}").json()
    s105 = [f for f in body["findings"] if f["code"] == "S105"]
    assert s105 and s105[0]["severity"] == "error" and not s105[0]["dismissed"]
    assert "31" in s105[0]["message"] and s105[0]["locations"]
    (sheet,) = body["scores"]
    assert Decimal(sheet["total_computed"]) == Decimal("95.6") and sheet["grade_computed"] == "优"
    assert body["version"]["sha256"] == hashlib.sha256(SEED_002.read_bytes()).hexdigest()


def test_the_same_file_again_is_recognised_as_a_duplicate(
    users: dict[str, User], seed_002_document: Document
) -> None:
    response = api_upload(users["officer"], ("再次上传.txt", SEED_002.read_bytes()))
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["result"] == "duplicate" and "完全相同" in result["reason"]
    assert (result["document"], result["version"]) == (seed_002_document.pk, 1)
    assert Document.objects.count() == 1 and seed_002_document.versions.count() == 1


def test_refused_uploads_say_why(users: dict[str, User], departments: tuple[Department, Department]) -> None:
    refused = api_upload(users["officer"], ("病毒.exe", b"MZ\x90\x00"))
    assert_error(refused, 400, "upload_refused", "不支持的文件类型：病毒.exe")
    assert refused.json()["results"][0]["result"] == "refused"
    empty = api_upload(users["officer"], ("空.xlsx", b""))
    assert_error(empty, 400, "upload_refused", "文件为空")
    assert Document.objects.count() == 0
    # one good file among bad ones: kept, and each file has its own answer
    mixed = api_upload(users["officer"], ("说明.exe", b"x"), (SEED_000.name, SEED_000.read_bytes()))
    assert mixed.status_code == 200
    assert [r["result"] for r in mixed.json()["results"]] == ["refused", "kept"]
    assert Document.objects.get().kind == "dept_target"


def test_who_may_upload_where(users: dict[str, User], departments: tuple[Department, Department]) -> None:
    data = (SEED_000.name, SEED_000.read_bytes())
    own, other = departments
    assert_error(api_upload(users["viewer"], data), 403, "forbidden", "只读查看人不能上传")
    assert_error(api_upload(users["reviewer"], data), 400, "department_required")
    assert_error(api_upload(users["reviewer"], data, department=own.pk), 403, "forbidden", "审核人不能上传")
    assert_error(api_upload(users["officer"], data, department=other.pk), 403, "forbidden", "只能查看本部门")
    assert_error(
        api_upload(users["officer"], data, department=other.pk + 100), 404, "not_found", "部门不存在"
    )
    assert Document.objects.count() == 0
    kept = api_upload(users["admin"], data, department=other.pk)
    assert kept.status_code == 200 and Document.objects.get().department == other


def test_a_new_version_only_while_draft_or_returned(
    users: dict[str, User], seed_002_document: Document
) -> None:
    pk = seed_002_document.pk
    corrected = SEED_002.read_bytes().replace("群众满意度".encode(), "群众满意率".encode(), 1)
    assert (
        api_post(users["officer"], f"/api/documents/{pk}/transitions", {"action": "submit"}).status_code
        == 200
    )
    late = api_upload(users["officer"], ("002-修改.txt", corrected), document=pk)
    assert_error(late, 409, "conflict", "“已提交”")
    mismatch = api_upload(
        users["officer"],
        ("002-修改.txt", corrected),
        document=pk,
        department=seed_002_document.department_id + 1,
    )
    assert_error(mismatch, 400, "department_mismatch")
    assert seed_002_document.versions.count() == 1


# --- workflow --------------------------------------------------------------------------------------------


def test_the_review_cycle_through_the_api(users: dict[str, User], seed_002_document: Document) -> None:
    url = f"/api/documents/{seed_002_document.pk}/transitions"
    officer, reviewer = users["officer"], users["reviewer"]

    submitted = api_post(officer, url, {"action": "submit"})
    assert submitted.json() == {"id": seed_002_document.pk, "status": "submitted", "status_label": "已提交"}
    assert_error(api_post(officer, url, {"action": "approve"}), 403, "forbidden", "部门填报人不能审核通过")
    assert_error(api_post(users["viewer"], url, {"action": "return", "comment": "x"}), 403, "forbidden")
    assert_error(api_post(reviewer, url, {"action": "return"}), 400, "comment_required", "退回意见")
    assert_error(api_post(officer, url, {"action": "submit"}), 409, "conflict", "“已提交”")
    returned = api_post(reviewer, url, {"action": "return", "comment": "表3-1 效益指标得分与明细不一致"})
    assert returned.json()["status"] == "returned"

    corrected = SEED_002.read_bytes().replace("群众满意度".encode(), "群众满意率".encode(), 1)
    again = api_upload(officer, ("002-修改.txt", corrected), document=seed_002_document.pk)
    assert again.json()["results"][0]["version"] == 2
    assert api_post(officer, url, {"action": "resubmit"}).json()["status"] == "resubmitted"
    assert api_post(reviewer, url, {"action": "approve"}).json()["status"] == "approved"

    detail = api_get(users["viewer"], f"/api/documents/{seed_002_document.pk}").json()
    assert detail["status"] == "approved" and detail["version"]["number"] == 2
    assert [(c["author"], c["text"], c["version"]) for c in detail["comments"]] == [
        ("reviewer", "表3-1 效益指标得分与明细不一致", 1)
    ]
    first = api_get(users["viewer"], f"/api/documents/{seed_002_document.pk}", version=1).json()
    assert first["version"]["number"] == 1 and first["status"] == "approved"
    events = api_get(users["viewer"], f"/api/documents/{seed_002_document.pk}/events").json()
    assert [(e["action"], e["actor"]) for e in events] == [
        ("upload", "officer"),
        ("submit", "officer"),
        ("return", "reviewer"),
        ("upload", "officer"),
        ("resubmit", "officer"),
        ("approve", "reviewer"),
    ]
    assert events[2]["detail"]["comment"].startswith("表3-1")


def test_malformed_requests_are_422_not_500(users: dict[str, User], seed_002_document: Document) -> None:
    officer = users["officer"]
    for url in (
        "/api/documents/0",
        f"/api/documents/{10**20}",
        "/api/documents/abc",
        "/api/documents/1/versions/0/original",
    ):
        assert_error(api_get(officer, url), 422, "invalid_request")
    assert_error(api_get(officer, "/api/documents", page=0), 422, "invalid_request")
    assert_error(api_get(officer, "/api/documents", status="deleted"), 422, "invalid_request")
    assert_error(api_get(officer, "/api/documents", year=10**30), 422, "invalid_request")
    url = f"/api/documents/{seed_002_document.pk}/transitions"
    assert_error(api_post(officer, url, {"action": "delete"}), 422, "invalid_request")
    assert_error(api_post(officer, url, {"action": "submit", "comment": "a\x00b"}), 422, "invalid_request")
    assert_error(api_upload(officer), 422, "invalid_request")


def test_a_body_that_is_not_json_is_400(users: dict[str, User], seed_002_document: Document) -> None:
    response = Client().post(
        f"/api/documents/{seed_002_document.pk}/transitions",
        "{not json",
        content_type="application/json",
        headers=bearer(users["officer"]),
    )
    assert_error(response, 400, "bad_request", "无法解析")


@pytest.mark.urls("jixiao.web.urls")
def test_the_site_serves_the_api_at_api_without_a_docs_page(db: Any) -> None:
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert set(schema.json()["paths"]) == {
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/documents/{document_id}/versions/{number}/original",
        "/api/documents/{document_id}/transitions",
        "/api/documents/{document_id}/events",
        "/api/tokens",
    }
    assert Client().get("/api/docs").status_code == 404  # no page loading Swagger from a CDN
