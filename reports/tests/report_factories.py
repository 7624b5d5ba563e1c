"""Helpers for the report and import tests: workshops with agreed ratings."""

from __future__ import annotations

import datetime as dt

from ratings.models import Consensus
from workshops.models import Area, Workshop


def rate(workshop: Workshop, levels) -> Workshop:
    """Agree levels for the workshop's domains in framework order (a list), or by code (a dict)."""
    domains = list(workshop.framework.domains.order_by("position"))
    if not isinstance(levels, dict):
        levels = {d.code: level for d, level in zip(domains, levels, strict=False)}
    Consensus.objects.bulk_create(
        Consensus(workshop=workshop, domain=d, level=levels[d.code], suggested_level=levels[d.code])
        for d in domains
        if d.code in levels
    )
    return workshop


def rated_workshop(area, programme, framework, phase: int, levels, *, date=None, facilitator=None):
    workshop = Workshop.objects.create(
        area=area,
        programme=programme,
        framework=framework,
        phase=phase,
        title=f"{area.name} phase {phase}",
        date=date or dt.date(2025 + phase, 3, 1),
        status=Workshop.Status.CLOSED,
    )
    if facilitator is not None:
        workshop.facilitators.add(facilitator)
    return rate(workshop, levels)


def make_areas(programme, framework, n: int, *, prefix: str = "Area") -> list[Area]:
    """n areas with both phases agreed; area i improves by i % 5 levels in all."""
    areas = Area.objects.bulk_create(
        Area(code=f"{prefix[:3].upper()}{i:04d}", name=f"{prefix} {i:04d}") for i in range(n)
    )
    for i, area in enumerate(areas):
        baseline = [(i + k) % 3 for k in range(7)]
        rated_workshop(area, programme, framework, 1, baseline)
        rated_workshop(
            area, programme, framework, 2, [b + (1 if k < i % 5 else 0) for k, b in enumerate(baseline)]
        )
    return areas
