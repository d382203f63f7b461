"""The audit trail: an append-only record of every read and every change of personal data.

Rows are written only through `earlyhelp.audit.trail`. They are never updated or deleted: the
model refuses, and database triggers (see the migrations) refuse as well, so that neither a bug
nor a hand-typed SQL statement can rewrite who looked at a child's record.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["AuditEvent"]:
        """New entries join the hash chain (chain.py)."""
        from earlyhelp.audit import chain

        events = list(objs)
        chain.write(events)
        return events

    def erase_details(self, *, erased_by: int) -> int:
        """For chain.py only: the erasure the database's guard allows at a disposal (database.py)."""
        sealed = self.filter(chain_sequence__isnull=False)
        return models.QuerySet.update(sealed, details={"erased_by": erased_by})

    def bulk_create_unchained(self, events: list["AuditEvent"]) -> list["AuditEvent"]:
        """For chain.py only: the INSERT itself, the links already set or left to be sealed."""
        return super().bulk_create(events)

    def for_target(self, target_type: str, target_id: int) -> "AuditEventQuerySet":
        return self.filter(target_type=target_type, target_id=target_id)


class AuditEvent(models.Model):
    class Verb(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        SEARCHED = "searched", "Found in a search"
        LISTED = "listed", "Shown in a list"
        CREATED = "created", "Created"
        UPDATED = "updated", "Changed"
        DELETED = "deleted", "Removed"
        # An attempt to open, change or list a record the person may not see: the 404 they got
        # says nothing, and this row says they tried (a partner sweeping ids stands out).
        REFUSED = "refused", "Refused: tried to open a record they may not see"
        # Signing in and out (issue 13): every attempt, whether the account exists or not.
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed: wrong email address or password"
        SIGN_IN_REFUSED = "sign_in_refused", "Sign-in refused: too many wrong passwords"
        SIGNED_OUT = "signed_out", "Signed out"
        # The second step of signing in (accounts/two_step.py).
        TWO_STEP_PASSED = "two_step_passed", "Two-step sign-in passed"
        TWO_STEP_FAILED = "two_step_failed", "Two-step sign-in failed: wrong code"
        TWO_STEP_SET_UP = "two_step_set_up", "Two-step sign-in set up"
        TWO_STEP_RESET = "two_step_reset", "Two-step sign-in reset by an administrator"
        # A record deleted under the retention rules; what is left of it is this entry (governance).
        DISPOSED = "disposed", "Disposed of under the retention rules"

    # Set when the entry is made (chain.prepare), so that its digest covers the moment stored.
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Null only for work the system does by itself (loading demo data, say); `actor_label`
    # then says what did it. No index of its own: `audit_by_actor` begins with it, and each index
    # is one more to write on every page that records its reads (docs/performance.md).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    actor_label = models.CharField(max_length=200)
    verb = models.CharField(max_length=20, choices=Verb.choices)
    # What was read or changed: a model label ("people.person") and its primary key.
    target_type = models.CharField(max_length=100)
    target_id = models.BigIntegerField()
    # What changed: {"field": [before, after]}; or, for a search, what was searched for.
    details = models.JSONField(default=dict, blank=True)
    # From where.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)
    # The hash chain (chain.py, ADR 19): the digest of the values above that may be personal, this
    # entry's place in the chain, the digest of the entry before it and its own. Null place: written
    # inside a transaction and not yet sealed into the chain.
    values_digest = models.CharField(max_length=64, blank=True)
    chain_sequence = models.BigIntegerField(null=True, blank=True, unique=True)
    previous_digest = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-occurred_at"], name="audit_by_target"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_by_actor"),
            # "Recently viewed" on the home page: a user's own openings of people, newest first,
            # without walking the searches and listings in between.
            models.Index(fields=["actor", "verb", "target_type", "-occurred_at"], name="audit_by_actor_and_verb"),
            # The entries waiting to be sealed into the chain: few, found without a scan.
            models.Index(fields=["id"], condition=models.Q(chain_sequence__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.verb} {self.target_type} {self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        from earlyhelp.audit import chain

        chain.write([self])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    ATTEMPTS = {
        "open": "to open it",
        "change": "to change it",
        "confirm": "to confirm a decision on it",
        "add-duplicate": "to add the same person again, with its NHS number or UPN",
        "copy-identifier": "to give another record its NHS number or UPN",
    }

    @property
    def attempt_display(self) -> str:
        """For a refused attempt: what was tried, in words."""
        attempted = str(self.details.get("attempted", "open"))
        return self.ATTEMPTS.get(attempted, f"to {attempted} it")

    @property
    def changes_for_display(self) -> list[tuple[str, Any, Any]]:
        """For a change: (what, before, after) in words a reader can follow."""
        if self.verb != self.Verb.UPDATED:
            return []
        return [
            (name.replace("_", " ").capitalize(), *change)
            for name, change in self.details.items()
            if isinstance(change, list) and len(change) == 2 and name != "version"
        ]


class ChainHead(models.Model):
    """The last entry in the audit chain: its place and digest. One row, taken under a row lock by
    whoever links entries, so that links are made one writer at a time."""

    sequence = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Audit chain at entry {self.sequence:,}"
