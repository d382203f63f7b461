"""The forms a team leader records supervision with (casework/supervising.py)."""

from typing import Any

from django import forms

from earlyhelp.casework.supervising import SupervisionDetails
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer


class _SupervisionForm(forms.Form):
    default_renderer = GovukFormRenderer

    held_on = GovukDateField(label="Date of the supervision", past_only=True)
    note = forms.CharField(
        label="Supervision note",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What was discussed, what was decided, and what happens next",
        error_messages={"required": "Write the supervision note: what was discussed, decided and what happens next"},
    )

    def details(self) -> SupervisionDetails:
        return SupervisionDetails(held_on=self.cleaned_data.get("held_on"), note=self.cleaned_data.get("note", ""))


class CaseSupervisionForm(_SupervisionForm):
    pass


class IndividualSupervisionForm(_SupervisionForm):
    supervisee = forms.TypedChoiceField(
        label="Which family coach?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the family coach you supervised"},
    )
    field_order = ["supervisee", "held_on", "note"]

    def __init__(self, *args: Any, coaches: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisee"].choices = coaches  # type: ignore[attr-defined]


class GroupSupervisionForm(_SupervisionForm):
    attendees = forms.TypedMultipleChoiceField(
        label="Who came?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who came"},
    )
    field_order = ["held_on", "attendees", "note"]

    def __init__(self, *args: Any, coaches: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = coaches  # type: ignore[attr-defined]


class NotImprovingForm(forms.Form):
    default_renderer = GovukFormRenderer

    what_next = forms.CharField(
        label="What happens next?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A case discussion, a changed plan, more support, a step-up to children's social care…",
        error_messages={"required": "Say what happens next: a case discussion, a new plan, a step-up…"},
    )
