"""A partner agency's own early help measures (`002`, the East Northamptonshire strategy's
action plan): its staff roles classed by contact with children, the CAF training completed by
high-contact staff and the awareness sessions attended by low-contact staff, each against the
agency's own targets; and the share of its referrals that led to early help being put in place
(allocated to a family support team, taken to a meeting, or signposted to a service)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from earlyhelp.forums.reports import Period
from earlyhelp.frontdoor.models import Contact
from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.performance.measures import percent
from earlyhelp.performance.models import AgencyRole, AgencyTarget, ContactWithChildren

HELP_PUT_IN_PLACE = (Contact.Status.ALLOCATED, Contact.Status.AWAITING_MEETING, Contact.Status.SIGNPOSTED)
DECIDED = (*HELP_PUT_IN_PLACE, Contact.Status.REDIRECTED)


@dataclass
class AgencyMeasure:
    label: str
    value: Decimal | None
    counted: str
    target: Decimal | None = None

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target


@dataclass
class AgencyFigures:
    agency: Agency
    staff: dict[str, int] = field(default_factory=dict)
    measures: list[AgencyMeasure] = field(default_factory=list)


def agency_figures(authority: Authority, period: Period) -> list[AgencyFigures]:
    """Every agency that has counted its roles or set a target, or referred in the period. Four
    queries however many agencies."""
    roles: dict[int, list[AgencyRole]] = defaultdict(list)
    for role in AgencyRole.objects.filter(agency__authority=authority).order_by("role"):
        roles[role.agency_id].append(role)
    targets: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for target in AgencyTarget.objects.filter(agency__authority=authority):
        targets[target.agency_id][target.measure] = target.target
    referred = {
        row["referrer_agency"]: row
        for row in Contact.objects.filter(
            authority=authority,
            received_at__gte=period.starts,
            received_at__lt=period.ends,
            referrer_agency__isnull=False,
        )
        .values("referrer_agency")
        .annotate(
            decided=Count("pk", filter=Q(status__in=DECIDED)),
            helped=Count("pk", filter=Q(status__in=HELP_PUT_IN_PLACE)),
        )
        .order_by()
    }
    wanted = set(roles) | set(targets) | set(referred)
    found = []
    for agency in Agency.objects.filter(pk__in=wanted).order_by("name"):
        listed = roles.get(agency.pk, [])
        own = targets.get(agency.pk, {})
        by_class = {kind: [r for r in listed if r.contact_with_children == kind] for kind in ContactWithChildren.values}
        high, low = by_class[ContactWithChildren.HIGH], by_class[ContactWithChildren.LOW]
        high_staff, high_trained = sum(r.staff for r in high), sum(r.caf_trained for r in high)
        low_staff, low_aware = sum(r.staff for r in low), sum(r.awareness_attended for r in low)
        attended = sum(r.awareness_attended for r in listed)
        row = referred.get(agency.pk, {"decided": 0, "helped": 0})
        measure = AgencyTarget.Measure
        found.append(
            AgencyFigures(
                agency=agency,
                staff={kind: sum(r.staff for r in by_class[kind]) for kind in ContactWithChildren.values},
                measures=[
                    AgencyMeasure(
                        "High-contact staff who completed the CAF training",
                        percent(high_trained, high_staff),
                        f"{high_trained} of {high_staff}",
                        own.get(measure.HIGH_CONTACT_CAF_TRAINED),
                    ),
                    AgencyMeasure(
                        "Low-contact staff who attended an awareness session",
                        percent(low_aware, low_staff),
                        f"{low_aware} of {low_staff}",
                        own.get(measure.LOW_CONTACT_AWARENESS),
                    ),
                    AgencyMeasure(
                        "People who attended an awareness session",
                        Decimal(attended),
                        f"{attended}",
                        own.get(measure.AWARENESS_ATTENDED),
                    ),
                    AgencyMeasure(
                        "Its referrals that led to early help",
                        percent(row["helped"], row["decided"]),
                        f"{row['helped']} of {row['decided']} decided in the period",
                        own.get(measure.REFERRALS_TO_EARLY_HELP),
                    ),
                ],
            )
        )
    return found
