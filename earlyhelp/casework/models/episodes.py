"""Episodes of help and everything recorded in one: see the package's docstring."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.core.workflow import Transitions
from earlyhelp.frontdoor.models import Contact
from earlyhelp.organisations.models import Authority, Team, User
from earlyhelp.people.models import Family, Person


class ServiceModel(models.TextChoices):
    """How the authority organises help (ARCHITECTURE: Family Help).

    Families First is the practice framework's service (FF): targeted early help by family
    coaches, children in need with children's social care. Family Help is the Families First
    Partnership model councils moved to from 2025: one service for targeted early help and
    children in need (s17), led by a lead practitioner from any agency, with a social worker
    overseeing each child in need."""

    FAMILIES_FIRST = "families_first", "Families First (the practice framework's service)"
    FAMILY_HELP = "family_help", "Family Help (targeted early help and children in need in one service)"


class CaseworkSettings(models.Model):
    """An authority's casework timescales and service model: the documents' numbers are the
    defaults (DOMAIN.md), each one the authority's to change (ADR 13)."""

    authority = models.OneToOneField(Authority, on_delete=models.PROTECT, related_name="casework_settings")
    service_model = models.CharField(max_length=20, choices=ServiceModel.choices, default=ServiceModel.FAMILIES_FIRST)
    allocation_target_working_hours = models.PositiveSmallIntegerField(
        "allocation target (working hours)",
        default=8,
        validators=[MinValueValidator(1)],
        help_text="The documents' “within 24 hours” of the referral reaching the team (FF §8.1): 8 is one working day",
    )
    allocation_limit_working_hours = models.PositiveSmallIntegerField(
        "allocation limit (working hours)",
        default=24,
        validators=[MinValueValidator(1)],
        help_text="Every referral allocated within 72 hours: 24 working hours is three working days",
    )
    first_visit_working_days_from_allocation = models.PositiveSmallIntegerField(
        default=5, help_text="FF §12.1: the first visit within 5 working days of the allocation"
    )
    first_visit_days_from_referral = models.PositiveSmallIntegerField(
        default=5, help_text="FF §9.1 and the practice standards: no later than 5 days from referral"
    )
    assessment_days_from_referral = models.PositiveSmallIntegerField(
        default=20, help_text="FF §10.4 and the KPI: written up and authorised within 20 days of the referral"
    )
    assessment_days_from_allocation = models.PositiveSmallIntegerField(
        default=20, help_text="FF §12.2 and §13.1: 20 days after allocation"
    )
    assessment_days_from_first_visit = models.PositiveSmallIntegerField(
        default=15, help_text="FF §13.1: 15 days from the first successful visit"
    )
    first_meeting_days_from_assessment = models.PositiveSmallIntegerField(
        default=10, help_text="The first Team Around the Family meeting: 10 days after the assessment"
    )
    first_meeting_days_from_referral = models.PositiveSmallIntegerField(
        default=30, help_text="The first Team Around the Family meeting: 30 days after the referral"
    )
    manager_review_weeks_from_allocation = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1)],
        help_text=(
            "The case review with a manager the allocation note sets (FF §8.1). The documents give no number: "
            "4 weeks matches individual supervision (FF §19.2)"
        ),
    )
    visit_interval_weeks = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1)], help_text="FF §12.3: visits at least every 2 weeks"
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1)], help_text="FF §13.1: formal reviews at least every 6 weeks"
    )
    case_note_working_hours = models.PositiveSmallIntegerField(
        "case note target (working hours)",
        default=8,
        validators=[MinValueValidator(1)],
        help_text="FF §17.1: a case note within 24 hours of the visit; 8 is one working day",
    )
    intervention_months = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1)],
        help_text="FF §13.1, §15.1: an intervention should not exceed 6 months",
    )
    case_supervision_months = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="FF performance table: a supervision note on each family at least once a month",
    )
    individual_supervision_weeks = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1)],
        help_text="FF §19.2: each family coach supervised by a team leader no less than every 4 weeks",
    )
    not_improving_reviews = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="A child's wellbeing no better at this many reviews in a row flags the family as not improving",
    )
    not_improving_overdue_actions = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="This many plan actions overdue at once flags the family as not improving",
    )
    transfer_panel_weekday = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(4)],
        help_text="FF §7.1: the weekly transfer panel's day, 0 for Monday to 4 for Friday (Wednesday by default)",
    )
    group_supervision_weeks = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1)],
        help_text="FF §19.2: group supervision no less than every 8 weeks",
    )
    wellbeing_scale_lowest = models.PositiveSmallIntegerField(default=0)
    wellbeing_scale_highest = models.PositiveSmallIntegerField(default=10)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "casework settings"
        verbose_name_plural = "casework settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(wellbeing_scale_lowest__lt=models.F("wellbeing_scale_highest")),
                name="wellbeing_scale_runs_upwards",
            ),
            models.CheckConstraint(
                condition=Q(allocation_target_working_hours__lte=models.F("allocation_limit_working_hours")),
                name="allocation_target_within_its_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"Casework settings of {self.authority}"

    @property
    def is_family_help(self) -> bool:
        return self.service_model == ServiceModel.FAMILY_HELP


class NeedsList(models.Model):
    """A published list of the needs an episode is coded against (`needs/*.yaml`): changing it is
    a new version, and each coded need keeps the version it came from."""

    name = models.SlugField(max_length=60)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    in_use = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="needs_list_version_once"),
            models.UniqueConstraint(fields=["in_use"], condition=Q(in_use=True), name="one_needs_list_in_use"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class CodedNeed(models.Model):
    """One need on a list: a Families First eligibility factor (FF §5.2) or a Supporting Families
    headline outcome."""

    class Group(models.TextChoices):
        FAMILIES_FIRST = "families_first", "Families First eligibility factors"
        SUPPORTING_FAMILIES = "supporting_families", "Supporting Families headline outcomes"

    needs_list = models.ForeignKey(NeedsList, on_delete=models.PROTECT, related_name="needs")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=30, choices=Group.choices)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["needs_list", "order"]
        constraints = [
            models.UniqueConstraint(fields=["needs_list", "code"], name="coded_need_once_per_list"),
        ]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.TextChoices):
    TARGETED_EARLY_HELP = "targeted_early_help", "Targeted early help"
    CHILD_IN_NEED = "child_in_need", "Child in need (section 17, Children Act 1989)"


