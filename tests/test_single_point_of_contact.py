"""A partner agency's single point of contact (issue 13; the district council model in seed 002):
they read every referral the agency's staff made, every family its staff lead and the people on
them; they change only what is theirs. Nobody else at the agency gains anything."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework import access as casework_access
from earlyhelp.frontdoor import access as frontdoor_access
from earlyhelp.organisations.roles import Role
from earlyhelp.people import access as people_access
from earlyhelp.sharing import recording
from tests.conftest import signed_in
from tests.factories import AgencyFactory, UserFactory, consent_to_share, contact_received
from tests.test_casework_pages import casework_people  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _make_contact(user) -> None:
    agency = user.agency
    agency.single_point_of_contact = user
    agency.full_clean()
    agency.save()
    user.agency.refresh_from_db()


def test_the_agencys_contact_reads_what_its_staff_referred_and_lead_and_changes_none_of_it(
    casework_people,  # noqa: F811
    okafor,
):
    episode, people = casework_people
    alice, bob = people["partner_lead"], people["partner"]
    referral = contact_received(alice)
    child = okafor.child
    bob_before = signed_in(bob)
    assert bob_before.get(f"/people/{child.pk}/").status_code == 404
    assert bob_before.get(f"/episodes/{episode.pk}/").status_code == 404
    assert referral.reference not in bob_before.get("/referrals/").content.decode()

    _make_contact(bob)
    bob_now = signed_in(bob)
    assert bob_now.get(f"/people/{child.pk}/").status_code == 200
    assert bob_now.get(f"/families/{okafor.family.pk}/").status_code == 200
    # The family's early help record opens to the agency only with their consent (ADR 21).
    assert bob_now.get(f"/episodes/{episode.pk}/").status_code == 404
    consent = consent_to_share(list(episode.family.members.all()), [bob.agency], ("early_help",))
    assert bob_now.get(f"/episodes/{episode.pk}/").status_code == 200
    assert referral.reference in bob_now.get("/referrals/").content.decode()
    # To read: changing stays with whoever works with the person or leads the family.
    assert bob_now.get(f"/people/{child.pk}/edit/").status_code == 404
    assert bob_now.get(f"/families/{okafor.family.pk}/edit/").status_code == 404
    assert not casework_access.can_work(bob, episode)
    assert bob_now.post(f"/episodes/{episode.pk}/visits/add/", {}).status_code == 404
    # Alice, who is not the contact, gains nothing from Bob being it.
    assert list(frontdoor_access.referrals_visible_to(alice)) == [referral]
    # The family withdraws their consent: at once the contact can no longer open the record.
    recording.withdraw(actor=alice, record=consent, on=timezone.localdate(), because="Mum rang", seen_version=None)
    assert bob_now.get(f"/episodes/{episode.pk}/").status_code == 404
    # The lead practitioner, agreed with the family, still works with them.
    assert signed_in(alice).get(f"/episodes/{episode.pk}/").status_code == 200


def test_the_contact_sees_nothing_of_another_agency(authority, okafor, alice):
    other = UserFactory(
        authority=authority,
        agency=AgencyFactory(authority=authority, name="Another School"),
        roles=[Role.PARTNER_PRACTITIONER],
    )
    contact_received(alice)
    _make_contact(other)
    assert not people_access.people_visible_to(other).exists()
    assert not frontdoor_access.referrals_visible_to(other).exists()
    assert not casework_access.episodes_visible_to(other).exists()


def test_access_ends_when_someone_else_becomes_the_contact(okafor, alice, bob):
    _make_contact(bob)
    assert people_access.people_visible_to(bob).filter(pk=okafor.child.pk).exists()
    agency = bob.agency
    agency.single_point_of_contact = alice
    agency.save()
    bob.agency.refresh_from_db()
    assert not bob.is_single_point_of_contact
    assert not people_access.people_visible_to(bob).filter(pk=okafor.child.pk).exists()


def test_the_contact_must_work_for_the_agency(authority, school, coach, alice):
    school.single_point_of_contact = coach
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    assert refused.value.message_dict == {"single_point_of_contact": ["Choose someone who works for this agency"]}
    school.single_point_of_contact = alice
    school.full_clean()


def test_the_admin_site_offers_only_the_agencys_own_staff(administrator, school, alice, bob, coach):
    page = signed_in(administrator).get(f"/admin/organisations/agency/{school.pk}/change/")
    field = page.context["adminform"].form.fields["single_point_of_contact"]
    offered = {value.instance.pk for value, _label in field.choices if value}
    assert offered == {alice.pk, bob.pk}
