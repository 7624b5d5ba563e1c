"""Subject-access export is complete (issue 21): `export_participant` wrote the participant and
their votes but left out their notes, dots and evidence notes. One file now holds every row
held about the person, each declared model's rows counted against the database."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from actionplans.notes_models import Dot, Note
from actionplans.tests.erasure_fixtures import NAME
from ratings.models import EvidenceNote, Vote
from ratings.participant_data import declarations

pytestmark = pytest.mark.django_db


def _export(pk: int, tmp_path) -> list[list[str]]:
    path = tmp_path / f"participant-{pk}.csv"
    call_command("export_participant", "--participant", str(pk), "--output", str(path), stderr=io.StringIO())
    return list(csv.reader(path.open(encoding="utf-8")))


def test_the_export_holds_every_note_dot_vote_and_evidence_note(named, tmp_path):
    _workshop, _phone, sam = named
    rows = _export(sam.pk, tmp_path)
    records = [row[0] for row in rows[1:]]
    assert records.count("note") == Note.objects.filter(participant=sam).count() == 3
    assert records.count("dot") == Dot.objects.filter(participant=sam).count() == 2
    assert records.count("vote") == Vote.objects.filter(participant=sam).count() == 1
    assert records.count("evidence note") == EvidenceNote.objects.filter(participant=sam).count() == 1
    values = [row[5] for row in rows]
    for text in ("Named school leads", "Train two staff per school", "Waiting lists"):
        assert text in values
    assert "We have a map of services" in values
    assert "Alex's point" not in values
    fields = [row[4] for row in rows]
    shown = "shown with the name “Sam Smithson”"
    assert f"note C1 What is working well, {shown}, added to the plan's text" in fields
    assert f"note C1 Next steps, {shown}, made an action item" in fields
    assert "note C1 Challenges, anonymous" in fields
    assert sorted(row[5] for row in rows if row[0] == "dot") == ["A1", "C1"]


def test_every_declared_model_has_its_rows_in_the_export(named, tmp_path):
    """Each model that holds rows about a participant: as many export rows as rows held."""
    _workshop, _phone, sam = named
    records = [row[0] for row in _export(sam.pk, tmp_path)[1:]]
    for declared in declarations():
        held = declared.model.objects.filter(**{declared.link: sam.pk}).count()
        assert held, f"the fixture has no {declared.record} row: give it one"
        per_row = 4 if declared.link == "pk" else 1  # the participant: id, name, organisation, sector
        assert records.count(declared.record) == held * per_row, declared.model._meta.label


def test_the_export_after_erasure_still_lists_the_rows_without_the_name(named, tmp_path):
    workshop, phone, sam = named
    phone.post(f"/p/{workshop.join_code}/remove-name/")
    rows = _export(sam.pk, tmp_path)
    assert NAME not in repr(rows)
    assert [row[0] for row in rows[1:]].count("note") == 3
