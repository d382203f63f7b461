"""Setting a forum's dates a year ahead (EHF "Frequency"), and moving or cancelling one."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, audited_writes, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.forums import meeting_dates
from earlyhelp.forums.models import Forum, ForumMeeting
from earlyhelp.organisations.models import User


def dates_for(forum: Forum, *, start: date, end: date) -> list[date]:
    if forum.pattern == Forum.Pattern.FORTNIGHTLY:
        return meeting_dates.fortnightly(first=forum.first_meeting_on, start=start, end=end)
    return meeting_dates.monthly(
        weekday=forum.weekday, week=forum.week_of_month, first=forum.first_meeting_on, start=start, end=end
    )


def meetings_set_a_year_ahead(*, forum: Forum, today: date, actor: User | None = None) -> list[ForumMeeting]:
    """Add the meetings from `today` to a year ahead that are not yet in the calendar. A planned
    date already there (held, moved or cancelled) is left as it is. Safe to run again."""
    wanted = dates_for(forum, start=today, end=meeting_dates.a_year_from(today))
    with audited_writes():
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        have = set(ForumMeeting.objects.filter(forum=forum, planned_on__gte=today).values_list("planned_on", flat=True))
        added = []
        for day in wanted:
            if day in have:
                continue
            meeting = ForumMeeting.objects.create(
                forum=forum, planned_on=day, held_on=day, starts_at=forum.starts_at, venue=forum.venue
            )
            record_change(
                actor=actor,
                actor_label="" if actor else "Forum calendar",
                verb=AuditEvent.Verb.CREATED,
                target=meeting,
                changes={"held_on": day.isoformat()},
            )
            added.append(meeting)
    return added


@audited
def meeting_move(
    *, actor: User, meeting: ForumMeeting, to: date | None, venue: str, seen_version: int | None
) -> ForumMeeting:
    meeting = locked(meeting)
    problems = {}
    if meeting.status != ForumMeeting.Status.SCHEDULED:
        problems["held_on"] = "Only a meeting still to be held can be moved"
    elif to is None:
        problems["held_on"] = "Enter the new date of the meeting"
    elif ForumMeeting.objects.filter(forum_id=meeting.forum_id, held_on=to).exclude(pk=meeting.pk).exists():
        problems["held_on"] = "The forum already meets on that day"
    if not venue.strip():
        problems["venue"] = "Enter where the meeting will be held"
    if problems:
        raise ValidationError(problems)
    assert to is not None
    versions = version_move_on(meeting, seen=seen_version)
    before = meeting.held_on
    meeting.held_on, meeting.venue = to, venue.strip()
    meeting.save(update_fields=["held_on", "venue", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=meeting,
        changes={"moved_from": before.isoformat(), "held_on": to.isoformat(), "version": versions},
    )
    return meeting


def meetings_set_for_every_forum(*, today: date) -> int:
    added = 0
    for forum in Forum.objects.all():
        with transaction.atomic():
            added += len(meetings_set_a_year_ahead(forum=forum, today=today))
    return added


@audited
def meeting_cancel(*, actor: User, meeting: ForumMeeting, because: str, seen_version: int | None) -> ForumMeeting:
    """A meeting called off: its accepted requests go back to waiting, held for the next one."""
    from django.utils import timezone

    from earlyhelp.forums.models import RequestForDiscussion

    meeting = locked(meeting)
    problems = {}
    if not ForumMeeting.TRANSITIONS.allows(meeting.status, ForumMeeting.Status.CANCELLED):
        problems["because"] = f"This meeting has been {meeting.get_status_display().lower()}"
    elif not because.strip():
        problems["because"] = "Say why the meeting is cancelled"
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(meeting, seen=seen_version)
    meeting.status, meeting.cancelled_because = ForumMeeting.Status.CANCELLED, because.strip()
    meeting.save(update_fields=["status", "cancelled_because", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=meeting,
        changes={"status": [ForumMeeting.Status.SCHEDULED, ForumMeeting.Status.CANCELLED], "version": versions},
    )
    for request in RequestForDiscussion.objects.filter(meeting=meeting, status=RequestForDiscussion.Status.ACCEPTED):
        request = locked(request)
        held = version_move_on(request, seen=None)
        request.status, request.meeting, request.slot_order = RequestForDiscussion.Status.HELD, None, None
        request.decision_reason = f"Held: the meeting of {meeting.held_on:%-d %B %Y} was cancelled"
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "meeting", "slot_order", "decision_reason", "decided_at", "version"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=request,
            changes={"status": ["accepted", "held"], "reason": request.decision_reason, "version": held},
        )
    return meeting
