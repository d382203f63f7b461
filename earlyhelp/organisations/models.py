"""Who does the work: the authority, its areas and teams, partner agencies, and their staff.

authority → areas → teams; agencies (schools, health visiting, police…) belong to an authority's
partnership and their staff are users too. A user holds one or more roles; what a role may do is
in `roles.py`, not here.
"""

from datetime import date, time
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.http import HttpRequest

from earlyhelp.organisations.roles import Permission, Role, permissions_for


# The environment's settings are only the defaults for a new authority (ADR 13): once created,
# each authority's own values are data, edited by its administrators and audited.
def default_service_name() -> str:
    return str(settings.SERVICE_NAME)


def default_front_door_phone() -> str:
    return str(settings.FRONT_DOOR_PHONE)


def default_childrens_social_care_phone() -> str:
    return str(settings.CHILDRENS_SOCIAL_CARE_PHONE)


def default_working_hours() -> str:
    return str(settings.FRONT_DOOR_WORKING_HOURS)


def default_working_days() -> str:
    return ",".join(settings.FRONT_DOOR_WORKING_DAYS)


def default_bank_holidays() -> str:
    return str(settings.FRONT_DOOR_BANK_HOLIDAYS)


def default_closed_days() -> str:
    return ",".join(settings.FRONT_DOOR_CLOSED_DAYS)


def default_decision_target() -> int:
    return int(settings.FRONT_DOOR_DECISION_TARGET_WORKING_HOURS)


def default_amber_point() -> int:
    return int(settings.FRONT_DOOR_AMBER_WHEN_WORKING_HOURS_LEFT)


def default_re_referral_days() -> int:
    return int(settings.FRONT_DOOR_RE_REFERRAL_DAYS)


def default_self_referral_limit() -> int:
    return int(settings.SELF_REFERRAL_LIMIT_PER_HOUR)


def default_require_written_consent() -> bool:
    return bool(settings.FRONT_DOOR_REQUIRE_WRITTEN_CONSENT)


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def validate_working_hours(value: str) -> None:
    opens, _, closes = value.partition("-")
    try:
        if time.fromisoformat(opens.strip()) >= time.fromisoformat(closes.strip()):
            raise ValidationError("The front door must open before it closes, for example 09:00-17:00")
    except ValueError:
        raise ValidationError("Enter the opening hours like 09:00-17:00") from None


def validate_working_days(value: str) -> None:
    days = [day.strip().lower()[:3] for day in value.split(",") if day.strip()]
    unknown = [day for day in days if day not in DAY_NAMES]
    if not days or unknown:
        raise ValidationError("Enter the days the front door works, separated by commas, like mon,tue,wed,thu,fri")


def validate_closed_days(value: str) -> None:
    for day in value.replace("\n", ",").split(","):
        if day.strip():
            try:
                date.fromisoformat(day.strip())
            except ValueError:
                raise ValidationError(f"“{day.strip()}” is not a date like 2026-12-24") from None


class AuthorityManager(models.Manager["Authority"]):
    def current(self) -> "Authority | None":
        """The authority this deployment serves (ADR 13: one deployment, one authority), for the
        public pages, which have no signed-in user to say whose they are."""
        return self.order_by("pk").first()


class Authority(models.Model):
    """A local authority running an early help service (a council), and the ways its service
    differs from another's: its name and numbers, the front door's working time and targets, its
    limits and its caseloads (ADR 13)."""

    class BankHolidays(models.TextChoices):
        ENGLAND = "GB-ENG", "England"
        WALES = "GB-WLS", "Wales"
        SCOTLAND = "GB-SCT", "Scotland"
        NORTHERN_IRELAND = "GB-NIR", "Northern Ireland"

    name = models.CharField(max_length=200, unique=True)
    # The DfE local authority number (three digits, e.g. 928 for Northamptonshire); it is also
    # the first part of every UPN the authority's schools issue.
    code = models.CharField("local authority code", max_length=3, unique=True)

    service_name = models.CharField(
        max_length=100, default=default_service_name, help_text="On every page, e-mail and letter"
    )
    front_door_phone = models.CharField(max_length=50, default=default_front_door_phone)
    childrens_social_care_phone = models.CharField(
        "children's social care phone", max_length=50, default=default_childrens_social_care_phone
    )
    working_hours = models.CharField(
        max_length=20,
        default=default_working_hours,
        validators=[validate_working_hours],
        help_text="When the 24-hour clock runs, like 09:00-17:00",
    )
    working_days = models.CharField(
        max_length=60,
        default=default_working_days,
        validators=[validate_working_days],
        help_text="The days it runs, like mon,tue,wed,thu,fri",
    )
    bank_holidays = models.CharField(
        max_length=10, choices=BankHolidays.choices, default=default_bank_holidays, help_text="Whose bank holidays"
    )
    closed_days = models.TextField(
        blank=True,
        default=default_closed_days,
        validators=[validate_closed_days],
        help_text="Other days the service is closed, like 2026-12-24,2026-12-31",
    )
    decision_target_working_hours = models.PositiveSmallIntegerField(
        "decision target (working hours)",
        default=default_decision_target,
        validators=[MinValueValidator(1)],
        help_text="The front door's decision target in working hours: 8 is one working day",
    )
    amber_when_working_hours_left = models.PositiveSmallIntegerField(
        "amber with this many working hours left",
        default=default_amber_point,
        help_text="A contact turns amber with this many working hours left",
    )
    re_referral_days = models.PositiveIntegerField(
        "re-referral window (days)",
        default=default_re_referral_days,
        help_text="How far back a family counts as known (a re-referral)",
    )
    self_referral_limit_per_hour = models.PositiveSmallIntegerField(
        "self-referral limit per hour",
        default=default_self_referral_limit,
        validators=[MinValueValidator(1)],
        help_text="Self-referrals accepted from one address in an hour",
    )
    require_written_consent = models.BooleanField(
        default=default_require_written_consent,
        help_text="Refuse allocation on verbal consent (otherwise: a reason, and written consent at the first visit)",
    )
    caseload_per_full_time_coach = models.PositiveSmallIntegerField(
        "caseload per full-time family coach",
        default=15,
        validators=[MinValueValidator(1)],
        help_text="Families a full-time family coach can hold",
    )
    # Administrators edit these in the admin site: a save from a stale page is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AuthorityManager()

    class Meta:
        verbose_name_plural = "authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def working_day_names(self) -> tuple[str, ...]:
        return tuple(day.strip() for day in self.working_days.split(",") if day.strip())

    @property
    def closed_day_list(self) -> tuple[str, ...]:
        return tuple(day.strip() for day in self.closed_days.replace("\n", ",").split(",") if day.strip())


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
    # Someone of the agency's own who sees every referral its staff made and every family its
    # staff lead, and the people on them (issue 13; the district council model in seed 002): to
    # read, not to change. Changing stays with whoever made the referral or leads the family.
    single_point_of_contact = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Someone who works for this agency. They see all of its referrals and the families its staff lead.",
    )

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="agency_name_unique_in_authority"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        contact = self.single_point_of_contact
        if contact is not None and (self.pk is None or contact.agency_id != self.pk):
            raise ValidationError({"single_point_of_contact": "Choose someone who works for this agency"})


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
    def is_single_point_of_contact(self) -> bool:
        """Their agency's single point of contact (Agency.single_point_of_contact): they read all of
        its referrals and the families its staff lead. The agency comes with the signed-in user."""
        agency = self.agency if self.agency_id is not None else None
        return agency is not None and agency.single_point_of_contact_id == self.pk

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
