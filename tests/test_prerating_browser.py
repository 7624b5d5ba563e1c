"""Rating before the day, end to end in headless Chromium.

Five phones pre-rate two domains (one says "not sure", two write evidence notes); the
facilitator opens and watches the window from the workshop page, starts the workshop,
reveals round 0 of the agreeing domain and confirms it in two actions on the projector,
runs a live round on the split domain, and the action-plan PDF holds the evidence notes.
Screenshots go to /tmp/cascade-prerating-*.png.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ratings.models import Consensus, Round, Vote
from tests.axe import assert_axe_clean
from tests.conftest import log_in
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/cascade-prerating-"
# (name, sector, C1 level, A1 level, C1 note, A1 note); "unsure" is "Not sure".
PHONES = [
    ("Sam", "school", "2", "0", "The referral pathway was signed off by all partners in May.", ""),
    ("Noor", "nhs", "2", "3", "", "Joint <b>triage</b> meeting every Tuesday & minutes kept."),
    ("Lee", "la", "2", "1", "", ""),
    ("Ana", "school", "2", "3", "", ""),
    ("Kim", "school", "unsure", "2", "", ""),
]


def _phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _rate(phone, level: str, note: str) -> None:
    phone.locator(f"input[name=level][value='{level}']").check()
    if note:
        phone.get_by_label(re.compile("^What tells you this")).fill(note)
    phone.get_by_role("button", name=re.compile("^Save")).click()


def test_phones_pre_rate_and_the_room_reveals_confirms_and_re_votes(
    page, browser, live_server, workshop, facilitator
):
    Workshop.objects.filter(pk=workshop.pk).update(date=dt.date.today() + dt.timedelta(days=7))
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    page.get_by_role("button", name="Open rating before the day").click()
    expect(page.get_by_text("Rating before the day is open until")).to_be_visible()
    invitation = page.get_by_label("Invitation to paste into an email")
    expect(invitation).to_contain_text(f"/join/?code={workshop.join_code}")
    assert_axe_clean(page, "workshop page with the pre-rating panel")

    phones = []
    for i, (name, sector, c1, a1, c1_note, a1_note) in enumerate(PHONES):
        phone = _phone(browser)
        phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
        phone.get_by_label("Your name (optional)").fill(name)
        phone.locator(f"input[name=sector][value={sector}]").check()
        phone.get_by_role("button", name="Join").click()
        expect(phone.locator(".pre-progress")).to_contain_text("0 of 7 rated")
        phone.get_by_role("link", name="Start with C1").click()
        if i == 0:
            assert_axe_clean(phone, "pre-rating screen on a phone")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375
            phone.screenshot(path=SHOTS + "phone-domain.png", full_page=True)
        _rate(phone, c1, c1_note)
        expect(phone.locator(".pre-progress")).to_contain_text("1 of 7 rated")
        _rate(phone, a1, a1_note)
        expect(phone.locator(".pre-progress")).to_contain_text("2 of 7 rated")
        if i == 0:  # change of mind on C1: an upsert, still 2 of 7
            phone.get_by_role("link", name="All domains").click()
            assert_axe_clean(phone, "pre-rating overview")
            phone.get_by_role("link", name=re.compile("C1")).click()
            expect(phone.locator("input[name=level][value='2']")).to_be_checked()
            _rate(phone, "2", "")
            phone.get_by_role("link", name="All domains").click()
            expect(phone.locator(".pre-progress")).to_contain_text("2 of 7 rated")
        phones.append(phone)
    assert Vote.objects.filter(round__number=0).count() == 10

    page.reload()
    expect(page.get_by_test_id("pre-rated-count")).to_have_text("5")
    expect(page.locator(".prerating-panel")).not_to_contain_text("triage")  # never what they said

    page.get_by_role("link", name="Run the workshop").click()
    page.get_by_role("button", name="Start workshop").click()
    expect(page.get_by_text("5 rated this domain before the day")).to_be_visible()
    projector = page.context.new_page()
    projector.set_viewport_size({"width": 1280, "height": 720})
    projector.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    expect(projector.get_by_text("rated before the day")).to_be_visible()

    # C1 agrees: reveal, confirm, then Next (confirming no longer moves on by itself).
    projector.get_by_role("button", name="Reveal ratings from before the day").click()
    expect(projector.locator(".spread")).to_have_text("Everyone voted 2.")
    expect(projector.locator(".evidence-card")).to_have_count(1)
    assert_axe_clean(projector, "projector with round 0 revealed")
    page.reload()
    page.get_by_role("tab", name=re.compile("^Evidence")).click()  # a side tab of the console
    expect(page.get_by_role("button", name=re.compile("Hide this card"))).to_have_count(1)
    assert_axe_clean(page, "console with the evidence cards")
    projector.get_by_role("button", name="Confirm level 2").click()
    c1 = Consensus.objects.get(domain__code="C1")
    assert c1.level == 2 and c1.round.number == 0
    expect(projector.locator(".agreed-banner")).to_be_visible()  # confirming stays on C1
    projector.get_by_role("button", name="Next →").click()

    # A1 is split: discussion, then a live round in which everyone votes.
    expect(projector.locator(".kicker")).to_contain_text("A1", timeout=6_000)
    projector.get_by_role("button", name="Reveal ratings from before the day").click()
    expect(projector.get_by_text("Discuss before agreeing")).to_be_visible()
    expect(projector.locator(".evidence-card")).to_have_text(
        ["Joint <b>triage</b> meeting every Tuesday & minutes kept."]
    )
    projector.screenshot(path=SHOTS + "projector-round0.png")
    projector.get_by_role("button", name="Vote again").click()
    live = Round.objects.get(domain__code="A1", number=1)
    for phone in phones:
        phone.goto(f"{live_server.url}/p/{workshop.join_code}/")
        ballot = phone.locator("form[data-domain='A1'][data-round='1']")
        expect(ballot).to_be_visible()
        ballot.locator("button[name=level][value='1']").click()
        expect(phone.locator("#ballot button[aria-pressed=true]")).to_have_count(1)
        expect(phone.locator("#ballot .vote-status[data-state=saved]")).to_have_count(1)  # the server has it
    assert Vote.objects.filter(round=live).count() == 5
    projector.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    projector.get_by_role("button", name="Reveal votes").click()
    projector.get_by_role("button", name="Confirm level 1").click()
    a1 = Consensus.objects.get(domain__code="A1")
    assert a1.level == 1 and a1.round == live

    page.goto("about:blank")  # the console polls and may reload itself
    results = page.context.new_page()
    results.goto(f"{live_server.url}/workshops/{workshop.pk}/results/")
    expect(results.get_by_text("Pre-rated by 5, agreed without a live vote")).to_be_visible()
    expect(results.get_by_text("Pre-rated by 5, split; agreed after a live round of 5")).to_be_visible()

    pdf = results.request.get(f"{live_server.url}/workshops/{workshop.pk}/plan.pdf")
    assert pdf.status == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", PHONES[0][4]) in flat
    assert re.sub(r"\s+", "", PHONES[1][5]) in flat  # the literal text, tags and all

    for phone in phones:
        phone.context.close()
    projector.close()
    results.close()


NOTES = [
    "Named link worker in every secondary school since January.",
    "Joint referral form agreed with the CYPMHS team (April).",
    "Primary heads say they still do not know who to call.",
    "Roles written up in the local offer, but not yet shared with GPs.",
    "Termly network meeting: schools, CYPMHS, early help.",
]


def test_the_readme_picture_of_round_0_with_evidence_cards(page, live_server, workshop, facilitator):
    """18 people pre-rated C1; the projector after the reveal (static/ratings/readme/)."""
    from ratings import services
    from ratings.models import EvidenceNote, Participant, Sector

    services.workshop_start(workshop, facilitator)
    rnd = Round.objects.create(workshop=workshop, domain=workshop.current_domain, number=0, status="closed")
    levels = [1] * 6 + [2] * 9 + [0] * 2 + [None]
    sectors = [Sector.SCHOOL] * 8 + [Sector.NHS_CYPMHS] * 4 + [Sector.LOCAL_AUTHORITY] * 4
    sectors += [Sector.OTHER] * 2
    for i, (level, sector) in enumerate(zip(levels, sectors, strict=True)):
        p = Participant.objects.create(workshop=workshop, sector=sector)
        Vote.objects.create(round=rnd, participant=p, level=level)
        if i % 3 == 0 and i // 3 < len(NOTES):
            EvidenceNote.objects.create(round=rnd, participant=p, text=NOTES[i // 3])
    services.round_reveal(workshop, facilitator)
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    expect(page.locator(".evidence-card")).to_have_count(len(NOTES))
    page.screenshot(path=SHOTS + "readme-projector.png")
    page.goto("about:blank")
