from typing import Any

from django import forms

from earlyhelp.core.forms import YES_NO, GovukDateField, GovukFormRenderer, VersionedForm, yes_no
from earlyhelp.organisations.models import Agency
from earlyhelp.records.chronology import Kind
from earlyhelp.records.documents import ALLOWED_WORDS, DocumentDetails
from earlyhelp.records.models import AgencyReferral, Document
from earlyhelp.records.recording import EntryDetails
from earlyhelp.records.referring import ReferralDetails


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


class AgencyReferralForm(forms.Form):
    default_renderer = GovukFormRenderer

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Another agency: enter its name below",
        help_text="A partner agency the service knows",
    )
    agency_name = forms.CharField(label="Or the agency's name", max_length=200, required=False)
    service = forms.CharField(
        label="What was the family referred for?",
        max_length=200,
        help_text="For example ‘Triple P parenting course’ or ‘CAMHS assessment for Maya’",
        error_messages={"required": "Say what the family was referred for"},
    )
    reason = forms.CharField(
        label="Why",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the referral is to help with",
        error_messages={"required": "Say why: what the referral is to help with"},
    )
    made_on = GovukDateField(label="Date the referral was made", past_only=True)
    children = forms.TypedMultipleChoiceField(
        label="Which children is it for?",
        help_text="Choose none if it is for the whole family or a parent",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    family_agreed = forms.ChoiceField(
        label="Did the family agree to the referral?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family agreed to the referral"},
    )
    without_agreement_because = forms.CharField(
        label="If not, why was it made without their agreement?",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, authority_id: int, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(authority_id=authority_id).order_by("name")  # type: ignore[attr-defined]
        self.fields["children"].choices = children  # type: ignore[attr-defined]

    def details(self) -> ReferralDetails:
        data = self.cleaned_data
        return ReferralDetails(
            agency=data.get("agency"),
            agency_name=data.get("agency_name") or "",
            service=data["service"],
            reason=data["reason"],
            made_on=data.get("made_on"),
            family_agreed=yes_no(data.get("family_agreed")),
            without_agreement_because=data.get("without_agreement_because") or "",
            children=list(data.get("children") or []),
        )


class AgencyReferralOutcomeForm(VersionedForm):
    default_renderer = GovukFormRenderer

    outcome = forms.ChoiceField(
        label="What came of it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what came of the referral"},
    )
    outcome_on = GovukDateField(label="Date of the outcome", past_only=True)
    outcome_details = forms.CharField(
        label="Details",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the agency said, and what happens next",
    )

    def __init__(self, *args: Any, referral: AgencyReferral, **kwargs: Any) -> None:
        super().__init__(*args, record_version=referral.version, **kwargs)
        allowed = AgencyReferral.TRANSITIONS.allowed.get(referral.outcome, frozenset())
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in AgencyReferral.Outcome.choices if value in allowed
        ]


class DocumentForm(forms.Form):
    default_renderer = GovukFormRenderer

    upload = forms.FileField(
        label="Upload a file",
        help_text=f"It must be {ALLOWED_WORDS}, smaller than 10 MB",
        required=False,
        widget=forms.FileInput,
        error_messages={"empty": "The file is empty", "invalid": "Choose the file to upload"},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example ‘Maya's three houses drawing’ or ‘Letter from the housing officer’",
        error_messages={"required": "Give the document a title, for example ‘Maya's three houses drawing’"},
    )
    description = forms.CharField(
        label="Notes (optional)", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
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

    def details(self) -> DocumentDetails:
        data = self.cleaned_data
        return DocumentDetails(
            kind=data["kind"],
            title=data["title"],
            upload=data.get("upload"),
            description=data.get("description") or "",
            children=list(data.get("children") or []),
        )
