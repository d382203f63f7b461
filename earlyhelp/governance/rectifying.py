"""Rectification (UK GDPR Art 16): a request to correct a record, answered within the month.

The correction itself is made on the record through its own page, so that the audit trail keeps
what it said before and who changed it (the history); the rectification records the request and
the decision. A request refused keeps the requester's words on the record, marked as disputed
(ADR 25)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.compiled import Compiled
from earlyhelp.core.workflow import locked
from earlyhelp.governance.models import Rectification
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import can_edit_person, people_visible_to
from earlyhelp.people.models import Person


@audited
def rectification_record(
    *, actor: User, person: Person, requested_by: str, received_on: date | None, what_is_wrong: str
) -> Rectification:
    """Whoever may change the person's record records a request to correct it."""
    if not (people_visible_to(actor).filter(pk=person.pk).exists() and can_edit_person(actor, person)):
        raise ValidationError("Only someone who may change this record can record a request to correct it")
    problems: dict[str, str] = {}
    if not requested_by.strip():
        problems["requested_by"] = "Enter the name of the person who asked"
    if received_on is None:
        problems["received_on"] = "Enter the date the request was received"
    elif received_on > timezone.localdate():
        problems["received_on"] = "The date received must be today or in the past"
    if not what_is_wrong.strip():
        problems["what_is_wrong"] = "Say what they say is wrong, and what they say is right, in their words"
    if problems:
        raise ValidationError(problems)
    assert received_on is not None
    found = Rectification.objects.create(
        person=person,
        requested_by=requested_by.strip(),
        received_on=received_on,
        what_is_wrong=what_is_wrong.strip(),
        recorded_by=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=found,
        changes={"requested_by": found.requested_by, "what_is_wrong": found.what_is_wrong},
    )
    return found


@audited
def rectification_decide(
    *, actor: User, rectification: Rectification, decision: str, reason: str, seen_version: int | None
) -> Rectification:
    """Corrected (the record was changed on its own page), or not corrected, with the reason the
    requester is given; either way decided once."""
    rectification = locked(rectification)
    if not (can_edit_person(actor, rectification.person) and actor.can(Permission.VIEW_AUTHORITY_RECORDS)):
        raise ValidationError("Only the authority's staff who may change this record decide a correction")
    problems: dict[str, str] = {}
    if rectification.decision != Rectification.Decision.PENDING:
        problems["decision"] = "This request has already been decided"
    elif decision not in (Rectification.Decision.CORRECTED, Rectification.Decision.NOT_CORRECTED):
        problems["decision"] = "Say whether the record was corrected"
    if decision == Rectification.Decision.NOT_CORRECTED and not reason.strip():
        problems["reason"] = "Say why it is not corrected: the requester is told, and may complain to the ICO"
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(rectification, seen=seen_version)
    rectification.decision = decision
    rectification.decision_reason = reason.strip()
    rectification.decided_by = actor
    rectification.decided_on = timezone.localdate()
    rectification.save(update_fields=["decision", "decision_reason", "decided_by", "decided_on", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=rectification,
        changes={"decision": ["pending", decision], "reason": rectification.decision_reason, "version": versions},
    )
    return rectification


# On every person page: built once (core/compiled.py).
_DISPUTED: "Compiled[Rectification]" = Compiled(
    lambda person: Rectification.objects.filter(person_id=person, decision=Rectification.Decision.NOT_CORRECTED)
)


def disputed(person: Person) -> list[Rectification]:
    """What the person says is wrong on their record and was not corrected: shown beside it."""
    return _DISPUTED.list(person=person.pk)
