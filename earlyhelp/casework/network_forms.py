"""The forms of a family network meeting (casework/networks.py)."""

from typing import Any

from django import forms

from earlyhelp.casework.models import FamilyNetworkMeeting
from earlyhelp.casework.networks import Answer, Held, Offer
from earlyhelp.core.forms import YES_NO, GovukDateField, GovukFormRenderer, VersionedForm, yes_no


class OfferForm(forms.Form):
    default_renderer = GovukFormRenderer

    offered_on = GovukDateField(label="Date the meeting was offered", past_only=True)
    offered_to = forms.CharField(
        label="Who in the family was it offered to?",
        max_length=200,
        error_messages={"required": "Say who in the family the meeting was offered to"},
    )
    invited = forms.TypedMultipleChoiceField(
        label="Who is to be invited from the family's network?",
        help_text="The people the family's record holds: its adults, and the relatives and friends related to them",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_invited = forms.CharField(
        label="Anyone else (optional)",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Friends, neighbours, anyone not on the record: one on each line",
    )

    def __init__(self, *args: Any, network: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"].choices = network  # type: ignore[attr-defined]

    def offer(self) -> Offer:
        data = self.cleaned_data
        return Offer(
            offered_on=data.get("offered_on"),
            offered_to=data["offered_to"],
            invited=list(data.get("invited") or []),
            others_invited=data.get("others_invited") or "",
        )


class AnswerForm(VersionedForm):
    default_renderer = GovukFormRenderer

    accepted = forms.ChoiceField(
        label="Did the family accept the meeting?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family accepted the meeting"},
    )
    answered_by = forms.CharField(
        label="Who in the family answered?",
        max_length=200,
        error_messages={"required": "Say who in the family answered"},
    )
    answered_on = GovukDateField(label="Date they answered", past_only=True)
    declined_because = forms.CharField(
        label="If they declined, why? In their words",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, meeting: FamilyNetworkMeeting, **kwargs: Any) -> None:
        super().__init__(*args, record_version=meeting.version, **kwargs)

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            accepted=yes_no(data.get("accepted")),
            answered_on=data.get("answered_on"),
            answered_by=data["answered_by"],
            declined_because=data.get("declined_because") or "",
        )


class HeldForm(VersionedForm):
    default_renderer = GovukFormRenderer

    held_on = GovukDateField(label="Date of the meeting", past_only=True)
    coordinator = forms.CharField(label="The independent coordinator (optional)", max_length=200, required=False)
    who_came = forms.CharField(
        label="Who came?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say who came: the family and their network"},
    )
    private_time = forms.ChoiceField(
        label="Did the family have time on their own to make their plan?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family had time on their own to make their plan"},
    )
    family_plan = forms.CharField(
        label="The family's own plan, in their words",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Who will do what, and by when, as the family agreed it",
        error_messages={"required": "Write the family's own plan, in their words"},
    )
    review_on = GovukDateField(label="Date to review the plan (optional)", required=False)

    def __init__(self, *args: Any, meeting: FamilyNetworkMeeting, **kwargs: Any) -> None:
        super().__init__(*args, record_version=meeting.version, **kwargs)

    def held(self) -> Held:
        data = self.cleaned_data
        return Held(
            held_on=data.get("held_on"),
            coordinator=data.get("coordinator") or "",
            who_came=data["who_came"],
            private_time=yes_no(data.get("private_time")),
            family_plan=data["family_plan"],
            review_on=data.get("review_on"),
        )
