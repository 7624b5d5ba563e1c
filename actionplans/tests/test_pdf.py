"""The action-plan PDF, read back with pypdf: contents, long plans, non-ASCII, literal HTML."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from actionplans.document import TEMPLATE, render_action_plan_pdf
from actionplans.models import DomainPlan
from ratings.models import Participant, Sector
from workshops import pdf as pdf_module

from .conftest import CODES, add_item, add_plan, agree

pytestmark = pytest.mark.django_db

LEVELS = {"C1": 1, "A1": 2, "S": 1, "C2": 0, "A2": 3, "D": 1, "E": 2}
LABELS = {
    0: "Major challenge",
    1: "Elements of good practice",
    2: "Widespread good practice",
    3: "Gold standard",
}
BASES = ["Llanfair", "Dŵr", "café", "Zoë", "Gwenllïan", "pathway", "Ysgol", "naïve", "Ångström", "school"]


def text_of(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def numbered_words(start: int, count: int) -> list[str]:
    return [f"{BASES[i % len(BASES)]}{i:04d}" for i in range(start, start + count)]


def test_it_shows_every_domain_title_the_agreed_levels_and_the_total(workshop):
    agree(workshop, LEVELS)
    text, _pages = text_of(render_action_plan_pdf(workshop))
    flat = squash(text)
    for d in workshop.framework.domains.all():
        assert squash(d.title) in flat, d.code
        level = LEVELS[d.code]
        assert squash(f"Agreed: {level} {LABELS[level]}") in flat, d.code
    assert squash("10 out of 21") in flat
    assert "Page 1 of" in text
    assert squash("Wolpert") in flat  # the framework's attribution


def test_every_word_of_a_long_plan_spanning_pages_is_in_the_pdf(workshop):
    agree(workshop, LEVELS)
    words: list[str] = []
    for n, code in enumerate(CODES):
        boxes = [numbered_words(1000 * n + 300 * k, 120) for k in range(3)]
        words += [w for box in boxes for w in box]
        add_plan(
            workshop,
            code,
            working_well=" ".join(boxes[0][:60]) + "\n" + " ".join(boxes[0][60:]),
            challenges=" ".join(boxes[1]),
            next_steps=" ".join(boxes[2]),
        )
    for i in range(40):
        item_words = numbered_words(9000 + 10 * i, 6)
        words += item_words
        add_item(workshop, CODES[i % 7], description=" ".join(item_words), owner_name="Siân Roberts")
    text, pages = text_of(render_action_plan_pdf(workshop))
    assert pages >= 6
    found = set(re.findall(r"\w+", text))
    missing = [w for w in words if w not in found]
    assert not missing, missing[:20]


def test_non_ascii_names_and_literal_html(workshop, facilitator):
    workshop.area.name = "Ynys Môn a Gwynedd"
    workshop.area.save()
    workshop.title = "Gweithdy dilynol: Gwasanaethau iechyd meddwl"
    workshop.save()
    facilitator.first_name, facilitator.last_name = "Gwenllïan", "Müller-Søren"
    facilitator.save()
    Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL)
    add_plan(workshop, "C1", working_well='Ysgol Gyfun Gŵyr <script>alert("x")</script>', is_priority=True)
    add_item(
        workshop,
        "C1",
        description="<b>Cyfarfod</b> & café",
        owner_name="Chloé Dubois",
        owner_organisation="Cyngor Sir Ynys Môn",
    )
    text, _pages = text_of(render_action_plan_pdf(workshop))
    for expected in (
        "Ynys Môn a Gwynedd",
        "Gwasanaethau iechyd meddwl",
        "Gwenllïan Müller-Søren",
        "Ysgol Gyfun Gŵyr",
        '<script>alert("x")</script>',
        "<b>Cyfarfod</b> & café",
        "Chloé Dubois",
        "Cyngor Sir Ynys Môn",
        "School or college",
    ):
        assert squash(expected) in squash(text), expected  # a narrow cell may wrap after "</"


def test_a_follow_up_shows_previous_levels_change_and_the_review(workshop, follow_up):
    agree(workshop, dict.fromkeys(CODES, 1))
    agree(follow_up, {**dict.fromkeys(CODES, 1), "C1": 3, "E": 0})
    item = add_item(workshop, description="Publish the guide", status="in_progress")
    from actionplans.models import ItemReview

    ItemReview.objects.create(
        workshop=follow_up, item=item, status="done", note="Published in May", version=1
    )
    text, _pages = text_of(render_action_plan_pdf(follow_up))
    flat = squash(text)
    assert "Before" in text and "Change" in text
    assert squash("8 out of 21 (previously 7, +1)") in flat
    assert "+2" in text and "−1" in text
    assert "Progress on actions from the previous workshop" in text
    assert "Publish the guide" in text and "Published in May" in text


def test_it_fetches_only_our_static_files(workshop, monkeypatch):
    add_plan(workshop, "C1", working_well='<img src="http://127.0.0.1:9/secret"> http://example.org/x.png')
    fetched = []
    original = pdf_module.StaticOnlyFetcher.fetch

    def record(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.StaticOnlyFetcher, "fetch", record)
    render_action_plan_pdf(workshop)
    assert fetched and all(url.startswith(pdf_module.BASE_URL + "static/") for url in fetched), fetched


def test_the_download_is_named_after_the_area_and_date(users, workshop, client_for):
    response = client_for(users["lead"]).get(f"/workshops/{workshop.pk}/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cascade-action-plan-NSH-2026-09-01.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_preview_is_the_same_template_as_html(users, workshop, client_for):
    agree(workshop, LEVELS)
    add_plan(workshop, "S", challenges="Colleges rarely attend")
    response = client_for(users["facilitator"]).get(f"/workshops/{workshop.pk}/plan/preview/")
    assert TEMPLATE in [t.name for t in response.templates]
    content = response.content.decode()
    assert "Ratings at a glance" in content and "Colleges rarely attend" in content
    assert "<svg" not in content  # no votes yet, so no charts
    assert f'href="/workshops/{workshop.pk}/plan.pdf"' in content
    assert "style=" not in content  # the CSP forbids inline styles


def test_the_preview_draws_vote_charts_as_inline_svg(users, workshop, client_for):
    from actionplans.sample import fill_votes

    fill_votes(workshop, participants=6)
    content = client_for(users["facilitator"]).get(f"/workshops/{workshop.pk}/plan/preview/").content.decode()
    assert content.count('<svg class="vote-chart"') == 7
    assert "<script" not in content


def test_building_the_document_takes_a_fixed_number_of_queries(
    workshop, follow_up, django_assert_num_queries
):
    from actionplans.document import action_plan_context
    from actionplans.sample import fill_plan, fill_votes

    fill_votes(follow_up, participants=4)
    counts = []
    for items in (2, 30):
        DomainPlan.objects.all().delete()
        fill_plan(follow_up, items=items, words=10)
        for i in range(items):
            add_item(workshop, description=f"Earlier {items}-{i}")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            action_plan_context(follow_up)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_only_long_grid_rows_may_split_across_pages():
    from types import SimpleNamespace

    from actionplans.document import SPLIT_ROW_CHARS, DomainSection

    def section(text: str) -> DomainSection:
        plan = SimpleNamespace(working_well=text, challenges="", next_steps="")
        return DomainSection(result=None, plan=plan, items=[])

    assert not section("x" * SPLIT_ROW_CHARS).is_long
    assert section("x" * (SPLIT_ROW_CHARS + 1)).is_long
    assert not DomainSection(result=None, plan=None).is_long


def test_a_revoted_domain_shows_every_round_in_the_plan(users, closed, client_for):
    """The PDF said nothing of a re-vote and drew only the last round's chart."""
    from ratings.models import Participant, Round, Vote

    c1 = closed.framework.domains.get(code="C1")
    first = Round.objects.create(workshop=closed, domain=c1, number=1, status=Round.Status.CLOSED)
    second = Round.objects.get_or_create(workshop=closed, domain=c1, number=2)[0]
    for level in (1, 3):
        p = Participant.objects.create(workshop=closed, sector="school")
        Vote.objects.create(round=first, participant=p, level=level)
        Vote.objects.create(round=second, participant=p, level=2)
    page = client_for(users["facilitator"]).get(f"/workshops/{closed.pk}/plan/preview/").content.decode()
    assert "Re-voted after discussion: 2 rounds." in page
    assert "Votes for C1, round 1" in page and "Round 2 (final)" in page
