"""Benchmark: parse + check throughput (documents per second) and the cost of each rule family.

Run: ``make bench`` (or ``.venv/bin/python bench/check.py [--documents N] [--mix N]``).
Target (issue 4): ≥ 50 documents/second for the text seeds on a 2-core machine, 1,000 documents.
Each document is audited on its own, as an upload is (``audit_files([path])``); the seeds are
cycled to reach ``--documents``. ``--mix`` does the same over seeds + corpus (PDF, xlsx, xls),
where reading the PDFs dominates.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import resource
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jixiao.checks import builtin_registry
from jixiao.checks.context import Context
from jixiao.checks.engine import audit_files, run_rule
from jixiao.ingest.load import load_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests/data/seeds").glob("*.txt"))
CORPUS = sorted(p for p in (ROOT / "tests/data/corpus").iterdir() if p.suffix in {".pdf", ".xlsx", ".xls"})


def _audit(path: Path) -> dict[str, int]:
    return audit_files([path]).stats.by_code


def throughput(files: list[Path], count: int, jobs: int = 1) -> tuple[float, Counter[str]]:
    """Documents per second auditing ``count`` documents one by one (in ``jobs`` processes)."""
    codes: Counter[str] = Counter()
    paths = list(itertools.islice(itertools.cycle(files), count))
    start = time.perf_counter()
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_audit, initargs=(files[0],)) as pool:
            for found in pool.map(_audit, paths, chunksize=8):
                codes.update(found)
    else:
        for path in paths:
            codes.update(_audit(path))
    return count / (time.perf_counter() - start), codes


def rule_costs(files: list[Path], rounds: int = 10) -> tuple[float, list[tuple[str, float]]]:
    """Milliseconds per document for all rules and for the slowest (checks only, parsing excluded).

    Rules run in registry order on one context per document, as in a real audit: work they
    share (``ctx.memo``) is charged to the first rule that asks for it.
    """
    loaded = [load_file(path) for path in files]
    costs: dict[str, float] = {}
    for _ in range(rounds):
        for document, source in loaded:
            ctx = Context(document=document, source=source, documents=[document])
            for rule in builtin_registry():
                start = time.perf_counter()
                run_rule(rule, ctx)
                spent = (time.perf_counter() - start) * 1000 / (len(loaded) * rounds)
                costs[rule.code] = costs.get(rule.code, 0.0) + spent
    return sum(costs.values()), sorted(costs.items(), key=lambda item: -item[1])[:8]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000, help="text-seed documents to audit")
    parser.add_argument("--mix", type=int, default=0, help="also audit this many seed+corpus documents")
    args = parser.parse_args()
    audit_files(SEEDS[:1])  # warm up imports and the registry
    gc.collect()
    rate, codes = throughput(SEEDS, args.documents)
    print(f"text seeds: {args.documents} documents parsed + checked, 1 process: {rate:.1f} documents/s")
    jobs = os.cpu_count() or 1
    if jobs > 1:
        rate, _ = throughput(SEEDS, args.documents, jobs)
        print(
            f"text seeds: {args.documents} documents, {jobs} processes: {rate:.1f} documents/s (target ≥ 50)"
        )
    print(
        f"  rules: {len(builtin_registry())}; findings per cycle of {len(SEEDS)} seeds: "
        f"{sum(codes.values()) * len(SEEDS) // max(args.documents, 1)}"
    )
    total, slowest = rule_costs(SEEDS)
    named = ", ".join(f"{code} {ms:.2f}" for code, ms in slowest)
    print(f"  checks alone: {total:.1f} ms per seed document; slowest rules (ms): {named}")
    if args.mix:
        mix = SEEDS + CORPUS
        rate, _ = throughput(mix, args.mix)
        print(f"seeds + corpus: {args.mix} documents: {rate:.2f} documents/s ({1 / rate:.2f} s per document)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
