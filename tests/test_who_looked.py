"""Information governance: who looked at this child's record, and why (issue 13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.organisations.roles import Role
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(authority, team):
    return UserFactory(authority=authority, roles=[Role.INFORMATION_GOVERNANCE], full_name="Information governance")


def test_the_record_says_who_looked_and_why_they_could(okafor, alice, coach, bob, governance):
    signed_in(alice).get(f"/people/{okafor.child.pk}/")
    signed_in(coach).get(f"/people/{okafor.child.pk}/")
    signed_in(bob).get(f"/people/{okafor.child.pk}/")
    page = signed_in(governance).get(f"/people/{okafor.child.pk}/access-log/").content.decode()
    today = f"{timezone.localdate():%-d %B %Y}"
    assert "Who looked at this record, and why" in page
    assert f"Works with them from {today}" in page
    assert "Their role (Family coach) reads every record of the authority" in page
    assert "Refused: No reason to see it (Partner practitioner)" in page


def test_information_governance_reads_records_and_who_looked_but_changes_nothing(okafor, governance):
    client = signed_in(governance)
    assert client.get(f"/people/{okafor.child.pk}/").status_code == 200
    assert client.get("/record-of-access/refused/").status_code == 200
    assert client.get(f"/people/{okafor.child.pk}/edit/").status_code == 404
    page = client.get(f"/people/{okafor.child.pk}/").content.decode()
    assert "Not shown to your role" in page  # health details are for those who work with families


def test_the_record_of_access_reads_in_the_same_number_of_queries_however_many_looked(okafor, authority, governance):
    def count() -> int:
        client = signed_in(governance)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/people/{okafor.child.pk}/access-log/").status_code == 200
        return len(queries)

    UserFactory(authority=authority, roles=[Role.FAMILY_COACH])
    signed_in(UserFactory(authority=authority, roles=[Role.FAMILY_COACH])).get(f"/people/{okafor.child.pk}/")
    before = count()
    for _ in range(5):
        signed_in(UserFactory(authority=authority, roles=[Role.TEAM_LEADER])).get(f"/people/{okafor.child.pk}/")
    assert count() == before
