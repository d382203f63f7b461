"""What each user sees on landing: what their roles let them do, and the records they were last in.

Each part appears only for the permission that needs it, so a performance analyst sees figures
and never names, and a partner practitioner sees only the people they work with.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.frontdoor.clock import Rag, clock_boundaries, rules_of
from earlyhelp.frontdoor.models import Contact
from earlyhelp.frontdoor.selectors import open_contact_counts
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import people_visible_to
from earlyhelp.people.models import Family, Involvement, Person, PersonToCheck

RECENT_LIMIT = 10


@dataclass(frozen=True)
class TeamMember:
    user: User
    capacity: Decimal


@dataclass(frozen=True)
class FrontDoorCounts:
    """The front door at a glance: what is waiting, and how much of it is late or nearly so."""

    waiting: int
    immediate_danger: int
    overdue: int
    due_soon: int
    awaiting_team_leader: int
    people_to_check: int


@dataclass
class HomePage:
    can_search: bool = False
    can_add: bool = False
    can_administer: bool = False
    shows_people_worked_with: bool = False
    recently_viewed: list[Person] = field(default_factory=list)
    people_worked_with: list[Involvement] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    figures: "Figures | None" = None
    figures_minutes: int = 0
    front_door: FrontDoorCounts | None = None
    can_confirm: bool = False
    governs_information: bool = False
    manages_retention: bool = False


def for_user(user: User) -> HomePage:
    page = HomePage(
        can_search=user.can(Permission.VIEW_AUTHORITY_RECORDS) or user.can(Permission.VIEW_OWN_RECORDS),
        can_add=user.can(Permission.ADD_PEOPLE),
        can_administer=user.can(Permission.ADMINISTER_ORGANISATIONS),
        governs_information=user.can(Permission.VIEW_RECORD_ACCESS_LOG),
        manages_retention=user.can(Permission.MANAGE_RETENTION),
    )
    if page.can_search:
        page.recently_viewed = recently_viewed(user)
    if user.can(Permission.VIEW_OWN_RECORDS) and not user.can(Permission.VIEW_AUTHORITY_RECORDS):
        page.shows_people_worked_with = True
        page.people_worked_with = list(
            Involvement.objects.filter(practitioner=user, ended_on__isnull=True)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )
    if user.can(Permission.VIEW_TEAM) and user.team_id:
        page.team = team_members(user)
    if user.can(Permission.VIEW_AGGREGATE_FIGURES):
        page.figures = figures(user)
        page.figures_minutes = FIGURES_SECONDS // 60
    if user.can(Permission.TRIAGE_CONTACTS):
        page.front_door = front_door_counts(user)
        page.can_confirm = user.can(Permission.CONFIRM_TRIAGE_OVERRIDES)
    return page


def front_door_counts(user: User) -> FrontDoorCounts:
    """Two queries, however many contacts are waiting: each is counted by its arrival time
    against where the clock's colours change now (clock.clock_boundaries)."""
    boundaries = clock_boundaries(timezone.now(), rules_of(user.authority))
    counts = open_contact_counts(
        Contact.objects.filter(authority_id=user.authority_id, status__in=Contact.OPEN_STATUSES), boundaries
    )
    to_check = PersonToCheck.objects.filter(authority_id=user.authority_id, status=PersonToCheck.Status.WAITING)
    return FrontDoorCounts(
        waiting=sum(counts.by_clock.values()),
        immediate_danger=counts.by_clock[Rag.IMMEDIATE],
        overdue=counts.by_clock[Rag.RED],
        due_soon=counts.by_clock[Rag.AMBER],
        awaiting_team_leader=counts.awaiting_confirmation,
        people_to_check=to_check.count(),
    )


def recently_viewed(user: User) -> list[Person]:
    """The people this user last opened, newest first, still visible to them (two queries)."""
    viewed_ids: list[int] = []
    events = AuditEvent.objects.filter(
        actor=user, verb=AuditEvent.Verb.VIEWED, target_type=Person._meta.label_lower
    ).values_list("target_id", flat=True)[:100]
    for target_id in events:
        if target_id not in viewed_ids:
            viewed_ids.append(target_id)
    people = people_visible_to(user).in_bulk(viewed_ids[:RECENT_LIMIT])
    return [people[pk] for pk in viewed_ids[:RECENT_LIMIT] if pk in people]


def team_members(user: User) -> list[TeamMember]:
    members = User.objects.filter(team=user.team, is_active=True).prefetch_related("role_assignments")
    return [
        TeamMember(user=member, capacity=member.fte * user.authority.caseload_per_full_time_coach) for member in members
    ]


# The counts of records held are counted again at most this often: at county scale counting every
# person and family costs more than the rest of the page, and nobody needs them to the second.
FIGURES_SECONDS = 300


@dataclass(frozen=True)
class Figures:
    people_by_kind: list[tuple[str, int]]
    families_by_area: list[tuple[str, int]]
    counted_at: datetime


def figures(user: User) -> Figures:
    """The authority's records held, counted at most every FIGURES_SECONDS (shared by its users)."""
    key = f"home-figures:{user.authority_id}"
    cached = cache.get(key)
    if isinstance(cached, Figures):
        return cached
    counted = figures_counted(user.authority_id)
    cache.set(key, counted, timeout=FIGURES_SECONDS)
    return counted


def figures_counted(authority_id: int) -> Figures:
    kinds = dict(Person.Kind.choices)
    by_kind = (
        Person.objects.filter(authority_id=authority_id).values("kind").annotate(total=Count("id")).order_by("kind")
    )
    by_area = (
        Family.objects.filter(authority_id=authority_id)
        .values("area__name")
        .annotate(total=Count("id"))
        .order_by("area__name")
    )
    return Figures(
        people_by_kind=[(kinds[row["kind"]], row["total"]) for row in by_kind],
        families_by_area=[(row["area__name"] or "Area not recorded", row["total"]) for row in by_area],
        counted_at=timezone.now(),
    )
