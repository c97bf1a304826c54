"""What a batch receives: uploaded files (several, or a whole folder) and zip archives, unpacked
into entries — a file's own name, the folders it came in (display only) and its bytes.

Zip archives are opened defensively: at most ``MAX_ENTRIES`` entries, ``MAX_TOTAL_BYTES`` in all
once unpacked, each entry at most ``settings.MAX_UPLOAD_BYTES`` and at most ``MAX_RATIO`` times
its compressed size (sizes are counted while reading, never taken from the archive's header),
encrypted entries refused. Names are never used as paths: ``..``, drive letters and absolute paths
are dropped from the folder shown, and nothing is written to disk. Names stored in GBK without the
zip's UTF-8 flag (archives made on Chinese Windows) are decoded as GBK.

A file refused here (too large, a zip bomb, an unreadable archive) becomes a ``Refused`` with a
stable code and a Chinese message; the others go on.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from jixiao.web.store import safe_name

MAX_ENTRIES = 5000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
#: Entries that are never documents (macOS and Windows folder litter).
LITTER = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")

#: Codes of files refused before import (``R`` codes are the library's read codes, same meaning).
CODES: dict[str, str] = {
    "R001": "文件为空（0 字节）",
    "R002": "不支持的文件格式",
    "R004": "文件已损坏或不完整，无法读取",
    "R005": "文件已加密，需先解除密码保护",
    "R007": "文件过大",
    "R008": "压缩内容异常膨胀（疑似压缩炸弹），已拒绝读取",
    "B001": "压缩包中的文件过多",
    "B002": "压缩包解压后总大小超过上限",
    "B003": "文件中没有读到部门名称，请选择部门后导入",
    "B099": "导入时发生内部错误",
}


@dataclass(frozen=True)
class Entry:
    name: str  # the file's own name (safe_name)
    folder: str  # the folders it came in, for display only
    data: bytes


@dataclass(frozen=True)
class Refused:
    name: str
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "message": self.message}


def shown_folder(path: str) -> str:
    """The folders of ``path`` for display: no root, drive, ``.`` or ``..``, at most 500 characters.

    >>> shown_folder("../../etc/项目/a.txt"), shown_folder("C:\\\\x\\\\..\\\\y\\\\b.txt"), shown_folder("a.txt")
    ('etc/项目', 'x/y', '')
    """
    parts = PurePosixPath(path.replace("\\", "/")).parts[:-1]
    kept = [p for p in parts if p not in ("", "/", ".", "..") and not p.endswith(":")]
    return "/".join(safe_name(p) for p in kept)[:500]


def _litter(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return any(part in LITTER or part.startswith("._") for part in parts)


def _entry_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # zipfile decoded the raw bytes as cp437: get them back and try GBK
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The entry's bytes, or None once more than ``cap`` bytes come out."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(65536):
            size += len(chunk)
            if size > cap:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def unpack_zip(name: str, data: bytes, folder: str = "") -> Iterator[Entry | Refused]:
    """The entries of the zip ``data`` (named ``name``), each a file to import or a refusal."""
    limit = settings.MAX_UPLOAD_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir() and not _litter(_entry_name(i))]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield Refused(name, "R004", f"{CODES['R004']}：{name}（{exc}）")
        return
    if len(infos) > MAX_ENTRIES:
        yield Refused(name, "B001", f"{CODES['B001']}：{name} 有 {len(infos)} 个文件，上限 {MAX_ENTRIES} 个")
        return
    base = f"{folder}/{safe_name(name)}" if folder else safe_name(name)
    total = 0
    for info in infos:
        path = _entry_name(info)
        entry_name, entry_folder = safe_name(path), "/".join(p for p in (base, shown_folder(path)) if p)
        if info.flag_bits & 0x1:
            yield Refused(entry_name, "R005", f"{CODES['R005']}：{entry_name}")
            continue
        room, by_ratio = MAX_TOTAL_BYTES - total, max(info.compress_size, 1) * MAX_RATIO
        cap = min(limit, room, by_ratio)
        try:
            content = _read_capped(archive, info, cap)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            yield Refused(entry_name, "R004", f"{CODES['R004']}：{entry_name}（{exc}）")
            continue
        if content is None:
            if cap == room:
                yield Refused(name, "B002", f"{CODES['B002']}（{MAX_TOTAL_BYTES // 1048576} MB）：{name}")
                return
            if cap == limit:
                yield Refused(
                    entry_name, "R007", f"{CODES['R007']}：{entry_name}（上限 {limit // 1048576} MB）"
                )
            else:
                yield Refused(
                    entry_name, "R008", f"{CODES['R008']}：{entry_name}（压缩比超过 {MAX_RATIO} 倍）"
                )
            continue
        total += len(content)
        yield Entry(entry_name, entry_folder, content)


def entries(files: Iterable[tuple[str, bytes]]) -> Iterator[Entry | Refused]:
    """Uploaded files (name as sent, possibly with the folder a browser gives for a folder upload,
    and bytes): zips unpacked, the others as they are."""
    for sent, data in files:
        name, folder = safe_name(sent), shown_folder(sent)
        if _litter(sent):
            continue
        if name.lower().endswith(".zip"):
            yield from unpack_zip(name, data, folder)
        else:
            yield Entry(name, folder, data)
