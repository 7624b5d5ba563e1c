"""X-Forwarded-For counts only when a trusted proxy sent it (issue 9, section 4).

The finding: with SECURE_PROXY_SSL_HEADER on, anyone reaching gunicorn directly rotated
X-Forwarded-For and was never throttled on join codes nor locked out of log-in. Now the
header is read only when REMOTE_ADDR is one of TRUSTED_PROXIES, walked from the right.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from ratings import identity, services
from ratings.models import Participant, Sector
from workshops.client_address import client_address

PROXY_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the join throttle counts in the cache
    yield
    cache.clear()


@pytest.fixture
def live_workshop(workshop, facilitator):
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    return workshop


def _join(client: Client, code: str):
    return client.post("/join/", {"code": code, "sector": Sector.SCHOOL})


@pytest.mark.django_db
def test_rotating_the_header_from_outside_the_proxy_does_not_escape_the_join_throttle(
    live_workshop, settings
):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    direct = Client(REMOTE_ADDR="198.51.100.9")  # straight to gunicorn, not through the proxy
    for i in range(identity.JOIN_FAILURES_ALLOWED):
        direct.defaults["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{i}"
        assert _join(direct, "XXXXXX").status_code == 400
    direct.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.250"
    response = _join(direct, live_workshop.join_code)
    assert response.status_code == 429
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_rotating_the_header_from_outside_the_proxy_does_not_escape_the_login_lockout(facilitator, settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    direct = Client(REMOTE_ADDR="198.51.100.9")
    for i in range(5):
        direct.defaults["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{i}"
        direct.post("/accounts/login/", {"username": "facilitator", "password": "wrong"})
    direct.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.250"
    response = direct.post("/accounts/login/", {"username": "facilitator", "password": "pw-facilitator"})
    assert response.status_code == 429
    assert "_auth_user_id" not in direct.session


@pytest.mark.django_db
def test_through_the_trusted_proxy_each_phone_is_counted_on_its_own(live_workshop, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    guesser = Client(REMOTE_ADDR="127.0.0.1")
    for i in range(identity.JOIN_FAILURES_ALLOWED):
        guesser.defaults["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{i}, 203.0.113.5"  # forged entries first
        assert _join(guesser, "XXXXXX").status_code == 400
    assert _join(guesser, live_workshop.join_code).status_code == 429
    phone = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _join(phone, live_workshop.join_code).status_code == 303


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "127.0.0.1", "203.0.113.5", "127.0.0.1"),  # no trusted proxy: the socket address
        (["127.0.0.1"], "198.51.100.9", "203.0.113.5", "198.51.100.9"),  # not from the proxy
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # forged entry ignored
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5 , 127.0.0.1", "203.0.113.5"),  # proxy chain
        (["10.0.0.0/8"], "10.1.2.3", "203.0.113.5, 10.9.9.9", "203.0.113.5"),  # a CIDR of proxies
        (["10.0.0.0/8"], "10.1.2.3", "10.9.9.9", "10.9.9.9"),  # only proxies: the leftmost
        (["::1"], "::1", "2001:db8::1", "2001:db8::1"),
        (["fd00::/8"], "fd00::5", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "unknown", "127.0.0.1"),  # not an address: the proxy's
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, garbage", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "", "203.0.113.5", None),
        ([], "not-an-ip", "", None),
    ],
)
def test_client_address_walks_the_header_from_the_right(trusted, remote, forwarded, expected, settings):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_proxy_ssl_header_alone_no_longer_trusts_the_forwarded_header(settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "198.51.100.9"
