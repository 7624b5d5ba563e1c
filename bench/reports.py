"""Benchmark: the programme report and the ratings import with 500 areas x 2 phases.

    python bench/reports.py                      # SQLite (in memory)
    DATABASE_URL=postgres://... python bench/reports.py   # PostgreSQL (a throwaway test_* database)

Runs in a throwaway test database, never the real one. Prints the time of the import (500 areas
created, 1000 workshops, 7000 agreed levels), of importing the same file again (nothing to
change), and of the programme report (data, page, CSV, PDF), with the report's query count.
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

N_AREAS = int(os.environ.get("BENCH_AREAS", "500"))
REPEATS = 5


def timed(fn, repeats: int = 1) -> tuple[float, object]:
    """Median wall time in seconds over `repeats` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from reports.data import programme_report_for
    from reports.demo import demo_ratings_csv
    from reports.importer import ratings_import
    from workshops.models import Framework, Programme, Workshop

    framework = Framework.get_default()
    codes = list(framework.domains.order_by("position").values_list("code", flat=True))
    names = [f"Bench area {i:04d}" for i in range(N_AREAS)]
    # Every area rated in both phases (demo_ratings_csv leaves the last two without a follow-up).
    text = demo_ratings_csv(codes, framework.levels.count(), names + ["Extra A", "Extra B"], seed=500)
    data = text.encode("utf-8")
    rows = text.count("\n") - 1

    print(f"database: {connection.vendor}; {N_AREAS} areas x 2 phases ({rows} rows, {len(data)} bytes)")
    seconds, summary = timed(lambda: ratings_import(data, "Bench programme", framework))
    print(f"import (first time): {seconds:.2f} s  [{summary}]")
    seconds, summary = timed(lambda: ratings_import(data, "Bench programme", framework))
    print(f"import (same file again): {seconds:.2f} s  [{summary}]")
    assert Workshop.objects.count() == rows

    programme = Programme.objects.get(name="Bench programme")
    with CaptureQueriesContext(connection) as queries:
        report = programme_report_for(programme)
    seconds, report = timed(lambda: programme_report_for(programme), REPEATS)
    print(
        f"programme report (data): {seconds * 1000:.0f} ms median of {REPEATS}; "
        f"{len(queries)} queries; n_areas={report['n_areas']}"
    )

    admin = get_user_model().objects.create_superuser("bench", password="bench")
    client = Client()
    client.force_login(admin)
    for label, url in [
        ("page (HTML)", f"/reports/programmes/{programme.pk}/"),
        ("CSV download", f"/reports/programmes/{programme.pk}/report.csv"),
        ("PDF download", f"/reports/programmes/{programme.pk}/report.pdf"),
    ]:
        repeats = 1 if "PDF" in label else REPEATS
        seconds, response = timed(lambda url=url: client.get(url), repeats)
        assert response.status_code == 200, (url, response.status_code)
        extra = ""
        if "PDF" in label:
            import io

            from pypdf import PdfReader

            extra = f", {len(PdfReader(io.BytesIO(response.content)).pages)} pages"
        print(f"programme report ({label}): {seconds * 1000:.0f} ms, {len(response.content)} bytes{extra}")


if __name__ == "__main__":
    main()
