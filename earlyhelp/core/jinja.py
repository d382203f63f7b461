"""The Jinja2 environment for the few lists rendered by Jinja2 rather than Django's own engine
(ADR 27): a team page's or a coach's families, the case file and a page of search results,
whose rows are most of those pages' rendering.

Everything else stays in Django templates. What a Jinja2 template can use is only what is named
here: the GOV.UK date filters every page uses, a moment for `<time>`, and `url` for a page's
address. Jinja2 calls no method by itself (`get_status_display()`, not `get_status_display`),
and prints a datetime as it is given: every date on a page goes through a GOV.UK filter.
"""

from datetime import datetime
from typing import Any

from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined

from earlyhelp.core.templatetags.govuk_dates import govuk_date, govuk_datetime, govuk_number, govuk_time


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def iso_moment(value: datetime) -> str:
    """A moment for a `<time datetime>`, in the service's own time zone (as Django's `date:'c'`)."""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()


def environment(**options: Any) -> Environment:
    # Every value is escaped, whatever the settings say; and a name the template gets wrong is an
    # error in the tests, not an empty cell on a page.
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, **options)
    env.filters.update(
        govuk_date=govuk_date,
        govuk_datetime=govuk_datetime,
        govuk_time=govuk_time,
        govuk_number=govuk_number,
        iso_moment=iso_moment,
    )
    env.globals.update(url=url)
    return env


def rendered(name: str, **values: Any) -> SafeString:
    """A Jinja2 template's HTML, for a Django template tag to place in its page. The template
    itself, not Django's wrapper of it: the wrapper would add the request's context (CSRF token,
    the signed-in user) that these lists do not use."""
    template = engines["jinja2"].env.get_template(name)  # type: ignore[attr-defined]
    html: str = template.render(values)
    return mark_safe(html)  # nosec B308, B703 (Jinja2 escaped every value: autoescape is on)
