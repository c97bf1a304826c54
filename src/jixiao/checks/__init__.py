"""The audit: explainable checks with stable codes, as a finance-bureau reviewer would make them.

Enters: ``ParsedDocument`` (and its ``SourceDocument``). Leaves: ``AuditReport`` (findings per
document, which rules ran, passed or did not apply). Must not import rendering or storage.

Each module below holds the rules of one family and subject; ``builtin_registry`` collects them
(docs/rules.md is generated from it).

>>> "A101" in builtin_registry()
True
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from jixiao.checks.registry import Registry, rules_in

#: Rule modules, in the order their families are documented.
RULE_MODULES: tuple[str, ...] = (
    "jixiao.checks.arithmetic",  # A1xx tables, A2xx declared and executed funds
    "jixiao.checks.narrative",  # A3xx figures quoted in the 情况说明 / report against the tables
    "jixiao.checks.targets",  # T: target quality
    "jixiao.checks.scoring",  # S: self-evaluation scores
    "jixiao.checks.consistency",  # C1xx–C2xx, C4xx–C5xx: across tables, codes and names, years, 目录
    "jixiao.checks.classification",  # C3xx: 政府收支分类科目 codes and names
    "jixiao.checks.evaluation",  # C6xx: self-evaluation table, report and annexes against each other
    "jixiao.checks.completeness",  # F1xx: required content
    "jixiao.checks.publication",  # P: publication quality and plausibility
)


@cache
def builtin_registry() -> Registry:
    """Every rule shipped with Jixiao (a new registry object is never mutated: extend a copy)."""
    return Registry(r for name in RULE_MODULES for r in rules_in(import_module(name)))
