"""The pages through Django's test client, on the real seeds: each page for each role, uploads,
the document page of seed 002 (its finding S105 on the indicator rows, its score 95.6), filters,
downloads and rendered outputs, comments, false alarms, and the whole review workflow."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.checks import builtin_registry
from jixiao.model.disclosure import Disclosure
from jixiao.web.models import AuditEvent, Comment, Department, Dismissal, Document, Status
from jixiao.web.store import analyse, parsed_document, upload
from jixiao.web.views import formcache
from jixiao.web.views.findings import version_findings
from jixiao.web.views.formcache import page_cache
from jixiao.web.views.formview import FindingIndex, FormLayout, disclosure_places, form_layout, same_place
from jixiao.web.views.sheets import score_sheets
from jixiao.web.workflow import move
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


@pytest.fixture(autouse=True)
def _fresh_cache_fast_hashing(settings: Any) -> None:
    """A clean login-throttle cache and grid cache (the fast password hasher is set in conftest)."""
    cache.clear()
    page_cache().clear()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode("utf-8")


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def layout(document: Document) -> FormLayout:
    """The grid of the document's latest version as the page lays it out (the page itself sends
    its HTML, from the cache when it is there)."""
    version = document.versions.order_by("-number").first()
    assert version is not None
    return form_layout(parsed_document(version), version_findings(version), set())


def doc_url(document: Document, **params: Any) -> str:
    url = reverse("jixiao:document", args=[document.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# --- pages per role -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(seed_002_document: Document) -> None:
    client = Client()
    for url in (reverse("jixiao:home"), doc_url(seed_002_document), reverse("jixiao:stats")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("jixiao:login"))
    login = page(client, reverse("jixiao:login"))
    assert "用户名" in login and "密码" in login and "csrfmiddlewaretoken" in login


@pytest.mark.parametrize(
    ("role", "sees_002", "shows", "hides"),
    [
        ("admin", True, ["待审核", "全部文件", "上传文件", "误报统计"], []),
        ("reviewer", True, ["待审核", "全部文件", "误报统计"], ["上传文件"]),
        ("officer", True, ["上传文件", "文件列表"], ["待审核", "误报统计"]),
        ("other", False, ["上传文件"], ["待审核", "误报统计"]),
        ("viewer", True, ["文件列表"], ["待审核", "上传文件", "误报统计"]),
        ("auditor", True, ["文件列表"], ["待审核", "上传文件", "误报统计"]),
    ],
)
def test_home_by_role(
    users: dict[str, User],
    seed_002_document: Document,
    role: str,
    sees_002: bool,
    shows: list[str],
    hides: list[str],
) -> None:
    html = page(client_for(users[role]), reverse("jixiao:home"))
    assert (seed_002_document.title in html) is sees_002
    for text in shows:
        assert text in html, text
    for text in hides:
        assert text not in html, text
    assert "草稿" in html and "已通过" in html  # the counts per status


def test_home_counts_per_status(
    users: dict[str, User], seed_002_document: Document, seed_000_document: Document
) -> None:
    move(seed_002_document, "submit", users["officer"])
    response = client_for(users["reviewer"]).get(reverse("jixiao:home"))
    counts = {c["status"]: c["count"] for c in response.context["counts"]}
    assert counts == {"draft": 1, "submitted": 1, "returned": 0, "resubmitted": 0, "approved": 0}
    officer = client_for(users["officer"]).get(reverse("jixiao:home"))
    assert {c["status"]: c["count"] for c in officer.context["counts"]}["draft"] == 0  # 000 is not theirs


def test_reviewer_inbox_oldest_first(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    first = upload(users["officer"], departments[0], SEED_002.name, SEED_002.read_bytes()).document
    second = upload(users["other"], departments[1], SEED_000.name, SEED_000.read_bytes()).document
    third = upload(users["officer"], departments[0], SEED_003.name, SEED_003.read_bytes()).document
    move(first, "submit", users["officer"])
    move(second, "submit", users["other"])  # third stays a draft
    response = client_for(users["reviewer"]).get(reverse("jixiao:home"))
    inbox = [row["document"].pk for row in response.context["inbox"]]
    assert inbox == [first.pk, second.pk]
    assert third.pk not in inbox


def test_officer_sees_returned_documents_with_the_comment(
    users: dict[str, User], seed_002_document: Document
) -> None:
    move(seed_002_document, "submit", users["officer"])
    move(seed_002_document, "return", users["reviewer"], "效益指标得分与明细不一致，请核对")
    html = page(client_for(users["officer"]), reverse("jixiao:home"))
    returned = html.index("已退回 <span")
    assert returned < html.index("上传文件") < html.index("文件列表")
    assert "退回意见：效益指标得分与明细不一致，请核对" in html


def test_home_filters(
    users: dict[str, User],
    departments: tuple[Department, Department],
    seed_002_document: Document,
    seed_000_document: Document,
) -> None:
    client = client_for(users["reviewer"])
    home = reverse("jixiao:home")

    def listed(**params: Any) -> set[int]:
        response = client.get(home, params)
        assert response.status_code == 200
        return {row["document"].pk for row in response.context["rows"]}

    assert listed() == {seed_002_document.pk, seed_000_document.pk}
    assert listed(department=departments[1].pk) == {seed_000_document.pk}
    assert listed(kind="self_evaluation") == {seed_002_document.pk}
    assert listed(kind="dept_target") == {seed_000_document.pk}
    move(seed_000_document, "submit", users["other"])
    assert listed(status="submitted") == {seed_000_document.pk}
    assert listed(status="draft", kind="dept_target") == set()
    assert listed(status="nonsense") == {seed_002_document.pk, seed_000_document.pk}  # ignored
    # an officer cannot widen the list by naming another department
    officer = client_for(users["officer"]).get(home, {"department": departments[1].pk})
    assert [row["document"] for row in officer.context["rows"]] == []
    # htmx asks for the list alone
    partial = client.get(
        home, {"kind": "dept_target"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="document-list"
    )
    text = partial.content.decode()
    assert text.lstrip().startswith('<div id="document-list">') and "<html" not in text
    assert seed_000_document.title in text and seed_002_document.title not in text


# --- uploads ------------------------------------------------------------------------------------


def test_upload_several_files_each_reported(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    client = client_for(users["officer"])
    with SEED_002.open("rb") as a, SEED_000.open("rb") as b:
        response = client.post(reverse("jixiao:upload"), {"files": [a, b]}, follow=True)
    assert response.status_code == 200
    texts = messages_of(response)
    assert len(texts) == 2 and all("已保存为《" in t and "第1版" in t for t in texts), texts
    assert Document.objects.filter(department=departments[0]).count() == 2
    # the same bytes again: recognised, nothing new kept; a file Jixiao does not read: refused
    with SEED_002.open("rb") as a:
        bad = ("评分.exe", b"MZ\x90\x00")
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(
            reverse("jixiao:upload"), {"files": [a, SimpleUploadedFile(*bad)]}, follow=True
        )
    texts = messages_of(response)
    assert any("完全相同" in t and "第1版" in t for t in texts), texts
    assert any("不支持的文件类型：评分.exe" in t for t in texts), texts
    assert Document.objects.count() == 2


def test_upload_without_files_says_so(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    response = client_for(users["officer"]).post(reverse("jixiao:upload"), {}, follow=True)
    assert "请选择要上传的文件" in messages_of(response)


@override_settings(MAX_UPLOAD_BYTES=4 * 1024 * 1024)
def test_upload_limit_is_a_clear_message(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("大文件.txt", b"x" * (4 * 1024 * 1024 + 1))
    response = client_for(users["officer"]).post(reverse("jixiao:upload"), {"files": [big]}, follow=True)
    assert any("文件过大：大文件.txt" in t and "上限 4 MB" in t for t in messages_of(response))
    assert Document.objects.count() == 0


def test_single_upload_opens_the_new_document(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    with SEED_000.open("rb") as f:
        response = client_for(users["officer"]).post(reverse("jixiao:upload"), {"files": [f]})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == doc_url(document)


def test_new_version_from_the_document_page(users: dict[str, User], seed_002_document: Document) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users["officer"])
    corrected = SEED_002.read_bytes().replace("群众满意度".encode(), "群众满意率".encode(), 1)
    url = reverse("jixiao:upload_version", args=[seed_002_document.pk])
    response = client.post(url, {"files": [SimpleUploadedFile("002-修改.txt", corrected)]}, follow=True)
    assert any("第2版" in t for t in messages_of(response))
    assert seed_002_document.versions.count() == 2
    html = page(client, doc_url(seed_002_document, version=1))
    assert "历史版本" in html and "002-修改.txt" in html
    assert "历史版本" not in page(client, doc_url(seed_002_document))
    for wrong in ("3", "abc", "0"):
        assert client.get(doc_url(seed_002_document, version=wrong)).status_code == 404


# --- the document page --------------------------------------------------------------------------


def test_seed_002_page_shows_s105_on_its_rows_and_the_score(
    users: dict[str, User], seed_002_document: Document
) -> None:
    response = client_for(users["reviewer"]).get(doc_url(seed_002_document))
    html = response.content.decode()
    assert "S105" in html and "95.6" in html
    sheet = score_sheets(seed_002_document.versions.get(number=1))[0]
    assert (sheet["total_reported"], sheet["total_computed"]) == ("97", "95.6")
    assert sheet["grade_computed"] == "优"
    # the header
    for text in ("信阳市平桥区人力资源和社会保障局", "2022", "绩效自评", "草稿", SEED_002.name):
        assert text in html, text
    # the form as the form is: the 自评表 with its indicator rows, each cell with an id
    rows = [row for table in layout(seed_002_document).tables for row in table.rows if row.anchor]
    assert len(rows) == 32
    assert all(cell.id.startswith("g") for row in rows for cell in row.cells)
    by_name = {row.indicator: row for row in rows}
    # S105: 效益指标 scores: it points at the 效益指标 rows of table 4, and they are marked
    panel = response.context["panel"]
    s105 = next(item for item in panel.items if item.code == "S105")
    assert s105.severity == "error" and s105.anchor is not None
    marked = next(row for row in rows if row.anchor == s105.anchor)
    assert s105.index in marked.findings and marked.severity == "error"
    assert f'id="{s105.anchor}" class=" sev-error"' in html
    assert f'href="#{s105.anchor}"' in html and f'href="#finding-{s105.index}"' in html
    flagged = {row.indicator for row in rows if s105.index in row.findings}
    assert flagged == {"提高人民群众生活质量", "长效管理制度", "群众满意度"}  # the 效益指标 rows
    assert marked.indicator == "提高人民群众生活质量"
    # 结转结余率 (scored 0 against ≥ the self-score) carries a finding; 预算编制完整性 none
    assert by_name["结转结余率"].findings and not by_name["预算编制完整性"].findings
    # location labels without the file name
    assert any(place.startswith("L135") for place in s105.places)
    # S115 gives 应为/实为/建议
    s115 = next(item for item in panel.items if item.code == "S115")
    assert (s115.expected, s115.actual) == ("95.6 / 优", "97 / 优")
    assert "应为" in html and "实为" in html and "建议" in html


def test_declaration_page_lays_out_goals_tasks_and_indicator_tree(
    users: dict[str, User], seed_000_document: Document
) -> None:
    response = client_for(users["reviewer"]).get(doc_url(seed_000_document))
    html = response.content.decode()
    for text in (
        "年度总体目标",
        "年度主要任务",
        "劳动人事争议仲裁业务专项经费",
        "一级指标",
        "三级指标",
        "预算执行率",
    ):
        assert text in html, text
    assert 'rowspan="7"' in html  # 履职效能 over its seven rows
    rows = {
        row.indicator: row for table in layout(seed_000_document).tables for row in table.rows if row.anchor
    }
    # T101: 预算执行率 has no 指标值 — the row is marked as an error
    t101 = next(i for i in response.context["panel"].items if i.code == "T101")
    assert t101.index in rows["预算执行率"].findings and rows["预算执行率"].severity == "error"


def test_disclosure_page_shows_each_table(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    document = upload(users["officer"], departments[0], SEED_003.name, SEED_003.read_bytes()).document
    response = client_for(users["officer"]).get(doc_url(document))
    assert response.status_code == 200
    titles = [table.title for table in layout(document).tables]
    assert len(titles) >= 5 and any("收支总体情况表" in t for t in titles), titles
    assert score_sheets(document.versions.get()) == [] and "评分表" not in response.content.decode()


def test_findings_filters_and_partial(users: dict[str, User], seed_002_document: Document) -> None:
    client = client_for(users["reviewer"])
    errors = client.get(doc_url(seed_002_document), {"severity": "error"}).context["panel"]
    assert errors.items and {i.severity for i in errors.items} == {"error"}
    every = client.get(doc_url(seed_002_document)).context["panel"]
    assert len(errors.items) == every.counts["error"] < len(every.items)
    scores = client.get(doc_url(seed_002_document), {"family": "S"}).context["panel"]
    assert {i.code[0] for i in scores.items} == {"S"} and "S105" in {i.code for i in scores.items}
    assert set(every.families) >= {"C", "F", "S"}
    partial = client.get(
        reverse("jixiao:findings", args=[seed_002_document.pk]),
        {"version": "1", "severity": "warning", "family": "S"},
        HTTP_HX_REQUEST="true",
    )
    text = partial.content.decode()
    assert text.lstrip().startswith('<section id="findings"') and "<html" not in text
    assert "S115" in text and "S105" not in text


def test_download_gives_the_original_bytes(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    name = '平桥"自评"\r\n报告;.txt'
    document = upload(users["officer"], departments[0], name, SEED_002.read_bytes()).document
    response = client_for(users["viewer"]).get(reverse("jixiao:download", args=[document.pk, 1]))
    assert response.status_code == 200
    assert response.content == SEED_002.read_bytes()
    disposition = response["Content-Disposition"]
    assert disposition.isascii() and "\r" not in disposition and "\n" not in disposition
    fallback = re.search(r'filename="([^"]*)"', disposition)
    assert fallback is not None and fallback.group(1) == f"jixiao-{document.pk}-v1.txt"
    real = re.search(r"filename\*=UTF-8''(\S+)$", disposition)
    assert real is not None and unquote(real.group(1)) == document.versions.get().original_name
    assert "报告" in unquote(real.group(1))
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("docx", b"PK"), ("html", b"<!DOCTYPE html")])
def test_rendered_outputs(
    users: dict[str, User], seed_000_document: Document, fmt: str, magic: bytes
) -> None:
    response = client_for(users["reviewer"]).get(
        reverse("jixiao:render", args=[seed_000_document.pk, 1, fmt])
    )
    assert response.status_code == 200
    assert response.content.startswith(magic) or magic in response.content[:200]
    assert response["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in response["Content-Disposition"]


def test_render_error_is_a_message(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    document = upload(
        users["officer"], departments[0], "说明.txt", "本文件没有任何表格。\n".encode()
    ).document
    client = client_for(users["officer"])
    response = client.get(reverse("jixiao:render", args=[document.pk, 1, "xlsx"]), follow=True)
    assert response.status_code == 200
    assert any(
        t.startswith("无法生成Excel 表格：") and "没有可生成的表单" in t for t in messages_of(response)
    )
    assert client.get(reverse("jixiao:render", args=[document.pk, 1, "exe"])).status_code == 404


def test_comment_with_anchor(users: dict[str, User], seed_002_document: Document) -> None:
    client = client_for(users["reviewer"])
    url = reverse("jixiao:comment", args=[seed_002_document.pk])
    response = client.post(
        url, {"text": "得分请按规则复核", "anchor": "结转结余率", "version": 1}, follow=True
    )
    assert "意见已保存" in messages_of(response)
    html = response.content.decode()
    assert "得分请按规则复核" in html and "结转结余率</span>" in html
    comment = Comment.objects.get()
    assert (comment.anchor, comment.version.number if comment.version else None) == ("结转结余率", 1)
    assert AuditEvent.objects.filter(document=seed_002_document, action="comment").count() == 1
    empty = client.post(url, {"text": "  "}, follow=True)
    assert "请填写意见内容" in messages_of(empty) and Comment.objects.count() == 1


def test_dismissal_struck_through_logged_and_counted(
    users: dict[str, User], seed_002_document: Document
) -> None:
    client = client_for(users["reviewer"])
    panel = client.get(doc_url(seed_002_document)).context["panel"]
    s105 = next(item for item in panel.items if item.code == "S105")
    url = reverse("jixiao:dismiss", args=[seed_002_document.pk, 1])
    missing = client.post(url, {"key": s105.key, "reason": ""}, follow=True)
    assert "标记误报时请填写理由" in messages_of(missing) and not Dismissal.objects.exists()
    assert client.post(url, {"key": "S999|||||||x", "reason": "?"}).status_code == 404
    response = client.post(url, {"key": s105.key, "reason": "表3-1 为汇总口径，另有说明"}, follow=True)
    html = response.content.decode()
    assert "已将 S105 标记为误报" in messages_of(response)
    assert f"<del>{s105.message}</del>" in html and "已标记误报：表3-1 为汇总口径，另有说明" in html
    after = response.context["panel"]
    assert after.dismissed == 1 and after.counts["error"] == panel.counts["error"] - 1
    event = AuditEvent.objects.get(action="dismiss")
    assert event.detail["code"] == "S105" and event.actor == users["reviewer"]
    # again: no second dismissal
    client.post(url, {"key": s105.key, "reason": "再次"})
    assert Dismissal.objects.count() == 1
    # htmx: the panel comes back alone
    s115 = next(item for item in panel.items if item.code == "S115")
    partial = client.post(url, {"key": s115.key, "reason": "规则口径不同"}, HTTP_HX_REQUEST="true")
    swapped = partial.content.decode()
    assert swapped.lstrip().startswith('<section id="findings"')
    # …with the grid swapped out of band: S105's rows are no longer coloured as errors
    assert '<div id="form-grid" hx-swap-oob="true">' in swapped and "form-grid" in swapped
    assert f'id="{s105.anchor}" class=" sev-error"' not in swapped and f'id="{s105.anchor}"' in swapped
    assert (
        "hx-swap-oob"
        not in client.get(
            doc_url(seed_002_document), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="findings"
        ).content.decode()
    )
    # 误报统计
    stats = client.get(reverse("jixiao:stats"))
    lines = stats.context["lines"]
    assert [(line["code"], line["count"]) for line in lines] == [("S105", 1), ("S115", 1)]
    assert builtin_registry()["S105"].title in stats.content.decode()


def test_stats_most_dismissed_first(users: dict[str, User], seed_002_document: Document) -> None:
    client = client_for(users["admin"])
    items = client.get(doc_url(seed_002_document)).context["panel"].items
    url = reverse("jixiao:dismiss", args=[seed_002_document.pk, 1])
    c6 = [item for item in items if item.code.startswith("C60")][:3]
    assert len(c6) == 3
    for item in c6:
        client.post(url, {"key": item.key, "reason": "口径不同"})
    client.post(url, {"key": next(i.key for i in items if i.code == "S105"), "reason": "口径不同"})
    lines = client.get(reverse("jixiao:stats")).context["lines"]
    assert lines[0]["count"] >= lines[-1]["count"]
    assert sum(line["count"] for line in lines) == 4
    assert [line["count"] for line in lines] == sorted((line["count"] for line in lines), reverse=True)


# --- the whole workflow -------------------------------------------------------------------------


def test_whole_workflow_through_the_pages(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer, reviewer = client_for(users["officer"]), client_for(users["reviewer"])
    with SEED_002.open("rb") as f:
        officer.post(reverse("jixiao:upload"), {"files": [f]})
    document = Document.objects.get()

    def act(client: Client, action: str, comment: str = "") -> Any:
        url = reverse("jixiao:transition", args=[document.pk, action])
        return client.post(url, {"comment": comment}, follow=True)

    assert "提交</button>" in page(officer, doc_url(document))
    act(officer, "submit")
    document.refresh_from_db()
    assert document.status == Status.SUBMITTED
    assert document.pk in [r["document"].pk for r in reviewer.get(reverse("jixiao:home")).context["inbox"]]
    refused = act(reviewer, "return")
    assert any("退回意见" in t for t in messages_of(refused))
    document.refresh_from_db()
    assert document.status == Status.SUBMITTED
    act(reviewer, "return", "表3-1 效益指标得分与明细不一致，请核对")
    document.refresh_from_db()
    assert document.status == Status.RETURNED
    corrected = SEED_002.read_bytes().replace("群众满意度".encode(), "群众满意率".encode(), 1)
    officer.post(
        reverse("jixiao:upload_version", args=[document.pk]),
        {"files": [SimpleUploadedFile("002-修改.txt", corrected)]},
    )
    act(officer, "resubmit")
    act(reviewer, "approve")
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    response = reviewer.get(doc_url(document))
    log = [(e["name"], e["event"].actor.username) for e in response.context["events"]]
    assert log == [
        ("上传", "officer"),
        ("提交", "officer"),
        ("退回", "reviewer"),
        ("上传", "officer"),
        ("重新提交", "officer"),
        ("审核通过", "reviewer"),
    ]
    html = response.content.decode()
    log_html = html[html.index('id="log"') :]
    for text in (
        "草稿 → 已提交",
        "已提交 → 已退回",
        "意见：表3-1 效益指标得分与明细不一致",
        "已重新提交 → 已通过",
        "002-修改.txt",
    ):
        assert text in log_html, text
    assert response.context["buttons"] == []  # approved: nothing left to do


# --- findings on rows and cells, the grid cache, queries ---------------------------------------


@pytest.mark.parametrize("seed", [SEED_000, SEED_002, SEED_003, SEED_004], ids=lambda p: p.name[:3])
def test_the_finding_index_answers_as_comparing_every_pair(seed: Any) -> None:
    """``FindingIndex.at`` is exactly the findings ``same_place`` matches, on every indicator row and
    every disclosure row of the real seeds (what it replaces: a pass over all findings per row)."""
    document, audit, _ = analyse(seed.name, seed.read_bytes())
    findings = audit["findings"]
    index = FindingIndex(findings)
    places: list[list[Any]] = [
        [i.loc, *i.cells.values()] for f in document.forms for i in getattr(f, "indicators", [])
    ]
    for form in document.forms:
        for table in getattr(form, "tables", []) or []:
            places.extend([row.loc, *row.cells.values()] for row in table.rows)
    assert places
    hits = 0
    for group in places:
        pairwise = [
            n
            for n, finding in enumerate(findings)
            if any(
                same_place(where or {}, loc)
                for where in finding.get("locations") or []
                for loc in group
                if loc
            )
        ]
        assert index.at(group) == pairwise
        hits += bool(pairwise)
    assert hits > 0  # the seeds do have findings on rows


def test_disclosure_rows_and_cells_carry_their_findings(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    """Seed 003 (部门预算公开): C303 names the 科目名称 cell of 212 in 表一 (C14), A108 the 合计 row
    of 表二 (F4, L4, N4…): their rows are marked and those very cells framed; the panel's
    “在表中定位” leads to the row."""
    document = upload(users["officer"], departments[0], SEED_003.name, SEED_003.read_bytes()).document
    client = client_for(users["reviewer"])
    response = client.get(doc_url(document))
    html = response.content.decode()
    items = response.context["panel"].items
    tables = layout(document).tables
    table_one = next(t for t in tables if "部门收支总体情况表" in t.title)
    c303 = next(
        i for i in items if i.code == "C303" and "城乡社区事务" in i.message and "（" not in i.message[:12]
    )
    row = next(r for r in table_one.rows if c303.index in r.findings)
    assert c303.anchor == row.anchor and row.severity == "info"
    framed = [c for c in row.cells if c303.index in c.findings]
    assert [c.text for c in framed] == ["十二、城乡社区事务"]
    assert f'id="{row.anchor}" class=" sev-info"' in html
    assert f'id="{framed[0].id}" class="r-text a-left hit hit-info"' in html
    # A108 on 表二's 合计 row: the 合计 amount cell is framed, the name cell is not
    table_two = next(t for t in tables if "部门支出总体情况表" in t.title)
    a108 = next(i for i in items if i.code == "A108" and "部门支出总体情况表" in i.message)
    total = next(r for r in table_two.rows if a108.index in r.findings)
    texts = {c.text: c for c in total.cells}
    assert a108.index in texts["8,562.6"].findings and not texts["合计"].findings
    assert f'href="#{a108.anchor}"' in html and a108.anchor == total.anchor
    # rows without a finding stay plain: 劳动保障监察 (208 01 05)
    plain = next(r for r in table_two.rows if any(c.text == "劳动保障监察" for c in r.cells))
    assert not plain.findings and plain.severity is None and plain.anchor is None


def test_disclosure_places_follow_the_library_layout() -> None:
    """Every source row of seed 003's tables lands on one grid line, and each amount cell the
    grid draws maps back to the very source cell it came from (same row, same column)."""
    document, _, _ = analyse(SEED_003.name, SEED_003.read_bytes())
    form = document.forms[0]
    assert isinstance(form, Disclosure)
    for table in form.tables:
        places = disclosure_places(table)
        drawn = {loc for locs in places.rows.values() for loc in locs}
        assert all(row.loc in drawn for row in table.rows if row.loc is not None), table.title
        for (line, _col), loc in places.cells.items():
            assert loc in places.rows[line]
    summary = next(t for t in form.tables if t.kind == "expenditure_summary")
    total = summary.rows[0]
    places = disclosure_places(summary)
    sources = {loc.cell for loc in places.cells.values() if loc.row == total.cells["合计"].row}
    assert total.cells["合计"].cell in sources


def test_the_grid_is_laid_out_once_and_again_after_a_dismissal(
    users: dict[str, User], seed_002_document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = form_layout

    def counted(*args: Any, **kwargs: Any) -> FormLayout:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(formcache, "form_layout", counted)
    reviewer = client_for(users["reviewer"])
    first = page(reviewer, doc_url(seed_002_document))
    assert page(client_for(users["viewer"]), doc_url(seed_002_document)).count("form-grid") == first.count(
        "form-grid"
    )
    assert len(calls) == 1  # the second page (another person) came from the cache
    panel = reviewer.get(doc_url(seed_002_document)).context["panel"]
    s105 = next(item for item in panel.items if item.code == "S105")
    assert f'id="{s105.anchor}" class=" sev-error"' in first
    url = reverse("jixiao:dismiss", args=[seed_002_document.pk, 1])
    reviewer.post(url, {"key": s105.key, "reason": "表3-1 为汇总口径"})
    after = page(reviewer, doc_url(seed_002_document))
    assert len(calls) == 2  # the dismissal changed the key
    assert f'id="{s105.anchor}" class=" sev-error"' not in after
    # another process dismisses (the database changes, this process's cache does not): the key
    # is read from the database, so the grid follows
    s115 = next(item for item in panel.items if item.code == "S115")
    version = seed_002_document.versions.get(number=1)
    Dismissal.objects.create(
        version=version, code="S115", key=s115.key, reason="口径", user=users["reviewer"]
    )
    page(client_for(users["viewer"]), doc_url(seed_002_document))
    assert len(calls) == 3


def test_a_new_version_has_its_own_grid(users: dict[str, User], seed_002_document: Document) -> None:
    officer = client_for(users["officer"])
    before = page(officer, doc_url(seed_002_document))
    head, _, tail = SEED_002.read_text(encoding="utf-8").rpartition("群众满意度")  # the 自评表's row
    changed = f"{head}群众满意率{tail}".encode()
    upload(
        users["officer"], seed_002_document.department, "002-修改.txt", changed, document=seed_002_document
    )
    after = page(officer, doc_url(seed_002_document))
    assert "群众满意度" in before and "群众满意率" not in before
    assert "群众满意率" in after
    assert "群众满意度" in page(officer, doc_url(seed_002_document, version=1))


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_versions_comments_or_documents(
    users: dict[str, User], departments: tuple[Department, Department], seed_002_document: Document
) -> None:
    reviewer = client_for(users["reviewer"])
    url = doc_url(seed_002_document)
    page(reviewer, url)  # the grid cached
    one = queries_of(reviewer, url)
    for n in range(3):
        data = SEED_002.read_bytes() + f"\n附：第{n}次修改\n".encode()
        upload(users["officer"], departments[0], f"002-{n}.txt", data, document=seed_002_document)
        reviewer.post(reverse("jixiao:comment", args=[seed_002_document.pk]), {"text": f"意见{n}"})
    page(reviewer, url)
    assert queries_of(reviewer, url) == one <= 10
    home = reverse("jixiao:home")
    before = queries_of(reviewer, home)
    for seed in (SEED_000, SEED_003, SEED_004):
        move(
            upload(users["other"], departments[1], seed.name, seed.read_bytes()).document,
            "submit",
            users["other"],
        )
    assert queries_of(reviewer, home) == before  # the inbox and the list: no query per document
    move(seed_002_document, "submit", users["officer"])
    move(seed_002_document, "return", users["reviewer"], "请核对")
    officer = client_for(users["officer"])
    returned_one = queries_of(officer, home)
    other = upload(users["officer"], departments[0], SEED_004.name, SEED_004.read_bytes()).document
    move(other, "submit", users["officer"])
    move(other, "return", users["reviewer"], "再核对")
    assert queries_of(officer, home) == returned_one  # 已退回: no query per returned document


def test_file_pickers_speak_chinese(users: dict[str, User], seed_002_document: Document) -> None:
    home = page(client_for(users["officer"]), reverse("jixiao:home"))
    assert '<label for="upload-files" class="file-label">选择文件…</label>' in home
    assert 'id="upload-files-chosen" aria-live="polite">未选择文件</span>' in home
    assert 'name="files" id="upload-files" class="file-input" multiple required' in home
    document = page(client_for(users["officer"]), doc_url(seed_002_document))
    assert '<label for="new-version" class="file-label">选择新版本文件…</label>' in document


def test_inbox_and_list_share_one_table(users: dict[str, User], seed_002_document: Document) -> None:
    move(seed_002_document, "submit", users["officer"])
    html = page(client_for(users["reviewer"]), reverse("jixiao:home"))
    inbox = html[html.index('id="inbox"') : html.index('id="all"')]
    listed = html[html.index('id="document-list"') :]
    assert "<th>提交时间</th>" in inbox and '<th class="num">版本</th>' not in inbox
    assert "<th>更新时间</th>" in listed and '<th class="num">版本</th>' in listed
    for part in (inbox, listed):
        assert seed_002_document.title in part and "st-submitted" in part


def test_a_state_conflict_is_409_and_a_refusal_403(
    users: dict[str, User], seed_002_document: Document
) -> None:
    move(seed_002_document, "submit", users["officer"])
    url = reverse("jixiao:transition", args=[seed_002_document.pk, "approve"])
    assert client_for(users["reviewer"]).post(url).status_code == 302
    again = client_for(users["reviewer"]).post(url)  # a second reviewer, on a page loaded before
    text = again.content.decode()
    assert again.status_code == 409
    assert "审核通过未完成" in text and "文件状态为“已通过”" in text and "当前状态为“已通过”" in text
    refused = client_for(users["officer"]).post(url)
    assert refused.status_code == 403 and "部门填报人不能审核通过" in refused.content.decode()
    assert AuditEvent.objects.filter(document=seed_002_document, action="approve").count() == 1
