"""The demo's performance data: illustrative reference figures for the demography, a partner
agency's roles and targets (the East Northamptonshire strategy's), and one family's Supporting
Families progress. Loaded once by `manage.py load_demo`; the figures are made up and say so."""

from datetime import date

from django.utils import timezone

from earlyhelp.audit.trail import audited_writes
from earlyhelp.casework import supporting_families as sf
from earlyhelp.casework.models import Episode, OutcomeProgress
from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.performance.models import AgencyRole, AgencyTarget, ReferenceFigure

ILLUSTRATIVE = "Illustrative demo figures, not real data"
# Children 0 to 17 by age band, gender and main ethnic group, in round numbers.
REFERENCE = {
    "local_population": {
        "age": {"Under 1": 8_000, "1 to 4": 33_000, "5 to 9": 43_000, "10 to 15": 50_000, "16 and over": 16_000},
        "gender": {"Female": 73_000, "Male": 77_000},
        "ethnicity": {"White – British": 112_000, "Any other White background": 12_000, "Black – African": 7_000},
    },
    "childrens_social_care": {
        "age": {"Under 1": 310, "1 to 4": 720, "5 to 9": 900, "10 to 15": 1_250, "16 and over": 420},
        "gender": {"Female": 1_730, "Male": 1_870},
        "ethnicity": {"White – British": 2_550, "Any other White background": 300, "Black – African": 260},
    },
}
ROLES = (
    ("Housing officer", "high", 12, 9, 0),
    ("Community wardens", "high", 6, 6, 0),
    ("Customer services", "low", 18, 0, 11),
    ("Environmental health", "low", 7, 0, 2),
    ("Finance and payroll", "none", 40, 0, 0),
)


def load(authority: Authority) -> int:
    """Once: returns how many reference figures were loaded (0 when already there)."""
    if ReferenceFigure.objects.filter(authority=authority).exists():
        return 0
    made = 0
    for source, dimensions in REFERENCE.items():
        for dimension, counts in dimensions.items():
            for category, count in counts.items():
                ReferenceFigure.objects.create(
                    authority=authority,
                    source=source,
                    dimension=dimension,
                    category=category,
                    count=count,
                    as_of=ILLUSTRATIVE,
                )
                made += 1
    agency = (
        Agency.objects.filter(authority=authority, kind__in=[Agency.Kind.LOCAL_AUTHORITY, Agency.Kind.HOUSING])
        .order_by("pk")
        .first()
    )
    if agency is not None:
        today = timezone.localdate()
        for role, contact, staff, trained, aware in ROLES:
            AgencyRole.objects.create(
                agency=agency,
                role=role,
                contact_with_children=contact,
                staff=staff,
                caf_trained=trained,
                awareness_attended=aware,
                counted_on=today,
            )
        by = date(today.year + (today.month > 3), 3, 31)
        for measure, target in (
            (AgencyTarget.Measure.HIGH_CONTACT_CAF_TRAINED, 100),
            (AgencyTarget.Measure.AWARENESS_ATTENDED, 40),
            (AgencyTarget.Measure.REFERRALS_TO_EARLY_HELP, 100),
        ):
            AgencyTarget.objects.create(agency=agency, measure=measure, target=target, by=by)
    _progress(authority)
    return made


def _progress(authority: Authority) -> None:
    """The longest-open family with a Supporting Families outcome: its progress at the assessment."""
    for episode in Episode.objects.filter(
        authority=authority, status=Episode.Status.OPEN, assessment_authorised_at__isnull=False, coach__isnull=False
    ).order_by("opened_at")[:10]:
        outcomes = sf.outcomes_of(episode)
        if outcomes and not OutcomeProgress.objects.filter(episode=episode).exists():
            assert episode.coach is not None
            with audited_writes():
                sf.progress_record(
                    actor=episode.coach,
                    episode=episode,
                    point=OutcomeProgress.Point.ASSESSMENT,
                    meeting=None,
                    statuses={outcome.code: OutcomeProgress.Status.NOT_YET for outcome in outcomes},
                    note="Agreed with the family at the assessment.",
                )
            return
