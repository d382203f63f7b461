"""The forms practitioners fill in about people and families, with GOV.UK error messages."""

from datetime import date, timedelta
from typing import Any

from django import forms

from earlyhelp.core.forms import GovukDateField, VersionedForm
from earlyhelp.core.numbers import is_ascii_digits
from earlyhelp.organisations.models import Agency, Area, User
from earlyhelp.people.access import people_visible_to
from earlyhelp.people.identifiers import (
    nhs_number_is_valid,
    nhs_number_normalise,
    postcode_is_valid,
    postcode_normalise,
    upn_is_valid,
    upn_normalise,
)
from earlyhelp.people.models import Disability, Ethnicity, Family, FamilyMembership, Gender, Person, Relationship
from earlyhelp.people.names import name_problem, name_visible

ADULT_AGE = 18
# A person's health details: open only to the roles that need them, and to partners with consent.
HEALTH_FIELDS = ("disability", "disability_details", "nhs_number")
YOUNG_PERSON_UPPER_AGE = 25  # up to 25 with special educational needs or a disability


def _age_on(born: date, when: date) -> int:
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


class PersonForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Who are you recording?",
        choices=Person.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a child, young person, unborn baby or adult"},
    )
    first_name = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter a first name", "max_length": "First name must be 100 characters or fewer"},
    )
    middle_names = forms.CharField(max_length=200, required=False)
    last_name = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter a last name", "max_length": "Last name must be 100 characters or fewer"},
    )
    preferred_name = forms.CharField(
        max_length=100, required=False, help_text="What they like to be called, if different"
    )
    other_names = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Previous names, other spellings or aliases, one on each line",
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        past_only=True,
        help_text="For example, 27 3 2015. Leave blank for an unborn baby.",
    )
    expected_date_of_delivery = GovukDateField(
        label="Expected date of delivery", required=False, help_text="For an unborn baby only. For example, 14 6 2027"
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    ethnicity = forms.ChoiceField(
        choices=Ethnicity.choices, initial=Ethnicity.NOBT, help_text="Codes from the DfE census"
    )
    disability = forms.ChoiceField(
        label="Do they have a disability?",
        choices=Disability.choices,
        initial=Disability.NOT_KNOWN,
        widget=forms.RadioSelect,
    )
    disability_details = forms.CharField(
        label="About their disability", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_language = forms.CharField(max_length=100, required=False, initial="English")
    interpreter_needed = forms.BooleanField(label="They need an interpreter", required=False)
    nhs_number = forms.CharField(
        label="NHS number", max_length=20, required=False, help_text="10 digits, for example 943 476 5870"
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=20,
        required=False,
        help_text="13 characters, for example B928200112001",
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(max_length=10, required=False, help_text="For example, NN1 5AB")
    school = forms.ModelChoiceField(
        label="School or setting", queryset=Agency.objects.none(), required=False, empty_label="None or not known"
    )

    def __init__(
        self, *args: Any, user: User, person: Person | None = None, health: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, record_version=person.version if person else None, **kwargs)
        self.versioned = person is not None
        self.user = user
        self.person = person
        self.identifier_holders: list[Person] = []
        self.held_elsewhere: list[Person] = []
        self.fields["school"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            authority_id=user.authority_id, kind__in=[Agency.Kind.SCHOOL, Agency.Kind.EARLY_YEARS]
        )
        for name in ("postcode", "nhs_number", "upn"):
            self.fields[name].widget.attrs["class"] = "govuk-input--width-10"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        if not health:
            # A field-level limit (ADR 21): what the user may not see is not in the form, so a
            # change they save leaves it as it was.
            for name in HEALTH_FIELDS:
                del self.fields[name]

    def clean_nhs_number(self) -> str:
        value = nhs_number_normalise(self.cleaned_data["nhs_number"])
        if not value:
            return ""
        if not is_ascii_digits(value) or len(value) != 10:
            raise forms.ValidationError("Enter an NHS number in the correct format, like 943 476 5870")
        if not nhs_number_is_valid(value):
            raise forms.ValidationError(
                "Enter a real NHS number: this one fails its check digit, so a number may be mistyped"
            )
        self._check_identifier_free("NHS number", nhs_number=value)
        return value

    def clean_upn(self) -> str:
        value = upn_normalise(self.cleaned_data["upn"])
        if not value:
            return ""
        if len(value) != 13:
            raise forms.ValidationError("Enter a UPN in the correct format: 13 characters, like B928200112001")
        if not upn_is_valid(value):
            raise forms.ValidationError(
                "Enter a real UPN: its check letter does not match, so a character may be mistyped"
            )
        self._check_identifier_free("UPN", upn=value)
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        if not postcode_is_valid(value):
            raise forms.ValidationError("Enter a real postcode, like NN1 5AB")
        return postcode_normalise(value)

    def _check_identifier_free(self, label: str, **identifier: str) -> None:
        """An NHS number or UPN belongs to one person only, so it is checked across every record.

        Held by someone the user can see: say who, with a link (`identifier_holders`). Held by
        someone they may not see: never say so. A new person goes to the front door to check
        (`held_elsewhere`); an edit is refused in words that do not say whether the number is known.
        """
        others = Person.objects.filter(**identifier)
        if self.person is not None:
            others = others.exclude(pk=self.person.pk)
        holder = others.first()
        if holder is None:
            return
        if people_visible_to(self.user).filter(pk=holder.pk).exists():
            self.identifier_holders.append(holder)
            raise forms.ValidationError(
                f"{holder.full_name} ({holder.reference}) already has this {label}. Open their record instead, "
                f"or check the {label}"
            )
        self.held_elsewhere.append(holder)
        if self.person is not None:
            raise forms.ValidationError(
                f"This {label} cannot be added to this record here. Check it; if it is right, ask the front door"
            )

    NAME_FIELDS = ("first_name", "middle_names", "last_name", "preferred_name", "other_names")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in self.NAME_FIELDS:
            problem = name_problem(data.get(name) or "")
            if problem:
                self.add_error(name, problem)
            elif data.get(name):
                data[name] = name_visible(data[name])
        kind = data.get("kind")
        born = data.get("date_of_birth")
        today = date.today()
        if kind == Person.Kind.UNBORN:
            self._check_expected_date(data.get("expected_date_of_delivery"), today)
        elif (
            kind in {Person.Kind.CHILD, Person.Kind.YOUNG_PERSON}
            and born is None
            and "date_of_birth" not in self.errors
        ):
            self.add_error("date_of_birth", "Enter date of birth")
        elif born is not None:
            self._check_age_fits_kind(kind, _age_on(born, today))
        return data

    def _check_expected_date(self, expected: date | None, today: date) -> None:
        if "expected_date_of_delivery" in self.errors:
            return
        if expected is None:
            self.add_error("expected_date_of_delivery", "Enter the expected date of delivery for an unborn baby")
        elif not today - timedelta(days=31) <= expected <= today + timedelta(days=300):
            self.add_error(
                "expected_date_of_delivery",
                "Expected date of delivery must be within the next 10 months. "
                "If the baby has been born, choose ‘Child’",
            )

    def _check_age_fits_kind(self, kind: str | None, age: int) -> None:
        if kind == Person.Kind.CHILD and age >= ADULT_AGE:
            self.add_error(
                "date_of_birth",
                f"A child must be under {ADULT_AGE}. Check the date, or choose ‘Young person’ or ‘Adult’",
            )
        elif kind == Person.Kind.YOUNG_PERSON and age > YOUNG_PERSON_UPPER_AGE:
            self.add_error(
                "date_of_birth",
                f"A young person must be {YOUNG_PERSON_UPPER_AGE} or under. Check the date, or choose ‘Adult’",
            )
        elif kind == Person.Kind.ADULT and age < ADULT_AGE:
            self.add_error(
                "date_of_birth",
                f"An adult must be {ADULT_AGE} or over. Check the date, or choose ‘Child’ or ‘Young person’",
            )


class PersonSearchForm(forms.Form):
    name = forms.CharField(
        max_length=200, required=False, help_text="Any of their names. Similar spellings are found too"
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    postcode = forms.CharField(max_length=10, required=False)
    nhs_number = forms.CharField(label="NHS number", max_length=20, required=False)
    upn = forms.CharField(label="Unique pupil number (UPN)", max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("postcode", "nhs_number", "upn"):
            self.fields[name].widget.attrs["class"] = "govuk-input--width-10"

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data["postcode"]).strip()
        if value and not postcode_is_valid(value):
            raise forms.ValidationError("Enter a full postcode, like NN1 5AB")
        return value

    def clean_nhs_number(self) -> str:
        value = nhs_number_normalise(self.cleaned_data["nhs_number"])
        if value and (not is_ascii_digits(value) or len(value) != 10):
            raise forms.ValidationError("Enter an NHS number in the correct format, like 943 476 5870")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(
                "Enter at least one thing to search for: a name, date of birth, postcode, NHS number or UPN"
            )
        return data


class FamilyForm(VersionedForm):
    name = forms.CharField(
        label="Family name",
        max_length=200,
        help_text="How the family is known, for example ‘the Okafor family’",
        error_messages={"required": "Enter a name for the family"},
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, empty_label="Not known")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: User, family: Family | None = None, **kwargs: Any) -> None:
        super().__init__(*args, record_version=family.version if family else None, **kwargs)
        self.versioned = family is not None
        self.fields["area"].queryset = Area.objects.filter(authority_id=user.authority_id)  # type: ignore[attr-defined]


class FamilyMembershipForm(VersionedForm):
    role = forms.ChoiceField(
        label="Their role in the family",
        choices=FamilyMembership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in the family"},
    )
    lives_in_household = forms.BooleanField(label="They live in the household", required=False, initial=True)


class FamilyMemberChoiceForm(FamilyMembershipForm):
    """Add someone already recorded to a family."""

    person = forms.ModelChoiceField(
        label="Who to add",
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person to add", "invalid_choice": "Select one of the people listed"},
    )
    field_order = ["person", "role", "lives_in_household"]
    versioned = False

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        person_field.queryset = candidates  # type: ignore[attr-defined]
        person_field.label_from_instance = _person_choice_label  # type: ignore[attr-defined]


def _person_choice_label(person: Person) -> str:
    born = person.date_of_birth or person.expected_date_of_delivery
    when = f", {'born' if person.date_of_birth else 'due'} {born:%-d %B %Y}" if born else ""
    postcode = f", {person.postcode}" if person.postcode else ""
    return f"{person.display_name}{when}{postcode}"


# How a relationship reads from the person whose page it was added on: (kind, reversed).
RELATIONSHIP_CHOICES = [
    ("parent_of", "is a parent of"),
    ("child_of", "is a child of"),
    ("sibling_of", "is a sibling of"),
    ("partner_of", "is a partner of"),
    ("lives_with", "lives with"),
    ("significant_adult_to", "is a significant adult to"),
    ("has_significant_adult", "has as a significant adult"),
]
RELATIONSHIP_FROM_CHOICE: dict[str, tuple[str, bool]] = {
    "parent_of": (Relationship.Kind.PARENT_OF, False),
    "child_of": (Relationship.Kind.PARENT_OF, True),
    "sibling_of": (Relationship.Kind.SIBLING_OF, False),
    "partner_of": (Relationship.Kind.PARTNER_OF, False),
    "lives_with": (Relationship.Kind.LIVES_WITH, False),
    "significant_adult_to": (Relationship.Kind.SIGNIFICANT_ADULT_TO, False),
    "has_significant_adult": (Relationship.Kind.SIGNIFICANT_ADULT_TO, True),
}


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(
        choices=RELATIONSHIP_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they are related"},
    )
    other_person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who they are related to",
            "invalid_choice": "Select one of the people listed",
        },
    )
    details = forms.CharField(
        max_length=200,
        required=False,
        help_text="Optional. For example ‘half-sibling’, ‘step-father’, ‘former partner’",
    )

    def __init__(self, *args: Any, person: Person, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["kind"].label = f"How is {person.display_name} related?"
        other = self.fields["other_person"]
        other.label = "To whom?"
        other.queryset = candidates  # type: ignore[attr-defined]
        other.label_from_instance = _person_choice_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        other = data.get("other_person")
        choice = data.get("kind")
        if other is None or choice is None:
            return data
        kind, reverse = RELATIONSHIP_FROM_CHOICE[choice]
        data["from_person"], data["to_person"] = (other, self.person) if reverse else (self.person, other)
        data["relationship_kind"] = kind
        existing = Relationship.objects.filter(kind=kind, from_person=data["from_person"], to_person=data["to_person"])
        if kind in Relationship.SYMMETRIC:
            existing = Relationship.objects.filter(
                kind=kind, from_person__in=[self.person, other], to_person__in=[self.person, other]
            )
        if existing.exists():
            self.add_error("other_person", "This relationship is already recorded")
        return data


class RelationshipChangeForm(VersionedForm):
    details = forms.CharField(
        max_length=200, required=False, help_text="For example ‘half-sibling’, ‘step-father’, ‘former partner’"
    )
