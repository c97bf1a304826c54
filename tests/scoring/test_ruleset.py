"""Rulesets are data: the shipped ones load, a user's file works, a broken one names the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.scoring import RulesetError, builtin_rulesets, load_ruleset, ruleset_names
from jixiao.scoring.ruleset import RULESET_SUFFIX

HENAN = Path(__file__).resolve().parents[2] / "src/jixiao/scoring/rulesets/henan-dept.toml"


def test_the_shipped_rulesets() -> None:
    assert ruleset_names() == ["henan-dept", "national-dept", "national-project"]
    project = load_ruleset("national-project")
    assert project.budget_execution is not None and project.budget_execution.weight == 10
    assert [(level.name, level.weight) for level in project.levels] == [
        ("产出指标", Decimal(50)),
        ("效益指标", Decimal(30)),
        ("满意度指标", Decimal(10)),
    ]
    henan = load_ruleset("henan-dept")
    assert [(level.name, level.weight) for level in henan.levels] == [
        ("投入管理指标", Decimal(30)),
        ("产出指标", Decimal(25)),
        ("效益指标", Decimal(35)),
    ]
    assert [(d.indicators[0], d.per_point) for d in henan.deductions] == [
        ("预算调整率", Decimal(5)),
        ("三公经费控制率", Decimal(2)),
    ]
    assert [(t.name, t.low, t.high) for t in henan.tiers] == [
        ("达成", 80, 100),
        ("部分达成", 60, 80),
        ("未达成", 0, 60),
    ]
    for ruleset in builtin_rulesets():
        assert [ruleset.grade(Decimal(x)) for x in (100, 90, "89.99", 80, 60, "59.9", 0)] == [
            "优",
            "优",
            "良",
            "良",
            "中",
            "差",
            "差",
        ]


def test_a_level_is_found_by_its_printed_names() -> None:
    ruleset = load_ruleset("national-dept")
    assert ruleset.level_for("一、产出指标") is ruleset.levels[0]
    assert ruleset.level_for("履职效能") is ruleset.levels[0]
    assert ruleset.level_for("服务满意") is ruleset.levels[2]
    assert ruleset.level_for("投入管理指标") is None


def test_a_users_own_ruleset_needs_no_code(tmp_path: Path) -> None:
    text = HENAN.read_text(encoding="utf-8").replace('name = "henan-dept"', 'name = "my-province"')
    path = tmp_path / f"my-province{RULESET_SUFFIX}"
    path.write_text(text, encoding="utf-8")
    assert load_ruleset(path).name == "my-province"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("weight = 25", 'weight = "二十五"'), "levels[1].weight：应为数字"),
        (("per_point = 5", "per_pont = 5"), "deductions[0].per_pont：不认识的键（拼写错误？）"),
        (("weight = 35", "weight = 40"), "各一级指标分值与预算执行分值之和为 105，应等于总分 100"),
        (('scope = "dept"', 'scope = "county"'), "scope：取值不在允许范围内"),
        (("default = 70", "default = 90"), "tiers[1]"),
        (('name = "henan-dept"', "name = "), "不是有效的 TOML"),
    ],
)
def test_a_broken_ruleset_names_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / f"broken{RULESET_SUFFIX}"
    path.write_text(HENAN.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_ruleset(path)
    assert "broken.toml" in error.value.message and message in error.value.message


def test_an_unknown_ruleset_lists_the_known_ones() -> None:
    with pytest.raises(RulesetError, match="henan-dept、national-dept、national-project"):
        load_ruleset("guangdong")


def test_every_shipped_ruleset_and_key_is_documented() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text(encoding="utf-8")
    for name in ruleset_names():
        assert f"`{name}`" in text
    for key in ("detect", "total", "budget_execution", "levels", "tiers", "deductions", "grades", "places"):
        assert key in text
