"""Backup and restore, proven (issue 9, section 6): the README's PostgreSQL commands, run.

A database holding the full demo (votes, consensus history, action plans, a follow-up review,
the imported paper pilot) is dumped with `pg_dump -Fc`, restored with `pg_restore` into a new
database, and compared: every table's row count, the programme report, and the text of two
action-plan PDFs (the baseline's, and the follow-up's with its review of the earlier actions)
rendered from each database by a separate process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from actionplans.models import ActionItem, DomainPlan, ItemReview, PlanEdit
from actionplans.services import item_review_save
from ratings.models import ConsensusChange, Vote
from tests.readme_blocks import shell_block
from workshops.models import Programme, Workshop

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
SECTION = "Backup and restore"
PILOT = "Paper pilot 2019–2020"  # imported by seed_demo from a paper-pilot file
DEMO = "Demo programme 2026"
MARK = "BACKUP-TEST-RESULT:"
RENDER = f"""
import io, json
from django.core.management import call_command
from pypdf import PdfReader
from actionplans.document import render_action_plan_pdf
from workshops.models import Workshop

def pdf_text(workshop):
    pages = PdfReader(io.BytesIO(render_action_plan_pdf(workshop))).pages
    return "\\n".join(page.extract_text() for page in pages)

report = io.StringIO()
call_command("programme_report", {PILOT!r}, stdout=report)
demo = Workshop.objects.filter(programme__name={DEMO!r})
print({MARK!r} + json.dumps({{
    "report": json.loads(report.getvalue()),
    "baseline_pdf": pdf_text(demo.get(phase=1)),
    "follow_up_pdf": pdf_text(demo.get(phase=2)),
}}))
"""


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (pg_dump/pg_restore); run with DATABASE_URL=postgres://…")
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed (apt-get install postgresql-client)")


def _server() -> dict[str, str]:
    s = connection.settings_dict
    return {
        "host": s["HOST"] or "127.0.0.1",
        "port": str(s["PORT"] or 5432),
        "user": s["USER"] or "postgres",
        "password": s["PASSWORD"] or "",
    }


def _tool_env() -> dict[str, str]:
    server = _server()
    env = {**os.environ, "PGHOST": server["host"], "PGPORT": server["port"], "PGUSER": server["user"]}
    if server["password"]:
        env["PGPASSWORD"] = server["password"]
    return env


def _connect(dbname: str):
    server = _server()
    return psycopg2.connect(
        dbname=dbname,
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"],
    )


def _row_counts(dbname: str) -> dict[str, int]:
    with _connect(dbname) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _database_url(dbname: str) -> str:
    server = _server()
    auth = quote(server["user"]) + (":" + quote(server["password"]) if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{dbname}"


def _rendered_from(dbname: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DATABASE_URL"] = _database_url(dbname)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RENDER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith(MARK))
    return json.loads(line[len(MARK) :])


def _seed_full_demo() -> None:
    call_command("seed_demo")
    follow_up = Workshop.objects.get(programme__name=DEMO, phase=2)
    item = ActionItem.objects.filter(workshop__programme__name=DEMO, workshop__phase=1).order_by("pk").first()
    user = follow_up.facilitators.order_by("pk").first() or follow_up.created_by
    item_review_save(
        follow_up, item, data={"status": "done", "note": "Guide sent to every school."}, version=0, user=user
    )
    # The demo is as full as the issue asks: every kind of record is there to lose.
    for model in (Vote, ConsensusChange, DomainPlan, ActionItem, ItemReview, PlanEdit):
        assert model.objects.exists(), model.__name__
    assert Workshop.objects.filter(programme__name=PILOT).count() >= 20


def _run_readme_block(block: str, cwd: Path, database_url: str) -> str:
    """A README block typed into a shell as written: only DATABASE_URL set, no PG* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
    env["DATABASE_URL"] = database_url
    result = subprocess.run(
        ["bash", "-e", "-c", block], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{block}\n{result.stderr[-3000:]}"
    return result.stdout


def test_a_dump_restores_to_the_same_data_reports_and_pdfs(tmp_path):
    """The README's restore once named a fixed file (cascade-2026-12-01.dump) and failed when
    typed as written (issue 21): its blocks run here exactly as printed."""
    _seed_full_demo()
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored_{uuid.uuid4().hex[:8]}"
    env = _tool_env()
    # The README's two blocks, as written; only the restored database's name is this run's own.
    backup, restore = shell_block(SECTION, "pg_dump "), shell_block(SECTION, "pg_restore ")
    assert restore.count("cascade_restored") == 2
    older = tmp_path / "cascade-2000-01-01-0000.dump"  # an older dump the restore must not pick
    older.write_bytes(b"not this one")
    os.utime(older, (0, 0))
    _run_readme_block(backup, tmp_path, _database_url(source))
    dumps = sorted(tmp_path.glob("cascade-*.dump"))
    assert len(dumps) == 2 and dumps[-1].stat().st_size > 0
    try:
        printed = _run_readme_block(
            restore.replace("cascade_restored", restored), tmp_path, _database_url(source)
        )
        assert printed.strip() == _database_url(restored)
        original_counts, restored_counts = _row_counts(source), _row_counts(restored)
        assert restored_counts == original_counts
        assert original_counts["ratings_vote"] > 0 and original_counts["actionplans_itemreview"] > 0

        original, copy = _rendered_from(source), _rendered_from(restored)
        assert copy["report"] == original["report"]
        assert original["report"]["programme"] == PILOT and len(original["report"]["areas"]) >= 10
        assert copy["baseline_pdf"] == original["baseline_pdf"]
        assert copy["follow_up_pdf"] == original["follow_up_pdf"]
        assert "Draft the one-page" in original["baseline_pdf"]
        assert "Guide sent to every school." in original["follow_up_pdf"]
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", restored], env=env, check=True, timeout=60)
    assert Programme.objects.filter(name=PILOT).exists()
