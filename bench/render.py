"""Benchmark: seconds to generate each output from the seeds (render issue).

Run: ``make bench`` (or ``.venv/bin/python bench/render.py [--rounds N] [--only pdf]``).
Targets (issue 6), on a 2-core machine: a 自评报告 under 1 s as docx and under 3 s as pdf; the
disclosure package timed the same way. Each figure is the best of ``--rounds`` runs after one
warm-up run (which pays for imports and the font lookup once, as a long-running server does); the
first, cold run is printed too. Parsing is not timed: the documents are parsed before the clock starts.

A long PDF prints in two parts at once (``render/pdf.py``): for it the last columns give, for the
best run, the CPU seconds of each part where it was printed (the first here, the second in the
worker, then the page numbers and the joining) and their sum. On a machine other processes load,
the wall-clock figure grows with the load while the CPU figures barely move: the critical path
is then about max(first, second) + join.
"""

from __future__ import annotations

import argparse
import io
import resource
import time
from pathlib import Path

from pypdf import PdfReader

from jixiao.ingest.load import parse_file
from jixiao.render.pdf import PartTiming, write_pdf_timed
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


def timed(document: object, to: str, rounds: int) -> tuple[float, float, int, str, str]:
    """(cold seconds, best warm seconds, bytes, pages, the PDF's parts) building the Doc and
    writing it as ``to``."""
    times = []
    size = 0
    pages = ""
    parts = ""
    best = float("inf")
    for _ in range(rounds + 1):
        start = time.perf_counter()
        doc = document_doc(document, to)  # type: ignore[arg-type]
        if to == "pdf":
            data, timings = write_pdf_timed(doc)
        else:
            data, timings = write(doc, to), ()  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        size = len(data)
        if to == "pdf":
            pages = str(len(PdfReader(io.BytesIO(data)).pages))
        if timings and len(times) > 1 and elapsed < best:
            best = elapsed
            parts = _parts(timings)
    return times[0], min(times[1:]), size, pages, parts


def _parts(timings: tuple[PartTiming, ...]) -> str:
    """``first 1.10 + second(w) 1.32 + numbers+join 0.06 = 2.48 cpu s``, or the one pass."""
    shown = " + ".join(f"{t.part}{'(w)' if t.worker else ''} {t.cpu:.2f}" for t in timings)
    return f"{shown} = {sum(t.cpu for t in timings):.2f} cpu s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=FORMATS, help="time this format only")
    args = parser.parse_args()
    formats = [args.only] if args.only else list(FORMATS)
    print(f"{'document':<28}{'format':<7}{'cold s':>9}{'best s':>9}{'bytes':>12}{'pages':>7}  parts (pdf)")
    for label, pattern in CASES:
        document = parse_file(next(DATA.glob(pattern)))
        for to in formats:
            cold, best, size, pages, parts = timed(document, to, args.rounds)
            print(f"{label:<28}{to:<7}{cold:>9.2f}{best:>9.2f}{size:>12,}{pages:>7}  {parts}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS: {rss:.0f} MB (this process; the PDF worker is another)")
    print("targets: 自评报告 docx < 1 s, pdf < 3 s; disclosure package likewise")


if __name__ == "__main__":
    main()
