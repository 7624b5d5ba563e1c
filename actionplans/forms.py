"""Forms for the action plan. Free text is kept exactly as typed (line breaks included) and is
never interpreted as HTML: templates escape it on the way out.

Each editing form carries the `version` of the row it was loaded from; see services.py.
"""

from __future__ import annotations

from django import forms

from .models import ActionItem, DomainPlan, ItemReview, ItemStatus
from .rules import ITEM_FIELDS, MAX_TEXT, PLAN_FIELDS, normalise_text


class FreeTextField(forms.CharField):
    """Multi-line text, line endings normalised, nothing stripped or rendered."""

    def __init__(self, *, rows: int = 4, max_length: int = MAX_TEXT, required: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, required=required, strip=False, **kwargs)

    def to_python(self, value):
        return normalise_text(super().to_python(value))


class VersionedForm(forms.Form):
    """A form for a row that others may save at the same time."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    compare_fields: tuple[str, ...] = ()

    conflict = None  # the row as saved by someone else, when a save was refused
    conflict_gone = False  # someone deleted the row meanwhile

    def with_conflict(self, current) -> VersionedForm:
        """The same input, re-based on the saved row: the page shows both and asks to merge.

        Saving this form again overwrites `current` on purpose (the user has seen it).
        """
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)
        form = type(self)(data, prefix=self.prefix, **self.extra_kwargs())
        form.is_valid()
        form.conflict = current
        form.differences = [
            (form[name].label, form.display_value(name), _display(current, name))
            for name in self.compare_fields
            if form.cleaned_data.get(name) != getattr(current, name)
        ]
        return form

    def display_value(self, name: str):
        value = self.cleaned_data.get(name)
        choices = getattr(self.fields[name], "choices", None)
        return dict(choices).get(value, value) if choices else value

    def extra_kwargs(self) -> dict:
        return {}


def _display(obj, name: str):
    display = getattr(obj, f"get_{name}_display", None)
    return display() if display else getattr(obj, name)


class DomainPlanForm(VersionedForm):
    working_well = FreeTextField(label="What is working well")
    challenges = FreeTextField(label="Challenges")
    next_steps = FreeTextField(label="Next steps")
    is_priority = forms.BooleanField(
        label="Priority for change", required=False, help_text="Up to three domains per workshop."
    )
    compare_fields = PLAN_FIELDS

    field_order = ["working_well", "challenges", "next_steps", "is_priority", "version"]

    @classmethod
    def for_plan(cls, plan: DomainPlan | None, *, prefix: str) -> DomainPlanForm:
        if plan is None:
            return cls(prefix=prefix, initial={"version": 0})
        return cls(
            prefix=prefix,
            initial={
                "working_well": plan.working_well,
                "challenges": plan.challenges,
                "next_steps": plan.next_steps,
                "is_priority": plan.is_priority,
                "version": plan.version,
            },
        )


class ActionItemForm(VersionedForm):
    description = FreeTextField(label="Action", rows=2, max_length=2000, required=True)
    owner_name = forms.CharField(label="Owner", max_length=120, required=False)
    owner_organisation = forms.CharField(label="Owner's organisation", max_length=160, required=False)
    owner_email = forms.EmailField(
        label="Owner's email",
        max_length=254,
        required=False,
        help_text="Optional: the owner gets a link to update this action's status.",
    )
    due_date = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(choices=ItemStatus.choices, initial=ItemStatus.NOT_STARTED)
    note = FreeTextField(label="Note", rows=2, max_length=4000)
    compare_fields = ITEM_FIELDS

    field_order = [*compare_fields, "version"]

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        if creating:
            self.fields["version"].required = False

    def extra_kwargs(self) -> dict:
        return {"creating": self.creating}

    @classmethod
    def for_item(cls, item: ActionItem, *, prefix: str) -> ActionItemForm:
        return cls(
            prefix=prefix,
            initial={name: getattr(item, name) for name in cls.compare_fields} | {"version": item.version},
        )


class ItemReviewForm(VersionedForm):
    status = forms.ChoiceField(label="Status now", choices=ItemStatus.choices)
    note = FreeTextField(label="Review note", rows=2, max_length=4000)
    compare_fields = ("status", "note")

    @classmethod
    def for_review(cls, review: ItemReview | None, item: ActionItem, status_before: str, *, prefix: str):
        if review is None:
            return cls(prefix=prefix, initial={"status": status_before, "note": "", "version": 0})
        return cls(
            prefix=prefix, initial={"status": review.status, "note": review.note, "version": review.version}
        )
