"""Every check on a referral (`referral_problems`), whichever way it came: each problem keyed by
where it is, in words the referrer can act on; and a referral normalised the same way each time."""

from datetime import date, timedelta

import pytest

from earlyhelp.frontdoor.referrals import (
    IMMEDIATE_DANGER_REASON,
    LONGEST_TEXT,
    MOST_PEOPLE,
    OLDEST_CHILD_AGE,
    ConsentDetails,
    PersonDetails,
    referral_problems,
)
from tests.factories import a_referral

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def problems_of(**changes) -> dict[str, str]:
    return referral_problems(a_referral(**changes), definition=None, today=TODAY)


def child(**changes) -> PersonDetails:
    values = {"role": "child", "first_name": "Maya", "last_name": "Brennan", "date_of_birth": date(2016, 5, 4)}
    values.update(changes)
    return PersonDetails(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def needs(frameworks):
    """The needs (reasons for referral) are loaded with the directory's migration data."""


def test_a_complete_referral_has_no_problems():
    assert problems_of() == {}


@pytest.mark.parametrize(
    ("person", "key", "message"),
    [
        (child(first_name=""), "children.0.first_name", "Enter the child's first name"),
        (child(last_name=" "), "children.0.last_name", "Enter the child's last name"),
        (
            child(first_name="x" * 101),
            "children.0.first_name",
            "The child's first name must be 100 characters or fewer",
        ),
        (child(date_of_birth=None), "children.0.date_of_birth", "Enter the child's date of birth"),
        (
            child(date_of_birth=TODAY + timedelta(days=1)),
            "children.0.date_of_birth",
            "Date of birth must be today or in the past",
        ),
        (child(date_of_birth=date(1899, 12, 31)), "children.0.date_of_birth", "Date of birth must be after 1900"),
        (
            child(date_of_birth=date(2000, 1, 1)),
            "children.0.date_of_birth",
            "A child or young person must be 25 or younger",
        ),
        (child(gender="robot"), "children.0.gender", "Select a gender from the list"),
        (
            child(nhs_number="9434765871"),
            "children.0.nhs_number",
            "Enter a real NHS number: this one fails its check digit, so a number may be mistyped",
        ),
        (
            child(nhs_number="12345"),
            "children.0.nhs_number",
            "Enter an NHS number in the correct format: 10 digits, like 943 476 5870",
        ),
        (child(upn="A801200001001"), "children.0.upn", "Enter a real UPN: 13 characters, like B928200112001"),
        (child(postcode="XX"), "children.0.postcode", "Enter a real postcode, like NN1 5AB"),
        (
            child(email="nope"),
            "children.0.email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (child(address="x" * 501), "children.0.address", "The address must be 500 characters or fewer"),
        (child(phone="1" * 51), "children.0.phone", "The phone number must be 50 characters or fewer"),
        (child(school="x" * 201), "children.0.school", "The school or setting must be 200 characters or fewer"),
        (child(role="parent"), "children.0.role", "A child must be a child or young person, or an unborn baby"),
        (
            child(role="unborn", date_of_birth=None),
            "children.0.expected_date_of_delivery",
            "Enter the baby's expected date of delivery",
        ),
        (child(first_name="\u202eayaM"), "children.0.first_name", "direction of text"),
    ],
)
def test_each_problem_with_a_child_is_named_where_it_is(person, key, message):
    problems = problems_of(children=[person])
    if key.endswith(".first_name") and "direction" in message:
        assert message in problems[key], problems  # the names module's own message, tested there
    else:
        assert problems[key] == message, problems
    assert set(problems) == {key}


def test_a_child_aged_exactly_the_oldest_age_is_accepted():
    born = date(TODAY.year - OLDEST_CHILD_AGE, TODAY.month, TODAY.day)
    assert problems_of(children=[child(date_of_birth=born)]) == {}
    assert problems_of(children=[child(date_of_birth=born - timedelta(days=366))])


def test_a_date_of_birth_in_1900_and_today_are_accepted_for_an_adult():
    adult = PersonDetails(role="parent", first_name="Siobhan", last_name="Brennan", date_of_birth=date(1900, 1, 1))
    assert problems_of(adults=[adult]) == {}
    assert problems_of(children=[child(date_of_birth=TODAY)]) == {}


def test_an_adult_must_not_be_a_child():
    adult = PersonDetails(role="child", first_name="Siobhan", last_name="Brennan", date_of_birth=date(2016, 1, 1))
    assert problems_of(adults=[adult])["adults.0.role"] == "An adult must be a parent, carer or other adult"


def test_an_unknown_role_is_named():
    person = PersonDetails(role="cousin", first_name="A", last_name="B")
    assert problems_of(adults=[person])["adults.0.role"] == "Select who this person is"


def test_text_at_its_limit_is_accepted_and_one_more_is_not():
    assert problems_of(reason="x" * LONGEST_TEXT) == {}
    assert problems_of(reason="x" * (LONGEST_TEXT + 1))["reason"] == (
        f"What you are worried about must be {LONGEST_TEXT} characters or fewer"
    )
    assert problems_of(what_has_been_tried="x" * (LONGEST_TEXT + 1))["what_has_been_tried"].startswith("What has")
    assert problems_of(other_agencies="x" * (LONGEST_TEXT + 1))["other_agencies"].startswith("The other agencies")


def test_the_referrer_must_say_who_they_are():
    assert problems_of(referrer_name="")["referrer_name"] == "Enter your name"
    assert problems_of(referrer_role="x" * 201)["referrer_role"] == "Your role must be 200 characters or fewer"
    assert problems_of(referrer_phone="1" * 51)["referrer_phone"] == "Your phone number must be 50 characters or fewer"
    assert (
        problems_of(referrer_email="nope")["referrer_email"]
        == "Enter an email address in the correct format, like name@example.com"
    )
    assert problems_of(referrer_email="") == {}
    assert problems_of(referrer_name="x" * 201)["referrer_name"] == "Your name must be 200 characters or fewer"
    assert problems_of(referrer_name="x" * 200, referrer_role="") == {}  # a role is optional


def test_who_gave_consent_is_at_most_200_characters():
    consent = ConsentDetails(status="given", given_on=TODAY, how="written", covers=["early_help_service"])
    consent.given_by = "x" * 201
    assert problems_of(consent=consent) == {"consent.given_by": "Who gave consent must be 200 characters or fewer"}
    consent.given_by = "x" * 200
    assert problems_of(consent=consent) == {}


def test_there_must_be_a_child_unless_a_child_is_in_immediate_danger():
    assert problems_of(children=[])["children"] == "Add at least one child or young person"
    assert problems_of(children=[], immediate_danger=True, needs=[], reason="") == {}


def test_there_can_be_at_most_the_most_people():
    assert problems_of(children=[child()] * MOST_PEOPLE) == {}
    many = problems_of(children=[child()] * (MOST_PEOPLE + 1))
    assert many["children"] == f"A referral can name up to {MOST_PEOPLE} children and {MOST_PEOPLE} adults"
    adult = PersonDetails(role="parent", first_name="A", last_name="B")
    assert problems_of(adults=[adult] * MOST_PEOPLE) == {}
    assert problems_of(adults=[adult] * (MOST_PEOPLE + 1)) == {
        "children": f"A referral can name up to {MOST_PEOPLE} children and {MOST_PEOPLE} adults"
    }


def test_indicators_are_not_checked_when_no_framework_is_loaded():
    assert problems_of(indicators=["l2-learning-01", "made-up"]) == {}


def test_reasons_must_be_given_and_be_on_the_list():
    assert problems_of(needs=[])["needs"] == "Select at least one reason for the referral"
    assert problems_of(needs=["family-conflict", "made-up"])["needs"] == "These are not reasons on the list: made-up"
    assert problems_of(reason="")["reason"] == "Enter what you are worried about"


def test_indicators_must_be_in_the_framework(frameworks):
    definition = frameworks["northamptonshire"].definition
    referral = a_referral(indicators=["l2-learning-01", "zz-1"])
    problems = referral_problems(referral, definition=definition, today=TODAY)
    assert problems["indicators"] == (
        f"These are not indicators in {definition.title}, version {definition.version}: zz-1"
    )


@pytest.mark.parametrize(
    ("consent", "key", "message"),
    [
        (ConsentDetails(status="maybe"), "consent.status", "Select whether the family has given consent"),
        (ConsentDetails(status="given", given_on=TODAY, how="written", covers=["early_help_service"]),
         "consent.given_by", "Enter who gave consent"),
        (ConsentDetails(status="given", given_by="M", how="written", covers=["early_help_service"]),
         "consent.given_on", "Enter the date consent was given"),
        (ConsentDetails(status="given", given_by="M", given_on=TODAY + timedelta(days=1), how="written",
                        covers=["early_help_service"]), "consent.given_on",
         "The date consent was given must be today or in the past"),
        (ConsentDetails(status="given", given_by="M", given_on=TODAY, how="by pigeon", covers=["early_help_service"]),
         "consent.how", "Select how consent was given: in writing or verbally"),
        (ConsentDetails(status="given", given_by="M", given_on=TODAY, how="written"),
         "consent.covers", "Select what the family has agreed to"),
        (ConsentDetails(status="given", given_by="M", given_on=TODAY, how="written", covers=["everything"]),
         "consent.covers", "Select only from the list of what consent can cover"),
    ],
)  # fmt: skip
def test_each_problem_with_consent_is_named(consent, key, message):
    problems = problems_of(consent=consent)
    assert problems[key] == message
    assert set(problems) == {key}


def test_consent_refused_or_not_asked_needs_nothing_more():
    assert problems_of(consent=ConsentDetails(status="refused")) == {}
    assert problems_of(consent=ConsentDetails(status="not_asked")) == {}


def test_a_person_is_normalised_the_same_way_each_time():
    typed = PersonDetails(
        role="child",
        first_name="  Gr\u200bace ",
        last_name=" Baldwin",
        gender="",
        nhs_number="943 476 5870",
        upn=" h801200001001",
        address=" 1 High Street ",
        postcode="nn1 5ab",
        phone=" 01604 ",
        email=" Grace@Example.TEST ",
        school=" Kingsthorpe ",
    )
    normal = typed.normalised()
    assert (normal.first_name, normal.last_name) == ("Grace", "Baldwin")
    assert normal.gender == "not_known"
    assert (normal.nhs_number, normal.upn, normal.postcode) == ("9434765870", "H801200001001", "NN1 5AB")
    assert (normal.address, normal.phone, normal.email, normal.school) == (
        "1 High Street", "01604", "grace@example.test", "Kingsthorpe"
    )  # fmt: skip
    assert PersonDetails(role="child", postcode="  ").normalised().postcode == ""


def test_the_immediate_danger_reason_tells_the_front_door_what_the_referrer_was_told():
    assert IMMEDIATE_DANGER_REASON == (
        "The referrer said a child is in immediate danger. They were told to call 999 and children's social care now."
    )


def test_the_limits_are_the_documented_ones():
    """The limits the README and the API document promise: changing one is a decision, not a slip."""
    assert (OLDEST_CHILD_AGE, LONGEST_TEXT, MOST_PEOPLE) == (25, 5000, 12)


def test_age_turns_on_the_birthday_itself():
    # 26 today: too old. 24, turning 25 tomorrow: fine.
    assert problems_of(children=[child(date_of_birth=date(2000, 11, 25))]) == {
        "children.0.date_of_birth": "A child or young person must be 25 or younger"
    }
    assert problems_of(children=[child(date_of_birth=date(2001, 11, 26))]) == {}


def test_an_adults_names_are_asked_for_as_an_adults():
    adult = PersonDetails(role="parent", first_name="", last_name="x" * 101)
    assert problems_of(adults=[adult]) == {
        "adults.0.first_name": "Enter the adult's first name",
        "adults.0.last_name": "The adult's last name must be 100 characters or fewer",
    }
    assert problems_of(adults=[PersonDetails(role="parent", first_name="A", last_name="x" * 100)]) == {}
