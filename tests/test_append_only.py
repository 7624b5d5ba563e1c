"""The record is append-only (issue 9, section 2): consensus history, plan edit history (which
holds every review of an earlier action too) cannot be added, changed or deleted by anyone, in
the admin or in code; participants of a closed workshop cannot be deleted."""

from __future__ import annotations

import pytest
from django.db import models

from actionplans.models import ActionItem, OwnerUpdate, PlanEdit
from ratings.models import Consensus, ConsensusChange, Participant, Round, Vote
from workshops.append_only import AppendOnlyError
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(workshop, facilitator) -> ConsensusChange:
    domain = workshop.framework.domains.first()
    return ConsensusChange.objects.create(
        workshop=workshop, domain=domain, new_level=2, changed_by=facilitator
    )


@pytest.fixture
def edit(workshop, facilitator) -> PlanEdit:
    domain = workshop.framework.domains.first()
    return PlanEdit.objects.create(
        workshop=workshop, domain=domain, kind=PlanEdit.Kind.REVIEW, summary="Reviewed", edited_by=facilitator
    )


@pytest.fixture
def owner_update(workshop) -> OwnerUpdate:
    item = ActionItem.objects.create(
        workshop=workshop, domain=workshop.framework.domains.first(), description="A"
    )
    return OwnerUpdate.objects.create(workshop=workshop, item=item, status="done", note="Done by the owner")


@pytest.fixture
def closed_with_votes(workshop):
    domain = workshop.framework.domains.first()
    person = Participant.objects.create(
        workshop=workshop, display_name="Pat", organisation="School", sector="school"
    )
    rnd = Round.objects.create(workshop=workshop, domain=domain, status=Round.Status.CLOSED)
    Vote.objects.create(round=rnd, participant=person, level=2)
    workshop.status = Workshop.Status.CLOSED
    workshop.save(update_fields=["status"])
    return person


@pytest.mark.parametrize("record", ["change", "edit"])
def test_a_saved_history_row_cannot_be_changed(record, request):
    row = request.getfixturevalue(record)
    if record == "change":
        row.new_level = 0
    else:
        row.summary = "Rewritten"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.save(update_fields=["pk"] if False else None, force_update=True)


@pytest.mark.parametrize("record", ["change", "edit"])
def test_a_history_row_cannot_be_deleted(record, request):
    row = request.getfixturevalue(record)
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", [ConsensusChange, PlanEdit])
def test_history_querysets_refuse_update_delete_and_bulk_update(model, change, edit):
    before = list(model.objects.values())
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(pk=models.F("pk"))
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk__gt=0).delete()
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_update(list(model.objects.all()), ["workshop"])
    assert list(model.objects.values()) == before


def test_history_rows_are_still_added_by_create_and_bulk_create(workshop, facilitator):
    domain = workshop.framework.domains.first()
    ConsensusChange.objects.bulk_create([ConsensusChange(workshop=workshop, domain=domain, new_level=1)])
    assert ConsensusChange.objects.count() == 1


def test_deleting_an_item_leaves_its_edit_history_as_it_was(workshop, facilitator):
    from actionplans.services import action_item_create, action_item_delete

    domain = workshop.framework.domains.first()
    item = action_item_create(
        workshop,
        domain,
        data={
            "description": "Do it",
            "owner_name": "",
            "owner_organisation": "",
            "due_date": None,
            "status": "not_started",
            "note": "",
        },
        user=facilitator,
    )
    added = PlanEdit.objects.get(kind=PlanEdit.Kind.ITEM_ADDED)
    action_item_delete(ActionItem.objects.get(pk=item.pk), version=item.version, user=facilitator)
    added.refresh_from_db()
    assert added.item_id == item.pk  # not set to NULL: the row is never updated
    assert PlanEdit.objects.filter(kind=PlanEdit.Kind.ITEM_DELETED).count() == 1


# --- the admin, superusers included ----------------------------------------------------------------

HISTORY_ADMIN = {
    "change": "ratings/consensuschange",
    "edit": "actionplans/planedit",
    "owner_update": "actionplans/ownerupdate",
}


