"""The shared indicator-block reader on the real seeds (declarations and a scored self-evaluation)."""

from __future__ import annotations

import doctest
from collections import Counter
from decimal import Decimal
from functools import cache

import pytest

from jixiao.ingest.forms import indicator_table
from jixiao.ingest.forms.cells import target_strength
from jixiao.ingest.forms.indicator_table import (
    HeaderMap,
    find_indicator_header,
    read_indicator_rows,
)
from jixiao.ingest.readers.text import read_text
from jixiao.ingest.source import Cell, SourceDocument, Table
from jixiao.model.findings import Finding
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc, cell_name
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004


@cache
def _document(path: str) -> SourceDocument:
    with open(path, "rb") as handle:
        return read_text(handle.read(), path.rsplit("/", 1)[-1])


def _read(path: object, table_index: int) -> tuple[HeaderMap, list[Indicator], list[Finding]]:
    table = _document(str(path)).tables[table_index - 1]
    header = find_indicator_header(table)
    assert header is not None
    indicators, findings = read_indicator_rows(table, header)
    return header, indicators, findings


def _by_name(indicators: list[Indicator]) -> dict[str, Indicator]:
    return {i.name: i for i in indicators}


def test_module_example_runs() -> None:
    assert doctest.testmod(indicator_table).failed == 0


def test_header_columns_are_mapped_by_their_words() -> None:
    header, _, _ = _read(SEED_000, 1)
    assert header.row == 26
    assert dict(header.columns) == {
        "level1": 1,
        "level2": 2,
        "name": 3,
        "target": 4,
        "explanation": 5,
        "formula": 6,  # 指标说明 beside 指标解释 holds the formulas
    }
    assert not header.is_scored


def test_header_with_short_words_and_a_level_name_printed_inside_it() -> None:
    header, _, _ = _read(SEED_004, 1)
    assert (header.row, header.col("level1"), header.col("name"), header.col("explanation")) == (16, 2, 4, 6)
    assert header.marks == ((16, 1, "数量指标"),)


def test_scored_header_separates_the_level1_weight_from_the_indicator_weight() -> None:
    header, _, _ = _read(SEED_002, 4)
    assert header.is_scored
    assert {
        k: header.col(k) for k in ("level1_weight", "weight", "actual", "score", "deviation", "explanation")
    } == {
        "level1_weight": 2,
        "weight": 8,
        "actual": 7,
        "score": 9,
        "deviation": 10,
        "explanation": 6,  # 指标说明 alone is the explanation
    }


def test_vertical_header_of_a_form_exported_one_cell_per_row() -> None:
    header, _, _ = _read(SEED_004, 3)
    assert (header.first_row, header.row) == (13, 16)
    assert header.vertical == ("target", "explanation", "previous")


def test_no_header_in_a_table_without_indicators() -> None:
    assert find_indicator_header(_document(str(SEED_003)).tables[0]) is None


def test_zhengzhou_tree_is_inherited_across_blank_cells() -> None:
    """Rows 27–70 of the 000 table, 44 indicators: 履职效能 7, 管理效率 18 (with the shifted row 51),
    运行成本 6, 服务满意 5, 可持续性 8."""
    _, indicators, _ = _read(SEED_000, 1)
    assert len(indicators) == 44
    assert Counter(i.level1 for i in indicators) == {
        "履职效能": 7,
        "管理效率": 18,
        "运行成本": 6,
        "服务满意": 5,
        "可持续性": 8,
    }
    assert all(i.level2 for i in indicators)
    assert [i.loc.row for i in indicators if i.loc] == list(range(27, 71))


def test_values_found_in_the_explanation_column_are_put_back() -> None:
    _, indicators, findings = _read(SEED_000, 1)
    rows = _by_name(indicators)
    adjustment = rows["预算调整率"]
    assert adjustment.target.raw == "≤5%"
    assert adjustment.explanation is None
    assert adjustment.cells["target"].col == 5  # the cell it was really printed in
    carry_over = rows["结转结余变动率"]
    assert carry_over.target.raw == "≤5%"
    assert carry_over.formula is not None and carry_over.formula.startswith("结转结余变动率=")
    assert carry_over.explanation is None
    assert rows["预算执行率"].target.raw == ""  # left empty by the form, kept empty
    assert {(f.code, f.locations[0].row) for f in findings if f.code == "F040"} >= {
        ("F040", 37),
        ("F040", 38),
    }


def test_a_row_shifted_two_columns_left_is_still_a_level3_indicator() -> None:
    _, indicators, findings = _read(SEED_000, 1)
    row = _by_name(indicators)["管理制度建设成效"]
    assert (row.level1, row.level2, row.target.raw) == ("管理效率", "基础管理", "明显")
    shifted = [f for f in findings if f.code == "F002"]
    assert [f.locations[0].row for f in shifted] == [51]
    assert "左移 2 列" in shifted[0].message


