"""Bar charts of scores: one ``Chart`` drawn as SVG text (for HTML and PDF) or as a PNG (Pillow).

Enters: a ``Chart`` (labels, exact ``Decimal`` scores, optional maxima such as each 一级指标's
weight, a unit). Leaves: ``chart_svg`` → an SVG document as text; ``chart_png`` → PNG bytes,
1600 px wide (drawn at twice the SVG's 800 units, so it stays sharp in a Word file or on a slide).

Both draw from one layout (``chart_layout``): horizontal bars, one row per label, the label on the
left, a light bar for the maximum when there is one, the score bar over it in a darker blue, and
the value at the right (``28.6/30``). Output is deterministic: the same chart gives the same bytes
(no dates, no random ids; the PNG has no time chunk).

>>> from decimal import Decimal
>>> svg = chart_svg(Chart("得分", ("产出",), (Decimal("25"),), (Decimal("25"),)))
>>> "25/25" in svg and "产出" in svg
True
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont

from jixiao.render.fonts import CHART_FONTS, require_cjk_font
from jixiao.render.layout import Chart

WIDTH = 800  # SVG user units; the PNG is drawn at PNG_SCALE times this
PNG_SCALE = 2
MIN_HEIGHT = 450  # 800 × 450: 16:9, the PNG 1600 × 900

BAR_COLOUR = "#1F5FA8"
TRACK_COLOUR = "#DCE6F2"
TRACK_LINE = "#9FB7D6"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"
AXIS_COLOUR = "#888888"

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Box:
    """A filled rectangle, optionally outlined (SVG units)."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Label:
    """A line of text at baseline (x, y), anchored at its start, middle or end."""

    x: float
    y: float
    text: str
    size: float
    anchor: Anchor = "start"
    bold: bool = False
    fill: str = TEXT_COLOUR


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = AXIS_COLOUR


