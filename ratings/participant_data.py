"""Where a participant's data lives: one list that both the subject-access export and erasure
walk, so neither can miss a copy.

Ratings declares its own models; an app above it declares its models through a
`participant_data()` hook on its AppConfig (ratings never imports those apps).
tests/test_participant_data_coverage.py walks every model and fails, naming it, on a link to
Participant or a copy of a participant's name that no declaration covers.

Erasure blanks the name and organisation on the participant and every copy of them (e.g. a
note's `author_name`); it never deletes a row and never changes a vote, sector, dot, note's
words or anything the results are computed from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from .invitation_models import Invitation
from .models import EvidenceNote, Participant, Vote

# Participants per statement when erasing: 100,000 at once made one UPDATE of 5.2 s on
# PostgreSQL, past DATABASE_STATEMENT_TIMEOUT (5 s); a batch of 1,000 takes milliseconds.
ERASE_BATCH = 1000

# (record, what, value, when): one line of the export; the workshop is added by the caller.
ExportLine = tuple[str, str, object, dt.datetime | None]


@dataclass(frozen=True)
class PersonalData:
    """One model holding rows about a participant."""

    model: type[models.Model]
    link: str  # the field pointing at the participant ("pk" for Participant itself)
    record: str  # the export's "record" column for its rows
    export: Callable[[Participant], Iterable[ExportLine]]
    # Fields copying the participant's name, and what erasure sets them to.
    erase: dict[str, object] = field(default_factory=dict)
    # Called with the rows about to be erased (e.g. to redraw a screen that shows them).
    on_erase: Callable[[QuerySet], None] | None = None
    # A null link means the participant was deleted (so a name left there is an orphan), unless
    # the row exists before any participant does (an invitation not yet opened).
    orphans: bool = True

    def named(self) -> QuerySet:
        """Rows still holding a copy of a name."""
        return self.model.objects.exclude(**self.erase)


def _participant_lines(p: Participant) -> list[ExportLine]:
    return [
        ("participant", "participant id", p.pk, p.joined_at),
        ("participant", "name", p.display_name, p.joined_at),
        ("participant", "organisation", p.organisation, p.joined_at),
        ("participant", "sector", p.get_sector_display(), p.joined_at),
    ]


def _vote_lines(p: Participant) -> list[ExportLine]:
    votes = Vote.objects.filter(participant=p).select_related("round__domain")
    lines = []
    for vote in votes.order_by("round__domain__position", "round__number"):
        level = "not sure" if vote.level is None else vote.level
        what = f"vote {vote.round.domain.code} round {vote.round.number}"
        lines.append(("vote", what, level, vote.updated_at))
    return lines


def _evidence_lines(p: Participant) -> list[ExportLine]:
    notes = EvidenceNote.objects.filter(participant=p).select_related("round__domain")
    lines = []
    for note in notes.order_by("round__domain__position", "pk"):
        what = f"evidence note {note.round.domain.code}" + (" (hidden)" if note.hidden else "")
        lines.append(("evidence note", what, note.text, note.updated_at))
    return lines


def _invitation_lines(p: Participant) -> list[ExportLine]:
    """One line per invitation: the address, with the name it was sent to and whether opened."""
    lines = []
    for inv in Invitation.objects.filter(participant=p).order_by("pk"):
        what = "invited by email" + (f" as {inv.name}" if inv.name else "")
        what += ", link opened" if inv.opened_at else ""
        lines.append(("invitation", what, inv.email, inv.created_at))
    return lines


def _own() -> list[PersonalData]:
    return [
        PersonalData(
            Participant,
            "pk",
            "participant",
            _participant_lines,
            erase={"display_name": "", "organisation": ""},
        ),
        PersonalData(Vote, "participant", "vote", _vote_lines),
        PersonalData(EvidenceNote, "participant", "evidence note", _evidence_lines),
        # Erasing unlinks the invitation from the phone, so the invitee's address (kept until
        # erase_mail_data's retention) no longer leads to their votes; the name goes at once.
        PersonalData(
            Invitation,
            "participant",
            "invitation",
            _invitation_lines,
            erase={"name": "", "participant": None},
            orphans=False,
        ),
    ]


def declarations() -> list[PersonalData]:
    """The participant first, then ratings' models, then each higher app's."""
    found = _own()
    for app in apps.get_app_configs():
        hook = getattr(app, "participant_data", None)
        if hook:
            found.extend(hook())
    return found


def export_lines(participant: Participant) -> list[ExportLine]:
    return [line for declared in declarations() for line in declared.export(participant)]


def _copies(found: list[PersonalData]) -> list[PersonalData]:
    """The declarations of rows copying a name, the participant's own row left out."""
    return [d for d in found if d.erase and d.link != "pk"]


def still_named() -> Q:
    """Participants holding a name or organisation, or whose name is still copied elsewhere."""
    where = ~Q(display_name="") | ~Q(organisation="")
    for declared in _copies(declarations()):
        linked = declared.named().filter(**{f"{declared.link}__isnull": False})
        where |= Q(pk__in=linked.values(declared.link))
    return where


def unname_admin_log(pks: list[int] | None = None) -> int:
    """The admin's log (shown under "Recent actions") keeps how it named each object it changed
    or deleted: a participant is "Participant <id>" there (Participant.__str__), and entries
    written when that was their name are rewritten so; `pks` None: every participant's, deleted
    ones included. Returns how many entries changed."""
    if not apps.is_installed("django.contrib.admin"):
        return 0
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    neutral = Concat(Value("Participant "), "object_id")
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Participant))
    if pks is not None:
        rows = rows.filter(object_id__in=[str(pk) for pk in pks])
    return rows.exclude(object_repr=neutral).update(object_repr=neutral)


@transaction.atomic
def erase(participants: QuerySet[Participant]) -> int:
    """Blank the name and organisation of these participants and every copy of them; returns
    how many participants had something to blank."""
    pks = list(participants.filter(still_named()).values_list("pk", flat=True))
    copies = _copies(declarations())
    for start in range(0, len(pks), ERASE_BATCH):  # every statement stays short
        batch = pks[start : start + ERASE_BATCH]
        for declared in copies:
            rows = declared.named().filter(**{f"{declared.link}__in": batch})
            if declared.on_erase:
                declared.on_erase(rows)
            rows.update(**declared.erase)
        Participant.objects.filter(pk__in=batch).update(display_name="", organisation="")
        unname_admin_log(batch)
    return len(pks)


@transaction.atomic
def erase_then_delete(participants: QuerySet[Participant], delete: Callable, *args, **kwargs):
    """Deleting participants (of a workshop not yet closed): their notes outlive them (SET_NULL,
    the plan may use them), so the copies of the name go first, in the same transaction."""
    erase(participants)
    return delete(*args, **kwargs)


def orphaned_copies() -> list[tuple[PersonalData, QuerySet]]:
    """Copies of a name whose participant row is gone (deleted before erasure reached copies)."""
    found = []
    for declared in _copies(declarations()):
        link = declared.model._meta.get_field(declared.link)
        if link.null and declared.orphans:
            found.append((declared, declared.named().filter(**{f"{declared.link}__isnull": True})))
    return found


@transaction.atomic
def erase_orphaned_copies() -> int:
    changed = 0
    for declared, rows in orphaned_copies():
        if declared.on_erase:
            declared.on_erase(rows)
        changed += rows.update(**declared.erase)
    return changed
