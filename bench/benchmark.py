"""Benchmark: one area against a programme of 500 areas (ratings/benchmark.py).

    python bench/benchmark.py                      # SQLite (in memory)
    DATABASE_URL=postgres://... python bench/benchmark.py   # PostgreSQL (a throwaway test_* database)

Runs in a throwaway test database, never the real one. Imports 500 areas rated in phases 1 and 2,
then times the benchmark of one area's follow-up (data only), its results page, its area page and
its action-plan PDF, with their query counts. Targets: the data in under 0.2 s, each page in under
1 s, the PDF in under 3 s; the script prints "targets NOT met" and exits 1 when one is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade_site.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N_AREAS = int(os.environ.get("BENCH_AREAS", "500"))
REPEATS = 5
TARGETS = {"data": 0.2, "results page": 1.0, "area page": 1.0, "action-plan PDF": 3.0}  # seconds


def timed(fn, repeats: int = REPEATS) -> tuple[float, object, int]:
    """Median wall time in seconds, the last result, and the queries of one run (counted by an
    execute wrapper: a request's start clears the captured query log)."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result, len(queries)


def main() -> int:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ratings.benchmark_data import workshop_benchmark
    from reports.demo import demo_ratings_csv
    from reports.importer import ratings_import
    from workshops.models import Framework, Workshop

    framework = Framework.get_default()
    codes = list(framework.domains.order_by("position").values_list("code", flat=True))
    names = [f"Bench area {i:04d}" for i in range(N_AREAS)]
    text = demo_ratings_csv(codes, framework.levels.count(), names + ["Extra A", "Extra B"], seed=500)
    ratings_import(text.encode("utf-8"), "Bench programme", framework)
    follow_up = Workshop.objects.select_related("area", "programme", "framework").get(
        area__name=names[0], phase=2
    )
    lead = get_user_model().objects.create_user("benchlead", password="bench")
    follow_up.area.leads.add(lead)
    client = Client()
    client.force_login(lead)
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}; {N_AREAS} areas x 2 phases")

    results: dict[str, float] = {}
    seconds, b, queries = timed(lambda: workshop_benchmark(follow_up))
    results["data"] = seconds
    print(f"benchmark data: {seconds * 1000:.0f} ms; {queries} queries; {b.n_areas} areas")
    for label, url in [
        ("results page", f"/workshops/{follow_up.pk}/results/"),
        ("area page", f"/areas/{follow_up.area.pk}/"),
        ("action-plan PDF", f"/workshops/{follow_up.pk}/plan.pdf"),
    ]:
        repeats = 1 if "PDF" in label else REPEATS
        seconds, response, queries = timed(lambda url=url: client.get(url), repeats)
        assert response.status_code == 200, (url, response.status_code)
        results[label] = seconds
        print(f"{label}: {seconds * 1000:.0f} ms; {queries} queries; {len(response.content)} bytes")
    missed = [f"{k} {v:.2f} s > {TARGETS[k]} s" for k, v in results.items() if v > TARGETS[k]]
    if missed:
        print("targets NOT met: " + "; ".join(missed))
        return 1
    print("targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
