"""No lost updates: every editable record carries a version, and a change made from a form opened
at an older version is refused, with what changed since (ADR 11).

A service that changes a versioned record reads it under its row lock (`core.workflow.locked`),
then calls `version_move_on(record, seen=...)` with the version the form was opened at. The new
version goes into the change's audit row as `"version": [before, after]`, which is how
`changes_since` finds, from the audit trail, who changed what after the form was opened.
"""

from django.db import models

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.workflow import StaleEditError


class VersionedModel(AuditedModel):
    """An audited record that people edit: its version goes up by one with every saved change."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one with every saved change; a stale form is refused"
    )

    class Meta:
        abstract = True


STALE_MESSAGE = (
    "Someone else saved changes to this record after you opened this page, so your changes have not been "
    "saved. What you typed is still here: check it against their changes, listed below, then save again"
)


def version_move_on(record: VersionedModel, *, seen: int | None) -> list[int]:
    """Refuse a change from a form opened at another version; otherwise move the version on.

    `record` must have been read under its row lock in this transaction. `seen` is None only
    for changes the system makes itself, with no form (matching, merging). Returns
    `[before, after]` for the audit row."""
    if seen is not None and seen != record.version:
        raise StaleEditError(STALE_MESSAGE, current_version=record.version, changes=changes_since(record, seen))
    record.version += 1
    return [record.version - 1, record.version]


def changes_since(record: models.Model, version: int) -> list[AuditEvent]:
    """The audited changes that moved `record` past `version`, oldest first."""
    return list(
        AuditEvent.objects.for_target(record._meta.label_lower, int(record.pk))
        .filter(verb=AuditEvent.Verb.UPDATED, details__version__1__gt=version)
        .order_by("occurred_at", "id")
    )
