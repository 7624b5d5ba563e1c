"""Fixtures of the live workshop: a started workshop and phones that joined it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from ratings import services
from ratings.models import Participant, Sector
from tests.smtp import smtp, smtp_down  # noqa: F401  (a real SMTP server: invitation tests)
from workshops.models import Workshop


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the join throttle counts per address in the cache
    yield
    cache.clear()


@pytest.fixture
def live_workshop(workshop, facilitator) -> Workshop:
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    return workshop


def join_phone(workshop: Workshop, sector: str = Sector.SCHOOL, name: str = "") -> tuple[Client, Participant]:
    """A phone (test client) that joined through the form, with its participant."""
    phone = Client()
    response = phone.post(
        "/join/", {"code": workshop.join_code, "display_name": name, "organisation": "", "sector": sector}
    )
    assert response.status_code == 303, response.content.decode()[:500]
    participant = Participant.objects.filter(workshop=workshop).order_by("-pk").first()
    return phone, participant


@pytest.fixture
def phone(live_workshop) -> tuple[Client, Participant]:
    return join_phone(live_workshop)
