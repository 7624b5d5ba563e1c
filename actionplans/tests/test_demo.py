"""The demo action plan that seed_demo fills for the closed baseline workshop."""

from __future__ import annotations

import pytest

from actionplans.demo import ITEMS, PLANS, PRIORITIES, seed_demo_action_plan
from actionplans.models import ActionItem, DomainPlan

pytestmark = pytest.mark.django_db


def test_it_is_idempotent_and_complete(closed):
    seed_demo_action_plan(closed)
    seed_demo_action_plan(closed)
    assert DomainPlan.objects.filter(workshop=closed).count() == len(PLANS) == 7
    assert ActionItem.objects.filter(workshop=closed).count() == len(ITEMS)
    assert set(
        DomainPlan.objects.filter(workshop=closed, is_priority=True).values_list("domain__code", flat=True)
    ) == set(PRIORITIES)
    assert all(item.created_by == closed.facilitators.first() for item in ActionItem.objects.all())
