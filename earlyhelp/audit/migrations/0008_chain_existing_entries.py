"""Every entry written before the hash chain joins it, oldest first, and the guard is replaced by
one that also allows sealing (earlyhelp/audit/database.py). The old guard refuses any UPDATE, so it
is lifted for this one-time filling-in, inside the migration's transaction."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from earlyhelp.audit.chain import GENESIS, entry_digest, values_digest
from earlyhelp.audit.database import install_append_only_guard, remove_append_only_guard

BATCH = 5_000


def chain_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    remove_append_only_guard(connection)
    sequence, previous = 0, GENESIS
    waiting = AuditEvent.objects.filter(chain_sequence__isnull=True).order_by("id")
    updates: list[tuple[str, int, str, str, int]] = []
    for event in waiting.iterator(chunk_size=BATCH):
        values = values_digest(
            details=event.details,
            actor_label=event.actor_label,
            ip_address=event.ip_address,
            user_agent=event.user_agent,
            path=event.path,
        )
        sequence += 1
        digest = entry_digest(
            previous=previous,
            sequence=sequence,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            verb=event.verb,
            target_type=event.target_type,
            target_id=event.target_id,
            values=values,
        )
        updates.append((values, sequence, previous, digest, event.pk))
        previous = digest
        if len(updates) >= BATCH:
            _write(connection, updates)
            updates = []
    _write(connection, updates)
    ChainHead.objects.update_or_create(pk=1, defaults={"sequence": sequence, "digest": previous})
    install_append_only_guard(connection)


def _write(connection, updates) -> None:  # type: ignore[no-untyped-def]
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_auditevent SET values_digest = %s, chain_sequence = %s, previous_digest = %s, "
                "digest = %s WHERE id = %s",
                updates,
            )


def unchain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Back: the entries keep their links (the columns go with 0007's reversal)."""


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_hash_chain")]

    operations = [migrations.RunPython(chain_existing, unchain)]
