"""Who leads the work and on what legal basis.

- **Legal basis**: targeted early help or child in need (s17). It changes during the episode
  without a new referral, each change recorded with who, when and why. A child in need needs a
  named overseeing social worker; under the Families First service (the documents' way) a child
  in need is children's social care's, so only the Family Help configuration allows it.
- **Lead practitioner**: agreed with the family, from any agency, with a recorded handover. A
  partner practitioner who leads sees the family's members through an involvement that ends at
  handover; their other involvements stay as they are.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import Episode, LeadPractitionerChange, LegalBasis, LegalBasisChange
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people import services as people_services
from earlyhelp.people.models import FamilyMembership, Involvement


@audited
def legal_basis_change(
    *,
    actor: User,
    episode: Episode,
    to: str,
    reason: str,
    social_worker: User | None,
    seen_version: int | None,
) -> Episode:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError(
            {"legal_basis": "Only the family's coach, their team leader or the lead practitioner can change this"}
        )
    problems: dict[str, str] = {}
    if to not in LegalBasis.values:
        problems["legal_basis"] = "Choose the legal basis"
    elif to == episode.legal_basis and (
        social_worker is None or social_worker.pk == episode.overseeing_social_worker_id
    ):
        problems["legal_basis"] = f"The family's legal basis is already “{LegalBasis(to).label}”"
    if to == LegalBasis.CHILD_IN_NEED:
        if not casework_settings_of(episode.authority).is_family_help:
            problems["legal_basis"] = (
                "Under the Families First service a child in need is referred to children's social care (FF §5.3): "
                "step the family up instead. Only the Family Help configuration holds children in need"
            )
        elif social_worker is None:
            problems["social_worker"] = "Name the social worker who oversees this child in need"
        elif (
            not social_worker.can(Permission.OVERSEE_CHILDREN_IN_NEED)
            or social_worker.authority_id != actor.authority_id
        ):
            problems["social_worker"] = f"{social_worker} is not a social worker in children's social care"
    if not reason.strip():
        problems["reason"] = "Say why the legal basis changes"
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(episode, seen=seen_version)
    before, before_worker = episode.legal_basis, episode.overseeing_social_worker
    episode.legal_basis = to
    episode.overseeing_social_worker = social_worker if to == LegalBasis.CHILD_IN_NEED else None
    episode.save(update_fields=["legal_basis", "overseeing_social_worker", "version"])
    change = LegalBasisChange.objects.create(
        episode=episode,
        before=before,
        after=to,
        reason=reason.strip(),
        overseeing_social_worker=episode.overseeing_social_worker,
        changed_by=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=episode,
        changes={
            "legal_basis": [before, to],
            "overseeing_social_worker": [
                str(before_worker) if before_worker else None,
                str(episode.overseeing_social_worker) if episode.overseeing_social_worker else None,
            ],
            "version": versions,
        },
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=change, changes={"reason": change.reason})
    return episode


@audited
def lead_practitioner_change(
    *,
    actor: User,
    episode: Episode,
    lead: User | None,
    agreed_with_family: bool,
    handover: str,
    handed_over_on: date | None,
    seen_version: int | None,
) -> Episode:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError(
            {"lead": "Only the family's coach, their team leader or the lead practitioner can change this"}
        )
    problems = _lead_problems(
        episode=episode, lead=lead, agreed_with_family=agreed_with_family, handover=handover, on=handed_over_on
    )
    if problems:
        raise ValidationError(problems)
    assert lead is not None
    assert handed_over_on is not None
    versions = version_move_on(episode, seen=seen_version)
    before = episode.lead_practitioner
    change = LeadPractitionerChange.objects.create(
        episode=episode,
        before=before,
        after=lead,
        agreed_with_family=True,
        handover=handover.strip(),
        handed_over_on=handed_over_on,
        recorded_by=actor,
    )
    episode.lead_practitioner = lead
    episode.save(update_fields=["lead_practitioner", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=episode,
        changes={"lead_practitioner": [str(before) if before else None, str(lead)], "version": versions},
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=change, changes={"handover": change.handover})
    if before is not None:
        partner_sight_end(actor=actor, episode=episode, practitioner=before, on=handed_over_on)
    _partner_sight_start(actor=actor, episode=episode, practitioner=lead)
    return episode


def _lead_problems(
    *, episode: Episode, lead: User | None, agreed_with_family: bool, handover: str, on: date | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if lead is None:
        problems["lead"] = "Choose the lead practitioner"
    elif lead.authority_id != episode.authority_id or not lead.is_active:
        problems["lead"] = "Choose someone who works with this authority"
    elif lead.pk == episode.lead_practitioner_id:
        problems["lead"] = f"{lead} already leads the work with this family"
    elif not (lead.can(Permission.VIEW_AUTHORITY_RECORDS) or lead.can(Permission.VIEW_OWN_RECORDS)):
        problems["lead"] = f"{lead} does not work with families' records, so cannot lead"
    if not agreed_with_family:
        problems["agreed_with_family"] = "The lead practitioner is agreed with the family: confirm that they agreed"
    if not handover.strip():
        problems["handover"] = "Say how the work was handed over (a handover meeting, what was passed on)"
    today = timezone.localdate()
    if on is None:
        problems["handed_over_on"] = "Enter the date of the handover"
    elif on > today:
        problems["handed_over_on"] = "The handover date must be today or earlier"
    return problems


def _partner_sight_start(*, actor: User, episode: Episode, practitioner: User) -> None:
    """A partner who leads sees the family's members while they lead (staff see them already)."""
    if practitioner.can(Permission.VIEW_AUTHORITY_RECORDS):
        return
    members = FamilyMembership.objects.filter(family_id=episode.family_id).select_related("person")
    open_already = set(
        Involvement.objects.filter(
            practitioner=practitioner, kind=Involvement.Kind.LEADS_EPISODE, ended_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    for membership in members:
        if membership.person_id not in open_already:
            people_services.involvement_start(
                actor=actor, person=membership.person, practitioner=practitioner, kind=Involvement.Kind.LEADS_EPISODE
            )


def partner_sight_end(*, actor: User, episode: Episode, practitioner: User, on: date) -> None:
    """At handover the previous lead's sight of the family ends: only the involvements leading
    gave them; any they had as referrer or worker stay."""
    members = FamilyMembership.objects.filter(family_id=episode.family_id).values_list("person_id", flat=True)
    for involvement in Involvement.objects.filter(
        practitioner=practitioner, kind=Involvement.Kind.LEADS_EPISODE, ended_on__isnull=True, person_id__in=members
    ):
        people_services.involvement_end(actor=actor, involvement=involvement, ended_on=on)
