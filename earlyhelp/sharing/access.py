"""Who may read and record consent and sharing decisions: through the person's own access."""

from django.http import Http404

from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import can_edit_person, refuse
from earlyhelp.people.models import Person
from earlyhelp.sharing.models import AgreementToHelp, ConsentToShare, Withdrawable

WITHDRAWABLE: dict[str, type[Withdrawable]] = {"agreement": AgreementToHelp, "consent": ConsentToShare}


def can_record_consent(user: User, person: Person) -> bool:
    """Whoever may change the person's record records the family's agreement and consent."""
    return can_edit_person(user, person)


def can_record_decisions(user: User) -> bool:
    """A decision to share can open parts of a record to an agency: the authority's practitioners."""
    return user.can(Permission.RECORD_SHARING_DECISIONS)


def get_withdrawable(user: User, person: Person, kind: str, pk: int) -> Withdrawable:
    """An agreement or consent naming `person`, whose record the user may change."""
    model = WITHDRAWABLE.get(kind)
    if model is None:
        raise Http404("No such record")
    found: Withdrawable | None = (
        model.objects.filter(pk=pk, people=person).first() if can_record_consent(user, person) else None
    )
    if found is None:
        raise refuse(user, f"sharing.{model.__name__.lower()}", pk, "withdraw", "No such record")
    return found
