"""County-scale data and search that stays fast: the generator writes what the service could have
written (audited, openable, findable), repeatably; search's word rules and its bounded count."""

import pytest
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.frontdoor.models import Contact, TriageDecision
from earlyhelp.people.models import Family, Person
from earlyhelp.site import county
from tests.conftest import signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


class _UndoError(Exception):
    pass


def _generated_names(seed: int) -> list[tuple[str, str, str]]:
    try:
        with transaction.atomic():
            county.generate(people=120, seed=seed, years=1, demo_families=2, say=lambda text: None)
            names = list(
                Person.objects.filter(created_by__isnull=True)
                .order_by("pk")
                .values_list("first_name", "last_name", "postcode")
            )
            raise _UndoError
    except _UndoError:
        return names


def test_the_same_seed_gives_the_same_people_and_another_seed_others(frameworks):
    first = _generated_names(7)
    assert first == _generated_names(7)
    assert first != _generated_names(8)


def test_generated_records_are_audited_openable_and_findable(frameworks):
    result = county.generate(people=150, seed=3, years=2, demo_families=2, say=lambda text: None)
    assert result.people >= 150
    assert result.contacts == round(150 * county.CONTACTS_PER_PERSON_A_YEAR * 2)
    for model in (Person, Family, Contact, TriageDecision):
        ids = set(model.objects.values_list("pk", flat=True))
        audited = set(
            AuditEvent.objects.filter(target_type=model._meta.label_lower, verb=AuditEvent.Verb.CREATED).values_list(
                "target_id", flat=True
            )
        )
        assert ids <= audited, f"{model._meta.label} rows without their 'created' audit row"
    decided = Contact.objects.exclude(status__in=Contact.OPEN_STATUSES)
    assert decided.count() == TriageDecision.objects.count()
    assert Contact.objects.filter(status__in=Contact.OPEN_STATUSES).exists()

    from earlyhelp.organisations.models import User

    front_door = User.objects.get(email="frontdoor@demo.earlyhelp.test")
    client = signed_in(front_door)
    person = Person.objects.filter(kind="child", created_by__isnull=True).order_by("pk").last()
    assert person is not None
    assert client.get(f"/people/{person.pk}/").status_code == 200
    found = client.get("/people/", {"name": f"{person.first_name} {person.last_name}"})
    assert person.display_name in found.content.decode()
    contact = Contact.objects.order_by("pk").last()
    assert contact is not None
    assert client.get(f"/front-door/contacts/{contact.pk}/").status_code == 200
    assert client.get("/front-door/").status_code == 200
    # The generator's rows joined the audit trail's hash chain as they were made (and the
    # demo's, written by the services, were sealed after them).
    from earlyhelp.audit import chain

    chain.seal()
    verified = chain.verify()
    assert verified.intact, verified.first_break
    assert verified.entries == AuditEvent.objects.count()


def test_ids_carry_on_after_generated_rows_so_the_service_can_add_more(frameworks):
    county.generate(people=40, seed=4, years=1, demo_families=1, say=lambda text: None)
    largest = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    added = PersonFactory(first_name="After", last_name="Generation")
    assert added.pk > largest


# Search: every word by its letters or its sound -------------------------------------------------


