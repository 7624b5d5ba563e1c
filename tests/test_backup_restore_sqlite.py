"""The README's SQLite backup commands, run on a database holding the full demo: the
`sqlite3 .backup` copy put back by `cp`, and the `dumpdata`/`loaddata` route both give every
table the same rows.
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

from tests.readme_blocks import shell_block

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


def test_the_readme_backup_and_restore_copy_every_row(demo_database, tmp_path):
    """The README's two blocks, typed as written in the app's directory: the restore once named a
    fixed file (cascade-2026-12-01.sqlite3) and failed (issue 21)."""
    if not shutil.which("sqlite3"):
        pytest.skip("the sqlite3 command is not installed (apt-get install sqlite3)")
    backup, restore = shell_block("Backup and restore", ".backup"), shell_block("Backup and restore", "cp ")
    assert "2026-" not in backup + restore
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(demo_database, database)
    older = tmp_path / "cascade-2000-01-01-0000.sqlite3"  # an older copy the restore must not pick
    older.write_bytes(b"not this one")
    os.utime(older, (0, 0))
    counts = _row_counts(database)
    assert counts["ratings_vote"] > 0 and counts["actionplans_actionitem"] > 0

    subprocess.run(["bash", "-e", "-c", backup], cwd=tmp_path, check=True, timeout=60)
    copies = sorted(tmp_path.glob("cascade-*.sqlite3"))
    assert len(copies) == 2 and _row_counts(copies[-1]) == counts
    with sqlite3.connect(database) as conn:  # the loss the backup is for
        conn.execute("DELETE FROM ratings_vote")
    conn.close()
    assert _row_counts(database)["ratings_vote"] == 0

    subprocess.run(["bash", "-e", "-c", restore], cwd=tmp_path, check=True, timeout=60)
    assert _row_counts(database) == counts


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
