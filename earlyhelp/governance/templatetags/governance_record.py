"""What the person page shows of information governance: what the person disputes on their record."""

from typing import Any

from django import template

from earlyhelp.governance.rectifying import disputed
from earlyhelp.people.models import Person

register = template.Library()


@register.inclusion_tag("governance/includes/disputed.html")
def disputed_on_record(person: Person) -> dict[str, Any]:
    return {"disputed": disputed(person)}
