"""The front door's pages, used as a practitioner or a family would: the professional journey
from start to confirmation, the self-referral form and its protections, and triage to each
of the four outcomes."""

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from earlyhelp.directory.models import Service
from earlyhelp.frontdoor.drafts import referral_draft_of
from earlyhelp.frontdoor.models import Contact, TriageDecision
from earlyhelp.organisations.models import Team
from tests.conftest import signed_in
from tests.factories import AreaFactory, TeamFactory, contact_received

pytestmark = pytest.mark.django_db

TODAY = date.today()


def answer(client: Client, url: str, data: dict[str, Any], follow_to: str | None = None):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    if follow_to:
        assert response["Location"] == follow_to
    return response


def fill_in_a_referral(client: Client) -> None:
    """Every question of the professional's journey, answered, up to "Check your answers"."""
    answer(client, "/refer/danger/", {"immediate_danger": "no"}, "/refer/referrer/")
    answer(
        client,
        "/refer/referrer/",
        {"referrer_name": "Alice Partner", "referrer_email": "alice@school.example.test"},
        "/refer/children/",
    )
    answer(
        client,
        "/refer/children/add/",
        {
            "first_name": "Maya",
            "last_name": "Brennan",
            "date_of_birth_0": "4",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2016",
            "gender": "female",
        },
        "/refer/children/",
    )
    assert "Maya Brennan" in client.get("/refer/children/").content.decode()
    answer(client, "/refer/children/", {}, "/refer/adults/")
    answer(
        client,
        "/refer/adults/add/",
        {"role": "parent", "first_name": "Siobhan", "last_name": "Brennan", "email": "siobhan@example.test"},
    )
    answer(client, "/refer/adults/", {}, "/refer/reasons/")
    answer(
        client,
        "/refer/reasons/",
        {"needs": ["family-conflict"], "reason": "Arguments at home since the separation."},
        "/refer/level-of-need/",
    )
    answer(client, "/refer/level-of-need/", {"indicators": ["l2-learning-01"], "action": "continue"}, "/refer/tried/")
    answer(client, "/refer/tried/", {"what_has_been_tried": "Pastoral support at school."}, "/refer/agencies/")
    answer(client, "/refer/agencies/", {"other_agencies": ""}, "/refer/consent/")
    answer(
        client,
        "/refer/consent/",
        {
            "consent": "given",
            "given_by": "Siobhan Brennan, mother",
            "given_on_0": str(TODAY.day),
            "given_on_1": str(TODAY.month),
            "given_on_2": str(TODAY.year),
            "how": "written",
            "covers": ["early_help_service"],
        },
        "/refer/check/",
    )


def test_a_partner_refers_a_family_page_by_page(alice, frameworks):
    client = signed_in(alice)
    assert client.get("/refer/").status_code == 200
    fill_in_a_referral(client)
    page = client.get("/refer/check/").content.decode()
    assert "Check your answers" in page
    assert "Still to do" not in page
    response = client.post("/refer/check/")
    contact = Contact.objects.get()
    assert response["Location"] == f"/refer/sent/{contact.pk}/"
    assert contact.reference in client.get(response["Location"]).content.decode()
    assert contact.indicators == ["l2-learning-01"]
    assert contact.referrer_recommended_level == 2
    assert referral_draft_of(alice) is None
    assert contact.reference in client.get("/referrals/").content.decode()
    # "Send" again (a double click, the back button, a retry): the same referral, not another.
    again = client.post("/refer/check/")
    assert again["Location"] == f"/refer/sent/{contact.pk}/"
    assert Contact.objects.count() == 1


