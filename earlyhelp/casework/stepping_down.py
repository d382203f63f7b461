"""Stepping a family down from children's social care to early help, through the weekly transfer
panel (FF §7, §10.1, §14.3; DOMAIN.md "Step-down").

1. **Proposed** by a social worker for a panel (the next, by default: the panel meets weekly on
   the authority's day), with how the children's needs have lessened and the proposed plan.
2. **Decided at the panel** by a team leader or the head of service: accepted to a family
   support team with a transfer date, which opens the family's episode ("stepped down", awaiting a
   coach, its plan the social worker's); deferred to the next panel; or not accepted, saying why.
   The episode is not assessed again: it has no assessment timescales, and its initial planning
   meeting needs no authorised assessment (FF §10.1).
3. **Handed over**, once a coach holds the episode: the handover meeting between the social worker
   and the coach, with the family's consent to early help reaffirmed (the practice standards).
4. **Social care closes** its case, on a day no earlier than the handover: early help holds the
   case from its allocation, so there is never a day when nobody holds it (FF §14.3).

Transfers in either direction are not disputed or delayed (FF §14.3): a panel that does not
accept a step-down says why, for the team and practice leaders to resolve.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import Episode, EpisodeChild, LegalBasis, LegalBasisChange, StepDown
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import Authority, Team, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import Family, FamilyMembership

IN_HAND = (StepDown.Status.PROPOSED, StepDown.Status.ACCEPTED, StepDown.Status.HANDED_OVER)


def next_panel_on(authority: Authority, *, after: date) -> date:
    """The first transfer panel on or after `after`: it meets weekly on the authority's day."""
    weekday = casework_settings_of(authority).transfer_panel_weekday
    return after + timedelta(days=(weekday - after.weekday()) % 7)


def sits_on_panel(user: User) -> bool:
    """Team leaders and the head of service decide at the transfer panel."""
    return user.can(Permission.ALLOCATE_EPISODES) or user.can(Permission.DECIDE_BEYOND_CAPACITY)


def proposes_step_downs(user: User) -> bool:
    return user.can(Permission.OVERSEE_CHILDREN_IN_NEED)


@dataclass(frozen=True)
class Proposal:
    children: list[int]
    why_now: str
    proposed_plan: str
    panel_on: date | None = None


@audited
def step_down_propose(*, actor: User, family: Family, proposal: Proposal) -> StepDown:
    if not proposes_step_downs(actor) or family.authority_id != actor.authority_id:
        raise ValidationError({"why_now": "Only a social worker in children's social care proposes a step-down"})
    family = locked(family)
    problems: dict[str, str] = {}
    children = set(
        FamilyMembership.objects.filter(family=family, role=FamilyMembership.Role.CHILD).values_list(
            "person_id", flat=True
        )
    )
    if not proposal.children:
        problems["children"] = "Choose the children the step-down is for"
    elif not set(proposal.children) <= children:
        problems["children"] = "Choose only the family's own children"
    if not proposal.why_now.strip():
        problems["why_now"] = "Say how the children's needs have lessened, and why early help now"
    if not proposal.proposed_plan.strip():
        problems["proposed_plan"] = "Write the proposed plan: early help starts from it, without a new assessment"
    today = timezone.localdate()
    panel_on = proposal.panel_on or next_panel_on(family.authority, after=today)
    if panel_on < today or panel_on != next_panel_on(family.authority, after=panel_on):
        problems["panel_on"] = (
            f"Choose a transfer panel's date: the next is {next_panel_on(family.authority, after=today):%A %-d %B %Y}"
        )
    if StepDown.objects.filter(family=family, status__in=IN_HAND).exists():
        problems["why_now"] = "A step-down of this family is already in hand"
    if Episode.objects.filter(family=family).exclude(status=Episode.Status.CLOSED).exists():
        problems["why_now"] = "The family already has an open episode of early help"
    if problems:
        raise ValidationError(problems)
    step_down = StepDown.objects.create(
        authority_id=family.authority_id,
        family=family,
        proposed_by=actor,
        panel_on=panel_on,
        why_now=proposal.why_now.strip(),
        proposed_plan=proposal.proposed_plan.strip(),
    )
    step_down.children.set(sorted(set(proposal.children)))
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=step_down,
        changes={"family": family.reference, "panel_on": panel_on.isoformat(), "children": sorted(proposal.children)},
    )
    return step_down


