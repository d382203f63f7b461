"""The professional referral as question pages: one thing per page, a draft kept as the
referrer goes, "check your answers", then one save.

The draft is a `ReferralDraft` row owned by the user, not the session, so that what they typed
survives their session expiring. It is plain JSON (dates as ISO text); `referral_from_draft`
turns it into the `Referral` every way in shares.
"""

from datetime import date
from typing import Any

from django import forms

from earlyhelp.core.forms import GovukDateField, GovukFormRenderer
from earlyhelp.directory.models import Need
from earlyhelp.frontdoor.models import Consent, ConsentCovers, ConsentHow, ContactPerson
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral
from earlyhelp.people.identifiers import (
    nhs_number_normalise,
    nhs_number_problem,
    postcode_is_valid,
    postcode_normalise,
    upn_is_valid,
    upn_normalise,
)
from earlyhelp.people.models import Gender
from earlyhelp.people.names import name_problem, name_visible

YES_NO = [("yes", "Yes"), ("no", "No")]


class StepForm(forms.Form):
    default_renderer = GovukFormRenderer


class DangerForm(StepForm):
    immediate_danger = forms.ChoiceField(
        label="Is a child in immediate danger right now?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example, a child has been hurt, is about to be hurt, or is alone and not safe.",
        error_messages={"required": "Select yes if a child is in immediate danger right now"},
    )


class ReferrerForm(StepForm):
    referrer_name = forms.CharField(
        label="Your full name", max_length=200, error_messages={"required": "Enter your name"}
    )
    referrer_role = forms.CharField(label="Your job title or role", max_length=200, required=False)
    referrer_email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send the outcome of the referral here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    referrer_phone = forms.CharField(label="Your phone number", max_length=50, required=False)


def _name_checked(value: str) -> str:
    problem = name_problem(value)
    if problem:
        raise forms.ValidationError(problem)
    return name_visible(value)


class IdentifiersMixin(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=20, required=False, help_text="10 digits, like 943 476 5870"
    )
    postcode = forms.CharField(
        label="Postcode (optional)", max_length=10, required=False, help_text="For example, NN1 5AB"
    )

    def clean_nhs_number(self) -> str:
        value = nhs_number_normalise(self.cleaned_data["nhs_number"])
        problem = nhs_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_first_name(self) -> str:
        return _name_checked(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _name_checked(self.cleaned_data["last_name"])

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value and not postcode_is_valid(value):
            raise forms.ValidationError("Enter a real postcode, like NN1 5AB")
        return postcode_normalise(value) if value else ""


class ChildForm(StepForm, IdentifiersMixin):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the child's first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the child's last name"}
    )
    unborn = forms.BooleanField(label="This is an unborn baby", required=False)
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        past_only=True,
        help_text="For example, 27 3 2015. Leave blank for an unborn baby.",
    )
    expected_date_of_delivery = GovukDateField(
        label="Expected date of delivery", required=False, help_text="For an unborn baby only. For example, 14 6 2027"
    )
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, initial=Gender.NOT_KNOWN)
    upn = forms.CharField(
        label="Unique pupil number (UPN, optional)",
        max_length=20,
        required=False,
        help_text="13 characters, like B928200112001",
    )
    school = forms.CharField(label="School or setting (optional)", max_length=200, required=False)
    address = forms.CharField(
        label="Address (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = [
        "first_name",
        "last_name",
        "unborn",
        "date_of_birth",
        "expected_date_of_delivery",
        "gender",
        "nhs_number",
        "upn",
        "school",
        "address",
        "postcode",
    ]

    def clean_upn(self) -> str:
        value = upn_normalise(self.cleaned_data["upn"])
        if value and not upn_is_valid(value):
            raise forms.ValidationError("Enter a real UPN: 13 characters, like B928200112001")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unborn"):
            if not data.get("expected_date_of_delivery") and "expected_date_of_delivery" not in self.errors:
                self.add_error("expected_date_of_delivery", "Enter the baby's expected date of delivery")
        elif not data.get("date_of_birth") and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Enter the child's date of birth")
        return data


