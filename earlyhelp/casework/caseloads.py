"""Coaches' caseloads against their capacity: 15 families per full-time coach, pro rata by FTE,
each family counted at the weight its team leader set (FF §5.4)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, FilteredRelation, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from earlyhelp.casework.models import Episode
from earlyhelp.core.compiled import Compiled
from earlyhelp.organisations.models import RoleAssignment, Team, User
from earlyhelp.organisations.roles import ROLE_PERMISSIONS, Permission


def roles_granting(permission: Permission) -> list[str]:
    return [str(role) for role, granted in ROLE_PERMISSIONS.items() if permission in granted]


def users_granted(permission: Permission) -> QuerySet[User]:
    """Active users with a role that grants `permission` (an EXISTS, so that counting their
    episodes never counts one twice)."""
    granting = RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=roles_granting(permission))
    return User.objects.filter(Exists(granting), is_active=True)


def coaches_of(team: Team) -> QuerySet[User]:
    """The team's active members who hold a caseload."""
    return users_granted(Permission.HOLD_CASELOAD).filter(team=team)


def team_leaders_of(team_id: int) -> QuerySet[User]:
    return users_granted(Permission.ALLOCATE_EPISODES).filter(team_id=team_id)


@dataclass(frozen=True)
class Caseload:
    coach: User
    families: int
    weighted: Decimal
    capacity: Decimal

    @property
    def room(self) -> Decimal:
        return self.capacity - self.weighted

    def has_room_for(self, weight: Decimal) -> bool:
        return self.weighted + weight <= self.capacity

    @property
    def is_over(self) -> bool:
        return self.weighted > self.capacity

    @property
    def percentage(self) -> int:
        """Of capacity, for the bar on the team page (a coach with no hours is full)."""
        if self.capacity <= 0:
            return 100
        return int(self.weighted * 100 / self.capacity)


def capacity_of(coach: User, per_full_time_coach: int) -> Decimal:
    return (Decimal(per_full_time_coach) * coach.fte).quantize(Decimal("0.1"))


def caseloads(coaches: QuerySet[User], *, per_full_time_coach: int) -> list[Caseload]:
    """Each coach's open families and their weighted total, in one query."""
    return _caseloads_of(list(_with_caseloads(coaches)), per_full_time_coach)


def _with_caseloads(coaches: QuerySet[User]) -> QuerySet[User]:
    """The coaches with their open families counted and weighed. The condition is part of the
    join (a FilteredRelation), so that only open episodes are read, by their index, and not every
    family a coach has ever closed."""
    return coaches.annotate(
        open_coached=FilteredRelation("episodes_coached", condition=Q(episodes_coached__status=Episode.Status.OPEN)),
        families=Count("open_coached"),
        weighted=Coalesce(
            Sum("open_coached__weight"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=6, decimal_places=1),
        ),
    ).order_by("full_name", "pk")


def _caseloads_of(rows: list[User], per_full_time_coach: int) -> list[Caseload]:
    return [
        Caseload(
            coach=row,
            families=row.families,  # type: ignore[attr-defined]
            weighted=Decimal(row.weighted),  # type: ignore[attr-defined]
            capacity=capacity_of(row, per_full_time_coach),
        )
        for row in rows
    ]


# What the team page shows of each coach beside their caseload.
CASELOAD_FIELDS = ("id", "full_name", "fte")

# The team page's caseloads, built once (core/compiled.py).
_TEAM_CASELOADS: "Compiled[User]" = Compiled(
    lambda team: _with_caseloads(users_granted(Permission.HOLD_CASELOAD).filter(team_id=team).only(*CASELOAD_FIELDS))
)


def team_caseloads(team: Team, *, per_full_time_coach: int) -> list[Caseload]:
    """Each of the team's coaches with their caseload, as the team page shows them."""
    return _caseloads_of(_TEAM_CASELOADS.list(team=team.pk), per_full_time_coach)


def caseload_of(coach: User, *, per_full_time_coach: int) -> Caseload:
    return caseloads(User.objects.filter(pk=coach.pk), per_full_time_coach=per_full_time_coach)[0]


def team_has_room(team: Team, weight: Decimal, *, per_full_time_coach: int) -> bool:
    return any(
        load.has_room_for(weight) for load in caseloads(coaches_of(team), per_full_time_coach=per_full_time_coach)
    )
