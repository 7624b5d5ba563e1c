"""What actionplans holds about a participant, for the subject-access export and erasure
(declared to ratings.participant_data through ActionplansConfig.participant_data).

A note posted with "show my name" copies the name into `Note.author_name`: erasure blanks it
and turns `show_name` off, and the note reads "Anonymous" on the projector, the plan page, the
preview and the PDF. Its words stay (they may already be in the plan's text, which never held
the name). Dots hold no name: they stay, linked to the participant who is now anonymous.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from ratings.models import Participant
from ratings.participant_data import ExportLine, PersonalData

from .notes import KIND_LABELS
from .notes_models import Dot, LiveNotes, Note


def _note_lines(p: Participant) -> list[ExportLine]:
    lines = []
    for note in Note.objects.filter(participant=p).select_related("domain").order_by("created_at", "pk"):
        parts = [f"note {note.domain.code} {KIND_LABELS[note.kind]}"]
        named = note.show_name and note.author_name
        parts.append(f"shown with the name “{note.author_name}”" if named else "anonymous")
        if note.is_hidden:
            parts.append("hidden by the facilitator")
        if note.used_as:
            parts.append(note.get_used_as_display().lower())
        lines.append(("note", ", ".join(parts), note.text, note.updated_at))
    return lines


def _dot_lines(p: Participant) -> list[ExportLine]:
    dots = Dot.objects.filter(participant=p).select_related("domain").order_by("slot")
    return [("dot", f"dot {dot.slot} of 3", dot.domain.code, dot.placed_at) for dot in dots]


def _redraw_walls(notes: QuerySet) -> None:
    """The projector shows bylines: count a change so its next poll redraws the wall."""
    workshops = notes.order_by().values("workshop_id")
    LiveNotes.objects.filter(workshop_id__in=workshops).update(activity=F("activity") + 1)


def participant_data() -> list[PersonalData]:
    return [
        PersonalData(
            Note,
            "participant",
            "note",
            _note_lines,
            erase={"author_name": "", "show_name": False},
            on_erase=_redraw_walls,
        ),
        PersonalData(Dot, "participant", "dot", _dot_lines),
    ]
