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
