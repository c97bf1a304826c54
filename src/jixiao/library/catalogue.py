"""The catalogue: indicators de-duplicated by normalised name, with what their uses have in common.

Enters: ``Use`` records (``jixiao.library.uses``). Leaves: one ``Entry`` per key with the name most
often printed, the 一级/二级 levels it sits under, how many forms use it, its typical 指标值 and unit
(the most frequent), its direction and example projects; ``search`` and ``suggest`` over them.

>>> from jixiao.model.values import parse_target
>>> uses = [Use("服务对象满意度", "满意度指标", None, parse_target("≥95%"), project="就业补助"),
...         Use("服务对象满意率", "满意度指标", None, parse_target("≥90%"), project="公益性岗位补贴"),
...         Use("服务对象满意度", "满意度指标", None, parse_target("≥95%"), project="退役安置")]
>>> entry = Catalogue.build(uses).get("服务对象满意度")
>>> (entry.usage, entry.typical, entry.direction)
(3, '≥95%', '正向')
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.library.normalise import normalise
from jixiao.library.similar import ProjectIndex, name_similarity
from jixiao.library.uses import Use
from jixiao.model.target import Comparator, Target, TargetKind
from jixiao.model.values import target_direction

__all__ = ["DIRECTIONS", "Catalogue", "Entry", "Suggestion", "direction_of", "target_text"]

#: The directions an entry can have, as shown (正向: more is better; 反向: less is better; 区间: a range;
#: 定值: an exact value; 定性: a grade word).
DIRECTIONS = ("正向", "反向", "区间", "定值", "定性")
_BY_TARGET_DIRECTION = {"forward": "正向", "reverse": "反向", "equal": "定值"}
#: Most example projects kept per entry.
EXAMPLES = 5
#: Used by this many projects, an indicator is suggested to fill the list when few similar projects
#: are known (服务对象满意度, 补贴发放准确率…).
COMMON_PROJECTS = 3


def _plain(value: Decimal) -> str:
    shown = format(value, "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def target_text(target: Target) -> str | None:
    """A 指标值 as a form would print it (``≥95%``, ``100%``, ``≤30万元``, ``合规``), None for text,
    placeholders and blanks. ``=`` is left out, as forms do."""
    if target.kind is TargetKind.QUALITATIVE:
        return (target.label or target.raw).strip() or None
    if target.kind in (TargetKind.TEXT, TargetKind.MISSING) or target.parts:
        return None
    unit = target.unit or ""
    if target.kind is TargetKind.DEADLINE and unit == "月份":
        return target.raw.strip() or None  # a calendar date (12月底之前) reads best as printed
    if target.op is Comparator.RANGE and target.low is not None and target.high is not None:
        return f"{_plain(target.low)}{unit}-{_plain(target.high)}{unit}"
    if target.value is None:
        return None
    symbol = "" if target.op in (None, Comparator.EQ) else str(target.op.value)
    return f"{symbol}{_plain(target.value)}{unit}"


def direction_of(use: Use) -> str | None:
    """正向/反向/区间/定值/定性 for one use: the form's 指标方向 column where printed, else read from the
    指标值's comparator and kind (and the name, for ``=`` values: ``jixiao.model.values``)."""
    if use.direction in DIRECTIONS:
        return use.direction
    target = use.target
    if target.kind in (TargetKind.QUALITATIVE, TargetKind.TEXT):
        return "定性"
    if target.kind is TargetKind.MISSING:
        return None
    if target.op is Comparator.RANGE:
        return "区间"
    found = target_direction(use.name, target)
    return _BY_TARGET_DIRECTION.get(found) if found else None


def level_key(level: str | None) -> str:
    """A level name compared without width, spaces or punctuation (数量指标 = 数量 指标)."""
    text = unicodedata.normalize("NFKC", level or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "ZPSC")


def _most_common(counter: Counter[str], order: dict[str, int]) -> str | None:
    """The most frequent item; ties go to the one seen first (deterministic for a given input)."""
    if not counter:
        return None
    return min(counter, key=lambda item: (-counter[item], order[item]))


def _ranked(items: Iterable[str | None]) -> list[str]:
    counter: Counter[str] = Counter()
    order: dict[str, int] = {}
    for item in items:
        if item:
            counter[item] += 1
            order.setdefault(item, len(order))
    return sorted(counter, key=lambda item: (-counter[item], order[item]))


