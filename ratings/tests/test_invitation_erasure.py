"""An invitee's link ties their email address to their phone identity: erasure (Remove my name,
anonymise_participants) unlinks it and blanks the invited name, and the subject-access export
lists it. Invitations nobody opened keep their names until erase_mail_data's retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ratings.invitation_models import Invitation
from ratings.models import Participant, Sector
from ratings.privacy import participant_export_rows, remove_name
from workshops.models import Workshop


@pytest.fixture
def opened(workshop):
    participant = Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL, display_name="Sam")
    invitation = Invitation.objects.create(
        workshop=workshop,
        name="Sam Lee",
        email="sam@school.example",
        sector=Sector.SCHOOL,
        token_hash="a" * 64,
        participant=participant,
        opened_at=timezone.now(),
    )
    pending = Invitation.objects.create(
        workshop=workshop,
        name="Asha Patel",
        email="asha@nhs.example",
        sector=Sector.SCHOOL,
        token_hash="b" * 64,
    )
    return participant, invitation, pending


@pytest.mark.django_db
def test_the_subject_access_export_lists_the_invitation(opened):
    participant, _invitation, _pending = opened
    cells = " | ".join(str(cell) for row in participant_export_rows(participant) for cell in row)
    assert "Sam Lee" in cells and "sam@school.example" in cells
    assert "asha@nhs.example" not in cells and "Asha" not in cells


@pytest.mark.django_db
def test_remove_my_name_unlinks_the_invitation_and_blanks_its_name(opened):
    participant, invitation, pending = opened
    remove_name(participant)
    invitation.refresh_from_db()
    assert invitation.participant_id is None and invitation.name == ""
    assert Invitation.objects.get(pk=pending.pk).name == "Asha Patel"  # somebody else's


@pytest.mark.django_db
def test_anonymise_reaches_invitations_and_leaves_unopened_ones(opened, workshop):
    participant, invitation, pending = opened
    Participant.objects.filter(pk=participant.pk).update(display_name="")  # only the link is left
    Workshop.objects.filter(pk=workshop.pk).update(
        status=Workshop.Status.CLOSED, closed_at=timezone.now() - dt.timedelta(days=1)
    )
    call_command("anonymise_participants", "--older-than", "0", stdout=open("/dev/null", "w"))
    invitation.refresh_from_db()
    assert invitation.participant_id is None and invitation.name == ""
    assert Invitation.objects.get(pk=pending.pk).name == "Asha Patel"
