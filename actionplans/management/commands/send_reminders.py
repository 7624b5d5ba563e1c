"""Queue what is due and send the outbox: the one command to run from cron or a systemd timer.

Safe to run often and on several servers at once: each message is queued once (unique key) and
sent once (claimed row). With the mail server down it says so in one line, exits 1, and keeps
every unsent message for the next run.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actionplans.reminders import lead_digests_queue, owner_notices_due, owner_reminders_queue
from ratings.invitations import invite_reminders_queue
from workshops.mail import outbox_deliver


class Command(BaseCommand):
    help = "Queue due owner notices, reminders, lead digests and invitee reminders, then send the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were YYYY-MM-DD (for testing and catching up).")
        parser.add_argument("--queue-only", action="store_true", help="Queue what is due but send nothing.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    f"--today takes a date like 2026-12-04, not {options['today']!r}."
                ) from exc
        queued = {
            "owner notices": owner_notices_due(),
            "owner reminders": owner_reminders_queue(today),
            "lead digests": lead_digests_queue(today),
            "invitee reminders": invite_reminders_queue(timezone.now()),
        }
        summary = ", ".join(f"{n} {what}" for what, n in queued.items())
        if options["queue_only"]:
            self.stdout.write(f"Queued {summary}; nothing sent (--queue-only).")
            return
        result = outbox_deliver()
        if result.error:
            raise CommandError(result.error)
        failed = f", {result.failed} refused by the server (kept for the next run)" if result.failed else ""
        if options["verbosity"] == 0 and not (result.sent or result.failed):
            return  # -v 0 (cron, make run): a line only when something was sent
        self.stdout.write(f"Queued {summary}; sent {result.sent}{failed}.")
