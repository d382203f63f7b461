"""The read side of casework: My families, the team page and the case file, each in a fixed
number of queries however many families or however long the case (tests/test_query_counts.py)."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from earlyhelp.casework.caseloads import Caseload, team_caseloads
from earlyhelp.casework.configuration import casework_settings_of, timescale_rules, working_time_of
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    CapacityEscalation,
    CaseNote,
    CaseworkSettings,
    Episode,
    EpisodeChild,
    EpisodeReferral,
    LeadPractitionerChange,
    LegalBasisChange,
    Meeting,
    NotImproving,
    Oversight,
    PlanAction,
    Supervision,
    TeamMember,
    WellbeingScore,
)
from earlyhelp.casework.schedule import (
    ActionDates,
    EpisodeDates,
    TimescaleRules,
    VisitDates,
    deadline,
    episode_dues,
    pending_soonest_first,
)
from earlyhelp.casework.timescales import STATE_LABELS, STATE_TAG_COLOURS, Due, State
from earlyhelp.core.compiled import Compiled
from earlyhelp.frontdoor.clock import WorkingTime
from earlyhelp.organisations.models import Authority, Team, User

_M = TypeVar("_M", bound=models.Model)


def visit_dates(kind_label: str, happened_at: datetime, written_at: datetime | None) -> VisitDates:
    return VisitDates(
        what=f"{kind_label.lower()} on {timezone.localtime(happened_at):%-d %B %Y}",
        happened_at=happened_at,
        written_at=written_at,
    )


def episode_dates(
    episode: Episode,
    *,
    manager_review_at: datetime | None = None,
    visits: tuple[VisitDates, ...] = (),
    actions: tuple[ActionDates, ...] = (),
) -> EpisodeDates:
    return EpisodeDates(
        referred_at=episode.referred_at,
        reached_team_at=episode.reached_team_at,
        allocated_at=episode.allocated_at,
        first_visit_due=episode.first_visit_due,
        assessment_due=episode.assessment_due,
        first_meeting_due=episode.first_meeting_due,
        manager_review_due=episode.manager_review_due,
        manager_review_at=manager_review_at,
        first_visit_at=episode.first_visit_at,
        assessment_authorised_at=episode.assessment_authorised_at,
        first_meeting_at=episode.first_meeting_at,
        last_meeting_at=episode.last_meeting_at,
        last_visit_at=episode.last_visit_at,
        last_case_supervision_on=episode.last_case_supervision_on,
        assessed_elsewhere=episode.assessed_elsewhere,
        closed_at=episode.closed_at,
        visits=visits,
        actions=actions,
    )


def action_dates(action: PlanAction) -> ActionDates:
    return ActionDates(what=action.what[:80], by_when=action.by_when, done_on=action.completed_on)


@dataclass(frozen=True)
class ShownDue:
    """A timescale as a page shows it: its state in words and colour, and what is left (worked
    out only for the timescales a page shows: a team page counts many more than it lists)."""

    due: Due
    state: State
    now: datetime
    hours: WorkingTime

    @cached_property
    def left(self) -> str:
        return "" if self.due.done_at is not None else self.due.left_label(self.now, self.hours)

    @property
    def label(self) -> str:
        if self.state == State.OVERDUE and self.due.ends_intervention:
            return "Past 6 months: a breach"
        return STATE_LABELS[self.state]

    @property
    def tag_colour(self) -> str:
        return STATE_TAG_COLOURS[self.state]

    @property
    def is_overdue(self) -> bool:
        return self.state == State.OVERDUE


def shown(due: Due, now: datetime, hours: WorkingTime) -> ShownDue:
    return ShownDue(due=due, state=due.state(now, hours), now=now, hours=hours)


@dataclass(frozen=True)
class Clock:
    """An authority's counting: its timescales and its working time."""

    rules: TimescaleRules
    hours: WorkingTime
    settings: CaseworkSettings | None = None

    @classmethod
    def of(cls, authority: Authority) -> "Clock":
        settings = casework_settings_of(authority)
        return cls(rules=timescale_rules(settings), hours=working_time_of(authority), settings=settings)


