"""Each role lands on a home page that fits it, and signing in and out works as people expect."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD, signed_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_signing_in_ignores_the_case_of_the_email_address(front_door):
    client = Client()
    response = client.post("/sign-in/", {"username": front_door.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_is_explained_without_saying_which_part_was_wrong(front_door):
    page = Client().post("/sign-in/", {"username": front_door.email, "password": "wrong"}).content.decode()
    assert "Enter a correct email address and password" in page
    assert f'value="{front_door.email}"' in page


def test_signing_out_ends_the_session(front_door):
    client = signed_in(front_door)
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_practitioner_sees_the_records_they_opened_recently(front_door, okafor):
    client = signed_in(front_door)
    client.get(f"/people/{okafor.child.pk}/")
    page = client.get("/").content.decode()
    assert "Records you opened recently" in page
    assert "Tobi Okafor" in page


def test_a_partner_sees_the_people_they_work_with(alice, okafor):
    page = signed_in(alice).get("/").content.decode()
    assert "People you work with" in page
    assert "Tobi Okafor" in page
    assert "Grace Okafor" not in page


def test_a_team_leader_sees_their_teams_caseload_capacity(team_leader, coach):
    coach.fte = "0.60"
    coach.save(update_fields=["fte"])
    page = signed_in(team_leader).get("/").content.decode()
    assert "Your team: Family Support Team North" in page
    assert coach.full_name in page
    assert ">9<" in page  # 0.6 of 15 families


def test_an_analyst_sees_figures_and_never_a_name(analyst, okafor):
    page = signed_in(analyst).get("/").content.decode()
    assert "Records held" in page
    assert "Okafor" not in page
    assert "Find a person" not in page


def test_an_administrator_is_offered_the_administration_pages(administrator):
    page = signed_in(administrator).get("/").content.decode()
    assert "Users and their roles" in page
    assert "Find a person" not in page


def test_public_pages_carry_the_authoritys_name_and_say_what_a_family_needs_to_know(authority):
    page = Client().get("/ask-for-help/").content.decode()
    assert authority.name in page
    assert ">earlyhelp<" not in page
    assert "Every time you open one" not in page
    assert "What you tell us is kept safe" in page


def test_the_records_held_are_counted_once_every_few_minutes_for_the_whole_authority(analyst, okafor):
    from django.core.cache import cache

    from earlyhelp.site import home

    first = home.figures(analyst)
    PersonFactory(last_name="Later")
    assert home.figures(analyst) == first
    assert "Counted at" in signed_in(analyst).get("/").content.decode()
    cache.delete(f"home-figures:{analyst.authority_id}")
    recounted = home.figures(analyst)
    assert sum(total for _, total in recounted.people_by_kind) == sum(total for _, total in first.people_by_kind) + 1


def test_numbers_are_written_with_commas_from_a_thousand():
    from earlyhelp.core.templatetags.govuk_dates import govuk_number

    assert [govuk_number(n) for n in (0, 999, 1000, 250_817, 1_000_820)] == [
        "0",
        "999",
        "1,000",
        "250,817",
        "1,000,820",
    ]
    assert govuk_number(None) == ""
