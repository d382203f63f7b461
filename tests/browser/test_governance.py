"""Information governance's pages in a real browser, each checked with axe-core: the families due
for disposal, a review with its mistakes shown, disposing, and what is left."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.governance.retention import years_before
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
