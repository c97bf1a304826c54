"""Similarity of names: projects by character-bigram TF-IDF and cosine, indicators by bigram overlap.

Enters: project names with the indicator keys they use (and their 功能分类 codes where known);
indicator names. Leaves: the projects most similar to a new project's name; pairs of indicators in
one form that are the same or nearly the same. Offline and deterministic: no model, no network.

>>> index = ProjectIndex({"2023年事业单位面向社会公开招聘": ["报考人数"], "公益性岗位补贴": ["补贴发放准确率"]})
>>> [name for name, _ in index.similar("2024年事业单位公开招聘")]
['2023年事业单位面向社会公开招聘']
>>> near_duplicates(["补贴发放准确率", "完成时限", "补贴发放准确率"])
[(0, 2, 1.0)]
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from jixiao.library.normalise import normalise

__all__ = ["NEAR_DUPLICATE", "ProjectIndex", "bigrams", "name_similarity", "near_duplicates"]

#: Projects less similar than this to the new one suggest nothing.
MIN_SIMILARITY = 0.1
#: How many similar projects are consulted.
TOP_PROJECTS = 20
#: Two names in one form this close (0–1) are reported as near-duplicates.
NEAR_DUPLICATE = 0.75
#: Extra similarity for a project sharing the new one's 功能分类 code: 类 (3 digits), 款 (5), 项 (7).
FUNCTION_BONUS = ((7, 0.2), (5, 0.1), (3, 0.05))
#: Endings that say what an indicator measures: two names ending differently here are different
#: indicators however much else they share (结案率 / 结案及时率, 招聘活动 / 招聘活动完成率).
_MEASURE_ENDINGS = "率度性数量"

_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(?:19|20)\d{2}年度?")


def project_text(name: str) -> str:
    """A project name compared without its year, width, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", name)
    text = _YEAR.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "ZPSC").lower()


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs (a one-character text is its own gram)."""
    if len(text) < 2:
        return [text] if text else []
    return [text[i : i + 2] for i in range(len(text) - 1)]


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def function_bonus(code: str | None, codes: set[str]) -> float:
    """The bonus for sharing a 功能分类 类/款/项 with any of ``codes``."""
    if not code or not codes:
        return 0.0
    digits = "".join(ch for ch in code if ch.isdigit())
    shared = max((_shared_prefix(digits, "".join(ch for ch in c if ch.isdigit())) for c in codes), default=0)
    return next((bonus for length, bonus in FUNCTION_BONUS if shared >= length), 0.0)


class ProjectIndex:
    """Projects as TF-IDF vectors of their names' bigrams, with the indicator keys each uses."""

    def __init__(
        self, project_keys: dict[str, list[str]], project_codes: dict[str, set[str]] | None = None
    ) -> None:
        self._keys = {name: list(dict.fromkeys(keys)) for name, keys in project_keys.items()}
        self._codes = {name: set(codes) for name, codes in (project_codes or {}).items()}
        self._names = sorted(self._keys)
        grams = {name: Counter(bigrams(project_text(name))) for name in self._names}
        document_frequency: Counter[str] = Counter()
        for counted in grams.values():
            document_frequency.update(counted.keys())
        total = len(self._names)
        self._idf = {g: math.log((1 + total) / (1 + df)) + 1 for g, df in document_frequency.items()}
        self._unseen_idf = math.log(1 + total) + 1
        self._vectors = {name: self._vector(counted) for name, counted in grams.items()}
        # gram → (project, weight): a query only touches the projects sharing one of its grams
        self._postings: dict[str, list[tuple[str, float]]] = {}
        for name in self._names:
            for gram, weight in self._vectors[name].items():
                self._postings.setdefault(gram, []).append((name, weight))

    def __len__(self) -> int:
        return len(self._names)

    def _vector(self, counted: Counter[str]) -> dict[str, float]:
        weights = {g: n * self._idf.get(g, self._unseen_idf) for g, n in counted.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {g: w / norm for g, w in weights.items()} if norm else {}

    def keys_of(self, project: str) -> list[str]:
        return self._keys.get(project, [])

    def similarity(self, name: str, project: str) -> float:
        query = self._vector(Counter(bigrams(project_text(name))))
        vector = self._vectors.get(project, {})
        return sum(w * vector.get(g, 0.0) for g, w in query.items())

    def similar(
        self,
        name: str,
        function_code: str | None = None,
        *,
        minimum: float = MIN_SIMILARITY,
        top: int = TOP_PROJECTS,
    ) -> list[tuple[str, float]]:
        """The projects most similar to ``name`` (cosine, plus the 功能分类 bonus, at most 1), most
        similar first, ties by name."""
        query = self._vector(Counter(bigrams(project_text(name))))
        cosines: dict[str, float] = {}
        for gram, weight in sorted(query.items()):
            for project, other in self._postings.get(gram, ()):
                cosines[project] = cosines.get(project, 0.0) + weight * other
        candidates = set(cosines)
        if function_code:
            candidates |= {project for project, codes in self._codes.items() if codes}
        found = []
        for project in candidates:
            bonus = function_bonus(function_code, self._codes.get(project, set()))
            score = min(1.0, cosines.get(project, 0.0) + bonus)
            if score >= minimum:
                found.append((project, round(score, 9)))
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:top]


def name_similarity(a: str, b: str) -> float:
    """How close two normalised names are (0–1): the mean of the bigram Dice coefficient and the
    share of the shorter name's bigrams found in the longer one."""
    if a == b:
        return 1.0
    first, second = set(bigrams(a)), set(bigrams(b))
    if not first or not second:
        return 0.0
    common = len(first & second)
    dice = 2 * common / (len(first) + len(second))
    cover = common / min(len(first), len(second))
    return (dice + cover) / 2


def _numbered_series(a: str, b: str) -> bool:
    """重点工作1计划完成率 / 重点工作2计划完成率: the same template numbered, not a duplicate."""
    return a != b and _DIGITS.sub("", a) == _DIGITS.sub("", b)


def _same_measure(a: str, b: str) -> bool:
    if a[-1:] in _MEASURE_ENDINGS or b[-1:] in _MEASURE_ENDINGS:
        return a[-2:] == b[-2:]
    return True


def near_duplicates(names: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, closeness)`` (``i < j``) of names in one form that are the same indicator once
    normalised (1.0) or nearly the same (at least ``threshold``), closest first. Names measuring
    different things (another ending: 结案率 / 结案及时率) or numbered alike (事项1 / 事项2) are not."""
    keys = [normalise(name) for name in names]
    pairs = []
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            a, b = keys[i], keys[j]
            if not a or not b:
                continue
            if a == b:
                pairs.append((i, j, 1.0))
                continue
            if not _same_measure(a, b) or _numbered_series(a, b):
                continue
            closeness = name_similarity(a, b)
            if closeness >= threshold:
                pairs.append((i, j, round(closeness, 3)))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs
