"""Taps at the same moment on PostgreSQL: a phone never holds more than three dots, and a
facilitator closing notes while phones post never deadlocks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from actionplans import dots
from actionplans.dots import dot_place, dots_open, priorities_confirm
from actionplans.notes_models import Dot, Note
from actionplans.notes_services import NotesError, note_post, notes_close, notes_open
from actionplans.tests.notes_fixtures import domain
from ratings.models import Participant

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
            results.append("done")
        except NotesError as refused:
            results.append(f"refused {refused.status}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a write hung"
    return sorted(results)


def test_six_taps_at_once_place_three_dots(live, facilitator, monkeypatch):
    dots_open(live, facilitator)
    participant = Participant.objects.create(workshop=live, sector="school")
    original = dots.free_slot

    def slowed(taken):  # slow between reading the free slots and writing the dot
        import time

        slot = original(taken)
        time.sleep(0.2)
        return slot

    monkeypatch.setattr(dots, "free_slot", slowed)
    c1 = domain(live, "C1").pk
    results = run_together(*[lambda: dot_place(Participant.objects.get(pk=participant.pk), c1)] * 6)
    assert results.count("done") == 3 and results.count("refused 409") == 3
    assert Dot.objects.filter(participant=participant).count() == 3


def test_closing_notes_and_confirming_while_phones_write_never_deadlocks(live, facilitator):
    notes_open(live, facilitator, None)
    dots_open(live, facilitator)
    people = [Participant.objects.create(workshop=live, sector="school") for _ in range(4)]
    c1 = domain(live, "C1")

    def post(p):
        return lambda: note_post(
            Participant.objects.select_related("workshop").get(pk=p.pk),
            c1,
            kind="challenges",
            text="x",
            show_name=False,
        )

    def tap(p):
        return lambda: dot_place(Participant.objects.select_related("workshop").get(pk=p.pk), c1.pk)

    results = run_together(
        post(people[0]),
        post(people[1]),
        tap(people[2]),
        tap(people[3]),
        lambda: notes_close(live, facilitator),
        lambda: priorities_confirm(live, facilitator, ["C1"]),
    )
    # A deadlock would surface as a database error in a thread: six answers, all expected.
    assert len(results) == 6 and all(r in ("done", "refused 409") for r in results), results
    assert Note.objects.count() <= 2 and Dot.objects.count() <= 2
