"""The domain types: what a finance officer means by a form, independent of files and storage.

Enters: nothing (pure types). Leaves: pydantic models that serialise to the documented JSON.
Must not import: ``jixiao.ingest``, file-format libraries, Django.
"""
