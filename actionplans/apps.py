from __future__ import annotations

from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplans"
    verbose_name = "Action plans"
    nav_order = 30

    def nav_items(self, user) -> list[tuple[str, str]]:
        """CCG leads (and admins) get the "Action items" page across their areas."""
        from django.urls import reverse

        from workshops.roles import is_ccg_lead

        if user.is_authenticated and (user.is_superuser or is_ccg_lead(user)):
            return [("Action items", reverse("action_items"))]
        return []

    def actions_to_review(self, workshop) -> dict | None:
        """For the live console of a follow-up: the earlier actions to review before re-rating."""
        from django.urls import reverse

        from .queries import items_for_review, reviewed_workshop

        previous = reviewed_workshop(workshop)
        if previous is None:
            return None
        count = items_for_review(workshop, previous).count()
        if not count:
            return None
        return {"url": reverse("actionplan_review", args=[workshop.pk]), "count": count, "previous": previous}

    def participant_data(self) -> list:
        """The models holding rows about a participant (notes, dots), for the subject-access
        export and erasure in ratings.participant_data."""
        from .participant_data import participant_data

        return participant_data()

    def live_panels(self, workshop, role: str, participant=None) -> list[dict]:
        """Notes and dot-voting on the ratings app's live pages: role is console, projector or phone."""
        from .notes_panels import live_panels

        return live_panels(workshop, role, participant)

    def live_stamp(self) -> dict:
        """Parts of the console's and projector's poll stamp, as expressions on the workshop
        row (OuterRef("pk")), so an unchanged poll still costs one query: here the count of
        note and dot changes, None (left out) until notes or dots are first opened."""
        from django.db.models import OuterRef, Subquery

        from .notes_models import LiveNotes

        activity = LiveNotes.objects.filter(workshop_id=OuterRef("pk")).values("activity")[:1]
        return {"notes_activity": Subquery(activity)}

    def erase_personal_data(self, days: int, *, dry_run: bool = False) -> dict[str, int]:
        """For anonymise_participants (ratings): invitees' and owners' addresses past retention."""
        from .mail_privacy import mail_data_erase

        return mail_data_erase(days, dry_run=dry_run)

    def personal_data_rows(self, email: str) -> list[list[str]]:
        """For export_participant (ratings): what the mail features hold about an address."""
        from .mail_privacy import mail_data_rows

        return mail_data_rows(email)
