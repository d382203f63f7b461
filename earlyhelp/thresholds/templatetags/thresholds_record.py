"""The level of need on a child's record: the thresholds app adds its section to the person page
through this tag, so that `people` never imports `thresholds` (ADR 12)."""

from typing import Any

from django import template

from earlyhelp.core.compiled import Compiled
from earlyhelp.people.models import Person
from earlyhelp.thresholds.models import LevelOfNeedDecision
from earlyhelp.thresholds.selectors import decisions_for_person

register = template.Library()

# On every child's page: built once (core/compiled.py).
_LATEST_DECISIONS: "Compiled[LevelOfNeedDecision]" = Compiled(
    lambda person: decisions_for_person(person).order_by("-decided_at", "-pk")[:5]
)


@register.inclusion_tag("thresholds/_person_levels.html")
def person_levels_of_need(person: Person) -> dict[str, Any]:
    """The five latest level-of-need decisions; the page's view has already checked access."""
    return {"person": person, "decisions": _LATEST_DECISIONS.list(person=person.pk)}
