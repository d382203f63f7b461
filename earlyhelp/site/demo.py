"""A demonstration authority: areas, agencies, teams, a user in every role, and about 200
synthetic families. Everything is invented (Faker, en_GB) and repeatable (fixed seeds).

NHS numbers are drawn from the 999 range the NHS keeps for testing, so that no demo number can
belong to a real person; they still pass the modulus 11 check. UPNs use the demo authority's LA
number and each school's establishment number, with a correct check letter.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.granting import role_request
from earlyhelp.audit.trail import audited_writes
from earlyhelp.organisations.models import Agency, Area, Authority, RoleAssignment, Team, User
from earlyhelp.organisations.roles import Role
from earlyhelp.people import services
from earlyhelp.people.identifiers import nhs_number_check_digit, upn_check_letter
from earlyhelp.people.models import (
    Disability,
    Ethnicity,
    Family,
    FamilyMembership,
    Gender,
    Involvement,
    Person,
    Relationship,
)
from earlyhelp.sharing import recording as sharing_recording
from earlyhelp.sharing.models import Capacity, ConsentHow, ConsentPosition, Detriment, FamilyTold, GivenBy, RecordPart

# The demo's published password (bandit B105): the demo is refused under the production settings.
DEMO_PASSWORD = "demo-early-help"  # nosec B105
DEMO_EMAIL_DOMAIN = "demo.earlyhelp.test"
# Every demo user's authenticator app shares this key (demo only, like the password): add it to an
# authenticator app once, or print the current code with `manage.py two_step_code EMAIL`.
DEMO_TWO_STEP_KEY = "6561726c7968656c702d64656d6f2d74776f2d73"
AUTHORITY_NAME = "Northamptonshire (demonstration)"
AUTHORITY_CODE = "928"

# The ten Early Help Forum areas (seed 000) and the postcode districts each covers.
AREAS: dict[str, list[str]] = {
    "Corby": ["NN17", "NN18"],
    "Kettering": ["NN14", "NN15", "NN16"],
    "Daventry and Guilsborough": ["NN11", "NN6"],
    "Brackley and Towcester": ["NN12", "NN13"],
    "Northampton North": ["NN2", "NN3"],
    "Northampton South": ["NN4"],
    "Northampton East": ["NN3", "NN1"],
    "Northampton West": ["NN5"],
    "Wellingborough": ["NN8", "NN9", "NN29"],
    "East Northamptonshire": ["NN10", "NN14", "PE8"],
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

ETHNICITY_WEIGHTS = {
    Ethnicity.WBRI: 70,
    Ethnicity.WOTH: 7,
    Ethnicity.WIRI: 1,
    Ethnicity.WROM: 1,
    Ethnicity.MWBC: 2,
    Ethnicity.MWAS: 1,
    Ethnicity.MOTH: 1,
    Ethnicity.AIND: 3,
    Ethnicity.APKN: 2,
    Ethnicity.ABAN: 1,
    Ethnicity.BAFR: 4,
    Ethnicity.BCRB: 1,
    Ethnicity.CHNE: 1,
    Ethnicity.OOTH: 1,
    Ethnicity.NOBT: 3,
    Ethnicity.REFU: 1,
}


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    job_title: str
    roles: tuple[Role, ...]
    team: str | None = None
    agency: str | None = None
    fte: Decimal = Decimal("1.00")
    administers: bool = False


DEMO_USERS = [
    DemoUser(
        "frontdoor",
        "Priya Shah",
        "Early help practitioner, front door",
        (Role.FRONT_DOOR_PRACTITIONER,),
        team="Early Help Desk",
    ),
    DemoUser("coach", "Tom Barker", "Family coach", (Role.FAMILY_COACH,), team="Family Support Team North"),
    DemoUser(
        "coach.parttime",
        "Grace Okafor",
        "Family coach",
        (Role.FAMILY_COACH,),
        team="Family Support Team North",
        fte=Decimal("0.60"),
    ),
    DemoUser("teamleader", "Sarah Mitchell", "Team leader", (Role.TEAM_LEADER,), team="Family Support Team North"),
    DemoUser(
        "forum",
        "David Evans",
        "Early Help Forum coordinator",
        (Role.FORUM_COORDINATOR,),
        team="Early Help Forum Support",
    ),
    DemoUser(
        "businesssupport",
        "Jade Wilson",
        "Area business support officer",
        (Role.BUSINESS_SUPPORT_OFFICER,),
        team="Early Help Forum Support",
    ),
    DemoUser(
        "partner.school",
        "Helen Carter",
        "Designated safeguarding lead",
        (Role.PARTNER_PRACTITIONER,),
        agency="Kingsthorpe Primary School",
    ),
    DemoUser(
        "partner.health",
        "Amina Begum",
        "Health visitor",
        (Role.PARTNER_PRACTITIONER,),
        agency="Northampton Health Visiting Service",
    ),
    DemoUser(
        "partner.police",
        "Mark Hughes",
        "Police community support officer",
        (Role.PARTNER_PRACTITIONER,),
        agency="Northamptonshire Police Early Intervention Team",
    ),
    # An extended member of Northampton North's forum (issue 15): part one, and the cases she is invited to.
    DemoUser(
        "partner.housing",
        "Nadia Hussain",
        "Housing support officer",
        (Role.PARTNER_PRACTITIONER,),
        agency="Northampton Partnership Homes",
    ),
    DemoUser("head", "Rachel Adams", "Head of Service, Early Help", (Role.HEAD_OF_SERVICE,)),
    # Who looked and why, subject access, requests to correct, retention and disposal (issue 13).
    DemoUser("governance", "Imogen Grant", "Information governance officer", (Role.INFORMATION_GOVERNANCE,)),
    DemoUser(
        "socialworker",
        "Daniel Price",
        "Social worker",
        (Role.SOCIAL_WORKER,),
        agency="Northamptonshire Children's Social Care",
    ),
    DemoUser(
        "analyst",
        "Chris Taylor",
        "Performance analyst",
        (Role.PERFORMANCE_ANALYST,),
        team="Performance and Intelligence",
    ),
    DemoUser(
        "admin", "Sam Green", "Systems administrator", (Role.SYSTEM_ADMINISTRATOR,), team="Systems", administers=True
    ),
    # A role that opens records waits for a second administrator's approval (ADR 18).
    DemoUser(
        "admin2", "Ola Adeyemi", "Systems administrator", (Role.SYSTEM_ADMINISTRATOR,), team="Systems", administers=True
    ),
]
# A new starter with no role yet: Sam Green has asked for "Family coach", waiting for Ola Adeyemi.
NEW_STARTER = DemoUser(
    "newstarter", "Leah Morgan", "Family coach (starting soon)", (), team="Family Support Team North"
)

TEAMS = [
    ("Early Help Desk", Team.Kind.FRONT_DOOR, "Northampton East"),
    ("Family Support Team North", Team.Kind.FAMILY_SUPPORT, "Kettering"),
    ("Family Support Team South", Team.Kind.FAMILY_SUPPORT, "Northampton South"),
    ("Family Support Team West", Team.Kind.FAMILY_SUPPORT, "Daventry and Guilsborough"),
    ("Early Help Forum Support", Team.Kind.FORUM, "Northampton North"),
    ("Performance and Intelligence", Team.Kind.PERFORMANCE, "Northampton East"),
    ("Systems", Team.Kind.SYSTEMS, "Northampton East"),
]

OTHER_AGENCIES = [
    ("Northampton Health Visiting Service", Agency.Kind.HEALTH_VISITING, "Northampton East"),
    ("Corby and Kettering Health Visiting Service", Agency.Kind.HEALTH_VISITING, "Corby"),
    ("Northamptonshire Police Early Intervention Team", Agency.Kind.POLICE, "Northampton East"),
    ("Northamptonshire Police, Corby", Agency.Kind.POLICE, "Corby"),
    ("Northampton Partnership Homes", Agency.Kind.HOUSING, "Northampton West"),
    ("Kettering Borough Housing", Agency.Kind.HOUSING, "Kettering"),
    ("Lings Children's Centre", Agency.Kind.CHILDRENS_CENTRE, "Northampton East"),
    ("Corby Children's Centre", Agency.Kind.CHILDRENS_CENTRE, "Corby"),
    ("Northamptonshire School Nursing", Agency.Kind.SCHOOL_NURSING, "Northampton East"),
    ("Northamptonshire Children's Social Care", Agency.Kind.SOCIAL_CARE, "Northampton East"),
    ("Family Action Northampton", Agency.Kind.VOLUNTARY, "Northampton North"),
]


class DemoRefusedError(Exception):
    """The demo's users share one published password and API key: never in a real service."""