@dataclass
class FamilyRow:
    """One family on My families or the team page: what is due, soonest first."""

    episode: Episode
    children: list[str]
    pending: list[ShownDue] = field(default_factory=list)
    coach_name: str = ""
    lead_name: str = ""
    # When the team leader recorded what happens next for an episode past 6 months.
    past_six_months_decided: datetime | None = None

    @property
    def next_due(self) -> ShownDue | None:
        return self.pending[0] if self.pending else None

    @cached_property
    def next_steps(self) -> list[ShownDue]:
        """The most pressing clock of each step (the first visit's two clocks are one step):
        what a list shows; the case file shows every clock."""
        seen: set[str] = set()
        steps = []
        for item in self.pending:
            if item.due.what not in seen:
                seen.add(item.due.what)
                steps.append(item)
        return steps

    @property
    def overdue(self) -> list[ShownDue]:
        return [item for item in self.pending if item.is_overdue]

    @cached_property
    def past_intervention_length(self) -> bool:
        return any(item.is_overdue and item.due.ends_intervention for item in self.pending)


# What a list of families reads of each episode: its dates and names, not every field and
# every related record (a team page holds a couple of hundred families).
ROW_FIELDS = (
    "id",
    "authority_id",
    "family__name",
    "family__restricted",
    "team_id",
    "status",
    "origin",
    "legal_basis",
    "coach_id",
    "lead_practitioner_id",
    "referred_at",
    "reached_team_at",
    "opened_at",
    "allocated_at",
    "first_visit_due",
    "assessment_due",
    "first_meeting_due",
    "manager_review_due",
    "first_visit_at",
    "assessment_authorised_at",
    "first_meeting_at",
    "last_meeting_at",
    "last_visit_at",
    "last_case_supervision_on",
    "closed_at",
)


# What a list reads of its episodes beyond their own rows, one query per kind, each built once
# (core/compiled.py): by the episodes' ids, ordered without joining the episodes again.
_CHILDREN_NAMES: "Compiled[tuple[int, str, str, str]]" = Compiled(
    lambda episodes: (
        EpisodeChild.objects.filter(episode_id__in=episodes)
        .order_by("episode_id", "person__date_of_birth", "pk")
        .values_list("episode_id", "person__first_name", "person__middle_names", "person__last_name")
    ),
    lists=("episodes",),
)
_OVERSIGHT_AT: "Compiled[tuple[int, str, datetime]]" = Compiled(
    lambda episodes: (
        Oversight.objects.filter(
            episode_id__in=episodes, point__in=(Oversight.Point.CASE_REVIEW, Oversight.Point.PAST_SIX_MONTHS)
        )
        .order_by("recorded_at", "pk")
        .values_list("episode_id", "point", "recorded_at")
    ),
    lists=("episodes",),
)
_NOTES_TO_WRITE: "Compiled[tuple[int, str, datetime]]" = Compiled(
    lambda episodes: (
        CaseNote.objects.filter(episode_id__in=episodes, written_at__isnull=True)
        .order_by("-happened_at", "-pk")
        .values_list("episode_id", "kind", "happened_at")
    ),
    lists=("episodes",),
)
_OPEN_ACTIONS: "Compiled[PlanAction]" = Compiled(
    lambda episodes: (
        PlanAction.objects.filter(episode_id__in=episodes, status=PlanAction.Status.OPEN)
        .order_by("by_when", "pk")
        .only("episode_id", "what", "by_when", "completed_on")
    ),
    lists=("episodes",),
)

# People's names by their ids (the coaches, the lead practitioners, whoever recorded something).
_NAMES: "Compiled[tuple[int, str]]" = Compiled(
    lambda users: User.objects.filter(pk__in=users).order_by().values_list("pk", "full_name"), lists=("users",)
)


