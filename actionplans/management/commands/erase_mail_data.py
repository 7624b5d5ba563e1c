"""Erase invitees' and owners' email addresses and old outbox messages after the retention time."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from actionplans.mail_privacy import mail_data_erase


class Command(BaseCommand):
    help = "Erase invitations, owner emails and links, and outbox messages older than the retention time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="days since the workshop closed (default: settings.MAIL_RETENTION_DAYS)",
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = settings.MAIL_RETENTION_DAYS if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than must be 0 or more days.")
        counts = mail_data_erase(days, dry_run=dry_run)
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} {summary} (workshops closed over {days} days ago).")
