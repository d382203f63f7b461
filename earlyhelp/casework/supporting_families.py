"""Supporting Families: the national programme's ten headline outcomes, coded for each child at
allocation (`CodedNeed`, group "supporting_families"), each family's progress against them at the
assessment, each review and closure, and the check six months after closure that the outcomes met
were sustained. From these come the evidence an authority needs for a claim: three or more needs,
a lead practitioner, a whole-family assessment, a plan, and outcomes sustained.

The check is a task that comes due: six months after the day the episode closed, on the team
leader's list of checks due (`checks_due`), with what to look at for each outcome (`LOOK_AT`)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work, episodes_visible_to, leads_team
from earlyhelp.casework.models import CodedNeed, Episode, EpisodeChild, Meeting, OutcomeProgress, SustainedCheck
from earlyhelp.casework.timescales import months_later
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission

CHECK_AFTER_MONTHS = 6
# Shown on the list this many days before a check falls due, so that it can be planned.
SHOWN_DAYS_BEFORE = 28
NEEDS_FOR_A_CLAIM = 3

# What to look at, six months on, to see whether each outcome was sustained (Supporting Families
# outcomes framework, in plain words; a service adds its own local measures to these).
LOOK_AT = {
    "sf-education": "School attendance this term and last (90% or more), and no exclusions, from the school.",
    "sf-early-years": "The health visitor's latest developmental review, and an early years place taken up.",
    "sf-health": "The GP or mental health service: support taken up and kept up, no crisis contacts.",
    "sf-substance-use": "The drug and alcohol service: still in treatment or completed it, no new harm reported.",
    "sf-family-relationships": "The family's own account, and no new contacts about conflict at home.",
    "sf-safe-from-abuse": "No new contact with children's social care or the front door about harm or exploitation.",
    "sf-crime": "No new offences or anti-social behaviour reported by the police or youth justice.",
    "sf-domestic-abuse": "No new domestic abuse incidents from the police, and safety plans kept up.",
    "sf-housing": "The tenancy kept up, no arrears action or homelessness approach, from housing.",
    "sf-financial-stability": "Benefits in payment, debts managed, or someone in the family in work.",
}


def outcomes_of(episode: Episode) -> list[CodedNeed]:
    """The headline outcomes coded for any of the episode's children, in the list's order."""
    return list(
        CodedNeed.objects.filter(
            group=CodedNeed.Group.SUPPORTING_FAMILIES,
            pk__in=EpisodeChild.needs.through.objects.filter(episodechild__episode=episode).values("codedneed_id"),
        ).order_by("order", "pk")
    )


def check_due_on(episode: Episode) -> date | None:
    if episode.closed_at is None:
        return None
    return months_later(timezone.localtime(episode.closed_at).date(), CHECK_AFTER_MONTHS)


def _needs_worker(actor: User, episode: Episode, field: str) -> None:
    if not can_work(actor, episode):
        raise ValidationError(
            {field: "Only the family's coach, their team leader or the lead practitioner can record this"}
        )


@audited
def progress_record(
    *,
    actor: User,
    episode: Episode,
    point: str,
    meeting: Meeting | None,
    statuses: dict[str, str],
    note: str = "",
) -> list[OutcomeProgress]:
    """Where the family stands on each of its headline outcomes at one point: the assessment, a
    review (naming its meeting) or closure. Each point is recorded once; nothing is half-saved."""
    episode = locked(episode)
    _needs_worker(actor, episode, "point")
    if point not in OutcomeProgress.Point.values:
        raise ValidationError({"point": "Choose when this progress was judged"})
    if point == OutcomeProgress.Point.REVIEW:
        if meeting is None or meeting.episode_id != episode.pk or meeting.kind != Meeting.Kind.REVIEW:
            raise ValidationError({"meeting": "Choose the review meeting this progress was judged at"})
    else:
        meeting = None
    outcomes = {outcome.code: outcome for outcome in outcomes_of(episode)}
    if not outcomes:
        raise ValidationError({"point": "No Supporting Families outcome is coded for this family's children"})
    missing = [outcomes[code].name for code in outcomes if not statuses.get(code)]
    if missing:
        raise ValidationError({"point": f"Say where the family stands on every outcome: {', '.join(missing)}"})
    unknown = [
        status for code, status in statuses.items() if code in outcomes and status not in OutcomeProgress.Status.values
    ]
    if unknown:
        raise ValidationError({"point": "Choose not improving yet, improving or met for each outcome"})
    earlier = OutcomeProgress.objects.filter(episode=episode, point=point, meeting=meeting).first()
    if earlier is not None:
        on = timezone.localtime(earlier.recorded_at)
        raise ValidationError({"point": f"{earlier.recorded_by} already recorded this on {on:%d/%m/%Y}"})
    made = []
    for code, outcome in outcomes.items():
        progress = OutcomeProgress(
            episode=episode,
            outcome=outcome,
            point=point,
            meeting=meeting,
            status=statuses[code],
            note=note,
            recorded_by=actor,
        )
        progress.save()
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=progress,
            changes={"outcome": outcome.code, "point": point, "status": statuses[code]},
        )
        made.append(progress)
    return made


def _checks_visible_to(user: User) -> QuerySet[Episode]:
    episodes = episodes_visible_to(user).filter(status=Episode.Status.CLOSED, sustained_check__isnull=True)
    if user.can(Permission.VIEW_EVERY_TEAM):
        return episodes
    if user.can(Permission.ALLOCATE_EPISODES) and user.team_id:
        return episodes.filter(team_id=user.team_id)
    return episodes.none()


def checks_due(user: User, *, today: date) -> list[tuple[Episode, date]]:
    """Closed families whose six-month check is due (or falls due within four weeks), with a
    Supporting Families outcome met at closure, soonest first."""
    shown_until = today + timedelta(days=SHOWN_DAYS_BEFORE)
    # Closed on or before this day, give or take a short month: the exact due date is judged below.
    closed_by = months_later(shown_until, -CHECK_AFTER_MONTHS) + timedelta(days=3)
    episodes = (
        _checks_visible_to(user)
        .filter(
            closed_at__date__lte=closed_by,
            outcome_progress__point=OutcomeProgress.Point.CLOSURE,
            outcome_progress__status=OutcomeProgress.Status.MET,
        )
        .distinct()
        .select_related("family", "team")
        .order_by("closed_at", "pk")
    )
    found = []
    for episode in episodes:
        due = check_due_on(episode)
        assert due is not None
        if due <= shown_until:
            found.append((episode, due))
    return found


def can_check(user: User, episode: Episode) -> bool:
    return user.can(Permission.VIEW_EVERY_TEAM) or (
        user.can(Permission.ALLOCATE_EPISODES) and leads_team(user, episode.team_id)
    )


@audited
def sustained_check_record(
    *, actor: User, episode: Episode, checked_on: date, sustained: list[str], looked_at: str
) -> SustainedCheck:
    """The six-month check: which outcomes met at closure were sustained, and what was looked at.
    Once per episode: two team leaders pressing Save at once record one check."""
    episode = locked(episode)
    if not can_check(actor, episode):
        raise ValidationError({"sustained": f"Only a team leader of {episode.team} records this check"})
    due = check_due_on(episode)
    if due is None:
        raise ValidationError({"sustained": "The family's episode is still open: outcomes are checked after closure"})
    if checked_on < due:
        raise ValidationError({"checked_on": f"The check is due on {due:%d/%m/%Y}, six months after closure"})
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "The day of the check cannot be in the future"})
    if not looked_at.strip():
        raise ValidationError({"looked_at": "Say what was looked at: attendance, police or housing records…"})
    earlier = SustainedCheck.objects.filter(episode=episode).select_related("recorded_by").first()
    if earlier is not None:
        raise ValidationError(
            {"sustained": f"{earlier.recorded_by} already recorded this check on {earlier.checked_on:%d/%m/%Y}"}
        )
    met = met_at_closure(episode)
    stray = [code for code in sustained if code not in met]
    if stray:
        raise ValidationError({"sustained": "Only an outcome met at closure can be sustained"})
    check = SustainedCheck(
        episode=episode,
        checked_on=checked_on,
        sustained=[code for code in met if code in sustained],
        not_sustained=[code for code in met if code not in sustained],
        looked_at=looked_at.strip(),
        recorded_by=actor,
    )
    check.save()
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=check,
        changes={"sustained": check.sustained, "not_sustained": check.not_sustained},
    )
    return check


def met_at_closure(episode: Episode) -> list[str]:
    return list(
        OutcomeProgress.objects.filter(
            episode=episode, point=OutcomeProgress.Point.CLOSURE, status=OutcomeProgress.Status.MET
        )
        .order_by("outcome__order", "pk")
        .values_list("outcome__code", flat=True)
    )


@dataclass(frozen=True)
class ClaimEvidence:
    """What a Supporting Families claim needs for one family, each part from the records."""

    needs: int
    lead_practitioner: bool
    whole_family_assessment: bool
    plan: bool
    sustained: bool

    @property
    def claimable(self) -> bool:
        return (
            self.needs >= NEEDS_FOR_A_CLAIM
            and self.lead_practitioner
            and self.whole_family_assessment
            and self.plan
            and self.sustained
        )

    @property
    def missing(self) -> list[str]:
        parts = []
        if self.needs < NEEDS_FOR_A_CLAIM:
            parts.append(f"three or more needs ({self.needs} coded)")
        if not self.lead_practitioner:
            parts.append("a lead practitioner")
        if not self.whole_family_assessment:
            parts.append("a whole-family assessment")
        if not self.plan:
            parts.append("a plan")
        if not self.sustained:
            parts.append("outcomes sustained")
        return parts


def claim_evidence(
    *, needs: int, lead: bool, assessed: bool, planned: bool, sustained: list[str], not_sustained: list[str]
) -> ClaimEvidence:
    """A family's evidence: sustained means the six-month check found every outcome met at
    closure still met (and at least one was)."""
    return ClaimEvidence(
        needs=needs,
        lead_practitioner=lead,
        whole_family_assessment=assessed,
        plan=planned,
        sustained=bool(sustained) and not not_sustained,
    )
