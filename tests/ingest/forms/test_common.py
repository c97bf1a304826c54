"""``norm``: the compare-friendly form of a label, cached for the short labels that repeat from
table to table and not for long texts unique to one document (a batch worker reads thousands)."""

from __future__ import annotations

from jixiao.ingest.forms.common import _norm_label, norm


def test_norm_folds_width_and_whitespace() -> None:
    assert norm("项目支出 （单位：万元）") == "项目支出(单位:万元)"


def test_long_texts_are_normalised_without_a_cache_entry() -> None:
    cover = "某区人力资源和社会保障局\u3000" * 20 + "2023年部门预算公开"
    before = _norm_label.cache_info().currsize
    assert norm(cover) == "某区人力资源和社会保障局" * 20 + "2023年部门预算公开"
    assert _norm_label.cache_info().currsize == before
    norm("只在本测试出现的表头 （甲）")
    assert _norm_label.cache_info().currsize == before + 1
