"""Information governance's pages in a real browser, each checked with axe-core: the families due
for disposal, a review with its mistakes shown, disposing, and what is left."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.governance.deadlines import years_before
from earlyhelp.organisations.roles import Role
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import FamilyFactory, PersonFactory, UserFactory, add_member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_information_governance_reviews_and_disposes_of_a_family(accessible_page):
    UserFactory(email="ig@example.test", full_name="Imogen Grant", roles=[Role.INFORMATION_GOVERNANCE])
    family = FamilyFactory(name="The Hartley family")
    add_member(
        family,
        PersonFactory(first_name="Ruth", last_name="Hartley", date_of_birth=years_before(timezone.localdate(), 27)),
    )
    page = accessible_page.page
    sign_in(accessible_page, "ig@example.test", PASSWORD)
    page.get_by_role("link", name="Families due for disposal").click()
    accessible_page.check()
    page.get_by_role("link", name="The Hartley family").click()
    accessible_page.check()
    page.get_by_role("button", name="Dispose of these records").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what was reviewed before disposing of these records"
    )
    page.get_by_label("What did you review?").fill("No open work; no complaint or court case")
    page.get_by_role("button", name="Dispose of these records").click()
    accessible_page.check()
    expect(page.get_by_text(f"{family.reference} has been disposed of")).to_be_visible()
    expect(page.get_by_role("cell", name=family.reference)).to_be_visible()


def test_information_governance_answers_a_subject_access_request(accessible_page):
    from tests.factories import AdultFactory, relate

    UserFactory(email="ig@example.test", full_name="Imogen Grant", roles=[Role.INFORMATION_GOVERNANCE])
    family = FamilyFactory(name="The Okafor family")
    child = PersonFactory(first_name="Tobi", last_name="Okafor")
    mother = AdultFactory(first_name="Grace", last_name="Okafor")
    add_member(family, child)
    add_member(family, mother, "parent")
    relate(mother, child)
    page = accessible_page.page
    sign_in(accessible_page, "ig@example.test", PASSWORD)
    accessible_page.goto(f"/people/{child.pk}/")
    page.get_by_role("link", name="Record a subject access request").click()
    accessible_page.check()
    page.get_by_role("button", name="Record and gather").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the person who asked")
    page.get_by_label("Who asked?").fill("Grace Okafor")
    page.get_by_label("A parent or carer with parental responsibility").check()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record and gather").click()
    accessible_page.check()
    expect(page.get_by_text("1 still to review")).to_be_visible()
    page.get_by_role("link", name="Review Family and relationships").click()
    accessible_page.check()
    page.get_by_label("Keep it back").check()
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    page.get_by_label("Why").fill("It names the family's other members")
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    page.get_by_role("link", name="The pack as it will be sent (printable)").click()
    accessible_page.check()
    expect(page.get_by_role("heading", name="Information we hold about Tobi Okafor")).to_be_visible()
