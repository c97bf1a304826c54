"""Uploads: kept byte for byte as versions, identical files recognised, bad files refused clearly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from jixiao.web.models import Document, DocumentVersion
from jixiao.web.store import UploadError, finding_key, parsed_document, safe_name, upload
from tests.conftest import SEED_002


def test_an_upload_is_kept_exactly_and_read_audited_scored(
    users: dict[str, User], seed_002_document: Document
) -> None:
    version = seed_002_document.versions.get()
    assert bytes(version.content) == SEED_002.read_bytes()
    assert version.size == len(SEED_002.read_bytes()) and len(version.sha256) == 64
    assert seed_002_document.kind == "self_evaluation" and seed_002_document.year == 2022
    assert parsed_document(version).forms[0].form == "self_evaluation"
    codes = {f["code"] for f in version.audit["findings"]}
    assert "S105" in codes  # 效益 8 + 9 + 14 = 31 against 32 in 表3-1
    (sheet,) = version.scores
    assert Decimal(sheet["total_computed"]) == Decimal("95.6") and sheet["grade_computed"] == "优"
    assert version.errors >= 1


def test_the_same_file_again_is_recognised_not_stored_twice(
    users: dict[str, User], seed_002_document: Document
) -> None:
    again = upload(users["officer"], seed_002_document.department, "重复.txt", SEED_002.read_bytes())
    assert again.duplicate and again.version.number == 1
    assert DocumentVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.xlsx", b"", "文件为空"),
        ("病毒.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("大.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024), "文件过大"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(
    name: str, data: bytes, message: str, users: dict[str, User], departments: Any
) -> None:
    with (
        override_settings(MAX_UPLOAD_BYTES=1024 * 1024),
        pytest.raises(UploadError, match=message) as refused,
    ):
        upload(users["officer"], departments[0], name, data)
    assert name in refused.value.reason
    assert Document.objects.count() == 0


def test_a_truncated_file_is_kept_and_its_read_error_shown(users: dict[str, User], departments: Any) -> None:
    uploaded = upload(users["officer"], departments[0], "坏.xlsx", b"PK\x03\x04truncated")
    assert not uploaded.version.readable
    assert uploaded.version.audit["findings"][0]["code"].startswith("R")


def test_uploaded_names_are_never_paths() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\a\\自评表.xlsx") == "自评表.xlsx"
    assert safe_name("") == "未命名文件"


def test_an_officer_cannot_upload_for_another_department(users: dict[str, User], departments: Any) -> None:
    with pytest.raises(UploadError, match="只能查看本部门"):
        upload(users["officer"], departments[1], SEED_002.name, SEED_002.read_bytes())


def test_finding_keys_are_stable_and_distinct(seed_002_document: Document) -> None:
    findings = seed_002_document.versions.get().audit["findings"]
    keys = [finding_key(f) for f in findings]
    assert len(set(keys)) == len(keys)
    assert keys == [finding_key(f) for f in findings]
