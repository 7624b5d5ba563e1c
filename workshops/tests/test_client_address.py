"""The client address the throttles count by, with and without a trusted proxy (more cases in
tests/test_trusted_proxies.py)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from workshops.client_address import client_address


@pytest.mark.parametrize(
    ("remote", "forwarded", "behind_proxy", "expected"),
    [
        ("10.1.1.1", "203.0.113.5", False, "10.1.1.1"),  # no proxy: the header is ignored
        ("127.0.0.1", "203.0.113.5", True, "203.0.113.5"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.5", True, "203.0.113.5"),  # forged entries come first
        ("127.0.0.1", "2001:db8::1", True, "2001:db8::1"),
        ("127.0.0.1", "unknown", True, "127.0.0.1"),  # not an address: the proxy's
        ("127.0.0.1", "", True, "127.0.0.1"),
        ("", "", False, None),
        ("not-an-ip", "", False, None),
    ],
)
def test_client_address(remote, forwarded, behind_proxy, expected, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"] if behind_proxy else []
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
