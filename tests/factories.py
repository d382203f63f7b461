"""One factory per thing, creating people and families through the audited services, exactly as
the service does, so that tests never hold data the product could not have written."""

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from earlyhelp.organisations.models import Agency, Area, Authority, RoleAssignment, Team, User
from earlyhelp.organisations.roles import Role
from earlyhelp.people import services
from earlyhelp.people.identifiers import nhs_number_check_digit
from earlyhelp.people.models import Family, FamilyMembership, Person, Relationship
from earlyhelp.sharing import recording


def valid_nhs_number(serial: int) -> str:
    """A valid test-range NHS number (999…) for each serial that has one."""
    while True:
        first_nine = f"999{serial:06d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
        serial += 500_000


class AuthorityFactory(DjangoModelFactory[Authority]):
    class Meta:
        model = Authority
        django_get_or_create = ("code",)

    name = "Testshire County Council"
    code = "928"


class AreaFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.FAMILY_SUPPORT


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.SCHOOL
    urn = factory.Sequence(lambda n: f"{3000 + n:04d}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    authority = factory.SubFactory(AuthorityFactory)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: Any) -> None:
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role)


def system_user() -> User:
    """The actor for data a test needs to exist before the test's own user acts."""
    user, _ = User.objects.get_or_create(
        email="setup@example.test", defaults={"full_name": "Test set-up", "authority": AuthorityFactory()}
    )
    if not user.role_assignments.exists():
        RoleAssignment.objects.create(user=user, role=Role.FRONT_DOOR_PRACTITIONER)
    return user


class PersonFactory(factory.Factory[Person]):
    class Meta:
        model = dict

    kind = Person.Kind.CHILD
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth: date | None = date(2015, 3, 27)
    postcode = "NN1 5AB"
    nhs_number = factory.Sequence(valid_nhs_number)

    @classmethod
    def _create(cls, model_class: Any, actor: User | None = None, **details: Any) -> Person:
        return services.person_create(actor=actor or system_user(), details=details)

    @classmethod
    def _build(cls, model_class: Any, **details: Any) -> Any:
        return details


class AdultFactory(PersonFactory):
    kind = Person.Kind.ADULT
    date_of_birth = date(1988, 7, 14)


class UnbornFactory(PersonFactory):
    kind = Person.Kind.UNBORN
    first_name = "Unborn"
    date_of_birth = None
    expected_date_of_delivery = factory.LazyFunction(lambda: date.today().replace(day=1))


class FamilyFactory(factory.Factory[Family]):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"The Test{n} family")

    @classmethod
    def _create(cls, model_class: Any, actor: User | None = None, **details: Any) -> Family:
        return services.family_create(actor=actor or system_user(), **details)


def add_member(family: Family, person: Person, role: str = FamilyMembership.Role.CHILD) -> FamilyMembership:
    return services.family_member_add(
        actor=system_user(), family=family, person=person, role=role, lives_in_household=True
    )


def relate(from_person: Person, to_person: Person, kind: str = Relationship.Kind.PARENT_OF) -> Relationship:
    return services.relationship_add(actor=system_user(), from_person=from_person, to_person=to_person, kind=kind)


def level_of_need_decided(person: Person, indicators: tuple[str, ...] = ("l2-learning-01",), level: int = 2):
    """A recorded level-of-need decision for `person`, made with the framework in use."""
    from earlyhelp.thresholds.rules import Facts
    from earlyhelp.thresholds.selectors import framework_version_latest
    from earlyhelp.thresholds.services import frameworks_load_shipped, level_of_need_record

    version = framework_version_latest()
    if version is None:
        frameworks_load_shipped()
        version = framework_version_latest()
    assert version is not None
    return level_of_need_record(
        actor=system_user(),
        person=person,
        version=version,
        indicators=list(indicators),
        facts=Facts(),
        level=level,
        override_reason="" if level == 2 else "Set up for a test",
    )


def a_referral(**changes: Any):
    """A complete, valid referral for one child and her mother, with consent to early help."""
    from earlyhelp.frontdoor.models import ConsentCovers
    from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral

    child = PersonDetails(
        role="child", first_name="Maya", last_name="Brennan", date_of_birth=date(2016, 5, 4), postcode="NN2 6LT"
    )
    mother = PersonDetails(
        role="parent", first_name="Siobhan", last_name="Brennan", email="siobhan@example.test", postcode="NN2 6LT"
    )
    values: dict[str, Any] = {
        "referrer_name": "Priya Shah",
        "referrer_role": "Designated safeguarding lead",
        "referrer_email": "priya.shah@school.example.test",
        "children": [child],
        "adults": [mother],
        "needs": ["family-conflict", "emotional-wellbeing"],
        "reason": "Maya is withdrawn at school since her parents separated; arguments at home.",
        "consent": ConsentDetails(
            status="given",
            given_by="Siobhan Brennan (mother)",
            given_on=date(2026, 11, 20),  # before the fixed "today" of the referral checks' tests
            how="written",
            covers=[ConsentCovers.EARLY_HELP_SERVICE, ConsentCovers.SHARE_WITH_AGENCIES],
        ),
    }
    values.update(changes)
    return Referral(**values)


