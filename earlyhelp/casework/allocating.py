"""Allocation: a team leader gives the family a coach with an allocation note that records the
children, their needs and a wellbeing score, and sets this family's timescales (FF §8.1). When
no coach has room, the head of service decides the family's case (FF §5.4: no waiting list).

Each use case locks the episode (and the coach, whose caseload it counts), re-checks its rules
against what it has just read, and moves the episode through `Episode.TRANSITIONS`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework import notifications
from earlyhelp.casework.access import leads_team
from earlyhelp.casework.caseloads import caseload_of, coaches_of
from earlyhelp.casework.configuration import casework_settings_of, needs_list_in_use
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import (
    Allocation,
    CapacityEscalation,
    CaseworkSettings,
    CodedNeed,
    Episode,
    EpisodeChild,
    Oversight,
    WellbeingScore,
)
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import Team, User
from earlyhelp.organisations.roles import Permission


@dataclass(frozen=True)
class ChildAtAllocation:
    person_id: int
    wellbeing: int | None
    needs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AllocationNote:
    coach: User | None
    weight: Decimal
    note: str
    first_visit_due: date | None
    assessment_due: date | None
    first_meeting_due: date | None
    manager_review_due: date | None
    children: list[ChildAtAllocation] = field(default_factory=list)


DUE_FIELDS = ("first_visit_due", "assessment_due", "first_meeting_due", "manager_review_due")
DUE_NAMES = {
    "first_visit_due": "the first visit",
    "assessment_due": "the assessment",
    "first_meeting_due": "the first Team Around the Family meeting",
    "manager_review_due": "the case review with a manager",
}


@audited
def episode_allocate(*, actor: User, episode: Episode, note: AllocationNote, seen_version: int | None) -> Episode:
    """Allocate the episode to a coach, or (when it is already open) to a different coach."""
    episode = locked(episode)
    if not episode.is_open:
        raise ValidationError({"coach": f"{episode.reference} is closed: it cannot be allocated"})
    if not leads_team(actor, episode.team_id):
        raise ValidationError({"coach": f"Only a team leader of {episode.team} can allocate this family"})
    settings = casework_settings_of(episode.authority)
    children = list(EpisodeChild.objects.filter(episode=episode).select_related("person"))
    problems = _note_problems(episode=episode, note=note, children=children, settings=settings)
    coach = note.coach
    escalation = None
    if coach is not None and not problems:
        # The coach's row lock: two leaders allocating to one coach at once take turns, and the
        # second sees the first family in the caseload it counts.
        coach = locked(coach)
        escalation, problem = _capacity_problem(episode=episode, coach=coach, weight=note.weight)
        if problem:
            problems["coach"] = problem
    if problems:
        raise ValidationError(problems)
    assert coach is not None
    versions = version_move_on(episode, seen=seen_version)
    first_allocation = episode.status == Episode.Status.AWAITING_ALLOCATION
    now = timezone.now()
    allocation = Allocation.objects.create(
        episode=episode,
        coach=coach,
        allocated_by=actor,
        allocated_at=now,
        note=note.note.strip(),
        weight=note.weight,
        within_capacity=escalation is None,
        capacity_decision=escalation,
        **{name: getattr(note, name) for name in DUE_FIELDS},
    )
    before = {"coach": str(episode.coach) if episode.coach_id else None, "weight": str(episode.weight)}
    dates_before = {name: getattr(episode, name) for name in DUE_FIELDS}
    episode.coach, episode.weight, episode.allocation_note = coach, note.weight, allocation.note
    episode.allocated_by = actor
    if first_allocation:
        episode.allocated_at = now
    for name in DUE_FIELDS:
        setattr(episode, name, getattr(note, name))
    episode.save(
        update_fields=["coach", "weight", "allocation_note", "allocated_by", "allocated_at", *DUE_FIELDS, "version"]
    )
    changes = {
        "coach": [before["coach"], str(coach)],
        "weight": [before["weight"], str(note.weight)],
        "version": versions,
        **{
            name: [dates_before[name].isoformat() if dates_before[name] else None, getattr(note, name).isoformat()]
            for name in DUE_FIELDS
        },
    }
    if first_allocation:
        changes["status"] = [episode.status_change(Episode.Status.OPEN), Episode.Status.OPEN]
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=episode, changes=changes)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=allocation,
        changes={"coach": str(coach), "note": allocation.note, "within_capacity": allocation.within_capacity},
    )
    _children_record(
        actor=actor, episode=episode, note=note, children=children, settings=settings, first=first_allocation
    )
    oversight = Oversight.objects.create(
        episode=episode, point=Oversight.Point.ALLOCATION, note=allocation.note, recorded_by=actor, recorded_at=now
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=oversight, changes={"point": oversight.point})
    _escalation_settle(actor=actor, episode=episode, used=escalation)
    return deadlines_keep(episode)


def _note_problems(
    *, episode: Episode, note: AllocationNote, children: list[EpisodeChild], settings: CaseworkSettings
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if note.coach is None:
        problems["coach"] = "Choose the family coach"
    elif not coaches_of(episode.team).filter(pk=note.coach.pk).exists():
        problems["coach"] = f"{note.coach} is not a family coach in {episode.team}"
    elif note.coach.pk == episode.coach_id:
        problems["coach"] = f"{note.coach} already has this family: choose a different coach to change it"
    if not note.note.strip():
        problems["note"] = "Write the allocation note: the children, their needs as known, and what the coach is to do"
    if not Decimal("0.5") <= note.weight <= Decimal("5.0"):
        problems["weight"] = "The weight must be between 0.5 and 5 (1 is one family)"
    problems |= _date_problems(episode=episode, note=note)
    if episode.status == Episode.Status.AWAITING_ALLOCATION:
        problems |= _children_problems(note=note, children=children, settings=settings)
    return problems


def _date_problems(*, episode: Episode, note: AllocationNote) -> dict[str, str]:
    problems: dict[str, str] = {}
    # The note sets this family's dates, starting from the framework's clocks, which run from the
    # referral: for a family referred some time ago they may already have passed, and stay so
    # (shown overdue). None may go before the referral itself.
    earliest = timezone.localtime(episode.referred_at).date()
    words = f"on or after the referral on {earliest:%-d %B %Y}"
    for name in DUE_FIELDS:
        value = getattr(note, name)
        if value is None:
            problems[name] = f"Enter the date for {DUE_NAMES[name]}"
        elif value < earliest:
            problems[name] = f"The date for {DUE_NAMES[name]} must be {words}"
    return problems


def _children_problems(
    *, note: AllocationNote, children: list[EpisodeChild], settings: CaseworkSettings
) -> dict[str, str]:
    given = {child.person_id: child for child in note.children}
    lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
    problems: dict[str, str] = {}
    for entry in children:
        child = given.get(entry.person_id)
        name = entry.person.full_name
        if child is None or child.wellbeing is None:
            problems[f"wellbeing-{entry.person_id}"] = f"Score {name}'s wellbeing from {lowest} to {highest}"
        elif not lowest <= child.wellbeing <= highest:
            problems[f"wellbeing-{entry.person_id}"] = f"{name}'s wellbeing score must be from {lowest} to {highest}"
        if child is None or not child.needs:
            problems[f"needs-{entry.person_id}"] = f"Choose at least one of {name}'s needs"
    return problems


def _capacity_problem(*, episode: Episode, coach: User, weight: Decimal) -> tuple[CapacityEscalation | None, str]:
    """Allocating beyond a coach's capacity needs the head of service's decision to do so."""
    load = caseload_of(coach, per_full_time_coach=episode.authority.caseload_per_full_time_coach)
    if episode.coach_id == coach.pk or load.has_room_for(weight):
        return None, ""
    decided = (
        CapacityEscalation.objects.filter(
            episode=episode, decision=CapacityEscalation.Decision.ALLOCATE_BEYOND_CAPACITY, decided_at__isnull=False
        )
        .order_by("-decided_at")
        .first()
    )
    if decided is not None:
        return decided, ""
    return None, (
        f"{coach} has {load.weighted} of {load.capacity} families: no room for this family (weight {weight}). "
        "Choose a coach with room, or ask the head of service to decide"
    )


def _children_record(
    *,
    actor: User,
    episode: Episode,
    note: AllocationNote,
    children: list[EpisodeChild],
    settings: CaseworkSettings,
    first: bool,
) -> None:
    """At the first allocation: each child's needs as coded in the note, and their wellbeing."""
    if not first:
        return
    given = {child.person_id: child for child in note.children}
    needs_list = needs_list_in_use()
    coded = {need.code: need for need in CodedNeed.objects.filter(needs_list=needs_list)} if needs_list else {}
    for entry in children:
        child = given[entry.person_id]
        chosen = [coded[code] for code in child.needs if code in coded]
        before = sorted(entry.needs.values_list("code", flat=True))
        entry.needs.set(chosen)
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=entry,
            changes={"needs": [before, sorted(need.code for need in chosen)]},
        )
        assert child.wellbeing is not None
        score = WellbeingScore.objects.create(
            episode=episode,
            person=entry.person,
            point=WellbeingScore.Point.ALLOCATION,
            score=child.wellbeing,
            scale_lowest=settings.wellbeing_scale_lowest,
            scale_highest=settings.wellbeing_scale_highest,
            recorded_by=actor,
        )
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=score,
            changes={"score": score.score, "point": score.point},
        )


