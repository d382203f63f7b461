"""Ending the work with a family (FF §15–16, §18.1, §19.1).

A team leader of the episode's team closes it (FF §16.2) with a closure summary, which is the
oversight at closure, and each child's final wellbeing score:

- when the family reached its goals or moves on, after an **ending meeting** at which the family
  was offered the chance to give feedback, saying who they move on to where they do;
- when the family disengaged or withdrew consent, with the team leader's decision whether to
  refer to children's social care, and why (FF §16.1);
- with plan actions still open only when the leader says why.

A partner who led the work loses sight of the family when it closes; their other involvements
stay. Closing moves the episode through `Episode.TRANSITIONS` under its row lock.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import leads_team
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.leading import partner_sight_end
from earlyhelp.casework.models import (
    CaseNote,
    Episode,
    EpisodeChild,
    Meeting,
    Oversight,
    PlanAction,
    StepUp,
    WellbeingScore,
)
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User

# Endings after which the family moves on, agreed at an ending meeting.
MOVING_ON = (
    Episode.EndReason.GOALS_MET,
    Episode.EndReason.UNIVERSAL_SERVICE,
    Episode.EndReason.SINGLE_AGENCY,
    Episode.EndReason.OTHER,
)
MOVING_ON_TO = (Episode.EndReason.UNIVERSAL_SERVICE, Episode.EndReason.SINGLE_AGENCY)
# Endings a team leader decides on social care for (FF §16.1).
DISENGAGING = (Episode.EndReason.DISENGAGED, Episode.EndReason.CONSENT_WITHDRAWN)


@dataclass(frozen=True)
class ClosureDetails:
    end_reason: str
    summary: str
    transition_to: str = ""
    open_actions_because: str = ""
    social_care_referral: str = ""
    social_care_because: str = ""
    wellbeing: dict[int, int | None] = field(default_factory=dict)


@audited
def episode_close(*, actor: User, episode: Episode, details: ClosureDetails, seen_version: int | None) -> Episode:
    episode = locked(episode)
    if episode.status == Episode.Status.CLOSED and episode.closed_at is not None:
        # Read under the lock: a second team leader pressing "Close" at the same moment is told.
        when = timezone.localtime(episode.closed_at)
        raise ValidationError(
            {"end_reason": f"{episode.closed_by or 'Someone'} closed this family's case on {when:%-d %B %Y at %H:%M}"}
        )
    if not (episode.is_open and leads_team(actor, episode.team_id)):
        raise ValidationError({"end_reason": f"Only a team leader of {episode.team} closes this family's case"})
    if episode.status != Episode.Status.OPEN:
        raise ValidationError({"end_reason": "Only an allocated family's case is closed here"})
    children = list(EpisodeChild.objects.filter(episode=episode).select_related("person"))
    problems = closure_problems(episode=episode, details=details, children=children)
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(episode, seen=seen_version)
    now = timezone.now()
    episode.closed_at, episode.closed_by, episode.end_reason = now, actor, details.end_reason
    episode.closure_summary = details.summary.strip()
    episode.transition_to = details.transition_to.strip() if details.end_reason in MOVING_ON_TO else ""
    episode.open_actions_because = details.open_actions_because.strip()
    disengaging = details.end_reason in DISENGAGING
    episode.social_care_referral = details.social_care_referral if disengaging else ""
    episode.social_care_because = details.social_care_because.strip() if disengaging else ""
    episode.save(
        update_fields=[
            "closed_at",
            "closed_by",
            "end_reason",
            "closure_summary",
            "transition_to",
            "open_actions_because",
            "social_care_referral",
            "social_care_because",
            "version",
        ]
    )
    before = episode.status_change(Episode.Status.CLOSED)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=episode,
        changes={
            "status": [before, episode.status],
            "end_reason": episode.end_reason,
            "transition_to": episode.transition_to,
            "social_care_referral": episode.social_care_referral,
            "version": versions,
        },
    )
    _final_scores(actor=actor, episode=episode, children=children, details=details)
    oversight = Oversight.objects.create(
        episode=episode, point=Oversight.Point.CLOSURE, note=episode.closure_summary, recorded_by=actor, recorded_at=now
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=oversight, changes={"point": oversight.point})
    if episode.lead_practitioner is not None:
        partner_sight_end(actor=actor, episode=episode, practitioner=episode.lead_practitioner, on=timezone.localdate())
    return deadlines_keep(episode)


def closure_problems(*, episode: Episode, details: ClosureDetails, children: list[EpisodeChild]) -> dict[str, str]:
    problems = _ending_problems(episode=episode, details=details)
    in_hand = StepUp.objects.filter(episode=episode, status__in=StepUp.OPEN).first()
    if in_hand is not None:
        problems["end_reason"] = (
            f"A step-up to children's social care is in hand ({in_hand.get_status_display().lower()}): "
            "decide it, or record its handover, which closes the case"
        )
    open_actions = PlanAction.objects.filter(episode=episode, status=PlanAction.Status.OPEN).exists()
    if open_actions and not details.open_actions_because.strip():
        problems["open_actions_because"] = "Some plan actions are still open: say why the case closes with them"
    unwritten = CaseNote.objects.filter(episode=episode, written_at__isnull=True).count()
    if unwritten:
        problems["summary"] = (
            f"{unwritten} case note{'s are' if unwritten > 1 else ' is'} still to be written: the record is complete "
            "before the case closes (FF §16.2)"
        )
    elif not details.summary.strip():
        problems["summary"] = "Write the closure summary: what changed for the family, and what happens next"
    settings = casework_settings_of(episode.authority)
    lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
    for child in children:
        score = details.wellbeing.get(child.person_id)
        if score is None or not lowest <= score <= highest:
            problems[f"wellbeing-{child.person_id}"] = (
                f"Score {child.person.full_name}'s wellbeing from {lowest} to {highest}"
            )
    return problems


def _ending_problems(*, episode: Episode, details: ClosureDetails) -> dict[str, str]:
    """What the way the work ends asks for: the ending meeting and who the family moves on to,
    or the team leader's decision on social care."""
    reason = details.end_reason
    if reason not in Episode.EndReason.values or reason == Episode.EndReason.STEPPED_UP:
        return {"end_reason": "Choose why the work is ending (a step-up to social care is its own transfer)"}
    problems: dict[str, str] = {}
    if reason in MOVING_ON:
        if not Meeting.objects.filter(episode=episode, kind=Meeting.Kind.ENDING, feedback_offered=True).exists():
            problems["end_reason"] = (
                "Hold and record the ending meeting first: the family must be offered the chance to give feedback"
            )
        if reason in MOVING_ON_TO and not details.transition_to.strip():
            problems["transition_to"] = "Say who the family moves on to (the service, and the lead practitioner there)"
    if reason in DISENGAGING:
        if details.social_care_referral not in ("refer", "not_refer"):
            problems["social_care_referral"] = "Decide whether to refer the family to children's social care"
        if not details.social_care_because.strip():
            problems["social_care_because"] = "Say why: is the family's withdrawal itself a worry? (FF §16.1)"
    return problems


def _final_scores(*, actor: User, episode: Episode, children: list[EpisodeChild], details: ClosureDetails) -> None:
    settings = casework_settings_of(episode.authority)
    for child in children:
        score = WellbeingScore.objects.create(
            episode=episode,
            person=child.person,
            point=WellbeingScore.Point.CLOSURE,
            score=int(details.wellbeing[child.person_id] or 0),
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
