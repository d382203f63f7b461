"""Working time, and the clock each contact runs against its 24-hour decision target.

The clock runs only in working hours on working days: not at night, at weekends, on bank
holidays (the `holidays` package) or on days the service has said it is closed. With the default
settings (09:00 to 17:00, target 8 working hours) a contact received at 10:00 on a Monday is due
at 10:00 on the Tuesday, and one received on a Friday evening is due at 17:00 on the Monday.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.organisations.models import Authority

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WorkingTime:
    opens: time
    closes: time
    weekdays: frozenset[int]
    bank_holidays: holidays.HolidayBase
    closed_days: frozenset[date]
    zone: ZoneInfo

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.bank_holidays and day not in self.closed_days

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        return datetime.combine(day, self.opens, self.zone), datetime.combine(day, self.closes, self.zone)

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Working time from `start` to `end` (negative when `end` is earlier)."""
        if end < start:
            return -self.working_seconds_between(end, start)
        start, end = start.astimezone(self.zone), end.astimezone(self.zone)
        total = 0.0
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                opens, closes = self._day_bounds(day)
                overlap = (min(closes, end) - max(opens, start)).total_seconds()
                total += max(overlap, 0.0)
            day += timedelta(days=1)
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of working time after `start`."""
        remaining = amount.total_seconds()
        moment = start.astimezone(self.zone)
        day = moment.date()
        for _ in range(3660):  # pragma: no mutate (ten years of days: no working days at all stops here)
            if self.is_working_day(day):
                opens, closes = self._day_bounds(day)
                begin = max(opens, moment)
                available = (closes - begin).total_seconds()
                if available >= remaining and begin <= closes:
                    return begin + timedelta(seconds=remaining)
                remaining -= max(available, 0.0)
            day += timedelta(days=1)
        raise ImproperlyConfigured("The front door's working days and hours leave no working time.")


def _parse_hours(text: str) -> tuple[time, time]:
    try:
        opens_text, closes_text = text.split("-")
        opens, closes = time.fromisoformat(opens_text.strip()), time.fromisoformat(closes_text.strip())
    except ValueError:
        raise ImproperlyConfigured(f"FRONT_DOOR_WORKING_HOURS must look like 09:00-17:00, not {text!r}") from None
    if opens >= closes:
        raise ImproperlyConfigured("FRONT_DOOR_WORKING_HOURS must open before it closes")
    return opens, closes


def _parse_bank_holidays(text: str) -> holidays.HolidayBase:
    country, _, subdivision = text.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError:
        raise ImproperlyConfigured(f"FRONT_DOOR_BANK_HOLIDAYS: no bank holidays known for {text!r}") from None


@dataclass(frozen=True)
class ClockRules:
    """How an authority's front door keeps time (ADR 13): its working hours and days, whose bank
    holidays, the days it is closed, the decision target and when a contact turns amber."""

    working_hours: str
    working_days: tuple[str, ...]
    bank_holidays: str
    closed_days: tuple[str, ...]
    decision_target_working_hours: int
    amber_when_working_hours_left: int


def rules_from_settings() -> ClockRules:
    """The environment's defaults: what a new authority starts with."""
    return ClockRules(
        working_hours=settings.FRONT_DOOR_WORKING_HOURS,
        working_days=tuple(settings.FRONT_DOOR_WORKING_DAYS),
        bank_holidays=settings.FRONT_DOOR_BANK_HOLIDAYS,
        closed_days=tuple(settings.FRONT_DOOR_CLOSED_DAYS),
        decision_target_working_hours=settings.FRONT_DOOR_DECISION_TARGET_WORKING_HOURS,
        amber_when_working_hours_left=settings.FRONT_DOOR_AMBER_WHEN_WORKING_HOURS_LEFT,
    )


def rules_of(authority: Authority) -> ClockRules:
    """The authority's own rules, as its administrators last saved them."""
    return ClockRules(
        working_hours=authority.working_hours,
        working_days=authority.working_day_names,
        bank_holidays=authority.bank_holidays,
        closed_days=authority.closed_day_list,
        decision_target_working_hours=authority.decision_target_working_hours,
        amber_when_working_hours_left=authority.amber_when_working_hours_left,
    )


@lru_cache(maxsize=16)  # pragma: no mutate (a bigger cache changes nothing)
def working_time(rules: ClockRules | None = None) -> WorkingTime:
    rules = rules or rules_from_settings()
    opens, closes = _parse_hours(rules.working_hours)
    unknown = [name for name in rules.working_days if name.lower()[:3] not in DAY_NAMES]
    if unknown:
        raise ImproperlyConfigured(f"FRONT_DOOR_WORKING_DAYS has days it does not know: {unknown}")
    return WorkingTime(
        opens=opens,
        closes=closes,
        weekdays=frozenset(DAY_NAMES.index(name.lower()[:3]) for name in rules.working_days),
        bank_holidays=_parse_bank_holidays(rules.bank_holidays),
        closed_days=frozenset(date.fromisoformat(day) for day in rules.closed_days),
        zone=ZoneInfo(settings.TIME_ZONE),
    )


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    # A child said to be in immediate danger is never "on time": it is shown as what it is.
    IMMEDIATE = "immediate"


TAG_COLOURS = {
    Rag.IMMEDIATE: "govuk-tag--red",
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--yellow",
    Rag.GREEN: "govuk-tag--green",
}


