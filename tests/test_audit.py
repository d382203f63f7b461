import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError, InternalError, OperationalError
from django.test import Client
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.models import AppendOnlyError, AuditEvent
from earlyhelp.audit.trail import UnauditedWriteError, audited_writes, record_change, record_listed, record_view
from earlyhelp.people import services
from earlyhelp.people.models import Family, Person
from tests.conftest import signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def events_for(target):
    return AuditEvent.objects.for_target(target._meta.label_lower, target.pk)


def test_creating_a_person_writes_an_audit_row_naming_who_and_what(front_door):
    person = PersonFactory(actor=front_door, first_name="Amara")
    event = events_for(person).get(verb=AuditEvent.Verb.CREATED)
    assert event.actor == front_door
    assert event.details["first_name"] == "Amara"


def test_a_change_records_the_values_before_and_after(front_door):
    person = PersonFactory(first_name="Amara", postcode="NN1 5AB")
    services.person_update(seen_version=None, actor=front_door, person=person, details={"postcode": "nn3 6px"})
    event = events_for(person).get(verb=AuditEvent.Verb.UPDATED)
    assert event.details == {"postcode": ["NN1 5AB", "NN3 6PX"], "version": [1, 2]}


def test_saving_a_person_outside_an_audited_service_is_refused(authority):
    person = Person(authority=authority, kind=Person.Kind.ADULT, first_name="No", last_name="Audit")
    with pytest.raises(UnauditedWriteError):
        person.save()
    assert not Person.objects.exists()


def test_bulk_writes_that_would_skip_the_audit_trail_are_refused(front_door):
    PersonFactory()
    with pytest.raises(UnauditedWriteError):
        Person.objects.update(first_name="Changed")
    with pytest.raises(UnauditedWriteError):
        Person.objects.bulk_create([Person(first_name="x")])


def test_a_service_that_writes_without_recording_rolls_back_entirely(front_door, authority):
    def write_two_record_one():
        with audited_writes():
            recorded = Family.objects.create(authority=authority, name="Recorded")
            record_change(actor=front_door, verb=AuditEvent.Verb.CREATED, target=recorded)
            Family.objects.create(authority=authority, name="Not recorded")

    with pytest.raises(UnauditedWriteError):
        write_two_record_one()
    assert not Family.objects.exists()
    assert not AuditEvent.objects.exists()


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(front_door):
    event = events_for(PersonFactory()).first()
    event.details = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(actor_label="someone else")


