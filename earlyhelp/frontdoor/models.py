"""Contacts: every request for early help that reaches the front door, and what was decided.

A contact arrives one of three ways (a professional's online referral, a family's
self-referral, or a partner system through the API) and is the same record whichever way it
came. It holds the people as the referrer typed them (`ContactPerson`); the front door then
matches each one to a person record, or creates one. Within 24 hours (one working day) a front
door practitioner records the level of need and a `TriageDecision`: signpost, schedule for a
meeting, allocate to a family support team, or redirect to children's social care (FF §3.1, §5.6).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.core.numbers import is_ascii_digits
from earlyhelp.core.workflow import Transitions
from earlyhelp.directory.models import Need, Service
from earlyhelp.organisations.models import Agency, Area, Authority, Team
from earlyhelp.people.models import Family, Gender, Person
from earlyhelp.thresholds.models import FrameworkVersion, LevelOfNeedDecision


class Consent(models.TextChoices):
    GIVEN = "given", "Yes, the family has given consent"
    REFUSED = "refused", "No, the family has refused"
    NOT_ASKED = "not_asked", "Not yet asked"


class ConsentHow(models.TextChoices):
    WRITTEN = "written", "In writing"
    VERBAL = "verbal", "Verbally"
    ONLINE = "online", "By making this request themselves online"


# Written consent, as the practice framework asks of professionals (FF §5.5); a family's own
# online request counts as theirs in writing.
CONSENT_IN_WRITING = (ConsentHow.WRITTEN, ConsentHow.ONLINE)


class ConsentCovers(models.TextChoices):
    """What the family agreed to. An early help service needs the first (FF §5.5)."""

    EARLY_HELP_SERVICE = "early_help_service", "Receiving an early help service"
    SHARE_WITH_AGENCIES = "share_with_agencies", "Sharing information with other agencies"
    DISCUSS_AT_MEETING = "discuss_at_meeting", "Being discussed, by name, at a multi-agency meeting"


class PartnerSystem(models.Model):
    """A partner agency's system allowed to send referrals through the API, with its own key.

    Only a digest of the key is stored; the key is shown once, when it is made
    (`manage.py frontdoor partner-add`).
    """

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="partner_systems")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="partner_systems")
    name = models.CharField(max_length=200)
    key_prefix = models.CharField(max_length=12, help_text="The first characters of the key, to tell keys apart")
    key_digest = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="partner_system_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Contact(VersionedModel):
    class Source(models.TextChoices):
        PROFESSIONAL = "professional", "Professional, online"
        FAMILY = "family", "Family, self-referral"
        PARTNER_SYSTEM = "partner_system", "Partner system"
        # A case an Early Help Forum referred on, with its forum history (forums/referring.py).
        FORUM = "forum", "Early Help Forum"

    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting_decision", "Awaiting a decision"
        AWAITING_CONFIRMATION = "awaiting_confirmation", "Awaiting a team leader's confirmation"
        SIGNPOSTED = "signposted", "Signposted to a service"
        AWAITING_MEETING = "awaiting_meeting", "Awaiting a meeting"
        ALLOCATED = "allocated", "Sent to a family support team"
        REDIRECTED = "redirected", "Redirected to children's social care"

    OPEN_STATUSES = (Status.AWAITING_DECISION, Status.AWAITING_CONFIRMATION)

    # Every allowed move of a contact's status, and only these (ADR 11). A decision moves it on
    # from "awaiting a decision"; one made against advice to refer to social care waits for a
    # team leader, who confirms it (its outcome) or returns it for a new decision. The outcomes
    # are final: what happens next belongs to casework, meetings or children's social care.
    TRANSITIONS = Transitions(
        {
            Status.AWAITING_DECISION: (
                Status.AWAITING_CONFIRMATION,
                Status.SIGNPOSTED,
                Status.AWAITING_MEETING,
                Status.ALLOCATED,
                Status.REDIRECTED,
            ),
            Status.AWAITING_CONFIRMATION: (
                Status.AWAITING_DECISION,
                Status.SIGNPOSTED,
                Status.AWAITING_MEETING,
                Status.ALLOCATED,
            ),
        }
    )

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="contacts")
    source = models.CharField(max_length=20, choices=Source.choices)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_DECISION)

    # Who is asking for help. A signed-in professional is linked; a partner system names its
    # practitioner; a family member describes themselves.
    referrer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_made"
    )
    partner_system = models.ForeignKey(
        PartnerSystem, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(
        max_length=200, blank=True, help_text="Job title, or how a family member is related to the children"
    )
    referrer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=50, blank=True)

    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")

    # Why: the needs (eligibility factors) and the referrer's own words.
    needs = models.ManyToManyField(Need, related_name="contacts")
    reason = models.TextField()
    what_has_been_tried = models.TextField(blank=True)
    other_agencies = models.TextField(blank=True)

    # The referrer's check of the level of need, kept as they made it.
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicators = models.JSONField(default=list, blank=True)
    referrer_recommended_level = models.PositiveSmallIntegerField(null=True, blank=True)

    immediate_danger = models.BooleanField(default=False)

    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.NOT_ASKED)
    consent_given_by = models.CharField(max_length=200, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_how = models.CharField(max_length=20, choices=ConsentHow.choices, blank=True)
    consent_covers = models.JSONField(default=list, blank=True)

    # The level of need the front door recorded, through the thresholds tool.
    level_of_need = models.ForeignKey(
        LevelOfNeedDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    re_referral = models.BooleanField(default=False, help_text="Known to early help in the 12 months before")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(fields=["authority", "status", "received_at"], name="contact_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent="given") | (~Q(consent_given_by="") & Q(consent_given_on__isnull=False)),
                name="contact_consent_given_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(source="partner_system") | Q(partner_system__isnull=False),
                name="contact_from_partner_system_names_it",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return contact_reference(self.pk)

    def status_change(self, to: "Contact.Status") -> str:
        """Move to `to` if `TRANSITIONS` allows it, noting when a final outcome was reached.
        Changes the database only; the caller holds the row lock and writes the audit row.
        Returns the status before."""
        before = self.status
        self.TRANSITIONS.check(before, to, what=f"Contact {self.reference}")
        self.status = to
        fields = ["status"]
        if self.TRANSITIONS.is_final(to):
            self.decided_at = timezone.now()
            fields.append("decided_at")
        self.save(update_fields=fields)
        return before

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def consent_covers_labels(self) -> list[str]:
        return [ConsentCovers(value).label for value in self.consent_covers if value in ConsentCovers.values]

    @property
    def consents_to_early_help(self) -> bool:
        return self.consent == Consent.GIVEN and ConsentCovers.EARLY_HELP_SERVICE in self.consent_covers

    @property
    def consents_to_named_discussion(self) -> bool:
        """Without this, a meeting discusses the family anonymously (EHF; T&P Appendix 1)."""
        return self.consent == Consent.GIVEN and ConsentCovers.DISCUSS_AT_MEETING in self.consent_covers

    @property
    def consent_in_writing(self) -> bool:
        return self.consent == Consent.GIVEN and self.consent_how in CONSENT_IN_WRITING


REFERENCE_PREFIX = "EH"


def contact_reference(pk: int | None) -> str:
    return f"{REFERENCE_PREFIX}{pk:07d}" if pk else ""


def contact_pk_from_reference(reference: str) -> int | None:
    text = reference.strip().upper()
    digits = text[len(REFERENCE_PREFIX) :]
    if not text.startswith(REFERENCE_PREFIX) or not is_ascii_digits(digits) or len(digits) > 12:
        return None
    return int(text[len(REFERENCE_PREFIX) :])


class ContactPerson(VersionedModel):
    """A child or adult as the referrer described them, and the person record they turned out to be."""

    class Role(models.TextChoices):
        CHILD = "child", "Child or young person"
        UNBORN = "unborn", "Unborn baby"
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer or guardian"
        OTHER_ADULT = "other_adult", "Other adult in the household"

    CHILD_ROLES = (Role.CHILD, Role.UNBORN)

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=20, choices=Role.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    school = models.CharField("school or setting", max_length=200, blank=True)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="contact_entries")
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contact", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_child(self) -> bool:
        return self.role in self.CHILD_ROLES

    def age_on(self, when: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


class ConsentRecord(AuditedModel):
    """One statement of the family's consent on a contact: as referred, then as recorded or
    corrected at the front door. The newest is the contact's consent; the rest are its history."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="consent_records")
    status = models.CharField(max_length=20, choices=Consent.choices)
    given_by = models.CharField(max_length=200, blank=True)
    given_on = models.DateField(null=True, blank=True)
    how = models.CharField(max_length=20, choices=ConsentHow.choices, blank=True)
    covers = models.JSONField(default=list, blank=True)
    # Why it changed: empty for the consent as referred and for a first recording.
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Consent on {self.contact}: {self.get_status_display()}"

    @property
    def covers_labels(self) -> list[str]:
        return [ConsentCovers(value).label for value in self.covers if value in ConsentCovers.values]