def test_guizhou_levels_printed_in_odd_places_are_placed_by_vocabulary() -> None:
    """004 表1 rows 17–59: 数量 20 (17–36), 质量 17 (37–53), 时效 3, 社会效益 2, 满意度 1."""
    _, indicators, findings = _read(SEED_004, 1)
    assert Counter((i.level1, i.level2) for i in indicators) == {
        ("产出指标", "数量指标"): 20,
        ("产出指标", "质量指标"): 17,
        ("产出指标", "时效指标"): 3,
        ("效益指标", "社会效益指标"): 2,
        ("满意度指标", "服务对象满意度指标"): 1,
    }
    rows = _by_name(indicators)
    assert rows["实施“三支一扶”招募"].target.raw == "≥1次"  # printed three columns left
    assert rows["招募“三支一扶”人员人数"].target.raw == "≥15人"
    assert rows["完成2023年全区事业单位年度考核工作"].target.raw == "≅11500人"
    assert rows["落实“六稳六保”"].target.raw == "1"
    assert sorted(f.locations[0].row or 0 for f in findings if f.code == "F002") == [
        29, 30, 31, 32, 33, 34, 35, 36, 53, 57, 58, 59,
    ]  # fmt: skip


def test_level1_printed_mid_block_covers_the_whole_block() -> None:
    """003: 投入管理指标 is printed on row 28, 产出指标 on row 40, 效益指标 on row 44 (page-split merged
    cells); each covers its block from the first 二级 group on."""
    _, indicators, _ = _read(SEED_003, 8)
    level1_by_row = {i.loc.row: i.level1 for i in indicators if i.loc and i.loc.row}
    assert {r for r, name in level1_by_row.items() if name == "投入管理指标"} == set(range(17, 37))
    assert {r for r, name in level1_by_row.items() if name == "产出指标"} == set(range(37, 44))
    assert {r for r, name in level1_by_row.items() if name == "效益指标"} == {44, 45}
    rows = _by_name(indicators)
    # '重点工作任务完' + '成' on a later row is one wrapped 二级 name
    assert rows["深化管理体制机制改革"].level2 == "重点工作任务完成"
    assert rows["开展根治欠薪专项行动"].level2 == "重点工作任务完成"
    assert rows["绩效目标编制完成率"].level2 == "绩效管理"  # printed one column right
    assert rows["决算真实性"].target.raw == "真实"  # printed one column left
    assert len(indicators) == 29


def test_sequential_reading_of_a_form_exported_one_cell_per_row() -> None:
    _, indicators, findings = _read(SEED_004, 3)
    assert [i.name for i in indicators] == [
        "享受公益性岗位补贴人数",
        "就业援助对象认定准确率",
        "补贴发放准确率",
        "完成时限",
        "公益性岗位补贴人均标准",
        "帮扶就业困难人员",
        "就业困难家庭帮扶率",
        "促进就业，维护稳定",
        "社会公众或服务对象满意度",
        "社会公众或服务对象满意度",
    ]
    rows = _by_name(indicators)
    assert (rows["享受公益性岗位补贴人数"].level1, rows["享受公益性岗位补贴人数"].target.raw) == (
        "产出指标",
        "≅700",
    )
    assert rows["完成时限"].target.raw == "≅12月"
    standard = rows["公益性岗位补贴人均标准"]
    assert (standard.level2, standard.target.raw, standard.previous) == (
        "成本指标",
        "岗位补贴:2004元/人/月,1002元/人/月",
        "1002元/人/月、2004元/人/月",
    )
    assert rows["就业困难家庭帮扶率"].level1 == "效益指标"
    assert rows["社会公众或服务对象满意度"].level1 == "满意度指标"
    assert [f.code for f in findings] == ["F042"]


def test_scored_table_reads_actuals_weights_and_scores() -> None:
    """002 表3-2: 32 scored rows; weights 投入 30 + 产出 25 + 效益 35 = 90 (预算执行率 10 is elsewhere).
    The export lost the 得分 of two rows pushed one column right (rows 17 and 21)."""
    _, indicators, _ = _read(SEED_002, 2)
    assert len(indicators) == 32
    assert sum((i.weight or Decimal(0) for i in indicators), Decimal(0)) == Decimal(90)
    assert [i.loc.row for i in indicators if i.score is None and i.loc] == [17, 21]
    satisfaction = _by_name(indicators)["群众满意度"]
    assert (satisfaction.level1, satisfaction.actual_raw, satisfaction.weight, satisfaction.score) == (
        "效益指标",
        "98%",
        Decimal(15),
        Decimal(14),
    )
    moved = _by_name(indicators)["重点工作 2 计划完成率"]  # name printed in the 一级 column
    assert (moved.level1, moved.level2, moved.target.raw, moved.score) == (
        "产出指标",
        "重点工作任务完成",
        "100%",
        Decimal(2),
    )


