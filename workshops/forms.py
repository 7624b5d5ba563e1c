from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from .models import FACILITATORS_GROUP, Framework, Workshop

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
        users = get_user_model().objects.filter(groups__name=FACILITATORS_GROUP, is_active=True)
        self.fields["facilitators"].queryset = users.exclude(pk=getattr(user, "pk", None)).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["facilitators"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["facilitators"].required = False
        if not self.fields["facilitators"].queryset.exists():
            self.fields["facilitators"].help_text = "No other facilitators have an account yet."
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


class LoginForm(AuthenticationForm):
    """Django's login form without autofocus, so the page is read from the top: its first lines
    tell a participant who lands there by mistake that they need no account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
