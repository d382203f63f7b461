"""Who may see and work which episode: the only way views fetch one.

- The authority's own staff read every episode, as they read every record.
- A partner practitioner sees only the episodes they lead, while they lead them (and, through
  an involvement that ends at handover, the family's members: `leading.py`): the family agreed
  who leads. Their agency's single point of contact reads an open episode someone of the agency
  leads only where the family's consent to share (or a decision to share) opens the early help
  record to the agency (ADR 21).
- Only the episode's coach, a team leader of its team and its lead practitioner change it.
- Allocating is for the team's leaders; capacity decisions for the head of service.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.casework.models import (
    Assessment,
    CapacityEscalation,
    CaseNote,
    Episode,
    PlanAction,
    StepDown,
    TeamMember,
)
from earlyhelp.core.compiled import Compiled
from earlyhelp.organisations.models import Team, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import families_visible_to, refuse
from earlyhelp.people.models import FamilyMembership, Restriction
from earlyhelp.sharing.models import RecordPart
from earlyhelp.sharing.rules import people_opening


def _episodes_unrestricted_for(authority: int, user: int) -> QuerySet[Episode]:
    """The authority's episodes but those of restricted families that do not name the user: a
    restricted family's case file opens only to the users its restriction names; lists show it
    as "Restricted family" (people/restricting.py)."""
    named = Restriction.objects.filter(family=OuterRef("family"), lifted_at__isnull=True, named=user)
    return Episode.objects.filter(authority_id=authority).filter(Q(family__restricted=False) | Exists(named))


def episodes_visible_to(user: User) -> QuerySet[Episode]:
    episodes = _episodes_unrestricted_for(user.authority_id, user.pk)
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return episodes
    if user.can(Permission.VIEW_OWN_RECORDS):
        led = Q(lead_practitioner=user)
        if user.is_single_point_of_contact and user.agency_id is not None:
            opened = people_opening(agency_id=user.agency_id, part=RecordPart.EARLY_HELP)
            shared = FamilyMembership.objects.filter(family=OuterRef("family"), person_id__in=opened)
            led |= Q(lead_practitioner__agency_id=user.agency_id) & Q(Exists(shared))
        return episodes.filter(led).exclude(status=Episode.Status.CLOSED)
    return episodes.none()


# The users an episode names, read with it (`get_episode_for_user`).
EPISODE_USERS = ("coach", "allocated_by", "lead_practitioner", "overseeing_social_worker", "closed_by")
_USERS_NAMED: "Compiled[User]" = Compiled(
    lambda users: User.objects.filter(pk__in=users).select_related("agency", "team"), lists=("users",)
)


# An episode opened by the authority's staff, the case file's first read: built once.
_EPISODE_FOR_STAFF: "Compiled[Episode]" = Compiled(
    lambda authority, user, episode: (
        _episodes_unrestricted_for(authority, user).filter(pk=episode).select_related("family", "team")
    )
)


def get_episode_for_user(user: User, pk: int, *, attempted: str = "open") -> Episode:
    """The episode with its family and team, and the users it names with their agencies and
    teams: two queries. (One query joining the five users took PostgreSQL longer to plan, about
    4 ms, than the two take to plan and run: docs/performance.md.)"""
    found: Episode | None
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):  # the authority's staff: `episodes_visible_to`'s first case
        opened = _EPISODE_FOR_STAFF.list(authority=user.authority_id, user=user.pk, episode=pk)
        found = opened[0] if opened else None
    else:
        found = episodes_visible_to(user).select_related("family", "team").filter(pk=pk).first()
    if found is None:
        raise refuse(user, "casework.episode", pk, attempted, "No episode found")
    named = [getattr(found, f"{name}_id") for name in EPISODE_USERS]
    users = {named_user.pk: named_user for named_user in _USERS_NAMED.list(users=[i for i in named if i is not None])}
    # `named` is made from EPISODE_USERS, so the two are always as long: strictness cannot show.
    for name, user_id in zip(EPISODE_USERS, named, strict=True):  # pragma: no mutate
        if user_id is not None:
            setattr(found, name, users[user_id])
    return found


def can_work(user: User, episode: Episode) -> bool:
    """Called with an episode the user can see: record its work (visits, notes, the plan)."""
    if not episode.is_open:
        return False
    if user.pk in (episode.coach_id, episode.lead_practitioner_id):
        return True
    return leads_team(user, episode.team_id)


def leads_team(user: User, team_id: int) -> bool:
    return user.can(Permission.ALLOCATE_EPISODES) and user.team_id == team_id


def get_episode_for_working(user: User, pk: int) -> Episode:
    episode = get_episode_for_user(user, pk, attempted="change")
    if not can_work(user, episode):
        raise refuse(user, "casework.episode", pk, "change", "No episode found")
    return episode


def can_allocate(user: User, episode: Episode) -> bool:
    return episode.is_open and leads_team(user, episode.team_id)


def get_episode_for_allocating(user: User, pk: int) -> Episode:
    episode = get_episode_for_user(user, pk, attempted="allocate")
    if not can_allocate(user, episode):
        raise refuse(user, "casework.episode", pk, "allocate", "No episode found")
    return episode


def get_case_note(user: User, episode: Episode, pk: int) -> CaseNote:
    """A case note of `episode`, which the user has already been allowed to work."""
    found: CaseNote | None = CaseNote.objects.filter(episode=episode, pk=pk).select_related("recorded_by").first()
    if found is None:
        raise refuse(user, "casework.casenote", pk, "change", "No case note found")
    return found


def get_assessment(user: User, episode: Episode, pk: int) -> Assessment:
    """An assessment of `episode`, which the user has already been allowed to see."""
    found: Assessment | None = (
        Assessment.objects.filter(episode=episode, pk=pk)
        .select_related("template", "level_of_need", "authorised_by")
        .first()
    )
    if found is None:
        raise refuse(user, "casework.assessment", pk, "open", "No assessment found")
    return found


def get_team_member(user: User, episode: Episode, pk: int) -> TeamMember:
    found: TeamMember | None = TeamMember.objects.filter(episode=episode, pk=pk).first()
    if found is None:
        raise refuse(user, "casework.teammember", pk, "change", "No member found")
    return found


def get_plan_action(user: User, episode: Episode, pk: int) -> PlanAction:
    found: PlanAction | None = PlanAction.objects.filter(episode=episode, pk=pk).first()
    if found is None:
        raise refuse(user, "casework.planaction", pk, "change", "No plan action found")
    return found


def holds_caseload(user: User) -> bool:
    return user.can(Permission.HOLD_CASELOAD)


def has_my_families(user: User) -> bool:
    """Coaches, and anyone who may lead an episode (a partner practitioner, a social worker)."""
    return (
        holds_caseload(user) or user.can(Permission.VIEW_OWN_RECORDS) or user.can(Permission.OVERSEE_CHILDREN_IN_NEED)
    )


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The family support teams whose team page the user may open."""
    teams = Team.objects.filter(area__authority_id=user.authority_id, kind=Team.Kind.FAMILY_SUPPORT)
    if user.can(Permission.VIEW_EVERY_TEAM):
        return teams
    if user.can(Permission.ALLOCATE_EPISODES) and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


