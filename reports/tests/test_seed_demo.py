"""`seed_demo` spans every app, so it lives in the top app and is tested here."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ratings.models import Consensus
from ratings.results import workshop_results
from workshops.models import Area, Programme, Workshop


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = (
        Workshop.objects.count(),
        Area.objects.count(),
        Programme.objects.count(),
        Consensus.objects.count(),
    )
    call_command("seed_demo")
    second = (
        Workshop.objects.count(),
        Area.objects.count(),
        Programme.objects.count(),
        Consensus.objects.count(),
    )
    assert first == second
    demo = Workshop.objects.filter(programme__name="Demo programme 2026")
    assert demo.count() == 2
    assert Consensus.objects.filter(workshop__in=demo).count() == 7
    out = capsys.readouterr().out
    assert "password cascade-facilitator" in out
    baseline = demo.get(phase=1)
    for result in workshop_results(baseline).domains:
        # The demo votes support the agreed level under the workshop's rule.
        assert result.summary.n == 9 and result.summary.suggestion == result.level
    assert baseline.status == Workshop.Status.CLOSED
    assert demo.get(phase=2).status == Workshop.Status.DRAFT


@pytest.mark.django_db
def test_seed_demo_brings_back_the_groups_and_framework_it_needs():
    from django.contrib.auth.models import Group

    from workshops.models import Framework

    Group.objects.all().delete()  # as a flushed test database, or an admin's clean-up, leaves it
    Framework.objects.filter(workshop__isnull=True).delete()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Group.objects.values_list("name", flat=True)) >= {"Facilitators", "CCG leads"}
    assert Workshop.objects.filter(programme__name="Demo programme 2026").count() == 2
