"""Two saves at the same moment on PostgreSQL: the workshop lock and versions keep the rules.

Each save is slowed down between its check and its write, so without the lock both would pass.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from actionplans import services
from actionplans.models import DomainPlan

from .conftest import add_plan, domain

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…")


def run_together(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    results: list[str] = []

    def run(call):
        barrier.wait()
        try:
            call()
            results.append("saved")
        except (services.EditConflict, services.PriorityLimitReached) as refused:
            results.append(type(refused).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(results)


def slow(monkeypatch, name: str) -> None:
    original = getattr(services, name)

    def slowed(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, name, slowed)


def notes(**fields):
    return {"working_well": "", "challenges": "", "next_steps": "", "is_priority": False} | fields


def test_two_new_priorities_at_once_never_make_four(workshop, facilitator, lead, monkeypatch):
    add_plan(workshop, "C1", is_priority=True)
    add_plan(workshop, "S", is_priority=True)
    slow(monkeypatch, "priority_limit_error")
    d, e = domain(workshop, "D"), domain(workshop, "E")
    results = run_together(
        lambda: services.domain_plan_save(
            workshop, d, data=notes(is_priority=True), version=0, user=facilitator
        ),
        lambda: services.domain_plan_save(workshop, e, data=notes(is_priority=True), version=0, user=lead),
    )
    assert results == ["PriorityLimitReached", "saved"]
    assert DomainPlan.objects.filter(workshop=workshop, is_priority=True).count() == 3


def test_two_edits_of_one_domain_at_once_keep_the_first(workshop, facilitator, lead, monkeypatch):
    slow(monkeypatch, "changed_fields")
    c1 = domain(workshop, "C1")
    results = run_together(
        lambda: services.domain_plan_save(
            workshop, c1, data=notes(challenges="A"), version=0, user=facilitator
        ),
        lambda: services.domain_plan_save(workshop, c1, data=notes(challenges="B"), version=0, user=lead),
    )
    assert results == ["EditConflict", "saved"]
    plan = DomainPlan.objects.get()
    assert plan.version == 1 and plan.challenges in {"A", "B"}
