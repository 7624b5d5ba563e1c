"""Demo data for the reports: a paper-based pilot of twenty areas, imported like real files.

`seed_report_demo()` is idempotent (it goes through the importer, and importing the same file
twice changes nothing), so `seed_demo` may call it on every run.
"""

from __future__ import annotations

import datetime as dt
import random

from workshops.models import Framework

from .importer import ratings_import

DEMO_PROGRAMME = "Paper pilot 2019–2020"
DEMO_AREAS = [
    "Ashford Vale", "Blackwater", "Calder Moor", "Dunmore", "Eastleigh Downs", "Fenwick",
    "Glenholme", "Harrowgate", "Ivybridge", "Juniper Coast", "Kingsmere", "Larkfield",
    "Marlow Heath", "Northam", "Oakridge", "Pennant", "Queensferry", "Redbrook", "Stonebury",
    "Thornaby",
]  # fmt: skip


def demo_ratings_csv(codes: list[str], n_levels: int, areas: list[str] = DEMO_AREAS, seed: int = 2019) -> str:
    """A baseline for every area and a follow-up for all but the last two, mostly improving."""
    rng = random.Random(seed)
    top = n_levels - 1
    lines = [",".join(["area", "code", "phase", "date", *codes])]
    for i, name in enumerate(areas):
        code = f"P{i + 1:02d}"
        baseline = [rng.choice([0, 0, 1, 1, 1, 2]) for _ in codes]
        day = dt.date(2019, 3, 1) + dt.timedelta(days=7 * i)
        lines.append(",".join([name, code, "1", day.isoformat(), *map(str, baseline)]))
        if i >= len(areas) - 2:
            continue  # no follow-up yet: shows as left out of the report
        follow_up = [max(0, min(top, b + rng.choice([-1, 0, 1, 1, 1, 2]))) for b in baseline]
        later = day + dt.timedelta(days=365)
        lines.append(",".join([name, code, "2", later.isoformat(), *map(str, follow_up)]))
    return "\n".join(lines) + "\n"


def seed_report_demo() -> None:
    framework = Framework.get_default()
    if framework is None:
        return
    codes = list(framework.domains.order_by("position").values_list("code", flat=True))
    text = demo_ratings_csv(codes, framework.levels.count())
    ratings_import(text.encode("utf-8"), DEMO_PROGRAMME, framework)
