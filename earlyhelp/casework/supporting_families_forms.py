"""The Supporting Families forms: a family's progress against its outcomes at one point, and the
six-month check."""

from typing import Any

from django import forms

from earlyhelp.casework.models import CodedNeed, Meeting, OutcomeProgress
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer


class ProgressForm(forms.Form):
    default_renderer = GovukFormRenderer

    point = forms.ChoiceField(
        label="When was this judged?",
        choices=OutcomeProgress.Point.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when this progress was judged"},
    )
    meeting = forms.ModelChoiceField(
        label="The review meeting (for a review)",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Choose the review",
    )
    note = forms.CharField(
        label="Anything to add (optional)", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, outcomes: list[CodedNeed], meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.outcome_fields = []
        for outcome in outcomes:
            name = f"status-{outcome.code}"
            self.fields[name] = forms.ChoiceField(
                label=outcome.name,
                choices=OutcomeProgress.Status.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say where the family stands on ‘{outcome.name}’"},
            )
            self.outcome_fields.append(name)

    def statuses(self) -> dict[str, str]:
        return {name.removeprefix("status-"): self.cleaned_data[name] for name in self.outcome_fields}


class SustainedCheckForm(forms.Form):
    default_renderer = GovukFormRenderer

    checked_on = GovukDateField(label="Day of the check", past_only=True)
    sustained = forms.MultipleChoiceField(
        label="Which outcomes met at closure are still met?",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave an outcome unticked if it was not sustained.",
    )
    looked_at = forms.CharField(
        label="What was looked at",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Attendance from the school, police and housing records, the family's own account…",
        error_messages={"required": "Say what was looked at: attendance, police or housing records…"},
    )

    def __init__(self, *args: Any, met: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sustained"].choices = met  # type: ignore[attr-defined]
