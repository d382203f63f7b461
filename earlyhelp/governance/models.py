"""Information governance: legal holds that stop a family's records being disposed of, and subject
access requests with what was gathered for each."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.governance.deadlines import months_after
from earlyhelp.people.models import Family, Person


class LegalHold(AuditedModel):
    """Keep a family's records past their retention date: a court case, an inquiry, a complaint.
    While one is in force, nothing of the family is disposed of."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_because = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"], condition=Q(lifted_at__isnull=True), name="one_legal_hold_in_force_per_family"
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.family.reference}"


class SubjectAccessRequest(VersionedModel):
    """Someone asked for everything held about a person (UK GDPR Art 15): answered within one
    month of receipt, or three where it is complex and the requester was told why (Art 12(3))."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received: gathering"
        IN_REVIEW = "in_review", "Gathered: third-party information to review"
        SENT = "sent", "Sent"
        WITHDRAWN = "withdrawn", "Withdrawn by the requester"

    class RequesterIs(models.TextChoices):
        THE_PERSON = "the_person", "The person themselves"
        PARENT = "parent", "A parent or carer with parental responsibility"
        REPRESENTATIVE = "representative", "Someone acting for them with their authority (a solicitor, an advocate)"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="subject_access_requests")
    requested_by = models.CharField(max_length=200)
    requester_is = models.CharField(max_length=20, choices=RequesterIs.choices)
    received_on = models.DateField()
    identity_checked = models.BooleanField(default=False)
    extended_because = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"Subject access request of {self.received_on} about {self.person.reference}"

    @property
    def due_on(self) -> date:
        return months_after(self.received_on, 3 if self.extended_because else 1)


class DisclosureItem(VersionedModel):
    """One thing held about the person, as gathered for a subject access request, and what is
    done with it: sent as it is, sent with parts blacked out, or kept back, with the reason."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet reviewed"
        DISCLOSE = "disclose", "Send as it is"
        REDACT = "redact", "Send with parts removed"
        WITHHOLD = "withhold", "Keep back"

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=100)
    source = models.CharField(max_length=100)
    happened_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField()
    # Information about, or given by, someone else: reviewed before anything is sent (Sch 2 para 16).
    third_party = models.BooleanField(default=False)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    redacted_text = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["happened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.source})"

    @property
    def sent_text(self) -> str:
        return self.redacted_text if self.decision == self.Decision.REDACT else self.text


class Rectification(VersionedModel):
    """Someone says a record is wrong (UK GDPR Art 16): what they said, and what was decided.
    A correction is made on the record itself, whose every change the audit trail keeps; a
    refusal keeps their statement on the record, shown beside it as disputed."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet decided"
        CORRECTED = "corrected", "Corrected"
        NOT_CORRECTED = "not_corrected", "Not corrected: kept as disputed"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rectifications")
    requested_by = models.CharField(max_length=200)
    received_on = models.DateField()
    what_is_wrong = models.TextField()
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Rectification asked on {self.received_on} about {self.person.reference}"

    @property
    def due_on(self) -> date:
        return months_after(self.received_on, 1)