def _escalation_settle(*, actor: User, episode: Episode, used: CapacityEscalation | None) -> None:
    """A question still put to the head of service is settled by the allocation: a coach had room."""
    waiting = CapacityEscalation.objects.filter(episode=episode, decided_at__isnull=True).first()
    if waiting is None or used is not None:
        return
    waiting = locked(waiting)
    waiting.decision = CapacityEscalation.Decision.NO_LONGER_NEEDED
    waiting.decision_reason = f"Allocated to {episode.coach}, who had room"
    waiting.decided_by, waiting.decided_at = actor, timezone.now()
    waiting.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=waiting, changes={"decision": [None, waiting.decision]}
    )


@audited
def capacity_escalate(*, actor: User, episode: Episode, why: str) -> CapacityEscalation:
    """A team leader tells the head of service that the team cannot take this family."""
    episode = locked(episode)
    if not leads_team(actor, episode.team_id):
        raise ValidationError({"why": f"Only a team leader of {episode.team} can ask"})
    if episode.status != Episode.Status.AWAITING_ALLOCATION:
        raise ValidationError({"why": f"{episode.reference} already has a family coach"})
    if not why.strip():
        raise ValidationError({"why": "Say why the team cannot take this family now"})
    if CapacityEscalation.objects.filter(episode=episode, decided_at__isnull=True).exists():
        raise ValidationError({"why": "The head of service has already been asked about this family"})
    escalation = CapacityEscalation.objects.create(episode=episode, raised_by=actor, why=why.strip())
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=escalation, changes={"why": escalation.why})
    transaction.on_commit(lambda: notifications.capacity_escalated(escalation_pk=escalation.pk))
    return escalation