def contact_received(referrer: User | None = None, received_at: Any = None, **changes: Any):
    """A contact on the front door's queue, as a signed-in professional sent it (now, or at
    `received_at`)."""
    from earlyhelp.frontdoor.models import Contact
    from earlyhelp.frontdoor.receiving import contact_receive

    referrer = referrer or system_user()
    when = {"received_at": received_at} if received_at is not None else {}
    return contact_receive(
        referral=a_referral(**changes),
        source=Contact.Source.PROFESSIONAL,
        authority_id=referrer.authority_id,
        referrer_user=referrer,
        **when,
    )


def episode_awaiting(team: Team, referrer: User | None = None, **changes: Any):
    """An episode the front door opened by allocating a referral to `team`, awaiting a coach.
    The referral arrived two days ago unless `received_at` says otherwise."""
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.casework.models import Episode
    from earlyhelp.frontdoor import deciding, matching

    actor = system_user()
    changes.setdefault("received_at", timezone.now() - timedelta(days=2))
    contact = contact_received(referrer, **changes)
    for entry in contact.people.all():
        # As the front door would: someone already recorded is matched, anyone else recorded.
        known = Person.objects.filter(
            first_name=entry.first_name, last_name=entry.last_name, date_of_birth=entry.date_of_birth
        ).first()
        if known is not None:
            matching.contact_person_match(seen_version=None, actor=actor, entry=entry, person=known)
        else:
            matching.contact_person_record(seen_version=None, actor=actor, entry=entry)
    contact.refresh_from_db()
    from earlyhelp.thresholds.rules import Facts
    from earlyhelp.thresholds.selectors import framework_version_latest
    from earlyhelp.thresholds.services import frameworks_load_shipped

    version = framework_version_latest()
    if version is None:
        frameworks_load_shipped()
        version = framework_version_latest()
    assert version is not None
    deciding.contact_level_of_need_record(
        actor=actor, contact=contact, version=version, indicators=["l2-learning-01"], facts=Facts(), level=2
    )
    deciding.contact_decide(actor=actor, contact=contact, outcome="allocate", reasons="Meets the criteria", team=team)
    return Episode.objects.get(referrals__contact=contact)


def allocation_note(coach: User | None, episode, **changes: Any):
    """A complete allocation note for `episode`: each child scored 5 and coded with a need."""
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.casework.allocating import AllocationNote, ChildAtAllocation

    today = timezone.localdate()
    values: dict[str, Any] = {
        "coach": coach,
        "weight": Decimal("1.0"),
        "note": "Two children; family conflict since the separation. Visit this week.",
        "first_visit_due": today + timedelta(days=7),
        "assessment_due": today + timedelta(days=20),
        "first_meeting_due": today + timedelta(days=30),
        "manager_review_due": today + timedelta(days=28),
        "children": [
            ChildAtAllocation(
                person_id=child.person_id, wellbeing=5, needs=["family-conflict", "sf-family-relationships"]
            )
            for child in episode.children.all()
        ],
    }
    values.update(changes)
    return AllocationNote(**values)


def episode_allocated(team: Team, coach: User, leader: User, **changes: Any):
    """An open episode: opened by the front door, allocated to `coach` by `leader`."""
    from earlyhelp.casework.allocating import episode_allocate

    episode = episode_awaiting(team, **changes)
    return episode_allocate(actor=leader, episode=episode, note=allocation_note(coach, episode), seen_version=None)


def consent_to_share(
    people: list[Person],
    agencies: list[Agency],
    parts: tuple[str, ...] = ("health", "levels_of_need", "early_help"),
    *,
    actor: User | None = None,
):
    """The family's consent to share these parts of these people's records with these agencies."""
    return recording.consent_record(
        actor=actor or system_user(),
        statement=recording.Statement(
            people=people, given_by="Grace Okafor", given_by_who="parent", given_on=date.today(), how="written"
        ),
        consent=recording.ConsentDetails(
            given=True, capacity="for_a_child", purpose="Help at school", agencies=agencies, parts=list(parts)
        ),
    )
