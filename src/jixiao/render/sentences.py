"""Chinese prose pieces for generated reports: amounts, percentages, points, ordinals, lists.

Enters: exact ``Decimal`` values from the model and plain strings. Leaves: the text a reader sees,
rounded 四舍五入 for display only (amounts through ``jixiao.model.money.display``). Nothing here
invents a figure: every function shows the value it is given, or nothing when it is given ``None``.

>>> amount(Decimal("1633.2"), "万元")
'1,633.20 万元'
>>> percent(Decimal("95"))
'95.00%'
>>> points(Decimal("95.60"))
'95.6'
>>> chinese_number(12), heading_number(2)
('十二', '（二）')
>>> sentence("得分 10 分；")
'得分 10 分。'
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from jixiao.model.money import display

HUNDRED = Decimal(100)

_DIGITS = "零一二三四五六七八九"
_ENDINGS = "。；;，,、：:"
_LEADS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是")


def amount(value: Decimal, unit: str = "万元", places: int = 2) -> str:
    """An amount with thousands separators and its unit: ``1,633.20 万元``."""
    return f"{display(value, places)} {unit}"


def percent(value: Decimal, places: int = 2) -> str:
    """A percentage (already in percent) shown with ``places`` decimals: ``100.00%``."""
    return f"{display(value, places, thousands=False)}%"


def points(value: Decimal, places: int = 2) -> str:
    """Points (分值, 得分) rounded half up to ``places`` and shown without trailing zeros: ``95.6``."""
    shown = format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (exact); ``None`` when either is missing or ``whole`` is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole * HUNDRED


def chinese_number(number: int) -> str:
    """1–99 in Chinese numerals as headings number them: 1 → 一, 10 → 十, 21 → 二十一."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def heading_number(number: int) -> str:
    """The second-level heading number: 1 → （一）."""
    return f"（{chinese_number(number)}）"


def lead(number: int, text: str = "") -> str:
    """An enumerated point of official prose: 1 → 一是; a space before a leading figure
    (``一是 2 项指标…``), as figures are set apart from Chinese text throughout."""
    head = _LEADS[number - 1] if 0 < number <= len(_LEADS) else f"第{chinese_number(number)}"
    return f"{head} {text}" if text[:1].isdigit() else head + text


def listing(items: Iterable[str], last: str = "、") -> str:
    """Items joined by the enumeration comma: ``A、B、C``, or ``A、B和C`` with ``last="和"``
    (empty items dropped)."""
    kept = [item for item in items if item]
    if len(kept) < 2 or last == "、":
        return "、".join(kept)
    gap = " " if kept[-1][:1].isdigit() else ""  # figures are set apart: 年度目标和 32 项
    return "、".join(kept[:-1]) + last + gap + kept[-1]


def sentence(text: str) -> str:
    """One sentence ending in a full stop (a trailing comma or semicolon is replaced)."""
    body = text.strip().rstrip(_ENDINGS)
    return f"{body}。" if body else ""


def joined(clauses: Iterable[str]) -> str:
    """Clauses joined with ``；`` into one sentence; empty clauses dropped, ``""`` when none is left."""
    parts = [clause.strip().rstrip(_ENDINGS) for clause in clauses]
    return sentence("；".join(part for part in parts if part))


def year_of(year: int | None) -> str:
    """``2022年度`` or nothing when the form gives no year."""
    return f"{year}年度" if year is not None else ""


def quoted(text: str) -> str:
    """Text in Chinese quotation marks: “优”."""
    return f"“{text}”"
