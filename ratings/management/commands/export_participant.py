"""Subject-access request: everything held about one participant, as one CSV file: every
model declared in ratings.participant_data (participant, votes, evidence notes, and through
the apps' hooks their notes and dots)."""

from __future__ import annotations

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from ratings.models import Participant
from ratings.privacy import participant_export_rows


class Command(BaseCommand):
    help = (
        "Write everything held about one participant (name, organisation, sector, votes, evidence "
        "notes, notes, dots) as one CSV file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participant", type=int, required=True, metavar="ID")
        parser.add_argument("--output", default="-", help="file to write (default: standard output)")

    def handle(self, *args, participant: int, output: str = "-", **options):
        found = Participant.objects.select_related("workshop__area").filter(pk=participant).first()
        if found is None:
            raise CommandError(f"No participant with id {participant}.")
        rows = participant_export_rows(found)
        if output == "-":
            csv.writer(self.stdout).writerows(rows)
            return
        with open(output, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        self.stderr.write(f"Wrote {len(rows) - 1} row(s) for participant {participant} to {output}.")
        sys.stderr.flush()
