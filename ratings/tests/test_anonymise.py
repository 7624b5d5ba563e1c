"""Personal data has a purpose and a lifetime (issue 9, section 3): the join page says what is
stored; a phone removes its own name; `anonymise_participants` blanks names and organisations
after the retention period and changes no vote, sector, tally, agreed level or report; one
participant's data exports as CSV for a subject-access request; old log-in logs are pruned."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from actionplans.models import ActionItem, DomainPlan, ItemReview, PlanEdit
from ratings.models import Consensus, ConsensusChange, HandCount, Participant, Vote
from ratings.results import workshop_results
from ratings.tests.conftest import join_phone
from workshops.models import Programme, Workshop

pytestmark = pytest.mark.django_db


def _run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


# --- the join page and "Remove my name" -----------------------------------------------------------


def test_the_join_page_says_what_is_stored_who_sees_it_and_for_how_long(settings, live_workshop):
    settings.PARTICIPANT_RETENTION_DAYS = 200
    content = Client().get("/join/").content.decode()
    assert "We store your sector and votes, and your name and organisation only if you give them" in content
    assert "facilitators, the area's CCG leads and the site's admins can see them" in content
    assert "erased 200 days after the workshop closes" in content


def test_a_phone_removes_its_own_name_and_nothing_else(live_workshop):
    phone, me = join_phone(live_workshop, name="Sam")
    Participant.objects.filter(pk=me.pk).update(organisation="Oak School")
    _other_phone, other = join_phone(live_workshop, name="Alex")
    page = phone.get(f"/p/{live_workshop.join_code}/").content.decode()
    assert "Remove my name" in page
    response = phone.post(f"/p/{live_workshop.join_code}/remove-name/")  # a plain form post, no JS
    assert response.status_code == 303 and response["Location"] == f"/p/{live_workshop.join_code}/"
    me.refresh_from_db()
    other.refresh_from_db()
    assert (me.display_name, me.organisation, me.sector) == ("", "", "school")
    assert other.display_name == "Alex"
    page = phone.get(f"/p/{live_workshop.join_code}/").content.decode()
    assert "Your name and organisation have been removed" in page and "Remove my name" not in page


def test_remove_my_name_needs_the_phone_that_joined(live_workshop):
    _phone, me = join_phone(live_workshop, name="Sam")
    response = Client().post(f"/p/{live_workshop.join_code}/remove-name/")
    assert response.status_code == 302 and "/join/" in response["Location"]
    me.refresh_from_db()
    assert me.display_name == "Sam"
    assert Client().get(f"/p/{live_workshop.join_code}/remove-name/").status_code == 405


def test_remove_my_name_works_after_the_workshop_closed(live_workshop):
    phone, me = join_phone(live_workshop, name="Sam")
    Workshop.objects.filter(pk=live_workshop.pk).update(status=Workshop.Status.CLOSED)
    assert phone.post(f"/p/{live_workshop.join_code}/remove-name/").status_code == 303
    me.refresh_from_db()
    assert me.display_name == ""


# --- anonymise_participants on the demo data ------------------------------------------------------


def _record(admin_client) -> dict:
    """Everything the anonymising must leave alone: reports, results, tallies, history."""
    state = {
        "reports": {
            p.pk: json.loads(admin_client.get(f"/reports/programmes/{p.pk}/report.json").content)
            for p in Programme.objects.all()
        },
        "results": {w.pk: repr(workshop_results(w)) for w in Workshop.objects.all()},
        "votes": list(Vote.objects.order_by("pk").values_list("pk", "round_id", "participant_id", "level")),
        "sectors": list(Participant.objects.order_by("pk").values_list("pk", "workshop_id", "sector")),
        "hands": list(HandCount.objects.order_by("pk").values_list("round_id", "level", "count")),
    }
    assert all(state["reports"].values()) and len(state["votes"]) > 0
    for model in (Consensus, ConsensusChange, DomainPlan, ActionItem, ItemReview, PlanEdit):
        state[model.__name__] = list(model.objects.order_by("pk").values())
    return state


def test_it_changes_no_vote_sector_tally_consensus_or_report_on_the_demo_data(
    django_user_model, reference_data, client_for
):
    call_command("seed_demo", stdout=io.StringIO())
    admin_user = django_user_model.objects.get(username="admin")
    baseline = Workshop.objects.get(title="North Shire baseline workshop")
    Participant.objects.filter(workshop=baseline).update(organisation="Hillside Academy")
    admin_client = client_for(admin_user)
    before = _record(admin_client)
    named = Participant.objects.exclude(display_name="").count()
    assert named == 9

    dry = _run("anonymise_participants", "--older-than", "0", "--dry-run")
    assert f"workshop {baseline.pk} North Shire baseline workshop: 9 participant(s)" in dry
    assert "Would anonymise 9 participant(s)" in dry
    assert Participant.objects.exclude(display_name="").count() == 9

    out = _run("anonymise_participants", "--older-than", "0")
    assert "Anonymised 9 participant(s) of workshops closed over 0 days ago." in out
    assert not Participant.objects.exclude(display_name="", organisation="").exists()
    assert _record(admin_client) == before
    assert "Anonymised 0 participant(s)" in _run("anonymise_participants", "--older-than", "0")


def test_it_keeps_names_of_recent_and_open_workshops(settings, workshop, other_workshop):
    settings.PARTICIPANT_RETENTION_DAYS = 30
    now = timezone.now()
    Workshop.objects.filter(pk=workshop.pk).update(status="closed", closed_at=now - dt.timedelta(days=31))
    Workshop.objects.filter(pk=other_workshop.pk).update(
        status="closed", closed_at=now - dt.timedelta(days=29)
    )
    old = Participant.objects.create(
        workshop=workshop, display_name="Old", organisation="Org", sector="school"
    )
    recent = Participant.objects.create(workshop=other_workshop, display_name="Recent", sector="school")
    out = _run("anonymise_participants")  # default: settings.PARTICIPANT_RETENTION_DAYS
    assert "Anonymised 1 participant(s) of workshops closed over 30 days ago." in out
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.display_name, old.organisation) == ("", "") and recent.display_name == "Recent"


def test_a_negative_age_is_refused():
    with pytest.raises(CommandError, match="0 or more"):
        _run("anonymise_participants", "--older-than", "-1")


def test_the_workshop_admin_action_anonymises_its_participants(
    workshop, other_workshop, admin_user, client_for
):
    mine = Participant.objects.create(workshop=workshop, display_name="A", organisation="B", sector="la")
    theirs = Participant.objects.create(workshop=other_workshop, display_name="C", sector="la")
    response = client_for(admin_user).post(
        "/admin/workshops/workshop/",
        {"action": "anonymise_workshop_participants", "_selected_action": [workshop.pk]},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.display_name, mine.organisation, mine.sector) == (
        "",
        "",
        "la",
    ) and theirs.display_name == "C"


# --- subject-access export ---------------------------------------------------------------------------


def test_it_exports_one_participants_data_as_formula_safe_csv(live_workshop, tmp_path):
    _phone, me = join_phone(live_workshop, name="=HYPERLINK(1)")
    join_phone(live_workshop, name="Someone else")
    path = tmp_path / "sar.csv"
    err = io.StringIO()
    call_command("export_participant", participant=me.pk, output=str(path), stderr=err)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["record", "workshop", "area", "date", "field", "value", "at"]
    values = {row[4]: row[5] for row in rows[1:]}
    assert values["name"] == "'=HYPERLINK(1)" and values["sector"] == "School or college"
    assert "Someone else" not in path.read_text()
    assert "Wrote" in err.getvalue()


def test_the_export_lists_votes(workshop):
    from ratings.models import Round

    me = Participant.objects.create(workshop=workshop, display_name="Sam", sector="school")
    rnd = Round.objects.create(workshop=workshop, domain=workshop.framework.domains.get(code="C1"))
    Vote.objects.create(round=rnd, participant=me, level=2)
    from ratings.models import EvidenceNote

    EvidenceNote.objects.create(round=rnd, participant=me, text="We have a map of services")
    rows = list(csv.reader(io.StringIO(_run("export_participant", "--participant", str(me.pk)))))
    assert ["vote", "Baseline", "North Shire", "2026-09-01", "vote C1 round 1", "2"] == rows[-2][:6]
    assert rows[-1][4:6] == ["evidence note C1", "We have a map of services"]


def test_an_unknown_participant_is_a_clear_error():
    with pytest.raises(CommandError, match="No participant with id 999"):
        _run("export_participant", "--participant", "999")


# --- log-in attempt logs ------------------------------------------------------------------------------


def test_prune_login_attempts_removes_only_old_records(settings):
    settings.AXES_LOG_RETENTION_DAYS = 90
    old = timezone.now() - dt.timedelta(days=91)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for n, when in enumerate((old, timezone.now())):
            row = model.objects.create(
                username=f"user{n}",
                ip_address="10.0.0.1",
                user_agent="t",
                **({"failures_since_start": 1} if model is AccessAttempt else {}),
            )
            model.objects.filter(pk=row.pk).update(attempt_time=when)
    out = _run("prune_login_attempts")
    assert "Pruned 1 access attempts older than 90 days." in out
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert model.objects.count() == 1


def test_a_large_backlog_is_erased_in_bounded_statements(monkeypatch, workshop):
    """100,000 participants due at once made one UPDATE of 100,000 rows, 5.2 s on PostgreSQL: past
    DATABASE_STATEMENT_TIMEOUT's 5 s, so the daily command failed and erased nothing. Each
    statement now covers one batch of participants."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actionplans.notes_models import Note
    from ratings import participant_data

    monkeypatch.setattr(participant_data, "ERASE_BATCH", 3, raising=False)
    Workshop.objects.filter(pk=workshop.pk).update(status="closed", closed_at=timezone.now())
    domain = workshop.framework.domains.first()
    for i in range(10):
        p = Participant.objects.create(
            workshop=workshop, display_name=f"P{i}", organisation="O", sector="school"
        )
        Note.objects.create(
            workshop=workshop, domain=domain, participant=p, kind="working_well", text="t",
            show_name=True, author_name=p.display_name,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert "Anonymised 10 participant(s)" in _run("anonymise_participants", "--older-than", "0")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([sql for sql in updates if '"ratings_participant"' in sql.split("SET")[0]]) == 4
    note_batches = [sql for sql in updates if '"actionplans_note"' in sql.split("SET")[0] and " IN (" in sql]
    assert len(note_batches) == 4
    assert not Participant.objects.exclude(display_name="").filter(workshop=workshop).exists()
    assert not Note.objects.exclude(author_name="").exists()


def test_the_admin_log_keeps_no_name_after_erasure(admin_user, workshop):
    """An admin who corrects a participant's sector leaves a log entry, shown under "Recent
    actions" on the admin's front page; it held the participant's name (str(participant)) after
    anonymise_participants had blanked every other copy. So did the entry of a participant
    deleted from a workshop not yet closed."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    client = Client()
    client.force_login(admin_user)
    p = Participant.objects.create(
        workshop=workshop, display_name="Zed Probe", organisation="Zed Org", sector="school"
    )
    gone = Participant.objects.create(workshop=workshop, display_name="Yan Gone", sector="school")
    form = {"workshop": workshop.pk, "display_name": "Zed Probe", "organisation": "Zed Org", "sector": "nhs"}
    assert client.post(f"/admin/ratings/participant/{p.pk}/change/", form).status_code == 302
    assert client.post(f"/admin/ratings/participant/{gone.pk}/delete/", {"post": "yes"}).status_code == 302
    # An entry written before this fix, holding the name.
    LogEntry.objects.create(
        user=admin_user, content_type=ContentType.objects.get_for_model(Participant), object_id=str(p.pk),
        object_repr="Zed Probe", action_flag=CHANGE, change_message="[]",
    )  # fmt: skip
    Workshop.objects.filter(pk=workshop.pk).update(status="closed", closed_at=timezone.now())
    _run("anonymise_participants", "--older-than", "0")
    reprs = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert len(reprs) == 3
    assert not [r for r in reprs if "Zed" in r or "Yan" in r], reprs
    assert "Zed Probe" not in client.get("/admin/").content.decode()
