"""At a follow-up the console points to the review of the previous workshop's actions."""

from __future__ import annotations

import pytest

from actionplans.models import ActionItem


@pytest.mark.django_db
def test_it_offers_the_review_before_starting_a_follow_up(client_for, facilitator, workshop, follow_up):
    domain = workshop.framework.domains.first()
    ActionItem.objects.create(workshop=workshop, domain=domain, description="Map the services")
    ActionItem.objects.create(workshop=workshop, domain=domain, description="Name the leads")
    content = client_for(facilitator).get(f"/workshops/{follow_up.pk}/live/").content.decode()
    assert "review the 2 actions agreed at" in content
    assert f'href="/workshops/{follow_up.pk}/plan/review/"' in content


@pytest.mark.django_db
def test_it_says_nothing_when_there_is_nothing_to_review(client_for, facilitator, workshop, follow_up):
    content = client_for(facilitator).get(f"/workshops/{follow_up.pk}/live/").content.decode()
    assert "Review previous actions" not in content
    baseline = client_for(facilitator).get(f"/workshops/{workshop.pk}/live/").content.decode()
    assert "Review previous actions" not in baseline