@dataclass(frozen=True)
class DecisionClock:
    due_at: datetime
    rag: Rag
    now: datetime
    rules: ClockRules

    @property
    def working_hours_left(self) -> float:
        """Working hours from now to the deadline (negative once it has passed)."""
        return working_time(self.rules).working_seconds_between(self.now, self.due_at) / 3600

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag the clock is shown in: red for overdue and immediate danger."""
        return TAG_COLOURS[self.rag]

    @property
    def label(self) -> str:
        if self.rag == Rag.IMMEDIATE:
            return "Immediate danger: act now"
        if self.rag == Rag.RED:
            return "Overdue"
        if self.rag == Rag.AMBER:
            return "Due soon"
        return "On time"


def decision_due(received_at: datetime, rules: ClockRules | None = None) -> datetime:
    return _decision_due(received_at, rules or rules_from_settings())


# A contact's deadline never changes while its authority's rules stay the same: worked out once per
# process for each, the front door's queue and counts cost a look-up per open contact, not a walk
# through the calendar (docs/performance.md).
@lru_cache(maxsize=8192)  # pragma: no mutate (the size changes only how often it is worked out again)
def _decision_due(received_at: datetime, rules: ClockRules) -> datetime:
    target = timedelta(hours=rules.decision_target_working_hours)
    return working_time(rules).add_working_time(received_at, target)


def decision_clock(
    received_at: datetime, now: datetime, *, immediate_danger: bool = False, rules: ClockRules | None = None
) -> DecisionClock:
    rules = rules or rules_from_settings()
    due_at = decision_due(received_at, rules)
    if immediate_danger:
        rag = Rag.IMMEDIATE
    elif now >= due_at:
        rag = Rag.RED
    elif working_time(rules).working_seconds_between(now, due_at) / 3600 <= rules.amber_when_working_hours_left:
        rag = Rag.AMBER
    else:
        rag = Rag.GREEN
    return DecisionClock(due_at=due_at, rag=rag, now=now, rules=rules)


@dataclass(frozen=True)
class ClockBoundaries:
    """Where the waiting contacts' colours change, as arrival times, at one moment.

    A contact received at or before `overdue_if_received_by` is overdue; after it but at or before
    `due_soon_if_received_by`, due soon; later, on time. So the front door's counts are one
    query (received_at against two moments) instead of every open contact's clock worked out in
    turn, however many are waiting (docs/performance.md)."""

    overdue_if_received_by: datetime
    due_soon_if_received_by: datetime

    def rag_of(self, received_at: datetime, *, immediate_danger: bool = False) -> Rag:
        """The same colour `decision_clock` gives, from the boundaries alone."""
        if immediate_danger:
            return Rag.IMMEDIATE
        if received_at <= self.overdue_if_received_by:
            return Rag.RED
        if received_at <= self.due_soon_if_received_by:
            return Rag.AMBER
        return Rag.GREEN


# Arrival times are searched from this long before the moment to a day after it (a contact cannot
# arrive later than that): wide enough for any contact still open.
_SEARCHED_BEFORE = timedelta(days=3650)
_SEARCHED_AFTER = timedelta(days=1)


def clock_boundaries(now: datetime, rules: ClockRules | None = None) -> ClockBoundaries:
    """The boundaries at `now`: exact to the microsecond, found by halving.

    A contact that arrives later is never due earlier, and a later deadline never has less working
    time left before it, so each colour is one unbroken run of arrival times."""
    rules = rules or rules_from_settings()
    hours = working_time(rules)
    target = timedelta(hours=rules.decision_target_working_hours)
    amber_seconds = rules.amber_when_working_hours_left * 3600

    # Not through decision_due's memory: these arrival times are no contact's.
    def overdue(received_at: datetime) -> bool:
        return now >= hours.add_working_time(received_at, target)

    def due_soon_or_overdue(received_at: datetime) -> bool:
        due_at = hours.add_working_time(received_at, target)
        # Past its deadline it has less than no time left; said first so as not to count the
        # working time of years gone by.
        return now >= due_at or hours.working_seconds_between(now, due_at) <= amber_seconds  # pragma: no mutate

    return ClockBoundaries(
        overdue_if_received_by=_latest_arrival(overdue, now),
        due_soon_if_received_by=_latest_arrival(due_soon_or_overdue, now),
    )


def _latest_arrival(holds: Callable[[datetime], bool], now: datetime) -> datetime:
    """The latest arrival time for which `holds` is true, given that it holds for every earlier
    one: halving the microseconds between the earliest and latest arrival searched."""
    earliest = now - _SEARCHED_BEFORE
    if not holds(earliest):
        return earliest - timedelta(microseconds=1)
    low, high = 0, (_SEARCHED_BEFORE + _SEARCHED_AFTER) // timedelta(microseconds=1)
    if holds(earliest + timedelta(microseconds=high)):
        return earliest + timedelta(microseconds=high)
    # Invariant: holds at `low`, does not at `high`.
    while high - low > 1:
        middle = (low + high) // 2
        if holds(earliest + timedelta(microseconds=middle)):
            low = middle
        else:
            high = middle
    return earliest + timedelta(microseconds=low)


def decided_in_time(received_at: datetime, decided_at: datetime, rules: ClockRules | None = None) -> bool:
    """Whether a decision met the target: shown on a decided contact, counted by performance."""
    return decided_at <= decision_due(received_at, rules)
