"""Recording the family's agreement, their consent to share, its withdrawal, and each decision to
share or not to share. Every write is audited, and is refused whole if any part of it is wrong."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import Agency, User
from earlyhelp.people.models import Person
from earlyhelp.sharing.models import (
    AgreementToHelp,
    Capacity,
    ConsentHow,
    ConsentPosition,
    ConsentToShare,
    Detriment,
    FamilyTold,
    GivenBy,
    RecordPart,
    SharingDecision,
    Withdrawable,
)

SAFEGUARDING_DUTY = (
    "Sharing for safeguarding is a duty unless it would be more detrimental to the child "
    "(Children's Wellbeing and Schools Act 2026, s4): share, or record that sharing would be more detrimental"
)


@dataclass(frozen=True)
class Statement:
    """Who said so, when and how: common to an agreement and a consent."""

    people: list[Person]
    given_by: str
    given_by_who: str
    given_on: date | None
    how: str


@dataclass(frozen=True)
class ConsentDetails:
    given: bool
    capacity: str
    purpose: str = ""
    agencies: list[Agency] = field(default_factory=list)
    at_meetings: bool = False
    parts: list[str] = field(default_factory=list)


def _statement_problems(statement: Statement, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not statement.people:
        problems["people"] = "Choose who this is about"
    if not statement.given_by.strip():
        problems["given_by"] = "Enter the name of the person who said so"
    if statement.given_by_who not in GivenBy.values:
        problems["given_by_who"] = "Say who they are: the person, a parent or carer, or someone else with authority"
    if statement.given_on is None:
        problems["given_on"] = "Enter the date they said so"
    elif statement.given_on > today:
        problems["given_on"] = "The date must be today or in the past"
    if statement.how not in ConsentHow.values:
        problems["how"] = "Say how they said so: in writing, verbally or online"
    return problems


def _statement_fields(statement: Statement) -> dict[str, object]:
    return {
        "given_by": statement.given_by.strip(),
        "given_by_who": statement.given_by_who,
        "given_on": statement.given_on,
        "how": statement.how,
    }


@audited
def agreement_record(*, actor: User, statement: Statement, agreed: bool, from_contact: str = "") -> AgreementToHelp:
    """The family's agreement to receive an early help service, or their refusal."""
    problems = _statement_problems(statement, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    agreement = AgreementToHelp.objects.create(
        authority_id=actor.authority_id if actor else statement.people[0].authority_id,
        agreed=agreed,
        from_contact=from_contact,
        recorded_by=actor,
        recorded_by_label=actor.full_name if actor else "The front door",
        **_statement_fields(statement),
    )
    agreement.people.set(statement.people)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=agreement,
        changes={
            "agreed": agreed,
            "people": sorted(person.reference for person in statement.people),
            **{name: str(value) for name, value in _statement_fields(statement).items()},
        },
    )
    return agreement


def consent_problems(statement: Statement, consent: ConsentDetails, today: date) -> dict[str, str]:
    problems = _statement_problems(statement, today)
    if consent.capacity not in Capacity.values:
        problems["capacity"] = "Say whether they could decide for themselves, or decided for someone who cannot"
    elif consent.capacity == Capacity.HAS_CAPACITY and statement.given_by_who != GivenBy.THE_PERSON:
        # A parent deciding for a child is "for a child"; only the person themselves has capacity here.
        problems["capacity"] = (
            "When someone decides for another person, say that it was for a child or someone who lacks capacity"
        )
    unknown = [part for part in consent.parts if part not in RecordPart.values]
    if unknown:
        problems["parts"] = "Choose the parts of the record from the list"
    if consent.given:
        if not consent.purpose.strip():
            problems["purpose"] = "Say what the information may be shared for"
        if not consent.agencies and not consent.at_meetings:
            problems["agencies"] = "Choose the agencies it may be shared with, or multi-agency meetings"
        if consent.agencies and not consent.parts:
            problems["parts"] = "Choose which parts of the record the agencies may see"
    return problems


@audited
def consent_record(
    *, actor: User | None, statement: Statement, consent: ConsentDetails, from_contact: str = "", with_whom: str = ""
) -> ConsentToShare:
    """Consent to share, with its limits, or its refusal: in effect as soon as it is saved."""
    problems = consent_problems(statement, consent, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    given = consent.given
    record = ConsentToShare.objects.create(
        authority_id=statement.people[0].authority_id,
        given=given,
        capacity=consent.capacity,
        purpose=consent.purpose.strip(),
        at_meetings=consent.at_meetings and given,
        parts=sorted(set(consent.parts)) if given else [],
        with_whom=with_whom,
        from_contact=from_contact,
        recorded_by=actor,
        recorded_by_label=actor.full_name if actor else "The front door",
        **_statement_fields(statement),
    )
    record.people.set(statement.people)
    if given:
        record.agencies.set(consent.agencies)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=record,
        changes={
            "given": given,
            "people": sorted(person.reference for person in statement.people),
            "agencies": sorted(agency.name for agency in consent.agencies) if given else [],
            "parts": record.parts,
            "at_meetings": record.at_meetings,
            "purpose": record.purpose,
            "capacity": record.capacity,
            **{name: str(value) for name, value in _statement_fields(statement).items()},
        },
    )
    return record


