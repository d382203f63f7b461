"""Disposing of a family's records when they are due (ADR 24): deleted for real, every row about
the family and its members (their contacts, episodes, case notes, assessments, consents…) and the
files of its documents, leaving one audit entry that says what was disposed of, when, under which
rule and by whom, with no personal detail. The details of every earlier audit entry about those
records are erased through that entry (`audit/chain.py`), so the chain still verifies.

A member who belongs to another family too is kept, with what is theirs; only their place in this
family goes. A record that names people of whom some are kept (a consent for a mother and a
child of another family) is kept too, without the people disposed of.
"""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from earlyhelp.audit import chain
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.governance.retention import is_due
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import Family, FamilyMembership, Person
from earlyhelp.records.models import Document
from earlyhelp.sharing.models import AgreementToHelp, ConsentToShare, SharingDecision

Found = dict[type[models.Model], set[int]]

# What a disposal must never reach: the organisation, its people and its reference data.
NEVER = {"organisations", "accounts", "audit", "thresholds.frameworkversion", "directory", "auth", "contenttypes"}


@dataclass(frozen=True)
class Disposal:
    reference: str
    counts: dict[str, int]
    audit_entries_erased: int


def gathered(family: Family) -> Found:
    """Every row to delete with the family: it, its members who belong to no other family, and
    everything that depends on them, however deep."""
    members = set(FamilyMembership.objects.filter(family=family).values_list("person_id", flat=True))
    elsewhere = set(
        FamilyMembership.objects.filter(person_id__in=members)
        .exclude(family=family)
        .values_list("person_id", flat=True)
    )
    found: Found = {}
    _follow(found, {Family: {family.pk}, Person: members - elsewhere})
    while True:
        more = _left_without_anyone(found)
        if not more:
            return found
        _follow(found, more)


def _follow(found: Found, roots: Found) -> None:
    queue: deque[tuple[type[models.Model], set[int]]] = deque(roots.items())
    while queue:
        model, ids = queue.popleft()
        new = ids - found.setdefault(model, set())
        if not new:
            continue
        _refuse_outside(model)
        found[model] |= new
        for relation in model._meta.get_fields(include_hidden=True):
            if not (relation.is_relation and relation.auto_created and not relation.concrete):
                continue
            if relation.many_to_many:
                continue  # reached through its own table's hidden foreign key instead
            related: type[models.Model] = relation.related_model  # type: ignore[assignment]
            field_name = relation.field.name  # type: ignore[union-attr]
            dependants = set(models.QuerySet(related).filter(**{f"{field_name}__in": new}).values_list("pk", flat=True))
            if dependants:
                queue.append((related, dependants))


def _refuse_outside(model: type[models.Model]) -> None:
    meta = model._meta
    if meta.app_label in NEVER or meta.label_lower in NEVER:
        raise ValidationError(
            f"A disposal reached {meta.verbose_name}, which it must never delete: nothing was deleted"
        )


def _left_without_anyone(found: Found) -> Found:
    """Records that name people, all of whom are being disposed of (beyond what the foreign keys
    reach): a consent, an agreement, a sharing decision; a contact whose every person goes."""
    people = found.get(Person, set())
    more: Found = {}
    for model in (AgreementToHelp, ConsentToShare, SharingDecision):
        named = model.objects.filter(people__in=people).values_list("pk", flat=True).distinct()
        whole = set(
            model.objects.filter(pk__in=list(named))
            .annotate(kept=Count("people", filter=~Q(people__in=people)))
            .filter(kept=0)
            .values_list("pk", flat=True)
        ) - found.get(model, set())
        if whole:
            more[model] = whole
    entries = ContactPerson.objects.filter(person_id__in=people).values_list("contact_id", flat=True)
    contacts = set(
        Contact.objects.filter(pk__in=list(entries), family__isnull=True)
        .annotate(kept=Count("people", filter=~Q(people__person_id__in=people)))
        .filter(kept=0)
        .values_list("pk", flat=True)
    ) - found.get(Contact, set())
    if contacts:
        more[Contact] = contacts
    return more


@audited
def family_dispose(*, actor: User, family: Family, note: str) -> Disposal:
    """Delete the family's records for real, if they are due and nobody holds them."""
    if not actor.can(Permission.MANAGE_RETENTION):
        raise ValidationError("Only information governance can dispose of records")
    if not note.strip():
        raise ValidationError({"note": "Say what was reviewed before disposing of these records"})
    family = locked(family)
    if not is_due(family, today=timezone.localdate()):
        raise ValidationError(
            "These records are not due for disposal: a child is under the age kept to, the family has open work, "
            "or a legal hold is in force"
        )
    found = gathered(family)
    targets = sorted(f"{model._meta.label_lower}:{pk}" for model, ids in found.items() for pk in ids)
    counts = {
        str(model._meta.verbose_name_plural).capitalize(): len(ids)
        for model, ids in found.items()
        if ids and not model._meta.auto_created
    }
    reference = family.reference
    stub = record_change(
        actor=actor,
        verb=AuditEvent.Verb.DISPOSED,
        target=family,
        changes={"reference": reference, "rule": _rule(), "note": note.strip(), "records": counts, "targets": targets},
    )
    files = _stored_files(found)
    for model, ids in found.items():
        _delete(model, ids)
    erased = chain.erase(targets=_pairs(targets), disposal=stub)
    # The documents' files go too, once the rows are gone for good (they are not in the database).
    transaction.on_commit(lambda: _files_delete(files))
    return Disposal(reference=reference, counts=counts, audit_entries_erased=erased)


def _stored_files(found: Found) -> list[str]:
    return [
        str(name)
        for name in Document.objects.filter(pk__in=sorted(found.get(Document, set()))).values_list("file", flat=True)
    ]


def _files_delete(names: list[str]) -> None:
    storage = Document.file.field.storage
    for name in names:
        storage.delete(name)


def _delete(model: type[models.Model], ids: set[int]) -> None:
    """For real, and without asking each row: the foreign keys are checked at commit, when every
    row that points at another has gone with it."""
    pks = sorted(ids)
    for start in range(0, len(pks), 500):
        models.QuerySet(model).filter(pk__in=pks[start : start + 500])._raw_delete(connection.alias)


def _pairs(targets: Iterable[str]) -> list[tuple[str, int]]:
    return [(label, int(pk)) for label, _, pk in (target.rpartition(":") for target in targets)]


def _rule() -> str:
    from django.conf import settings

    return (
        f"Kept until the youngest child is {settings.RETENTION_UNTIL_YOUNGEST_IS}; a family without children "
        f"{settings.RETENTION_YEARS_WITHOUT_CHILDREN} years after its last contact"
    )


def disposals(authority_id: int) -> models.QuerySet[AuditEvent]:
    """What is left of each family disposed of: its audit entry."""
    del authority_id  # one authority per deployment (ADR 13)
    return AuditEvent.objects.filter(verb=AuditEvent.Verb.DISPOSED).order_by("-occurred_at")
