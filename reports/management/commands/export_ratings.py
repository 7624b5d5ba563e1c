"""Write a programme's agreed ratings in the import format (see reports/importer.py)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from reports.exporter import ratings_export
from workshops.models import Framework, Programme


class Command(BaseCommand):
    help = "Write a programme's agreed ratings as CSV in the format import_ratings reads."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--programme", required=True, help="The programme's name.")
        parser.add_argument("--framework", help="Framework name, when the programme used several.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, programme: str, framework: str | None, output: str | None, **options) -> None:
        found = Programme.objects.filter(name=programme).first()
        if found is None:
            raise CommandError(f'No programme named "{programme}".')
        chosen = None
        if framework:
            chosen = Framework.objects.filter(name=framework).first()
            if chosen is None:
                raise CommandError(f'No framework named "{framework}".')
        try:
            export = ratings_export(found, chosen)
        except ValueError as exc:
            raise CommandError(f"{exc} Use --framework.") from exc
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(export.text)
        else:
            self.stdout.write(export.text, ending="")
        for line in export.skipped:
            self.stderr.write(f"left out: {line}")
        if output:
            self.stderr.write(f"Wrote {export.rows} row(s) to {output}.")
