"""`{% search_results page %}`: a page of people found, rendered by Jinja2 (ADR 27)."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from earlyhelp.core.jinja import rendered
from earlyhelp.people.models import Person

register = template.Library()


@register.simple_tag
def search_results(people: Iterable[Person]) -> SafeString:
    return rendered("people/search_results.html", people=people)
