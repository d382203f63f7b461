"""Receiving a referral, whichever way it came (a professional's form, a family's request, a
partner system): every part checked, then saved whole with its audit rows, or not at all."""

import hashlib
import json
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change, snapshot
from earlyhelp.directory.models import Need
from earlyhelp.frontdoor.consent import consent_record_add
from earlyhelp.frontdoor.models import (
    Consent,
    Contact,
    ContactPerson,
    IdempotentSubmission,
    PartnerSystem,
    ReferralDraft,
)
from earlyhelp.frontdoor.referrals import IMMEDIATE_DANGER_REASON, Referral, referral_problems
from earlyhelp.organisations.models import User
from earlyhelp.thresholds.rules import Facts, recommend
from earlyhelp.thresholds.selectors import framework_version_latest

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
    if referrer_user is not None and source == Contact.Source.PROFESSIONAL:
        # The referral form's draft is spent; a forum's referral leaves any draft as it was.
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
