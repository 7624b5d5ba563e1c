"""Import agreed ratings of earlier workshops from a CSV file (see reports/importer.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.importer import ratings_import
from reports.parsing import RatingsImportError
from workshops.models import Framework


class Command(BaseCommand):
    help = (
        "Import agreed ratings: one row per area and phase (columns area, [code], phase, [date], then "
        "one per domain code). Checks the whole file first; on any problem writes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8).")
        parser.add_argument(
            "--programme",
            required=True,
            help="Programme name: an existing one, or a new one (refused if it differs from an "
            "existing name only in dashes, case or spaces).",
        )
        parser.add_argument("--framework", help="Framework name (default: the default framework).")

    def handle(self, *args, file: str, programme: str, framework: str | None, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if framework:
            chosen = Framework.objects.filter(name=framework).first()
            if chosen is None:
                names = ", ".join(Framework.objects.values_list("name", flat=True))
                raise CommandError(f'No framework named "{framework}" (frameworks: {names}).')
        else:
            chosen = Framework.get_default()
            if chosen is None:
                raise CommandError("There is no framework yet.")
        try:
            summary = ratings_import(path.read_bytes(), programme, chosen)
        except RatingsImportError as exc:
            for problem in exc.errors:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.errors)} problem(s) in {file}; nothing was imported.") from exc
        if summary.programme_created:
            self.stdout.write(f"creating new programme {summary.programme.name}")
        self.stdout.write(f'Imported {file} into "{summary.programme.name}": {summary}.')
