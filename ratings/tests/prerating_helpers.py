"""Helpers shared by the test_prerating*.py files: an open window and phones that pre-rate."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from ratings.models import Participant, Sector
from ratings.prerating import prerating_open
from workshops.models import Workshop


def open_window(workshop: Workshop, user, hours: int = 48) -> Workshop:
    return prerating_open(workshop, user, timezone.now() + dt.timedelta(hours=hours))


def join(workshop: Workshop, sector: str = Sector.SCHOOL, name: str = "") -> tuple[Client, Participant]:
    """A phone that joined through the form (as before the day), with its participant."""
    phone = Client()
    response = phone.post(
        "/join/", {"code": workshop.join_code, "display_name": name, "organisation": "", "sector": sector}
    )
    assert response.status_code == 303, response.content.decode()[:500]
    return phone, Participant.objects.filter(workshop=workshop).order_by("-pk").first()


def pre_rate(phone: Client, workshop: Workshop, position: int, level, note: str = ""):
    return phone.post(
        f"/p/{workshop.join_code}/before/{position}/",
        {"level": "unsure" if level is None else str(level), "note": note},
    )


def expire_window(workshop: Workshop) -> None:
    """The closing time has passed (without waiting for it)."""
    past = timezone.now() - dt.timedelta(seconds=1)
    Workshop.objects.filter(pk=workshop.pk).update(prerating_closes_at=past)
    workshop.refresh_from_db()
