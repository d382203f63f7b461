"""What is due for one family, and by when: every casework timescale the documents set, counted
from this episode's own dates (docs/casework.md gives a worked example of each).

Pure functions of an `EpisodeDates` and a `TimescaleRules`: the pages, the lists and the tests
all ask the same questions here, and nothing is counted twice in two ways.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from earlyhelp.casework.timescales import Due, Unit, due_moment, last_day, months_later
from earlyhelp.frontdoor.clock import WorkingTime


@dataclass(frozen=True)
class TimescaleRules:
    """An authority's casework timescales (`CaseworkSettings`), as plain values."""

    allocation_target_working_hours: int = 8
    allocation_limit_working_hours: int = 24
    first_visit_working_days_from_allocation: int = 5
    first_visit_days_from_referral: int = 5
    assessment_days_from_referral: int = 20
    assessment_days_from_allocation: int = 20
    assessment_days_from_first_visit: int = 15
    first_meeting_days_from_assessment: int = 10
    first_meeting_days_from_referral: int = 30
    manager_review_weeks_from_allocation: int = 4
    visit_interval_weeks: int = 2
    review_interval_weeks: int = 6
    case_note_working_hours: int = 8
    intervention_months: int = 6
    case_supervision_months: int = 1


@dataclass(frozen=True)
class AllocationTimescales:
    """The four dates an allocation note sets (FF §8.1)."""

    first_visit: date
    assessment: date
    first_meeting: date
    manager_review: date


def allocation_defaults(
    *, referred_at: datetime, allocated_on: date, rules: TimescaleRules, hours: WorkingTime
) -> AllocationTimescales:
    """What the allocation note starts from: the first visit 5 working days from allocation
    (FF §12.1), the assessment 20 days from referral (FF §10.4, the KPI's clock), the first Team
    Around the Family meeting 30 days from referral, and the case review with a manager 4 weeks
    from allocation."""
    referred_on = referred_at.astimezone(hours.zone).date()
    return AllocationTimescales(
        first_visit=last_day(allocated_on, rules.first_visit_working_days_from_allocation, Unit.WORKING_DAYS, hours),
        assessment=last_day(referred_on, rules.assessment_days_from_referral, Unit.DAYS, hours),
        first_meeting=last_day(referred_on, rules.first_meeting_days_from_referral, Unit.DAYS, hours),
        manager_review=last_day(allocated_on, rules.manager_review_weeks_from_allocation, Unit.WEEKS, hours),
    )


@dataclass(frozen=True)
class VisitDates:
    """A visit or contact, for its case note's clock."""

    what: str
    happened_at: datetime
    written_at: datetime | None = None


@dataclass(frozen=True)
class ActionDates:
    """A plan action, for its own date."""

    what: str
    by_when: date
    done_on: date | None = None


@dataclass(frozen=True)
class EpisodeDates:
    """The moments an episode's timescales run from and are met by."""

    referred_at: datetime
    reached_team_at: datetime
    allocated_at: datetime | None = None
    first_visit_due: date | None = None
    assessment_due: date | None = None
    first_meeting_due: date | None = None
    manager_review_due: date | None = None
    first_visit_at: datetime | None = None
    assessment_authorised_at: datetime | None = None
    first_meeting_at: datetime | None = None
    manager_review_at: datetime | None = None
    closed_at: datetime | None = None
    visits: tuple[VisitDates, ...] = ()
    last_meeting_at: datetime | None = None
    last_visit_at: datetime | None = None
    actions: tuple[ActionDates, ...] = ()
    last_case_supervision_on: date | None = None
    # A step-down from children's social care is not assessed again (FF §10.1).
    assessed_elsewhere: bool = False


def allocation_dues(dates: EpisodeDates, rules: TimescaleRules, hours: WorkingTime) -> list[Due]:
    """Allocation to a coach: within 24 hours of the referral reaching the team, all within 72
    (FF §8.1, §12.1), counted in working hours."""
    target = Unit.WORKING_HOURS.amount_label(rules.allocation_target_working_hours)
    return [
        Due(
            what="Allocate to a family coach",
            rule=f"Within {target} of reaching the team",
            source="FF §8.1: within 24 hours of receipt",
            unit=Unit.WORKING_HOURS,
            moment=due_moment(dates.reached_team_at, rules.allocation_target_working_hours, hours),
            done_at=dates.allocated_at,
        ),
        Due(
            what="Allocate to a family coach (every referral)",
            rule=f"Within {Unit.WORKING_HOURS.amount_label(rules.allocation_limit_working_hours)} of reaching the team",
            source="The service's limit: all allocated within 72 hours",
            unit=Unit.WORKING_HOURS,
            moment=due_moment(dates.reached_team_at, rules.allocation_limit_working_hours, hours),
            done_at=dates.allocated_at,
        ),
    ]


