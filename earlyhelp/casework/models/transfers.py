"""Transfers between early help and children's social care (FF §7, §14): the step-up of a family
whose needs are increasing. (Step-down through the weekly transfer panel: `StepDown`.)"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.casework.models.episodes import Episode
from earlyhelp.core.workflow import Transitions


class StepUp(VersionedModel):
    """The coach alerts a team leader that a family's difficulties are worsening (FF §14.1); the
    leader decides, after discussing the case with the front door's practice lead, whether to
    refer to children's social care; the family is told unless that would put a child at further
    risk (§14.2); the transfer date is agreed, a handover meeting held, and the releasing side
    closes (§14.3). Under the Family Help configuration the leader may instead make the episode a
    child in need's, which changes its legal basis and keeps it open."""

    class Status(models.TextChoices):
        RAISED = "raised", "Raised with a team leader"
        STAYING = "staying", "Decided: stay in early help"
        STEPPING_UP = "stepping_up", "Decided: refer to children's social care"
        CHILD_IN_NEED = "child_in_need", "Decided: a child in need, within Family Help"
        HANDED_OVER = "handed_over", "Handed over to children's social care"

    TRANSITIONS = Transitions(
        {
            Status.RAISED: (Status.STAYING, Status.STEPPING_UP, Status.CHILD_IN_NEED),
            Status.STEPPING_UP: (Status.HANDED_OVER,),
        }
    )
    OPEN = (Status.RAISED, Status.STEPPING_UP)

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="step_ups")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RAISED)
    concerns = models.TextField(help_text="What has got worse, and why the coach is worried")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    # The team leader's decision, after a case discussion with the front door's practice lead.
    discussed_with = models.CharField(max_length=200, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    family_told = models.BooleanField(null=True, blank=True)
    not_told_because = models.TextField(blank=True)
    # The referral to children's social care, and the transfer agreed.
    social_care_reference = models.CharField(max_length=100, blank=True)
    transfer_on = models.DateField(null=True, blank=True)
    receiving_worker = models.CharField(max_length=200, blank=True)
    handover_on = models.DateField(null=True, blank=True)
    handover_note = models.TextField(blank=True)

    class Meta:
        ordering = ["episode", "-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(status__in=("raised", "stepping_up")), name="one_step_up_in_hand"
            ),
            models.CheckConstraint(
                condition=~Q(status="stepping_up") | Q(transfer_on__isnull=False), name="step_up_has_transfer_date"
            ),
        ]

    def __str__(self) -> str:
        return f"Step-up of {self.episode}: {self.get_status_display()}"

    @property
    def is_in_hand(self) -> bool:
        return self.status in self.OPEN
