"""Pre-ratings racing on PostgreSQL: many phones creating round 0 at once, one phone
submitting twenty times, and pre-ratings racing the facilitator closing the window."""

from __future__ import annotations

import pytest
from django.db import connection

from ratings.models import EvidenceNote, Participant, Round, Sector, Vote
from ratings.prerating import prerating_close
from ratings.tests.prerating_helpers import open_window
from ratings.tests.test_concurrency import _phone_for, _run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent writers need PostgreSQL (set DATABASE_URL)")


def _job(client, code: str, level: str, note: str = ""):
    return lambda: client.post(f"/p/{code}/before/1/", {"level": level, "note": note}).status_code


def test_thirty_phones_pre_rating_at_once_make_one_round_0_and_thirty_votes(workshop, facilitator):
    open_window(workshop, facilitator)
    people = [Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL) for _ in range(30)]
    statuses = _run_together(
        [_job(_phone_for(p), workshop.join_code, str(i % 4)) for i, p in enumerate(people)]
    )
    assert statuses == [303] * 30
    assert Round.objects.filter(workshop=workshop, number=0).count() == 1
    assert Vote.objects.filter(round__number=0).count() == 30


def test_twenty_submits_from_one_phone_leave_one_pre_rating_and_one_note(workshop, facilitator):
    open_window(workshop, facilitator)
    person = Participant.objects.create(workshop=workshop, sector=Sector.NHS_CYPMHS)
    jobs = [_job(_phone_for(person), workshop.join_code, str(i % 4), f"note {i}") for i in range(20)]
    statuses = _run_together(jobs)
    assert set(statuses) == {303}
    assert Vote.objects.count() == 1 and EvidenceNote.objects.count() == 1


def test_pre_ratings_racing_the_close_are_each_recorded_or_refused(workshop, facilitator):
    open_window(workshop, facilitator)
    people = [Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL) for _ in range(20)]
    jobs = [_job(_phone_for(p), workshop.join_code, "2") for p in people]
    jobs.append(lambda: prerating_close(workshop, facilitator) and "closed")
    results = _run_together(jobs)
    statuses = results[:-1]
    assert results[-1] == "closed"
    assert set(statuses) <= {303, 409}
    recorded = set(Vote.objects.values_list("participant_id", flat=True))
    accepted = {p.pk for p, status in zip(people, statuses, strict=True) if status == 303}
    assert recorded == accepted
    workshop.refresh_from_db()
    late = Vote.objects.filter(updated_at__gt=workshop.prerating_closes_at).count()
    assert late == 0
