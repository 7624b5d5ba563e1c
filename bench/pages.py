"""Benchmark: the list pages take the same time at 10 and at 500 workshops.

    python bench/pages.py                                  # SQLite (a throwaway test database)
    DATABASE_URL=postgres://.../cascade_scale_bench python bench/pages.py   # PostgreSQL

Builds one programme with 10 areas (a workshop each, with agreed ratings and action items), a
facilitator of every workshop and a CCG lead of every area; times the home page, the area list
and the action items page for each role that sees them (median of 21 requests in process, HTML
rendered); grows to 50 (a full first page everywhere) and 500 workshops and times them again.
Target: each page within 20% of its time at 10 workshops. The target compares this process's
CPU time (the app, and SQLite when used); wall time is also shown.

On SQLite the database is copied (in memory) at each size and the sizes are timed in turns, a
request of each page at 10, 50 and 500 workshops, then the next round: a machine whose speed
drifts (other jobs, a shared host) then slows every size alike. Timing each size in a block of
its own, as this did before, let that drift decide: on a shared 2-core machine one unchanged
page measured 0.96 and 1.83 times its time at 10 workshops in two runs. Other databases are
still timed a size at a time.
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
REPEATS = 21
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


def _time(client, url) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    client.get(url)
    return time.perf_counter() - started, time.process_time() - cpu


def _count_queries(client, url) -> tuple[int, int]:
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), len(response.content)


def _summary(samples: list, queries: int, size: int) -> tuple:
    wall = statistics.median(s[0] for s in samples) * 1000
    cpu = statistics.median(s[1] for s in samples) * 1000
    return wall, cpu, queries, size


def measure(clients: dict) -> dict:
    """Every page at the current size, one after the other (databases other than SQLite)."""
    times = {}
    for role, url in PAGES:
        client = clients[role]
        client.get(url)  # warm
        queries, size = _count_queries(client, url)
        samples = [_time(client, url) for _ in range(REPEATS)]
        times[(role, url)] = _summary(samples, queries, size)
    return times


def _use(name: str) -> None:
    """Point the default connection at the in-memory database `name`."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    BaseDatabaseWrapper.close(connection)  # SQLite's close() keeps in-memory databases open
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def measure_in_turns(clients: dict, copies: dict) -> dict:
    """Every page at every size, a request of each size in turn (SQLite copies in memory)."""
    counts, samples = {}, {}
    for size, name in copies.items():
        _use(name)
        for role, url in PAGES:
            clients[role].get(url)  # warm
            counts[(size, role, url)] = _count_queries(clients[role], url)
    for _ in range(REPEATS):
        for size, name in copies.items():
            _use(name)
            for role, url in PAGES:
                clients[role].get(url)  # warm this connection's statement cache
            for role, url in PAGES:
                samples.setdefault((size, role, url), []).append(_time(clients[role], url))
    return {
        size: {
            (role, url): _summary(samples[(size, role, url)], *counts[(size, role, url)])
            for role, url in PAGES
        }
        for size in copies
    }


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
    if connection.vendor == "sqlite":
        import sqlite3

        copies, keep = {}, []
        for size in SIZES:
            grow(world, size)
            name = f"file:bench_pages_{size}?mode=memory&cache=shared"
            keep.append(sqlite3.connect(name, uri=True))  # the copy lives while a connection does
            connection.ensure_connection()
            connection.connection.backup(keep[-1])
            copies[size] = name
        original = connection.settings_dict["NAME"]
        try:
            results = measure_in_turns(clients, copies)
        finally:
            _use(original)
            for copy in keep:
                copy.close()
        method = f"sizes timed in turns, median of {REPEATS} rounds"
    else:
        for size in SIZES:
            grow(world, size)
            results[size] = measure(clients)
        method = f"a size at a time, median of {REPEATS} requests"
    print(
        f"database: {connection.vendor}; {method}; requests in process (no test "
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
