"""Joining from a phone: by code, no account, one participant per device and workshop."""

from __future__ import annotations

import pytest
from django.test import Client

from ratings import identity, services
from ratings.models import Participant, Sector
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db


def _post(client, code, sector=Sector.SCHOOL, **extra):
    return client.post("/join/", {"code": code, "sector": sector, **extra})


def test_it_joins_with_a_code_and_sets_a_signed_cookie(live_workshop):
    phone = Client()
    response = _post(phone, live_workshop.join_code, display_name="Sam", organisation="Oak School")
    assert response.status_code == 303
    assert response["Location"] == f"/p/{live_workshop.join_code}/"
    participant = Participant.objects.get()
    assert (participant.display_name, participant.organisation, participant.sector) == (
        "Sam",
        "Oak School",
        Sector.SCHOOL,
    )
    cookie = response.cookies[identity.participant_cookie_name(live_workshop.join_code)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = phone.get(f"/p/{live_workshop.join_code}/")
    assert page.status_code == 200 and "Sam" in page.content.decode()


def test_it_accepts_what_people_type(live_workshop):
    messy = live_workshop.join_code_display.lower().replace(" ", " - ")
    assert _post(Client(), messy).status_code == 303


def test_a_mistyped_code_gets_a_clear_message_and_records_nothing(live_workshop):
    response = _post(Client(), "ACD47")
    assert response.status_code == 400
    assert "A join code has 6 letters and digits" in response.content.decode()
    response = _post(Client(), "ACDEFH" if live_workshop.join_code != "ACDEFH" else "ACDEFJ")
    assert response.status_code == 400
    assert "No workshop has the code" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_sector_is_required(live_workshop):
    response = Client().post("/join/", {"code": live_workshop.join_code})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Participant.objects.exists()


def test_join_code_guessing_is_throttled_per_address(live_workshop, settings):
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(identity.JOIN_FAILURES_ALLOWED):
        assert _post(guesser, "XXXXXX").status_code == 400
    response = _post(guesser, live_workshop.join_code)  # even the right code waits now
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert not Participant.objects.exists()
    assert _post(Client(REMOTE_ADDR="10.9.9.10"), live_workshop.join_code).status_code == 303


def test_behind_the_proxy_guesses_are_counted_per_client_not_for_the_whole_hall(live_workshop, settings):
    """Every request reaches Django from the proxy's address; the proxy appends the client's."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.5")
    for i in range(identity.JOIN_FAILURES_ALLOWED):
        guesser.defaults["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{i}, 203.0.113.5"  # forged entries do not help
        assert _post(guesser, "XXXXXX").status_code == 400
    assert _post(guesser, live_workshop.join_code).status_code == 429
    phone = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _post(phone, live_workshop.join_code).status_code == 303


def test_without_a_proxy_the_forwarded_header_is_ignored(live_workshop):
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    for i in range(identity.JOIN_FAILURES_ALLOWED):
        guesser.defaults["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{i}"
        assert _post(guesser, "XXXXXX").status_code == 400
    assert _post(guesser, live_workshop.join_code).status_code == 429


def test_a_draft_or_closed_workshop_cannot_be_joined(workshop, facilitator):
    response = _post(Client(), workshop.join_code)
    assert response.status_code == 409 and "is not open yet" in response.content.decode()
    services.workshop_start(workshop, facilitator)
    services.workshop_close(workshop, facilitator)
    response = _post(Client(), workshop.join_code)
    assert response.status_code == 409 and "has closed" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_same_phone_resumes_instead_of_joining_twice(live_workshop):
    phone, participant = join_phone(live_workshop)
    again = _post(phone, live_workshop.join_code)
    assert again.status_code == 302 and again["Location"] == f"/p/{live_workshop.join_code}/"
    assert Participant.objects.count() == 1
    # Arriving again through the QR code goes straight back to the ballot.
    back = phone.get(f"/join/?code={live_workshop.join_code}")
    assert back.status_code == 302 and back["Location"] == f"/p/{live_workshop.join_code}/"


def test_the_qr_link_prefills_the_code(live_workshop):
    response = Client().get(f"/join/?code={live_workshop.join_code.lower()}")
    assert response.status_code == 200
    assert f'value="{live_workshop.join_code}"' in response.content.decode()


def test_a_phone_without_the_cookie_is_sent_to_join(live_workshop):
    response = Client().get(f"/p/{live_workshop.join_code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/join/?code={live_workshop.join_code}"


def test_a_participant_sees_only_their_own_workshop(live_workshop, other_workshop, other_facilitator):
    services.workshop_start(other_workshop, other_facilitator)
    other_workshop.refresh_from_db()
    phone, _ = join_phone(live_workshop)
    response = phone.get(f"/p/{other_workshop.join_code}/")
    assert response.status_code == 302 and response["Location"].startswith("/join/")
    # A forged cookie (signed for one code, presented for another) does not pass either.
    name = identity.participant_cookie_name(live_workshop.join_code)
    phone.cookies[identity.participant_cookie_name(other_workshop.join_code)] = phone.cookies[name].value
    assert phone.get(f"/p/{other_workshop.join_code}/").status_code == 302


def test_a_tampered_cookie_is_ignored(live_workshop):
    phone, _ = join_phone(live_workshop)
    name = identity.participant_cookie_name(live_workshop.join_code)
    phone.cookies[name] = phone.cookies[name].value[:-3] + "abc"
    assert phone.get(f"/p/{live_workshop.join_code}/").status_code == 302
