"""Normalised names and synonyms, on names printed in the seeds."""

from __future__ import annotations

import pytest

from jixiao.library import normalise, strip_numbering
from jixiao.library.normalise import Synonyms, load_synonyms
from tests.library.conftest import all_seed_uses, seed_catalogue


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("1.预算执行率", "预算执行率"),
        ("（1）“三公经费”控制率", "三公经费控制率"),  # seed 002 prints the quotes
        ("(2) 预算调整率", "预算调整率"),
        ("①服务对象满意度", "服务对象满意度"),
        ("一、产出指标", "产出指标"),
        ("2.1. 档案管理合格率", "档案管理合格率"),
        ("第一项：招考完成时间", "招考完成时间"),
        ("考生满意度，用人单位满意度", "考生满意度用人单位满意度"),
        ("品台软、硬件购买费用", "品台软硬件购买费用"),  # seed 004's typo is kept: no guessing
        ("ＡＢＣ　合格率", "abc合格率"),  # full width and ideographic space
    ],
)
def test_normalise_strips_numbering_spaces_punctuation_and_width(printed: str, key: str) -> None:
    assert normalise(printed) == key


def test_numbers_that_are_part_of_the_name_stay() -> None:
    # a year or a count is not numbering
    assert normalise("2023年全区事业单位年度考核") == "2023年全区事业单位年度考核"
    assert normalise("劳动争议案件150件") == "劳动争议案件150件"
    assert normalise("重点工作1计划完成率") != normalise("重点工作2计划完成率")
    assert strip_numbering("1.（1）完成率") == "完成率"


def test_trailing_rate_and_count_are_kept() -> None:
    assert normalise("结案率") != normalise("结案数")
    assert normalise("补助民办教师人次") != normalise("补助民办教师人数")


def test_synonyms_from_the_seeds() -> None:
    # seed 003 prints 代缴满意率 beside …满意度 rows; seed 004 社会公众或服务对象满意度
    assert normalise("代缴满意率") == normalise("代缴满意度")
    assert normalise("社会公众或服务对象满意度") == normalise("服务对象满意度")
    assert normalise("参训人员满意度") == normalise("培训对象满意度")
    # not everything with 满意 is the same indicator
    assert normalise("群众满意度") != normalise("服务对象满意度")


def test_synonyms_merge_real_variants_into_one_entry() -> None:
    catalogue = seed_catalogue()
    service = catalogue.lookup("社会公众或服务对象满意度")
    assert service is not None and service.key == "服务对象满意度"
    assert {"服务对象满意度", "社会公众或服务对象满意度"} <= set(service.names)
    trainees = catalogue.lookup("参训人员满意度")
    assert trainees is not None
    assert set(trainees.names) == {"参训人员满意度", "培训对象满意度"}
    assert set(trainees.projects) == {"人人持证技能河南建设专项资金", "在职人员素质提升教育培训费用"}
    # the quoted and unquoted 三公经费 control rows of seeds 002 and 003 are one entry
    three = catalogue.lookup("“三公经费”控制率")
    assert three is not None and three.usage == 2


def test_every_seed_name_has_a_key() -> None:
    assert all(use.key for use in all_seed_uses())


def test_synonym_tables_are_cleaned_and_copied() -> None:
    table = Synonyms({"  服务 对象满意率 ": "服务对象满意度"}, {"满意率": "满意度"})
    assert table.apply("服务对象满意率") == "服务对象满意度"
    assert load_synonyms().names is not table.names
