"""A phone shows one clear state at a time (issue 23: while live, a phone showed "All done:
thank you" beside "Place your dots" and "Write notes")."""

from __future__ import annotations

import re

import pytest

from actionplans.dots import dots_open
from actionplans.notes_services import notes_open
from actionplans.tests.notes_fixtures import domain, join
from ratings import services
from ratings.live import participant_stamp

pytestmark = pytest.mark.django_db


def _h1s(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", body, re.S)]


@pytest.fixture
def agreed_one(live, facilitator):
    """C1 agreed and no domain on the screen: the phones' end screen while still live."""
    services.domain_go(live, facilitator, domain(live, "C1").pk)
    services.voting_open(live, facilitator)
    services.round_reveal(live, facilitator)
    services.consensus_confirm(live, facilitator, domain(live, "C1").pk, 0, "none voted")
    services.domain_go(live, facilitator, None)
    return live


def test_the_end_screen_gives_way_to_dots_and_notes(agreed_one, facilitator):
    phone, _ = join(agreed_one)
    assert "All done: thank you" in phone.get(f"/p/{agreed_one.join_code}/").content.decode()
    dots_open(agreed_one, facilitator)
    notes_open(agreed_one, facilitator, None)
    for body in (
        phone.get(f"/p/{agreed_one.join_code}/").content.decode(),
        phone.get(f"/p/{agreed_one.join_code}/poll/", {"s": "old"}).content.decode(),
    ):
        assert "Place your dots" in body and "Write notes" in body
        assert "All done" not in body and "Thank you for taking part" not in body
        assert _h1s(body) == ["Over to you: priorities and notes"]
        assert 'data-announce="Over to you: priorities and notes.' in body


def test_dots_alone_are_the_phones_one_task(agreed_one, facilitator):
    phone, _ = join(agreed_one)
    dots_open(agreed_one, facilitator)
    body = phone.get(f"/p/{agreed_one.join_code}/").content.decode()
    assert _h1s(body) == ["Choose the priorities"] and "All done" not in body


def test_a_vote_open_hides_the_notes_button(live, facilitator):
    phone, _ = join(live)
    notes_open(live, facilitator, None)
    services.domain_go(live, facilitator, domain(live, "A1").pk)
    services.voting_open(live, facilitator)
    stamp = participant_stamp(live.pk)
    body = phone.get(f"/p/{live.join_code}/").content.decode()
    assert "Which level has your area reached?" in body and "Write notes" not in body
    services.round_reveal(live, facilitator)
    body = phone.get(f"/p/{live.join_code}/poll/", {"s": stamp}).content.decode()
    assert "Write notes" in body  # the room discusses A1: notes are the task again
