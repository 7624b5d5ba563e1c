"""Action-plan pages: the per-workshop editing page, a self-contained section per domain
(htmx partial or page of its own), the follow-up review, the HTML preview and the PDF.

Seeing a plan follows the workshop rule (404 otherwise); editing is for the workshop's
facilitators and, once it is closed, its area's CCG leads. Others who may see the plan get its
pages without forms, and 403 from every edit endpoint (any POST, and the item edit form).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratings.models import Consensus
from ratings.results import workshop_results
from workshops.access import get_workshop_for_user
from workshops.models import Domain, Level, Workshop

from .access import PlanAccess, plan_access, review_access
from .document import render_action_plan_html, render_action_plan_pdf
from .forms import ActionItemForm, DomainPlanForm, ItemReviewForm
from .models import ActionItem, DomainPlan, PlanEdit
from .notes_queries import plan_notes, priorities_chosen_by
from .queries import items_for_review, review_rows, reviewed_workshop
from .rules import MAX_PRIORITIES, plan_filename
from .services import (
    EditConflict,
    ItemInUse,
    PriorityLimitReached,
    action_item_create,
    action_item_delete,
    action_item_update,
    domain_plan_save,
    item_review_save,
)

HISTORY_LENGTH = 30


# --- objects for this user -------------------------------------------------------------


def _get_workshop_for_user(request, pk: int) -> tuple[Workshop, PlanAccess]:
    """The workshop (404 unless its facilitator, its area's lead or an admin) and edit rights."""
    workshop = get_workshop_for_user(request, pk)
    return workshop, plan_access(request.user, workshop)


def _get_domain_for_user(workshop: Workshop, code: str) -> Domain:
    return get_object_or_404(Domain, framework_id=workshop.framework_id, code=code)


def _get_item_for_user(workshop: Workshop, item_pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.select_related("domain", "updated_by"), pk=item_pk, workshop=workshop
    )


def _get_review_item_for_user(workshop: Workshop, item_pk: int) -> ActionItem:
    """An earlier item this (follow-up) workshop reviews; 404 for any other item."""
    return get_object_or_404(items_for_review(workshop, reviewed_workshop(workshop)), pk=item_pk)


def _forbidden(request, workshop: Workshop, access: PlanAccess) -> HttpResponse:
    return render(
        request, "actionplans/forbidden.html", {"workshop": workshop, "reason": access.reason}, status=403
    )


def _plan_prefix(domain: Domain) -> str:
    return f"plan-{domain.pk}"


def _item_prefix(item: ActionItem) -> str:
    return f"item-{item.pk}"


def _new_item_prefix(domain: Domain) -> str:
    return f"new-{domain.pk}"


def _review_prefix(item: ActionItem) -> str:
    return f"review-{item.pk}"


def _edit_url(workshop: Workshop, anchor: str = "") -> str:
    url = reverse("actionplan_edit", args=[workshop.pk])
    return f"{url}#{anchor}" if anchor else url


# --- building blocks shared by the page and the partials ---------------------------------


def _domain_block(
    workshop: Workshop,
    access: PlanAccess,
    domain: Domain,
    *,
    level: int | None,
    label: str,
    plan: DomainPlan | None,
    items: list[ActionItem],
    plan_form: DomainPlanForm | None = None,
    editing: ActionItem | None = None,
    item_form: ActionItemForm | None = None,
    new_item_form: ActionItemForm | None = None,
    notice: str = "",
    notes: dict | None = None,
) -> dict:
    """Everything one domain's section shows; forms only for those who may edit."""
    block = {
        "domain": domain,
        "level": level,
        "label": label,
        "plan": plan,
        "items": items,
        "editing": editing,
        "item_form": item_form,
        "notice": notice,
        "notes": notes,  # what phones wrote, beside the three boxes
        "plan_form": None,
        "new_item_form": None,
    }
    if access.can_edit:
        block["plan_form"] = plan_form or DomainPlanForm.for_plan(plan, prefix=_plan_prefix(domain))
        block["new_item_form"] = new_item_form or ActionItemForm(
            prefix=_new_item_prefix(domain), creating=True
        )
    return block


def _single_domain_block(workshop: Workshop, access: PlanAccess, domain: Domain, **kwargs) -> dict:
    """The block for one domain, read fresh (for partial responses)."""
    consensus = Consensus.objects.filter(workshop=workshop, domain=domain).first()
    level = consensus.level if consensus else None
    label = ""
    if level is not None:
        label = (
            Level.objects.filter(framework_id=workshop.framework_id, score=level)
            .values_list("label", flat=True)
            .first()
            or ""
        )
    plan = DomainPlan.objects.select_related("updated_by").filter(workshop=workshop, domain=domain).first()
    items = list(
        ActionItem.objects.filter(workshop=workshop, domain=domain)
        .select_related("updated_by", "domain")
        .prefetch_related("owner_updates")
    )
    notes = plan_notes(workshop, domain).get(domain.pk)
    return _domain_block(
        workshop, access, domain, level=level, label=label, plan=plan, items=items, notes=notes, **kwargs
    )


def _review_block(
    workshop: Workshop, access: PlanAccess, *, forms: dict | None = None, notice: str = ""
) -> dict:
    previous = reviewed_workshop(workshop)
    rows = review_rows(workshop, previous)
    forms = forms or {}
    for row in rows:
        row.form = None
        if access.can_edit:
            row.form = forms.get(row.item.pk) or ItemReviewForm.for_review(
                row.review, row.item, row.status_before, prefix=_review_prefix(row.item)
            )
    return {"previous": previous, "rows": rows, "notice": notice}


def _priority_codes(workshop: Workshop) -> list[str]:
    return list(
        DomainPlan.objects.filter(workshop=workshop, is_priority=True)
        .order_by("domain__position")
        .values_list("domain__code", flat=True)
    )


def _respond(request, partial: str, page: str, context: dict) -> HttpResponse:
    """The partial for htmx requests, a page of its own otherwise (works without JS)."""
    return render(request, partial if request.htmx else page, context)


def _domain_response(
    request, workshop: Workshop, access: PlanAccess, domain: Domain, *, partial_only=False, **block
):
    """One domain's section re-read: alone for htmx (or when asked), in a page of its own otherwise."""
    context = {
        "workshop": workshop,
        "access": access,
        "section": _single_domain_block(workshop, access, domain, **block),
    }
    if request.htmx and request.method == "POST":
        # The History panel is outside the swapped section: refresh it out of band.
        context["history"] = _history(workshop)
        return render(request, "actionplans/_domain_saved.html", context)
    if partial_only or request.htmx:
        return render(request, "actionplans/_domain.html", context)
    return render(request, "actionplans/domain_page.html", context)


# --- the editing page ---------------------------------------------------------------------


def _history(workshop: Workshop) -> list[PlanEdit]:
    return list(
        PlanEdit.objects.filter(workshop=workshop).select_related("edited_by", "domain")[:HISTORY_LENGTH]
    )


@login_required
@require_GET
def plan_edit(request, pk: int):
    """The whole action plan of a workshop: review, notes and actions per domain, history."""
    workshop, access = _get_workshop_for_user(request, pk)
    results = workshop_results(workshop)
    plans = {
        p.domain_id: p for p in DomainPlan.objects.filter(workshop=workshop).select_related("updated_by")
    }
    items_by_domain: dict[int, list[ActionItem]] = {}
    items = ActionItem.objects.filter(workshop=workshop).select_related("updated_by", "domain")
    for item in items.prefetch_related("owner_updates"):
        items_by_domain.setdefault(item.domain_id, []).append(item)
    notes = plan_notes(workshop)
    blocks = [
        _domain_block(
            workshop,
            access,
            result.domain,
            level=result.level,
            label=result.label,
            plan=plans.get(result.domain.pk),
            items=items_by_domain.get(result.domain.pk, []),
            notes=notes.get(result.domain.pk),
        )
        for result in results.domains
    ]
    history = _history(workshop)
    return render(
        request,
        "actionplans/plan_edit.html",
        {
            "workshop": workshop,
            "access": access,
            "sections": blocks,
            "review": _review_block(workshop, review_access(request.user, workshop, access))
            if workshop.is_follow_up
            else None,
            "priorities": [b["domain"].code for b in blocks if b["plan"] and b["plan"].is_priority],
            "max_priorities": MAX_PRIORITIES,
            "priorities_chosen_by": priorities_chosen_by(workshop),
            "history": history,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_domain(request, pk: int, code: str):
    """One domain's section: GET shows it, POST saves its notes and priority flag."""
    workshop, access = _get_workshop_for_user(request, pk)
    domain = _get_domain_for_user(workshop, code)
    form = None
    notice = ""
    if request.method == "POST":
        if not access.can_edit:
            return _forbidden(request, workshop, access)
        form = DomainPlanForm(request.POST, prefix=_plan_prefix(domain))
        if form.is_valid():
            try:
                domain_plan_save(
                    workshop,
                    domain,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    user=request.user,
                )
            except EditConflict as conflict:
                form = form.with_conflict(conflict.current)
            except PriorityLimitReached as limit:
                form.add_error("is_priority", str(limit))
            else:
                if not request.htmx:
                    messages.success(request, f"{domain.code} saved.")
                    return redirect(_edit_url(workshop, f"domain-{domain.code}"))
                form, notice = None, "Saved."
    return _domain_response(request, workshop, access, domain, plan_form=form, notice=notice)


@login_required
@require_POST
def item_create(request, pk: int, code: str):
    workshop, access = _get_workshop_for_user(request, pk)
    domain = _get_domain_for_user(workshop, code)
    if not access.can_edit:
        return _forbidden(request, workshop, access)
    form = ActionItemForm(request.POST, prefix=_new_item_prefix(domain), creating=True)
    notice = ""
    if form.is_valid():
        action_item_create(workshop, domain, data=form.cleaned_data, user=request.user)
        if not request.htmx:
            messages.success(request, f"Action added to {domain.code}.")
            return redirect(_edit_url(workshop, f"domain-{domain.code}"))
        form, notice = None, "Action added."
    return _domain_response(request, workshop, access, domain, new_item_form=form, notice=notice)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item_pk: int):
    """Edit one action (inside its domain's section with htmx, a page of its own without)."""
    workshop, access = _get_workshop_for_user(request, pk)
    item = _get_item_for_user(workshop, item_pk)
    if not access.can_edit:
        return _forbidden(request, workshop, access)  # the edit form itself, GET or POST
    form = ActionItemForm.for_item(item, prefix=_item_prefix(item))
    if request.method == "POST":
        form = ActionItemForm(request.POST, prefix=_item_prefix(item))
        if form.is_valid():
            try:
                action_item_update(
                    item, data=form.cleaned_data, version=form.cleaned_data["version"], user=request.user
                )
            except EditConflict as conflict:
                if conflict.current is None:
                    return _item_gone(request, workshop, access, item)
                form = form.with_conflict(conflict.current)
            else:
                if not request.htmx:
                    messages.success(request, "Action saved.")
                    return redirect(_edit_url(workshop, f"domain-{item.domain.code}"))
                return _domain_response(
                    request, workshop, access, item.domain, partial_only=True, notice="Action saved."
                )
    if request.htmx:
        return _domain_response(request, workshop, access, item.domain, editing=item, item_form=form)
    return render(
        request,
        "actionplans/item_edit.html",
        {"workshop": workshop, "access": access, "item": item, "form": form},
    )


def _item_gone(request, workshop: Workshop, access: PlanAccess, item: ActionItem) -> HttpResponse:
    text = "Someone deleted this action while you were editing it; your changes were not saved."
    if not request.htmx:
        messages.error(request, text)
        return redirect(_edit_url(workshop, f"domain-{item.domain.code}"))
    return _domain_response(request, workshop, access, item.domain, partial_only=True, notice=text)


@login_required
@require_POST
def item_delete(request, pk: int, item_pk: int):
    workshop, access = _get_workshop_for_user(request, pk)
    item = _get_item_for_user(workshop, item_pk)
    if not access.can_edit:
        return _forbidden(request, workshop, access)
    notice = ""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse("The form was incomplete (no version); reload the page.", status=400)
    try:
        action_item_delete(item, version=version, user=request.user)
        notice = "Action deleted."
    except EditConflict:
        notice = (
            "Someone changed this action since you loaded it; check it below "
            "and delete it again if you still want to."
        )
    except ItemInUse as in_use:
        notice = str(in_use)
    if not request.htmx:
        (messages.success if notice == "Action deleted." else messages.error)(request, notice)
        return redirect(_edit_url(workshop, f"domain-{item.domain.code}"))
    return _domain_response(request, workshop, access, item.domain, partial_only=True, notice=notice)


# --- the follow-up review -----------------------------------------------------------------


@login_required
@require_GET
def plan_review(request, pk: int):
    """The previous workshop's actions for review (a tab of the console can embed this)."""
    workshop, access = _get_workshop_for_user(request, pk)
    access = review_access(request.user, workshop, access)
    return _respond(
        request,
        "actionplans/_review.html",
        "actionplans/review_page.html",
        {"workshop": workshop, "access": access, "review": _review_block(workshop, access)},
    )


@login_required
@require_POST
def review_item(request, pk: int, item_pk: int):
    workshop, access = _get_workshop_for_user(request, pk)
    item = _get_review_item_for_user(workshop, item_pk)
    access = review_access(request.user, workshop, access)
    if not access.can_edit:
        return _forbidden(request, workshop, access)
    form = ItemReviewForm(request.POST, prefix=_review_prefix(item))
    forms = {}
    notice = ""
    if form.is_valid():
        try:
            item_review_save(
                workshop,
                item,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
                user=request.user,
            )
        except EditConflict as conflict:
            forms[item.pk] = form.with_conflict(conflict.current)
        else:
            if not request.htmx:
                messages.success(request, "Review saved.")
                return redirect(_edit_url(workshop, "review"))
            notice = "Review saved."
    else:
        forms[item.pk] = form
    return _respond(
        request,
        "actionplans/_review.html",
        "actionplans/review_page.html",
        {
            "workshop": workshop,
            "access": access,
            "review": _review_block(workshop, access, forms=forms, notice=notice),
        },
    )


# --- preview and PDF ------------------------------------------------------------------------


@login_required
@require_GET
def plan_preview(request, pk: int):
    """The PDF's own template, as an HTML page."""
    workshop, _access = _get_workshop_for_user(request, pk)
    html = render_action_plan_html(
        workshop,
        for_pdf=False,
        user=request.user,
        extra={
            "back_url": _edit_url(workshop),
            "pdf_url": reverse("actionplan_pdf", args=[workshop.pk]),
        },
    )
    return HttpResponse(html)


@login_required
@require_GET
def plan_pdf(request, pk: int):
    workshop, _access = _get_workshop_for_user(request, pk)
    response = HttpResponse(render_action_plan_pdf(workshop, request.user), content_type="application/pdf")
    filename = plan_filename(workshop.area.code, workshop.date)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
