"""Readers: one per file format, each producing the same ``SourceDocument``.

Enters: bytes of one file and its display name. Leaves: ``SourceDocument`` or ``ReadError``.
Must not import: ``jixiao.ingest.forms`` (the domain). ``read_bytes`` sniffs the real type from the
content (not the extension), applies the size and decompression guards, and dispatches.
"""
