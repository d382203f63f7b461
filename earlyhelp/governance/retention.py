"""When a family's early help records are due to be disposed of (issue 13; ADR 24).

The documents' rule, and the default: early help records are kept until the youngest child of
the family is 25 (`RETENTION_UNTIL_YOUNGEST_IS`). A family with no child on record is kept for
`RETENTION_YEARS_WITHOUT_CHILDREN` years after its last contact or episode. Nothing is due while
the family has an open contact or episode, or a legal hold in force.
"""

from datetime import date

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from earlyhelp.casework.models import Episode
from earlyhelp.frontdoor.models import Contact
from earlyhelp.governance.deadlines import years_before
from earlyhelp.governance.models import LegalHold
from earlyhelp.people.models import Family, FamilyMembership, Person

CHILD_KINDS = (Person.Kind.CHILD, Person.Kind.YOUNG_PERSON, Person.Kind.UNBORN)


def families_due(*, authority_id: int, today: date) -> QuerySet[Family]:
    """Every family of the authority whose records are due to be disposed of today."""
    born_by = years_before(today, settings.RETENTION_UNTIL_YOUNGEST_IS)
    quiet_since = years_before(today, settings.RETENTION_YEARS_WITHOUT_CHILDREN)
    children = FamilyMembership.objects.filter(family=OuterRef("pk"), person__kind__in=CHILD_KINDS)
    # A child or young person always has a date of birth, an unborn baby a due date (constraints
    # on Person): either one counts.
    too_young = children.filter(
        Q(person__date_of_birth__gt=born_by)
        | Q(person__date_of_birth__isnull=True, person__expected_date_of_delivery__gt=born_by)
    )
    open_episode = Episode.objects.filter(family=OuterRef("pk")).exclude(status=Episode.Status.CLOSED)
    open_contact = Contact.objects.filter(family=OuterRef("pk"), status__in=Contact.OPEN_STATUSES)
    held = LegalHold.objects.filter(family=OuterRef("pk"), lifted_at__isnull=True)
    recent = Q(last_contact__gte=quiet_since) | Q(last_closed__gte=quiet_since) | Q(created_at__date__gte=quiet_since)
    due: QuerySet[Family] = (
        Family.objects.filter(authority_id=authority_id)
        .exclude(Exists(open_episode))
        .exclude(Exists(open_contact))
        .exclude(Exists(held))
        .exclude(Exists(too_young))
        .annotate(last_contact=Max("contacts__received_at__date"), last_closed=Max("episodes__closed_at__date"))
        .filter(Q(Exists(children)) | ~recent)
        .order_by("pk")
    )
    return due


def is_due(family: Family, *, today: date) -> bool:
    return families_due(authority_id=family.authority_id, today=today).filter(pk=family.pk).exists()
