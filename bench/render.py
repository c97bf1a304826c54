"""Benchmark: seconds to generate each output from the seeds (render issue).

Run: ``make bench`` (or ``.venv/bin/python bench/render.py [--rounds N]``).
Targets (issue 6), on a 2-core machine: a 自评报告 under 1 s as docx and under 3 s as pdf; the
disclosure package timed the same way. Each figure is the best of ``--rounds`` runs after one
warm-up run (which pays for imports and the font lookup once, as a long-running server does); the
first, cold run is printed too. Parsing is not timed: the documents are parsed before the clock starts.
"""

from __future__ import annotations

import argparse
import io
import resource
import time
from pathlib import Path

from pypdf import PdfReader

from jixiao.ingest.load import parse_file
from jixiao.render.pipeline import FORMATS, document_doc, write

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data"

CASES = (
    ("自评报告（seed 002）", "seeds/002_*.txt"),
    ("预算公开（seed 003）", "seeds/003_*.txt"),
    ("部门整体申报表（seed 000）", "seeds/000_*.txt"),
    ("申报表 1+4 张（seed 004）", "seeds/004_*.txt"),
    ("预算公开（江苏 jcy 2019）", "corpus/js-jcy-*.pdf"),
    ("预算公开（普陀 万里 2023）", "corpus/sh-putuo-wanli-*.pdf"),
    ("预算公开（普陀 税务 2025）", "corpus/sh-putuo-swj-*.pdf"),
    ("决算公开（普陀 财政 2024）", "corpus/sh-putuo-czj-*.pdf"),
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
    print(f"{'document':<28}{'format':<7}{'cold s':>9}{'best s':>9}{'bytes':>12}{'pages':>7}")
    for label, pattern in CASES:
        document = parse_file(next(DATA.glob(pattern)))
        for to in FORMATS:
            cold, best, size = timed(document, to, args.rounds)
            pages = (
                f"{len(PdfReader(io.BytesIO(write(document_doc(document, to), to))).pages):>7}"
                if to == "pdf"
                else ""
            )
            print(f"{label:<28}{to:<7}{cold:>9.2f}{best:>9.2f}{size:>12,}{pages}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS: {rss:.0f} MB")
    print("targets: 自评报告 docx < 1 s, pdf < 3 s; disclosure package likewise")


if __name__ == "__main__":
    main()
