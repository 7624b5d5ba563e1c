"""Invitee and owner addresses are personal data: erased after retention, exported on request,
never written into the append-only plan history."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actionplans import services
from actionplans.models import ActionItem, OwnerLink, PlanEdit
from actionplans.owners import owner_link_create
from ratings.invitation_models import Invitation
from workshops.mail import new_token, outbox_add
from workshops.mail_models import Outbox
from workshops.models import Workshop

from .conftest import add_item, domain

pytestmark = pytest.mark.django_db


def close(workshop, days_ago: int) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(
        status=Workshop.Status.CLOSED, closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )


@pytest.fixture
def held(workshop):
    item = add_item(workshop, owner_email="ann@example.org")
    owner_link_create(workshop, "ann@example.org")
    Invitation.objects.create(
        workshop=workshop, email="ann@example.org", sector="school", token_hash=new_token()[1]
    )
    outbox_add(
        key="k",
        kind="owner_notice",
        to="ann@example.org",
        template="owner_notice",
        context={"workshop": workshop, "items": [], "url": "u"},
    )
    Outbox.objects.update(created_at=timezone.now() - dt.timedelta(days=400))
    return item


def test_addresses_are_erased_after_retention(workshop, held):
    close(workshop, 400)
    out = StringIO()
    call_command("erase_mail_data", older_than=365, stdout=out)
    assert "1 invitations, 1 owner emails, 1 owner links, 1 outbox messages" in out.getvalue()
    held.refresh_from_db()
    assert held.owner_email == ""
    assert not Invitation.objects.exists() and not OwnerLink.objects.exists() and not Outbox.objects.exists()


def test_addresses_stay_while_the_workshop_is_recent_or_its_follow_up_open(workshop, follow_up, held):
    close(workshop, 10)
    assert call_command("erase_mail_data", older_than=365, stdout=StringIO()) is None
    assert ActionItem.objects.get().owner_email == "ann@example.org"
    close(workshop, 400)  # old, but the follow-up is still to come: the owner's link is in use
    call_command("erase_mail_data", older_than=365, stdout=StringIO())
    assert ActionItem.objects.get().owner_email == "ann@example.org"
    assert not Invitation.objects.exists()


def test_a_dry_run_changes_nothing(workshop, held):
    close(workshop, 400)
    out = StringIO()
    call_command("erase_mail_data", older_than=365, dry_run=True, stdout=out)
    assert out.getvalue().startswith("Would erase 1 invitations")
    assert ActionItem.objects.get().owner_email == "ann@example.org" and Invitation.objects.exists()


def test_the_export_lists_everything_held_about_an_address(workshop, held):
    out = StringIO()
    call_command("export_mail_data", "Ann@Example.org", stdout=out)
    text = out.getvalue()
    for kind in ("invitation", "action owned", "personal link", "email"):
        assert f"\n{kind}," in text
    assert "bob@" not in text


def test_plan_history_never_holds_an_owners_address(workshop, facilitator):
    data = {
        "description": "Act",
        "owner_name": "",
        "owner_organisation": "",
        "owner_email": "ann@example.org",
        "due_date": None,
        "status": "not_started",
        "note": "",
    }
    item = services.action_item_create(workshop, domain(workshop, "C1"), data=data, user=facilitator)
    services.action_item_update(
        item, data=data | {"owner_email": "bob@example.org"}, version=1, user=facilitator
    )
    history = str(list(PlanEdit.objects.values_list("changes", flat=True)))
    assert "example.org" not in history and "an address" in history


def test_the_ratings_commands_reach_it_through_the_app_config():
    from django.apps import apps

    config = apps.get_app_config("actionplans")
    assert config.erase_personal_data(365, dry_run=True)["owner emails"] == 0
    assert config.personal_data_rows("x@example.org")[0][0] == "kind"