def test_the_database_itself_refuses_to_rewrite_the_audit_trail(front_door):
    PersonFactory()
    for statement in ("UPDATE audit_auditevent SET actor_label = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises((IntegrityError, InternalError, OperationalError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.exclude(actor_label="x").exists()


def test_opening_a_person_is_recorded_with_where_from(front_door):
    person = PersonFactory()
    response = signed_in(front_door).get(f"/people/{person.pk}/", HTTP_USER_AGENT="TestBrowser/1.0")
    assert response.status_code == 200
    event = events_for(person).get(verb=AuditEvent.Verb.VIEWED)
    assert event.actor == front_door
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "TestBrowser/1.0"
    assert event.path == f"/people/{person.pk}/"


def test_a_page_writes_all_its_read_rows_in_one_insert(front_door, okafor):
    """The person page reads the person (viewed) and lists their family and contacts (listed):
    one INSERT and so one commit for them all, not one each."""
    with CaptureQueriesContext(connection) as queries:
        response = signed_in(front_door).get(f"/people/{okafor.child.pk}/")
    assert response.status_code == 200
    inserts = [query["sql"] for query in queries.captured_queries if 'INSERT INTO "audit_auditevent"' in query["sql"]]
    assert len(inserts) == 1
    assert events_for(okafor.child).filter(verb=AuditEvent.Verb.VIEWED, actor=front_door).count() == 1


def test_reads_are_recorded_even_when_the_page_then_fails(front_door, monkeypatch):
    person = PersonFactory()

    def broken(*args, **kwargs):
        raise RuntimeError("the page broke after reading the person")

    monkeypatch.setattr("earlyhelp.people.selectors.person_page", broken)
    client = signed_in(front_door)
    client.raise_request_exception = False
    assert client.get(f"/people/{person.pk}/").status_code == 500
    assert events_for(person).filter(verb=AuditEvent.Verb.VIEWED, actor=front_door).exists()


def test_a_page_whose_read_rows_cannot_be_written_is_not_shown(front_door, monkeypatch):
    person = PersonFactory(first_name="Zainab")

    def refuse(*args, **kwargs):
        raise DatabaseError("the audit table is unavailable")

    monkeypatch.setattr(AuditEvent.objects, "bulk_create", refuse)
    client = signed_in(front_door)
    client.raise_request_exception = False
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 500
    assert "Zainab" not in response.content.decode()


def test_reads_outside_a_request_are_written_at_once(front_door):
    person = PersonFactory()
    record_view(actor=front_door, target=person)
    record_listed(actor=front_door, shown=[person, person], where="a command")
    assert events_for(person).filter(verb=AuditEvent.Verb.VIEWED).count() == 1
    assert events_for(person).filter(verb=AuditEvent.Verb.LISTED).count() == 2


def test_each_person_shown_in_search_results_is_recorded_as_found(front_door):
    found = PersonFactory(last_name="Kowalczyk")
    not_found = PersonFactory(last_name="Smith")
    signed_in(front_door).get("/people/", {"name": "Kowalczyk"})
    assert events_for(found).get(verb=AuditEvent.Verb.SEARCHED).details == {"criteria": {"name": "Kowalczyk"}}
    assert not events_for(not_found).filter(verb=AuditEvent.Verb.SEARCHED).exists()


def test_a_team_leader_sees_who_has_viewed_the_record(front_door, team_leader):
    person = PersonFactory()
    signed_in(front_door).get(f"/people/{person.pk}/")
    page = signed_in(team_leader).get(f"/people/{person.pk}/").content.decode()
    assert "Who has viewed this record" in page
    assert front_door.full_name in page


def test_a_practitioner_does_not_see_who_has_viewed_the_record(front_door, coach):
    person = PersonFactory()
    signed_in(front_door).get(f"/people/{person.pk}/")
    page = signed_in(coach).get(f"/people/{person.pk}/").content.decode()
    assert "Who has viewed this record" not in page


def test_the_members_shown_on_a_family_page_are_recorded_as_listed(front_door, okafor):
    signed_in(front_door).get(f"/families/{okafor.family.pk}/")
    for person in (okafor.mother, okafor.child):
        event = events_for(person).get(verb=AuditEvent.Verb.LISTED)
        assert event.actor == front_door
        assert event.details == {"where": "family page"}


def test_people_offered_in_a_picker_are_recorded_as_listed(front_door, okafor):
    signed_in(front_door).get(f"/people/{okafor.child.pk}/relationships/add/")
    assert events_for(okafor.mother).filter(verb=AuditEvent.Verb.LISTED, details__where="relationship picker").exists()


def test_a_team_leader_reads_the_full_record_of_access_with_what_changed(front_door, team_leader):
    person = PersonFactory(first_name="Amara", postcode="NN1 5AB")
    services.person_update(seen_version=None, actor=front_door, person=person, details={"postcode": "NN3 6PX"})
    page = signed_in(team_leader).get(f"/people/{person.pk}/access-log/").content.decode()
    assert "Record of access" in page
    assert "NN1 5AB → NN3 6PX" in page
    assert front_door.full_name in page


# Refused access ----------------------------------------------------------------------------


def test_every_refused_attempt_to_open_or_change_a_record_is_recorded(okafor, bob, team_leader):
    client = signed_in(bob)
    attempts = [
        (f"/people/{okafor.child.pk}/", "people.person", okafor.child.pk, "open"),
        (f"/people/{okafor.child.pk}/edit/", "people.person", okafor.child.pk, "change"),
        (f"/families/{okafor.family.pk}/", "people.family", okafor.family.pk, "open"),
        ("/people/999999/", "people.person", 999999, "open"),
    ]
    for url, *_ in attempts:
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 404
    refused = list(AuditEvent.objects.filter(verb="refused").order_by("id"))
    assert [(event.target_type, event.target_id, event.details["attempted"]) for event in refused] == [
        (kind, pk, attempted) for _, kind, pk, attempted in attempts
    ]
    assert {event.actor for event in refused} == {bob}
    assert {event.ip_address for event in refused} == {"192.0.2.7"}
    log = signed_in(team_leader).get(f"/people/{okafor.child.pk}/access-log/").content.decode()
    assert "Refused: tried to open a record they may not see" in log
    assert "(to change it)" in log


def test_team_leaders_see_refused_attempts_counted_per_person_per_day(okafor, bob, alice, team_leader, front_door):
    for pk in range(okafor.child.pk, okafor.child.pk + 12):
        signed_in(bob).get(f"/people/{pk + 1000}/")
    signed_in(alice).get("/people/424242/")
    page = signed_in(team_leader).get("/record-of-access/refused/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert text.index("Bob Partner") < text.index("Alice Partner")
    assert '<strong class="govuk-tag govuk-tag--red">12</strong>' in text
    assert signed_in(front_door).get("/record-of-access/refused/").status_code == 404


def test_a_partner_systems_refused_look_at_another_referral_is_recorded(frameworks, authority, school):
    from earlyhelp.frontdoor.partner_systems import partner_system_add

    _, key = partner_system_add(agency_id=school.pk, authority_id=authority.pk, name="MIS")
    response = Client().get("/api/v1/referrals/EH0000042", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 404
    event = AuditEvent.objects.get(verb="refused")
    assert (event.target_type, event.target_id, event.actor_id) == ("frontdoor.contact", 42, None)
    assert event.actor_label.startswith("MIS")
