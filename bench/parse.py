"""Benchmark: parse every seed and corpus document; print time per file, documents/s, peak memory.

Run: ``make bench`` (or ``.venv/bin/python bench/parse.py [FILES…] [--repeat N]``).
Targets (issue 3): every seed under 50 ms; the largest corpus PDF under 3 s on a 2-core machine.
Peak memory is measured with tracemalloc (Python allocations) and the process's max RSS.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from jixiao.ingest.load import parse_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = sorted((ROOT / "tests/data/seeds").glob("*.txt")) + sorted(
    p for p in (ROOT / "tests/data/corpus").iterdir() if p.suffix in {".pdf", ".xlsx", ".xls"}
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the median is reported")
    args = parser.parse_args()
    files = args.files or DEFAULT
    parse_file(files[0])  # warm up imports so the first file is not charged for them
    gc.collect()  # nor for the interpreter's first full collection of the import-time objects
    total = 0.0
    print(
        f"{'file':48} {'size KB':>8} {'first ms':>9} {'median ms':>10} {'peak MB':>8} {'kind':18} forms findings"
    )
    for path in files:
        # the first parse of a file meets cold caches (cell texts, targets); repeats are warm
        start = time.perf_counter()
        parse_file(path)
        first = time.perf_counter() - start
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            doc = parse_file(path)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        parse_file(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        median = statistics.median(times)
        total += first
        print(
            f"{path.name[:48]:48} {path.stat().st_size / 1024:8.0f} {first * 1000:9.1f} {median * 1000:10.1f} "
            f"{peak / 1048576:8.1f} {doc.kind:18} {len(doc.forms):5} {len(doc.findings):8}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n{len(files)} documents in {total:.2f} s: {len(files) / total:.1f} documents/s; max RSS {rss:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
