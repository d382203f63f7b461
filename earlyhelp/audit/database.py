"""The database's own guard on the audit trail: triggers that refuse any UPDATE, DELETE or
TRUNCATE of audit rows, on SQLite and on PostgreSQL; and, for the hash chain (chain.py), the two
UPDATEs allowed: giving an entry written without its link its link, every other value unchanged;
and erasing a sealed entry's details at a record's disposal, replacing them with the number of
the disposal entry that did it (`{"erased_by": n}`), every other value unchanged. `verify` then
checks that such a disposal entry exists and names the entry's record.

The guard stops application code and a mistaken statement. It does not stop a database superuser
or the tables' owner, who may switch triggers off: the hash chain shows what they did, and the
production set-up (README, "The database roles") gives the application a role that owns no audit
table. A test run's clean-up between browser tests lifts the guard to empty the database whole.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

# Every column but the chain's link, which sealing sets once.
_KEPT = [
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "verb",
    "target_type",
    "target_id",
    "details",
    "ip_address",
    "user_agent",
    "path",
    "values_digest",
]
_UNCHANGED_SQLITE = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in _KEPT)
_UNCHANGED_POSTGRESQL = " AND ".join(f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in _KEPT)
_SEALING = "OLD.chain_sequence IS NULL AND NEW.chain_sequence IS NOT NULL"
_CHAIN = ["chain_sequence", "previous_digest", "digest"]
_ERASING_KEPT = [column for column in _KEPT if column != "details"] + _CHAIN
# The column names are this module's own constants, never input.
_ERASING_SQLITE = (
    "OLD.chain_sequence IS NOT NULL AND json_type(OLD.details, '$.erased_by') IS NULL"  # nosec B608
    " AND json_type(NEW.details, '$.erased_by') IS 'integer'"
    " AND (SELECT count(*) FROM json_each(NEW.details)) = 1 AND "
    + " AND ".join(f"NEW.{column} IS OLD.{column}" for column in _ERASING_KEPT)
)
_ERASING_POSTGRESQL = (
    "OLD.chain_sequence IS NOT NULL AND NOT (OLD.details ? 'erased_by')"  # nosec B608
    " AND jsonb_typeof(NEW.details -> 'erased_by') = 'number'"
    " AND (SELECT count(*) FROM jsonb_object_keys(NEW.details)) = 1 AND "
    + " AND ".join(f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in _ERASING_KEPT)
)

_INSTALL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
           WHEN NOT (({_SEALING} AND {_UNCHANGED_SQLITE}) OR COALESCE(({_ERASING_SQLITE}), 0))
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_OP = 'UPDATE' AND {_SEALING} AND {_UNCHANGED_POSTGRESQL} THEN
               RETURN NEW;
             END IF;
             IF TG_OP = 'UPDATE' AND {_ERASING_POSTGRESQL} THEN
               RETURN NEW;
             END IF;
             RAISE EXCEPTION 'audit events are append-only';
           END $$""",
        """CREATE OR REPLACE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
           FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
        # TRUNCATE skips row triggers; refuse it too.
        """CREATE OR REPLACE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
           FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
    ],
}
_REMOVE = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
    ],
}


def install_append_only_guard(connection: BaseDatabaseWrapper) -> None:
    _run(connection, _INSTALL)


def remove_append_only_guard(connection: BaseDatabaseWrapper) -> None:
    _run(connection, _REMOVE)


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        raise NotImplementedError(f"No append-only guard for {connection.vendor}: add its triggers here.")
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor]:
            cursor.execute(statement)


def application_role_grants(role: str) -> list[str]:
    """PostgreSQL: what the role the service connects as may do, when another role (the one that
    runs the migrations) owns every table. It reads and writes the service's tables, but of the
    audit trail it may only read, add entries, seal them into the chain and erase an entry's
    details at a disposal; owning no table, it cannot switch a trigger off, and it may not delete,
    truncate or otherwise change an entry
    (README, "The database roles"; tests/test_audit_chain.py)."""
    name = role.replace('"', "")
    return [
        f'GRANT USAGE ON SCHEMA public TO "{name}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{name}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{name}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM "{name}"',
        # Sealing an entry into the chain, and erasing its details at a disposal (the triggers
        # allow nothing else).
        f'GRANT UPDATE (chain_sequence, previous_digest, digest, details) ON audit_auditevent TO "{name}"',
    ]
