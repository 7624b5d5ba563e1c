"""Shared test fixtures: the named users of the role matrix and a workshop they relate to."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from hypothesis import settings as hypothesis_settings

from workshops.framework_data import ensure_reference_data
from workshops.models import CCG_LEADS_GROUP, FACILITATORS_GROUP, Area, Framework, Programme, Workshop

# Speed is measured in bench/, not in tests: no per-example deadline (a loaded CI machine
# would otherwise fail a correct property test as "flaky").
hypothesis_settings.register_profile("cascade", deadline=None)
hypothesis_settings.load_profile("cascade")

# Playwright's sync API runs an event loop; live_server tests touch the ORM beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """Tests serve static files from the source folders, never from a STATIC_ROOT that
    `collectstatic` filled (the README's production steps): WhiteNoise reads all of that for
    every test client (the URL sweep took 203 s instead of 57 s). Set once, before any test
    or live server runs: overriding it per test reset the static storage under a live
    server's rendering thread."""
    from django.conf import settings

    settings.STATIC_ROOT = None


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db):
    """The framework and groups the data migration seeds; transactional tests flush them."""
    ensure_reference_data()


def _user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password="pw-" + username, first_name=username.title(), **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def facilitator(django_user_model, reference_data):
    return _user(django_user_model, "facilitator", FACILITATORS_GROUP)


@pytest.fixture
def other_facilitator(django_user_model, reference_data):
    return _user(django_user_model, "otherfacilitator", FACILITATORS_GROUP)


@pytest.fixture
def lead(django_user_model, reference_data):
    return _user(django_user_model, "lead", CCG_LEADS_GROUP)


@pytest.fixture
def other_lead(django_user_model, reference_data):
    return _user(django_user_model, "otherlead", CCG_LEADS_GROUP)


@pytest.fixture
def admin_user(django_user_model):
    return _user(django_user_model, "admin", None, is_staff=True, is_superuser=True)


@pytest.fixture
def framework(reference_data) -> Framework:
    return Framework.get_default()


@pytest.fixture
def programme(db) -> Programme:
    return Programme.objects.create(name="Test programme")


@pytest.fixture
def area(db, lead, facilitator) -> Area:
    """`lead` leads it and `facilitator` is assigned to it."""
    area = Area.objects.create(code="NSH", name="North Shire", region="North")
    area.leads.add(lead)
    area.facilitators.add(facilitator)
    return area


@pytest.fixture
def other_area(db, other_lead, other_facilitator) -> Area:
    """`other_lead` leads it and `other_facilitator` is assigned to it (and not to `area`)."""
    area = Area.objects.create(code="RVP", name="Riverside", region="London")
    area.leads.add(other_lead)
    area.facilitators.add(other_facilitator)
    return area


@pytest.fixture
def workshop(area, programme, framework, facilitator) -> Workshop:
    w = Workshop.objects.create(
        area=area,
        programme=programme,
        framework=framework,
        phase=1,
        title="Baseline",
        date=dt.date(2026, 9, 1),
    )
    w.facilitators.add(facilitator)
    return w


@pytest.fixture
def follow_up(workshop, facilitator) -> Workshop:
    """The phase-2 workshop of `workshop`'s area and programme, same facilitator."""
    w = Workshop.objects.create(
        area=workshop.area,
        programme=workshop.programme,
        framework=workshop.framework,
        phase=2,
        title="Follow-up",
        date=dt.date(2027, 3, 1),
    )
    w.facilitators.add(facilitator)
    return w


@pytest.fixture
def other_workshop(other_area, programme, framework, other_facilitator) -> Workshop:
    w = Workshop.objects.create(
        area=other_area,
        programme=programme,
        framework=framework,
        phase=1,
        title="Other",
        date=dt.date(2026, 9, 2),
    )
    w.facilitators.add(other_facilitator)
    return w


@pytest.fixture
def users(facilitator, other_facilitator, lead, other_lead, admin_user) -> dict:
    """Every role of the matrix by name; None is the anonymous visitor."""
    return {
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "lead": lead,
        "other_lead": other_lead,
        "admin": admin_user,
        "anonymous": None,
    }


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
