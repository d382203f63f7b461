"""The front door in a real browser, every page checked with axe-core: a partner refers a
family, a family refers themselves, a partner system refers through the API, and the front door
triages them to each of the four outcomes."""

import json
import urllib.request
from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.directory.models import Need, Service
from earlyhelp.directory.needs import needs_ensure
from earlyhelp.frontdoor.models import Contact
from earlyhelp.frontdoor.partner_systems import partner_system_add
from earlyhelp.organisations.models import Team
from earlyhelp.organisations.roles import Role
from tests.browser.test_journeys import sign_in
from tests.factories import AgencyFactory, AreaFactory, AuthorityFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TODAY = date.today()


@pytest.fixture
def setting(db):
    needs_ensure(Need)  # a live-server test starts from an emptied database
    authority = AuthorityFactory()
    area = AreaFactory(authority=authority, name="Northampton East")
    team = TeamFactory(area=area, name="Families First East", kind=Team.Kind.FAMILY_SUPPORT)
    school = AgencyFactory(authority=authority, name="Kingsthorpe Primary School", kind="school")
    Service.objects.create(
        authority=authority, name="Parenting Matters", provider="Barnardo's", description="Parenting courses."
    )
    UserFactory(
        authority=authority,
        agency=school,
        email="alice@school.example.test",
        full_name="Alice Partner",
        roles=[Role.PARTNER_PRACTITIONER],
    )
    UserFactory(
        authority=authority,
        team=team,
        email="fd@example.test",
        full_name="Farah Desk",
        roles=[Role.FRONT_DOOR_PRACTITIONER],
    )
    return authority, area, team, school


def refer_in_the_browser(accessible_page):
    page = accessible_page.page
    sign_in(accessible_page, email="alice@school.example.test")
    page.get_by_role("link", name="Make a referral").click()
    accessible_page.check()
    page.get_by_role("button", name="Start now").click()
    accessible_page.check()
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    expect(page.get_by_label("Your full name")).to_have_value("Alice Partner")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    # The children: sending none is explained, then one is added.
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Add at least one child")
    page.get_by_role("link", name="Add a child").click()
    accessible_page.check()
    page.get_by_label("First name").fill("Maya")
    page.get_by_role("button", name="Save and continue").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the child's last name")
    expect(page.get_by_label("First name")).to_have_value("Maya")
    page.get_by_label("Last name").fill("Brennan")
    page.locator("#id_date_of_birth_0").fill("4")
    page.locator("#id_date_of_birth_1").fill("5")
    page.locator("#id_date_of_birth_2").fill("2016")
    page.get_by_role("button", name="Save and continue").click()
    accessible_page.check()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Maya Brennan")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    page.get_by_role("link", name="Add an adult").click()
    accessible_page.check()
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("First name").fill("Siobhan")
    page.get_by_label("Last name").fill("Brennan")
    page.get_by_label("Email address (optional)").fill("siobhan@example.test")
    page.get_by_role("button", name="Save and continue").click()
    accessible_page.check()
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    page.get_by_label("Family conflict").check()
    page.get_by_label("Tell us what is happening for the child and family").fill(
        "Arguments at home since the separation."
    )
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    page.get_by_role("button", name="Continue").click()  # the level of need is optional
    accessible_page.check()
    page.get_by_label("What has already been tried to help?").fill("Pastoral support at school.")
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    page.get_by_label("Yes, the family has given consent").check()
    page.get_by_label("Who gave consent?").fill("Siobhan Brennan, mother")
    page.locator("#id_given_on_0").fill(str(TODAY.day))
    page.locator("#id_given_on_1").fill(str(TODAY.month))
    page.locator("#id_given_on_2").fill(str(TODAY.year))
    page.get_by_label("In writing").check()
    page.get_by_label("Receiving an early help service").check()
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    expect(page.get_by_role("heading", name="Check your answers before sending the referral")).to_be_visible()
    page.get_by_role("button", name="Send the referral").click()
    accessible_page.check()
    expect(page.locator(".govuk-panel")).to_contain_text("Referral sent")
    reference = Contact.objects.get(source="professional").reference
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    page.get_by_role("link", name="See the status of your referrals").click()
    accessible_page.check()
    expect(page.locator("table")).to_contain_text("Awaiting a decision")
    page.get_by_role("button", name="Sign out Alice Partner").click()
    accessible_page.check()


