"""The summary page and the workshop-page panel: seven agreed levels, total, change, history."""

from __future__ import annotations

import pytest

from ratings import services
from ratings.models import ConsensusChange, Participant, Sector, Vote
from ratings.templatetags.ratings_tags import signed

pytestmark = pytest.mark.django_db

LEVELS = {"C1": 1, "A1": 2, "S": 1, "C2": 0, "A2": 3, "D": 2, "E": 1}


def _agree_all(workshop, facilitator, levels: dict[str, int]) -> None:
    services.workshop_start(workshop, facilitator)
    for domain in workshop.framework.domains.all():
        services.consensus_confirm(workshop, facilitator, domain.pk, levels[domain.code], "agreed on paper")


def test_the_summary_shows_seven_levels_and_the_total(workshop, facilitator, client_for):
    _agree_all(workshop, facilitator, LEVELS)
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/results/").content.decode()
    assert "<strong>10</strong> out of 21" in page
    assert page.count('class="level-chip') == 7
    assert "Gold standard" in page and "Major challenge" in page


def test_a_follow_up_shows_the_change_per_domain_and_in_total(workshop, follow_up, facilitator, client_for):
    _agree_all(workshop, facilitator, LEVELS)
    _agree_all(follow_up, facilitator, {**LEVELS, "C1": 3, "C2": 1, "A2": 2})
    page = client_for(facilitator).get(f"/workshops/{follow_up.pk}/results/").content.decode()
    assert "<strong>12</strong> out of 21" in page
    assert '<span class="change change-up">+2</span>' in page
    assert '<span class="change change-down">−1</span>' in page
    assert "<strong>+2</strong>" in page  # total change 12 - 10


def test_every_change_is_in_the_history_on_the_workshop_page(
    live_workshop, facilitator, admin_user, client_for
):
    domain = live_workshop.current_domain
    rnd = services.voting_open(live_workshop, facilitator)
    for level in (2, 2, 2):
        Vote.objects.create(
            round=rnd,
            participant=Participant.objects.create(workshop=live_workshop, sector=Sector.SCHOOL),
            level=level,
        )
    services.round_reveal(live_workshop, facilitator)
    services.consensus_confirm(live_workshop, facilitator, domain.pk, 2)
    services.consensus_confirm(live_workshop, admin_user, domain.pk, 2)  # same level: not a change
    services.consensus_confirm(live_workshop, admin_user, domain.pk, 1, "Schools disagreed strongly")
    changes = list(ConsensusChange.objects.order_by("pk").values_list("old_level", "new_level", "changed_by"))
    assert changes == [(None, 2, facilitator.pk), (2, 1, admin_user.pk)]
    page = client_for(facilitator).get(f"/workshops/{live_workshop.pk}/").content.decode()
    assert "History of agreed levels" in page
    assert "2 → 1" in page and "Schools disagreed strongly" in page and "agreed 2" in page
    assert "Admin" in page and "Facilitator" in page


def test_the_panel_links_facilitators_to_the_console(live_workshop, facilitator, client_for):
    page = client_for(facilitator).get(f"/workshops/{live_workshop.pk}/").content.decode()
    assert f'href="/workshops/{live_workshop.pk}/live/"' in page
    assert f'href="/workshops/{live_workshop.pk}/live/projector/"' in page


def test_the_phone_shows_the_agreed_levels_once_closed(live_workshop, facilitator, phone):
    client, _ = phone
    services.consensus_confirm(live_workshop, facilitator, live_workshop.current_domain_id, 2, "paper vote")
    services.workshop_close(live_workshop, facilitator)
    page = client.get(f"/p/{live_workshop.join_code}/").content.decode()
    assert "The workshop has closed" in page and "Clarity on roles" in page
    assert "level-chip level-2" in page


@pytest.mark.parametrize("value,text", [(2, "+2"), (-1, "−1"), (0, "0"), (None, "")])
def test_signed(value, text):
    assert signed(value) == text


def test_facilitators_get_a_join_link_in_the_menu(users, client_for):
    assert "Join as participant" in client_for(users["facilitator"]).get("/").content.decode()
    assert "Join as participant" not in client_for(users["lead"]).get("/").content.decode()
