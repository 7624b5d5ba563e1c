"""The lobby: phones join while people arrive; voting stays closed until the facilitator opens it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ratings import lobby, services
from ratings.live import participant_ballot
from ratings.models import Participant, Round
from ratings.tests.conftest import join_phone
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def fclient(client_for, facilitator):
    return client_for(facilitator)


def _doors(fclient, workshop):
    return fclient.post(f"/workshops/{workshop.pk}/live/action/doors/")


def test_opening_the_doors_lets_phones_join_a_draft_workshop(workshop, fclient):
    assert _doors(fclient, workshop).status_code == 302
    workshop.refresh_from_db()
    assert workshop.doors_open and workshop.status == Workshop.Status.DRAFT
    _, participant = join_phone(workshop)
    assert participant.workshop == workshop


def test_a_phone_in_the_lobby_reads_the_domains_and_cannot_vote(workshop, fclient):
    _doors(fclient, workshop)
    phone, participant = join_phone(workshop)
    page = phone.get(f"/p/{workshop.join_code}/").content.decode()
    assert "You’re in" in page and "The workshop starts soon" in page
    assert "Clarity on roles" in page and "<form" not in page.split('id="ballot"')[1].split("</section>")[0]
    assert participant_ballot(participant).phase == "lobby"


def test_the_projector_lobby_shows_address_code_qr_and_joined_by_sector(workshop, fclient):
    _doors(fclient, workshop)
    join_phone(workshop, sector="nhs")
    join_phone(workshop, sector="nhs")
    page = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "lobby-code" in page and workshop.join_code_display in page
    assert (
        'class="qr-code"' in page
        and '<span class="nobreak">testserver/</span><wbr><span class="nobreak">join/</span>' in page
    )
    assert '<strong data-testid="lobby-joined">2</strong> joined' in page
    assert "NHS children&#x27;s mental health service 2" in page


def test_the_projector_on_the_workshop_day_opens_the_doors(workshop, fclient):
    workshop.date = dt.date.today()
    workshop.save()
    fclient.get(f"/workshops/{workshop.pk}/live/projector/")
    workshop.refresh_from_db()
    assert workshop.doors_open


def test_the_projector_on_another_day_leaves_the_doors_shut(workshop, fclient):
    workshop.date = dt.date.today() + dt.timedelta(days=3)
    workshop.save()
    fclient.get(f"/workshops/{workshop.pk}/live/projector/")
    workshop.refresh_from_db()
    assert not workshop.doors_open
    response = Client().post(
        "/join/", {"code": workshop.join_code, "display_name": "", "organisation": "", "sector": "school"}
    )
    assert response.status_code == 409 and "not open yet" in response.content.decode()
    assert not Participant.objects.exists()


def test_starting_after_the_lobby_keeps_the_phones_and_voting_closed(workshop, fclient, facilitator):
    _doors(fclient, workshop)
    phone, participant = join_phone(workshop)
    services.workshop_start(workshop, facilitator)
    page = phone.get(f"/p/{workshop.join_code}/").content.decode()
    assert "Voting opens soon" in page
    assert not Round.objects.exists()


def test_it_rejects_opening_the_doors_of_a_closed_workshop(live_workshop, facilitator, fclient):
    services.workshop_close(live_workshop, facilitator)
    response = _doors(fclient, live_workshop)
    assert response.status_code == 409 and "has closed" in response.content.decode()


def test_only_the_workshops_facilitators_open_the_doors(workshop, client_for, other_facilitator, lead):
    for user in (other_facilitator, lead):
        assert _doors(client_for(user), workshop).status_code == 404
    workshop.refresh_from_db()
    assert not workshop.doors_open


def test_opens_on_the_day_is_false_once_live(live_workshop):
    assert not lobby.opens_on_the_day(live_workshop, today=live_workshop.date)