ACCEPT, DEFER, NOT_ACCEPT = "accept", "defer", "not_accept"


@dataclass(frozen=True)
class PanelDecision:
    decision: str
    reason: str
    team: Team | None = None
    transfer_on: date | None = None


def _panel_problems(step_down: StepDown, details: PanelDecision) -> dict[str, str]:
    if details.decision not in (ACCEPT, DEFER, NOT_ACCEPT):
        return {"decision": "Choose the panel's decision"}
    problems: dict[str, str] = {}
    if not details.reason.strip():
        problems["reason"] = "Say why: what the panel concluded"
    if details.decision == ACCEPT:
        if details.team is None or details.team.kind != Team.Kind.FAMILY_SUPPORT:
            problems["team"] = "Choose the family support team that receives the family"
        elif details.team.area.authority_id != step_down.authority_id:
            problems["team"] = "Choose one of the authority's family support teams"
        if details.transfer_on is None:
            problems["transfer_on"] = "Enter the transfer date the panel agreed"
        elif details.transfer_on < step_down.panel_on:
            problems["transfer_on"] = f"The transfer date must be on or after the panel, {step_down.panel_on:%-d %B %Y}"
        if Episode.objects.filter(family_id=step_down.family_id).exclude(status=Episode.Status.CLOSED).exists():
            problems["decision"] = "The family already has an open episode of early help"
    return problems


@audited
def step_down_decide(*, actor: User, step_down: StepDown, details: PanelDecision, seen_version: int | None) -> StepDown:
    step_down = locked(step_down)
    if not sits_on_panel(actor) or step_down.authority_id != actor.authority_id:
        raise ValidationError({"decision": "Only a team leader or the head of service decides at the transfer panel"})
    if step_down.status != StepDown.Status.PROPOSED:
        raise ValidationError({"decision": f"The panel has already decided: {step_down.get_status_display().lower()}"})
    problems = _panel_problems(step_down, details)
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(step_down, seen=seen_version)
    before = {"status": step_down.status, "panel_on": step_down.panel_on.isoformat()}
    step_down.decision_reason = details.reason.strip()
    if details.decision == DEFER:
        step_down.panel_on = next_panel_on(step_down.authority, after=step_down.panel_on + timedelta(days=1))
    else:
        target = StepDown.Status.ACCEPTED if details.decision == ACCEPT else StepDown.Status.NOT_ACCEPTED
        StepDown.TRANSITIONS.check(step_down.status, target, what="A step-down")
        step_down.status, step_down.decided_by, step_down.decided_at = target, actor, timezone.now()
    if details.decision == ACCEPT:
        assert details.team is not None
        assert details.transfer_on is not None
        step_down.team, step_down.transfer_on = details.team, details.transfer_on
        step_down.episode = _episode_open(actor=actor, step_down=step_down, team=details.team)
    step_down.save()
    after = {"status": step_down.status, "panel_on": step_down.panel_on.isoformat()}
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=step_down,
        changes={name: [before[name], value] for name, value in after.items() if before[name] != value}
        | {"decision": details.decision, "reason": step_down.decision_reason, "version": versions},
    )
    return step_down


def _episode_open(*, actor: User, step_down: StepDown, team: Team) -> Episode:
    """The family's episode, stepped down: awaiting a coach at the receiving team."""
    now = timezone.now()
    family = locked(step_down.family)
    episode = Episode.objects.create(
        authority_id=step_down.authority_id,
        family=family,
        team=team,
        origin=Episode.Origin.STEP_DOWN,
        legal_basis=LegalBasis.TARGETED_EARLY_HELP,
        referred_at=now,
        reached_team_at=now,
        opened_at=now,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=episode,
        changes={"family": family.reference, "team": str(team), "origin": episode.origin},
    )
    basis = LegalBasisChange.objects.create(
        episode=episode,
        after=LegalBasis.TARGETED_EARLY_HELP,
        reason=f"Stepped down from children's social care at the transfer panel of {step_down.panel_on:%-d %B %Y}",
        changed_by=actor,
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=basis, changes={"after": basis.after})
    for child in step_down.children.all():
        entry = EpisodeChild.objects.create(episode=episode, person=child)
        record_change(
            actor=actor, verb=AuditEvent.Verb.CREATED, target=entry, changes={"episode": episode.pk, "person": child.pk}
        )
    return deadlines_keep(episode)


