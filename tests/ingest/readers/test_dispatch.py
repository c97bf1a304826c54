"""Sniffing the real format from the bytes, and the guards that run before any reader."""

from __future__ import annotations

import io
import zipfile

import pytest

from jixiao.ingest.errors import ReadError
from jixiao.ingest.readers import dispatch
from jixiao.ingest.readers.dispatch import (
    extension_format,
    ole_stream_names,
    open_zip,
    read_bytes,
    scan_xml_parts,
    sniff,
    text_sample,
)
from tests.conftest import XLS_TEMPLATE, XLSX_TEMPLATE
from tests.factories import docx_bytes, html_bytes, html_table, ole_bytes, replace_member, xlsx_bytes


def _code(data: bytes, file: str) -> str:
    with pytest.raises(ReadError) as raised:
        sniff(data, file)
    return raised.value.code


def test_extension_format() -> None:
    assert [extension_format(n) for n in ("a.XLSX", "b.htm", "c.csv", "d.doc", "e")] == [
        "xlsx",
        "html",
        "txt",
        None,
        None,
    ]


def test_real_formats_are_recognised_by_content_not_name() -> None:
    assert sniff(XLSX_TEMPLATE.read_bytes(), "renamed.docx") == "xlsx"
    assert sniff(XLS_TEMPLATE.read_bytes(), "renamed.xlsx") == "xls"
    assert sniff(docx_bytes(["正文"]), "a.bin") == "docx"
    assert sniff(b"%PDF-1.7\n", "a.pdf") == "pdf"
    assert sniff(html_bytes("<p>x</p>"), "a.txt") == "html"


def test_ole_directory_of_the_real_xls_is_read() -> None:
    names = ole_stream_names(XLS_TEMPLATE.read_bytes())
    assert names is not None and "Workbook" in names and "Root Entry" in names


def test_ole_kinds() -> None:
    assert _code(ole_bytes(["EncryptionInfo", "EncryptedPackage"]), "a.docx") == "R005"
    assert _code(ole_bytes(["WordDocument"]), "a.doc") == "R002"
    assert _code(ole_bytes(["PowerPoint Document"]), "a.ppt") == "R002"
    assert _code(ole_bytes(["Something"]), "a.xls") == "R003"
    assert sniff(ole_bytes(["Workbook"]), "a.xls") == "xls"


def test_a_text_cell_saying_encrypted_does_not_make_a_workbook_encrypted() -> None:
    data = ole_bytes(["Workbook"]) + "EncryptedPackage".encode("utf-16-le")
    assert sniff(data, "a.xls") == "xls"


def test_a_damaged_ole_directory_falls_back_to_the_names_in_the_bytes() -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40)
    assert _code(header + "EncryptedPackage".encode("utf-16-le") + bytes(600), "a.xlsx") == "R005"
    assert _code(header + bytes(600), "a.xls") == "R004"


def test_xls_that_is_html_or_text_is_read_as_such_with_a_note() -> None:
    html = read_bytes(html_bytes(html_table("项目\t金额\n合计\t8562.6"), "gb2312"), "导出.xls")
    assert html.format == "html" and html.tables[0].row_texts(2) == ["合计", "8562.6"]
    (note,) = html.findings
    assert note.code == "R012" and note.severity.value == "info"
    assert (
        note.message
        == "扩展名与实际内容不符，已按实际格式读取：导出.xls（扩展名表示 Excel 97-2003 工作簿，实际内容为网页（HTML））"
    )
    text = read_bytes("项目\t金额\n合计\t8562.6\n".encode("gb18030"), "导出.xls")
    assert text.format == "txt" and text.tables[0].row_texts(2) == ["合计", "8562.6"]
    assert [f.code for f in text.findings] == ["R012"]


def test_no_note_when_the_extension_is_right() -> None:
    assert read_bytes(xlsx_bytes({"表1": "a\tb"}), "a.xlsx").findings == []
    assert read_bytes(b"# t\n", "a.txt").findings == []


def test_other_archives_and_containers() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ppt/presentation.xml", "<p/>")
    assert _code(buffer.getvalue(), "a.xlsx") == "R002"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert _code(buffer.getvalue(), "a.xlsx") == "R002"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert _code(buffer.getvalue(), "a.xlsx") == "R003"
    assert _code(b"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=x\n", "a.xls") == "R002"
    assert (
        _code(b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>', "a.xls")
        == "R002"
    )
    assert _code(b"Rar!\x1a\x07\x00", "a.docx") == "R003"


def test_text_sample_tells_text_from_binary() -> None:
    assert text_sample("预算\t8562.6\n".encode("gb18030")) == "预算\t8562.6\n"
    assert text_sample("预算".encode() * 2000) is not None  # a character cut by the sample's end
    assert text_sample(b"abc\x00def") is None
    assert text_sample(bytes(range(1, 32)) * 10) is None


def test_read_bytes_refuses_more_than_max_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "MAX_BYTES", 1024)
    with pytest.raises(ReadError) as raised:
        read_bytes(b"x" * 2048, "big.txt")
    assert raised.value.message == "文件过大：big.txt（0.0 MB，上限 0 MB）"


def test_open_zip_refuses_too_many_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "MAX_MEMBERS", 3)
    with pytest.raises(ReadError) as raised:
        open_zip(xlsx_bytes({"表1": "a"}), "many.xlsx")
    assert raised.value.code == "R008" and "个部件，上限 3" in raised.value.message


def test_scan_finds_a_doctype_in_any_xml_member_whatever_its_name() -> None:
    data = replace_member(
        xlsx_bytes({"表1": "a"}), "xl/custom.bin", b'\xef\xbb\xbf  <!DOCTYPE x [<!ENTITY a "b">]><x/>'
    )
    with pytest.raises(ReadError) as raised:
        scan_xml_parts(zipfile.ZipFile(io.BytesIO(data)), "d.xlsx")
    assert (
        raised.value.message
        == "文件已损坏或不完整，无法读取：d.xlsx（部件 xl/custom.bin 含有不安全的 XML 实体）"
    )
    scan_xml_parts(zipfile.ZipFile(io.BytesIO(XLSX_TEMPLATE.read_bytes())), "ok.xlsx")  # a real file passes


def test_scan_reads_utf16_parts() -> None:
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16")
    data = replace_member(xlsx_bytes({"表1": "a"}), "docProps/app.xml", part)
    with pytest.raises(ReadError):
        scan_xml_parts(zipfile.ZipFile(io.BytesIO(data)), "u.xlsx")


def test_xls_text_export_with_html_paragraphs_in_cells_stays_text() -> None:
    data = "项目\t说明\n培训\t<p>第一期</p><p>第二期</p>\n".encode("gb18030")
    doc = read_bytes(data, "导出.xls")
    assert doc.format == "txt" and doc.tables[0].text(2, 2) == "第一期\n第二期"


def test_xls_with_a_table_after_a_style_block_is_html() -> None:
    data = b"<style>td{}</style>\n<table><tr><td>a</td><td>b</td></tr></table>"
    assert sniff(data, "a.xls") == "html"
