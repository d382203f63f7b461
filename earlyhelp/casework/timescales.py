"""Counting a casework timescale in the unit the documents give it (docs/casework.md).

- **Working days** ("5 working days from allocation", FF §12.1): the day of the event is day 0;
  the timescale ends on the 5th working day after it, counted by the front door's clock (no
  weekends, bank holidays or days the authority is closed).
- **Days** ("20 days from referral", FF §10.4): calendar days; day 0 is the event's day.
- **Weeks** ("every 6 weeks", FF §13.1): seven calendar days each.
- **Months** ("should not exceed 6 months", FF §13.1): the same date that many months later, or
  the month's last day when it has no such date (31 August + 6 months = 28 or 29 February).
- **Working hours** (the documents' "24 hours": allocation once a referral reaches the team,
  FF §8.1; a case note after a visit, FF §17.1): working time by the same clock, to the minute.

A timescale counted in days is met by anything done on or before its last day; one counted in
working hours, by anything done before its moment.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from earlyhelp.frontdoor.clock import WorkingTime


class Unit(StrEnum):
    WORKING_HOURS = "working_hours"  # pragma: no mutate (a name only: never stored or shown)
    WORKING_DAYS = "working_days"  # pragma: no mutate (a name only: never stored or shown)
    DAYS = "days"  # pragma: no mutate (a name only: never stored or shown)
    WEEKS = "weeks"  # pragma: no mutate (a name only: never stored or shown)
    MONTHS = "months"  # pragma: no mutate (a name only: never stored or shown)

    def amount_label(self, amount: int) -> str:
        """“5 working days”, “1 week”, “6 months”."""
        return _amount_label(self, amount)


SINGULAR = {
    Unit.WORKING_HOURS: "working hour",
    Unit.WORKING_DAYS: "working day",
    Unit.DAYS: "day",
    Unit.WEEKS: "week",
    Unit.MONTHS: "month",
}


# Pages word hundreds of timescales with the same few amounts: each is written out once.
@lru_cache(maxsize=512)  # pragma: no mutate (the size changes only how often it is worked out again)
def _amount_label(unit: Unit, amount: int) -> str:
    return f"{amount} {SINGULAR[unit]}" if amount == 1 else f"{amount} {SINGULAR[unit]}s"


def months_later(day: date, months: int) -> date:
    """The same date `months` later, or that month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def working_days_later(day: date, count: int, hours: WorkingTime) -> date:
    """The `count`th working day after `day` (day 0, whether or not it is a working day itself)."""
    found = 0
    while found < count:
        day += timedelta(days=1)
        if hours.is_working_day(day):
            found += 1
    return day


def last_day(start: date, amount: int, unit: Unit, hours: WorkingTime) -> date:
    """The last day of a timescale counted in days, working days, weeks or months."""
    if unit == Unit.WORKING_DAYS:
        return working_days_later(start, amount, hours)
    if unit == Unit.DAYS:
        return start + timedelta(days=amount)
    if unit == Unit.WEEKS:
        return start + timedelta(weeks=amount)
    if unit == Unit.MONTHS:
        return months_later(start, amount)
    raise ValueError(f"{unit} is counted to the moment, not to a day: use due_moment()")


def due_moment(start: datetime, working_hours: int, hours: WorkingTime) -> datetime:
    """The moment `working_hours` of working time after `start`."""
    return hours.add_working_time(start, timedelta(hours=working_hours))


class State(StrEnum):
    DONE = "done"  # pragma: no mutate (a name only: never stored or shown)
    DONE_LATE = "done_late"  # pragma: no mutate (a name only: never stored or shown)
    OVERDUE = "overdue"  # pragma: no mutate (a name only: never stored or shown)
    DUE_SOON = "due_soon"  # pragma: no mutate (a name only: never stored or shown)
    ON_TIME = "on_time"  # pragma: no mutate (a name only: never stored or shown)


STATE_LABELS = {
    State.DONE: "Done on time",
    State.DONE_LATE: "Done late",
    State.OVERDUE: "Overdue",
    State.DUE_SOON: "Due soon",
    State.ON_TIME: "On time",
}

