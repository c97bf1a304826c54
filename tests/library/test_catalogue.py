"""The catalogue built from the seeds: usage, typical 指标值, direction, levels, search."""

from __future__ import annotations

from decimal import Decimal

from jixiao.library import Catalogue, Use, direction_of, target_text, uses_of
from jixiao.model.values import parse_target
from tests.conftest import SEED_003, load_document
from tests.library.conftest import all_seed_uses, seed_catalogue


def test_uses_count_a_project_printed_twice_once() -> None:
    # seed 003's summary lists 退役军人服务工作经费 twice (two project codes), with the same indicators
    document, _ = load_document(SEED_003)
    uses = [u for u in uses_of(document) if u.project == "退役军人服务工作经费"]
    assert [u.name for u in uses] == [
        "开展宣传活动数",
        "组织培训期数",
        "培训学院出勤率",
        "宣传活动组织开展及时率",
        "培训工作开展及时率",
        "宣传活动普及人次",
        "活动参与人员满意度",
    ]
    assert all(u.form == "project_target_summary" and u.level1 for u in uses)


def test_satisfaction_entry_of_the_seeds() -> None:
    entry = seed_catalogue().get("服务对象满意度")
    assert entry is not None
    # 004: 部门整体 + 公益性岗位补贴 (printed twice there, counted once); 003: three projects at 100%
    assert entry.usage == 5
    assert entry.project_count == 4
    assert (entry.typical, entry.typical_value, entry.unit, entry.direction) == (
        "100%",
        Decimal("100"),
        "%",
        "正向",
    )
    assert entry.level1 == "满意度指标"
    assert ("满意度指标", None) in entry.levels  # the 003 summary prints 一级 only
    assert "公益性岗位补贴" in entry.projects


def test_directions_from_comparators_and_kinds() -> None:
    catalogue = seed_catalogue()
    adjustment = catalogue.get("预算调整率")  # ≤5% (000), ≤10% (002), ≤30% (003)
    assert adjustment is not None
    assert (adjustment.usage, adjustment.direction, adjustment.comparator) == (3, "反向", "≤")
    assets = catalogue.get("资产管理规范性")
    assert assets is not None and (assets.direction, assets.typical, assets.unit) == ("定性", "规范", None)
    complaints = catalogue.get("群众满意度")  # ≥95% (000), ≥90% (002), ≥80% twice (003)
    assert complaints is not None and (complaints.typical, complaints.usage) == ("≥80%", 4)
    deadline = catalogue.get("招考完成时间")
    assert deadline is not None and (deadline.typical, deadline.direction) == ("12月底之前", "反向")


def test_direction_of_printed_column_wins() -> None:
    target = parse_target("≥95%")
    assert direction_of(Use("预算调整率", None, None, target, direction="反向")) == "反向"
    assert direction_of(Use("完成率", None, None, parse_target("90%-95%"))) == "区间"
    assert direction_of(Use("重要改革事项1", None, None, parse_target(""))) is None


def test_target_text_prints_like_a_form() -> None:
    assert target_text(parse_target("≥95%")) == "≥95%"
    assert target_text(parse_target("0.6", indicator="劳动力稳定就业率")) == "60%"
    assert target_text(parse_target("≤30万元")) == "≤30万元"
    assert target_text(parse_target("有效推动")) == "有效推动"
    assert target_text(parse_target("岗位补贴:2004元/人/月,1002元/人/月")) is None


def test_catalogue_is_deterministic() -> None:
    uses = all_seed_uses()
    first = [(e.key, e.usage, e.typical) for e in Catalogue.build(uses)]
    again = [(e.key, e.usage, e.typical) for e in Catalogue.build(uses)]
    assert first == again
    assert len(first) == len({key for key, _, _ in first})


def test_search_finds_variants_and_ranks_exact_first() -> None:
    catalogue = seed_catalogue()
    found = [e.key for e in catalogue.search("服务对象满意率")]  # the ending synonym applies to queries
    assert found[0] == "服务对象满意度"
    satisfaction = [e.key for e in catalogue.search("满意")]
    assert "代缴满意度" in satisfaction and "群众满意度" in satisfaction
    assert all("满意" in key or "满意" in "".join(catalogue.get(key).names) for key in satisfaction)  # type: ignore[union-attr]
    # a level name finds the indicators under it
    assert "报考人数" in [e.key for e in catalogue.search("数量指标")]
    assert catalogue.search("完全无关的词语") == []
