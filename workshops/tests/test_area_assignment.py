"""Facilitators reach only the areas they are assigned to (issue 9, section 1).

The security review's path: a facilitator of area B creates a workshop in area A, then reads
area A's page, the previous workshop's actions (review page and PDF) and marks them done. Each
step is refused here, and the form reveals nothing about area A on the way.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.sites import site
from django.test import RequestFactory

from actionplans.models import ActionItem, ItemReview
from workshops.models import Area, Programme, Workshop

assign_migration = importlib.import_module("workshops.migrations.0005_assign_area_facilitators")


def _post_data(area, framework, **overrides) -> dict:
    data = {
        "title": "Sneaky baseline",
        "area": area.pk,
        "programme": "",
        "phase": "1",
        "date": "2026-10-01",
        "venue": "",
        "framework": framework.pk,
        "agreement_share": "0.80",
    }
    data.update(overrides)
    return data


@pytest.fixture
def earlier_item(workshop) -> ActionItem:
    domain = workshop.framework.domains.first()
    return ActionItem.objects.create(
        workshop=workshop, domain=domain, description="Map every school's contact", owner_name="Sam Owner"
    )


# --- the workshop form ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_workshop_in_an_area_not_assigned(client_for, other_facilitator, other_area, workshop):
    data = _post_data(workshop.area, workshop.framework, programme=workshop.programme.pk)
    response = client_for(other_facilitator).post("/workshops/new/", data)
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    content = response.content.decode()
    # Nothing about area A: not its name, not that a phase-1 workshop exists there.
    assert "North Shire" not in content
    assert "already has a workshop" not in content
    assert Workshop.objects.count() == 1


@pytest.mark.django_db
def test_the_form_lists_only_assigned_areas_and_their_programmes(
    client_for, other_facilitator, other_area, workshop, framework
):
    fresh = Programme.objects.create(name="Brand new programme")
    mine = Programme.objects.create(name="Riverside programme")
    Workshop.objects.create(
        area=other_area, programme=mine, framework=framework, title="R", date=dt.date(2026, 1, 1)
    )
    form = client_for(other_facilitator).get("/workshops/new/").context["form"]
    assert list(form.fields["area"].queryset) == [other_area]
    # Programmes of my areas and programmes nobody has used yet; not area A's programme.
    assert set(form.fields["programme"].queryset) == {fresh, mine}


@pytest.mark.django_db
def test_the_uniqueness_message_appears_only_in_an_assigned_area(client_for, facilitator, workshop):
    data = _post_data(workshop.area, workshop.framework, programme=workshop.programme.pk)
    response = client_for(facilitator).post("/workshops/new/", data)
    assert "already has a workshop of that phase" in response.content.decode()


@pytest.mark.django_db
def test_the_picker_lists_only_facilitators_of_my_areas(
    client_for, facilitator, other_facilitator, area, other_area, django_user_model
):
    from django.contrib.auth.models import Group

    colleague = django_user_model.objects.create_user("colleague")
    colleague.groups.add(Group.objects.get(name="Facilitators"))
    area.facilitators.add(colleague)
    page = client_for(facilitator).get("/workshops/new/")
    form = page.context["form"]
    assert list(form.fields["facilitators"].queryset) == [colleague]
    assert "colleague (North Shire)" in page.content.decode()  # which of my areas they share


@pytest.mark.django_db
def test_a_co_facilitator_not_assigned_to_the_area_is_a_field_error(
    client_for, facilitator, other_facilitator, area, other_area, framework
):
    # other_facilitator shares an area with facilitator, so the picker offers them, but not
    # in `area`: the server checks the chosen area.
    shared = Area.objects.create(code="SHR", name="Shared")
    shared.facilitators.add(facilitator, other_facilitator)
    response = client_for(facilitator).post(
        "/workshops/new/", _post_data(area, framework, facilitators=[other_facilitator.pk])
    )
    assert response.status_code == 200
    assert "Not assigned to North Shire: Otherfacilitator." in response.context["form"].errors["facilitators"]
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_a_facilitator_with_no_area_is_told_so(client_for, django_user_model, reference_data):
    from django.contrib.auth.models import Group

    newcomer = django_user_model.objects.create_user("newcomer")
    newcomer.groups.add(Group.objects.get(name="Facilitators"))
    content = client_for(newcomer).get("/workshops/new/").content.decode()
    assert "You are not assigned to any area yet" in content


@pytest.mark.django_db
def test_details_of_a_workshop_outside_my_areas_cannot_be_edited(client_for, other_facilitator, workshop):
    # An admin added other_facilitator to run the workshop; they may run it, not move it.
    workshop.facilitators.add(other_facilitator)
    client = client_for(other_facilitator)
    assert client.get(f"/workshops/{workshop.pk}/live/").status_code == 200
    assert client.get(f"/workshops/{workshop.pk}/edit/").status_code == 404
    assert "Edit details" not in client.get(f"/workshops/{workshop.pk}/").content.decode()


# --- the review-page path of the security review -----------------------------------------------


@pytest.mark.django_db
def test_the_exact_requests_of_the_review_are_refused(
    client_for, other_facilitator, other_area, workshop, earlier_item, framework
):
    client = client_for(other_facilitator)
    # 1. create a follow-up in area A: refused, nothing written
    response = client.post(
        "/workshops/new/", _post_data(workshop.area, framework, programme=workshop.programme.pk, phase="2")
    )
    assert response.status_code == 200 and Workshop.objects.count() == 1
    # Had it existed (made by area A's facilitator), none of its pages open for them.
    follow_up = Workshop.objects.create(
        area=workshop.area,
        programme=workshop.programme,
        framework=framework,
        phase=2,
        title="Follow-up",
        date=dt.date(2027, 3, 1),
    )
    for url in [
        f"/areas/{workshop.area.pk}/",
        f"/workshops/{follow_up.pk}/plan/review/",
        f"/workshops/{follow_up.pk}/plan.pdf",
        f"/workshops/{workshop.pk}/plan.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/workshops/{follow_up.pk}/plan/review/{earlier_item.pk}/",
        {
            f"review-{earlier_item.pk}-status": "done",
            f"review-{earlier_item.pk}-note": "x",
            f"review-{earlier_item.pk}-version": "0",
        },
    )
    assert response.status_code == 404
    assert not ItemReview.objects.exists()


@pytest.mark.django_db
def test_the_review_needs_an_assignment_to_the_area(
    client_for, other_facilitator, workshop, follow_up, earlier_item
):
    # other_facilitator facilitates the follow-up (added by an admin) but is not assigned to
    # area A: they see the plan, but the earlier items stay unchanged.
    follow_up.facilitators.add(other_facilitator)
    client = client_for(other_facilitator)
    page = client.get(f"/workshops/{follow_up.pk}/plan/review/")
    assert page.status_code == 200
    assert f'name="review-{earlier_item.pk}-status"' not in page.content.decode()
    response = client.post(
        f"/workshops/{follow_up.pk}/plan/review/{earlier_item.pk}/",
        {
            f"review-{earlier_item.pk}-status": "done",
            f"review-{earlier_item.pk}-note": "x",
            f"review-{earlier_item.pk}-version": "0",
        },
    )
    assert response.status_code == 403
    assert "assigned to this area" in response.content.decode()
    assert not ItemReview.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_assigned_facilitators_and_admins_review(client_for, users, follow_up, earlier_item, role):
    response = client_for(users[role]).post(
        f"/workshops/{follow_up.pk}/plan/review/{earlier_item.pk}/",
        {
            f"review-{earlier_item.pk}-status": "done",
            f"review-{earlier_item.pk}-note": "ok",
            f"review-{earlier_item.pk}-version": "0",
        },
    )
    assert response.status_code == 302
    assert ItemReview.objects.get().status == "done"


# --- area pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_area_page_lists_its_facilitators(client_for, facilitator, area):
    content = client_for(facilitator).get(f"/areas/{area.pk}/").content.decode()
    assert "Facilitators assigned to this area: Facilitator." in content


@pytest.mark.django_db
def test_area_pages_open_for_assigned_areas_and_areas_facilitated(
    client_for, other_facilitator, area, other_area, workshop
):
    client = client_for(other_facilitator)
    assert client.get(f"/areas/{other_area.pk}/").status_code == 200
    assert client.get(f"/areas/{area.pk}/").status_code == 404
    workshop.facilitators.add(other_facilitator)
    assert client.get(f"/areas/{area.pk}/").status_code == 200


# --- admin pickers -------------------------------------------------------------------------------


def _admin_form_field(model, field: str, admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[model]
    return model_admin.get_form(request)().fields[field]


@pytest.mark.django_db
def test_admin_pickers_list_only_members_of_the_matching_group(
    admin_user, facilitator, other_facilitator, lead, other_lead, django_user_model
):
    staff = django_user_model.objects.create_user("programmelead", is_staff=True)
    assert set(_admin_form_field(Area, "leads", admin_user).queryset) == {lead, other_lead}
    assert set(_admin_form_field(Area, "facilitators", admin_user).queryset) == {
        facilitator,
        other_facilitator,
    }
    assert set(_admin_form_field(Workshop, "facilitators", admin_user).queryset) == {
        facilitator,
        other_facilitator,
    }
    assert set(_admin_form_field(Programme, "leads", admin_user).queryset) == {admin_user, staff}


@pytest.mark.django_db
def test_the_admin_area_page_saves_assigned_facilitators(
    client_for, admin_user, facilitator, other_facilitator, area
):
    response = client_for(admin_user).post(
        f"/admin/workshops/area/{area.pk}/change/",
        {
            "code": area.code,
            "name": area.name,
            "region": area.region,
            "leads": [lead.pk for lead in area.leads.all()],
            "facilitators": [other_facilitator.pk],
        },
    )
    assert response.status_code == 302
    assert list(area.facilitators.all()) == [other_facilitator]


# --- the data migration ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_assigns_facilitators_to_the_areas_they_work_in(workshop, other_facilitator, area):
    area.facilitators.clear()
    workshop.facilitators.add(other_facilitator)
    assign_migration.assign(django_apps, None)
    assert set(area.facilitators.all()) == {
        workshop.facilitators.get(username="facilitator"),
        other_facilitator,
    }
    assign_migration.assign(django_apps, None)  # twice is harmless
    assert area.facilitators.count() == 2
    assign_migration.unassign(django_apps, None)
    assert not area.facilitators.exists()
