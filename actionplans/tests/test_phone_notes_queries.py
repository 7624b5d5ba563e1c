"""Query counts of the phone's notes page, the projector's wall and the plan page's notes
do not grow with the number of notes and participants (5 and 200)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.notes_models import Note
from actionplans.notes_services import notes_open
from actionplans.tests.notes_fixtures import domain, join
from ratings.models import Participant

pytestmark = pytest.mark.django_db


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(workshop, phone_participant, n: int) -> None:
    """n notes in all three columns of C1 and S: half by this phone, half by n other people."""
    people = Participant.objects.bulk_create(
        Participant(workshop=workshop, sector="school", token=f"q{workshop.pk}-{i}-{n}", display_name=f"P{i}")
        for i in range(n)
    )
    kinds = ["working_well", "challenges", "next_steps"]
    c1, s = domain(workshop, "C1"), domain(workshop, "S")
    Note.objects.bulk_create(
        Note(
            workshop=workshop,
            domain=c1 if i % 4 else s,
            participant=phone_participant if i % 2 else people[i],
            kind=kinds[i % 3],
            text=f"Note {i}",
            show_name=bool(i % 3),
            author_name=f"P{i}",
            is_hidden=i % 7 == 0,
        )
        for i in range(n)
    )


@pytest.fixture
def measure(live, facilitator, client_for):
    notes_open(live, facilitator, domain(live, "C1").pk)
    phone, participant = join(live)
    staff = client_for(facilitator)
    pages = {
        "phone notes": lambda: phone.get(f"/p/{live.join_code}/notes/"),
        "phone ballot": lambda: phone.get(f"/p/{live.join_code}/"),
        "projector wall": lambda: staff.get(f"/workshops/{live.pk}/live/projector/"),
        "plan page": lambda: staff.get(f"/workshops/{live.pk}/plan/"),
        "console": lambda: staff.get(f"/workshops/{live.pk}/live/"),
    }

    def at(n: int) -> dict[str, int]:
        Note.objects.filter(workshop=live).delete()
        Participant.objects.filter(workshop=live).exclude(pk=participant.pk).delete()
        _grow(live, participant, n)
        for fetch in pages.values():
            fetch()  # warm caches (content types, sessions)
        return {name: _count(fetch) for name, fetch in pages.items()}

    return at


def test_query_counts_do_not_grow_with_notes(measure):
    small, large = measure(5), measure(200)
    assert small == large, (small, large)


def test_the_wall_and_the_plan_show_the_notes_they_count(live, facilitator, client_for):
    notes_open(live, facilitator, domain(live, "C1").pk)
    _, participant = join(live)
    _grow(live, participant, 200)
    staff = client_for(facilitator)
    wall = staff.get(f"/workshops/{live.pk}/live/projector/").content.decode()
    assert wall.count('data-testid="wall-card"') == 18  # six per column
    for kind in ("working_well", "challenges", "next_steps"):
        visible = Note.objects.filter(workshop=live, is_hidden=False, domain__code="C1", kind=kind).count()
        assert f"+ {visible - 6} more" in wall
    plan = staff.get(f"/workshops/{live.pk}/plan/").content.decode()
    shown = plan.count('class="plan-note"') + plan.count('class="plan-note used"')
    assert shown == Note.objects.filter(workshop=live, is_hidden=False).count()


def test_an_unchanged_projector_poll_stays_one_query_with_notes(
    live, facilitator, client_for, django_assert_num_queries
):
    from ratings.identity import poll_token
    from ratings.live import staff_stamp
    from ratings.views import _staff_stamp

    notes_open(live, facilitator, domain(live, "C1").pk)
    phone, _ = join(live)
    phone.post(f"/p/{live.join_code}/notes/", {"domain": "C1", "kind": "challenges", "text": "x"})
    stamp = _staff_stamp(live.pk)
    assert stamp.startswith(staff_stamp(live.pk) + ".")  # the ratings stamp, then the notes' activity
    client = client_for(facilitator)
    with django_assert_num_queries(1):
        response = client.get(
            f"/workshops/{live.pk}/live/poll/",
            {"view": "projector", "t": poll_token(live.pk, facilitator.pk), "s": stamp},
        )
    assert response.status_code == 204