class AdultForm(StepForm, IdentifiersMixin):
    role = forms.ChoiceField(
        label="Who are they?",
        choices=[
            (value, label) for value, label in ContactPerson.Role.choices if value not in ContactPerson.CHILD_ROLES
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they are a parent, carer or other adult"},
    )
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter their last name"})
    date_of_birth = GovukDateField(label="Date of birth (optional)", required=False, past_only=True)
    phone = forms.CharField(label="Phone number (optional)", max_length=50, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        max_length=254,
        required=False,
        help_text="We e-mail the family the outcome, unless that could put a child at risk.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    address = forms.CharField(
        label="Address (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = [
        "role",
        "first_name",
        "last_name",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "postcode",
        "nhs_number",
    ]


class ReasonsForm(StepForm):
    needs = forms.ModelMultipleChoiceField(
        label="What are you worried about?",
        queryset=Need.objects.filter(active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one reason for the referral"},
    )
    reason = forms.CharField(
        label="Tell us what is happening for the child and family",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you have seen or been told, since when, and how it affects the child.",
        error_messages={"required": "Enter what you are worried about"},
    )


class TriedForm(StepForm):
    what_has_been_tried = forms.CharField(
        label="What has already been tried to help?",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Support your agency or others have given, and what difference it made.",
    )


class AgenciesForm(StepForm):
    other_agencies = forms.CharField(
        label="Which other agencies are involved with the family?",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Name the agency and the practitioner, with contact details if you have them.",
    )


class ConsentForm(StepForm):
    consent = forms.ChoiceField(
        label="Has the family agreed to this referral?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Families must agree to an early help service. If they have refused, think about whether that is "
            "itself a safeguarding concern."
        ),
        error_messages={"required": "Select whether the family has agreed to the referral"},
    )
    given_by = forms.CharField(
        label="Who gave consent?",
        max_length=200,
        required=False,
        help_text="Their name and how they are related to the children.",
    )
    given_on = GovukDateField(
        label="When did they give it?", required=False, past_only=True, help_text="For example, 20 11 2026"
    )
    how = forms.ChoiceField(
        label="How did they give it?",
        choices=[(ConsentHow.WRITTEN, ConsentHow.WRITTEN.label), (ConsentHow.VERBAL, ConsentHow.VERBAL.label)],
        widget=forms.RadioSelect,
        required=False,
    )
    covers = forms.MultipleChoiceField(
        label="What have they agreed to?",
        choices=ConsentCovers.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") != Consent.GIVEN:
            return data
        if not (data.get("given_by") or "").strip():
            self.add_error("given_by", "Enter who gave consent")
        if not data.get("given_on") and "given_on" not in self.errors:
            self.add_error("given_on", "Enter the date consent was given")
        if not data.get("how"):
            self.add_error("how", "Select how consent was given: in writing or verbally")
        if not data.get("covers"):
            self.add_error("covers", "Select what the family has agreed to")
        return data


# The draft ----------------------------------------------------------------------------------


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in data.items()}


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def person_from_draft(data: dict[str, Any], *, child: bool) -> PersonDetails:
    if child:
        role = ContactPerson.Role.UNBORN if data.get("unborn") else ContactPerson.Role.CHILD
    else:
        role = data.get("role") or ContactPerson.Role.OTHER_ADULT
    return PersonDetails(
        role=role,
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        date_of_birth=_day(data.get("date_of_birth")),
        expected_date_of_delivery=_day(data.get("expected_date_of_delivery")),
        gender=data.get("gender") or Gender.NOT_KNOWN,
        nhs_number=data.get("nhs_number", ""),
        upn=data.get("upn", ""),
        address=data.get("address", ""),
        postcode=data.get("postcode", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        school=data.get("school", ""),
    )


def referral_from_draft(draft: dict[str, Any]) -> Referral:
    referrer = draft.get("referrer", {})
    reasons = draft.get("reasons", {})
    consent = draft.get("consent", {})
    return Referral(
        referrer_name=referrer.get("referrer_name", ""),
        referrer_role=referrer.get("referrer_role", ""),
        referrer_email=referrer.get("referrer_email", ""),
        referrer_phone=referrer.get("referrer_phone", ""),
        children=[person_from_draft(child, child=True) for child in draft.get("children", [])],
        adults=[person_from_draft(adult, child=False) for adult in draft.get("adults", [])],
        needs=list(reasons.get("needs", [])),
        reason=reasons.get("reason", ""),
        what_has_been_tried=draft.get("tried", {}).get("what_has_been_tried", ""),
        other_agencies=draft.get("agencies", {}).get("other_agencies", ""),
        indicators=list(draft.get("indicators", [])),
        immediate_danger=draft.get("danger", {}).get("immediate_danger") == "yes",
        consent=ConsentDetails(
            status=consent.get("consent", Consent.NOT_ASKED),
            given_by=consent.get("given_by", ""),
            given_on=_day(consent.get("given_on")),
            how=consent.get("how", ""),
            covers=list(consent.get("covers", [])),
        ),
    )


# Which page each problem found at "check your answers" is fixed on.
STEP_FOR_PROBLEM = {
    "referrer": "referrer",
    "children": "children",
    "adults": "adults",
    "needs": "reasons",
    "reason": "reasons",
    "indicators": "level-of-need",
    "what_has_been_tried": "tried",
    "other_agencies": "agencies",
    "consent": "consent",
}


def step_for_problem(key: str) -> str:
    head = key.split(".")[0]
    return STEP_FOR_PROBLEM.get("referrer" if head.startswith("referrer") else head, "check")
