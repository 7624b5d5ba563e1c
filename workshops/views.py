from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .access import get_workshop_for_user
from .forms import WorkshopForm
from .models import Descriptor, Framework, Workshop
from .roles import is_facilitator
from .tables import LIST_PAGE_SIZE, WORKSHOP_ROW_FIELDS, BoundedRequestConfig, WorkshopFilter, WorkshopTable


def _get_workshop_for_user(
    request, pk: int, *, facilitate: bool = False, edit_details: bool = False
) -> Workshop:
    return get_workshop_for_user(request, pk, facilitate=facilitate, edit_details=edit_details)


def _get_framework_for_user(request, pk: int) -> Framework:
    # The framework text is reference material: every signed-in user may read it.
    return get_object_or_404(Framework, pk=pk)


@login_required
def home(request):
    workshops = Workshop.objects.visible_to(request.user)
    workshop_filter = WorkshopFilter(request.GET or None, queryset=workshops, user=request.user)
    table = WorkshopTable(workshop_filter.qs.values(*WORKSHOP_ROW_FIELDS))
    BoundedRequestConfig(request, paginate={"per_page": LIST_PAGE_SIZE}).configure(table)
    return render(
        request,
        "workshops/home.html",
        {
            "table": table,
            "filter": workshop_filter,
            "can_create": is_facilitator(request.user),
            "has_any": workshops.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request):
    if not is_facilitator(request.user):
        raise Http404("Only facilitators create workshops.")
    form = WorkshopForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        workshop = form.save()
        messages.success(
            request, f"Workshop “{workshop.title}” created. Join code {workshop.join_code_display}."
        )
        return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk: int):
    workshop = _get_workshop_for_user(request, pk, edit_details=True)
    form = WorkshopForm(request.POST or None, instance=workshop, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Workshop saved.")
        return redirect(workshop)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": workshop})


@login_required
def workshop_detail(request, pk: int):
    workshop = _get_workshop_for_user(request, pk)
    can_facilitate = workshop.is_facilitated_by(request.user)
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "can_facilitate": can_facilitate,
            "can_edit": can_facilitate
            and (
                request.user.is_superuser
                or Workshop.objects.editable_by(request.user).filter(pk=workshop.pk).exists()
            ),
            "facilitators": workshop.facilitators.order_by("first_name", "username"),
        },
    )


@login_required
def framework_list(request):
    frameworks = Framework.objects.all()
    return render(request, "workshops/framework_list.html", {"frameworks": frameworks})


@login_required
def framework_detail(request, pk: int):
    framework = _get_framework_for_user(request, pk)
    levels = list(framework.levels.all())
    domains = framework.domains.prefetch_related(
        Prefetch("descriptors", queryset=Descriptor.objects.select_related("level"))
    )
    rows = []
    for domain in domains:
        by_level = {d.level_id: d.text for d in domain.descriptors.all()}
        rows.append((domain, [by_level.get(level.pk, "") for level in levels]))
    return render(
        request,
        "workshops/framework_detail.html",
        {"framework": framework, "levels": levels, "rows": rows},
    )
