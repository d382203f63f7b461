"""The use cases that change people, families and relationships.

Each is one keyword-only function, runs in one transaction, and writes its audit rows in that
transaction (`@audited`): a change is saved with its audit trail or not at all.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from earlyhelp.audit.editing import VersionedModel, version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, changes_between, record_change, snapshot
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import Area, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.identifiers import nhs_number_normalise, postcode_normalise, upn_normalise
from earlyhelp.people.models import Family, FamilyMembership, Involvement, Person, Relationship
from earlyhelp.people.names import name_normalise, name_sound

PERSON_FIELDS = (
    "kind",
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "other_names",
    "date_of_birth",
    "expected_date_of_delivery",
    "gender",
    "ethnicity",
    "disability",
    "disability_details",
    "first_language",
    "interpreter_needed",
    "nhs_number",
    "upn",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "school",
)
FAMILY_FIELDS = ("name", "area", "notes")


def _apply_person_details(person: Person, details: dict[str, Any]) -> None:
    for field in PERSON_FIELDS:
        if field in details:
            setattr(person, field, details[field])
    person.nhs_number = nhs_number_normalise(person.nhs_number or "")
    person.upn = upn_normalise(person.upn or "")
    person.postcode = postcode_normalise(person.postcode) if person.postcode else ""
    if person.kind == Person.Kind.UNBORN:
        person.date_of_birth = None
    else:
        person.expected_date_of_delivery = None
    person.search_name = name_normalise(
        " ".join([person.first_name, person.middle_names, person.last_name, person.preferred_name, person.other_names])
    )
    person.first_name_sound = name_sound(person.first_name)
    person.last_name_sound = name_sound(person.last_name)


IDENTIFIER_TAKEN = {
    "person_nhs_number_unique": ("nhs_number", "Another person already has this NHS number"),
    "person_upn_unique": ("upn", "Another person already has this UPN"),
}


def _save_identified(record: VersionedModel, **options: Any) -> None:
    """Save a person, turning a clash on a unique NHS number or UPN into a message beside the
    field: `full_clean()` checks first, but two saves at the same moment can both pass it, and
    the database's unique index then refuses the second."""
    try:
        with transaction.atomic():
            record.save(**options)
    except IntegrityError as error:
        for constraint, (field, message) in IDENTIFIER_TAKEN.items():
            if constraint in str(error) or f"people_person.{field}" in str(error):
                raise ValidationError({field: message}) from error
        raise


@audited
def person_create(*, actor: User, details: dict[str, Any]) -> Person:
    person = Person(authority_id=actor.authority_id, created_by=actor)
    _apply_person_details(person, details)
    person.full_clean()
    _save_identified(person)
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=person, changes=snapshot(person, PERSON_FIELDS))
    if not actor.can(Permission.VIEW_AUTHORITY_RECORDS):
        # A partner who records a person works with them, and so can go on seeing them.
        involvement_start(actor=actor, person=person, practitioner=actor, kind=Involvement.Kind.WORKS_WITH)
    return person


@audited
def person_update(*, actor: User, person: Person, details: dict[str, Any], seen_version: int | None) -> Person:
    """Change a person's details; refused, with what changed, if someone else saved first."""
    person = locked(person)
    before = snapshot(person, PERSON_FIELDS)
    versions = version_move_on(person, seen=seen_version)
    _apply_person_details(person, details)
    person.full_clean()
    changes = changes_between(before, snapshot(person, PERSON_FIELDS))
    if not changes:
        return person
    _save_identified(person)
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes=changes | {"version": versions})
    return person


@audited
def involvement_start(*, actor: User, person: Person, practitioner: User, kind: Involvement.Kind) -> Involvement:
    involvement = Involvement.objects.create(person=person, practitioner=practitioner, kind=kind)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=involvement,
        changes={"person": person.pk, "practitioner": practitioner.pk, "kind": kind},
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=person,
        changes={"involvement": [None, f"{practitioner.full_name}: {involvement.get_kind_display()}"]},
    )
    return involvement


