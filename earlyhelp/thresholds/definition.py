"""A thresholds framework as data: what a framework's YAML file holds, checked as it is read.

A framework names its levels of need and the response each calls for, groups its domains, lists
its indicators by level and domain, carries the lists that call for a referral whatever the level
(immediate safeguarding, child sexual exploitation, section 17), and gives, in its own words, the
actions each situation calls for. Nothing here is specific to one authority: a new authority
writes its own file (docs/thresholds.md describes every key).

Everything in this module is pure: no database, no Django.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ResponseKind = Literal["universal", "early_help", "targeted", "statutory"]

# The situations the decision rules can reach, and the responses a framework must word for them.
ALWAYS_REQUIRED_RESPONSES = ("statutory", "immediate_danger", "no_consent")
RESPONSES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "universal": ("universal",),
    "targeted": ("targeted",),
    "statutory": ("statutory",),
}
# Optional: what to do when no indicator is selected; and, for a situation, the one thing to do
# instead when the family refuses consent (`early_help_no_consent`); without it, the `no_consent`
# actions are added to the situation's own.
REFUSABLE_RESPONSES = ("early_help", "early_help_one_area", "early_help_several_areas", "targeted")
OPTIONAL_RESPONSES = (
    "targeted_with_assessment",
    "statutory_with_assessment",
    "nothing_selected",
    *(f"{response}_no_consent" for response in REFUSABLE_RESPONSES),
)
KNOWN_RESPONSES = frozenset(
    {"universal", "early_help", "early_help_one_area", "early_help_several_areas", "targeted", "statutory"}
    | set(ALWAYS_REQUIRED_RESPONSES)
    | set(OPTIONAL_RESPONSES)
)
IDENTIFIER = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelDefinition(Strict):
    level: int = Field(ge=1, le=9)
    name: str = Field(min_length=1)
    heading: str = ""
    description: str = ""
    assessment: str = ""
    response: ResponseKind


class DomainDefinition(Strict):
    id: str = Field(pattern=IDENTIFIER)
    name: str = Field(min_length=1)


class DomainGroupDefinition(Strict):
    id: str = Field(pattern=IDENTIFIER)
    name: str = Field(min_length=1)
    domains: list[DomainDefinition] = Field(min_length=1)


class IndicatorEntry(Strict):
    id: str = Field(pattern=IDENTIFIER)
    wording: str = Field(min_length=1)
    includes: list[str] = []


class MatrixCell(Strict):
    level: int
    domain: str
    indicators: list[IndicatorEntry] = Field(min_length=1)


class ListItem(Strict):
    id: str = Field(pattern=IDENTIFIER)
    wording: str = Field(min_length=1)
    group: str = ""


class SpecialList(Strict):
    id: str = Field(pattern=IDENTIFIER)
    title: str = Field(min_length=1)
    source: str = ""
    introduction: str = ""
    refer_when: int = Field(ge=1, description="How many of the list's items together call for a referral.")
    level: int | None = Field(
        default=None,
        description="The level of need any one item shows on its own; null: the lowest level above universal.",
    )
    contacts: list[str] = []
    items: list[ListItem] = Field(min_length=1)


class FgmGuidance(Strict):
    title: str
    guidance: list[str]
    link: str = ""


class Rules(Strict):
    areas_of_need_for_assessment: int | None = Field(
        default=None, ge=2, description="Level 2 needs in this many areas call for an assessment; null: no such rule."
    )


class ActionDefinition(Strict):
    text: str = Field(min_length=1)
    source: str = ""


@dataclass(frozen=True)
class Indicator:
    """One thing a practitioner can select: a matrix indicator (it has a level) or a list item."""

    id: str
    wording: str
    level: int | None
    domain: str
    domain_name: str
    group_name: str
    list_id: str = ""
    includes: tuple[str, ...] = ()


class FrameworkDefinition(Strict):
    framework: str = Field(pattern=IDENTIFIER)
    title: str = Field(min_length=1)
    authority: str = ""
    version: str = Field(min_length=1)
    source: str = ""
    levels: list[LevelDefinition] = Field(min_length=1)
    domain_groups: list[DomainGroupDefinition] = Field(min_length=1)
    matrix: list[MatrixCell] = Field(min_length=1)
    special_lists: list[SpecialList] = []
    fgm: FgmGuidance | None = None
    rules: Rules = Rules()
    actions: dict[str, ActionDefinition]
    responses: dict[str, list[str]]

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # `version: 2` in YAML is a number; a version is a label.
        return str(value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _consistent(self) -> "FrameworkDefinition":
        _check_levels(self)
        _check_domains_and_cells(self)
        _check_unique_identifiers(self)
        _check_responses(self)
        return self

    # Lookups, built once per definition.

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        domains = {d.id: (d.name, group.name) for group in self.domain_groups for d in group.domains}
        found: dict[str, Indicator] = {}
        for cell in self.matrix:
            domain_name, group_name = domains[cell.domain]
            for entry in cell.indicators:
                found[entry.id] = Indicator(
                    id=entry.id,
                    wording=entry.wording,
                    level=cell.level,
                    domain=cell.domain,
                    domain_name=domain_name,
                    group_name=group_name,
                    includes=tuple(entry.includes),
                )
        for special in self.special_lists:
            for item in special.items:
                found[item.id] = Indicator(
                    id=item.id,
                    wording=item.wording,
                    level=None,
                    domain="",
                    domain_name=item.group,
                    group_name=special.title,
                    list_id=special.id,
                )
        return found

    @cached_property
    def level_numbers(self) -> tuple[int, ...]:
        return tuple(level.level for level in self.levels)

    @cached_property
    def referral_level(self) -> int:
        """The level a referral to children's social care is recorded at: the highest statutory one."""
        return max(level.level for level in self.levels if level.response == "statutory")

    @cached_property
    def universal_level(self) -> int | None:
        """The level needs met by universal services sit at, if the framework has one."""
        return next((level.level for level in self.levels if level.response == "universal"), None)

    @cached_property
    def lowest_level_of_concern(self) -> int:
        """The lowest level above universal services: where any sign of need starts."""
        return min(level.level for level in self.levels if level.response != "universal")

    def level(self, number: int) -> LevelDefinition:
        return next(level for level in self.levels if level.level == number)

    def level_name(self, number: int | None) -> str:
        if number is None:
            return "No level indicated"
        return f"Level {number}: {self.level(number).name}"

    def domain_name(self, domain_id: str) -> str:
        return next(d.name for group in self.domain_groups for d in group.domains if d.id == domain_id)

    def matrix_indicators(self) -> list[Indicator]:
        return [indicator for indicator in self.by_id.values() if indicator.level is not None]


