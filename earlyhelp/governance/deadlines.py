"""Calendar arithmetic for the data-protection duties: the statutory month (UK GDPR Art 12(3), as
the ICO reads it) and the ages records are kept to."""

import calendar
from datetime import date


def months_after(day: date, months: int) -> date:
    """The corresponding date `months` later, or that month's last day where there is none."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def years_before(day: date, years: int) -> date:
    """The same date `years` earlier; 28 February for a 29 February that year lacks."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