def _local_day(moment: datetime, hours: WorkingTime) -> date:
    return moment.astimezone(hours.zone).date()


def episode_dues(dates: EpisodeDates, rules: TimescaleRules, hours: WorkingTime) -> list[Due]:
    """Every timescale of the episode so far, in the order the work happens. Before allocation
    only the allocation's own; each later one appears once the event it runs from has happened."""
    if dates.allocated_at is None:
        return allocation_dues(dates, rules, hours)
    referred_on = _local_day(dates.referred_at, hours)
    allocated_on = _local_day(dates.allocated_at, hours)
    dues = allocation_dues(dates, rules, hours)
    dues += _first_visit_dues(dates, rules, hours, referred_on=referred_on, allocated_on=allocated_on)
    if not dates.assessed_elsewhere:
        dues += _assessment_dues(dates, rules, hours, referred_on=referred_on, allocated_on=allocated_on)
    dues += _first_meeting_dues(dates, rules, hours, referred_on=referred_on)
    if dates.manager_review_due is not None:
        dues.append(
            Due(
                what="Case review with a manager",
                rule="Set in the allocation note",
                source="FF §8.1 and the practice standards",
                unit=Unit.DAYS,
                day=dates.manager_review_due,
                done_at=dates.manager_review_at,
                set_by_manager=True,
            )
        )
    dues += case_note_dues(dates.visits, rules, hours)
    dues += plan_dues(dates, rules, hours)
    dues += case_supervision_dues(dates, rules, allocated_on=allocated_on)
    dues.append(intervention_due(dates, rules, allocated_on=allocated_on))
    return dues


def case_supervision_dues(dates: EpisodeDates, rules: TimescaleRules, *, allocated_on: date) -> list[Due]:
    """A team leader's case supervision note on the family at least once a month (the FF
    performance table: "minimum of 1 supervision note per month"), from the last note or, before
    the first, from allocation. None once the episode is closed."""
    if dates.closed_at is not None:
        return []
    months = rules.case_supervision_months
    return [
        Due(
            what="Case supervision note",
            rule=f"At least every {Unit.MONTHS.amount_label(months)}"
            + (" from the last note" if dates.last_case_supervision_on else " from allocation"),
            source="FF §19 and the performance table: a supervision note on each family at least monthly",
            unit=Unit.MONTHS,
            day=months_later(dates.last_case_supervision_on or allocated_on, months),
        )
    ]


def plan_dues(dates: EpisodeDates, rules: TimescaleRules, hours: WorkingTime) -> list[Due]:
    """Once the plan is agreed at the initial planning meeting: a review at least every 6 weeks
    from the latest meeting (FF §13.1), a visit at least every 2 weeks from the latest visit or the
    plan (FF §12.3), and each action by its own date. None once the episode is closed."""
    if dates.first_meeting_at is None or dates.closed_at is not None:
        return []
    last_meeting = dates.last_meeting_at or dates.first_meeting_at
    last_contact = max(dates.last_visit_at or dates.first_meeting_at, dates.first_meeting_at)
    weeks_review, weeks_visit = rules.review_interval_weeks, rules.visit_interval_weeks
    dues = [
        Due(
            what="Review meeting",
            rule=f"At least every {Unit.WEEKS.amount_label(weeks_review)} from the last meeting",
            source="FF §13.1: formal review meetings at least every 6 weeks",
            unit=Unit.WEEKS,
            day=last_day(_local_day(last_meeting, hours), weeks_review, Unit.WEEKS, hours),
        ),
        Due(
            what="Visit",
            rule=f"At least every {Unit.WEEKS.amount_label(weeks_visit)} once there is a plan",
            source="FF §12.3 and the practice standards: visits not less than every 2 weeks",
            unit=Unit.WEEKS,
            day=last_day(_local_day(last_contact, hours), weeks_visit, Unit.WEEKS, hours),
        ),
    ]
    dues += [
        Due(
            what=f"Plan action: {action.what}",
            rule="By the date in the plan",
            source="FF §11.1: each action says when it is to be done",
            unit=Unit.DAYS,
            day=action.by_when,
            done_at=datetime.combine(action.done_on, hours.opens, hours.zone) if action.done_on else None,
        )
        for action in dates.actions
    ]
    return dues


