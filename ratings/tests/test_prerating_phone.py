"""A participant rates before the day: join, one screen per domain, change until closed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings import services
from ratings.models import EvidenceNote, Round, Sector, Vote
from ratings.prerating import prerating_close
from ratings.tests.prerating_helpers import expire_window, join, open_window, pre_rate
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(workshop, facilitator) -> Workshop:
    return open_window(workshop, facilitator)


def test_it_refuses_to_join_a_draft_workshop_without_a_window(workshop):
    from django.test import Client

    response = Client().post(
        "/join/", {"code": workshop.join_code, "display_name": "", "organisation": "", "sector": "school"}
    )
    assert response.status_code == 409 and "is not open yet" in response.content.decode()


def test_a_new_phone_cannot_join_once_the_window_closed(window):
    from django.test import Client

    expire_window(window)
    response = Client().post(
        "/join/", {"code": window.join_code, "display_name": "", "organisation": "", "sector": "school"}
    )
    assert response.status_code == 409 and "Rating before the day has closed" in response.content.decode()
    assert not window.participants.exists()


def test_joining_before_the_day_leads_to_the_overview(window):
    phone, participant = join(window, name="Ann")
    page = phone.get(f"/p/{window.join_code}/", follow=True)
    assert page.redirect_chain[-1][0] == f"/p/{window.join_code}/before/"
    text = page.content.decode()
    assert "0 of 7</strong> rated" in text and "Start with C1" in text


def test_a_screen_shows_the_guiding_question_four_descriptors_and_not_sure(window):
    phone, _ = join(window)
    domain = window.framework.domains.first()
    text = phone.get(f"/p/{window.join_code}/before/1/").content.decode()
    assert domain.title in text and domain.prompt in text
    assert text.count('type="radio" name="level"') == 5 and "Not sure" in text
    assert "What tells you this? A pathway, a meeting, a document" in text and 'maxlength="500"' in text


def test_a_plain_form_post_records_the_rating_and_note_and_goes_to_the_next_domain(window):
    phone, participant = join(window)
    response = pre_rate(phone, window, 1, 2, "Our referral pathway was agreed in May.")
    assert response.status_code == 303 and response["Location"] == f"/p/{window.join_code}/before/2/"
    vote = Vote.objects.get(participant=participant)
    assert vote.level == 2 and vote.round.number == 0 and vote.round.domain.code == "C1"
    assert vote.round.status == Round.Status.CLOSED and not vote.round.is_revealed
    assert EvidenceNote.objects.get().text == "Our referral pathway was agreed in May."
    assert "1 of 7</strong> rated" in phone.get(f"/p/{window.join_code}/before/").content.decode()


def test_changes_are_upserts_and_an_empty_note_removes_it(window):
    phone, participant = join(window)
    pre_rate(phone, window, 1, 2, "First thought")
    pre_rate(phone, window, 1, None, "")
    assert Vote.objects.filter(participant=participant).count() == 1
    assert Vote.objects.get(participant=participant).level is None  # not sure
    assert not EvidenceNote.objects.exists()
    assert Round.objects.filter(number=0).count() == 1


def test_the_overview_shows_only_the_participants_own_answers(window):
    phone_a, _ = join(window)
    phone_b, _ = join(window)
    pre_rate(phone_a, window, 1, 3, "Secret of A")
    text = phone_b.get(f"/p/{window.join_code}/before/").content.decode()
    assert "0 of 7</strong> rated" in text and "Secret of A" not in text
    assert "Secret of A" not in phone_b.get(f"/p/{window.join_code}/before/1/").content.decode()


def test_it_rejects_an_over_long_note_with_a_message_and_records_nothing(window):
    phone, _ = join(window)
    response = pre_rate(phone, window, 1, 1, "x" * 501)
    assert response.status_code == 400 and "500 characters" in response.content.decode()
    assert not Vote.objects.exists() and not EvidenceNote.objects.exists() and not Round.objects.exists()


def test_it_rejects_a_missing_or_unknown_level(window):
    phone, _ = join(window)
    assert pre_rate(phone, window, 1, "", "").status_code == 400
    assert pre_rate(phone, window, 1, 9, "").status_code == 400
    assert pre_rate(phone, window, 1, "²", "").status_code == 400
    assert not Vote.objects.exists()


def test_an_unknown_domain_position_is_404(window):
    phone, _ = join(window)
    assert phone.get(f"/p/{window.join_code}/before/8/").status_code == 404
    assert pre_rate(phone, window, 0, 1).status_code == 404


def test_it_rejects_a_rating_after_the_closing_time_with_409(window):
    phone, _ = join(window)
    pre_rate(phone, window, 1, 1, "kept")
    expire_window(window)
    response = pre_rate(phone, window, 1, 3, "changed")
    assert response.status_code == 409 and "has closed" in response.content.decode()
    assert Vote.objects.get().level == 1 and EvidenceNote.objects.get().text == "kept"


def test_it_rejects_a_rating_after_the_facilitator_closed_the_window(window, facilitator):
    phone, _ = join(window)
    prerating_close(window, facilitator)
    assert pre_rate(phone, window, 2, 3).status_code == 409
    assert not Vote.objects.exists()


def test_it_rejects_a_rating_once_the_workshop_is_live(window, facilitator):
    phone, _ = join(window)
    services.workshop_start(window, facilitator)
    response = pre_rate(phone, window, 1, 3)
    assert response.status_code == 409 and not Vote.objects.exists()
    text = phone.get(f"/p/{window.join_code}/before/").content.decode()
    assert "Go to the live vote" in text


def test_the_same_phone_continues_in_the_room(window, facilitator):
    phone, participant = join(window)
    pre_rate(phone, window, 1, 2)
    services.workshop_start(window, facilitator)
    text = phone.get(f"/p/{window.join_code}/").content.decode()
    assert "Ratings from before the day" in text and "yours: <strong>2" in text


def test_a_post_without_joining_is_refused(window):
    from django.test import Client

    response = Client().post(f"/p/{window.join_code}/before/1/", {"level": "1"})
    assert response.status_code == 403 and not Vote.objects.exists()


def test_evidence_is_escaped_on_the_phone(window):
    phone, _ = join(window)
    pre_rate(phone, window, 1, 1, "<script>alert(1)</script>")
    text = phone.get(f"/p/{window.join_code}/before/1/").content.decode()
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def test_the_pre_rating_pages_take_the_same_queries_for_5_and_50_participants(window):
    counts = []
    phones = []
    for size in (5, 50):
        while len(phones) < size:
            phone, _ = join(window, sector=[Sector.SCHOOL, Sector.NHS_CYPMHS][len(phones) % 2])
            pre_rate(phone, window, 1, len(phones) % 4, f"note {len(phones)}")
            phones.append(phone)
        first = phones[0]
        counts.append(
            (
                _queries(lambda p=first: p.get(f"/p/{window.join_code}/before/")),
                _queries(lambda p=first: p.get(f"/p/{window.join_code}/before/1/")),
                _queries(lambda p=first: pre_rate(p, window, 1, 2, "changed")),
            )
        )
    assert counts[0] == counts[1], counts
