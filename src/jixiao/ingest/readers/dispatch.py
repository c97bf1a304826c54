"""Find the real format of a file from its bytes, guard against hostile input, call its reader.

Enters: the bytes of one file and its display name. Leaves: a ``SourceDocument`` or a ``ReadError``.
The content decides the format, not the extension: a ``.xls`` that is really an HTML table or
tab-separated text (what WPS and old systems export) is read as such, with an ``R012`` note.
Guards run before any reader: size (``R007``), decompression bombs judged from the zip central
directory without inflating anything (``R008``), encrypted Office files (``R005``), XML parts that
declare a DOCTYPE or entities (``R004``), binaries that are not a supported format (``R003``).

>>> read_bytes(b"a\\tb\\n", "x.txt").format
'txt'
>>> read_bytes(b"a\\tb\\n", "x.xls").findings[0].code
'R012'
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from importlib import import_module
from typing import IO

from lxml import etree

from jixiao.ingest.errors import ReadError, read_note
from jixiao.ingest.source import SourceDocument
from jixiao.model.findings import Finding

#: Largest file accepted (bytes); ``JIXIAO_MAX_BYTES`` overrides. Real disclosures are under 20 MB.
MAX_BYTES = int(os.environ.get("JIXIAO_MAX_BYTES", str(64 * 1024 * 1024)))
#: Largest total uncompressed size of an Office (zip) file, and the largest compression ratio.
MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200
#: Most members an Office package may hold (real ones hold tens to a few hundred).
MAX_MEMBERS = 20_000
#: Largest grid a single table or sheet may expand to (rows × columns), merged cells included.
MAX_CELLS = 2_000_000
#: How much of an XML part may precede its root element (a real prolog is under 1 KB).
_MAX_PROLOG = 64 * 1024

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

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

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

_NAMES = {
    "xlsx": "Excel 工作簿",
    "xls": "Excel 97-2003 工作簿",
    "docx": "Word 文档",
    "pdf": "PDF 文档",
    "html": "网页（HTML）",
    "txt": "文本",
    "md": "Markdown 文本",
}

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|table|meta|head|body|title)\b",
    re.I | re.S,
)
_SPREADSHEET_2003 = "urn:schemas-microsoft-com:office:spreadsheet"
_HTML_TAG = re.compile(r"<(?:html|body|table)\b[^>]*>", re.I)  # not <p>: text exports carry <p> in cells


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
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data, file, claimed)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(data, file, claimed)
    sample = text_sample(data)
    if sample is None:
        raise ReadError("R003", file, _mismatch(claimed, "无法识别的二进制内容"))
    lowered = sample.lstrip("\ufeff").lower()
    if lowered.lstrip().startswith("mime-version:") and "multipart/related" in lowered:
        raise ReadError("R002", file, "单个文件网页（MHT），请在 Excel/WPS 中另存为 .xlsx")
    if 'progid="excel.sheet"' in lowered or ("<workbook" in lowered and _SPREADSHEET_2003 in lowered):
        raise ReadError("R002", file, "Excel 2003 XML 表格，请在 Excel/WPS 中另存为 .xlsx")
    if _HTML_START.match(lowered) or (claimed in ("xls", "html") and _HTML_TAG.search(lowered)):
        return "html"
    if claimed in ("xlsx", "docx", "pdf"):
        raise ReadError("R003", file, _mismatch(claimed, "文本"))
    if claimed == "html":
        return "html"
    if claimed == "xls":
        return "txt"  # tab-separated text saved with an .xls name by WPS and older systems
    return claimed or "txt"


def text_sample(data: bytes, size: int = 4096) -> str | None:
    """The start of ``data`` decoded as text, or ``None`` when it looks binary.

    UTF-16 needs its byte-order mark; otherwise UTF-8 and then GB18030 are tried (a multi-byte
    character cut at the end of the sample is tolerated). Control characters other than tab,
    newline, carriage return and form feed in more than 1 % of the sample mean binary.
    """
    chunk = data[:size]
    text: str | None
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = chunk[: len(chunk) - len(chunk) % 2].decode("utf-16", errors="replace")
    elif b"\x00" in chunk:
        return None
    else:
        text = _decode_prefix(chunk)
    if text is None:
        return None
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\x7f")
    if text and controls * 100 > len(text):
        return None
    return text


def _decode_prefix(chunk: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in range(4):  # a character may be split by the sample's end
            try:
                return chunk[: len(chunk) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
    return None


def _mismatch(claimed: str | None, actual: str) -> str:
    if claimed:
        return f"扩展名表示 {_NAMES.get(claimed, claimed)}，实际内容为{actual}"
    return f"实际内容为{actual}"


def open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    """Open an Office package after the guards: structure (``R004``), bombs (``R008``), encryption.

    Sizes come from the central directory, before anything is inflated; ``zipfile`` never yields
    more than the declared size of a member, so the declared sizes bound what readers can inflate.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        struct.error,
        UnicodeDecodeError,
    ) as exc:
        raise ReadError("R004", file, "压缩结构损坏，文件可能被截断") from exc
    if len(infos) > MAX_MEMBERS:
        raise ReadError("R008", file, f"压缩包内有 {len(infos)} 个部件，上限 {MAX_MEMBERS}")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ReadError("R008", file, f"解压后 {total // (1024 * 1024)} MB，压缩比 {total // packed}:1")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("R005", file, f"部件 {info.filename} 已加密")
    return archive


