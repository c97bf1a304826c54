"""The score chart as SVG and PNG: one bar per 一级指标, its weight behind it, the value printed.

Scores are seed 002's (信阳市平桥区人社局 2022 部门整体自评, 表3-1 weights 10/30/25/35) with the
投入管理 score at 28.6 so a decimal shows; the PNG is checked for real glyphs: two labels of the
same length must draw differently (a missing font draws both as the same empty boxes).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import lxml.etree
import pytest
from PIL import Image, ImageDraw, ImageFont

from jixiao.render import fonts
from jixiao.render.chart import (
    BAR_COLOUR,
    TRACK_COLOUR,
    Label,
    chart_layout,
    chart_png,
    chart_svg,
    show_number,
)
from jixiao.render.errors import RenderError
from jixiao.render.layout import Chart

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ("预算执行", "投入管理", "产出", "效益")
SCORES = (Decimal("10"), Decimal("28.6"), Decimal("25"), Decimal("32"))
WEIGHTS = (Decimal("10"), Decimal("30"), Decimal("25"), Decimal("35"))
CHART = Chart("2022年度部门整体支出绩效自评得分", LEVELS, SCORES, WEIGHTS)


def parsed(chart: Chart) -> lxml.etree._Element:
    return lxml.etree.fromstring(chart_svg(chart).encode("utf-8"))


def bars(root: lxml.etree._Element, colour: str) -> list[lxml.etree._Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == colour]


def test_svg_has_one_bar_per_level_its_weight_behind_and_the_value() -> None:
    root = parsed(CHART)
    assert root.tag == f"{SVG}svg"
    scores, tracks = bars(root, BAR_COLOUR), bars(root, TRACK_COLOUR)
    assert len(scores) == len(tracks) == 4
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert [label for label in texts if label in LEVELS] == list(LEVELS)
    assert {"10/10", "28.6/30", "25/25", "32/35"} <= set(texts)
    assert "单位：分" in texts and CHART.title in texts
    # lengths in proportion to the scores, on one scale (the largest weight fills the width)
    lengths = [float(bar.get("width")) for bar in scores]
    full = [float(bar.get("width")) for bar in tracks]
    assert lengths[1] / full[1] == pytest.approx(28.6 / 30, abs=1e-3)
    assert full[3] / full[0] == pytest.approx(3.5, abs=1e-3)
    assert lengths[2] == full[2]  # 25/25: the bar covers its weight


def test_svg_labels_are_escaped_and_fonts_named_for_weasyprint() -> None:
    chart = Chart("“就业”<专项> & 补助", ("R&D<投入>",), (Decimal("1.50"),))
    source = chart_svg(chart)
    assert "R&amp;D&lt;投入&gt;" in source
    root = lxml.etree.fromstring(source.encode("utf-8"))
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "R&D<投入>" in texts and "“就业”<专项> & 补助" in texts
    assert "1.5" in texts  # no maximum: the score alone, without trailing zeros
    assert bars(root, TRACK_COLOUR) == []
    family = root.get("font-family")
    assert family.split(",")[:3] == ["黑体", "SimHei", "WenQuanYi Zen Hei"]
    assert '"' not in family and ", " not in family


def test_svg_and_png_are_deterministic() -> None:
    assert chart_svg(CHART) == chart_svg(Chart(CHART.title, LEVELS, SCORES, WEIGHTS))
    assert chart_png(CHART) == chart_png(Chart(CHART.title, LEVELS, SCORES, WEIGHTS))


def test_png_is_1600_by_900_with_the_bars_drawn() -> None:
    data = chart_png(CHART)
    assert data.startswith(b"\x89PNG") and b"tIME" not in data
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (1600, 900)
    colours = dict((colour, count) for count, colour in image.getcolors(1600 * 900) or [])
    bar = tuple(int(BAR_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    track = tuple(int(TRACK_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    assert colours.get(bar, 0) > 50_000 and colours.get(track, 0) > 1_000
    dark = sum(count for colour, count in colours.items() if max(colour) < 100)
    assert dark > 5_000  # text


def test_png_draws_chinese_glyphs_not_boxes() -> None:
    """产出 and 效益 have the same length: with real glyphs their label areas differ."""
    labels = {shape.text: shape for shape in chart_layout(CHART).shapes if isinstance(shape, Label)}
    image = Image.open(io.BytesIO(chart_png(CHART))).convert("L")

    def label_area(name: str) -> bytes:
        label = labels[name]
        assert label.anchor == "end"  # the label ends at x, its baseline at y (SVG units, PNG × 2)
        box = (int((label.x - 40) * 2), int((label.y - 20) * 2), int(label.x * 2) + 2, int((label.y + 6) * 2))
        return image.crop(box).tobytes()

    first, second = label_area("产出"), label_area("效益")
    assert first != second
    assert min(first) < 100 and min(second) < 100  # ink in both


def test_many_levels_make_a_taller_chart_and_blank_scores_no_bar() -> None:
    labels = tuple(f"指标{number}" for number in range(1, 13))
    values = tuple(Decimal(number) for number in range(12))
    tall = Chart("三级指标得分", labels, values, tuple(Decimal(12) for _ in labels))
    image = Image.open(io.BytesIO(chart_png(tall)))
    assert image.width == 1600 and image.height > 900
    root = parsed(tall)
    assert len(bars(root, BAR_COLOUR)) == 11  # the 0 score draws no bar, its weight still shows
    assert len(bars(root, TRACK_COLOUR)) == 12


def test_a_long_label_is_cut_to_stay_inside_the_chart() -> None:
    name = "就业创业服务补助资金" * 4
    root = parsed(Chart("得分", (name,), (Decimal(3),), (Decimal(5),)))
    (label,) = [text for text in root.iter(f"{SVG}text") if (text.text or "").startswith("就业")]
    assert label.text.endswith("…") and name.startswith(label.text[:-1])
    assert float(label.get("x")) - len(label.text) * float(label.get("font-size")) >= 0


def test_empty_and_inconsistent_charts() -> None:
    empty = parsed(Chart("得分", (), ()))
    assert "无数据" in [text.text for text in empty.iter(f"{SVG}text")]
    with pytest.raises(ValueError, match="标签数与数值数不一致"):
        chart_svg(Chart("得分", ("产出", "效益"), (Decimal(1),)))


def test_show_number_keeps_the_value_as_written() -> None:
    assert [show_number(Decimal(text)) for text in ("28.60", "10", "1E+1", "0.0", "-0")] == [
        "28.6",
        "10",
        "10",
        "0",
        "0",
    ]


def test_png_without_a_chinese_font_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_run", lambda *args: "")
    monkeypatch.setattr(fonts, "FONT_FOLDERS", ())
    monkeypatch.delenv("JIXIAO_CJK_FONT", raising=False)
    fonts.clear_font_cache()
    try:
        with pytest.raises(RenderError) as raised:
            chart_png(CHART)
        assert raised.value.code == "G001"
    finally:
        monkeypatch.undo()
        fonts.clear_font_cache()
    assert fonts.cjk_font_file() is not None


def test_font_file_found_is_a_chinese_truetype_face() -> None:
    found = fonts.require_cjk_font()
    path, index = found
    assert path.is_file() and index >= 0
    font = ImageFont.truetype(str(path), 32, index=index)

    def drawn(char: str) -> bytes:
        image = Image.new("L", (40, 40), 255)
        ImageDraw.Draw(image).text((4, 2), char, font=font, fill=0)
        return image.tobytes()

    assert drawn("绩") != drawn("效")  # glyphs, not two identical .notdef boxes
    assert font.getbbox("绩")[2] > 24  # full width


def test_a_font_named_by_the_environment_must_hold_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    path, index = fonts.require_cjk_font()
    assert fonts.has_chinese_glyphs(path, index)
    latin = next(iter(sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))), None)
    monkeypatch.setenv("JIXIAO_CJK_FONT", str(latin or __file__))  # a Latin font, or not a font
    fonts.clear_font_cache()
    try:
        with pytest.raises(RenderError) as raised:
            chart_png(CHART)
        assert raised.value.code == "G001" and "JIXIAO_CJK_FONT" in raised.value.message
    finally:
        monkeypatch.undo()
        fonts.clear_font_cache()
