"""Jixiao (绩效): read, audit, score and generate budget performance documents.

Pipeline, top-down: ``ingest.readers`` (file → SourceDocument) → ``ingest.forms`` (SourceDocument →
typed forms in ``model``) → checks / scoring / render. The CLI (``cli.py``) is a thin shell over it.
"""

__version__ = "0.1.0"
