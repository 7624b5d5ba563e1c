"""Shared set-up of the notes and dot-voting tests: a live workshop and phones that joined it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from actionplans.notes_models import Note
from ratings import services
from ratings.models import Participant
from workshops.models import Domain, Workshop


@pytest.fixture
def live(workshop, facilitator, _notes_cache) -> Workshop:
    """The workshop, started (the cache, where the join throttle counts, cleared)."""
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def _notes_cache():
    cache.clear()
    yield
    cache.clear()


def join(workshop: Workshop, name: str = "") -> tuple[Client, Participant]:
    phone = Client()
    response = phone.post(
        "/join/", {"code": workshop.join_code, "display_name": name, "organisation": "", "sector": "school"}
    )
    assert response.status_code == 303
    return phone, Participant.objects.filter(workshop=workshop).order_by("-pk").first()


def domain(workshop: Workshop, code: str) -> Domain:
    return workshop.framework.domains.get(code=code)


def post_note(
    phone: Client, workshop: Workshop, code: str = "C1", kind: str = "working_well", text="A note", **extra
):
    data = {"domain": code, "kind": kind, "text": text, **extra}
    return phone.post(f"/p/{workshop.join_code}/notes/", data)


def live_action(client: Client, workshop: Workshop, action: str, **data):
    return client.post(f"/workshops/{workshop.pk}/live/notes/{action}/", data)


def many_notes(workshop: Workshop, participant: Participant, n: int, code: str = "C1") -> None:
    d = domain(workshop, code)
    kinds = ["working_well", "challenges", "next_steps"]
    Note.objects.bulk_create(
        Note(workshop=workshop, domain=d, participant=participant, kind=kinds[i % 3], text=f"Note {i}")
        for i in range(n)
    )
