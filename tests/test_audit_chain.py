"""The audit trail's hash chain (issue 13, ADR 19): an entry changed, removed or slipped in by
someone who can switch the database's guard off is found, and named, by `manage.py audit verify`."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from earlyhelp.audit import chain
from earlyhelp.audit.database import install_append_only_guard, remove_append_only_guard
from earlyhelp.audit.models import AuditEvent, ChainHead
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(okafor, alice, team_leader):
    """Entries of every kind: changes made through services, a partner's and a leader's reads, a refusal."""
    signed_in(alice).get(f"/people/{okafor.child.pk}/")
    signed_in(team_leader).get(f"/families/{okafor.family.pk}/")
    signed_in(alice).get("/people/987654/")
    chain.seal()
    entries = list(AuditEvent.objects.order_by("chain_sequence"))
    assert len(entries) > 10
    return entries


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _as_superuser(sql: str, params: list[str | int]) -> None:
    """What the database's owner can do: switch the guard off, change a row, switch it on."""
    remove_append_only_guard(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        install_append_only_guard(connection)


def test_every_entry_is_chained_and_the_chain_verifies(trail):
    assert [entry.chain_sequence for entry in trail] == list(range(1, len(trail) + 1))
    assert trail[0].previous_digest == chain.GENESIS == "0" * 64  # the chain starts from 64 zeros
    assert all(later.previous_digest == earlier.digest for earlier, later in itertools.pairwise(trail))
    assert ChainHead.objects.get().sequence == len(trail)
    assert f"The audit trail's chain is intact: {len(trail):,} entries." in _verify()


def test_a_changed_detail_is_found_and_named(trail):
    victim = next(entry for entry in trail if entry.verb == AuditEvent.Verb.VIEWED)
    _as_superuser("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["Somebody Else", victim.pk])
    with pytest.raises(CommandError) as broken:
        _verify()
    assert f"broken at entry {victim.pk} (place {victim.chain_sequence:,} in the chain)" in str(broken.value)
    assert "its details, who or from where are not what was written" in str(broken.value)


def test_a_changed_time_or_record_is_found(trail):
    victim = trail[5]
    _as_superuser("UPDATE audit_auditevent SET target_id = target_id + 1 WHERE id = %s", [victim.pk])
    result = chain.verify()
    assert result.first_break is not None
    assert result.first_break.entry_id == victim.pk
    assert result.first_break.why == "its time, actor, action or record are not what was written"


def test_a_removed_entry_is_found_at_the_entry_after_it(trail):
    victim = trail[3]
    _as_superuser("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    result = chain.verify()
    assert result.first_break is not None
    assert result.first_break.entry_id == trail[4].pk
    assert "entry 4 is missing" in result.first_break.why


def test_the_last_entries_removed_are_found_by_the_head(trail):
    _as_superuser("DELETE FROM audit_auditevent WHERE id = %s", [trail[-1].pk])
    result = chain.verify()
    assert result.first_break is not None
    last = len(trail) - 1
    assert (result.first_break.entry_id, result.first_break.sequence, result.first_break.why) == (
        0,
        last,
        f"the chain ends at entry {last:,} but its head says {len(trail):,}: its last entries removed",
    )


def test_a_head_whose_digest_was_changed_is_found(trail):
    ChainHead.objects.filter(pk=1).update(digest="f" * 64)
    result = chain.verify()
    assert result.first_break is not None
    assert result.first_break.why.endswith("its last entries removed")


def test_an_entry_slipped_in_with_a_made_up_link_is_found(trail):
    forged = trail[2]
    _as_superuser(
        "UPDATE audit_auditevent SET previous_digest = %s, digest = %s WHERE id = %s",
        ["f" * 64, "e" * 64, forged.pk],
    )
    result = chain.verify()
    assert result.first_break is not None
    assert result.first_break.entry_id == forged.pk


def test_the_database_refuses_every_change_but_sealing(trail, coach):
    entry = trail[0]
    for statement in (
        "UPDATE audit_auditevent SET details = '{}' WHERE id = %s",
        "UPDATE audit_auditevent SET digest = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    # Written inside a transaction: no link yet; sealing gives it one, once.
    signed_in(coach).get("/")
    waiting = AuditEvent.objects.filter(chain_sequence__isnull=True).first()
    if waiting is None:  # the home page listed nothing: write one
        AuditEvent(actor=coach, actor_label=coach.full_name, verb="viewed", target_type="x.y", target_id=1).save()
        waiting = AuditEvent.objects.get(chain_sequence__isnull=True)
    assert chain.seal() >= 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET chain_sequence = 999999 WHERE id = %s", [waiting.pk])
    assert chain.verify().intact


def test_entries_written_in_a_transaction_wait_to_be_sealed_and_verify_counts_them(trail, coach):
    AuditEvent(actor=coach, actor_label=coach.full_name, verb="viewed", target_type="x.y", target_id=1).save()
    assert "1 written in the last moments wait to be sealed" in _verify()
    out = io.StringIO()
    call_command("audit", "seal", stdout=out)
    assert "Sealed 1 entries into the chain." in out.getvalue()
    assert chain.verify().unsealed == 0


def test_what_a_digest_covers_lets_a_value_be_erased_later_without_breaking_the_link(trail):
    """Retention (to come) erases a personal value and keeps its digest: the link covers the
    digest of the values, not the values."""
    entry = trail[1]
    kept = entry.values_digest
    assert (
        chain.entry_digest(
            previous=entry.previous_digest,
            sequence=entry.chain_sequence,
            occurred_at=entry.occurred_at,
            actor_id=entry.actor_id,
            verb=entry.verb,
            target_type=entry.target_type,
            target_id=entry.target_id,
            values=kept,
        )
        == entry.digest
    )


def test_an_ipv6_address_and_unusual_details_digest_as_the_database_gives_them_back(coach):
    AuditEvent(
        actor=coach,
        actor_label="Zoë O’Brien",
        verb="viewed",
        target_type="people.person",
        target_id=7,
        details={"criteria": {"name": "Ève"}, "numbers": (1, 2.5), "nested": [{"b": 1, "a": None}]},
        ip_address="2001:DB8:0:0:0:0:0:1",
    ).save()
    chain.seal()
    assert chain.verify().intact


@pytest.mark.django_db(transaction=True)
def test_the_services_own_database_role_cannot_switch_the_guard_off_or_remove_an_entry(committed_db, okafor, alice):
    """The production set-up: migrations run as the tables' owner; the service connects as a role
    that owns no audit table (README, "The database roles")."""
    import uuid

    import psycopg
    from django.conf import settings as django_settings

    from earlyhelp.audit.database import application_role_grants

    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's (CI runs the suite on it)")
    signed_in(alice).get(f"/people/{okafor.child.pk}/")
    chain.seal()
    role = f"earlyhelp_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN")
        for statement in application_role_grants(role):
            cursor.execute(statement)
    database = django_settings.DATABASES["default"]
    try:
        with psycopg.connect(
            host=database["HOST"], port=database["PORT"] or 5432, dbname=database["NAME"], user=role, autocommit=True
        ) as service:
            held = service.execute("SELECT count(*) FROM audit_auditevent").fetchone()
            assert held is not None
            assert held[0] > 0
            for statement, refusal in (
                ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner"),
                ("DELETE FROM audit_auditevent", "permission denied"),
                ("TRUNCATE audit_auditevent", "permission denied"),
                # Its details may only be erased at a disposal ({"erased_by": n}); nothing else of an entry.
                ("UPDATE audit_auditevent SET details = '{}'", "append-only"),
                ("UPDATE audit_auditevent SET actor_label = 'x'", "permission denied"),
                ("UPDATE audit_auditevent SET digest = 'x'", "append-only"),
                ("DROP TABLE audit_auditevent", "must be owner"),
            ):
                with pytest.raises(psycopg.Error) as refused:
                    service.execute(statement)
                assert refusal in str(refused.value), statement
            # What the service does need: read and write its own tables.
            people = service.execute("SELECT count(*) FROM people_person").fetchone()
            assert people is not None
            assert people[0] > 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    assert chain.verify().intact


@pytest.mark.django_db(transaction=True)
def test_entries_written_on_their_own_are_stored_as_given_however_many_at_once(committed_db, coach):
    """Outside a transaction the entries are linked and written at once by the chain's own INSERT,
    as many to a statement as the database allows: more than one statement's worth here."""
    listed = [
        AuditEvent(
            actor=coach,
            actor_label="Zoë O’Brien",
            verb=AuditEvent.Verb.LISTED,
            target_type="casework.episode",
            target_id=number,
            details={"where": "team page", "number": number, "empty": None},
            ip_address="2001:DB8::1" if number % 2 else "192.0.2.7",
            user_agent="Firefox",
            path="/teams/1/",
        )
        for number in range(300)
    ]
    AuditEvent.objects.bulk_create(listed)
    stored = {entry.pk: entry for entry in AuditEvent.objects.filter(target_type="casework.episode")}
    assert sorted(stored) == sorted(entry.pk for entry in listed)
    for given in listed:
        kept = stored[given.pk]
        assert (kept.target_id, kept.details, kept.ip_address, kept.occurred_at, kept.digest) == (
            given.target_id,
            {"where": "team page", "number": given.target_id, "empty": None},
            "2001:db8::1" if given.target_id % 2 else "192.0.2.7",
            given.occurred_at,
            given.digest,
        )
    first = listed[0].chain_sequence
    assert first is not None
    assert [entry.chain_sequence for entry in listed] == list(range(first, first + 300))
    assert chain.verify().intact
    # Each entry given back as Django gives back a row it saved: no longer "being added", and of
    # this database.
    assert [entry._state.adding for entry in listed] == [False] * 300
    assert {entry._state.db for entry in listed} == {"default"}


def test_the_digests_are_sha256_of_documented_canonical_json_that_an_outside_verifier_can_recompute():
    """The format is a contract with whoever verifies an exported chain: keys sorted, no spaces,
    UTF-8 as is, moments in UTC to the microsecond. Changing it would break every chain already
    written (ADR 19)."""
    import hashlib
    from datetime import datetime, timedelta
    from datetime import timezone as fixed

    values = chain.values_digest(
        details={"b": 1, "a": "Zoë", "list": [1, 2]},
        actor_label="Priya Shah",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        path="/people/1/",
    )
    held = (
        '{"actor_label":"Priya Shah","agent":"Firefox","details":{"a":"Zoë","b":1,"list":[1,2]},'
        '"ip":"10.0.0.1","path":"/people/1/"}'
    )
    assert values == hashlib.sha256(held.encode()).hexdigest()
    moment = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=fixed(timedelta(hours=1)))
    entry = chain.entry_digest(
        previous=chain.GENESIS,
        sequence=7,
        occurred_at=moment,
        actor_id=3,
        verb="viewed",
        target_type="people.person",
        target_id=12,
        values=values,
    )
    linked = f'["{"0" * 64}",7,"2026-12-07T08:30:15.123456+00:00",3,"viewed","people.person",12,"{values}"]'
    assert entry == hashlib.sha256(linked.encode()).hexdigest()
