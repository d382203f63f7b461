"""The person page and the search results make the same number of queries however much data
there is. Counted, never timed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import signed_in
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, add_member, relate

pytestmark = pytest.mark.django_db


def queries_for(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def grow_family_around(person, size: int) -> None:
    for _ in range(size):
        family = FamilyFactory()
        add_member(family, person, "parent")
        child = PersonFactory(last_name="Grown")
        add_member(family, child)
        relate(person, child)


def test_the_person_page_makes_a_fixed_number_of_queries(team_leader, front_door):
    person = AdultFactory(last_name="Grown")
    client = signed_in(team_leader)
    grow_family_around(person, 1)
    small = queries_for(client, f"/people/{person.pk}/")
    grow_family_around(person, 8)
    for _ in range(30):
        signed_in(front_door).get(f"/people/{person.pk}/")
    large = queries_for(client, f"/people/{person.pk}/")
    assert small == large


def test_search_results_make_a_fixed_number_of_queries(front_door, school):
    client = signed_in(front_door)
    PersonFactory(last_name="Grown", school=school)
    small = queries_for(client, "/people/", {"name": "Grown"})
    for _ in range(30):
        PersonFactory(last_name="Grown", school=school)
    large = queries_for(client, "/people/", {"name": "Grown"})
    assert small == large


def test_the_family_page_makes_a_fixed_number_of_queries(front_door, school):
    family = FamilyFactory()
    add_member(family, AdultFactory(), "parent")
    client = signed_in(front_door)
    small = queries_for(client, f"/families/{family.pk}/")
    for _ in range(10):
        add_member(family, PersonFactory(school=school))
    large = queries_for(client, f"/families/{family.pk}/")
    assert small == large


def test_a_persons_contacts_with_the_front_door_add_a_fixed_number_of_queries(front_door, alice, frameworks):
    from earlyhelp.frontdoor import matching
    from tests.factories import contact_received

    person = PersonFactory(first_name="Maya", last_name="Brennan")

    def one_more_contact():
        contact = contact_received(alice)
        matching.contact_person_match(
            seen_version=None, actor=front_door, entry=contact.people.get(role="child"), person=person
        )

    one_more_contact()
    client = signed_in(front_door)
    small = queries_for(client, f"/people/{person.pk}/")
    for _ in range(5):
        one_more_contact()
    large = queries_for(client, f"/people/{person.pk}/")
    assert small == large


def test_the_home_page_counts_the_front_door_in_a_fixed_number_of_queries(front_door, alice, frameworks):
    from tests.factories import contact_received

    contact_received(alice)
    client = signed_in(front_door)
    small = queries_for(client, "/")
    for _ in range(5):
        contact_received(alice)
    large = queries_for(client, "/")
    assert small == large
