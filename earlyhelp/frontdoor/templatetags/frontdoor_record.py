"""A person's contacts with the front door on their record: the front door adds its section to
the person page through this tag, so that `people` never imports `frontdoor` (ADR 12)."""

from typing import Any

from django import template

from earlyhelp.frontdoor.access import can_triage, contacts_visible_to
from earlyhelp.frontdoor.selectors import contacts_about, contacts_about_for_triage
from earlyhelp.organisations.models import user_of
from earlyhelp.people.models import Person

register = template.Library()


@register.inclusion_tag("frontdoor/_person_contacts.html", takes_context=True)
def person_contacts(context: dict[str, Any], person: Person) -> dict[str, Any]:
    """The contacts about this person that the reader may see, newest first."""
    user = user_of(context["request"])
    triages = can_triage(user)
    if triages:  # every contact of the authority (`contacts_visible_to`)
        contacts = contacts_about_for_triage(authority_id=user.authority_id, person_id=person.pk)
    else:
        contacts = contacts_about(person_id=person.pk, contacts=contacts_visible_to(user))
    return {"person": person, "contacts": contacts, "can_triage": triages}
