"""A meeting's agenda with its time slots (EHF "The organisation of meetings" §3: "time slots
will be allocated to discuss cases… and circulated to members and the practitioner requesting").

Part one (community issues and information sharing) opens the meeting; part two's slots follow:
the new cases in the order the coordinators accepted them, then the cases discussed before whose
actions the forum reviews (T&P §4.2), each in a shorter slot."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from earlyhelp.forums.models import ForumAction, ForumMeeting, RequestForDiscussion


@dataclass(frozen=True)
class Slot:
    request: RequestForDiscussion
    starts: time
    ends: time
    follow_up: bool


@dataclass(frozen=True)
class Agenda:
    meeting: ForumMeeting
    community_issues: list[RequestForDiscussion]
    part_one_ends: time
    slots: list[Slot]


def follow_up_minutes(slot_minutes: int) -> int:
    """A review of actions takes half a new case's slot, and never less than five minutes."""
    return max(5, slot_minutes // 2)


def slot_times(start: time, lengths: list[int]) -> list[tuple[time, time]]:
    """Back-to-back slots of the given minutes from `start`."""
    moment = datetime.combine(date.min, start)
    times = []
    for minutes in lengths:
        ends = moment + timedelta(minutes=minutes)
        times.append((moment.time(), ends.time()))
        moment = ends
    return times


def followed_up(meeting: ForumMeeting) -> QuerySet[RequestForDiscussion]:
    """Cases discussed at an earlier meeting of the forum whose actions are still open."""
    open_actions = ForumAction.objects.filter(request=OuterRef("pk"), status=ForumAction.Status.OPEN)
    return (
        RequestForDiscussion.objects.filter(
            forum_id=meeting.forum_id,
            status__in=RequestForDiscussion.FOLLOWED_UP,
            discussions__meeting__held_on__lt=meeting.held_on,
        )
        .filter(Exists(open_actions))
        .distinct()
        .order_by("pk")
    )


def agenda_of(meeting: ForumMeeting) -> Agenda:
    forum = meeting.forum
    on_it = list(
        RequestForDiscussion.objects.filter(meeting=meeting)
        .exclude(status__in=(RequestForDiscussion.Status.WITHDRAWN, RequestForDiscussion.Status.HELD))
        .order_by("slot_order", "pk")
    )
    community = [item for item in on_it if item.kind == RequestForDiscussion.Kind.COMMUNITY_ISSUE]
    cases = [item for item in on_it if item.kind == RequestForDiscussion.Kind.CASE]
    reviews = [item for item in followed_up(meeting) if item.meeting_id != meeting.pk]
    part_one_ends = slot_times(meeting.starts_at, [forum.part_one_minutes])[0][1]
    lengths = [forum.case_slot_minutes] * len(cases) + [follow_up_minutes(forum.case_slot_minutes)] * len(reviews)
    times = slot_times(part_one_ends, lengths)
    slots = [
        Slot(request=item, starts=starts, ends=ends, follow_up=index >= len(cases))
        for index, (item, (starts, ends)) in enumerate(zip([*cases, *reviews], times, strict=True))
    ]
    return Agenda(meeting=meeting, community_issues=community, part_one_ends=part_one_ends, slots=slots)
