"""Family network meetings and family group decision-making (issue 14): the family's network is
offered a meeting, and makes its own plan. The Children's Wellbeing and Schools Act 2026 makes the
offer a duty before care proceedings; early help is where the network is first known."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.casework.models.episodes import Episode
from earlyhelp.core.workflow import Transitions
from earlyhelp.people.models import Person


class FamilyNetworkMeeting(VersionedModel):
    class Status(models.TextChoices):
        OFFERED = "offered", "Offered to the family"
        ACCEPTED = "accepted", "Accepted: to be arranged"
        DECLINED = "declined", "Declined by the family"
        HELD = "held", "Held: the family's plan agreed"

    TRANSITIONS = Transitions({Status.OFFERED: (Status.ACCEPTED, Status.DECLINED), Status.ACCEPTED: (Status.HELD,)})
    IN_HAND = (Status.OFFERED, Status.ACCEPTED)

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="network_meetings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    offered_on = models.DateField()
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_to = models.CharField(max_length=200, help_text="Who in the family the meeting was offered to")
    # The family's network, as the record knows it (the genogram's people), and anyone else.
    invited = models.ManyToManyField(Person, blank=True, related_name="network_meetings")
    others_invited = models.TextField(blank=True, help_text="Friends and others not on the record, one on each line")
    # The family's answer.
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.CharField(max_length=200, blank=True)
    declined_because = models.TextField(blank=True)
    # The meeting, and the family's own plan.
    coordinator = models.CharField(max_length=200, blank=True, help_text="The independent coordinator")
    held_on = models.DateField(null=True, blank=True)
    who_came = models.TextField(blank=True)
    private_time = models.BooleanField(null=True, blank=True, help_text="The family had time on their own to plan")
    family_plan = models.TextField(blank=True, help_text="The family's own plan, in their words")
    review_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["episode", "-offered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(status__in=("offered", "accepted")), name="one_network_meeting_in_hand"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | (Q(held_on__isnull=False) & ~Q(family_plan="")),
                name="held_network_meeting_has_its_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Family network meeting for {self.episode}: {self.get_status_display()}"
