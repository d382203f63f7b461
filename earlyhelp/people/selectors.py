"""Read queries over people and families: search, likely duplicates, and what a person's
page shows. Each returns only what the user may see, in a fixed number of queries."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.compiled import Compiled
from earlyhelp.core.numbers import record_id
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import people_unrestricted_for, people_visible_to
from earlyhelp.people.identifiers import nhs_number_normalise, postcode_normalise, upn_normalise
from earlyhelp.people.models import Family, FamilyMembership, Involvement, Person, PersonMerge, Relationship
from earlyhelp.people.names import name_normalise, name_similarity, name_sound
from earlyhelp.people.restricting import asks_for


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.date_of_birth or self.postcode or self.nhs_number or self.upn)

    def as_audit_details(self) -> dict[str, str]:
        values = {
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "postcode": self.postcode,
            "nhs_number": self.nhs_number,
            "upn": self.upn,
        }
        return {key: value for key, value in values.items() if value}


# Trigram indexes (PostgreSQL's pg_trgm, ADR 14) find a word anywhere in a name from three
# letters; a shorter word is matched at the start of a name instead, which they can also serve.
SHORTEST_ANYWHERE = 3
# A name search ranks at most this many matches, and one more to know there are more.
SEARCH_LIMIT = 500


def name_word_letters(token: str) -> Q:
    """A typed word's letters in the person's names: anywhere from three letters, else at a name's start."""
    if len(token) >= SHORTEST_ANYWHERE:
        return Q(search_name__contains=token)
    return Q(search_name__startswith=token) | Q(search_name__contains=f" {token}")


@dataclass(frozen=True)
class SearchResults:
    people: QuerySet[Person]
    # How many matched, counted up to one past the limit, when the search already knows (a search
    # by name finds its candidates first); None when the page must count them.
    counted: int | None = None


def person_search(*, user: User, criteria: SearchCriteria) -> SearchResults:
    """People matching every criterion given, closest names first.

    Each criterion is one an index serves (ADR 14): the NHS number, UPN, date of birth (or due
    date) and postcode exactly, and each word of the name by its letters (trigrams) or its sound
    (the phonetic keys' own indexes)."""
    people = people_visible_to(user).select_related("school")
    if criteria.nhs_number:
        people = people.filter(nhs_number=nhs_number_normalise(criteria.nhs_number))
    if criteria.upn:
        people = people.filter(upn=upn_normalise(criteria.upn))
    if criteria.date_of_birth:
        people = people.filter(
            Q(date_of_birth=criteria.date_of_birth) | Q(expected_date_of_delivery=criteria.date_of_birth)
        )
    if criteria.postcode:
        people = people.filter(postcode=postcode_normalise(criteria.postcode))
    tokens = name_normalise(criteria.name).split()
    if not tokens:
        return SearchResults(people.order_by("last_name", "first_name", "id"))
    for token in tokens:
        sound = name_sound(token)
        people = people.filter(name_word_letters(token) | Q(first_name_sound=sound) | Q(last_name_sound=sound))
    # Ranked among a bounded set of candidates: a common surname (thousands of Smiths) would
    # otherwise fetch and sort every one of them to show 25. Up to SEARCH_LIMIT matches this is
    # every match; beyond it, the page says to add a date of birth or a postcode.
    # Found once here (one query that stops at the bound), so that they are counted without a
    # query of their own and a page is ranked by primary key rather than by the search again.
    candidates = list(people.order_by().values_list("pk", flat=True)[: SEARCH_LIMIT + 1])
    # Letters typed exactly rank above names that only sound alike.
    exactness = sum(
        (
            Case(When(name_word_letters(token), then=Value(1)), default=Value(0), output_field=IntegerField())
            for token in tokens
        ),
        start=Value(0, output_field=IntegerField()),
    )
    ranked: QuerySet[Person] = (
        Person.objects.filter(pk__any_of=candidates)
        .select_related("school")
        .annotate(exactness=exactness)
        .order_by("-exactness", "last_name", "first_name", "id")
    )
    return SearchResults(ranked, counted=len(candidates))


