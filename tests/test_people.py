"""Finding, adding and changing people, families and relationships, as practitioners do it."""

from datetime import date

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.people import services
from earlyhelp.people.models import Family, FamilyMembership, Person, Relationship
from tests.conftest import signed_in
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, UnbornFactory, add_member, consent_to_share

pytestmark = pytest.mark.django_db


def person_form(**overrides):
    data = {
        "kind": "child",
        "first_name": "Amara",
        "middle_names": "",
        "last_name": "Nwosu",
        "date_of_birth_0": "14",
        "date_of_birth_1": "6",
        "date_of_birth_2": "2016",
        "gender": "female",
        "ethnicity": "BAFR",
        "disability": "no",
        "first_language": "English",
        "nhs_number": "943 476 5870",
        "upn": "",
        "postcode": "nn1 5ab",
        "version": "1",  # the version the edit page was opened at; ignored when adding
    }
    data.update(overrides)
    return data


# Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "criteria",
    [
        {"name": "amara"},
        {"name": "Nwosu Amara"},
        {"date_of_birth_0": "14", "date_of_birth_1": "6", "date_of_birth_2": "2016"},
        {"postcode": "nn15ab"},
        {"nhs_number": "943 476 5870"},
        {"upn": "h801200001001"},
    ],
)
def test_a_person_can_be_found_by_each_identifier(front_door, criteria):
    PersonFactory(
        first_name="Amara",
        last_name="Nwosu",
        date_of_birth=date(2016, 6, 14),
        postcode="NN1 5AB",
        nhs_number="9434765870",
        upn="H801200001001",
    )
    PersonFactory(first_name="Other", last_name="Child", date_of_birth=date(2012, 1, 1), postcode="NN3 6PX")
    page = signed_in(front_door).get("/people/", criteria).content.decode()
    assert "1 person found" in page
    assert "Amara Nwosu" in page


def test_a_name_spelt_differently_is_still_found(front_door):
    PersonFactory(first_name="Muhammad", last_name="Khan")
    page = signed_in(front_door).get("/people/", {"name": "Mohammed Khan"}).content.decode()
    assert "Muhammad Khan" in page


def test_a_search_with_nothing_in_it_says_what_to_enter(front_door):
    page = signed_in(front_door).get("/people/", {"name": ""}).content.decode()
    assert "Enter at least one thing to search for" in page


def test_a_mistyped_postcode_in_a_search_is_explained_beside_the_field(front_door):
    page = signed_in(front_door).get("/people/", {"postcode": "NN1"}).content.decode()
    assert 'id="id_postcode-error"' in page
    assert "Enter a full postcode" in page


# Adding a person --------------------------------------------------------------------------


