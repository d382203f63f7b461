"""The decision support: which level of need the selected indicators point to, what to do, and why.

`recommend()` is a pure function of a framework, the selected indicators and a few facts. It never
decides: it recommends, and the practitioner records the level they choose (with a reason where it
differs). Each reason names the rule that fired and the indicators that made it fire.

The rules, in the words of Northamptonshire's Table One (each framework words its own actions):
- only level 1 indicators, or none: universal services, no assessment;
- level 2 needs in one area: support yourself or one service, no CAF; in several areas (a number
  the framework sets): a CAF must be completed, consider a forum or a Team Around the Family;
- any level 3: a CAF must be completed, or the existing one updated and the new information sent
  to the lead professional; consider forum or TAF; identify a lead professional;
- any level 4, enough items of a referral list (immediate safeguarding, CSE, section 17) or any
  FGM concern: an immediate referral to children's social care, not delayed for a CAF;
- immediate danger: the police on 999, before anything else;
- no consent for an assessment: consider whether that is a safeguarding concern, and what can
  still happen without consent.
Adding an indicator never lowers the level: the level is the highest any rule reaches.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from earlyhelp.thresholds.definition import FrameworkDefinition, Indicator


@dataclass(frozen=True)
class Facts:
    """What a practitioner knows besides the indicators."""

    caf_exists: bool = False
    # True: the family consented to an assessment; False: they refused; None: not yet asked.
    consent_given: bool | None = None
    immediate_danger: bool = False
    fgm_concern: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "caf_exists": self.caf_exists,
            "consent_given": self.consent_given,
            "immediate_danger": self.immediate_danger,
            "fgm_concern": self.fgm_concern,
        }


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    indicators: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "text": self.text, "indicators": list(self.indicators)}


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class Recommendation:
    framework: str
    version: str
    level: int | None
    level_name: str
    response: str
    actions: tuple[Action, ...]
    reasons: tuple[Reason, ...]
    refer_to_social_care: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "version": self.version,
            "level": self.level,
            "level_name": self.level_name,
            "response": self.response,
            "refer_to_social_care": self.refer_to_social_care,
            "actions": [action.as_dict() for action in self.actions],
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


class UnknownIndicatorsError(ValueError):
    def __init__(self, framework: FrameworkDefinition, unknown: list[str]) -> None:
        self.unknown = unknown
        names = ", ".join(repr(identifier) for identifier in unknown)
        super().__init__(
            f"{framework.framework} version {framework.version} has no indicator {names}. "
            f"Use the identifiers from `thresholds export --framework {framework.framework}`."
        )


@dataclass
class _Working:
    """What the rules have found so far."""

    framework: FrameworkDefinition
    selected: list[Indicator]
    facts: Facts
    level: int | None = None
    refer: bool = False
    reasons: list[Reason] = field(default_factory=list)

    def raise_level(self, level: int) -> None:
        self.level = level if self.level is None else max(self.level, level)

    def because(self, rule: str, text: str, indicators: Iterable[Indicator] = ()) -> None:
        self.reasons.append(Reason(rule=rule, text=text, indicators=tuple(i.id for i in indicators)))


def selected_indicators(framework: FrameworkDefinition, identifiers: Iterable[str]) -> list[Indicator]:
    """The framework's indicators for `identifiers`, once each, in the framework's order."""
    wanted = set(identifiers)
    unknown = sorted(wanted - framework.by_id.keys())
    if unknown:
        raise UnknownIndicatorsError(framework, unknown)
    return [indicator for key, indicator in framework.by_id.items() if key in wanted]


def recommend(framework: FrameworkDefinition, identifiers: Iterable[str], facts: Facts = Facts()) -> Recommendation:
    work = _Working(framework=framework, selected=selected_indicators(framework, identifiers), facts=facts)
    _highest_matrix_level(work)
    _referral_lists(work)
    _fgm_concern(work)
    _immediate_danger(work)
    if work.level is None and framework.universal_level is not None:
        work.level = framework.universal_level
    response, situation = _response(work)
    actions = _consent(work, situation)
    if facts.immediate_danger:
        actions = framework.responses["immediate_danger"] + actions
    return Recommendation(
        framework=framework.framework,
        version=framework.version,
        level=work.level,
        level_name=framework.level_name(work.level),
        response=response,
        actions=tuple(_actions(framework, actions)),
        reasons=tuple(work.reasons),
        refer_to_social_care=work.refer or response == "statutory",
    )


def _highest_matrix_level(work: _Working) -> None:
    matrix = [indicator for indicator in work.selected if indicator.level is not None]
    if not matrix:
        return
    top = max(indicator.level for indicator in matrix if indicator.level is not None)
    at_top = [indicator for indicator in matrix if indicator.level == top]
    work.raise_level(top)
    count = _count(len(at_top), "indicator")
    work.because(
        "highest-level",
        f"The highest level among the selected indicators is {work.framework.level_name(top)} ({count}).",
        at_top,
    )


def _referral_lists(work: _Working) -> None:
    for special in work.framework.special_lists:
        chosen = [indicator for indicator in work.selected if indicator.list_id == special.id]
        if not chosen:
            continue
        if len(chosen) >= special.refer_when:
            work.refer = True
            work.raise_level(work.framework.referral_level)
            work.because(
                f"list:{special.id}",
                f"{_count(len(chosen), 'item')} from the {special.title} list selected; "
                f"{special.refer_when} or more call for an immediate referral to children's social care.",
                chosen,
            )
        else:
            # An item of a referral list is a sign of need on its own (the CSE list sits in Level 2 of
            # Northamptonshire's matrix): never "universal services".
            floor = special.level or work.framework.lowest_level_of_concern
            work.raise_level(floor)
            wording = "; ".join(f"“{indicator.wording.rstrip('.')}”" for indicator in chosen)
            work.because(
                f"list:{special.id}:below",
                f"{_count(len(chosen), 'item')} from the {special.title} list selected ({wording}): on its own "
                f"the list shows at least {work.framework.level_name(floor)}. It takes {special.refer_when} or "
                "more to call for a referral to children's social care on this list alone: stay alert to the others.",
                chosen,
            )


def _fgm_concern(work: _Working) -> None:
    if work.facts.fgm_concern:
        work.refer = True
        work.raise_level(work.framework.referral_level)
        work.because(
            "fgm-concern",
            "There is a concern about female genital mutilation (FGM): every FGM concern is referred to "
            "children's social care.",
        )


def _immediate_danger(work: _Working) -> None:
    if work.facts.immediate_danger:
        work.refer = True
        work.raise_level(work.framework.referral_level)
        work.because("immediate-danger", "The child is in immediate danger: call the police on 999 first.")


def _response(work: _Working) -> tuple[str, str]:
    """The kind of response, and the situation whose actions the framework words."""
    framework = work.framework
    if work.level is None:
        work.because("nothing-selected", "No indicator is selected, so the framework points to no level of need.")
        return "none", "nothing_selected"
    kind = framework.level(work.level).response
    if work.refer or kind == "statutory":
        if not work.refer:
            work.because("statutory-level", f"{framework.level_name(work.level)} calls for a referral.")
        return _with_assessment(work, "statutory")
    if kind == "targeted":
        work.because("targeted-level", f"{framework.level_name(work.level)} calls for a targeted response.")
        return _with_assessment(work, "targeted")
    if kind == "early_help":
        return _early_help(work)
    if not work.selected:
        work.because("nothing-selected", "No need is selected: universal services meet the family's needs.")
    else:
        names = "; ".join(f"“{indicator.wording.rstrip('.')}”" for indicator in work.selected)
        work.because(
            "universal",
            f"Only {framework.level_name(work.level)} indicators are selected ({names}): universal services, "
            "no assessment.",
            work.selected,
        )
    return "universal", "universal"


def _with_assessment(work: _Working, kind: str) -> tuple[str, str]:
    with_assessment = f"{kind}_with_assessment"
    if work.facts.caf_exists and with_assessment in work.framework.responses:
        work.because("assessment-exists", "An assessment (CAF) already exists for this child.")
        return kind, with_assessment
    return kind, kind


def _early_help(work: _Working) -> tuple[str, str]:
    framework = work.framework
    needed = framework.rules.areas_of_need_for_assessment
    at_level = [indicator for indicator in work.selected if indicator.level == work.level]
    if needed is None:
        if at_level:
            work.because(
                "early-help",
                f"{_count(len(at_level), 'need')} at {framework.level_name(work.level)}; one is enough for early help.",
                at_level,
            )
        return "early_help", "early_help"
    areas = list(dict.fromkeys(indicator.domain for indicator in at_level))
    names = ", ".join(framework.domain_name(area) for area in areas)
    if len(areas) >= needed:
        work.because(
            "several-areas-of-need",
            f"Level {work.level} needs in {_count(len(areas), 'area')} ({names}); "
            f"{needed} or more areas mean an assessment must be completed.",
            at_level,
        )
        return "early_help", "early_help_several_areas"
    if areas:
        work.because(
            "one-area-of-need",
            f"Level {work.level} needs in one area ({names}); an assessment is needed from {needed} areas.",
            at_level,
        )
    return "early_help", "early_help_one_area"


def _consent(work: _Working, situation: str) -> list[str]:
    """The situation's actions, with what to do when the family has refused consent."""
    responses = work.framework.responses
    actions = list(responses.get(situation, []))
    if work.facts.consent_given is not False or situation in ("nothing_selected", "universal"):
        return actions
    work.because("no-consent", "The family has not given consent to an assessment.")
    instead = f"{situation}_no_consent"
    if instead in responses:
        return list(responses[instead])
    return actions + list(responses["no_consent"])


def _actions(framework: FrameworkDefinition, action_ids: list[str]) -> list[Action]:
    unique = list(dict.fromkeys(action_ids))
    return [
        Action(id=action_id, text=framework.actions[action_id].text, source=framework.actions[action_id].source)
        for action_id in unique
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