def refuse_unless_allowed() -> None:
    if not settings.DEMO_DATA_ALLOWED:
        raise DemoRefusedError(
            "Demo data is never loaded under the production settings: its users share the password and API key "
            "printed in the README. Load it under earlyhelp.settings.local (make run)."
        )


def load(*, families: int = 200, seed: int = 2026) -> Authority:
    """Create the demonstration authority; do nothing if it is already there."""
    refuse_unless_allowed()
    existing = Authority.objects.filter(code=AUTHORITY_CODE).first()
    if existing is not None:
        return existing
    builder = _Builder(seed=seed)
    with transaction.atomic():
        authority = builder.organisations()
        with audited_writes():
            builder.families(count=families)
            builder.partner_involvements()
            builder.consent_and_sharing()
            builder.role_request_waiting()
    return authority


class _Builder:
    def __init__(self, *, seed: int) -> None:
        # Synthetic data, reproducible from its seed: no secret is drawn from it (bandit B311).
        self.random = random.Random(seed)  # nosec B311
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.today = date.today()
        self.nhs_numbers: set[str] = set()
        self.upns: set[str] = set()

    # Organisations -----------------------------------------------------------------------------

    def organisations(self) -> Authority:
        self.authority = Authority.objects.create(name=AUTHORITY_NAME, code=AUTHORITY_CODE)
        self.areas = {name: Area.objects.create(authority=self.authority, name=name) for name in AREAS}
        self.teams = {
            name: Team.objects.create(area=self.areas[area], name=name, kind=kind) for name, kind, area in TEAMS
        }
        self.schools: dict[str, list[Agency]] = {}
        for number, area in enumerate(self.areas.values()):
            names = [
                (f"{area.name} Nursery", Agency.Kind.EARLY_YEARS),
                (
                    "Kingsthorpe Primary School" if area.name == "Northampton North" else f"{area.name} Primary School",
                    Agency.Kind.SCHOOL,
                ),
                (f"{area.name} Academy", Agency.Kind.SCHOOL),
            ]
            self.schools[area.name] = [
                Agency.objects.create(
                    authority=self.authority, name=name, kind=kind, area=area, urn=f"{2000 + number * 10 + index:04d}"
                )
                for index, (name, kind) in enumerate(names)
            ]
        for agency_name, agency_kind, area_name in OTHER_AGENCIES:
            Agency.objects.create(
                authority=self.authority, name=agency_name, kind=agency_kind, area=self.areas[area_name]
            )
        self.users = {demo.email: self._user(demo) for demo in DEMO_USERS}
        return self.authority

    def _user(self, demo: DemoUser) -> User:
        user = User.objects.create_user(
            email=f"{demo.email}@{DEMO_EMAIL_DOMAIN}",
            password=DEMO_PASSWORD,
            full_name=demo.full_name,
            job_title=demo.job_title,
            authority=self.authority,
            team=self.teams[demo.team] if demo.team else None,
            agency=Agency.objects.get(authority=self.authority, name=demo.agency) if demo.agency else None,
            fte=demo.fte,
            is_staff=demo.administers,
            is_superuser=demo.administers,
        )
        for role in demo.roles:
            RoleAssignment.objects.create(user=user, role=role)
        return user

    def role_request_waiting(self) -> None:
        starter = self._user(NEW_STARTER)
        role_request(
            actor=self.users["admin"],
            user=starter,
            role=Role.FAMILY_COACH,
            reason="Joins Family Support Team North next month",
        )

    # People ------------------------------------------------------------------------------------

    def families(self, *, count: int) -> None:
        self.actor = self.users["frontdoor"]
        area_names = list(AREAS)
        for _ in range(count):
            self._family(self.random.choice(area_names))

    def _family(self, area_name: str) -> None:
        surname = self.fake.last_name()
        address = {
            "address_line_1": self.fake.street_address(),
            "town": "Northampton" if area_name.startswith("Northampton") else area_name.split(" and ")[0],
            "postcode": self._postcode(area_name),
        }
        ethnicity = self._ethnicity()
        family = services.family_create(actor=self.actor, name=f"The {surname} family", area=self.areas[area_name])
        mother = self._adult(surname, Gender.FEMALE, address, ethnicity, age=self.random.randint(20, 45))
        services.family_member_add(
            actor=self.actor, family=family, person=mother, role=FamilyMembership.Role.PARENT, lives_in_household=True
        )
        parents = [mother]
        if self.random.random() < 0.6:
            father_age = max(18, (mother.age or 30) + self.random.randint(-3, 8))
            father_surname = surname if self.random.random() < 0.7 else self.fake.last_name()
            father = self._adult(father_surname, Gender.MALE, address, ethnicity, age=father_age)
            lives_in = self.random.random() < 0.75
            services.family_member_add(
                actor=self.actor,
                family=family,
                person=father,
                role=FamilyMembership.Role.PARENT,
                lives_in_household=lives_in,
            )
            services.relationship_add(
                actor=self.actor,
                from_person=mother,
                to_person=father,
                kind=Relationship.Kind.PARTNER_OF,
                details="" if lives_in else "former partner",
            )
            parents.append(father)
        youngest_parent = min(parent.age or 30 for parent in parents)
        children = [
            self._child(surname, address, ethnicity, area_name, youngest_parent_age=youngest_parent)
            for _ in range(self.random.choice([1, 1, 2, 2, 2, 3, 3, 4]))
        ]
        if self.random.random() < 0.08:
            children.append(self._unborn(surname, address, ethnicity))
        for child in children:
            services.family_member_add(
                actor=self.actor, family=family, person=child, role=FamilyMembership.Role.CHILD, lives_in_household=True
            )
            for parent in parents:
                services.relationship_add(
                    actor=self.actor, from_person=parent, to_person=child, kind=Relationship.Kind.PARENT_OF
                )
        for index, child in enumerate(children):
            for sibling in children[index + 1 :]:
                services.relationship_add(
                    actor=self.actor, from_person=child, to_person=sibling, kind=Relationship.Kind.SIBLING_OF
                )
        if self.random.random() < 0.2:
            grandparent = self._adult(surname, Gender.FEMALE, {}, ethnicity, age=self.random.randint(55, 75))
            services.family_member_add(
                actor=self.actor,
                family=family,
                person=grandparent,
                role=FamilyMembership.Role.GRANDPARENT,
                lives_in_household=False,
            )
            for child in children:
                services.relationship_add(
                    actor=self.actor,
                    from_person=grandparent,
                    to_person=child,
                    kind=Relationship.Kind.SIGNIFICANT_ADULT_TO,
                    details="maternal grandmother",
                )

    def _adult(self, surname: str, gender: str, address: dict[str, str], ethnicity: str, *, age: int) -> Person:
        first = self.fake.first_name_female() if gender == Gender.FEMALE else self.fake.first_name_male()
        return services.person_create(
            actor=self.actor,
            details={
                "kind": Person.Kind.ADULT,
                "first_name": first,
                "last_name": surname,
                "date_of_birth": self._born(age),
                "gender": gender,
                "ethnicity": ethnicity,
                "disability": self.random.choice(
                    [Disability.NO, Disability.NO, Disability.NO, Disability.NOT_KNOWN, Disability.YES]
                ),
                "first_language": "English"
                if self.random.random() < 0.88
                else self.random.choice(["Polish", "Romanian", "Urdu", "Bengali", "Somali"]),
                "nhs_number": self._nhs_number(),
                **address,
            },
        )

    def _child(
        self, surname: str, address: dict[str, str], ethnicity: str, area_name: str, *, youngest_parent_age: int
    ) -> Person:
        age = self.random.randint(0, min(17, max(youngest_parent_age - 17, 0)))
        gender = self.random.choice([Gender.FEMALE, Gender.MALE])
        first = self.fake.first_name_female() if gender == Gender.FEMALE else self.fake.first_name_male()
        school = self._school(area_name, age)
        interpreter = False
        return services.person_create(
            actor=self.actor,
            details={
                "kind": Person.Kind.YOUNG_PERSON if age >= 13 else Person.Kind.CHILD,
                "first_name": first,
                "middle_names": self.fake.first_name() if self.random.random() < 0.3 else "",
                "last_name": surname,
                "preferred_name": first[:3] if self.random.random() < 0.05 and len(first) > 4 else "",
                "date_of_birth": self._born(age),
                "gender": gender,
                "ethnicity": ethnicity,
                "disability": Disability.YES if self.random.random() < 0.08 else Disability.NO,
                "first_language": "English",
                "interpreter_needed": interpreter,
                "nhs_number": self._nhs_number(),
                "upn": self._upn(school) if school is not None and school.kind == Agency.Kind.SCHOOL else "",
                "school": school,
                **address,
            },
        )

    def _unborn(self, surname: str, address: dict[str, str], ethnicity: str) -> Person:
        return services.person_create(
            actor=self.actor,
            details={
                "kind": Person.Kind.UNBORN,
                "first_name": "Unborn",
                "last_name": surname,
                "expected_date_of_delivery": self.today + timedelta(days=self.random.randint(20, 200)),
                "ethnicity": ethnicity,
                **address,
            },
        )

    def _school(self, area_name: str, age: int) -> Agency | None:
        nursery, primary, secondary = self.schools[area_name]
        if age < 2 or age > 16:
            return None
        if age < 4:
            return nursery if self.random.random() < 0.6 else None
        return primary if age < 11 else secondary

    def partner_involvements(self) -> None:
        """Give each demo partner practitioner some people to work with."""
        school_partner = self.users["partner.school"]
        for pupil in Person.objects.filter(school__name="Kingsthorpe Primary School")[:12]:
            services.involvement_start(
                actor=school_partner, person=pupil, practitioner=school_partner, kind=Involvement.Kind.WORKS_WITH
            )
        health_partner = self.users["partner.health"]
        for baby in Person.objects.filter(kind=Person.Kind.UNBORN)[:6]:
            services.involvement_start(
                actor=health_partner, person=baby, practitioner=health_partner, kind=Involvement.Kind.WORKS_WITH
            )
        police_partner = self.users["partner.police"]
        for young_person in Person.objects.filter(kind=Person.Kind.YOUNG_PERSON)[:5]:
            services.involvement_start(
                actor=police_partner, person=young_person, practitioner=police_partner, kind=Involvement.Kind.REFERRED
            )

    def consent_and_sharing(self) -> None:
        """Half the school partner's pupils have the family's consent to share their health details
        and levels of need with the school; the rest show the partner "not shared". One young person
        known to the police was shared about without consent, in the public interest."""
        school_partner = self.users["partner.school"]
        coach = self.users["coach"]
        pupils = list(Person.objects.filter(school__name="Kingsthorpe Primary School").order_by("pk")[:12])
        for pupil in pupils[:6]:
            sharing_recording.consent_record(
                actor=coach,
                statement=sharing_recording.Statement(
                    people=[pupil],
                    given_by=f"A parent of {pupil.first_name}",
                    given_by_who=GivenBy.PARENT,
                    given_on=timezone.localdate() - timedelta(days=30),
                    how=ConsentHow.WRITTEN,
                ),
                consent=sharing_recording.ConsentDetails(
                    given=True,
                    capacity=Capacity.FOR_A_CHILD,
                    purpose="Support at school with what the family asked for help with",
                    agencies=[school_partner.agency] if school_partner.agency else [],
                    parts=[RecordPart.HEALTH, RecordPart.LEVELS_OF_NEED],
                ),
            )
        police_partner = self.users["partner.police"]
        young_person = Person.objects.filter(kind=Person.Kind.YOUNG_PERSON).order_by("pk").first()
        if young_person is not None and police_partner.agency is not None:
            sharing_recording.sharing_decision_record(
                actor=coach,
                details=sharing_recording.DecisionDetails(
                    people=[young_person],
                    shared=True,
                    purpose="To prevent exploitation: he has been seen with adults the police are concerned about",
                    identifiable=True,
                    confidential=True,
                    consent=ConsentPosition.NOT_SOUGHT_UNSAFE,
                    public_interest="Asking could alert those exploiting him; the risk of serious harm outweighs it",
                    for_safeguarding=True,
                    detriment=Detriment.NOT_MORE_DETRIMENTAL,
                    detriment_reasons="Sharing protects him; keeping it back leaves him at risk",
                    recipient_agency=police_partner.agency,
                    recipient="Child exploitation team",
                    what="Where he has been seen, and with whom, from the youth worker's notes",
                    parts=[RecordPart.LEVELS_OF_NEED],
                    how_shared="Secure e-mail to the team's inbox",
                    family_told=FamilyTold.NOT_SAFE,
                ),
            )

    # Identifiers and details -------------------------------------------------------------------

    def _born(self, age: int) -> date:
        return self.today - timedelta(days=age * 365 + self.random.randint(1, 364))

    def _postcode(self, area_name: str) -> str:
        district = self.random.choice(AREAS[area_name])
        letters = "".join(self.random.choice(INWARD_LETTERS) for _ in range(2))
        return f"{district} {self.random.randint(1, 9)}{letters}"

    def _ethnicity(self) -> str:
        codes, weights = zip(*ETHNICITY_WEIGHTS.items(), strict=True)
        return str(self.random.choices(codes, weights=weights)[0])

    def _nhs_number(self) -> str:
        while True:
            first_nine = "999" + "".join(str(self.random.randint(0, 9)) for _ in range(6))
            check = nhs_number_check_digit(first_nine)
            number = f"{first_nine}{check}"
            if check is not None and number not in self.nhs_numbers:
                self.nhs_numbers.add(number)
                return number

    def _upn(self, school: Agency) -> str:
        while True:
            year = f"{(self.today.year - self.random.randint(0, 10)) % 100:02d}"
            last_twelve = f"{AUTHORITY_CODE}{school.urn[-4:]}{year}{self.random.randint(1, 999):03d}"
            upn = upn_check_letter(last_twelve) + last_twelve
            if upn not in self.upns:
                self.upns.add(upn)
                return upn


