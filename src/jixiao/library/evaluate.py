"""How good the suggestions are: leave one project out, suggest from its name, count what comes back.

Enters: ``Use`` records. Leaves: for every project with at least ``min_indicators`` indicators, the
recall at ``k`` of its own indicators (keys) when the catalogue is built from every other project's
uses (the project's name alone is the query; the same project printed twice in one table is left
out with all its copies), and the mean over projects.

Run on the seeds (and any other files Jixiao reads)::

    python -m jixiao.library.evaluate tests/data/seeds/003_*.txt tests/data/seeds/004_*.txt
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.library.catalogue import Catalogue
from jixiao.library.uses import Use, uses_of

__all__ = ["ProjectRecall", "leave_one_out", "main"]


@dataclass(frozen=True)
class ProjectRecall:
    project: str
    own: int  # its indicators (distinct keys)
    known: int  # of which some other project uses too (the most any suggester could find)
    found: int  # of which the top k suggestions hold
    suggested: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.own if self.own else 0.0

    @property
    def reachable_recall(self) -> float:
        return self.found / self.known if self.known else 0.0


def leave_one_out(uses: Sequence[Use], k: int = 10, min_indicators: int = 2) -> list[ProjectRecall]:
    """Recall@k of each project's own indicators, suggested from the other projects only."""
    projects = list(dict.fromkeys(u.project for u in uses if u.project))
    out = []
    for project in projects:
        own = list(dict.fromkeys(u.key for u in uses if u.project == project))
        if len(own) < min_indicators:
            continue
        others = [u for u in uses if u.project != project]
        catalogue = Catalogue.build(others)
        known = [key for key in own if catalogue.get(key) is not None]
        suggested = tuple(s.key for s in catalogue.suggest(project, limit=k))
        found = sum(1 for key in own if key in suggested)
        out.append(ProjectRecall(project, len(own), len(known), found, suggested))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from jixiao.ingest.load import load_file

    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    uses: list[Use] = []
    for path in paths:
        document, _ = load_file(path)
        uses.extend(uses_of(document, path.name))
    results = leave_one_out(uses)
    for result in results:
        print(
            f"{result.project}\t指标 {result.own}\t他项目用过 {result.known}\t命中 {result.found}"
            f"\trecall@10 {result.recall:.2f}"
        )
    if results:
        mean = sum(r.recall for r in results) / len(results)
        reachable = [r for r in results if r.known]
        mean_reachable = sum(r.reachable_recall for r in reachable) / len(reachable) if reachable else 0.0
        print(
            f"项目 {len(results)}\t平均 recall@10 {mean:.3f}\t可达指标上的平均 recall@10 {mean_reachable:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