class Episode(VersionedModel):
    class Status(models.TextChoices):
        AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting a family coach"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Origin(models.TextChoices):
        FRONT_DOOR = "front_door", "Allocated by the front door"
        STEP_DOWN = "step_down", "Stepped down from children's social care"

    class EndReason(models.TextChoices):
        GOALS_MET = "goals_met", "The family reached its goals"
        UNIVERSAL_SERVICE = "universal_service", "Moved on to a lead practitioner in a universal service"
        SINGLE_AGENCY = "single_agency", "Moved on to single-agency support"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        DISENGAGED = "disengaged", "The family disengaged"
        CONSENT_WITHDRAWN = "consent_withdrawn", "The family withdrew consent"
        MOVED_AWAY = "moved_away", "The family moved out of the area"
        OTHER = "other", "Other"

    # The moves an episode can make (ADR 11): allocated to a coach, then closed; or closed before
    # allocation when the head of service so decides. Changing coach is a new allocation on an
    # open episode, not a move of its status.
    TRANSITIONS = Transitions(
        {
            Status.AWAITING_ALLOCATION: (Status.OPEN, Status.CLOSED),
            Status.OPEN: (Status.CLOSED,),
        }
    )

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="episodes")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_ALLOCATION)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.FRONT_DOOR)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes")
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices, default=LegalBasis.TARGETED_EARLY_HELP)

    # "From referral": the contact's receipt at the front door (a step-down: the transfer panel's
    # decision). "Reaching the team": the front door's final decision.
    referred_at = models.DateTimeField()
    reached_team_at = models.DateTimeField()
    opened_at = models.DateTimeField(default=timezone.now)

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes_coached"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # How much of a coach's caseload this family takes (1 is one family); the team leader sets
    # more for a complex family (FF §5.4: the guide alters with complexity).
    weight = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5.0"))],
    )
    allocation_note = models.TextField(blank=True)
    # The allocation note sets these (FF §8.1), starting from the authority's defaults.
    first_visit_due = models.DateField(null=True, blank=True)
    assessment_due = models.DateField(null=True, blank=True)
    first_meeting_due = models.DateField(null=True, blank=True)
    manager_review_due = models.DateField(null=True, blank=True)

    # Agreed with the family; from any agency. Empty until agreed: the coach leads meanwhile.
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes_led"
    )
    # Required while the episode's legal basis is child in need.
    overseeing_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes_overseen"
    )

    # The first successful visit (FF §12.1), and the family's consent obtained again at it: in
    # writing where possible, and why not when it was not (FF §12.1, practice standards).
    first_visit_at = models.DateTimeField(null=True, blank=True)
    # When a team leader authorised the assessment (FF §10.4): the assessment's clocks stop.
    assessment_authorised_at = models.DateTimeField(null=True, blank=True)
    # The initial planning meeting, where the plan was agreed; the latest TAF meeting (reviews
    # fall due 6 weeks after it); the latest successful visit (visits at least every 2 weeks
    # once there is a plan).
    first_meeting_at = models.DateTimeField(null=True, blank=True)
    last_meeting_at = models.DateTimeField(null=True, blank=True)
    last_visit_at = models.DateTimeField(null=True, blank=True)
    # The latest case supervision note's day (casework/supervising.py): the next is due a month on.
    last_case_supervision_on = models.DateField(null=True, blank=True)
    written_consent_on = models.DateField(null=True, blank=True)
    written_consent_given_by = models.CharField(max_length=200, blank=True)
    consent_not_in_writing_because = models.TextField(blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=EndReason.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_summary = models.TextField(blank=True)
    # Who the family moves on to (a lead practitioner in a universal service, a single agency).
    transition_to = models.CharField(max_length=300, blank=True)
    # Closing with plan actions still open: why (the team leader says so, FF §15.1).
    open_actions_because = models.TextField(blank=True)
    # Disengagement or withdrawn consent (FF §16.1): whether to refer to children's social care.
    social_care_referral = models.CharField(
        max_length=20,
        choices=[("refer", "Refer to children's social care"), ("not_refer", "Do not refer")],
        blank=True,
    )
    social_care_because = models.TextField(blank=True)

    # Worked out from the dates above and the episode's visits, oversight and plan actions
    # (`deadlines.py`) whenever one of them changes, so that a team page sorts, counts and pages
    # its families in SQL: the end of the soonest timescale not yet met, the last moment at which
    # none is overdue, and the last moment within the length of an intervention. Never edited.
    next_deadline = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_after = models.DateTimeField(null=True, blank=True, editable=False)
    past_intervention_length_after = models.DateTimeField(null=True, blank=True, editable=False)
    DERIVED_FIELDS = ("next_deadline", "overdue_after", "past_intervention_length_after")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["team", "status"], name="episode_team_status"),
            models.Index(fields=["coach", "status"], name="episode_coach_status"),
            models.Index(fields=["lead_practitioner", "status"], name="episode_lead_status"),
            # The team page: a team's open families, soonest due first, a page at a time (an
            # ascending index keeps NULLs last, as the page orders them), and counted from the
            # index alone.
            models.Index(
                fields=["team", "next_deadline", "opened_at", "id"],
                include=["overdue_after", "past_intervention_length_after"],
                condition=Q(status="open"),
                name="episode_open_soonest_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["family"], condition=~Q(status="closed"), name="one_open_episode_per_family"
            ),
            models.CheckConstraint(
                condition=Q(status="awaiting_allocation")
                | Q(coach__isnull=False, allocated_at__isnull=False)
                | Q(status="closed"),
                name="open_episode_has_a_coach",
            ),
            models.CheckConstraint(
                condition=~Q(legal_basis="child_in_need") | Q(overseeing_social_worker__isnull=False),
                name="child_in_need_has_an_overseeing_social_worker",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="closed_episode_says_when"
            ),
            models.CheckConstraint(
                condition=Q(first_visit_at__isnull=True)
                | Q(written_consent_on__isnull=False)
                | ~Q(consent_not_in_writing_because=""),
                name="first_visit_records_consent_in_writing_or_why_not",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.family}"

    @property
    def reference(self) -> str:
        return f"EP{self.pk:07d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def assessed_elsewhere(self) -> bool:
        """A step-down from children's social care starts from the social worker's proposed plan
        and is not assessed again (FF §10.1)."""
        return self.origin == self.Origin.STEP_DOWN

    @property
    def is_child_in_need(self) -> bool:
        return self.legal_basis == LegalBasis.CHILD_IN_NEED

    @property
    def leader(self) -> User | None:
        """Who leads the work with the family: the agreed lead practitioner, else the coach."""
        return self.lead_practitioner or self.coach

    def status_change(self, to: "Episode.Status") -> str:
        """Move to `to` if `TRANSITIONS` allows it; the caller holds the row lock and audits."""
        before = self.status
        self.TRANSITIONS.check(before, to, what=f"Episode {self.reference}")
        self.status = to
        self.save(update_fields=["status"])
        return before


