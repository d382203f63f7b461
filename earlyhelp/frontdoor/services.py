"""The front door's use cases: receiving a referral, matching its people, recording the level of
need, deciding, and a team leader confirming or returning a decision.

Each runs in one transaction with its audit rows (`@audited`); a referral is saved whole or not
at all. E-mails go only after the transaction commits.
"""

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change, snapshot
from earlyhelp.directory.models import Need, Service
from earlyhelp.frontdoor import notifications
from earlyhelp.frontdoor.consent import consent_record_add
from earlyhelp.frontdoor.journey import referral_from_draft
from earlyhelp.frontdoor.models import (
    Consent,
    Contact,
    ContactPerson,
    IdempotentSubmission,
    PartnerSystem,
    ReferralDraft,
    TriageDecision,
)
from earlyhelp.frontdoor.referrals import IMMEDIATE_DANGER_REASON, Referral, referral_problems
from earlyhelp.organisations.models import Area, Team, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people import services as people_services
from earlyhelp.people.models import Family, FamilyMembership, Involvement, Person
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import Facts, recommend
from earlyhelp.thresholds.selectors import framework_version_latest
from earlyhelp.thresholds.services import level_of_need_record

CONTACT_FIELDS = (
    "source",
    "referrer_name",
    "referrer_role",
    "referrer_agency",
    "referrer_email",
    "referrer_phone",
    "reason",
    "what_has_been_tried",
    "other_agencies",
    "indicators",
    "referrer_recommended_level",
    "immediate_danger",
    "consent",
    "consent_given_by",
    "consent_given_on",
    "consent_how",
    "consent_covers",
)
PERSON_FIELDS = ("role", "first_name", "last_name", "date_of_birth", "expected_date_of_delivery", "nhs_number", "upn")


