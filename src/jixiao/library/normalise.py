"""Normalised indicator names: the key under which the library files an indicator.

Enters: a 三级指标 name as printed. Leaves: a key without its numbering (``1.``, ``（1）``, ``①``,
``一、``), spaces, punctuation or full-width characters, with the synonyms of ``synonyms.toml``
applied. A trailing 率 or 数 is kept: 结案率 and 结案数 are different indicators.

>>> normalise("（1）“三公经费” 控制率")
'三公经费控制率'
>>> normalise("代缴满意率")
'代缴满意度'
>>> normalise("社会公众或服务对象满意度")
'服务对象满意度'
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

__all__ = ["Synonyms", "load_synonyms", "normalise", "strip_numbering"]

SYNONYMS_FILE = Path(__file__).with_name("synonyms.toml")

#: Numbering in front of a name: 1. 1、 1) (1) （1） ① 一、 (一) 第一, in either width.
_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[(（]\s*[0-9０-９一二三四五六七八九十]+\s*[)）]"  # (1) （1） (一)
    r"|[0-9０-９]+(?:[.．][0-9０-９]+)*\s*[.．、)）](?![0-9０-９])"  # 1. 1.2. 1、 1)
    r"|[一二三四五六七八九十]+\s*[、.．)）]"  # 一、
    r"|[\u2460-\u2473\u2776-\u277f\u2780-\u2793]"  # ① … ⑳, ❶ …
    r"|第[0-9一二三四五六七八九十]+[项条个]?[:：、.]?"  # 第一 第1项
    r")\s*"
)
#: What is dropped inside a name: spaces, punctuation and symbols of any script.
_DROPPED_CATEGORIES = ("Z", "P", "S", "C")


def strip_numbering(name: str) -> str:
    """``name`` without the numbering in front of it (repeated numbering too: ``1.（1）``)."""
    previous = None
    while previous != name:
        previous = name
        name = _NUMBERING.sub("", name, count=1)
    return name


def _clean(name: str) -> str:
    # numbering goes before NFKC too, which would turn ① into a plain 1 that reads as part of the name
    text = strip_numbering(unicodedata.normalize("NFKC", strip_numbering(name)))
    kept = (ch for ch in text if unicodedata.category(ch)[0] not in _DROPPED_CATEGORIES)
    return "".join(kept).lower()


class Synonyms:
    """Whole-name synonyms and ending synonyms, both keyed by cleaned text (copied, never shared)."""

    def __init__(self, names: dict[str, str], endings: dict[str, str]) -> None:
        self.names = {_clean(k): _clean(v) for k, v in names.items()}
        self.endings = {_clean(k): _clean(v) for k, v in endings.items()}

    def apply(self, cleaned: str) -> str:
        # endings first (代缴满意率 → 代缴满意度), then the whole name, at most a few rounds
        for _ in range(3):
            before = cleaned
            for ending, canonical in self.endings.items():
                if cleaned.endswith(ending):
                    cleaned = cleaned[: -len(ending)] + canonical
                    break
            cleaned = self.names.get(cleaned, cleaned)
            if cleaned == before:
                break
        return cleaned


@cache
def load_synonyms(path: Path = SYNONYMS_FILE) -> Synonyms:
    """The synonyms table shipped with Jixiao (or another TOML file of the same shape)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Synonyms(dict(data.get("names", {})), dict(data.get("endings", {})))


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The library key of an indicator name (empty for a name made only of numbering/punctuation)."""
    return load_synonyms().apply(_clean(name or ""))
