"""Front door demonstration data: a services directory, a partner system with a known key, and a
queue of contacts (some about families already known, one in immediate danger, some decided).

Loaded by `manage.py load_demo` after the demonstration authority; does nothing if the
authority already has services. Everything is invented.
"""

import hashlib
from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.directory.models import Need, Service
from earlyhelp.frontdoor import deciding, matching, receiving
from earlyhelp.frontdoor.models import Consent, ConsentCovers, Contact, PartnerSystem
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral
from earlyhelp.organisations.models import Agency, Area, Authority, Team, User
from earlyhelp.people.models import Person
from earlyhelp.thresholds.rules import Facts
from earlyhelp.thresholds.selectors import framework_version_latest

# For trying the API on a demonstration install only (README, "Partner systems").
DEMO_PARTNER_KEY = "ehp_demo_kingsthorpe_school_mis"

SERVICES = [
    # name, provider, description, lowest, highest, youngest, oldest, needs, FIS
    (
        "Families Information Service",
        "The council",
        "Free information and advice for families about childcare, activities, money and local support.",
        1,
        2,
        0,
        25,
        [],
        True,
    ),
    (
        "Parenting Matters",
        "Barnardo's",
        "Eight-week group courses for parents: routines, boundaries and calm.",
        1,
        2,
        2,
        16,
        ["parenting", "family-conflict"],
        False,
    ),
    (
        "Young Minds Drop-in",
        "Northamptonshire Healthcare",
        "Talk to a mental health practitioner at school or online.",
        2,
        3,
        11,
        18,
        ["emotional-wellbeing"],
        False,
    ),
    (
        "Respect Young People's Programme",
        "Family Action",
        "Help for families where a young person is violent or abusive to a parent.",
        2,
        3,
        10,
        18,
        ["child-to-parent-abuse", "family-conflict"],
        False,
    ),
    (
        "Domestic Abuse Family Support",
        "Sunflower Centre",
        "Support for parents and children living with domestic abuse.",
        2,
        3,
        0,
        18,
        ["parental-domestic-abuse"],
        False,
    ),
    (
        "Substance Misuse Family Service",
        "S2S",
        "Support for parents who drink or use drugs, and for their children.",
        2,
        3,
        0,
        18,
        ["parental-substance-misuse"],
        False,
    ),
    (
        "Inclusion and Attendance Team",
        "The council",
        "Works with schools and families when a child is missing school or at risk of exclusion.",
        2,
        3,
        5,
        16,
        ["school-attendance", "school-exclusion"],
        False,
    ),
    (
        "Positive Futures Youth Work",
        "Northamptonshire Sport",
        "Youth workers and activities for young people at risk of exploitation.",
        2,
        3,
        10,
        18,
        ["exploitation"],
        False,
    ),
    (
        "Money and Housing Advice",
        "Citizens Advice",
        "Advice on debt, benefits and keeping a home.",
        1,
        3,
        0,
        25,
        ["housing-finance"],
        False,
    ),
    (
        "Children's Centre Stay and Play",
        "Lings Children's Centre",
        "Sessions for parents and children under five.",
        1,
        2,
        0,
        5,
        ["parenting", "community"],
        False,
    ),
]


def load(authority: Authority) -> int:
    """The front door's demonstration data; returns how many contacts were made."""
    if Service.objects.filter(authority=authority).exists():
        return 0
    _services(authority)
    partner = _partner_system(authority)
    return _contacts(authority, partner)


def _services(authority: Authority) -> None:
    needs = {need.code: need for need in Need.objects.all()}
    areas = list(Area.objects.filter(authority=authority))
    for index, (name, provider, text, lowest, highest, youngest, oldest, codes, fis) in enumerate(SERVICES):
        service = Service.objects.create(
            authority=authority,
            name=name,
            provider=provider,
            description=text,
            lowest_level=lowest,
            highest_level=highest,
            youngest_age=youngest,
            oldest_age=oldest,
            families_information_service=fis,
            phone=f"0300 126 {2000 + index}",
            email=_email_for(name),
            how_to_access="Families can ring, or a practitioner can refer with the family's agreement.",
        )
        service.needs.set([needs[code] for code in codes if code in needs])
        if name == "Children's Centre Stay and Play" and areas:
            service.areas.set(areas[:3])


def _email_for(name: str) -> str:
    return (
        "".join(letter for letter in name.lower().replace(" ", ".") if letter.isalnum() or letter == ".")
        + "@example.org.uk"
    )


def _partner_system(authority: Authority) -> PartnerSystem:
    school = Agency.objects.get(authority=authority, name="Kingsthorpe Primary School")
    return PartnerSystem.objects.create(
        authority=authority,
        agency=school,
        name="Kingsthorpe Primary School MIS",
        key_prefix=DEMO_PARTNER_KEY[:12],
        key_digest=hashlib.sha256(DEMO_PARTNER_KEY.encode()).hexdigest(),
    )


def _consent(given_by: str) -> ConsentDetails:
    return ConsentDetails(
        status=Consent.GIVEN,
        given_by=given_by,
        given_on=date.today(),
        how="written",
        covers=[ConsentCovers.EARLY_HELP_SERVICE, ConsentCovers.SHARE_WITH_AGENCIES, ConsentCovers.DISCUSS_AT_MEETING],
    )


def _known_child(authority: Authority, offset: int, *, at_least: int = 5) -> PersonDetails:
    """A child already known, as a referrer might type them; an invented one in a tiny demo."""
    born_by = date.today().replace(year=date.today().year - at_least)
    children = Person.objects.filter(authority=authority, kind=Person.Kind.CHILD, date_of_birth__lte=born_by)
    child = children.order_by("pk")[offset : offset + 1].first()
    if child is None:
        return PersonDetails(role="child", first_name="Lily", last_name="Carter", date_of_birth=born_by)
    return _as_typed(child, misspell=offset % 2 == 1)