# The teams whose pages a user may open, with their areas and authority: built once for each of
# the two ways of seeing them (core/compiled.py).
_EVERY_TEAM: "Compiled[Team]" = Compiled(
    lambda authority: (
        Team.objects.filter(area__authority_id=authority, kind=Team.Kind.FAMILY_SUPPORT)
        .select_related("area__authority")
        .order_by("name", "pk")
    )
)
_OWN_TEAM: "Compiled[Team]" = Compiled(
    lambda authority, team: Team.objects.filter(
        area__authority_id=authority, kind=Team.Kind.FAMILY_SUPPORT, pk=team
    ).select_related("area__authority")
)


def team_and_teams_for_user(user: User, pk: int) -> tuple[Team, list[Team]]:
    """The team page's team, and every team page the user may open (to move between them): one
    query for both, as `teams_visible_to` decides."""
    teams: list[Team] = []
    if user.can(Permission.VIEW_EVERY_TEAM):
        teams = _EVERY_TEAM.list(authority=user.authority_id)
    elif user.can(Permission.ALLOCATE_EPISODES) and user.team_id:
        teams = _OWN_TEAM.list(authority=user.authority_id, team=user.team_id)
    chosen = next((team for team in teams if team.pk == pk), None)
    if chosen is None:
        raise refuse(user, "organisations.team", pk, "open", "No team found")
    return chosen, teams


def can_decide_capacity(user: User) -> bool:
    return user.can(Permission.DECIDE_BEYOND_CAPACITY)


def get_escalation_for_deciding(user: User, pk: int) -> CapacityEscalation:
    found: CapacityEscalation | None = (
        CapacityEscalation.objects.filter(pk=pk, episode__authority_id=user.authority_id)
        .select_related("episode", "episode__team", "episode__family", "raised_by")
        .first()
    )
    if found is None or not can_decide_capacity(user):
        raise refuse(user, "casework.capacityescalation", pk, "decide", "No such request")
    return found


def sees_transfer_panel(user: User) -> bool:
    """Those who propose step-downs (social workers) and those who decide them (team leaders,
    the head of service)."""
    return user.can(Permission.VIEW_AUTHORITY_RECORDS) and (
        user.can(Permission.OVERSEE_CHILDREN_IN_NEED)
        or user.can(Permission.ALLOCATE_EPISODES)
        or user.can(Permission.DECIDE_BEYOND_CAPACITY)
    )


def step_downs_visible_to(user: User) -> QuerySet[StepDown]:
    """Everything on the panel for those who sit on it or propose; for anyone else, the step-downs
    whose episode they may see (the family's coach records the handover)."""
    step_downs = StepDown.objects.filter(authority_id=user.authority_id, family__in=families_visible_to(user))
    if sees_transfer_panel(user):
        return step_downs
    return step_downs.filter(episode__in=episodes_visible_to(user))


def get_step_down_for_user(user: User, pk: int, *, attempted: str = "open") -> StepDown:
    found: StepDown | None = (
        step_downs_visible_to(user).filter(pk=pk).select_related("family", "team", "episode", "proposed_by").first()
    )
    if found is None:
        raise refuse(user, "casework.stepdown", pk, attempted, "No step-down found")
    return found
