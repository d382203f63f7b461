"""Reading frameworks: the one in use, the latest version of each, and the matrix to browse."""

from dataclasses import dataclass

from django.db.models import QuerySet

from earlyhelp.core.numbers import record_id
from earlyhelp.people.models import Person
from earlyhelp.people.names import name_normalise
from earlyhelp.thresholds.definition import FrameworkDefinition, Indicator
from earlyhelp.thresholds.models import FrameworkVersion, LevelOfNeedDecision


def framework_versions_latest() -> list[FrameworkVersion]:
    """The latest version of each loaded framework, the one in use first."""
    latest: dict[int, FrameworkVersion] = {}
    for version in FrameworkVersion.objects.select_related("framework").order_by("-loaded_at", "-pk"):
        latest.setdefault(version.framework_id, version)
    return sorted(latest.values(), key=lambda version: (not version.framework.in_use, version.framework.name))


def framework_version_latest(name: str | None = None) -> FrameworkVersion | None:
    """The latest version of framework `name`, or of the framework in use when no name is given."""
    versions = FrameworkVersion.objects.select_related("framework").order_by("-loaded_at", "-pk")
    if name:
        return versions.filter(framework__name=name).first()
    return versions.filter(framework__in_use=True).first()


@dataclass(frozen=True)
class MatrixSection:
    level: int
    level_name: str
    domain: str
    domain_name: str
    group_name: str
    indicators: list[Indicator]


@dataclass(frozen=True)
class MatrixFilter:
    level: int | None = None
    domain: str = ""
    words: str = ""


def matrix_browse(definition: FrameworkDefinition, chosen: MatrixFilter) -> list[MatrixSection]:
    """The matrix by level and domain, narrowed to a level, a domain and words in the wording."""
    words = name_normalise(chosen.words).split()
    sections = []
    for cell in definition.matrix:
        if chosen.level is not None and cell.level != chosen.level:
            continue
        if chosen.domain and cell.domain != chosen.domain:
            continue
        indicators = [definition.by_id[entry.id] for entry in cell.indicators]
        shown = [indicator for indicator in indicators if _has_words(indicator, words)]
        if shown:
            sections.append(
                MatrixSection(
                    level=cell.level,
                    level_name=definition.level_name(cell.level),
                    domain=cell.domain,
                    domain_name=shown[0].domain_name,
                    group_name=shown[0].group_name,
                    indicators=shown,
                )
            )
    return sections


def special_list_matches(definition: FrameworkDefinition, words: str) -> list[tuple[str, list[Indicator]]]:
    """Items of the referral lists whose wording holds every word searched for."""
    tokens = name_normalise(words).split()
    found = []
    for special in definition.special_lists:
        items = [definition.by_id[item.id] for item in special.items]
        shown = [item for item in items if _has_words(item, tokens)]
        if shown:
            found.append((special.title, shown))
    return found


def _has_words(indicator: Indicator, words: list[str]) -> bool:
    text = name_normalise(" ".join((indicator.wording, *indicator.includes)))
    return all(word in text for word in words)


def decisions_for_person(person: Person) -> QuerySet[LevelOfNeedDecision]:
    return LevelOfNeedDecision.objects.filter(person=person).select_related(
        "decided_by", "framework_version", "framework_version__framework"
    )


def framework_version_posted(posted: str, *, fallback: FrameworkVersion) -> FrameworkVersion:
    """The version a form was filled in against, even if a newer one was published meanwhile;
    `fallback` when the posted value names none."""
    pk = record_id(posted)
    if pk is None:
        return fallback
    return FrameworkVersion.objects.filter(pk=pk).first() or fallback
