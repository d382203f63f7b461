"""The level of need on a child's record: the thresholds app adds its section to the person page
through this tag, so that `people` never imports `thresholds` (ADR 12)."""

from typing import Any

from django import template

from earlyhelp.people.models import Person
from earlyhelp.thresholds.selectors import decisions_for_person

register = template.Library()


@register.inclusion_tag("thresholds/_person_levels.html")
def person_levels_of_need(person: Person) -> dict[str, Any]:
    """The five latest level-of-need decisions; the page's view has already checked access."""
    return {"person": person, "decisions": list(decisions_for_person(person)[:5])}
