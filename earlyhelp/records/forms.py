from typing import Any

from django import forms

from earlyhelp.core.forms import GovukDateField, GovukFormRenderer
from earlyhelp.records.chronology import Kind
from earlyhelp.records.recording import EntryDetails


class ChronologyEntryForm(forms.Form):
    default_renderer = GovukFormRenderer

    happened_on = GovukDateField(label="Date it happened", past_only=True)
    what = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what happened"},
    )
    significance = forms.CharField(
        label="Why it matters for the children",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Its impact on the children, or on the family's safety",
        error_messages={"required": "Say why it matters for the children"},
    )
    source = forms.CharField(
        label="Who told us, or where it is recorded",
        max_length=200,
        help_text="For example ‘Police notification, 14 May’ or ‘Mum, at the home visit’",
        error_messages={"required": "Say who told us, or where it is recorded"},
    )
    children = forms.TypedMultipleChoiceField(
        label="Which children is it about?",
        help_text="Choose none if it is about the whole family",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = children  # type: ignore[attr-defined]

    def details(self) -> EntryDetails:
        data = self.cleaned_data
        return EntryDetails(
            happened_on=data.get("happened_on"),
            what=data["what"],
            significance=data["significance"],
            source=data["source"],
            children=list(data.get("children") or []),
        )


class ChronologyFiltersForm(forms.Form):
    """The chronology's filters, read from the page's address so that a view can be shared."""

    default_renderer = GovukFormRenderer

    child = forms.TypedChoiceField(label="Whose chronology", coerce=int, required=False, empty_value=None)
    kinds = forms.MultipleChoiceField(
        label="Kinds of event", choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    since = GovukDateField(label="Start of the period", required=False)
    until = GovukDateField(label="End of the period", required=False)

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "The whole family"), *children]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the period must be on or after its start")
        return data
