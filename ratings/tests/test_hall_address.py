"""The join address in a hall: PUBLIC_URL when set, a warning when phones cannot reach it."""

from __future__ import annotations

import pytest

from ratings import hall

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/join/", True),
        ("http://127.4.5.6/join/", True),
        ("http://localhost:8000/join/", True),
        ("http://[::1]:8000/join/", True),
        ("http://192.168.1.20:8000/join/", False),
        ("https://cascade.example.org/join/", False),
    ],
)
def test_it_knows_a_loopback_address(url, loopback):
    assert hall.is_loopback(url) is loopback


def test_the_address_wraps_only_after_slashes_and_dots():
    html = hall.display_html("http://192.168.1.20:8000/join/?code=ACD479")
    assert html == "192.<wbr>168.<wbr>1.<wbr>20:8000/<wbr>join/<wbr>"


def test_public_url_sets_the_join_address_and_qr_code(live_workshop, client_for, facilitator, settings):
    settings.PUBLIC_URL = "http://192.168.1.20:8000"
    page = client_for(facilitator).get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert "192.<wbr>168.<wbr>1.<wbr>20:8000/<wbr>join/<wbr>" in page
    assert "Phones cannot" not in page


def test_console_and_projector_warn_about_a_loopback_join_address(live_workshop, client_for, facilitator):
    client = client_for(facilitator)
    for url in (f"/workshops/{live_workshop.pk}/live/", f"/workshops/{live_workshop.pk}/live/projector/"):
        page = client.get(url, SERVER_NAME="127.0.0.1").content.decode()
        assert "Phones cannot" in page and "127.0.0.1/join/" in page and "make hall" in page
