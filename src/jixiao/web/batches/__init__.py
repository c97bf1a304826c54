"""Batch import of folders and zips of documents, each file a background job (issue 9)."""