def two_step_for_demo_users() -> int:
    """Give each demo user who has none an authenticator app with the demo's shared key, so that
    two-step sign-in works in the demo as in a real service (each new, or each loaded before it
    existed). Returns how many were given one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    refuse_unless_allowed()
    given = 0
    for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}"):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo authenticator app", key=DEMO_TWO_STEP_KEY, confirmed=True)
            given += 1
    return given


def two_step_code_now() -> str:
    """The demo key's code at this moment (what an authenticator app with it shows)."""
    from binascii import unhexlify

    from django_otp.oath import totp

    return f"{totp(unhexlify(DEMO_TWO_STEP_KEY)):06d}"


def two_step_key_for_typing() -> str:
    from base64 import b32encode
    from binascii import unhexlify

    text = b32encode(unhexlify(DEMO_TWO_STEP_KEY)).decode()
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def family_due_for_disposal(authority: Authority) -> Family:
    """A family helped long ago whose only child is now 27: due for disposal (ADR 24). Added after
    the front door's and casework's demo families, so that no demo referral picks her."""
    existing: Family | None = Family.objects.filter(authority=authority, name="The Hartley family").first()
    if existing is not None:
        return existing
    actor = User.objects.get(email=f"frontdoor@{DEMO_EMAIL_DOMAIN}")
    with transaction.atomic(), audited_writes():
        family = services.family_create(actor=actor, name="The Hartley family", area=None)
        today = timezone.localdate()
        child = services.person_create(
            actor=actor,
            details={
                "kind": Person.Kind.CHILD,
                "first_name": "Ruth",
                "last_name": "Hartley",
                "date_of_birth": today.replace(year=today.year - 27, day=min(today.day, 28)),
                "gender": Gender.FEMALE,
            },
        )
        services.family_member_add(
            actor=actor, family=family, person=child, role=FamilyMembership.Role.CHILD, lives_in_household=True
        )
    return family