def test_a_new_person_with_no_likely_match_is_recorded(front_door):
    response = signed_in(front_door).post("/people/add/", person_form())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.nhs_number == "9434765870"
    assert person.postcode == "NN1 5AB"
    assert person.created_by == front_door


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter a first name"),
        ({"kind": ""}, "kind", "Select whether this is a child, young person, unborn baby or adult"),
        ({"nhs_number": "943 476 5871"}, "nhs_number", "Enter a real NHS number"),
        ({"nhs_number": "12345"}, "nhs_number", "Enter an NHS number in the correct format"),
        ({"upn": "A801200001001"}, "upn", "Enter a real UPN"),
        ({"postcode": "NN1"}, "postcode", "Enter a real postcode"),
        ({"date_of_birth_1": ""}, "date_of_birth", "Date of birth must include a month"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "date_of_birth", "Date of birth must be a real date"),
        ({"date_of_birth_2": "2099"}, "date_of_birth", "Date of birth must be today or in the past"),
        ({"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""}, "date_of_birth", "Enter date of birth"),
        ({"date_of_birth_2": "1990"}, "date_of_birth", "A child must be under 18"),
        ({"kind": "unborn"}, "expected_date_of_delivery", "Enter the expected date of delivery"),
    ],
)
def test_each_mistake_is_shown_beside_its_field_and_nothing_typed_is_lost(front_door, overrides, field, message):
    response = signed_in(front_door).post("/people/add/", person_form(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert "There is a problem" in page
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error:" in page
    if overrides.get("first_name") != "":
        assert 'value="Amara"' in page
    assert 'value="Nwosu"' in page


def test_an_nhs_number_already_recorded_is_refused_with_a_link_to_who_has_it(front_door):
    holder = PersonFactory(first_name="Amara", last_name="Nwosu", nhs_number="9434765870")
    page = signed_in(front_door).post("/people/add/", person_form(first_name="Zed", last_name="Other")).content.decode()
    assert f"Amara Nwosu ({holder.reference}) already has this NHS number" in page
    assert f'href="/people/{holder.pk}/"' in page
    assert AuditEvent.objects.filter(verb="listed", target_id=holder.pk, details__where="same NHS number or UPN")


def test_a_partner_never_learns_that_a_record_they_cannot_see_has_an_nhs_number(okafor, bob, front_door):
    from earlyhelp.people.models import PersonToCheck

    services.person_update(
        seen_version=None, actor=front_door, person=okafor.child, details={"nhs_number": "9434765870"}
    )
    people_before = Person.objects.count()
    response = signed_in(bob).post("/people/add/", person_form(first_name="Tobi", last_name="Okafor"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sent to the front door to check" in page
    assert "already has" not in page
    assert okafor.child.reference not in page
    assert Person.objects.count() == people_before  # no duplicate
    item = PersonToCheck.objects.get()
    assert (item.requested_by, item.nhs_number, item.status) == (bob, "9434765870", "waiting")
    refused = AuditEvent.objects.get(verb="refused", target_id=okafor.child.pk)
    assert refused.details == {"attempted": "add-duplicate"}
    # The front door checks it: the same person. Bob still may not see the record.
    checker = signed_in(front_door)
    assert "Tobi Okafor" in checker.get("/people/to-check/").content.decode()
    assert okafor.child.reference in checker.get(f"/people/to-check/{item.pk}/").content.decode()
    assert checker.post(f"/people/to-check/{item.pk}/", {"choice": str(okafor.child.pk)}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.matched_person) == ("matched", okafor.child)
    assert signed_in(bob).get(f"/people/{okafor.child.pk}/").status_code == 404


def test_the_front_door_says_why_a_person_to_check_is_not_the_same(okafor, bob, front_door):
    from earlyhelp.people.models import PersonToCheck

    services.person_update(
        seen_version=None, actor=front_door, person=okafor.child, details={"nhs_number": "9434765870"}
    )
    signed_in(bob).post("/people/add/", person_form(first_name="Sam", last_name="Other"))
    item = PersonToCheck.objects.get()
    checker = signed_in(front_door)
    page = checker.post(f"/people/to-check/{item.pk}/", {"choice": "not-the-same"}).content.decode()
    assert "Say why this is not the same person" in page
    checker.post(f"/people/to-check/{item.pk}/", {"choice": "not-the-same", "note": "Mistyped NHS number"})
    item.refresh_from_db()
    assert (item.status, item.note) == ("not_matched", "Mistyped NHS number")


def test_a_partner_editing_a_record_cannot_copy_an_identifier_they_cannot_see(okafor, alice, front_door):
    consent_to_share([okafor.child], [alice.agency], ("health",))
    other = PersonFactory(first_name="Hidden", last_name="Child", nhs_number="9434765870")
    data = person_form(first_name="Tobi", last_name="Okafor", nhs_number="943 476 5870")
    page = signed_in(alice).post(f"/people/{okafor.child.pk}/edit/", data).content.decode()
    assert "cannot be added to this record here" in page
    assert "Hidden" not in page
    assert AuditEvent.objects.filter(verb="refused", target_id=other.pk, details__attempted="copy-identifier")


def test_a_likely_duplicate_is_shown_before_anything_is_saved(front_door):
    existing = PersonFactory(first_name="Amarah", last_name="Nwosu", date_of_birth=date(2016, 6, 14), nhs_number="")
    client = signed_in(front_door)
    response = client.post("/people/add/", person_form(nhs_number=""))
    assert response["Location"] == "/people/add/possible-matches/"
    page = client.get(response["Location"]).content.decode()
    assert "Similar name and the same date of birth" in page
    assert f"/people/{existing.pk}/" in page
    assert Person.objects.count() == 1


def test_the_practitioner_can_go_back_to_what_they_typed(front_door):
    PersonFactory(first_name="Amara", last_name="Nwosu", postcode="NN1 5AB", nhs_number="")
    client = signed_in(front_door)
    client.post("/people/add/", person_form(nhs_number="", middle_names="Chioma"))
    page = client.get("/people/add/?draft=1").content.decode()
    assert 'value="Chioma"' in page


def test_none_of_these_records_the_new_person(front_door):
    PersonFactory(first_name="Amara", last_name="Nwosu", postcode="NN1 5AB", nhs_number="")
    client = signed_in(front_door)
    client.post("/people/add/", person_form(nhs_number=""))
    response = client.post("/people/add/possible-matches/", {"choice": "new"})
    assert response.status_code == 302
    assert Person.objects.filter(first_name="Amara").count() == 2


def test_similar_name_and_same_postcode_is_a_likely_match(front_door):
    PersonFactory(first_name="Jon", last_name="Smyth", postcode="NN3 6PX", date_of_birth=date(2010, 1, 1))
    client = signed_in(front_door)
    client.post("/people/add/", person_form(first_name="John", last_name="Smith", postcode="NN3 6PX", nhs_number=""))
    page = client.get("/people/add/possible-matches/").content.decode()
    assert "Similar name and the same postcode" in page


def test_a_different_name_at_the_same_postcode_is_not_a_match(front_door):
    PersonFactory(first_name="Peter", last_name="Jones", postcode="NN1 5AB")
    response = signed_in(front_door).post("/people/add/", person_form(nhs_number=""))
    assert response.status_code == 302
    assert response["Location"].startswith("/people/")
    assert "possible-matches" not in response["Location"]


def test_an_unborn_baby_is_recorded_with_an_expected_date_of_delivery(front_door):
    due = date.today().replace(day=1)
    signed_in(front_door).post(
        "/people/add/",
        person_form(
            kind="unborn",
            first_name="Unborn",
            date_of_birth_0="",
            date_of_birth_1="",
            date_of_birth_2="",
            expected_date_of_delivery_0=str(due.day),
            expected_date_of_delivery_1=str(due.month),
            expected_date_of_delivery_2=str(due.year),
            nhs_number="",
        ),
    )
    baby = Person.objects.get()
    assert baby.kind == Person.Kind.UNBORN
    assert baby.expected_date_of_delivery == due
    assert baby.date_of_birth is None


# Changing a person --------------------------------------------------------------------------


def test_a_practitioner_changes_a_persons_details(front_door):
    person = PersonFactory(first_name="Amara", last_name="Nwosu", nhs_number="9434765870")
    client = signed_in(front_door)
    assert 'value="Amara"' in client.get(f"/people/{person.pk}/edit/").content.decode()
    response = client.post(f"/people/{person.pk}/edit/", person_form(first_name="Amarachi"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Amarachi"


def test_a_change_with_a_mistake_saves_nothing(front_door):
    person = PersonFactory(first_name="Amara", last_name="Nwosu", nhs_number="9434765870")
    page = (
        signed_in(front_door).post(f"/people/{person.pk}/edit/", person_form(first_name="Ama", postcode="XX")).content
    )
    person.refresh_from_db()
    assert person.first_name == "Amara"
    assert 'value="Ama"' in page.decode()


# Families and relationships -------------------------------------------------------------------


def test_a_practitioner_records_a_family_from_a_persons_record(front_door):
    person = AdultFactory(last_name="Okafor")
    client = signed_in(front_door)
    assert "The Okafor family" in client.get(f"/families/add/?person={person.pk}").content.decode()
    response = client.post(f"/families/add/?person={person.pk}", {"name": "The Okafor family", "notes": ""})
    family = Family.objects.get(name="The Okafor family")
    assert response["Location"] == f"/families/{family.pk}/members/add/?person={person.pk}"
    client.post(
        f"/families/{family.pk}/members/add/", {"person": person.pk, "role": "parent", "lives_in_household": "on"}
    )
    membership = FamilyMembership.objects.get(family=family)
    assert membership.person == person
    assert membership.role == "parent"


def test_adding_a_member_without_a_role_is_explained(front_door):
    family = FamilyFactory()
    person = PersonFactory()
    page = signed_in(front_door).post(f"/families/{family.pk}/members/add/?person={person.pk}", {"person": person.pk})
    assert "Select their role in the family" in page.content.decode()
    assert not FamilyMembership.objects.exists()


def test_a_family_page_lists_members_and_relationships(front_door, okafor):
    page = signed_in(front_door).get(f"/families/{okafor.family.pk}/").content.decode()
    assert "Grace Okafor" in page
    assert "Tobi Okafor" in page
    assert "parent of" in page


def test_a_relationship_is_added_from_either_side(front_door):
    family = FamilyFactory()
    parent, child = AdultFactory(first_name="Ada"), PersonFactory(first_name="Ben")
    add_member(family, parent, "parent")
    add_member(family, child)
    client = signed_in(front_door)
    assert "Ada" in client.get(f"/people/{child.pk}/relationships/add/").content.decode()
    client.post(f"/people/{child.pk}/relationships/add/", {"kind": "child_of", "other_person": parent.pk})
    relationship = Relationship.objects.get()
    assert (relationship.from_person, relationship.to_person, relationship.kind) == (parent, child, "parent_of")
    assert "Child of" in client.get(f"/people/{child.pk}/").content.decode()
    assert "Parent of" in client.get(f"/people/{parent.pk}/").content.decode()


def test_the_same_relationship_cannot_be_recorded_twice(front_door, okafor):
    page = signed_in(front_door).post(
        f"/people/{okafor.mother.pk}/relationships/add/", {"kind": "parent_of", "other_person": okafor.child.pk}
    )
    assert "This relationship is already recorded" in page.content.decode()


def test_a_relationship_without_a_kind_says_so(front_door, okafor):
    page = signed_in(front_door).post(
        f"/people/{okafor.mother.pk}/relationships/add/", {"other_person": okafor.child.pk}
    )
    assert "Select how they are related" in page.content.decode()


def test_a_relationship_can_be_removed_and_the_removal_is_audited(front_door, okafor):
    response = signed_in(front_door).post(
        f"/people/{okafor.mother.pk}/relationships/{okafor.relationship.pk}/", {"action": "remove", "version": "1"}
    )
    assert response.status_code == 302
    assert not Relationship.objects.exists()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DELETED, target_type="people.relationship").exists()


# Names with hidden characters ------------------------------------------------------------------


def test_a_name_with_a_direction_control_character_is_refused_beside_the_field(front_door):
    response = signed_in(front_door).post("/people/add/", person_form(first_name="\u202enidlab", nhs_number=""))
    page = response.content.decode()
    assert "hidden characters that change the direction of text" in page
    assert not Person.objects.exists()


def test_invisible_characters_are_removed_so_search_and_matching_find_the_name(front_door):
    client = signed_in(front_door)
    client.post("/people/add/", person_form(first_name="Gr\u200bace", last_name="Baldwin", nhs_number=""))
    person = Person.objects.get()
    assert person.first_name == "Grace"
    assert "Grace Baldwin" in client.get("/people/", {"name": "grace baldwin"}).content.decode()
    response = client.post("/people/add/", person_form(first_name="Grace\u2060", last_name="Baldwin", nhs_number=""))
    assert response["Location"] == "/people/add/possible-matches/"


def test_a_referral_refuses_direction_controls_in_names(frameworks, alice):
    from earlyhelp.frontdoor.referrals import PersonDetails, referral_problems
    from tests.factories import a_referral

    referral = a_referral(children=[PersonDetails(role="child", first_name="\u202eayaM", last_name="Brennan")])
    problems = referral_problems(referral, definition=None, today=date.today())
    assert "direction of text" in problems["children.0.first_name"]


def test_a_name_too_long_is_never_cut_but_explained_beside_the_field(front_door):
    long_name = "A" * 10_000
    page = signed_in(front_door).post("/people/add/", person_form(middle_names=long_name)).content.decode()
    assert " maxlength=" not in page
    assert "must be 200 characters or fewer. You have entered 10,000" in page
    assert long_name in page  # what was typed is kept, to shorten
    assert not Person.objects.exists()


def test_a_search_that_finds_nobody_says_so_and_offers_to_add_a_person(front_door):
    page = signed_in(front_door).get("/people/", {"name": "Nobody Here"}).content.decode()
    assert "No people found" in page
    assert "check the spelling" in page
    assert 'href="/people/add/"' in page


def test_each_person_on_a_referral_is_matched_only_to_records_that_may_be_them(front_door, django_assert_num_queries):
    from earlyhelp.people.selectors import ProposedPerson, likely_matches_each

    mother = AdultFactory(first_name="Grace", last_name="Okafor", postcode="NN1 5AB", nhs_number="")
    child = PersonFactory(first_name="Tobi", last_name="Okafor", postcode="NN1 5AB", date_of_birth=date(2016, 3, 4))
    PersonFactory(first_name="Peter", last_name="Jones", postcode="NN1 5AB")
    proposed = [
        ProposedPerson(first_name="Grace", last_name="Okafor", postcode="NN1 5AB"),
        ProposedPerson(first_name="Toby", last_name="Okafor", date_of_birth=date(2016, 3, 4)),
        ProposedPerson(first_name="Nobody", last_name="Known", postcode="ZZ9 9ZZ"),
    ]
    assert front_door.roles  # known already on a signed-in user
    with django_assert_num_queries(1):
        found = likely_matches_each(user=front_door, proposed=proposed)
    assert [[match.person for match in matches] for matches in found] == [[mother], [child], []]
    assert found[1][0].reasons == ("Similar name and the same date of birth",)
    assert likely_matches_each(user=front_door, proposed=[]) == []


def test_search_results_are_rendered_as_text_and_each_links_to_the_record(front_door):
    """A page of results is rendered by Jinja2 (ADR 27): names are text, never markup."""
    typed = PersonFactory(first_name="<i>Ava", last_name="O'Brien", postcode="NN1 5AB")
    unborn = UnbornFactory(last_name="O'Brien")
    page = signed_in(front_door).get("/people/", {"name": "obrien"}).content.decode()
    assert "<i>Ava" not in page
    assert "&lt;i&gt;Ava O&#39;Brien" in page
    assert f'href="/people/{typed.pk}/"' in page
    assert f'href="/people/{unborn.pk}/"' in page
    assert "Due " in page
    assert "2 people found" in page
