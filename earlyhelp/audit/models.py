"""The audit trail: an append-only record of every read and every change of personal data.

Rows are written only through `earlyhelp.audit.trail`. They are never updated or deleted: the
model refuses, and database triggers (see the migrations) refuse as well, so that neither a bug
nor a hand-typed SQL statement can rewrite who looked at a child's record.
"""

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

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

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Null only for work the system does by itself (loading demo data, say); `actor_label`
    # then says what did it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-occurred_at"], name="audit_by_target"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_by_actor"),
            # "Recently viewed" on the home page: a user's own openings of people, newest first,
            # without walking the searches and listings in between.
            models.Index(fields=["actor", "verb", "target_type", "-occurred_at"], name="audit_by_actor_and_verb"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.verb} {self.target_type} {self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

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
