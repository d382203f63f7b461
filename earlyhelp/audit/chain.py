"""The audit trail as a hash chain (issue 13): every entry carries the digest of the one before
it, so that a row changed, removed or slipped in breaks the chain at that point, whoever did it,
database superuser included (`manage.py audit verify` names the first broken entry).

What is chained is a digest of each entry's *values* (its details, who by name, from where), not
the values themselves: a personal value can later be erased by a chained disposal event while its
digest stays, and the chain still verifies.

When an entry joins the chain:
- written on its own (a page's reads at the end of the request, a refused look, a sign-in): at
  once, in a short transaction that takes the chain's head under a row lock;
- written inside a service's transaction: without its link, and *sealed* into the chain as soon as
  that transaction commits (`transaction.on_commit`). Holding the chain's head for the length of a
  service's transaction would make every change in the service wait for every other, and two
  services that lock rows in the other order would deadlock.
Entries not yet sealed are few and seconds old; `verify` counts them, and `manage.py audit seal`
seals any a crash left behind.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import DateTimeField, Field, JSONField
from django.utils.ipv6 import clean_ipv6_address

if TYPE_CHECKING:
    from earlyhelp.audit.models import AuditEvent

GENESIS = "0" * 64
SEAL_BATCH = 2_000


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def values_digest(*, details: Any, actor_label: str, ip_address: str | None, user_agent: str, path: str) -> str:
    """The digest of what an entry holds that may be personal (and may one day be erased)."""
    held = {"details": details, "actor_label": actor_label, "ip": ip_address, "agent": user_agent, "path": path}
    return hashlib.sha256(_canonical(held)).hexdigest()


def entry_digest(
    *,
    previous: str,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    verb: str,
    target_type: str,
    target_id: int,
    values: str,
) -> str:
    linked = [previous, sequence, _moment(occurred_at), actor_id, verb, target_type, target_id, values]
    return hashlib.sha256(_canonical(linked)).hexdigest()


def _values_of(event: "AuditEvent") -> str:
    return values_digest(
        details=event.details,
        actor_label=event.actor_label,
        ip_address=event.ip_address,
        user_agent=event.user_agent,
        path=event.path,
    )


def _digest_of(event: "AuditEvent", previous: str, sequence: int) -> str:
    return entry_digest(
        previous=previous,
        sequence=sequence,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        verb=event.verb,
        target_type=event.target_type,
        target_id=event.target_id,
        values=event.values_digest,
    )


def _link(event: "AuditEvent", previous: str, sequence: int) -> str:
    event.chain_sequence = sequence
    event.previous_digest = previous
    event.digest = _digest_of(event, previous, sequence)
    return event.digest


def prepare(event: "AuditEvent") -> None:
    """What every new entry carries before it is written: its moment and its values' digest."""
    from django.utils import timezone

    if event.occurred_at is None:
        event.occurred_at = timezone.now()
    # As the database will give them back: JSON's own types (lists, string keys), an IPv6 address
    # in Django's form, the moment to the microsecond.
    event.details = json.loads(json.dumps(event.details))
    if event.ip_address and ":" in event.ip_address:
        event.ip_address = clean_ipv6_address(event.ip_address)
    event.values_digest = _values_of(event)


def head_taken() -> tuple[int, str]:
    """The chain's head, locked until the transaction ends: for a bulk load that links its own
    rows (`chained_rows`, the county generator) and then moves the head with `head_moved`."""
    return _head()


def head_moved(sequence: int, digest: str) -> None:
    _head_move(sequence, digest)


# The chain's head is read and moved, and entries inserted, by SQL written here rather than
# through the ORM: every page that shows personal data writes its read entries this way, and the
# ORM's building of these three statements cost more than the database's running of them
# (docs/performance.md). The statements are plain SQL that PostgreSQL and SQLite both run; the
# table and column names in them are the models' own, quoted, and every value is a parameter
# (bandit B608).
def _head() -> tuple[int, str]:
    from earlyhelp.audit.models import ChainHead

    table = connection.ops.quote_name(ChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sequence, digest FROM {table} WHERE id = 1{lock}")  # nosec B608
        row = cursor.fetchone()
    if row is None:  # a new database (the migrations make it; a test's emptying removes it)
        ChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "digest": GENESIS})
        return _head()
    return int(row[0]), str(row[1])


