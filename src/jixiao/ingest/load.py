"""Load a file into a ``ParsedDocument``: read it, recognise its forms, keep every finding.

Never raises on bad input: an unreadable file gives a document with one ``R`` finding, so that
the other files of a batch are still read.

>>> parse_bytes(b"", "empty.xlsx").findings[0].code
'R001'
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from jixiao.ingest.errors import ReadError
from jixiao.ingest.forms import recognise
from jixiao.ingest.readers.dispatch import MAX_BYTES, extension_format, read_bytes
from jixiao.ingest.source import SourceDocument
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc


def parse_file(path: str | os.PathLike[str], name: str | None = None) -> ParsedDocument:
    """Parse one file from disk; ``name`` is the display name (defaults to the basename)."""
    return load_file(path, name)[0]


def load_file(
    path: str | os.PathLike[str], name: str | None = None
) -> tuple[ParsedDocument, SourceDocument | None]:
    """Parse one file and keep the source grid too (the audit's publication rules read it)."""
    p = Path(path)
    display = name or p.name
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            error = ReadError("R007", display, f"{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB")
            return ParsedDocument(
                file=display, size=size, format=extension_format(display), findings=[error.finding()]
            ), None
        data = p.read_bytes()
    except OSError as exc:
        return ParsedDocument(
            file=display, findings=[ReadError("R010", display, _os_reason(exc)).finding()]
        ), None
    return load_bytes(data, display)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return f"操作系统错误 {exc.errno}"


def read_source(data: bytes, name: str) -> tuple[SourceDocument | None, list[Finding]]:
    """Only the reader stage: the ``SourceDocument`` or the finding saying why there is none."""
    try:
        return read_bytes(data, name), []
    except ReadError as exc:
        return None, [exc.finding()]
    except RecursionError:
        return None, [ReadError("R004", name, "结构嵌套过深").finding()]
    except MemoryError:
        return None, [ReadError("R007", name, "内容超出可用内存").finding()]
    except Exception as exc:  # a reader bug: report it as data, keep the batch going
        return None, [
            Finding(
                code="R099",
                severity=Severity.ERROR,
                message=f"读取时发生内部错误：{name}（{type(exc).__name__}: {exc}）",
                locations=(Loc(file=name),),
            )
        ]


def parse_bytes(data: bytes, name: str) -> ParsedDocument:
    return load_bytes(data, name)[0]


def load_bytes(data: bytes, name: str) -> tuple[ParsedDocument, SourceDocument | None]:
    """``parse_bytes`` and the source grid it was recognised from (None when unreadable)."""
    digest = hashlib.sha256(data).hexdigest()
    doc, findings = read_source(data, name)
    result = ParsedDocument(
        file=name, sha256=digest, size=len(data), format=extension_format(name), findings=findings
    )
    if doc is None:
        return result, None
    result.format = doc.format
    recognition = recognise(doc)
    result.kind = recognition.kind
    result.forms = recognition.forms
    result.findings = [*doc.findings, *recognition.findings]
    return result, doc