class EpisodeChild(AuditedModel):
    """A child the episode is about, and their needs coded against the needs list in use."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episode_entries")
    needs = models.ManyToManyField(CodedNeed, blank=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "person__date_of_birth", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "person"], name="child_once_on_an_episode"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.episode.reference}"


class EpisodeReferral(AuditedModel):
    """A contact that reached this episode: the one that opened it, and any that came while it
    was open (one open episode per family: a new referral joins it)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="referrals")
    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="episode_referral")
    joined_at = models.DateTimeField(default=timezone.now)
    opened_it = models.BooleanField(default=False)

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contact} on {self.episode.reference}"


class WellbeingScore(AuditedModel):
    """A child's wellbeing on the authority's scale (0 to 10 by default), scored at allocation,
    assessment, each review and closure, so that outcomes are measured (T&P §6; FF KPI)."""

    class Point(models.TextChoices):
        ALLOCATION = "allocation", "At allocation"
        ASSESSMENT = "assessment", "At assessment"
        REVIEW = "review", "At a review"
        CLOSURE = "closure", "At closure"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="wellbeing_scores")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="wellbeing_scores")
    point = models.CharField(max_length=20, choices=Point.choices)
    meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="wellbeing")
    score = models.PositiveSmallIntegerField()
    scale_lowest = models.PositiveSmallIntegerField()
    scale_highest = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=models.F("scale_lowest"), score__lte=models.F("scale_highest")),
                name="wellbeing_score_on_its_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.score} of {self.scale_highest} ({self.get_point_display()})"


