"""A follow-up compares with the latest earlier workshop of its area that has agreed levels,
and says which (issue 23: a phase-3 workshop compared itself with the unfinished phase-2 draft,
"Previously: -", and the area page showed no change though the total went from 6 to 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from ratings.results import workshop_results
from workshops.models import Workshop

from .report_factories import rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def phases(workshop, facilitator):
    """Baseline agreed (total 6), a phase-2 draft never run, a phase 3 agreed (total 10)."""
    rate(workshop, [1, 2, 1, 0, 1, 1, 0])
    made = {}
    for phase, title in ((2, "Draft phase 2"), (3, "Phase 3")):
        made[phase] = Workshop.objects.create(
            area=workshop.area,
            programme=workshop.programme,
            framework=workshop.framework,
            phase=phase,
            title=title,
            date=dt.date(2026 + phase, 3, 1),
        )
        made[phase].facilitators.add(facilitator)
    rate(made[3], [2, 2, 2, 1, 1, 1, 1])
    return workshop, made[2], made[3]


def test_a_follow_up_skips_an_earlier_workshop_without_agreed_levels(phases):
    baseline, draft, third = phases
    assert third.previous_workshop() == baseline
    assert draft.previous_workshop() == baseline
    assert baseline.previous_workshop() is None
    results = workshop_results(third)
    assert results.previous_total == 6 and results.change == 4


def test_the_results_page_names_the_workshop_compared_with(phases, facilitator, client_for):
    _, _, third = phases
    page = client_for(facilitator).get(f"/workshops/{third.pk}/results/").content.decode()
    assert "compared with “Baseline” (1 September 2026)" in page
    assert "Draft phase 2" not in page


def test_the_area_page_shows_the_change_since_the_last_agreed_workshop(phases, lead, area, client_for):
    page = client_for(lead).get(f"/areas/{area.pk}/").content.decode()
    assert '<td class="text-center fw-bold">10</td>' in page
    assert "▲</span>4" in page
    assert "Compared with “Baseline”" in page
