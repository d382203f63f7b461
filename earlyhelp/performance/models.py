"""What the performance framework keeps of its own: the targets a service sets itself, and the
reference figures its demography is compared with. Every figure is computed from the records
(`measures.py`); nothing here is a figure typed in."""

from django.db import models

from earlyhelp.organisations.models import Authority
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
