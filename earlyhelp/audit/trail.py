"""Writing the audit trail, and the guarantee that no personal data is written without it.

Services that change personal data run inside `audited_writes()` (or are decorated with
`@audited`): a database transaction in which every saved or deleted `AuditedModel` must be
matched by an audit row before the transaction commits. A save outside such a scope raises
`UnauditedWriteError`; a scope that saved something it did not record rolls back.

Reads are recorded with `record_view`, `record_search` and `record_listed`. Inside a request
(`reads_recorded_together()`, entered by the audit middleware) they are gathered and written in
one INSERT before the response leaves, whether or not the view succeeded: a page that reads a
person, their family and their contacts costs one commit for its audit rows, not one each
(docs/performance.md). If that INSERT fails, the page is not shown.
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.db import models, transaction

from earlyhelp.audit.models import AuditEvent

if TYPE_CHECKING:
    from earlyhelp.organisations.models import User


class UnauditedWriteError(Exception):
    """Personal data was about to be written without an audit row in the same transaction."""


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    user_agent: str
    path: str


@dataclass
class WriteScope:
    touched: set[tuple[str, int]] = field(default_factory=set)
    recorded: set[tuple[str, int]] = field(default_factory=set)

    def check_every_write_recorded(self) -> None:
        missing = self.touched - self.recorded
        if missing:
            raise UnauditedWriteError(f"Written without an audit row: {sorted(missing)}")


_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_origin", default=None)
_scope: ContextVar[WriteScope | None] = ContextVar("audit_scope", default=None)
_reads: ContextVar[list[AuditEvent] | None] = ContextVar("audit_reads", default=None)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def request_origin(origin: RequestOrigin) -> Iterator[None]:
    token = _origin.set(origin)
    try:
        yield
    finally:
        _origin.reset(token)


@contextmanager
def reads_recorded_together() -> Iterator[None]:
    """Gather the read rows written inside, and write them all at once on the way out."""
    pending: list[AuditEvent] = []
    token = _reads.set(pending)
    try:
        yield
    finally:
        _reads.reset(token)
        if pending:
            AuditEvent.objects.bulk_create(pending)


@contextmanager
def audited_writes() -> Iterator[WriteScope]:
    """A transaction in which personal data may be written, provided every write is recorded."""
    outer = _scope.get()
    if outer is not None:
        yield outer
        return
    with transaction.atomic():
        scope = WriteScope()
        token = _scope.set(scope)
        try:
            yield scope
            scope.check_every_write_recorded()
        finally:
            _scope.reset(token)


def audited(function: Callable[P, R]) -> Callable[P, R]:
    """Run a service function inside `audited_writes()`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with audited_writes():
            return function(*args, **kwargs)

    return wrapper


def require_scope(model: type[models.Model]) -> WriteScope:
    """Called by `AuditedModel` before every write: refuse one outside an audited service."""
    scope = _scope.get()
    if scope is None:
        raise UnauditedWriteError(
            f"{model._meta.label} was written outside an audited service; use audit.trail.audited_writes()."
        )
    return scope


def note_write(scope: WriteScope, instance: models.Model) -> None:
    scope.touched.add(_key(instance))