@dataclass(frozen=True)
class Entry:
    """One indicator of the library, summarised from its uses."""

    key: str
    name: str  # the name most often printed
    names: tuple[str, ...]  # every printed variant, most frequent first
    level1: str | None
    level2: str | None
    levels: tuple[tuple[str | None, str | None], ...]  # every (一级, 二级) seen, most frequent first
    usage: int  # forms (projects) using it
    typical: str | None  # the most frequent 指标值 as printed: ≥95%
    typical_value: Decimal | None
    comparator: str | None  # ≥ ≤ = … of the typical value
    unit: str | None
    direction: str | None  # one of DIRECTIONS
    projects: tuple[str, ...]  # example projects (up to EXAMPLES), in the order first seen
    project_count: int  # distinct projects using it
    uses: tuple[Use, ...] = field(repr=False, compare=False)

    @classmethod
    def of(cls, key: str, uses: Sequence[Use]) -> Entry:
        names = _ranked(u.name for u in uses)
        level_pairs = _ranked(f"{u.level1 or ''}\x1f{u.level2 or ''}" for u in uses)
        levels = tuple(
            (first or None, second or None) for first, second in (p.split("\x1f") for p in level_pairs)
        )
        typical_targets: dict[str, Target] = {}
        texts: list[str | None] = []
        for use in uses:
            text = target_text(use.target)
            texts.append(text)
            if text is not None:
                typical_targets.setdefault(text, use.target)
        ranked_texts = _ranked(texts)
        typical = ranked_texts[0] if ranked_texts else None
        target = typical_targets.get(typical) if typical else None
        measured = target is not None and target.kind is not TargetKind.QUALITATIVE
        directions = _ranked(direction_of(u) for u in uses)
        projects = _ranked(u.project for u in uses)
        first_seen = {p: i for i, p in enumerate(dict.fromkeys(u.project for u in uses if u.project))}
        return cls(
            key=key,
            name=names[0] if names else key,
            names=tuple(names),
            level1=_ranked(u.level1 for u in uses)[0] if any(u.level1 for u in uses) else None,
            level2=_ranked(u.level2 for u in uses)[0] if any(u.level2 for u in uses) else None,
            levels=levels,
            usage=len(uses),
            typical=typical,
            typical_value=target.value if measured and target is not None else None,
            comparator=(
                str(target.op.value) if measured and target is not None and target.op is not None else None
            ),
            unit=target.unit if measured and target is not None else None,
            direction=directions[0] if directions else None,
            projects=tuple(sorted(projects, key=first_seen.__getitem__)[:EXAMPLES]),
            project_count=len(projects),
            uses=tuple(uses),
        )

    def sits_under(self, level2: str, level1s: set[str]) -> bool:
        """Whether the entry belongs under 二级指标 ``level2``: seen there, or seen only without a
        二级 (summary tables print 一级 only) under a 一级 that ``level2`` belongs to."""
        wanted = level_key(level2)
        if any(level_key(second) == wanted for _, second in self.levels if second):
            return True
        return any(second is None and level_key(first) in level1s for first, second in self.levels)


@dataclass(frozen=True)
class Suggestion:
    """An indicator suggested for a project, with the similar projects that use it and why."""

    entry: Entry
    score: float  # ranking only (similarity-weighted usage), never shown as a figure
    similarity: float  # of the most similar project using it, 0–1
    projects: tuple[str, ...]  # the similar projects using it, most similar first
    why: str

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def key(self) -> str:
        return self.entry.key


