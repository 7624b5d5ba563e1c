"""Accessibility of the served HTML, checked without a browser: unique ids, every control named
by a label of its own form, one h1 per page, focus sent to the problem after a refused form.

The browser test (test_accessibility.py) checks the same pages as Chromium computes them; these
run everywhere and pin the bugs found in review."""

from __future__ import annotations

import pytest

from ratings import services
from ratings.models import Participant, Sector, Vote
from tests.markup import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def revealed(workshop, facilitator):
    """A live workshop whose first domain is revealed: the console shows the consensus form and
    the show-of-hands form side by side."""
    services.workshop_start(workshop, facilitator)
    rnd = services.voting_open(workshop, facilitator)
    for level in (1, 2, 2):
        Vote.objects.create(
            round=rnd,
            participant=Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL),
            level=level,
        )
    services.round_reveal(workshop, facilitator)
    return workshop


def _assert_labelled(html: str) -> None:
    page = parse(html)
    assert page.duplicate_ids() == []
    for control in page.controls():
        if control.attrs.get("aria-label") or control.attrs.get("aria-labelledby"):
            continue
        labels = page.labels_for(control)
        assert labels, f"no label for {control.attrs}"
        assert all(label.form == control.form for label in labels), (
            f"a label of another form names {control.attrs}"
        )
    assert page.h1_count() == 1


def test_the_console_hand_counts_and_consensus_radios_have_their_own_ids(revealed, client_for, facilitator):
    """Both forms used id_level_N: the hand-count labels named the radios, the counts went unnamed."""
    html = client_for(facilitator).get(f"/workshops/{revealed.pk}/live/").content.decode()
    page = parse(html)
    hand_counts = [c for c in page.controls() if c.attrs.get("name", "").startswith("level_")]
    radios = [c for c in page.controls() if c.attrs.get("name") == "level"]
    assert len(hand_counts) == 4 and len(radios) == 4
    assert {c.attrs["id"] for c in hand_counts}.isdisjoint({r.attrs["id"] for r in radios})
    for count in hand_counts:
        (label,) = page.labels_for(count)
        assert label.form == count.form
    _assert_labelled(html)


def test_a_refused_override_puts_focus_on_the_reason(revealed, client_for, facilitator):
    client = client_for(facilitator)
    domain = revealed.current_domain
    response = client.post(
        f"/workshops/{revealed.pk}/live/action/confirm/", {"domain": domain.pk, "level": 3}
    )
    assert response.status_code == 400
    (reason,) = [e for e in parse(response.content.decode()).elements if e.attrs.get("name") == "reason"]
    assert "autofocus" in reason.attrs and reason.attrs.get("aria-invalid") == "true"


@pytest.mark.parametrize("path", ["/plan/", "/plan/domain/C1/", "/plan/review/"])
def test_each_action_plan_page_has_one_h1_and_labelled_fields(workshop, client_for, facilitator, path):
    _assert_labelled(client_for(facilitator).get(f"/workshops/{workshop.pk}{path}").content.decode())


def test_the_login_page_is_read_from_the_top(client):
    """No autofocus: the first lines tell participants they need no account."""
    page = parse(client.get("/accounts/login/").content.decode())
    assert not [e for e in page.elements if "autofocus" in e.attrs]
    _assert_labelled(client.get("/accounts/login/").content.decode())


def test_refused_import_moves_focus_to_the_problems(client_for, admin_user, framework):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.csv", b"area,phase,C1\nNorth,x,1\n", content_type="text/csv")
    response = client_for(admin_user).post(
        "/reports/import/", {"new_programme": "Paper", "framework": framework.pk, "file": upload}
    )
    page = parse(response.content.decode())
    (problems,) = [e for e in page.elements if e.attrs.get("id") == "import-problems"]
    assert "autofocus" in problems.attrs and problems.attrs.get("tabindex") == "-1"
