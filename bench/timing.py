"""Latency figures the benchmarks print (``bench/web.py``, ``bench/editor.py``): nearest-rank
percentiles, the way load-testing tools report p95 (a value that was measured, not interpolated).

>>> percentile([1.0, 2.0, 3.0, 4.0], 0.95)
4.0
"""

from __future__ import annotations

import math


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ascending values, nearest rank; 0.0 for none."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), math.ceil(q * len(sorted_values))))
    return sorted_values[rank - 1]
