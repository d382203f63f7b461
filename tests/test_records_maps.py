"""The genogram and the ecomap, drawn from the record: a node for every person and agency on it, a
line for every relationship and involvement, the same listed in words for a screen reader; only
the people the reader may see; in a fixed number of queries however large the family."""

from datetime import date
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.casework.planning import MemberDetails, team_member_add
from earlyhelp.people import services
from earlyhelp.people.models import FamilyMembership, Involvement, Relationship
from earlyhelp.people.services import involvement_start
from earlyhelp.records import drawing
from earlyhelp.records.drawing import Line, PersonShown, Relation, Shape
from tests.conftest import signed_in
from tests.factories import (
    AdultFactory,
    AgencyFactory,
    PersonFactory,
    add_member,
    episode_allocated,
    relate,
    system_user,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _pictures(page: str) -> dict[str, ElementTree.Element]:
    found = {}
    start = 0
    while (start := page.find("<svg", start)) != -1:
        end = page.index("</svg>", start) + len("</svg>")
        svg = ElementTree.fromstring(page[start:end])
        name = svg.get("data-picture")
        if name:
            found[name] = svg
        start = end
    return found


def _keys(svg: ElementTree.Element, attribute: str) -> set[str]:
    return {str(element.get(attribute)) for element in svg.iter() if element.get(attribute)}


def _words(page: str, id_: str) -> str:
    start = page.index(f'id="{id_}"')
    return page[start : page.index("</div>", start)]


def _a_family_with_its_network(episode, coach, alice, school):
    """The Brennans with a brother at school, a father living elsewhere, a grandmother, the
    school and a health visitor: every kind of relationship and involvement."""
    maya = episode.children.get().person
    mother = episode.family.memberships.get(role=FamilyMembership.Role.PARENT).person
    liam = PersonFactory(first_name="Liam", last_name="Brennan", date_of_birth=date(2019, 2, 1), gender="male")
    add_member(episode.family, liam)
    father = AdultFactory(first_name="Declan", last_name="Brennan", gender="male")
    services.family_member_add(
        actor=system_user(), family=episode.family, person=father, role="parent", lives_in_household=False
    )
    grandmother = AdultFactory(first_name="Nora", last_name="Kelly", gender="female")
    for parent in (mother, father):
        for child in (maya, liam):
            relate(parent, child)
    relate(maya, liam, Relationship.Kind.SIBLING_OF)
    relate(mother, father, Relationship.Kind.PARTNER_OF)
    relate(grandmother, mother)
    relate(grandmother, maya, Relationship.Kind.SIGNIFICANT_ADULT_TO)
    services.person_update(actor=system_user(), person=maya, details={"school": school}, seen_version=None)

    involvement_start(actor=alice, person=liam, practitioner=alice, kind=Involvement.Kind.WORKS_WITH)
    team_member_add(
        actor=coach,
        episode=episode,
        member=MemberDetails(name="Hana Ito", role="Health visitor", agency="Northamptonshire Healthcare"),
    )
    return maya, mother, liam, father, grandmother


def test_the_pictures_have_a_node_for_every_person_and_agency_and_a_line_for_every_relationship_and_involvement(
    episode, coach, alice, school
):
    maya, mother, liam, father, grandmother = _a_family_with_its_network(episode, coach, alice, school)
    page = signed_in(coach).get(f"/episodes/{episode.pk}/genogram-and-ecomap/").content.decode()
    pictures = _pictures(page)

    people = {maya, mother, liam, father, grandmother}
    relationships = Relationship.objects.filter(from_person__in=people)
    assert _keys(pictures["genogram"], "data-node") == {f"person-{person.pk}" for person in people}
    assert _keys(pictures["genogram"], "data-edge") == {f"relationship-{item.pk}" for item in relationships}

    ecomap = pictures["ecomap"]
    members = set(FamilyMembership.objects.filter(family=episode.family).values_list("person_id", flat=True))
    agencies = {"Family Support Team North", school.name, alice.agency.name, "Northamptonshire Healthcare"}
    ecomap_nodes = {
        str(element.get("data-node")): element.findtext(f"{SVG}title")
        for element in ecomap.iter()
        if element.get("data-node")
    }
    assert {key for key in ecomap_nodes if key.startswith("person-")} == {f"person-{pk}" for pk in members}
    assert {title for key, title in ecomap_nodes.items() if key.startswith("agency-")} == agencies
    involvements = Involvement.objects.filter(person_id__in=members, ended_on__isnull=True)
    member = episode.team_members.get()
    expected_lines = {f"involvement-{item.pk}" for item in involvements} | {
        f"school-{maya.pk}",
        f"coach-{episode.pk}",
        f"team-member-{member.pk}",
    }
    assert _keys(ecomap, "data-edge") == expected_lines

    genogram_words = _words(page, "genogram-words")
    for person in people:
        assert person.full_name in genogram_words
    assert f"{relationships.count()} relationships" in genogram_words
    assert "Nora Kelly – other significant adult to – Maya Brennan" in genogram_words
    ecomap_words = _words(page, "ecomap-words")
    assert f"{len(agencies)} agencies" in ecomap_words
    assert f"{school.name}: Maya Brennan&#x27;s school or setting, with Maya Brennan" in ecomap_words
    assert (
        "Northamptonshire Healthcare: Hana Ito, Health visitor: Team Around the Family, with the whole household"
        in (ecomap_words)
    )
    assert ecomap_words.count("<li>") == len(expected_lines)


def test_a_reader_sees_only_the_people_whose_records_they_may_open(episode, coach, alice, school):
    from earlyhelp.casework import leading

    grandmother = _a_family_with_its_network(episode, coach, alice, school)[4]
    leading.lead_practitioner_change(
        actor=coach,
        episode=episode,
        lead=alice,
        agreed_with_family=True,
        handover="At school",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
    page = signed_in(alice).get(f"/episodes/{episode.pk}/genogram-and-ecomap/").content.decode()
    # Alice leads the episode (its family's members) and works with Liam; Nora is no member.
    assert "Nora Kelly" not in page
    assert "1 other person is recorded whose records you do not have access to" in page
    assert f"person-{grandmother.pk}" not in _keys(_pictures(page)["genogram"], "data-node")


def test_names_in_the_pictures_are_text_never_markup(episode, coach):
    maya = episode.children.get().person
    services.person_update(
        actor=system_user(), person=maya, details={"first_name": "<script>alert(1)</script>"}, seen_version=None
    )
    page = signed_in(coach).get(f"/episodes/{episode.pk}/genogram-and-ecomap/").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page
    _pictures(page)  # still well-formed SVG


def test_the_pictures_make_a_fixed_number_of_queries_however_large_the_family(episode, coach, alice, school):
    client = signed_in(coach)

    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/episodes/{episode.pk}/genogram-and-ecomap/").status_code == 200
        return len(captured)

    mother = _a_family_with_its_network(episode, coach, alice, school)[1]
    small = counted()
    for number in range(5):
        child = PersonFactory(first_name=f"Child{number}", last_name="Brennan", school=AgencyFactory())
        add_member(episode.family, child)
        relate(mother, child)
        involvement_start(actor=alice, person=child, practitioner=alice, kind=Involvement.Kind.WORKS_WITH)
    assert counted() == small


# The layout, as pure functions --------------------------------------------------------------


def _person(key: str, born: int = 0, shape: Shape = Shape.DIAMOND) -> PersonShown:
    return PersonShown(key=key, name=key, shape=shape, order=(born, key))


def test_a_child_is_drawn_a_row_below_their_parents_and_partners_and_siblings_share_a_row():
    relations = [
        Relation("r1", "gran", "mum", Line.PARENT, ""),
        Relation("r2", "mum", "maya", Line.PARENT, ""),
        Relation("r3", "dad", "mum", Line.PARTNER, ""),
        Relation("r4", "maya", "liam", Line.SIBLING, ""),
    ]
    rows = drawing.generations(["gran", "mum", "dad", "maya", "liam"], relations)
    assert rows == {"gran": 0, "mum": 1, "dad": 1, "maya": 2, "liam": 2}


def test_contradictory_parents_cannot_loop_for_ever():
    relations = [Relation("r1", "a", "b", Line.PARENT, ""), Relation("r2", "b", "a", Line.PARENT, "")]
    rows = drawing.generations(["a", "b"], relations)
    assert set(rows) == {"a", "b"}
    assert min(rows.values()) == 0


def test_partners_sit_side_by_side_joined_by_a_straight_line_and_children_below():
    people = [_person("mum", 1), _person("stranger", 2), _person("dad", 3), _person("maya", 4)]
    relations = [
        Relation("p", "mum", "dad", Line.PARTNER, ""),
        Relation("c", "mum", "maya", Line.PARENT, ""),
    ]
    picture = drawing.genogram(people, relations)
    at = {node.person.key: (node.x, node.y) for node in picture.nodes}
    assert abs(at["mum"][0] - at["dad"][0]) == drawing.SLOT
    assert at["maya"][1] == at["mum"][1] + drawing.ROW
    partner = next(edge for edge in picture.edges if edge.key == "p")
    assert partner.path.count("H") == 1
    assert "Q" not in partner.path
    child = next(edge for edge in picture.edges if edge.key == "c")
    assert child.path.startswith(f"M {at['mum'][0]:.1f} {at['mum'][1] + drawing.SIZE:.1f}")
    assert child.path.endswith(f"V {at['maya'][1] - drawing.SIZE:.1f}")


def test_every_node_of_the_picture_fits_inside_it():
    people = [_person(f"p{number}", number) for number in range(7)]
    relations = [Relation(f"r{number}", "p0", f"p{number}", Line.PARENT, "") for number in range(1, 7)]
    picture = drawing.genogram(people, relations)
    for node in picture.nodes:
        assert drawing.SIZE <= node.x <= picture.width - drawing.SIZE
        assert drawing.SIZE <= node.y <= picture.height - drawing.SIZE
    ecomap = drawing.ecomap(
        people[:3],
        [drawing.Agency(f"a{number}", f"Agency {number}") for number in range(12)],
        [drawing.Involvement("i", "a0", "p1", "")],
    )
    for agency in ecomap.agencies:
        assert drawing.AGENCY_HALF_WIDTH <= agency.x <= ecomap.width - drawing.AGENCY_HALF_WIDTH
        assert drawing.AGENCY_HALF_HEIGHT <= agency.y <= ecomap.height - drawing.AGENCY_HALF_HEIGHT
    assert [edge.key for edge in ecomap.edges] == ["i"]


def test_an_agencys_name_wraps_onto_two_lines_at_most():
    assert drawing.Agency("a", "School").lines == ["School"]
    assert drawing.Agency("a", "Northamptonshire Healthcare NHS Trust").lines == [
        "Northamptonshire",
        "Healthcare NHS Trust",
    ]
    long = drawing.Agency("a", "Northamptonshire Children's Trust Family Support and Early Help Service West").lines
    assert len(long) == 2
    assert long[1].endswith("…")
    assert all(len(line) <= drawing.AGENCY_LINE for line in long)