def _found(client, **query) -> str:
    response = client.get("/people/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_word_of_three_letters_or_more_is_found_anywhere_in_a_name(front_door):
    PersonFactory(first_name="Hannah", last_name="Goldsmith")
    page = _found(signed_in(front_door), name="smith")
    assert "Hannah Goldsmith" in page


def test_a_shorter_word_is_found_at_the_start_of_any_name(front_door):
    PersonFactory(first_name="Jo", last_name="Brennan")
    PersonFactory(first_name="Joanne", last_name="Brennan")
    PersonFactory(first_name="Kim", last_name="Ng")
    PersonFactory(first_name="Marjorie", last_name="Brennan")
    client = signed_in(front_door)
    page = _found(client, name="jo brennan")
    assert "Jo Brennan" in page
    assert "Joanne Brennan" in page
    assert "Marjorie Brennan" not in page
    assert "Kim Ng" in _found(client, name="Ng")


def test_a_search_with_more_matches_than_the_limit_says_so_and_offers_pages_to_the_limit(front_door, monkeypatch):
    from earlyhelp.people import views

    monkeypatch.setattr(views, "SEARCH_LIMIT", 4)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(6):
        PersonFactory(first_name=f"Child{chr(65 + number)}", last_name="Common")
    client = signed_in(front_door)
    page = _found(client, name="common")
    assert "More than 4 people found" in page
    assert "Add a date of birth or a postcode" in page
    assert "Page 1 of 2" in page
    assert "ChildA Common" in page
    last = _found(client, name="common", page="9")
    assert "Page 2 of 2" in last
    assert "ChildD Common" in last
    assert "ChildE Common" not in last


def test_a_search_at_the_limit_exactly_gives_the_number_found(front_door, monkeypatch):
    from earlyhelp.people import views

    monkeypatch.setattr(views, "SEARCH_LIMIT", 4)
    for number in range(4):
        PersonFactory(first_name=f"Child{chr(65 + number)}", last_name="Common")
    page = _found(signed_in(front_door), name="common")
    assert "4 people found" in page
    assert "More than" not in page


def test_a_due_date_is_found_by_a_date_of_birth_search(front_door):
    from datetime import date, timedelta

    from tests.factories import UnbornFactory

    due = date.today() + timedelta(days=40)
    UnbornFactory(last_name="Awaited", expected_date_of_delivery=due)
    page = _found(signed_in(front_door), date_of_birth_0=due.day, date_of_birth_1=due.month, date_of_birth_2=due.year)
    assert "Awaited" in page


def test_generated_casework_gives_allocated_families_episodes_and_the_pages_open(frameworks):
    from earlyhelp.casework.models import CaseNote, Episode, Meeting
    from earlyhelp.organisations.models import User

    result = county.generate(people=600, seed=5, years=2, demo_families=2, say=lambda text: None)
    allocated = set(TriageDecision.objects.filter(outcome="allocate").values_list("contact__family", flat=True))
    assert allocated <= set(Episode.objects.values_list("family_id", flat=True))
    assert result.episodes > 0
    assert Episode.objects.filter(status="open").exists()
    assert Episode.objects.filter(status="closed").exists()
    from earlyhelp.casework.deadlines import deadlines_refresh

    assert deadlines_refresh() == 0  # written in bulk, and each open episode's deadlines kept
    assert not Episode.objects.filter(status="open", next_deadline__isnull=True).exists()
    assert set(Episode.objects.values_list("pk", flat=True)) <= set(
        AuditEvent.objects.filter(target_type="casework.episode", verb="created").values_list("target_id", flat=True)
    )
    coach = User.objects.get(email="coach@demo.earlyhelp.test")
    long_case = Episode.objects.filter(coach=coach, contact__isnull=True).get()
    assert CaseNote.objects.filter(episode=long_case).count() > 40
    assert Meeting.objects.filter(episode=long_case).count() > 12
    leader = signed_in(User.objects.get(email="teamleader@demo.earlyhelp.test"))
    assert leader.get(f"/episodes/{long_case.pk}/").status_code == 200
    assert leader.get(f"/teams/{coach.team_id}/").status_code == 200
    assert signed_in(coach).get("/my-families/").status_code == 200
    # The ids carry on after the generated rows: the service adds to a generated case.
    from earlyhelp.casework.visiting import VisitDetails, case_note_record

    note = case_note_record(
        actor=coach,
        episode=long_case,
        details=VisitDetails(kind="phone", happened_at=timezone.now(), successful=True, note="Rang mum"),
    )
    assert note.pk == CaseNote.objects.order_by("-pk").values_list("pk", flat=True).first()
