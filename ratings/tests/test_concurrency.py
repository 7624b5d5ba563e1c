"""Concurrency on PostgreSQL: simultaneous votes, double submits and confirmations.

Real threads, each with its own database connection, released together by a barrier.
SQLite serialises every write, so these races only exist (and are only tested) on PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client

from ratings import services
from ratings.identity import set_participant_cookie
from ratings.models import Consensus, ConsensusChange, Participant, Round, Sector, Vote
from ratings.taps import now_ms

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks and concurrent writers need PostgreSQL (set DATABASE_URL); SQLite serialises writes"
        )


def _phone_for(participant: Participant) -> Client:
    client = Client()
    response = HttpResponse()
    set_participant_cookie(
        response, participant.workshop.join_code, participant.workshop_id, participant.token
    )
    client.cookies.update(response.cookies)
    return client


def _run_together(jobs) -> list:
    """Run callables in threads released at the same instant; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _vote_job(client: Client, code: str, rnd: Round, level: str):
    return lambda: client.post(f"/p/{code}/vote/", {"round": rnd.pk, "level": level}).status_code


def test_fifty_participants_voting_at_once_give_fifty_votes(live_workshop, facilitator):
    rnd = services.voting_open(live_workshop, facilitator)
    people = [Participant.objects.create(workshop=live_workshop, sector=Sector.SCHOOL) for _ in range(50)]
    jobs = [_vote_job(_phone_for(p), live_workshop.join_code, rnd, str(i % 4)) for i, p in enumerate(people)]
    statuses = _run_together(jobs)
    assert statuses == [302] * 50
    assert Vote.objects.filter(round=rnd).count() == 50
    assert Vote.objects.values("participant").distinct().count() == 50


def test_twenty_simultaneous_submits_from_one_participant_give_one_vote(live_workshop, facilitator):
    rnd = services.voting_open(live_workshop, facilitator)
    person = Participant.objects.create(workshop=live_workshop, sector=Sector.NHS_CYPMHS)
    jobs = [_vote_job(_phone_for(person), live_workshop.join_code, rnd, str(i % 4)) for i in range(20)]
    statuses = _run_together(jobs)
    assert statuses == [302] * 20
    assert Vote.objects.filter(round=rnd, participant=person).count() == 1


def test_votes_racing_the_reveal_are_either_counted_or_refused(live_workshop, facilitator):
    rnd = services.voting_open(live_workshop, facilitator)
    people = [Participant.objects.create(workshop=live_workshop, sector=Sector.SCHOOL) for _ in range(30)]
    jobs = [_vote_job(_phone_for(p), live_workshop.join_code, rnd, "2") for p in people]
    jobs.insert(15, lambda: services.round_reveal(live_workshop, facilitator) and "revealed")
    results = _run_together(jobs)
    statuses = results[:15] + results[16:]
    assert results[15] == "revealed"
    assert set(statuses) <= {302, 409}, statuses
    assert Vote.objects.filter(round=rnd).count() == statuses.count(302)
    rnd.refresh_from_db()
    late = Vote.objects.filter(round=rnd, updated_at__gt=rnd.closed_at).count()
    assert late == 0


@pytest.mark.parametrize("levels", [(2, 2), (2, 3)])
def test_two_facilitators_confirming_at_once(live_workshop, facilitator, admin_user, levels):
    domain = live_workshop.current_domain
    live_workshop.facilitators.add(admin_user)
    jobs = [
        lambda: services.consensus_confirm(live_workshop, facilitator, domain.pk, levels[0], "paper tally"),
        lambda: services.consensus_confirm(live_workshop, admin_user, domain.pk, levels[1], "paper tally"),
    ]
    results = _run_together(jobs)
    assert all(isinstance(r, services.Confirmation) for r in results), results
    assert Consensus.objects.filter(workshop=live_workshop, domain=domain).count() == 1
    changes = list(ConsensusChange.objects.order_by("changed_at", "pk").values_list("old_level", "new_level"))
    final = Consensus.objects.get().level
    if levels[0] == levels[1]:
        assert changes == [(None, levels[0])]
    else:
        assert len(changes) == 2 and changes[0][0] is None
        assert changes[1] == (changes[0][1], final)  # the history chains from one level to the next


def test_two_facilitators_clicking_confirm_in_the_console_at_once(
    live_workshop, facilitator, admin_user, client_for
):
    domain = live_workshop.current_domain
    rnd = services.voting_open(live_workshop, facilitator)
    for _ in range(3):
        Vote.objects.create(
            round=rnd,
            participant=Participant.objects.create(workshop=live_workshop, sector="school"),
            level=1,
        )
    services.round_reveal(live_workshop, facilitator)
    clients = [client_for(facilitator), client_for(admin_user)]
    url = f"/workshops/{live_workshop.pk}/live/action/confirm/"
    jobs = [lambda c=c: c.post(url, {"domain": domain.pk, "level": 1}).status_code for c in clients]
    statuses = _run_together(jobs)
    assert all(s in (302, 409) for s in statuses), statuses
    assert 302 in statuses
    assert Consensus.objects.count() == 1 and ConsensusChange.objects.count() == 1


def test_racing_taps_from_one_phone_leave_the_newest(live_workshop, facilitator):
    """An offline queue's retries and a fresh tap arrive together: the highest tap number wins."""
    rnd = services.voting_open(live_workshop, facilitator)
    participant = Participant.objects.create(workshop=live_workshop, sector=Sector.SCHOOL)
    client = _phone_for(participant)
    code = live_workshop.join_code

    t0 = now_ms() - 60_000  # tap numbers are the phone's clock in ms

    def tap(seq: int, level: str):
        data = {"round": rnd.pk, "level": level, "tap": f"phone-1:{t0 + seq}"}
        return lambda: client.post(f"/p/{code}/vote/", data).status_code

    jobs = [tap(seq, str(seq % 4)) for seq in range(1, 21)] + [tap(20, "0") for _ in range(5)]
    statuses = _run_together(jobs)
    assert statuses == [302] * 25
    vote = Vote.objects.get(round=rnd)
    assert (vote.tap_seq, vote.level) == (t0 + 20, 0)
