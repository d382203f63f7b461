"""Two people press the same button at a forum (issue 15): real concurrent calls on PostgreSQL,
each thread with its own connection, against data committed for real. One wins; the other is
told, and nothing is done twice. The cycle run by two workers at once does each step once."""

from datetime import datetime, time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.forums import cycle, requesting, running
from earlyhelp.forums.models import Discussion, ForumMeeting, ForumMember, RequestForDiscussion
from tests import forums_world as world_of
from tests.test_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql_only() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")


def _failures(results: list[Any]) -> list[Any]:
    return [result for result in results if isinstance(result, Exception)]


@pytest.fixture
def world(committed_db, authority, forum_coordinator, business_support, alice, frameworks):
    return world_of.forum_world(
        authority, coordinator=forum_coordinator, business_support=business_support, core=alice, accepted=False
    )


def test_the_coordinator_and_business_support_deciding_one_request_at_once_decide_it_once(postgresql_only, world):
    deciders = iter([world.coordinator, world.business_support])

    def decide() -> Any:
        member = next(deciders)
        decision = (
            requesting.Decision.ACCEPT if member.kind == ForumMember.Kind.COORDINATOR else requesting.Decision.HOLD
        )
        return requesting.request_decide(
            actor=member.user,
            member=member,
            request=RequestForDiscussion.objects.get(pk=world.named_case.pk),
            decision=decision,
            meeting=ForumMeeting.objects.get(pk=world.meeting.pk),
            reason="Agenda full",
            seen_version=world.named_case.version,
        )

    failures = _failures(at_once(2, decide))
    assert len(failures) == 1
    assert isinstance(failures[0], ValidationError)
    assert RequestForDiscussion.objects.get(pk=world.named_case.pk).version == world.named_case.version + 1


def test_two_records_of_one_discussion_at_once_save_one(postgresql_only, world):
    past = world_of.past_meeting(world.forum)
    world_of.accept(world, world.named_case, past)
    recorders = iter([world.coordinator, world.business_support])

    def record() -> Any:
        member = next(recorders)
        return running.discussion_record(
            actor=member.user,
            member=member,
            meeting=ForumMeeting.objects.get(pk=past.pk),
            request=RequestForDiscussion.objects.get(pk=world.named_case.pk),
            notes=f"By {member.user}",
            decisions="A CAF",
            actions=[running.ActionDetails("Call", "Alice", "School", past.held_on)],
        )

    failures = _failures(at_once(2, record))
    assert len(failures) == 1
    assert Discussion.objects.filter(request=world.named_case).count() == 1
    assert world.named_case.actions.count() == 1


def test_two_cycles_at_once_ask_the_members_once(postgresql_only, world):
    meeting = world.meeting
    now = timezone.make_aware(datetime.combine(meeting.asks_on, time(8)))
    results = at_once(2, lambda: cycle.cycle_advance(now=now))
    assert not _failures(results)
    asked = [step for result in results for step in result if step.endswith(f"{meeting.held_on}: members asked")]
    assert len(asked) == 1
    assert ForumMeeting.objects.get(pk=meeting.pk).members_asked_at is not None