class Allocation(AuditedModel):
    """A team leader's allocation of the episode to a coach, with the allocation note (FF §8.1).
    A change of coach is a new allocation; the latest is the episode's."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="allocations")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    weight = models.DecimalField(max_digits=3, decimal_places=1)
    # Whether the coach had room for the family's weight when allocated; allocating beyond
    # capacity needs the head of service's decision (FF §5.4).
    within_capacity = models.BooleanField(default=True)
    capacity_decision = models.ForeignKey(
        "CapacityEscalation", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    first_visit_due = models.DateField()
    assessment_due = models.DateField()
    first_meeting_due = models.DateField()
    manager_review_due = models.DateField()

    class Meta:
        ordering = ["episode", "allocated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(within_capacity=True) | Q(capacity_decision__isnull=False),
                name="allocation_beyond_capacity_names_the_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode.reference} to {self.coach}"


class CapacityEscalation(AuditedModel):
    """Demand beyond the team's capacity, put to the head of service, who decides this family's
    case (FF §5.4: no waiting list)."""

    class Decision(models.TextChoices):
        ALLOCATE_BEYOND_CAPACITY = "beyond_capacity", "Allocate in this team beyond a coach's caseload"
        ANOTHER_TEAM = "another_team", "Allocate to another team with room"
        OTHER = "other", "Another arrangement (say what)"
        # Settled without the head of service: a coach had room after all.
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed: a coach had room"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="capacity_escalations")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    why = models.TextField()
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    other_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(decided_at__isnull=True), name="one_undecided_escalation_per_episode"
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | (~Q(decision="") & ~Q(decision_reason="")),
                name="capacity_decision_says_what_and_why",
            ),
            models.CheckConstraint(
                condition=~Q(decision="another_team") | Q(other_team__isnull=False),
                name="capacity_decision_names_the_other_team",
            ),
        ]

    def __str__(self) -> str:
        return f"Capacity: {self.episode.reference}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class LegalBasisChange(AuditedModel):
    """Each change of an episode's legal basis, with who, when and why; the first row is the
    basis it opened with."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="legal_basis_changes")
    before = models.CharField(max_length=30, choices=LegalBasis.choices, blank=True)
    after = models.CharField(max_length=30, choices=LegalBasis.choices)
    reason = models.TextField()
    overseeing_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.episode.reference}: {self.get_after_display()}"


