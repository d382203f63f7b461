"""The forms of a step-up to children's social care (casework/transfers.py)."""

from typing import Any

from django import forms

from earlyhelp.casework.caseloads import users_granted
from earlyhelp.casework.models import StepUp
from earlyhelp.casework.transfers import StepUpDecision
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer, VersionedForm
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission

_YES_NO = [("yes", "Yes"), ("no", "No")]


class StepUpRaiseForm(forms.Form):
    default_renderer = GovukFormRenderer

    concerns = forms.CharField(
        label="What has got worse, and why are you worried?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your team leader is told at once, and decides after a case discussion (FF §14.1)",
        error_messages={"required": "Say what has got worse, and why you are worried"},
    )


class StepUpDecisionForm(VersionedForm):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect, error_messages={"required": "Choose your decision"}
    )
    reason = forms.CharField(
        label="Why",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the case discussion concluded",
        error_messages={"required": "Say why: what the case discussion concluded"},
    )
    discussed_with = forms.CharField(
        label="The front door's practice lead you discussed the case with",
        max_length=200,
        required=False,
        help_text="Needed to refer to children's social care (FF §14.1)",
    )
    family_told = forms.ChoiceField(
        label="Has the family been told?",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family has been told"},
    )
    not_told_because = forms.CharField(
        label="If not, why would telling them put a child at further risk?",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transfer_on = GovukDateField(label="Transfer date agreed with children's social care", required=False)
    social_care_reference = forms.CharField(label="Children's social care reference", max_length=100, required=False)
    social_worker = forms.ModelChoiceField(
        label="Overseeing social worker (a child in need within Family Help)",
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, step_up: StepUp, family_help: bool, authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, record_version=step_up.version, **kwargs)
        choices = [StepUp.Status.STAYING, StepUp.Status.STEPPING_UP]
        if family_help:
            choices.append(StepUp.Status.CHILD_IN_NEED)
            self.fields["social_worker"].queryset = users_granted(Permission.OVERSEE_CHILDREN_IN_NEED).filter(  # type: ignore[attr-defined]
                authority_id=authority_id
            )
        else:
            del self.fields["social_worker"]
        self.fields["decision"].choices = [(choice.value, choice.label) for choice in choices]  # type: ignore[attr-defined]

    def details(self) -> StepUpDecision:
        data = self.cleaned_data
        told = data.get("family_told")
        return StepUpDecision(
            decision=data["decision"],
            reason=data["reason"],
            discussed_with=data.get("discussed_with") or "",
            family_told=None if told is None else told == "yes",
            not_told_because=data.get("not_told_because") or "",
            transfer_on=data.get("transfer_on"),
            social_care_reference=data.get("social_care_reference") or "",
            social_worker=data.get("social_worker"),
        )


class StepUpHandoverForm(VersionedForm):
    default_renderer = GovukFormRenderer

    handover_on = GovukDateField(label="Date of the handover meeting", past_only=True)
    receiving_worker = forms.CharField(
        label="The social worker the case was handed over to",
        max_length=200,
        error_messages={"required": "Name the social worker the case was handed over to"},
    )
    note = forms.CharField(
        label="Transfer summary",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was handed over at the meeting: the plan, the risks, what the family knows",
        error_messages={"required": "Write the transfer summary: what was handed over, and to whom"},
    )

    def __init__(self, *args: Any, step_up: StepUp, **kwargs: Any) -> None:
        super().__init__(*args, record_version=step_up.version, **kwargs)
