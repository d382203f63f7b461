"""No lost updates and one way to change state (ADR 11): every edit page carries the version it
was opened at, a save from a stale page is refused with what changed since and keeps what was
typed, and every status moves only as its model's table allows."""

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.core.workflow import TransitionNotAllowedError, Transitions
from earlyhelp.directory.models import Service
from earlyhelp.frontdoor import deciding
from earlyhelp.frontdoor.models import Contact, TriageDecision
from earlyhelp.people import services
from earlyhelp.people.models import Person, PersonToCheck
from tests.conftest import signed_in
from tests.factories import AreaFactory, contact_received
from tests.test_frontdoor_services import matched_and_levelled
from tests.test_people import person_form

pytestmark = pytest.mark.django_db


# Stale forms ----------------------------------------------------------------------------------


def test_a_person_saved_from_a_page_opened_before_someone_elses_save_is_refused_with_their_changes(
    front_door, coach, okafor
):
    child = okafor.child
    opened = signed_in(front_door).get(f"/people/{child.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in opened
    services.person_update(actor=coach, person=child, details={"address_line_1": "2 Old Lane"}, seen_version=1)
    mine = person_form(first_name="Tobi", last_name="Okafor", nhs_number="", first_language="Yoruba")
    page = signed_in(front_door).post(f"/people/{child.pk}/edit/", mine).content.decode()
    assert "Someone else saved changes to this record after you opened this page" in page
    assert "Changed since you opened this page" in page
    assert "Family coach" in page
    assert "address line 1 from “” to “2 Old Lane”" in page
    assert 'value="Yoruba"' in page  # what they typed is kept
    assert 'name="version" value="2"' in page  # and saving again applies it
    child.refresh_from_db()
    assert (child.first_language, child.address_line_1, child.version) == ("", "2 Old Lane", 2)
    response = signed_in(front_door).post(f"/people/{child.pk}/edit/", mine | {"version": "2"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.first_language, child.version) == ("Yoruba", 3)


def test_an_edit_page_posted_without_its_version_is_refused_and_changes_nothing(front_door, okafor):
    data = person_form(first_name="Changed", last_name="Okafor", nhs_number="")
    del data["version"]
    page = signed_in(front_door).post(f"/people/{okafor.child.pk}/edit/", data).content.decode()
    assert "This page is out of date. Open the record again, then make your change" in page
    okafor.child.refresh_from_db()
    assert okafor.child.first_name == "Tobi"


def test_a_stale_family_page_is_refused(front_door, coach, okafor):
    family = okafor.family
    services.family_update(
        actor=coach, family=family, name="The Okafor-Ade family", area=None, notes="", seen_version=1
    )
    page = (
        signed_in(front_door)
        .post(f"/families/{family.pk}/edit/", {"name": "The Okafors", "notes": "", "version": "1"})
        .content.decode()
    )
    assert "Someone else saved changes" in page
    assert "The Okafor-Ade family" in page
    family.refresh_from_db()
    assert family.name == "The Okafor-Ade family"


def test_a_stale_family_membership_or_relationship_page_is_refused(front_door, coach, okafor):
    membership = okafor.mother_membership
    services.family_member_update(
        actor=coach, membership=membership, role="carer", lives_in_household=False, seen_version=1
    )
    page = signed_in(front_door).post(
        f"/families/{okafor.family.pk}/members/{membership.pk}/", {"action": "remove", "role": "parent", "version": "1"}
    )
    assert page.status_code == 200
    assert "Someone else saved changes" in page.content.decode()
    assert okafor.family.memberships.filter(pk=membership.pk).exists()
    relationship = okafor.relationship
    services.relationship_update(
        actor=coach, relationship=relationship, kind=relationship.kind, details="step", seen_version=1
    )
    page = signed_in(front_door).post(
        f"/people/{okafor.mother.pk}/relationships/{relationship.pk}/", {"details": "birth", "version": "1"}
    )
    assert page.status_code == 200
    assert "Someone else saved changes" in page.content.decode()
    relationship.refresh_from_db()
    assert relationship.details == "step"


def test_a_stale_area_or_consent_on_a_contact_is_refused(front_door, alice, frameworks, authority):
    contact = contact_received(alice)
    north, south = AreaFactory(authority=authority, name="North"), AreaFactory(authority=authority, name="South")
    deciding.contact_area_set(actor=front_door, contact=contact, area=north, seen_version=1)
    client = signed_in(front_door)
    page = client.post(f"/front-door/contacts/{contact.pk}/", {"area": south.pk, "version": "1"}).content.decode()
    assert "Someone else saved changes" in page
    assert "Front door practitioner" in page
    contact.refresh_from_db()
    assert contact.area == north
    response = client.post(
        f"/front-door/contacts/{contact.pk}/consent/", {"consent": "refused", "note": "x", "version": "1"}
    )
    assert "Someone else saved changes" in response.content.decode()
    contact.refresh_from_db()
    assert contact.consent == "given"


def test_a_person_on_a_referral_matched_by_someone_else_first_is_not_matched_again(front_door, alice, frameworks):
    contact = contact_received(alice)
    entry = contact.people.first()
    client = signed_in(front_door)
    assert (
        client.post(
            f"/front-door/contacts/{contact.pk}/people/{entry.pk}/", {"person": "new", "version": "1"}
        ).status_code
        == 302
    )
    people = Person.objects.count()
    page = client.post(f"/front-door/contacts/{contact.pk}/people/{entry.pk}/", {"person": "new", "version": "1"})
    assert page.status_code == 200
    assert f"Someone else matched {entry.full_name} to P" in page.content.decode()
    assert Person.objects.count() == people  # no second record for the same child


def test_a_service_in_the_directory_saved_from_a_stale_admin_page_is_refused(administrator, authority):
    service = Service.objects.create(authority=authority, name="Stay and play", provider="Council", description="Fun")
    client = signed_in(administrator)
    address = f"/admin/directory/service/{service.pk}/change/"
    opened = client.get(address).content.decode()
    assert 'name="seen_version" value="1"' in opened
    form = {
        "authority": authority.pk,
        "name": "Stay and play",
        "provider": "Council",
        "description": "Fun for under-fives",
        "lowest_level": 1,
        "highest_level": 2,
        "youngest_age": 0,
        "oldest_age": 5,
        "seen_version": "1",
    }
    assert client.post(address, form).status_code == 302
    service.refresh_from_db()
    assert service.version == 2
    page = client.post(address, form | {"description": "Something else"}).content.decode()
    assert "Someone else saved this after you opened it" in page
    assert "Fun for under-fives" in page
    service.refresh_from_db()
    assert service.description == "Fun for under-fives"


# Transitions ----------------------------------------------------------------------------------


def test_a_transitions_table_allows_only_what_it_lists():
    table = Transitions({"open": ("closed", "paused"), "paused": ("open",)})
    assert table.allows("open", "closed")
    assert table.allows("paused", "open")
    assert not table.allows("closed", "open")
    assert not table.allows("paused", "closed")
    assert table.is_final("closed")
    assert not table.is_final("open")
    with pytest.raises(TransitionNotAllowedError, match="A case cannot go from “closed” to “open”"):
        table.check("closed", "open", what="A case")


def test_a_contacts_outcome_is_final(front_door, alice, frameworks):
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    deciding.contact_decide(actor=front_door, contact=contact, outcome="redirect", reasons="Section 47")
    contact.refresh_from_db()
    assert contact.status == Contact.Status.REDIRECTED
    assert contact.decided_at is not None
    for status in Contact.Status:
        assert not Contact.TRANSITIONS.allows(Contact.Status.REDIRECTED, status)
    with pytest.raises(TransitionNotAllowedError):
        contact.status_change(Contact.Status.ALLOCATED)
    assert not Contact.TRANSITIONS.allows(Contact.Status.AWAITING_CONFIRMATION, Contact.Status.REDIRECTED)
    assert PersonToCheck.TRANSITIONS.is_final(PersonToCheck.Status.MATCHED)
    decision = TriageDecision.objects.get(contact=contact)
    assert decision.state == TriageDecision.State.MADE
    with pytest.raises(TransitionNotAllowedError):
        TriageDecision.TRANSITIONS.check(decision.state, TriageDecision.State.CONFIRMED, what="A triage decision")


def test_a_contact_waiting_for_a_team_leader_cannot_be_decided_again(front_door, alice, frameworks, authority):
    service = Service.objects.create(authority=authority, name="Youth club", provider="Council", description="Clubs")
    contact = matched_and_levelled(
        contact_received(alice), front_door, frameworks, indicators=("safeguarding-01",), level=2, reason="Known"
    )
    deciding.contact_decide(
        actor=front_door, contact=contact, outcome="signpost", reasons="x", service=service, override_reason="Historic"
    )
    with pytest.raises(ValidationError, match=r"Front door practitioner decided this contact on .* waiting for a team"):
        deciding.contact_decide(actor=front_door, contact=contact, outcome="redirect", reasons="Changed my mind")
