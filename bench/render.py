"""Benchmark: seconds to generate each output from the seeds (render issue).

Run: ``make bench`` (or ``.venv/bin/python bench/render.py [--rounds N]``).
Targets (issue 6), on a 2-core machine: a 自评报告 under 1 s as docx and under 3 s as pdf; the
disclosure package timed the same way. Each figure is the best of ``--rounds`` runs after one
warm-up run (which pays for imports and the font lookup once, as a long-running server does); the
first, cold run is printed too. Parsing is not timed: the documents are parsed before the clock starts.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from jixiao.ingest.load import parse_file
from jixiao.render.pipeline import FORMATS, document_doc, write

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests/data/seeds"

CASES = (
    ("自评报告（seed 002）", "002_*.txt"),
    ("预算公开（seed 003）", "003_*.txt"),
    ("部门整体申报表（seed 000）", "000_*.txt"),
    ("申报表 1+4 张（seed 004）", "004_*.txt"),
)


def timed(document: object, to: str, rounds: int) -> tuple[float, float, int]:
    """(cold seconds, best warm seconds, bytes) building the Doc and writing it as ``to``."""
    times = []
    size = 0
    for _ in range(rounds + 1):
        start = time.perf_counter()
        data = write(document_doc(document, to), to)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        size = len(data)
    return times[0], min(times[1:]), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'document':<28}{'format':<7}{'cold s':>9}{'best s':>9}{'bytes':>12}")
    for label, pattern in CASES:
        document = parse_file(next(SEEDS.glob(pattern)))
        for to in FORMATS:
            cold, best, size = timed(document, to, args.rounds)
            print(f"{label:<28}{to:<7}{cold:>9.2f}{best:>9.2f}{size:>12,}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS: {rss:.0f} MB")
    print("targets: 自评报告 docx < 1 s, pdf < 3 s; disclosure package likewise")


if __name__ == "__main__":
    main()
