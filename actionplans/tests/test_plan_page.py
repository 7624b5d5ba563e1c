"""The per-workshop editing page, its per-domain partials, items, history and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.models import ActionItem, DomainPlan, PlanEdit

from .conftest import CODES, add_item, add_plan, agree, domain, item_post, plan_post

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def test_the_page_shows_each_domain_with_its_agreed_level(users, workshop, client_for):
    agree(workshop, {"C1": 2})
    add_plan(workshop, "C1", working_well="Named leads", is_priority=True)
    content = client_for(users["facilitator"]).get(f"/workshops/{workshop.pk}/plan/").content.decode()
    for code in CODES:
        assert f'id="domain-{code}"' in content
    assert "Agreed: 2 Widespread good practice" in content and "Not rated yet" in content
    assert "Priorities for change (1 of at most 3)" in content and "Named leads" in content


def test_saving_notes_without_js_redirects_to_the_domain(users, workshop, client_for):
    c1 = domain(workshop, "C1")
    response = client_for(users["facilitator"]).post(
        f"/workshops/{workshop.pk}/plan/domain/C1/",
        plan_post(c1.pk, version=0, working_well="W", priority=True),
    )
    assert response.status_code == 302 and response["Location"] == f"/workshops/{workshop.pk}/plan/#domain-C1"
    plan = DomainPlan.objects.get()
    assert plan.is_priority and plan.updated_by == users["facilitator"]


def test_the_htmx_partial_is_the_section_alone(users, workshop, client_for):
    c1 = domain(workshop, "C1")
    client = client_for(users["facilitator"])
    get = client.get(f"/workshops/{workshop.pk}/plan/domain/C1/", headers=HX).content.decode()
    assert get.lstrip().startswith("<section") and "<html" not in get
    page = client.get(f"/workshops/{workshop.pk}/plan/domain/C1/").content.decode()
    assert "<html" in page and 'id="domain-C1"' in page
    post = client.post(
        f"/workshops/{workshop.pk}/plan/domain/C1/", plan_post(c1.pk, version=0, challenges="Hi"), headers=HX
    ).content.decode()
    assert "Saved." in post and f'name="plan-{c1.pk}-version" value="1"' in post
    assert "Notes last edited by Facilitator" in post


def test_a_fourth_priority_is_refused_with_a_clear_message(users, workshop, client_for):
    for code in ("C1", "S", "E"):
        add_plan(workshop, code, is_priority=True)
    d = domain(workshop, "D")
    response = client_for(users["facilitator"]).post(
        f"/workshops/{workshop.pk}/plan/domain/D/",
        plan_post(d.pk, version=0, working_well="x", priority=True),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "At most 3 domains can be priorities for change; C1, S, E already are." in content
    assert not DomainPlan.objects.filter(domain=d).exists()


def test_adding_editing_and_deleting_an_action(users, workshop, client_for):
    client = client_for(users["facilitator"])
    s = domain(workshop, "S")
    bad = client.post(
        f"/workshops/{workshop.pk}/plan/domain/S/items/new/", item_post(f"new-{s.pk}", description="")
    )
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    bad_date = client.post(
        f"/workshops/{workshop.pk}/plan/domain/S/items/new/", item_post(f"new-{s.pk}", due_date="31/02/2026")
    )
    assert "Enter a valid date" in bad_date.content.decode()
    assert not ActionItem.objects.exists()
    response = client.post(
        f"/workshops/{workshop.pk}/plan/domain/S/items/new/",
        item_post(f"new-{s.pk}", description="Invite colleges", owner_name="Tom", due_date="2026-12-01"),
        headers=HX,
    )
    assert "Action added." in response.content.decode() and "Invite colleges" in response.content.decode()
    item = ActionItem.objects.get()
    assert (item.domain, item.owner_name, item.created_by) == (s, "Tom", users["facilitator"])
    form = client.get(f"/workshops/{workshop.pk}/plan/items/{item.pk}/", headers=HX).content.decode()
    assert f'name="item-{item.pk}-description"' in form and form.lstrip().startswith("<section")
    client.post(
        f"/workshops/{workshop.pk}/plan/items/{item.pk}/",
        item_post(f"item-{item.pk}", version=1, description="Invite colleges", status="done"),
    )
    item.refresh_from_db()
    assert item.status == "done" and item.version == 2
    response = client.post(
        f"/workshops/{workshop.pk}/plan/items/{item.pk}/delete/", {"version": "2"}, follow=True
    )
    assert "Action deleted." in response.content.decode()
    assert not ActionItem.objects.exists()
    assert (
        client.post(f"/workshops/{workshop.pk}/plan/items/999/delete/", {"version": "1"}).status_code == 404
    )


def test_a_delete_without_a_version_is_400(users, workshop, client_for):
    item = add_item(workshop)
    response = client_for(users["facilitator"]).post(f"/workshops/{workshop.pk}/plan/items/{item.pk}/delete/")
    assert response.status_code == 400 and ActionItem.objects.exists()


def test_the_history_lists_who_changed_what(users, closed, client_for):
    c1 = domain(closed, "C1")
    client_for(users["lead"]).post(
        f"/workshops/{closed.pk}/plan/domain/C1/", plan_post(c1.pk, version=0, next_steps="x")
    )
    content = client_for(users["facilitator"]).get(f"/workshops/{closed.pk}/plan/").content.decode()
    assert PlanEdit.objects.get().edited_by == users["lead"]
    history = content[content.index('id="history"') :]
    assert "Lead" in history and "Domain notes" in history and "C1: next steps" in history
    assert "next_steps" not in history


def test_the_history_says_labels_for_rows_saved_with_field_names(users, closed, client_for):
    PlanEdit.objects.create(
        workshop=closed,
        domain=domain(closed, "C1"),
        kind=PlanEdit.Kind.PLAN,
        summary="C1: challenges, is_priority, next_steps",
        changes={"challenges": ["", "a"], "is_priority": [False, True], "next_steps": ["", "b"]},
    )
    content = client_for(users["facilitator"]).get(f"/workshops/{closed.pk}/plan/").content.decode()
    history = content[content.index('id="history"') :]
    assert "C1: challenges, next steps, priority for change" in history and "is_priority" not in history


def test_an_htmx_save_refreshes_the_history_panel(users, closed, client_for):
    c1 = domain(closed, "C1")
    response = client_for(users["facilitator"]).post(
        f"/workshops/{closed.pk}/plan/domain/C1/",
        plan_post(c1.pk, version=0, challenges="Waiting lists"),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="history"' in body and 'hx-swap-oob="true"' in body
    oob = body[body.index('id="history"') :]
    assert "C1: challenges" in oob and "No edits yet" not in oob


def test_the_page_query_count_does_not_grow(users, workshop, follow_up, client_for):
    client = client_for(users["facilitator"])
    counts = []
    for n in (1, 20):
        for i in range(n):
            add_item(workshop, CODES[i % 7], description=f"Earlier {n}-{i}")
            add_item(follow_up, CODES[i % 7], description=f"Now {n}-{i}")
        for code in CODES:
            DomainPlan.objects.update_or_create(workshop=follow_up, domain=domain(follow_up, code))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/workshops/{follow_up.pk}/plan/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_workshop_panel_links_the_plan_and_the_pdf(users, workshop, client_for):
    add_plan(workshop, "C1", working_well="x", is_priority=True)
    add_item(workshop)
    add_item(workshop, status="done")
    editor = client_for(users["facilitator"]).get(f"/workshops/{workshop.pk}/").content.decode()
    assert "1 of 7 domains written up · 1 priority for change · 2 actions (1 open)" in editor
    assert "Edit the action plan" in editor and f'href="/workshops/{workshop.pk}/plan.pdf"' in editor
    viewer = client_for(users["lead"]).get(f"/workshops/{workshop.pk}/").content.decode()
    assert "View the action plan" in viewer and "once the workshop is closed" in viewer


def test_the_panel_adds_a_fixed_number_of_queries(users, workshop, client_for):
    client = client_for(users["facilitator"])
    counts = []
    for n in (1, 25):
        for i in range(n):
            add_item(workshop, description=f"{n}-{i}")
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/workshops/{workshop.pk}/")
        counts.append(len(queries))
    assert counts[0] == counts[1]
