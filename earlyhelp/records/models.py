"""What a family's case file holds beyond the episode's own work (FF §17): the chronology's
entries added by hand, and the referrals made to other agencies with their outcomes. The rest of
the chronology, the genogram and the ecomap are drawn from the records the service already keeps
(`chronology.py`, `family_maps.py`), never typed twice.
"""

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.casework.models import Episode
from earlyhelp.core.workflow import Transitions
from earlyhelp.organisations.models import Agency
from earlyhelp.people.models import Family, Person


class ChronologyEntry(AuditedModel):
    """A significant event the record does not already show (a police call-out, a house move, a
    child's exclusion from school), added to the family's chronology with why it matters.

    An entry is not edited: a correction is a new entry that says what it corrects, so that the
    chronology others have read and printed stays as it was (docs/records.md)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="chronology_entries")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_entries"
    )
    happened_on = models.DateField()
    what = models.TextField(help_text="What happened")
    significance = models.TextField(help_text="Why it matters for the children: its impact on them")
    source = models.CharField(max_length=200, help_text="Who told us, or where it is recorded")
    # The children it is about; none means the whole family.
    children = models.ManyToManyField(Person, blank=True, related_name="chronology_entries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family", "happened_on", "pk"]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"{self.happened_on:%-d %B %Y}: {self.what[:60]}"


class AgencyReferral(VersionedModel):
    """A referral the coach (or lead practitioner) makes for the family to another agency or
    service during the episode (FF §17: "referrals to other agencies made on behalf of the
    family"), and what came of it.

    The family agrees to it, or the practitioner says why it was made without their agreement
    (a safeguarding concern): a referral shares the family's information (ADR 21)."""

    class Outcome(models.TextChoices):
        AWAITING = "awaiting", "Awaiting a reply"
        WAITING_LIST = "waiting_list", "On the agency's waiting list"
        ACCEPTED = "accepted", "Accepted: the agency is helping"
        DECLINED = "declined", "Declined by the agency"
        FAMILY_DECLINED = "family_declined", "The family chose not to take it up"
        NO_RESPONSE = "no_response", "No response from the agency"

    # Every allowed move of an outcome (ADR 11): a reply comes, or a waiting list ends; "no
    # response" can still be answered late. Accepted and both refusals are final.
    TRANSITIONS = Transitions(
        {
            Outcome.AWAITING: (
                Outcome.WAITING_LIST,
                Outcome.ACCEPTED,
                Outcome.DECLINED,
                Outcome.FAMILY_DECLINED,
                Outcome.NO_RESPONSE,
            ),
            Outcome.WAITING_LIST: (Outcome.ACCEPTED, Outcome.DECLINED, Outcome.FAMILY_DECLINED),
            Outcome.NO_RESPONSE: (Outcome.WAITING_LIST, Outcome.ACCEPTED, Outcome.DECLINED),
        }
    )

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="agency_referrals")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="agency_referrals")
    # A partner agency the authority knows, or the name of one it does not.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_name = models.CharField(max_length=200)
    service = models.CharField(max_length=200, help_text="What the family was referred for")
    reason = models.TextField()
    children = models.ManyToManyField(Person, blank=True, related_name="agency_referrals")
    made_on = models.DateField()
    family_agreed = models.BooleanField()
    without_agreement_because = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.AWAITING)
    outcome_details = models.TextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["episode", "made_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(family_agreed=True) | ~models.Q(without_agreement_because=""),
                name="referral_without_agreement_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.agency_name}"

    @property
    def is_settled(self) -> bool:
        return self.TRANSITIONS.is_final(self.outcome)


def documents_storage() -> Storage:
    """Where documents are kept: the "documents" storage (settings STORAGES): a folder outside
    the web root by default, object storage by setting (DOCUMENTS_STORAGE; docs/records.md)."""
    return storages["documents"]


def document_path(instance: "Document", filename: str) -> str:
    """A name that says nothing about the family or the file: who and what are in the database."""
    return f"documents/{instance.family_id}/{uuid.uuid4().hex}"


class Document(AuditedModel):
    """Direct work, correspondence or another document kept on the family's record (FF §17),
    uploaded during an episode. Downloaded only after the access check, every download audited;
    never shown inline (`records/documents.py`)."""

    class Kind(models.TextChoices):
        DIRECT_WORK = "direct_work", "Direct work with a child or the family"
        CORRESPONDENCE = "correspondence", "Correspondence"
        OTHER = "other", "Another document"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="documents")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    children = models.ManyToManyField(Person, blank=True, related_name="documents")
    file = models.FileField(storage=documents_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