def case_note_dues(visits: tuple[VisitDates, ...], rules: TimescaleRules, hours: WorkingTime) -> list[Due]:
    """Each visit's case note: within 24 hours of it (FF §17.1), counted in working hours."""
    amount = rules.case_note_working_hours
    return [
        Due(
            what=f"Case note: {visit.what}",
            rule=f"Within {Unit.WORKING_HOURS.amount_label(amount)} of the visit",
            source="FF §17.1: visits recorded as a case note within 24 hours",
            unit=Unit.WORKING_HOURS,
            moment=due_moment(visit.happened_at, amount, hours),
            done_at=visit.written_at,
            for_case_note=True,
        )
        for visit in visits
    ]


def _first_visit_dues(
    dates: EpisodeDates, rules: TimescaleRules, hours: WorkingTime, *, referred_on: date, allocated_on: date
) -> list[Due]:
    """The framework gives two clocks for the first visit, and the allocation note may set a
    third date (FF §9.1 “or as directed by the manager”): all are shown."""
    amount_allocation = rules.first_visit_working_days_from_allocation
    amount_referral = rules.first_visit_days_from_referral
    dues = [
        Due(
            what="First visit",
            rule=f"{Unit.WORKING_DAYS.amount_label(amount_allocation)} from allocation",
            source="FF §12.1",
            unit=Unit.WORKING_DAYS,
            day=last_day(allocated_on, amount_allocation, Unit.WORKING_DAYS, hours),
            done_at=dates.first_visit_at,
        ),
        Due(
            what="First visit",
            rule=f"{Unit.DAYS.amount_label(amount_referral)} from referral",
            source="FF §9.1, the practice standards and the KPI “contact to first visit”",
            unit=Unit.DAYS,
            day=last_day(referred_on, amount_referral, Unit.DAYS, hours),
            done_at=dates.first_visit_at,
        ),
    ]
    if dates.first_visit_due is not None and dates.first_visit_due != dues[0].day:
        dues.append(_set_in_note("First visit", dates.first_visit_due, dates.first_visit_at))
    return dues


def _assessment_dues(
    dates: EpisodeDates, rules: TimescaleRules, hours: WorkingTime, *, referred_on: date, allocated_on: date
) -> list[Due]:
    """Written up and authorised by a team leader: 20 days from referral is the KPI's clock
    (FF §10.4); the framework also says 20 days after allocation (§12.2) and 15 days after the
    first successful visit (§13.1). Days, not working days."""
    authorised = dates.assessment_authorised_at
    dues = [
        Due(
            what="Assessment authorised",
            rule=f"{Unit.DAYS.amount_label(rules.assessment_days_from_referral)} from referral",
            source="FF §10.4 and the KPI “assessment completion time”",
            unit=Unit.DAYS,
            day=last_day(referred_on, rules.assessment_days_from_referral, Unit.DAYS, hours),
            done_at=authorised,
        ),
        Due(
            what="Assessment authorised",
            rule=f"{Unit.DAYS.amount_label(rules.assessment_days_from_allocation)} from allocation",
            source="FF §12.2, §13.1",
            unit=Unit.DAYS,
            day=last_day(allocated_on, rules.assessment_days_from_allocation, Unit.DAYS, hours),
            done_at=authorised,
        ),
    ]
    if dates.first_visit_at is not None:
        visited_on = _local_day(dates.first_visit_at, hours)
        dues.append(
            Due(
                what="Assessment authorised",
                rule=f"{Unit.DAYS.amount_label(rules.assessment_days_from_first_visit)} from the first visit",
                source="FF §13.1",
                unit=Unit.DAYS,
                day=last_day(visited_on, rules.assessment_days_from_first_visit, Unit.DAYS, hours),
                done_at=authorised,
            )
        )
    if dates.assessment_due is not None and dates.assessment_due != dues[0].day:
        dues.append(_set_in_note("Assessment authorised", dates.assessment_due, authorised))
    return dues