@dataclass(frozen=True)
class LikelyMatch:
    person: Person
    reasons: tuple[str, ...]
    strength: int  # 2: same identifier; 1: similar name and another detail


NAME_SIMILARITY_THRESHOLD = 0.85


def names_alike(first_name: str, last_name: str, person: Person) -> bool:
    """Whether a typed name is probably `person`'s, spelt differently or in another order."""
    typed = f"{first_name} {last_name}"
    known = [f"{person.first_name} {person.last_name}", f"{person.last_name} {person.first_name}"]
    if person.preferred_name:
        known.append(f"{person.preferred_name} {person.last_name}")
    known.extend(person.other_names_list)
    if any(name_similarity(typed, name) >= NAME_SIMILARITY_THRESHOLD for name in known):
        return True
    return name_sound(first_name) == person.first_name_sound and name_sound(last_name) == person.last_name_sound


@dataclass(frozen=True)
class ProposedPerson:
    """The details typed for a person about to be recorded."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""

    def shares_a_detail_with(self) -> Q:
        condition = Q(pk__in=[])
        if self.nhs_number:
            condition |= Q(nhs_number=self.nhs_number)
        if self.upn:
            condition |= Q(upn=self.upn)
        if self.date_of_birth:
            condition |= Q(date_of_birth=self.date_of_birth) | Q(expected_date_of_delivery=self.date_of_birth)
        if self.postcode:
            condition |= Q(postcode=postcode_normalise(self.postcode))
        return condition

    def reasons_to_think_they_are(self, person: Person) -> list[str]:
        reasons = []
        if self.nhs_number and person.nhs_number == self.nhs_number:
            reasons.append("Same NHS number")
        if self.upn and person.upn == self.upn:
            reasons.append("Same UPN")
        if not names_alike(self.first_name, self.last_name, person):
            return reasons
        born = person.date_of_birth or person.expected_date_of_delivery
        if self.date_of_birth and born == self.date_of_birth:
            reasons.append("Similar name and the same date of birth")
        if self.postcode and person.postcode == postcode_normalise(self.postcode):
            reasons.append("Similar name and the same postcode")
        return reasons


# At most this many records sharing a detail are weighed for each person proposed.
MATCH_CANDIDATES = 500


def likely_matches(*, user: User, proposed: ProposedPerson, exclude_pk: int | None = None) -> list[LikelyMatch]:
    """People the user can see who are probably the person being recorded (one query)."""
    candidates = people_visible_to(user).filter(proposed.shares_a_detail_with()).select_related("school")
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return _matches_among(proposed, list(candidates[:MATCH_CANDIDATES]))


def likely_matches_each(*, user: User, proposed: Sequence[ProposedPerson]) -> list[list[LikelyMatch]]:
    """For each person proposed (the people on a referral), the people the user can see who are
    probably them: one query for them all, however many there are. The people come with only
    the details weighed (WEIGHED_FIELDS): enough to count and link to them, not to show them."""
    if not proposed:
        return []
    condition = Q(pk__in=[])
    for one in proposed:
        condition |= one.shares_a_detail_with()
    # Only the columns the weighing reads: at a million people a date of birth alone is shared by
    # a hundred or more, and the contact page shows how many are alike, not their details.
    candidates = list(
        people_visible_to(user).filter(condition).only(*WEIGHED_FIELDS)[: MATCH_CANDIDATES * len(proposed)]
    )
    return [_matches_among(one, candidates) for one in proposed]


def restricted_matches(*, user: User, proposed: ProposedPerson) -> list[str]:
    """Whom to ask about restricted records, hidden from the user, that are probably the person
    being recorded (two queries). The records themselves are never shown (`restricting.py`)."""
    asks = dict(asks_for(authority_id=user.authority_id, condition=proposed.shares_a_detail_with(), user=user))
    if not asks:
        return []
    alike = Person.objects.filter(pk__in=asks).only(*WEIGHED_FIELDS)
    return sorted({asks[person.pk] for person in alike if proposed.reasons_to_think_they_are(person)})


def restricted_match_words(asks: Sequence[str]) -> str:
    return (
        f"A restricted record matches this person. Ask {' or '.join(asks)} before going on: no new record has been made"
    )


# What `ProposedPerson.reasons_to_think_they_are` and the ordering of matches read.
WEIGHED_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "other_names",
    "first_name_sound",
    "last_name_sound",
    "date_of_birth",
    "expected_date_of_delivery",
    "postcode",
    "nhs_number",
    "upn",
)


def _matches_among(proposed: ProposedPerson, candidates: list[Person]) -> list[LikelyMatch]:
    matches = []
    for person in candidates:
        reasons = proposed.reasons_to_think_they_are(person)
        if reasons:
            strength = 2 if reasons[0].startswith("Same") else 1
            matches.append(LikelyMatch(person=person, reasons=tuple(reasons), strength=strength))
    return sorted(matches, key=lambda match: (-match.strength, match.person.last_name, match.person.first_name))


# The person page's reads, built once (core/compiled.py).
_MEMBERSHIPS: "Compiled[FamilyMembership]" = Compiled(
    lambda person: FamilyMembership.objects.filter(person_id=person).select_related("family").order_by("family__name")
)
_RELATIONSHIPS_FOR_STAFF: "Compiled[Relationship]" = Compiled(
    lambda authority, user, person: (
        Relationship.objects.filter(Q(from_person_id=person) | Q(to_person_id=person))
        .filter(
            Q(from_person__in=people_unrestricted_for(authority, user))
            & Q(to_person__in=people_unrestricted_for(authority, user))
        )
        .select_related("from_person", "to_person")
        .order_by("kind", "id")
    )
)
_VIEWERS: "Compiled[AuditEvent]" = Compiled(
    lambda person: (
        AuditEvent.objects.for_target("people.person", person)
        .filter(verb__in=[AuditEvent.Verb.VIEWED, AuditEvent.Verb.SEARCHED, AuditEvent.Verb.LISTED])
        .order_by("-occurred_at", "-id")[:25]
    )
)


_MERGES_KEPT: "Compiled[PersonMerge]" = Compiled(
    lambda person: PersonMerge.objects.filter(kept_id=person, undone_at__isnull=True).select_related(
        "duplicate", "merged_by"
    )
)


def merges_into(person: Person) -> list[PersonMerge]:
    """The records merged into this one and not undone, for the person page."""
    return _MERGES_KEPT.list(person=person.pk)


@dataclass(frozen=True)
class PersonPage:
    memberships: list[FamilyMembership]
    relationships: list[tuple[str, Person, Relationship]]
    viewers: list[AuditEvent]


def person_page(*, user: User, person: Person, with_viewers: bool) -> PersonPage:
    """What the person page shows beyond the person: a fixed number of queries, each built once
    (core/compiled.py) but the relationships of a partner's view, which depend on what they may see."""
    memberships = _MEMBERSHIPS.list(person=person.pk)
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):  # as `people_visible_to` decides
        related = _RELATIONSHIPS_FOR_STAFF.list(authority=user.authority_id, user=user.pk, person=person.pk)
    else:
        visible = people_visible_to(user)
        related = list(
            Relationship.objects.filter(Q(from_person=person) | Q(to_person=person))
            .filter(Q(from_person__in=visible) & Q(to_person__in=visible))
            .select_related("from_person", "to_person")
            .order_by("kind", "id")
        )
    relationships = [
        (relationship.label_from(person), relationship.other_person(person), relationship) for relationship in related
    ]
    viewers = _VIEWERS.list(person=person.pk) if with_viewers else []
    return PersonPage(memberships=memberships, relationships=relationships, viewers=viewers)


