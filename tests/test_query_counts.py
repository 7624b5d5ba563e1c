"""The main pages take the same number of queries whatever the amount of data.

One world grows from 2 to 20 of everything: participants and their votes, rounds, consensus
history, action items (new and under review), plan edits, workshops on the home and area pages,
areas in the programme report. Every main page is measured at both sizes, for the roles that
see it, and must not grow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.models import ActionItem, DomainPlan, ItemReview, PlanEdit
from ratings import services
from ratings.models import ConsensusChange, Participant, Sector, Vote
from reports.tests.report_factories import make_areas, rate, rated_workshop
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

SECTORS = [s for s, _label in Sector.choices]


@pytest.fixture
def grown(users, workshop, area, programme, framework):
    """A live follow-up on a revealed round, and a function that adds k of everything."""
    facilitator = users["facilitator"]
    programme.leads.add(users["lead"])
    rate(workshop, [1, 2, 1, 0, 1, 2, 1])
    workshop.status = Workshop.Status.CLOSED
    workshop.save(update_fields=["status"])
    follow_up = Workshop.objects.create(
        area=area,
        programme=programme,
        framework=framework,
        phase=2,
        title="Follow-up",
        date=dt.date(2027, 3, 1),
    )
    follow_up.facilitators.add(facilitator)
    services.workshop_start(follow_up, facilitator)
    domains = list(framework.domains.all())
    first = services.voting_open(follow_up, facilitator)
    services.round_reveal(follow_up, facilitator)
    services.consensus_confirm(follow_up, facilitator, domains[0].pk, 1, "Because")
    second = services.voting_open(follow_up, facilitator)
    services.round_reveal(follow_up, facilitator)
    rounds = [first, second]
    for code in ("C1", "A1"):
        DomainPlan.objects.create(workshop=follow_up, domain=framework.domains.get(code=code), version=1)
    added = {"n": 0}

    def grow(k: int) -> None:
        for _ in range(k):
            i = added["n"]
            added["n"] += 1
            p = Participant.objects.create(
                workshop=follow_up, sector=SECTORS[i % len(SECTORS)], display_name=f"P{i}"
            )
            Vote.objects.bulk_create(Vote(round=r, participant=p, level=i % 4) for r in rounds)
            ConsensusChange.objects.create(
                workshop=follow_up,
                domain=domains[i % 7],
                old_level=i % 4,
                new_level=(i + 1) % 4,
                changed_by=facilitator,
            )
            earlier = ActionItem.objects.create(
                workshop=workshop, domain=domains[i % 7], description=f"Earlier {i}"
            )
            ItemReview.objects.create(workshop=follow_up, item=earlier, status="in_progress", version=1)
            ActionItem.objects.create(
                workshop=follow_up,
                domain=domains[i % 7],
                description=f"Now {i}",
                due_date=dt.date(2020, 1, 1),
            )
            PlanEdit.objects.create(
                workshop=follow_up, domain=domains[i % 7], summary=f"Edit {i}", changes={}
            )
            extra = rated_workshop(area, None, framework, 10 + i, [i % 4] * 7, facilitator=facilitator)
            assert extra.facilitators.exists()
        added["calls"] = added.get("calls", 0) + 1
        make_areas(programme, framework, k, prefix=["Few", "Many", "More"][added["calls"] - 1])

    return follow_up, grow


PAGES = [
    ("facilitator", "/"),
    ("lead", "/"),
    ("facilitator", "/workshops/{pk}/"),
    ("lead", "/workshops/{pk}/"),
    ("facilitator", "/workshops/{pk}/live/"),
    ("facilitator", "/workshops/{pk}/live/projector/"),
    ("facilitator", "/workshops/{pk}/results/"),
    ("lead", "/workshops/{pk}/results/"),
    ("facilitator", "/workshops/{pk}/plan/"),
    ("lead", "/workshops/{pk}/plan/"),
    ("facilitator", "/workshops/{pk}/plan/review/"),
    ("lead", "/workshops/{pk}/plan/preview/"),  # the benchmark release, as in the PDF
    ("lead", "/areas/{area}/"),
    ("lead", "/areas/"),
    ("admin", "/reports/programmes/{programme}/"),
    ("lead", "/action-items/"),
]


def _count(client, url: str) -> int:
    client.get(url)  # warm: the first request of a session may fill caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_main_pages_do_not_grow_with_data(grown, users, area, programme, client_for):
    follow_up, grow = grown
    clients = {role: client_for(users[role]) for role in {role for role, _url in PAGES}}
    urls = [(role, url.format(pk=follow_up.pk, area=area.pk, programme=programme.pk)) for role, url in PAGES]
    grow(2)
    few = {(role, url): _count(clients[role], url) for role, url in urls}
    grow(18)
    many = {(role, url): _count(clients[role], url) for role, url in urls}
    assert Participant.objects.filter(workshop=follow_up).count() == 20
    grew = {key: (few[key], many[key]) for key in few if few[key] != many[key]}
    assert not grew, grew
    assert max(many.values()) <= 40, many
