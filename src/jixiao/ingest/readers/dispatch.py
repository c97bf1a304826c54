"""Find the real format of a file from its bytes, guard against hostile input, call its reader.

>>> read_bytes(b"a\\tb\\n", "x.txt").format
'txt'
"""

from __future__ import annotations

import io
import os
import zipfile
from importlib import import_module

from jixiao.ingest.errors import ReadError
from jixiao.ingest.source import SourceDocument

#: Largest file accepted (bytes); ``JIXIAO_MAX_BYTES`` overrides. Real disclosures are under 20 MB.
MAX_BYTES = int(os.environ.get("JIXIAO_MAX_BYTES", str(64 * 1024 * 1024)))
#: Largest total uncompressed size of an Office (zip) file, and the largest compression ratio.
MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200

_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF87a": "GIF 图片",
    b"GIF89a": "GIF 图片",
    b"BM": "BMP 图片",
    b"II*\x00": "TIFF 图片",
    b"MM\x00*": "TIFF 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
}

_EXTENSIONS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".csv": "txt",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}

# module name, function name per format; each reader is ``(data: bytes, file: str) -> SourceDocument``
_READERS = {
    "txt": ("text", "read_text"),
    "md": ("text", "read_text"),
    "xlsx": ("xlsx", "read_xlsx"),
    "xls": ("xls", "read_xls"),
    "docx": ("docx", "read_docx"),
    "pdf": ("pdf", "read_pdf"),
    "html": ("html", "read_html"),
}

_NAMES = {"xlsx": "Excel 工作簿", "xls": "Excel 97-2003 工作簿", "docx": "Word 文档", "pdf": "PDF 文档"}


def extension_format(file: str) -> str | None:
    return _EXTENSIONS.get(os.path.splitext(file)[1].lower())


def sniff(data: bytes, file: str) -> str:
    """The format the bytes really are. Raises ``ReadError`` for images, archives, unknown binaries."""
    claimed = extension_format(file)
    head = data[:16]
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            raise ReadError("R003", file, _mismatch(claimed, what))
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, file, claimed)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(data, file, claimed)
    # text of some kind
    sample = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")):
        return "html"
    if claimed in ("xlsx", "xls", "docx", "pdf"):
        raise ReadError("R003", file, _mismatch(claimed, "文本或未知内容"))
    if claimed == "html":
        return "html"
    return claimed or "txt"


def _mismatch(claimed: str | None, actual: str) -> str:
    if claimed:
        return f"扩展名表示 {_NAMES.get(claimed, claimed)}，实际内容为{actual}"
    return f"实际内容为{actual}"


def _sniff_zip(data: bytes, file: str, claimed: str | None) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError("R004", file, "压缩结构损坏，文件可能被截断") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ReadError("R008", file, f"解压后 {total // (1024 * 1024)} MB，压缩比 {total // packed}:1")
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        fmt = "docx"
    elif "xl/workbook.xml" in names:
        fmt = "xlsx"
    elif any(n.startswith("ppt/") for n in names):
        raise ReadError("R002", file, "PowerPoint 演示文稿")
    else:
        raise ReadError("R003", file, _mismatch(claimed, "普通 ZIP 压缩包"))
    return fmt


def _sniff_ole(data: bytes, file: str, claimed: str | None) -> str:
    """OLE2 compound files: legacy .xls, legacy .doc, or an encrypted OOXML package."""
    if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20] or b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
        raise ReadError("R005", file)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "WordDocument".encode("utf-16-le") in data:
        raise ReadError("R002", file, "旧版 Word .doc 格式，请另存为 .docx")
    raise ReadError("R003", file, _mismatch(claimed, "未知的 OLE 复合文档"))


def read_bytes(data: bytes, file: str) -> SourceDocument:
    """Read any supported file. Raises ``ReadError`` (never anything else for bad input)."""
    if len(data) == 0:
        raise ReadError("R001", file)
    if len(data) > MAX_BYTES:
        raise ReadError(
            "R007", file, f"{len(data) / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB"
        )
    fmt = sniff(data, file)
    module_name, function_name = _READERS[fmt]
    module = import_module(f"jixiao.ingest.readers.{module_name}")
    reader = getattr(module, function_name)
    if module_name == "text":
        doc: SourceDocument = reader(data, file, fmt)
    else:
        doc = reader(data, file)
    return doc
