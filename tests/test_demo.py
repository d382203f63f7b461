import pytest
from django.core.management import call_command

from earlyhelp.core import demo
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Role
from earlyhelp.people.identifiers import nhs_number_is_valid, postcode_is_valid, upn_is_valid
from earlyhelp.people.models import Family, Person

pytestmark = pytest.mark.django_db


def test_the_demo_authority_has_a_user_in_every_role_and_valid_identifiers():
    demo.load(families=12)
    roles = {assignment.role for user in User.objects.all() for assignment in user.role_assignments.all()}
    assert roles == set(Role.values)
    assert Family.objects.count() == 12
    people = list(Person.objects.all())
    assert all(nhs_number_is_valid(person.nhs_number) for person in people if person.nhs_number)
    assert all(person.nhs_number.startswith("999") for person in people if person.nhs_number)
    assert all(upn_is_valid(person.upn) for person in people if person.upn)
    assert any(person.upn for person in people)
    assert all(postcode_is_valid(person.postcode) for person in people if person.postcode)
    assert User.objects.get(email="frontdoor@demo.earlyhelp.test").check_password(demo.DEMO_PASSWORD)


def test_loading_the_demo_twice_changes_nothing(capsys):
    call_command("load_demo", families=3)
    call_command("load_demo", families=3)
    assert Family.objects.count() == 3
    assert "already loaded" in capsys.readouterr().out
