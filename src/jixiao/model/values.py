"""Parsing of 指标值 / 实际完成值 strings into ``Target``.

>>> parse_target("≥95%").value
Decimal('95')
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.model.money import normalise_digits
from jixiao.model.target import Comparator, Target, TargetKind

_OPS = {"≥": Comparator.GE, ">=": Comparator.GE, "＞": Comparator.GT, ">": Comparator.GT,
        "≤": Comparator.LE, "<=": Comparator.LE, "＜": Comparator.LT, "<": Comparator.LT,
        "=": Comparator.EQ, "≈": Comparator.APPROX, "≅": Comparator.APPROX}
_NUM = re.compile(r"^(≥|>=|＞|>|≤|<=|＜|<|=|≈|≅)?\s*(\d+(?:\.\d+)?)\s*(%|[^\d\s]*)$")
_QUAL = ("充分", "合理", "有效", "完整", "规范", "及时", "显著", "提高", "健全", "完成", "良好", "相关",
         "科学", "合规", "真实", "公开", "明显", "完备", "符合要求", "达到", "保障", "提升", "增长")


def parse_target(raw: str | None) -> Target:
    """Read one 指标值 cell. Never raises; unreadable text becomes ``kind=text``."""
    text = normalise_digits(raw or "").strip()
    if text in ("", "-", "—", "——", "/", "无"):
        return Target(kind=TargetKind.MISSING, raw=raw or "")
    m = _NUM.match(text)
    if m:
        op = _OPS.get(m.group(1) or "", Comparator.EQ)
        value = Decimal(m.group(2))
        unit = m.group(3) or None
        kind = TargetKind.RATIO if unit == "%" else TargetKind.QUANTITY
        return Target(kind=kind, op=op, value=value, unit=unit, raw=raw or "")
    for word in _QUAL:
        if word in text and len(text) <= 8:
            return Target(kind=TargetKind.QUALITATIVE, label=text, raw=raw or "")
    return Target(kind=TargetKind.TEXT, raw=raw or "")