def _head_move(sequence: int, digest: str) -> None:
    from earlyhelp.audit.models import ChainHead

    table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET sequence = %s, digest = %s WHERE id = 1", [sequence, digest])  # nosec B608


def _column_value(field: "Field[Any, Any]", value: Any) -> Any:
    """A value as the database stores it, for the few kinds of field an entry has."""
    if value is None:
        return None
    if isinstance(field, JSONField):
        return json.dumps(value, cls=field.encoder)
    if isinstance(field, DateTimeField):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _insert(events: list["AuditEvent"]) -> None:
    """INSERT the entries, as many to a statement as the database allows, and give each its id."""
    from earlyhelp.audit.models import AuditEvent

    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = connection.features.can_return_rows_from_bulk_insert
    batch = max(1, connection.ops.bulk_batch_size(fields, events))
    for start in range(0, len(events), batch):
        chunk = events[start : start + batch]
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))}"  # nosec B608
        values = [_column_value(field, getattr(event, field.attname)) for event in chunk for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql + (" RETURNING id" if returning else ""), values)
            ids = [found[0] for found in cursor.fetchall()] if returning else []
        for event, pk in zip(chunk, ids, strict=False):
            event.pk = pk
        for event in chunk:
            event._state.adding = False
            event._state.db = connection.alias


def _insert_and_head_move(events: list["AuditEvent"], sequence: int, digest: str) -> None:
    """PostgreSQL: INSERT the entries and move the chain's head in one statement, whose text is
    the same however many entries a page writes: the entries go as one JSON array that the
    database turns into rows of the table's own type (`json_populate_recordset`). The driver
    then parses the statement once per process, not once per page; it sends one text, not a
    value per column per entry; and the head's move needs no round trip of its own."""
    from earlyhelp.audit.models import AuditEvent, ChainHead

    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    head = connection.ops.quote_name(ChainHead._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    sql = (
        f"WITH moved AS (UPDATE {head} SET sequence = %s, digest = %s WHERE id = 1) "  # nosec B608
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s) "
        "RETURNING id"
    )
    rows = [{str(field.column): _json_value(getattr(event, field.attname)) for field in fields} for event in events]
    with connection.cursor() as cursor:
        # (Escaped or not, PostgreSQL reads the same text from the JSON: a smaller statement unescaped.)
        cursor.execute(sql, [sequence, digest, json.dumps(rows, ensure_ascii=False)])  # pragma: no mutate
        ids = [found[0] for found in cursor.fetchall()]
    for event, pk in zip(events, ids, strict=True):  # pragma: no mutate (one id per entry, by RETURNING)
        event.pk = pk
        event._state.adding = False
        event._state.db = connection.alias


def _json_value(value: Any) -> Any:
    """A value as JSON carries it to PostgreSQL: a moment in ISO 8601 with its offset."""
    return value.isoformat() if isinstance(value, datetime) else value


def write(events: list["AuditEvent"]) -> None:
    """Write new entries: chained at once when on their own, sealed after commit inside a
    transaction (module docstring)."""
    from earlyhelp.audit.models import AuditEvent

    for event in events:
        prepare(event)
    if connection.in_atomic_block:
        AuditEvent.objects.bulk_create_unchained(events)
        transaction.on_commit(seal)
        return
    with transaction.atomic():
        sequence, digest = _head()
        for event in events:
            sequence += 1
            digest = _link(event, digest, sequence)
        if connection.vendor == "postgresql":
            _insert_and_head_move(events, sequence, digest)
        else:
            _insert(events)
            _head_move(sequence, digest)


def seal() -> int:
    """Link every entry written without its link, oldest first. Returns how many."""
    from earlyhelp.audit.models import AuditEvent

    sealed = 0
    while True:
        with transaction.atomic():
            sequence, digest = _head()
            waiting = list(AuditEvent.objects.filter(chain_sequence__isnull=True).order_by("id")[:SEAL_BATCH])
            if not waiting:
                return sealed
            for event in waiting:
                sequence += 1
                digest = _link(event, digest, sequence)
            _sealed_write(waiting)
            _head_move(sequence, digest)
            sealed += len(waiting)


