"""Reading consent and sharing records, a constant number of queries however many there are."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from earlyhelp.organisations.models import Agency, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import people_visible_to
from earlyhelp.people.models import Involvement, Person
from earlyhelp.sharing.models import AgreementToHelp, ConsentToShare, SharingDecision


@dataclass(frozen=True)
class SharingPage:
    agreements: list[AgreementToHelp]
    consents: list[ConsentToShare]
    decisions: list[SharingDecision]


def _people() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("people", queryset=Person.objects.only("pk", "first_name", "last_name", "preferred_name"))


def person_sharing_page(*, user: User, person: Person) -> SharingPage:
    """Everything recorded about sharing this person's information. A partner sees the family's
    agreements and consents (golden rule 6: know the limits of the consent given) and only the
    decisions to share with their own agency."""
    decisions = SharingDecision.objects.filter(people=person).select_related("decided_by", "recipient_agency")
    if not user.can(Permission.VIEW_AUTHORITY_RECORDS):
        decisions = decisions.filter(shared=True, recipient_agency_id=user.agency_id)
    return SharingPage(
        agreements=list(AgreementToHelp.objects.filter(people=person).prefetch_related(_people())),
        consents=list(ConsentToShare.objects.filter(people=person).prefetch_related(_people(), "agencies")),
        decisions=list(decisions.prefetch_related(_people())),
    )


def people_around(*, user: User, person: Person) -> QuerySet[Person]:
    """The person and the members of their families whom the user may see: who a statement can be about."""
    return (
        people_visible_to(user)
        .filter(Q(pk=person.pk) | Q(memberships__family__memberships__person=person))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def agencies_around(*, people: QuerySet[Person]) -> QuerySet[Agency]:
    """The agencies already working with these people: their schools, and the agencies of the
    practitioners who referred or work with them."""
    ids = list(people.values_list("pk", flat=True))
    working = Involvement.objects.filter(person_id__in=ids, ended_on__isnull=True).values("practitioner__agency")
    schools = Person.objects.filter(pk__in=ids).values("school")
    return Agency.objects.filter(Q(pk__in=working) | Q(pk__in=schools)).order_by("name")


def agencies_of(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(authority_id=user.authority_id).order_by("name")