def _first_meeting_dues(
    dates: EpisodeDates, rules: TimescaleRules, hours: WorkingTime, *, referred_on: date
) -> list[Due]:
    """The first Team Around the Family meeting: 30 days after referral, and 10 days after the
    assessment once it is authorised (DOMAIN.md)."""
    held = dates.first_meeting_at
    dues = [
        Due(
            what="First Team Around the Family meeting",
            rule=f"{Unit.DAYS.amount_label(rules.first_meeting_days_from_referral)} from referral",
            source="FF §11.1 and the KPI “time to initial meeting”",
            unit=Unit.DAYS,
            day=last_day(referred_on, rules.first_meeting_days_from_referral, Unit.DAYS, hours),
            done_at=held,
        )
    ]
    if dates.assessment_authorised_at is not None:
        assessed_on = _local_day(dates.assessment_authorised_at, hours)
        dues.append(
            Due(
                what="First Team Around the Family meeting",
                rule=f"{Unit.DAYS.amount_label(rules.first_meeting_days_from_assessment)} from the assessment",
                source="FF §11.1",
                unit=Unit.DAYS,
                day=last_day(assessed_on, rules.first_meeting_days_from_assessment, Unit.DAYS, hours),
                done_at=held,
            )
        )
    if dates.first_meeting_due is not None and dates.first_meeting_due != dues[0].day:
        dues.append(_set_in_note("First Team Around the Family meeting", dates.first_meeting_due, held))
    return dues


def _set_in_note(what: str, day: date, done_at: datetime | None) -> Due:
    return Due(
        what=what,
        rule="Set in the allocation note",
        source="FF §8.1: the manager sets this family's timescales",
        unit=Unit.DAYS,
        day=day,
        done_at=done_at,
        set_by_manager=True,
    )


def intervention_due(dates: EpisodeDates, rules: TimescaleRules, *, allocated_on: date) -> Due:
    """The documents say an intervention should not exceed 6 months (FF §13.1, §15.1): from
    allocation, met by closing on or before the same date 6 months later."""
    return Due(
        what="Close within the length of an intervention",
        rule=f"{Unit.MONTHS.amount_label(rules.intervention_months)} from allocation",
        source="FF §13.1, §15.1 and the practice standards: should not exceed 6 months",
        unit=Unit.MONTHS,
        day=months_later(allocated_on, rules.intervention_months),
        done_at=dates.closed_at,
        ends_intervention=True,
    )


def pending_soonest_first(dues: list[Due], hours: WorkingTime) -> list[Due]:
    """The dues not yet met, the soonest (most overdue) first."""
    waiting = [due for due in dues if due.done_at is None]
    return sorted(waiting, key=lambda due: deadline(due, hours))


def deadline(due: Due, hours: WorkingTime) -> datetime:
    """The moment a timescale ends: its moment, or the close of its last working day."""
    if due.moment is not None:
        return due.moment
    assert due.day is not None
    return datetime.combine(due.day, hours.closes, hours.zone)


def last_moment_met(due: Due, hours: WorkingTime) -> datetime:
    """The last moment the timescale is still met (`Due.met_by`): its moment, or the end of its
    last day. Overdue is any moment after."""
    if due.moment is not None:
        return due.moment
    assert due.day is not None
    return datetime.combine(due.day, time.max, hours.zone)


@dataclass(frozen=True)
class Soonest:
    """What a list of families sorts and counts by, kept on the episode (`deadlines.py`): the
    deadline of the soonest timescale not yet met, the last moment at which none is overdue, and
    the last moment within the length of an intervention. None where nothing is waiting."""

    next_deadline: datetime | None
    overdue_after: datetime | None
    past_intervention_length_after: datetime | None


def soonest(dues: list[Due], hours: WorkingTime) -> Soonest:
    waiting = [due for due in dues if due.done_at is None]
    return Soonest(
        next_deadline=min((deadline(due, hours) for due in waiting), default=None),
        overdue_after=min((last_moment_met(due, hours) for due in waiting), default=None),
        past_intervention_length_after=min(
            (last_moment_met(due, hours) for due in waiting if due.ends_intervention), default=None
        ),
    )
