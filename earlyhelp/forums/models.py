"""Early Help Forums and neighbourhood action meetings (EHF terms of reference; T&P §4.2 and
Appendices 1 and 2; FF §6).

A forum belongs to an area and has members of five kinds. It meets on dates set a year ahead;
each meeting's cycle (members asked for cases, the deadline, the agenda, the meeting, the
decisions and the action notes) is a set of offsets from its date, so that monthly forums and
fortnightly neighbourhood action meetings fit the same code (`cycle.py`). Practitioners bring
families, and community issues, as requests for discussion; without the family's consent a case
is discussed anonymously and nothing that identifies the family is stored here (`requesting.py`).
"""

from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.core.workflow import Transitions
from earlyhelp.frontdoor.models import Contact
from earlyhelp.organisations.models import Agency, Area, Authority
from earlyhelp.people.models import Family
from earlyhelp.thresholds.models import FrameworkVersion

# Read out at the start of every meeting (EHF terms of reference, "Other members/Conflict of
# Interest"): the default for a new forum, which its coordinator can reword.
CONFLICT_OF_INTEREST_STATEMENT = (
    "Early Help Forum meetings are open to all practitioners and managers of statutory and voluntary "
    "services working in the locality. The forum will not promote or endorse the services of an individual "
    "provider, nor will it engage in commissioning or procurement discussions."
)

# What part two's members agree to (T&P Appendix 1, "There is a confidentiality statement…").
CONFIDENTIALITY_STATEMENT = (
    "Information shared in this meeting is not shared outside it unless there is a specific and lawful "
    "reason, such as child protection or a risk of offending."
)


