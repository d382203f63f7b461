"""The forms of a step-up to children's social care (casework/transfers.py)."""

from typing import Any

from django import forms

from earlyhelp.casework.caseloads import users_granted
from earlyhelp.casework.models import StepDown, StepUp
from earlyhelp.casework.stepping_down import PanelDecision
from earlyhelp.casework.transfers import StepUpDecision
from earlyhelp.core.forms import YES_NO, GovukDateField, GovukFormRenderer, VersionedForm, yes_no
from earlyhelp.organisations.models import Team, User
from earlyhelp.organisations.roles import Permission


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
        choices=YES_NO,
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
        return StepUpDecision(
            decision=data["decision"],
            reason=data["reason"],
            discussed_with=data.get("discussed_with") or "",
            family_told=yes_no(data.get("family_told")),
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


class FamilyReferenceForm(forms.Form):
    """Which family a social worker proposes: by the family record's reference."""

    default_renderer = GovukFormRenderer

    family = forms.CharField(
        label="The family record's reference",
        max_length=20,
        help_text="On the family's record, for example F000123",
        error_messages={"required": "Enter the family record's reference"},
    )


class StepDownProposalForm(forms.Form):
    default_renderer = GovukFormRenderer

    children = forms.TypedMultipleChoiceField(
        label="Which children?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the children the step-down is for"},
    )
    why_now = forms.CharField(
        label="How have the children's needs lessened, and why early help now?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say how the children's needs have lessened, and why early help now"},
    )
    proposed_plan = forms.CharField(
        label="The proposed early help plan",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What needs to happen, who will do it and by when: early help starts from it (FF §10.1)",
        error_messages={"required": "Write the proposed plan: early help starts from it, without a new assessment"},
    )
    panel_on = GovukDateField(label="Transfer panel", required=False, help_text="Leave empty for the next panel")

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = children  # type: ignore[attr-defined]


class PanelDecisionForm(VersionedForm):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[
            ("accept", "Accept: transfer to a family support team"),
            ("defer", "Defer to the next panel"),
            ("not_accept", "Not accepted"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the panel's decision"},
    )
    reason = forms.CharField(
        label="Why",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why: what the panel concluded"},
    )
    team = forms.ModelChoiceField(label="Receiving family support team", queryset=Team.objects.none(), required=False)
    transfer_on = GovukDateField(label="Transfer date", required=False)

    def __init__(self, *args: Any, step_down: StepDown, **kwargs: Any) -> None:
        super().__init__(*args, record_version=step_down.version, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(  # type: ignore[attr-defined]
            area__authority_id=step_down.authority_id, kind=Team.Kind.FAMILY_SUPPORT
        ).order_by("name")

    def details(self) -> PanelDecision:
        data = self.cleaned_data
        return PanelDecision(
            decision=data["decision"], reason=data["reason"], team=data.get("team"), transfer_on=data.get("transfer_on")
        )


class StepDownHandoverForm(VersionedForm):
    default_renderer = GovukFormRenderer

    handover_on = GovukDateField(label="Date of the handover meeting", past_only=True)
    note = forms.CharField(
        label="What was handed over",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what was handed over: the plan, the risks, what the family knows"},
    )
    consent_given_by = forms.CharField(
        label="Who reaffirmed the family's consent to early help?",
        max_length=200,
        error_messages={"required": "Say who reaffirmed the family's consent to early help"},
    )
    consent_given_on = GovukDateField(label="Date consent was reaffirmed", past_only=True)

    def __init__(self, *args: Any, step_down: StepDown, **kwargs: Any) -> None:
        super().__init__(*args, record_version=step_down.version, **kwargs)


class SocialCareClosedForm(VersionedForm):
    default_renderer = GovukFormRenderer

    closed_on = GovukDateField(label="Date children's social care closed its case", past_only=True)

    def __init__(self, *args: Any, step_down: StepDown, **kwargs: Any) -> None:
        super().__init__(*args, record_version=step_down.version, **kwargs)
