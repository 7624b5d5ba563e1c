"""Forms of the live workshop: joining from a phone, hand counts and agreeing a level."""

from __future__ import annotations

from django import forms

from workshops.models import JOIN_CODE_LENGTH, Level, normalise_join_code

from .models import Participant, Sector
from .services import REASON_MAX


class JoinForm(forms.ModelForm):
    """No account: a code, an optional name and organisation, and a sector."""

    code = forms.CharField(
        label="Join code",
        max_length=20,
        help_text="The six letters and digits on the screen.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    class Meta:
        model = Participant
        fields = ["display_name", "organisation", "sector"]
        labels = {"display_name": "Your name (optional)", "organisation": "Organisation (optional)"}
        widgets = {"sector": forms.RadioSelect}

    field_order = ["code", "display_name", "organisation", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = Sector.choices
        self.fields["sector"].label = "Which sector do you work in?"
        self.fields["sector"].help_text = (
            "Other mental-health providers include voluntary sector, school nursing, "
            "educational psychology and counselling."
        )

    def clean_code(self) -> str:
        code = normalise_join_code(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH:
            raise forms.ValidationError(
                f"A join code has {JOIN_CODE_LENGTH} letters and digits, like ACD 479. "
                "Check the code on the screen."
            )
        return code


class HandCountForm(forms.Form):
    """Show-of-hands counts per level for one round."""

    def __init__(self, *args, levels: list[Level], initial_counts: dict[int, int] | None = None, **kwargs):
        # The console shows this form beside the consensus form, whose radios are id_level_N:
        # its own ids must differ, or its labels name the radios and its inputs go unnamed.
        kwargs.setdefault("auto_id", "id_hands_%s")
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for level in levels:
            self.fields[f"level_{level.score}"] = forms.IntegerField(
                label=f"{level.score} {level.label}",
                min_value=0,
                max_value=10_000,
                required=False,
                initial=initial_counts.get(level.score, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control hand-count"}),
            )
        self.levels = levels

    def counts(self) -> dict[int, int]:
        return {lv.score: self.cleaned_data.get(f"level_{lv.score}") or 0 for lv in self.levels}


class ConsensusForm(forms.Form):
    """The suggestion is preselected; another level needs a short reason."""

    domain = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), label="Agreed level"
    )
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX,
        label="Reason (needed when you choose another level than the suggestion)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, levels: list[Level], suggestion: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        self.fields["level"].choices = [
            (lv.score, f"{lv.score} {lv.label}" + (" (suggested)" if lv.score == suggestion else ""))
            for lv in levels
        ]
        if suggestion is not None:
            self.fields["level"].initial = suggestion

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        if level is not None and level != self.suggestion and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason",
                "Give a short reason for agreeing a level other than the suggestion."
                if self.suggestion is not None
                else "No votes were recorded: give a short reason for the level.",
            )
        return cleaned