class ReferralInvalidError(ValidationError):
    """A referral with problems; `problems` maps where each one is to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


# Receiving ----------------------------------------------------------------------------------


def _who(referrer_user: User | None, partner_system: PartnerSystem | None, referral: Referral) -> str:
    if referrer_user is not None:
        return referrer_user.full_name
    if partner_system is not None:
        return f"{partner_system.name} for {referral.referrer_name}"
    return f"{referral.referrer_name} (self-referral)"


@audited
def contact_receive(
    *,
    referral: Referral,
    source: Contact.Source,
    authority_id: int,
    referrer_user: User | None = None,
    partner_system: PartnerSystem | None = None,
    received_at: Any = None,
) -> Contact:
    """Save a referral, whole, after checking every part of it."""
    version = framework_version_latest(None)
    definition = version.definition if version else None
    problems = referral_problems(referral, definition=definition, today=timezone.localdate())
    if problems:
        raise ReferralInvalidError(problems)
    recommended = None
    if definition is not None and referral.indicators:
        facts = Facts(immediate_danger=referral.immediate_danger, consent_given=_consent_flag(referral.consent.status))
        recommended = recommend(definition, referral.indicators, facts).level
    consent = referral.consent
    given = consent.status == Consent.GIVEN
    contact = Contact(
        authority_id=authority_id,
        source=source,
        received_at=received_at or timezone.now(),
        referrer_user=referrer_user,
        partner_system=partner_system,
        referrer_name=referral.referrer_name.strip(),
        referrer_role=referral.referrer_role.strip(),
        referrer_agency=(referrer_user.agency if referrer_user else partner_system.agency if partner_system else None),
        referrer_email=referral.referrer_email.strip().lower(),
        referrer_phone=referral.referrer_phone.strip(),
        reason=referral.reason.strip() or (IMMEDIATE_DANGER_REASON if referral.immediate_danger else ""),
        what_has_been_tried=referral.what_has_been_tried.strip(),
        other_agencies=referral.other_agencies.strip(),
        framework_version=version if referral.indicators else None,
        indicators=list(dict.fromkeys(referral.indicators)),
        referrer_recommended_level=recommended,
        immediate_danger=referral.immediate_danger,
        consent=consent.status,
        consent_given_by=consent.given_by.strip() if given else "",
        consent_given_on=consent.given_on if given else None,
        consent_how=consent.how if given else "",
        consent_covers=sorted(set(consent.covers)) if given else [],
    )
    contact.save()
    contact.needs.set(Need.objects.filter(code__in=referral.needs))
    actor_label = _who(referrer_user, partner_system, referral)
    record_change(
        actor=referrer_user,
        actor_label=actor_label,
        verb=AuditEvent.Verb.CREATED,
        target=contact,
        changes=snapshot(contact, CONTACT_FIELDS) | {"needs": sorted(referral.needs)},
    )
    consent_record_add(contact=contact, actor=referrer_user, actor_label=actor_label, when=contact.received_at)
    for details in [*referral.children, *referral.adults]:
        entry = ContactPerson(contact=contact, **asdict(details.normalised()))
        entry.save()
        record_change(
            actor=referrer_user,
            actor_label=actor_label,
            verb=AuditEvent.Verb.CREATED,
            target=entry,
            changes=snapshot(entry, PERSON_FIELDS),
        )
    if referrer_user is not None:
        ReferralDraft.objects.filter(owner=referrer_user).update(data={}, sent_contact=contact)
    return contact


def _consent_flag(status: str) -> bool | None:
    return {Consent.GIVEN.value: True, Consent.REFUSED.value: False}.get(status)


def referral_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class IdempotencyKeyReusedError(Exception):
    """The same key came with a different referral."""


def contact_receive_from_partner_system(
    *, partner_system: PartnerSystem, referral: Referral, idempotency_key: str | None, digest: str
) -> tuple[Contact, bool]:
    """Save a partner system's referral once per `Idempotency-Key`; (contact, created)."""
    if not idempotency_key:
        contact = contact_receive(
            referral=referral,
            source=Contact.Source.PARTNER_SYSTEM,
            authority_id=partner_system.authority_id,
            partner_system=partner_system,
        )
        return contact, True
    earlier = _earlier_submission(partner_system, idempotency_key, digest)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            contact = contact_receive(
                referral=referral,
                source=Contact.Source.PARTNER_SYSTEM,
                authority_id=partner_system.authority_id,
                partner_system=partner_system,
            )
            IdempotentSubmission.objects.create(
                partner_system=partner_system, key=idempotency_key, request_digest=digest, contact=contact
            )
    except IntegrityError:
        # The same key arrived twice at once; the other request won and its referral stands.
        earlier = _earlier_submission(partner_system, idempotency_key, digest)
        if earlier is None:
            raise
        return earlier, False
    return contact, True


def _earlier_submission(partner_system: PartnerSystem, key: str, digest: str) -> Contact | None:
    submission = (
        IdempotentSubmission.objects.filter(partner_system=partner_system, key=key).select_related("contact").first()
    )
    if submission is None:
        return None
    if submission.request_digest != digest:
        raise IdempotencyKeyReusedError(key)
    return submission.contact


def partner_system_add(*, agency_id: int, authority_id: int, name: str) -> tuple[PartnerSystem, str]:
    """A new partner system and its key; the key is returned once and never stored."""
    key = f"ehp_{secrets.token_urlsafe(32)}"
    partner = PartnerSystem.objects.create(
        authority_id=authority_id,
        agency_id=agency_id,
        name=name,
        key_prefix=key[:12],
        key_digest=hashlib.sha256(key.encode()).hexdigest(),
    )
    return partner, key


def partner_system_for_key(key: str) -> PartnerSystem | None:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return PartnerSystem.objects.filter(key_digest=digest, active=True).select_related("agency").first()


# Drafts -------------------------------------------------------------------------------------


def referral_draft_save(*, owner: User, data: dict[str, Any]) -> ReferralDraft:
    draft, _ = ReferralDraft.objects.update_or_create(owner=owner, defaults={"data": data, "sent_contact": None})
    return draft


def referral_draft_of(owner: User) -> ReferralDraft | None:
    """The user's unsent draft, if any."""
    return ReferralDraft.objects.filter(owner=owner, sent_contact__isnull=True).first()


