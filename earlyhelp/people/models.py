"""People, the families and households they belong to, and the relationships between them.

Every model here holds personal data and is an `AuditedModel`: it can only be written by the
services in `services.py`, each of which writes its audit rows in the same transaction.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.audit.guarded import AuditedModel
from earlyhelp.core.workflow import Transitions
from earlyhelp.organisations.models import Agency, Area, Authority
from earlyhelp.people.identifiers import nhs_number_display


class Ethnicity(models.TextChoices):
    """The main ethnicity codes of the DfE school census and children in need census."""

    WBRI = "WBRI", "White – British"
    WIRI = "WIRI", "White – Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy/Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black – African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Describes themselves another way"
    NOT_KNOWN = "not_known", "Not known"
    NOT_STATED = "not_stated", "Prefers not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Person(VersionedModel):
    class Kind(models.TextChoices):
        UNBORN = "unborn", "Unborn baby"
        CHILD = "child", "Child"
        YOUNG_PERSON = "young_person", "Young person"
        ADULT = "adult", "Adult"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="people")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True, help_text="What they like to be called")
    other_names = models.TextField(blank=True, help_text="Previous names, other spellings or aliases, one on each line")

    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disability = models.CharField(max_length=20, choices=Disability.choices, default=Disability.NOT_KNOWN)
    disability_details = models.TextField(blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)

    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("unique pupil number (UPN)", max_length=13, blank=True)

    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    school = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name="school or setting",
        limit_choices_to={"kind__in": [Agency.Kind.SCHOOL, Agency.Kind.EARLY_YEARS]},
    )

    # Kept by the services for search and duplicate checks; never typed by anyone.
    # On PostgreSQL a trigram index serves search_name (migration 0005, ADR 14).
    search_name = models.CharField(max_length=500, editable=False)
    first_name_sound = models.CharField(max_length=50, editable=False, db_index=True)
    last_name_sound = models.CharField(max_length=50, editable=False, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when this record was found to duplicate another and merged into it (`merging.py`);
    # a merged record is hidden everywhere but can be brought back by undoing the merge.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    # Only the users a `Restriction` names see a restricted record; kept by `restricting.py`.
    restricted = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["authority", "date_of_birth"], name="person_by_date_of_birth"),
            models.Index(fields=["authority", "postcode"], name="person_by_postcode"),
            models.Index(fields=["authority", "expected_date_of_delivery"], name="person_by_due_date"),
        ]
        constraints = [
            # One record per NHS number and per UPN: a second one is a duplicate to merge.
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number=""),
                name="person_nhs_number_unique",
                violation_error_message="Another person already has this NHS number",
            ),
            models.UniqueConstraint(
                fields=["upn"],
                condition=~Q(upn=""),
                name="person_upn_unique",
                violation_error_message="Another person already has this UPN",
            ),
            models.CheckConstraint(
                condition=~Q(kind="unborn") | Q(expected_date_of_delivery__isnull=False, date_of_birth__isnull=True),
                name="person_unborn_has_expected_date_only",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["child", "young_person"]) | Q(date_of_birth__isnull=False),
                name="person_child_has_date_of_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_names, self.last_name) if part)

    @property
    def display_name(self) -> str:
        """The name to show in lists: the preferred name first where there is one."""
        if self.preferred_name and self.preferred_name != self.first_name:
            return f"{self.preferred_name} ({self.first_name}) {self.last_name}"
        return f"{self.first_name} {self.last_name}"

    @property
    def reference(self) -> str:
        return f"P{self.pk:07d}"

    @property
    def nhs_number_display(self) -> str:
        return nhs_number_display(self.nhs_number)

    @property
    def other_names_list(self) -> list[str]:
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]

    @property
    def address_lines(self) -> list[str]:
        return [part for part in (self.address_line_1, self.address_line_2, self.town, self.postcode) if part]

    def age_on(self, when: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(date.today())


class Family(VersionedModel):
    """A family or household: the unit that assessments and plans cover ("Think Family")."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="families")
    name = models.CharField(max_length=200, help_text="How the family is known, for example ‘the Okafor family’")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="families")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    members = models.ManyToManyField(Person, through="FamilyMembership", related_name="families")
    restricted = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        return f"F{self.pk:06d}"


class FamilyMembership(VersionedModel):
    class Role(models.TextChoices):
        CHILD = "child", "Child"
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        CARER = "carer", "Carer or guardian"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER_RELATIVE = "other_relative", "Other relative"
        OTHER_ADULT = "other_adult", "Other adult"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    lives_in_household = models.BooleanField(default=True)

    class Meta:
        ordering = ["family", "person__date_of_birth", "id"]
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], name="person_once_in_a_family"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} in {self.family}"


