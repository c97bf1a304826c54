"""Mid-year monitoring (运行监控) and self-evaluation (自评) of approved target forms: pure Python.

``progress``: the expected progress per indicator at 1–6月 / 1–9月 and a red/yellow/green light with
its reason; ``evaluation``: a ``SelfEvaluation`` built from a target form and the actuals entered,
scored by a province's ruleset; ``errors``: the ``M`` codes of what a user typed that cannot be used.
"""

from __future__ import annotations

from jixiao.monitor.errors import MONITOR_CODES, Issue, MonitorError
from jixiao.monitor.progress import (
    PERIOD_LABELS,
    PERIOD_MONTHS,
    Assessment,
    Basis,
    BudgetAssessment,
    Expectation,
    Monitoring,
    Period,
    TargetForm,
    assess,
    assess_budget,
    expect,
    expectations,
    form_budget,
    monitor,
    period_of,
)
from jixiao.monitor.thresholds import LIGHT_NAMES, Light, Thresholds, load_thresholds

__all__ = [
    "LIGHT_NAMES",
    "MONITOR_CODES",
    "PERIOD_LABELS",
    "PERIOD_MONTHS",
    "Assessment",
    "Basis",
    "BudgetAssessment",
    "Expectation",
    "Issue",
    "Light",
    "MonitorError",
    "Monitoring",
    "Period",
    "TargetForm",
    "Thresholds",
    "assess",
    "assess_budget",
    "expect",
    "expectations",
    "form_budget",
    "load_thresholds",
    "monitor",
    "period_of",
]
