"""The facilitator's console and projector: start, open voting, reveal, confirm, re-vote,
hand counts, go back, next domain, close."""

from __future__ import annotations

import re

import pytest

from ratings import services, views
from ratings.models import Consensus, ConsensusChange, HandCount, Participant, Round, Sector, Vote
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def _act(client, workshop, action, **data):
    return client.post(f"/workshops/{workshop.pk}/live/action/{action}/", data)


def _votes(rnd, levels, sector=Sector.SCHOOL):
    for level in levels:
        p = Participant.objects.create(workshop=rnd.workshop, sector=sector)
        Vote.objects.create(round=rnd, participant=p, level=level)


@pytest.fixture
def fclient(client_for, facilitator):
    return client_for(facilitator)


def test_starting_makes_the_workshop_live_on_the_first_domain(workshop, fclient):
    page = fclient.get(f"/workshops/{workshop.pk}/live/").content.decode()
    assert "Start workshop" in page
    response = _act(fclient, workshop, "start")
    assert response.status_code == 302 and response["Location"] == f"/workshops/{workshop.pk}/live/"
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.LIVE and workshop.started_at is not None
    assert workshop.current_domain.code == "C1"


def test_the_projector_shows_join_address_code_and_qr(live_workshop, fclient):
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert live_workshop.join_code_display in page
    assert (
        '<span class="nobreak">testserver/</span><wbr><span class="nobreak">join/</span>' in page
    )  # wraps only after a slash
    assert 'class="qr-code"><title>QR code of the join address' in page and 'viewBox="0 0' in page
    assert "Clarity on roles" in page


def test_the_qr_code_encodes_the_join_url_with_the_code(live_workshop, rf):
    request = rf.get("/")
    url = views.join_url(request, live_workshop)
    assert url == f"http://testserver/join/?code={live_workshop.join_code}"


def test_the_three_step_default_path(live_workshop, fclient):
    """Open voting, reveal, confirm: the suggestion is preselected; the room stays on the domain
    and sees what was agreed until the facilitator moves on (issue 23)."""
    domain = live_workshop.current_domain
    assert _act(fclient, live_workshop, "open", domain=domain.pk).status_code == 302
    rnd = Round.objects.get()
    _votes(rnd, [2, 2, 2, 2, 1])
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert "5</strong> of 5 voted" in page
    assert "Suggested" not in page and "bar-chart" not in page  # no anchoring before reveal
    assert _act(fclient, live_workshop, "reveal", domain=domain.pk).status_code == 302
    console = fclient.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    assert "bar-chart" in console and "At least 8 in 10 agree this level has been reached." in console
    radios = re.findall(r'<input type="radio" name="level"[^>]*>', console)
    assert [r for r in radios if "checked" in r] == [r for r in radios if 'value="2"' in r]
    response = _act(fclient, live_workshop, "confirm", domain=domain.pk, level=2)
    assert response.status_code == 302
    consensus = Consensus.objects.get()
    assert (consensus.level, consensus.suggested_level, consensus.reason) == (2, 2, "")
    live_workshop.refresh_from_db()
    assert live_workshop.current_domain.code == "C1"
    console = fclient.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    assert "C1 agreed at level 2." in console and "Agreed: <strong>2" in console
    _act(fclient, live_workshop, "next")
    live_workshop.refresh_from_db()
    assert live_workshop.current_domain.code == "A1"  # one domain on: none skipped


