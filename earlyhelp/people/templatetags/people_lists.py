"""`{% search_results page %}`: a page of people found, rendered by Jinja2 (ADR 27)."""

from collections.abc import Iterable

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from earlyhelp.people.models import Person

register = template.Library()


@register.simple_tag
def search_results(people: Iterable[Person]) -> SafeString:
    table = engines["jinja2"].env.get_template("people/search_results.html")  # type: ignore[attr-defined]
    html: str = table.render(people=people)
    return mark_safe(html)  # nosec B308, B703 (Jinja2 escaped every value: autoescape is on)
