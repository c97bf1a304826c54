"""Time the dashboard with many documents: fact rows made directly (``bulk_create``), then the page
asked for five times through Django's test client, in-process; prints the median per page.

    python -m jixiao.web.dashboard.bench [documents] [previous-year documents]

Uses a fresh SQLite database in a temporary folder (``JIXIAO_DATA``) unless ``DATABASE_URL`` is set.
The documents are fact rows only (no file behind them): this measures the dashboard's queries and
rendering, not the import (``bench/batch.py`` does that with real files).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from typing import Any

PAGES = (
    ("看板（本年度）", "/dashboard/?year={year}"),
    ("看板（全部年度）", "/dashboard/?year="),
    ("看板（一个部门）", "/dashboard/?year={year}&department={department}"),
    ("文件列表（按规则代码）", "/dashboard/documents/?year={year}&code={code}"),
    ("图表数据 xlsx（规则代码）", "/dashboard/figures/codes.xlsx?year={year}"),
)
YEAR = 2023


def populate(documents: int, previous: int, departments: int = 300, seed: int = 9) -> dict[str, Any]:
    """``documents`` facts in ``YEAR`` and ``previous`` in the year before, over ``departments``
    departments in 12 regions, with findings drawn from the real rule codes."""
    from django.contrib.auth.models import User

    from jixiao.checks import builtin_registry
    from jixiao.web.dashboard.models import DocumentFacts, FindingCount
    from jixiao.web.models import Department, Document, Profile, Role, Status

    rng = random.Random(seed)
    user = User.objects.create_user("bench-reviewer", password="bench-password-1")
    Profile.objects.create(user=user, role=Role.REVIEWER)
    regions = [f"第{i + 1}区" for i in range(12)]
    made = Department.objects.bulk_create(
        Department(name=f"测试部门{i:04d}", region=regions[i % len(regions)]) for i in range(departments)
    )
    kinds = ["self_evaluation", "dept_target", "project_target", "budget_disclosure"]
    statuses = [s for s, _ in Status.choices]
    rules = list(builtin_registry())
    total = documents + previous
    docs = Document.objects.bulk_create(
        (
            Document(
                department=made[i % departments],
                title=f"测试文件{i:05d}",
                kind=kinds[i % len(kinds)],
                year=YEAR if i < documents else YEAR - 1,
                status=rng.choice(statuses),
                created_by=user,
            )
            for i in range(total)
        ),
        batch_size=1000,
    )
    facts: list[DocumentFacts] = []
    counts: list[tuple[Document, Any, int]] = []
    for doc in docs:
        scored = doc.kind == "self_evaluation"
        score = Decimal(rng.randint(5000, 10000)) / 100 if scored else None
        chosen = rng.sample(rules, rng.randint(0, 8))
        per_code = [(r, rng.randint(1, 4)) for r in chosen]
        grade = (
            ""
            if score is None
            else "优"
            if score >= 90
            else "良"
            if score >= 80
            else "中"
            if score >= 60
            else "差"
        )
        facts.append(
            DocumentFacts(
                document=doc,
                department_id=doc.department_id,
                region=made[(doc.pk or 0) % departments].region,
                year=doc.year,
                kind=doc.kind,
                status=doc.status,
                version_number=1,
                budget_fen=rng.randint(100_000, 5_000_000_000) if doc.kind != "budget_disclosure" else None,
                score_computed=score,
                score_reported=score + 2 if score is not None and score <= 98 else score,
                grade_computed=grade,
                grade_reported=grade,
                errors=sum(n for r, n in per_code if r.severity.value == "error"),
                warnings=sum(n for r, n in per_code if r.severity.value == "warning"),
                infos=sum(n for r, n in per_code if r.severity.value == "info"),
            )
        )
        counts.extend((doc, r, n) for r, n in per_code)
    DocumentFacts.objects.bulk_create(facts, batch_size=1000)
    FindingCount.objects.bulk_create(
        (
            FindingCount(
                facts_id=doc.pk,
                year=doc.year,
                code=r.code,
                family=r.family,
                severity=r.severity.value,
                count=n,
            )
            for doc, r, n in counts
        ),
        batch_size=2000,
    )
    return {"user": user, "department": made[0].pk, "code": rules[0].code, "findings": len(counts)}


def time_pages(context: dict[str, Any], repeat: int = 5) -> list[tuple[str, float, float, int]]:
    """Per page: its name, the median wall time and CPU time of this process (ms), its size.
    SQLite runs in this process, so the CPU time is the page's own work, without the time spent
    waiting for a core the machine's other programs hold."""
    from django.test import Client

    client = Client()
    client.force_login(context["user"])
    results = []
    for name, pattern in PAGES:
        url = pattern.format(year=YEAR, department=context["department"], code=context["code"])
        times = []
        cpu = []
        size = 0
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            size = len(response.content)
        results.append((name, statistics.median(times) * 1000, statistics.median(cpu) * 1000, size))
    return results


def main(argv: list[str]) -> None:
    documents = int(argv[0]) if argv else 10_000
    previous = int(argv[1]) if len(argv) > 1 else 3_000
    if "DATABASE_URL" not in os.environ:
        os.environ["JIXIAO_DATA"] = tempfile.mkdtemp(prefix="jixiao-dashboard-bench-")
        os.makedirs(os.path.join(os.environ["JIXIAO_DATA"], "static"), exist_ok=True)
    os.environ["JIXIAO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    context = populate(documents, previous)
    print(
        f"数据：本年 {documents} 份、上年 {previous} 份文件，问题计数 {context['findings']} 行"
        f"（生成用时 {time.perf_counter() - start:.1f} 秒）"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name, ms, cpu, size in time_pages(context):
        print(f"{name}: 中位数 {ms:.0f} ms（CPU {cpu:.0f} ms，5 次），页面 {size / 1024:.0f} KB")
    print(f"（本机 1 分钟平均负载 {load:.1f}，{os.cpu_count()} 核）")


if __name__ == "__main__":
    main(sys.argv[1:])
