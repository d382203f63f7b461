"""Matching the people on a referral to person records, or recording new ones; and the
re-referral check that follows (known to early help in the window before)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.frontdoor.consent import matched_people, referral_consent_of
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.frontdoor.selectors import earlier_contacts, proposed_from
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people import services as people_services
from earlyhelp.people.models import Involvement, Person
from earlyhelp.people.selectors import restricted_match_words, restricted_matches
from earlyhelp.sharing.referrals import referral_people_follow


def _entry_locked(entry: ContactPerson, seen_version: int | None) -> tuple[Contact, ContactPerson, list[int]]:
    """The contact and the person on it, under their row locks; refused once the contact is
    decided, or when someone else matched this person after the page was opened."""
    contact = locked(entry.contact)
    if not contact.is_open:
        raise ValidationError("This contact has been decided; its people can no longer be changed")
    entry = locked(entry)
    return contact, entry, version_move_on(entry, seen=seen_version)


@audited
def contact_person_match(
    *, actor: User, entry: ContactPerson, person: Person, seen_version: int | None
) -> ContactPerson:
    """Say that a person on a referral is this existing record."""
    contact, entry, versions = _entry_locked(entry, seen_version)
    return _match(actor=actor, contact=contact, entry=entry, person=person, versions=versions)


def _match(
    *, actor: User, contact: Contact, entry: ContactPerson, person: Person, versions: list[int]
) -> ContactPerson:
    earlier = entry.person
    entry.person, entry.matched_by, entry.matched_at = person, actor, timezone.now()
    entry.save(update_fields=["person", "matched_by", "matched_at", "version"])
    change = {"matched to": [earlier.reference if earlier else None, person.reference], "version": versions}
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=entry, changes=change)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=person,
        changes={"referral": [None, f"{contact.reference}: {entry.get_role_display()}"]},
    )
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
    # The referral's consent now names this person (sharing/referrals.py, ADR 21).
    referral_people_follow(
        actor=actor, actor_label=actor.full_name, consent=referral_consent_of(contact), people=matched_people(contact)
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
def contact_person_record(*, actor: User, entry: ContactPerson, seen_version: int | None) -> Person:
    """Create a new person record for someone on a referral who is not known yet. The check
    comes first, under the locks: two people pressing "none of these" make one record."""
    contact, entry, versions = _entry_locked(entry, seen_version)
    asks = restricted_matches(user=actor, proposed=proposed_from(entry))
    if asks:
        # Never a second record of a restricted person: whoever may see it matches it (ADR 22).
        raise ValidationError(restricted_match_words(asks))
    person = people_services.person_create(actor=actor, details=person_details_for_record(entry))
    _match(actor=actor, contact=contact, entry=entry, person=person, versions=versions)
    return person


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
