"""The forms for consent and sharing decisions: they parse what was typed; the rules are in
`recording.py`, which says what is wrong, field by field."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from earlyhelp.core.forms import GovukDateField, GovukFormRenderer, VersionedForm
from earlyhelp.organisations.models import Agency
from earlyhelp.people.models import Person
from earlyhelp.sharing.models import Capacity, ConsentHow, ConsentPosition, Detriment, FamilyTold, GivenBy, RecordPart
from earlyhelp.sharing.recording import ConsentDetails, DecisionDetails, Statement

YES_NO = [("yes", "Yes"), ("no", "No")]
WHO_CHOICES = [choice for choice in GivenBy.choices if choice[0] != GivenBy.NOT_RECORDED]
CAPACITY_CHOICES = [choice for choice in Capacity.choices if choice[0] != Capacity.NOT_RECORDED]
HOW_CHOICES = [choice for choice in ConsentHow.choices if choice[0] != ConsentHow.NOT_RECORDED]


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Person)
        return f"{obj.full_name} ({obj.reference})"


class StatementForm(forms.Form):
    """Who it is about, who said so, when and how."""

    default_renderer = GovukFormRenderer

    people = PeopleField(
        label="Who is it about?",
        queryset=Person.objects.none(),
        help_text="A parent can speak for their children; each adult speaks for themselves.",
        required=False,
    )
    given_by = forms.CharField(label="Name of the person who said so", max_length=200, required=False)
    given_by_who = forms.ChoiceField(
        label="Who are they?", choices=WHO_CHOICES, widget=forms.RadioSelect, required=False
    )
    given_on = GovukDateField(label="When did they say so?", past_only=True, required=False)
    how = forms.ChoiceField(label="How?", choices=HOW_CHOICES, widget=forms.RadioSelect, required=False)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people

    def statement(self) -> Statement:
        data = self.cleaned_data
        return Statement(
            people=list(data.get("people") or []),
            given_by=data.get("given_by") or "",
            given_by_who=data.get("given_by_who") or "",
            given_on=data.get("given_on"),
            how=data.get("how") or "",
        )


class AgreementForm(StatementForm):
    agreed = forms.ChoiceField(
        label="Did they agree to receive an early help service?",
        choices=[("yes", "Yes, they agreed"), ("no", "No, they declined")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they agreed or declined"},
    )

    field_order = ["people", "agreed", "given_by", "given_by_who", "given_on", "how"]


class ConsentForm(StatementForm):
    given = forms.ChoiceField(
        label="Did they consent to information being shared?",
        choices=[("yes", "Yes, with the limits below"), ("no", "No, they refused")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they consented or refused"},
    )
    capacity = forms.ChoiceField(
        label="Could they decide for themselves?",
        choices=CAPACITY_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="Consent must be informed: they understood what is shared, with whom, why, and what follows.",
    )
    purpose = forms.CharField(
        label="What may it be shared for?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agencies = forms.ModelMultipleChoiceField(
        label="With which agencies?",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The agencies already working with the family.",
    )
    other_agency = forms.ModelChoiceField(
        label="Another agency (optional)", queryset=Agency.objects.none(), required=False
    )
    at_meetings = forms.BooleanField(
        label="They may be discussed by name at multi-agency meetings (Early Help Forums)", required=False
    )
    parts = forms.MultipleChoiceField(
        label="Which parts of the record may those agencies see?",
        choices=RecordPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Who the person is (name, date of birth, address, school) is always open to those who work with them."
        ),
    )

    field_order = [
        "people",
        "given",
        "given_by",
        "given_by_who",
        "capacity",
        "given_on",
        "how",
        "purpose",
        "agencies",
        "other_agency",
        "at_meetings",
        "parts",
    ]

    def __init__(
        self, *args: Any, people: QuerySet[Person], around: QuerySet[Agency], every: QuerySet[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, people=people, **kwargs)
        for name, queryset in (("agencies", around), ("other_agency", every)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def consent(self) -> ConsentDetails:
        data = self.cleaned_data
        agencies = list(data.get("agencies") or [])
        other = data.get("other_agency")
        if other is not None and other not in agencies:
            agencies.append(other)
        return ConsentDetails(
            given=data.get("given") == "yes",
            capacity=data.get("capacity") or "",
            purpose=data.get("purpose") or "",
            agencies=agencies,
            at_meetings=bool(data.get("at_meetings")),
            parts=list(data.get("parts") or []),
        )


class WithdrawForm(VersionedForm):
    default_renderer = GovukFormRenderer

    withdrawn_on = GovukDateField(label="When did they withdraw it?", past_only=True, required=False)
    because = forms.CharField(
        label="Who withdrew it, and what did they say?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    """A decision to share or not to share, question by question (T&P §8)."""

    default_renderer = GovukFormRenderer

    people = PeopleField(label="Who is the information about?", queryset=Person.objects.none(), required=False)
    purpose = forms.CharField(
        label="1. Why is it to be shared? What is it to achieve?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Could the aim be met without sharing? Do not assume the whole record needs to be shared.",
    )
    identifiable = forms.ChoiceField(
        label="2. Does the information identify a living person?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    confidential = forms.ChoiceField(
        label="3. Is the information confidential?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="Private or sensitive, not already public, given in the expectation it would not be shared.",
    )
    consent = forms.ChoiceField(
        label="4. Do you have consent to share?",
        choices=ConsentPosition.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    public_interest = forms.CharField(
        label="5. Without consent: is there enough public interest to share?",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Weigh what might happen if it is shared against what might happen if it is not, on the facts.",
    )
    for_safeguarding = forms.BooleanField(label="This is to safeguard a child", required=False)
    detriment = forms.ChoiceField(
        label="Would sharing be more detrimental to the child than not sharing?",
        choices=Detriment.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "The Children's Wellbeing and Schools Act 2026 (s4) makes sharing for safeguarding a duty "
            "unless it would be."
        ),
    )
    detriment_reasons = forms.CharField(
        label="Your reasons for that judgement",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.ChoiceField(
        label="What did you decide?",
        choices=[("yes", "To share"), ("no", "Not to share")],
        widget=forms.RadioSelect,
        required=False,
    )
    recipient_agency = forms.ModelChoiceField(
        label="6. Shared with which agency?", queryset=Agency.objects.none(), required=False
    )
    recipient = forms.CharField(label="With whom there (name or role)", max_length=300, required=False)
    what = forms.CharField(
        label="What was shared?",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only what is necessary, accurate and up to date; fact and opinion told apart.",
    )
    how_shared = forms.CharField(label="How was it shared securely?", max_length=2000, required=False)
    family_told = forms.ChoiceField(
        label="Has the family been told?", choices=FamilyTold.choices, widget=forms.RadioSelect, required=False
    )
    parts = forms.MultipleChoiceField(
        label="Parts of the record to open in this system to that agency",
        choices=RecordPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their practitioners who work with the person may then open these parts.",
    )
    open_until = GovukDateField(label="Open until (optional)", required=False)
    why_not = forms.CharField(
        label="If not shared: why not?", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: QuerySet[Person], agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("people", people), ("recipient_agency", agencies)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def details(self) -> DecisionDetails:
        data = self.cleaned_data
        return DecisionDetails(
            people=list(data.get("people") or []),
            shared=_yes_no(data.get("shared")),
            purpose=data.get("purpose") or "",
            identifiable=_yes_no(data.get("identifiable")),
            confidential=_yes_no(data.get("confidential")),
            consent=data.get("consent") or "",
            public_interest=data.get("public_interest") or "",
            for_safeguarding=bool(data.get("for_safeguarding")),
            detriment=data.get("detriment") or "",
            detriment_reasons=data.get("detriment_reasons") or "",
            recipient_agency=data.get("recipient_agency"),
            recipient=data.get("recipient") or "",
            what=data.get("what") or "",
            parts=list(data.get("parts") or []),
            how_shared=data.get("how_shared") or "",
            family_told=data.get("family_told") or "",
            why_not=data.get("why_not") or "",
            open_until=data.get("open_until"),
        )