def family_members(*, user: User, family: Family) -> tuple[list[FamilyMembership], int]:
    """The members of a family the user may see, and how many others there are."""
    visible_ids = set(people_visible_to(user).filter(memberships__family=family).values_list("pk", flat=True))
    memberships = list(
        family.memberships.select_related("person", "person__school").order_by(
            Coalesce("person__date_of_birth", "person__expected_date_of_delivery").asc(nulls_first=True),
            "person__last_name",
        )
    )
    shown = [membership for membership in memberships if membership.person_id in visible_ids]
    return shown, len(memberships) - len(shown)


def family_relationships(*, members: list[FamilyMembership]) -> list[Relationship]:
    member_ids = [membership.person_id for membership in members]
    return list(
        Relationship.objects.filter(from_person_id__in=member_ids, to_person_id__in=member_ids)
        .select_related("from_person", "to_person")
        .order_by("kind", "id")
    )


# Pickers: people the user may link to a record ------------------------------------------------


def _name_condition(search: str) -> Q:
    """Every word typed appears somewhere in the person's names; nothing typed matches nobody."""
    tokens = name_normalise(search).split()
    if not tokens:
        return Q(pk__in=[])
    condition = Q()
    for token in tokens:
        condition &= name_word_letters(token)
    return condition


def _chosen(value: str | None) -> Q:
    return Q(pk=record_id(value)) if record_id(value) is not None else Q(pk__in=[])


