"""The action-plan PDF says how each level was reached and has an appendix of the evidence
notes from before the day (hidden cards left out, text escaped)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from actionplans.document import render_action_plan_html, render_action_plan_pdf
from ratings import services
from ratings.models import EvidenceNote, Round
from ratings.tests.prerating_helpers import join, open_window, pre_rate

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def rated(workshop, facilitator):
    open_window(workshop, facilitator)
    phones = [join(workshop)[0] for _ in range(4)]
    for i, phone in enumerate(phones):
        pre_rate(phone, workshop, 1, 2, "Our CAMHS pathway <i>document</i> & minutes" if i == 0 else "")
        pre_rate(phone, workshop, 2, [0, 3, 1, 2][i], "Hidden remark about Mr Smith" if i == 1 else "")
        pre_rate(phone, workshop, 3, 1, "Safeguarding audit 2026" if i == 2 else "")
    services.workshop_start(workshop, facilitator)
    services.round_reveal(workshop, facilitator)
    services.consensus_confirm(workshop, facilitator, workshop.current_domain_id, 2)  # C1: two actions
    services.domain_next(workshop, facilitator)  # confirming stays on C1 (issue 23)
    services.round_reveal(workshop, facilitator)  # A1: split
    EvidenceNote.objects.filter(text__startswith="Hidden").update(hidden=True)
    services.voting_open(workshop, facilitator)
    live = Round.objects.get(domain__code="A1", number=1)
    for phone in phones:
        phone.post(f"/p/{workshop.join_code}/vote/", {"round": live.pk, "level": "1"})
    services.round_reveal(workshop, facilitator)
    services.consensus_confirm(workshop, facilitator, live.domain_id, 1)
    return workshop


def test_the_pdf_holds_the_evidence_notes_and_how_levels_were_reached(rated):
    reader = PdfReader(io.BytesIO(render_action_plan_pdf(rated)))
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    assert squash("Appendix: evidence notes from before the day") in text
    assert squash("Our CAMHS pathway <i>document</i> & minutes") in text  # literal, not markup
    assert squash("Safeguarding audit 2026") in text
    assert squash("Mr Smith") not in text  # hidden from the projector: left out
    assert squash("Pre-rated by 4, agreed without a live vote.") in text
    assert squash("Pre-rated by 4, split; agreed after a live round of 4.") in text


def test_the_html_escapes_evidence(rated):
    html = render_action_plan_html(rated, for_pdf=False)
    assert "&lt;i&gt;document&lt;/i&gt; &amp; minutes" in html and "<i>document</i>" not in html


def test_a_workshop_without_pre_ratings_has_no_appendix(workshop):
    html = render_action_plan_html(workshop, for_pdf=False)
    assert "evidence notes from before the day" not in html and "Pre-rated" not in html
