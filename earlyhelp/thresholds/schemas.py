"""The shapes of a level-of-need question and answer, as the JSON API and the command line take them."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from earlyhelp.thresholds.definition import FrameworkDefinition
from earlyhelp.thresholds.rules import Facts
from earlyhelp.thresholds.rules import Recommendation as RecommendationResult

MAX_INDICATORS = 500


class FactsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caf_exists: bool = Field(default=False, description="An early help assessment (CAF) already exists.")
    consent_given: bool | None = Field(
        default=None, description="true: the family consented to an assessment; false: refused; null: not asked."
    )
    immediate_danger: bool = Field(default=False, description="The child is in immediate danger.")
    fgm_concern: bool = Field(default=False, description="There is a concern about female genital mutilation.")

    def to_facts(self) -> Facts:
        return Facts(
            caf_exists=self.caf_exists,
            consent_given=self.consent_given,
            immediate_danger=self.immediate_danger,
            fgm_concern=self.fgm_concern,
        )


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicators: list[str] = Field(
        default_factory=list,
        max_length=MAX_INDICATORS,
        description="Identifiers of the selected indicators, as the framework export gives them.",
    )
    facts: FactsIn = Field(default_factory=FactsIn)


class ActionOut(BaseModel):
    id: str
    text: str
    source: str


class ReasonOut(BaseModel):
    rule: str = Field(description="The rule that fired, such as highest-level or several-areas-of-need.")
    text: str
    indicators: list[str] = Field(description="The indicators that made the rule fire.")


class RecommendationOut(BaseModel):
    framework: str
    version: str
    level: int | None = Field(description="The recommended level of need; null when nothing points to one.")
    level_name: str
    response: str = Field(description="universal, early_help, targeted, statutory, or none.")
    refer_to_social_care: bool
    actions: list[ActionOut]
    reasons: list[ReasonOut]

    @classmethod
    def from_result(cls, result: RecommendationResult) -> "RecommendationOut":
        return cls.model_validate(result.as_dict())


def framework_export(definition: FrameworkDefinition) -> dict[str, Any]:
    """The framework as loaded, with a flat list of every selectable indicator and its identifier."""
    exported = definition.model_dump(mode="json")
    exported["indicators"] = [
        {
            "id": indicator.id,
            "level": indicator.level,
            "domain": indicator.domain,
            "list": indicator.list_id,
            "wording": indicator.wording,
        }
        for indicator in definition.by_id.values()
    ]
    return exported
