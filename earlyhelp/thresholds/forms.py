"""The "Check the level of need" questions, and the decision a practitioner records in a record."""

from typing import Any

from django import forms

from earlyhelp.core.forms import GovukFormRenderer
from earlyhelp.thresholds.definition import FrameworkDefinition
from earlyhelp.thresholds.rules import Facts

CONSENT_CHOICES = [
    ("given", "Yes, the family has given consent to an assessment"),
    ("refused", "No, the family has refused"),
    ("not_asked", "Not asked yet"),
]


class LevelOfNeedCheckForm(forms.Form):
    """The indicators and facts; the template lays the indicators out by domain and level."""

    default_renderer = GovukFormRenderer

    indicators = forms.MultipleChoiceField(required=False)
    caf_exists = forms.BooleanField(required=False, label="An early help assessment (CAF) already exists")
    immediate_danger = forms.BooleanField(required=False, label="The child is in immediate danger")
    fgm_concern = forms.BooleanField(required=False, label="There is a concern about female genital mutilation (FGM)")
    consent = forms.ChoiceField(
        choices=CONSENT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        label="Has the family given consent to an early help assessment?",
    )

    def __init__(self, *args: Any, definition: FrameworkDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        indicators = self.fields["indicators"]
        assert isinstance(indicators, forms.MultipleChoiceField)
        indicators.choices = [(indicator.id, indicator.wording) for indicator in definition.by_id.values()]
        indicators.error_messages["invalid_choice"] = (
            f"%(value)s is not an indicator in {definition.title}, version {definition.version}"
        )

    @property
    def chosen(self) -> set[str]:
        """What the user ticked, valid or not, so that nothing they chose is lost on a re-display."""
        if not self.is_bound:
            return set()
        return set(self.data.getlist("indicators")) if hasattr(self.data, "getlist") else set()

    def facts(self) -> Facts:
        consent = self.cleaned_data.get("consent") or "not_asked"
        return Facts(
            caf_exists=bool(self.cleaned_data.get("caf_exists")),
            consent_given={"given": True, "refused": False}.get(consent),
            immediate_danger=bool(self.cleaned_data.get("immediate_danger")),
            fgm_concern=bool(self.cleaned_data.get("fgm_concern")),
        )


class LevelOfNeedDecisionForm(LevelOfNeedCheckForm):
    """The check, plus the level the practitioner decides on and, where it differs, why."""

    level = forms.TypedChoiceField(
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        label="What level of need have you decided on?",
    )
    override_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why does your decision differ from the recommendation?",
        help_text="Needed only when the level you decide on is not the one recommended.",
    )

    def __init__(self, *args: Any, definition: FrameworkDefinition, **kwargs: Any) -> None:
        super().__init__(*args, definition=definition, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.TypedChoiceField)
        level.choices = [(str(number), definition.level_name(number)) for number in definition.level_numbers]
