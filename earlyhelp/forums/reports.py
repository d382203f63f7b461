"""The forums' figures for any period (EHF purpose 9; T&P §4.2; FF performance table, "for
neighbourhood meetings… for forums"): per forum, the cases and community issues discussed, the
actions completed on time, the outcomes met, the meetings' own timescales, attendance by agency;
and the quarterly report of the contacts where the front door recommended a CAF.

Figures only: no name, and no reference, so that the analyst's view and the forum's are the same
(ADR 30's note on reports). A fixed number of queries whatever the period holds."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from earlyhelp.forums.models import Attendance, Discussion, Forum, ForumAction, ForumMeeting, RequestForDiscussion
from earlyhelp.forums.running import decisions_due_on
from earlyhelp.frontdoor.models import Contact

# The thresholds tool's actions that recommend a CAF (the frameworks' `caf_must`, `caf_update`).
CAF_ACTIONS = frozenset({"caf_must", "caf_update"})


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.since, time.min))

    @property
    def ends(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.until + timedelta(days=1), time.min))


def quarter_of(day: date) -> Period:
    """The calendar quarter holding `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    since = date(day.year, first_month, 1)
    next_first = date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return Period(since=since, until=next_first - timedelta(days=1))


def share(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


@dataclass
class ForumFigures:
    forum: Forum
    meetings_held: int = 0
    cases_discussed: int = 0
    anonymous_cases: int = 0
    issues_discussed: int = 0
    actions_due: int = 0
    actions_done_on_time: int = 0
    outcomes_met: int = 0
    escalated: int = 0
    referred: int = 0
    decisions_on_time: int = 0
    action_notes_on_time: int = 0
    attendance: list[tuple[str, int]] = field(default_factory=list)

    @property
    def actions_on_time_share(self) -> int | None:
        return share(self.actions_done_on_time, self.actions_due)

    @property
    def attended(self) -> int:
        return sum(count for _, count in self.attendance)


def _discussed(period: Period) -> QuerySet[Discussion]:
    return Discussion.objects.filter(meeting__held_on__gte=period.since, meeting__held_on__lte=period.until)


def forum_figures(forums: QuerySet[Forum], period: Period) -> list[ForumFigures]:
    """Each forum's figures for the period, in six queries whatever the number of forums."""
    by_forum = {forum.pk: ForumFigures(forum=forum) for forum in forums.select_related("area", "authority")}
    discussed = (
        _discussed(period)
        .filter(meeting__forum_id__in=by_forum)
        .values("meeting__forum_id", "request__kind", "request__consent_given")
        .annotate(requests=Count("request_id", distinct=True))
    )
    for row in discussed:
        figures = by_forum[row["meeting__forum_id"]]
        if row["request__kind"] == RequestForDiscussion.Kind.COMMUNITY_ISSUE:
            figures.issues_discussed += row["requests"]
        else:
            figures.cases_discussed += row["requests"]
            figures.anonymous_cases += 0 if row["request__consent_given"] else row["requests"]
    actions = ForumAction.objects.filter(
        request__forum_id__in=by_forum, due_on__gte=period.since, due_on__lte=period.until
    ).values_list("request__forum_id", "status", "done_on", "due_on")
    for forum_id, status, done_on, due_on in actions:
        by_forum[forum_id].actions_due += 1
        on_time = status == ForumAction.Status.DONE and done_on is not None and done_on <= due_on
        by_forum[forum_id].actions_done_on_time += on_time
    ended = (
        RequestForDiscussion.objects.filter(forum_id__in=by_forum)
        .filter(
            Q(ended_at__gte=period.starts, ended_at__lt=period.ends)
            | Q(escalated_at__gte=period.starts, escalated_at__lt=period.ends)
        )
        .values_list("forum_id", "status", "escalated_at")
    )
    for forum_id, status, escalated_at in ended:
        figures = by_forum[forum_id]
        figures.outcomes_met += status == RequestForDiscussion.Status.OUTCOMES_MET
        figures.referred += status == RequestForDiscussion.Status.REFERRED
        figures.escalated += escalated_at is not None and period.starts <= escalated_at < period.ends
    meetings = ForumMeeting.objects.filter(
        forum_id__in=by_forum,
        status=ForumMeeting.Status.HELD,
        held_on__gte=period.since,
        held_on__lte=period.until,
    ).select_related("forum", "forum__authority")
    for meeting in meetings:
        figures = by_forum[meeting.forum_id]
        figures.meetings_held += 1
        recorded = meeting.decisions_recorded_at
        figures.decisions_on_time += recorded is not None and timezone.localdate(recorded) <= decisions_due_on(meeting)
        sent = meeting.action_notes_sent_at
        figures.action_notes_on_time += sent is not None and timezone.localdate(sent) <= meeting.action_notes_due_on
    attended = (
        Attendance.objects.filter(
            meeting__forum_id__in=by_forum, meeting__held_on__gte=period.since, meeting__held_on__lte=period.until
        )
        .exclude(part=Attendance.Part.APOLOGIES)
        .values("meeting__forum_id", "agency_name")
        .annotate(people=Count("pk"))
        .order_by("meeting__forum_id", "agency_name")
    )
    for row in attended:
        by_forum[row["meeting__forum_id"]].attendance.append((row["agency_name"], row["people"]))
    return list(by_forum.values())


@dataclass(frozen=True)
class CafRecommended:
    """The quarter's contacts where the front door's level-of-need decision recommended a CAF,
    by area and by what the front door then did (EHF purpose 9)."""

    period: Period
    by_area: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    brought_to_a_forum: int
    total: int


def caf_recommended(authority_id: int, period: Period) -> CafRecommended:
    contacts = Contact.objects.filter(
        authority_id=authority_id,
        received_at__gte=period.starts,
        received_at__lt=period.ends,
        level_of_need__isnull=False,
    ).values_list("pk", "area__name", "status", "level_of_need__recommendation")
    areas: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    recommended = []
    labels = dict(Contact.Status.choices)
    for pk, area, status, recommendation in contacts:
        actions = {action.get("id") for action in (recommendation or {}).get("actions", [])}
        if actions & CAF_ACTIONS:
            recommended.append(pk)
            areas[area or "No area recorded"] += 1
            outcomes[str(labels.get(status, status))] += 1
    brought = RequestForDiscussion.objects.filter(contact_id__in=recommended).count() if recommended else 0
    return CafRecommended(
        period=period,
        by_area=sorted(areas.items()),
        by_outcome=sorted(outcomes.items()),
        brought_to_a_forum=brought,
        total=len(recommended),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float
    y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int


def bars(rows: list[tuple[str, int]], *, width: int = 360, height: int = 24) -> Chart:
    """A horizontal bar chart, drawn by the template as SVG; the table beside it holds the same
    figures in words."""
    largest = max((value for _, value in rows), default=0)
    drawn = [
        Bar(label=label, value=value, width=(width * value / largest) if largest else 0, y=index * (height + 8))
        for index, (label, value) in enumerate(rows)
    ]
    return Chart(bars=drawn, height=len(drawn) * (height + 8))
