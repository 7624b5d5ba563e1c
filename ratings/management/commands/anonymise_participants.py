"""Blank the names and organisations of participants of workshops closed more than DAYS ago,
and every copy of them (a note's byline: ratings.participant_data), and any copy left on a row
whose participant was deleted.

Modelled on healthchecks' prune commands: one query to find, one to change, a line saying what
changed. Votes, sectors, dots, the words of notes, tallies, agreed levels and reports are
untouched.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from ratings.models import Participant
from ratings.participant_data import erase_orphaned_copies, orphaned_copies, unname_admin_log
from ratings.privacy import anonymise_due


class Command(BaseCommand):
    help = (
        "Blank name and organisation (and every copy, e.g. a note's byline) of participants of "
        "workshops closed more than DAYS ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="days since the workshop closed (default: settings.PARTICIPANT_RETENTION_DAYS)",
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = settings.PARTICIPANT_RETENTION_DAYS if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than must be 0 or more days.")
        due = anonymise_due(days)
        per_workshop = list(
            due.values("workshop_id", "workshop__title").annotate(n=Count("pk")).order_by("workshop_id")
        )
        for row in per_workshop:
            self.stdout.write(
                f"workshop {row['workshop_id']} {row['workshop__title']}: {row['n']} participant(s)"
            )
        if dry_run:
            total = sum(row["n"] for row in per_workshop)
            self.stdout.write(
                f"Would anonymise {total} participant(s) of workshops closed over {days} days ago."
            )
            orphans = sum(rows.count() for _declared, rows in orphaned_copies())
            if orphans:
                self.stdout.write(f"Would blank {orphans} name(s) left on rows of deleted participants.")
            return
        changed = Participant.objects.filter(pk__in=list(due.values_list("pk", flat=True))).anonymise()
        self.stdout.write(f"Anonymised {changed} participant(s) of workshops closed over {days} days ago.")
        orphans = erase_orphaned_copies()
        if orphans:
            self.stdout.write(f"Blanked {orphans} name(s) left on rows of deleted participants.")
        logged = unname_admin_log()
        if logged:
            self.stdout.write(f"Removed {logged} name(s) from the admin log.")
