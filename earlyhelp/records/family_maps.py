"""The genogram and the ecomap of a family, gathered from the record (FF §17; DOMAIN.md "People
and families"): never drawn by hand, so they are never out of date.

- **The genogram's people**: the family's members, and anyone the record relates to one of them
  (a grandparent, a father who lives elsewhere); its lines, every relationship recorded between
  them.
- **The ecomap's agencies**: each child's school or setting, each practitioner's open
  involvement with a member (through their agency, or their team for the authority's own staff),
  the episode's family support team and its coach, and each current agency member of the Team
  Around the Family (who work with the whole household).
- The reader sees only the people whose records they may open (`people_visible_to`); the page
  says how many others there are, never who.
- A fixed number of queries, however large the family.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from earlyhelp.casework.models import Episode, EpisodeChild, TeamMember
from earlyhelp.organisations.models import User
from earlyhelp.people.access import people_visible_to
from earlyhelp.people.models import FamilyMembership, Gender, Involvement, Person, Relationship
from earlyhelp.records import drawing
from earlyhelp.records.drawing import Agency, PersonShown, Relation, Shape
from earlyhelp.records.models import AgencyReferral

SHAPES: dict[str, Shape] = {Gender.MALE: Shape.SQUARE, Gender.FEMALE: Shape.CIRCLE}


@dataclass
class FamilyMaps:
    people: list[PersonShown]
    relations: list[Relation]
    agencies: list[Agency]
    involvements: list[drawing.Involvement]
    genogram: drawing.Picture
    ecomap: drawing.Ecomap
    # Everyone the pictures name, for the audit trail.
    records: list[Person] = field(default_factory=list)
    not_shown: int = 0

    def name_of(self, key: str) -> str:
        if key == "":
            return "the whole household"
        names = {person.key: person.name for person in self.people} | {
            agency.key: agency.name for agency in self.agencies
        }
        return names.get(key, "")

    @property
    def involvements_in_words(self) -> list[str]:
        """The ecomap's lines, each as a sentence: its text alternative."""
        return [
            f"{self.name_of(involvement.agency)}: {involvement.label}, with {self.name_of(involvement.person)}"
            for involvement in self.involvements
        ]

    @property
    def household(self) -> list[PersonShown]:
        return [person for person in self.people if person.household]


def _about(person: Person, today: date) -> str:
    if person.kind == Person.Kind.UNBORN:
        due = person.expected_date_of_delivery
        return f"unborn, due {due:%B %Y}" if due else "unborn"
    age = person.age_on(today)
    return "" if age is None else f"age {age}"


def _shown(person: Person, *, household: bool, focus: bool, today: date) -> PersonShown:
    shape = Shape.TRIANGLE if person.kind == Person.Kind.UNBORN else SHAPES.get(person.gender, Shape.DIAMOND)
    born = person.date_of_birth or person.expected_date_of_delivery
    return PersonShown(
        key=f"person-{person.pk}",
        name=person.full_name,
        shape=shape,
        about=_about(person, today),
        household=household,
        focus=focus,
        order=(born.toordinal() if born else 0, person.full_name),
    )


def family_maps(user: User, episode: Episode, *, today: date) -> FamilyMaps:
    members = list(FamilyMembership.objects.filter(family_id=episode.family_id).select_related("person__school"))
    member_ids = {membership.person_id for membership in members}
    relationships = list(
        Relationship.objects.filter(Q(from_person_id__in=member_ids) | Q(to_person_id__in=member_ids))
        .select_related("from_person", "to_person")
        .order_by("pk")
    )
    records = {membership.person_id: membership.person for membership in members}
    for relationship in relationships:
        records.setdefault(relationship.from_person_id, relationship.from_person)
        records.setdefault(relationship.to_person_id, relationship.to_person)
    visible = set(people_visible_to(user).filter(pk__in=list(records)).values_list("pk", flat=True))
    household = {membership.person_id for membership in members if membership.lives_in_household}
    focus = set(EpisodeChild.objects.filter(episode=episode).values_list("person_id", flat=True))
    people = sorted(
        (
            _shown(person, household=pk in household, focus=pk in focus, today=today)
            for pk, person in records.items()
            if pk in visible
        ),
        key=lambda shown: shown.order,
    )
    relations = [
        Relation(
            key=f"relationship-{relationship.pk}",
            start=f"person-{relationship.from_person_id}",
            end=f"person-{relationship.to_person_id}",
            line=drawing.Line(relationship.kind),
            label=_relation_label(relationship),
        )
        for relationship in relationships
        if relationship.from_person_id in visible and relationship.to_person_id in visible
    ]
    agencies, involvements = _around_the_family(episode, [records[pk] for pk in member_ids if pk in visible])
    in_family = [person for person in people if int(person.key.removeprefix("person-")) in member_ids]
    return FamilyMaps(
        people=people,
        relations=relations,
        agencies=agencies,
        involvements=involvements,
        genogram=drawing.genogram(people, relations),
        ecomap=drawing.ecomap(in_family, agencies, involvements),
        records=[records[pk] for pk in sorted(visible)],
        not_shown=len(records) - len(visible),
    )


