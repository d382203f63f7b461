"""Where each person and agency goes on the genogram and the ecomap, and each line between them:
pure functions of the data (`family_maps.py` gathers it), drawn as SVG by the templates
`records/genogram.svg` and `records/ecomap.svg` (ADR 28).

- **The genogram** puts each generation on its own row: a parent's row is above their child's,
  partners and siblings share a row. In a row, partners sit side by side and children sit under
  their parents. A male is a square, a female a circle, anyone else a diamond, an unborn baby a
  triangle (the usual genogram shapes); the children the episode is about are outlined twice and
  the household is shaded.
- **The ecomap** puts the household in the middle, its members inside it, and the agencies and
  services around it, each with a line to the person it works with, or to the household where it
  works with the whole family.
"""

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Shape(StrEnum):
    SQUARE = "square"  # male
    CIRCLE = "circle"  # female
    DIAMOND = "diamond"  # any other gender, or not known
    TRIANGLE = "triangle"  # unborn


class Line(StrEnum):
    PARENT = "parent_of"
    SIBLING = "sibling_of"
    PARTNER = "partner_of"
    LIVES_WITH = "lives_with"
    SIGNIFICANT_ADULT = "significant_adult_to"


@dataclass(frozen=True)
class PersonShown:
    key: str  # "person-<id>": the node's name in the picture and in the tests
    name: str
    shape: Shape
    about: str = ""  # a second line: "born 2016", "age 34"
    household: bool = False
    focus: bool = False  # a child the episode is about
    order: tuple[int, str] = (0, "")  # how to order people with nothing else to go by


@dataclass(frozen=True)
class Relation:
    key: str  # "relationship-<id>"
    start: str  # a person's key; the parent, for PARENT
    end: str
    line: Line
    label: str


@dataclass(frozen=True)
class Placed:
    person: PersonShown
    x: float
    y: float


@dataclass(frozen=True)
class Drawn:
    key: str
    line: str
    path: str
    label: str


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    nodes: list[Placed]
    edges: list[Drawn]


SLOT = 150  # the width each person takes on a row
ROW = 150  # the height of a generation
SIZE = 22  # half a shape's width
MARGIN = 60


def generations(keys: Iterable[str], relations: Sequence[Relation]) -> dict[str, int]:
    """Each person's row, 0 at the top: below their parents, beside their partners and siblings.
    Contradictory data (a parent of their own parent) cannot loop: each pass may move someone at
    most once, and there are at most as many passes as people."""
    row = dict.fromkeys(keys, 0)
    for _ in range(len(row) + 1):
        moved = False
        for relation in relations:
            start, end = row[relation.start], row[relation.end]
            if relation.line == Line.PARENT and end < start + 1:
                row[relation.end] = start + 1
                moved = True
            elif relation.line in (Line.PARTNER, Line.SIBLING) and start != end:
                row[relation.start] = row[relation.end] = max(start, end)
                moved = True
        if not moved:
            break
    lowest = min(row.values(), default=0)
    return {key: value - lowest for key, value in row.items()}


def _couples(members: list[str], relations: Sequence[Relation]) -> list[list[str]]:
    """The people of one row grouped so that partners sit together: each group is a chain of
    partners (most often one person, or a couple)."""
    partner: dict[str, set[str]] = {key: set() for key in members}
    for relation in relations:
        if relation.line == Line.PARTNER and relation.start in partner and relation.end in partner:
            partner[relation.start].add(relation.end)
            partner[relation.end].add(relation.start)
    groups: list[list[str]] = []
    seen: set[str] = set()
    for key in members:
        if key in seen:
            continue
        group, waiting = [], [key]
        while waiting:
            current = waiting.pop(0)
            if current in seen:
                continue
            seen.add(current)
            group.append(current)
            waiting += sorted(partner[current] - seen, key=members.index)
        groups.append(group)
    return groups


def genogram(people: Sequence[PersonShown], relations: Sequence[Relation]) -> Picture:
    by_key = {person.key: person for person in people}
    relations = [relation for relation in relations if relation.start in by_key and relation.end in by_key]
    row = generations(by_key, relations)
    parents: dict[str, list[str]] = {}
    for relation in relations:
        if relation.line == Line.PARENT:
            parents.setdefault(relation.end, []).append(relation.start)
    x: dict[str, float] = {}
    rows = max(row.values(), default=0) + 1
    for level in range(rows):
        members = sorted((key for key in by_key if row[key] == level), key=lambda key: by_key[key].order)

        def under_parents(key: str) -> float:
            placed = [x[parent] for parent in parents.get(key, []) if parent in x]
            return sum(placed) / len(placed) if placed else math.inf

        members.sort(key=under_parents)  # stable: people without parents drawn keep their order
        groups = _couples(members, relations)
        groups.sort(key=lambda group: min(under_parents(key) for key in group))
        for slot, key in enumerate(key for group in groups for key in group):
            x[key] = MARGIN + SIZE + slot * SLOT
    widest = max((sum(1 for key in row if row[key] == level) for level in range(rows)), default=1)
    width = int(2 * (MARGIN + SIZE) + max(widest - 1, 0) * SLOT)
    for level in range(rows):
        members = [key for key in by_key if row[key] == level]
        spare = (widest - len(members)) * SLOT / 2  # each row centred
        for key in members:
            x[key] += spare
    y: dict[str, float] = {key: MARGIN + SIZE + row[key] * ROW for key in by_key}
    nodes = [Placed(person, round(x[person.key], 1), y[person.key]) for person in people]
    edges = [
        Drawn(relation.key, relation.line, _genogram_path(relation, x, y), relation.label) for relation in relations
    ]
    return Picture(width=width, height=int(2 * (MARGIN + SIZE) + (rows - 1) * ROW + 40), nodes=nodes, edges=edges)