class ReferralDraftGoneError(Exception):
    """There is no draft to send: it was discarded, or never started."""


@audited
def referral_draft_send(*, owner: User) -> Contact:
    """Send the user's draft once, whatever the timing: the draft row is locked, and a draft
    already sent returns the referral it made (a double click, a retry, a second tab)."""
    # No join here: after waiting for the lock PostgreSQL re-reads the draft, but a joined row
    # would come from before the wait, so the contact just sent would look missing.
    draft = ReferralDraft.objects.select_for_update().filter(owner=owner).first()
    if draft is None:
        raise ReferralDraftGoneError
    if draft.sent_contact_id is not None:
        return Contact.objects.get(pk=draft.sent_contact_id)
    if not draft.data:
        raise ReferralDraftGoneError
    return contact_receive(
        referral=referral_from_draft(draft.data),
        source=Contact.Source.PROFESSIONAL,
        authority_id=owner.authority_id,
        referrer_user=owner,
    )


def referral_draft_discard(*, owner: User) -> None:
    ReferralDraft.objects.filter(owner=owner).delete()


# Matching people ----------------------------------------------------------------------------


@audited
def contact_person_match(*, actor: User, entry: ContactPerson, person: Person) -> ContactPerson:
    """Say that a person on a referral is this existing record."""
    if not entry.contact.is_open:
        raise ValidationError("This contact has been decided; its people can no longer be changed")
    earlier = entry.person
    entry.person, entry.matched_by, entry.matched_at = person, actor, timezone.now()
    entry.save(update_fields=["person", "matched_by", "matched_at"])
    change = {"matched to": [earlier.reference if earlier else None, person.reference]}
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=entry, changes=change)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=person,
        changes={"referral": [None, f"{entry.contact.reference}: {entry.get_role_display()}"]},
    )
    contact = entry.contact
    referrer = contact.referrer_user
    if referrer is not None and not referrer.can(Permission.VIEW_AUTHORITY_RECORDS):
        # The referrer may go on seeing the people they referred (people/access.py).
        already = Involvement.objects.filter(
            person=person, practitioner=referrer, kind=Involvement.Kind.REFERRED, ended_on__isnull=True
        ).exists()
        if not already:
            people_services.involvement_start(
                actor=actor, person=person, practitioner=referrer, kind=Involvement.Kind.REFERRED
            )
    _re_referral_update(actor=actor, contact=contact)
    return entry


def person_details_for_record(entry: ContactPerson) -> dict[str, Any]:
    kind = {
        ContactPerson.Role.UNBORN: Person.Kind.UNBORN,
        ContactPerson.Role.CHILD: Person.Kind.CHILD,
    }.get(ContactPerson.Role(entry.role), Person.Kind.ADULT)
    if kind == Person.Kind.CHILD and entry.date_of_birth and entry.age_on(timezone.localdate()) in range(18, 26):
        kind = Person.Kind.YOUNG_PERSON
    address_lines = [line.strip() for line in entry.address.splitlines() if line.strip()]
    return {
        "kind": kind,
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "date_of_birth": entry.date_of_birth,
        "expected_date_of_delivery": entry.expected_date_of_delivery,
        "gender": entry.gender,
        "nhs_number": entry.nhs_number,
        "upn": entry.upn,
        "address_line_1": address_lines[0][:200] if address_lines else "",
        "address_line_2": ", ".join(address_lines[1:])[:200],
        "postcode": entry.postcode,
    }


@audited
def contact_person_record(*, actor: User, entry: ContactPerson) -> Person:
    """Create a new person record for someone on a referral who is not known yet."""
    person = people_services.person_create(actor=actor, details=person_details_for_record(entry))
    contact_person_match(actor=actor, entry=entry, person=person)
    return person


def earlier_contacts(contact: Contact) -> Any:
    """Contacts in the re-referral window before this one, about any of the same people."""
    people = [entry.person_id for entry in contact.people.all() if entry.person_id]
    since = contact.received_at - timedelta(days=settings.FRONT_DOOR_RE_REFERRAL_DAYS)
    return (
        Contact.objects.filter(
            people__person_id__in=people, received_at__gte=since, received_at__lte=contact.received_at
        )
        .exclude(pk=contact.pk)
        .distinct()
        .order_by("-received_at")
    )


