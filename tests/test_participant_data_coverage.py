"""No model holding data about a participant can be forgotten by the subject-access export or
by erasure (issue 21): every model with a foreign key or one-to-one link to
ratings.Participant, and every field that copies a participant's name, must be declared in
`ratings.participant_data` (directly or through an app's `participant_data()` hook). A new
one fails this test, naming the model and field."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from ratings.models import Participant
from ratings.participant_data import declarations

OUR_APPS = {"workshops", "ratings", "actionplans", "reports"}
# Field names that say "a copy of who the participant is" wherever they appear.
NAME_HINTS = ("author", "participant", "display_name", "respondent")


def participant_links() -> set[tuple[str, str]]:
    """(model label, field name) of every link to Participant in every installed model."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is Participant
            ):
                found.add((model._meta.label, field.name))
    return found


def name_copies() -> set[tuple[str, str]]:
    """(model label, field name) of every text field that looks like a copy of a participant's
    name: a name hint anywhere in our apps, or a name or organisation on a linked model."""
    linked = {label for label, _field in participant_links()} | {Participant._meta.label}
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField):
                continue
            hinted = any(hint in field.name for hint in NAME_HINTS)
            personal = model._meta.label in linked and ("name" in field.name or "organisation" in field.name)
            if hinted or personal:
                found.add((model._meta.label, field.name))
    return found


def undeclared_links(declared_models) -> list[str]:
    declared = {(d.model._meta.label, d.link) for d in declared_models}
    return sorted(f"{label}.{name}" for label, name in participant_links() - declared)


def unerased_copies(declared_models) -> list[str]:
    erased = {(d.model._meta.label, field) for d in declared_models for field in d.erase}
    return sorted(f"{label}.{name}" for label, name in name_copies() - erased)


def test_every_link_to_a_participant_is_declared():
    missing = undeclared_links(declarations())
    assert not missing, f"not covered by the subject-access export and erasure: {missing}"


def test_every_copy_of_a_participants_name_is_erased():
    missing = unerased_copies(declarations())
    assert not missing, f"copies of a participant's name that erasure leaves: {missing}"


def test_it_names_a_model_left_out():
    """What a forgotten model looks like: dots and notes left out of the declarations."""
    kept = [d for d in declarations() if d.model._meta.label not in {"actionplans.Dot", "actionplans.Note"}]
    assert undeclared_links(kept) == ["actionplans.Dot.participant", "actionplans.Note.participant"]
    assert unerased_copies(kept) == ["actionplans.Note.author_name"]


def test_the_walk_finds_the_links_and_copies_we_know_of():
    """The walk itself works: the known links and copies are found (a walk finding nothing
    would pass the two tests above)."""
    links = participant_links()
    for known in [
        ("ratings.Vote", "participant"),
        ("ratings.EvidenceNote", "participant"),
        ("actionplans.Note", "participant"),
        ("actionplans.Dot", "participant"),
    ]:
        assert known in links
    copies = name_copies()
    assert ("actionplans.Note", "author_name") in copies
    assert ("ratings.Participant", "display_name") in copies
    assert ("ratings.Participant", "organisation") in copies


def test_each_model_is_declared_once_and_the_participant_first():
    found = declarations()
    labels = [d.model._meta.label for d in found]
    assert len(labels) == len(set(labels))
    assert labels[0] == "ratings.Participant" and found[0].link == "pk"
