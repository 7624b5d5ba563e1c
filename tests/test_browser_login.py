from __future__ import annotations

import pytest

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_logs_in_and_sees_their_workshops(page, live_server, facilitator, workshop):
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Your workshops").is_visible()
    assert page.get_by_role("link", name="Baseline").is_visible()
    page.screenshot(path="/tmp/cascade-home.png", full_page=True)


def test_a_wrong_password_is_refused_with_a_message(page, live_server, facilitator):
    log_in(page, live_server, "facilitator", "wrong")
    assert page.get_by_text("Please enter a correct username and password").is_visible()
