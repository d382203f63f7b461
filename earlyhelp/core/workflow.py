"""One way to change state (ADR 11).

A stateful model writes its allowed transitions once, as a `Transitions` table beside its status
choices. A service that moves a record on:

1. re-reads the row under a lock (`locked()`, `select_for_update`), inside its transaction, so
   that two people pressing the same button take turns;
2. re-checks its rules against what it has just read, never against what the page showed;
3. calls the model's transition method, which refuses any move the table does not allow and
   changes the database only; e-mails and other side effects go in `transaction.on_commit`.

On SQLite the whole transaction takes the write lock at BEGIN (ADR 10), which serialises the same
way; on PostgreSQL the row lock makes the second caller wait, then see the first one's change.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


class TransitionNotAllowedError(ValidationError):
    """A move between two states that the model's table does not allow."""


class StaleEditError(ValidationError):
    """A change made from a page opened at an older version of the record than the one saved
    now; `changes` are what moved it on since (audit rows, from `audit.editing`)."""

    def __init__(self, message: str, *, current_version: int, changes: list[Any]) -> None:
        super().__init__(message, code="stale")
        self.current_version = current_version
        self.changes = changes


class Transitions:
    """The allowed moves of one status field: `{from: (to, to, ...)}`. A status with no entry
    is final."""

    def __init__(self, allowed: Mapping[str, Iterable[str]]) -> None:
        self.allowed: dict[str, frozenset[str]] = {
            str(before): frozenset(map(str, after)) for before, after in allowed.items()
        }

    def allows(self, before: str, after: str) -> bool:
        return str(after) in self.allowed.get(str(before), frozenset())

    def check(self, before: str, after: str, *, what: str) -> None:
        if not self.allows(before, after):
            raise TransitionNotAllowedError(f"{what} cannot go from “{before}” to “{after}”")

    def is_final(self, status: str) -> bool:
        return not self.allowed.get(str(status))


def locked(instance: M) -> M:
    """The same row, read again under a row lock that lasts until the transaction ends.

    Callers must already be in a transaction (every `@audited` service is). No joins are
    followed: after waiting for the lock PostgreSQL re-reads the locked row, but a joined row
    would come from before the wait."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked() takes a row lock, which needs a transaction")
    model = type(instance)
    fresh: M = model._default_manager.select_for_update().get(pk=instance.pk)
    return fresh