class LeadPractitionerChange(AuditedModel):
    """A lead practitioner agreed with the family, and the handover from the one before."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="lead_changes")
    before = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    after = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_with_family = models.BooleanField()
    handover = models.TextField(help_text="How the work was handed over: the meeting, what was passed on")
    handed_over_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(agreed_with_family=True), name="lead_practitioner_agreed_with_family"),
        ]

    def __str__(self) -> str:
        return f"{self.episode.reference}: {self.after} leads"


class Oversight(AuditedModel):
    """A team leader's management oversight at one of the critical points (FF §19.1)."""

    class Point(models.TextChoices):
        ALLOCATION = "allocation", "Allocation"
        FIRST_VISIT = "first_visit", "After the introductory visit"
        ASSESSMENT = "assessment", "Completion of the assessment"
        FIRST_PLAN = "first_plan", "After the initial planning meeting and first plan"
        REVIEW = "review", "After a review meeting"
        TRANSFER = "transfer", "Transfer"
        CLOSURE = "closure", "Closure"
        CASE_REVIEW = "case_review", "Case review with a manager"
        PAST_SIX_MONTHS = "past_six_months", "Past 6 months: what happens next"
        OTHER = "other", "Other oversight"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="oversights")
    point = models.CharField(max_length=20, choices=Point.choices)
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.episode.reference}: {self.get_point_display()}"


