"""Placing and lifting a legal hold on a family's records."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.governance.models import LegalHold
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import Family


def _require(actor: User) -> None:
    if not actor.can(Permission.MANAGE_RETENTION):
        raise ValidationError({"reason": "Only information governance can place or lift a legal hold"})


@audited
def legal_hold_place(*, actor: User, family: Family, reason: str) -> LegalHold:
    _require(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the records must be kept (a court case, an inquiry, a complaint)"})
    family = locked(family)
    if LegalHold.objects.filter(family=family, lifted_at__isnull=True).exists():
        raise ValidationError({"reason": "A legal hold is already in force on this family"})
    hold = LegalHold.objects.create(family=family, reason=reason.strip(), placed_by=actor)
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=hold, changes={"reason": hold.reason})
    return hold


@audited
def legal_hold_lift(*, actor: User, hold: LegalHold, because: str) -> LegalHold:
    _require(actor)
    if not because.strip():
        raise ValidationError({"because": "Say why the hold is lifted"})
    hold = locked(hold)
    if hold.lifted_at is not None:
        raise ValidationError({"because": "This hold has already been lifted"})
    hold.lifted_by, hold.lifted_at, hold.lifted_because = actor, timezone.now(), because.strip()
    hold.save(update_fields=["lifted_by", "lifted_at", "lifted_because"])
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=hold, changes={"lifted_because": hold.lifted_because}
    )
    return hold
