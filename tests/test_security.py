"""Cross-cutting security checks: oversized bodies, CSRF on every POST, redirects after log-in,
participants kept to their own workshop, and the join page saying nothing about a workshop."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ratings import services
from ratings.identity import participant_cookie_name
from ratings.models import Participant, Vote
from reports.parsing import MAX_FILE_BYTES
from tests.test_url_sweep import RULES, iter_routes, world  # noqa: F401 - the sweep's fixture
from workshops.models import Programme, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the join throttle counts per address
    yield
    cache.clear()


# --- Oversized bodies --------------------------------------------------------------------------


def test_an_oversized_upload_is_refused_before_it_is_read(admin_user, framework, client_for):
    big = SimpleUploadedFile("r.csv", b"area,phase\n" + b"x" * (MAX_FILE_BYTES + 600 * 1024))
    response = client_for(admin_user).post(
        "/reports/import/", {"new_programme": "Huge", "framework": framework.pk, "file": big}
    )
    assert response.status_code == 413
    assert "files of up to 5 MB" in response.content.decode()
    assert not Programme.objects.filter(name="Huge").exists()


def test_an_oversized_body_to_any_url_is_refused(live_workshop_for_security):
    response = Client().post(
        "/join/",
        {
            "code": live_workshop_for_security.join_code,
            "sector": "school",
            "file": SimpleUploadedFile("x.bin", b"x" * (MAX_FILE_BYTES + 600 * 1024)),
        },
    )
    assert response.status_code == 413
    assert not Participant.objects.exists()


def test_a_file_just_over_the_limit_gets_the_forms_message(admin_user, framework, client_for):
    big = SimpleUploadedFile("r.csv", b"area,phase\n" + b"x" * (MAX_FILE_BYTES + 10))
    response = client_for(admin_user).post(
        "/reports/import/", {"new_programme": "Huge", "framework": framework.pk, "file": big}
    )
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in response.content.decode()


# --- CSRF --------------------------------------------------------------------------------------


@pytest.fixture
def live_workshop_for_security(workshop, facilitator) -> Workshop:
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    return workshop


def _concrete(route: str, workshop: Workshop) -> str:
    """Any concrete path for the route: CSRF is checked before the view looks anything up."""
    import re

    values = {
        "pk": str(workshop.pk),
        "item_pk": "1",
        "code": workshop.join_code,
        "action": "start",
        "sheet": "ballot",
    }
    values.update(position="1", note_pk="1")  # a pre-rating screen, an evidence card
    values.update(use="box")  # a phone's note used in the action plan
    values.update(token="not-a-token")  # a personal link (owner, invitee, unsubscribe)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


@pytest.mark.parametrize("as_admin", [True, False], ids=["admin", "anonymous"])
def test_every_post_needs_the_csrf_token(as_admin, admin_user, live_workshop_for_security):
    """No view is csrf_exempt: a POST without the token is refused before the view runs."""
    client = Client(enforce_csrf_checks=True)
    if as_admin:
        client.force_login(admin_user)
    version = live_workshop_for_security.state_version
    refused = []
    for route, name in iter_routes():
        assert name in RULES
        response = client.post(_concrete(route, live_workshop_for_security), {"sector": "school"})
        if response.status_code == 403 and "CSRF" in response.content.decode():
            refused.append(name)
    assert sorted(refused) == sorted(RULES)
    live_workshop_for_security.refresh_from_db()
    assert live_workshop_for_security.state_version == version
    assert not Participant.objects.exists()


# --- Redirects after log-in ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http:evil.example", "/\\evil.example"]
)
def test_log_in_never_redirects_off_site(target, facilitator):
    client = Client()
    response = client.post(
        "/accounts/login/?next=" + target,
        {"username": "facilitator", "password": "pw-facilitator", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_log_out_never_redirects_off_site(facilitator, client_for):
    client = client_for(facilitator)
    response = client.post("/accounts/logout/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_log_in_follows_a_local_next(facilitator, workshop):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "facilitator", "password": "pw-facilitator", "next": f"/workshops/{workshop.pk}/"},
    )
    assert response["Location"] == f"/workshops/{workshop.pk}/"


# --- Participants stay in their own workshop -------------------------------------------------------


@pytest.fixture
def two_live(workshop, other_workshop, facilitator, other_facilitator):
    services.workshop_start(workshop, facilitator)
    services.workshop_start(other_workshop, other_facilitator)
    workshop.refresh_from_db()
    other_workshop.refresh_from_db()
    return workshop, other_workshop


def test_a_participant_cookie_of_one_workshop_opens_nothing_of_another(two_live, other_facilitator):
    a, b = two_live
    phone = Client()
    assert phone.post("/join/", {"code": a.join_code, "sector": "school"}).status_code == 303
    value = phone.cookies[participant_cookie_name(a.join_code)].value
    # The same signed value under the other workshop's cookie name: the signature names the cookie.
    phone.cookies[participant_cookie_name(b.join_code)] = value
    assert phone.get(f"/p/{b.join_code}/")["Location"] == f"/join/?code={b.join_code}"
    foreign_round = services.voting_open(b, other_facilitator)
    response = phone.post(f"/p/{b.join_code}/vote/", {"round": foreign_round.pk, "level": "1"})
    assert response.status_code == 403
    assert phone.get(f"/p/{b.join_code}/poll/").status_code == 403
    # With its own cookie it may still not vote in the other workshop's round.
    response = phone.post(f"/p/{a.join_code}/vote/", {"round": foreign_round.pk, "level": "1"})
    assert response.status_code == 400 and "not for this workshop" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("status", [Workshop.Status.DRAFT, Workshop.Status.CLOSED])
def test_the_join_page_says_nothing_about_a_workshop_that_is_not_live(status, workshop):
    workshop.status = status
    workshop.title = "Zebra crossing workshop"
    workshop.venue = "Secret venue"
    workshop.save()
    client = Client()
    pages = [
        client.get(f"/join/?code={workshop.join_code}"),
        client.post("/join/", {"code": workshop.join_code, "sector": "school"}),
        client.get(f"/p/{workshop.join_code}/", follow=True),
    ]
    for response in pages:
        body = response.content.decode()
        for secret in (workshop.title, workshop.area.name, workshop.venue, workshop.programme.name):
            assert secret not in body
    assert pages[1].status_code == 409
    assert not Participant.objects.exists()


# --- Typed text is never markup ------------------------------------------------------------------

MARK = "<b id=xss>"


def test_text_anyone_typed_is_escaped_on_every_page(world, users):  # noqa: F811 - the fixture
    """Names, titles, notes, reasons, participants' names: the markup shows as text everywhere."""
    from actionplans.models import DomainPlan, ItemReview
    from ratings.models import ConsensusChange
    from tests.test_url_sweep import client_of, fill

    own = world.own
    own.area.name = f"Area {MARK}"
    own.area.save()
    own.programme.name = f"Programme {MARK}"
    own.programme.save()
    Workshop.objects.filter(pk__in=[own.workshop.pk, own.previous.pk]).update(
        title=f"Title {MARK}", venue=f"Venue {MARK}"
    )
    Participant.objects.filter(workshop=own.workshop).update(
        display_name=f"P {MARK}", organisation=f"O {MARK}"
    )
    # The history is append-only: add a change carrying the mark rather than rewriting one.
    ConsensusChange.objects.create(
        workshop=own.workshop,
        domain=own.workshop.framework.domains.first(),
        old_level=1,
        new_level=2,
        reason=f"Reason {MARK}",
    )
    DomainPlan.objects.filter(workshop=own.workshop).update(
        working_well=f"W {MARK}", challenges=f"C {MARK}", next_steps=f"N {MARK}"
    )
    own.item.__class__.objects.filter(pk__in=[own.item.pk, own.review_item.pk]).update(
        description=f"D {MARK}",
        owner_name=f"Owner {MARK}",
        owner_organisation=f"Org {MARK}",
        note=f"Note {MARK}",
    )
    ItemReview.objects.filter(workshop=own.workshop).update(note=f"Review {MARK}")
    for role in ("facilitator", "lead"):
        users[role].first_name = f"Name {MARK}"
        users[role].save()
    checked = 0
    for route, name in iter_routes():
        if RULES[name] in ("poll",) or name == "logout":
            continue
        target = "own" if "<" in route else "none"
        for path in fill(route, name, target, world):
            for role in ("facilitator", "lead", "admin", "phone"):
                response = client_of(world, role).get(path)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                checked += 1
                assert MARK not in response.content.decode(), (role, path)
    assert checked > 60
