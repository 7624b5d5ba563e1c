from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Prefetch, Q

from .models import FACILITATORS_GROUP, Area, Framework, Programme, Workshop

MAX_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database column holds before querying: SQLite raises OverflowError on
    them in the IN (…) lookup (Django guards exact lookups, not `__in`), which was a 500."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip()
            if text.lstrip("-").isascii() and text.lstrip("-").isdigit() and abs(int(text)) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text[:20]}
                )
        return super()._check_values(value)


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "area",
            "programme",
            "phase",
            "date",
            "venue",
            "framework",
            "facilitators",
            "agreement_share",
            "auto_reveal",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "facilitators": forms.CheckboxSelectMultiple,
        }
        labels = {"facilitators": "Co-facilitators"}
        field_classes = {"facilitators": BoundedModelMultipleChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._limit_choices_to_assigned_areas(user)
        self.fields["agreement_share"].help_text = (
            "Share of voters who must agree a level has been reached: 0.80 means at least 8 in 10; "
            "1.00 is the strict weakest link (the lowest vote)."
        )
        if not self.instance.pk:
            self.fields["framework"].initial = Framework.get_default()
        elif self.instance.status != Workshop.Status.DRAFT:
            # Ratings are recorded against this framework's domains and levels.
            self.fields["framework"].disabled = True
            self.fields["framework"].help_text = "Fixed once the workshop has started."
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save workshop"))

    def _limit_choices_to_assigned_areas(self, user) -> None:
        """Areas, programmes and co-facilitators come from the user's assigned areas only, so
        the form neither offers nor accepts (nor, in its errors, reveals) anything else."""
        areas = Area.objects.assigned_to(user) if user is not None else Area.objects.none()
        self.fields["area"].queryset = areas.order_by("name", "code")
        self.fields["programme"].queryset = programmes_for_areas(user, areas, self.instance)
        if not self.fields["area"].queryset.exists():
            self.fields[
                "area"
            ].help_text = "You are not assigned to any area yet: an admin assigns facilitators to areas."
        users = get_user_model().objects.filter(groups__name=FACILITATORS_GROUP, is_active=True)
        if user is not None and not user.is_superuser:
            users = users.filter(assigned_areas__in=areas)
        # Each name says which of the user's areas that colleague is assigned to, so the choice
        # is clear when the user has several areas; the server checks the chosen area (clean).
        # (pk__in: the prefetch's own join on the same many-to-many must not meet the user filter)
        mine = Area.objects.filter(pk__in=areas.values("pk")).order_by("name")
        shared = Prefetch("assigned_areas", queryset=mine, to_attr="shared_areas")
        self.fields["facilitators"].queryset = (
            users.exclude(pk=getattr(user, "pk", None))
            .distinct()
            .order_by("first_name", "last_name", "username")
            .prefetch_related(shared)
        )
        self.fields["facilitators"].label_from_instance = _facilitator_label
        self.fields["facilitators"].required = False
        self.fields[
            "facilitators"
        ].help_text = "Only facilitators assigned to the workshop's area can be added."
        if not self.fields["facilitators"].queryset.exists():
            self.fields["facilitators"].help_text = "No other facilitators are assigned to your areas yet."

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        chosen = cleaned.get("facilitators")
        if area is not None and chosen:
            assigned = set(
                area.facilitators.filter(pk__in=[u.pk for u in chosen]).values_list("pk", flat=True)
            )
            strangers = [u for u in chosen if u.pk not in assigned]
            if strangers:
                names = ", ".join(u.get_full_name() or u.username for u in strangers)
                self.add_error("facilitators", f"Not assigned to {area.name}: {names}.")
        return cleaned

    def clean_framework(self):
        framework = self.cleaned_data["framework"]
        errors = framework.structure_errors()
        if errors:
            raise forms.ValidationError(["This framework is incomplete."] + errors)
        return framework

    def save(self, commit: bool = True) -> Workshop:
        creating = self.instance.pk is None
        workshop = super().save(commit=False)
        if creating:
            workshop.created_by = self.user
        if commit:
            workshop.save()
            others = set(self.cleaned_data["facilitators"])
            if self.user is not None and (creating or self.user in workshop.facilitators.all()):
                others.add(self.user)
            # Keep facilitators the form cannot show (e.g. the creator when an admin edits).
            hidden = set(workshop.facilitators.exclude(pk__in=self.fields["facilitators"].queryset))
            workshop.facilitators.set(others | hidden)
        return workshop


def _facilitator_label(user) -> str:
    name = user.get_full_name() or user.username
    areas = [area.name for area in getattr(user, "shared_areas", [])]
    return f"{name} ({', '.join(areas)})" if areas else name


def programmes_for_areas(user, areas, instance: Workshop | None = None):
    """Programmes a facilitator may file a workshop under: those with a workshop in one of their
    areas, and new programmes that have no workshop yet (an admin just created them). Programmes
    running only in other areas stay hidden. Admins: all. Editing keeps the current one."""
    if user is None:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    rule = Q(workshops__area__in=areas) | Q(workshops__isnull=True)
    if instance is not None and instance.programme_id:
        rule |= Q(pk=instance.programme_id)
    return Programme.objects.filter(pk__in=Programme.objects.filter(rule).values("pk")).order_by("name")


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus, so the page is read from the top: its first lines
    tell a participant who lands there by mistake that they need no account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.widget.attrs.pop("autofocus", None)
        # Django sets max_length after the field is built, so it never checks it: a 300-character
        # name reached django-axes, whose record of the failure (255 characters) was a 500 on
        # PostgreSQL (issue 21's fuzzing).
        username.validators.append(MaxLengthValidator(username.max_length))
