"""Finding services that fit a family: by level of need, area, age and need."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from earlyhelp.directory.models import Need, Service
from earlyhelp.organisations.models import Area, Authority


@dataclass(frozen=True)
class ServiceFilter:
    level: int | None = None
    area: Area | None = None
    ages: tuple[int, ...] = ()
    needs: tuple[Need, ...] = field(default_factory=tuple)
    words: str = ""


def needs_active() -> QuerySet[Need]:
    return Need.objects.filter(active=True)


def services_matching(*, authority: Authority, criteria: ServiceFilter) -> QuerySet[Service]:
    """Active services that fit every criterion given; those meeting more of the needs first.

    A service with no areas covers every area; one with no needs listed is for any need.
    """
    services = Service.objects.filter(authority=authority, active=True)
    if criteria.level is not None:
        services = services.filter(lowest_level__lte=criteria.level, highest_level__gte=criteria.level)
    if criteria.area is not None:
        services = services.filter(Q(areas=criteria.area) | Q(areas__isnull=True))
    for age in criteria.ages:
        services = services.filter(youngest_age__lte=age, oldest_age__gte=age)
    if criteria.words:
        for word in criteria.words.split():
            services = services.filter(
                Q(name__icontains=word) | Q(description__icontains=word) | Q(provider__icontains=word)
            )
    services = services.distinct()
    if criteria.needs:
        services = services.filter(Q(needs__in=criteria.needs) | Q(needs__isnull=True)).annotate(
            needs_met=Count("needs", filter=Q(needs__in=criteria.needs), distinct=True)
        )
        return services.order_by("-needs_met", "-families_information_service", "name").prefetch_related(
            "needs", "areas"
        )
    return services.order_by("-families_information_service", "name").prefetch_related("needs", "areas")
