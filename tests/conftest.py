"""Shared fixtures: the real documents under tests/data (public government publications)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from jixiao.ingest.load import load_file
from jixiao.ingest.readers.dispatch import read_bytes
from jixiao.ingest.source import SourceDocument
from jixiao.model.document import ParsedDocument

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
CORPUS = DATA / "corpus"

SEED_000 = SEEDS / "000_7afb392a5cd23151.txt"  # 郑州 市级部门整体绩效目标申报表 2020
SEED_002 = SEEDS / "002_07fbb4ae47c57219.txt"  # 信阳平桥 2022 部门整体支出自评报告 + 自评表
SEED_003 = SEEDS / "003_c06aad5ab77f5f33.txt"  # 郑州高新区 2023 部门预算公开 + 目标表 + 项目汇总表
SEED_004 = SEEDS / "004_84163d3bfca5f923.txt"  # 六枝特区 2023 部门整体 + 4 项目绩效目标表

PDF_SWJ = CORPUS / "sh-putuo-swj-2025-bumen-yusuan.pdf"
PDF_WANLI = CORPUS / "sh-putuo-wanli-2023-bumen-yusuan.pdf"
PDF_CZJ_FINAL = CORPUS / "sh-putuo-czj-2024-juesuan.pdf"
PDF_JCY = CORPUS / "js-jcy-2019-bumen-yusuan.pdf"
XLSX_TEMPLATE = CORPUS / "sh-putuo-2026-bumen-yusuan-template-blank.xlsx"
XLS_TEMPLATE = CORPUS / "sh-putuo-2026-danwei-yusuan-template-blank.xls"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@cache
def read_document(path: Path) -> SourceDocument:
    """Read a real document once per test session (the corpus PDFs take seconds each).

    Callers must not mutate the result: recognisers only read a SourceDocument.
    """
    return read_bytes(path.read_bytes(), path.name)


@cache
def load_document(path: Path) -> tuple[ParsedDocument, SourceDocument | None]:
    """Parse a real document once per test session: the model and its source grid (read-only)."""
    return load_file(path)
