"""The console's step actions: one bar, a confirmation before leaving an open round, keys,
errors beside the control, and the sector table only when it says something."""

from __future__ import annotations

import pytest

from ratings import services
from ratings.models import Participant, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def fclient(client_for, facilitator):
    return client_for(facilitator)


def _console(fclient, workshop) -> str:
    return fclient.get(f"/workshops/{workshop.pk}/live/").content.decode()


def _bar(page: str) -> str:
    return page.split('<section class="action-bar"')[1].split("</section>")[0]


def _vote(rnd, sectors_levels):
    for sector, level in sectors_levels:
        p = Participant.objects.create(workshop=rnd.workshop, sector=sector)
        services.vote_record(p, rnd.pk, level)


def test_next_asks_first_while_voting_is_open(live_workshop, facilitator, fclient):
    services.voting_open(live_workshop, facilitator)
    page = _console(fclient, live_workshop)
    assert 'data-confirm="Voting is open on C1. Moving on closes it. Move on?"' in _bar(page)
    assert page.count("Moving on closes it") >= 2  # Next and the other domains in the list


def test_next_asks_first_after_a_reveal_without_an_agreed_level(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    _vote(rnd, [(Sector.SCHOOL, 2)])
    services.round_reveal(live_workshop, facilitator)
    bar = _bar(_console(fclient, live_workshop))
    assert "No level is agreed for C1 yet" in bar
    assert "Confirm level" in bar and "Vote again (round 2)" in bar and 'name="reason"' in bar


def test_before_voting_moving_on_does_not_ask(live_workshop, fclient):
    page = _console(fclient, live_workshop)
    assert "data-confirm=" not in _bar(page)
    assert 'data-key="o" data-step>Open voting' in _bar(page)


def test_a_missing_reason_is_shown_beside_confirm(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    _vote(rnd, [(Sector.SCHOOL, 1)])
    services.round_reveal(live_workshop, facilitator)
    response = fclient.post(
        f"/workshops/{live_workshop.pk}/live/action/confirm/",
        {"domain": live_workshop.current_domain_id, "level": "3", "reason": ""},
    )
    assert response.status_code == 400
    bar = _bar(response.content.decode())
    assert 'role="alert"' in bar and "Check the level and the reason beside Confirm level." in bar
    assert 'id="reason-error"' in bar and "Give a short reason" in bar


def test_a_single_other_row_is_hidden_with_the_reason(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    _vote(rnd, [(Sector.SCHOOL, 1), (Sector.NHS_CYPMHS, 2), (Sector.LOCAL_AUTHORITY, 2)])
    services.round_reveal(live_workshop, facilitator)
    page = _console(fclient, live_workshop)
    assert '<table class="table table-sm sector-table' not in page and "No table by sector" in page


def test_the_sector_table_shows_when_groups_are_big_enough(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    _vote(rnd, [(Sector.SCHOOL, 1)] * 3 + [(Sector.NHS_CYPMHS, 2)] * 3)
    services.round_reveal(live_workshop, facilitator)
    page = _console(fclient, live_workshop)
    assert '<table class="table table-sm sector-table' in page and "No table by sector" not in page


def test_console_and_projector_list_the_shortcuts(live_workshop, fclient):
    for url in (f"/workshops/{live_workshop.pk}/live/", f"/workshops/{live_workshop.pk}/live/projector/"):
        page = fclient.get(url).content.decode()
        assert 'id="shortcuts-help"' in page and "ratings/shortcuts" in page
