"""The front door's forms: the triage decision and a team leader's confirmation. The referral
questions are in `journey.py`; the family's own form in `self_referral.py`."""

from typing import Any

from django import forms

from earlyhelp.core.forms import GovukFormRenderer
from earlyhelp.directory.models import Service
from earlyhelp.frontdoor.models import Contact, TriageDecision
from earlyhelp.organisations.models import Area, Team


class TriageDecisionForm(forms.Form):
    default_renderer = GovukFormRenderer

    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=TriageDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next"},
    )
    service = forms.ModelChoiceField(
        label="If signposting: which service?",
        queryset=Service.objects.none(),
        required=False,
        empty_label="Choose a service",
        help_text="Services that fit the family's level of need, area, ages and needs are listed first.",
    )
    meeting_area = forms.ModelChoiceField(
        label="If discussing at a meeting: which area's meeting?",
        queryset=Area.objects.none(),
        required=False,
        empty_label="Choose an area",
    )
    team = forms.ModelChoiceField(
        label="If allocating: which family support team?",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team",
        help_text="Only with the family's consent to an early help service.",
    )
    reasons = forms.CharField(
        label="Your reasons",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for this decision"},
    )
    override_reason = forms.CharField(
        label="Why signpost when the thresholds tool says refer to children's social care?",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed only then. A team leader must confirm the decision before anyone is told.",
    )
    tell_family = forms.BooleanField(
        label="E-mail the family the outcome",
        required=False,
        initial=True,
        help_text="Untick this if telling the family could put a child at risk. The referrer is always told.",
    )

    def __init__(self, *args: Any, contact: Contact, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authority_id = contact.authority_id
        service = self.fields["service"]
        assert isinstance(service, forms.ModelChoiceField)
        fitting = [item.pk for item in services]
        service.queryset = Service.objects.filter(authority_id=authority_id, active=True)
        service.choices = [("", "Choose a service")] + [
            (item.pk, f"{item.name} ({item.provider})")
            for item in sorted(service.queryset, key=lambda item: (item.pk not in fitting, item.name))
        ]
        area = self.fields["meeting_area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(authority_id=authority_id)
        area.initial = contact.area_id
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(area__authority_id=authority_id, kind=Team.Kind.FAMILY_SUPPORT)


class ConfirmationForm(forms.Form):
    default_renderer = GovukFormRenderer

    action = forms.ChoiceField(
        label="Do you confirm this signpost?",
        choices=[
            ("confirm", "Yes, confirm it and tell the referrer and family"),
            ("return", "No, return it for a new decision"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you confirm the decision"},
    )
    because = forms.CharField(
        label="If returning it: why?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "return" and not (data.get("because") or "").strip():
            self.add_error("because", "Say why you are returning the decision")
        return data


class ContactAreaForm(forms.Form):
    default_renderer = GovukFormRenderer

    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), required=False, empty_label="Not known")

    def __init__(self, *args: Any, authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(authority_id=authority_id)
