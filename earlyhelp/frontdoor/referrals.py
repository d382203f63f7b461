"""A referral as it arrives, whichever way it came: the one shape the browser journey, the
self-referral form and the API all build, and the one place it is checked.

`referral_problems()` returns every problem at once, each keyed by where it is
(`children.0.nhs_number`), so that a form can show it beside the field and the API can say
exactly which part of the request is wrong.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from earlyhelp.directory.models import Need
from earlyhelp.frontdoor.models import Consent, ConsentCovers, ConsentHow, ContactPerson
from earlyhelp.people.identifiers import (
    nhs_number_normalise,
    nhs_number_problem,
    postcode_is_valid,
    postcode_normalise,
    upn_is_valid,
    upn_normalise,
)
from earlyhelp.people.models import Gender
from earlyhelp.people.names import name_problem, name_visible
from earlyhelp.thresholds.definition import FrameworkDefinition

OLDEST_CHILD_AGE = 25  # young people with SEND are helped up to 25
LONGEST_TEXT = 5000
MOST_PEOPLE = 12
IMMEDIATE_DANGER_REASON = (
    "The referrer said a child is in immediate danger. They were told to call 999 and children's social care now."
)


@dataclass
class PersonDetails:
    role: str
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    expected_date_of_delivery: date | None = None
    gender: str = Gender.NOT_KNOWN
    nhs_number: str = ""
    upn: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    school: str = ""

    def normalised(self) -> "PersonDetails":
        return PersonDetails(
            role=self.role,
            first_name=name_visible(self.first_name).strip(),
            last_name=name_visible(self.last_name).strip(),
            date_of_birth=self.date_of_birth,
            expected_date_of_delivery=self.expected_date_of_delivery,
            gender=self.gender or Gender.NOT_KNOWN,
            nhs_number=nhs_number_normalise(self.nhs_number),
            upn=upn_normalise(self.upn),
            address=self.address.strip(),
            postcode=postcode_normalise(self.postcode) if self.postcode.strip() else "",
            phone=self.phone.strip(),
            email=self.email.strip().lower(),
            school=self.school.strip(),
        )


@dataclass
class ConsentDetails:
    status: str = Consent.NOT_ASKED
    given_by: str = ""
    given_on: date | None = None
    how: str = ""
    covers: list[str] = field(default_factory=list)


@dataclass
class Referral:
    referrer_name: str
    children: list[PersonDetails]
    reason: str
    needs: list[str] = field(default_factory=list)
    referrer_role: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    adults: list[PersonDetails] = field(default_factory=list)
    what_has_been_tried: str = ""
    other_agencies: str = ""
    indicators: list[str] = field(default_factory=list)
    immediate_danger: bool = False
    consent: ConsentDetails = field(default_factory=ConsentDetails)


Problems = dict[str, str]


def _name_problems(problems: Problems, key: str, value: str, label: str, *, required: bool, longest: int) -> None:
    problem = name_problem(value)
    if problem:
        problems[key] = problem
    else:
        _text_problems(problems, key, value, label, required=required, longest=longest)


def _text_problems(problems: Problems, key: str, value: str, label: str, *, required: bool, longest: int) -> None:
    if required and not value.strip():
        problems[key] = f"Enter {label}"
    elif len(value) > longest:
        problems[key] = f"{label[0].upper()}{label[1:]} must be {longest} characters or fewer"


def _email_problem(value: str) -> str | None:
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return "Enter an email address in the correct format, like name@example.com"
    return None


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _date_problems(problems: Problems, key: str, person: PersonDetails, today: date) -> None:
    if person.role == ContactPerson.Role.UNBORN:
        if person.expected_date_of_delivery is None:
            problems[f"{key}.expected_date_of_delivery"] = "Enter the baby's expected date of delivery"
    elif person.role == ContactPerson.Role.CHILD and person.date_of_birth is None:
        problems[f"{key}.date_of_birth"] = "Enter the child's date of birth"
    born = person.date_of_birth
    if born is None:
        return
    if born > today:
        problems[f"{key}.date_of_birth"] = "Date of birth must be today or in the past"
    elif born.year < 1900:
        problems[f"{key}.date_of_birth"] = "Date of birth must be after 1900"
    elif person.role == ContactPerson.Role.CHILD and _age_on(born, today) > OLDEST_CHILD_AGE:
        problems[f"{key}.date_of_birth"] = f"A child or young person must be {OLDEST_CHILD_AGE} or younger"


def _identifier_problems(problems: Problems, key: str, person: PersonDetails) -> None:
    problem = nhs_number_problem(person.nhs_number)
    if problem:
        problems[f"{key}.nhs_number"] = problem
    if person.upn and not upn_is_valid(person.upn):
        problems[f"{key}.upn"] = "Enter a real UPN: 13 characters, like B928200112001"
    if person.postcode and not postcode_is_valid(person.postcode):
        problems[f"{key}.postcode"] = "Enter a real postcode, like NN1 5AB"
    email_problem = _email_problem(person.email)
    if email_problem:
        problems[f"{key}.email"] = email_problem


def _person_problems(problems: Problems, key: str, person: PersonDetails, today: date) -> None:
    what = "child" if person.role in ContactPerson.CHILD_ROLES else "adult"
    if person.role not in ContactPerson.Role.values:
        problems[f"{key}.role"] = "Select who this person is"
    _name_problems(
        problems, f"{key}.first_name", person.first_name, f"the {what}'s first name", required=True, longest=100
    )
    _name_problems(
        problems, f"{key}.last_name", person.last_name, f"the {what}'s last name", required=True, longest=100
    )
    _date_problems(problems, key, person, today)
    if person.gender not in Gender.values:
        problems[f"{key}.gender"] = "Select a gender from the list"
    _identifier_problems(problems, key, person)
    _text_problems(problems, f"{key}.address", person.address, "the address", required=False, longest=500)
    _text_problems(problems, f"{key}.phone", person.phone, "the phone number", required=False, longest=50)
    _text_problems(problems, f"{key}.school", person.school, "the school or setting", required=False, longest=200)


def consent_problems(problems: Problems, consent: ConsentDetails, today: date) -> None:
    if consent.status not in Consent.values:
        problems["consent.status"] = "Select whether the family has given consent"
        return
    if consent.status != Consent.GIVEN:
        return
    _text_problems(problems, "consent.given_by", consent.given_by, "who gave consent", required=True, longest=200)
    if consent.given_on is None:
        problems["consent.given_on"] = "Enter the date consent was given"
    elif consent.given_on > today:
        problems["consent.given_on"] = "The date consent was given must be today or in the past"
    if consent.how not in ConsentHow.values:
        problems["consent.how"] = "Select how consent was given: in writing or verbally"
    if not consent.covers:
        problems["consent.covers"] = "Select what the family has agreed to"
    elif any(value not in ConsentCovers.values for value in consent.covers):
        problems["consent.covers"] = "Select only from the list of what consent can cover"


def _referrer_problems(problems: Problems, referral: Referral) -> None:
    _name_problems(problems, "referrer_name", referral.referrer_name, "your name", required=True, longest=200)
    _text_problems(problems, "referrer_role", referral.referrer_role, "your role", required=False, longest=200)
    _text_problems(problems, "referrer_phone", referral.referrer_phone, "your phone number", required=False, longest=50)
    email_problem = _email_problem(referral.referrer_email)
    if email_problem:
        problems["referrer_email"] = email_problem


def _people_problems(problems: Problems, referral: Referral, today: date) -> None:
    if not referral.children and not referral.immediate_danger:
        problems["children"] = "Add at least one child or young person"
    if len(referral.children) > MOST_PEOPLE or len(referral.adults) > MOST_PEOPLE:
        problems["children"] = f"A referral can name up to {MOST_PEOPLE} children and {MOST_PEOPLE} adults"
    for index, child in enumerate(referral.children[:MOST_PEOPLE]):
        if child.role not in ContactPerson.CHILD_ROLES:
            problems[f"children.{index}.role"] = "A child must be a child or young person, or an unborn baby"
        _person_problems(problems, f"children.{index}", child, today)
    for index, adult in enumerate(referral.adults[:MOST_PEOPLE]):
        if adult.role in ContactPerson.CHILD_ROLES:
            problems[f"adults.{index}.role"] = "An adult must be a parent, carer or other adult"
        _person_problems(problems, f"adults.{index}", adult, today)


def _reason_problems(problems: Problems, referral: Referral, definition: FrameworkDefinition | None) -> None:
    if not referral.immediate_danger:
        if not referral.needs:
            problems["needs"] = "Select at least one reason for the referral"
        _text_problems(
            problems, "reason", referral.reason, "what you are worried about", required=True, longest=LONGEST_TEXT
        )
    known_needs = set(Need.objects.filter(active=True, code__in=referral.needs).values_list("code", flat=True))
    unknown = [code for code in referral.needs if code not in known_needs]
    if unknown:
        problems["needs"] = f"These are not reasons on the list: {', '.join(unknown[:10])}"
    for key, value, label in (
        ("what_has_been_tried", referral.what_has_been_tried, "what has been tried"),
        ("other_agencies", referral.other_agencies, "the other agencies involved"),
    ):
        _text_problems(problems, key, value, label, required=False, longest=LONGEST_TEXT)
    if referral.indicators and definition is not None:
        unknown_indicators = [code for code in referral.indicators if code not in definition.by_id]
        if unknown_indicators:
            problems["indicators"] = (
                f"These are not indicators in {definition.title}, version {definition.version}: "
                f"{', '.join(unknown_indicators[:10])}"
            )


def referral_problems(referral: Referral, *, definition: FrameworkDefinition | None, today: date) -> Problems:
    """Everything wrong with a referral, keyed by where it is; empty when it can be saved."""
    problems: Problems = {}
    _referrer_problems(problems, referral)
    _people_problems(problems, referral, today)
    _reason_problems(problems, referral, definition)
    consent_problems(problems, referral.consent, today)
    return problems
