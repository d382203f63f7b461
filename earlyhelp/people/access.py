"""Who may see and change which person and family: the only way views fetch them.

- The authority's own staff whose role grants it see every record of their authority.
- A partner practitioner sees only the people they referred or work with (an open
  `Involvement`), and the families of those people; within such a family they see only those
  members.
- Everyone else sees nothing. "Not there" and "not yours" are the same 404, so that a record's
  existence is not given away.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from earlyhelp.audit.trail import record_refused
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import Family, FamilyMembership, Involvement, Person


def people_visible_to(user: User) -> QuerySet[Person]:
    # A record merged into another is gone from every list and page until the merge is undone.
    people = Person.objects.filter(authority_id=user.authority_id, merged_into__isnull=True)
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return people
    if user.can(Permission.VIEW_OWN_RECORDS):
        open_involvement = Involvement.objects.filter(
            person=OuterRef("pk"),
            practitioner=user,
            ended_on__isnull=True,
        )
        return people.filter(Exists(open_involvement))
    return people.none()


def families_visible_to(user: User) -> QuerySet[Family]:
    families = Family.objects.filter(authority_id=user.authority_id)
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


def get_person_for_user(user: User, pk: int, *, attempted: str = "open") -> Person:
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


def can_edit_person(user: User, person: Person) -> bool:
    """Called only with a person the user can already see."""
    if user.can(Permission.EDIT_AUTHORITY_RECORDS):
        return True
    return user.can(Permission.EDIT_OWN_RECORDS)


def can_edit_family(user: User, family: Family) -> bool:
    """Called only with a family the user can already see."""
    return user.can(Permission.EDIT_AUTHORITY_RECORDS) or user.can(Permission.EDIT_OWN_RECORDS)


def can_search_people(user: User) -> bool:
    return user.can(Permission.VIEW_AUTHORITY_RECORDS) or user.can(Permission.VIEW_OWN_RECORDS)


def can_add_people(user: User) -> bool:
    return user.can(Permission.ADD_PEOPLE)


def can_merge_people(user: User) -> bool:
    return user.can(Permission.MERGE_PEOPLE)


def can_see_who_viewed(user: User) -> bool:
    return user.can(Permission.VIEW_RECORD_ACCESS_LOG)
