"""The owner's page (no log-in: a personal link) and the plan page's owner-link controls.

The owner sees only their own actions in that workshop and may change only the status and a
short progress note. A revoked or expired link answers 410 saying which; an unknown one 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ratings.hall import is_loopback
from workshops.access import get_workshop_for_user
from workshops.mail import public_base

from .access import plan_access
from .models import ActionItem, ItemStatus, OwnerLink
from .owner_models import OWNER_NOTE_MAX
from .owners import (
    LinkState,
    owner_emails,
    owner_items,
    owner_link_find,
    owner_link_state,
    owner_links_revoke,
    owner_notices_queue,
    owner_update_save,
)
from .rules import normalise_text


class OwnerUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ItemStatus.choices)
    note = forms.CharField(
        label="Progress note (optional)",
        max_length=OWNER_NOTE_MAX,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Up to {OWNER_NOTE_MAX} characters.",
    )

    def clean_note(self) -> str:
        return normalise_text(self.cleaned_data["note"])


def _get_link_for_owner(request, token: str) -> OwnerLink:
    """The owner's link; 404 when unknown. Revoked or expired links are answered by the caller."""
    link = owner_link_find(token)
    if link is None:
        raise Http404("This link is not valid.")
    return link


def _gone(request, link: OwnerLink, state: str) -> HttpResponse:
    return render(request, "actionplans/owner_link_gone.html", {"link": link, "state": state}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def owner_page(request, token: str):
    link = _get_link_for_owner(request, token)
    state = owner_link_state(link)
    if state != LinkState.OK:
        return _gone(request, link, state)
    if link.opened_at is None:
        OwnerLink.objects.filter(pk=link.pk).update(opened_at=timezone.now())
    items = list(owner_items(link.workshop_id, link.email).prefetch_related("owner_updates"))
    bound: dict[int, OwnerUpdateForm] = {}
    status = 200
    if request.method == "POST":
        try:
            item_pk = int(request.POST.get("item", ""))
        except ValueError:
            item_pk = 0
        item = next((i for i in items if i.pk == item_pk), None)
        if item is None:
            return HttpResponse("That action is not one of yours in this workshop.", status=404)
        form = OwnerUpdateForm(request.POST, prefix=f"item-{item.pk}")
        if form.is_valid():
            owner_update_save(link, item, status=form.cleaned_data["status"], note=form.cleaned_data["note"])
            label = dict(ItemStatus.choices)[form.cleaned_data["status"]].lower()
            messages.success(request, f"Saved: “{item.description[:60]}” is now {label}.")
            return redirect(reverse("owner_page", args=[token]) + f"#item-{item.pk}")
        bound[item.pk] = form
        status = 400
    rows = [
        {
            "item": item,
            "form": bound.get(item.pk)
            or OwnerUpdateForm(prefix=f"item-{item.pk}", initial={"status": item.status}),
        }
        for item in items
    ]
    return render(
        request, "actionplans/owner_page.html", {"workshop": link.workshop, "rows": rows}, status=status
    )


NOT_ALLOWED = "Only the workshop's facilitators and its area's CCG leads send and revoke owner links."


def _get_owner_workshop_for_user(request, pk: int):
    """Facilitators, the area's leads and admins manage owner links; 403 for other viewers."""
    workshop = get_workshop_for_user(request, pk)
    access = plan_access(request.user, workshop)
    allowed = access.can_edit or workshop.area.leads.filter(pk=request.user.pk).exists()
    return workshop, allowed


def _posted_owner_email(request, workshop) -> str | None:
    """The posted address, normalised; None when no action of the workshop has it ("" if blank)."""
    email = request.POST.get("email", "").strip().lower()
    if email and (len(email) > 254 or email not in owner_emails(workshop)):
        return None
    return email


NO_SUCH_OWNER = "No action of this workshop has that owner email."


@login_required
@require_POST
def owners_notify(request, pk: int):
    workshop, allowed = _get_owner_workshop_for_user(request, pk)
    if not allowed:
        return HttpResponse(NOT_ALLOWED, status=403)
    again = _posted_owner_email(request, workshop)
    if again is None:
        return HttpResponse(NO_SUCH_OWNER, status=400)
    queued = owner_notices_queue(workshop, again=again)
    if queued:
        messages.success(request, f"{queued} owner(s) will get their link with the next mail run.")
    else:
        messages.info(request, "Every owner with an email has been sent their link already.")
    return redirect(reverse("actionplan_edit", args=[workshop.pk]) + "#owners")


@login_required
@require_POST
def owners_revoke(request, pk: int):
    workshop, allowed = _get_owner_workshop_for_user(request, pk)
    if not allowed:
        return HttpResponse(NOT_ALLOWED, status=403)
    email = _posted_owner_email(request, workshop)
    if not email:
        return HttpResponse(NO_SUCH_OWNER, status=400)
    owner_links_revoke(workshop, email, request.user)
    messages.success(request, f"The links of {email} no longer work.")
    return redirect(reverse("actionplan_edit", args=[workshop.pk]) + "#owners")


def owners_panel(workshop, user) -> dict | None:
    """The plan page's "Owners' links" panel, for those who manage them."""
    emails = owner_emails(workshop)
    if not emails:
        return None
    links = (
        OwnerLink.objects.filter(workshop=workshop).order_by("pk").values("email", "revoked_at", "opened_at")
    )
    state = {e: {"email": e, "sent": False, "opened": False, "revoked": False} for e in emails}
    for link in links:
        row = state.get(link["email"].lower())
        if row is None:
            continue
        row["sent"] = True
        row["opened"] = row["opened"] or link["opened_at"] is not None
        row["revoked"] = link["revoked_at"] is not None  # the latest link says (a new one un-revokes)
    return {
        "owners": list(state.values()),
        "loopback": is_loopback(public_base()),
        "base": public_base(),
        "items": ActionItem.objects.filter(workshop=workshop).exclude(owner_email="").count(),
    }