def _children_names(episodes: list[Episode]) -> dict[int, list[str]]:
    """Each episode's children by name, in one query."""
    found: dict[int, list[str]] = {}
    for episode_id, *names in _CHILDREN_NAMES.list(episodes=[episode.pk for episode in episodes]):
        found.setdefault(episode_id, []).append(" ".join(part for part in names if part))
    return found


def _user_names(episodes: list[Episode]) -> dict[int, str]:
    """The coaches' and lead practitioners' names, in one query."""
    ids = {pk for episode in episodes for pk in (episode.coach_id, episode.lead_practitioner_id) if pk}
    return dict(_NAMES.list(users=sorted(ids)))


def _oversight_at(episodes: list[Episode]) -> dict[tuple[int, str], datetime]:
    """When each episode's oversight at the points a list shows was first recorded, in one query:
    the case review with a manager, and the team leader's decision on an episode past 6 months."""
    found: dict[tuple[int, str], datetime] = {}
    for episode_id, point, recorded_at in _OVERSIGHT_AT.list(episodes=[episode.pk for episode in episodes]):
        found.setdefault((episode_id, point), recorded_at)
    return found


def _notes_to_write(episodes: list[Episode]) -> dict[int, tuple[VisitDates, ...]]:
    """Each episode's visits whose case note is not written yet, in one query."""
    found: dict[int, list[VisitDates]] = {}
    kinds = dict(CaseNote.Kind.choices)
    for episode_id, kind, happened_at in _NOTES_TO_WRITE.list(episodes=[episode.pk for episode in episodes]):
        found.setdefault(episode_id, []).append(visit_dates(str(kinds.get(kind, kind)), happened_at, None))
    return {key: tuple(value) for key, value in found.items()}


def _open_actions(episodes: list[Episode]) -> dict[int, tuple[ActionDates, ...]]:
    """Each episode's plan actions still open, in one query."""
    found: dict[int, list[ActionDates]] = {}
    for action in _OPEN_ACTIONS.list(episodes=[episode.pk for episode in episodes]):
        found.setdefault(action.episode_id, []).append(action_dates(action))
    return {key: tuple(value) for key, value in found.items()}


@dataclass(frozen=True)
class _Waiting:
    """What a list needs of its episodes: each one's timescales not yet met, soonest first, and
    the oversight recorded at the points a list shows."""

    pending: dict[int, list[Due]]
    oversight: dict[tuple[int, str], datetime]


def _waiting(listed: list[Episode], *, clock: Clock) -> _Waiting:
    """In three queries, whatever the number of episodes."""
    oversight = _oversight_at(listed)
    notes = _notes_to_write(listed)
    actions = _open_actions(listed)
    pending = {}
    for episode in listed:
        dates = episode_dates(
            episode,
            manager_review_at=oversight.get((episode.pk, Oversight.Point.CASE_REVIEW)),
            visits=notes.get(episode.pk, ()),
            actions=actions.get(episode.pk, ()),
        )
        pending[episode.pk] = pending_soonest_first(episode_dues(dates, clock.rules, clock.hours), clock.hours)
    return _Waiting(pending=pending, oversight=oversight)


def pending_dues(listed: list[Episode], *, clock: Clock) -> dict[int, list[Due]]:
    """Each episode's timescales not yet met, soonest first (`deadlines.py` keeps the soonest)."""
    return _waiting(listed, clock=clock).pending


def _soonest_first(row: "FamilyRow", hours: WorkingTime) -> tuple[int, datetime]:
    """Families with something due first, the soonest (most overdue) first: the order of
    `Episode.next_deadline`, in which the team page is paged."""
    return (0, deadline(row.next_due.due, hours)) if row.next_due else (1, row.episode.opened_at)


def family_rows(episodes: QuerySet[Episode], *, clock: Clock, now: datetime) -> list[FamilyRow]:
    rows = _rows(list(episodes.select_related("family").only(*ROW_FIELDS)), clock=clock, now=now)
    return sorted(rows, key=lambda row: _soonest_first(row, clock.hours))


