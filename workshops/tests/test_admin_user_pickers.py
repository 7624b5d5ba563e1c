"""The admin's user pickers (area leads and facilitators, workshop facilitators, programme
leads): full names, usernames and areas, as labelled checkboxes (issue 23: usernames only, and
Django's filter widget failed axe's aria-prohibited-attr)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_the_area_pickers_show_full_names_and_areas(admin_user, area, other_area, client_for):
    page = client_for(admin_user).get("/admin/workshops/area/add/").content.decode()
    assert "Facilitator (facilitator) · North Shire" in page
    assert "Otherfacilitator (otherfacilitator) · Riverside" in page
    assert "Lead (lead) · North Shire" in page and "Otherlead (otherlead) · Riverside" in page


def test_the_pickers_are_labelled_checkboxes_not_the_filter_widget(admin_user, area, client_for):
    page = client_for(admin_user).get("/admin/workshops/area/add/").content.decode()
    assert "selectfilter" not in page and 'type="checkbox" name="facilitators"' in page


def test_the_workshop_picker_shows_full_names_and_areas(admin_user, workshop, client_for):
    page = client_for(admin_user).get(f"/admin/workshops/workshop/{workshop.pk}/change/").content.decode()
    assert "Facilitator (facilitator) · North Shire" in page and "selectfilter" not in page


def test_a_user_with_no_name_or_area_shows_the_username(admin_user, django_user_model, client_for):
    plain = django_user_model.objects.create_user("plain", password="pw")
    plain.groups.add(Group.objects.get(name="Facilitators"))
    page = client_for(admin_user).get("/admin/workshops/area/add/").content.decode()
    assert 'id="id_facilitators_0">\n plain</label>' in page