class Relationship(VersionedModel):
    """How two people are related; the data a genogram is drawn from.

    "Parent of" and "significant adult to" read from `from_person` to `to_person`; the others
    hold both ways and are stored once.
    """

    class Kind(models.TextChoices):
        PARENT_OF = "parent_of", "Parent of"
        SIBLING_OF = "sibling_of", "Sibling of"
        PARTNER_OF = "partner_of", "Partner of"
        LIVES_WITH = "lives_with", "Lives with"
        SIGNIFICANT_ADULT_TO = "significant_adult_to", "Other significant adult to"

    SYMMETRIC = frozenset({Kind.SIBLING_OF, Kind.PARTNER_OF, Kind.LIVES_WITH})
    INVERSE_LABELS = {
        Kind.PARENT_OF: "Child of",
        Kind.SIGNIFICANT_ADULT_TO: "Has as a significant adult",
    }

    from_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_from")
    to_person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships_to")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    details = models.CharField(
        max_length=200, blank=True, help_text="For example ‘half-sibling’, ‘step-father’, ‘former partner’"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_person=models.F("to_person")), name="relationship_not_to_self"),
            models.UniqueConstraint(fields=["from_person", "to_person", "kind"], name="relationship_recorded_once"),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} – {self.get_kind_display().lower()} – {self.to_person}"

    def label_from(self, person: Person) -> str:
        """How this relationship reads from `person`'s record."""
        if person.pk == self.from_person_id or self.kind in self.SYMMETRIC:
            return self.get_kind_display()
        return self.INVERSE_LABELS[self.Kind(self.kind)]

    def other_person(self, person: Person) -> Person:
        return self.to_person if person.pk == self.from_person_id else self.from_person


class Involvement(AuditedModel):
    """A practitioner's reason to see a person's record: they referred them or work with them.

    Partner practitioners see only the people they have an open involvement with.
    """

    class Kind(models.TextChoices):
        REFERRED = "referred", "Referred"
        WORKS_WITH = "works_with", "Works with"
        # The lead practitioner of an open episode of early help (casework): ends at handover.
        LEADS_EPISODE = "leads_episode", "Lead practitioner for"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_on = models.DateField(default=date.today)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "practitioner", "kind"],
                condition=Q(ended_on__isnull=True),
                name="one_open_involvement_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} {self.get_kind_display().lower()} {self.person}"


class PersonMerge(AuditedModel):
    """Two records found to be the same person: what was moved from the duplicate to the record
    kept, so that the merge can be undone exactly."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_away")
    reason = models.TextField()
    # [{"model": "people.familymembership", "pk": 3, "field": "person"} for each row moved, and
    #  {"model": ..., "removed": {...field values...}} for each row removed because the kept
    #  record already had the same one]
    changes = models.JSONField(default=list)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kept=models.F("duplicate")), name="merge_not_into_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} merged into {self.kept_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class PersonToCheck(AuditedModel):
    """A person a partner tried to add whose NHS number or UPN is already on a record they may not see.

    Nothing is added and the partner is told only that the front door will check it: they must not
    learn that a record they cannot see exists, and no duplicate may be made. The front door says
    whether it is the same person (`matched`) or the identifier was wrong (`not_matched`). A match
    never gives the partner access to the record: otherwise typing an NHS number would buy it.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be checked"
        MATCHED = "matched", "The same person as a record already held"
        NOT_MATCHED = "not_matched", "Not the same person: the identifier was wrong"

    # Checked once, either way (ADR 11).
    TRANSITIONS = Transitions({Status.WAITING: (Status.MATCHED, Status.NOT_MATCHED)})

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="people_to_check")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    # Everything the partner typed, as JSON, so the front door sees it all.
    details = models.JSONField(default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    matched_person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="matched") | Q(matched_person__isnull=False),
                name="person_to_check_matched_names_the_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} (to check)"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Restriction(AuditedModel):
    """A restricted person or family (a staff member's family, a high-profile case): only the
    users it names see the record; everyone else cannot find it, and a referral that matches it
    is told only that a restricted record matches and whom to ask (`restricting.py`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="restrictions")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="restrictions")
    reason = models.TextField()
    ask = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    restricted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    restricted_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_because = models.TextField(blank=True)
    # A member's restriction made by restricting their family: lifted with it.
    part_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts")

    class Meta:
        ordering = ["-restricted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, family__isnull=True) | Q(person__isnull=True, family__isnull=False),
                name="restriction_is_of_a_person_or_a_family",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="one_restriction_in_force_per_person"
            ),
            models.UniqueConstraint(
                fields=["family"], condition=Q(lifted_at__isnull=True), name="one_restriction_in_force_per_family"
            ),
        ]

    def __str__(self) -> str:
        return f"Restriction of {self.person or self.family}"
