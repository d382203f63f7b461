"""Which parts of a person's record a reader may open: consent and its limits, enforced (ADR 21).

- The authority's own early help staff open every part, as they read every record, except that
  health details are for the roles that need them (`Permission.VIEW_HEALTH_DETAILS`): a field-level
  limit where a role may see a record but not all of it.
- A partner practitioner who may see the person (they referred or work with them) opens another
  part only while a consent to share names their agency and that part, or a decision to share
  does (on consent, the public interest or the safeguarding duty). A withdrawn consent stops
  opening anything at once; so does a decision past its `open_until` date.
- Everyone else opens nothing.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.sharing.models import ConsentToShare, RecordPart, SharingDecision

EVERY_PART = frozenset(RecordPart)


def parts_open_to(user: User, person_id: int) -> frozenset[RecordPart]:
    """The parts of this person's record the user may open, beyond who the person is. Called
    with a person the user may already see (`people.access`)."""
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return staff_parts(user)
    if not user.can(Permission.VIEW_OWN_RECORDS) or user.agency_id is None:
        return frozenset()
    return frozenset(shared_parts(agency_id=user.agency_id, people=[person_id]).get(person_id, ()))


def staff_parts(user: User) -> frozenset[RecordPart]:
    if user.can(Permission.VIEW_HEALTH_DETAILS):
        return EVERY_PART
    return EVERY_PART - {RecordPart.HEALTH}


def shared_parts(*, agency_id: int, people: Iterable[int], on: date | None = None) -> dict[int, set[RecordPart]]:
    """For each of `people`, the parts that consent or a decision to share opens to the agency
    (two queries, however many people)."""
    people = list(people)
    today = on or timezone.localdate()
    found: dict[int, set[RecordPart]] = {}
    consents = ConsentToShare.objects.filter(
        given=True, withdrawn_on__isnull=True, agencies=agency_id, people__in=people
    ).values_list("people", "parts")
    decisions = (
        SharingDecision.objects.filter(shared=True, recipient_agency_id=agency_id, people__in=people)
        .filter(Q(open_until__isnull=True) | Q(open_until__gte=today))
        .values_list("people", "parts")
    )
    for person_id, parts in [*consents, *decisions]:
        if person_id in people:
            found.setdefault(person_id, set()).update(RecordPart(part) for part in parts if part in RecordPart.values)
    return found


def people_opening(*, agency_id: int, part: RecordPart) -> set[int]:
    """Every person whose record opens `part` to the agency (for lists scoped by consent)."""
    today = timezone.localdate()
    consents = ConsentToShare.objects.filter(given=True, withdrawn_on__isnull=True, agencies=agency_id).values_list(
        "people", "parts"
    )
    decisions = (
        SharingDecision.objects.filter(shared=True, recipient_agency_id=agency_id)
        .filter(Q(open_until__isnull=True) | Q(open_until__gte=today))
        .values_list("people", "parts")
    )
    return {person_id for person_id, parts in [*consents, *decisions] if person_id is not None and part in parts}
