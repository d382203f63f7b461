"""Granting and removing roles, each an audit row on the user it changes (ADR 18).

- Nobody asks for a role for themselves, nor approves a request that names them or that they made.
- A role that opens children's records (any that reads the authority's or the user's own records)
  or the admin site takes effect only when a second administrator approves it; one that opens
  neither (a performance analyst's figures) takes effect as it is asked for.
- Removing a role takes effect at once: taking access away is never what a second pair of eyes
  is for. Each removal says why.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import RoleRequest
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import RoleAssignment, User
from earlyhelp.organisations.roles import ROLE_PERMISSIONS, Permission, Role

# What a role must not open without a second administrator's approval.
OPENS_RECORDS = frozenset(
    {Permission.VIEW_AUTHORITY_RECORDS, Permission.VIEW_OWN_RECORDS, Permission.ADMINISTER_ORGANISATIONS}
)


def needs_second_administrator(role: Role) -> bool:
    return bool(ROLE_PERMISSIONS[role] & OPENS_RECORDS)


def _roles_of(user: User) -> list[str]:
    return sorted(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))


def _refuse_unless_administrator(actor: User) -> None:
    if not actor.can(Permission.ADMINISTER_ORGANISATIONS):
        raise ValidationError({"role": "Only a system administrator can grant or remove roles"})


def role_request_problems(*, actor: User, user: User, role: str, reason: str) -> dict[str, str]:
    """What stops `actor` asking for `role` for `user` (the admin form shows them by their fields)."""
    if not actor.can(Permission.ADMINISTER_ORGANISATIONS):
        return {"role": "Only a system administrator can grant or remove roles"}
    problems: dict[str, str] = {}
    if user.pk == actor.pk:
        problems["user"] = "Nobody can grant a role to themselves: ask another administrator"
    elif user.authority_id != actor.authority_id:
        problems["user"] = "Choose someone who works with this authority"
    if role not in Role.values:
        problems["role"] = "Choose the role"
    elif RoleAssignment.objects.filter(user=user, role=role).exists():
        problems["role"] = f"{user} already has the role “{Role(role).label}”"
    elif RoleRequest.objects.filter(user=user, role=role, status=RoleRequest.Status.WAITING).exists():
        problems["role"] = f"“{Role(role).label}” for {user} is already waiting for a second administrator"
    if not reason.strip():
        problems["reason"] = "Say why they need this role"
    return problems


@audited
def role_request(*, actor: User, user: User, role: str, reason: str) -> RoleRequest:
    """Ask for `role` for `user`: granted at once when it opens no records, otherwise waiting."""
    user = locked(user)
    problems = role_request_problems(actor=actor, user=user, role=role, reason=reason)
    if problems:
        raise ValidationError(problems)
    request = RoleRequest.objects.create(user=user, role=role, reason=reason.strip(), requested_by=actor)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=request,
        changes={"user": user.email, "role": role, "reason": request.reason},
    )
    if not needs_second_administrator(Role(role)):
        _grant(actor=actor, request=request, decided_by=None, note="Opens no records: granted as asked")
    return request


@audited
def role_request_approve(*, actor: User, request: RoleRequest, note: str, seen_version: int | None) -> RoleRequest:
    return _decide(actor=actor, request=request, note=note, seen_version=seen_version, granted=True)


@audited
def role_request_refuse(*, actor: User, request: RoleRequest, note: str, seen_version: int | None) -> RoleRequest:
    if not note.strip():
        raise ValidationError({"decision_note": "Say why the role is refused"})
    return _decide(actor=actor, request=request, note=note, seen_version=seen_version, granted=False)


def _decide(*, actor: User, request: RoleRequest, note: str, seen_version: int | None, granted: bool) -> RoleRequest:
    _refuse_unless_administrator(actor)
    request = locked(request)
    if request.status != RoleRequest.Status.WAITING:
        decided = f" by {request.decided_by}" if request.decided_by else ""
        raise ValidationError({"status": f"This request was already {request.get_status_display().lower()}{decided}"})
    if actor.pk == request.user_id:
        raise ValidationError({"status": "Nobody can approve or refuse a role for themselves"})
    if actor.pk == request.requested_by_id:
        raise ValidationError(
            {"status": "A second administrator decides: you asked for this role, so someone else must approve it"}
        )
    if seen_version is not None and seen_version != request.version:
        raise ValidationError({"status": "Someone changed this request after you opened it: open it again"})
    if granted:
        return _grant(actor=actor, request=request, decided_by=actor, note=note)
    # Waiting was checked above; the table is the rule all the same (its words cannot show here).
    RoleRequest.TRANSITIONS.check(
        request.status,
        RoleRequest.Status.REFUSED,
        what="A role request",  # pragma: no mutate
    )
    request.status = RoleRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
    request.version += 1
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=request, changes={"status": ["waiting", "refused"]})
    return request


def _grant(*, actor: User, request: RoleRequest, decided_by: User | None, note: str) -> RoleRequest:
    # Only ever called on a waiting request; the table is the rule all the same (its words cannot show).
    RoleRequest.TRANSITIONS.check(
        request.status,
        RoleRequest.Status.GRANTED,
        what="A role request",  # pragma: no mutate
    )
    user = request.user
    before = _roles_of(user)
    RoleAssignment.objects.create(user=user, role=request.role)
    request.status = RoleRequest.Status.GRANTED
    request.decided_by, request.decided_at, request.decision_note = decided_by, timezone.now(), note.strip()
    request.version += 1
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=request, changes={"status": ["waiting", "granted"]})
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=user, changes={"roles": [before, _roles_of(user)]})
    return request


@audited
def role_remove(*, actor: User, user: User, role: str, reason: str) -> None:
    _refuse_unless_administrator(actor)
    user = locked(user)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the role is removed"})
    before = _roles_of(user)
    if role not in before:
        raise ValidationError({"role": f"{user} does not have that role"})
    RoleAssignment.objects.filter(user=user, role=role).delete()
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=user,
        changes={"roles": [before, _roles_of(user)], "reason": reason.strip()},
    )
