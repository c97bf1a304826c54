"""Batch import in one process: items made from files, folders and zips, each imported by the task's
function (the worker's part is tested with real processes in test_worker_kill.py), idempotent,
failures recorded with their code while the others go on, and the pages with their permissions."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.synth import generate
from jixiao.web.batches import intake
from jixiao.web.batches.importer import import_item
from jixiao.web.batches.models import Batch, BatchItem, ItemStatus
from jixiao.web.batches.service import rerun, start_batch
from jixiao.web.batches.worker import recover
from jixiao.web.models import Department, DocumentVersion
from tests.conftest import PDF_SWJ, SEED_002
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def run_all(batch: Batch) -> None:
    """What the workers do: run each queued item's task."""
    for pk in batch.items.filter(status=ItemStatus.QUEUED).values_list("pk", flat=True):
        import_item(pk)


class GbkInfo(zipfile.ZipInfo):
    """A member named as Chinese Windows writes it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("gbk"), self.flag_bits


def zip_of(members: dict[str, bytes], utf8: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name) if utf8 else GbkInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


# ---------------------------------------------------------------------------------------------
# intake


def test_zip_names_never_paths_folders_kept_for_display() -> None:
    doc = generate(0, 0)
    data = zip_of({"../../etc/passwd.txt": doc.data, "年度/项目/表.txt": doc.data, "__MACOSX/._x.txt": b"x"})
    found = list(intake.entries([("上报.zip", data)]))
    assert [(e.name, e.folder) for e in found if isinstance(e, intake.Entry)] == [
        ("passwd.txt", "上报.zip/etc"),
        ("表.txt", "上报.zip/年度/项目"),
    ]


def test_zip_gbk_names_decoded() -> None:
    data = zip_of({"部门/自评表.txt": b"abc"}, utf8=False)
    [entry] = intake.entries([("a.zip", data)])
    assert isinstance(entry, intake.Entry) and (entry.name, entry.folder) == ("自评表.txt", "a.zip/部门")


def test_zip_bomb_refused_by_ratio_while_others_go_on() -> None:
    doc = generate(0, 1)
    data = zip_of({"bomb.txt": b"0" * (8 * 1024 * 1024), "ok.txt": doc.data})
    refused, kept = list(intake.entries([("a.zip", data)]))
    assert isinstance(refused, intake.Refused) and refused.code == "R008" and "bomb.txt" in refused.message
    assert isinstance(kept, intake.Entry) and kept.data == doc.data


def test_zip_too_many_entries_and_broken_zip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "MAX_ENTRIES", 3)
    [refused] = intake.entries([("many.zip", zip_of({f"{i}.txt": b"x" for i in range(4)}))])
    assert isinstance(refused, intake.Refused) and refused.code == "B001"
    [broken] = intake.entries([("broken.zip", b"PK\x03\x04 not really")])
    assert isinstance(broken, intake.Refused) and broken.code == "R004"


def test_zip_total_size_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "MAX_TOTAL_BYTES", 3000)
    docs = [generate(0, i).data for i in range(4)]  # a few kB each
    found = list(intake.entries([("a.zip", zip_of({f"{i}.txt": d for i, d in enumerate(docs)}))]))
    assert isinstance(found[-1], intake.Refused) and found[-1].code == "B002"


# ---------------------------------------------------------------------------------------------
# import


def test_bureau_wide_batch_imports_each_file_into_its_department(users: dict[str, User]) -> None:
    docs = [generate(5, i) for i in range(8)]
    files = [(d.name, d.data) for d in docs]
    files += [("说明.csv", b"a,b"), ("空.txt", b""), ("随笔.txt", "今天天气很好。".encode())]
    batch = start_batch(users["reviewer"], None, "全省", files)
    assert batch.total == 11
    refused = {i.name: i.code for i in batch.items.filter(status=ItemStatus.FAILED)}
    assert refused == {"说明.csv": "R002", "空.txt": "R001"}  # refused at once, no task needed
    run_all(batch)
    items = {i.name: i for i in batch.items.select_related("document__department", "version")}
    for doc in docs:
        item = items[doc.name]
        assert item.status == ItemStatus.DONE, (item.code, item.message)
        assert item.document is not None and item.version is not None
        assert item.document.department.name == doc.department
        assert item.version.sha256 == item.sha256 and bytes(item.version.content) == doc.data
        assert item.content is None  # kept in the version now
        codes = {f["code"] for f in item.version.audit["findings"]}
        assert set(doc.planted) <= codes
    assert items["随笔.txt"].status == ItemStatus.FAILED and items["随笔.txt"].code == "B003"
    assert Department.objects.filter(name__in=[d.department for d in docs]).count() == len(
        {d.department for d in docs}
    )
    # the indicator library's figures, left during the batch, were computed when it ended
    from jixiao.web.library.models import IndicatorEntry

    assert IndicatorEntry.objects.filter(usage_count__gt=0).exists()
    assert not IndicatorEntry.objects.filter(stale=True).exists()


def test_same_file_twice_and_rerun_give_the_same_version(users: dict[str, User]) -> None:
    doc = generate(6, 2)
    batch = start_batch(users["reviewer"], None, "一", [(doc.name, doc.data), ("副本.txt", doc.data)])
    run_all(batch)
    first, second = batch.items.order_by("position")
    assert (first.status, second.status) == (ItemStatus.DONE, ItemStatus.DUPLICATE)
    assert first.version_id == second.version_id
    for pk in (first.pk, second.pk):  # a task run again does nothing
        import_item(pk)
    again = start_batch(users["reviewer"], None, "二", [(doc.name, doc.data)])
    run_all(again)
    assert again.items.get().version_id == first.version_id
    assert rerun(batch) == 0
    assert DocumentVersion.objects.filter(sha256=first.sha256).count() == 1


def test_item_interrupted_while_running_is_imported_once(users: dict[str, User]) -> None:
    doc = generate(6, 3)
    batch = start_batch(users["reviewer"], None, "中断", [(doc.name, doc.data)])
    item = batch.items.get()
    BatchItem.objects.filter(pk=item.pk).update(status=ItemStatus.RUNNING, attempts=1)  # a worker died here
    assert import_item(item.pk) == ItemStatus.DONE
    assert import_item(item.pk) == ItemStatus.DONE
    item.refresh_from_db()
    assert item.attempts == 2 and DocumentVersion.objects.filter(sha256=item.sha256).count() == 1


def test_unreadable_file_fails_with_the_read_code_others_go_on(users: dict[str, User]) -> None:
    doc = generate(6, 4)
    files = [("坏.pdf", b"%PDF-1.4 broken"), (doc.name, doc.data)]
    batch = start_batch(users["officer"], users["officer"].profile.department, "部门", files)
    run_all(batch)
    bad, good = batch.items.order_by("position")
    assert bad.status == ItemStatus.FAILED and bad.code.startswith("R") and "坏.pdf" in bad.message
    assert good.status == ItemStatus.DONE and good.document is not None
    assert good.document.department == users["officer"].profile.department  # the batch's, not the file's


def test_orphan_items_are_queued_again(users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    doc = generate(6, 5)
    batch = start_batch(users["reviewer"], None, "孤儿", [(doc.name, doc.data)])  # on_commit never ran
    monkeypatch.setenv("JIXIAO_WORKER_LEASE", "0")
    assert batch.items.get().task_id == ""
    assert recover() == 1
    assert batch.items.get().task_id != ""


# ---------------------------------------------------------------------------------------------
# pages


def test_pages_progress_failures_and_links(client: Client, users: dict[str, User]) -> None:
    docs = [generate(7, i) for i in range(3)]
    files = [(d.name, d.data) for d in docs] + [("空.txt", b"")]
    batch = start_batch(users["reviewer"], None, "页面", files)
    login(client, users["reviewer"])
    page = client.get(reverse("jixiao_batches:detail", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "R001" in page and "文件为空" in page
    run_all(batch)
    partial = client.get(reverse("jixiao_batches:progress", args=[batch.pk])).content.decode()
    assert "every 1s" not in partial and "已完成" in partial and "100%" in partial
    page = client.get(reverse("jixiao_batches:detail", args=[batch.pk])).content.decode()
    for item in batch.items.filter(status=ItemStatus.DONE):
        assert reverse("jixiao:document", args=[item.document_id]) in page
    listing = client.get(reverse("jixiao_batches:list")).content.decode()
    assert "页面" in listing and "全局导入" in listing and 'data-max-files="5000"' in listing


def test_worksheet_has_a_row_per_finding(client: Client, users: dict[str, User]) -> None:
    docs = [d for d in (generate(8, i) for i in range(12)) if d.planted][:3]
    batch = start_batch(users["reviewer"], None, "底稿", [(d.name, d.data) for d in docs])
    run_all(batch)
    login(client, users["reviewer"])
    response = client.get(reverse("jixiao_batches:worksheet", args=[batch.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = "\n".join(
        " ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)
    )
    for doc in docs:
        assert doc.department in text
        for code in doc.planted:
            assert code in text


def test_start_from_the_form_with_a_folder(client: Client, users: dict[str, User]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    docs = [generate(9, i) for i in range(2)]
    login(client, users["officer"])
    response = client.post(
        reverse("jixiao_batches:start"),
        {
            "name": "本部门",
            "folder": [SimpleUploadedFile(d.name, d.data) for d in docs],
            "folder_paths": "\n".join(f"上报/第{i}批/{d.name}" for i, d in enumerate(docs)),
            "files": [SimpleUploadedFile("b.zip", zip_of({"x/" + SEED_002.name: SEED_002.read_bytes()}))],
        },
    )
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "jixiao_batches:detail", args=[batch.pk]
    )
    assert batch.department == users["officer"].profile.department
    shown = sorted(i.shown_name for i in batch.items.all())
    assert shown == sorted(
        [f"b.zip/x/{SEED_002.name}", *(f"上报/第{i}批/{d.name}" for i, d in enumerate(docs))]
    )


@pytest.mark.parametrize(
    ("who", "department", "status"),
    [("viewer", "own", 403), ("auditor", "", 403), ("officer", "", 403), ("officer", "other", 404)],
)
def test_who_may_not_import(
    client: Client,
    users: dict[str, User],
    departments: tuple[Department, Department],
    who: str,
    department: str,
    status: int,
) -> None:
    chosen = {"own": str(departments[0].pk), "other": str(departments[1].pk), "": ""}[department]
    login(client, users[who])
    doc = generate(9, 3)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("jixiao_batches:start"),
        {"department": chosen, "files": [SimpleUploadedFile(doc.name, doc.data)]},
    )
    if who == "officer" and department == "":
        # an officer's batch without a department goes to his own department
        assert response.status_code == 302 and Batch.objects.get().department == departments[0]
        return
    assert response.status_code == status
    if status == 403:
        assert "不能批量导入" in response.content.decode()
    assert not Batch.objects.exists()


def test_who_sees_which_batch(
    client: Client, users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    doc = generate(9, 4)
    bureau = start_batch(users["reviewer"], None, "全局批次", [(doc.name, doc.data)])
    own = start_batch(users["officer"], departments[0], "本部门批次", [(doc.name, doc.data)])
    other = start_batch(users["other"], departments[1], "他部门批次", [(doc.name, doc.data)])
    seen: dict[str, dict[int, int]] = {}
    for who in ("reviewer", "officer", "viewer", "other", "auditor"):
        client.logout()
        login(client, users[who])
        seen[who] = {
            b.pk: client.get(reverse("jixiao_batches:detail", args=[b.pk])).status_code
            for b in (bureau, own, other)
        }
        listing = client.get(reverse("jixiao_batches:list")).content.decode()
        for batch in (bureau, own, other):
            assert (batch.name in listing) == (seen[who][batch.pk] == 200)
    assert seen["reviewer"] == {bureau.pk: 200, own.pk: 200, other.pk: 200}
    assert seen["officer"] == {bureau.pk: 404, own.pk: 200, other.pk: 404}
    assert seen["viewer"] == {bureau.pk: 404, own.pk: 200, other.pk: 404}
    assert seen["auditor"] == {bureau.pk: 200, own.pk: 200, other.pk: 200}
    assert client.get(reverse("jixiao_batches:worksheet", args=[999])).status_code == 404


def test_anonymous_redirected_to_login(client: Client) -> None:
    response = client.get(reverse("jixiao_batches:list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_csrf_required_on_start(users: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, users["reviewer"])
    assert client.post(reverse("jixiao_batches:start"), {}).status_code == 403


def test_pdf_from_the_corpus_imported(users: dict[str, User]) -> None:
    batch = start_batch(users["reviewer"], None, "PDF", [(PDF_SWJ.name, PDF_SWJ.read_bytes())])
    run_all(batch)
    item = batch.items.get()
    assert item.status == ItemStatus.DONE, item.message
    assert item.document is not None and item.document.kind == "budget_disclosure"
    assert item.document.department.name == "上海市普陀区商务委员会"  # as the PDF names it


def test_busy_database_leaves_the_item_queued_a_defect_fails_it(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from jixiao.web.batches import importer

    doc = generate(6, 6)
    batch = start_batch(users["reviewer"], None, "忙", [(doc.name, doc.data)])
    item = batch.items.get()

    def locked(name: str, data: bytes) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(importer, "analyse", locked)
    with pytest.raises(OperationalError):
        import_item(item.pk)  # the task fails; recovery queues the item again
    assert batch.items.get().status == ItemStatus.QUEUED

    def defect(name: str, data: bytes) -> Any:
        raise ValueError("bug")

    monkeypatch.setattr(importer, "analyse", defect)
    assert import_item(item.pk) == ItemStatus.FAILED
    failed = batch.items.get()
    assert failed.code == "B099" and "ValueError" in failed.message and failed.content is not None


def test_menu_filter(users: dict[str, User]) -> None:
    from jixiao.web.batches.templatetags.jixiao_batches_tags import may_batch_import

    shown = {who: may_batch_import(user) for who, user in users.items()}
    assert shown == {
        "admin": True,
        "reviewer": True,
        "officer": True,
        "other": True,
        "viewer": False,
        "auditor": False,
    }