@pytest.mark.parametrize("record", ["change", "edit", "owner_update"])
def test_the_admin_shows_history_but_refuses_add_change_and_delete(record, request, admin_user, client_for):
    row = request.getfixturevalue(record)
    client = client_for(admin_user)
    base = f"/admin/{HISTORY_ADMIN[record]}/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{row.pk}/change/")
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split("<form")[-1]
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{row.pk}/change/", {"reason": "x", "summary": "x"}).status_code == 403
    assert client.get(f"{base}{row.pk}/delete/").status_code == 403
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(base, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert type(row).objects.filter(pk=row.pk).exists()
    assert response.status_code in (200, 302)


def test_agreed_levels_are_read_only_in_the_admin(workshop, admin_user, client_for):
    domain = workshop.framework.domains.first()
    consensus = Consensus.objects.create(workshop=workshop, domain=domain, level=2)
    client = client_for(admin_user)
    assert client.post(f"/admin/ratings/consensus/{consensus.pk}/change/", {"level": 0}).status_code == 403
    consensus.refresh_from_db()
    assert consensus.level == 2


# --- participants of a closed workshop ---------------------------------------------------------------


def test_a_participant_of_a_closed_workshop_cannot_be_deleted(closed_with_votes):
    with pytest.raises(models.ProtectedError):
        closed_with_votes.delete()
    with pytest.raises(models.ProtectedError):
        Participant.objects.all().delete()
    assert Vote.objects.count() == 1


def test_the_admin_refuses_to_delete_a_participant_of_a_closed_workshop(
    closed_with_votes, admin_user, client_for
):
    client = client_for(admin_user)
    url = f"/admin/ratings/participant/{closed_with_votes.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/ratings/participant/").content.decode()
    assert "delete_selected" not in changelist and "anonymise" in changelist
    assert Vote.objects.count() == 1


def test_the_admin_anonymises_a_participant_and_keeps_the_votes(closed_with_votes, admin_user, client_for):
    response = client_for(admin_user).post(
        "/admin/ratings/participant/", {"action": "anonymise", "_selected_action": [closed_with_votes.pk]}
    )
    assert response.status_code == 302
    closed_with_votes.refresh_from_db()
    assert (closed_with_votes.display_name, closed_with_votes.organisation, closed_with_votes.sector) == (
        "",
        "",
        "school",
    )
    assert Vote.objects.get().level == 2


def test_a_participant_of_a_draft_workshop_can_still_be_deleted(workshop):
    person = Participant.objects.create(workshop=workshop, sector="school")
    person.delete()
    assert not Participant.objects.exists()


def test_a_closed_workshop_cannot_be_deleted_in_the_admin(
    closed_with_votes, workshop, admin_user, client_for
):
    assert client_for(admin_user).get(f"/admin/workshops/workshop/{workshop.pk}/delete/").status_code == 403
    assert Workshop.objects.filter(pk=workshop.pk).exists()


def test_admin_forms_hide_internal_fields(workshop, closed_with_votes, admin_user, client_for):
    client = client_for(admin_user)
    workshop_form = client.get(f"/admin/workshops/workshop/{workshop.pk}/change/").content.decode()
    assert "state_version" not in workshop_form and "current_domain" not in workshop_form
    participant_form = client.get(
        f"/admin/ratings/participant/{closed_with_votes.pk}/change/"
    ).content.decode()
    assert closed_with_votes.token not in participant_form
    assert 'name="token"' not in participant_form and "Token" not in participant_form


def test_a_user_named_in_the_history_cannot_be_deleted(change, edit, facilitator, admin_user, client_for):
    """Deleting them would blank "who" in the record (an update); deactivate them instead."""
    with pytest.raises(models.ProtectedError):
        facilitator.delete()
    page = client_for(admin_user).post(f"/admin/auth/user/{facilitator.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200 and "Cannot delete user" in page.content.decode()
    change.refresh_from_db()
    assert change.changed_by == facilitator