def self_refer(accessible_page):
    page = accessible_page.page
    accessible_page.goto("/ask-for-help/")
    page.get_by_role("button", name="Send").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    page.get_by_label("Your name").fill("Jo Smith")
    page.get_by_label("I am their parent").check()
    page.get_by_label("Email address").fill("jo@example.test")
    page.locator("#id_child_1_name").fill("Sam Smith")
    page.locator("#id_child_1_date_of_birth_0").fill("1")
    page.locator("#id_child_1_date_of_birth_1").fill("9")
    page.locator("#id_child_1_date_of_birth_2").fill("2014")
    page.get_by_label("Help with parenting, routines and boundaries").check()
    page.get_by_label("Tell us what is happening").fill("Sam will not go to bed and we argue all the time.")
    page.get_by_label("I agree to the early help team contacting me").check()
    page.get_by_role("button", name="Send").click()
    accessible_page.check()
    expect(page.locator(".govuk-panel")).to_contain_text("We have your request")


def refer_through_the_api(live_server, key, first_name, idempotency_key):
    body = {
        "referrer": {"name": "Mr Brown", "role": "Head of year", "email": "brown@school.example.test"},
        "children": [{"role": "child", "first_name": first_name, "last_name": "Hart", "date_of_birth": "2012-09-01"}],
        "needs": ["school-exclusion"],
        "reason": "At risk of exclusion after repeated fights.",
        "consent": {
            "status": "given",
            "given_by": "Dan Hart, father",
            "given_on": TODAY.isoformat(),
            "how": "verbal",
            "covers": ["early_help_service", "discuss_at_meeting"],
        },
    }
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/referrals",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key,
        },
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
        return json.loads(response.read())["reference"]


def triage(
    accessible_page,
    reference,
    outcome,
    choose=None,
    level_indicator="Occasional truancy or non attendance, poor punctuality.",
):
    page = accessible_page.page
    accessible_page.goto("/front-door/")
    page.get_by_role("link", name=reference).click()
    accessible_page.check()
    while page.get_by_role("link", name="Match or create a record").first.is_visible():
        page.get_by_role("link", name="Match or create a record").first.click()
        accessible_page.check()
        page.get_by_label("create a new").check()
        page.get_by_role("button", name="Continue").click()
        accessible_page.check()
    page.get_by_role("link", name="Check and record the level of need").click()
    accessible_page.check()
    page.get_by_text("Learning/education", exact=True).click()
    page.get_by_label(level_indicator).check()
    page.get_by_role("button", name="Check again").click()
    accessible_page.check()
    page.get_by_role("button", name="Record the level of need").click()
    accessible_page.check()
    page.get_by_role("link", name="Record the decision").click()
    accessible_page.check()
    page.get_by_label(outcome).check()
    if choose:
        label, option = choose
        page.get_by_label(label).select_option(label=option)
    page.get_by_label("Your reasons").fill("Discussed with the family; this is the right help.")
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision saved")


