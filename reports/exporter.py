"""Writing a programme's agreed ratings in the import format."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from workshops.spreadsheet import as_text_cell

from .importer import framework_shape


@dataclass(frozen=True)
class Export:
    text: str
    rows: int
    skipped: list[str]  # workshops left out, with why


def export_framework(programme, framework=None):
    """The framework to export: the one given, else the only one the programme used."""
    from workshops.models import Framework

    if framework is not None:
        return framework
    used = list(Framework.objects.filter(workshop__programme=programme).distinct())
    if len(used) > 1:
        raise ValueError(
            "The programme's workshops used several frameworks ("
            + ", ".join(f.name for f in used)
            + "); choose one."
        )
    return used[0] if used else Framework.get_default()


def ratings_export(programme, framework=None) -> Export:
    """The programme's agreed ratings in the import format (with the area code, so areas come
    back with the same code and name). Workshops without a complete set of agreed levels are
    left out and listed in `skipped`."""
    from ratings.models import Consensus
    from workshops.models import Workshop

    framework = export_framework(programme, framework)
    domains, codes, _n = framework_shape(framework)
    code_of = {d.pk: d.code for d in domains}
    levels: dict[int, dict[str, int]] = {}
    for workshop_id, domain_id, level in Consensus.objects.filter(workshop__programme=programme).values_list(
        "workshop_id", "domain_id", "level"
    ):
        if domain_id in code_of:
            levels.setdefault(workshop_id, {})[code_of[domain_id]] = level
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area", "code", "phase", "date", *codes])
    skipped, n = [], 0
    for pk, area_name, area_code, phase, date, fid, title in (
        Workshop.objects.filter(programme=programme)
        .order_by("area__name", "area__code", "phase")
        .values_list("pk", "area__name", "area__code", "phase", "date", "framework_id", "title")
    ):
        agreed = levels.get(pk, {})
        if fid != framework.pk:
            skipped.append(f"{title}: rated with another framework")
        elif len(agreed) != len(codes):
            skipped.append(f"{title}: {len(agreed)} of {len(codes)} domains agreed")
        else:
            writer.writerow(
                [as_text_cell(area_name), as_text_cell(area_code), phase, date.isoformat()]
                + [agreed[c] for c in codes]
            )
            n += 1
    return Export(out.getvalue(), n, skipped)