@audited
def involvement_end(*, actor: User, involvement: Involvement, ended_on: date) -> Involvement:
    """End an open involvement (a lead practitioner's, at handover): from then on it gives no
    sight of the person; the row stays, as the record of who was involved when."""
    involvement = locked(involvement)
    if involvement.ended_on is not None:
        return involvement
    involvement.ended_on = ended_on
    involvement.save(update_fields=["ended_on"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=involvement,
        changes={"ended_on": [None, ended_on.isoformat()]},
    )
    return involvement


@audited
def family_create(*, actor: User, name: str, area: Area | None = None, notes: str = "") -> Family:
    family = Family(authority_id=actor.authority_id, name=name, area=area, notes=notes, created_by=actor)
    family.full_clean()
    family.save()
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=family, changes=snapshot(family, FAMILY_FIELDS))
    return family


@audited
def family_update(
    *, actor: User, family: Family, name: str, area: Area | None, notes: str, seen_version: int | None
) -> Family:
    family = locked(family)
    before = snapshot(family, FAMILY_FIELDS)
    versions = version_move_on(family, seen=seen_version)
    family.name, family.area, family.notes = name, area, notes
    family.full_clean()
    changes = changes_between(before, snapshot(family, FAMILY_FIELDS))
    if changes:
        family.save()
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=family, changes=changes | {"version": versions})
    return family


@audited
def family_member_add(
    *, actor: User, family: Family, person: Person, role: str, lives_in_household: bool
) -> FamilyMembership:
    membership = FamilyMembership(family=family, person=person, role=role, lives_in_household=lives_in_household)
    membership.full_clean()
    membership.save()
    change = {"family": [None, family.name], "role": [None, membership.get_role_display()]}
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=membership, changes=change)
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes=change)
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=family, changes={"member added": [None, person.full_name]}
    )
    return membership


@audited
def family_member_update(
    *, actor: User, membership: FamilyMembership, role: str, lives_in_household: bool, seen_version: int | None
) -> FamilyMembership:
    person = membership.person
    membership = locked(membership)
    fields = ("role", "lives_in_household")
    before = snapshot(membership, fields)
    versions = version_move_on(membership, seen=seen_version)
    membership.role, membership.lives_in_household = role, lives_in_household
    membership.full_clean()
    changes = changes_between(before, snapshot(membership, fields))
    if changes:
        membership.save(update_fields=[*fields, "version"])
        record_change(
            actor=actor, verb=AuditEvent.Verb.UPDATED, target=membership, changes=changes | {"version": versions}
        )
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes=changes)
    return membership


@audited
def family_member_remove(*, actor: User, membership: FamilyMembership, seen_version: int | None) -> None:
    person, family = membership.person, membership.family
    membership = locked(membership)
    version_move_on(membership, seen=seen_version)
    change = {"family": [family.name, None], "role": [membership.get_role_display(), None]}
    record_change(actor=actor, verb=AuditEvent.Verb.DELETED, target=membership, changes=change)
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes=change)
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=family, changes={"member removed": [person.full_name, None]}
    )
    membership.delete()


@audited
def relationship_add(
    *, actor: User, from_person: Person, to_person: Person, kind: str, details: str = ""
) -> Relationship:
    relationship = Relationship(from_person=from_person, to_person=to_person, kind=kind, details=details)
    relationship.full_clean()
    relationship.save()
    described = str(relationship)
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=relationship, changes={"relationship": described})
    for person in (from_person, to_person):
        record_change(
            actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes={"relationship": [None, described]}
        )
    return relationship


@audited
def relationship_update(
    *, actor: User, relationship: Relationship, kind: str, details: str, seen_version: int | None
) -> Relationship:
    relationship = locked(relationship)
    before = str(relationship)
    versions = version_move_on(relationship, seen=seen_version)
    relationship.kind, relationship.details = kind, details
    relationship.full_clean()
    relationship.save(update_fields=["kind", "details", "updated_at", "version"])
    after = str(relationship)
    change = {"relationship": [before, after]}
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=relationship, changes=change | {"version": versions}
    )
    for person in (relationship.from_person, relationship.to_person):
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes=change)
    return relationship


@audited
def relationship_remove(*, actor: User, relationship: Relationship, seen_version: int | None) -> None:
    relationship = locked(relationship)
    version_move_on(relationship, seen=seen_version)
    described = str(relationship)
    record_change(actor=actor, verb=AuditEvent.Verb.DELETED, target=relationship, changes={"relationship": described})
    for person in (relationship.from_person, relationship.to_person):
        record_change(
            actor=actor, verb=AuditEvent.Verb.UPDATED, target=person, changes={"relationship": [described, None]}
        )
    relationship.delete()
