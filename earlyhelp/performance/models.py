"""What the performance framework keeps of its own: the targets a service sets itself, and the
reference figures its demography is compared with. Every figure is computed from the records
(`measures.py`); nothing here is a figure typed in."""

from django.db import models

from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.performance.definitions import KPIS


class Target(models.Model):
    """A service's own target for one KPI: the documents set the timescales (5 days, 20 days,
    every 2 weeks), not the share of families that must meet them, so each service sets its own
    (docs/performance-framework.md). Without a row the KPI's default in `definitions.py` applies."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="performance_targets")
    kpi = models.SlugField("KPI", max_length=60, choices=[(kpi.key, kpi.title) for kpi in KPIS])
    target = models.DecimalField(max_digits=7, decimal_places=1)
    set_by = models.CharField(max_length=200, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "kpi"], name="one_target_per_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.target}"


class ReferenceFigure(models.Model):
    """A count from outside the service that its demography is compared with (FF performance
    table: "compared to CSC data & local population"): the local population of children from the
    census or the ONS mid-year estimates, and the children known to children's social care from
    its own return. Loaded as reference data (`manage.py kpis load-reference`)."""

    class Source(models.TextChoices):
        LOCAL_POPULATION = "local_population", "Local population (children)"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"

    class Dimension(models.TextChoices):
        AGE = "age", "Age"
        GENDER = "gender", "Gender"
        ETHNICITY = "ethnicity", "Ethnicity"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="reference_figures")
    source = models.CharField(max_length=30, choices=Source.choices)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    category = models.CharField(max_length=60)
    count = models.PositiveIntegerField()
    as_of = models.CharField(max_length=60, help_text="What the figure is and when, for example ‘Census 2021’")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "source", "dimension", "category"], name="one_reference_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}, {self.dimension} {self.category}: {self.count}"


class ContactWithChildren(models.TextChoices):
    """How often a role brings staff into contact with children (ENC strategy §6.2.2)."""

    HIGH = "high", "High: frequent contact (home visits, events, schools, sensitive information)"
    LOW = "low", "Low: infrequent contact (enforcement, the front desk, grants)"
    NONE = "none", "None"


class AgencyRole(models.Model):
    """A partner agency's staff role, classed by its contact with children, with how many hold it
    and how many have had the training the class calls for: the CAF training for high contact,
    the early help awareness session for low (ENC strategy §6.2.3–6.2.4). Kept by the agency's
    administrator in the admin site; counts, never names."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="roles_by_contact")
    role = models.CharField(max_length=200)
    contact_with_children = models.CharField(max_length=10, choices=ContactWithChildren.choices)
    staff = models.PositiveIntegerField()
    caf_trained = models.PositiveIntegerField("completed the CAF training", default=0)
    awareness_attended = models.PositiveIntegerField("attended an early help awareness session", default=0)
    counted_on = models.DateField()

    class Meta:
        ordering = ["agency", "role"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "role"], name="one_count_per_agency_role"),
            models.CheckConstraint(
                condition=models.Q(caf_trained__lte=models.F("staff"))
                & models.Q(awareness_attended__lte=models.F("staff")),
                name="trained_no_more_than_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.role}"


class AgencyTarget(models.Model):
    """A partner agency's own target for one of its early help measures (its action plan)."""

    class Measure(models.TextChoices):
        HIGH_CONTACT_CAF_TRAINED = "high_contact_caf_trained", "High-contact staff who completed the CAF training (%)"
        LOW_CONTACT_AWARENESS = "low_contact_awareness", "Low-contact staff who attended an awareness session (%)"
        AWARENESS_ATTENDED = "awareness_attended", "People who attended an awareness session (number)"
        REFERRALS_TO_EARLY_HELP = "referrals_to_early_help", "The agency's referrals that led to early help (%)"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="early_help_targets")
    measure = models.CharField(max_length=40, choices=Measure.choices)
    target = models.DecimalField(max_digits=7, decimal_places=1)
    by = models.DateField()

    class Meta:
        ordering = ["agency", "measure"]
        constraints = [models.UniqueConstraint(fields=["agency", "measure"], name="one_target_per_agency_measure")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_measure_display()} {self.target}"
