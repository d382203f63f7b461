"""`any_of` (earlyhelp/core/lookups.py): the rows `in` would give, with the list sent as one array
on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.organisations.models import Team
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(authority):
    return [TeamFactory(area__authority=authority) for _ in range(4)]


@pytest.mark.parametrize("chosen", [[0], [1, 3], [0, 1, 2, 3], [2, 2]])
def test_any_of_gives_the_rows_in_gives(teams, chosen):
    ids = [teams[index].pk for index in chosen]
    assert list(Team.objects.filter(pk__any_of=ids).order_by("pk")) == list(
        Team.objects.filter(pk__in=ids).order_by("pk")
    )
    assert {team.pk for team in Team.objects.filter(pk__any_of=ids)} == set(ids)


def test_ids_that_match_nothing_give_nothing(teams):
    assert list(Team.objects.filter(pk__any_of=[max(team.pk for team in teams) + 1])) == []


def test_an_empty_list_asks_the_database_nothing(teams):
    with CaptureQueriesContext(connection) as asked:
        assert list(Team.objects.filter(pk__any_of=[])) == []
    assert len(asked) == 0


def test_the_list_is_one_value_on_postgresql_and_an_in_list_elsewhere(teams):
    ids = [team.pk for team in teams]
    with CaptureQueriesContext(connection) as asked:
        list(Team.objects.filter(pk__any_of=ids))
    sql = asked.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert " IN (" not in sql
    else:
        assert f"IN ({', '.join(str(pk) for pk in ids)})" in sql
