"""Consent and information sharing (T&P §8; FF §5.5): three records, never one flag.

- `AgreementToHelp`: the family agreed (or declined) to receive an early help service.
- `ConsentToShare`: who agreed that what may be shared, with whom, for what, how; or refused.
  Withdrawn at any time, taking effect at once.
- `SharingDecision`: one decision to share, or not to share, with the seven questions answered
  (T&P §8), including sharing without consent on the public-interest or safeguarding basis.

Each names the people it is about. What a partner may open of a person's record follows from the
consents and decisions that name the person and the partner's agency (`rules.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import VersionedModel
from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.people.models import Person


class RecordPart(models.TextChoices):
    """The parts of a person's record that consent opens to a partner agency, one by one. Who
    they are (name, date of birth, address, school) is open to anyone who referred or works with
    them; every other part needs consent or a recorded decision to share."""

    HEALTH = "health", "Health and disability details (NHS number, disability)"
    LEVELS_OF_NEED = "levels_of_need", "Levels of need and the reasons for them"
    EARLY_HELP = "early_help", "The early help assessment, plan, reviews and case notes"


class ConsentHow(models.TextChoices):
    WRITTEN = "written", "In writing"
    VERBAL = "verbal", "Verbally"
    ONLINE = "online", "By making this request themselves online"
    # Taken over from a referral that did not say (ADR 21).
    NOT_RECORDED = "not_recorded", "Not recorded on the referral"


class GivenBy(models.TextChoices):
    """Whose consent (T&P §8 question 4: whose consent should be sought)."""

    THE_PERSON = "the_person", "The person themselves"
    PARENT = "parent", "A parent or carer with parental responsibility"
    OTHER = "other", "Someone else with the authority to decide for them"
    NOT_RECORDED = "not_recorded", "Not recorded on the referral"


class Capacity(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "They understood what would be shared, with whom and why, and decided themselves"
    FOR_A_CHILD = "for_a_child", "Given for a child not yet able to decide for themselves"
    LACKS_CAPACITY = "lacks_capacity", "Given for someone who lacks the capacity to decide"
    NOT_RECORDED = "not_recorded", "Not recorded on the referral"


class Withdrawable(VersionedModel):
    """A statement the family can take back: withdrawn at once, with who said so and why."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    people = models.ManyToManyField(Person, related_name="+")
    given_by = models.CharField("who said so", max_length=200)
    given_by_who = models.CharField(max_length=20, choices=GivenBy.choices)
    given_on = models.DateField()
    how = models.CharField(max_length=20, choices=ConsentHow.choices)
    # A statement made on a referral carries its reference (EH000123), kept as text because the
    # front door sits above this app (ADR 21).
    from_contact = models.CharField(max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_because = models.TextField(blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


class AgreementToHelp(Withdrawable):
    """The family's agreement to receive an early help service (FF §5.5), or their refusal."""

    agreed = models.BooleanField()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = "agreement to receive help"
        verbose_name_plural = "agreements to receive help"

    def __str__(self) -> str:
        return f"{'Agreed' if self.agreed else 'Declined'} early help ({self.given_by}, {self.given_on})"


class ConsentToShare(Withdrawable):
    """Consent to share information (T&P §8 question 4): given, with its limits, or refused."""

    given = models.BooleanField()
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    purpose = models.TextField(blank=True)
    agencies = models.ManyToManyField(Agency, related_name="+", blank=True)
    # Being discussed by name at multi-agency meetings (Early Help Forums; T&P Appendix 1).
    at_meetings = models.BooleanField(default=False)
    parts = models.JSONField(default=list, blank=True)
    # Consent taken over from a referral says it covers "other agencies" without naming them:
    # it is kept as said, and opens nothing to any partner until agencies are named (ADR 21).
    with_whom = models.TextField(blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = "consent to share"
        verbose_name_plural = "consents to share"
        constraints = [
            models.CheckConstraint(
                condition=Q(given=True) | Q(parts=[]),
                name="consent_refused_shares_no_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Consent' if self.given else 'Refusal'} to share ({self.given_by}, {self.given_on})"

    @property
    def parts_labels(self) -> list[str]:
        return [RecordPart(value).label for value in self.parts if value in RecordPart.values]


class ConsentPosition(models.TextChoices):
    """Question 4: do you have consent to share?"""

    GIVEN = "given", "Yes, the family consented to this"
    REFUSED = "refused", "No, the family refused"
    NOT_SOUGHT_UNSAFE = (
        "not_sought_unsafe",
        (
            "Not sought: asking would put a child or adult at risk of harm, prejudice a crime's investigation "
            "or delay enquiries about harm"
        ),
    )
    NOT_SOUGHT = "not_sought", "Not sought, for another reason"


class Detriment(models.TextChoices):
    """The judgement the Children's Wellbeing and Schools Act 2026 (s4) asks for when the purpose
    is safeguarding: sharing is required unless it would be more detrimental to the child."""

    NOT_MORE_DETRIMENTAL = "not_more", "Sharing would not be more detrimental to the child than not sharing"
    MORE_DETRIMENTAL = "more", "Sharing would be more detrimental to the child than not sharing"


class FamilyTold(models.TextChoices):
    TOLD = "told", "Yes, they have been told"
    WILL_BE_TOLD = "will_be_told", "Not yet: they will be told"
    NOT_SAFE = "not_safe", "No: telling them would not be safe"


class SharingDecision(VersionedModel):
    """A decision to share information, or not to, with the seven questions answered (T&P §8).

    A decision to share parts of the record with an agency opens those parts in this system to
    that agency's practitioners who work with the person, until `open_until` (if set)."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    people = models.ManyToManyField(Person, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    shared = models.BooleanField()
    # With whom: an agency (which may then open `parts` here) and/or a named person or team.
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recipient = models.CharField(max_length=300, blank=True)
    parts = models.JSONField(default=list, blank=True)
    what = models.TextField(blank=True)
    # The seven questions.
    purpose = models.TextField()
    identifiable = models.BooleanField()
    confidential = models.BooleanField()
    consent = models.CharField(max_length=20, choices=ConsentPosition.choices)
    public_interest = models.TextField(blank=True)
    for_safeguarding = models.BooleanField(default=False)
    detriment = models.CharField(max_length=20, choices=Detriment.choices, blank=True)
    detriment_reasons = models.TextField(blank=True)
    how_shared = models.TextField(blank=True)
    family_told = models.CharField(max_length=20, choices=FamilyTold.choices, blank=True)
    why_not = models.TextField(blank=True)
    open_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(shared=True) | Q(parts=[]), name="decision_not_to_share_opens_nothing"),
            models.CheckConstraint(
                condition=Q(parts=[]) | Q(recipient_agency__isnull=False),
                name="decision_opens_parts_only_to_an_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Shared' if self.shared else 'Not shared'}: {self.purpose[:50]}"

    @property
    def without_consent(self) -> bool:
        return self.shared and self.consent != ConsentPosition.GIVEN

    @property
    def basis(self) -> str:
        if not self.shared:
            return "Not shared"
        if self.consent == ConsentPosition.GIVEN:
            return "Consent"
        if self.for_safeguarding:
            return "The duty to share for safeguarding (Children's Wellbeing and Schools Act 2026, s4)"
        return "The public interest, overriding the lack of consent"

    @property
    def parts_labels(self) -> list[str]:
        return [RecordPart(value).label for value in self.parts if value in RecordPart.values]

    @property
    def recipient_label(self) -> str:
        names = [str(self.recipient_agency)] if self.recipient_agency_id else []
        if self.recipient:
            names.append(self.recipient)
        return ", ".join(names)