STATE_TAG_COLOURS = {
    State.DONE: "govuk-tag--green",
    State.DONE_LATE: "govuk-tag--orange",
    State.OVERDUE: "govuk-tag--red",
    State.DUE_SOON: "govuk-tag--yellow",
    State.ON_TIME: "govuk-tag--blue",
}

# A timescale turns "due soon" when this much of its own unit is left: two working days, two
# days, a week, or two working hours (the front door's amber point).
DUE_SOON_WITHIN = {
    Unit.WORKING_DAYS: 2,
    Unit.DAYS: 2,
    Unit.WEEKS: 7,  # counted in days
    Unit.MONTHS: 14,  # counted in days
    Unit.WORKING_HOURS: 2,
}


@dataclass(frozen=True)
class Due:
    """One timescale for one family: what it is, where the rule comes from, when it ends, and
    whether and when it was met.

    `day` is the last day for timescales counted in days; `moment` for those in working hours."""

    what: str
    rule: str
    source: str
    unit: Unit
    day: date | None = None
    moment: datetime | None = None
    done_at: datetime | None = None
    # Set by a manager rather than counted (the allocation note, FF §8.1).
    set_by_manager: bool = False
    # A visit's case note: shown beside its note rather than with the episode's timescales.
    for_case_note: bool = False
    # The length of an intervention (FF §13.1, §15.1): overdue, it is a breach to show everywhere.
    ends_intervention: bool = False

    def met_by(self, when: datetime, hours: WorkingTime) -> bool:
        """Done by `when`: before the moment, or on the last day where the service is."""
        if self.moment is not None:
            return when <= self.moment
        assert self.day is not None
        return when.astimezone(hours.zone).date() <= self.day

    def state(self, now: datetime, hours: WorkingTime) -> State:
        if self.done_at is not None:
            return State.DONE if self.met_by(self.done_at, hours) else State.DONE_LATE
        if not self.met_by(now, hours):
            return State.OVERDUE
        if self.left(now, hours) <= DUE_SOON_WITHIN[self.unit]:
            return State.DUE_SOON
        return State.ON_TIME

    def left(self, now: datetime, hours: WorkingTime) -> int:
        """How much is left, in the timescale's own unit (days for weeks and months), negative
        once it has passed: working days to the last day, or whole working hours to the moment."""
        if self.moment is not None:
            return int(hours.working_seconds_between(now, self.moment) // 3600)
        assert self.day is not None
        today = now.astimezone(hours.zone).date()
        if self.unit == Unit.WORKING_DAYS:
            return working_days_between(today, self.day, hours)
        return (self.day - today).days

    def left_label(self, now: datetime, hours: WorkingTime) -> str:
        """“Due today”, “3 working days left”, “2 days overdue”, “5 working hours left”."""
        left = self.left(now, hours)
        unit = Unit.WORKING_HOURS if self.moment is not None else self.unit
        if unit in (Unit.WEEKS, Unit.MONTHS):
            unit = Unit.DAYS
        if left == 0:
            # Whole hours are rounded down, so an hour timescale past its moment is already -1.
            return "Due within the hour" if self.moment is not None else "Due today"
        if left > 0:  # pragma: no mutate (0 was answered above)
            return f"{unit.amount_label(left)} left"
        return f"{unit.amount_label(-left)} overdue"


def working_days_between(start: date, end: date, hours: WorkingTime) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier).

    Counted by whole weeks and the days left over, less the bank holidays and closed days that
    fall on working weekdays between: the same as walking the calendar day by day (a test says
    so), without the walk, so that a list of families a year overdue costs no more than one."""
    if end < start:
        return -working_days_between(end, start, hours)
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * len(hours.weekdays)
    count += sum(1 for offset in range(1, extra + 1) if (start + timedelta(days=offset)).weekday() in hours.weekdays)
    return count - len(_days_off_between(start, end, hours))


def _days_off_between(start: date, end: date, hours: WorkingTime) -> set[date]:
    """Bank holidays and closed days after `start` up to `end` that fall on working weekdays."""
    for year in range(start.year, end.year + 1):
        date(year, 1, 1) in hours.bank_holidays  # noqa: B015 (asking for a year is what loads its holidays)
    off = {day for day in hours.bank_holidays if start < day <= end} | {
        day for day in hours.closed_days if start < day <= end
    }
    return {day for day in off if day.weekday() in hours.weekdays}