def _rows(listed: list[Episode], *, clock: Clock, now: datetime) -> list[FamilyRow]:
    children = _children_names(listed)
    names = _user_names(listed)
    waiting = _waiting(listed, clock=clock)
    return [
        FamilyRow(
            episode=episode,
            children=children.get(episode.pk, []),
            pending=[shown(due, now, clock.hours) for due in waiting.pending[episode.pk]],
            coach_name=names.get(episode.coach_id or 0, ""),
            lead_name=names.get(episode.lead_practitioner_id or 0, ""),
            past_six_months_decided=waiting.oversight.get((episode.pk, Oversight.Point.PAST_SIX_MONTHS)),
        )
        for episode in listed
    ]


def my_episodes(user: User) -> QuerySet[Episode]:
    """The episodes not closed that the user coaches, leads, or oversees as a social worker."""
    return (
        Episode.objects.filter(authority_id=user.authority_id)
        .exclude(status=Episode.Status.CLOSED)
        .filter(Q(coach=user) | Q(lead_practitioner=user) | Q(overseeing_social_worker=user))
    )


# What the team page reads, built once (core/compiled.py): its open families a page at a time in
# the order of their kept deadlines (by their own index, `episode_open_soonest_due`), those
# awaiting a coach, and the work waiting for the team's leaders.
_OPEN_FAMILIES_PAGE: "Compiled[Episode]" = Compiled(
    lambda team, offset, size: (
        Episode.objects.filter(team_id=team, status=Episode.Status.OPEN)
        .select_related("family")
        .only(*ROW_FIELDS)
        .order_by(F("next_deadline").asc(nulls_last=True), "opened_at", "pk")[offset : offset + size]
    ),
    shapes=("offset", "size"),
)
_AWAITING_A_COACH: "Compiled[Episode]" = Compiled(
    lambda team: (
        Episode.objects.filter(team_id=team, status=Episode.Status.AWAITING_ALLOCATION)
        .select_related("family")
        .only(*ROW_FIELDS)
        .order_by("-opened_at", "-pk")
    )
)
_ESCALATIONS_WAITING: "Compiled[CapacityEscalation]" = Compiled(
    lambda team: (
        CapacityEscalation.objects.filter(episode__team_id=team, decided_at__isnull=True)
        .select_related("episode")
        .order_by("raised_at", "pk")
    )
)
_AWAITING_SIGN_OFF: "Compiled[Assessment]" = Compiled(
    lambda team: (
        Assessment.objects.filter(episode__team_id=team, status=Assessment.Status.AWAITING_SIGN_OFF)
        .select_related("episode__family", "template")
        .only(
            "pk",
            "episode_id",
            "submitted_at",
            "episode__family__name",
            "episode__family__restricted",
            "template__title",
        )
        .order_by("submitted_at")
    )
)


@dataclass
class TeamPage:
    team: Team
    caseloads: list[Caseload]
    awaiting: list[FamilyRow]
    # The open families a page at a time (`FamilyRow`s), the soonest due first.
    families: "Page[Any]"
    escalations: list[CapacityEscalation]
    # Counts of every open family, not only the page shown.
    open_count: int = 0
    overdue_count: int = 0
    past_intervention_length_count: int = 0
    # Assessments sent for a team leader's sign-off, the longest waiting first.
    awaiting_sign_off: list[Assessment] = field(default_factory=list)

    @property
    def capacity(self) -> tuple[int, int]:
        return (
            int(sum(load.weighted for load in self.caseloads)),
            int(sum(load.capacity for load in self.caseloads)),
        )


