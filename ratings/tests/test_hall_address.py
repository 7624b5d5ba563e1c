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


def test_the_address_wraps_only_after_slashes_dots_and_hyphens():
    html = hall.display_html("http://my-laptop.local:8000/join/?code=ACD479")
    pieces = ["my-", "laptop.", "local:8000/", "join/"]
    assert html == "<wbr>".join(f'<span class="nobreak">{p}</span>' for p in pieces)


def test_public_url_sets_the_join_address_and_qr_code(live_workshop, client_for, facilitator, settings):
    settings.PUBLIC_URL = "http://192.168.1.20:8000"
    page = client_for(facilitator).get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert '<span class="nobreak">20:8000/</span><wbr><span class="nobreak">join/</span>' in page
    assert "Phones cannot" not in page


def test_console_and_projector_warn_about_a_loopback_join_address(live_workshop, client_for, facilitator):
    client = client_for(facilitator)
    for url in (f"/workshops/{live_workshop.pk}/live/", f"/workshops/{live_workshop.pk}/live/projector/"):
        page = client.get(url, SERVER_NAME="127.0.0.1").content.decode()
        assert "Phones cannot" in page and "127.0.0.1/join/" in page and "make hall" in page
