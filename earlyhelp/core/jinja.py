"""The Jinja2 environment for the few lists rendered by Jinja2 rather than Django's own engine
(ADR 27): a team page's or a coach's families, whose rows are most of the page's rendering.

Everything else stays in Django templates. What a Jinja2 template can use is only what is named
here: the GOV.UK date filters every page uses, and `url` for a page's address.
"""

from typing import Any

from django.urls import reverse
from jinja2 import Environment, StrictUndefined

from earlyhelp.core.templatetags.govuk_dates import govuk_date, govuk_datetime, govuk_number, govuk_time


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def environment(**options: Any) -> Environment:
    # Every value is escaped, whatever the settings say; and a name the template gets wrong is an
    # error in the tests, not an empty cell on a page.
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, **options)
    env.filters.update(
        govuk_date=govuk_date, govuk_datetime=govuk_datetime, govuk_time=govuk_time, govuk_number=govuk_number
    )
    env.globals.update(url=url)
    return env