def relationship_candidates(*, user: User, person: Person, search: str, chosen: str | None) -> QuerySet[Person]:
    """People this person may be linked to: their families' members, or anyone the user finds."""
    in_same_family = Q(memberships__family_id__in=person.memberships.values("family_id"))
    return (
        people_visible_to(user)
        .exclude(pk=person.pk)
        .filter(in_same_family | _name_condition(search) | _chosen(chosen))
        .distinct()
        .order_by("last_name", "first_name")
    )


def family_member_candidates(*, user: User, family: Family, search: str, chosen: str | None) -> QuerySet[Person]:
    """People the user may add to a family: the one chosen, or those whose names match."""
    return (
        people_visible_to(user)
        .exclude(memberships__family=family)
        .filter(_chosen(chosen) | _name_condition(search))
        .order_by("last_name", "first_name")
    )


def reasons_for_access(*, person: Person, actor_ids: set[int]) -> dict[int, str]:
    """Why each of these users could see the person's record, as the access rules stand
    (`access.py`): what they do with the person, or what their role reads. Three queries however
    many users (the users with their roles, their involvements with the person)."""
    users = (
        User.objects.filter(pk__in=actor_ids)
        .select_related("agency")
        .prefetch_related("role_assignments")
        .only("pk", "full_name", "is_active", "agency__name", "agency__single_point_of_contact_id")
    )
    involved: dict[int, list[Involvement]] = {}
    for involvement in Involvement.objects.filter(person=person, practitioner_id__in=actor_ids).order_by("started_on"):
        involved.setdefault(involvement.practitioner_id, []).append(involvement)
    return {user.pk: _reason(user, involved.get(user.pk, [])) for user in users}


def _reason(user: User, involvements: list[Involvement]) -> str:
    named = [
        f"{involvement.get_kind_display()} them from {involvement.started_on:%-d %B %Y}"
        + (f" to {involvement.ended_on:%-d %B %Y}" if involvement.ended_on else "")
        for involvement in involvements
    ]
    if named:
        return "; ".join(named)
    roles = ", ".join(sorted(role.label for role in user.roles)) or "no role"
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return f"Their role ({roles}) reads every record of the authority"
    if user.is_single_point_of_contact:
        return f"Their agency's single point of contact ({user.agency})"
    return f"No reason to see it ({roles})"
