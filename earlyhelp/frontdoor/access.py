"""Who may see which contact: the only way views fetch contacts and decisions.

- Front door practitioners and team leaders (`triage_contacts`) see every contact of their
  authority.
- Whoever made a referral sees its status (not the front door's notes) on "Your referrals".
- A family support team's coaches and leader see the referrals allocated to their team.
"Not there" and "not yours" are the same 404.
"""

from django.db.models import QuerySet

from earlyhelp.audit.trail import record_refused
from earlyhelp.core.compiled import Compiled
from earlyhelp.frontdoor.models import Contact, PartnerSystem, TriageDecision
from earlyhelp.organisations.models import Team, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import refuse


def can_refer(user: User) -> bool:
    return user.can(Permission.MAKE_REFERRALS)


def can_triage(user: User) -> bool:
    return user.can(Permission.TRIAGE_CONTACTS)


def can_confirm_overrides(user: User) -> bool:
    return user.can(Permission.CONFIRM_TRIAGE_OVERRIDES)


def contacts_for_triage(user: User) -> QuerySet[Contact]:
    if not can_triage(user):
        return Contact.objects.none()
    return Contact.objects.filter(authority_id=user.authority_id)


# The contact a triage page opens, with what it shows of it: built once (core/compiled.py).
_CONTACT_FOR_TRIAGE: "Compiled[Contact]" = Compiled(
    lambda authority, contact: Contact.objects.filter(authority_id=authority, pk=contact).select_related(
        "level_of_need", "area", "family", "authority", "referrer_agency", "partner_system"
    )
)


def get_contact_for_triage(user: User, pk: int) -> Contact:
    found = _CONTACT_FOR_TRIAGE.list(authority=user.authority_id, contact=pk) if can_triage(user) else []
    contact = found[0] if found else None
    if contact is None:
        raise refuse(user, "frontdoor.contact", pk, "open", "No contact found")
    return contact


def referrals_made_by(user: User) -> QuerySet[Contact]:
    if not can_refer(user):
        return Contact.objects.none()
    return Contact.objects.filter(authority_id=user.authority_id, referrer_user=user)


def get_decision_for_confirmation(user: User, pk: int) -> TriageDecision:
    decision: TriageDecision | None = (
        TriageDecision.objects.filter(pk=pk, contact__authority_id=user.authority_id)
        .select_related("contact", "service", "decided_by")
        .first()
    )
    if decision is None or not can_confirm_overrides(user):
        raise refuse(user, "frontdoor.triagedecision", pk, "confirm", "No decision found")
    return decision


def teams_for_new_referrals(user: User) -> QuerySet[Team]:
    """The family support teams whose new referrals the user may see."""
    teams = Team.objects.filter(area__authority_id=user.authority_id, kind=Team.Kind.FAMILY_SUPPORT)
    if can_triage(user):
        return teams
    if user.can(Permission.VIEW_TEAM_REFERRALS) and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def referrals_visible_to(user: User) -> QuerySet[Contact]:
    """The referrals whose progress a referrer follows: their own, and, for their agency's single
    point of contact, every referral made by someone of the agency."""
    if not can_refer(user):
        return Contact.objects.none()
    if user.is_single_point_of_contact and user.agency_id is not None:
        return Contact.objects.filter(authority_id=user.authority_id, referrer_user__agency_id=user.agency_id)
    return referrals_made_by(user)


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """Contacts a person's record may list: all of them for the front door, the referrals a
    referrer follows otherwise."""
    if can_triage(user):
        return contacts_for_triage(user)
    return referrals_visible_to(user)


def contact_for_partner_system(partner: PartnerSystem, pk: int | None) -> Contact | None:
    """A referral a partner system sent, by its number; any other is refused and the attempt is
    audited (the API answers 404 either way)."""
    contact = Contact.objects.filter(pk=pk, partner_system=partner).first() if pk else None
    if contact is None and pk:
        record_refused(
            actor=None, actor_label=str(partner), target_type="frontdoor.contact", target_id=pk, attempted="open"
        )
    return contact
