"""The family's consent on a contact: as referred, then recorded or corrected at the front door.

A family referred without consent cannot be allocated to a family support team (FF §5.5), so the
front door must be able to record consent it obtains during triage, and correct what a referrer
got wrong. Each statement is kept (`ConsentRecord`): the newest is the contact's consent.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change, snapshot
from earlyhelp.core.workflow import locked
from earlyhelp.frontdoor.models import Consent, ConsentCovers, ConsentRecord, Contact
from earlyhelp.frontdoor.referrals import ConsentDetails, consent_problems
from earlyhelp.organisations.models import User
from earlyhelp.people.models import Person
from earlyhelp.sharing.referrals import ReferralConsent, referral_consent_corrected

CONSENT_FIELDS = ("consent", "consent_given_by", "consent_given_on", "consent_how", "consent_covers")
RECORD_FIELDS = ("status", "given_by", "given_on", "how", "covers", "note")


def consent_record_add(
    *, contact: Contact, actor: User | None, actor_label: str, note: str = "", when: Any = None
) -> ConsentRecord:
    """Keep the contact's consent, as it now stands, in its history (inside an audited write)."""
    entry = ConsentRecord(
        contact=contact,
        status=contact.consent,
        given_by=contact.consent_given_by,
        given_on=contact.consent_given_on,
        how=contact.consent_how,
        covers=list(contact.consent_covers),
        note=note,
        recorded_by=actor,
        recorded_by_label=actor_label,
        recorded_at=when or timezone.now(),
    )
    entry.save()
    record_change(
        actor=actor,
        actor_label=actor_label,
        verb=AuditEvent.Verb.CREATED,
        target=entry,
        changes=snapshot(entry, RECORD_FIELDS),
    )
    return entry


@audited
def contact_consent_record(
    *, actor: User, contact: Contact, consent: ConsentDetails, note: str = "", seen_version: int | None
) -> Contact:
    """Record the family's consent on an open contact, or correct it; a correction says why.
    Refused from a page opened before someone else changed the contact."""
    contact = locked(contact)
    if not contact.is_open:
        raise ValidationError({"consent": "This contact has been decided; its consent can no longer be changed here"})
    versions = version_move_on(contact, seen=seen_version)
    problems: dict[str, str] = {}
    consent_problems(problems, consent, timezone.localdate())
    problems = {key.removeprefix("consent."): problem for key, problem in problems.items()}
    given = consent.status == Consent.GIVEN
    after = {
        "consent": consent.status,
        "consent_given_by": consent.given_by.strip() if given else "",
        "consent_given_on": consent.given_on if given else None,
        "consent_how": consent.how if given else "",
        "consent_covers": sorted(set(consent.covers)) if given else [],
    }
    before = {name: getattr(contact, name) for name in CONSENT_FIELDS}
    if after == before:
        problems.setdefault("consent", "This is the consent already recorded: change something, or go back")
    correcting = contact.consent != Consent.NOT_ASKED
    if correcting and not note.strip():
        problems["note"] = "Say why the consent recorded before is being changed"
    if problems:
        raise ValidationError(problems)
    for name, value in after.items():
        setattr(contact, name, value)
    contact.save(update_fields=[*CONSENT_FIELDS, "version"])
    changed = {
        name: [_jsonable(before[name]), _jsonable(after[name])]
        for name in CONSENT_FIELDS
        if before[name] != after[name]
    } | {"version": versions}
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=contact, changes=changed)
    consent_record_add(contact=contact, actor=actor, actor_label=actor.full_name, note=note.strip())
    referral_consent_corrected(
        actor=actor, consent=referral_consent_of(contact), people=matched_people(contact), note=note.strip()
    )
    return contact


def referral_consent_of(contact: Contact) -> ReferralConsent:
    """The contact's consent, in the plain values the three consent records take over (ADR 21)."""
    return ReferralConsent(
        reference=contact.reference,
        status=contact.consent,
        given_by=contact.consent_given_by,
        given_on=contact.consent_given_on,
        how=contact.consent_how,
        early_help=ConsentCovers.EARLY_HELP_SERVICE in contact.consent_covers,
        share=ConsentCovers.SHARE_WITH_AGENCIES in contact.consent_covers,
        meetings=ConsentCovers.DISCUSS_AT_MEETING in contact.consent_covers,
        received_on=timezone.localdate(contact.received_at),
    )


def matched_people(contact: Contact) -> list[Person]:
    return [entry.person for entry in contact.people.select_related("person") if entry.person is not None]


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def consent_history(contact: Contact) -> list[ConsentRecord]:
    return list(contact.consent_records.select_related("recorded_by"))
