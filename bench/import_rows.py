"""Benchmark: the largest ratings file an import accepts, and a 100,000-row file it refuses.

    python bench/import_rows.py                            # SQLite
    DATABASE_URL=postgres://... python bench/import_rows.py   # PostgreSQL (a throwaway test_* database)

Runs in a throwaway test database. A web worker is killed after 30 s, so the whole upload
(check and write) must stay well inside that:
- a 100,000-row file (about 4.4 MB, under the 5 MB upload limit) is refused with one message,
  writing nothing, in under 5 s;
- a file of MAX_ROWS rows (each a new area) is imported in under 15 s.
Prints "targets NOT met" and exits 1 when either is missed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REFUSE_TARGET_S = 5.0
IMPORT_TARGET_S = 15.0


def rows_csv(codes: list[str], n: int) -> bytes:
    lines = ["area,phase,date," + ",".join(codes)]
    lines += [f"Pilot area {i:06d},1,2019-03-14," + ",".join("1" * len(codes)) for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> int:
    from reports.importer import ratings_import
    from reports.parsing import MAX_ROWS, RatingsImportError
    from workshops.models import Area, Framework, Workshop

    framework = Framework.get_default()
    codes = list(framework.domains.order_by("position").values_list("code", flat=True))
    ok = True

    huge = rows_csv(codes, 100_000)
    start = time.perf_counter()
    try:
        ratings_import(huge, "Huge programme", framework)
        message = "imported?!"
        ok = False
    except RatingsImportError as exc:
        message = exc.errors[0]
    refused = time.perf_counter() - start
    wrote = Area.objects.count() + Workshop.objects.count()
    ok = ok and wrote == 0 and refused < REFUSE_TARGET_S
    print(f"database: {connection.vendor}")
    print(
        f"100,000 rows ({len(huge) / 1e6:.1f} MB): refused in {refused:.2f} s "
        f"(target < {REFUSE_TARGET_S} s), "
        f"{wrote} rows written; {message}"
    )

    largest = rows_csv(codes, MAX_ROWS)
    start = time.perf_counter()
    summary = ratings_import(largest, "Largest programme", framework)
    took = time.perf_counter() - start
    ok = ok and took < IMPORT_TARGET_S
    print(
        f"{MAX_ROWS:,} rows ({len(largest) / 1e6:.2f} MB): imported in {took:.2f} s "
        f"(target < {IMPORT_TARGET_S} s) [{summary}]"
    )
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
