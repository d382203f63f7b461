"""Who may see and change which person and family: the only way views fetch them.

- The authority's own staff whose role grants it see every record of their authority.
- A partner practitioner sees only the people they referred or work with (an open
  `Involvement`), and the families of those people; within such a family they see only those
  members. Their agency's single point of contact sees the people anyone of the agency works
  with, and changes only those they work with themselves.
- A restricted person or family (`restricting.py`) is seen only by the users its restriction
  names, whatever their role: everyone else cannot even find it.
- Everyone else sees nothing. "Not there" and "not yours" are the same 404, so that a record's
  existence is not given away.
"""

from functools import cache
from typing import Protocol

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string

from earlyhelp.audit.trail import record_refused
from earlyhelp.core.compiled import Compiled
from earlyhelp.core.numbers import record_id
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import (
    Family,
    FamilyMembership,
    Involvement,
    Person,
    PersonMerge,
    Relationship,
    Restriction,
)


def people_unrestricted_for(authority: int, user: int) -> QuerySet[Person]:
    """The authority's people but the restricted records that do not name the user. A record
    merged into another is gone from every list and page until the merge is undone."""
    people = Person.objects.filter(authority_id=authority, merged_into__isnull=True)
    named = Restriction.objects.filter(person=OuterRef("pk"), lifted_at__isnull=True, named=user)
    return people.filter(Q(restricted=False) | Exists(named))


def people_visible_to(user: User) -> QuerySet[Person]:
    people = people_unrestricted_for(user.authority_id, user.pk)
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return people
    if user.can(Permission.VIEW_OWN_RECORDS):
        return people.filter(Exists(_open_involvements(user, every_colleague=user.is_single_point_of_contact)))
    return people.none()


def _open_involvements(user: User, *, every_colleague: bool) -> QuerySet[Involvement]:
    """The open involvements that let a partner see a person: their own, or (for their agency's
    single point of contact) anyone's of their agency."""
    involvements = Involvement.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)
    if every_colleague:
        return involvements.filter(practitioner__agency_id=user.agency_id)
    return involvements.filter(practitioner=user)


def families_visible_to(user: User) -> QuerySet[Family]:
    families = Family.objects.filter(authority_id=user.authority_id)
    named = Restriction.objects.filter(family=OuterRef("pk"), lifted_at__isnull=True, named=user)
    families = families.filter(Q(restricted=False) | Exists(named))
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return families
    if user.can(Permission.VIEW_OWN_RECORDS):
        visible_member = FamilyMembership.objects.filter(
            family=OuterRef("pk"),
            person__in=people_visible_to(user),
        )
        return families.filter(Exists(visible_member))
    return families.none()


def refuse(user: User, target_type: str, pk: int, attempted: str, message: str) -> Http404:
    """Record the refused attempt (audit), and the 404 that says nothing about the record."""
    record_refused(actor=user, target_type=target_type, target_id=pk, attempted=attempted)
    return Http404(message)


# A person opened by the authority's staff, the person page's first read: built once
# (core/compiled.py).
_PERSON_FOR_STAFF: "Compiled[Person]" = Compiled(
    lambda authority, user, person: (
        people_unrestricted_for(authority, user).select_related("school", "authority").filter(pk=person)
    )
)


def get_person_for_user(user: User, pk: int, *, attempted: str = "open") -> Person:
    person: Person | None
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):  # `people_visible_to`'s first case
        found = _PERSON_FOR_STAFF.list(authority=user.authority_id, user=user.pk, person=pk)
        person = found[0] if found else None
    else:
        person = people_visible_to(user).select_related("school", "authority").filter(pk=pk).first()
    if person is None:
        raise refuse(user, "people.person", pk, attempted, "No person found")
    return person


def get_person_for_editing(user: User, pk: int) -> Person:
    person = get_person_for_user(user, pk, attempted="change")
    if not can_edit_person(user, person):
        raise refuse(user, "people.person", pk, "change", "No person found")
    return person


def get_family_for_user(user: User, pk: int, *, attempted: str = "open") -> Family:
    family = families_visible_to(user).select_related("area").filter(pk=pk).first()
    if family is None:
        raise refuse(user, "people.family", pk, attempted, "No family found")
    return family


def get_family_for_editing(user: User, pk: int) -> Family:
    family = get_family_for_user(user, pk, attempted="change")
    if not can_edit_family(user, family):
        raise refuse(user, "people.family", pk, "change", "No family found")
    return family