class FrameworkFileError(ValueError):
    """A framework file that cannot be used, with every problem in words an administrator can act on."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def framework_parse(text: str) -> FrameworkDefinition:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkFileError([f"The file is not valid YAML: {error}"]) from error
    return framework_from_data(data)


def framework_from_data(data: Any) -> FrameworkDefinition:
    if not isinstance(data, dict):
        raise FrameworkFileError(["The file must hold a mapping with keys such as framework, version and levels."])
    try:
        return FrameworkDefinition.model_validate(data)
    except ValidationError as error:
        raise FrameworkFileError([_problem(detail) for detail in error.errors()]) from error


def _problem(detail: Any) -> str:
    where = ".".join(str(part) for part in detail["loc"]) or "file"
    return f"{where}: {detail['msg']}"


def _check_levels(framework: FrameworkDefinition) -> None:
    numbers = [level.level for level in framework.levels]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"levels must be listed once each, lowest first (found {numbers})")
    if not any(level.response == "statutory" for level in framework.levels):
        raise ValueError("at least one level must have response: statutory (where referrals to social care sit)")


def _check_domains_and_cells(framework: FrameworkDefinition) -> None:
    domain_ids = [d.id for group in framework.domain_groups for d in group.domains]
    if len(domain_ids) != len(set(domain_ids)):
        raise ValueError("each domain id must be used once")
    numbers = set(framework.level_numbers)
    for position, cell in enumerate(framework.matrix):
        if cell.level not in numbers:
            raise ValueError(f"matrix.{position}: level {cell.level} is not one of the levels {sorted(numbers)}")
        if cell.domain not in domain_ids:
            raise ValueError(f"matrix.{position}: domain {cell.domain!r} is not one of the domains {domain_ids}")


def _check_unique_identifiers(framework: FrameworkDefinition) -> None:
    seen: set[str] = set()
    every_id = [entry.id for cell in framework.matrix for entry in cell.indicators]
    every_id += [item.id for special in framework.special_lists for item in special.items]
    for identifier in every_id:
        if identifier in seen:
            raise ValueError(f"indicator id {identifier!r} is used more than once")
        seen.add(identifier)


def _required_responses(framework: FrameworkDefinition) -> set[str]:
    required = set(ALWAYS_REQUIRED_RESPONSES)
    for level in framework.levels:
        if level.response == "early_help":
            several = framework.rules.areas_of_need_for_assessment is not None
            required |= {"early_help_one_area", "early_help_several_areas"} if several else {"early_help"}
        else:
            required |= set(RESPONSES_FOR_KIND[level.response])
    return required


def _check_responses(framework: FrameworkDefinition) -> None:
    missing = sorted(_required_responses(framework) - set(framework.responses))
    if missing:
        raise ValueError(f"responses is missing {', '.join(missing)}")
    for response, action_ids in framework.responses.items():
        if response not in KNOWN_RESPONSES:
            known = ", ".join(sorted(KNOWN_RESPONSES))
            raise ValueError(f"responses.{response} is not a situation the rules know ({known})")
        unknown = [action_id for action_id in action_ids if action_id not in framework.actions]
        if unknown:
            raise ValueError(f"responses.{response} names actions that are not defined: {', '.join(unknown)}")
