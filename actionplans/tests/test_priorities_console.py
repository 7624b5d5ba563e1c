"""Confirming priorities on the live console: a refusal stays on the console, beside the
control, naming what was ticked (issue 23: four ticks led to a "That was not done" page saying
"A1, C2, D already are" when only D was a priority)."""

from __future__ import annotations

import pytest

from actionplans.dots import dots_open
from actionplans.models import DomainPlan
from actionplans.notes_models import LiveNotes
from actionplans.services import domain_plan_save
from actionplans.tests.notes_fixtures import domain, live_action

pytestmark = pytest.mark.django_db

FOUR = ["A1", "C2", "D", "E"]


@pytest.fixture
def voting(live, facilitator):
    data = {"working_well": "", "challenges": "", "next_steps": "", "is_priority": True}
    domain_plan_save(live, domain(live, "D"), data=data, version=0, user=facilitator)
    dots_open(live, facilitator)
    return live


def _priorities(workshop) -> list[str]:
    rows = DomainPlan.objects.filter(workshop=workshop, is_priority=True)
    return sorted(rows.values_list("domain__code", flat=True))


def test_it_refuses_four_priorities_on_the_console_beside_the_control(voting, facilitator, client_for):
    response = live_action(client_for(facilitator), voting, "priorities", domain=FOUR)
    body = response.content.decode()
    assert response.status_code == 400
    assert "That was not done" not in body
    assert 'id="notes-console"' in body and "Close workshop" in body  # the console itself
    assert "already are" not in body
    assert "At most 3 domains can be priorities for change; you ticked 4: A1, C2, D, E." in body
    # The message is the fieldset's error, read with it, and the ticks are kept to correct.
    assert 'id="priorities-error"' in body and 'aria-describedby="priorities-error"' in body
    assert 'value="E" id="prio-E" checked' in body and 'value="A1" id="prio-A1" checked' in body
    assert _priorities(voting) == ["D"]
    assert LiveNotes.objects.get(workshop=voting).dots_open


def test_it_refuses_four_priorities_in_the_partial_for_htmx(voting, facilitator, client_for):
    client = client_for(facilitator)
    url = f"/workshops/{voting.pk}/live/notes/priorities/"
    response = client.post(url, {"domain": FOUR}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in body and 'id="priorities"' in body
    assert "you ticked 4: A1, C2, D, E." in body and "already are" not in body
    assert _priorities(voting) == ["D"]


def test_it_refuses_no_priority_beside_the_control(voting, facilitator, client_for):
    response = live_action(client_for(facilitator), voting, "priorities")
    body = response.content.decode()
    assert response.status_code == 400 and 'id="notes-console"' in body
    assert "Choose at least one domain as a priority." in body and 'id="priorities-error"' in body
    assert _priorities(voting) == ["D"]


def test_confirming_by_htmx_goes_back_to_the_console(voting, facilitator, client_for):
    client = client_for(facilitator)
    url = f"/workshops/{voting.pk}/live/notes/priorities/"
    response = client.post(url, {"domain": ["A1", "D"]}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/workshops/{voting.pk}/live/#notes-console"
    assert _priorities(voting) == ["A1", "D"]
