"""When the database is unreachable pages answer a plain 503 that needs no database or
template, and the site recovers by itself when the database is back (issue 9, section 4).
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import path

from cascade_site import urls as site_urls
from cascade_site.unavailable import MESSAGE, server_error
from tests.servers import Browser, gunicorn, manage, server_env


def test_it_answers_503_while_the_database_is_unreachable_and_recovers_by_itself(tmp_path):
    # SQLite cannot open a file in a directory that does not exist: a real connection failure.
    database_dir = tmp_path / "not-yet"
    env = server_env(f"sqlite:///{database_dir / 'db.sqlite3'}", DEBUG="0")
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        phone = Browser(headers={"Cookie": "sessionid=" + "a1" * 16})  # the session is read from the database
        status, html, headers = phone.request(base + "/")
        assert status == 503
        assert MESSAGE in html
        assert headers["Retry-After"] == "60"
        assert "Traceback" not in html and "sqlite" not in html.lower()
        assert "Set-Cookie" not in headers
        status, body, _ = phone.request(base + "/healthz")
        assert (status, body) == (503, "database: unavailable\ncache: ok\n")

        database_dir.mkdir()  # the database comes back
        manage(env, "migrate", "--noinput", "-v0")
        status, _, headers = phone.request(base + "/")
        assert status == 302 and headers["Location"].startswith("/accounts/login/")
        assert phone.request(base + "/healthz")[:2] == (200, "ok\n")


@pytest.mark.django_db
def test_a_server_error_page_renders_without_database_or_templates(django_assert_num_queries, settings):
    settings.TEMPLATES = []  # no template engine at all
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert MESSAGE in html and "<title>" in html
    assert "<style" not in html and "<script" not in html  # the CSP forbids inline code


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_plain_page(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert MESSAGE in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@pytest.mark.django_db
def test_it_answers_503_while_redis_is_unreachable(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = Client().post("/join/", {"code": "ABCDEF", "sector": "school"})  # the throttle reads Redis
    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
