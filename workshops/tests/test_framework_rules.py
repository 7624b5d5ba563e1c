from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.forms import inlineformset_factory

from workshops.admin import LevelFormSet
from workshops.models import Descriptor, Domain, Framework, Level, structure_errors


def test_it_accepts_a_complete_structure():
    assert structure_errors([0, 1], ["A", "B"], {"A": {10, 11}, "B": {10, 11}}, {10: 0, 11: 1}) == []


def test_it_rejects_level_gaps():
    errors = structure_errors([0, 2], ["A"], {"A": {10, 11}}, {10: 0, 11: 2})
    assert errors == ["Level scores must run 0, 1, 2, … without gaps or repeats; got 0, 2."]


def test_it_names_each_missing_descriptor():
    errors = structure_errors([0, 1, 2], ["A", "B"], {"A": {10, 11, 12}, "B": {10}}, {10: 0, 11: 1, 12: 2})
    assert errors == ["Domain B has no descriptor for levels 1, 2."]


def test_it_rejects_repeated_domain_codes():
    assert "Domain code A is used twice." in structure_errors([0], ["A", "A"], {"A": {1}}, {1: 0})


def _formset_data(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


@pytest.mark.django_db
def test_the_admin_level_formset_rejects_gaps():
    framework = Framework.objects.create(name="New", source="x")
    FormSet = inlineformset_factory(Framework, Level, formset=LevelFormSet, fields=["score", "label"])
    formset = FormSet(
        _formset_data("levels", [{"score": "0", "label": "a"}, {"score": "2", "label": "b"}]),
        instance=framework,
    )
    assert not formset.is_valid()
    assert "without gaps" in str(formset.non_form_errors())


@pytest.mark.django_db
def test_the_admin_domain_formset_rejects_repeated_codes():
    framework = Framework.objects.create(name="New", source="x")
    FormSet = inlineformset_factory(Framework, Domain, fields=["code", "letter", "title", "short_title"])
    row = {"code": "X", "letter": "X", "title": "t", "short_title": "t"}
    formset = FormSet(_formset_data("domains", [row, dict(row)]), instance=framework)
    assert not formset.is_valid()
    assert "duplicate data for code" in str(formset.non_form_errors())


@pytest.mark.django_db
def test_it_protects_a_framework_a_workshop_used(workshop, framework):
    with pytest.raises(ProtectedError):
        framework.delete()
    with pytest.raises(ProtectedError):
        framework.levels.last().delete()
    with pytest.raises(ProtectedError):
        framework.domains.first().delete()
    with pytest.raises(ProtectedError):
        Domain.objects.filter(framework=framework).delete()
    with pytest.raises(ProtectedError):
        Descriptor.objects.filter(domain__framework=framework).first().delete()
    assert framework.domains.count() == 7 and framework.levels.count() == 4
    # Rewording stays possible.
    domain = framework.domains.first()
    domain.title = "Reworded"
    domain.save()


@pytest.mark.django_db
def test_it_lets_an_unused_framework_go(framework):
    framework.delete()
    assert not Framework.objects.exists()
    assert not Level.objects.exists()


@pytest.mark.django_db
def test_the_admin_hides_delete_for_parts_in_use(client_for, admin_user, workshop, framework):
    client = client_for(admin_user)
    response = client.get(f"/admin/workshops/framework/{framework.pk}/change/")
    assert response.status_code == 200
    assert b'name="levels-0-DELETE"' not in response.content
    domain = framework.domains.first()
    assert client.get(f"/admin/workshops/domain/{domain.pk}/delete/").status_code == 403