class Forum(models.Model):
    """One Early Help Forum (Northamptonshire has ten, one an area, monthly) or one
    neighbourhood action meeting (Newham has four, fortnightly)."""

    class Kind(models.TextChoices):
        EARLY_HELP_FORUM = "early_help_forum", "Early Help Forum"
        NEIGHBOURHOOD_ACTION_MEETING = "neighbourhood_action_meeting", "Neighbourhood action meeting"

    class Pattern(models.TextChoices):
        MONTHLY = "monthly", "Monthly, on the same weekday of the same week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="forums")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="forums")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.EARLY_HELP_FORUM)
    pattern = models.CharField(max_length=20, choices=Pattern.choices, default=Pattern.MONTHLY)
    # Monthly: the `week_of_month`th `weekday` (5 means the last). Fortnightly: every other
    # `weekday` from `first_meeting_on`. Either way no meeting before `first_meeting_on`.
    weekday = models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday")
    week_of_month = models.PositiveSmallIntegerField(default=2, help_text="1 to 4, or 5 for the last")
    first_meeting_on = models.DateField()
    starts_at = models.TimeField(default=time(9, 30))
    ends_at = models.TimeField(default=time(12, 0))
    venue = models.CharField(max_length=300)
    mailbox = models.EmailField(blank=True, help_text="The forum's business support mailbox")
    # The cycle (EHF "The organisation of meetings" §4; FF §6 for fortnightly meetings), in days
    # before the meeting; after it, the decisions in working days and the action notes in days.
    ask_days_before = models.PositiveSmallIntegerField(default=28)
    deadline_days_before = models.PositiveSmallIntegerField(default=14)
    agenda_days_before = models.PositiveSmallIntegerField(default=7)
    decisions_within_working_days = models.PositiveSmallIntegerField(default=3)
    action_notes_within_days = models.PositiveSmallIntegerField(default=7)
    part_one_minutes = models.PositiveSmallIntegerField(default=30)
    case_slot_minutes = models.PositiveSmallIntegerField(default=20)
    conflict_of_interest_statement = models.TextField(default=CONFLICT_OF_INTEREST_STATEMENT)
    # The documents disagree: Northamptonshire's forums discuss a family anonymously without
    # consent (T&P §4.2, Appendix 1); Newham's neighbourhood action meetings take a family only
    # "with consent from the family" (FF §6.1). Each forum says which it follows.
    anonymous_cases = models.BooleanField(
        default=True, help_text="Cases without the family's consent are discussed anonymously (T&P §4.2)"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="forum_name_unique"),
            models.CheckConstraint(
                condition=Q(ask_days_before__gt=models.F("deadline_days_before"))
                & Q(deadline_days_before__gt=models.F("agenda_days_before"))
                & Q(agenda_days_before__gt=0),
                name="forum_cycle_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def days_between_meetings(self) -> int:
        return 14 if self.pattern == self.Pattern.FORTNIGHTLY else 28


class ForumMember(models.Model):
    """Who belongs to a forum, and as what. Core members are at every meeting and see every case
    discussion; extended members see part one, and a case only when invited to it (EHF,
    "Structure of the meeting")."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        CO_COORDINATOR = "co_coordinator", "Co-coordinator"
        BUSINESS_SUPPORT = "business_support", "Business support officer"
        CORE = "core", "Core member"
        EXTENDED = "extended", "Extended member"

    # Those who run the forum: they set the agenda, decide on requests and record the meeting.
    RUNS_THE_FORUM = (Kind.COORDINATOR, Kind.CO_COORDINATOR, Kind.BUSINESS_SUPPORT)
    # Those in every case discussion (part two) without an invitation.
    IN_EVERY_CASE = (Kind.COORDINATOR, Kind.CO_COORDINATOR, Kind.BUSINESS_SUPPORT, Kind.CORE)

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_memberships")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    represents = models.CharField(
        max_length=200, blank=True, help_text="The role the member holds for the forum, e.g. “Schools”"
    )
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["forum", "kind", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "user"], condition=Q(left_on__isnull=True), name="forum_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()}, {self.forum})"

    @property
    def runs_the_forum(self) -> bool:
        return self.kind in self.RUNS_THE_FORUM


class ForumMeeting(VersionedModel):
    """One meeting, with the dates of its cycle and when each step was done."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    TRANSITIONS = Transitions({Status.SCHEDULED: (Status.HELD, Status.CANCELLED)})

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    # The date the forum's pattern set; `held_on` differs once the meeting is moved, and the
    # calendar never adds the planned date again.
    planned_on = models.DateField()
    held_on = models.DateField()
    starts_at = models.TimeField()
    venue = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # The cycle's steps as they happen (cycle.py): set once, by the task or the coordinator.
    members_asked_at = models.DateTimeField(null=True, blank=True)
    deadline_reminded_at = models.DateTimeField(null=True, blank=True)
    agenda_confirmed_at = models.DateTimeField(null=True, blank=True)
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    decisions_recorded_at = models.DateTimeField(null=True, blank=True)
    decisions_reminded_at = models.DateTimeField(null=True, blank=True)
    action_notes_sent_at = models.DateTimeField(null=True, blank=True)
    # The whole forum's reflection on what it learned (T&P §4.2; EHF "action learning set").
    learning = models.TextField(blank=True)
    cancelled_because = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "held_on"], name="forum_meeting_once_a_day"),
            models.UniqueConstraint(fields=["forum", "planned_on"], name="forum_meeting_planned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.forum}, {self.held_on:%-d %B %Y}"

    @property
    def asks_on(self) -> date:
        return self.held_on - timedelta(days=self.forum.ask_days_before)

    @property
    def deadline_on(self) -> date:
        return self.held_on - timedelta(days=self.forum.deadline_days_before)

    @property
    def agenda_on(self) -> date:
        return self.held_on - timedelta(days=self.forum.agenda_days_before)

    @property
    def action_notes_due_on(self) -> date:
        return self.held_on + timedelta(days=self.forum.action_notes_within_days)


class RequestForDiscussion(VersionedModel):
    """A case or a community issue brought to a forum (T&P Appendix 1).

    With the family's consent a case is discussed by name; without it, anonymously, and then no
    field that identifies the family is stored (the constraint below): the forum's record of an
    anonymous case could never name them."""

    class Kind(models.TextChoices):
        CASE = "case", "A child, young person or family"
        COMMUNITY_ISSUE = "community_issue", "A community issue"

    class About(models.TextChoices):
        CHILD = "child", "A child"
        YOUNG_PERSON = "young_person", "A young person"
        FAMILY = "family", "A family"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for the coordinator"
        ACCEPTED = "accepted", "On a meeting's agenda"
        HELD = "held", "Held for the next meeting"
        REDIRECTED = "redirected", "Redirected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DISCUSSED = "discussed", "Discussed: actions followed up"
        ESCALATED = "escalated", "Escalated to the service managers"
        REFERRED = "referred", "Referred to the front door"
        OUTCOMES_MET = "outcomes_met", "Outcomes met"
        CLOSED = "closed", "Closed"

    # Every allowed move (ADR 11). A discussed case stays on later agendas for follow-up until
    # its outcomes are met, it is escalated, referred to the front door or closed.
    TRANSITIONS = Transitions(
        {
            Status.SUBMITTED: (Status.ACCEPTED, Status.HELD, Status.REDIRECTED, Status.WITHDRAWN),
            Status.HELD: (Status.ACCEPTED, Status.REDIRECTED, Status.WITHDRAWN),
            Status.ACCEPTED: (Status.DISCUSSED, Status.HELD, Status.WITHDRAWN),
            Status.DISCUSSED: (Status.ESCALATED, Status.REFERRED, Status.OUTCOMES_MET, Status.CLOSED),
            Status.ESCALATED: (Status.REFERRED, Status.OUTCOMES_MET, Status.CLOSED),
        }
    )
    WAITING = (Status.SUBMITTED, Status.HELD)
    FOLLOWED_UP = (Status.DISCUSSED, Status.ESCALATED)

    # The fields that identify a family: empty unless the family consented (the constraint).
    IDENTIFYING_FIELDS = ("child_name", "address", "date_of_birth", "school", "family")

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CASE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    # Section 1: the person making the request.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="forum_requests"
    )
    requester_name = models.CharField(max_length=200)
    requester_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requester_agency_name = models.CharField(max_length=200)
    requester_email = models.EmailField()
    requester_phone = models.CharField(max_length=50, blank=True)

    # Section 1: the child, young person or family. Identifying only with consent.
    about = models.CharField(max_length=20, choices=About.choices, blank=True)
    consent_given = models.BooleanField(default=False)
    child_name = models.CharField("name of the child, young person or family", max_length=200, blank=True)
    address = models.TextField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    school = models.CharField("school or early years setting", max_length=200, blank=True)
    age_or_school_year = models.CharField(max_length=50, blank=True)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="forum_requests")

    # Section 2: the reason for the request.
    presenting_issues = models.JSONField(default=list, blank=True)
    summary = models.TextField(help_text="A brief overview, highlighting the main issues")
    barrier = models.TextField(help_text="The barrier to address, or the resolution needed to move on")
    level_of_need = models.PositiveSmallIntegerField(null=True, blank=True)
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicators = models.JSONField(default=list, blank=True)

    # Section 3: what has been done so far.
    what_has_been_done = models.TextField(blank=True)
    caf_completed = models.BooleanField(null=True, blank=True)
    caf_number = models.CharField("CAF number", max_length=50, blank=True)
    who_to_invite = models.TextField(blank=True)
    invited = models.ManyToManyField(ForumMember, blank=True, related_name="invited_to")

    # Consent to share with the forum (Appendix 1), in the words the family was given.
    consent_given_by = models.CharField(max_length=200, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_how = models.CharField(max_length=200, blank=True)
    # Agencies the family asked not to be told: their members see the case anonymised.
    not_shared_with = models.ManyToManyField(Agency, blank=True, related_name="+")

    # Where it came from, and where it went.
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False, help_text="Arrived after the next meeting's deadline")
    meeting = models.ForeignKey(
        ForumMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_requests"
    )
    slot_order = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    referral = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ending = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["forum", "status"], name="forum_request_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given=True)
                | (
                    Q(child_name="")
                    & Q(address="")
                    & Q(date_of_birth__isnull=True)
                    & Q(school="")
                    & Q(family__isnull=True)
                    & Q(consent_given_by="")
                ),
                name="forum_request_anonymous_holds_no_identifying_field",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The forum's case number (Appendix 1, "Case No. allocated")."""
        return f"FD{self.pk:06d}" if self.pk else ""

    @property
    def is_anonymous(self) -> bool:
        return self.kind == self.Kind.CASE and not self.consent_given

    @property
    def title(self) -> str:
        """How the case is named to someone who may see it by name; see `access.case_title`
        for everyone else."""
        if self.kind == self.Kind.COMMUNITY_ISSUE:
            return f"Community issue {self.reference}"
        if self.consent_given:
            return f"{self.child_name} ({self.reference})"
        return f"Anonymous case {self.reference}"