class Catalogue:
    """Entries by key, and the projects that use them (for suggestions)."""

    def __init__(self, entries: dict[str, Entry], projects: ProjectIndex) -> None:
        self._entries = dict(entries)
        self.projects = projects
        self._common_entries = sorted(
            (e for e in self._entries.values() if e.project_count >= COMMON_PROJECTS),
            key=lambda e: (-e.project_count, -e.usage, e.key),
        )
        self._level1_of_level2: dict[str, set[str]] = {}
        for entry in self._entries.values():
            for first, second in entry.levels:
                if first and second:
                    self._level1_of_level2.setdefault(level_key(second), set()).add(level_key(first))

    @classmethod
    def build(cls, uses: Iterable[Use]) -> Catalogue:
        by_key: dict[str, list[Use]] = {}
        project_keys: dict[str, list[str]] = {}
        project_codes: dict[str, set[str]] = {}
        for use in uses:
            key = use.key
            if not key:
                continue
            by_key.setdefault(key, []).append(use)
            if use.project:
                project_keys.setdefault(use.project, []).append(key)
                if use.function_code:
                    project_codes.setdefault(use.project, set()).add(use.function_code)
        entries = {key: Entry.of(key, group) for key, group in by_key.items()}
        return cls(entries, ProjectIndex(project_keys, project_codes))

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(sorted(self._entries.values(), key=lambda e: (-e.usage, e.key)))

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def lookup(self, name: str) -> Entry | None:
        """The entry a printed name is filed under."""
        return self._entries.get(normalise(name))

    def search(self, text: str, limit: int | None = None) -> list[Entry]:
        """Entries matching ``text``: the same key first, then keys starting with it, containing it,
        a printed variant or level containing it, then names close to it; more used first."""
        query = normalise(text)
        if not query:
            return list(self)[:limit]
        ranked: list[tuple[int, float, Entry]] = []
        for entry in self._entries.values():
            if entry.key == query:
                rank, closeness = 0, 1.0
            elif entry.key.startswith(query):
                rank, closeness = 1, 1.0
            elif query in entry.key:
                rank, closeness = 2, 1.0
            elif any(query in normalise(n) for n in entry.names) or any(
                query in level_key(level) for pair in entry.levels for level in pair if level
            ):
                rank, closeness = 3, 1.0
            else:
                closeness = name_similarity(query, entry.key)
                if closeness < 0.5:
                    continue
                rank = 4
            ranked.append((rank, -closeness, entry))
        ranked.sort(key=lambda item: (item[0], item[1], -item[2].usage, item[2].key))
        found = [entry for _, _, entry in ranked]
        return found if limit is None else found[:limit]

    def suggest(
        self,
        project_name: str,
        function_code: str | None = None,
        level2: str | None = None,
        exclude: Iterable[str] = (),
        limit: int = 10,
    ) -> list[Suggestion]:
        """Indicators used by projects similar to ``project_name`` (character bigrams, TF-IDF, cosine;
        plus the 功能分类 code prefix when given), ranked by similarity-weighted usage: an indicator
        gets the similarity of every similar project using it, summed. ``exclude``: names already
        in the form (compared normalised). ``level2``: only indicators that belong under it."""
        excluded = {normalise(name) for name in exclude}
        level1s = self._level1_of_level2.get(level_key(level2), set()) if level2 else set()
        scores: dict[str, float] = {}
        best: dict[str, float] = {}
        sources: dict[str, list[str]] = {}
        row: dict[str, tuple[int, int]] = {}  # (project rank, row in that project): the form's order
        for order_seen, (project, similarity) in enumerate(
            self.projects.similar(project_name, function_code)
        ):
            for position, key in enumerate(self.projects.keys_of(project)):
                entry = self._entries.get(key)
                if entry is None or key in excluded:
                    continue
                if level2 and not entry.sits_under(level2, level1s):
                    continue
                scores[key] = scores.get(key, 0.0) + similarity
                row.setdefault(key, (order_seen, position))
                best[key] = max(best.get(key, 0.0), similarity)
                sources.setdefault(key, []).append(project)
        order = sorted(scores, key=lambda k: (-scores[k], -best[k], -self._entries[k].usage, row[k], k))
        out = []
        for key in order[:limit]:
            projects = tuple(sources[key])
            why = f"相似项目“{projects[0]}”使用"
            if len(projects) > 1:
                why += f"，另有 {len(projects) - 1} 个相似项目使用"
            out.append(
                Suggestion(self._entries[key], round(scores[key], 6), round(best[key], 6), projects, why)
            )
        for entry in self._common(limit - len(out), excluded | set(order), level2, level1s):
            out.append(Suggestion(entry, 0.0, 0.0, (), f"常用指标：{entry.project_count} 个项目使用"))
        return out

    def _common(self, wanted: int, excluded: set[str], level2: str | None, level1s: set[str]) -> list[Entry]:
        """The indicators most projects use (at least ``COMMON_PROJECTS``), to fill the list when
        few similar projects are known."""
        if wanted <= 0:
            return []
        common = [
            e
            for e in self._common_entries
            if e.key not in excluded and (not level2 or e.sits_under(level2, level1s))
        ]
        return common[:wanted]
