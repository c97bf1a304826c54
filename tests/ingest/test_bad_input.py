"""Hostile and broken input through the public entry points: one clear Chinese R finding, no traceback.

Every case goes through ``parse_bytes``/``parse_file`` and must give exactly one finding with a
stable code whose message names the file; the other files of a batch are still read.
"""

from __future__ import annotations

import random
import re
import time
import zipfile
from pathlib import Path

import pytest

from jixiao.ingest.load import parse_bytes, parse_file
from jixiao.model.document import ParsedDocument
from tests.conftest import XLS_TEMPLATE, XLSX_TEMPLATE
from tests.factories import (
    docx_bytes,
    html_bytes,
    html_table,
    ole_bytes,
    replace_member,
    xlsx_bytes,
    zip_bomb,
)

_CHINESE = re.compile(r"[\u4e00-\u9fff]")

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def _only(result: ParsedDocument, code: str, name: str) -> str:
    """The one finding's message, after checking its code, that it names the file and is Chinese."""
    assert [f.code for f in result.findings] == [code], result.findings
    message = result.findings[0].message
    assert name in message and _CHINESE.search(message)
    assert result.findings[0].locations[0].file == name
    assert result.forms == []
    return message


def test_empty_file() -> None:
    assert _only(parse_bytes(b"", "空.xlsx"), "R001", "空.xlsx") == "文件为空（0 字节）：空.xlsx"


