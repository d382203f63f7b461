"""Triage: recording the level of need, the decision, and a team leader confirming or returning
one made against the thresholds tool's advice. Each use case locks the contact, re-checks the
rules in `decision_rules.py` against what it has just read, and moves the contact through its
allowed transitions (`Contact.TRANSITIONS`); e-mails go after the transaction commits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.directory.models import Service
from earlyhelp.frontdoor import notifications
from earlyhelp.frontdoor.decision_rules import (
    STATUS_FOR_OUTCOME,
    DecisionChoice,
    already_decided,
    decision_needs_confirmation,
    decision_problems,
    main_child,
    no_longer_waiting,
)
from earlyhelp.frontdoor.models import Contact, ContactPerson, TriageDecision
from earlyhelp.organisations.models import Area, Team, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people import services as people_services
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import Facts
from earlyhelp.thresholds.services import level_of_need_record


@audited
def contact_level_of_need_record(
    *,
    actor: User,
    contact: Contact,
    version: FrameworkVersion,
    indicators: list[str],
    facts: Facts,
    level: int,
    override_reason: str = "",
) -> Contact:
    contact = locked(contact)
    if not contact.is_open:
        raise ValidationError({"level": already_decided(contact)})
    child = main_child(contact)
    if child is None or child.person is None:
        raise ValidationError(
            {"level": "Match or record the child on this referral before recording the level of need"}
        )
    decision = level_of_need_record(
        actor=actor,
        person=child.person,
        version=version,
        indicators=indicators,
        facts=facts,
        level=level,
        override_reason=override_reason,
    )
    contact.level_of_need = decision
    contact.save(update_fields=["level_of_need"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=contact,
        changes={"level_of_need": [None, f"Level {decision.level}: {decision.level_name}"]},
    )
    return contact


@audited
def contact_decide(
    *,
    actor: User,
    contact: Contact,
    outcome: str,
    reasons: str,
    service: Service | None = None,
    team: Team | None = None,
    meeting_area: Area | None = None,
    override_reason: str = "",
    tell_family: bool = True,
    discuss_anonymously: bool | None = None,
    consent_not_in_writing_because: str = "",
) -> TriageDecision:
    choice = DecisionChoice(
        outcome=outcome,
        reasons=reasons,
        service=service,
        team=team,
        meeting_area=meeting_area,
        override_reason=override_reason,
        tell_family=tell_family,
        discuss_anonymously=discuss_anonymously,
        consent_not_in_writing_because=consent_not_in_writing_because,
    )
    # Under the contact's row lock: a second practitioner deciding at the same moment waits here,
    # then finds the contact decided and is told by whom.
    contact = locked(contact)
    problems = decision_problems(contact=contact, choice=choice)
    if problems:
        raise ValidationError(problems)
    chosen = TriageDecision.Outcome(choice.outcome)
    needs_confirmation = decision_needs_confirmation(contact, chosen)
    allocating_on_verbal = chosen == TriageDecision.Outcome.ALLOCATE and not contact.consent_in_writing
    decision = TriageDecision.objects.create(
        contact=contact,
        outcome=chosen,
        reasons=choice.reasons.strip(),
        service=choice.service if chosen == TriageDecision.Outcome.SIGNPOST else None,
        team=choice.team if chosen == TriageDecision.Outcome.ALLOCATE else None,
        meeting_area=choice.meeting_area if chosen == TriageDecision.Outcome.SCHEDULE else None,
        discuss_anonymously=chosen == TriageDecision.Outcome.SCHEDULE and bool(choice.discuss_anonymously),
        consent_not_in_writing_because=choice.consent_not_in_writing_because.strip() if allocating_on_verbal else "",
        written_consent_at_first_visit=allocating_on_verbal,
        override_reason=choice.override_reason.strip() if needs_confirmation else "",
        decided_by=actor,
        tell_family=choice.tell_family,
        needs_confirmation=needs_confirmation,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=decision,
        changes={
            "contact": contact.reference,
            "outcome": decision.get_outcome_display(),
            "reasons": decision.reasons,
            "service": str(decision.service) if decision.service_id else None,
            "team": str(decision.team) if decision.team_id else None,
            "meeting_area": str(decision.meeting_area) if decision.meeting_area_id else None,
            "discuss_anonymously": decision.discuss_anonymously,
            "consent_not_in_writing_because": decision.consent_not_in_writing_because,
            "override_reason": decision.override_reason,
            "tell_family": decision.tell_family,
        },
    )
    _family_link(actor=actor, contact=contact)
    if needs_confirmation:
        _status_change(actor=actor, contact=contact, to=Contact.Status.AWAITING_CONFIRMATION)
    else:
        _finish(actor=actor, contact=contact, decision=decision)
    return decision


def _status_change(*, actor: User, contact: Contact, to: Contact.Status) -> None:
    before = contact.status_change(to)
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=contact, changes={"status": [before, to]})


def _finish(*, actor: User, contact: Contact, decision: TriageDecision) -> None:
    _status_change(actor=actor, contact=contact, to=STATUS_FOR_OUTCOME[TriageDecision.Outcome(decision.outcome)])
    if decision.outcome == TriageDecision.Outcome.ALLOCATE:
        _hand_to_team(actor=actor, decision=decision)
    transaction.on_commit(lambda: notifications.outcome_send(decision_pk=decision.pk))


def _hand_to_team(*, actor: User, decision: TriageDecision) -> None:
    """The family support team's side of an allocation (casework's episode), in this same
    transaction: named by a setting, because the front door sits beneath casework (ADR 16)."""
    receiver_path = settings.FRONT_DOOR_ALLOCATION_RECEIVER
    if receiver_path:
        receiver = import_string(receiver_path)
        receiver(actor=actor, decision=decision)


def _decision_locked(decision: TriageDecision) -> tuple[Contact, TriageDecision]:
    """The decision and its contact, read again under their row locks (the contact first, as
    deciding takes it)."""
    return locked(decision.contact), locked(decision)


@audited
def triage_confirm(*, actor: User, decision: TriageDecision) -> TriageDecision:
    """A team leader confirms a decision made against the thresholds tool's advice to refer to social care."""
    if not actor.can(Permission.CONFIRM_TRIAGE_OVERRIDES):
        raise ValidationError("Only a team leader can confirm this decision")
    contact, decision = _decision_locked(decision)
    if not decision.is_awaiting_confirmation:
        raise ValidationError(no_longer_waiting(decision))
    if decision.decided_by_id == actor.pk:
        raise ValidationError("A different team leader must confirm a decision you made yourself")
    TriageDecision.TRANSITIONS.check(decision.state, TriageDecision.State.CONFIRMED, what="A triage decision")
    decision.confirmed_by, decision.confirmed_at = actor, timezone.now()
    decision.save(update_fields=["confirmed_by", "confirmed_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=decision, changes={"confirmed": [False, True]})
    _finish(actor=actor, contact=contact, decision=decision)
    return decision


@audited
def triage_return(*, actor: User, decision: TriageDecision, because: str) -> TriageDecision:
    """A team leader sends such a decision back to the queue for a new one."""
    if not actor.can(Permission.CONFIRM_TRIAGE_OVERRIDES):
        raise ValidationError("Only a team leader can return this decision")
    contact, decision = _decision_locked(decision)
    if not decision.is_awaiting_confirmation:
        raise ValidationError(no_longer_waiting(decision))
    if not because.strip():
        raise ValidationError({"because": "Say why the decision is being returned"})
    TriageDecision.TRANSITIONS.check(decision.state, TriageDecision.State.RETURNED, what="A triage decision")
    decision.returned_by, decision.returned_at, decision.returned_because = actor, timezone.now(), because.strip()
    decision.save(update_fields=["returned_by", "returned_at", "returned_because"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=decision,
        changes={"returned": [None, decision.returned_because]},
    )
    _status_change(actor=actor, contact=contact, to=Contact.Status.AWAITING_DECISION)
    return decision


MEMBERSHIP_ROLE = {
    ContactPerson.Role.CHILD: FamilyMembership.Role.CHILD,
    ContactPerson.Role.UNBORN: FamilyMembership.Role.CHILD,
    ContactPerson.Role.PARENT: FamilyMembership.Role.PARENT,
    ContactPerson.Role.CARER: FamilyMembership.Role.CARER,
    ContactPerson.Role.OTHER_ADULT: FamilyMembership.Role.OTHER_ADULT,
}


def _family_link(*, actor: User, contact: Contact) -> Family | None:
    """The family the contact is about: the one its people already share, or a new one."""
    entries = list(contact.people.select_related("person"))
    if not entries:
        return None
    people = [entry.person for entry in entries if entry.person is not None]
    family = contact.family
    if family is None:
        membership = (
            FamilyMembership.objects.filter(person__in=people).select_related("family").order_by("family_id").first()
        )
        family = membership.family if membership else None
    if family is None:
        first = next((entry for entry in entries if entry.is_child), entries[0] if entries else None)
        name = f"The {first.last_name} family" if first else f"Family of {contact.reference}"
        family = people_services.family_create(actor=actor, name=name, area=contact.area)
    members = set(FamilyMembership.objects.filter(family=family).values_list("person_id", flat=True))
    for entry in entries:
        if entry.person is not None and entry.person.pk not in members:
            people_services.family_member_add(
                actor=actor,
                family=family,
                person=entry.person,
                role=MEMBERSHIP_ROLE[ContactPerson.Role(entry.role)],
                lives_in_household=True,
            )
            members.add(entry.person.pk)
    if contact.family_id != family.pk:
        contact.family = family
        contact.save(update_fields=["family"])
        record_change(
            actor=actor, verb=AuditEvent.Verb.UPDATED, target=contact, changes={"family": [None, family.reference]}
        )
    return family


@audited
def contact_area_set(*, actor: User, contact: Contact, area: Area | None, seen_version: int | None) -> Contact:
    """The area whose meeting would discuss the family; refused from a stale page."""
    contact = locked(contact)
    if not contact.is_open:
        raise ValidationError({"area": already_decided(contact)})
    before = str(contact.area) if contact.area_id else None
    versions = version_move_on(contact, seen=seen_version)
    contact.area = area
    contact.save(update_fields=["area", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=contact,
        changes={"area": [before, str(area) if area else None], "version": versions},
    )
    return contact