@audited
def withdraw(
    *, actor: User, record: Withdrawable, on: date | None, because: str, seen_version: int | None
) -> Withdrawable:
    """The family takes back their agreement or consent: from this moment it opens nothing."""
    record = locked(record)
    problems: dict[str, str] = {}
    if record.is_withdrawn:
        problems["withdrawn_on"] = f"This was already withdrawn on {record.withdrawn_on:%-d %B %Y}"
    today = timezone.localdate()
    if on is None:
        problems.setdefault("withdrawn_on", "Enter the date they withdrew it")
    elif on > today:
        problems.setdefault("withdrawn_on", "The date must be today or in the past")
    elif on < record.given_on:
        problems.setdefault("withdrawn_on", "The date must be on or after the date it was given")
    if not because.strip():
        problems["because"] = "Say who withdrew it and what they said"
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(record, seen=seen_version)
    record.withdrawn_on = on
    record.withdrawn_because = because.strip()
    record.withdrawn_recorded_by = actor
    record.save(update_fields=["withdrawn_on", "withdrawn_because", "withdrawn_recorded_by", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=record,
        changes={"withdrawn_on": [None, str(on)], "withdrawn_because": record.withdrawn_because, "version": versions},
    )
    return record


@dataclass(frozen=True)
class DecisionDetails:
    """A decision to share or not, with the seven questions (T&P §8) answered."""

    people: list[Person]
    shared: bool | None
    purpose: str
    identifiable: bool | None
    confidential: bool | None
    consent: str
    public_interest: str = ""
    for_safeguarding: bool = False
    detriment: str = ""
    detriment_reasons: str = ""
    recipient_agency: Agency | None = None
    recipient: str = ""
    what: str = ""
    parts: list[str] = field(default_factory=list)
    how_shared: str = ""
    family_told: str = ""
    why_not: str = ""
    open_until: date | None = None


def decision_problems(details: DecisionDetails, today: date) -> dict[str, str]:
    problems = _question_problems(details)
    if details.consent not in ConsentPosition.values:
        problems["consent"] = "Say whether you have the family's consent to share"
    elif details.shared and details.consent != ConsentPosition.GIVEN and not details.public_interest.strip():
        problems["public_interest"] = (
            "Without consent, say why the public interest or the child's safety justifies sharing: "
            "what might happen if it is shared, and if it is not"
        )
    problems |= _safeguarding_problems(details)
    if details.shared:
        problems |= _sharing_problems(details, today)
    elif details.shared is False:
        if not details.why_not.strip():
            problems["why_not"] = "Say why you decided not to share"
        if details.parts:
            problems["parts"] = "A decision not to share opens no part of the record"
    return problems


def _question_problems(details: DecisionDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not details.people:
        problems["people"] = "Choose who the information is about"
    if details.shared is None:
        problems["shared"] = "Say whether you shared the information or decided not to"
    if not details.purpose.strip():
        problems["purpose"] = "Say why the information is, or would be, shared and what it is to achieve"
    if details.identifiable is None:
        problems["identifiable"] = "Say whether the information identifies a living person"
    if details.confidential is None:
        problems["confidential"] = "Say whether the information is confidential"
    return problems


def _safeguarding_problems(details: DecisionDetails) -> dict[str, str]:
    if not details.for_safeguarding:
        return {}
    problems: dict[str, str] = {}
    if details.detriment not in Detriment.values:
        problems["detriment"] = (
            "For safeguarding, record whether sharing would be more detrimental to the child than not"
        )
    elif not details.detriment_reasons.strip():
        problems["detriment_reasons"] = "Give the reasons for that judgement"
    elif details.shared is False and details.detriment == Detriment.NOT_MORE_DETRIMENTAL:
        problems["shared"] = SAFEGUARDING_DUTY
    return problems


def _sharing_problems(details: DecisionDetails, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.recipient_agency is None and not details.recipient.strip():
        problems["recipient_agency"] = "Say who you shared it with: an agency, a person or both"
    if not details.what.strip():
        problems["what"] = "Say what you shared: only what was needed, fact and opinion told apart"
    if not details.how_shared.strip():
        problems["how_shared"] = (
            "Say how it was shared securely (for example secure e-mail, a call that could not be overheard)"
        )
    if details.family_told not in FamilyTold.values:
        problems["family_told"] = "Say whether the family has been told it was shared"
    unknown = [part for part in details.parts if part not in RecordPart.values]
    if unknown:
        problems["parts"] = "Choose the parts of the record from the list"
    elif details.parts and details.recipient_agency is None:
        problems["parts"] = "Parts of the record open only to an agency: choose the agency"
    if details.open_until is not None and details.open_until < today:
        problems["open_until"] = "The date the parts stay open until must be today or later"
    return problems


@audited
def sharing_decision_record(*, actor: User, details: DecisionDetails) -> SharingDecision:
    problems = decision_problems(details, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    shared = bool(details.shared)
    decision = SharingDecision.objects.create(
        authority_id=actor.authority_id,
        decided_by=actor,
        shared=shared,
        recipient_agency=details.recipient_agency if shared else None,
        recipient=details.recipient.strip() if shared else "",
        parts=sorted(set(details.parts)) if shared else [],
        what=details.what.strip() if shared else "",
        purpose=details.purpose.strip(),
        identifiable=bool(details.identifiable),
        confidential=bool(details.confidential),
        consent=details.consent,
        public_interest=details.public_interest.strip(),
        for_safeguarding=details.for_safeguarding,
        detriment=details.detriment if details.for_safeguarding else "",
        detriment_reasons=details.detriment_reasons.strip() if details.for_safeguarding else "",
        how_shared=details.how_shared.strip() if shared else "",
        family_told=details.family_told if shared else "",
        why_not=details.why_not.strip() if not shared else "",
        open_until=details.open_until if shared and details.parts else None,
    )
    decision.people.set(details.people)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=decision,
        changes={
            "shared": shared,
            "people": sorted(person.reference for person in details.people),
            "recipient": decision.recipient_label,
            "parts": decision.parts,
            "consent": decision.consent,
            "basis": decision.basis,
            "detriment": decision.detriment,
        },
    )
    return decision
