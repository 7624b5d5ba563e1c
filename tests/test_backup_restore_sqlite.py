"""The README's SQLite backup commands, run on a database holding the full demo: the
`sqlite3 .backup` copy and the `dumpdata`/`loaddata` route both give every table the same rows.
(The PostgreSQL round trip, with reports and PDFs, is tests/test_backup_restore.py.)
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _manage(database: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
    )


def _row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as conn:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        tables = [name for (name,) in conn.execute(query)]
        counts = {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    conn.close()
    return counts


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("backup") / "db.sqlite3"
    _manage(database, "migrate", "--noinput", "-v0")
    _manage(database, "seed_demo")
    return database


def test_sqlite_backup_copies_every_row(demo_database, tmp_path):
    if not shutil.which("sqlite3"):
        pytest.skip("the sqlite3 command is not installed (apt-get install sqlite3)")
    copy = tmp_path / "cascade-backup.sqlite3"
    subprocess.run(["sqlite3", str(demo_database), f".backup '{copy}'"], check=True, timeout=60)
    counts = _row_counts(demo_database)
    assert counts["ratings_vote"] > 0 and counts["actionplans_actionitem"] > 0
    assert _row_counts(copy) == counts


def test_dumpdata_and_loaddata_restore_every_row(demo_database, tmp_path):
    dump, restored = tmp_path / "cascade.json", tmp_path / "restored.sqlite3"
    _manage(
        demo_database,
        *(
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            "-e",
            "contenttypes",
            "-e",
            "auth.permission",
        ),
        *("-e", "sessions", "-o", str(dump)),
    )
    _manage(restored, "migrate", "--noinput", "-v0")
    _manage(restored, "loaddata", str(dump))
    counts = _row_counts(demo_database)
    assert counts["ratings_consensuschange"] > 0
    assert _row_counts(restored) == counts
