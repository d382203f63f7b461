"""The front door's forms: the triage decision and a team leader's confirmation. The referral
questions are in `journey.py`; the family's own form in `self_referral.py`."""

from typing import Any

from django import forms

from earlyhelp.core.forms import GovukFormRenderer, VersionedForm
from earlyhelp.directory.models import Service
from earlyhelp.frontdoor.journey import ConsentForm
from earlyhelp.frontdoor.models import Contact, TriageDecision
from earlyhelp.frontdoor.referrals import ConsentDetails
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
    discussion = forms.ChoiceField(
        label="If discussing at a meeting: how?",
        choices=[
            ("named", "By name: the family agreed to be discussed by name"),
            ("anonymous", "Anonymously: no names or other details that identify the family"),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text="Without the family's consent to be discussed by name, only anonymously.",
    )
    team = forms.ModelChoiceField(
        label="If allocating: which family support team?",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team",
        help_text="Only with the family's consent to an early help service.",
    )
    consent_not_in_writing_because = forms.CharField(
        label="If allocating on verbal consent: why is it not in writing?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The family coach will ask the family for their consent in writing at the first visit.",
    )
    reasons = forms.CharField(
        label="Your reasons",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for this decision"},
    )
    override_reason = forms.CharField(
        label="Why not refer to children's social care, as the thresholds tool says?",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Needed only then, for any outcome but a redirect. A team leader must confirm the decision before "
            "anyone is told."
        ),
    )
    tell_family = forms.BooleanField(
        label="E-mail the family the outcome",
        required=False,
        initial=True,
        help_text="Untick this if telling the family could put a child at risk. The referrer is always told.",
    )

    ages_confirmed = forms.BooleanField(
        label="The service is right for this family although its ages do not fit the children's",
        required=False,
    )

    def __init__(
        self, *args: Any, contact: Contact, services: list[Service], ages: tuple[int, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        authority_id = contact.authority_id
        self.ages = ages
        service = self.fields["service"]
        assert isinstance(service, forms.ModelChoiceField)
        service.queryset = Service.objects.filter(authority_id=authority_id, active=True)
        service.choices = [("", "Choose a service"), *service_choices(list(service.queryset), services, ages)]
        area = self.fields["meeting_area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(authority_id=authority_id)
        area.initial = contact.area_id
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(area__authority_id=authority_id, kind=Team.Kind.FAMILY_SUPPORT)
        self.fields["discussion"].initial = "named" if contact.consents_to_named_discussion else "anonymous"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("service")
        signposting = data.get("outcome") == TriageDecision.Outcome.SIGNPOST
        if signposting and chosen is not None and not data.get("ages_confirmed"):
            problem = service_ages_problem(chosen, self.ages)
            if problem:
                self.add_error("service", problem)
        return data

    @property
    def discuss_anonymously(self) -> bool | None:
        chosen = self.cleaned_data.get("discussion")
        return {"named": False, "anonymous": True}.get(chosen or "")


def service_fits_an_age(service: Service, ages: tuple[int, ...]) -> bool:
    return any(service.youngest_age <= age <= service.oldest_age for age in ages)


def service_ages_problem(service: Service, ages: tuple[int, ...]) -> str:
    """Why a service may be wrong for the children: its ages fit none of them."""
    if not ages or service_fits_an_age(service, ages):
        return ""
    children = " and ".join(str(age) for age in sorted(set(ages)))
    return (
        f"{service.name} is for {service.ages_label}, and the children are aged {children}. Choose a service that "
        "fits them, or tick the box to confirm this one is right for the family"
    )


def service_choices(
    every: list[Service], fitting: list[Service], ages: tuple[int, ...]
) -> list[tuple[str, list[tuple[int, str]]]]:
    """The services in three groups: those that fit the family (level, area, ages and needs), those
    whose ages fit at least one child, and the rest; so a service for the wrong age never comes first."""
    fitting_ids = {item.pk for item in fitting}

    def label(item: Service) -> str:
        return f"{item.name} ({item.provider}), {item.ages_label}"

    by_name = sorted(every, key=lambda item: item.name)
    groups = [
        ("Fit the family", [item for item in fitting if item.pk in {s.pk for s in every}]),
        (
            "Fit at least one child's age",
            [item for item in by_name if item.pk not in fitting_ids and (not ages or service_fits_an_age(item, ages))],
        ),
        (
            "Other services",
            [item for item in by_name if item.pk not in fitting_ids and ages and not service_fits_an_age(item, ages)],
        ),
    ]
    return [(title, [(item.pk, label(item)) for item in items]) for title, items in groups if items]


class ConfirmationForm(forms.Form):
    default_renderer = GovukFormRenderer

    action = forms.ChoiceField(
        label="Do you confirm this decision?",
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


class ContactAreaForm(VersionedForm):
    default_renderer = GovukFormRenderer

    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), required=False, empty_label="Not known")

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, record_version=contact.version, **kwargs)
        authority_id = contact.authority_id
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(authority_id=authority_id)


class ContactConsentForm(VersionedForm, ConsentForm):
    """The front door records consent it obtained in triage, or corrects what was referred."""

    note = forms.CharField(
        label="If you are changing consent recorded before: why?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the parent signed the consent form on the first call.",
    )

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, record_version=contact.version, **kwargs)
        self.fields["consent"].label = "Has the family agreed?"
        if not self.is_bound:
            self.initial.update(
                {
                    "consent": contact.consent,
                    "given_by": contact.consent_given_by,
                    "given_on": contact.consent_given_on,
                    "how": contact.consent_how,
                    "covers": contact.consent_covers,
                }
            )

    def details(self) -> ConsentDetails:
        data = self.cleaned_data
        return ConsentDetails(
            status=data["consent"],
            given_by=data.get("given_by") or "",
            given_on=data.get("given_on"),
            how=data.get("how") or "",
            covers=list(data.get("covers") or []),
        )
