"""A family flagged as not improving (`casework/improving.py`, issue 14)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.casework.models.episodes import Episode


class NotImproving(AuditedModel):
    """A family flagged to its team leader as not improving (`casework/improving.py`): a child's
    wellbeing no better across reviews, or plan actions slipping. The leader records what happens
    next (a step-up, a changed plan, a case discussion…), which settles the flag."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="not_improving")
    flagged_at = models.DateTimeField(default=timezone.now)
    reasons = models.JSONField(help_text="Why, in words: one reason a line")
    what_next = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["episode", "-flagged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(responded_at__isnull=True), name="one_not_improving_flag_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode} not improving since {self.flagged_at:%-d %B %Y}"
