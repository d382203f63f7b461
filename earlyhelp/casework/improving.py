"""Is the family improving? (issue 14; FF §14.1: "if at any time … the family's difficulties are
worsening … the FF Coach must alert a Team Leader".)

The documents give no numbers: these are the authority's settings, with our defaults.

- **Wellbeing no better**: a child's wellbeing at each of the last *2* reviews
  (`CaseworkSettings.not_improving_reviews`) is no higher than the score before it (at
  allocation, the assessment or the review before): flat or falling.
- **Actions slipping**: *2* or more of the plan's open actions are past their date at once
  (`not_improving_overdue_actions`).

Either flags the family to the team's leaders (`NotImproving`), who record what happens next. A
family is checked when a review is recorded, when a plan action changes, and each day for actions
that have slipped since (`manage.py casework not-improving`). A flag stays until answered; once
answered, the family is flagged again only by a later review or a newly overdue action.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import leads_team
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import Episode, EpisodeChild, NotImproving, PlanAction, WellbeingScore
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User


@dataclass(frozen=True)
class Score:
    at: datetime
    point: str
    score: int


def wellbeing_no_better(scores: Sequence[Score], *, reviews: int) -> bool:
    """True when each of the child's last `reviews` review scores is no higher than the score
    before it. Fewer reviews than that, or no score before the first of them: not yet known."""
    ordered = sorted(scores, key=lambda item: item.at)
    at_reviews = [index for index, item in enumerate(ordered) if item.point == WellbeingScore.Point.REVIEW]
    if len(at_reviews) < reviews:
        return False
    last = at_reviews[-reviews:]
    if last[0] == 0:
        return False
    return all(ordered[index].score <= ordered[index - 1].score for index in last)


def actions_overdue(actions: Iterable[tuple[date, bool]], *, today: date) -> int:
    """How many open actions (`(by_when, is_open)`) are past their date."""
    return sum(1 for by_when, is_open in actions if is_open and by_when < today)


def reasons_not_improving(
    *,
    scores_by_child: Mapping[str, Sequence[Score]],
    actions: Iterable[tuple[date, bool]],
    today: date,
    reviews: int,
    overdue_actions: int,
) -> list[str]:
    """Why the family is not improving, in words; empty when it is (or it is too soon to say)."""
    reasons = [
        f"{name}'s wellbeing has been no better at the last {reviews} review{'s' if reviews != 1 else ''}"
        for name, scores in scores_by_child.items()
        if wellbeing_no_better(scores, reviews=reviews)
    ]
    overdue = actions_overdue(actions, today=today)
    if overdue >= overdue_actions:
        reasons.append(f"{overdue} plan actions are past their date")
    return reasons


def _reasons_for(episode: Episode, *, today: date) -> list[str]:
    settings = casework_settings_of(episode.authority)
    children = {
        child.person_id: child.person.full_name
        for child in EpisodeChild.objects.filter(episode=episode).select_related("person")
    }
    scores: dict[str, list[Score]] = {name: [] for name in children.values()}
    for person_id, recorded_at, point, score in WellbeingScore.objects.filter(episode=episode).values_list(
        "person_id", "recorded_at", "point", "score"
    ):
        if person_id in children:
            scores[children[person_id]].append(Score(recorded_at, point, score))
    actions = PlanAction.objects.filter(episode=episode).values_list("by_when", "status")
    return reasons_not_improving(
        scores_by_child=scores,
        actions=[(by_when, status == PlanAction.Status.OPEN) for by_when, status in actions],
        today=today,
        reviews=settings.not_improving_reviews,
        overdue_actions=settings.not_improving_overdue_actions,
    )


def not_improving_check(*, actor: User | None, episode: Episode) -> NotImproving | None:
    """Flag the family if it is not improving and no flag is open, inside the caller's write
    scope with the episode locked. A flag answered since the last review or action change is not
    raised again for the same reasons."""
    if episode.status != Episode.Status.OPEN:
        return None
    if NotImproving.objects.filter(episode=episode, responded_at__isnull=True).exists():
        return None
    reasons = _reasons_for(episode, today=timezone.localdate())
    if not reasons:
        return None
    answered = NotImproving.objects.filter(episode=episode).order_by("-flagged_at", "-pk").first()
    if answered is not None and answered.reasons == reasons:
        return None
    flag = NotImproving.objects.create(episode=episode, reasons=reasons)
    record_change(
        actor=actor,
        actor_label="" if actor else "Casework check",
        verb=AuditEvent.Verb.CREATED,
        target=flag,
        changes={"reasons": reasons},
    )
    return flag


@audited
def not_improving_respond(*, actor: User, flag: NotImproving, what_next: str) -> NotImproving:
    """The team leader's answer: what happens next."""
    from django.core.exceptions import ValidationError

    episode = locked(flag.episode)
    flag = locked(flag)
    if not leads_team(actor, episode.team_id):
        raise ValidationError({"what_next": f"Only a team leader of {episode.team} answers this"})
    if flag.responded_at is not None:
        raise ValidationError({"what_next": f"{flag.responded_by} has already answered this"})
    if not what_next.strip():
        raise ValidationError({"what_next": "Say what happens next: a case discussion, a new plan, a step-up…"})
    flag.what_next, flag.responded_by, flag.responded_at = what_next.strip(), actor, timezone.now()
    flag.save(update_fields=["what_next", "responded_by", "responded_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=flag, changes={"what_next": flag.what_next})
    return flag


def not_improving_sweep() -> int:
    """Each open episode checked (for actions that slipped since it last changed): the daily run."""
    from earlyhelp.audit.trail import audited_writes

    flagged = 0
    for episode_id in Episode.objects.filter(status=Episode.Status.OPEN).values_list("pk", flat=True):
        with audited_writes():
            episode = locked(Episode.objects.get(pk=episode_id))
            flagged += not_improving_check(actor=None, episode=episode) is not None
    return flagged
