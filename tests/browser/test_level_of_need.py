"""Checking and recording a level of need, in a real browser, each page checked with axe-core."""

from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.organisations.roles import Role
from earlyhelp.thresholds.models import LevelOfNeedDecision
from tests.browser.test_journeys import sign_in
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def practitioner(db):
    return UserFactory(email="priya@example.test", full_name="Priya Shah", roles=[Role.FAMILY_COACH])


def test_a_practitioner_checks_then_records_a_childs_level_of_need(accessible_page, practitioner, frameworks):
    child = PersonFactory(first_name="Amara", last_name="Bello", date_of_birth=date(2015, 3, 2))
    page = accessible_page.page
    sign_in(accessible_page)
    accessible_page.goto(f"/people/{child.pk}/")
    expect(page.get_by_text("No level of need recorded yet.")).to_be_visible()
    page.get_by_role("link", name="Check and record the level of need").click()
    accessible_page.check()

    page.get_by_text("Learning/education", exact=True).click()
    page.get_by_label("Occasional truancy or non attendance, poor punctuality.").check()
    page.get_by_text("Housing, employment and finance", exact=True).click()
    page.get_by_label("Debt issues evident.").check()
    page.get_by_label("No, the family has refused").check()
    page.get_by_role("button", name="Check the level of need").click()
    accessible_page.check()

    recommendation = page.locator("#recommendation")
    expect(recommendation).to_contain_text("Level 2: Early Help")
    expect(recommendation).to_contain_text("A CAF (Common Assessment for Families) assessment must be completed")
    expect(recommendation).to_contain_text("Consider whether this is a safeguarding issue")
    expect(recommendation).to_contain_text("Debt issues evident.")
    expect(page.get_by_label("Level 2: Early Help")).to_be_checked()

    # A different level needs a reason; nothing is lost while it is asked for.
    page.get_by_label("Level 3: Targeted").check()
    page.get_by_role("button", name="Record the level of need").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for deciding on level 3")
    expect(page.get_by_label("Debt issues evident.")).to_be_checked()
    expect(page.get_by_label("Level 3: Targeted")).to_be_checked()
    page.get_by_label("Why does your decision differ from the recommendation?").fill(
        "The school has seen the truancy get worse each week this term."
    )
    page.get_by_role("button", name="Record the level of need").click()
    accessible_page.check()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Level of need recorded for Amara Bello")
    page.get_by_role("link", name="Level 3: Targeted").click()
    accessible_page.check()
    expect(page.get_by_text("The school has seen the truancy get worse each week this term.")).to_be_visible()
    expect(
        page.get_by_text("Northamptonshire Thresholds and Pathways: the Vulnerability Matrix, version 2013")
    ).to_be_visible()
    decision = LevelOfNeedDecision.objects.get()
    assert (decision.recommended_level, decision.level) == (2, 3)


def test_a_partner_uses_the_public_guidance_on_a_phone(accessible_page, frameworks):
    page = accessible_page.page
    page.set_viewport_size({"width": 375, "height": 740})
    accessible_page.goto("/guidance/level-of-need/")
    page.locator("summary", has_text="Immediate safeguarding").click()
    page.get_by_label("Children or young people who allege abuse.").check()
    page.get_by_role("button", name="Check the level of need").click()
    accessible_page.check()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Refer to children's social care now")
    expect(page.locator("#recommendation")).to_contain_text("Level 4: Specialist")

    page.get_by_role("link", name="Read the whole matrix").click()
    accessible_page.check()
    page.get_by_label("Search the wording").fill("gang")
    page.get_by_role("button", name="Show indicators").click()
    accessible_page.check()
    expect(page.get_by_text("Known to be part of gang or 'post code collective'.")).to_be_visible()
