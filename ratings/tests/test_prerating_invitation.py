"""The pre-rating invitation's address: PUBLIC_URL when set, and the console's warning when
invitees could not open it (issue 23: it offered http://127.0.0.1:8000/join/... silently)."""

from __future__ import annotations

import pytest

from ratings.tests.prerating_helpers import open_window

pytestmark = pytest.mark.django_db


def test_it_warns_that_a_loopback_invitation_cannot_be_opened(workshop, facilitator, client_for):
    open_window(workshop, facilitator)
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/", SERVER_NAME="127.0.0.1").content.decode()
    assert f"http://127.0.0.1/join/?code={workshop.join_code}" in page
    assert "Phones cannot use this address" in page and "PUBLIC_URL" in page
    assert 'aria-describedby="prerating-loopback"' in page


def test_the_invitation_uses_public_url(workshop, facilitator, client_for, settings):
    settings.PUBLIC_URL = "https://cascade.example.org"
    open_window(workshop, facilitator)
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/", SERVER_NAME="127.0.0.1").content.decode()
    assert f"open https://cascade.example.org/join/?code={workshop.join_code}" in page
    assert "127.0.0.1/join" not in page and "Phones cannot" not in page
