"""Supervision (FF §19.2 and the performance table): a team leader supervises each family coach
no less than every 4 weeks, holds group supervision no less than every 8 weeks, and writes a
case supervision note on each family at least once a month (KPI "date of last supervision case
note"). Each interval is the authority's setting (`CaseworkSettings`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.casework.models.episodes import Episode
from earlyhelp.organisations.models import Team


class Supervision(AuditedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual supervision"
        GROUP = "group", "Group supervision"
        CASE = "case", "Case supervision note"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="supervisions")
    # A case supervision note is about one family's episode.
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="supervisions")
    # Who was supervised: the coach, for individual supervision and a case note.
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="supervisions"
    )
    # Who came to group supervision.
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="group_supervisions")
    held_on = models.DateField()
    note = models.TextField()
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "-held_on", "-pk"]
        indexes = [models.Index(fields=["team", "kind", "held_on"], name="supervision_team_kind_day")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="case") | Q(episode__isnull=False), name="case_supervision_names_its_episode"
            ),
            models.CheckConstraint(
                condition=Q(kind="group") | Q(supervisee__isnull=False), name="supervision_names_who_was_supervised"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"
