"""An episode opens when the front door allocates a family to a family support team.

The front door calls `episode_open` inside its decision's transaction (ADR 16: it names the
receiver in a setting, as it may not import casework), so that a decision to allocate and the
episode it opens are saved together or not at all. A family has one open episode at a time: a
new referral while one is open joins it, with any new children.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework import notifications
from earlyhelp.casework.caseloads import team_has_room
from earlyhelp.casework.configuration import needs_list_in_use
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import (
    CapacityEscalation,
    CodedNeed,
    Episode,
    EpisodeChild,
    EpisodeReferral,
    LegalBasis,
    LegalBasisChange,
)
from earlyhelp.core.workflow import locked
from earlyhelp.frontdoor.models import Contact, TriageDecision
from earlyhelp.organisations.models import User
from earlyhelp.people.models import Person


@audited
def episode_open(*, actor: User, decision: TriageDecision) -> Episode:
    """The episode a final "allocate" decision opens (or the family's open one, which it joins)."""
    contact: Contact = decision.contact
    if decision.outcome != TriageDecision.Outcome.ALLOCATE or decision.team_id is None:
        raise ValidationError("Only a decision to allocate to a family support team opens an episode")
    if contact.family is None:
        raise ValidationError("The contact's family must be recorded before an episode opens")
    # The family's row lock: two allocations of one family at the same moment take turns, and
    # the second joins the episode the first opened.
    family = locked(contact.family)
    children = [entry.person for entry in contact.people.select_related("person") if entry.is_child and entry.person]
    open_episode = Episode.objects.filter(family=family).exclude(status=Episode.Status.CLOSED).first()
    if open_episode is not None:
        return _join(actor=actor, episode=locked(open_episode), contact=contact, children=children)
    now = timezone.now()
    episode = Episode.objects.create(
        authority_id=contact.authority_id,
        family=family,
        team_id=decision.team_id,
        contact=contact,
        origin=Episode.Origin.FRONT_DOOR,
        legal_basis=LegalBasis.TARGETED_EARLY_HELP,
        referred_at=contact.received_at,
        reached_team_at=contact.decided_at or now,
        opened_at=now,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=episode,
        changes={
            "family": family.reference,
            "team": str(decision.team),
            "contact": contact.reference,
            "legal_basis": episode.get_legal_basis_display(),
        },
    )
    basis = LegalBasisChange.objects.create(
        episode=episode,
        after=LegalBasis.TARGETED_EARLY_HELP,
        reason=f"Opened by the front door's decision on {contact.reference}",
        changed_by=actor,
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=basis, changes={"after": basis.after})
    _referral_join(actor=actor, episode=episode, contact=contact, opened_it=True)
    _children_add(actor=actor, episode=episode, contact=contact, children=children)
    _capacity_check(actor=actor, episode=episode)
    return deadlines_keep(episode)


def _join(*, actor: User, episode: Episode, contact: Contact, children: list[Person]) -> Episode:
    _referral_join(actor=actor, episode=episode, contact=contact, opened_it=False)
    _children_add(actor=actor, episode=episode, contact=contact, children=children)
    return episode


def _referral_join(*, actor: User, episode: Episode, contact: Contact, opened_it: bool) -> None:
    link = EpisodeReferral.objects.create(episode=episode, contact=contact, opened_it=opened_it)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=link,
        changes={"episode": episode.reference, "contact": contact.reference, "opened_it": opened_it},
    )


def _children_add(*, actor: User, episode: Episode, contact: Contact, children: list[Person]) -> None:
    """Each child not yet on the episode, with the referral's needs carried onto the needs list
    in use where their codes match (the Families First factors do)."""
    needs_list = needs_list_in_use()
    codes = list(contact.needs.values_list("code", flat=True))
    needs = list(CodedNeed.objects.filter(needs_list=needs_list, code__in=codes)) if needs_list else []
    already = set(EpisodeChild.objects.filter(episode=episode).values_list("person_id", flat=True))
    for child in children:
        if child.pk in already:
            continue
        entry = EpisodeChild.objects.create(episode=episode, person=child)
        entry.needs.set(needs)
        already.add(child.pk)
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=entry,
            changes={"episode": episode.reference, "person": child.pk, "needs": [need.code for need in needs]},
        )


def _capacity_check(*, actor: User, episode: Episode) -> None:
    """No waiting list (FF §5.4): a family arriving at a team with no coach who has room is put
    to the head of service at once."""
    per_coach = episode.authority.caseload_per_full_time_coach
    if team_has_room(episode.team, Decimal("1.0"), per_full_time_coach=per_coach):
        return
    escalation = CapacityEscalation.objects.create(
        episode=episode,
        raised_by=None,
        why=f"No family coach in {episode.team} has room for another family.",
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=escalation, changes={"why": escalation.why})
    transaction.on_commit(lambda: notifications.capacity_escalated(escalation_pk=escalation.pk))
