"""Invitations by email: the list checked line by line (nothing written on any error), the
email with a personal link and a calendar file over SMTP, the link opening the pre-rating with
the sector filled in, counts per sector (never levels), one reminder before closing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratings.invitation_models import Invitation
from ratings.invitations import invite_reminders_queue
from ratings.invitees import parse_invitees, workshop_ics
from ratings.models import Participant
from ratings.prerating import prerating_open, prerating_record
from workshops.mail import outbox_deliver
from workshops.mail_models import Outbox

GOOD = (
    "name,email,sector\n"
    "Sam Lee, Sam.Lee@school.example, school\n"
    "Asha Patel, asha@nhs.example, NHS children's mental health service\n"
)


def test_it_reports_each_bad_row_by_line_number():
    text = (
        "Sam, sam@x.example, school\n"
        "No Email, not-an-email, school\n"
        "Bad Sector, b@x.example, wizard\n"
        "only two, c@x.example\n"
        "Dup, SAM@x.example, la\n"
    )
    invitees, errors = parse_invitees(text)
    assert [e.split(":")[0] for e in errors] == ["Line 2", "Line 3", "Line 4", "Line 5"]
    assert "not an email" in errors[0] and "unknown sector" in errors[1] and "3 values" in errors[2]
    assert "already on line 1" in errors[3]


def test_it_reads_a_header_and_sector_labels():
    invitees, errors = parse_invitees(GOOD)
    assert errors == []
    assert [(i.line, i.email, i.sector) for i in invitees] == [
        (2, "sam.lee@school.example", "school"),
        (3, "asha@nhs.example", "nhs"),
    ]


def test_an_empty_list_is_refused():
    assert parse_invitees("\n\n")[1] == ["No invitees: give one a line, as name, email, sector."]


def test_the_calendar_file_is_an_all_day_event():
    ics = workshop_ics(
        uid="w1@x",
        title="Baseline, North",
        venue="Hall; B",
        day=dt.date(2026, 9, 1),
        stamp=timezone.now(),
        url="https://x/",
    )
    assert "DTSTART;VALUE=DATE:20260901\r\n" in ics and "DTEND;VALUE=DATE:20260902\r\n" in ics
    assert (
        "SUMMARY:Baseline\\, North" in ics
        and "LOCATION:Hall\\; B" in ics
        and ics.startswith("BEGIN:VCALENDAR\r\n")
    )


@pytest.fixture
def open_window(workshop, facilitator):
    prerating_open(workshop, facilitator, timezone.now() + dt.timedelta(days=10))
    workshop.refresh_from_db()
    return workshop


def invite(client, workshop, text=GOOD, **extra):
    return client.post(reverse("invitations_add", args=[workshop.pk]), {"invitees": text, **extra})


@pytest.mark.django_db
def test_a_list_with_a_bad_row_writes_nothing(open_window, facilitator, client_for):
    response = invite(client_for(facilitator), open_window, GOOD + "Bad, nope, school\n")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nobody was invited" in html and "Line 4" in html and "Sam Lee" in html  # the text is kept
    assert not Invitation.objects.exists() and not Outbox.objects.exists()


@pytest.mark.django_db
def test_a_csv_file_with_bad_rows_writes_nothing(open_window, facilitator, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "list.csv", b"\xef\xbb\xbfSam, sam@x.example, school\nX, x@x.example, nope\n", "text/csv"
    )
    response = client_for(facilitator).post(
        reverse("invitations_add", args=[open_window.pk]), {"invitees_file": upload}
    )
    assert response.status_code == 400 and "Line 2" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_only_the_workshops_facilitators_invite(open_window, users, client_for):
    for name in ("other_facilitator", "lead", "other_lead"):
        assert invite(client_for(users[name]), open_window).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_invitee_rates_by_the_emailed_link_and_the_panel_counts_it(
    smtp, open_window, facilitator, client_for
):
    staff = client_for(facilitator)
    assert invite(staff, open_window).status_code == 302
    assert Invitation.objects.count() == 2 and not smtp.messages  # nothing sent inside the request
    assert outbox_deliver().sent == 2
    [message] = smtp.to("sam.lee@school.example")
    calendar = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert calendar and "DTSTART;VALUE=DATE:20260901" in calendar[0].get_content()
    path = re.search(r"https://cascade\.example\.org(/i/[^/\s]+/)", smtp.text(message)).group(1)
    assert Invitation.objects.filter(token_hash=path.split("/")[2]).count() == 0  # stored hashed

    phone = Client()
    assert "School or college" in phone.get(path).content.decode()
    response = phone.post(path)
    assert response.status_code == 303 and response["Location"] == f"/p/{open_window.join_code}/before/"
    participant = Participant.objects.get()
    assert participant.sector == "school"
    prerating_record(participant, open_window.framework.domains.first().pk, 3)

    html = staff.get(reverse("workshop_detail", args=[open_window.pk])).content.decode()
    table = html[html.index('data-testid="invitation-counts"') :]
    table = table[: table.index("</table>")]
    assert re.search(r"School or college</th><td>1</td><td>1</td><td>1</td>", table)
    assert re.search(r"NHS children&#x27;s mental health service</th><td>1</td><td>0</td><td>0</td>", table)


@pytest.mark.django_db
def test_the_same_email_is_invited_once(open_window, facilitator, client_for):
    invite(client_for(facilitator), open_window)
    invite(client_for(facilitator), open_window)
    assert Invitation.objects.count() == 2 and Outbox.objects.count() == 2


@pytest.mark.django_db
def test_one_reminder_goes_to_those_who_have_not_rated_two_days_before_closing(
    smtp, workshop, facilitator, client_for
):
    closes = timezone.now() + dt.timedelta(days=1)
    prerating_open(workshop, facilitator, closes)
    invite(client_for(facilitator), workshop)
    rated = Invitation.objects.get(email="sam.lee@school.example")
    participant = Participant.objects.create(workshop=workshop, sector="school")
    Invitation.objects.filter(pk=rated.pk).update(participant=participant)
    prerating_record(participant, workshop.framework.domains.first().pk, 2)
    assert invite_reminders_queue(timezone.now() - dt.timedelta(days=2)) == 0  # three days before
    assert invite_reminders_queue(timezone.now()) == 1
    assert invite_reminders_queue(timezone.now()) == 0
    outbox_deliver()
    [reminder] = [m for m in smtp.messages if m["Subject"].startswith("Reminder")]
    assert reminder["To"] == "asha@nhs.example" and reminder["List-Unsubscribe"]
    first = next(m for m in smtp.messages if m["To"] == "asha@nhs.example" and m is not reminder)
    for message in (first, reminder):  # both links work
        path = re.search(r"https://cascade\.example\.org(/i/[^/\s]+/)", smtp.text(message)).group(1)
        assert Client().get(path).status_code == 200


@pytest.mark.django_db
def test_an_unknown_invitation_link_is_404():
    assert Client().get("/i/nope/").status_code == 404


@pytest.mark.django_db
def test_a_closed_window_says_so_and_starts_nothing(workshop, facilitator, client_for, settings):
    prerating_open(workshop, facilitator, timezone.now() + dt.timedelta(days=1))
    invite(client_for(facilitator), workshop)
    from workshops.mail import new_token

    raw, hashed = new_token()
    Invitation.objects.filter(email="sam.lee@school.example").update(token_hash=hashed)
    from ratings.prerating import prerating_close

    prerating_close(workshop, facilitator)
    response = Client().post(f"/i/{raw}/")
    assert response.status_code == 409 and "has closed" in response.content.decode()
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_the_panel_warns_when_links_would_point_to_this_computer(
    open_window, facilitator, client_for, settings
):
    settings.PUBLIC_URL = ""
    html = client_for(facilitator).get(reverse("workshop_detail", args=[open_window.pk])).content.decode()
    assert "Invitees cannot use these links" in html
