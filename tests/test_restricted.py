"""Restricted people and families (issue 13, ADR 22): only the users named see them, whatever
their role; nobody else finds them; a referral about the same child is told only that a
restricted record matches and whom to ask, and no second record is made."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.roles import Role
from earlyhelp.people import access, restricting
from earlyhelp.people.models import Person, Restriction
from tests.conftest import signed_in
from tests.factories import PersonFactory, UserFactory, contact_received
from tests.test_people import person_form

pytestmark = pytest.mark.django_db

REASON = "The child of a member of staff"


@pytest.fixture
def maya(team_leader, coach):
    """A child restricted by the team leader, who names the coach and is the one to ask."""
    child = PersonFactory(first_name="Maya", last_name="Brennan", date_of_birth=date(2016, 5, 4), postcode="NN2 6LT")
    restricting.person_restrict(actor=team_leader, person=child, reason=REASON, ask=team_leader, named=[coach])
    return child


def test_only_the_named_see_a_restricted_record_and_nobody_else_finds_it(maya, team_leader, coach, front_door):
    assert access.people_visible_to(front_door).filter(pk=maya.pk).count() == 0
    for named in (team_leader, coach):
        assert access.people_visible_to(named).filter(pk=maya.pk).count() == 1
    search = signed_in(front_door).get("/people/", {"name": "Brennan"}).content.decode()
    assert "Maya" not in search
    assert signed_in(front_door).get(f"/people/{maya.pk}/").status_code == 404
    assert AuditEvent.objects.filter(verb="refused", target_id=maya.pk, actor=front_door).exists()
    page = signed_in(coach).get(f"/people/{maya.pk}/").content.decode()
    assert "Restricted" in page


def test_restricting_a_family_restricts_its_members_and_lifting_it_lifts_them(
    okafor, team_leader, head_of_service, front_door
):
    restriction = restricting.family_restrict(
        actor=team_leader, family=okafor.family, reason=REASON, ask=head_of_service, named=[]
    )
    assert not access.families_visible_to(front_door).filter(pk=okafor.family.pk).exists()
    assert not access.people_visible_to(front_door).filter(pk__in=[okafor.mother.pk, okafor.child.pk]).exists()
    assert access.people_visible_to(head_of_service).filter(pk=okafor.child.pk).exists()
    assert Restriction.objects.filter(part_of=restriction).count() == 2
    restricting.restriction_lift(actor=head_of_service, restriction=restriction, because="The case is closed")
    assert access.families_visible_to(front_door).filter(pk=okafor.family.pk).exists()
    assert access.people_visible_to(front_door).filter(pk__in=[okafor.mother.pk, okafor.child.pk]).count() == 2
    lifted = AuditEvent.objects.filter(verb="updated", target_type="people.restriction").count()
    assert lifted == 3


def test_only_a_team_leader_or_the_head_of_service_restricts_and_says_why(okafor, coach, team_leader, alice):
    with pytest.raises(ValidationError) as refused:
        restricting.person_restrict(actor=coach, person=okafor.child, reason=REASON, ask=coach, named=[])
    assert refused.value.message_dict == {"reason": ["Only a team leader or the head of service can restrict a record"]}
    with pytest.raises(ValidationError) as incomplete:
        restricting.person_restrict(actor=team_leader, person=okafor.child, reason=" ", ask=None, named=[alice])
    assert incomplete.value.message_dict == {
        "reason": ["Say why the record is restricted (for example: a member of staff's family)"],
        "ask": ["Choose whom others should ask about this record"],
        "named": ["Alice Partner cannot read records here"],
    }
    okafor.child.refresh_from_db()
    assert not okafor.child.restricted
    assert signed_in(coach).get(f"/people/{okafor.child.pk}/restrict/").status_code == 404


def test_restricting_twice_is_refused(maya, team_leader):
    with pytest.raises(ValidationError) as again:
        restricting.person_restrict(actor=team_leader, person=maya, reason=REASON, ask=team_leader, named=[])
    assert again.value.message_dict == {"reason": ["This record is already restricted"]}


def test_a_referral_matching_a_restricted_child_is_told_whom_to_ask_and_makes_no_second_record(
    maya, front_door, alice, frameworks
):
    contact = contact_received(alice)  # a referral for Maya Brennan, born 4 May 2016, and her mother
    entry = contact.people.get(role="child")
    client = signed_in(front_door)
    page = client.get(f"/front-door/contacts/{contact.pk}/people/{entry.pk}/").content.decode()
    words = "A restricted record matches this person. Ask Team leader before going on: no new record has been made"
    assert words in page
    assert f"P{maya.pk:07d}" not in page
    response = client.post(f"/front-door/contacts/{contact.pk}/people/{entry.pk}/", {"person": "new", "version": "1"})
    assert words in response.content.decode()
    assert Person.objects.filter(first_name="Maya").count() == 1
    entry.refresh_from_db()
    assert entry.person_id is None


def test_the_named_team_leader_sees_the_record_among_the_matches(maya, team_leader, alice, frameworks):
    contact = contact_received(alice)
    entry = contact.people.get(role="child")
    page = signed_in(team_leader).get(f"/front-door/contacts/{contact.pk}/people/{entry.pk}/").content.decode()
    assert f"P{maya.pk:07d}" in page
    assert "A restricted record matches" not in page


def test_adding_a_person_who_matches_a_restricted_record_is_refused(maya, front_door):
    data = person_form(
        first_name="Maya",
        last_name="Brennan",
        date_of_birth_0="4",
        date_of_birth_1="5",
        date_of_birth_2="2016",
        nhs_number="",
        postcode="NN2 6LT",
    )
    page = signed_in(front_door).post("/people/add/", data).content.decode()
    assert "A restricted record matches this person. Ask Team leader" in page
    assert Person.objects.filter(first_name="Maya").count() == 1


def test_the_restrict_page_restricts_and_lifts(okafor, team_leader, coach, front_door):
    client = signed_in(team_leader)
    url = f"/people/{okafor.child.pk}/restrict/"
    page = client.post(url, {"reason": "", "ask": ""}).content.decode()
    assert "Say why the record is restricted" in page
    response = client.post(url, {"reason": REASON, "ask": team_leader.pk, "named": [coach.pk]})
    assert response.status_code == 302
    assert signed_in(front_door).get(f"/people/{okafor.child.pk}/").status_code == 404
    response = client.post(url, {"because": "Staff member left"})
    assert response.status_code == 302
    assert signed_in(front_door).get(f"/people/{okafor.child.pk}/").status_code == 200


def test_a_restricted_familys_case_file_opens_only_to_the_named_and_lists_hide_its_name(
    team, coach, team_leader, head_of_service, frameworks
):
    from tests.factories import episode_allocated

    episode = episode_allocated(team, coach, team_leader)
    other_coach = UserFactory(authority=team_leader.authority, team=team, roles=[Role.FAMILY_COACH])
    restricting.family_restrict(
        actor=head_of_service, family=episode.family, reason=REASON, ask=head_of_service, named=[coach]
    )
    team_page = signed_in(team_leader).get(f"/teams/{team.pk}/").content.decode()
    assert "Restricted family" in team_page
    assert episode.family.name not in team_page
    assert signed_in(team_leader).get(f"/episodes/{episode.pk}/").status_code == 404
    assert signed_in(other_coach).get(f"/episodes/{episode.pk}/").status_code == 404
    assert signed_in(coach).get(f"/episodes/{episode.pk}/").status_code == 200


def test_the_one_to_ask_must_read_records_here_and_the_restriction_is_audited_whole(okafor, team_leader, coach, alice):
    with pytest.raises(ValidationError) as refused:
        restricting.person_restrict(actor=team_leader, person=okafor.child, reason=REASON, ask=alice, named=[])
    assert refused.value.message_dict == {
        "ask": ["Alice Partner cannot read records here, so cannot be the one to ask"]
    }
    restriction = restricting.person_restrict(
        actor=team_leader, person=okafor.child, reason=REASON, ask=team_leader, named=[coach]
    )
    event = AuditEvent.objects.get(verb="created", target_type="people.restriction", target_id=restriction.pk)
    assert event.details == {"reason": REASON, "ask": "Team leader", "named": ["Family coach", "Team leader"]}
    flagged = AuditEvent.objects.filter(verb="updated", target_type="people.person", target_id=okafor.child.pk)
    assert flagged.latest("id").details == {"restricted": [False, True]}


def test_lifting_says_why_once_and_only_by_those_who_restrict(maya, team_leader, coach):
    restriction = Restriction.objects.get(person=maya)
    with pytest.raises(ValidationError) as not_theirs:
        restricting.restriction_lift(actor=coach, restriction=restriction, because="Done")
    assert not_theirs.value.message_dict == {
        "because": ["Only a team leader or the head of service can lift a restriction"]
    }
    with pytest.raises(ValidationError) as unsaid:
        restricting.restriction_lift(actor=team_leader, restriction=restriction, because=" ")
    assert unsaid.value.message_dict == {"because": ["Say why the restriction is lifted"]}
    lifted = restricting.restriction_lift(actor=team_leader, restriction=restriction, because="Staff member left")
    assert lifted.pk == restriction.pk
    assert lifted.lifted_because == "Staff member left"
    with pytest.raises(ValidationError) as again:
        restricting.restriction_lift(actor=team_leader, restriction=restriction, because="Again")
    assert again.value.message_dict == {"because": ["This restriction has already been lifted"]}
    on_restriction = AuditEvent.objects.filter(verb="updated", target_type="people.restriction").get()
    assert on_restriction.details == {"lifted_because": "Staff member left"}
    on_person = AuditEvent.objects.filter(verb="updated", target_type="people.person", target_id=maya.pk)
    assert on_person.latest("id").details == {"restricted": [True, False]}
    maya.refresh_from_db()
    assert not maya.restricted


def test_a_family_is_restricted_once_and_audited_on_the_family(okafor, team_leader):
    restricting.family_restrict(actor=team_leader, family=okafor.family, reason=REASON, ask=team_leader, named=[])
    on_family = AuditEvent.objects.filter(verb="updated", target_type="people.family", target_id=okafor.family.pk)
    assert on_family.latest("id").details == {"restricted": [False, True]}
    okafor.family.refresh_from_db()
    assert okafor.family.restricted
    with pytest.raises(ValidationError) as again:
        restricting.family_restrict(actor=team_leader, family=okafor.family, reason=REASON, ask=team_leader, named=[])
    assert again.value.message_dict == {"reason": ["This family is already restricted"]}
