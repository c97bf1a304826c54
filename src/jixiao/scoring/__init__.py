"""Scoring self-evaluations by official rulesets, with the working shown.

Enters: a ``SelfEvaluation`` (or indicator rows and entered actuals) and a ruleset, which is data:
a TOML file under ``rulesets/`` or a user's own (docs/scoring.md). Leaves: a ``ScoreSheet`` (per
row the computed score beside the document's, levels, total, grade, departures as S findings).
Must not import ``jixiao.checks`` (the checks import this package) or any reader.

>>> load_ruleset("henan-dept").budget_execution.weight
Decimal('10')
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.scoring.engine import CODES, detect_ruleset, score_evaluation, score_indicator, what_if
from jixiao.scoring.ruleset import RuleSet, RulesetError, builtin_rulesets, load_ruleset, ruleset_names
from jixiao.scoring.sheet import LevelResult, ScoreRow, ScoreSheet

__all__ = [
    "CODES",
    "Decimal",
    "LevelResult",
    "RuleSet",
    "RulesetError",
    "ScoreRow",
    "ScoreSheet",
    "builtin_rulesets",
    "detect_ruleset",
    "load_ruleset",
    "ruleset_names",
    "score_evaluation",
    "score_indicator",
    "what_if",
]
