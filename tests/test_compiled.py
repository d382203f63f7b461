"""Queries built once (earlyhelp/core/compiled.py, ADR 26): the same rows as the ORM's own query,
for every id and every length of list, and a query that would not pass its ids on unchanged is
refused when first built rather than answering wrongly."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Prefetch, Q
from django.test.utils import CaptureQueriesContext

from earlyhelp.core.compiled import Compiled, _padded_length, _storable
from earlyhelp.organisations.models import Team, User
from earlyhelp.organisations.roles import Role
from tests.factories import TeamFactory, UserFactory


def by_team(team: int):
    return User.objects.filter(team_id=team).select_related("team").order_by("pk")


@pytest.fixture
def teams(authority):
    teams = [TeamFactory(area__authority=authority) for _ in range(3)]
    for number, team in enumerate(teams):
        for _ in range(number + 1):
            UserFactory(authority=authority, team=team, roles=[Role.FAMILY_COACH])
    return teams


@pytest.mark.django_db
def test_one_id_gives_what_the_orm_gives_and_a_new_id_new_rows(teams):
    compiled = Compiled(by_team)
    for team in [*teams, *reversed(teams)]:
        got = compiled.list(team=team.pk)
        assert [user.pk for user in got] == [user.pk for user in by_team(team.pk)]
        assert all(user.team == team for user in got)  # the joined team came with them
    assert compiled.list(team=999_999) == []


@pytest.mark.django_db
def test_the_sql_is_built_once_and_then_only_run(teams):
    compiled = Compiled(by_team)
    compiled.list(team=teams[0].pk)
    with CaptureQueriesContext(connection) as captured:
        compiled.list(team=teams[1].pk)
        compiled.list(team=teams[2].pk)
    assert len(captured) == 2
    assert captured[0]["sql"].replace(str(teams[1].pk), "?") == captured[1]["sql"].replace(str(teams[2].pk), "?")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 2, 4, 5, 16, 17, 64, 65, 256, 257, 600])
def test_a_list_of_any_length_gives_what_the_orm_gives(authority, team, count):
    users = [UserFactory.build(authority=authority, team=team, email=f"user{n}@example.test") for n in range(count)]
    User.objects.bulk_create(users)
    ids = sorted(User.objects.filter(team=team).values_list("pk", flat=True))[:count]
    compiled = Compiled(lambda users: User.objects.filter(pk__in=users).order_by("pk"), lists=("users",))
    assert [user.pk for user in compiled.list(users=ids)] == ids
    # Twice the same id, and the ids in another order: the same rows once each.
    assert [user.pk for user in compiled.list(users=[*reversed(ids), ids[0]])] == ids


def test_lists_are_padded_to_a_few_lengths():
    assert [_padded_length(n) for n in (1, 2, 4, 5, 16, 17, 64, 65, 256, 257, 600)] == [
        1,
        4,
        4,
        16,
        16,
        64,
        64,
        256,
        256,
        512,
        768,
    ]


@pytest.mark.django_db
def test_an_empty_list_asks_nothing(teams):
    compiled = Compiled(lambda users: User.objects.filter(pk__in=users), lists=("users",))
    with CaptureQueriesContext(connection) as captured:
        assert compiled.list(users=[]) == []
    assert len(captured) == 0
    with pytest.raises(TypeError):
        compiled.list(users=3)


@pytest.mark.django_db
def test_values_lists_and_prefetching_come_back_as_from_the_orm(teams):
    names = Compiled(lambda team: User.objects.filter(team_id=team).order_by("pk").values_list("pk", "full_name"))
    assert names.list(team=teams[2].pk) == list(by_team(teams[2].pk).values_list("pk", "full_name"))
    with_members = Compiled(
        lambda team: Team.objects.filter(pk=team).prefetch_related(Prefetch("members", to_attr="shown"))
    )
    (found,) = with_members.list(team=teams[1].pk)
    assert sorted(user.pk for user in found.shown) == sorted(user.pk for user in by_team(teams[1].pk))


@pytest.mark.django_db
def test_a_query_that_changes_its_id_on_the_way_is_refused(teams):
    with pytest.raises(ImproperlyConfigured, match="unchanged"):
        Compiled(lambda team: User.objects.filter(team_id=team + 1)).list(team=teams[0].pk)
    with pytest.raises(ImproperlyConfigured, match="Unexpected"):
        Compiled(lambda team: User.objects.filter(team_id=team, agency_id=team + 1)).list(team=teams[0].pk)


@pytest.mark.django_db
def test_an_id_the_query_uses_twice_is_put_in_both_places(teams):
    either = Compiled(lambda team: User.objects.filter(Q(team_id=team) | Q(agency_id=team)).order_by("pk"))
    for team in teams:
        expected = list(User.objects.filter(Q(team_id=team.pk) | Q(agency_id=team.pk)).order_by("pk"))
        assert either.list(team=team.pk) == expected


@pytest.mark.django_db
def test_a_shape_such_as_a_page_is_built_once_for_each_value(authority, team):
    User.objects.bulk_create(
        [UserFactory.build(authority=authority, team=team, email=f"paged{n}@example.test") for n in range(7)]
    )
    every = list(User.objects.filter(team=team).order_by("pk").values_list("pk", flat=True))
    paged = Compiled(
        lambda team, offset: (
            User.objects.filter(team_id=team).order_by("pk").values_list("pk", flat=True)[offset : offset + 3]
        ),
        shapes=("offset",),
    )
    assert [paged.list(team=team.pk, offset=offset) for offset in (0, 3, 6, 0)] == [
        every[0:3],
        every[3:6],
        every[6:9],
        every[0:3],
    ]


@pytest.mark.django_db
def test_an_id_no_column_can_hold_matches_nothing(teams):
    one = Compiled(by_team)
    many = Compiled(lambda users: User.objects.filter(pk__in=users).order_by("pk"), lists=("users",))
    assert one.list(team=2**70) == []
    first = User.objects.order_by("pk")[0]
    assert many.list(users=[2**70, first.pk, -(2**64)]) == [first]
    assert many.list(users=[2**70]) == []


def test_the_ids_a_column_can_hold_are_the_64_bit_integers_exactly():
    assert _storable(2**63 - 1)
    assert _storable(-(2**63))
    assert _storable(0)
    assert not _storable(2**63)
    assert not _storable(-(2**63) - 1)


@pytest.mark.django_db
def test_several_named_ids_and_a_list_each_go_to_their_own_places(authority, teams):
    some = Compiled(
        lambda authority, team, users: User.objects.filter(authority_id=authority, team_id=team, pk__in=users).order_by(
            "pk"
        ),
        lists=("users",),
    )
    for team in teams:
        members = list(User.objects.filter(team=team).order_by("pk"))
        wanted = [member.pk for member in members][:2]
        assert some.list(authority=authority.pk, team=team.pk, users=wanted) == members[:2]
    assert some.list(authority=authority.pk + 1, team=teams[0].pk, users=[teams[0].members.first().pk]) == []


@pytest.mark.django_db
def test_the_querys_own_numbers_yes_no_and_words_stay_as_written(teams):
    """Only the stand-ins are ids to replace: a number, a yes or no and a word the query holds
    itself are left as they are."""
    mixed = Compiled(
        lambda team: (
            User.objects.filter(team_id=team, pk__gt=0, is_active=True)
            .exclude(email="nobody@example.test")
            .order_by("pk")
        )
    )
    for team in teams:
        assert mixed.list(team=team.pk) == list(by_team(team.pk).filter(is_active=True))
