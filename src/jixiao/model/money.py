"""Money: exact Decimal amounts with an explicit unit (元 or 万元).

Amounts are parsed from printed text exactly as printed: ``"8,562.6"`` → ``Decimal("8562.6")``;
rounding (四舍五入, ROUND_HALF_UP) happens only when displaying.

>>> parse_amount("8,562.6")
Decimal('8562.6')
>>> to_unit(Decimal("8562.6"), "万元", "元")
Decimal('85626000.0')
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

MoneyUnit = Literal["元", "万元", "千元", "亿元"]

_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}

_AMOUNT = re.compile(r"^[-−–]?\(?[-−–]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?\)?$|^[-−–]?\(?\d+(?:\.\d+)?\)?$")
_BLANKS = {"", "-", "—", "——", "－", "/", "／", "…", "x", "X", "xx", "XX", "x,xxx", "X,XXX"}


@lru_cache(maxsize=65536)
def parse_amount(text: str | None) -> Decimal | None:
    """Read a printed amount; ``None`` for blanks, dashes and placeholders; never a float.

    Accepts thousands separators (``24,169.74``), a leading minus, accounting parentheses and
    full-width digits. Returns ``None`` for anything that is not a plain number.
    """
    if text is None:
        return None
    s = normalise_digits(text).strip().replace(" ", "").replace("\u00a0", "")
    if s in _BLANKS:
        return None
    if not _AMOUNT.match(s):
        return None
    negative = s.startswith(("-", "−", "–")) or s.startswith("(")
    digits = s.strip("-−–()").replace(",", "").replace("，", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value


def normalise_digits(text: str) -> str:
    """Full-width digits and punctuation → ASCII (１２３．４ → 123.4)."""
    if not _ANY_FULLWIDTH.search(text):
        return text  # the common case
    # one character for one: replacing each in turn translates, and much faster than str.translate
    # does on Chinese text (where the full-width comma is everywhere)
    for wide, narrow in _FULLWIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


_FULLWIDTH = tuple(zip("０１２３４５６７８９．，％－＋", "0123456789.,%-+", strict=True))
_ANY_FULLWIDTH = re.compile("[０１２３４５６７８９．，％－＋]")


def to_unit(amount: Decimal, from_unit: str, to: str) -> Decimal:
    """Convert exactly between 元/千元/万元/亿元."""
    return amount * _FACTORS[from_unit] / _FACTORS[to]


def display(amount: Decimal, places: int = 2, thousands: bool = True) -> str:
    """Round half up for display only: ``display(Decimal('1234.565'))`` → ``'1,234.57'``."""
    q = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,}" if thousands else f"{q}"


_MONEY_UNIT = re.compile(r"(亿元|万元|千元|元)")


def detect_unit(text: str) -> MoneyUnit | None:
    """Find the money unit declared in a line like ``单位：万元`` or a header ``金额（元）``."""
    m = _MONEY_UNIT.search(text)
    if m is None:
        return None
    unit = m.group(1)
    if unit == "万元":
        return "万元"
    if unit == "亿元":
        return "亿元"
    if unit == "千元":
        return "千元"
    return "元"


#: What a number typed into a form may hold: the web store keeps it exactly in 20 digits, 6 of them
#: decimals.
MAX_INTEGER_DIGITS = 14
MAX_DECIMALS = 6


def fits(value: Decimal) -> bool:
    """Whether ``value`` is finite with at most 14 integer digits and 6 decimals (trailing zeros do
    not count). ``1E+999999`` or a 200-digit number is no amount anyone means, and exact arithmetic on
    it overflows.

    >>> fits(Decimal("12345678901234.5")), fits(Decimal("1.5000000")), fits(Decimal("1E+15"))
    (True, True, False)
    """
    if not value.is_finite():
        return False
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if len(digits) + exponent > MAX_INTEGER_DIGITS:
        return False
    significant = value.normalize().as_tuple().exponent
    assert isinstance(significant, int)
    return -significant <= MAX_DECIMALS
