"""Each named user against each action-plan page, download and write endpoint."""

from __future__ import annotations

import pytest

from actionplans.models import ActionItem, DomainPlan, ItemReview

from .conftest import add_item, item_post, plan_post

ROLES = ["facilitator", "other_facilitator", "lead", "other_lead", "admin", "anonymous"]


def expect(fac, other_fac, lead, other_lead, admin, anon=302):
    return dict(
        facilitator=fac,
        other_facilitator=other_fac,
        lead=lead,
        other_lead=other_lead,
        admin=admin,
        anonymous=anon,
    )


# GET pages of a live (not yet closed) workshop; 302 for anonymous = sent to log in.
PAGES = {
    "/workshops/{pk}/plan/": expect(200, 404, 200, 404, 200),
    "/workshops/{pk}/plan/domain/C1/": expect(200, 404, 200, 404, 200),
    "/workshops/{fu}/plan/review/": expect(200, 404, 200, 404, 200),
    # The item edit form itself: 403 for read-only viewers, like every edit endpoint.
    "/workshops/{pk}/plan/items/{item}/": expect(200, 404, 403, 404, 200),
    "/workshops/{pk}/plan/preview/": expect(200, 404, 200, 404, 200),
    "/workshops/{pk}/plan.pdf": expect(200, 404, 200, 404, 200),
    "/action-items/": expect(404, 404, 200, 200, 200),
    "/action-items/export.csv": expect(404, 404, 200, 200, 200),
}


@pytest.fixture
def live(workshop):
    workshop.status = "live"
    workshop.save(update_fields=["status"])
    return workshop


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_pages(page, role, users, live, follow_up, client_for):
    item = add_item(live)
    url = page.format(pk=live.pk, fu=follow_up.pk, item=item.pk)
    response = client_for(users[role]).get(url)
    assert response.status_code == PAGES[page][role], url
    if role == "anonymous":
        assert "/login/" in response["Location"]


def _writes(workshop, follow_up, item):
    """(url, data) for every write endpoint, each a valid change."""
    c1 = workshop.framework.domains.get(code="C1")
    return {
        "plan": (f"/workshops/{workshop.pk}/plan/domain/C1/", plan_post(c1.pk, version=0, working_well="W")),
        "item_create": (
            f"/workshops/{workshop.pk}/plan/domain/C1/items/new/",
            item_post(f"new-{c1.pk}", description="New"),
        ),
        "item_edit": (
            f"/workshops/{workshop.pk}/plan/items/{item.pk}/",
            item_post(f"item-{item.pk}", version=1, description="Changed"),
        ),
        "item_delete": (f"/workshops/{workshop.pk}/plan/items/{item.pk}/delete/", {"version": "1"}),
        "review": (
            f"/workshops/{follow_up.pk}/plan/review/{item.pk}/",
            {
                f"review-{item.pk}-status": "done",
                f"review-{item.pk}-note": "",
                f"review-{item.pk}-version": "0",
            },
        ),
    }


def _nothing_written(workshop, follow_up) -> bool:
    return (
        not DomainPlan.objects.exists()
        and ActionItem.objects.filter(workshop=workshop).count() == 1
        and ActionItem.objects.filter(workshop=workshop, description="Write the guide").exists()
        and not ItemReview.objects.exists()
    )


WRITE_LIVE = expect(302, 404, 403, 404, 302)
WRITE_CLOSED = expect(302, 404, 302, 404, 302)


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["live", "closed"])
@pytest.mark.parametrize("action", ["plan", "item_create", "item_edit", "item_delete", "review"])
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_writes(status, action, role, users, workshop, follow_up, client_for):
    target = follow_up if action == "review" else workshop
    target.status = status
    target.save(update_fields=["status"])
    item = add_item(workshop)  # also the earlier item the follow-up reviews
    url, data = _writes(workshop, follow_up, item)[action]
    response = client_for(users[role]).post(url, data)
    expected = (WRITE_CLOSED if status == "closed" else WRITE_LIVE)[role]
    assert response.status_code == expected, (url, response.content[:300])
    if expected in (403, 404) or role == "anonymous":
        assert _nothing_written(workshop, follow_up)
    else:
        assert not _nothing_written(workshop, follow_up)
    if expected == 403:
        assert b"once the workshop is closed" in response.content


@pytest.mark.django_db
def test_read_only_viewers_get_no_forms(users, live, client_for):
    add_item(live)
    content = client_for(users["lead"]).get(f"/workshops/{live.pk}/plan/").content.decode()
    assert "Read only." in content and "once the workshop is closed" in content
    assert "<textarea" not in content and "Save C1 notes" not in content and "Delete" not in content
    editor = client_for(users["facilitator"]).get(f"/workshops/{live.pk}/plan/").content.decode()
    assert "<textarea" in editor and "Save C1 notes" in editor and "Read only." not in editor


@pytest.mark.django_db
def test_a_lead_edits_once_the_workshop_is_closed(users, closed, client_for):
    content = client_for(users["lead"]).get(f"/workshops/{closed.pk}/plan/").content.decode()
    assert "Save C1 notes" in content and "Read only." not in content


@pytest.mark.django_db
def test_items_and_domains_of_other_workshops_are_404(users, workshop, other_workshop, client_for):
    other_item = add_item(other_workshop)
    client = client_for(users["facilitator"])
    assert client.get(f"/workshops/{workshop.pk}/plan/items/{other_item.pk}/").status_code == 404
    assert (
        client.post(
            f"/workshops/{workshop.pk}/plan/items/{other_item.pk}/delete/", {"version": 1}
        ).status_code
        == 404
    )
    assert client.get(f"/workshops/{workshop.pk}/plan/domain/NOPE/").status_code == 404
    assert ActionItem.objects.filter(pk=other_item.pk).exists()


@pytest.mark.django_db
def test_the_menu_offers_action_items_to_leads_and_admins_only(users, workshop, client_for):
    for role, shown in [("facilitator", False), ("lead", True), ("admin", True)]:
        content = client_for(users[role]).get("/").content.decode()
        assert ('href="/action-items/"' in content) is shown, role


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["domainplan", "actionitem", "itemreview", "planedit"])
def test_the_admin_lists_plans_read_only(model, users, workshop, client_for):
    add_item(workshop)
    client = client_for(users["admin"])
    assert client.get(f"/admin/actionplans/{model}/").status_code == 200
    assert client.get(f"/admin/actionplans/{model}/add/").status_code == 403


@pytest.mark.django_db
def test_a_facilitator_of_another_area_cannot_reach_area_a_plans_after_trying(
    users, workshop, follow_up, other_area, client_for
):
    """The review's path: create a follow-up in area A (refused), then read the earlier actions
    on the review page and the PDF, and mark one done: all 404, nothing written."""
    from tests.intruder import attempt_workshop_in_foreign_area

    item = add_item(workshop)
    client = client_for(users["other_facilitator"])
    attempt_workshop_in_foreign_area(client, workshop.area, workshop.framework, workshop.programme, phase=3)
    for page in PAGES:
        url = page.format(pk=workshop.pk, fu=follow_up.pk, item=item.pk)
        if not url.startswith("/action-items/"):
            assert client.get(url).status_code == 404, url
    for name, (url, data) in _writes(workshop, follow_up, item).items():
        assert client.post(url, data).status_code == 404, name
    assert not ItemReview.objects.exists()
    item.refresh_from_db()
    assert item.status == "not_started" and item.description == "Write the guide"
