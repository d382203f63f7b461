"""Merging two records of the same person, and undoing a merge.

Everything that points at the duplicate (family memberships, relationships, involvements,
level-of-need decisions, the people on front-door contacts) is moved to the record kept. A row
the kept record already has an equal of (the same family, the same relationship) is removed
instead, with its values kept. The duplicate is hidden (`merged_into`), never deleted. Every move
and removal is written to the merge, so that undoing it puts each row back exactly; both are
audited on both records.
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.people.models import FamilyMembership, Involvement, Person, PersonMerge, Relationship

# (model, field) for every reference to a person that follows them into a merge.
REFERENCES = [
    ("people.FamilyMembership", "person"),
    ("people.Relationship", "from_person"),
    ("people.Relationship", "to_person"),
    ("people.Involvement", "person"),
    ("thresholds.LevelOfNeedDecision", "person"),
    ("frontdoor.ContactPerson", "person"),
]


IDENTIFIERS = ("nhs_number", "upn")


def _already_there(row: models.Model, field: str, kept: Person) -> bool:
    """Whether moving `row` to `kept` would repeat something `kept` already has."""
    if isinstance(row, FamilyMembership):
        return FamilyMembership.objects.filter(family_id=row.family_id, person=kept).exists()
    if isinstance(row, Relationship):
        ends = {"from_person_id": row.from_person_id, "to_person_id": row.to_person_id, f"{field}_id": kept.pk}
        if ends["from_person_id"] == ends["to_person_id"]:
            return True
        return Relationship.objects.filter(kind=row.kind, **ends).exclude(pk=row.pk).exists()
    if isinstance(row, Involvement):
        return (
            row.ended_on is None
            and Involvement.objects.filter(
                person=kept, practitioner_id=row.practitioner_id, kind=row.kind, ended_on__isnull=True
            ).exists()
        )
    return False


def _values(row: models.Model) -> dict[str, Any]:
    return {
        field.attname: (value.isoformat() if hasattr(value, "isoformat") else value)
        for field in row._meta.concrete_fields
        if not field.primary_key
        for value in [getattr(row, field.attname)]
    }


@audited
def person_merge(*, actor: User, kept: Person, duplicate: Person, reason: str) -> PersonMerge:
    if kept.pk == duplicate.pk:
        raise ValidationError("A record cannot be merged into itself")
    # Both rows under lock, in a fixed order, then the rules re-checked on what was just read:
    # two merges of the same duplicate at once make one.
    first, second = sorted((kept, duplicate), key=lambda person: person.pk)
    first, second = locked(first), locked(second)
    kept, duplicate = (first, second) if first.pk == kept.pk else (second, first)
    if kept.authority_id != duplicate.authority_id or kept.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("Only two current records of the same authority can be merged")
    if not reason.strip():
        raise ValidationError({"reason": "Say why these are the same person"})
    changes: list[dict[str, Any]] = []
    for label, field in REFERENCES:
        model = apps.get_model(label)
        for row in model.objects.filter(**{field: duplicate}).order_by("pk"):
            if _already_there(row, field, kept):
                changes.append({"model": label, "removed": _values(row)})
                record_change(
                    actor=actor, verb=AuditEvent.Verb.DELETED, target=row, changes={"merged": duplicate.reference}
                )
                row.delete()
            else:
                setattr(row, field, kept)
                row.save(update_fields=[field])
                changes.append({"model": label, "pk": row.pk, "field": field})
                record_change(
                    actor=actor,
                    verb=AuditEvent.Verb.UPDATED,
                    target=row,
                    changes={field: [duplicate.reference, kept.reference]},
                )
    # An NHS number or UPN only the duplicate has goes to the record kept (each is unique).
    for identifier in IDENTIFIERS:
        value = getattr(duplicate, identifier)
        if value and not getattr(kept, identifier):
            setattr(duplicate, identifier, "")
            duplicate.save(update_fields=[identifier])
            setattr(kept, identifier, value)
            kept.save(update_fields=[identifier])
            changes.append({"identifier": identifier, "value": value})
    duplicate.merged_into = kept
    duplicate.save(update_fields=["merged_into"])
    merge = PersonMerge.objects.create(
        kept=kept, duplicate=duplicate, reason=reason.strip(), changes=changes, merged_by=actor
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=merge, changes={"moved": len(changes)})
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=duplicate, changes={"merged into": [None, kept.reference]}
    )
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=kept, changes={"merged in": [None, duplicate.reference]}
    )
    return merge


@audited
def person_merge_undo(*, actor: User, merge: PersonMerge) -> PersonMerge:
    merge = locked(merge)
    if merge.is_undone:
        raise ValidationError("This merge has already been undone")
    duplicate, kept = merge.duplicate, merge.kept
    for change in reversed(merge.changes):
        if "identifier" in change:
            setattr(kept, change["identifier"], "")
            kept.save(update_fields=[change["identifier"]])
            setattr(duplicate, change["identifier"], change["value"])
            duplicate.save(update_fields=[change["identifier"]])
            continue
        model = apps.get_model(change["model"])
        if "removed" in change:
            row = model(**change["removed"])
            row.save()
            record_change(
                actor=actor, verb=AuditEvent.Verb.CREATED, target=row, changes={"merge undone": duplicate.reference}
            )
            continue
        row = model.objects.filter(pk=change["pk"]).first()
        if row is None:  # removed since, by someone else: nothing to put back
            continue
        setattr(row, change["field"], duplicate)
        row.save(update_fields=[change["field"]])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=row,
            changes={change["field"]: [kept.reference, duplicate.reference]},
        )
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into"])
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=merge, changes={"undone": [False, True]})
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=duplicate, changes={"merged into": [kept.reference, None]}
    )
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=kept, changes={"merged in": [duplicate.reference, None]}
    )
    return merge