def scan_xml_parts(archive: zipfile.ZipFile, file: str) -> None:
    """Reject packages whose XML parts declare a DOCTYPE or entities (billion laughs, XXE).

    Office never writes a DOCTYPE. Every member whose content starts like XML is checked, whatever
    its name (a package may name its main part anything). Only the prolog of each part (what
    precedes the root element) is inflated and read: a few hundred bytes per part.
    """
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = info.filename
        try:
            with archive.open(info) as stream:
                prolog = _read_prolog(stream)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ReadError("R004", file, f"部件 {name} 无法解压：{exc}") from exc
        if prolog is True:
            continue
        if prolog is False:
            raise ReadError("R004", file, f"部件 {name} 的 XML 开头异常")
        upper = prolog.upper()
        if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
            raise ReadError("R004", file, f"部件 {name} 含有不安全的 XML 实体")


def _read_prolog(stream: IO[bytes]) -> str | bool:
    """The text of an XML part up to its root element.

    ``True`` when the member is not XML (images, binaries); ``False`` when the prolog is absurdly long.
    """
    raw = stream.read(4096)
    if not _xml_text(raw).lstrip("\ufeff \t\r\n").startswith("<"):
        return True
    while len(raw) <= _MAX_PROLOG:
        text = _xml_text(raw)
        root = _ROOT_START.search(text)
        if root:
            return text[: root.start()]
        chunk = stream.read(4096)
        if not chunk:
            return text
        raw += chunk
    return False


_ROOT_START = re.compile(r"<[A-Za-z_\u00c0-\uffff]")


def _xml_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw[: len(raw) - len(raw) % 2].decode("utf-16", errors="replace")
    if raw.startswith(b"<\x00"):
        return raw[: len(raw) - len(raw) % 2].decode("utf-16-le", errors="replace")
    if raw.startswith(b"\x00<"):
        return raw[: len(raw) - len(raw) % 2].decode("utf-16-be", errors="replace")
    return raw.decode("utf-8", errors="replace")


def safe_xml_parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _sniff_zip(data: bytes, file: str, claimed: str | None) -> str:
    archive = open_zip(data, file)
    names = {i.filename for i in archive.infolist()}
    main = main_part(archive)
    if (main is not None and main.startswith("word/")) or "word/document.xml" in names:
        return "docx"
    if (main is not None and main.startswith("xl/")) or "xl/workbook.xml" in names:
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        raise ReadError("R002", file, "PowerPoint 演示文稿")
    if any(n.startswith("word/") for n in names):
        raise ReadError("R004", file, "Word 文档缺少正文部件 word/document.xml")
    if any(n.startswith("xl/") for n in names):
        raise ReadError("R004", file, "Excel 工作簿缺少部件 xl/workbook.xml")
    if "mimetype" in names:
        raise ReadError("R002", file, "OpenDocument（WPS/LibreOffice）格式，请另存为 .xlsx 或 .docx")
    raise ReadError("R003", file, _mismatch(claimed, "普通 ZIP 压缩包"))


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The package's main part from ``_rels/.rels`` (``word/document2.xml`` exists in the wild)."""
    try:
        if archive.getinfo("_rels/.rels").file_size > 1024 * 1024:
            return None
        rels = archive.read("_rels/.rels").decode("utf-8", errors="replace")
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return None
    for match in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = match.group(0)
        if '/officeDocument"' in tag:
            target = re.search(r"Target=\"([^\"]+)\"", tag)
            if target:
                path = posixpath.normpath(target.group(1).lstrip("/"))
                if path in {i.filename for i in archive.infolist()}:
                    return path
    return None


