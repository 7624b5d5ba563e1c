"""Fixtures for the action-plan tests: a follow-up workshop, agreed levels, plans and items."""

from __future__ import annotations

import pytest

from actionplans.models import ActionItem, DomainPlan
from actionplans.tests.erasure_fixtures import named  # noqa: F401  (erasure and export tests)
from actionplans.tests.notes_fixtures import _notes_cache, live  # noqa: F401  (notes and dots tests)
from ratings.models import Consensus
from tests.smtp import smtp, smtp_down  # noqa: F401  (a real SMTP server: send_reminders tests)
from workshops.models import Workshop

CODES = ["C1", "A1", "S", "C2", "A2", "D", "E"]


def agree(workshop: Workshop, levels: dict[str, int], *, suggested: dict[str, int] | None = None) -> None:
    for domain in workshop.framework.domains.all():
        if domain.code in levels:
            Consensus.objects.create(
                workshop=workshop,
                domain=domain,
                level=levels[domain.code],
                suggested_level=(suggested or {}).get(domain.code, levels[domain.code]),
            )


def domain(workshop: Workshop, code: str):
    return workshop.framework.domains.get(code=code)


def add_item(workshop: Workshop, code: str = "C1", **fields) -> ActionItem:
    fields.setdefault("description", "Write the guide")
    return ActionItem.objects.create(workshop=workshop, domain=domain(workshop, code), **fields)


def add_plan(workshop: Workshop, code: str = "C1", **fields) -> DomainPlan:
    fields.setdefault("version", 1)
    return DomainPlan.objects.create(workshop=workshop, domain=domain(workshop, code), **fields)


@pytest.fixture
def closed(workshop) -> Workshop:
    workshop.status = Workshop.Status.CLOSED
    workshop.save(update_fields=["status"])
    return workshop


def plan_post(code_pk: int, *, version: int, working_well="", challenges="", next_steps="", priority=False):
    prefix = f"plan-{code_pk}"
    data = {
        f"{prefix}-working_well": working_well,
        f"{prefix}-challenges": challenges,
        f"{prefix}-next_steps": next_steps,
        f"{prefix}-version": str(version),
    }
    if priority:
        data[f"{prefix}-is_priority"] = "on"
    return data


def item_post(prefix: str, *, version: int | None = None, **fields) -> dict:
    values = {
        "description": "Write the guide",
        "owner_name": "",
        "owner_organisation": "",
        "due_date": "",
        "status": "not_started",
        "note": "",
    } | fields
    data = {f"{prefix}-{k}": v for k, v in values.items()}
    if version is not None:
        data[f"{prefix}-version"] = str(version)
    return data
