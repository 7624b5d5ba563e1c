from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_and_add_page_opens(model, admin_user, client_for, workshop):
    client = client_for(admin_user)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?q=x").status_code
        == 200
    )


@pytest.mark.django_db
def test_pages_send_a_csp_without_inline_scripts(client_for, facilitator):
    response = client_for(facilitator).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()  # no inline script blocks


@pytest.mark.django_db
def test_it_locks_out_password_guessing(facilitator):
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "facilitator", "password": "wrong"})
    # The right password no longer works once locked.
    response = client.post("/accounts/login/", {"username": "facilitator", "password": "pw-facilitator"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_refuses_an_overlong_username_with_a_message(facilitator):
    """Issue 21's fuzzing: 300 characters reached django-axes' 255-character record (a 500 on
    PostgreSQL); Django's login form never checked the length it sets."""
    response = Client().post("/accounts/login/", {"username": "x" * 300, "password": "wrong"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()


@pytest.mark.django_db
def test_the_right_password_logs_in(facilitator):
    client = Client()
    response = client.post("/accounts/login/", {"username": "facilitator", "password": "pw-facilitator"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_behind_the_proxy_a_password_guesser_locks_out_only_their_own_address(facilitator, settings):
    """All requests come from the proxy's address; five failures there locked the user out for everyone."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(5):
        guesser.post("/accounts/login/", {"username": "facilitator", "password": "wrong"})
    locked = guesser.post("/accounts/login/", {"username": "facilitator", "password": "pw-facilitator"})
    assert locked.status_code == 429
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = owner.post("/accounts/login/", {"username": "facilitator", "password": "pw-facilitator"})
    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_the_admin_workshop_form_hides_the_live_state(admin_user, client_for, workshop):
    page = client_for(admin_user).get(f"/admin/workshops/workshop/{workshop.pk}/change/").content.decode()
    assert 'name="title"' in page
    for internal in ("current_domain", "state_version", "doors_open"):
        assert f'name="{internal}"' not in page and f"field-{internal}" not in page