def ole_stream_names(data: bytes) -> set[str] | None:
    """Names of the streams and storages in an OLE2 compound file, or ``None`` if unparseable.

    Reads the header, follows the FAT chain of the directory and decodes each 128-byte entry's
    UTF-16 name. Every sector index is bounds-checked and chains are cut at the first repeat.
    """
    if len(data) < 512 or not data.startswith(_OLE_MAGIC):
        return None
    try:
        return _ole_names(data)
    except (struct.error, IndexError):
        return None


def _ole_names(data: bytes) -> set[str] | None:
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        return None
    sector_size = 1 << sector_shift
    sector_count = len(data) // sector_size - 1  # whole sectors after the header
    per_sector = sector_size // 4
    first_directory = struct.unpack_from("<I", data, 0x30)[0]
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < sector_count]
    difat = struct.unpack_from("<I", data, 0x44)[0]
    seen: set[int] = set()
    while difat < sector_count and difat not in seen:
        seen.add(difat)
        entries = struct.unpack_from(f"<{per_sector}I", data, _sector_offset(difat, sector_size))
        fat_sectors.extend(s for s in entries[:-1] if s < sector_count)
        difat = entries[-1]
    fat: list[int] = []
    for sector in fat_sectors:
        fat.extend(struct.unpack_from(f"<{per_sector}I", data, _sector_offset(sector, sector_size)))
    names: set[str] = set()
    sector = first_directory
    visited: set[int] = set()
    while sector < sector_count and sector not in visited:
        visited.add(sector)
        offset = _sector_offset(sector, sector_size)
        for entry in range(offset, offset + sector_size, 128):
            length, kind = struct.unpack_from("<HB", data, entry + 0x40)
            if kind in (1, 2, 5) and 2 <= length <= 64:
                names.add(data[entry : entry + length - 2].decode("utf-16-le", errors="replace"))
        sector = fat[sector] if sector < len(fat) else sector_count
    return names or None


def _sector_offset(sector: int, sector_size: int) -> int:
    return (sector + 1) * sector_size


def _sniff_ole(data: bytes, file: str, claimed: str | None) -> str:
    """OLE2 compound files: legacy .xls, legacy .doc, or an encrypted OOXML package."""
    names = ole_stream_names(data)
    damaged = names is None
    if names is None:  # a damaged directory: fall back to looking for the names themselves
        window = data[: 1 << 20]
        names = {
            n
            for n in (
                "EncryptedPackage",
                "EncryptionInfo",
                "Workbook",
                "Book",
                "WordDocument",
                "PowerPoint Document",
            )
            if n.encode("utf-16-le") in window
        }
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise ReadError("R005", file)
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "WordDocument" in names:
        raise ReadError("R002", file, "旧版 Word .doc 格式，请另存为 .docx")
    if "PowerPoint Document" in names:
        raise ReadError("R002", file, "PowerPoint 演示文稿")
    if damaged:
        raise ReadError("R004", file, "OLE 复合文档的目录无法读取，文件可能被截断")
    raise ReadError("R003", file, _mismatch(claimed, "未知的 OLE 复合文档"))


def _equivalent(claimed: str | None, fmt: str) -> bool:
    return claimed is None or claimed == fmt or {claimed, fmt} <= {"txt", "md"}


def read_bytes(data: bytes, file: str) -> SourceDocument:
    """Read any supported file. Raises ``ReadError`` (never anything else for bad input)."""
    if len(data) == 0:
        raise ReadError("R001", file)
    if len(data) > MAX_BYTES:
        raise ReadError("R007", file, f"{len(data) / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB")
    fmt = sniff(data, file)
    module_name, function_name = _READERS[fmt]
    module = import_module(f"jixiao.ingest.readers.{module_name}")
    reader = getattr(module, function_name)
    if module_name == "text":
        doc: SourceDocument = reader(data, file, fmt)
    else:
        doc = reader(data, file)
    claimed = extension_format(file)
    if not _equivalent(claimed, fmt):
        doc.findings.insert(0, mismatch_note(file, claimed, fmt))
    return doc


def mismatch_note(file: str, claimed: str | None, fmt: str) -> Finding:
    """The ``R012`` note for a file read by its content rather than its extension."""
    return read_note("R012", file, _mismatch(claimed, _NAMES.get(fmt, fmt)))
