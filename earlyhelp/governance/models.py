"""Information governance: legal holds that stop a family's records being disposed of."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.people.models import Family


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