def _genogram_path(relation: Relation, x: dict[str, float], y: dict[str, float]) -> str:
    x1, y1, x2, y2 = x[relation.start], y[relation.start], x[relation.end], y[relation.end]
    if relation.line == Line.PARENT and y2 > y1:
        middle = y2 - ROW / 2 + 10
        return f"M {x1:.1f} {y1 + SIZE:.1f} V {middle:.1f} H {x2:.1f} V {y2 - SIZE:.1f}"
    if y1 == y2 and relation.line == Line.PARTNER and abs(x2 - x1) == SLOT:
        left, right = sorted((x1, x2))
        return f"M {left + SIZE:.1f} {y1:.1f} H {right - SIZE:.1f}"
    if y1 == y2:
        # Partners apart, siblings, the household: an arc, above or below the row by kind.
        lift = {Line.SIBLING: -1, Line.PARTNER: 1, Line.LIVES_WITH: 1, Line.SIGNIFICANT_ADULT: -1}.get(relation.line, 1)
        depth = lift * (SIZE + 18 + abs(x2 - x1) / 10)
        edge = lift * SIZE
        return f"M {x1:.1f} {y1 + edge:.1f} Q {(x1 + x2) / 2:.1f} {y1 + depth + edge:.1f} {x2:.1f} {y2 + edge:.1f}"
    # Across rows (a significant adult, a grandparent who lives with the family): a curve bowed
    # to the side, so that it does not run over the people between.
    bow = (x1 + x2) / 2 + SLOT / 2
    return f"M {x1:.1f} {y1:.1f} Q {bow:.1f} {(y1 + y2) / 2:.1f} {x2:.1f} {y2:.1f}"


# The ecomap -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agency:
    key: str  # "agency-<n>": agencies are named as the record names them
    name: str
    kind: str = ""

    @property
    def lines(self) -> list[str]:
        """The name as it fits its box: two lines at most, the second cut short if need be."""
        lines = textwrap.wrap(self.name, AGENCY_LINE) or [""]
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), AGENCY_LINE, placeholder="…")]
        return lines


@dataclass(frozen=True)
class Involvement:
    key: str  # "involvement-<what>-<id>"
    agency: str  # an agency's key
    person: str  # a person's key, or "" for the whole household
    label: str


@dataclass(frozen=True)
class AgencyPlaced:
    agency: Agency
    x: float
    y: float


@dataclass(frozen=True)
class Ecomap:
    width: int
    height: int
    centre: tuple[float, float]
    household_radius: float
    people: list[Placed]
    agencies: list[AgencyPlaced]
    edges: list[Drawn]


AGENCY_HALF_WIDTH = 90
AGENCY_HALF_HEIGHT = 26
AGENCY_LINE = 24  # characters on a line of an agency's box


def ecomap(people: Sequence[PersonShown], agencies: Sequence[Agency], involvements: Sequence[Involvement]) -> Ecomap:
    # Each member's shape and two lines of name need about 90 px of the inner ring.
    inner = 0.0 if len(people) <= 1 else max(95.0, len(people) * 90 / (2 * math.pi))
    household = inner + 60
    ring = household + 90 + AGENCY_HALF_WIDTH + max(0, len(agencies) - 8) * 12
    half = ring + AGENCY_HALF_WIDTH + MARGIN
    centre = (half, half)
    placed = [
        Placed(person, *_around(centre, inner, index, len(people), start=-math.pi / 2))
        for index, person in enumerate(people)
    ]
    where = {node.person.key: (node.x, node.y) for node in placed}
    around = [
        AgencyPlaced(agency, *_around(centre, ring, index, len(agencies), start=-math.pi / 2 + math.pi / 8))
        for index, agency in enumerate(agencies)
    ]
    at = {node.agency.key: (node.x, node.y) for node in around}
    edges = []
    for involvement in involvements:
        if involvement.agency not in at:
            continue
        ax, ay = at[involvement.agency]
        if involvement.person and involvement.person in where:
            px, py = where[involvement.person]
            end = _towards((px, py), (ax, ay), SIZE)
        else:
            end = _towards(centre, (ax, ay), household)
        start = _towards((ax, ay), end, AGENCY_HALF_HEIGHT)
        path = f"M {start[0]:.1f} {start[1]:.1f} L {end[0]:.1f} {end[1]:.1f}"
        edges.append(Drawn(involvement.key, "involvement", path, involvement.label))
    size = int(2 * half)
    return Ecomap(size, size, centre, household, placed, around, edges)


def _around(centre: tuple[float, float], radius: float, index: int, count: int, *, start: float) -> tuple[float, float]:
    if count <= 1 and radius == 0:
        return centre
    angle = start + 2 * math.pi * index / max(count, 1)
    return (round(centre[0] + radius * math.cos(angle), 1), round(centre[1] + radius * math.sin(angle), 1))


def _towards(point: tuple[float, float], target: tuple[float, float], distance: float) -> tuple[float, float]:
    """The point `distance` from `point` on the way to `target`."""
    dx, dy = target[0] - point[0], target[1] - point[1]
    length = math.hypot(dx, dy) or 1.0
    return (point[0] + dx / length * distance, point[1] + dy / length * distance)