def test_three_ways_in_and_triage_to_each_of_the_four_outcomes(accessible_page, setting, frameworks, live_server):
    authority, _, _, school = setting
    refer_in_the_browser(accessible_page)
    self_refer(accessible_page)
    _, key = partner_system_add(agency_id=school.pk, authority_id=authority.pk, name="School MIS")
    api_reference = refer_through_the_api(live_server, key, "Leo", "mis-1")
    api_second = refer_through_the_api(live_server, key, "Ava", "mis-2")
    professional = Contact.objects.get(source="professional").reference
    family = Contact.objects.get(source="family").reference

    sign_in(accessible_page, email="fd@example.test")
    page = accessible_page.page
    page.get_by_role("link", name="Front door").click()
    accessible_page.check()
    for reference in (professional, family, api_reference, api_second):
        expect(page.locator("table")).to_contain_text(reference)

    triage(
        accessible_page,
        professional,
        "Allocate to a family support team",
        ("If allocating: which family support team?", "Families First East"),
    )
    triage(
        accessible_page,
        family,
        "Signpost to a service in the community",
        ("If signposting: which service?", "Parenting Matters (Barnardo's), 0 to 25 years"),
    )
    triage(
        accessible_page,
        api_reference,
        "Discuss at a neighbourhood action meeting",
        ("If discussing at a meeting: which area's meeting?", "Northampton East"),
    )
    triage(accessible_page, api_second, "Redirect to children's social care")
    statuses = {contact.reference: contact.status for contact in Contact.objects.all()}
    assert statuses == {
        professional: "allocated",
        family: "signposted",
        api_reference: "awaiting_meeting",
        api_second: "redirected",
    }
    accessible_page.goto(f"/front-door/contacts/{Contact.objects.get(source='family').pk}/letter/")
    expect(page.locator(".eh-letter")).to_contain_text("Parenting Matters")
    accessible_page.goto("/front-door/awaiting-a-meeting/")
    expect(page.locator("table")).to_contain_text("Leo Hart")
    accessible_page.goto("/family-support/new-referrals/")
    expect(page.locator("table")).to_contain_text("Maya Brennan")


def test_consent_recorded_in_triage_then_allocating_on_verbal_consent(accessible_page, setting, frameworks):
    from earlyhelp.frontdoor.referrals import ConsentDetails
    from earlyhelp.organisations.models import User
    from tests.factories import contact_received

    contact = contact_received(
        User.objects.get(email="alice@school.example.test"), consent=ConsentDetails(status="not_asked")
    )
    sign_in(accessible_page, email="fd@example.test")
    page = accessible_page.page
    accessible_page.goto(f"/front-door/contacts/{contact.pk}/")
    while page.get_by_role("link", name="Match or create a record").first.is_visible():
        page.get_by_role("link", name="Match or create a record").first.click()
        accessible_page.check()
        page.get_by_label("create a new").check()
        page.get_by_role("button", name="Continue").click()
        accessible_page.check()
    page.get_by_role("link", name="Check and record the level of need").click()
    accessible_page.check()
    page.get_by_text("Learning/education", exact=True).click()
    page.get_by_label("Occasional truancy or non attendance, poor punctuality.").check()
    page.get_by_role("button", name="Check again").click()
    accessible_page.check()
    page.get_by_role("button", name="Record the level of need").click()
    accessible_page.check()

    # Allocating without consent is refused, and says where to record it.
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Allocate to a family support team").check()
    page.get_by_label("If allocating: which family support team?").select_option(label="Families First East")
    page.get_by_label("Your reasons").fill("Meets the Families First criteria.")
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record their consent first")

    # The front door records the consent the mother gave on the phone.
    page.get_by_role("link", name="Record or correct the family's consent").click()
    accessible_page.check()
    page.get_by_label("Yes, the family has given consent").check()
    page.get_by_label("Who gave consent?").fill("Siobhan Brennan, mother")
    page.locator("#id_given_on_0").fill(str(TODAY.day))
    page.locator("#id_given_on_1").fill(str(TODAY.month))
    page.locator("#id_given_on_2").fill(str(TODAY.year))
    page.get_by_label("Verbally").check()
    page.get_by_label("Receiving an early help service").check()
    page.get_by_role("button", name="Save the consent").click()
    accessible_page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("consent has been recorded")

    # Verbal consent: allocating asks why it is not in writing, then goes through.
    page.get_by_role("link", name="Record the decision").click()
    accessible_page.check()
    page.get_by_label("Allocate to a family support team").check()
    page.get_by_label("If allocating: which family support team?").select_option(label="Families First East")
    page.get_by_label("Your reasons").fill("Meets the Families First criteria.")
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why it is not in writing")
    page.get_by_label("If allocating on verbal consent: why is it not in writing?").fill(
        "Agreed on the phone; the form is in the post."
    )
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision saved")
    expect(page.locator("main")).to_contain_text("obtains it in writing at the first visit")
    contact.refresh_from_db()
    assert contact.status == "allocated"
    accessible_page.goto(f"/front-door/contacts/{contact.pk}/consent/")
    expect(page.locator("table")).to_contain_text("(as referred)")
