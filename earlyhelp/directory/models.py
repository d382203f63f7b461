"""The services directory: help in the community that the front door can signpost a family to.

Administrators keep it up to date (Django's admin site). Each service says which levels of need,
areas, ages and needs it is for, so that the front door is offered the services that fit a family.
The Families Information Service is one of them, marked as such.

The needs are the categories a referral's reasons are sorted into: the eligibility factors of
the Families First service (FF §1.2) and the other needs an authority adds.
"""

from django.db import models
from django.db.models import Q

from earlyhelp.organisations.models import Area, Authority


class Need(models.Model):
    """An area of need: a reason for referral, and what a service helps with."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    plain_name = models.CharField(
        max_length=200, help_text="How a family would say it, for the self-referral form (‘Worries about money’)"
    )
    # One of the factors that make a family eligible for the Families First service at level 2.
    families_first_factor = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, help_text="Who runs it, for example ‘Barnardo’s’ or ‘the council’")
    description = models.TextField(help_text="What the service does, in words a family can read")
    families_information_service = models.BooleanField(
        "Families Information Service", default=False, help_text="This is the authority's Families Information Service"
    )

    lowest_level = models.PositiveSmallIntegerField(default=1, help_text="The lowest level of need it is for")
    highest_level = models.PositiveSmallIntegerField(default=2, help_text="The highest level of need it is for")
    areas = models.ManyToManyField(
        Area, blank=True, related_name="services", help_text="Leave empty if it covers every area"
    )
    youngest_age = models.PositiveSmallIntegerField(default=0, help_text="In years; 0 includes unborn babies")
    oldest_age = models.PositiveSmallIntegerField(default=25, help_text="In years")
    needs = models.ManyToManyField(Need, blank=True, related_name="services")

    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    how_to_access = models.TextField(blank=True, help_text="For example ‘families can ring or drop in’")

    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Administrators edit the directory in the admin site: a save from a stale page is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="service_name_unique_in_authority"),
            models.CheckConstraint(
                condition=Q(lowest_level__lte=models.F("highest_level")), name="service_levels_in_order"
            ),
            models.CheckConstraint(condition=Q(youngest_age__lte=models.F("oldest_age")), name="service_ages_in_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def levels_label(self) -> str:
        if self.lowest_level == self.highest_level:
            return f"Level {self.lowest_level}"
        return f"Levels {self.lowest_level} to {self.highest_level}"

    @property
    def ages_label(self) -> str:
        return f"{self.youngest_age} to {self.oldest_age} years"