def test_truncated_xlsx() -> None:
    data = XLSX_TEMPLATE.read_bytes()
    message = _only(parse_bytes(data[: len(data) // 2], "半个.xlsx"), "R004", "半个.xlsx")
    assert message == "文件已损坏或不完整，无法读取：半个.xlsx（压缩结构损坏，文件可能被截断）"


def test_png_renamed_xlsx() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(200)
    message = _only(parse_bytes(data, "截图.xlsx"), "R003", "截图.xlsx")
    assert message == "文件内容与扩展名不符：截图.xlsx（扩展名表示 Excel 工作簿，实际内容为PNG 图片）"


@pytest.mark.parametrize("name", ["加密.xlsx", "加密.docx"])
def test_encrypted_office_file(name: str) -> None:
    data = ole_bytes(["EncryptionInfo", "EncryptedPackage"])
    assert _only(parse_bytes(data, name), "R005", name) == f"文件已加密，需先解除密码保护：{name}"


def test_zip_bomb_is_refused_from_the_central_directory_without_inflating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = zip_bomb("word/document.xml", megabytes=600)
    assert len(data) < 1_000_000
    assert zipfile.ZipFile(__import__("io").BytesIO(data)).getinfo("word/document.xml").file_size == 600 << 20

    def no_inflating(*args: object) -> object:
        raise AssertionError("a member was inflated")

    monkeypatch.setattr(zipfile, "_get_decompressor", no_inflating)
    started = time.perf_counter()
    message = _only(parse_bytes(data, "炸弹.docx"), "R008", "炸弹.docx")
    assert time.perf_counter() - started < 0.5
    assert (
        message == "压缩内容异常膨胀（疑似压缩炸弹），已拒绝读取：炸弹.docx（解压后 600 MB，压缩比 1010:1）"
    )


def test_a_100_mb_file_is_refused_by_size_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "巨大.xlsx"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written to disk

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    message = _only(parse_file(path), "R007", "巨大.xlsx")
    assert message == "文件过大：巨大.xlsx（100.0 MB，上限 64 MB）"


GARBAGE = random.Random(2024).randbytes(4096)


@pytest.mark.parametrize(
    "extension", ["xlsx", "xls", "docx", "html", "htm", "pdf", "txt", "md", "csv", "dat"]
)
def test_random_garbage_with_each_extension(extension: str) -> None:
    name = f"乱码.{extension}"
    message = _only(parse_bytes(GARBAGE, name), "R003", name)
    assert message.startswith(f"文件内容与扩展名不符：{name}（")
    assert message.endswith("无法识别的二进制内容）")


def test_xlsx_with_malformed_xml() -> None:
    data = replace_member(
        xlsx_bytes({"表1": "a\tb"}), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c"
    )
    message = _only(parse_bytes(data, "坏表.xlsx"), "R004", "坏表.xlsx")
    assert message.startswith(
        "文件已损坏或不完整，无法读取：坏表.xlsx（工作表“表1”（xl/worksheets/sheet1.xml）无法解析：XMLSyntaxError"
    )


def test_xlsx_with_malformed_workbook_part() -> None:
    data = replace_member(xlsx_bytes({"表1": "a\tb"}), "xl/workbook.xml", b"<workbook><sheets>")
    message = _only(parse_bytes(data, "坏簿.xlsx"), "R004", "坏簿.xlsx")
    assert "部件 xl/workbook.xml 无法解析" in message


def test_docx_missing_its_document_part() -> None:
    data = replace_member(docx_bytes(["正文"]), "word/document.xml", None)
    message = _only(parse_bytes(data, "缺正文.docx"), "R004", "缺正文.docx")
    assert message == "文件已损坏或不完整，无法读取：缺正文.docx（Word 文档缺少正文部件 word/document.xml）"


@pytest.mark.parametrize(
    ("name", "part"), [("笑.docx", "word/document.xml"), ("笑.xlsx", "xl/worksheets/sheet1.xml")]
)
def test_billion_laughs_is_refused_before_parsing(name: str, part: str) -> None:
    base = docx_bytes(["正文"]) if name.endswith("docx") else xlsx_bytes({"表1": "a\tb"})
    started = time.perf_counter()
    message = _only(parse_bytes(replace_member(base, part, BILLION_LAUGHS), name), "R004", name)
    assert time.perf_counter() - started < 1.0
    assert message == f"文件已损坏或不完整，无法读取：{name}（部件 {part} 含有不安全的 XML 实体）"


def test_xls_that_is_really_html_is_read_as_html() -> None:
    data = html_bytes(html_table("2023年部门收支总体情况表\t\n项目\t金额\n合计\t8562.6", ["A1:B1"]), "gb2312")
    result = parse_bytes(data, "网页导出.xls")
    assert result.format == "html"
    assert [f.code for f in result.findings if f.code.startswith("R")] == ["R012"]


def test_xls_that_is_really_tab_separated_text_is_read_as_text() -> None:
    data = "2023年部门收支总体情况表\n项目\t金额\n合计\t8562.6\n".encode("gb18030")
    result = parse_bytes(data, "文本导出.xls")
    assert result.format == "txt"
    assert [f.code for f in result.findings if f.code.startswith("R")] == ["R012"]


def test_legacy_doc_is_unsupported_with_advice() -> None:
    message = _only(parse_bytes(ole_bytes(["WordDocument"]), "旧.doc"), "R002", "旧.doc")
    assert message == "不支持的文件格式：旧.doc（旧版 Word .doc 格式，请另存为 .docx）"


def test_a_batch_keeps_going_past_bad_files(tmp_path: Path) -> None:
    files = {
        "1-好.xlsx": XLSX_TEMPLATE.read_bytes(),
        "2-空.docx": b"",
        "3-好.xls": XLS_TEMPLATE.read_bytes(),
        "4-半.xlsx": XLSX_TEMPLATE.read_bytes()[:5000],
        "5-好.docx": docx_bytes([("h1", "一、概况"), "项目\t金额\n合计\t1"]),
        "6-乱.html": GARBAGE,
        "7-好.html": html_bytes("<p>正文</p>"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    results = {path.name: parse_file(path) for path in sorted(tmp_path.iterdir())}
    read_errors = {
        name: [f.code for f in r.findings if f.code.startswith("R")] for name, r in results.items()
    }
    assert read_errors == {
        "1-好.xlsx": [],
        "2-空.docx": ["R001"],
        "3-好.xls": [],
        "4-半.xlsx": ["R004"],
        "5-好.docx": [],
        "6-乱.html": ["R003"],
        "7-好.html": [],
    }
    assert [results[n].format for n in ("1-好.xlsx", "3-好.xls", "5-好.docx", "7-好.html")] == [
        "xlsx",
        "xls",
        "docx",
        "html",
    ]


def test_missing_file() -> None:
    message = _only(parse_file(Path("/nonexistent/不存在.xlsx")), "R010", "不存在.xlsx")
    assert message.startswith("文件不存在或无法打开：不存在.xlsx")


def test_mutated_files_never_crash_a_reader() -> None:
    """Random byte flips, cuts and insertions in small valid files give R findings, never R099."""
    rng = random.Random(11)
    bases = {
        "f.xlsx": xlsx_bytes({"表1": "项目\t金额\n合计\t8562.6"}, merges={"表1": ["A1:B1"]}),
        "f.docx": docx_bytes([("h1", "标题"), ("table", "a\tb\nc\td", ["A1:B1"])]),
        "f.html": html_bytes(html_table("项目\t金额\n合计\t8562.6", ["A1:B1"])),
    }
    for name, base in bases.items():
        for _ in range(40):
            data = bytearray(base)
            for _ in range(rng.randrange(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = data[: rng.randrange(len(data) // 2, len(data) + 1)]
            result = parse_bytes(bytes(data), name)
            assert all(f.code != "R099" for f in result.findings), result.findings