class CaseNote(VersionedModel):
    """A visit to the family or another contact with them, and its case note, due within 24 hours
    of it (FF §17.1; counted in working hours, `CaseworkSettings.case_note_working_hours`).

    A visit can be recorded first and its note written later: until then the note is due, and a
    note written after its moment is shown as late. The episode's first successful visit is its
    first visit (FF §12.1), where consent is obtained again in writing where possible."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        VISIT_ELSEWHERE = "visit_elsewhere", "Visit somewhere else (school, a children's centre)"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"
        MEETING = "meeting", "Meeting with the family and others"
        OTHER = "other", "Other contact with the family"

    VISITS = (Kind.HOME_VISIT, Kind.VISIT_ELSEWHERE)

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_at = models.DateTimeField()
    # A visit where nobody was in, or the family would not see the coach, is not successful: the
    # first visit's clocks keep running (FF §13.1 "first (successful) visit").
    successful = models.BooleanField(default=True)
    who_was_seen = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    written_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    is_first_visit = models.BooleanField(default=False)

    class Meta:
        ordering = ["episode", "-happened_at", "-pk"]
        indexes = [models.Index(fields=["episode", "written_at"], name="case_note_episode_written")]
        constraints = [
            models.CheckConstraint(
                condition=Q(note="") | Q(written_at__isnull=False), name="written_case_note_says_when"
            ),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(is_first_visit=True), name="one_first_visit_per_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.episode.reference}"

    @property
    def is_visit(self) -> bool:
        return self.kind in self.VISITS

    @property
    def is_written(self) -> bool:
        return self.written_at is not None


class AssessmentTemplate(models.Model):
    """A published assessment layout (`assessments/*.yaml`): the early help assessment (CAF) and a
    strengths-based one. A changed layout is a new version; an assessment keeps the one it used."""

    name = models.SlugField(max_length=60)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="assessment_template_version_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sections(self) -> list[dict[str, str]]:
        return list(self.definition.get("sections", []))


class Assessment(VersionedModel):
    """The family's assessment: written by the coach, sent for sign-off, and authorised (or
    returned) by a team leader (FF §10.4). Due 20 days from referral, the KPI's clock."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being written"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for a team leader's sign-off"
        AUTHORISED = "authorised", "Authorised"

    # Sent for sign-off, then authorised or returned to be written further (ADR 11).
    TRANSITIONS = Transitions(
        {
            Status.DRAFT: (Status.AWAITING_SIGN_OFF,),
            Status.AWAITING_SIGN_OFF: (Status.AUTHORISED, Status.DRAFT),
        }
    )

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    # {section key: text}, a per-child section {person id: text}, the Munro section {question: text}.
    answers = models.JSONField(default=dict, blank=True)
    level_of_need = models.ForeignKey(
        "thresholds.LevelOfNeedDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    returned_because = models.TextField(blank=True)

    class Meta:
        ordering = ["episode", "-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=~Q(status="authorised"), name="one_unfinished_assessment_per_episode"
            ),
            models.CheckConstraint(
                condition=~Q(status="authorised") | Q(authorised_at__isnull=False, level_of_need__isnull=False),
                name="authorised_assessment_says_when_and_its_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} for {self.episode.reference}"

    def status_change(self, to: "Assessment.Status", *also: str) -> str:
        """Move to `to` if `TRANSITIONS` allows it, saving `also` (fields set for the move) with
        it; the caller holds the row lock and audits. Returns the status before."""
        before = self.status
        self.TRANSITIONS.check(before, to, what="The assessment")
        self.status = to
        self.save(update_fields=["status", *also])
        return before


class TeamMember(AuditedModel):
    """A member of the Team Around the Family (T&P §5, FF §11.1): the family's own members
    included, with their agency; a member who leaves stays on the record with when they left."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="team_members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, help_text="Their role, or how they are related to the children")
    agency = models.CharField(max_length=200, blank=True, help_text="Empty for a member of the family")
    is_family = models.BooleanField(default=False)
    email = models.EmailField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["episode", "-is_family", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency or 'family'})"


class Meeting(AuditedModel):
    """A Team Around the Family meeting: the initial planning meeting, where the plan is agreed,
    then formal reviews at least every 6 weeks (FF §11, §13.1), each with its attendance."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial planning meeting"
        REVIEW = "review", "Review meeting"
        ENDING = "ending", "Ending meeting"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_at = models.DateTimeField()
    minutes = models.TextField()
    attended = models.ManyToManyField(TeamMember, blank=True, related_name="meetings_attended")
    # At the ending meeting the family must be offered the chance to give feedback (FF §18.1).
    feedback_offered = models.BooleanField(default=False)
    family_feedback = models.TextField(blank=True)
    # The family and every member of the Team Around the Family get a copy of the assessment and
    # the plan (FF performance table: "Do children & families receive a copy…?").
    copies_given = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "held_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(kind="initial"), name="one_initial_planning_meeting_per_episode"
            ),
            models.CheckConstraint(
                condition=~Q(kind="ending") | Q(feedback_offered=True), name="ending_meeting_offers_feedback"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.episode.reference}"


class PlanAction(VersionedModel):
    """One action of the family's plan (FF §11.1): what, who, by when, the outcome sought and how
    progress is measured; its progress recorded as the plan is reviewed."""

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        DONE = "done", "Done"
        STOPPED = "stopped", "No longer needed"

    TRANSITIONS = Transitions({Status.OPEN: (Status.DONE, Status.STOPPED), Status.DONE: (Status.OPEN,)})

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="plan_actions")
    what = models.TextField()
    who = models.CharField(max_length=200)
    by_when = models.DateField()
    outcome_sought = models.TextField()
    measure = models.TextField(help_text="How everyone will know it is working")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "by_when", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False), name="done_plan_action_says_when"
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
