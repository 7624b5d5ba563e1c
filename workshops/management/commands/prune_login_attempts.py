"""Delete django-axes log-in records older than DAYS (like healthchecks' prune commands).

Log-in attempts hold user names and client addresses: personal data kept only as long as it
helps spot attacks (settings.AXES_LOG_RETENTION_DAYS). Active lock-outs younger than that stay.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete log-in attempt logs (django-axes) older than DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="default: settings.AXES_LOG_RETENTION_DAYS",
        )

    def handle(self, *args, older_than=None, **options):
        days = settings.AXES_LOG_RETENTION_DAYS if older_than is None else older_than
        if days < 0:
            raise CommandError("--older-than must be 0 or more days.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            _, per_model = model.objects.filter(attempt_time__lt=cutoff).delete()
            deleted = per_model.get(model._meta.label, 0)
            self.stdout.write(f"Pruned {deleted} {model._meta.verbose_name_plural} older than {days} days.")