def test_each_question_says_what_is_wrong_beside_the_answer(alice, frameworks):
    client = signed_in(alice)
    response = client.post(
        "/refer/consent/", {"consent": "given", "given_on_0": "31", "given_on_1": "2", "given_on_2": "2026"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter who gave consent" in page
    assert "must be a real date" in page
    child = client.post("/refer/children/add/", {"first_name": "Maya", "nhs_number": "1234567890"}).content.decode()
    assert "Enter the child&#x27;s last name" in child
    assert "Enter a real NHS number" in child


def test_a_draft_survives_the_session_ending(alice, frameworks):
    client = signed_in(alice)
    answer(client, "/refer/danger/", {"immediate_danger": "no"})
    answer(client, "/refer/reasons/", {"needs": ["family-conflict"], "reason": "Worried about Maya"})
    again = signed_in(alice)  # a new session, as after the old one expired
    assert "Continue your referral" in again.get("/refer/").content.decode()
    assert "Worried about Maya" in again.get("/refer/reasons/").content.decode()


def test_sending_with_answers_missing_saves_nothing_and_links_to_each_question(alice, frameworks):
    client = signed_in(alice)
    answer(client, "/refer/danger/", {"immediate_danger": "no"})
    page = client.post("/refer/check/").content.decode()
    assert "There is a problem" in page
    assert 'href="/refer/children/"' in page
    assert 'href="/refer/reasons/"' in page
    assert not Contact.objects.exists()


def test_an_immediate_danger_answer_stops_the_referral_and_is_saved_flagged(alice, frameworks):
    client = signed_in(alice)
    response = answer(client, "/refer/danger/", {"immediate_danger": "yes"})
    contact = Contact.objects.get()
    assert contact.immediate_danger
    page = client.get(response["Location"]).content.decode()
    assert "Call 999 now" in page
    assert contact.reference in page


SELF_REFERRAL = {
    "your_name": "Jo Smith",
    "relationship": "parent",
    "email": "jo@example.test",
    "postcode": "NN3 2AB",
    "child_1_name": "Sam Smith",
    "child_1_date_of_birth_0": "1",
    "child_1_date_of_birth_1": "9",
    "child_1_date_of_birth_2": "2014",
    "needs": ["parenting"],
    "reason": "Sam will not go to bed and we argue all the time.",
    "agree": "on",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_a_family_asks_for_help_without_signing_in(authority, frameworks):
    client = Client()
    assert client.get("/ask-for-help/").status_code == 200
    response = client.post("/ask-for-help/", SELF_REFERRAL)
    assert response["Location"] == "/ask-for-help/sent/"
    contact = Contact.objects.get()
    assert contact.source == "family"
    assert contact.consent == "given"
    assert contact.consent_how == "online"
    assert [entry.full_name for entry in contact.people.all()] == ["Sam Smith", "Jo Smith"]
    assert contact.reference in client.get("/ask-for-help/sent/").content.decode()


def test_a_self_referral_with_problems_saves_nothing_and_keeps_what_was_typed(authority, frameworks):
    response = Client().post("/ask-for-help/", SELF_REFERRAL | {"email": "", "child_1_date_of_birth_2": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a phone number or an email address" in page
    assert "must include a year" in page
    assert "Sam will not go to bed" in page
    assert not Contact.objects.exists()


def test_the_honeypot_saves_nothing_but_looks_like_success(authority, frameworks):
    response = Client().post("/ask-for-help/", SELF_REFERRAL | {"website": "http://spam.example"})
    assert response["Location"] == "/ask-for-help/sent/"
    assert not Contact.objects.exists()


def test_too_many_self_referrals_from_one_address_are_refused(authority, frameworks, settings):
    authority.self_referral_limit_per_hour = 2  # the authority's own limit (ADR 13)
    authority.save()
    client = Client()
    for _ in range(2):
        assert client.post("/ask-for-help/", SELF_REFERRAL).status_code == 302
    refused = client.post("/ask-for-help/", SELF_REFERRAL)
    assert refused.status_code == 429
    assert Contact.objects.count() == 2
    page = refused.content.decode()
    assert "We cannot take another request from this connection just now" in page
    assert "Sam will not go to bed" in page  # what the family typed is kept


def test_only_accepted_self_referrals_count_towards_the_limit(authority, frameworks, settings):
    authority.self_referral_limit_per_hour = 1  # the authority's own limit (ADR 13)
    authority.save()
    client = Client()
    for _ in range(3):
        assert client.post("/ask-for-help/", SELF_REFERRAL | {"email": "", "phone": ""}).status_code == 200
    assert client.post("/ask-for-help/", SELF_REFERRAL).status_code == 302
    assert Contact.objects.count() == 1


def test_behind_trusted_proxies_each_family_has_its_own_limit_and_address(authority, frameworks, settings):
    from earlyhelp.audit.models import AuditEvent

    authority.self_referral_limit_per_hour = 1  # the authority's own limit (ADR 13)
    authority.save()
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    first = Client().post("/ask-for-help/", SELF_REFERRAL, HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR=proxy)
    assert first.status_code == 302
    # A different family behind the same proxy, sending a forged leftmost address too.
    second = Client().post(
        "/ask-for-help/", SELF_REFERRAL, HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.2", REMOTE_ADDR=proxy
    )
    assert second.status_code == 302
    again = Client().post(
        "/ask-for-help/", SELF_REFERRAL, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2", REMOTE_ADDR=proxy
    )
    assert again.status_code == 429
    created = AuditEvent.objects.filter(target_type="frontdoor.contact", verb="created").order_by("id")
    assert [event.ip_address for event in created] == ["198.51.100.1", "198.51.100.2"]


def test_without_trusted_proxies_a_forwarded_address_is_ignored(authority, frameworks, settings):
    from earlyhelp.audit.models import AuditEvent

    Client().post("/ask-for-help/", SELF_REFERRAL, HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="192.0.2.5")
    event = AuditEvent.objects.filter(target_type="frontdoor.contact", verb="created").get()
    assert event.ip_address == "192.0.2.5"


def test_an_oversized_self_referral_is_refused(authority, frameworks):
    response = Client().post("/ask-for-help/", SELF_REFERRAL | {"reason": "x" * 70000})
    assert response.status_code == 413
    assert not Contact.objects.exists()


# Triage -----------------------------------------------------------------------------------------


@pytest.fixture
def directory(authority):
    area = AreaFactory(authority=authority, name="Northampton East")
    team = TeamFactory(area=area, name="Families First East", kind=Team.Kind.FAMILY_SUPPORT)
    service = Service.objects.create(
        authority=authority, name="Parenting Matters", provider="Barnardo's", description="Parenting courses."
    )
    return area, team, service


def triage_to_ready(client: Client, contact: Contact, level: int = 2, indicators=("l2-learning-01",), reason=""):
    page = client.get(f"/front-door/contacts/{contact.pk}/").content.decode()
    assert contact.reference in page
    for entry in contact.people.all():
        matching_page = f"/front-door/contacts/{contact.pk}/people/{entry.pk}/"
        response = client.post(matching_page, {"person": "new", "version": "1"})
        assert response.status_code == 302
    level_page = client.get(f"/front-door/contacts/{contact.pk}/level-of-need/").content.decode()
    assert "Record the level of need" in level_page
    response = client.post(
        f"/front-door/contacts/{contact.pk}/level-of-need/",
        {
            "indicators": list(indicators),
            "consent": "given",
            "level": str(level),
            "override_reason": reason,
            "action": "save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("outcome", "extra", "status"),
    [
        ("signpost", "service", "signposted"),
        ("schedule", "meeting_area", "awaiting_meeting"),
        ("allocate", "team", "allocated"),
        ("redirect", None, "redirected"),
    ],
)
def test_the_front_door_triages_a_contact_to_each_outcome(
    front_door, alice, frameworks, directory, outcome, extra, status, django_capture_on_commit_callbacks
):
    area, team, service = directory
    contact = contact_received(alice)
    client = signed_in(front_door)
    assert contact.reference in client.get("/front-door/").content.decode()
    triage_to_ready(client, contact)
    data = {"outcome": outcome, "reasons": "Because", "tell_family": "on", "discussion": "anonymous"}
    if extra:
        data[extra] = str({"service": service, "meeting_area": area, "team": team}[extra].pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/front-door/contacts/{contact.pk}/decide/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert contact.status == status
    assert len(mail.outbox) == 2
    letter = client.get(f"/front-door/contacts/{contact.pk}/letter/").content.decode()
    assert "Dear Siobhan Brennan" in letter
    assert contact.reference not in client.get("/front-door/").content.decode()
    if outcome == "signpost":  # the letter as a PDF too (issue 14), once: it takes a moment to draw
        pdf = client.get(f"/front-door/contacts/{contact.pk}/letter/", {"as": "pdf"})
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf["Content-Disposition"] == f'attachment; filename="letter-family-{contact.reference}.pdf"'
        assert pdf.content.startswith(b"%PDF-")


def test_the_decision_page_says_why_an_allocation_without_consent_is_refused(front_door, alice, frameworks, directory):
    _, team, _ = directory
    from earlyhelp.frontdoor.referrals import ConsentDetails

    contact = contact_received(alice, consent=ConsentDetails(status="not_asked"))
    client = signed_in(front_door)
    triage_to_ready(client, contact)
    response = client.post(
        f"/front-door/contacts/{contact.pk}/decide/", {"outcome": "allocate", "team": team.pk, "reasons": "x"}
    )
    assert response.status_code == 200
    assert "has not consented" in response.content.decode()
    assert not TriageDecision.objects.exists()


def test_a_team_leader_confirms_a_signpost_against_the_thresholds_tool(
    front_door, team_leader, alice, frameworks, directory
):
    _, _, service = directory
    contact = contact_received(alice)
    client = signed_in(front_door)
    triage_to_ready(client, contact, level=2, indicators=("safeguarding-01",), reason="Historic, resolved")
    refused = client.post(
        f"/front-door/contacts/{contact.pk}/decide/", {"outcome": "signpost", "service": service.pk, "reasons": "x"}
    )
    assert "a team leader must confirm it" in refused.content.decode()
    client.post(
        f"/front-door/contacts/{contact.pk}/decide/",
        {"outcome": "signpost", "service": service.pk, "reasons": "x", "override_reason": "Resolved last year"},
    )
    decision = TriageDecision.objects.get()
    leader = signed_in(team_leader)
    assert contact.reference in leader.get("/front-door/decisions-to-confirm/").content.decode()
    response = leader.post(f"/front-door/decisions-to-confirm/{decision.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == "signposted"


def test_a_coach_sees_the_families_allocated_to_their_team(front_door, alice, frameworks, directory, authority):
    _, team, _ = directory
    from earlyhelp.organisations.roles import Role
    from tests.factories import UserFactory

    coach = UserFactory(authority=authority, team=team, roles=[Role.FAMILY_COACH])
    contact = contact_received(alice)
    client = signed_in(front_door)
    triage_to_ready(client, contact)
    client.post(f"/front-door/contacts/{contact.pk}/decide/", {"outcome": "allocate", "team": team.pk, "reasons": "x"})
    page = signed_in(coach).get("/family-support/new-referrals/").content.decode()
    assert "Maya Brennan" in page


def test_the_services_directory_is_public_and_filters(authority, directory):
    response = Client().get("/services/", {"words": "parenting"})
    assert response.status_code == 200
    assert "Parenting Matters" in response.content.decode()
    assert "Parenting Matters" not in Client().get("/services/", {"words": "housing"}).content.decode()


def test_the_adults_list_says_who_each_adult_is_in_words(alice, frameworks):
    client = signed_in(alice)
    answer(client, "/refer/adults/add/", {"role": "other_adult", "first_name": "Pat", "last_name": "Lee"})
    page = client.get("/refer/adults/").content.decode()
    assert "Other adult in the household" in page
    assert "Other_adult" not in page


def test_only_team_leaders_are_offered_the_decisions_waiting_for_them(front_door, team_leader):
    assert "Decisions waiting for a team leader" not in signed_in(front_door).get("/front-door/").content.decode()
    assert "Decisions waiting for a team leader" in signed_in(team_leader).get("/front-door/").content.decode()


def test_the_front_door_records_consent_on_a_contact_and_shows_its_history(front_door, alice, frameworks):
    from earlyhelp.frontdoor.referrals import ConsentDetails

    contact = contact_received(alice, consent=ConsentDetails(status="not_asked"))
    client = signed_in(front_door)
    page = client.get(f"/front-door/contacts/{contact.pk}/").content.decode()
    assert f"/front-door/contacts/{contact.pk}/consent/" in page
    response = client.post(
        f"/front-door/contacts/{contact.pk}/consent/",
        {
            "consent": "given",
            "given_by": "Siobhan Brennan",
            "how": "written",
            "covers": ["early_help_service"],
            "version": "1",
        },
    )
    page = response.content.decode()
    assert "Enter the date consent was given" in page
    assert 'value="Siobhan Brennan"' in page
    today = timezone.localdate()
    response = client.post(
        f"/front-door/contacts/{contact.pk}/consent/",
        {
            "consent": "given",
            "given_by": "Siobhan Brennan",
            "given_on_0": today.day,
            "given_on_1": today.month,
            "given_on_2": today.year,
            "how": "written",
            "covers": ["early_help_service"],
            "version": "1",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.consents_to_early_help
    history = client.get(f"/front-door/contacts/{contact.pk}/consent/").content.decode()
    assert "Front door practitioner" in history
    assert "(as referred)" in history


def test_a_contact_in_immediate_danger_is_never_shown_as_on_time(front_door, alice, frameworks):
    contact = contact_received(alice, immediate_danger=True)
    client = signed_in(front_door)
    for page in (client.get("/front-door/"), client.get(f"/front-door/contacts/{contact.pk}/")):
        text = page.content.decode()
        assert "Immediate danger: act now" in text
    queue = client.get("/front-door/").content.decode()
    assert "1 immediate danger" in queue
    assert "0 on time" in queue


def test_signposting_lists_services_for_the_childrens_ages_first_and_warns_of_the_wrong_age(
    front_door, alice, frameworks, directory, authority
):
    from earlyhelp.directory.models import Service

    toddlers = Service.objects.create(
        authority=authority, name="Aardvark Toddler Group", provider="Children's centre", youngest_age=0, oldest_age=5
    )
    contact = contact_received(alice)  # Maya, born 2016
    client = signed_in(front_door)
    triage_to_ready(client, contact)
    page = client.get(f"/front-door/contacts/{contact.pk}/decide/").content.decode()
    assert page.index('optgroup label="Fit the family"') < page.index('optgroup label="Other services"')
    assert page.index("Parenting Matters (Barnardo") < page.index("Aardvark Toddler Group (")
    data = {"outcome": "signpost", "service": str(toddlers.pk), "reasons": "Because"}
    response = client.post(f"/front-door/contacts/{contact.pk}/decide/", data)
    assert response.status_code == 200
    assert "is for 0 to 5 years, and the children are aged" in response.content.decode()
    response = client.post(f"/front-door/contacts/{contact.pk}/decide/", data | {"ages_confirmed": "on"})
    assert response.status_code == 302


def test_long_answers_have_a_character_count_and_are_never_cut(authority, frameworks):
    page = Client().get("/ask-for-help/").content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="3000"' in page
    assert " maxlength=" not in page
    response = Client().post("/ask-for-help/", SELF_REFERRAL | {"reason": "y" * 3500})
    text = response.content.decode()
    assert "Tell us in 3,000 characters or fewer" in text
    assert "y" * 3500 in text


# What a practitioner and a referrer see ------------------------------------------------------


def test_a_persons_record_shows_their_contacts_with_the_front_door_newest_first(front_door, alice, frameworks):
    from earlyhelp.frontdoor.matching import contact_person_match
    from tests.factories import PersonFactory

    person = PersonFactory(first_name="Maya", last_name="Brennan")
    first, second = contact_received(alice), contact_received(alice)
    for contact in (first, second):
        contact_person_match(seen_version=None, actor=front_door, entry=contact.people.get(role="child"), person=person)
    page = signed_in(front_door).get(f"/people/{person.pk}/").content.decode()
    assert "Contacts with the front door" in page
    assert page.index(second.reference) < page.index(first.reference)
    partner_page = signed_in(alice).get(f"/people/{person.pk}/").content.decode()
    assert first.reference in partner_page
    assert f"/front-door/contacts/{first.pk}/" not in partner_page


def test_the_referrer_sees_the_outcome_in_words(front_door, alice, frameworks, directory):
    _, team, _ = directory
    contact = contact_received(alice)
    client = signed_in(front_door)
    triage_to_ready(client, contact)
    client.post(
        f"/front-door/contacts/{contact.pk}/decide/", {"outcome": "allocate", "team": team.pk, "reasons": "Fits"}
    )
    page = signed_in(alice).get("/referrals/").content.decode()
    assert "Sent to the Families First East on" in page
    assert "a family coach will contact the family within 5 working days" in page


def test_the_front_doors_list_of_a_persons_contacts_is_the_same_as_built_once(front_door, alice, frameworks, directory):
    """The person page reads the front door's list through queries built once (ADR 26): the
    same contacts, newest first, and the same outcomes as the ordinary query gives."""
    from earlyhelp.frontdoor.access import contacts_for_triage
    from earlyhelp.frontdoor.matching import contact_person_match
    from earlyhelp.frontdoor.selectors import contacts_about, contacts_about_for_triage

    _, team, _ = directory
    decided = contact_received(alice)
    client = signed_in(front_door)
    triage_to_ready(client, decided)
    client.post(
        f"/front-door/contacts/{decided.pk}/decide/", {"outcome": "allocate", "team": team.pk, "reasons": "Fits"}
    )
    person = decided.people.get(role="child").person
    waiting = contact_received(alice)
    contact_person_match(seen_version=None, actor=front_door, entry=waiting.people.get(role="child"), person=person)
    ordinary = contacts_about(person_id=person.pk, contacts=contacts_for_triage(front_door))
    built_once = contacts_about_for_triage(authority_id=front_door.authority_id, person_id=person.pk)
    assert [contact.pk for contact in built_once] == [contact.pk for contact in ordinary] == [waiting.pk, decided.pk]
    outcomes = [[decision.pk for decision in getattr(contact, "outcomes")] for contact in built_once]  # noqa: B009
    assert outcomes == [[decision.pk for decision in getattr(contact, "outcomes")] for contact in ordinary]  # noqa: B009
    assert len(outcomes[1]) == 1
    assert built_once[1].referrer_agency == ordinary[1].referrer_agency


def test_the_front_door_home_page_counts_what_is_waiting(front_door, team_leader, alice, frameworks):
    contact_received(alice)
    contact_received(alice, immediate_danger=True)
    page = signed_in(front_door).get("/").content.decode()
    assert "contacts waiting for a decision" in page
    assert "1 immediate danger" in page
    leader = signed_in(team_leader).get("/").content.decode()
    assert "waiting for a team leader" in leader
    assert "/front-door/decisions-to-confirm/" in leader


def test_a_wrong_check_digit_is_not_called_a_wrong_length(alice, frameworks):
    page = signed_in(alice).post(
        "/refer/children/add/", {"first_name": "Maya", "last_name": "B", "nhs_number": "943 476 5871"}
    )
    text = page.content.decode()
    assert "fails its check digit" in text
    assert "10 digits" not in text.split("fails its check digit")[0][-200:]


def test_a_contact_heading_names_the_children_without_a_trailing_comma(front_door, alice, frameworks):
    contact = contact_received(alice)
    page = signed_in(front_door).get(f"/front-door/contacts/{contact.pk}/").content.decode()
    assert '<h1 class="govuk-heading-l">Maya Brennan</h1>' in page


@pytest.mark.parametrize("page", ["/front-door/", "/"])
def test_the_counts_by_clock_agree_with_each_contacts_own_clock(page, front_door, alice, frameworks):
    """The counts come from arrival times against where the colours change; each contact's clock
    is worked out on its own: the two must agree, whatever the time of day the test runs."""
    from datetime import timedelta

    from earlyhelp.frontdoor.clock import Rag, decision_clock, rules_of
    from earlyhelp.frontdoor.models import Contact
    from earlyhelp.frontdoor.receiving import contact_receive
    from tests.factories import a_referral

    now = timezone.now()
    rules = rules_of(alice.authority)
    # Two contacts of each colour, found by the clock itself from now: whatever the time of day.
    ages: list[timedelta] = []
    for rag in (Rag.GREEN, Rag.AMBER, Rag.RED):
        steps = (timedelta(minutes=10 * step) for step in range(1, 2000))
        found = [age for age in steps if decision_clock(now - age, now, rules=rules).rag == rag]
        ages += [found[0], found[-1]]
    for age in ages:
        contact_receive(
            referral=a_referral(),
            source=Contact.Source.PROFESSIONAL,
            authority_id=alice.authority_id,
            referrer_user=alice,
            received_at=now - age,
        )
    contact_received(alice, immediate_danger=True)
    expected = {rag: 0 for rag in Rag}
    for contact in Contact.objects.all():
        expected[
            decision_clock(contact.received_at, now, immediate_danger=contact.immediate_danger, rules=rules).rag
        ] += 1
    assert expected == {Rag.GREEN: 2, Rag.AMBER: 2, Rag.RED: 2, Rag.IMMEDIATE: 1}
    shown = signed_in(front_door).get(page).content.decode()
    if page == "/front-door/":
        assert f"{expected[Rag.RED]} overdue" in shown
        assert f"{expected[Rag.AMBER]} due soon" in shown
        assert f"{expected[Rag.GREEN]} on time" in shown
        assert "1 immediate danger" in shown
    else:
        assert f"{expected[Rag.RED]}</span> overdue (red)" in shown
        assert f"{expected[Rag.AMBER]}</span> due soon (amber)" in shown
        assert f"{len(ages) + 1}</span> contacts waiting" in shown
