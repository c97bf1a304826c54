"""The classification tables: codes as printed in the real documents resolve to their names."""

from __future__ import annotations

import pytest

from jixiao import codes


def test_join_code_from_class_item_section_cells() -> None:
    assert codes.join_code(["208", "01", "01"]) == "2080101"
    assert codes.join_code(["201", "13", ""]) == "20113"
    assert codes.join_code(["301", "1"]) == "30101"  # a 款 printed without its leading zero
    assert codes.join_code(["", "", ""]) is None
    assert codes.join_code(["类", "款", "项"]) is None
    assert codes.join_code(["208", "123"]) is None


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("2080101", "2080101"),
        ("[2080101]", "2080101"),
        ("【208】", "208"),
        ("30101", "30101"),
        ("0", None),
        ("2080", None),
    ],
)
def test_normalise_code(printed: str, code: str | None) -> None:
    assert codes.normalise_code(printed) == code


def test_kind_and_level_by_leading_digit_and_length() -> None:
    assert [codes.code_kind(c) for c in ("208", "20805", "2080505", "30101", "50101", "3010101", "007")] == [
        "function",
        "function",
        "function",
        "economic_dept",
        "economic_gov",
        None,
        None,
    ]
    assert [codes.level(c) for c in ("221", "22102", "2210201", "2210")] == ["类", "款", "项", None]


def test_names_of_classes_and_printed_items() -> None:
    assert codes.name_of("208") == "社会保障和就业支出"
    assert codes.name_of("229") == "其他支出"
    assert codes.name_of("232") == "债务付息支出"
    assert codes.name_of("301") == "工资福利支出"
    assert codes.name_of("310") == "资本性支出"
    assert codes.name_of("399") == "其他支出"
    assert codes.name_of("501") == "机关工资福利支出"
    assert codes.name_of("599") == "其他支出"
    assert codes.name_of("30101") == "基本工资"  # seed 003, 上海 and 江苏 tables
    assert codes.name_of("50101") == "工资奖金津补贴"  # seed 003's 政府经济分类
    assert codes.name_of("218") is None  # not stated here: no guessing
    assert codes.class_name("2080101") == "社会保障和就业支出"
    assert codes.class_name("30239") == "商品和服务支出"


def test_every_class_is_three_digits_of_its_own_kind() -> None:
    for kind in ("function", "economic_dept", "economic_gov"):
        for code in codes.names(kind):
            assert codes.code_kind(code) == kind
            assert len(code) in (3, 5)


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("八、社会保障和就业", "208"),  # seed 003 收支总表, 支出 side
        ("（八）社会保障和就业支出", "208"),
        ("十五、资源勘探信息等", "215"),  # the older name, seed 003
        ("五、资源勘探工业信息等支出", "215"),
        ("（九）医疗卫生与计划生育支出", "210"),
        ("十、卫生健康", "210"),
        ("二十七、预备费", "227"),
        ("（三十四）抗疫特别国债安排的支出", "234"),
        ("十七、金融", "217"),
        ("一、基本支出", None),
        ("二、上年结转", None),
    ],
)
def test_function_class_by_printed_name(printed: str, code: str | None) -> None:
    assert codes.function_class_by_name(printed) == code


def test_every_function_class_name_resolves_to_its_code() -> None:
    for code, name in codes.names("function").items():
        assert codes.function_class_by_name(name) == code
