"""Sections and quoted figures from real narratives."""

from __future__ import annotations

from decimal import Decimal

from jixiao.ingest.forms.narrative import extract_sections, find_figures
from jixiao.ingest.readers.text import read_text
from tests.conftest import SEED_003


def test_figures_keep_exact_values_units_and_subjects() -> None:
    figures = find_figures("人力资源局 2023 年支出合计 8562.6 万元，其中：基本支出 4,550.7 万元，占 53.1%；")
    assert [(f.subject, f.value, f.unit) for f in figures] == [
        ("支出合计", Decimal("8562.6"), "万元"),
        ("基本支出", Decimal("4550.7"), "万元"),
        ("基本支出占", Decimal("53.1"), "%"),
    ]


def test_full_width_digits_and_percent_sign() -> None:
    (figure,) = find_figures("预算执行率为１００％。")
    assert (figure.value, figure.unit) == (Decimal("100"), "%")


def test_seed_003_budget_narrative_sections() -> None:
    doc = read_text(SEED_003.read_bytes(), SEED_003.name)
    sections = extract_sections(doc.paragraphs)
    by_title = {s.title: s for s in sections}
    overview = by_title["一、收入支出预算总体情况说明"]
    assert [(f.subject, f.value) for f in overview.figures][:4] == [
        ("收入总计", Decimal("8562.6")),
        ("支出总计", Decimal("8562.6")),
        ("收入减少", Decimal("180.8")),
        ("收入下降", Decimal("2.1")),
    ]
    basic = by_title["六、一般公共预算基本支出情况说明"]
    assert ("人员经费支出", Decimal("4461.4"), "万元") in [
        (f.subject, f.value, f.unit) for f in basic.figures
    ]
    assert basic.figures[0].loc is not None and basic.figures[0].loc.line is not None
