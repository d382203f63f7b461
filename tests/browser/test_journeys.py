"""The journeys a practitioner makes every day, in a real browser, each page checked with axe-core."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.organisations.roles import Role
from earlyhelp.people.models import FamilyMembership, Person
from tests.browser.conftest import sign_in as sign_in_through_both_steps
from tests.conftest import PASSWORD
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, UserFactory, add_member, relate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def practitioner(db):
    return UserFactory(email="priya@example.test", full_name="Priya Shah", roles=[Role.FRONT_DOOR_PRACTITIONER])


@pytest.fixture
def okafors(practitioner):
    family = FamilyFactory(name="The Okafor family")
    mother = AdultFactory(first_name="Grace", last_name="Okafor", postcode="NN3 6PX")
    child = PersonFactory(first_name="Tobi", last_name="Okafor", date_of_birth=date(2016, 6, 14), postcode="NN3 6PX")
    add_member(family, mother, FamilyMembership.Role.PARENT)
    add_member(family, child)
    relate(mother, child)
    return family


def sign_in(accessible_page, email="priya@example.test", password=PASSWORD):
    sign_in_through_both_steps(accessible_page, email, password)


def test_a_wrong_password_is_explained_and_the_email_kept(accessible_page, practitioner):
    sign_in(accessible_page, password="not the password")
    page = accessible_page.page
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    expect(page.get_by_label("Email address")).to_have_value("priya@example.test")


def test_sign_in_search_and_open_a_person_and_their_family(accessible_page, practitioner, okafors):
    page = accessible_page.page
    sign_in(accessible_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")

    page.get_by_role("link", name="Find a person").first.click()
    accessible_page.check()
    page.get_by_label("Name").fill("Tobi Okafor")
    page.get_by_role("button", name="Search").click()
    accessible_page.check()
    expect(page.get_by_role("heading", name="1 person found")).to_be_visible()

    page.get_by_role("link", name="Tobi Okafor").click()
    accessible_page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tobi Okafor")
    expect(page.get_by_text("Child of")).to_be_visible()

    page.get_by_role("link", name="The Okafor family").click()
    accessible_page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Okafor family")
    expect(page.get_by_role("link", name="Grace Okafor", exact=True)).to_be_visible()


def test_create_a_person_with_a_mistake_then_fix_it(accessible_page, practitioner):
    page = accessible_page.page
    sign_in(accessible_page)
    page.get_by_role("link", name="Add a person").first.click()
    accessible_page.check()

    page.get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Nwosu")
    page.get_by_label("Day").first.fill("14")
    page.get_by_label("Month").first.fill("13")
    page.get_by_label("Year").first.fill("2016")
    page.get_by_label("NHS number").fill("943 476 5871")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date of birth must be a real date")
    expect(summary).to_contain_text("Enter a real NHS number")
    expect(page.locator("#id_nhs_number-error")).to_contain_text("Enter a real NHS number")
    # Nothing typed is lost.
    expect(page.get_by_label("First name")).to_have_value("Amara")
    expect(page.get_by_label("NHS number")).to_have_value("943 476 5871")
    # The summary's link takes the practitioner to the field.
    summary.get_by_role("link", name=re.compile("Enter a real NHS number")).click()
    expect(page.get_by_label("NHS number")).to_be_focused()

    page.get_by_label("Month").first.fill("6")
    page.get_by_label("NHS number").fill("943 476 5870")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("Amara Nwosu")
    expect(page.get_by_text("943 476 5870")).to_be_visible()
    assert Person.objects.get().date_of_birth == date(2016, 6, 14)


def test_a_likely_duplicate_is_offered_before_a_new_record(accessible_page, practitioner, okafors):
    page = accessible_page.page
    sign_in(accessible_page)
    accessible_page.goto("/people/add/")
    page.get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Toby")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Day").first.fill("14")
    page.get_by_label("Month").first.fill("6")
    page.get_by_label("Year").first.fill("2016")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("Is Toby Okafor already recorded?")
    expect(page.get_by_text("Similar name and the same date of birth")).to_be_visible()
    page.get_by_role("link", name="Use this record for Tobi Okafor").click()
    accessible_page.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tobi Okafor")
    assert Person.objects.filter(first_name="Toby").count() == 0
