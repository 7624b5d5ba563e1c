"""Everything the mail features hold about one email address, as CSV (subject-access request)."""

from __future__ import annotations

import csv

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from actionplans.mail_privacy import mail_data_rows


class Command(BaseCommand):
    help = "Print as CSV every invitation, owned action, link, update and email held for an address."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{email!r} is not an email address.") from exc
        writer = csv.writer(self.stdout)
        for row in mail_data_rows(email):
            writer.writerow(row)
