"""The seeds' indicators as library uses (parsed once per session)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jixiao.library import Catalogue, Use, uses_of
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004, load_document


@cache
def seed_uses(*paths: Path) -> tuple[Use, ...]:
    out: list[Use] = []
    for path in paths:
        document, _ = load_document(path)
        out.extend(uses_of(document, path.name))
    return tuple(out)


def all_seed_uses() -> tuple[Use, ...]:
    return seed_uses(SEED_000, SEED_002, SEED_003, SEED_004)


@cache
def seed_catalogue() -> Catalogue:
    """Every indicator of the four seeds: 部门整体 forms (000, 002, 003, 004), the 003 项目绩效目标
    汇总表 (18 projects) and the four 004 项目支出绩效目标申报表."""
    return Catalogue.build(all_seed_uses())


def project_keys(project: str) -> list[str]:
    return list(dict.fromkeys(u.key for u in all_seed_uses() if u.project == project))
