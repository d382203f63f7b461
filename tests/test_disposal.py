"""Retention and disposal (issue 13, ADR 24): a family's records are deleted for real when due,
leaving one audit entry and the chain still verifiable; a legal hold, a child under 25 or open
work keeps them; tampering with the trail under cover of a disposal is caught."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from earlyhelp.audit import chain
from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import Episode
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.governance import disposal, holds, retention
from earlyhelp.governance.deadlines import years_before
from earlyhelp.organisations.roles import Role
from earlyhelp.people import services
from earlyhelp.people.models import Family, Person
from earlyhelp.sharing.models import AgreementToHelp, ConsentToShare
from earlyhelp.thresholds.models import LevelOfNeedDecision
from tests.factories import UserFactory, system_user
from tests.test_access import a_closed_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(authority):
    return UserFactory(authority=authority, roles=[Role.INFORMATION_GOVERNANCE], full_name="Information governance")


@pytest.fixture
def grown_up_family(coach, team_leader, frameworks):
    """A family helped and closed long ago: its one child is now 26."""
    episode = a_closed_episode()
    child = Person.objects.get(first_name="Maya")
    born = years_before(timezone.localdate(), 26)
    services.person_update(actor=system_user(), person=child, details={"date_of_birth": born}, seen_version=None)
    return episode.family


def test_a_family_whose_youngest_child_is_25_is_due_and_one_younger_is_not(grown_up_family):
    today = timezone.localdate()
    assert list(retention.families_due(authority_id=grown_up_family.authority_id, today=today)) == [grown_up_family]
    younger = years_before(today, 24)
    child = Person.objects.get(first_name="Maya")
    services.person_update(actor=system_user(), person=child, details={"date_of_birth": younger}, seen_version=None)
    assert not retention.is_due(grown_up_family, today=today)


def test_disposal_deletes_everything_about_the_family_and_leaves_one_entry(grown_up_family, governance):
    people = list(Person.objects.filter(memberships__family=grown_up_family).values_list("pk", flat=True))
    contact = Contact.objects.get(family=grown_up_family)
    assert AgreementToHelp.objects.exists()
    result = disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed: nothing open")
    assert not Family.objects.filter(pk=grown_up_family.pk).exists()
    assert not Person.objects.filter(pk__in=people).exists()
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not ContactPerson.objects.exists()
    assert not Episode.objects.exists()
    assert not LevelOfNeedDecision.objects.exists()
    assert not AgreementToHelp.objects.exists()
    assert not ConsentToShare.objects.exists()
    assert result.reference == f"F{grown_up_family.pk:06d}"
    assert result.counts["People"] == 2
    stub = AuditEvent.objects.get(verb="disposed")
    assert stub.details["reference"] == result.reference
    assert "Maya" not in str(stub.details)
    # Every earlier entry about those records keeps who, when and what, and loses its details.
    about = AuditEvent.objects.filter(target_type="people.person", target_id__in=people)
    assert about.exists()
    assert {str(event.details) for event in about} == {str({"erased_by": stub.pk})}
    assert result.audit_entries_erased > 0
    verified = chain.verify()
    assert verified.intact, verified.first_break


def test_a_legal_hold_keeps_the_records_until_it_is_lifted(grown_up_family, governance):
    hold = holds.legal_hold_place(actor=governance, family=grown_up_family, reason="A complaint is being investigated")
    with pytest.raises(ValidationError):
        disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed")
    assert Family.objects.filter(pk=grown_up_family.pk).exists()
    holds.legal_hold_lift(actor=governance, hold=hold, because="The complaint is closed")
    disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed")
    assert not Family.objects.filter(pk=grown_up_family.pk).exists()


def test_only_information_governance_disposes_and_says_what_was_reviewed(grown_up_family, team_leader, governance):
    with pytest.raises(ValidationError) as refused:
        disposal.family_dispose(actor=team_leader, family=grown_up_family, note="Reviewed")
    assert refused.value.messages == ["Only information governance can dispose of records"]
    with pytest.raises(ValidationError) as unsaid:
        disposal.family_dispose(actor=governance, family=grown_up_family, note=" ")
    assert unsaid.value.message_dict == {"note": ["Say what was reviewed before disposing of these records"]}


def test_a_member_of_another_family_is_kept_with_what_is_theirs(grown_up_family, governance):
    mother = Person.objects.get(first_name="Siobhan")
    other = services.family_create(actor=system_user(), name="The Brennan household", area=None)
    services.family_member_add(actor=system_user(), family=other, person=mother, role="parent", lives_in_household=True)
    disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed")
    assert Person.objects.filter(pk=mother.pk).exists()
    assert not Person.objects.filter(first_name="Maya").exists()
    assert Family.objects.filter(pk=other.pk).exists()


def test_details_erased_without_a_disposal_that_names_their_record_break_the_chain(grown_up_family, governance, coach):
    disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed")
    stub = AuditEvent.objects.get(verb="disposed")
    chain.seal()
    innocent = (
        AuditEvent.objects.exclude(details__has_key="erased_by")
        .exclude(verb="disposed")
        .filter(chain_sequence__isnull=False)
        .first()
    )
    assert innocent is not None
    AuditEvent.objects.filter(pk=innocent.pk).erase_details(erased_by=stub.pk)
    verified = chain.verify()
    assert verified.first_break is not None
    assert verified.first_break.entry_id == innocent.pk
    assert verified.first_break.why == "its details were erased, but no disposal of its record says so"


def test_the_database_allows_an_entry_only_to_be_erased_never_rewritten(coach):
    event = AuditEvent(actor=coach, actor_label="x", verb="viewed", target_type="x.y", target_id=1, details={"a": 1})
    event.save()
    chain.seal()
    table = "audit_auditevent"
    attempts: list[tuple[str, list[str | int]]] = [
        (f"UPDATE {table} SET details = %s WHERE id = %s", ['{"a": 2}', event.pk]),
        (f"UPDATE {table} SET details = %s, verb = 'created' WHERE id = %s", ['{"erased_by": 1}', event.pk]),
    ]
    for statement, values in attempts:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET details = %s WHERE id = %s", ['{"erased_by": 1}', event.pk])
    event.refresh_from_db()
    assert event.details == {"erased_by": 1}


def test_dates_are_years_before_even_on_29_february():
    assert years_before(date(2028, 2, 29), 25) == date(2003, 2, 28)


def test_information_governance_reviews_and_disposes_through_the_pages(grown_up_family, governance):
    from tests.conftest import signed_in

    client = signed_in(governance)
    assert "Families due for disposal" in client.get("/").content.decode()
    listing = client.get("/retention/").content.decode()
    assert grown_up_family.name in listing
    url = f"/retention/families/{grown_up_family.pk}/"
    review = client.get(url).content.decode()
    assert "Dispose of these records" in review
    assert "People" in review
    refused = client.post(url, {"action": "dispose", "note": ""}).content.decode()
    assert "Say what was reviewed before disposing of these records" in refused
    assert Family.objects.filter(pk=grown_up_family.pk).exists()
    held = client.post(url, {"action": "hold", "reason": "Court case"})
    assert held.status_code == 302
    assert grown_up_family.name not in client.get("/retention/").content.decode()
    client.post(url, {"action": "lift", "because": "Case over"})
    response = client.post(url, {"action": "dispose", "note": "No open work, nothing asked to be kept"})
    assert response["Location"] == "/retention/disposed/"
    assert grown_up_family.reference in client.get("/retention/disposed/").content.decode()
    assert not Family.objects.filter(pk=grown_up_family.pk).exists()


def test_an_erasure_with_anything_more_than_the_disposal_it_names_breaks_the_chain(grown_up_family, governance):
    from earlyhelp.audit.database import install_append_only_guard, remove_append_only_guard

    disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed")
    stub = AuditEvent.objects.get(verb="disposed")
    erased = AuditEvent.objects.filter(details__erased_by=stub.pk).order_by("chain_sequence").first()
    assert erased is not None
    remove_append_only_guard(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET details = %s WHERE id = %s",
                [f'{{"erased_by": {stub.pk}, "note": "slipped in"}}', erased.pk],
            )
    finally:
        install_append_only_guard(connection)
    verified = chain.verify()
    assert verified.first_break is not None
    assert (verified.first_break.entry_id, verified.first_break.why) == (
        erased.pk,
        "its details, who or from where are not what was written",
    )


def test_an_unborn_baby_keeps_the_family(authority, governance):
    from tests.factories import FamilyFactory, PersonFactory, UnbornFactory, add_member

    today = timezone.localdate()
    expecting = FamilyFactory(name="Expecting")
    add_member(expecting, PersonFactory(first_name="Older", date_of_birth=years_before(today, 30)))
    add_member(expecting, UnbornFactory(first_name="Baby"))
    grown = FamilyFactory(name="Grown")
    add_member(grown, PersonFactory(first_name="Grown", date_of_birth=years_before(today, 30)))
    assert list(retention.families_due(authority_id=authority.pk, today=today)) == [grown]


def test_the_files_of_the_familys_documents_go_with_it(grown_up_family, governance, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from earlyhelp.audit.trail import audited_writes, record_change
    from earlyhelp.records.models import Document

    episode = Episode.objects.get(family=grown_up_family)
    with audited_writes():
        document = Document(
            family=grown_up_family,
            episode=episode,
            kind="direct_work",
            title="Drawing",
            original_name="drawing.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            uploaded_by=governance,
        )
        document.file.save("upload", ContentFile(b"%PDF-1.7\n"), save=False)
        document.save()
        record_change(actor=governance, verb=AuditEvent.Verb.CREATED, target=document)
    stored = str(document.file.name)
    storage = Document.file.field.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        result = disposal.family_dispose(actor=governance, family=grown_up_family, note="Reviewed")
    assert result.counts["Documents"] == 1
    assert not Document.objects.exists()
    assert not storage.exists(stored)
