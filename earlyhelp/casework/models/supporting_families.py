"""Supporting Families: each family's progress against the ten headline outcomes coded at
allocation and assessment, recorded at the assessment, at each review and at closure, and the
outcomes checked again six months after closure (`casework/supporting_families.py`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.casework.models.episodes import CodedNeed, Episode, Meeting


class OutcomeProgress(AuditedModel):
    """Where a family stands on one headline outcome at one point of the work."""

    class Point(models.TextChoices):
        ASSESSMENT = "assessment", "At the assessment"
        REVIEW = "review", "At a review"
        CLOSURE = "closure", "At closure"

    class Status(models.TextChoices):
        NOT_YET = "not_yet", "Not improving yet"
        IMPROVING = "improving", "Improving"
        MET = "met", "Met"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="outcome_progress")
    outcome = models.ForeignKey(CodedNeed, on_delete=models.PROTECT, related_name="+")
    point = models.CharField(max_length=20, choices=Point.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "outcome", "meeting"],
                condition=Q(meeting__isnull=False),
                name="one_progress_per_outcome_per_review",
            ),
            models.UniqueConstraint(
                fields=["episode", "outcome", "point"],
                condition=Q(meeting__isnull=True),
                name="one_progress_per_outcome_per_point",
            ),
            models.CheckConstraint(
                condition=~Q(point="review") | Q(meeting__isnull=False), name="review_progress_names_its_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode.reference}: {self.outcome.name} {self.get_status_display()}"


class SustainedCheck(AuditedModel):
    """The check six months after closure: were the outcomes met sustained? What was looked at
    (school attendance, police and housing records…) is written down, as a claim's evidence."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="sustained_check")
    checked_on = models.DateField()
    sustained = models.JSONField(help_text="The outcomes sustained, by code")
    not_sustained = models.JSONField(help_text="The outcomes not sustained, by code")
    looked_at = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.episode.reference}: checked {self.checked_on}"