def record_change(
    *,
    actor: "User | None",
    verb: AuditEvent.Verb,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    scope = _scope.get()
    if scope is None:
        raise UnauditedWriteError("record_change() must be called inside audited_writes().")
    scope.recorded.add(_key(target))
    return _write(actor=actor, verb=verb, target=target, details=changes or {}, actor_label=actor_label)


def record_view(*, actor: "User", target: models.Model) -> AuditEvent:
    event = _event(
        actor=actor, verb=AuditEvent.Verb.VIEWED, target_type=_label(target), target_id=_pk(target), details={}
    )
    _write_reads([event])
    return event


def record_search(*, actor: "User", criteria: dict[str, str], found: Iterable[models.Model]) -> None:
    """One row per record shown in search results: each of them was read by the searcher."""
    _write_many(actor=actor, verb=AuditEvent.Verb.SEARCHED, targets=found, details={"criteria": criteria})


def record_listed(*, actor: "User", shown: Iterable[models.Model], where: str) -> None:
    """One row per record whose details a page listed (a family's members, a picker, matches)."""
    _write_many(actor=actor, verb=AuditEvent.Verb.LISTED, targets=shown, details={"where": where})


def record_refused(
    *, actor: "User | None", target_type: str, target_id: int, attempted: str, actor_label: str = ""
) -> AuditEvent | None:
    """An attempt to open, change or list a record the actor may not see, whether or not it exists.

    Written outside any write scope, so that it stays even when the request ends in a 404."""
    if not -(2**63) <= target_id < 2**63:
        return None
    event = _event(
        actor=actor,
        actor_label=actor_label,
        verb=AuditEvent.Verb.REFUSED,
        target_type=target_type,
        target_id=target_id,
        details={"attempted": attempted},
    )
    event.save()
    return event


def record_sign_in(*, verb: AuditEvent.Verb, user: "User | None", email: str, details: dict[str, Any]) -> AuditEvent:
    """A sign-in attempt, a refusal or a signing out, on the user it names (the typed address's
    account, or none: target id 0 with the address typed). Written at once, outside any write
    scope, like a refused look: it stays whatever the request does next."""
    event = _event(
        actor=user,
        actor_label=email[:200],
        verb=verb,
        target_type="organisations.user",
        target_id=user.pk if user is not None else 0,
        details={"email": email[:254], **details},
    )
    event.save()
    return event


def _write_many(
    *, actor: "User", verb: AuditEvent.Verb, targets: Iterable[models.Model], details: dict[str, Any]
) -> None:
    _write_reads(
        [
            _event(actor=actor, verb=verb, target_type=_label(target), target_id=_pk(target), details=details)
            for target in targets
        ]
    )


def _write_reads(rows: list[AuditEvent]) -> None:
    """Now, or with the request's other reads when inside `reads_recorded_together()`."""
    pending = _reads.get()
    if pending is not None:
        pending.extend(rows)
    elif len(rows) == 1:
        rows[0].save()
    elif rows:
        AuditEvent.objects.bulk_create(rows)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` in a form that can be stored as JSON and compared."""
    return {name: _jsonable(getattr(instance, _attname(instance, name))) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def _write(
    *, actor: "User | None", verb: AuditEvent.Verb, target: models.Model, details: dict[str, Any], actor_label: str
) -> AuditEvent:
    event = _event(
        actor=actor,
        actor_label=actor_label,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=_pk(target),
        details=details,
    )
    event.save()
    return event


def _event(
    *,
    actor: "User | None",
    verb: AuditEvent.Verb,
    target_type: str,
    target_id: int,
    details: dict[str, Any],
    actor_label: str = "",
) -> AuditEvent:
    """The one place an audit row is made: who (or what, when no one is signed in), did what, to
    which record, with what, and from where (the request's origin)."""
    origin = _origin.get()
    return AuditEvent(
        actor=actor,
        actor_label=actor.full_name if actor else (actor_label or "System"),
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        details=details,
        ip_address=origin.ip_address if origin else None,
        user_agent=origin.user_agent if origin else "",
        path=origin.path if origin else "",
    )


def _key(instance: models.Model) -> tuple[str, int]:
    return (_label(instance), _pk(instance))


def _label(instance: models.Model) -> str:
    return instance._meta.label_lower


def _pk(instance: models.Model) -> int:
    pk = instance.pk
    if not isinstance(pk, int):
        raise UnauditedWriteError(f"{instance._meta.label} has no primary key to audit against.")
    return pk


def _attname(instance: models.Model, name: str) -> str:
    model_field = instance._meta.get_field(name)
    return getattr(model_field, "attname", name)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
