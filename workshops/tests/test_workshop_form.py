from __future__ import annotations

import pytest

from workshops.models import JOIN_CODE_ALPHABET, Workshop, normalise_join_code


def _post_data(area, framework, **overrides) -> dict:
    data = {
        "title": "Spring baseline",
        "area": area.pk,
        "programme": "",
        "phase": "1",
        "date": "2026-03-04",
        "venue": "Town hall",
        "framework": framework.pk,
        "agreement_share": "0.80",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_facilitator_creates_a_workshop(client_for, facilitator, other_facilitator, area, framework):
    area.facilitators.add(other_facilitator)
    response = client_for(facilitator).post(
        "/workshops/new/", _post_data(area, framework, facilitators=[other_facilitator.pk])
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workshops/{workshop.pk}/"
    assert set(workshop.facilitators.all()) == {facilitator, other_facilitator}
    assert workshop.created_by == facilitator
    assert workshop.status == Workshop.Status.DRAFT
    assert len(workshop.join_code) == 6 and set(workshop.join_code) <= set(JOIN_CODE_ALPHABET)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("title", "", "This field is required."),
        ("date", "31/02/2026", "Enter a valid date."),
        ("agreement_share", "1.5", "Ensure this value is less than or equal to 1.00."),
        ("agreement_share", "0", "Ensure this value is greater than or equal to 0.01."),
        ("phase", "0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_it_shows_field_errors_and_writes_nothing(
    client_for, facilitator, area, framework, field, value, message
):
    response = client_for(facilitator).post("/workshops/new/", _post_data(area, framework, **{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Workshop.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 40, "-" + "9" * 40])
def test_a_co_facilitator_id_no_database_holds_is_a_field_error(
    client_for, facilitator, area, framework, value
):
    """SQLite raised OverflowError on such an id in the IN (…) lookup: a 500."""
    response = client_for(facilitator).post(
        "/workshops/new/", _post_data(area, framework, facilitators=[value])
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in str(response.context["form"].errors["facilitators"])
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_second_workshop_of_the_same_phase(client_for, facilitator, workshop):
    data = _post_data(workshop.area, workshop.framework, programme=workshop.programme.pk)
    response = client_for(facilitator).post("/workshops/new/", data)
    assert response.status_code == 200
    assert "already has a workshop of that phase" in response.content.decode()
    assert Workshop.objects.count() == 1


@pytest.mark.django_db
def test_edit_keeps_the_editor_as_facilitator(client_for, facilitator, workshop):
    data = _post_data(workshop.area, workshop.framework, title="Renamed")
    response = client_for(facilitator).post(f"/workshops/{workshop.pk}/edit/", data)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Renamed"
    assert list(workshop.facilitators.all()) == [facilitator]


@pytest.mark.django_db
def test_other_facilitators_cannot_edit(client_for, other_facilitator, workshop):
    data = _post_data(workshop.area, workshop.framework, title="Hijacked")
    assert client_for(other_facilitator).post(f"/workshops/{workshop.pk}/edit/", data).status_code == 404
    workshop.refresh_from_db()
    assert workshop.title == "Baseline"


def test_join_codes_are_forgiving_to_type():
    assert normalise_join_code(" acd-479 ") == "ACD479"


@pytest.mark.django_db
def test_the_framework_page_shows_the_grid_with_credit(client_for, lead, framework):
    content = client_for(lead).get(f"/frameworks/{framework.pk}/").content.decode()
    assert "Anna Freud National Centre" in content
    assert content.count('<th scope="row">') == 7
    assert "Full mapping of all sources of support kept up to date" in content
