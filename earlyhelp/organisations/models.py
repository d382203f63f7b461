"""Who does the work: the authority, its areas and teams, partner agencies, and their staff.

authority → areas → teams; agencies (schools, health visiting, police…) belong to an authority's
partnership and their staff are users too. A user holds one or more roles; what a role may do is
in `roles.py`, not here.
"""

from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.http import HttpRequest

from earlyhelp.organisations.roles import Permission, Role, permissions_for


class Authority(models.Model):
    """A local authority running an early help service (a council)."""

    name = models.CharField(max_length=200, unique=True)
    # The DfE local authority number (three digits, e.g. 928 for Northamptonshire); it is also
    # the first part of every UPN the authority's schools issue.
    code = models.CharField("local authority code", max_length=3, unique=True)

    class Meta:
        verbose_name_plural = "authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A locality of an authority: a forum area, a locality hub, a district."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="area_name_unique_in_authority"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door (early help desk)"
        FAMILY_SUPPORT = "family_support", "Family support team"
        FORUM = "forum", "Early Help Forum support"
        PERFORMANCE = "performance", "Performance and intelligence"
        SYSTEMS = "systems", "Systems and administration"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="team_name_unique_in_area"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A partner organisation: a school, a health visiting service, a police team…"""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        EARLY_YEARS = "early_years", "Early years setting"
        CHILDRENS_CENTRE = "childrens_centre", "Children's centre"
        HEALTH_VISITING = "health_visiting", "Health visiting"
        SCHOOL_NURSING = "school_nursing", "School nursing"
        GP = "gp", "GP practice"
        MIDWIFERY = "midwifery", "Midwifery"
        MENTAL_HEALTH = "mental_health", "Mental health service"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"
        LOCAL_AUTHORITY = "local_authority", "Local authority service"
        SOCIAL_CARE = "social_care", "Children's social care"
        OTHER = "other", "Other"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="agencies")
    # Schools and settings carry their DfE unique reference number where known.
    urn = models.CharField("unique reference number", max_length=8, blank=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="agency_name_unique_in_authority"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: the authority's staff and partner practitioners."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="users")
    # Partner practitioners belong to an agency; the authority's own staff belong to a team.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    # Full-time equivalent, for a family coach's caseload capacity (15 families per 1.0 FTE).
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("1.00"))],
    )
    is_active = models.BooleanField(default=True)
    # Access to Django's admin site; it gives no access to anybody's record by itself.
    is_staff = models.BooleanField("can use the admin site", default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
            models.CheckConstraint(condition=models.Q(fte__gte=0, fte__lte=1), name="user_fte_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]

    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(assignment.role) for assignment in self.role_assignments.all())

    @cached_property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(self.roles)

    def can(self, permission: Permission) -> bool:
        return self.is_active and permission in self.permissions

    @property
    def organisation_name(self) -> str:
        if self.agency_id:
            return str(self.agency)
        if self.team_id:
            return str(self.team)
        return str(self.authority)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assigned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a request. Every page but the public ones needs sign-in
    (`LoginRequiredMiddleware`), so a view that calls this always has one."""
    user = request.user
    assert isinstance(user, User)
    return user
