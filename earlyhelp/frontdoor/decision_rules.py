"""The rules a triage decision must meet, in one place: who must be matched, when the level of
need is needed, what each outcome needs (a service, a team, an area), consent, and the
social-care rule: every outcome but a redirect, made where the thresholds tool says "refer to
children's social care", needs an override reason and a team leader's confirmation (FF §5.3,
§5.6b). Reads only; the services in `deciding.py` call them under the contact's row lock."""

from dataclasses import dataclass

from earlyhelp.core.templatetags.govuk_dates import govuk_datetime
from earlyhelp.directory.models import Service
from earlyhelp.frontdoor.models import Contact, ContactPerson, TriageDecision
from earlyhelp.organisations.models import Area, Team


def main_child(contact: Contact) -> ContactPerson | None:
    """The child the level of need is recorded against: the first child on the referral."""
    return next((entry for entry in contact.people.all() if entry.is_child), None)


def _allocation_problems(*, contact: Contact, team: Team | None, consent_not_in_writing_because: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if team is None or team.kind != Team.Kind.FAMILY_SUPPORT:
        problems["team"] = "Select the family support team"
    if not contact.consents_to_early_help:
        problems["outcome"] = (
            "The family has not consented to an early help service, so they cannot be allocated to a family "
            "support team. Record their consent first, or choose another outcome"
        )
    elif not contact.consent_in_writing:
        if contact.authority.require_written_consent:
            problems["outcome"] = (
                "The family's consent is verbal, and this service needs it in writing before allocating. Record "
                "their written consent first, or choose another outcome"
            )
        elif not consent_not_in_writing_because.strip():
            problems["consent_not_in_writing_because"] = (
                "The family's consent is verbal. Say why it is not in writing; the family coach will ask for it "
                "in writing at the first visit"
            )
    return problems


def _outcome_problems(*, contact: Contact, choice: "DecisionChoice") -> dict[str, str]:
    problems: dict[str, str] = {}
    if choice.outcome == TriageDecision.Outcome.SIGNPOST and choice.service is None:
        problems["service"] = "Select the service you are signposting the family to"
    if choice.outcome == TriageDecision.Outcome.SCHEDULE:
        if choice.meeting_area is None:
            problems["meeting_area"] = "Select the area whose meeting should discuss the family"
        if choice.discuss_anonymously is None:
            problems["discuss_anonymously"] = "Select whether the meeting discusses the family by name or anonymously"
        elif not choice.discuss_anonymously and not contact.consents_to_named_discussion:
            problems["discuss_anonymously"] = (
                "The family has not agreed to be discussed by name at a meeting, so they can only be discussed "
                "anonymously. Record their consent first, or choose anonymously"
            )
    if choice.outcome == TriageDecision.Outcome.ALLOCATE:
        problems |= _allocation_problems(
            contact=contact, team=choice.team, consent_not_in_writing_because=choice.consent_not_in_writing_because
        )
    return problems


OVERRIDE_WORDS = {
    TriageDecision.Outcome.SIGNPOST: "signposting",
    TriageDecision.Outcome.SCHEDULE: "discussing the family at a meeting",
    TriageDecision.Outcome.ALLOCATE: "allocating to a family support team",
}


def already_decided(contact: Contact) -> str:
    """What happened to a contact someone else decided first, in words for the one who lost."""
    latest = contact.decisions.select_related("decided_by").order_by("-decided_at", "-pk").first()
    if latest is None:
        return "This contact has already been decided"
    who, when = latest.decided_by.full_name, govuk_datetime(latest.decided_at)
    outcome = latest.get_outcome_display().lower()
    waiting = (
        " It is waiting for a team leader’s confirmation."
        if contact.status == Contact.Status.AWAITING_CONFIRMATION
        else ""
    )
    return f"{who} decided this contact on {when}: {outcome}. Your decision has not been saved.{waiting}"


def no_longer_waiting(decision: TriageDecision) -> str:
    """Why a team leader can no longer confirm or return a decision: someone else already has."""
    if decision.confirmed_by is not None and decision.confirmed_at is not None:
        return f"{decision.confirmed_by.full_name} confirmed this decision on {govuk_datetime(decision.confirmed_at)}"
    if decision.returned_by is not None and decision.returned_at is not None:
        return (
            f"{decision.returned_by.full_name} returned this decision for a new one on "
            f"{govuk_datetime(decision.returned_at)}"
        )
    return "This decision is not waiting for confirmation"


def decision_problems(*, contact: Contact, choice: "DecisionChoice") -> dict[str, str]:
    if contact.status != Contact.Status.AWAITING_DECISION:
        return {"outcome": already_decided(contact)}
    problems: dict[str, str] = {}
    outcome = choice.outcome
    people = list(contact.people.all())
    if any(entry.person_id is None for entry in people):
        problems["outcome"] = "Match or record everyone on the referral before deciding"
    elif not any(entry.is_child for entry in people):
        # An "immediate danger" contact saved before any child was named.
        if outcome != TriageDecision.Outcome.REDIRECT:
            problems["outcome"] = "A contact that names no child can only be redirected to children's social care"
    elif contact.level_of_need_id is None:
        problems["outcome"] = "Record the level of need before deciding"
    if outcome not in TriageDecision.Outcome.values:
        return problems | {"outcome": "Select what happens next"}
    if not choice.reasons.strip():
        problems["reasons"] = "Give the reasons for this decision"
    problems |= _outcome_problems(contact=contact, choice=choice)
    if decision_needs_confirmation(contact, outcome) and not choice.override_reason.strip():
        problems["override_reason"] = (
            "The thresholds tool says this needs an immediate referral to children's social care. Give the reason "
            f"for {OVERRIDE_WORDS[TriageDecision.Outcome(outcome)]} instead; a team leader must confirm it"
        )
    return problems


def social_care_recommended(contact: Contact) -> bool:
    """Whether the thresholds tool (or an "immediate danger" answer) says refer to social care."""
    decision = contact.level_of_need
    return bool(contact.immediate_danger or (decision and decision.recommendation.get("refer_to_social_care")))


def decision_needs_confirmation(contact: Contact, outcome: str) -> bool:
    """Every outcome but a redirect, against advice to refer to social care, needs a team leader
    (FF §5.3, §5.6b: such referrals are not sent to Families First)."""
    return outcome != TriageDecision.Outcome.REDIRECT and social_care_recommended(contact)


@dataclass(frozen=True)
class DecisionChoice:
    """What the practitioner chose on the decision page."""

    outcome: str
    reasons: str
    service: Service | None = None
    team: Team | None = None
    meeting_area: Area | None = None
    override_reason: str = ""
    tell_family: bool = True
    discuss_anonymously: bool | None = None
    consent_not_in_writing_because: str = ""


STATUS_FOR_OUTCOME = {
    TriageDecision.Outcome.SIGNPOST: Contact.Status.SIGNPOSTED,
    TriageDecision.Outcome.SCHEDULE: Contact.Status.AWAITING_MEETING,
    TriageDecision.Outcome.ALLOCATE: Contact.Status.ALLOCATED,
    TriageDecision.Outcome.REDIRECT: Contact.Status.REDIRECTED,
}
