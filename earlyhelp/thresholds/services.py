"""Loading and switching thresholds frameworks, and recording level-of-need decisions."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, audited_writes, record_change
from earlyhelp.organisations.models import User
from earlyhelp.people.models import Person
from earlyhelp.thresholds.definition import FrameworkDefinition, FrameworkFileError, framework_parse
from earlyhelp.thresholds.models import Framework, FrameworkVersion, LevelOfNeedDecision
from earlyhelp.thresholds.rules import Facts, recommend

SHIPPED_FRAMEWORKS = Path(__file__).resolve().parent / "frameworks"


@dataclass(frozen=True)
class LoadResult:
    version: FrameworkVersion
    created: bool

    def __str__(self) -> str:
        verb = "Loaded" if self.created else "Already loaded, unchanged:"
        indicators = len(self.version.definition.by_id)
        return f"{verb} {self.version} ({indicators} indicators)"


def _digest(definition: FrameworkDefinition) -> str:
    normalised = json.dumps(definition.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(normalised.encode()).hexdigest()


@transaction.atomic
def framework_load(*, text: str, loaded_from: str, actor: User | None = None) -> LoadResult:
    """Load one framework file as a new version; the same file again changes nothing.

    A version label already loaded with different content is refused: published versions are
    immutable, because recorded decisions point at them.
    """
    definition = framework_parse(text)
    digest = _digest(definition)
    framework, _ = Framework.objects.get_or_create(name=definition.framework, defaults={"title": definition.title})
    existing = FrameworkVersion.objects.filter(framework=framework, version=definition.version).first()
    if existing is not None:
        if existing.digest != digest:
            raise FrameworkFileError(
                [
                    f"{definition.framework} version {definition.version} is already loaded with different content. "
                    "A published version never changes: give the file a new version number and load it again."
                ]
            )
        return LoadResult(version=existing, created=False)
    if framework.title != definition.title:
        framework.title = definition.title
        framework.save(update_fields=["title"])
    with audited_writes():
        version = FrameworkVersion.objects.create(
            framework=framework,
            version=definition.version,
            definition_data=definition.model_dump(mode="json"),
            digest=digest,
            loaded_from=loaded_from[:300],
        )
        record_change(
            actor=actor,
            actor_label="thresholds load",
            verb=AuditEvent.Verb.CREATED,
            target=version,
            changes={"framework": definition.framework, "version": definition.version, "digest": digest},
        )
    return LoadResult(version=version, created=True)


def framework_load_file(*, path: Path, actor: User | None = None) -> LoadResult:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FrameworkFileError([f"Cannot read {path}: {error.strerror}"]) from error
    return framework_load(text=text, loaded_from=str(path), actor=actor)


def frameworks_load_shipped() -> list[LoadResult]:
    """Load every framework that ships with earlyhelp (those in thresholds/frameworks/)."""
    results = [framework_load_file(path=path) for path in sorted(SHIPPED_FRAMEWORKS.glob("*.yaml"))]
    framework_choose_if_none_in_use()
    return results


def framework_choose_if_none_in_use() -> None:
    """After a first load, put the configured framework (THRESHOLDS_FRAMEWORK) in use."""
    if Framework.objects.filter(in_use=True).exists():
        return
    preferred = Framework.objects.filter(name=settings.THRESHOLDS_FRAMEWORK).first()
    chosen = preferred or Framework.objects.order_by("pk").first()
    if chosen is not None:
        framework_use(name=chosen.name)


@audited
def framework_use(*, name: str, actor: User | None = None, actor_label: str = "manage.py thresholds use") -> Framework:
    """Make `name` the framework practitioners check levels of need with; the switch is audited
    (who, when, from which framework to which)."""
    framework = Framework.objects.filter(name=name).first()
    if framework is None:
        loaded = ", ".join(Framework.objects.values_list("name", flat=True)) or "none"
        raise FrameworkFileError([f"No framework called {name!r} is loaded (loaded: {loaded})."])
    before = Framework.objects.filter(in_use=True).exclude(pk=framework.pk).values_list("name", flat=True).first()
    Framework.objects.filter(in_use=True).exclude(pk=framework.pk).update(in_use=False)
    if not framework.in_use:
        framework.in_use = True
        framework.save(update_fields=["in_use"])
        record_change(
            actor=actor,
            actor_label=actor_label,
            verb=AuditEvent.Verb.UPDATED,
            target=framework,
            changes={"framework in use": [before, framework.name]},
        )
    return framework


@audited
def level_of_need_record(
    *,
    actor: User,
    person: Person,
    version: FrameworkVersion,
    indicators: list[str],
    facts: Facts,
    level: int,
    override_reason: str = "",
) -> LevelOfNeedDecision:
    """Record the level of need a practitioner decided on, with the recommendation it was made beside.

    The recommendation is worked out here, from the indicators, never taken from the caller.
    A level that differs from it needs a reason.
    """
    definition = version.definition
    recommendation = recommend(definition, indicators, facts)
    override_reason = override_reason.strip()
    errors: dict[str, Any] = {}
    if level not in definition.level_numbers:
        errors["level"] = "Select the level of need you have decided on"
    elif level != recommendation.level and not override_reason:
        errors["override_reason"] = (
            f"Give the reason for deciding on level {level} when the framework recommends "
            f"{recommendation.level_name.lower()}"
        )
    if errors:
        raise ValidationError(errors)
    decision = LevelOfNeedDecision.objects.create(
        person=person,
        framework_version=version,
        indicators=sorted(set(indicators), key=list(definition.by_id).index),
        facts=facts.as_dict(),
        recommended_level=recommendation.level,
        recommendation=recommendation.as_dict(),
        level=level,
        override_reason=override_reason if level != recommendation.level else "",
        decided_by=actor,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=decision,
        changes={
            "person": person.pk,
            "framework": f"{definition.framework} {definition.version}",
            "indicators": decision.indicators,
            "recommended_level": recommendation.level,
            "level": level,
            "override_reason": decision.override_reason,
        },
    )
    return decision
