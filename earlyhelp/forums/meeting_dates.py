"""When a forum meets: its dates a year ahead, from its pattern (EHF: "on a regular date set a
year ahead"; FF §6: fortnightly neighbourhood action meetings). Pure functions."""

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

LAST = 5
FORTNIGHT = timedelta(days=14)


def nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`th `weekday` of the month (1 for the first); `LAST` for the month's last."""
    days = [day for day in calendar.Calendar().itermonthdates(year, month) if day.month == month]
    matching = [day for day in days if day.weekday() == weekday]
    return matching[-1] if week >= LAST else matching[week - 1]


def _months(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def monthly(*, weekday: int, week: int, first: date, start: date, end: date) -> list[date]:
    """Every month's meeting from `start` to `end` inclusive, none before `first`."""
    found = (nth_weekday(year, month, weekday, week) for year, month in _months(start, end))
    return [day for day in found if max(start, first) <= day <= end]


def fortnightly(*, first: date, start: date, end: date) -> list[date]:
    """Every other week from `first`, those from `start` to `end` inclusive."""
    if first > end:
        return []
    if first >= start:
        day = first
    else:
        missed = -(-(start - first).days // 14)
        day = first + missed * FORTNIGHT
    dates = []
    while day <= end:
        dates.append(day)
        day += FORTNIGHT
    return dates


def a_year_from(day: date) -> date:
    """The same date next year (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
