"""What a family's case file holds beyond the episode's own work (FF §17): the chronology's
entries added by hand. The rest of the chronology, the genogram and the ecomap are drawn from the
records the service already keeps (`chronology.py`, `family_maps.py`), never typed twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.casework.models import Episode
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
