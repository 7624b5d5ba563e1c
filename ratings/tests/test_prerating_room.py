"""In the room: round 0 revealed as a domain's first step, evidence cards, two actions when
the pre-ratings agree, a live round when they are split, and how each level was reached."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ratings import services
from ratings.models import Consensus, EvidenceNote, Round, Sector, Vote
from ratings.results import workshop_results
from ratings.tests.prerating_helpers import join, open_window, pre_rate
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

# Domain 1 (C1): everyone says 2. Domain 2 (A1): split 0..3. Nothing on the others.
AGREE = [2, 2, 2, 2, None]
SPLIT = [0, 3, 1, 3, 2]
SECTORS = [Sector.SCHOOL, Sector.SCHOOL, Sector.SCHOOL, Sector.NHS_CYPMHS, Sector.LOCAL_AUTHORITY]


@pytest.fixture
def room(workshop, facilitator):
    """Five phones pre-rated C1 (agreeing) and A1 (split); the workshop is now live."""
    open_window(workshop, facilitator)
    phones = []
    for i, sector in enumerate(SECTORS):
        phone, _ = join(workshop, sector=sector)
        pre_rate(phone, workshop, 1, AGREE[i], "Pathway <b>agreed</b> & signed" if i == 0 else "")
        pre_rate(phone, workshop, 2, SPLIT[i], f"Split evidence {i}" if i < 2 else "")
        phones.append(phone)
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    return workshop, phones


@pytest.fixture
def fclient(client_for, facilitator):
    return client_for(facilitator)


def _act(client, workshop, action, **data):
    return client.post(f"/workshops/{workshop.pk}/live/action/{action}/", data)


def test_round_0_waits_unrevealed_as_the_domains_first_step(room, fclient):
    workshop, _ = room
    console = fclient.get(f"/workshops/{workshop.pk}/live/").content.decode()
    assert "5 rated this domain before the day" in console
    assert "Reveal ratings from before the day" in console and "Open a live vote" in console
    projector = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "before the day" in projector and "Suggested" not in projector
    assert "Pathway" not in projector  # no evidence before the reveal


def test_agreeing_pre_ratings_are_revealed_confirmed_and_the_room_stays_until_next(room, fclient):
    workshop, _ = room
    c1 = workshop.current_domain
    assert _act(fclient, workshop, "reveal", domain=c1.pk, next="projector").status_code == 302
    projector = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "Everyone voted 2" in projector and "Confirm level 2" in projector
    assert "rated before the day" in projector and "1 not sure" in projector
    assert _act(fclient, workshop, "confirm", domain=c1.pk, level=2, next="projector").status_code == 302
    consensus = Consensus.objects.get(domain=c1)
    assert consensus.level == 2 and consensus.round.number == 0
    workshop.refresh_from_db()
    assert workshop.current_domain.code == "C1"  # confirming shows what was agreed, on C1
    projector = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "Agreed:" in projector
    assert _act(fclient, workshop, "next", next="projector").status_code == 302
    workshop.refresh_from_db()
    assert workshop.current_domain.code == "A1"
    assert not Round.objects.filter(domain=c1, number__gt=0).exists()  # no live vote


def test_an_auto_reveal_workshop_shows_the_pre_ratings_as_the_room_arrives(room, fclient, facilitator):
    workshop, _ = room
    Workshop.objects.filter(pk=workshop.pk).update(auto_reveal=True)
    workshop.refresh_from_db()
    services.domain_next(workshop, facilitator)
    a1 = Round.objects.get(domain__code="A1", number=0)
    assert a1.is_revealed and not a1.is_open
    projector = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "Discuss before agreeing" in projector
    assert not Round.objects.get(domain__code="C1", number=0).is_revealed  # before auto-reveal was set


def test_the_projector_shows_evidence_cards_escaped_and_the_sector_merge(room, fclient):
    workshop, _ = room
    _act(fclient, workshop, "reveal", domain=workshop.current_domain.pk)
    projector = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "Pathway &lt;b&gt;agreed&lt;/b&gt; &amp; signed" in projector and "<b>agreed" not in projector
    assert projector.count('class="evidence-card"') == 1
    # Three school votes are shown; NHS and LA (one each) merge into Other, still under three.
    assert "School or college" in projector and "from a group under three people" in projector


def test_the_facilitator_hides_a_card_which_is_kept_and_marked(room, fclient):
    workshop, _ = room
    services.domain_go(workshop, None, workshop.framework.domains.get(code="A1").pk)
    _act(fclient, workshop, "reveal", domain=workshop.framework.domains.get(code="A1").pk)
    note = EvidenceNote.objects.get(text="Split evidence 0")
    response = fclient.post(f"/workshops/{workshop.pk}/prerating/cards/{note.pk}/", {"hidden": "1"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.hidden and note.hidden_at is not None
    projector = fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()
    assert "Split evidence 0" not in projector and "Split evidence 1" in projector
    console = fclient.get(f"/workshops/{workshop.pk}/live/").content.decode()
    assert "Split evidence 0" in console and "Hidden from the projector" in console
    fclient.post(f"/workshops/{workshop.pk}/prerating/cards/{note.pk}/", {"hidden": "0"})
    assert "Split evidence 0" in fclient.get(f"/workshops/{workshop.pk}/live/projector/").content.decode()


def test_only_the_workshops_facilitators_hide_cards(room, users, client_for, other_workshop):
    workshop, _ = room
    note = EvidenceNote.objects.first()
    for role in ("other_facilitator", "lead"):
        assert (
            client_for(users[role])
            .post(f"/workshops/{workshop.pk}/prerating/cards/{note.pk}/", {"hidden": "1"})
            .status_code
            == 404
        )
    other = client_for(users["other_facilitator"]).post(
        f"/workshops/{other_workshop.pk}/prerating/cards/{note.pk}/", {"hidden": "1"}
    )
    assert other.status_code == 404
    note.refresh_from_db()
    assert not note.hidden


def test_a_split_domain_gets_a_live_round_in_which_everyone_votes(room, fclient, facilitator):
    workshop, phones = room
    a1 = workshop.framework.domains.get(code="A1")
    services.domain_go(workshop, facilitator, a1.pk)
    _act(fclient, workshop, "reveal", domain=a1.pk)
    console = fclient.get(f"/workshops/{workshop.pk}/live/").content.decode()
    assert "Discuss before agreeing: votes span levels 0 to 3" in console
    _act(fclient, workshop, "open", domain=a1.pk)
    live = Round.objects.get(domain=a1, number=1)
    late_phone, _ = join(workshop)  # did not pre-rate: votes in the room
    for phone in [*phones, late_phone]:
        response = phone.post(f"/p/{workshop.join_code}/vote/", {"round": live.pk, "level": "1"})
        assert response.status_code == 302
    _act(fclient, workshop, "reveal", domain=a1.pk)
    _act(fclient, workshop, "confirm", domain=a1.pk, level=1)
    consensus = Consensus.objects.get(domain=a1)
    assert consensus.level == 1 and consensus.round == live  # the latest round counts
    assert Vote.objects.filter(round__domain=a1, round__number=0).count() == 5  # round 0 kept
    how = {d.domain.code: str(d.how_reached) for d in workshop_results(workshop).domains if d.how_reached}
    assert how["A1"] == "pre-rated by 5, split; agreed after a live round of 6"


def test_results_say_how_each_level_was_reached(room, fclient, facilitator):
    workshop, _ = room
    c1 = workshop.current_domain
    before = fclient.get(f"/workshops/{workshop.pk}/results/").content.decode()
    assert "Pre-rated" not in before and "split" not in before  # nothing before the reveal
    _act(fclient, workshop, "reveal", domain=c1.pk)
    _act(fclient, workshop, "confirm", domain=c1.pk, level=2)
    text = fclient.get(f"/workshops/{workshop.pk}/results/").content.decode()
    assert "Pre-rated by 5, agreed without a live vote" in text
    assert "Pre-rated by 5, split" not in text  # A1: not revealed yet
    a1 = workshop.framework.domains.get(code="A1")
    _act(fclient, workshop, "next")
    assert _act(fclient, workshop, "reveal", domain=a1.pk).status_code == 302
    text = fclient.get(f"/workshops/{workshop.pk}/results/").content.decode()
    assert "Pre-rated by 5, split" in text  # revealed, not agreed yet
    panel = fclient.get(f"/workshops/{workshop.pk}/").content.decode()
    assert "Pre-rated by 5, agreed without a live vote" in panel


def test_a_follow_up_stays_blind_until_round_0_is_revealed(workshop, follow_up, facilitator, fclient):
    for domain in workshop.framework.domains.all():
        Consensus.objects.create(workshop=workshop, domain=domain, level=3)
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    open_window(follow_up, facilitator)
    for _ in range(3):
        phone, _ = join(follow_up)
        pre_rate(phone, follow_up, 1, 1)
    services.workshop_start(follow_up, facilitator)
    before = fclient.get(f"/workshops/{follow_up.pk}/live/projector/").content.decode()
    assert "Last workshop" not in before
    _act(fclient, follow_up, "reveal", domain=follow_up.current_domain_id)
    after = fclient.get(f"/workshops/{follow_up.pk}/live/projector/").content.decode()
    assert "Last workshop: <strong>3" in after


def test_one_pre_rating_per_participant_and_domain_is_a_database_constraint(room):
    workshop, _ = room
    vote = Vote.objects.filter(round__number=0).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(round=vote.round, participant=vote.participant, level=1)


def test_a_revealed_round_0_takes_the_same_queries_for_5_and_50_participants(workshop, facilitator, fclient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_window(workshop, facilitator)
    made, counts = 0, []
    for size in (5, 50):
        Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.DRAFT)
        while made < size:
            phone, _ = join(workshop, sector=list(Sector.values)[made % 6])
            pre_rate(phone, workshop, 1, made % 4, f"note {made}")
            made += 1
        Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LIVE)
        if size == 5:
            services.domain_go(workshop, facilitator, workshop.framework.domains.first().pk)
            services.round_reveal(workshop, facilitator)
        sizes = []
        for url in ("live/", "live/projector/"):
            with CaptureQueriesContext(connection) as ctx:
                assert fclient.get(f"/workshops/{workshop.pk}/{url}").status_code == 200
            sizes.append(len(ctx))
        counts.append(sizes)
    assert counts[0] == counts[1], counts
