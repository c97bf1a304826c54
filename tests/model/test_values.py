"""指标值 / 实际完成值 parsing: every form seen in the seeds, and properties over generated values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao.ingest.readers.text import read_text
from jixiao.model.target import Comparator, Target, TargetKind
from jixiao.model.values import (
    NOTE_AMBIGUOUS_MONTH,
    NOTE_CALENDAR,
    NOTE_EMPTY,
    NOTE_FREE_TEXT,
    NOTE_NAME_AS_VALUE,
    NOTE_NO_UNIT,
    NOTE_PLACEHOLDER,
    NOTE_RATIO_DECIMAL,
    NOTE_RATIO_PERCENT,
    NOTE_REDUNDANT,
    NOTE_UNIT_FROM_TARGET,
    has_note,
    is_ratio_indicator,
    name_direction,
    parse_actual,
    parse_target,
    target_direction,
)
from tests.conftest import SEEDS

GE, GT, LE, LT, EQ, APPROX, RANGE = (
    Comparator.GE,
    Comparator.GT,
    Comparator.LE,
    Comparator.LT,
    Comparator.EQ,
    Comparator.APPROX,
    Comparator.RANGE,
)
Q, R, D = TargetKind.QUANTITY, TargetKind.RATIO, TargetKind.DEADLINE


@pytest.mark.parametrize(
    ("raw", "kind", "op", "value", "unit"),
    [
        ("≥95%", R, GE, "95", "%"),
        ("≤30万元", Q, LE, "30", "万元"),
        ("100%", R, EQ, "100", "%"),
        ("≥100%", R, GE, "100", "%"),
        ("≥1万人以上", Q, GE, "1", "万人"),
        ("≅11500人", Q, APPROX, "11500", "人"),
        ("≅1次", Q, APPROX, "1", "次"),
        ("≈13000件、次", Q, APPROX, "13000", "件次"),
        ("≈10000份", Q, APPROX, "10000", "份"),
        (">80%", R, GT, "80", "%"),
        ("＞80％", R, GT, "80", "%"),
        ("≥20000人次", Q, GE, "20000", "人次"),
        ("≥1次", Q, GE, "1", "次"),
        ("≥24小时", Q, GE, "24", "小时"),
        ("≥300个", Q, GE, "300", "个"),
        ("100分", Q, EQ, "100", "分"),
        ("98.95%", R, EQ, "98.95", "%"),
        ("20.30%", R, EQ, "20.30", "%"),
        ("14.40%", R, EQ, "14.40", "%"),
        ("(100%)", R, EQ, "100", "%"),
        ("（0.1%）", R, EQ, "0.1", "%"),
        ("≤5%", R, LE, "5", "%"),
        ("-5%", R, EQ, "-5", "%"),
        ("100元/每人", Q, EQ, "100", "元/人"),
        ("≤24月", D, LE, "24", "月"),
        ("≤12个月", D, LE, "12", "月"),
        ("不低于95%", R, GE, "95", "%"),
        ("不少于200人次", Q, GE, "200", "人次"),
        ("至少3次", Q, GE, "3", "次"),
        ("95%以上", R, GE, "95", "%"),
        ("不高于5%", R, LE, "5", "%"),
        ("不超过30万元", Q, LE, "30", "万元"),
        ("30万元以内", Q, LE, "30", "万元"),
        ("30万元以下", Q, LE, "30", "万元"),
        ("低于1%", R, LE, "1", "%"),
        ("大于90%", R, GT, "90", "%"),
        ("小于2%", R, LT, "2", "%"),
        ("约100人", Q, APPROX, "100", "人"),
        ("100人左右", Q, APPROX, "100", "人"),
        ("= 100 %", R, EQ, "100", "%"),
        ("≥ 95 ％", R, GE, "95", "%"),
        (">=95%", R, GE, "95", "%"),
        ("＞＝９５％", R, GE, "95", "%"),
        ("≧95%", R, GE, "95", "%"),
        ("两次", Q, EQ, "2", "次"),
        ("1,000件", Q, EQ, "1000", "件"),
        ("500余人", Q, GE, "500", "人"),
    ],
)
def test_single_values(raw: str, kind: TargetKind, op: Comparator, value: str, unit: str) -> None:
    target = parse_target(raw)
    assert (target.kind, target.op, target.value, target.unit) == (kind, op, Decimal(value), unit)
    assert target.raw == raw
    assert target.is_measurable


def test_redundant_and_normalised_spellings_are_noted() -> None:
    assert has_note(parse_target("≥1万人以上"), NOTE_REDUNDANT)
    assert any("件、次" in n for n in parse_target("≈13000件、次").notes)
    assert any("元/每人" in n for n in parse_target("100元/每人").notes)
    assert any("个月" in n for n in parse_target("≤12个月").notes)
    assert any("括号" in n for n in parse_target("(100%)").notes)
    assert any("“不低于”按“≥”理解" in n for n in parse_target("不低于95%").notes)
    assert parse_target("≥95%").notes == ()


def test_numbers_without_unit_are_noted() -> None:
    target = parse_target("≥20000")
    assert (target.kind, target.op, target.value, target.unit) == (Q, GE, Decimal(20000), None)
    assert has_note(target, NOTE_NO_UNIT)
    zero = parse_target("0")
    assert (zero.kind, zero.value, zero.unit) == (Q, Decimal(0), None)
    assert has_note(zero, NOTE_NO_UNIT)


@pytest.mark.parametrize(
    ("raw", "indicator", "value"),
    [
        ("1", "劳动力就业帮扶率", "100"),
        ("0.6", "劳动力稳定就业率", "60"),
        ("1", "单位在职人员培训合格率", "100"),
        ("0", "离退休人员经费变动率", "0"),
        ("≥0.9", "合格率", "90"),
        ("1", "服务对象满意度", "100"),
    ],
)
def test_bare_decimals_in_ratio_context(raw: str, indicator: str, value: str) -> None:
    target = parse_target(raw, indicator)
    assert (target.kind, target.value, target.unit) == (R, Decimal(value), "%")
    assert has_note(target, NOTE_RATIO_DECIMAL)


def test_ratio_hint_overrides_the_name() -> None:
    assert parse_target("0.6", ratio_hint=True).value == Decimal(60)
    assert parse_target("1", ratio_hint=True).value == Decimal(100)
    assert parse_target("1").kind is Q  # no context: a bare 1 is not a ratio
    kept = parse_target("0.99", "人力资源促进社会和谐发展", ratio_hint=False)
    assert (kept.kind, kept.value) == (Q, Decimal("0.99"))
    percent = parse_target("95", "群众满意度")
    assert (percent.kind, percent.value, percent.unit) == (R, Decimal(95), "%")
    assert has_note(percent, NOTE_RATIO_PERCENT)


def test_a_decimal_below_one_is_a_ratio_unless_the_name_is_an_amount() -> None:
    target = parse_target("0.99", "人力资源促进社会和谐发展")  # seed 004, 社会效益指标
    assert (target.kind, target.value, target.unit) == (R, Decimal(99), "%")
    amount = parse_target("0.5", "补贴金额")
    assert (amount.kind, amount.value, amount.unit) == (Q, Decimal("0.5"), None)


def test_ratio_indicator_names() -> None:
    assert is_ratio_indicator("预算执行率")
    assert is_ratio_indicator("群众满意度")
    assert is_ratio_indicator("通过银行授信评级发放创业担保贷款占比")
    assert not is_ratio_indicator("2023年度")
    assert not is_ratio_indicator("按时间进度")
    assert not is_ratio_indicator("培训人次")
    assert not is_ratio_indicator(None)


@pytest.mark.parametrize(
    ("raw", "op", "label", "month"),
    [
        ("12月底之前", LE, "--12", 12),
        ("2024年12底之前", LE, "2024-12", 12),
        ("2023年12月31日前", LE, "2023-12-31", 12),
        ("年底前", LE, "--12", 12),
        ("2023年底前完成", LE, "2023-12", 12),
        ("2023.12.31前", LE, "2023-12-31", 12),
        ("6月30日前", LE, "--06-30", 6),
        ("2023年6月", EQ, "2023-06", 6),
        ("次年2月", EQ, "次年-02", 14),  # next year's months follow this year's
        ("明年3月底前", LE, "次年-03", 15),
    ],
)
def test_calendar_deadlines(raw: str, op: Comparator, label: str, month: int) -> None:
    target = parse_target(raw)
    assert (target.kind, target.op, target.label, target.value, target.unit) == (
        D,
        op,
        label,
        Decimal(month),
        "月份",
    )
    assert has_note(target, NOTE_CALENDAR)
    assert target.is_measurable


def test_month_without_comparator_depends_on_the_indicator() -> None:
    limit = parse_target("≅12月", "完成时限")  # seed 004: a time limit of about 12 months
    assert (limit.kind, limit.op, limit.value, limit.unit) == (D, APPROX, Decimal(12), "月")
    assert has_note(limit, NOTE_AMBIGUOUS_MONTH)
    point = parse_target("12月", "招考完成时间")
    assert (point.kind, point.label, point.unit) == (D, "--12", "月份")
    bare = parse_target("12月")
    assert (bare.kind, bare.value, bare.unit) == (Q, Decimal(12), "月")
    assert any("2024年12底" in n or "缺少“月”字" in n for n in parse_target("2024年12底之前").notes)


@pytest.mark.parametrize(
    ("raw", "low", "high", "unit"),
    [
        ("90%-95%", "90", "95", "%"),
        ("90%～95%", "90", "95", "%"),
        ("90%~95%", "90", "95", "%"),
        ("90%至95%", "90", "95", "%"),
        ("90%—95%", "90", "95", "%"),
        ("90-95%", "90", "95", "%"),
        ("1-3次", "1", "3", "次"),
        ("95%-90%", "90", "95", "%"),
    ],
)
def test_ranges(raw: str, low: str, high: str, unit: str) -> None:
    target = parse_target(raw)
    assert (target.op, target.low, target.high, target.unit, target.value) == (
        RANGE,
        Decimal(low),
        Decimal(high),
        unit,
        None,
    )
    assert target.is_measurable


def test_several_values_in_one_cell_become_parts() -> None:
    subsidy = parse_target("岗位补贴:2004元/人/月,1002元/人/月")
    assert subsidy.kind is Q and subsidy.unit == "元/人/月" and subsidy.is_measurable
    assert [(p.value, p.unit, p.label) for p in subsidy.parts] == [
        (Decimal(2004), "元/人/月", "岗位补贴"),
        (Decimal(1002), "元/人/月", "岗位补贴"),
    ]
    assert [p.raw for p in subsidy.parts] == ["岗位补贴:2004元/人/月", "1002元/人/月"]

    aid = parse_target("助学金平均2000元/年/人,免学费2000元/年/人,教育精准扶贫资助1900元/年/人")
    assert [(p.label, p.value) for p in aid.parts] == [
        ("助学金", Decimal(2000)),
        ("免学费", Decimal(2000)),
        ("教育精准扶贫资助", Decimal(1900)),
    ]
    assert aid.unit == "元/年/人"

    mixed = parse_target("≅4250人，平均2000元/年/人")
    assert [(p.op, p.value, p.unit) for p in mixed.parts] == [
        (APPROX, Decimal(4250), "人"),
        (EQ, Decimal(2000), "元/年/人"),
    ]
    assert mixed.unit is None and mixed.is_measurable

    listed = parse_target("1002元/人/月、2004元/人/月")
    assert [p.value for p in listed.parts] == [Decimal(1002), Decimal(2004)]


def test_free_text_keeps_its_measurable_parts() -> None:
    target = parse_target("预完成100件案件庭审笔录及50件调解笔录，当期结案率≥90%")
    assert target.kind is TargetKind.TEXT
    assert has_note(target, NOTE_FREE_TEXT)
    assert [(p.kind, p.op, p.value, p.unit, p.label) for p in target.parts] == [
        (Q, EQ, Decimal(100), "件", "案件庭审笔录"),
        (Q, EQ, Decimal(50), "件", "调解笔录"),
        (R, GE, Decimal(90), "%", "当期结案率"),
    ]
    assert target.parts[2].raw == "≥90%"
    prose = parse_target("2023年事业招考预计报名人数预计2.3万人，组织事业单位招考笔考场750个，30个面试考场")
    assert [(p.value, p.unit) for p in prose.parts] == [
        (Decimal("2.3"), "万人"),
        (Decimal(750), "个"),
        (Decimal(30), "个"),
    ]
    labelled = parse_target("实际人数100%")
    assert (labelled.kind, labelled.value, labelled.label) == (R, Decimal(100), "实际人数")


@pytest.mark.parametrize(
    "word",
    [
        "充分", "合理", "有效", "完整", "规范", "及时", "显著", "提高", "健全", "完成", "良好", "相关", "科学", "合规",
        "真实", "公开", "明显", "完备", "符合要求", "得以保障", "有效推动", "有效促进", "效果明显", "持续", "增长",
        "提升", "保障", "一般合理", "促进", "整治", "达标", "是",
    ],
)  # fmt: skip
def test_qualitative_grades(word: str) -> None:
    target = parse_target(word)
    assert (target.kind, target.label, target.value) == (TargetKind.QUALITATIVE, word, None)
    assert target.is_measurable


@pytest.mark.parametrize("raw", ["重要改革事项1", "重点创新事项2", "*", "XX", "x,xxx", "XX%", "xx人", "待定"])
def test_placeholders_are_missing(raw: str) -> None:
    target = parse_target(raw)
    assert target.kind is TargetKind.MISSING and has_note(target, NOTE_PLACEHOLDER)
    assert not target.is_measurable


@pytest.mark.parametrize("raw", ["", "   ", "——", "—", "-", "--", "/", "无", "…", None])
def test_blanks_are_missing(raw: str | None) -> None:
    target = parse_target(raw)
    assert target.kind is TargetKind.MISSING and has_note(target, NOTE_EMPTY)
    assert target.raw == (raw or "")


@pytest.mark.parametrize(
    "raw",
    [
        "补助退役士兵生活",
        "举办开幕式、数字论坛、创新创业论坛、政策体验、数字人才招聘",
        "一月一主题月月有活动",
        "春秋两季实际入学学生中认定",
        "保障家庭经济困难学生顺利完成学业",
    ],
)
def test_long_sentences_are_text(raw: str) -> None:
    target = parse_target(raw)
    assert (target.kind, target.parts) == (TargetKind.TEXT, ())
    assert not target.is_measurable


def test_every_comparator_cell_of_the_seeds_is_measurable() -> None:
    """Each cell of the seeds that starts with a comparator parses to a number with that comparator."""
    seen = 0
    for path in sorted(SEEDS.glob("*.txt")):
        doc = read_text(path.read_bytes(), path.name)
        for table in doc.tables:
            for row in table.rows:
                for cell in row:
                    if cell.text and cell.text[0] in "≥≤≅≈><" and len(cell.text) <= 12:
                        target = parse_target(cell.text)
                        assert target.is_measurable, cell.text
                        assert target.kind in (Q, R, D) and target.value is not None, cell.text
                        seen += 1
    assert seen == 138


@pytest.mark.parametrize(
    ("raw", "indicator", "kind", "op", "value", "unit", "label"),
    [
        # the Shanghai 财政项目支出绩效目标填报表 (corpus: sh-putuo-wanli-2023-bumen-yusuan.pdf)
        (">6.00(次)", None, Q, GT, "6.00", "次", None),
        ("≥100.00(人数)", None, Q, GE, "100.00", "人", None),
        ("=100.00(%)", None, R, EQ, "100.00", "%", None),
        ("=5.00(万人次)", None, Q, EQ, "5.00", "万人次", None),
        ("≥13459.00(平方米)", None, Q, GE, "13459.00", "平方米", None),
        ("90.00(度)", "特殊人员及群体满意", R, EQ, "90.00", "%", None),
        ("党员群众满意度不少于80%", None, R, GE, "80", "%", "党员群众满意度"),
        ("居民参与率不低于100%", None, R, GE, "100", "%", "居民参与率"),
        ("开展至少1次团体心理治疗", None, Q, GE, "1", "次", "团体心理治疗"),
        ("不低于50人次的个体心理咨询辅导", None, Q, GE, "50", "人次", "个体心理咨询辅导"),
        ("开展不低于5次的社区法治宣传活动", None, Q, GE, "5", "次", "社区法治宣传活动"),
    ],
)
def test_values_with_words_around_them(
    raw: str,
    indicator: str | None,
    kind: TargetKind,
    op: Comparator,
    value: str,
    unit: str,
    label: str | None,
) -> None:
    target = parse_target(raw, indicator)
    assert (target.kind, target.op, target.value, target.unit, target.label) == (
        kind,
        op,
        Decimal(value),
        unit,
        label,
    )
    assert str(target.value) == value


def test_an_indicator_name_in_the_value_column_is_not_a_grade() -> None:
    for raw in ("及时率", "完善率", "满意度"):
        target = parse_target(raw)
        assert target.kind is TargetKind.TEXT and has_note(target, NOTE_NAME_AS_VALUE)
    listed = parse_target("慰问人数不少于100人,宣传用品不少于20000份")
    assert [(p.label, p.op, p.value, p.unit) for p in listed.parts] == [
        ("慰问人数", GE, Decimal(100), "人"),
        ("宣传用品", GE, Decimal(20000), "份"),
    ]


def test_actual_values_read_against_their_target() -> None:
    target = parse_target("≥95%")
    assert parse_actual("98.95%", target).value == Decimal("98.95")
    bare = parse_actual("98.95", target)
    assert (bare.kind, bare.value, bare.unit) == (R, Decimal("98.95"), "%")
    assert has_note(bare, NOTE_RATIO_PERCENT)
    assert parse_actual("0.98", target).value == Decimal(98)
    assert parse_actual("(100%)", parse_target("100%")).value == Decimal(100)
    reverse = parse_actual("0.1", parse_target("≤10%"))
    assert (reverse.value, reverse.unit) == (Decimal("0.1"), "%")
    people = parse_actual("16911", parse_target("≥10000人"))
    assert (people.value, people.unit) == (Decimal(16911), "人")
    assert has_note(people, NOTE_UNIT_FROM_TARGET)
    assert parse_actual("16911", parse_target("≥1万人")).unit is None  # 16911 万人 would be absurd
    assert parse_actual("8.5", parse_target("≤30万元")).unit == "万元"
    assert parse_actual("一般合理", parse_target("合理")).label == "一般合理"
    assert parse_actual(None).kind is TargetKind.MISSING


@pytest.mark.parametrize(
    ("name", "raw", "direction"),
    [
        ("预算调整率", "≤30%", "reverse"),
        ("结转结余率", "≤20%", "reverse"),
        ("档案数字化登记差错率", "≤5%", "reverse"),
        ("品台软、硬件购买费用", "≤30万元", "reverse"),
        ("数字化平台建设时间", "≤24月", "reverse"),
        ("招考完成时间", "12月底之前", "reverse"),
        ("在职人员经费变动率", "20.30%", "reverse"),
        ("“三公经费”变动率", "0", "reverse"),
        ("报名费", "100元/每人", "reverse"),
        ("群众满意度", "≥95%", "forward"),
        ("农民工工资投诉案件数量", "≥1000件", "forward"),
        ("绩效目标编制完成率", "100%", "forward"),
        ("岗位聘任人员参加率", "100%", "forward"),
        ("档案的查阅、整理、归档情况", "≈10000份", "equal"),
        ("补贴标准", "2000元/年/人", "equal"),
        ("工资调整幅度", "90%-95%", "equal"),
        ("目标依据充分性", "充分", None),
    ],
)
def test_target_direction(name: str, raw: str, direction: str | None) -> None:
    assert target_direction(name, parse_target(raw, name)) == direction


def test_name_direction() -> None:
    assert name_direction("培训成本") == "reverse"
    assert name_direction("投诉处理满意度") == "forward"  # 满意度 wins over 投诉
    assert name_direction("培训人次") is None
    assert name_direction(None) is None


# -- properties ---------------------------------------------------------------------------------------

_SYMBOLS = {"≥": GE, ">": GT, "≤": LE, "<": LT, "=": EQ, "≈": APPROX, "≅": APPROX, "": EQ}
_PREFIXES = {
    "不低于": GE,
    "不少于": GE,
    "至少": GE,
    "不超过": LE,
    "不高于": LE,
    "大于": GT,
    "小于": LT,
    "约": APPROX,
}
_SUFFIXES = {"以上": GE, "以下": LE, "以内": LE, "左右": APPROX}
_UNITS = [
    "%",
    "人",
    "人次",
    "次",
    "件",
    "个",
    "万元",
    "元",
    "元/人/月",
    "天",
    "小时",
    "分",
    "家",
    "户",
    "万人",
    "项",
]
_FULL_WIDTH = str.maketrans("0123456789.,%<>=:()", "０１２３４５６７８９．，％＜＞＝：（）")

amounts = st.builds(
    lambda whole, fraction, places: Decimal(f"{whole}.{fraction:0{places}d}") if places else Decimal(whole),
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([0, 2]),
)


def _printed(value: Decimal) -> str:
    return format(value, "f")


@given(
    comparator=st.sampled_from(sorted(_SYMBOLS)),
    value=amounts,
    unit=st.sampled_from(_UNITS),
)
def test_formatted_values_parse_back(comparator: str, value: Decimal, unit: str) -> None:
    text = f"{comparator}{_printed(value)}{unit}"
    target = parse_target(text)
    assert (target.op, target.value, target.unit) == (_SYMBOLS[comparator], value, unit)
    assert str(target.value) == _printed(value)


@given(
    word=st.sampled_from(sorted(_PREFIXES) + sorted(_SUFFIXES)),
    value=amounts,
    unit=st.sampled_from(_UNITS),
)
def test_comparator_words_parse_back(word: str, value: Decimal, unit: str) -> None:
    if word in _PREFIXES:
        text, op = f"{word}{_printed(value)}{unit}", _PREFIXES[word]
    else:
        text, op = f"{_printed(value)}{unit}{word}", _SUFFIXES[word]
    target = parse_target(text)
    assert (target.op, target.value, target.unit) == (op, value, unit)


@given(comparator=st.sampled_from(sorted(_SYMBOLS)), value=amounts)
def test_values_without_unit_parse_back(comparator: str, value: Decimal) -> None:
    assume(not _looks_like_year_month(value))  # 2024.12 is read as a date: pinned below
    target = parse_target(f"{comparator}{_printed(value)}", ratio_hint=False)
    assert (target.op, target.value, target.unit) == (_SYMBOLS[comparator], value, None)
    assert has_note(target, NOTE_NO_UNIT)


@given(low=amounts, high=amounts, separator=st.sampled_from(["-", "～", "~", "至", "—"]))
def test_ranges_parse_back(low: Decimal, high: Decimal, separator: str) -> None:
    target = parse_target(f"{_printed(low)}%{separator}{_printed(high)}%")
    assert (target.op, target.low, target.high, target.unit) == (RANGE, min(low, high), max(low, high), "%")


@given(st.text(max_size=80))
@settings(max_examples=400)
def test_parsing_never_raises_and_keeps_raw(text: str) -> None:
    target = parse_target(text)
    assert target.raw == text
    assert parse_actual(text, target).raw == text
    assert target_direction(text, target) in ("forward", "reverse", "equal", None)


@given(st.text(alphabet="≥≤<>=≈%0123456789.,-~至以上下内万元人次件、/:（）()约不低于 \u3000", max_size=24))
@settings(max_examples=400)
def test_parsing_never_raises_on_value_like_text(text: str) -> None:
    assert parse_target(text).raw == text


@given(st.sampled_from(["0.1", "0.30", "1.05", "20.30", "98.95", "0.001", "12345.6789", "100"]))
def test_decimals_are_exact(printed: str) -> None:
    for text in (f"≥{printed}%", f"{printed}万元", f"约{printed}人"):
        value = parse_target(text).value
        assert value is not None and str(value) == printed


def _without_raw(target: Target) -> dict[str, Any]:
    data = target.model_dump()
    data.pop("raw")
    data["parts"] = [_without_raw(p) for p in target.parts]
    return data


@given(
    text=st.one_of(
        st.builds(
            lambda c, v, u: f"{c}{_printed(v)}{u}",
            st.sampled_from(sorted(_SYMBOLS)),
            amounts,
            st.sampled_from(_UNITS),
        ),
        st.sampled_from(
            [
                "岗位补贴:2004元/人/月,1002元/人/月",
                "(100%)",
                "90%-95%",
                "≅4250人，平均2000元/年/人",
                "预完成100件案件庭审笔录及50件调解笔录，当期结案率≥90%",
                "2023年12月31日前",
                "x,xxx",
                "≥ 95 %",
            ]
        ),
    )
)
def test_full_width_variants_parse_equal(text: str) -> None:
    full = text.translate(_FULL_WIDTH).replace(" ", "\u3000")
    assert _without_raw(parse_target(full)) == _without_raw(parse_target(text))
    assert parse_target(full).raw == full


def _looks_like_year_month(value: Decimal) -> bool:
    text = _printed(value)
    year, _, month = text.partition(".")
    return len(year) == 4 and year[:2] in ("19", "20") and month.isdigit() and 1 <= int(month) <= 12


def test_a_year_dot_month_is_a_deadline_but_other_four_digit_numbers_are_not() -> None:
    assert parse_target("2024.12").label == "2024-12"
    assert parse_target("1000.01").value == Decimal("1000.01")
    assert parse_target("1000.01").label is None
