"""Dates, times and numbers as GOV.UK writes them: "23 November 2026", "4:08pm", "midday", "250,817".

Django's own `a` format gives "p.m."; the GOV.UK style guide asks for "4:08pm" and for "midday"
and "midnight" rather than 12pm and 12am. Every page, e-mail and letter uses these filters.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def govuk_time(value: datetime | None) -> str:
    if value is None:
        return ""
    moment = _local(value)
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}" if moment.minute else f"{hour}{suffix}"


@register.filter
def govuk_date(value: date | datetime | str | None, style: str = "long") -> str:
    """ "23 November 2026"; "short": "23 Nov 2026"; "day": "Monday 23 November 2026".

    Also takes a date kept as ISO text (a referral draft keeps its dates so)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    if value is None:
        return ""
    day = _local(value).date() if isinstance(value, datetime) else value
    month = day.strftime("%b") if style == "short" else day.strftime("%B")
    text = f"{day.day} {month} {day.year}"
    return f"{day.strftime('%A')} {text}" if style == "day" else text


@register.filter
def govuk_datetime(value: datetime | None, style: str = "long") -> str:
    """ "23 November 2026 at 4:08pm"."""
    if value is None:
        return ""
    return f"{govuk_date(value, style)} at {govuk_time(value)}"


@register.filter
def govuk_number(value: int | None) -> str:
    """A count as GOV.UK writes numbers: 250,817 (commas from a thousand)."""
    if value is None:
        return ""
    return f"{value:,}"