@audited
def step_down_hand_over(
    *,
    actor: User,
    step_down: StepDown,
    handover_on: date | None,
    note: str,
    consent_given_by: str,
    consent_given_on: date | None,
    seen_version: int | None,
) -> StepDown:
    """The handover meeting from the social worker to the family's coach, with consent reaffirmed."""
    assert step_down.episode is not None
    episode = locked(step_down.episode)
    step_down = locked(step_down)
    if not can_work(actor, episode):
        raise ValidationError({"handover_on": "Only the family's coach or their team leader records the handover"})
    if step_down.status != StepDown.Status.ACCEPTED:
        raise ValidationError({"handover_on": f"This step-down is {step_down.get_status_display().lower()}"})
    problems = _handover_problems(episode, handover_on=handover_on, note=note) | _consent_problems(
        consent_given_by, consent_given_on
    )
    if problems:
        raise ValidationError(problems)
    StepDown.TRANSITIONS.check(step_down.status, StepDown.Status.HANDED_OVER, what="A step-down")
    versions = version_move_on(step_down, seen=seen_version)
    step_down.status = StepDown.Status.HANDED_OVER
    step_down.handover_on, step_down.handover_note = handover_on, note.strip()
    step_down.consent_given_by, step_down.consent_given_on = consent_given_by.strip(), consent_given_on
    step_down.save()
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=step_down,
        changes={
            "status": [StepDown.Status.ACCEPTED, step_down.status],
            "handover_on": str(handover_on),
            "consent_given_by": step_down.consent_given_by,
            "version": versions,
        },
    )
    return step_down


def _handover_problems(episode: Episode, *, handover_on: date | None, note: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if episode.status != Episode.Status.OPEN or episode.allocated_at is None:
        problems["handover_on"] = "Allocate the family to a coach first: the handover is to them"
    elif handover_on is None:
        problems["handover_on"] = "Enter the date of the handover meeting"
    elif handover_on > timezone.localdate():
        problems["handover_on"] = "The handover meeting must have taken place: today or in the past"
    elif handover_on < timezone.localtime(episode.allocated_at).date():
        problems["handover_on"] = "The handover is to the coach: it cannot be before the allocation"
    if not note.strip():
        problems["note"] = "Write what was handed over: the plan, the risks, what the family knows"
    return problems


def _consent_problems(given_by: str, given_on: date | None) -> dict[str, str]:
    """Consent to early help is reaffirmed at a step-down (the practice standards)."""
    problems: dict[str, str] = {}
    if not given_by.strip():
        problems["consent_given_by"] = "Say who reaffirmed the family's consent to early help"
    if given_on is None:
        problems["consent_given_on"] = "Enter the date consent was reaffirmed"
    elif given_on > timezone.localdate():
        problems["consent_given_on"] = "The date consent was reaffirmed must be today or in the past"
    return problems


@audited
def step_down_social_care_close(
    *, actor: User, step_down: StepDown, closed_on: date | None, seen_version: int | None
) -> StepDown:
    """Children's social care closes its case: never before early help holds it (FF §14.3)."""
    step_down = locked(step_down)
    if not proposes_step_downs(actor) or step_down.authority_id != actor.authority_id:
        raise ValidationError({"closed_on": "Only a social worker records children's social care's closure"})
    if step_down.status != StepDown.Status.HANDED_OVER:
        raise ValidationError(
            {"closed_on": "Children's social care closes its case after the handover to early help, not before"}
        )
    assert step_down.handover_on is not None
    if closed_on is None:
        raise ValidationError({"closed_on": "Enter the date children's social care closed its case"})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "The date must be today or in the past"})
    if closed_on < step_down.handover_on:
        raise ValidationError(
            {"closed_on": f"Children's social care cannot close before the handover, {step_down.handover_on:%-d %B %Y}"}
        )
    StepDown.TRANSITIONS.check(step_down.status, StepDown.Status.SOCIAL_CARE_CLOSED, what="A step-down")
    versions = version_move_on(step_down, seen=seen_version)
    step_down.status, step_down.social_care_closed_on = StepDown.Status.SOCIAL_CARE_CLOSED, closed_on
    step_down.save(update_fields=["status", "social_care_closed_on", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=step_down,
        changes={
            "status": [StepDown.Status.HANDED_OVER, step_down.status],
            "closed_on": str(closed_on),
            "version": versions,
        },
    )
    return step_down
