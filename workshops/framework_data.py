"""Load a framework from the JSON layout of the shipped CASCADE fixture."""

from __future__ import annotations

import json
from pathlib import Path

CASCADE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cascade-framework.json"


def read_cascade() -> dict:
    return json.loads(CASCADE_FIXTURE.read_text(encoding="utf-8"))


def create_framework(data: dict, Framework, Level, Domain, Descriptor, is_default: bool = False):
    """Create a framework with its levels, domains and descriptors (model classes passed in
    so data migrations can use their historical models)."""
    framework = Framework.objects.create(
        name=data["name"], edition=data.get("edition", ""), source=data["source"], is_default=is_default
    )
    levels = [
        Level.objects.create(framework=framework, score=lv["score"], label=lv["label"])
        for lv in data["levels"]
    ]
    for position, d in enumerate(data["domains"], start=1):
        domain = Domain.objects.create(
            framework=framework,
            position=position,
            code=d["code"],
            letter=d["letter"],
            title=d["title"],
            short_title=d["short_title"],
            prompt=d.get("prompt", ""),
        )
        Descriptor.objects.bulk_create(
            Descriptor(domain=domain, level=level, text=text)
            for level, text in zip(levels, d["descriptors"], strict=True)
        )
    return framework


def ensure_reference_data() -> None:
    """Re-create what the data migration seeds (tests that flush the database need it back)."""
    from django.contrib.auth.models import Group

    from .models import CCG_LEADS_GROUP, FACILITATORS_GROUP, Descriptor, Domain, Framework, Level

    data = read_cascade()
    if not Framework.objects.filter(name=data["name"]).exists():
        create_framework(data, Framework, Level, Domain, Descriptor, is_default=True)
    for name in (FACILITATORS_GROUP, CCG_LEADS_GROUP):
        Group.objects.get_or_create(name=name)
