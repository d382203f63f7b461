"""Every page of the service, and every form in its error state, passes axe-core (WCAG 2.2 A/AA)."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from earlyhelp.organisations.roles import Role
from earlyhelp.people.models import FamilyMembership
from tests.conftest import PASSWORD
from tests.factories import (
    AdultFactory,
    AgencyFactory,
    FamilyFactory,
    PersonFactory,
    UserFactory,
    add_member,
    consent_to_share,
    relate,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def family():
    UserFactory(email="lead@example.test", full_name="Sarah Mitchell", roles=[Role.TEAM_LEADER])
    family = FamilyFactory(name="The Okafor family")
    mother = AdultFactory(first_name="Grace", last_name="Okafor")
    child = PersonFactory(first_name="Tobi", last_name="Okafor")
    mother_membership = add_member(family, mother, FamilyMembership.Role.PARENT)
    add_member(family, child)
    relationship = relate(mother, child)
    school = AgencyFactory(name="Kingsthorpe Primary School", kind="school")
    consent = consent_to_share([mother, child], [school])
    return {
        "consent": consent.pk,
        "family": family.pk,
        "child": child.pk,
        "mother": mother.pk,
        "relationship": relationship.pk,
        "membership": mother_membership.pk,
    }


def test_every_page_passes_an_accessibility_check(accessible_page, family, frameworks):
    page = accessible_page.page
    accessible_page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()  # empty: the error state
    accessible_page.check()
    page.get_by_label("Email address").fill("lead@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    accessible_page.check()
    # The first sign-in sets up two-step sign-in: the key typed instead of the QR code scanned.
    assert "/account/two-step/set-up/" in page.url
    page.get_by_role("button", name="Continue").click()  # no code: the error state
    accessible_page.check()
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#two-step-key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    assert page.locator(".eh-recovery-codes li").count() == 10
    page.get_by_role("button", name="I have kept my recovery codes: continue").click()
    accessible_page.check()

    paths = [
        "/",
        "/account/sessions/",
        "/account/two-step/recovery-codes/",
        "/account/two-step/set-up/",
        "/account/set-password/MQ/not-a-token/",
        "/people/",
        "/people/?name=",
        "/people/?name=Okafor",
        "/people/?postcode=NN1",
        "/people/add/",
        f"/people/{family['child']}/",
        f"/people/{family['child']}/edit/",
        f"/people/{family['child']}/access-log/",
        f"/people/{family['child']}/sharing/",
        f"/people/{family['child']}/restrict/",
        f"/people/{family['child']}/corrections/",
        f"/families/{family['family']}/restrict/",
        f"/people/{family['child']}/sharing/agreement/",
        f"/people/{family['child']}/sharing/consent/",
        f"/people/{family['child']}/sharing/decision/",
        f"/people/{family['child']}/sharing/consent/{family['consent']}/withdraw/",
        f"/people/{family['child']}/relationships/add/",
        f"/people/{family['child']}/relationships/add/?q=Grace",
        f"/people/{family['mother']}/relationships/{family['relationship']}/",
        "/families/add/",
        f"/families/{family['family']}/",
        f"/families/{family['family']}/edit/",
        f"/families/{family['family']}/members/add/?q=Okafor",
        f"/families/{family['family']}/members/{family['membership']}/",
        "/people/999999/",
        "/level-of-need/",
        "/level-of-need/?framework=newham&indicators=ff-family-conflict&consent=refused&check=1",
        "/level-of-need/?indicators=l2-learning-01&indicators=cse-01&indicators=safeguarding-01&check=1",
        "/level-of-need/?indicators=not-an-indicator&check=1",
        "/guidance/level-of-need/?immediate_danger=on&check=1",
        "/guidance/level-of-need/matrix/",
        "/guidance/level-of-need/matrix/?level=4&domain=wellbeing",
        "/guidance/level-of-need/matrix/?words=zebra",
        f"/people/{family['child']}/level-of-need/",
        f"/people/{family['child']}/merge/",
        f"/people/{family['child']}/merge/?duplicate=P{family['mother']:07d}",
        f"/people/{family['child']}/merge/?duplicate=nonsense",
        "/ask-for-help/",
        "/services/?level=2&age=8",
        "/people/?name=Nobody+Here",
        "/record-of-access/refused/",
        "/people/to-check/",
        "/people/?name=%00",
    ]
    for path in paths:
        accessible_page.goto(path)

    # Each form, sent empty, in its error state.
    for path, button in [
        ("/people/add/", "Continue"),
        ("/families/add/", "Save and add members"),
        (f"/people/{family['child']}/relationships/add/", "Save relationship"),
        (f"/people/{family['child']}/restrict/", "Restrict"),
        (f"/people/{family['child']}/corrections/", "Record the request"),
        (f"/people/{family['child']}/sharing/agreement/", "Save"),
        (f"/people/{family['child']}/sharing/consent/", "Save"),
        (f"/people/{family['child']}/sharing/decision/", "Record the decision"),
        (f"/people/{family['child']}/sharing/consent/{family['consent']}/withdraw/", "Withdraw it"),
    ]:
        accessible_page.goto(path)
        page.get_by_role("button", name=button).click()
        accessible_page.check()
        assert page.locator(".govuk-error-summary").is_visible()

    # A phone-sized screen.
    page.set_viewport_size({"width": 375, "height": 740})
    accessible_page.goto(f"/people/{family['child']}/")
