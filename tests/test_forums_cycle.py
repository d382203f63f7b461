"""The forum's cycle as background tasks, with the clock moved through a meeting's four weeks:
members asked four weeks before, the deadline two weeks before, the agenda one week before, the
meeting, the decisions due three working days after. Each step happens once, on its day, however
often the cycle runs; the e-mails carry links and references, never a child's name."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.core.templatetags.govuk_dates import govuk_date
from earlyhelp.forums import cycle, requesting, running
from earlyhelp.forums.models import Forum, ForumMeeting, RequestForDiscussion
from tests import forums_world as world_of

LONDON = ZoneInfo("Europe/London")


def run_worker() -> None:
    """What `manage.py db_worker` does in `make run`: every task that is due, then stop."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, interval=0)


def at(day, hour=7):
    return datetime.combine(day, time(hour), tzinfo=LONDON)


@pytest.fixture
def monthly(committed_db, authority, forum_coordinator, business_support, alice, frameworks):
    """A forum that first meets more than four weeks from now, so its whole cycle is ahead."""
    today = timezone.localdate()
    forum = world_of.a_forum(authority, first_meeting_on=today + timedelta(days=35))
    coordinator = world_of.member(forum, forum_coordinator, "coordinator")
    world_of.member(forum, business_support, "business_support")
    world_of.member(forum, alice, "core")
    meeting = ForumMeeting.objects.filter(forum=forum).order_by("held_on").first()
    return forum, coordinator, meeting


def test_the_cycle_runs_each_step_on_its_day_across_four_weeks(monthly, alice):
    forum, coordinator, meeting = monthly
    sent_on: dict[str, date] = {}
    made: RequestForDiscussion | None = None
    day = meeting.held_on - timedelta(days=30)
    while day <= meeting.held_on + timedelta(days=7):
        with time_machine.travel(at(day), tick=False):
            before = len(mail.outbox)
            if day == meeting.held_on - timedelta(days=20):
                made = requesting.request_submit(actor=alice, forum=forum, details=world_of.details(alice))
            if day == meeting.held_on - timedelta(days=12):
                assert made is not None
                requesting.request_decide(
                    actor=coordinator.user,
                    member=coordinator,
                    request=made,
                    decision=requesting.Decision.ACCEPT,
                    meeting=meeting,
                    reason="",
                    seen_version=None,
                )
                running.agenda_confirm(actor=coordinator.user, member=coordinator, meeting=meeting)
            cycle.forum_cycle.enqueue()
            run_worker()
            run_worker()  # a second run on the same day changes nothing
            for message in mail.outbox[before:]:
                sent_on.setdefault(str(message.subject), day)
        day += timedelta(days=1)
    assert made is not None
    held = govuk_date(meeting.held_on)
    when = {
        subject: (sent - meeting.held_on).days
        for subject, sent in sent_on.items()
        if held in subject or made.reference in subject
    }
    assert when == {
        f"{forum}: cases and issues for {held}": -28,
        f"{forum}: 1 request(s) to review for {held}": -14,
        f"{forum}: the agenda for {held}": -7,
        f"{forum}: your request {made.reference} is on the agenda": -7,
        f"{forum}: the decisions of {held} are due": when_decisions(meeting),
    }
    meeting.refresh_from_db()
    assert meeting.members_asked_at
    assert meeting.deadline_reminded_at
    assert meeting.agenda_sent_at
    assert meeting.decisions_reminded_at is not None
    asked = next(m for m in mail.outbox if "cases and issues" in m.subject)
    assert set(asked.to) == {coordinator.user.email, alice.email, forum.members.get(kind="business_support").user.email}
    agenda = next(m for m in mail.outbox if "the agenda" in m.subject)
    assert made.reference in agenda.body
    assert "Maya" not in agenda.body
    assert f"/forum-meetings/{meeting.pk}/" in agenda.body
    slot = next(m for m in mail.outbox if "is on the agenda" in m.subject)
    assert slot.to == [alice.email]
    assert "10:00 to 10:20" in slot.body


def when_decisions(meeting: ForumMeeting) -> int:
    """The first day after the third working day from the meeting."""
    from earlyhelp.forums.running import decisions_due_on

    return (decisions_due_on(meeting) - meeting.held_on).days + 1


def test_a_fortnightly_neighbourhood_meeting_fits_the_same_cycle(committed_db, authority, alice, frameworks):
    today = timezone.localdate()
    forum = world_of.a_forum(
        authority,
        name="Newham North neighbourhood action meeting",
        kind=Forum.Kind.NEIGHBOURHOOD_ACTION_MEETING,
        pattern=Forum.Pattern.FORTNIGHTLY,
        first_meeting_on=today + timedelta(days=15),
        ask_days_before=10,
        deadline_days_before=5,
        agenda_days_before=2,
    )
    world_of.member(forum, alice, "core")
    first, second = ForumMeeting.objects.filter(forum=forum).order_by("held_on")[:2]
    assert (second.held_on - first.held_on).days == 14
    asked = []
    day = today
    while day < second.held_on:
        with time_machine.travel(at(day), tick=False):
            before = len(mail.outbox)
            steps = cycle.cycle_advance(now=timezone.now())
            run_worker()
            if any("members asked" in step for step in steps):
                asked.append(day)
            assert len(mail.outbox) >= before
        day += timedelta(days=1)
    assert asked == [first.held_on - timedelta(days=10), second.held_on - timedelta(days=10)]


def test_the_cycle_keeps_a_year_of_meetings_and_queues_itself_once(monthly):
    forum, _, _ = monthly
    assert cycle.cycle_start() is True
    assert cycle.cycle_start() is False
    run_worker()
    queued = DBTaskResult.objects.filter(task_path=cycle.FORUM_CYCLE_PATH, status="READY")
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now() + timedelta(minutes=59)
    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        cycle.cycle_advance(now=timezone.now())
    last = ForumMeeting.objects.filter(forum=forum).order_by("-held_on").first()
    assert last is not None
    assert last.held_on > timezone.localdate() + timedelta(days=365 + 40 - 31)


def test_a_cancelled_meeting_takes_no_steps(monthly):
    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.audit.trail import audited_writes, record_change

    _, _, meeting = monthly
    with audited_writes():
        meeting.status = ForumMeeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
        record_change(actor=None, actor_label="test", verb=AuditEvent.Verb.UPDATED, target=meeting, changes={})
    with time_machine.travel(at(meeting.asks_on), tick=False):
        assert cycle.cycle_advance(now=timezone.now()) == []
