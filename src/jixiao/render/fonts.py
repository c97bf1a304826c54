"""Chinese fonts for the render layer: the CSS font stacks, and a CJK font file for Pillow.

Enters: nothing but the machine's fonts (asked of fontconfig, ``fc-list``/``fc-match``, or found by
scanning the usual font folders). Leaves: the CSS ``font-family`` stacks the HTML, PDF and SVG
writers share; ``cjk_font_file()`` → the (path, face index) of an installed Chinese font, cached;
``require_cjk_font()`` and ``require_fontconfig_cjk()`` raising ``RenderError`` ``G001`` (declared in
``render/errors.py``) when the machine has none: a PDF or a chart drawn without one shows every
Chinese character as an empty box (tofu), and nobody notices until the document is printed.

A site's licensed fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) come first in each stack
and win where installed; then the free TrueType fonts CI installs (``fonts-arphic-uming``,
``fonts-arphic-ukai``, ``fonts-wqy-zenhei``), then Noto CJK last: WeasyPrint subsets the CFF-based
Noto fonts several times slower than these TrueType ones.

>>> BODY_FONTS.split(", ")[0]
'"仿宋_GB2312"'
>>> require_cjk_font()[0].suffix in {".ttc", ".ttf", ".otf"}
True
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from jixiao.render.errors import RenderError


def _stack(*families: str, generic: str = "serif") -> str:
    return ", ".join([*(f'"{family}"' for family in families), generic])


#: Prose and table text: 仿宋 as official documents are set, then the free fallbacks.
BODY_FONTS = _stack(
    "仿宋_GB2312",
    "仿宋",
    "FangSong",
    "STFangsong",
    "AR PL UMing CN",
    "WenQuanYi Zen Hei",
    "Noto Serif CJK SC",
)
#: The document title: 方正小标宋 as official documents are set.
TITLE_FONTS = _stack(
    "方正小标宋简体",
    "FZXiaoBiaoSong-B05S",
    "华文中宋",
    "STZhongsong",
    "AR PL UMing CN",
    "WenQuanYi Zen Hei",
)
#: 一、 headings: 黑体.
HEADING_FONTS = _stack(
    "黑体", "SimHei", "WenQuanYi Zen Hei", "AR PL UMing CN", "Noto Sans CJK SC", generic="sans-serif"
)
#: （一） headings: 楷体, as 二级标题 are set in official documents.
KAI_FONTS = _stack(
    "楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "AR PL UMing CN", "WenQuanYi Zen Hei"
)
#: Chart labels and values: a 黑体 reads best at small sizes on a bar. Written for an SVG
#: ``font-family`` attribute: unquoted, no space after the commas (WeasyPrint's SVG reader splits
#: on commas and strips quotes but not spaces, so ``"a", "b"`` would lose every family but the first).
CHART_FONTS = ",".join(family.strip('"') for family in HEADING_FONTS.split(", "))

#: The families Pillow may draw charts with, in order: CHART_FONTS' named families, then any
#: other font fontconfig says covers Chinese.
CHART_FAMILIES: tuple[str, ...] = (
    "黑体",
    "SimHei",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
    "Noto Sans CJK SC",
    "仿宋_GB2312",
    "仿宋",
    "Noto Serif CJK SC",
)

#: Where to look when fontconfig is absent (Windows, minimal containers): folders and known files.
FONT_FOLDERS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/System/Library/Fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
KNOWN_FONT_FILES: tuple[str, ...] = (
    "simhei.ttf",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "uming.ttc",
    "ukai.ttc",
    "simfang.ttf",
    "simsun.ttc",
    "PingFang.ttc",
    "STHeiti Light.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSerifCJK-Regular.ttc",
)


#: Added to ``G001``: the other way to name a font.
FONT_HINT = "也可设置环境变量 JIXIAO_CJK_FONT 指向一个中文字体文件"


def _run(*args: str) -> str:
    """A fontconfig command's output; empty when fontconfig is not installed or fails."""
    if shutil.which(args[0]) is None:
        return ""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


