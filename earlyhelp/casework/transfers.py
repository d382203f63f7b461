"""Stepping a family up to children's social care (FF §14; DOMAIN.md "Step-up").

1. **Raised**: whoever works the episode alerts a team leader at once when the family's
   difficulties are worsening; the team's leaders are e-mailed (the reference only).
2. **Decided** by a team leader of the episode's team, after a case discussion with the front
   door's practice lead, with why: stay in early help; refer to children's social care, with the
   transfer date agreed; or, under the Family Help configuration only, make it a child in need's
   episode, a change of legal basis that keeps it open. The family is told, unless telling them
   would put a child at further risk, which the leader records (§14.2). The decision is the
   team leader's oversight at transfer (FF §19.1).
3. **Handed over**: once the transfer date has come, the handover meeting between the coach and
   the receiving social worker is recorded, and the episode closes ("stepped up"): the releasing
   side closes only after the receiving side holds the case, so there is never a day when nobody
   holds it (§14.3). The referral carries the chronology, the assessment and the plan (the
   printable referral page), and an ending letter goes to the family.

Each step goes through `StepUp.TRANSITIONS` under the episode's and the step-up's row locks, and
a decision or handover from a stale page is refused (ADR 11).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work, leads_team
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.leading import legal_basis_change, partner_sight_end
from earlyhelp.casework.models import CaseNote, Episode, LegalBasis, Oversight, StepUp
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User


@audited
def step_up_raise(*, actor: User, episode: Episode, concerns: str) -> StepUp:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({"concerns": "Only the family's coach, their team leader or the lead practitioner can"})
    if episode.status != Episode.Status.OPEN:
        raise ValidationError({"concerns": "Only an allocated family's case is stepped up"})
    in_hand = StepUp.objects.filter(episode=episode, status__in=StepUp.OPEN).first()
    if in_hand is not None:
        raise ValidationError({"concerns": f"A step-up is already in hand: {in_hand.get_status_display().lower()}"})
    if not concerns.strip():
        raise ValidationError({"concerns": "Say what has got worse, and why you are worried"})
    step_up = StepUp.objects.create(episode=episode, concerns=concerns.strip(), raised_by=actor)
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=step_up, changes={"concerns": step_up.concerns})
    from earlyhelp.casework.notifications import step_up_raised

    transaction.on_commit(lambda: step_up_raised(step_up_pk=step_up.pk))
    return step_up


@dataclass(frozen=True)
class StepUpDecision:
    decision: str
    reason: str
    discussed_with: str = ""
    family_told: bool | None = None
    not_told_because: str = ""
    transfer_on: date | None = None
    social_care_reference: str = ""
    social_worker: User | None = None


def _decision_problems(episode: Episode, step_up: StepUp, details: StepUpDecision) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.decision not in (StepUp.Status.STAYING, StepUp.Status.STEPPING_UP, StepUp.Status.CHILD_IN_NEED):
        return {"decision": "Choose your decision"}
    if not details.reason.strip():
        problems["reason"] = "Say why: what the case discussion concluded"
    if details.decision != StepUp.Status.STAYING and not details.discussed_with.strip():
        problems["discussed_with"] = "Name the front door's practice lead you discussed the case with (FF §14.1)"
    if details.family_told is None:
        problems["family_told"] = "Say whether the family has been told"
    elif not details.family_told and not details.not_told_because.strip():
        problems["not_told_because"] = "Say why telling the family would put a child at further risk (FF §14.2)"
    if details.decision == StepUp.Status.STEPPING_UP:
        raised_on = timezone.localtime(step_up.raised_at).date()
        if details.transfer_on is None:
            problems["transfer_on"] = "Enter the transfer date agreed with children's social care"
        elif details.transfer_on < raised_on:
            problems["transfer_on"] = f"The transfer date must be on or after {raised_on:%-d %B %Y}, when it was raised"
    if details.decision == StepUp.Status.CHILD_IN_NEED and not casework_settings_of(episode.authority).is_family_help:
        problems["decision"] = (
            "Under the Families First service a child in need is referred to children's social care (FF §5.3): "
            "only the Family Help configuration keeps a child in need's episode open"
        )
    return problems


@audited
def step_up_decide(*, actor: User, step_up: StepUp, details: StepUpDecision, seen_version: int | None) -> StepUp:
    episode = locked(step_up.episode)
    step_up = locked(step_up)
    if not (episode.is_open and leads_team(actor, episode.team_id)):
        raise ValidationError({"decision": f"Only a team leader of {episode.team} decides a step-up"})
    if step_up.status != StepUp.Status.RAISED:
        who = step_up.decided_by or "Someone"
        raise ValidationError({"decision": f"{who} has already decided: {step_up.get_status_display().lower()}"})
    problems = _decision_problems(episode, step_up, details)
    if problems:
        raise ValidationError(problems)
    StepUp.TRANSITIONS.check(step_up.status, details.decision, what="A step-up")
    versions = version_move_on(step_up, seen=seen_version)
    before = step_up.status
    step_up.status = details.decision
    step_up.decision_reason, step_up.discussed_with = details.reason.strip(), details.discussed_with.strip()
    step_up.decided_by, step_up.decided_at = actor, timezone.now()
    step_up.family_told = details.family_told
    step_up.not_told_because = "" if details.family_told else details.not_told_because.strip()
    stepping_up = details.decision == StepUp.Status.STEPPING_UP
    step_up.transfer_on = details.transfer_on if stepping_up else None
    step_up.social_care_reference = details.social_care_reference.strip() if stepping_up else ""
    step_up.save()
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=step_up,
        changes={
            "status": [before, step_up.status],
            "discussed_with": step_up.discussed_with,
            "reason": step_up.decision_reason,
            "family_told": step_up.family_told,
            "transfer_on": step_up.transfer_on.isoformat() if step_up.transfer_on else None,
            "version": versions,
        },
    )
    oversight = Oversight.objects.create(
        episode=episode,
        point=Oversight.Point.TRANSFER,
        note=f"Step-up: {step_up.get_status_display().lower()}. {step_up.decision_reason}",
        recorded_by=actor,
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=oversight, changes={"point": oversight.point})
    if details.decision == StepUp.Status.CHILD_IN_NEED:
        legal_basis_change(
            actor=actor,
            episode=episode,
            to=LegalBasis.CHILD_IN_NEED,
            reason=f"Stepped up within Family Help: {step_up.decision_reason}",
            social_worker=details.social_worker,
            seen_version=None,
        )
    deadlines_keep(episode)
    return step_up


@audited
def step_up_hand_over(
    *,
    actor: User,
    step_up: StepUp,
    handover_on: date | None,
    note: str,
    receiving_worker: str,
    seen_version: int | None,
) -> StepUp:
    """The handover meeting held: the episode closes, stepped up."""
    episode = locked(step_up.episode)
    step_up = locked(step_up)
    if not (episode.is_open and leads_team(actor, episode.team_id)):
        raise ValidationError({"handover_on": f"Only a team leader of {episode.team} records the handover"})
    if step_up.status != StepUp.Status.STEPPING_UP:
        raise ValidationError({"handover_on": f"This step-up is {step_up.get_status_display().lower()}"})
    assert step_up.transfer_on is not None
    problems: dict[str, str] = {}
    if handover_on is None:
        problems["handover_on"] = "Enter the date of the handover meeting"
    elif handover_on > timezone.localdate():
        problems["handover_on"] = "The handover meeting must have taken place: today or in the past"
    elif handover_on < step_up.transfer_on:
        problems["handover_on"] = (
            f"The handover cannot be before the transfer date, {step_up.transfer_on:%-d %B %Y}: "
            "until then the family's coach holds the case"
        )
    if not receiving_worker.strip():
        problems["receiving_worker"] = "Name the social worker the case was handed over to"
    if not note.strip():
        problems["note"] = "Write the transfer summary: what was handed over, and to whom"
    unwritten = CaseNote.objects.filter(episode=episode, written_at__isnull=True).count()
    if unwritten:
        problems["note"] = (
            f"{unwritten} case note(s) still to be written: the record is complete before it is handed over"
        )
    if problems:
        raise ValidationError(problems)
    assert handover_on is not None
    StepUp.TRANSITIONS.check(step_up.status, StepUp.Status.HANDED_OVER, what="A step-up")
    versions = version_move_on(step_up, seen=seen_version)
    step_up.status = StepUp.Status.HANDED_OVER
    step_up.handover_on, step_up.handover_note = handover_on, note.strip()
    step_up.receiving_worker = receiving_worker.strip()
    step_up.save(update_fields=["status", "handover_on", "handover_note", "receiving_worker", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=step_up,
        changes={
            "status": [StepUp.Status.STEPPING_UP, step_up.status],
            "handover_on": str(handover_on),
            "version": versions,
        },
    )
    _close_stepped_up(actor=actor, episode=episode, step_up=step_up)
    return step_up


def _close_stepped_up(*, actor: User, episode: Episode, step_up: StepUp) -> None:
    """The releasing side closes, after the handover (FF §14.3)."""
    episode_versions = version_move_on(episode, seen=None)
    episode.closed_at, episode.closed_by, episode.end_reason = timezone.now(), actor, Episode.EndReason.STEPPED_UP
    episode.closure_summary = (
        f"Stepped up to children's social care ({step_up.receiving_worker}). {step_up.handover_note}"
    )
    episode.save(update_fields=["closed_at", "closed_by", "end_reason", "closure_summary", "version"])
    before = episode.status_change(Episode.Status.CLOSED)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=episode,
        changes={"status": [before, episode.status], "end_reason": episode.end_reason, "version": episode_versions},
    )
    oversight = Oversight.objects.create(
        episode=episode, point=Oversight.Point.CLOSURE, note=episode.closure_summary, recorded_by=actor
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=oversight, changes={"point": oversight.point})
    if episode.lead_practitioner is not None:
        partner_sight_end(actor=actor, episode=episode, practitioner=episode.lead_practitioner, on=timezone.localdate())
    deadlines_keep(episode)
