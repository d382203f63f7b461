"""Thresholds frameworks, their published versions, and the level-of-need decisions made with them.

A framework version is immutable once loaded: a changed matrix is a new version, and each
decision keeps the version it was made with, so publishing never changes a recorded decision.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.thresholds.definition import FrameworkDefinition, framework_from_data


class Framework(models.Model):
    """A named framework, such as `northamptonshire`; one of them is the one in use."""

    name = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    in_use = models.BooleanField(default=False, help_text="The framework practitioners check levels of need with.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["in_use"], condition=Q(in_use=True), name="one_framework_in_use"),
        ]

    def __str__(self) -> str:
        return self.title


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=40)
    definition_data = models.JSONField(help_text="The framework file as loaded, checked and normalised.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the normalised definition.")
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_from = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["framework__name", "-loaded_at", "-pk"]
        get_latest_by = ["loaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "version"], name="one_framework_version_per_label"),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} version {self.version}"

    @property
    def definition(self) -> FrameworkDefinition:
        # Versions never change once loaded, so each is parsed once per process.
        key = (self.pk, self.digest)
        if key not in _parsed:
            _parsed[key] = framework_from_data(self.definition_data)
        return _parsed[key]


_parsed: dict[tuple[int, str], FrameworkDefinition] = {}


class LevelOfNeedDecision(AuditedModel):
    """A practitioner's decision on a child's level of need, with what the framework recommended."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="level_of_need_decisions")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="decisions")
    indicators = models.JSONField(default=list, help_text="Identifiers of the selected indicators.")
    facts = models.JSONField(default=dict)
    recommended_level = models.PositiveSmallIntegerField(null=True, blank=True)
    recommendation = models.JSONField(help_text="The actions and reasons shown when the decision was made.")
    level = models.PositiveSmallIntegerField(help_text="The level of need the practitioner decided on.")
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommended_level=F("level")) | ~Q(override_reason=""),
                name="level_differing_from_recommendation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Level {self.level} for person {self.person_id}"

    @property
    def differs_from_recommendation(self) -> bool:
        return self.level != self.recommended_level

    @property
    def definition(self) -> FrameworkDefinition:
        return self.framework_version.definition

    @property
    def level_name(self) -> str:
        return self.definition.level_name(self.level)