Shape = Box | Label | Line


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def show_number(value: Decimal) -> str:
    """28.60 → "28.6", 10 → "10": the number as written, without trailing zeros."""
    shown = format(value, "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def text_width(text: str, size: float) -> float:
    """An estimate of the text's width: a CJK character is one em, anything else about 0.6."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.6 for char in text)


def fit(text: str, size: float, width: float) -> str:
    """``text`` cut to ``width`` with an ellipsis when longer (a label must not leave the chart)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


MAX_LABEL_WIDTH = 320.0


def chart_layout(chart: Chart) -> Layout:
    """Where every bar and text goes, in SVG units (800 wide, at least 450 high)."""
    if len(chart.values) != len(chart.labels):
        raise ValueError(f"图表「{chart.title}」的标签数与数值数不一致")
    maxima: list[Decimal | None] = [*chart.maxima[: len(chart.labels)]]
    maxima += [None] * (len(chart.labels) - len(maxima))
    count = len(chart.labels)
    top, bottom, side = 84.0, 28.0, 20.0
    row = max(40.0, min(90.0, (MIN_HEIGHT - top - bottom) / max(count, 1)))
    height = max(float(MIN_HEIGHT), top + row * count + bottom)
    label_size, value_size = 18.0, 17.0

    shapes: list[Shape] = [
        Box(0, 0, WIDTH, height, "#FFFFFF"),
        Label(WIDTH / 2, 40, chart.title, 24, "middle", bold=True),
    ]
    if chart.unit:
        shapes.append(Label(WIDTH - side, 68, f"单位：{chart.unit}", 15, "end", fill=MUTED_COLOUR))
    if count == 0:
        shapes.append(Label(WIDTH / 2, top + 60, "无数据", label_size, "middle", fill=MUTED_COLOUR))
        return Layout(WIDTH, height, tuple(shapes))

    value_texts = [
        show_number(value) + (f"/{show_number(maximum)}" if maximum is not None else "")
        for value, maximum in zip(chart.values, maxima, strict=True)
    ]
    labels = [fit(label, label_size, MAX_LABEL_WIDTH) for label in chart.labels]
    label_width = max(80.0, *(text_width(label, label_size) for label in labels))
    value_width = max(text_width(text, value_size) for text in value_texts)
    bar_left = side + label_width + 14
    bar_right = WIDTH - side - value_width - 12
    full = max([*chart.values, *(m for m in maxima if m is not None), Decimal(0)])
    scale = (bar_right - bar_left) / float(full) if full > 0 else 0.0
    thickness = min(row * 0.5, 36.0)

    for index, (label, value, maximum, shown) in enumerate(
        zip(labels, chart.values, maxima, value_texts, strict=True)
    ):
        middle = top + row * index + row / 2
        bar_top = middle - thickness / 2
        baseline = middle + label_size * 0.35
        shapes.append(Label(bar_left - 12, baseline, label, label_size, "end"))
        track = float(maximum) * scale if maximum is not None and maximum > 0 else 0.0
        if track > 0:
            shapes.append(Box(bar_left, bar_top, track, thickness, TRACK_COLOUR, TRACK_LINE))
        length = max(0.0, float(value) * scale)
        if length > 0:
            shapes.append(Box(bar_left, bar_top, length, thickness, BAR_COLOUR))
        value_left = bar_left + max(track, length) + 10
        shapes.append(Label(value_left, middle + value_size * 0.35, shown, value_size, "start", bold=True))
    shapes.append(Line(bar_left, top, bar_left, top + row * count))
    return Layout(WIDTH, height, tuple(shapes))


def _unit(value: float) -> str:
    """A coordinate as SVG text: at most two decimals, no trailing zeros."""
    return format(round(value, 2), "g") if value != int(value) else str(int(value))


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (text); labels escaped, fonts as the HTML's."""
    layout = chart_layout(chart)
    width, height = _unit(layout.width), _unit(layout.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f"font-family={quoteattr(CHART_FONTS)} aria-label={quoteattr(chart.title)}>",
        f"<title>{escape(chart.title)}</title>",
    ]
    for shape in layout.shapes:
        if isinstance(shape, Box):
            stroke = f' stroke="{shape.stroke}" stroke-width="1"' if shape.stroke else ""
            parts.append(
                f'<rect x="{_unit(shape.x)}" y="{_unit(shape.y)}" width="{_unit(shape.width)}" '
                f'height="{_unit(shape.height)}" fill="{shape.fill}"{stroke}/>'
            )
        elif isinstance(shape, Line):
            parts.append(
                f'<line x1="{_unit(shape.x1)}" y1="{_unit(shape.y1)}" x2="{_unit(shape.x2)}" '
                f'y2="{_unit(shape.y2)}" stroke="{shape.stroke}" stroke-width="1"/>'
            )
        else:
            # bold as a thin outline, as the PNG draws it: no bold face to embed in a PDF
            weight = f' stroke="{shape.fill}" stroke-width="0.5"' if shape.bold else ""
            parts.append(
                f'<text x="{_unit(shape.x)}" y="{_unit(shape.y)}" font-size="{_unit(shape.size)}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}>{escape(shape.text)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


@cache
def _font(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, index=index)


_PIL_ANCHORS: dict[Anchor, str] = {"start": "ls", "middle": "ms", "end": "rs"}


def chart_png(chart: Chart) -> bytes:
    """The chart as PNG bytes, 1600 px wide (at least 900 high), drawn with a Chinese font.

    Raises ``RenderError`` ``G001`` when no Chinese font is installed (the labels would be boxes).
    """
    path, index = require_cjk_font()
    layout = chart_layout(chart)
    scale = PNG_SCALE
    image = Image.new("RGB", (round(layout.width * scale), round(layout.height * scale)), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    for shape in layout.shapes:
        if isinstance(shape, Box):
            box = (
                round(shape.x * scale),
                round(shape.y * scale),
                round((shape.x + shape.width) * scale) - 1,
                round((shape.y + shape.height) * scale) - 1,
            )
            draw.rectangle(box, fill=shape.fill, outline=shape.stroke, width=scale if shape.stroke else 0)
        elif isinstance(shape, Line):
            draw.line(
                (shape.x1 * scale, shape.y1 * scale, shape.x2 * scale, shape.y2 * scale),
                fill=shape.stroke,
                width=scale,
            )
        else:
            draw.text(
                (shape.x * scale, shape.y * scale),
                shape.text,
                fill=shape.fill,
                font=_font(path, index, round(shape.size * scale)),
                anchor=_PIL_ANCHORS[shape.anchor],
                stroke_width=1 if shape.bold else 0,
                stroke_fill=shape.fill,
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