def test_reveal_shows_spread_flag_and_sector_breakdown(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    _votes(rnd, [3, 3, 1], Sector.SCHOOL)
    _votes(rnd, [2, 2], Sector.NHS_CYPMHS)  # two NHS voters: merged into Other
    _votes(rnd, [2], Sector.LOCAL_AUTHORITY)
    services.round_reveal(live_workshop, facilitator)
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert "Discuss before agreeing: votes span levels 1 to 3" in page
    assert "School or college" in page
    assert "NHS children" not in page and "Local authority" not in page
    assert '<th scope="row">Other</th>' in page


def test_unanimous_votes_need_no_discussion_flag(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    _votes(rnd, [1, 1, 1])
    services.round_reveal(live_workshop, facilitator)
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    assert "Discuss before agreeing" not in page and "Everyone voted 1." in page


def test_another_level_needs_a_reason(live_workshop, facilitator, fclient):
    domain = live_workshop.current_domain
    rnd = services.voting_open(live_workshop, facilitator)
    _votes(rnd, [2, 2, 2])
    services.round_reveal(live_workshop, facilitator)
    response = _act(fclient, live_workshop, "confirm", domain=domain.pk, level=3, reason="  ")
    assert response.status_code == 400
    assert "Give a short reason for agreeing a level other than the suggestion." in response.content.decode()
    assert not Consensus.objects.exists() and not ConsensusChange.objects.exists()
    response = _act(fclient, live_workshop, "confirm", domain=domain.pk, level=3, reason="New joint team")
    assert response.status_code == 302
    change = ConsensusChange.objects.get()
    assert (change.old_level, change.new_level, change.reason, change.changed_by) == (
        None,
        3,
        "New joint team",
        facilitator,
    )


def test_the_service_refuses_an_override_without_reason(live_workshop, facilitator):
    with pytest.raises(services.LiveError, match="No votes were recorded"):
        services.consensus_confirm(live_workshop, facilitator, live_workshop.current_domain_id, 1)
    with pytest.raises(services.LiveError, match="not part of this workshop"):
        services.consensus_confirm(live_workshop, facilitator, live_workshop.current_domain_id, 5, "x")


def test_a_revote_keeps_earlier_rounds_and_the_latest_counts(live_workshop, facilitator, fclient):
    domain = live_workshop.current_domain
    first = services.voting_open(live_workshop, facilitator)
    _votes(first, [0, 3, 3])
    services.round_reveal(live_workshop, facilitator)
    assert _act(fclient, live_workshop, "open", domain=domain.pk).status_code == 302
    second = Round.objects.get(number=2)
    _votes(second, [3, 3, 3])
    services.round_reveal(live_workshop, facilitator)
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    assert "round 2" in page and "Everyone voted 3." in page
    assert Round.objects.count() == 2 and Vote.objects.filter(round=first).count() == 3
    _act(fclient, live_workshop, "confirm", domain=domain.pk, level=3)
    assert Consensus.objects.get().round == second


def test_opening_twice_opens_one_round(live_workshop, facilitator):
    a = services.voting_open(live_workshop, facilitator)
    b = services.voting_open(live_workshop, facilitator)
    assert a == b and Round.objects.count() == 1


def test_hand_counts_enter_the_tally_marked_as_by_hand(live_workshop, facilitator, fclient):
    domain = live_workshop.current_domain
    rnd = services.voting_open(live_workshop, facilitator)
    _votes(rnd, [2])
    response = _act(
        fclient, live_workshop, "hands", round=rnd.pk, level_0=0, level_1=1, level_2=4, level_3=""
    )
    assert response.status_code == 302
    assert dict(HandCount.objects.values_list("level", "count")) == {0: 0, 1: 1, 2: 4, 3: 0}
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert "+ 5 by hand" in page
    services.round_reveal(live_workshop, facilitator)
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert "6 votes" in page and "5 counted by hand" in page and "bar-hands" in page
    _act(fclient, live_workshop, "confirm", domain=domain.pk, level=2)
    assert Consensus.objects.get().suggested_level == 2  # 5 of 6 at 2 or above


def test_negative_hand_counts_are_refused(live_workshop, facilitator, fclient):
    rnd = services.voting_open(live_workshop, facilitator)
    response = _act(fclient, live_workshop, "hands", round=rnd.pk, level_0=-1)
    assert response.status_code == 400 and not HandCount.objects.exists()


def test_going_back_to_any_domain_and_to_the_summary(live_workshop, facilitator, fclient):
    domains = list(live_workshop.framework.domains.all())
    services.voting_open(live_workshop, facilitator)
    assert _act(fclient, live_workshop, "go", domain=domains[4].pk).status_code == 302
    live_workshop.refresh_from_db()
    assert live_workshop.current_domain == domains[4]
    assert not Round.objects.filter(status=Round.Status.OPEN).exists()  # voting moved away closes
    assert _act(fclient, live_workshop, "next").status_code == 302
    live_workshop.refresh_from_db()
    assert live_workshop.current_domain == domains[5]
    _act(fclient, live_workshop, "go", domain="summary")
    live_workshop.refresh_from_db()
    assert live_workshop.current_domain is None
    assert "Agreed ratings" in fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()


def test_a_domain_of_another_framework_is_refused(live_workshop, fclient):
    response = _act(fclient, live_workshop, "go", domain=999999)
    assert response.status_code == 400 and "not part of this workshop" in response.content.decode()


@pytest.mark.parametrize("action", ["open", "reveal", "go", "confirm", "hands"])
@pytest.mark.parametrize("raw", ["²", "9" * 40])
def test_ids_that_are_not_plain_numbers_are_refused_not_a_500(
    live_workshop, facilitator, fclient, action, raw
):
    """'²'.isdigit() is true but int() refuses it; forty digits fit no database column."""
    services.voting_open(live_workshop, facilitator)
    before = (Round.objects.count(), Consensus.objects.count(), HandCount.objects.count())
    response = _act(fclient, live_workshop, action, domain=raw, round=raw, level=0, level_0=1, reason="r")
    assert response.status_code in (302, 400, 409), response.status_code
    if action in ("go", "confirm", "hands"):  # these need the id: refused, nothing written
        assert response.status_code in (400, 409)
        assert (Round.objects.count(), Consensus.objects.count(), HandCount.objects.count()) == before


def test_closing_freezes_voting(live_workshop, facilitator, fclient):
    services.voting_open(live_workshop, facilitator)
    assert _act(fclient, live_workshop, "close").status_code == 302
    live_workshop.refresh_from_db()
    assert live_workshop.status == Workshop.Status.CLOSED and live_workshop.closed_at
    assert not Round.objects.filter(status=Round.Status.OPEN).exists()
    response = _act(fclient, live_workshop, "open", domain=live_workshop.current_domain_id)
    assert response.status_code == 409 and "This workshop has closed" in response.content.decode()
    assert Round.objects.count() == 1


def test_an_unknown_action_is_404(live_workshop, fclient):
    assert _act(fclient, live_workshop, "explode").status_code == 404


def test_a_follow_up_shows_the_previous_consensus_only_after_reveal(
    workshop, follow_up, facilitator, fclient
):
    domain = workshop.framework.domains.first()
    Consensus.objects.create(workshop=workshop, domain=domain, level=1)
    services.workshop_start(follow_up, facilitator)
    rnd = services.voting_open(follow_up, facilitator)
    _votes(rnd, [2, 2, 2])
    page = fclient.get(f"/workshops/{follow_up.pk}/live/projector/").content.decode()
    assert "Last workshop" not in page
    services.round_reveal(follow_up, facilitator)
    page = fclient.get(f"/workshops/{follow_up.pk}/live/projector/").content.decode()
    assert "Last workshop: <strong>1 Elements of good practice</strong>" in page
    assert "change <strong>+1</strong>" in page


def test_the_action_plan_link_appears_only_when_its_page_exists(live_workshop, fclient, monkeypatch):
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    exists = views._safe_reverse("actionplan_edit", live_workshop.pk) is not None
    assert ("Action plan" in page) == exists
    monkeypatch.setattr(views, "_safe_reverse", lambda name, *args: f"/workshops/{args[0]}/plan/")
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    assert f'href="/workshops/{live_workshop.pk}/plan/">Action plan' in page


def test_safe_reverse_returns_none_for_unknown_names():
    assert views._safe_reverse("no_such_page", 1) is None


def test_the_projector_actions_return_to_the_projector(live_workshop, fclient):
    response = _act(fclient, live_workshop, "open", domain=live_workshop.current_domain_id, next="projector")
    assert response["Location"] == f"/workshops/{live_workshop.pk}/live/projector/"


def test_the_projector_confirms_the_suggestion_in_one_click(live_workshop, facilitator, fclient):
    domain = live_workshop.current_domain
    rnd = services.voting_open(live_workshop, facilitator)
    _votes(rnd, [1, 1, 1])
    services.round_reveal(live_workshop, facilitator)
    page = fclient.get(f"/workshops/{live_workshop.pk}/live/projector/").content.decode()
    assert "Confirm level 1" in page
    response = _act(fclient, live_workshop, "confirm", domain=domain.pk, level=1, next="projector")
    assert response["Location"] == f"/workshops/{live_workshop.pk}/live/projector/"
    assert Consensus.objects.get().level == 1


def test_a_confirm_for_a_domain_no_longer_on_screen_is_refused(live_workshop, facilitator, fclient):
    domains = list(live_workshop.framework.domains.all())
    response = _act(fclient, live_workshop, "confirm", domain=domains[3].pk, level=1, reason="x")
    assert response.status_code == 409 and "moved to another domain" in response.content.decode()
    assert not Consensus.objects.exists()