def team_page(team: Team, *, clock: Clock, now: datetime, page: str | int | None = 1, size: int = 25) -> TeamPage:
    """The team's families, caseloads and work waiting. The open families are sorted, counted and
    paged in SQL by each episode's kept deadlines (`deadlines.py`): clocks are worked out only for
    the families on the page shown, however many the team holds."""
    per_coach = team.area.authority.caseload_per_full_time_coach
    # Each status on its own (not "not closed, and open"), so that the planner takes the open
    # families' own index (`episode_open_soonest_due`) and reads the page in its order.
    open_ones = Episode.objects.filter(team=team, status=Episode.Status.OPEN)
    counts = open_ones.aggregate(
        everyone=Count("pk"),
        overdue=Count("pk", filter=Q(overdue_after__lt=now)),
        past=Count("pk", filter=Q(past_intervention_length_after__lt=now)),
    )
    # The page shown, checked against the count (a page past the end shows the last), then read.
    families: Page[Any] = Paginator(range(counts["everyone"]), size).get_page(page)
    shown = _OPEN_FAMILIES_PAGE.list(team=team.pk, offset=(families.number - 1) * size, size=size)
    waiting = _AWAITING_A_COACH.list(team=team.pk)
    # The families awaiting a coach and the page shown, read together: one query per kind of record.
    rows = sorted(_rows([*waiting, *shown], clock=clock, now=now), key=lambda row: _soonest_first(row, clock.hours))
    families.object_list = [row for row in rows if row.episode.status == Episode.Status.OPEN]
    escalations = _ESCALATIONS_WAITING.list(team=team.pk)
    sign_off = _AWAITING_SIGN_OFF.list(team=team.pk)
    return TeamPage(
        team=team,
        caseloads=team_caseloads(team, per_full_time_coach=per_coach),
        awaiting=[row for row in rows if row.episode.status == Episode.Status.AWAITING_ALLOCATION],
        families=families,
        escalations=escalations,
        open_count=counts["everyone"],
        overdue_count=counts["overdue"],
        past_intervention_length_count=counts["past"],
        awaiting_sign_off=sign_off,
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One event in the family's story, for the MOJ timeline."""

    at: datetime
    title: str
    by: str
    text: str = ""


@dataclass
class CaseFile:
    episode: Episode
    children: list[EpisodeChild]
    referrals: list[EpisodeReferral]
    allocations: list[Allocation]
    wellbeing: list[WellbeingScore]
    basis_changes: list[LegalBasisChange]
    lead_changes: list[LeadPractitionerChange]
    oversights: list[Oversight]
    escalations: list[CapacityEscalation]
    case_notes: list[CaseNote]
    assessments: list[Assessment]
    members: list[TeamMember]
    meetings: list[Meeting]
    actions: list[PlanAction]
    dues: list[ShownDue]
    supervisions: list[Supervision] = field(default_factory=list)
    not_improving: list[NotImproving] = field(default_factory=list)
    # The names of everyone the case file's records name (who recorded, allocated, decided), by
    # id: one query, not a join per row.
    names: dict[int, str] = field(default_factory=dict)

    @property
    def oversight_to_record(self) -> list[str]:
        """The points of FF §19.1 reached with no team leader's oversight recorded yet (allocation,
        the assessment and closure record theirs as they happen)."""
        recorded = [item.point for item in self.oversights]
        missing = []
        if self.episode.first_visit_at and Oversight.Point.FIRST_VISIT not in recorded:
            missing.append(Oversight.Point.FIRST_VISIT.label)
        if self.episode.first_meeting_at and Oversight.Point.FIRST_PLAN not in recorded:
            missing.append(Oversight.Point.FIRST_PLAN.label)
        reviews = [meeting for meeting in self.meetings if meeting.kind == Meeting.Kind.REVIEW]
        unseen = len(reviews) - recorded.count(Oversight.Point.REVIEW)
        for meeting in reviews[len(reviews) - unseen :] if unseen > 0 else []:
            missing.append(f"{Oversight.Point.REVIEW.label} ({timezone.localtime(meeting.held_at):%-d %B %Y})")
        return missing

    @property
    def not_improving_open(self) -> NotImproving | None:
        return next((flag for flag in self.not_improving if flag.responded_at is None), None)

    @property
    def current_members(self) -> list[TeamMember]:
        return [member for member in self.members if member.left_at is None]

    @property
    def timescales(self) -> list[ShownDue]:
        """Every timescale but the case notes', which are shown beside their notes."""
        return [item for item in self.dues if not item.due.for_case_note]

    @property
    def case_note_dues(self) -> list[ShownDue]:
        """Each case note's own clock, in the order of `case_notes`."""
        return [item for item in self.dues if item.due.for_case_note]

    @property
    def notes_with_clocks(self) -> list[tuple[CaseNote, ShownDue]]:
        """The notes whose clocks were worked out (`case_file`), each with its own."""
        clocks = self.case_note_dues
        return list(zip(self.case_notes[: len(clocks)], clocks, strict=True))

    # The case file shows the latest of its longest lists, with the rest a click away (`?all=1`):
    # a two-year case opens as fast as a new one (docs/performance.md).
    SHOWN = 12

    def latest_notes(self, *, every: bool) -> list[tuple[CaseNote, ShownDue, str]]:
        notes = self.notes_with_clocks
        shown = notes if every else notes[: self.SHOWN]
        return [(note, due, self.names.get(note.recorded_by_id, "")) for note, due in shown]

    def latest_meetings(self, *, every: bool) -> list[Meeting]:
        return self.meetings if every else self.meetings[-self.SHOWN :]

    def latest_events(self, *, every: bool) -> list[TimelineEntry]:
        events = self.timeline()
        return events if every else events[: self.SHOWN * 2]

    def timeline(self) -> list[TimelineEntry]:
        entries = [
            TimelineEntry(
                at=link.joined_at,
                title="Referral received" if link.opened_it else "New referral joined this episode",
                by="Front door",
                text=f"{link.contact.reference}, received {link.contact.received_at:%-d %B %Y}",
            )
            for link in self.referrals
        ]
        entries += [
            TimelineEntry(
                at=item.allocated_at,
                title=f"Allocated to {self.names.get(item.coach_id, '')}",
                by=self.names.get(item.allocated_by_id, ""),
                text=item.note,
            )
            for item in self.allocations
        ]
        entries += [
            TimelineEntry(
                at=item.changed_at,
                title=f"Legal basis: {item.get_after_display()}",
                by=self.names.get(item.changed_by_id or 0, "System"),
                text=item.reason,
            )
            for item in self.basis_changes
        ]
        entries += [
            TimelineEntry(
                at=item.recorded_at,
                title=f"{self.names.get(item.after_id, '')} became lead practitioner",
                by=self.names.get(item.recorded_by_id, ""),
                text=item.handover,
            )
            for item in self.lead_changes
        ]
        entries += [
            TimelineEntry(
                at=item.recorded_at,
                title=f"Management oversight: {item.get_point_display()}",
                by=self.names.get(item.recorded_by_id, ""),
                text=item.note,
            )
            for item in self.oversights
            if item.point != Oversight.Point.ALLOCATION
        ]
        entries += [
            TimelineEntry(
                at=item.raised_at,
                title="Put to the head of service: no room",
                by=self.names.get(item.raised_by_id or 0, "System"),
                text=item.why,
            )
            for item in self.escalations
        ]
        entries += [
            TimelineEntry(
                at=item.decided_at,
                title=f"Head of service decided: {item.get_decision_display()}",
                by=self.names.get(item.decided_by_id or 0, ""),
                text=item.decision_reason,
            )
            for item in self.escalations
            if item.decided_at is not None
        ]
        entries += [
            TimelineEntry(
                at=item.happened_at,
                title=item.get_kind_display()
                + (" (first visit)" if item.is_first_visit else "")
                + ("" if item.successful else ": nobody seen"),
                by=self.names.get(item.recorded_by_id, ""),
                text=item.note or "Case note not written yet",
            )
            for item in self.case_notes
        ]
        entries += [
            TimelineEntry(
                at=item.held_at,
                title=item.get_kind_display(),
                by=self.names.get(item.recorded_by_id, ""),
                text=item.minutes,
            )
            for item in self.meetings
        ]
        entries += [
            TimelineEntry(
                at=item.recorded_at,
                title=f"Case supervision note ({item.held_on:%-d %B %Y})",
                by=self.names.get(item.supervisor_id, ""),
                text=item.note,
            )
            for item in self.supervisions
        ]
        entries += [
            TimelineEntry(
                at=item.authorised_at,
                title=f"{item.template} authorised",
                by=self.names.get(item.authorised_by_id or 0, ""),
            )
            for item in self.assessments
            if item.authorised_at is not None
        ]
        return sorted(entries, key=lambda entry: entry.at, reverse=True)

    def wellbeing_of(self, child: EpisodeChild) -> list[WellbeingScore]:
        return [score for score in self.wellbeing if score.person_id == child.person_id]


def _of_episode(model: type[_M], *ordering: str) -> "Compiled[_M]":
    """An episode's records of one kind, in `ordering`, built once."""
    return Compiled(lambda episode: model._default_manager.filter(episode_id=episode).order_by(*ordering))


# The case file's records, one query per kind, each built once (core/compiled.py): filtered by
# the episode's id and ordered without joining the episode again.
_CHILDREN: "Compiled[EpisodeChild]" = Compiled(
    lambda episode: (
        EpisodeChild.objects.filter(episode_id=episode).select_related("person").order_by("person__date_of_birth", "pk")
    )
)
_CHILDREN_NEEDS: "Compiled[Any]" = Compiled(
    lambda episode: (
        EpisodeChild.needs.through.objects.filter(episodechild__episode_id=episode)
        .select_related("codedneed")
        .order_by("codedneed__needs_list_id", "codedneed__order", "pk")
    )
)
_OVERSIGHTS = _of_episode(Oversight, "recorded_at", "pk")
_CASE_NOTES = _of_episode(CaseNote, "-happened_at", "-pk")
_ACTIONS = _of_episode(PlanAction, "by_when", "pk")
_MEETINGS = _of_episode(Meeting, "held_at", "pk")
_ATTENDANCE: "Compiled[tuple[int, int]]" = Compiled(
    lambda episode: (
        Meeting.attended.through.objects.filter(meeting__episode_id=episode)
        .order_by("pk")
        .values_list("meeting_id", "teammember_id")
    )
)
_MEMBERS = _of_episode(TeamMember, "-is_family", "name", "pk")
_REFERRALS: "Compiled[EpisodeReferral]" = Compiled(
    lambda episode: (
        EpisodeReferral.objects.filter(episode_id=episode).select_related("contact").order_by("joined_at", "pk")
    )
)
_ALLOCATIONS = _of_episode(Allocation, "allocated_at", "pk")
_WELLBEING = _of_episode(WellbeingScore, "recorded_at", "pk")
_BASIS_CHANGES = _of_episode(LegalBasisChange, "changed_at", "pk")
_LEAD_CHANGES = _of_episode(LeadPractitionerChange, "recorded_at", "pk")
_ESCALATIONS = _of_episode(CapacityEscalation, "raised_at", "pk")
_SUPERVISIONS = _of_episode(Supervision, "held_on", "pk")
_NOT_IMPROVING = _of_episode(NotImproving, "-flagged_at", "-pk")
_ASSESSMENTS: "Compiled[Assessment]" = Compiled(
    lambda episode: (
        Assessment.objects.filter(episode_id=episode).select_related("template").order_by("-started_at", "-pk")
    )
)


def case_file(episode: Episode, *, clock: Clock, now: datetime, every: bool = False) -> CaseFile:
    """Everything the case file shows: one query per kind of record, whatever the case's length.
    The case notes' own clocks are worked out for the notes shown: the latest, or `every` one."""
    pk = episode.pk
    children = _CHILDREN.list(episode=pk)
    needs: dict[int, list[Any]] = {}
    for link in _CHILDREN_NEEDS.list(episode=pk):
        needs.setdefault(link.episodechild_id, []).append(link.codedneed)
    for child in children:
        child.needs_shown = needs.get(child.pk, [])  # type: ignore[attr-defined]
    oversights = _OVERSIGHTS.list(episode=pk)
    review = next((item.recorded_at for item in oversights if item.point == Oversight.Point.CASE_REVIEW), None)
    case_notes = _CASE_NOTES.list(episode=pk)
    shown_notes = case_notes if every else case_notes[: CaseFile.SHOWN]
    visits = tuple(visit_dates(note.get_kind_display(), note.happened_at, note.written_at) for note in shown_notes)
    actions = _ACTIONS.list(episode=pk)
    members = _MEMBERS.list(episode=pk)
    meetings = _MEETINGS.list(episode=pk)
    # Each meeting's attendees in the members' own order (the family first, then by name).
    by_pk = {member.pk: member for member in members}
    place = {member.pk: index for index, member in enumerate(members)}
    attended: dict[int, list[TeamMember]] = {}
    for meeting_id, member_id in _ATTENDANCE.list(episode=pk):
        attended.setdefault(meeting_id, []).append(by_pk[member_id])
    for meeting in meetings:
        meeting.attendees = sorted(attended.get(meeting.pk, []), key=lambda member: place[member.pk])  # type: ignore[attr-defined]
    allocations = _ALLOCATIONS.list(episode=pk)
    basis_changes = _BASIS_CHANGES.list(episode=pk)
    lead_changes = _LEAD_CHANGES.list(episode=pk)
    escalations = _ESCALATIONS.list(episode=pk)
    assessments = _ASSESSMENTS.list(episode=pk)
    supervisions = _SUPERVISIONS.list(episode=pk)
    named = {
        *(item.supervisor_id for item in supervisions),
        *(item.recorded_by_id for item in case_notes),
        *(item.recorded_by_id for item in oversights),
        *(item.recorded_by_id for item in meetings),
        *(user_id for item in allocations for user_id in (item.coach_id, item.allocated_by_id)),
        *(item.changed_by_id for item in basis_changes),
        *(user_id for item in lead_changes for user_id in (item.after_id, item.recorded_by_id)),
        *(user_id for item in escalations for user_id in (item.raised_by_id, item.decided_by_id)),
        *(item.authorised_by_id for item in assessments),
    }
    names = dict(_NAMES.list(users=sorted(user_id for user_id in named if user_id is not None)))
    dates = episode_dates(
        episode, manager_review_at=review, visits=visits, actions=tuple(action_dates(action) for action in actions)
    )
    dues = episode_dues(dates, clock.rules, clock.hours)
    return CaseFile(
        episode=episode,
        children=children,
        referrals=_REFERRALS.list(episode=pk),
        allocations=allocations,
        wellbeing=_WELLBEING.list(episode=pk),
        basis_changes=basis_changes,
        lead_changes=lead_changes,
        oversights=oversights,
        escalations=escalations,
        case_notes=case_notes,
        names=names,
        assessments=assessments,
        members=members,
        meetings=meetings,
        actions=actions,
        dues=[shown(due, now, clock.hours) for due in dues],
        supervisions=supervisions,
        not_improving=_NOT_IMPROVING.list(episode=pk),
    )


@dataclass(frozen=True)
class WrittenSection:
    title: str
    answers: list[tuple[str, str]]  # (label, text): one, or one per child or question


def assessment_as_written(assessment: Assessment, children: list[EpisodeChild]) -> list[WrittenSection]:
    """The assessment's answers in its layout's order, with each child's name and each of
    Munro's questions, for the page and the family's printed copy."""
    from earlyhelp.casework.assessing import MUNRO_QUESTIONS, WELLBEING

    answers = assessment.answers or {}
    written = []
    for section in assessment.template.sections:
        value = answers.get(section["key"])
        if section["kind"] == "per_child":
            parts = [(child.person.full_name, (value or {}).get(str(child.person_id), "")) for child in children]
        elif section["kind"] == "munro":
            parts = [(label, (value or {}).get(question, "")) for question, label in MUNRO_QUESTIONS]
        else:
            parts = [("", str(value or ""))]
        written.append(WrittenSection(title=section["title"], answers=parts))
    scores = answers.get(WELLBEING) or {}
    written.append(
        WrittenSection(
            title="Wellbeing now",
            answers=[(child.person.full_name, str(scores.get(str(child.person_id), ""))) for child in children],
        )
    )
    return written