@audited
def capacity_decide(
    *, actor: User, escalation: CapacityEscalation, decision: str, reason: str, other_team: Team | None = None
) -> CapacityEscalation:
    """The head of service decides this family's case."""
    if not actor.can(Permission.DECIDE_BEYOND_CAPACITY):
        raise ValidationError({"decision": "Only the head of service can decide this"})
    episode = locked(escalation.episode)
    escalation = locked(escalation)
    if escalation.is_decided:
        raise ValidationError(
            {"decision": f"{escalation.decided_by} decided this on {escalation.decided_at:%-d %B %Y}"}
        )
    problems: dict[str, str] = {}
    choices = {
        CapacityEscalation.Decision.ALLOCATE_BEYOND_CAPACITY,
        CapacityEscalation.Decision.ANOTHER_TEAM,
        CapacityEscalation.Decision.OTHER,
    }
    if decision not in choices:
        problems["decision"] = "Choose what happens for this family"
    if not reason.strip():
        problems["reason"] = "Say why: the decision is recorded on the family's case"
    if decision == CapacityEscalation.Decision.ANOTHER_TEAM:
        if other_team is None or other_team.kind != Team.Kind.FAMILY_SUPPORT:
            problems["other_team"] = "Choose the family support team that will take the family"
        elif other_team.pk == episode.team_id:
            problems["other_team"] = f"The family is already with {episode.team}: choose another team"
    if problems:
        raise ValidationError(problems)
    escalation.decision, escalation.decision_reason = decision, reason.strip()
    escalation.decided_by, escalation.decided_at = actor, timezone.now()
    escalation.other_team = other_team if decision == CapacityEscalation.Decision.ANOTHER_TEAM else None
    escalation.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at", "other_team"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=escalation,
        changes={"decision": [None, decision], "reason": escalation.decision_reason},
    )
    if escalation.other_team is not None:
        before = str(episode.team)
        versions = version_move_on(episode, seen=None)
        episode.team = escalation.other_team
        episode.save(update_fields=["team", "version"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=episode,
            changes={"team": [before, str(escalation.other_team)], "version": versions},
        )
    return escalation
