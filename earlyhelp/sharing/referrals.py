"""The consent a referral carries, taken over into the three records (ADR 21).

A referral says in one statement whether the family agreed to early help, to sharing with other
agencies and to being discussed by name at meetings. When the front door matches the people on
it to their records, that statement becomes an agreement to receive help and a consent to share
(or their refusal) naming those people; a correction at the front door withdraws them and takes
the corrected statement over. The front door sits above this app, so it passes plain values.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import record_change
from earlyhelp.organisations.models import User
from earlyhelp.people.models import Person
from earlyhelp.sharing.models import AgreementToHelp, Capacity, ConsentHow, ConsentToShare, GivenBy, Withdrawable

UNNAMED_AGENCIES = "Other agencies, not named on the referral: no partner may open the record until agencies are named"


@dataclass(frozen=True)
class ReferralConsent:
    reference: str
    status: str  # "given", "refused" or "not_asked", as the front door records it
    given_by: str
    given_on: date | None
    how: str
    early_help: bool
    share: bool
    meetings: bool
    received_on: date


def referral_consent_take_over(
    *, actor: User | None, actor_label: str, consent: ReferralConsent, people: list[Person]
) -> None:
    """The records a referral's consent makes, for the people matched so far (inside an audited write)."""
    if consent.status == "not_asked" or not people:
        return
    given = consent.status == "given"
    common = {
        "authority_id": people[0].authority_id,
        "given_by": consent.given_by.strip() or "Not recorded on the referral",
        "given_by_who": GivenBy.NOT_RECORDED,
        "given_on": consent.given_on or consent.received_on,
        "how": consent.how if consent.how in ConsentHow.values else ConsentHow.NOT_RECORDED,
        "from_contact": consent.reference,
        "recorded_by": actor,
        "recorded_by_label": actor_label,
    }
    records: list[Withdrawable] = []
    if not given or consent.early_help:
        records.append(AgreementToHelp.objects.create(agreed=given, **common))
    if not given or consent.share or consent.meetings:
        records.append(
            ConsentToShare.objects.create(
                given=given,
                capacity=Capacity.NOT_RECORDED,
                purpose=f"The help asked for in referral {consent.reference}" if given else "",
                at_meetings=given and consent.meetings,
                with_whom=UNNAMED_AGENCIES if given and consent.share else "",
                **common,
            )
        )
    for record in records:
        record.people.set(people)
        record_change(
            actor=actor,
            actor_label=actor_label,
            verb=AuditEvent.Verb.CREATED,
            target=record,
            changes={"from_contact": consent.reference, "people": sorted(person.reference for person in people)},
        )


def referral_records(reference: str) -> list[Withdrawable]:
    """The records still in force that a referral's consent made."""
    return [
        *AgreementToHelp.objects.filter(from_contact=reference, withdrawn_on__isnull=True),
        *ConsentToShare.objects.filter(from_contact=reference, withdrawn_on__isnull=True),
    ]


def referral_people_follow(
    *, actor: User | None, actor_label: str, consent: ReferralConsent, people: list[Person]
) -> None:
    """After a match: the referral's records name the people it is now matched to."""
    records = referral_records(consent.reference)
    if not records:
        referral_consent_take_over(actor=actor, actor_label=actor_label, consent=consent, people=people)
        return
    wanted = {person.pk for person in people}
    for record in records:
        before = set(record.people.values_list("pk", flat=True))
        if before != wanted:
            record.people.set(people)
            record.version += 1
            record.save(update_fields=["version"])
            record_change(
                actor=actor,
                actor_label=actor_label,
                verb=AuditEvent.Verb.UPDATED,
                target=record,
                changes={"people": [sorted(before), sorted(wanted)]},
            )


def referral_consent_corrected(*, actor: User, consent: ReferralConsent, people: list[Person], note: str) -> None:
    """The front door corrected the referral's consent: what it said before stops, the new takes over."""
    today = timezone.localdate()
    for record in referral_records(consent.reference):
        record.withdrawn_on = max(today, record.given_on)
        record.withdrawn_because = f"Corrected at the front door: {note}" if note else "Corrected at the front door"
        record.withdrawn_recorded_by = actor
        record.version += 1
        record.save(update_fields=["withdrawn_on", "withdrawn_because", "withdrawn_recorded_by", "version"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=record,
            changes={"withdrawn_on": [None, str(record.withdrawn_on)], "withdrawn_because": record.withdrawn_because},
        )
    referral_consent_take_over(actor=actor, actor_label=actor.full_name, consent=consent, people=people)
