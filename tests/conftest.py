"""Personas: one user for every role, and a partner practitioner with and without a reason to see
the family in the tests (Alice works with them; Bob does not)."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from earlyhelp.organisations.models import Agency, User
from earlyhelp.organisations.roles import Role
from earlyhelp.people import services
from earlyhelp.people.models import Family, FamilyMembership, Involvement, Person, Relationship
from tests.factories import (
    AdultFactory,
    AgencyFactory,
    AuthorityFactory,
    FamilyFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    add_member,
    relate,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with nothing cached (figures, rate limits), as its database starts empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def authority():
    return AuthorityFactory()


@pytest.fixture
def team(authority):
    return TeamFactory(area__authority=authority, name="Family Support Team North")


def _user(authority, team, role: Role, **extra) -> User:
    return UserFactory(authority=authority, team=team, roles=[role], full_name=role.label, **extra)


@pytest.fixture
def front_door(authority, team):
    return _user(authority, team, Role.FRONT_DOOR_PRACTITIONER)


@pytest.fixture
def coach(authority, team):
    return _user(authority, team, Role.FAMILY_COACH)


@pytest.fixture
def team_leader(authority, team):
    return _user(authority, team, Role.TEAM_LEADER)


@pytest.fixture
def forum_coordinator(authority, team):
    return _user(authority, team, Role.FORUM_COORDINATOR)


@pytest.fixture
def business_support(authority, team):
    return _user(authority, team, Role.BUSINESS_SUPPORT_OFFICER)


@pytest.fixture
def analyst(authority, team):
    return _user(authority, team, Role.PERFORMANCE_ANALYST)


@pytest.fixture
def administrator(authority, team):
    return _user(authority, team, Role.SYSTEM_ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def head_of_service(authority, team):
    return _user(authority, None, Role.HEAD_OF_SERVICE, email="head@example.test")


@pytest.fixture
def information_governance(authority, team):
    """Reads records to answer for them (who looked, subject access, retention); changes none."""
    return _user(authority, team, Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def social_worker(authority):
    return _user(authority, None, Role.SOCIAL_WORKER)


@pytest.fixture
def school(authority) -> Agency:
    return AgencyFactory(authority=authority, name="Kingsthorpe Primary School")


@pytest.fixture
def alice(authority, school):
    """A partner practitioner who works with the child in `okafor`."""
    return UserFactory(authority=authority, agency=school, roles=[Role.PARTNER_PRACTITIONER], full_name="Alice Partner")


@pytest.fixture
def bob(authority, school):
    """A partner practitioner with no reason to see the Okafor family."""
    return UserFactory(authority=authority, agency=school, roles=[Role.PARTNER_PRACTITIONER], full_name="Bob Partner")


@dataclass
class Okafors:
    family: Family
    mother: Person
    child: Person
    mother_membership: FamilyMembership
    child_membership: FamilyMembership
    relationship: Relationship


@pytest.fixture
def okafor(authority, alice) -> Okafors:
    family = FamilyFactory(name="The Okafor family")
    mother = AdultFactory(first_name="Grace", last_name="Okafor", postcode="NN3 6PX")
    child = PersonFactory(first_name="Tobi", last_name="Okafor", postcode="NN3 6PX")
    mother_membership = add_member(family, mother, FamilyMembership.Role.PARENT)
    child_membership = add_member(family, child)
    relationship = relate(mother, child)
    services.involvement_start(actor=alice, person=child, practitioner=alice, kind=Involvement.Kind.WORKS_WITH)
    return Okafors(family, mother, child, mother_membership, child_membership, relationship)


def authenticator_of(user: User):
    """The user's authenticator app (made, with a key of its own, if they have none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def code_from(device) -> str:
    """What the app shows: the code for now, or, if that code was used already (two sign-ins in
    one 30 seconds), the next one, which the service accepts a step early."""
    import time

    from django_otp.oath import hotp

    device.refresh_from_db()
    step = max(int(time.time() - device.t0) // device.step, device.last_t + 1)
    while step > int(time.time() - device.t0) // device.step + device.tolerance:  # pragma: no cover
        time.sleep(1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def sign_in_through_both_steps(client: Client, user: User, password: str = PASSWORD, **extra):
    """The password, then a code from the user's authenticator app, as a person signs in."""
    response = client.post("/sign-in/", {"username": user.email, "password": password}, **extra)
    assert response.status_code == 302, response
    return client.post("/account/two-step/", {"code": code_from(authenticator_of(user))}, **extra)


def signed_in(user: User) -> Client:
    """A client signed in as the user, past both steps: as force_login skips the password, this
    skips the second step (tests/test_two_step.py signs in through both)."""
    from earlyhelp.accounts import two_step

    client = Client()
    client.force_login(user)
    session = client.session
    session[two_step.SESSION_KEY] = two_step.PASSED
    session.save()
    return client


@pytest.fixture
def frameworks(db):
    """The shipped thresholds frameworks, loaded; Northamptonshire's is in use."""
    from earlyhelp.thresholds.services import frameworks_load_shipped

    return {result.version.framework.name: result.version for result in frameworks_load_shipped()}


@pytest.fixture
def committed_db(transactional_db) -> Iterator[None]:
    """Data committed for real (a live server, or threads with their own connections, read it).

    The whole database is emptied afterwards; the append-only audit guard would refuse that, so
    it is lifted for the clean-up only and restored for the next test. The emptying takes the
    reference data the migrations load (the needs) with it, so each such test loads them again."""
    from django.db import connection

    from earlyhelp.audit.database import install_append_only_guard, remove_append_only_guard
    from earlyhelp.casework.configuration import assessment_templates_load, needs_lists_load
    from earlyhelp.directory.models import Need
    from earlyhelp.directory.needs import needs_ensure

    install_append_only_guard(connection)
    needs_ensure(Need)
    needs_lists_load()
    assessment_templates_load()
    yield
    remove_append_only_guard(connection)
