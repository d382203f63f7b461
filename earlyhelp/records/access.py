"""The family's record is reached through its episode (casework's `access`): these fetch what
belongs to an episode the user has already been allowed to see or work."""

from earlyhelp.casework.models import Episode
from earlyhelp.organisations.models import User
from earlyhelp.people.access import refuse
from earlyhelp.records.models import AgencyReferral, Document


def get_agency_referral(user: User, episode: Episode, pk: int) -> AgencyReferral:
    found: AgencyReferral | None = AgencyReferral.objects.filter(episode=episode, pk=pk).first()
    if found is None:
        raise refuse(user, "records.agencyreferral", pk, "change", "No referral found")
    return found


def get_document(user: User, episode: Episode, pk: int) -> Document:
    found: Document | None = Document.objects.filter(episode=episode, pk=pk).first()
    if found is None:
        raise refuse(user, "records.document", pk, "download", "No document found")
    return found
