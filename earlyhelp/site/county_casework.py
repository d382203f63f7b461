"""County-scale casework for the benchmark (`generate_demo`, docs/performance.md): every family
the generated front door allocated gets its episode, written in bulk like the rest.

- Each family support team gets coaches enough for its families (15 per full-time coach, each
  holding about 14) and a team leader; the demo's own coach and team leader among them.
- A family allocated in the last 150 days has an open episode, allocated a day after the
  decision, with a first visit and a visit (its case note written) every two weeks since; one
  allocated earlier, a closed one.
- One family has a **two-year case**: allocated two years ago and coached all that time, with
  a visit a fortnight, a review every six weeks, a growing plan, changes of coach and lead
  practitioner: the case file the benchmark opens to show its queries do not grow.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.deadlines import deadlines_refresh
from earlyhelp.casework.models import (
    Allocation,
    CaseNote,
    Episode,
    EpisodeChild,
    EpisodeReferral,
    LeadPractitionerChange,
    LegalBasis,
    LegalBasisChange,
    Meeting,
    Oversight,
    PlanAction,
    TeamMember,
    WellbeingScore,
)
from earlyhelp.organisations.models import RoleAssignment, Team, User
from earlyhelp.organisations.roles import Role
from earlyhelp.site import demo

if TYPE_CHECKING:
    from earlyhelp.site.county import Generated, _Allocated, _CountyBuilder

OPEN_WITHIN = timedelta(days=150)
FAMILIES_PER_COACH = 14
LONG_CASE_DAYS = 730
# A county's open early help caseload: about 1,500 families at 250,000 people, in teams of some
# 18 coaches holding about 250 families each (the newest allocations; the rest have closed).
OPEN_PER_FAMILY = 0.018
FAMILIES_PER_TEAM = 250


def episodes(builder: "_CountyBuilder", *, result: "Generated", say: Callable[[str], None]) -> None:
    from earlyhelp.site.county import _Table

    models = (
        Episode,
        EpisodeReferral,
        EpisodeChild,
        Allocation,
        WellbeingScore,
        LegalBasisChange,
        Oversight,
        CaseNote,
        Meeting,
        Meeting.attended.through,
        PlanAction,
        TeamMember,
        LeadPractitionerChange,
    )
    tables = {model: _Table(model) for model in models}
    builder.models_written.update(models)
    writer = _Writer(builder, tables)
    allocations = sorted(builder.allocated.values(), key=lambda item: item.decided_at)
    recent = [item for item in allocations if builder.now - item.decided_at < OPEN_WITHIN]
    open_ones = recent[-max(30, round(len(builder.kept) * OPEN_PER_FAMILY)) :]
    teams = writer.teams(len(open_ones))
    open_ones = [replace(item, team_id=teams[index % len(teams)].pk) for index, item in enumerate(open_ones)]
    still_open = {item.contact_pk: item for item in open_ones}
    coaches = writer.coaches(open_ones)
    for item in allocations:
        if item.contact_pk in still_open:
            chosen = still_open[item.contact_pk]
            writer.episode(chosen, coach=coaches.pop(chosen.team_id))
        else:
            writer.episode(item, coach=None)
        result.episodes += 1
    if allocations:
        writer.long_case(allocations[-1])
    for table in tables.values():
        table.flush()
    # Written in bulk, past the services: each open episode's soonest deadlines worked out after.
    deadlines_refresh()
    say(f"  {result.episodes:,} episodes, {len(open_ones):,} open")


class _CoachesOfTeams:
    """Round the coaches of each team, filling each up to its share."""

    def __init__(self, coaches: dict[int, list[User]]) -> None:
        self.coaches = coaches
        self.next: dict[int, int] = dict.fromkeys(coaches, 0)

    def pop(self, team_id: int) -> User:
        team = self.coaches[team_id]
        coach = team[self.next[team_id] % len(team)]
        self.next[team_id] += 1
        return coach


class _Writer:
    def __init__(self, builder: "_CountyBuilder", tables: dict[Any, Any]) -> None:
        self.builder = builder
        self.tables = tables
        self.random = builder.random
        self.now = builder.now
        self.leader = User.objects.get(email=f"teamleader@{demo.DEMO_EMAIL_DOMAIN}")

    def teams(self, open_families: int) -> list[Team]:
        """The family support teams, with more made (one per area in turn) until each holds
        about `FAMILIES_PER_TEAM` open families."""
        teams = list(
            Team.objects.filter(area__authority=self.builder.authority, kind=Team.Kind.FAMILY_SUPPORT).order_by("pk")
        )
        needed = max(len(teams), -(-open_families // FAMILIES_PER_TEAM))
        areas = self.builder.areas
        for number in range(len(teams), needed):
            area = areas[number % len(areas)]
            teams.append(
                Team.objects.create(
                    area=area, name=f"Family Support Team {area.name} {number}", kind=Team.Kind.FAMILY_SUPPORT
                )
            )
        return teams

    def coaches(self, open_ones: list["_Allocated"]) -> _CoachesOfTeams:
        """Enough coaches in each team for its open families, the demo's own among them."""
        wanted: dict[int, int] = {}
        for item in open_ones:
            wanted[item.team_id] = wanted.get(item.team_id, 0) + 1
        found: dict[int, list[User]] = {}
        for team in Team.objects.filter(area__authority=self.builder.authority, kind=Team.Kind.FAMILY_SUPPORT):
            existing = list(User.objects.filter(team=team, role_assignments__role=Role.FAMILY_COACH).order_by("pk"))
            needed = max(1, -(-wanted.get(team.pk, 0) // FAMILIES_PER_COACH))
            for number in range(len(existing), needed):
                user = User.objects.create_user(
                    email=f"coach.{team.pk}.{number:03d}@{demo.DEMO_EMAIL_DOMAIN}",
                    password=None,
                    full_name=self._name(),
                    job_title="Family coach",
                    authority=self.builder.authority,
                    team=team,
                )
                RoleAssignment.objects.create(user=user, role=Role.FAMILY_COACH)
                existing.append(user)
            found[team.pk] = existing
        return _CoachesOfTeams(found)

    def _name(self) -> str:
        return f"{self.random.choice(self.builder.female_names)} {self.random.choice(self.builder.last_names)}"

    def _audited(self, model: Any, pk: int, when: datetime, actor: User | None) -> None:
        self.builder._audited(AuditEvent.Verb.CREATED, model, pk, when, actor)

    def episode(
        self,
        item: "_Allocated",
        *,
        coach: User | None,
        allocated_after: timedelta = timedelta(days=1),
        referred: bool = True,
        **extra: Any,
    ) -> int:
        allocated_at = item.decided_at + allocated_after
        closed_at = None if coach is not None else allocated_at + timedelta(days=self.random.randint(60, 170))
        holder = coach or self.leader
        day = allocated_at.date()
        pk: int = self.tables[Episode].add(
            authority_id=self.builder.authority.pk,
            family_id=item.family.pk,
            team_id=item.team_id,
            status=Episode.Status.OPEN if coach else Episode.Status.CLOSED,
            origin=Episode.Origin.FRONT_DOOR,
            contact_id=item.contact_pk if referred else None,
            legal_basis=LegalBasis.TARGETED_EARLY_HELP,
            referred_at=item.received_at,
            reached_team_at=item.decided_at,
            opened_at=item.decided_at,
            coach_id=holder.pk,
            allocated_at=allocated_at,
            allocated_by_id=self.leader.pk,
            weight=Decimal("1.0"),
            allocation_note="Allocated from the front door's decision.",
            first_visit_due=day + timedelta(days=7),
            assessment_due=item.received_at.date() + timedelta(days=20),
            first_meeting_due=item.received_at.date() + timedelta(days=30),
            manager_review_due=day + timedelta(weeks=4),
            first_visit_at=allocated_at + timedelta(days=3),
            written_consent_on=(allocated_at + timedelta(days=3)).date(),
            written_consent_given_by="A parent",
            last_visit_at=allocated_at + timedelta(days=3),
            closed_at=closed_at,
            closed_by_id=self.leader.pk if closed_at else None,
            end_reason=Episode.EndReason.GOALS_MET if closed_at else "",
            version=1,
            **extra,
        )
        self._audited(Episode, pk, item.decided_at, None)
        if referred:
            self.tables[EpisodeReferral].add(
                episode_id=pk, contact_id=item.contact_pk, joined_at=item.decided_at, opened_it=True
            )
        self.tables[LegalBasisChange].add(
            episode_id=pk, before="", after=LegalBasis.TARGETED_EARLY_HELP, reason="Opened", changed_at=item.decided_at
        )
        self.tables[Allocation].add(
            episode_id=pk,
            coach_id=holder.pk,
            allocated_by_id=self.leader.pk,
            allocated_at=allocated_at,
            note="Allocated from the front door's decision.",
            weight=Decimal("1.0"),
            within_capacity=True,
            first_visit_due=day + timedelta(days=7),
            assessment_due=item.received_at.date() + timedelta(days=20),
            first_meeting_due=item.received_at.date() + timedelta(days=30),
            manager_review_due=day + timedelta(weeks=4),
        )
        self.tables[Oversight].add(
            episode_id=pk,
            point=Oversight.Point.ALLOCATION,
            note="Allocated",
            recorded_by_id=self.leader.pk,
            recorded_at=allocated_at,
        )
        for member in [member for member in item.family.members if member.is_child]:
            self.tables[EpisodeChild].add(episode_id=pk, person_id=member.pk, added_at=item.decided_at)
            self.tables[WellbeingScore].add(
                episode_id=pk,
                person_id=member.pk,
                point=WellbeingScore.Point.ALLOCATION,
                score=self.random.randint(2, 6),
                scale_lowest=0,
                scale_highest=10,
                recorded_by_id=self.leader.pk,
                recorded_at=allocated_at,
            )
        end = closed_at or self.now
        self._visits(pk, holder, allocated_at + timedelta(days=3), end)
        return pk

    def _visits(self, episode_pk: int, coach: User, first: datetime, end: datetime) -> datetime:
        when, last = first, first
        while when < end - timedelta(hours=6):
            self.tables[CaseNote].add(
                episode_id=episode_pk,
                kind=CaseNote.Kind.HOME_VISIT,
                happened_at=when,
                successful=True,
                who_was_seen="The children and a parent",
                note="Visit: went through the plan with the family.",
                written_at=when + timedelta(hours=3),
                recorded_by_id=coach.pk,
                recorded_at=when + timedelta(hours=3),
                is_first_visit=when == first,
                version=1,
            )
            last = when
            when += timedelta(days=14)
        return last

    def long_case(self, item: "_Allocated") -> None:
        """A two-year case on a family of its own, in the demo coach's caseload: changes of coach
        and lead, a visit a fortnight, a review every six weeks, a plan that grew."""
        coach = User.objects.get(email=f"coach@{demo.DEMO_EMAIL_DOMAIN}")
        family = next((kept for kept in self.builder.kept if kept.pk not in self.builder.allocated), item.family)
        began = self.now - timedelta(days=LONG_CASE_DAYS)
        long_item = type(item)(
            contact_pk=item.contact_pk,
            received_at=began,
            decided_at=began,
            team_id=coach.team_id or item.team_id,
            family=family,
        )
        # Its referral is two years old and not among the generated contacts: the episode stands alone.
        pk = self.episode(
            long_item,
            coach=coach,
            allocated_after=timedelta(hours=4),
            referred=False,
            assessment_authorised_at=began + timedelta(days=18),
            first_meeting_at=began + timedelta(days=25),
            last_meeting_at=began + timedelta(days=25 + 42 * ((LONG_CASE_DAYS - 25) // 42)),
        )
        members = [
            self.tables[TeamMember].add(
                episode_id=pk,
                name=name,
                role=role,
                agency=agency,
                is_family=not agency,
                added_by_id=coach.pk,
                added_at=began,
            )
            for name, role, agency in (("A parent", "Parent", ""), ("Ms Patel", "Class teacher", "A school"))
        ]
        when = began + timedelta(days=25)
        kind = Meeting.Kind.INITIAL
        while when < self.now:
            meeting = self.tables[Meeting].add(
                episode_id=pk,
                kind=kind,
                held_at=when,
                minutes="Reviewed the plan.",
                recorded_by_id=coach.pk,
                recorded_at=when,
            )
            for member in members:
                self.tables[Meeting.attended.through].add(meeting_id=meeting, teammember_id=member)
            self.tables[PlanAction].add(
                episode_id=pk,
                what="A step of the plan",
                who="The parent",
                by_when=(when + timedelta(weeks=6)).date(),
                outcome_sought="Calmer mornings",
                measure="The register",
                status=PlanAction.Status.DONE if when < self.now - timedelta(weeks=6) else PlanAction.Status.OPEN,
                completed_on=(when + timedelta(weeks=5)).date() if when < self.now - timedelta(weeks=6) else None,
                added_by_id=coach.pk,
                added_at=when,
                version=1,
            )
            kind = Meeting.Kind.REVIEW
            when += timedelta(weeks=6)
        for number in range(6):
            self.tables[LeadPractitionerChange].add(
                episode_id=pk,
                before_id=None,
                after_id=coach.pk,
                agreed_with_family=True,
                handover=f"Handover {number}",
                handed_over_on=(began + timedelta(days=120 * number)).date(),
                recorded_by_id=coach.pk,
                recorded_at=began + timedelta(days=120 * number),
            )
