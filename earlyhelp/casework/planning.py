"""The Team Around the Family and the plan (T&P §5–6; FF §11–13).

- Members join the team around the family, the family's own members included, each with their
  agency; one who leaves stays on the record with when they left.
- The plan's actions each say what, who, by when, the outcome sought and how progress is
  measured; their progress is recorded as the plan is reviewed.
- The initial planning meeting follows the authorised assessment and agrees the plan (at least
  one action); reviews follow it, at least every 6 weeks, each with who attended and each
  child's wellbeing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.improving import not_improving_check
from earlyhelp.casework.models import Episode, EpisodeChild, Meeting, PlanAction, TeamMember, WellbeingScore
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User

ONLY_THOSE_WHO_WORK_IT = "Only the family's coach, their team leader or the lead practitioner can"


def _locked_for_work(actor: User, episode: Episode, field_name: str) -> Episode:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({field_name: ONLY_THOSE_WHO_WORK_IT})
    if episode.status != Episode.Status.OPEN:
        raise ValidationError({field_name: "Allocate the family to a coach first"})
    return episode


@dataclass(frozen=True)
class MemberDetails:
    name: str
    role: str
    agency: str = ""
    is_family: bool = False
    email: str = ""


@audited
def team_member_add(*, actor: User, episode: Episode, member: MemberDetails) -> TeamMember:
    episode = _locked_for_work(actor, episode, "name")
    problems: dict[str, str] = {}
    if not member.name.strip():
        problems["name"] = "Enter the member's name"
    if not member.role.strip():
        problems["role"] = "Enter their role, or how they are related to the children"
    if not member.is_family and not member.agency.strip():
        problems["agency"] = "Enter their agency (a school, health visiting), or say they are family"
    if problems:
        raise ValidationError(problems)
    added = TeamMember.objects.create(
        episode=episode,
        name=member.name.strip(),
        role=member.role.strip(),
        agency="" if member.is_family else member.agency.strip(),
        is_family=member.is_family,
        email=member.email.strip(),
        added_by=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=added,
        changes={"name": added.name, "role": added.role, "agency": added.agency, "is_family": added.is_family},
    )
    return added


@audited
def team_member_leave(*, actor: User, member: TeamMember) -> TeamMember:
    _locked_for_work(actor, member.episode, "member")
    member = locked(member)
    if member.left_at is not None:
        raise ValidationError(
            {"member": f"{member.name} left the team on {timezone.localtime(member.left_at):%-d %B %Y}"}
        )
    member.left_at = timezone.now()
    member.save(update_fields=["left_at"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=member,
        changes={"left_at": [None, member.left_at.isoformat()]},
    )
    return member


@dataclass(frozen=True)
class ActionDetails:
    what: str
    who: str
    by_when: date | None
    outcome_sought: str
    measure: str


def _action_problems(details: ActionDetails, *, earliest: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name, words in (
        ("what", "Say what needs to happen"),
        ("who", "Say who will do it"),
        ("outcome_sought", "Say what the action is for: the outcome sought"),
        ("measure", "Say how everyone will know it is working"),
    ):
        if not str(getattr(details, name)).strip():
            problems[name] = words
    if details.by_when is None:
        problems["by_when"] = "Enter the date it is to be done by"
    elif details.by_when < earliest:
        problems["by_when"] = f"The date must be on or after {earliest:%-d %B %Y}"
    return problems


@audited
def plan_action_add(*, actor: User, episode: Episode, details: ActionDetails) -> PlanAction:
    episode = _locked_for_work(actor, episode, "what")
    problems = _action_problems(details, earliest=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    assert details.by_when is not None
    action = PlanAction.objects.create(
        episode=episode,
        what=details.what.strip(),
        who=details.who.strip(),
        by_when=details.by_when,
        outcome_sought=details.outcome_sought.strip(),
        measure=details.measure.strip(),
        added_by=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=action,
        changes={"what": action.what, "who": action.who, "by_when": action.by_when.isoformat()},
    )
    not_improving_check(actor=actor, episode=episode)
    deadlines_keep(episode)
    return action


@audited
def plan_action_update(
    *, actor: User, action: PlanAction, status: str, progress: str, by_when: date | None, seen_version: int | None
) -> PlanAction:
    """Record an action's progress, move it on (done, no longer needed, or open again), or give
    it a new date; refused from a stale page."""
    episode = _locked_for_work(actor, action.episode, "status")
    action = locked(action)
    problems: dict[str, str] = {}
    if status not in PlanAction.Status.values:
        problems["status"] = "Choose where the action stands"
    elif status != action.status and not PlanAction.TRANSITIONS.allows(action.status, status):
        problems["status"] = (
            f"An action {action.get_status_display().lower()} cannot become {PlanAction.Status(status).label.lower()}"
        )
    if by_when is None:
        problems["by_when"] = "Enter the date it is to be done by"
    if status == PlanAction.Status.STOPPED and not progress.strip():
        problems["progress"] = "Say why the action is no longer needed"
    if problems:
        raise ValidationError(problems)
    assert by_when is not None
    versions = version_move_on(action, seen=seen_version)
    before = {"status": action.status, "progress": action.progress, "by_when": action.by_when.isoformat()}
    action.status, action.progress, action.by_when = status, progress.strip(), by_when
    action.completed_on = timezone.localdate() if status == PlanAction.Status.DONE else None
    action.save(update_fields=["status", "progress", "by_when", "completed_on", "version"])
    after = {"status": action.status, "progress": action.progress, "by_when": action.by_when.isoformat()}
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=action,
        changes={name: [before[name], value] for name, value in after.items() if before[name] != value}
        | {"version": versions},
    )
    not_improving_check(actor=actor, episode=episode)
    deadlines_keep(episode)
    return action


@dataclass(frozen=True)
class MeetingDetails:
    kind: str
    held_at: datetime | None
    minutes: str
    attended: list[int] = field(default_factory=list)
    wellbeing: dict[int, int | None] = field(default_factory=dict)
    feedback_offered: bool = False
    family_feedback: str = ""
    copies_given: bool = False


@audited
def meeting_record(*, actor: User, episode: Episode, details: MeetingDetails) -> Meeting:
    """Record a Team Around the Family meeting, in its order: the initial planning meeting after
    the authorised assessment, agreeing the plan; reviews after it."""
    episode = _locked_for_work(actor, episode, "kind")
    problems = _meeting_problems(episode, details)
    members = list(TeamMember.objects.filter(episode=episode, pk__in=details.attended, left_at__isnull=True))
    if not members:
        problems["attended"] = "Tick who attended (the family and each agency)"
    children = list(EpisodeChild.objects.filter(episode=episode).select_related("person"))
    settings = casework_settings_of(episode.authority)
    lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
    if details.kind == Meeting.Kind.REVIEW:
        for child in children:
            given = details.wellbeing.get(child.person_id)
            if given is None or not lowest <= given <= highest:
                problems[f"wellbeing-{child.person_id}"] = (
                    f"Score {child.person.full_name}'s wellbeing from {lowest} to {highest}"
                )
    if problems:
        raise ValidationError(problems)
    assert details.held_at is not None
    ending = details.kind == Meeting.Kind.ENDING
    meeting = Meeting.objects.create(
        episode=episode,
        kind=details.kind,
        held_at=details.held_at,
        minutes=details.minutes.strip(),
        recorded_by=actor,
        feedback_offered=ending and details.feedback_offered,
        family_feedback=details.family_feedback.strip() if ending else "",
        copies_given=not ending and details.copies_given,
    )
    meeting.attended.set(members)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=meeting,
        changes={
            "kind": meeting.kind,
            "held_at": meeting.held_at.isoformat(),
            "attended": [member.name for member in members],
            "copies_given": meeting.copies_given,
        },
    )
    if details.kind == Meeting.Kind.REVIEW:
        for child in children:
            score = WellbeingScore.objects.create(
                episode=episode,
                person=child.person,
                point=WellbeingScore.Point.REVIEW,
                meeting=meeting,
                score=int(details.wellbeing[child.person_id] or 0),
                scale_lowest=lowest,
                scale_highest=highest,
                recorded_by=actor,
            )
            record_change(
                actor=actor,
                verb=AuditEvent.Verb.CREATED,
                target=score,
                changes={"score": score.score, "point": score.point},
            )
    _meeting_dates_move(actor=actor, episode=episode, meeting=meeting)
    not_improving_check(actor=actor, episode=episode)
    deadlines_keep(episode)
    return meeting


def _meeting_problems(episode: Episode, details: MeetingDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    out_of_order = _meeting_order_problem(episode, details.kind)
    if out_of_order:
        problems["kind"] = out_of_order
    if details.held_at is None:
        problems["held_on"] = "Enter when the meeting was held"
    elif details.held_at > timezone.now():
        problems["held_on"] = "Record a meeting once it has been held"
    elif details.held_at < episode.referred_at:
        problems["held_on"] = "The meeting must be after the referral"
    if not details.minutes.strip():
        problems["minutes"] = "Write the minutes: what was discussed, what was agreed, the plan's changes"
    if details.kind == Meeting.Kind.ENDING and not details.feedback_offered:
        problems["feedback_offered"] = "At the ending meeting the family must be offered the chance to give feedback"
    return problems


def _meeting_order_problem(episode: Episode, kind: str) -> str:
    """The initial planning meeting once, after the authorised assessment and with a plan to
    agree; reviews only after it."""
    has_initial = Meeting.objects.filter(episode=episode, kind=Meeting.Kind.INITIAL).exists()
    if kind not in Meeting.Kind.values:
        return "Choose which meeting it was"
    if kind == Meeting.Kind.ENDING:
        return ""
    if kind == Meeting.Kind.REVIEW:
        return "" if has_initial else "Reviews follow the initial planning meeting: record that first"
    if has_initial:
        return "The initial planning meeting is already recorded: this is a review"
    if episode.assessment_authorised_at is None and not episode.assessed_elsewhere:
        return "The initial planning meeting follows the assessment: have it authorised first"
    if not PlanAction.objects.filter(episode=episode, status=PlanAction.Status.OPEN).exists():
        return "The initial planning meeting agrees the plan: add its actions first"
    return ""


def _meeting_dates_move(*, actor: User, episode: Episode, meeting: Meeting) -> None:
    changes: dict[str, object] = {}
    fields = []
    if meeting.kind == Meeting.Kind.INITIAL:
        episode.first_meeting_at = meeting.held_at
        changes["first_meeting_at"] = [None, meeting.held_at.isoformat()]
        fields.append("first_meeting_at")
    if episode.last_meeting_at is None or meeting.held_at > episode.last_meeting_at:
        before = episode.last_meeting_at
        episode.last_meeting_at = meeting.held_at
        changes["last_meeting_at"] = [before.isoformat() if before else None, meeting.held_at.isoformat()]
        fields.append("last_meeting_at")
    if fields:
        changes["version"] = version_move_on(episode, seen=None)
        episode.save(update_fields=[*fields, "version"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=episode, changes=changes)