def get_relationship_for_editing(user: User, person: Person, pk: int) -> Relationship:
    """A relationship of `person` (already checked editable) whose other person the user also sees."""
    visible = people_visible_to(user)
    relationship: Relationship | None = (
        Relationship.objects.filter(Q(from_person=person) | Q(to_person=person), pk=pk)
        .filter(from_person__in=visible, to_person__in=visible)
        .select_related("from_person", "to_person")
        .first()
    )
    if relationship is None:
        raise refuse(user, "people.relationship", pk, "change", "No relationship found")
    return relationship


def get_membership_for_editing(user: User, family: Family, pk: int) -> FamilyMembership:
    """A member of `family` (already checked editable) whom the user may see."""
    membership: FamilyMembership | None = (
        FamilyMembership.objects.filter(family=family, pk=pk, person__in=people_visible_to(user))
        .select_related("person", "family")
        .first()
    )
    if membership is None:
        raise refuse(user, "people.familymembership", pk, "change", "No family member found")
    return membership


def get_merge_for_undoing(user: User, pk: int) -> PersonMerge:
    merge: PersonMerge | None = PersonMerge.objects.filter(pk=pk, kept__in=people_visible_to(user)).first()
    if merge is None:
        raise refuse(user, "people.personmerge", pk, "change", "No such merge")
    return merge


def duplicate_for_merging(user: User, kept: Person, reference: str) -> Person | None:
    """The record a reference like P0000123 names, if the user may see it and it is not `kept`."""
    text = reference.strip().upper().removeprefix("P")
    if record_id(text) is None or int(text) == kept.pk:
        return None
    found: Person | None = people_visible_to(user).filter(pk=int(text)).first()
    return found


def can_edit_person(user: User, person: Person) -> bool:
    """Called only with a person the user can already see. A single point of contact sees their
    colleagues' people but changes only their own."""
    if user.can(Permission.EDIT_AUTHORITY_RECORDS):
        return True
    if not user.can(Permission.EDIT_OWN_RECORDS):
        return False
    if not user.is_single_point_of_contact:
        return True
    return Person.objects.filter(pk=person.pk).filter(Exists(_open_involvements(user, every_colleague=False))).exists()


def can_edit_family(user: User, family: Family) -> bool:
    """Called only with a family the user can already see (a single point of contact: a family
    with someone they work with themselves)."""
    if user.can(Permission.EDIT_AUTHORITY_RECORDS):
        return True
    if not user.can(Permission.EDIT_OWN_RECORDS):
        return False
    if not user.is_single_point_of_contact:
        return True
    own = Person.objects.filter(Exists(_open_involvements(user, every_colleague=False)))
    return FamilyMembership.objects.filter(family=family, person__in=own).exists()


class PartsRule(Protocol):
    def __call__(self, user: User, person_id: int) -> frozenset[str]: ...


@cache
def _parts_rule() -> PartsRule | None:
    path = settings.RECORD_PARTS_RULE
    return import_string(path) if path else None


def record_parts_open_to(user: User, person: Person) -> frozenset[str]:
    """The parts of a person's record (beyond who they are) that the user may open: "health",
    "levels_of_need", "early_help". Called with a person the user may see. Consent decides for
    partners (`sharing/rules.py`, ADR 21); without that rule only the authority's staff open any."""
    rule = _parts_rule()
    if rule is not None:
        return frozenset(str(part) for part in rule(user, person.pk))
    if not user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return frozenset()
    every = {"health", "levels_of_need", "early_help"}
    return frozenset(every if user.can(Permission.VIEW_HEALTH_DETAILS) else every - {"health"})


def can_search_people(user: User) -> bool:
    return user.can(Permission.VIEW_AUTHORITY_RECORDS) or user.can(Permission.VIEW_OWN_RECORDS)


def can_add_people(user: User) -> bool:
    return user.can(Permission.ADD_PEOPLE)


def can_merge_people(user: User) -> bool:
    return user.can(Permission.MERGE_PEOPLE)


def can_restrict(user: User) -> bool:
    return user.can(Permission.RESTRICT_RECORDS)


def can_see_who_viewed(user: User) -> bool:
    return user.can(Permission.VIEW_RECORD_ACCESS_LOG)