class TriageDecision(AuditedModel):
    """What the front door decided about a contact, and why.

    Any outcome but a redirect, made against the thresholds tool's advice to refer to social
    care, waits for a team leader's confirmation (FF §5.3, §5.6b); a team leader may instead
    return it for a new decision.
    """

    class Outcome(models.TextChoices):
        SIGNPOST = "signpost", "Signpost to a service in the community"
        SCHEDULE = "schedule", "Discuss at a neighbourhood action meeting or Early Help Forum"
        ALLOCATE = "allocate", "Allocate to a family support team"
        REDIRECT = "redirect", "Redirect to children's social care"

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField()
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="new_referrals")
    meeting_area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    # Whether the family is told by e-mail; the practitioner unticks it where telling them could
    # put a child at risk (FF §14.2, T&P §8). The referrer is always told.
    tell_family = models.BooleanField(default=True)
    # A meeting discusses the family by name only with their consent; otherwise anonymously.
    discuss_anonymously = models.BooleanField(default=False)
    # Allocation on verbal consent: why it is not in writing; the coach then obtains it in
    # writing at the first visit (FF §5.5, §12.1).
    consent_not_in_writing_because = models.TextField(blank=True)
    written_consent_at_first_visit = models.BooleanField(default=False)
    needs_confirmation = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_because = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="signpost") | Q(service__isnull=False), name="signpost_names_a_service"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="allocate") | Q(team__isnull=False), name="allocate_names_a_team"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="schedule") | Q(meeting_area__isnull=False), name="schedule_names_an_area"
            ),
            models.CheckConstraint(
                condition=~Q(needs_confirmation=True) | ~Q(override_reason=""), name="override_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.contact})"

    class State(models.TextChoices):
        """Where a decision stands; worked out from when it was confirmed or returned."""

        MADE = "made", "Made"
        AWAITING_CONFIRMATION = "awaiting_confirmation", "Awaiting a team leader's confirmation"
        CONFIRMED = "confirmed", "Confirmed by a team leader"
        RETURNED = "returned", "Returned for a new decision"

    # A decision against advice to refer to social care is confirmed or returned, once (ADR 11).
    TRANSITIONS = Transitions({State.AWAITING_CONFIRMATION: (State.CONFIRMED, State.RETURNED)})

    @property
    def state(self) -> "TriageDecision.State":
        if self.returned_at is not None:
            return self.State.RETURNED
        if self.confirmed_at is not None:
            return self.State.CONFIRMED
        return self.State.AWAITING_CONFIRMATION if self.needs_confirmation else self.State.MADE

    @property
    def is_awaiting_confirmation(self) -> bool:
        return self.state == self.State.AWAITING_CONFIRMATION

    @property
    def is_final(self) -> bool:
        return self.returned_at is None and (not self.needs_confirmation or self.confirmed_at is not None)


class IdempotentSubmission(models.Model):
    """A partner system's `Idempotency-Key`: a retried request returns the first one's referral."""

    partner_system = models.ForeignKey(PartnerSystem, on_delete=models.PROTECT, related_name="submissions")
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner_system", "key"], name="idempotency_key_once_per_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_system}: {self.key}"


class ReferralDraft(models.Model):
    """What a signed-in professional has typed so far, kept if their session expires.

    One per user; it is emptied and marked sent when the referral is sent, and deleted when the user
    discards it. It is the
    user's own unsent typing, readable only by them, so it is not part of any person's record.
    """

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_draft")
    data = models.JSONField(default=dict)
    # Set when the draft is sent: a second "Send" (a double click, a retry, another tab) gets this
    # referral instead of making another. Saving new answers starts a new draft.
    sent_contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Referral draft of {self.owner}"
