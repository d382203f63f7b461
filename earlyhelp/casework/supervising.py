"""Recording supervision (FF §19.2 and the performance table), and what is due next.

- **Individual supervision**: a team leader of the coach's team supervises each family coach no
  less than every 4 weeks; the next is due 4 weeks after the last, or, before the first, 4 weeks
  after the coach joined the service.
- **Group supervision**: a team leader holds it for the team no less than every 8 weeks; before
  the first, counted from the day the team's first coach joined.
- **A case supervision note** on each open family at least once a month, by a team leader of the
  episode's team with the family's coach; it is one of the episode's timescales
  (`schedule.case_supervision_dues`), so it shows with the others on My families, the team page
  and the case file.

Each is recorded under a row lock (the team's, or the episode's) with its rules checked inside
the transaction (ADR 11). A supervision cannot be in the future.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import leads_team
from earlyhelp.casework.caseloads import coaches_of
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import Episode, Supervision
from earlyhelp.casework.selectors import Clock
from earlyhelp.casework.timescales import Due, Unit, last_day
from earlyhelp.core.workflow import locked
from earlyhelp.frontdoor.clock import WorkingTime
from earlyhelp.organisations.models import Team, User


@dataclass(frozen=True)
class SupervisionDetails:
    held_on: date | None
    note: str


def _problems(details: SupervisionDetails, *, earliest: date | None = None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.held_on is None:
        problems["held_on"] = "Enter the date of the supervision"
    elif details.held_on > timezone.localdate():
        problems["held_on"] = "The date of the supervision must be today or in the past"
    elif earliest is not None and details.held_on < earliest:
        problems["held_on"] = f"The date must be on or after {earliest:%-d %B %Y}, when the family was allocated"
    if not details.note.strip():
        problems["note"] = "Write the supervision note: what was discussed, decided and what happens next"
    return problems


def _coaches_of(team: Team) -> list[User]:
    return list(coaches_of(team).order_by("full_name", "pk"))


def _led_by(actor: User, team: Team, field_name: str) -> Team:
    team = locked(team)
    if not leads_team(actor, team.pk):
        raise ValidationError({field_name: f"Only a team leader of {team} records its supervision"})
    return team


@audited
def individual_supervision_record(
    *, actor: User, team: Team, supervisee: User | None, details: SupervisionDetails
) -> Supervision:
    team = _led_by(actor, team, "supervisee")
    problems = _problems(details)
    if supervisee is None or supervisee.pk not in {coach.pk for coach in _coaches_of(team)}:
        problems["supervisee"] = f"Choose a family coach of {team}"
    if problems:
        raise ValidationError(problems)
    assert details.held_on is not None
    supervision = Supervision.objects.create(
        kind=Supervision.Kind.INDIVIDUAL,
        team=team,
        supervisee=supervisee,
        held_on=details.held_on,
        note=details.note.strip(),
        supervisor=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=supervision,
        changes={"kind": supervision.kind, "supervisee": supervision.supervisee_id, "held_on": str(details.held_on)},
    )
    return supervision


@audited
def group_supervision_record(
    *, actor: User, team: Team, attendees: list[int], details: SupervisionDetails
) -> Supervision:
    team = _led_by(actor, team, "attendees")
    problems = _problems(details)
    coaches = {coach.pk for coach in _coaches_of(team)}
    if not attendees:
        problems["attendees"] = "Choose who came"
    elif not set(attendees) <= coaches:
        problems["attendees"] = f"Choose only family coaches of {team}"
    if problems:
        raise ValidationError(problems)
    assert details.held_on is not None
    supervision = Supervision.objects.create(
        kind=Supervision.Kind.GROUP, team=team, held_on=details.held_on, note=details.note.strip(), supervisor=actor
    )
    supervision.attendees.set(sorted(set(attendees)))
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=supervision,
        changes={"kind": supervision.kind, "attendees": sorted(set(attendees)), "held_on": str(details.held_on)},
    )
    return supervision


@audited
def case_supervision_record(*, actor: User, episode: Episode, details: SupervisionDetails) -> Supervision:
    """A team leader's case supervision note on the family, with its coach: the next is due a
    month on (the authority's setting)."""
    episode = locked(episode)
    if not (episode.status == Episode.Status.OPEN and leads_team(actor, episode.team_id)):
        raise ValidationError({"note": f"Only a team leader of {episode.team} writes this family's supervision notes"})
    allocated = timezone.localtime(episode.allocated_at).date() if episode.allocated_at else None
    problems = _problems(details, earliest=allocated)
    if problems:
        raise ValidationError(problems)
    assert details.held_on is not None
    supervision = Supervision.objects.create(
        kind=Supervision.Kind.CASE,
        team_id=episode.team_id,
        episode=episode,
        supervisee_id=episode.coach_id,
        held_on=details.held_on,
        note=details.note.strip(),
        supervisor=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=supervision,
        changes={"kind": supervision.kind, "episode": episode.pk, "held_on": str(details.held_on)},
    )
    before = episode.last_case_supervision_on
    if before is None or before < details.held_on:
        episode.last_case_supervision_on = details.held_on
        versions = version_move_on(episode, seen=None)
        episode.save(update_fields=["last_case_supervision_on", "version"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=episode,
            changes={
                "last_case_supervision_on": [str(before) if before else None, str(details.held_on)],
                "version": versions,
            },
        )
    deadlines_keep(episode)
    return supervision


# What is due ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachSupervision:
    coach: User
    last: Supervision | None
    due: Due


@dataclass(frozen=True)
class TeamSupervision:
    coaches: list[CoachSupervision]
    group_last: Supervision | None
    group_due: Due | None
    recent: list[Supervision]
    individual_weeks: int = 4
    group_weeks: int = 8


def _joined(user: User, hours: WorkingTime) -> date:
    joined: datetime = user.date_joined
    return joined.astimezone(hours.zone).date()


def team_supervision(team: Team, *, clock: Clock) -> TeamSupervision:
    """Each coach's individual supervision and the team's group supervision: the last, and when
    the next is due by the authority's intervals. Two queries."""
    assert clock.settings is not None
    hours = clock.hours
    individual_weeks, group_weeks = clock.settings.individual_supervision_weeks, clock.settings.group_supervision_weeks
    coaches = _coaches_of(team)
    supervisions = list(
        Supervision.objects.filter(team=team, kind__in=(Supervision.Kind.INDIVIDUAL, Supervision.Kind.GROUP))
        .select_related("supervisee", "supervisor")
        .order_by("-held_on", "-pk")
    )
    last_of: dict[int, Supervision] = {}
    for supervision in supervisions:
        if supervision.kind == Supervision.Kind.INDIVIDUAL and supervision.supervisee_id is not None:
            last_of.setdefault(supervision.supervisee_id, supervision)
    rows = []
    for coach in coaches:
        last = last_of.get(coach.pk)
        start = last.held_on if last else _joined(coach, hours)
        rows.append(
            CoachSupervision(
                coach=coach,
                last=last,
                due=Due(
                    what=f"Individual supervision of {coach.full_name}",
                    rule=f"At least every {Unit.WEEKS.amount_label(individual_weeks)}",
                    source="FF §19.2: no less than every 4 weeks",
                    unit=Unit.WEEKS,
                    day=last_day(start, individual_weeks, Unit.WEEKS, hours),
                ),
            )
        )
    group_last = next((item for item in supervisions if item.kind == Supervision.Kind.GROUP), None)
    group_due = None
    if coaches:
        start = group_last.held_on if group_last else min(_joined(coach, hours) for coach in coaches)
        group_due = Due(
            what="Group supervision",
            rule=f"At least every {Unit.WEEKS.amount_label(group_weeks)}",
            source="FF §19.2: no less than every 8 weeks",
            unit=Unit.WEEKS,
            day=last_day(start, group_weeks, Unit.WEEKS, hours),
        )
    return TeamSupervision(
        coaches=rows,
        group_last=group_last,
        group_due=group_due,
        recent=supervisions[:20],
        individual_weeks=individual_weeks,
        group_weeks=group_weeks,
    )
