"""Consent binds what a partner sees, in a real browser (issue 13, ADR 21): without the family's
consent a partner who works with the child is refused its health details and levels of need; a
coach records the family's consent through the pages; the partner then sees what it names, and
only that."""

from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.organisations.roles import Role
from earlyhelp.people import services
from earlyhelp.people.models import FamilyMembership, Involvement
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import (
    AdultFactory,
    AgencyFactory,
    FamilyFactory,
    PersonFactory,
    UserFactory,
    add_member,
    level_of_need_decided,
    system_user,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NOT_SHARED = "Not shared with your agency: the family’s consent to share does not cover it"


@pytest.fixture
def people(frameworks):
    school = AgencyFactory(name="Kingsthorpe Primary School", kind="school")
    alice = UserFactory(
        email="alice@school.example.test", full_name="Alice Partner", agency=school, roles=[Role.PARTNER_PRACTITIONER]
    )
    UserFactory(email="coach@example.test", full_name="Chris Coach", roles=[Role.FAMILY_COACH])
    family = FamilyFactory(name="The Okafor family")
    mother = AdultFactory(first_name="Grace", last_name="Okafor")
    child = PersonFactory(first_name="Tobi", last_name="Okafor", date_of_birth=date(2016, 6, 14), nhs_number="")
    add_member(family, mother, FamilyMembership.Role.PARENT)
    add_member(family, child)
    services.person_update(
        actor=system_user(),
        person=child,
        details={"nhs_number": "9434765919", "disability": "yes", "disability_details": "Hearing loss, left ear"},
        seen_version=None,
    )
    services.involvement_start(actor=alice, person=child, practitioner=alice, kind=Involvement.Kind.WORKS_WITH)
    decision = level_of_need_decided(child)
    return {"child": child.pk, "decision": decision.pk}


def _sign_out(accessible_page, name):
    accessible_page.page.get_by_role("button", name=f"Sign out {name}").click()
    accessible_page.check()


def test_a_partner_without_consent_is_refused_part_of_the_record_until_the_family_consents(accessible_page, people):
    page = accessible_page.page
    child = f"/people/{people['child']}/"

    sign_in(accessible_page, "alice@school.example.test", PASSWORD)
    accessible_page.goto(child)
    expect(page.get_by_role("heading", name="Tobi Okafor")).to_be_visible()
    expect(page.get_by_text(NOT_SHARED)).to_have_count(2)
    expect(page.get_by_text("943 476 5919")).to_have_count(0)
    expect(page.get_by_text("Hearing loss")).to_have_count(0)
    accessible_page.goto(f"{child}level-of-need/{people['decision']}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    _sign_out(accessible_page, "Alice Partner")

    # The coach records the family's consent: health details, with the school only.
    sign_in(accessible_page, "coach@example.test", PASSWORD)
    accessible_page.goto(child)
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    page.get_by_role("link", name="The family’s agreement to help, their consent to share").click()
    accessible_page.check()
    page.get_by_role("link", name="Record consent to share, or its refusal").click()
    accessible_page.check()
    page.get_by_label("Yes, with the limits below").check()
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what the information may be shared for")
    page.get_by_label("Name of the person who said so").fill("Grace Okafor")
    page.get_by_label("A parent or carer with parental responsibility").check()
    page.get_by_label("Given for a child not yet able to decide for themselves").check()
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("In writing").check()
    page.get_by_label("What may it be shared for?").fill("Support for Tobi's hearing at school")
    page.get_by_label("Kingsthorpe Primary School").check()
    page.get_by_label("Health and disability details (NHS number, disability)").check()
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    expect(page.get_by_text("The consent to share has been recorded. It applies from now.")).to_be_visible()
    _sign_out(accessible_page, "Chris Coach")

    # The partner now sees the health details the consent names, and still not the levels of need.
    sign_in(accessible_page, "alice@school.example.test", PASSWORD)
    accessible_page.goto(child)
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    expect(page.get_by_text("Hearing loss, left ear", exact=False)).to_be_visible()
    expect(page.get_by_text(NOT_SHARED)).to_have_count(1)