@cache
def fontconfig_chinese_fonts() -> tuple[tuple[str, Path, int], ...]:
    """Every (family, file, face index) fontconfig says covers Chinese (``fc-list :lang=zh``),
    regular faces before bold ones, otherwise sorted for a stable order; empty without fontconfig."""
    found: set[tuple[bool, str, Path, int]] = set()
    listing = _run("fc-list", "-f", "%{file}\t%{index}\t%{style[0]}\t%{family}\n", ":lang=zh")
    for line in listing.splitlines():
        # "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc	0	Book	WenQuanYi Zen Hei,文泉驿正黑"
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0]:
            continue
        file, index, style, families = parts
        bold = "bold" in style.lower()
        for family in families.split(","):
            found.add((bold, family.strip(), Path(file), int(index) if index.isdigit() else 0))
    ordered = sorted(found, key=lambda item: (item[0], item[1], str(item[2]), item[3]))
    return tuple((family, file, index) for _, family, file, index in ordered)


def _scanned_font() -> tuple[Path, int] | None:
    """The first known Chinese font file in the usual folders (without fontconfig)."""
    for name in KNOWN_FONT_FILES:
        for folder in FONT_FOLDERS:
            root = Path(folder).expanduser()
            if not root.is_dir():
                continue
            for path in sorted(root.rglob(name)):
                return path, 0
    return None


@cache
def cjk_font_file() -> tuple[Path, int] | None:
    """(path, face index) of the Chinese font charts are drawn with, or ``None`` if there is none.

    ``JIXIAO_CJK_FONT`` (a font file, face 0, for charts only: the PDF's fonts are fontconfig's)
    wins, and must hold Chinese glyphs (else ``G001``); then the first of ``CHART_FAMILIES`` fontconfig knows;
    then any font fontconfig says covers Chinese; then a scan of the usual font folders.
    """
    override = os.environ.get("JIXIAO_CJK_FONT")
    if override:
        if not has_chinese_glyphs(Path(override)):
            raise RenderError("G001", detail=f"JIXIAO_CJK_FONT 指向的文件不是含中文字形的字体：{override}")
        return Path(override), 0
    fonts = fontconfig_chinese_fonts()
    by_family = {family: (file, index) for family, file, index in reversed(fonts)}
    for family in CHART_FAMILIES:
        if family in by_family:
            return by_family[family]
    if fonts:
        _, file, index = fonts[0]
        return file, index
    return _scanned_font()


def has_chinese_glyphs(path: Path, index: int = 0) -> bool:
    """Whether the font file maps the common characters 中 and 绩 to glyphs."""
    from fontTools.ttLib import TTFont, TTLibError  # WeasyPrint's dependency; only needed here

    try:
        with TTFont(str(path), fontNumber=index, lazy=True) as font:
            mapping = font.getBestCmap() or {}
    except (OSError, TTLibError):
        return False
    return ord("中") in mapping and ord("绩") in mapping


def require_cjk_font() -> tuple[Path, int]:
    """The chart font, or ``RenderError("G001")`` when the machine has no Chinese font."""
    found = cjk_font_file()
    if found is None:
        raise RenderError("G001", detail=FONT_HINT)
    return found


def require_fontconfig_cjk() -> None:
    """Raise ``G001`` unless the fonts WeasyPrint draws with (fontconfig's) include a Chinese one.

    Without fontconfig (``fc-list`` missing) the check falls back to the folder scan, since Pango
    may still find the fonts itself.
    """
    if fontconfig_chinese_fonts():
        return
    if shutil.which("fc-list") is None and _scanned_font() is not None:
        return
    raise RenderError("G001", detail=FONT_HINT)


def clear_font_cache() -> None:
    """Forget what was found (after installing fonts, or in tests)."""
    fontconfig_chinese_fonts.cache_clear()
    cjk_font_file.cache_clear()