def test_self_evaluation_rows_cut_by_page_breaks_are_joined() -> None:
    _, indicators, _ = _read(SEED_002, 4)
    rows = _by_name(indicators)
    assert "年度工作目标3实现率" in rows  # '年度工作' + '目标3实现率' on the next page
    assert [i.level1_weight for i in indicators if i.level1_weight is not None] == [
        Decimal(30),
        Decimal(25),
        Decimal(35),
    ]
    reasonable = rows["绩效指标合理性"]
    assert reasonable.explanation is not None
    assert "3.工作任务预算项目绩效指标的评价标准" in reasonable.explanation  # the row after the break
    assert reasonable.explanation.endswith("计划数相对应。")
    assert len(indicators) == 32


def test_other_column_orders_and_extra_columns() -> None:
    text = (
        "序号\t一级指标\t二级指标\t三级指标\t指标性质\t计量单位\t指标值\t指标方向\t上年实际完成\n"
        "1\t产出指标\t数量指标\t培训人次\t定量\t人次\t≥500\t正向\t480\n"
        "2\t\t质量指标\t合格率\t定量\t%\t≥90\t正向\t\n"
        "3\t成本指标\t经济成本指标\t人均成本\t定量\t元\t≤800\t反向\t820\n"
    )
    table = read_text(text.encode(), "order.txt").tables[0]
    header = find_indicator_header(table)
    assert header is not None
    indicators, findings = read_indicator_rows(table, header)
    assert header.col("previous") == 9 and header.col("actual") is None  # 上年实际完成 is no actual
    assert [
        (i.level1, i.level2, i.name, i.unit, i.nature, i.direction, i.target.raw, i.previous)
        for i in indicators
    ] == [
        ("产出指标", "数量指标", "培训人次", "人次", "定量", "正向", "≥500人次", "480"),
        ("产出指标", "质量指标", "合格率", "%", "定量", "正向", "≥90%", None),
        ("成本指标", "经济成本指标", "人均成本", "元", "定量", "反向", "≤800元", "820"),
    ]  # the 计量单位 column completes the 指标值: ≥90 with % is ≥90%
    assert indicators[1].target.value == 90 and indicators[1].target.unit == "%"
    assert findings == []


def test_sign_value_and_unit_printed_in_columns_of_their_own() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t运算符号\t指标值\t计量单位\n"
        "产出指标\t数量指标\t培训人次\t≥\t500\t人次\n"
        "\t时效指标\t完成时间\t\t及时\t\n"
        "效益指标\t满意度指标\t群众满意度\t≥\t≥95%\t%\n"
    )
    table = read_text(text.encode(), "signs.txt").tables[0]
    header = find_indicator_header(table)
    assert header is not None
    indicators, _ = read_indicator_rows(table, header)
    assert [(i.target.raw, i.target.op.value if i.target.op else None) for i in indicators] == [
        ("≥500人次", "≥"),
        ("及时", None),
        ("≥95%", "≥"),  # nothing added twice
    ]


def _grid(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Table:
    """A table as a grid reader builds it: merge anchors carry spans, covered cells point at them."""
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for top, left, bottom, right in merges:
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    covered[(r, c)] = (top, left)
    cells = [
        [
            Cell(
                text=text,
                row=r,
                col=c,
                loc=Loc(file="grid.xlsx", sheet="表", table=1, row=r, col=c, cell=cell_name(r, c)),
                covered_by=covered.get((r, c)),
            )
            for c, text in enumerate(row, start=1)
        ]
        for r, row in enumerate(rows, start=1)
    ]
    return Table(index=1, rows=cells, loc=Loc(file="grid.xlsx", sheet="表", table=1))


def test_covered_cells_take_their_merge_anchor() -> None:
    table = _grid(
        [
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "培训人次", "≥500人次"],
            ["", "", "发放人数", "≥100人"],
            ["", "时效指标", "发放及时率", "100%"],
            ["履职效能", "整体工作完成", "工作完成率", "100%"],
            ["", "", "重点工作完成率", "100%"],
        ],
        merges=[(2, 1, 4, 1), (2, 2, 3, 2), (5, 1, 6, 1), (5, 2, 6, 2)],
    )
    header = find_indicator_header(table)
    assert header is not None
    indicators, _ = read_indicator_rows(table, header)
    assert [(i.level1, i.level2) for i in indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "时效指标"),
        ("履职效能", "整体工作完成"),
        ("履职效能", "整体工作完成"),
    ]
    assert indicators[2].cells["level1"].cell == "A2"  # provenance: the anchor, not the blank


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("≥95%", 2),
        ("1", 2),
        ("0.6", 2),
        ("12月底之前", 2),
        ("2024年12底之前", 2),
        ("合规", 2),
        ("得以保障", 2),
        ("≅4250人，平均2000元/年/人", 2),
        ("岗位补贴:2004元/人/月,1002元/人/月", 1),
        ("完成时限", 0),
        ("决算真实性", 0),
        ("预算调整率=(预算调整数/预算数)×100%", 0),
        ("2023年事业单位公开招聘", 0),
    ],
)
def test_target_likeness(text: str, strength: int) -> None:
    assert target_strength(text) == strength
