"""People to check: what a partner typed when its NHS number or UPN is already on a record they
may not see, waiting for the front door to say whether it is the same person (see
`PersonToCheck`)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change, record_refused
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import Agency, User
from earlyhelp.people.models import Person, PersonToCheck


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    def one(value: Any) -> Any:
        if isinstance(value, date | datetime):
            return value.isoformat()
        if isinstance(value, Agency):
            return value.name
        return value

    return {name: one(value) for name, value in details.items()}


@audited
def person_to_check_add(*, actor: User, details: dict[str, Any], held_by: list[Person]) -> PersonToCheck:
    """Keep what the partner typed for the front door to check; nothing is added to any record."""
    item = PersonToCheck.objects.create(
        authority_id=actor.authority_id,
        first_name=details.get("first_name", "")[:100],
        last_name=details.get("last_name", "")[:100],
        date_of_birth=details.get("date_of_birth"),
        nhs_number=details.get("nhs_number", ""),
        upn=details.get("upn", ""),
        details=_jsonable(details),
        requested_by=actor,
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=item, changes={"details": item.details})
    for person in held_by:
        # On the held record's own record of access: someone who may not see it typed its identifier.
        record_refused(actor=actor, target_type="people.person", target_id=person.pk, attempted="add-duplicate")
    return item


def people_to_check(*, user: User) -> QuerySet[PersonToCheck]:
    return PersonToCheck.objects.filter(authority_id=user.authority_id).select_related("requested_by")


def holders_of(item: PersonToCheck) -> list[Person]:
    """The records that already carry the identifier the partner typed."""
    found: list[Person] = []
    if item.nhs_number:
        found += Person.objects.filter(authority_id=item.authority_id, nhs_number=item.nhs_number)
    if item.upn:
        found += Person.objects.filter(authority_id=item.authority_id, upn=item.upn).exclude(
            pk__in=[person.pk for person in found]
        )
    return found


@audited
def person_to_check_resolve(
    *, actor: User, item: PersonToCheck, matched_person: Person | None, note: str = ""
) -> PersonToCheck:
    """The front door's answer: the same person as `matched_person`, or not the same (say why).

    A match gives the partner no access to the record: if they work with the person, the front
    door records that through the usual way (a referral, or an involvement)."""
    item = locked(item)
    if item.status != PersonToCheck.Status.WAITING:
        who = item.checked_by.full_name if item.checked_by else "Someone"
        raise ValidationError(f"{who} has already checked this: {item.get_status_display().lower()}")
    if matched_person is None and not note.strip():
        raise ValidationError({"note": "Say why this is not the same person, so the partner can be told"})
    after = PersonToCheck.Status.MATCHED if matched_person else PersonToCheck.Status.NOT_MATCHED
    PersonToCheck.TRANSITIONS.check(item.status, after, what="A person to check")
    item.status = after
    item.matched_person = matched_person
    item.checked_by, item.checked_at, item.note = actor, timezone.now(), note.strip()
    item.save(update_fields=["status", "matched_person", "checked_by", "checked_at", "note"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=item,
        changes={
            "status": [PersonToCheck.Status.WAITING, item.status],
            "matched_person": [None, matched_person.reference if matched_person else None],
        },
    )
    if matched_person is not None:
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=matched_person,
            changes={"details sent by a partner": [None, f"checked and matched to this record ({item.pk})"]},
        )
    return item
