"""Referrals to other agencies made during the episode, and their outcomes (FF §17).

Whoever works the episode makes one while it is open (its coach, a team leader of its team, the
lead practitioner), with the family's agreement or a reason for going without it; its outcome is
recorded as the agency replies, through the model's allowed moves, under the row lock, refused
from a stale page (ADR 11)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.models import Episode
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import Agency, User
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.models import AgencyReferral

ONLY_THOSE_WHO_WORK_IT = "Only the family's coach, their team leader or the lead practitioner can"


@dataclass(frozen=True)
class ReferralDetails:
    agency: Agency | None
    agency_name: str
    service: str
    reason: str
    made_on: date | None
    family_agreed: bool | None
    without_agreement_because: str = ""
    children: list[int] = field(default_factory=list)


def _problems(details: ReferralDetails, *, episode: Episode, children: set[int]) -> dict[str, str]:
    problems = _what_problems(details, episode=episode)
    if details.made_on is None:
        problems["made_on"] = "Enter the date the referral was made"
    elif details.made_on > timezone.localdate():
        problems["made_on"] = "The date the referral was made must be today or in the past"
    elif details.made_on < timezone.localtime(episode.opened_at).date():
        problems["made_on"] = f"The date must be on or after {timezone.localtime(episode.opened_at):%-d %B %Y}"
    if details.family_agreed is None:
        problems["family_agreed"] = "Say whether the family agreed to the referral"
    elif not details.family_agreed and not details.without_agreement_because.strip():
        problems["without_agreement_because"] = "Say why the referral was made without the family's agreement"
    if not set(details.children) <= children:
        problems["children"] = "Choose only the family's own children"
    return problems


def _what_problems(details: ReferralDetails, *, episode: Episode) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.agency is None and not details.agency_name.strip():
        problems["agency_name"] = "Choose the agency, or enter its name"
    if details.agency is not None and details.agency.authority_id != episode.authority_id:
        problems["agency"] = "Choose an agency from the list"
    if not details.service.strip():
        problems["service"] = "Say what the family was referred for"
    if not details.reason.strip():
        problems["reason"] = "Say why: what the referral is to help with"
    return problems


@audited
def agency_referral_make(*, actor: User, episode: Episode, details: ReferralDetails) -> AgencyReferral:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({"service": f"{ONLY_THOSE_WHO_WORK_IT} refer the family to another agency"})
    children = set(
        FamilyMembership.objects.filter(family_id=episode.family_id, role=FamilyMembership.Role.CHILD).values_list(
            "person_id", flat=True
        )
    )
    problems = _problems(details, episode=episode, children=children)
    if problems:
        raise ValidationError(problems)
    assert details.made_on is not None
    assert details.family_agreed is not None
    referral = AgencyReferral.objects.create(
        family_id=episode.family_id,
        episode=episode,
        agency=details.agency,
        agency_name=details.agency.name if details.agency else " ".join(details.agency_name.split()),
        service=details.service.strip(),
        reason=details.reason.strip(),
        made_on=details.made_on,
        family_agreed=details.family_agreed,
        without_agreement_because="" if details.family_agreed else details.without_agreement_because.strip(),
        made_by=actor,
    )
    referral.children.set(sorted(set(details.children)))
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=referral,
        changes={
            "agency": referral.agency_name,
            "service": referral.service,
            "reason": referral.reason,
            "made_on": referral.made_on.isoformat(),
            "family_agreed": referral.family_agreed,
            "children": sorted(set(details.children)),
        },
    )
    return referral


@audited
def agency_referral_outcome(
    *, actor: User, referral: AgencyReferral, outcome: str, details: str, on: date | None, seen_version: int | None
) -> AgencyReferral:
    """What came of the referral: its next allowed outcome, with when and what was said."""
    episode = locked(referral.episode)
    if not can_work(actor, episode):
        raise ValidationError({"outcome": f"{ONLY_THOSE_WHO_WORK_IT} record what came of a referral"})
    referral = locked(referral)
    problems: dict[str, str] = {}
    if outcome not in AgencyReferral.Outcome.values or outcome == referral.outcome:
        problems["outcome"] = "Choose what came of the referral"
    elif not AgencyReferral.TRANSITIONS.allows(referral.outcome, outcome):
        problems["outcome"] = (
            f"A referral {referral.get_outcome_display().lower()} cannot become "
            f"“{AgencyReferral.Outcome(outcome).label.lower()}”"
        )
    if on is None:
        problems["outcome_on"] = "Enter the date of the outcome"
    elif on > timezone.localdate():
        problems["outcome_on"] = "The date of the outcome must be today or in the past"
    elif on < referral.made_on:
        problems["outcome_on"] = f"The date must be on or after the referral, {referral.made_on:%-d %B %Y}"
    if problems:
        raise ValidationError(problems)
    assert on is not None
    versions = version_move_on(referral, seen=seen_version)
    before = referral.outcome
    referral.outcome, referral.outcome_details, referral.outcome_on = outcome, details.strip(), on
    referral.save(update_fields=["outcome", "outcome_details", "outcome_on", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=referral,
        changes={"outcome": [before, outcome], "outcome_on": on.isoformat(), "version": versions},
    )
    return referral
