"""Each named user against each page of the foundation."""

from __future__ import annotations

import pytest

# page -> expected status for each role (302 = sent to the login page)
PAGES = {
    "/": dict(facilitator=200, other_facilitator=200, lead=200, other_lead=200, admin=200, anonymous=302),
    "/workshops/new/": dict(
        facilitator=200, other_facilitator=200, lead=404, other_lead=404, admin=200, anonymous=302
    ),
    "/workshops/{pk}/": dict(
        facilitator=200, other_facilitator=404, lead=200, other_lead=404, admin=200, anonymous=302
    ),
    "/workshops/{pk}/edit/": dict(
        facilitator=200, other_facilitator=404, lead=404, other_lead=404, admin=200, anonymous=302
    ),
    "/frameworks/": dict(
        facilitator=200, other_facilitator=200, lead=200, other_lead=200, admin=200, anonymous=302
    ),
    "/frameworks/{fw}/": dict(
        facilitator=200, other_facilitator=200, lead=200, other_lead=200, admin=200, anonymous=302
    ),
    "/admin/": dict(
        facilitator=302, other_facilitator=302, lead=302, other_lead=302, admin=200, anonymous=302
    ),
}

ROLES = ["facilitator", "other_facilitator", "lead", "other_lead", "admin", "anonymous"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(page, role, users, workshop, framework, client_for):
    url = page.format(pk=workshop.pk, fw=framework.pk)
    response = client_for(users[role]).get(url)
    assert response.status_code == PAGES[page][role], url
    if response.status_code == 302 and role == "anonymous":
        assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_home_lists_only_visible_workshops(users, workshop, other_workshop, client_for):
    for role, sees, hidden in [
        ("facilitator", workshop, other_workshop),
        ("lead", workshop, other_workshop),
        ("other_lead", other_workshop, workshop),
    ]:
        content = client_for(users[role]).get("/").content.decode()
        assert sees.title in content, role
        assert f"/workshops/{hidden.pk}/" not in content, role
    admin_page = client_for(users["admin"]).get("/").content.decode()
    assert workshop.title in admin_page and other_workshop.title in admin_page


@pytest.mark.django_db
def test_home_filters_by_status(users, workshop, client_for):
    client = client_for(users["facilitator"])
    assert workshop.title in client.get("/?status=draft").content.decode()
    assert f"/workshops/{workshop.pk}/" not in client.get("/?status=closed").content.decode()


@pytest.mark.django_db
def test_home_sorts_by_column(users, workshop, client_for):
    assert client_for(users["facilitator"]).get("/?sort=title").status_code == 200


@pytest.mark.django_db
def test_the_home_page_query_count_does_not_grow(
    users, area, programme, framework, client_for, django_assert_max_num_queries
):
    from workshops.models import Workshop

    client = client_for(users["facilitator"])
    for i in range(30):
        w = Workshop.objects.create(
            area=area, framework=framework, phase=i + 1, title=f"W{i}", date="2026-01-01"
        )
        w.facilitators.add(users["facilitator"])
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("per_page", "rows"), [("-1", 25), ("0", 25), ("100000", 25), ("x", 25), ("3", 3)])
def test_the_home_page_keeps_per_page_in_range(users, area, framework, client_for, per_page, rows):
    """django-tables2 took any ?per_page=: a negative one was a 500, a huge one every row."""
    from workshops.models import Workshop

    for i in range(30):
        w = Workshop.objects.create(
            area=area, framework=framework, phase=i + 1, title=f"W{i}", date="2026-01-01"
        )
        w.facilitators.add(users["facilitator"])
    response = client_for(users["facilitator"]).get(f"/?per_page={per_page}")
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.django_db
def test_the_home_filters_offer_only_areas_and_programmes_the_user_sees(
    users, workshop, other_workshop, client_for
):
    from workshops.models import Programme

    hidden = Programme.objects.create(name="Hidden programme")
    other_workshop.programme = hidden
    other_workshop.save()
    page = client_for(users["facilitator"]).get("/").content.decode()
    assert workshop.programme.name in page and workshop.area.name in page
    assert "Hidden programme" not in page and other_workshop.area.name not in page
    assert client_for(users["facilitator"]).get(f"/?programme={hidden.pk}").status_code == 200
    admin_page = client_for(users["admin"]).get("/").content.decode()
    assert "Hidden programme" in admin_page


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_a_facilitator_of_another_area_stays_out_after_trying_to_create_a_workshop(
    page, users, workshop, other_area, framework, client_for
):
    from tests.intruder import attempt_workshop_in_foreign_area

    client = client_for(users["other_facilitator"])
    attempt_workshop_in_foreign_area(client, workshop.area, framework, workshop.programme)
    url = page.format(pk=workshop.pk, fw=framework.pk)
    assert client.get(url).status_code == PAGES[page]["other_facilitator"], url