def _re_referral_update(*, actor: User, contact: Contact) -> None:
    re_referral = earlier_contacts(contact).exists()
    if re_referral != contact.re_referral:
        contact.re_referral = re_referral
        contact.save(update_fields=["re_referral"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=contact,
            changes={"re_referral": [not re_referral, re_referral]},
        )


# The level of need --------------------------------------------------------------------------


def main_child(contact: Contact) -> ContactPerson | None:
    """The child the level of need is recorded against: the first child on the referral."""
    return next((entry for entry in contact.people.all() if entry.is_child), None)


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


# Deciding -----------------------------------------------------------------------------------


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
        if settings.FRONT_DOOR_REQUIRE_WRITTEN_CONSENT:
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


def _decision_problems(*, contact: Contact, choice: "DecisionChoice") -> dict[str, str]:
    if not contact.is_open:
        return {"outcome": "This contact has already been decided"}
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
    problems = _decision_problems(contact=contact, choice=choice)
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
        _status_set(actor=actor, contact=contact, status=Contact.Status.AWAITING_CONFIRMATION)
    else:
        _finish(actor=actor, contact=contact, decision=decision)
    return decision


def _status_set(*, actor: User, contact: Contact, status: Contact.Status, decided: bool = False) -> None:
    before = contact.status
    contact.status = status
    fields = ["status"]
    if decided:
        contact.decided_at = timezone.now()
        fields.append("decided_at")
    contact.save(update_fields=fields)
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=contact, changes={"status": [before, status]})


def _finish(*, actor: User, contact: Contact, decision: TriageDecision) -> None:
    _status_set(
        actor=actor, contact=contact, status=STATUS_FOR_OUTCOME[TriageDecision.Outcome(decision.outcome)], decided=True
    )
    transaction.on_commit(lambda: notifications.outcome_send(decision_pk=decision.pk))


@audited
def triage_confirm(*, actor: User, decision: TriageDecision) -> TriageDecision:
    """A team leader confirms a decision made against the thresholds tool's advice to refer to social care."""
    if not actor.can(Permission.CONFIRM_TRIAGE_OVERRIDES):
        raise ValidationError("Only a team leader can confirm this decision")
    if not decision.is_awaiting_confirmation:
        raise ValidationError("This decision is not waiting for confirmation")
    if decision.decided_by_id == actor.pk:
        raise ValidationError("A different team leader must confirm a decision you made yourself")
    decision.confirmed_by, decision.confirmed_at = actor, timezone.now()
    decision.save(update_fields=["confirmed_by", "confirmed_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=decision, changes={"confirmed": [False, True]})
    _finish(actor=actor, contact=decision.contact, decision=decision)
    return decision


@audited
def triage_return(*, actor: User, decision: TriageDecision, because: str) -> TriageDecision:
    """A team leader sends such a decision back to the queue for a new one."""
    if not actor.can(Permission.CONFIRM_TRIAGE_OVERRIDES):
        raise ValidationError("Only a team leader can return this decision")
    if not decision.is_awaiting_confirmation:
        raise ValidationError("This decision is not waiting for confirmation")
    if not because.strip():
        raise ValidationError({"because": "Say why the decision is being returned"})
    decision.returned_by, decision.returned_at, decision.returned_because = actor, timezone.now(), because.strip()
    decision.save(update_fields=["returned_by", "returned_at", "returned_because"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=decision,
        changes={"returned": [None, decision.returned_because]},
    )
    _status_set(actor=actor, contact=decision.contact, status=Contact.Status.AWAITING_DECISION)
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
def contact_area_set(*, actor: User, contact: Contact, area: Area | None) -> Contact:
    before = str(contact.area) if contact.area_id else None
    contact.area = area
    contact.save(update_fields=["area"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=contact,
        changes={"area": [before, str(area) if area else None]},
    )
    return contact
