"""Reads for the forums' pages, each in a fixed number of queries whatever the forum holds."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.forums import identifying
from earlyhelp.forums.access import manages_escalation, sees_case, sees_identity
from earlyhelp.forums.agenda import Agenda, Slot, agenda_of
from earlyhelp.forums.models import (
    Attendance,
    Discussion,
    Forum,
    ForumAction,
    ForumMeeting,
    ForumMember,
    RequestForDiscussion,
)
from earlyhelp.organisations.models import User


def with_reading(requests: QuerySet[RequestForDiscussion]) -> QuerySet[RequestForDiscussion]:
    """What `shown_as` needs of each request, prefetched once for a whole list."""
    return requests.prefetch_related(
        Prefetch("invited", queryset=ForumMember.objects.only("pk", "forum_id")),
        "not_shared_with",
    )


def _ids(request: RequestForDiscussion, name: str) -> set[int]:
    return {item.pk for item in getattr(request, name).all()}


@dataclass(frozen=True)
class Shown:
    """A request as one reader may see it."""

    request: RequestForDiscussion
    visible: bool
    identity: bool

    @property
    def title(self) -> str:
        request = self.request
        if request.kind == RequestForDiscussion.Kind.COMMUNITY_ISSUE or self.identity:
            return request.title
        if request.consent_given:
            return f"Case {request.reference} (the family's details are not shared with your agency)"
        return f"Anonymous case {request.reference}"


def shown_as(user: User, member: ForumMember | None, request: RequestForDiscussion) -> Shown:
    is_requester = request.requested_by_id == user.pk
    visible = is_requester or sees_case(member, request, _ids(request, "invited")) or manages_escalation(user, request)
    identity = visible and sees_identity(user, request, withheld_agency_ids=_ids(request, "not_shared_with"))
    return Shown(request=request, visible=visible, identity=identity)


@dataclass(frozen=True)
class ForumRow:
    forum: Forum
    next_meeting_on: date | None
    coordinators: list[str]


def forum_rows(forums: QuerySet[Forum], *, today: date) -> list[ForumRow]:
    upcoming = ForumMeeting.objects.filter(
        forum=OuterRef("pk"), held_on__gte=today, status=ForumMeeting.Status.SCHEDULED
    ).order_by("held_on")
    runners = ForumMember.objects.filter(
        left_on__isnull=True, kind__in=(ForumMember.Kind.COORDINATOR, ForumMember.Kind.CO_COORDINATOR)
    ).select_related("user")
    found = forums.annotate(next_meeting_on=Subquery(upcoming.values("held_on")[:1])).prefetch_related(
        Prefetch("members", queryset=runners, to_attr="coordinators")
    )
    return [
        ForumRow(
            forum=forum,
            next_meeting_on=forum.next_meeting_on,
            coordinators=[member.user.full_name for member in forum.coordinators],
        )
        for forum in found
    ]


def meetings_ahead(forum: Forum, *, today: date) -> list[ForumMeeting]:
    return list(
        ForumMeeting.objects.filter(forum=forum, held_on__gte=today)
        .annotate(on_agenda=Count("agenda_requests", filter=Q(agenda_requests__status="accepted")))
        .order_by("held_on")[:30]
    )


def meetings_past(forum: Forum, *, today: date) -> list[ForumMeeting]:
    return list(ForumMeeting.objects.filter(forum=forum, held_on__lt=today).order_by("-held_on")[:12])


def waiting_requests(forum: Forum) -> QuerySet[RequestForDiscussion]:
    return with_reading(
        RequestForDiscussion.objects.filter(forum=forum, status__in=RequestForDiscussion.WAITING).order_by(
            "submitted_at", "pk"
        )
    )


def followed_up_requests(forum: Forum) -> QuerySet[RequestForDiscussion]:
    return with_reading(
        RequestForDiscussion.objects.filter(forum=forum, status__in=RequestForDiscussion.FOLLOWED_UP)
        .annotate(open_actions=Count("actions", filter=Q(actions__status=ForumAction.Status.OPEN)))
        .order_by("pk")
    )


# Members listed as the terms of reference list them: those who run the forum, then core, then extended.
KIND_ORDER = {kind: index for index, kind in enumerate(ForumMember.Kind.values)}


def members_of(forum: Forum) -> list[ForumMember]:
    found = ForumMember.objects.filter(forum=forum, left_on__isnull=True).select_related("user", "user__agency")
    return sorted(found, key=lambda member: (KIND_ORDER[member.kind], member.user.full_name))


@dataclass(frozen=True)
class MeetingPage:
    agenda: Agenda
    community_issues: list[Shown]
    slots: list[tuple[Slot, Shown]]
    hidden_cases: int
    discussed: set[int]
    attendance: list[Attendance]
    attendance_by_agency: list[tuple[str, int]]


def meeting_page(user: User, member: ForumMember, meeting: ForumMeeting) -> MeetingPage:
    agenda = agenda_of(meeting)
    every = [*agenda.community_issues, *(slot.request for slot in agenda.slots)]
    read = {
        request.pk: request
        for request in with_reading(RequestForDiscussion.objects.filter(pk__in=[r.pk for r in every]))
    }
    community = [shown_as(user, member, read[issue.pk]) for issue in agenda.community_issues]
    slots = [(slot, shown_as(user, member, read[slot.request.pk])) for slot in agenda.slots]
    visible = [(slot, shown) for slot, shown in slots if shown.visible]
    attendance = list(meeting.attendance.all())
    by_agency: dict[str, int] = {}
    for row in attendance:
        if row.part != Attendance.Part.APOLOGIES:
            by_agency[row.agency_name] = by_agency.get(row.agency_name, 0) + 1
    return MeetingPage(
        agenda=agenda,
        community_issues=community,
        slots=visible,
        hidden_cases=len(slots) - len(visible),
        discussed=set(Discussion.objects.filter(meeting=meeting).values_list("request_id", flat=True)),
        attendance=attendance,
        attendance_by_agency=sorted(by_agency.items()),
    )


def history_of(request: RequestForDiscussion) -> tuple[list[Discussion], list[ForumAction]]:
    discussions = list(
        Discussion.objects.filter(request=request).select_related("meeting", "recorded_by").order_by("meeting__held_on")
    )
    actions = list(
        ForumAction.objects.filter(request=request).select_related("agreed_at", "reviewed_at").order_by("due_on", "pk")
    )
    return discussions, actions


def open_meetings(forum: Forum) -> QuerySet[ForumMeeting]:
    """The next six meetings a request can still be accepted onto: to come, agenda not yet sent.
    Not sliced, so that a form can check a choice against it."""
    open_ones = ForumMeeting.objects.filter(
        forum=forum,
        status=ForumMeeting.Status.SCHEDULED,
        held_on__gte=timezone.localdate(),
        agenda_sent_at__isnull=True,
    ).order_by("held_on")
    return open_ones.filter(pk__in=list(open_ones.values_list("pk", flat=True)[:6]))


def overdue_actions(forum: Forum, *, today: date) -> int:
    return ForumAction.objects.filter(request__forum=forum, status=ForumAction.Status.OPEN, due_on__lt=today).count()


REQUEST_TEXTS = ("summary", "barrier", "what_has_been_done", "who_to_invite", "decision_reason", "ending")


@dataclass(frozen=True)
class AsRead:
    """A named case's words as a reader whom the family's consent does not cover reads them:
    each name, address, school and date of birth written in them withheld."""

    texts: dict[str, str]
    discussions: list[tuple[Discussion, str, str]]
    actions: list[tuple[ForumAction, str]]


def as_read(shown: Shown, discussions: list[Discussion], actions: list[ForumAction]) -> AsRead:
    request = shown.request
    if shown.identity or not request.consent_given:
        secrets: list[str] = []
    else:
        secrets = identifying.secrets_of(
            names=[request.child_name, request.consent_given_by],
            address=request.address,
            school=request.school,
            born=request.date_of_birth,
        )

    def words(text: str) -> str:
        return identifying.withhold(text, secrets) if secrets else text

    return AsRead(
        texts={name: words(getattr(request, name)) for name in REQUEST_TEXTS},
        discussions=[(d, words(d.notes), words(d.decisions)) for d in discussions],
        actions=[(a, words(a.what)) for a in actions],
    )
