"""The forums' pages make the same number of queries however many requests, members, actions and
meetings they show: counted, never timed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.forums import requesting, running
from earlyhelp.forums.models import ForumMember
from tests import forums_world as world_of
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(authority, forum_coordinator, business_support, alice, frameworks):
    built = world_of.forum_world(
        authority, coordinator=forum_coordinator, business_support=business_support, core=alice
    )
    return world_of.with_a_discussed_case(built)


def counted(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(world, count: int) -> None:
    """More of everything: members, named and anonymous requests waiting and accepted, cases
    followed up with actions, attendance."""
    past = world_of.past_meeting(world.forum, days_ago=8 + count)
    discussed_now = []
    for number in range(count):
        extended = world_of.member(
            world.forum, world_of.partner(world.forum.authority, f"Extra {count}-{number}"), ForumMember.Kind.EXTENDED
        )
        waiting = requesting.request_submit(
            actor=world.requester,
            forum=world.forum,
            details=world_of.named(world.requester, child_name=f"Child {number}"),
        )
        requesting.request_submit(actor=world.requester, forum=world.forum, details=world_of.details(world.requester))
        world_of.invite(world, waiting, extended)
        world_of.accept(world, waiting)
        discussed = requesting.request_submit(
            actor=world.requester,
            forum=world.forum,
            details=world_of.named(world.requester, child_name=f"Past {number}"),
        )
        world_of.accept(world, discussed, past)
        discussed_now.append(discussed)
    for discussed in discussed_now:
        running.discussion_record(
            actor=world.coordinator.user,
            member=world.coordinator,
            meeting=past,
            request=discussed,
            notes="Discussed",
            decisions="Actions",
            actions=[running.ActionDetails("Call", "Alice", "School", past.held_on)] * 2,
        )
    running.attendance_record(
        actor=world.coordinator.user,
        member=world.coordinator,
        meeting=world.extra["discussed"].discussions.get().meeting,
        attendees=[
            running.Attendee(name=member.user.full_name, agency_name="Agency", part="both", member=member)
            for member in world.forum.members.all()
        ],
    )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("coordinator", "/forums/"),
        ("coordinator", "/forums/reports/"),
        ("coordinator", "/forums/reports/?since_0=1&since_1=1&since_2=2020"),
        ("coordinator", "/forums/{forum}/"),
        ("core", "/forums/{forum}/"),
        ("coordinator", "/forum-meetings/{meeting}/"),
        ("extended_not_invited", "/forum-meetings/{meeting}/"),
        ("coordinator", "/forum-meetings/{past}/"),
        ("coordinator", "/forum-requests/{case}/"),
        ("coordinator", "/forum-meetings/{past}/attendance/"),
        ("coordinator", "/forum-meetings/{meeting}/discussions/{case}/"),
    ],
)
def test_each_forum_page_makes_the_same_queries_as_it_grows(world, who, url):
    past = world.extra["discussed"].discussions.get().meeting
    address = url.format(forum=world.forum.pk, meeting=world.meeting.pk, past=past.pk, case=world.extra["discussed"].pk)
    user = getattr(world, who).user
    client = signed_in(user)
    grow(world, 1)
    small = counted(client, address)
    grow(world, 4)
    assert counted(client, address) == small
