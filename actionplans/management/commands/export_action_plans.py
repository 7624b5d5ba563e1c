"""Write the action-plan PDF of every workshop of a programme (or of one workshop) into a folder.

python manage.py export_action_plans --programme "Demo programme 2026" --out plans/
python manage.py export_action_plans --workshop 12 --out plans/
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workshops.models import Programme, Workshop

from ...document import render_action_plan_pdf
from ...rules import plan_filename


class Command(BaseCommand):
    help = "Write one action-plan PDF per workshop of a programme (or one workshop) into a folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--programme", help="the programme's name, exactly as in the admin")
        parser.add_argument("--workshop", type=int, help="one workshop's id")
        parser.add_argument("--out", required=True, help="folder to write into (created if missing)")

    def handle(self, *args, programme: str | None, workshop: int | None, out: str, **options) -> None:
        if not programme and workshop is None:
            raise CommandError("Give --programme NAME or --workshop ID (or both).")
        workshops = Workshop.objects.select_related("area", "programme", "framework")
        if programme:
            found = Programme.objects.filter(name=programme).first()
            if found is None:
                known = ", ".join(Programme.objects.values_list("name", flat=True)[:10]) or "none"
                raise CommandError(f"No programme named “{programme}”. Programmes: {known}.")
            workshops = workshops.filter(programme=found)
        if workshop is not None:
            workshops = workshops.filter(pk=workshop)
            if not workshops.exists():
                where = f" in programme “{programme}”" if programme else ""
                raise CommandError(f"No workshop with id {workshop}{where}.")
        workshops = list(workshops.order_by("area__code", "phase", "date", "pk"))
        if not workshops:
            raise CommandError(f"Programme “{programme}” has no workshops.")

        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {folder}: {error.strerror}.") from error
        used: set[str] = set()
        for w in workshops:
            name = plan_filename(w.area.code, w.date)
            if name in used:  # two workshops of one area on one day: keep both
                name = name.removesuffix(".pdf") + f"-{w.pk}.pdf"
            used.add(name)
            path = folder / name
            path.write_bytes(render_action_plan_pdf(w))
            self.stdout.write(f"{path}  ({w.area.name}, {w.title}, phase {w.phase})")
