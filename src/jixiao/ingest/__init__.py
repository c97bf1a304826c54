"""Ingest: files → ``SourceDocument`` (readers) → typed forms (forms).

Enters: a path. Leaves: ``ParsedDocument`` (see ``load.parse_file``).
``readers`` know file formats and nothing of the domain; ``forms`` know the domain and no file format.
"""
