"""The database's own guard on the audit trail: triggers that refuse any UPDATE, DELETE or
TRUNCATE of audit rows, on SQLite and on PostgreSQL.

Only two things ever lift it: a test run's clean-up between browser tests (the database is then
emptied whole), and, in time, a retention purge of rows past their retention period, which will
do so inside its own transaction.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

_INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$""",
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
