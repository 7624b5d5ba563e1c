"""Benchmark: the action-plan PDF of a full follow-up plan, rendered repeatedly.

    .venv/bin/python bench/pdf.py [--runs 10] [--save plan.pdf] [--kinds-runs 5] [--save-dir DIR]

A follow-up workshop (7 domains with votes, ~160-word notes per box, 40 action items, and the
baseline's 12 items under review) is built in a throw-away SQLite database (or in a rolled-back
transaction when DATABASE_URL is set). Prints the median time of the whole PDF (queries,
template and WeasyPrint), the median of WeasyPrint alone on the same HTML, the app's share,
and peak memory. Then every other kind of PDF the app writes, through its download view as a
facilitator or admin would fetch it: the programme report (200 areas x 2 phases), the paper
ballot and the tally sheets; for each kind its pages, file size and median wall and CPU time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade_site.settings")
_tmpdir = None
if not os.environ.get("DATABASE_URL"):
    _tmpdir = tempfile.TemporaryDirectory(prefix="cascade-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmpdir.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402


class Rollback(Exception):
    pass


def build():
    from actionplans.sample import fill_plan, fill_votes, review_all
    from workshops.models import Area, Framework, Programme, Workshop

    framework = Framework.get_default()
    area = Area.objects.create(code="BENCH-PDF", name="Ynys Môn and Gwynedd (benchmark)")
    programme = Programme.objects.create(name="Benchmark programme")
    baseline = Workshop.objects.create(
        area=area,
        programme=programme,
        framework=framework,
        phase=1,
        title="Baseline",
        date=dt.date(2026, 3, 2),
    )
    fill_votes(baseline, participants=20, seed=3)
    fill_plan(baseline, items=12, words=60, seed=5)
    follow_up = Workshop.objects.create(
        area=area,
        programme=programme,
        framework=framework,
        phase=2,
        title="Follow-up workshop: Gwasanaethau iechyd meddwl",
        date=dt.date(2026, 9, 14),
        venue="Canolfan Gymunedol Llangefni",
        status=Workshop.Status.CLOSED,
    )
    fill_votes(follow_up, participants=32, seed=9, shift=1)
    fill_plan(follow_up, items=40, words=160, seed=13)
    review_all(follow_up, baseline)
    return Workshop.objects.select_related("area", "programme", "framework").get(pk=follow_up.pk)


REPORT_AREAS = 200


def other_pdfs(workshop) -> list[tuple[str, str]]:
    """(kind, URL) of every other PDF the app writes, with their data built."""
    from reports.demo import demo_ratings_csv
    from reports.importer import ratings_import
    from workshops.models import Framework, Programme

    framework = Framework.get_default()
    codes = list(framework.domains.order_by("position").values_list("code", flat=True))
    names = [f"Report area {i:04d}" for i in range(REPORT_AREAS)]
    text = demo_ratings_csv(codes, framework.levels.count(), names, seed=500)
    ratings_import(text.encode("utf-8"), "PDF bench programme", framework)
    programme = Programme.objects.get(name="PDF bench programme")
    return [
        ("programme report", f"/reports/programmes/{programme.pk}/report.pdf"),
        ("paper ballot", f"/workshops/{workshop.pk}/paper/ballot.pdf"),
        ("tally sheets", f"/workshops/{workshop.pk}/paper/tally.pdf"),
    ]


def measure_kinds(workshop, runs: int, save_dir: str | None) -> list[tuple[str, int, int, float, float]]:
    """(kind, pages, bytes, median wall s, median CPU s) of each PDF, the action plan first."""
    import io

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pypdf import PdfReader

    from actionplans.document import render_action_plan_pdf

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    admin = get_user_model().objects.create_superuser("pdf-bench", password="unused-pdf-bench")
    client = Client()
    client.force_login(admin)
    fetchers = [("action plan", lambda: render_action_plan_pdf(workshop))]
    for kind, url in other_pdfs(workshop):

        def fetch(url=url) -> bytes:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response.content

        fetchers.append((kind, fetch))
    rows = []
    for kind, fetch in fetchers:
        pdf = fetch()  # warm-up
        if save_dir:
            Path(save_dir, kind.replace(" ", "-") + ".pdf").write_bytes(pdf)
        wall, cpu = [], []
        for _ in range(runs):
            wall.append(timed(fetch, cpu))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows.append((kind, pages, len(pdf), statistics.median(wall), statistics.median(cpu)))
    return rows


CPU: list[float] = []  # CPU seconds of the whole-PDF runs: robust when other jobs share the machine


def timed(fn, cpu: list[float] | None = None) -> float:
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--save", help="also write the PDF here")
    parser.add_argument("--kinds-runs", type=int, default=5, help="runs per kind of PDF (0: skip them)")
    parser.add_argument("--save-dir", help="also write one PDF of each kind into this folder")
    args = parser.parse_args()

    from actionplans.document import render_action_plan_html, render_action_plan_pdf
    from workshops.pdf import html_to_pdf

    call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            workshop = build()
            pdf = render_action_plan_pdf(workshop)  # warm-up: fonts, templates
            if args.save:
                Path(args.save).write_bytes(pdf)
            html = render_action_plan_html(workshop, for_pdf=True)

            # Interleaved, so a busy moment on the machine hits all three alike.
            whole, app_only, weasy = [], [], []
            for _ in range(args.runs):
                whole.append(timed(lambda: render_action_plan_pdf(workshop), CPU))
                weasy.append(timed(lambda: html_to_pdf(html)))
                app_only.append(timed(lambda: render_action_plan_html(workshop, for_pdf=True)))

            tracemalloc.start()
            render_action_plan_pdf(workshop)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            kinds = measure_kinds(workshop, args.kinds_runs, args.save_dir) if args.kinds_runs else []
            raise Rollback
    except Rollback:
        pass

    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    median_whole = statistics.median(whole)
    median_weasy = statistics.median(weasy)
    median_app = statistics.median(app_only)
    share = (median_whole - median_weasy) / median_whole
    print(
        f"PDF: {pages} pages, {len(pdf) / 1024:.0f} KiB, {len(html) / 1024:.0f} KiB of HTML, {args.runs} runs"
    )
    print(
        f"whole PDF (queries + template + WeasyPrint): median {median_whole:.3f} s "
        f"(min {min(whole):.3f}, max {max(whole):.3f})"
    )
    print(f"  (CPU time of the whole PDF: median {statistics.median(CPU):.3f} s)")
    print(f"WeasyPrint alone on the same HTML:          median {median_weasy:.3f} s")
    print(f"app alone (queries + template to HTML):     median {median_app:.3f} s")
    print(
        f"app's share of the whole: {share:.1%} (whole - WeasyPrint); "
        f"{median_app / median_whole:.1%} measured directly"
    )
    print(f"peak Python memory during one PDF (tracemalloc): {peak / 2**20:.1f} MiB")
    if kinds:
        print(f"every kind of PDF, median of {args.kinds_runs} (wall and CPU time):")
        for kind, n_pages, size, wall, cpu in kinds:
            print(f"  {kind:<17} {n_pages:>3} pages {size / 1024:>6.0f} KiB  {wall:.3f} s  (CPU {cpu:.3f} s)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    ok = median_whole < 1.5 and share < 0.20
    print("targets (median < 1.5 s, app share < 20%):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
