"""Office files (xlsx, docx) as deterministic zip archives.

Enters: the bytes openpyxl or python-docx saved. Leaves: the same archive with every entry dated
1980-01-01 and ``[Content_Types].xml`` first, so the same document always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile


def stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so equal content gives equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        # [Content_Types].xml first, as Office writes it: file-type sniffers look for it there
        for item in sorted(source.infolist(), key=lambda info: info.filename != "[Content_Types].xml"):
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
