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


def test_a_search_by_name_counts_its_matches_without_a_query_of_its_own(front_door):
    """The candidates a name search finds first are its matches: counted as found, not again."""
    for _ in range(3):
        PersonFactory(last_name="Counted")
    client = signed_in(front_door)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/people/", {"name": "Counted"}).content.decode()
    assert "3 people found" in page
    assert not [query for query in captured if "COUNT(" in query["sql"].upper()]


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


# The benchmark's ceiling for a main page (docs/performance.md).
MOST_QUERIES_A_PAGE = 12


def test_the_front_door_queue_makes_a_fixed_number_of_queries_and_shows_one_page(front_door, alice, frameworks):
    from earlyhelp.frontdoor.selectors import QUEUE_PAGE_SIZE
    from tests.factories import contact_received

    contact_received(alice)
    client = signed_in(front_door)
    small = queries_for(client, "/front-door/")
    for _ in range(QUEUE_PAGE_SIZE + 2):
        contact_received(alice)
    large = queries_for(client, "/front-door/")
    assert small == large <= MOST_QUERIES_A_PAGE
    first = client.get("/front-door/")
    assert first.content.decode().count('href="/front-door/contacts/') == QUEUE_PAGE_SIZE
    assert f"of {QUEUE_PAGE_SIZE + 3}" in first.content.decode()
    second = client.get("/front-door/", {"page": 2})
    assert second.content.decode().count('href="/front-door/contacts/') == 3


def test_a_contact_makes_a_fixed_number_of_queries_however_many_records_may_match(front_door, alice, frameworks):
    from tests.factories import contact_received

    contact = contact_received(alice)
    child = contact.people.get(role="child")
    client = signed_in(front_door)
    PersonFactory(first_name=child.first_name, last_name=child.last_name, date_of_birth=child.date_of_birth)
    small = queries_for(client, f"/front-door/contacts/{contact.pk}/")
    for _ in range(6):
        PersonFactory(first_name=child.first_name, last_name=child.last_name, date_of_birth=child.date_of_birth)
    large = queries_for(client, f"/front-door/contacts/{contact.pk}/")
    assert small == large <= MOST_QUERIES_A_PAGE


def test_a_re_referral_makes_a_fixed_number_of_queries_however_many_contacts_came_before(front_door, alice, frameworks):
    """A re-referral's page lists the earlier contacts about its people: one query for them, with
    the people already read for the page (not read again), however many there were."""
    from earlyhelp.frontdoor import matching
    from tests.factories import contact_received

    person = PersonFactory()

    def matched_contact():
        contact = contact_received(alice)
        entry = contact.people.get(role="child")
        matching.contact_person_match(seen_version=None, actor=front_door, entry=entry, person=person)
        contact.refresh_from_db()
        return contact

    matched_contact()
    later = matched_contact()
    assert later.re_referral
    client = signed_in(front_door)
    small = queries_for(client, f"/front-door/contacts/{later.pk}/")
    for _ in range(5):
        matched_contact()
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/front-door/contacts/{later.pk}/")
    assert small == len(captured) <= MOST_QUERIES_A_PAGE
    assert [query["sql"].count('FROM "frontdoor_contactperson"') for query in captured].count(1) == 1


def test_the_team_leaders_home_page_makes_a_fixed_number_of_queries(team_leader, alice, frameworks):
    from tests.factories import contact_received

    client = signed_in(team_leader)
    contact_received(alice)
    client.get("/")  # the records held are counted on the first view, then kept for a few minutes
    small = queries_for(client, "/")
    for _ in range(5):
        contact_received(alice)
        add_member(FamilyFactory(), PersonFactory())
    large = queries_for(client, "/")
    assert small == large <= MOST_QUERIES_A_PAGE


@pytest.mark.parametrize(
    "page", ["/", "/front-door/", "/people/?name=Grown", "/people/{person}/", "/families/{family}/"]
)
def test_each_main_page_makes_at_most_a_dozen_queries(front_door, page, school):
    person = PersonFactory(last_name="Grown", school=school)
    family = FamilyFactory()
    add_member(family, person)
    client = signed_in(front_door)
    assert queries_for(client, page.format(person=person.pk, family=family.pk)) <= MOST_QUERIES_A_PAGE


def test_your_sessions_makes_a_fixed_number_of_queries_however_many_sessions(front_door):
    client = signed_in(front_door)
    small = queries_for(client, "/account/sessions/")
    for _ in range(10):
        signed_in(front_door)  # another browser signed in as the same person
    page = client.get("/account/sessions/").content.decode()
    assert "11 sessions" in page
    assert queries_for(client, "/account/sessions/") == small