def _relation_label(relationship: Relationship) -> str:
    kind = relationship.get_kind_display().lower()
    words = f"{relationship.from_person.full_name} – {kind} – {relationship.to_person.full_name}"
    return f"{words} ({relationship.details})" if relationship.details else words


class _Agencies:
    """The agencies around the family, each once however many ways the record names it."""

    def __init__(self) -> None:
        self.found: dict[str, Agency] = {}
        self.involvements: list[drawing.Involvement] = []

    def involve(self, agency_name: str, *, key: str, person: Person | None, label: str, kind: str = "") -> None:
        name = " ".join(agency_name.split())
        known = self.found.setdefault(
            name.casefold(), Agency(key=f"agency-{len(self.found) + 1}", name=name, kind=kind)
        )
        self.involvements.append(
            drawing.Involvement(key=key, agency=known.key, person=f"person-{person.pk}" if person else "", label=label)
        )


def _around_the_family(episode: Episode, members: list[Person]) -> tuple[list[Agency], list[drawing.Involvement]]:
    around = _Agencies()
    if episode.coach is not None:
        around.involve(
            str(episode.team),
            key=f"coach-{episode.pk}",
            person=None,
            label=f"{episode.coach}, family coach",
            kind="early help",
        )
    for person in sorted(members, key=lambda person: person.pk):
        if person.school is not None:
            around.involve(
                person.school.name,
                key=f"school-{person.pk}",
                person=person,
                label=f"{person.full_name}'s school or setting",
                kind="education",
            )
    for involvement in (
        Involvement.objects.filter(person__in=members, ended_on__isnull=True)
        .select_related("practitioner__agency", "practitioner__team", "person")
        .order_by("pk")
    ):
        practitioner = involvement.practitioner
        where = practitioner.agency.name if practitioner.agency else str(practitioner.team or "")
        around.involve(
            where or practitioner.full_name,
            key=f"involvement-{involvement.pk}",
            person=involvement.person,
            label=f"{practitioner.full_name}: {involvement.get_kind_display().lower()} {involvement.person.full_name}",
        )
    for member in TeamMember.objects.filter(episode=episode, left_at__isnull=True, is_family=False).order_by("pk"):
        around.involve(
            member.agency,
            key=f"team-member-{member.pk}",
            person=None,
            label=f"{member.name}, {member.role}: Team Around the Family",
        )
    _referred(around, episode, {person.pk: person for person in members})
    return list(around.found.values()), around.involvements


# A referral still in hand, or taken up: an agency the family is, or will be, involved with.
_LIVE = (AgencyReferral.Outcome.AWAITING, AgencyReferral.Outcome.WAITING_LIST, AgencyReferral.Outcome.ACCEPTED)


def _referred(around: "_Agencies", episode: Episode, members: dict[int, Person]) -> None:
    referrals = AgencyReferral.objects.filter(episode=episode, outcome__in=_LIVE)
    about: dict[int, list[int]] = {}
    for referral_id, person_id in AgencyReferral.children.through.objects.filter(
        agencyreferral__in=referrals
    ).values_list("agencyreferral_id", "person_id"):
        about.setdefault(referral_id, []).append(person_id)
    for referral in referrals.order_by("pk"):
        label = f"referred for {referral.service} ({referral.get_outcome_display().lower()})"
        people: list[Person | None] = [members[pk] for pk in sorted(about.get(referral.pk, [])) if pk in members]
        for person in people or [None]:
            around.involve(
                referral.agency_name,
                key=f"referral-{referral.pk}" + (f"-{person.pk}" if person else ""),
                person=person,
                label=label[0].upper() + label[1:],
            )
