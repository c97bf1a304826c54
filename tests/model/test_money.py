"""Money: exact Decimal parsing of printed amounts and unit conversion."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.model.money import detect_unit, display, parse_amount, to_unit


def test_printed_forms() -> None:
    assert parse_amount("8,562.6") == Decimal("8562.6")
    assert parse_amount("24169.74") == parse_amount("24,169.74") == Decimal("24169.74")
    assert parse_amount("-1,000") == Decimal("-1000")
    assert parse_amount("(12.5)") == Decimal("-12.5")
    assert parse_amount("１２３．４") == Decimal("123.4")
    for blank in ("", "-", "——", "x,xxx", "XX", None, "合计", "1,00", "12a"):
        assert parse_amount(blank) is None


def test_units_detected_from_unit_lines() -> None:
    assert detect_unit("单位：万元") == "万元"
    assert detect_unit("金额单位：元") == "元"
    assert detect_unit("部门名称：某局") is None


def test_display_rounds_half_up_only_for_display() -> None:
    assert display(Decimal("1234.565")) == "1,234.57"
    assert display(Decimal("0.125"), places=2, thousands=False) == "0.13"


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False))
def test_yuan_wanyuan_round_trip_is_exact(amount: Decimal) -> None:
    assert to_unit(to_unit(amount, "元", "万元"), "万元", "元") == amount


@given(st.decimals(min_value=Decimal(0), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_thousands_separated_text_parses_back(amount: Decimal) -> None:
    assert parse_amount(f"{amount:,}") == amount
