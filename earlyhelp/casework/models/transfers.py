"""Transfers between early help and children's social care (FF §7, §14): the step-up of a family
whose needs are increasing, and the step-down of one whose needs have lessened, through the weekly
transfer panel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.casework.models.episodes import Episode
from earlyhelp.core.workflow import Transitions
from earlyhelp.organisations.models import Authority, Team
from earlyhelp.people.models import Family, Person


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


class StepDown(VersionedModel):
    """A social worker proposes a family whose needs have lessened for early help, at the weekly
    transfer panel (FF §7.1); the panel accepts it (to a family support team, with a transfer
    date), defers it to the next panel, or does not accept it, saying why. Accepted, it opens an
    episode that starts from the social worker's proposed plan, without a new assessment (FF
    §10.1); once a coach is allocated, the handover meeting is held and the family's consent
    reaffirmed (FF practice standards); then children's social care closes its case, never before
    early help holds it (FF §14.3)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed for the transfer panel"
        NOT_ACCEPTED = "not_accepted", "Not accepted by the panel"
        ACCEPTED = "accepted", "Accepted: awaiting the handover"
        HANDED_OVER = "handed_over", "Handed over to early help"
        SOCIAL_CARE_CLOSED = "social_care_closed", "Children's social care has closed its case"

    TRANSITIONS = Transitions(
        {
            Status.PROPOSED: (Status.ACCEPTED, Status.NOT_ACCEPTED),
            Status.ACCEPTED: (Status.HANDED_OVER,),
            Status.HANDED_OVER: (Status.SOCIAL_CARE_CLOSED,),
        }
    )

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="step_downs")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="step_downs")
    children = models.ManyToManyField(Person, related_name="step_downs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    panel_on = models.DateField(help_text="The transfer panel it is presented at")
    why_now = models.TextField(help_text="How the children's needs have lessened, and why early help now")
    proposed_plan = models.TextField(help_text="The social worker's proposed early help plan")
    # The panel's decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="step_downs")
    transfer_on = models.DateField(null=True, blank=True)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="step_down")
    # The handover, with consent reaffirmed.
    handover_on = models.DateField(null=True, blank=True)
    handover_note = models.TextField(blank=True)
    consent_given_by = models.CharField(max_length=200, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    social_care_closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel_on", "proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=("proposed", "not_accepted")) | Q(episode__isnull=False),
                name="accepted_step_down_has_its_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"Step-down of {self.family}: {self.get_status_display()}"
