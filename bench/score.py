"""Benchmark: score generated self-evaluation tables; print rows/s, tables/s and peak memory.

Run: ``.venv/bin/python bench/score.py [--tables N] [--rows N] [--seed N] [--profile]``.
Target (issue 5): ≥ 100,000 rows per second on a 2-core machine; printed for one process and for
``--jobs`` processes (default: every core), each scoring its own share of the tables.

The tables are built before the clock starts, as the readers leave them: every row's 指标值 and
实际完成值 already parsed into ``Target``s, each row with its own ``Loc``s. The mix follows seed 002
(河南 district 部门整体 self-evaluation) and its national cousins: ratio targets (100%, ≥90%, ≤10%),
counts and amounts (≥10000人 met as 1.2万人, ≤50万元), qualitative words (健全 / 一般合理 / 未完成),
the deduction rows (预算调整率, 结转结余率, “三公经费”控制率), deadlines, a few missed targets, a few
missing actuals and reported scores that break the rule, plus the budget execution line. Each table
is scored by ``score_evaluation`` with the ruleset its notes name (as ``jixiao score`` does).

Peak memory: ``tracemalloc`` over one untimed scoring pass (the scorer's own allocations) and the
process's max RSS (which includes the generated tables).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import resource
import time
import tracemalloc
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.evaluation import FundLine, SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc, cell_name
from jixiao.model.values import parse_actual, parse_target
from jixiao.scoring import score_evaluation

TARGET_ROWS_PER_SECOND = 100_000

HENAN_NOTES = (
    "注：1.原则上一级指标分值统一设为：投入管理指标30分、产出指标25分、效益指标35分、预算执行率10分。"
    "2.定性指标根据指标完成情况分为达成预期指标、部分达成预期指标并具有一定效果、未达成预期指标且效果较差三档。"
)


@dataclass(frozen=True)
class Row:
    """One kind of indicator row: its name, 指标值, and the 实际完成值 wordings it is met with."""

    level1: str
    level2: str
    name: str
    target: str
    met: tuple[str, ...]  # actuals that meet the target
    missed: tuple[str, ...]  # actuals that miss it


#: Rows of a 河南 district 部门整体 table (seed 002's wording), by 一级指标.
DEPT_ROWS: dict[str, tuple[Row, ...]] = {
    "投入管理指标": (
        Row("投入管理指标", "目标设定", "年度履职目标相关性", "相关", ("相关",), ("一般相关",)),
        Row("投入管理指标", "目标设定", "工作任务科学性", "科学", ("科学",), ("基本科学",)),
        Row("投入管理指标", "目标设定", "绩效指标合理性", "合理", ("合理",), ("一般合理", "不合理")),
        Row("投入管理指标", "预算配置", "预算编制完整性", "完整", ("完整",), ("不完整",)),
        Row("投入管理指标", "预算配置", "专项资金细化率", "100%", ("100%", "1"), ("92%", "0.85")),
        Row("投入管理指标", "预算执行", "预算执行率", "100%", ("(100%)", "100%"), ("96.5%",)),
        Row("投入管理指标", "预算执行", "预算调整率", "≤10%", ("(0.1%)", "3%"), ("12%", "15.5%")),
        Row("投入管理指标", "预算执行", "结转结余率", "≤20%", ("5%", "0%"), ("23%",)),
        Row("投入管理指标", "预算执行", "“三公经费”控制率", "≤100%", ("100%", "96%"), ("104%",)),
        Row("投入管理指标", "预算执行", "政府采购执行率", "100%", ("100%",), ("98%",)),
        Row("投入管理指标", "预算管理", "决算真实性", "真实", ("真实",), ("基本真实",)),
        Row("投入管理指标", "预算管理", "资金使用合规性", "合规", ("合规",), ("不规范",)),
        Row("投入管理指标", "预算管理", "管理制度健全性", "健全", ("健全",), ("不健全", "有待完善")),
        Row("投入管理指标", "预算管理", "预决算信息公开性", "公开", ("公开", "已公开"), ("未完成",)),
        Row("投入管理指标", "资产管理", "资产管理规范性", "规范", ("规范",), ("较为规范",)),
        Row("投入管理指标", "绩效管理", "绩效监控完成率", "100%", ("100%",), ("90%",)),
        Row("投入管理指标", "绩效管理", "绩效自评完成率", "100%", ("100%",), ("95%",)),
        Row("投入管理指标", "绩效管理", "评价结果应用率", "100%", ("100%",), ("80%",)),
    ),
    "产出指标": (
        Row("产出指标", "重点工作任务完成", "重点工作1计划完成率", "100%", ("100%",), ("92%",)),
        Row("产出指标", "重点工作任务完成", "重点工作2计划完成率", "100%", ("100%",), ("0.9",)),
        Row("产出指标", "重点工作任务完成", "重点工作3计划完成率", "≥95%", ("98%", "100%"), ("93.5%",)),
        Row(
            "产出指标",
            "数量指标",
            "城镇新增就业人数",
            "≥1万人",
            ("12000人", "16911人", "1.2万人"),
            ("9500人",),
        ),
        Row("产出指标", "数量指标", "组织招聘活动场次", "≥200场", ("224场",), ("180场",)),
        Row(
            "产出指标",
            "数量指标",
            "职业技能培训人次",
            "≥20000人次",
            ("2.1万人次", "20500人次"),
            ("18000人次",),
        ),
        Row("产出指标", "质量指标", "培训合格率", "≥90%", ("93%", "0.95"), ("88%",)),
        Row("产出指标", "时效指标", "资金拨付时间", "12月底之前", ("11月", "按时完成"), ("未按时完成",)),
        Row("产出指标", "成本指标", "人均培训成本", "≤1500元", ("1420元", "1500元"), ("1680元",)),
        Row("产出指标", "成本指标", "项目总成本", "≤50万元", ("48.5万元", "500000元"), ("520000元",)),
        Row("产出指标", "年度工作目标", "年度工作目标1实现率", "100%", ("100%",), ("85%",)),
        Row("产出指标", "年度工作目标", "年度工作目标2实现率", "100%", ("100%",), ("97%",)),
    ),
    "效益指标": (
        Row("效益指标", "社会效益", "提高人民群众生活质量", "提高", ("提高", "有所提高"), ("一般",)),
        Row("效益指标", "社会效益", "就业形势", "总体稳定", ("稳定", "总体稳定"), ("基本稳定",)),
        Row("效益指标", "可持续影响", "长效管理制度", "健全", ("健全", "已建立"), ("部分建立", "未完成")),
        Row("效益指标", "满意度", "群众满意度", "≥90%", ("98.95%", "96%", "0.97"), ("86%",)),
        Row("效益指标", "满意度", "服务对象满意度", "≥85%", ("92%",), ("80%",)),
        Row("效益指标", "社会效益", "群众投诉率", "≤2%", ("1.2%", "0.5%"), ("3%",)),
    ),
}

#: The national rulesets (项目支出 / 部门整体) take the same rows under 产出 / 效益, plus 满意度.
SATISFACTION_ROWS = (
    Row("满意度指标", "服务对象满意度", "群众满意度", "≥90%", ("98.95%", "96%"), ("86%",)),
    Row("满意度指标", "服务对象满意度", "受益对象满意度", "≥85%", ("92%", "0.9"), ("80%",)),
)


def _split(total: int, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` points over ``parts`` rows, whole points of at least 1 (as forms give them)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [Decimal(bounds[i + 1] - bounds[i]) for i in range(parts)]


def _reported(weight: Decimal, met: bool, rng: random.Random, unique: bool = False) -> Decimal:
    """The department's own score: full when met, a point or so off when missed, rarely wrong.
    ``unique``: up to a hundredth off too (within the tolerance), so that no row repeats another."""
    if met:
        score = weight if rng.random() > 0.02 else weight + 1  # a score above the weight, now and then
    else:
        score = max(weight - Decimal(rng.choice((0, 1, 1, 2))), Decimal(0))
    if unique:
        score = max(score - Decimal(rng.randrange(1, 10000)) / 1000000, Decimal(0))
    return score


def make_table(number: int, rows: int, rng: random.Random, unique: bool = False) -> SelfEvaluation:
    """One self-evaluation with about ``rows`` indicator rows and a budget execution line."""
    kind = rng.random()
    project = kind >= 0.85
    henan = kind < 0.6
    file = f"bench_{number:05d}.xlsx"
    if henan:
        plan = {"投入管理指标": 30, "产出指标": 25, "效益指标": 35}
        pools = {level: list(pool) for level, pool in DEPT_ROWS.items()}
    else:
        plan = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
        pools = {"产出指标": [*DEPT_ROWS["投入管理指标"], *DEPT_ROWS["产出指标"]]}
        pools["效益指标"] = [r for r in DEPT_ROWS["效益指标"] if r.level2 != "满意度"]
        pools["满意度指标"] = list(SATISFACTION_ROWS)
    counts = {"投入管理指标": 11, "产出指标": 10, "效益指标": 5} if henan else {}
    if not henan:
        counts = {"产出指标": 21, "效益指标": 4, "满意度指标": 2}
    extra = rows - sum(counts.values())
    first = next(iter(counts))
    counts[first] = max(1, counts[first] + extra)
    indicators: list[Indicator] = []
    line = 8
    for level, points in plan.items():
        pool = pools[level]
        chosen = rng.sample(pool, min(counts[level], len(pool)))
        while len(chosen) < counts[level]:
            chosen.append(rng.choice(pool))
        weights = _split(points, len(chosen), rng)
        for row, weight in zip(chosen, weights, strict=True):
            roll = rng.random()
            met = roll > 0.12
            if roll < 0.01:
                actual_raw: str | None = None  # a missing 实际完成值
            else:
                actual_raw = rng.choice(row.met if met else row.missed)
            target = parse_target(row.target, row.name)
            actual = parse_actual(actual_raw, target) if actual_raw else None
            row_loc = Loc(file=file, sheet="自评表", row=line)
            indicators.append(
                Indicator(
                    level1=level,
                    level2=row.level2,
                    name=row.name,
                    target=target,
                    actual_raw=actual_raw,
                    actual=actual,
                    weight=weight,
                    score=_reported(weight, met, rng, unique),
                    deviation_reason=None if met else "受疫情影响，部分工作推迟",
                    loc=row_loc,
                    cells={
                        "score": Loc(file=file, sheet="自评表", row=line, col=9, cell=cell_name(line, 9)),
                        "actual": Loc(file=file, sheet="自评表", row=line, col=6, cell=cell_name(line, 6)),
                    },
                )
            )
            line += 1
    adjusted = Decimal(rng.randrange(50000, 500000)) / 100
    executed = adjusted if rng.random() > 0.3 else (adjusted * Decimal("0.9312")).quantize(Decimal("0.01"))
    budget = FundLine(
        label="部门预算总额" if not project else "年度资金总额",
        initial=adjusted,
        adjusted=adjusted,
        executed=executed,
        weight=Decimal(10),
        score=Decimal(10) if executed == adjusted else Decimal("9.3"),
        loc=Loc(file=file, sheet="自评表", row=4),
        cells={"score": Loc(file=file, sheet="自评表", row=4, col=9, cell="I4")},
    )
    total = sum((i.score for i in indicators if i.score is not None), Decimal(0)) + (budget.score or 0)
    return SelfEvaluation(
        scope="project" if project else "dept",
        department="某区人力资源和社会保障局" if not project else "某区就业局",
        project_name="就业补助资金" if project else None,
        year=2023,
        budget_execution=[budget],
        indicators=indicators,
        total_reported=total,
        grade_reported="优" if total >= 90 else "良",
        scoring_notes=HENAN_NOTES if henan else None,
        loc=Loc(file=file, sheet="自评表"),
    )


def make_tables(count: int, rows: int, seed: int, unique: bool = False) -> list[SelfEvaluation]:
    rng = random.Random(seed)
    return [make_table(number, rows, rng, unique) for number in range(count)]


def distinct_rows(tables: Sequence[SelfEvaluation]) -> int:
    """Rows that differ in what decides a score (the scorer copies a row that repeats another's)."""
    return len(
        {
            (t.scope, t.scoring_notes, i.name, i.target.raw, i.actual_raw, i.weight, i.score)
            for t in tables
            for i in t.indicators
        }
    )


def score_all(tables: Sequence[SelfEvaluation]) -> tuple[int, int]:
    """Score every table; (rows scored, findings). The sheets are not kept."""
    rows = findings = 0
    for table in tables:
        sheet = score_evaluation(table)
        rows += len(sheet.rows)
        findings += len(sheet.findings)
    return rows, findings


def _worker(count: int, rows: int, seed: int, unique: bool) -> tuple[int, float]:
    """One process: generate its own tables (untimed), then score them once; (rows, seconds)."""
    tables = make_tables(count, rows, seed, unique)
    score_all(tables[:50])
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    scored, _ = score_all(tables)
    return scored, time.perf_counter() - start


def parallel_rate(jobs: int, count: int, rows: int, seed: int, unique: bool) -> float:
    """Rows per second with ``jobs`` processes scoring at once (each its share of the tables)."""
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(
            pool.map(
                _worker,
                [count // jobs] * jobs,
                [rows] * jobs,
                [seed + i for i in range(jobs)],
                [unique] * jobs,
            )
        )
    return sum(r for r, _ in results) / max(seconds for _, seconds in results)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument(
        "--rows", type=int, default=30, help="indicator rows per table (plus the budget line)"
    )
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--walk-tables",
        action="store_true",
        help="let the garbage collector walk the generated tables while timing (no gc.freeze)",
    )
    parser.add_argument(
        "--unique",
        action="store_true",
        help="no row repeats another (scores off by under 0.01): the scorer cannot copy a row",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best is reported")
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions of one pass")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="also measure this many processes"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    tables = make_tables(args.tables, args.rows, args.seed, args.unique)
    built = time.perf_counter() - start
    indicator_rows = sum(len(t.indicators) for t in tables)
    print(
        f"generated {len(tables):,} tables, {indicator_rows:,} indicator rows in {built:.1f} s; "
        f"{distinct_rows(tables):,} distinct rows"
    )

    score_all(tables[:50])  # warm up imports and the rulesets' caches
    gc.collect()
    # The generated tables are millions of long-lived objects a real run (one document at a time)
    # does not hold; keep the collector from walking them over and over while the clock runs.
    if not args.walk_tables:
        gc.freeze()
    timings = []
    rows = findings = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        rows, findings = score_all(tables)
        timings.append(time.perf_counter() - start)
    best = min(timings)

    tracemalloc.start()
    score_all(tables[: min(len(tables), 1000)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rate = rows / best
    print(
        f"scored {rows:,} rows (budget lines included), {findings:,} findings, in {best:.2f} s (best of {len(timings)})"
    )
    print(
        f"rows/s:   {rate:12,.0f}   (target ≥ {TARGET_ROWS_PER_SECOND:,}: {'met' if rate >= TARGET_ROWS_PER_SECOND else 'NOT met'})"
    )
    print(f"tables/s: {len(tables) / best:12,.0f}")
    print(
        f"peak memory: scoring {peak / 1048576:.1f} MB (tracemalloc, 1,000 tables); process max RSS {rss:.0f} MB"
    )

    if args.jobs > 1:
        del tables
        gc.unfreeze()
        gc.collect()
        parallel = parallel_rate(args.jobs, args.tables, args.rows, args.seed, args.unique)
        print(f"rows/s with {args.jobs} processes: {parallel:12,.0f}")
        rate = max(rate, parallel)

    if args.profile:
        tables = make_tables(args.tables, args.rows, args.seed, args.unique)
        profiler = cProfile.Profile()
        profiler.enable()
        score_all(tables)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0 if rate >= TARGET_ROWS_PER_SECOND else 1


if __name__ == "__main__":
    raise SystemExit(main())
