"""Benchmark: the list pages take the same time at 10 and at 500 workshops.

    python bench/pages.py                                  # SQLite (a throwaway test database)
    DATABASE_URL=postgres://.../cascade_scale_bench python bench/pages.py   # PostgreSQL

Builds one programme with 10 areas (a workshop each, with agreed ratings and action items), a
facilitator of every workshop and a CCG lead of every area; times the home page, the area list
and the action items page for each role that sees them (median of 15 requests in process, HTML
rendered); grows to 50 (a full first page everywhere) and 500 workshops and times them again.
Target: each page within 20% of its time at 10 workshops. The target compares this process's
CPU time (the app, and SQLite when used), which other jobs on a shared machine disturb far
less than the wall time also shown.
Prints "targets NOT met" and exits 1 otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

SIZES = (10, 50, 500)  # 50: more than one page of every table
REPEATS = 15
TOLERANCE = 0.20
PAGES = [
    ("facilitator", "/"),
    ("lead", "/"),
    ("admin", "/"),
    ("lead", "/areas/"),
    ("admin", "/areas/"),
    ("lead", "/action-items/"),
    ("admin", "/action-items/"),
]


def grow(world: dict, total: int) -> None:
    """Areas with one closed, rated workshop each (action items too) until there are `total`."""
    from actionplans.models import ActionItem
    from reports.tests.report_factories import rate
    from workshops.models import Area, Workshop

    start = Workshop.objects.count()
    for i in range(start, total):
        area = Area.objects.create(code=f"B{i:04d}", name=f"Bench area {i:04d}")
        area.leads.add(world["lead"])
        workshop = Workshop.objects.create(
            area=area,
            programme=world["programme"],
            framework=world["framework"],
            title=f"Bench workshop {i:04d}",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
            status=Workshop.Status.CLOSED,
        )
        workshop.facilitators.add(world["facilitator"])
        rate(workshop, [(i + k) % 3 for k in range(7)])
        ActionItem.objects.bulk_create(
            ActionItem(workshop=workshop, domain=d, description=f"Action {i} {d.code}")
            for d in world["domains"][:2]
        )


def measure(clients: dict) -> dict:
    times = {}
    for role, url in PAGES:
        client = clients[role]
        response = client.get(url)  # warm
        assert response.status_code == 200, (role, url, response.status_code)
        samples, queries = [], []

        def count(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            client.get(url)
        for _ in range(REPEATS):
            started, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            samples.append((time.perf_counter() - started, time.process_time() - cpu))
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        times[(role, url)] = (wall, cpu, len(queries), len(response.content))
    return times


def run() -> bool:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from workshops.models import CCG_LEADS_GROUP, FACILITATORS_GROUP, Framework, Programme

    user_model = get_user_model()
    facilitator = user_model.objects.create_user("bench-facilitator", password="x" * 20)
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    lead = user_model.objects.create_user("bench-lead", password="x" * 20)
    lead.groups.add(Group.objects.get_or_create(name=CCG_LEADS_GROUP)[0])
    admin = user_model.objects.create_superuser("bench-admin", password="x" * 20)
    framework = Framework.get_default()
    world = {
        "facilitator": facilitator,
        "lead": lead,
        "framework": framework,
        "domains": list(framework.domains.all()),
        "programme": Programme.objects.create(name="Bench programme"),
    }
    clients = {}
    for role, user in (("facilitator", facilitator), ("lead", lead), ("admin", admin)):
        clients[role] = Client()
        clients[role].force_login(user)
    results = {}
    for size in SIZES:
        grow(world, size)
        results[size] = measure(clients)
    print(
        f"database: {connection.vendor}; median of {REPEATS} requests in process (no test "
        "instrumentation); load average before: " + " ".join(f"{x:.2f}" for x in LOAD_BEFORE)
    )
    failures = []
    small, full, large = SIZES
    for key in results[small]:
        (w1, c1, q1, b1), (_, c50, _, _), (w2, c2, q2, b2) = (results[n][key] for n in SIZES)
        ratio = c2 / c1
        print(
            f"{key[0]:>12} {key[1]:<15} {small:>3}: {w1:6.1f} ms wall, {c1:6.1f} ms CPU, {q1} queries, "
            f"{b1 // 1024} KiB | {large}: {w2:6.1f} ms wall, {c2:6.1f} ms CPU, {q2} queries, {b2 // 1024} KiB"
            f" | CPU x{ratio:.2f} (x{c2 / c50:.2f} of {full})"
        )
        if ratio > 1 + TOLERANCE:
            failures.append(f"{key[0]} {key[1]} x{ratio:.2f}")
    if failures:
        print(
            f"targets NOT met (more than {TOLERANCE:.0%} slower at {large} workshops): " + "; ".join(failures)
        )
    else:
        print(f"targets met: every page within {TOLERANCE:.0%} of its time at {small} workshops")
    return not failures


def main() -> int:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return 0 if run() else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


LOAD_BEFORE = os.getloadavg()

if __name__ == "__main__":
    sys.exit(main())
