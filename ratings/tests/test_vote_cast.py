"""The phone's vote as one statement (ratings.vote_cast): who it accepts, and what it reads."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from ratings import phone_state, services, vote_cast
from ratings.models import Participant, Round, Vote
from workshops.models import Domain, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(live_workshop, facilitator) -> Round:
    return services.voting_open(live_workshop, facilitator)


def _cast(workshop: Workshop, participant: Participant, rnd: Round, level: int | None = 2, token=None):
    token = participant.token if token is None else token
    return vote_cast.vote_cast(workshop.pk, participant.pk, token, workshop.join_code, rnd.pk, level)


def test_it_records_the_vote_of_the_signed_participant(live_workshop, open_round):
    participant = Participant.objects.create(workshop=live_workshop, sector="school")
    cast = _cast(live_workshop, participant, open_round, 3)
    assert Vote.objects.get(participant=participant, round=open_round).level == 3
    live_workshop.refresh_from_db()
    assert cast == vote_cast.VoteCast(False, (live_workshop.state_version, open_round.pk))


def test_the_state_it_returns_is_the_databases(live_workshop, open_round):
    """The answer a phone gets is rendered from this state: it must be the one phones poll."""
    participant = Participant.objects.create(workshop=live_workshop, sector="school")
    Workshop.objects.filter(pk=live_workshop.pk).update(auto_reveal=True)
    cast = _cast(live_workshop, participant, open_round, 1)
    assert cast.auto_reveal and cast.state == phone_state.phone_state(live_workshop.pk)
    # A round left open on a domain that is no longer on screen (the services never leave one,
    # but a vote must not name it as the phones' round if one were).
    other = Domain.objects.filter(framework_id=live_workshop.framework_id).exclude(pk=open_round.domain_id)
    Workshop.objects.filter(pk=live_workshop.pk).update(current_domain=other.first())
    cache.clear()
    cast = _cast(live_workshop, participant, open_round, 2)
    assert cast is not None and cast.state in (None, phone_state.phone_state(live_workshop.pk))
    assert Vote.objects.get(participant=participant).level == 2


def test_an_older_tap_returns_nothing_and_changes_nothing(live_workshop, open_round):
    participant = Participant.objects.create(workshop=live_workshop, sector="school")
    cast = vote_cast.vote_cast
    args = (live_workshop.pk, participant.pk, participant.token, live_workshop.join_code, open_round.pk)
    assert cast(*args, 3, tap_seq=5) is not None
    assert cast(*args, 1, tap_seq=4) is None
    assert cast(*args, 1, tap_seq=5) is None
    assert Vote.objects.get(participant=participant).level == 3
    assert cast(*args, 0, tap_seq=6) is not None
    assert Vote.objects.get(participant=participant).level == 0


def test_it_rejects_a_token_that_is_not_the_participants(live_workshop, open_round):
    mine = Participant.objects.create(workshop=live_workshop, sector="school")
    other = Participant.objects.create(workshop=live_workshop, sector="nhs")
    assert _cast(live_workshop, mine, open_round, token=other.token) is None
    assert not Vote.objects.exists()


def test_it_rejects_a_participant_of_another_workshop(live_workshop, open_round, other_workshop):
    elsewhere = Participant.objects.create(workshop=other_workshop, sector="school")
    assert _cast(live_workshop, elsewhere, open_round) is None
    assert not Vote.objects.exists()


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_prepared_plan_reads_one_participant_however_full_the_room(live_workshop, open_round):
    Participant.objects.bulk_create(Participant(workshop=live_workshop, sector="school") for _ in range(300))
    voter = Participant.objects.filter(workshop=live_workshop).order_by("pk").last()
    with connection.cursor() as cursor:
        # The plan every later vote on this connection gets: made once, with no statistics yet.
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            assert _cast(live_workshop, voter, open_round) is not None
            values = dict(level=1, tap=None, round=open_round.pk, workshop=live_workshop.pk)
            values.update(code=live_workshop.join_code, participant=voter.pk, token=voter.token)
            with transaction.atomic():
                cursor.execute(
                    f"EXPLAIN (ANALYZE, FORMAT JSON) {vote_cast.EXECUTE}",
                    [values[name] for name in vote_cast.PARAMS],
                )
                plan = cursor.fetchone()[0]
                transaction.set_rollback(True)
        finally:
            cursor.execute("RESET plan_cache_mode")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    reads = [n for n in _nodes(plan[0]["Plan"]) if n.get("Relation Name") == Participant._meta.db_table]
    assert reads, "the plan reads the participant"
    assert all(n["Actual Rows"] <= 1 and n.get("Rows Removed by Filter", 0) == 0 for n in reads), reads