class Attendance(AuditedModel):
    """Who came, by person and agency (EHF: members' attendance is reported by agency)."""

    class Part(models.TextChoices):
        BOTH = "both", "Both parts"
        PART_ONE = "part_one", "Part one only"
        APOLOGIES = "apologies", "Sent apologies"

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(ForumMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200)
    agency_name = models.CharField(max_length=200)
    part = models.CharField(max_length=20, choices=Part.choices)

    class Meta:
        ordering = ["meeting", "agency_name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_name})"


class Discussion(AuditedModel):
    """What the forum said and decided about a case or issue at one meeting; a case discussed at
    later meetings for follow-up has one for each."""

    request = models.ForeignKey(RequestForDiscussion, on_delete=models.PROTECT, related_name="discussions")
    meeting = models.ForeignKey(ForumMeeting, on_delete=models.PROTECT, related_name="discussions")
    notes = models.TextField(help_text="The discussion")
    decisions = models.TextField(help_text="What the forum decided")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting__held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "meeting"], name="forum_discussion_once_a_meeting")]


class ForumAction(VersionedModel):
    """An action agreed at a meeting: what, who, by when; reviewed at later meetings until done
    (T&P §4.2: forums "check if actions have been carried out")."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done: dropped"

    TRANSITIONS = Transitions({Status.OPEN: (Status.DONE, Status.NOT_DONE)})

    request = models.ForeignKey(RequestForDiscussion, on_delete=models.PROTECT, related_name="actions")
    agreed_at = models.ForeignKey(ForumMeeting, on_delete=models.PROTECT, related_name="actions_agreed")
    what = models.TextField()
    owner_name = models.CharField(max_length=200)
    owner_agency_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    reviewed_at = models.ForeignKey(
        ForumMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions_reviewed"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def done_on_time(self) -> bool:
        return self.status == self.Status.DONE and self.done_on is not None and self.done_on <= self.due_on


class MarketPlaceEvent(models.Model):
    """Each area's annual event for forum partners (EHF purpose 10)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="market_place_events")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="market_place_events")
    held_on = models.DateField()
    venue = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="market_place_events")
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"Market Place, {self.area}, {self.held_on:%-d %B %Y}"
