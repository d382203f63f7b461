"""What the case file shows of information sharing: decisions to share without the family's
consent, which the family's lead practitioner must see (issue 13)."""

from typing import Any

from django import template

from earlyhelp.core.compiled import Compiled
from earlyhelp.people.models import Family
from earlyhelp.sharing.models import ConsentPosition, SharingDecision

register = template.Library()

_SHARED_WITHOUT_CONSENT: "Compiled[SharingDecision]" = Compiled(
    lambda family: (
        SharingDecision.objects.filter(shared=True, people__memberships__family_id=family)
        .exclude(consent=ConsentPosition.GIVEN)
        .select_related("recipient_agency", "decided_by")
        .distinct()
    )
)


@register.inclusion_tag("sharing/includes/shared_without_consent.html")
def shared_without_consent(family: Family) -> dict[str, Any]:
    """Every decision to share information about a member of the family without their consent
    (the page has already checked that the reader may see the family's case file)."""
    return {"decisions": _SHARED_WITHOUT_CONSENT.list(family=family.pk)}
