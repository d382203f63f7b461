"""Restricted people and families: a staff member's family, a high-profile case.

Only the users a restriction names see the record, whatever their role; everyone else cannot even
find it in a search. Someone whose work brings them to it (a referral about the same child) is
told only that a restricted record matches and whom to ask (`restricted_matches`), and no second
record is made. Restricting a family restricts each of its members with it. Team leaders and the
head of service restrict and lift; both are audited.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import Family, FamilyMembership, Person, Restriction


def _problems(*, actor: User, reason: str, ask: User | None, named: Sequence[User]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not actor.can(Permission.RESTRICT_RECORDS):
        problems["reason"] = "Only a team leader or the head of service can restrict a record"
    if not reason.strip():
        problems["reason"] = "Say why the record is restricted (for example: a member of staff's family)"
    if ask is None:
        problems["ask"] = "Choose whom others should ask about this record"
    elif not _may_be_named(actor, ask):
        problems["ask"] = f"{ask} cannot read records here, so cannot be the one to ask"
    outsiders = [user for user in named if not _may_be_named(actor, user)]
    if outsiders:
        problems["named"] = f"{outsiders[0]} cannot read records here"
    return problems


def _may_be_named(actor: User, user: User) -> bool:
    return user.authority_id == actor.authority_id and user.is_active and user.can(Permission.VIEW_AUTHORITY_RECORDS)


def _restriction_make(
    *, actor: User, reason: str, ask: User, named: Sequence[User], part_of: Restriction | None = None, **target: object
) -> Restriction:
    restriction = Restriction.objects.create(
        reason=reason.strip(), ask=ask, restricted_by=actor, part_of=part_of, **target
    )
    everyone = {actor, ask, *named}
    restriction.named.set(everyone)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=restriction,
        changes={"reason": restriction.reason, "ask": str(ask), "named": sorted(str(user) for user in everyone)},
    )
    return restriction


def _person_restrict(
    *, actor: User, person: Person, reason: str, ask: User, named: Sequence[User], part_of: Restriction | None = None
) -> Restriction | None:
    person = locked(person)
    if person.restricted:
        return None
    person.restricted = True
    person.save(update_fields=["restricted"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes={"restricted": [False, True]})
    return _restriction_make(actor=actor, reason=reason, ask=ask, named=named, part_of=part_of, person=person)


@audited
def person_restrict(
    *, actor: User, person: Person, reason: str, ask: User | None, named: Sequence[User]
) -> Restriction:
    problems = _problems(actor=actor, reason=reason, ask=ask, named=named)
    if problems:
        raise ValidationError(problems)
    assert ask is not None
    made = _person_restrict(actor=actor, person=person, reason=reason, ask=ask, named=named)
    if made is None:
        raise ValidationError({"reason": "This record is already restricted"})
    return made


@audited
def family_restrict(
    *, actor: User, family: Family, reason: str, ask: User | None, named: Sequence[User]
) -> Restriction:
    """The family and each of its members, in one step."""
    problems = _problems(actor=actor, reason=reason, ask=ask, named=named)
    if problems:
        raise ValidationError(problems)
    assert ask is not None
    family = locked(family)
    if family.restricted:
        raise ValidationError({"reason": "This family is already restricted"})
    family.restricted = True
    family.save(update_fields=["restricted"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=family, changes={"restricted": [False, True]})
    restriction = _restriction_make(actor=actor, reason=reason, ask=ask, named=named, family=family)
    for membership in FamilyMembership.objects.filter(family=family).select_related("person").order_by("person_id"):
        _person_restrict(
            actor=actor, person=membership.person, reason=reason, ask=ask, named=named, part_of=restriction
        )
    return restriction


@audited
def restriction_lift(*, actor: User, restriction: Restriction, because: str) -> Restriction:
    """The record is seen again as any other; a family's members restricted with it too."""
    if not actor.can(Permission.RESTRICT_RECORDS):
        raise ValidationError({"because": "Only a team leader or the head of service can lift a restriction"})
    if not because.strip():
        raise ValidationError({"because": "Say why the restriction is lifted"})
    restriction = locked(restriction)
    if restriction.lifted_at is not None:
        raise ValidationError({"because": "This restriction has already been lifted"})
    for each in [restriction, *Restriction.objects.filter(part_of=restriction, lifted_at__isnull=True)]:
        _lift(actor=actor, restriction=each, because=because.strip())
    return restriction


def _lift(*, actor: User, restriction: Restriction, because: str) -> None:
    restriction.lifted_by, restriction.lifted_at, restriction.lifted_because = actor, timezone.now(), because
    restriction.save(update_fields=["lifted_by", "lifted_at", "lifted_because"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=restriction, changes={"lifted_because": because})
    target: Person | Family
    if restriction.person is not None:
        target = locked(restriction.person)
    else:
        assert restriction.family is not None
        target = locked(restriction.family)
    target.restricted = False
    target.save(update_fields=["restricted"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=target, changes={"restricted": [True, False]})


def asks_for(*, authority_id: int, condition: Q, user: User) -> list[tuple[int, str]]:
    """Restricted people matching `condition` whom `user` may not see: (person id, whom to ask)."""
    found = (
        Restriction.objects.filter(person__authority_id=authority_id, person__restricted=True, lifted_at__isnull=True)
        .filter(person__in=Person.objects.filter(condition))
        .exclude(named=user)
        .values_list("person_id", "ask__full_name")
    )
    return list(found)
