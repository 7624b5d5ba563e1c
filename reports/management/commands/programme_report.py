"""Print a programme report as JSON (the shape evaluators script against) or CSV."""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from reports.data import programme_report_for
from reports.rules import report_csv_rows
from workshops.models import Programme


class Command(BaseCommand):
    help = "Print the report comparing a programme's areas between two phases (JSON or CSV)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The programme's name.")
        parser.add_argument("--from-phase", type=int, default=1, help="Phase to compare from (default 1).")
        parser.add_argument("--to-phase", type=int, default=2, help="Phase to compare to (default 2).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, name: str, from_phase: int, to_phase: int, format: str, **options) -> None:
        if from_phase < 1 or to_phase < 1 or from_phase == to_phase:
            raise CommandError("The phases must be two different whole numbers from 1.")
        programme = Programme.objects.filter(name=name).first()
        if programme is None:
            known = ", ".join(Programme.objects.values_list("name", flat=True)[:20]) or "none"
            raise CommandError(f'No programme named "{name}" (programmes: {known}).')
        report = programme_report_for(programme, from_phase, to_phase)
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            csv.writer(self.stdout, lineterminator="\n").writerows(report_csv_rows(report))
