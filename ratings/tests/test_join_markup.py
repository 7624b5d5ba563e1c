"""The join page's form is written out by hand (templates/ratings/_join_fields.html): it must
still label every control, tie errors to their fields and keep what was typed, escaped."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_refused_code_is_marked_on_its_field_and_the_answers_stay(live_workshop):
    response = Client().post(
        "/join/", {"code": 'AB"<x>', "display_name": "Sam & Co", "organisation": "", "sector": "nhs"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="AB&quot;&lt;x&gt;"' in body and "<x>" not in body
    assert 'aria-describedby="id_code_helptext id_code_error" aria-invalid="true"' in body
    assert '<div id="id_code_error" class="invalid-feedback">' in body
    assert 'value="Sam &amp; Co"' in body
    assert 'value="nhs" class="form-check-input" id="id_sector_1" required checked>' in body


def test_a_missing_sector_is_marked_on_the_group(live_workshop):
    body = Client().post("/join/", {"code": live_workshop.join_code, "display_name": ""}).content.decode()
    assert 'fieldset aria-describedby="id_sector_helptext id_sector_error"' in body
    assert body.count('class="form-check-input is-invalid" aria-invalid="true"') == 6
    assert "This field is required." in body


def test_every_control_has_a_label(live_workshop):
    body = Client().get(f"/join/?code={live_workshop.join_code}").content.decode()
    for control in ("id_code", "id_display_name", "id_organisation", *(f"id_sector_{i}" for i in range(6))):
        assert f'id="{control}"' in body and f'for="{control}"' in body
    assert f'value="{live_workshop.join_code}"' in body  # prefilled from the QR code's link