def _as_typed(person: Person, *, misspell: bool = False) -> PersonDetails:
    first = person.first_name
    if misspell and len(first) > 3:
        first = first[:-1] + ("y" if first[-1] != "y" else "i")
    return PersonDetails(
        role="child",
        first_name=first,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        postcode=person.postcode,
    )


def _contacts(authority: Authority, partner: PartnerSystem) -> int:
    school_lead = User.objects.get(email__startswith="partner.school@")
    health_visitor = User.objects.get(email__startswith="partner.health@")
    police = User.objects.get(email__startswith="partner.police@")
    now = timezone.now()
    made: list[Contact] = []

    def professional(user: User, referral: Referral, hours_ago: float) -> Contact:
        contact = receiving.contact_receive(
            referral=referral,
            source=Contact.Source.PROFESSIONAL,
            authority_id=authority.pk,
            referrer_user=user,
            received_at=now - timedelta(hours=hours_ago),
        )
        made.append(contact)
        return contact

    professional(
        school_lead,
        Referral(
            referrer_name=school_lead.full_name,
            referrer_role=school_lead.job_title,
            referrer_email=school_lead.email,
            children=[_known_child(authority, 3)],
            needs=["school-attendance", "parenting"],
            reason="Attendance has fallen to 82% this term. Mum says mornings are a battle and she is exhausted.",
            what_has_been_tried="Attendance meetings; a morning club place.",
            indicators=["l2-learning-01"],
            consent=_consent("The child's mother, at a meeting in school"),
        ),
        hours_ago=40,
    )
    professional(
        health_visitor,
        Referral(
            referrer_name=health_visitor.full_name,
            referrer_role=health_visitor.job_title,
            referrer_email=health_visitor.email,
            children=[
                PersonDetails(
                    role="child",
                    first_name="Ruby",
                    last_name="Adeyemi",
                    date_of_birth=date.today() - timedelta(days=400),
                    postcode="NN1 4PX",
                )
            ],
            adults=[
                PersonDetails(
                    role="parent",
                    first_name="Tola",
                    last_name="Adeyemi",
                    email="tola.adeyemi@example.test",
                    postcode="NN1 4PX",
                )
            ],
            needs=["parental-mental-health", "community"],
            reason="Mum has low mood since the birth and no family nearby. Baby is thriving.",
            consent=_consent("Tola Adeyemi, mother"),
        ),
        hours_ago=5,
    )
    professional(
        police,
        Referral(
            referrer_name=police.full_name,
            referrer_role=police.job_title,
            referrer_email=police.email,
            children=[
                PersonDetails(
                    role="child",
                    first_name="Kai",
                    last_name="Morgan",
                    date_of_birth=date(2011, 2, 14),
                    postcode="NN5 7QA",
                )
            ],
            needs=["exploitation"],
            reason="Kai was found with older youths in a car far from home, with cash and two phones.",
            indicators=["cse-01", "cse-02", "cse-03"],
            consent=ConsentDetails(status=Consent.NOT_ASKED),
        ),
        hours_ago=1,
    )
    professional(
        police,
        Referral(
            referrer_name=police.full_name, referrer_email=police.email, children=[], reason="", immediate_danger=True
        ),
        hours_ago=0.2,
    )
    made.append(
        receiving.contact_receive(
            referral=Referral(
                referrer_name="Jo Smith",
                referrer_role="I am their parent",
                referrer_email="jo.smith@example.test",
                children=[
                    PersonDetails(role="child", first_name="Sam", last_name="Smith", date_of_birth=date(2014, 9, 1))
                ],
                adults=[
                    PersonDetails(role="parent", first_name="Jo", last_name="Smith", email="jo.smith@example.test")
                ],
                needs=["parenting", "family-conflict"],
                reason="Sam will not go to bed and we argue all the time. I don't know what to do.",
                consent=_consent("Jo Smith, parent"),
            ),
            source=Contact.Source.FAMILY,
            authority_id=authority.pk,
            received_at=now - timedelta(hours=20),
        )
    )
    made.append(
        receiving.contact_receive(
            referral=Referral(
                referrer_name="Mr D. Brown",
                referrer_role="Head of year 9",
                referrer_email="d.brown@kingsthorpe.example.test",
                children=[_known_child(authority, 8, at_least=13)],
                needs=["school-exclusion", "emotional-wellbeing"],
                reason="Two fixed-term exclusions this term for fighting. Says he is angry all the time.",
                consent=_consent("The young person's father, by phone"),
            ),
            source=Contact.Source.PARTNER_SYSTEM,
            authority_id=authority.pk,
            partner_system=partner,
            received_at=now - timedelta(hours=9),
        )
    )
    _decide_some(authority, made[1], outcome="allocate")
    return len(made)


def _decide_some(authority: Authority, contact: Contact, *, outcome: str) -> None:
    """One contact already decided, so that the team's list and the letters have something in them."""
    actor = User.objects.get(email__startswith="frontdoor@")
    version = framework_version_latest()
    if version is None:
        return
    for entry in contact.people.all():
        matching.contact_person_record(seen_version=None, actor=actor, entry=entry)
    deciding.contact_level_of_need_record(
        actor=actor,
        contact=contact,
        version=version,
        indicators=["l2-learning-01"],
        facts=Facts(consent_given=True),
        level=2,
    )
    team = Team.objects.filter(area__authority=authority, kind=Team.Kind.FAMILY_SUPPORT).order_by("name").first()
    deciding.contact_decide(
        actor=actor, contact=contact, outcome=outcome, reasons="Meets the Families First criteria.", team=team
    )