def _sealed_write(events: list["AuditEvent"]) -> None:
    """The one UPDATE the database's guard allows on an entry: giving an unlinked one its link."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE audit_auditevent SET chain_sequence = %s, previous_digest = %s, digest = %s "
            "WHERE id = %s AND chain_sequence IS NULL",
            [(event.chain_sequence, event.previous_digest, event.digest, event.pk) for event in events],
        )


def erase(*, targets: Iterable[tuple[str, int]], disposal: "AuditEvent") -> int:
    """At a disposal: erase the details of every entry about these records (what was typed, what
    changed), keeping who, when, what was done and the digest of the details, so that the chain
    still verifies; each erased entry names `disposal`, which must list its record. Entries not
    yet sealed are sealed first. Returns how many were erased."""
    from earlyhelp.audit.models import AuditEvent

    seal()
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in targets:
        by_type.setdefault(target_type, []).append(target_id)
    erased = 0
    for target_type, ids in by_type.items():
        for start in range(0, len(ids), SEAL_BATCH):
            about = AuditEvent.objects.filter(target_type=target_type, target_id__in=ids[start : start + SEAL_BATCH])
            erased += (
                about.exclude(pk=disposal.pk).exclude(details__has_key="erased_by").erase_details(erased_by=disposal.pk)
            )
    return erased


def _erased_by(event: "AuditEvent") -> int | None:
    details = event.details
    if isinstance(details, dict) and set(details) == {"erased_by"} and isinstance(details["erased_by"], int):
        return details["erased_by"]
    return None


@dataclass(frozen=True)
class Break:
    entry_id: int
    sequence: int | None
    why: str


@dataclass
class Verification:
    entries: int = 0
    unsealed: int = 0
    first_break: Break | None = None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify(*, batch: int = 5_000) -> Verification:
    """Walk the chain from its start; stop at the first entry that does not follow from the one
    before it, or whose values are not what it was written with."""
    from earlyhelp.audit.models import AuditEvent, ChainHead

    result = Verification()
    previous, expected = GENESIS, 1
    disposals: dict[int, set[str]] = {}
    for event in _in_chain_order(AuditEvent, batch):
        result.entries += 1
        problem = _problem(event, previous, expected, disposals)
        if problem:
            result.first_break = Break(event.pk, event.chain_sequence, problem)
            return result
        previous, expected = event.digest, expected + 1
    head = ChainHead.objects.filter(pk=1).first()
    last = expected - 1
    if head is not None and (head.sequence != last or (last and head.digest != previous)):
        result.first_break = Break(
            0, last, f"the chain ends at entry {last:,} but its head says {head.sequence:,}: its last entries removed"
        )
    result.unsealed = AuditEvent.objects.filter(chain_sequence__isnull=True).count()
    return result


def _in_chain_order(model: Any, batch: int) -> Iterator["AuditEvent"]:
    after = 0
    while True:
        page = list(model.objects.filter(chain_sequence__gt=after).order_by("chain_sequence")[:batch])
        if not page:
            return
        yield from page
        after = page[-1].chain_sequence


def _problem(event: "AuditEvent", previous: str, expected: int, disposals: dict[int, set[str]]) -> str | None:
    if event.chain_sequence != expected:
        return f"entry {expected:,} is missing: the chain jumps from {expected - 1:,} to {event.chain_sequence:,}"
    if event.previous_digest != previous:
        return "it does not link to the entry before it: an entry before it was removed, changed or inserted"
    if event.values_digest != _values_of(event):
        erased_by = _erased_by(event)
        if erased_by is None:
            return "its details, who or from where are not what was written"
        if f"{event.target_type}:{event.target_id}" not in _disposed_by(erased_by, disposals):
            return "its details were erased, but no disposal of its record says so"
    if _digest_of(event, previous, expected) != event.digest:
        return "its time, actor, action or record are not what was written"
    return None


def _disposed_by(disposal_id: int, disposals: dict[int, set[str]]) -> set[str]:
    """The records a disposal entry lists (read once per disposal however many entries it erased)."""
    from earlyhelp.audit.models import AuditEvent

    if disposal_id not in disposals:
        found = AuditEvent.objects.filter(pk=disposal_id, verb="disposed").first()
        targets = found.details.get("targets", []) if found is not None and isinstance(found.details, dict) else []
        disposals[disposal_id] = {str(target) for target in targets}
    return disposals[disposal_id]


def chained_rows(events: Iterable["AuditEvent"], start: tuple[int, str]) -> tuple[int, str]:
    """For a bulk load that writes its own rows (the county generator): link `events` after
    `start` (the head's sequence and digest); returns the new head."""
    sequence, digest = start
    for event in events:
        prepare(event)
        sequence += 1
        digest = _link(event, digest, sequence)
    return sequence, digest
