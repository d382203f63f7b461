"""County-scale synthetic data, for measuring the service as a county would use it.

`manage.py generate_demo --scale county` adds to the demonstration authority 250,000 people in
about 90,000 families, with their relationships, five years of contacts with the front door (60,000
a year, proportionally fewer for a smaller `--people`), each with its people, needs, level of need,
triage decision and audit rows, and the partners' involvements. Everything is invented and
repeatable: the same seed on the same day gives the same data.

Rows are written in bulk (COPY on PostgreSQL, `executemany` on SQLite) with their ids assigned
here, never one `save()` at a time: a county would take hours that way. The rule that every write
of personal data has its audit row still holds: each person, family, contact, level of need and
decision gets its "created" row, in the same transaction, and practitioners' reads are added as
"viewed" and "found in a search" rows, so that the audit trail has a county's volume too.
"""

import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from faker.providers.person.en_GB import Provider as NameProvider

from earlyhelp.audit import chain
from earlyhelp.audit.models import AuditEvent
from earlyhelp.directory.models import Need, Service
from earlyhelp.forums import demo as forums_demo
from earlyhelp.frontdoor import demo as frontdoor_demo
from earlyhelp.frontdoor.models import Consent, ConsentCovers, ConsentHow, Contact, ContactPerson, TriageDecision
from earlyhelp.organisations.models import Agency, Area, Authority, RoleAssignment, Team, User
from earlyhelp.organisations.roles import Role
from earlyhelp.people.identifiers import nhs_number_check_digit, upn_check_letter
from earlyhelp.people.models import Family, FamilyMembership, Gender, Involvement, Person, Relationship
from earlyhelp.people.names import name_normalise, name_sound
from earlyhelp.site import county_casework as casework
from earlyhelp.site import demo
from earlyhelp.thresholds.models import FrameworkVersion, LevelOfNeedDecision
from earlyhelp.thresholds.rules import Facts, recommend

SCALES = {"smoke": 3_000, "county": 250_000}
CONTACTS_PER_PERSON_A_YEAR = 60_000 / 250_000
YEARS = 5
# One contact in this many is still awaiting a decision (at least 60).
OPEN_SHARE = 600
GENERATOR = "County data generator"
CHUNK_FAMILIES = 2_000
CHUNK_CONTACTS = 5_000
# Staff the contacts are decided and read by, beyond the demo's named users.
STAFF = 40

OUTCOME_WEIGHTS = {
    TriageDecision.Outcome.SIGNPOST: 35,
    TriageDecision.Outcome.SCHEDULE: 15,
    TriageDecision.Outcome.ALLOCATE: 35,
    TriageDecision.Outcome.REDIRECT: 15,
}
STATUS_OF = {
    TriageDecision.Outcome.SIGNPOST: Contact.Status.SIGNPOSTED,
    TriageDecision.Outcome.SCHEDULE: Contact.Status.AWAITING_MEETING,
    TriageDecision.Outcome.ALLOCATE: Contact.Status.ALLOCATED,
    TriageDecision.Outcome.REDIRECT: Contact.Status.REDIRECTED,
}
REASONS = [
    "Attendance has fallen to 78% this term and the family has asked for help with mornings.",
    "Mum is struggling with debt and the children have missed meals; she agreed to a referral.",
    "Police attended a verbal argument at the home; no injuries, the children were present.",
    "Health visitor worried about a new mother's low mood and isolation.",
    "Behaviour at school has changed since the parents separated.",
    "Rent arrears and a notice seeking possession; the family may become homeless.",
    "Young person missing from home overnight twice this month.",
]
# Level-of-need situations: how many indicators of which level, each recommended once by the real
# rules (with the framework in use) and reused.
SITUATIONS: list[tuple[int, int]] = [(1, 1), (2, 1), (2, 2), (3, 2), (4, 1)]


@dataclass
class Generated:
    people: int = 0
    families: int = 0
    relationships: int = 0
    contacts: int = 0
    episodes: int = 0
    audit_rows: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Member:
    pk: int
    first_name: str
    last_name: str
    date_of_birth: date | None
    expected_date_of_delivery: date | None
    is_child: bool
    nhs_number: str
    upn: str
    postcode: str


@dataclass(frozen=True)
class _FamilyKept:
    pk: int
    area_id: int
    members: tuple[_Member, ...]


@dataclass(frozen=True)
class _Allocated:
    contact_pk: int
    received_at: datetime
    decided_at: datetime
    team_id: int
    family: _FamilyKept


class _Json(str):
    """JSON already written out, for a value many rows share."""


class _Table:
    """Rows of one model, written in bulk with ids assigned here."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [str(f.column) for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.default
            elif f.has_default() and f.default in (dict, list):
                self.defaults[f.attname] = f.default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField):
                self.defaults[f.attname] = ""
        self.attnames = [f.attname for f in self.fields]
        self.json_at = [index for index, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = _next_id(model)

    def add(self, **values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        values.setdefault("id", pk)
        defaults = self.defaults
        row = [values[name] if name in values else defaults[name] for name in self.attnames]
        for index in self.json_at:
            if not isinstance(row[index], _Json):
                row[index] = json.dumps(row[index])
        self.rows.append(tuple(row))
        return pk

    def flush(self) -> int:
        written = len(self.rows)
        if written:
            _insert(self.model._meta.db_table, self.columns, self.rows)
        self.rows = []
        return written


def _next_id(model: type[models.Model]) -> int:
    largest = model._base_manager.aggregate(largest=models.Max("pk"))["largest"]
    return int(largest or 0) + 1


def _insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                # The table and columns are the models' own, quoted; the values are parameters (bandit B608).
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # nosec B608
                [tuple(_for_sqlite(value) for value in row) for row in rows],
            )


def _for_sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _reset_sequences(models_written: Iterable[type[models.Model]]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's rowid carries on from the largest id by itself.
    with connection.cursor() as cursor:
        style: Any = _NoStyle()
        for statement in connection.ops.sequence_reset_sql(style, list(models_written)):
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name: str) -> Callable[[str], str]:
        return lambda text: text


def generate(
    *,
    people: int,
    seed: int = 2026,
    years: int = YEARS,
    demo_families: int = 200,
    say: Callable[[str], None] = print,
) -> Generated:
    """Add `people` synthetic people, their families and `years` of contacts to the demo authority
    (loaded first, with `demo_families` families made through the services, if it is not there)."""
    demo.refuse_unless_allowed()
    started = time.perf_counter()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        authority = demo.load(families=demo_families)
        frontdoor_demo.load(authority)
        forums_demo.load(authority)
    builder = _CountyBuilder(authority=authority, seed=seed, years=years)
    result = Generated()
    with transaction.atomic():
        # The generator's audit rows join the hash chain as they are made (audit/chain.py).
        builder.chain_sequence, builder.chain_digest = chain.head_taken()
        builder.staff()
        step = time.perf_counter()
        builder.families(people=people, result=result, say=say)
        result.timings["people"] = time.perf_counter() - step
        step = time.perf_counter()
        builder.contacts(count=round(people * CONTACTS_PER_PERSON_A_YEAR * years), result=result, say=say)
        result.timings["contacts"] = time.perf_counter() - step
        builder.partner_involvements()
        step = time.perf_counter()
        casework.episodes(builder, result=result, say=say)
        result.timings["episodes"] = time.perf_counter() - step
        result.audit_rows = builder.audit.flush() + builder.audit_written
        chain.head_moved(builder.chain_sequence, builder.chain_digest)
        _reset_sequences(builder.models_written)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh statistics for the planner, and the trigram index's pending entries merged into it
        # (a bulk load leaves them in a list every search would otherwise read through).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    result.seconds = time.perf_counter() - started
    return result


class _CountyBuilder:
    def __init__(self, *, authority: Authority, seed: int, years: int) -> None:
        self.authority = authority
        self.chain_sequence, self.chain_digest = 0, chain.GENESIS
        self.values_digests: dict[str, str] = {}
        # Synthetic data, reproducible from its seed: no secret is drawn from it (bandit B311).
        self.random = random.Random(seed)  # nosec B311
        self.years = years
        self.now = timezone.now().replace(microsecond=0)
        self.today = self.now.date()
        self.areas = list(Area.objects.filter(authority=authority).order_by("pk"))
        self.area_districts = {area.pk: demo.AREAS.get(area.name, ["NN1"]) for area in self.areas}
        self.schools = {
            area.pk: list(
                Agency.objects.filter(area=area, kind__in=[Agency.Kind.SCHOOL, Agency.Kind.EARLY_YEARS]).order_by("pk")
            )
            for area in self.areas
        }
        self.agencies = list(Agency.objects.filter(authority=authority).order_by("pk"))
        self.teams = list(Team.objects.filter(area__authority=authority, kind=Team.Kind.FAMILY_SUPPORT).order_by("pk"))
        self.services = list(Service.objects.filter(authority=authority).order_by("pk"))
        self.needs = list(Need.objects.filter(active=True).order_by("pk"))
        self.last_names = list(NameProvider.last_names)
        self.last_name_weights = list(NameProvider.last_names.values())
        self.female_names = list(NameProvider.first_names_female)
        self.male_names = list(NameProvider.first_names_male)
        self.streets = [f"{name} {suffix}" for name in NameProvider.last_names for suffix in ("Road", "Close", "Way")]
        self.nhs_used = set(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
        self.upn_used = set(Person.objects.exclude(upn="").values_list("upn", flat=True))
        self.sounds: dict[str, str] = {}
        self.kept: list[_FamilyKept] = []
        # Each family's latest allocation to a family support team: its episode (casework).
        self.allocated: dict[int, _Allocated] = {}
        self.audit = _Table(AuditEvent)
        self.audit_written = 0
        self.models_written: set[type[models.Model]] = {AuditEvent}
        self.version = FrameworkVersion.objects.filter(framework__in_use=True).order_by("-loaded_at").first()
        self.situations: list[tuple[list[str], Facts]] = []
        self.recommendations: list[tuple[int | None, _Json, _Json]] = []
        self.facts = _Json(json.dumps(Facts(consent_given=True).as_dict()))
        if self.version is not None:
            definition = self.version.definition
            matrix = [indicator for indicator in definition.by_id.values() if indicator.level is not None]
            for level, count in SITUATIONS:
                chosen = [indicator.id for indicator in matrix if indicator.level == level][:count]
                self.situations.append((chosen, Facts(consent_given=True)))
                recommendation = recommend(definition, chosen, self.situations[-1][1])
                self.recommendations.append(
                    (recommendation.level, _Json(json.dumps(recommendation.as_dict())), _Json(json.dumps(chosen)))
                )

    # Staff -------------------------------------------------------------------------------------

    def staff(self) -> None:
        self.deciders = list(
            User.objects.filter(authority=self.authority, role_assignments__role=Role.FRONT_DOOR_PRACTITIONER)
        )
        desk = Team.objects.filter(area__authority=self.authority, kind=Team.Kind.FRONT_DOOR).first()
        existing = User.objects.filter(email__startswith="staff.", authority=self.authority).count()
        for number in range(existing, STAFF):
            user = User.objects.create_user(
                email=f"staff.{number:03d}@{demo.DEMO_EMAIL_DOMAIN}",
                password=None,
                full_name=f"{self.random.choice(self.female_names)} {self.random.choice(self.last_names)}",
                job_title="Early help practitioner",
                authority=self.authority,
                team=desk,
            )
            RoleAssignment.objects.create(user=user, role=Role.FRONT_DOOR_PRACTITIONER)
        self.deciders = list(
            User.objects.filter(authority=self.authority, role_assignments__role=Role.FRONT_DOOR_PRACTITIONER)
        )
        self.readers = [*self.deciders, *User.objects.filter(authority=self.authority, team__kind="family_support")]

    # Audit -------------------------------------------------------------------------------------

    def _audited(self, verb: str, model: type[models.Model], pk: int, when: datetime, actor: User | None) -> None:
        label = actor.full_name if actor else GENERATOR
        values = self.values_digests.get(label)
        if values is None:
            values = chain.values_digest(details={}, actor_label=label, ip_address=None, user_agent="", path="")
            self.values_digests[label] = values
        previous = self.chain_digest
        self.chain_sequence += 1
        self.chain_digest = chain.entry_digest(
            previous=previous,
            sequence=self.chain_sequence,
            occurred_at=when,
            actor_id=actor.pk if actor else None,
            verb=verb,
            target_type=model._meta.label_lower,
            target_id=pk,
            values=values,
        )
        self.audit.add(
            occurred_at=when,
            actor_id=actor.pk if actor else None,
            actor_label=label,
            verb=verb,
            target_type=model._meta.label_lower,
            target_id=pk,
            details={},
            values_digest=values,
            chain_sequence=self.chain_sequence,
            previous_digest=previous,
            digest=self.chain_digest,
        )
        if len(self.audit.rows) >= 20_000:
            self.audit_written += self.audit.flush()

    # People ------------------------------------------------------------------------------------

    def _sound(self, name: str) -> str:
        if name not in self.sounds:
            self.sounds[name] = name_sound(name)
        return self.sounds[name]

    def families(self, *, people: int, result: Generated, say: Callable[[str], None]) -> None:
        tables: dict[type[models.Model], _Table] = {
            model: _Table(model) for model in (Family, Person, FamilyMembership, Relationship)
        }
        self.models_written.update(tables)
        while result.people < people:
            for _ in range(CHUNK_FAMILIES):
                if result.people >= people:
                    break
                result.people += self._family(tables, result)
                result.families += 1
            for table in tables.values():
                table.flush()
            self.audit_written += self.audit.flush()
            say(f"  {result.people:,} people in {result.families:,} families")

    def _family(self, tables: dict[type[models.Model], _Table], result: Generated) -> int:
        area = self.random.choice(self.areas)
        surname = self.random.choices(self.last_names, weights=self.last_name_weights)[0]
        created = self.now - timedelta(days=self.random.randint(0, 365 * self.years))
        postcode = self._postcode(area.pk)
        address = {
            "address_line_1": f"{self.random.randint(1, 240)} {self.random.choice(self.streets)}",
            "town": "Northampton" if area.name.startswith("Northampton") else area.name.split(" and ")[0],
            "postcode": postcode,
        }
        ethnicity = self.random.choices(list(demo.ETHNICITY_WEIGHTS), weights=list(demo.ETHNICITY_WEIGHTS.values()))[0]
        family_pk = tables[Family].add(
            authority_id=self.authority.pk,
            name=f"The {surname} family",
            area_id=area.pk,
            created_at=created,
            updated_at=created,
            version=1,
        )
        self._audited(AuditEvent.Verb.CREATED, Family, family_pk, created, None)
        mother_age = self.random.randint(19, 46)
        members: list[tuple[_Member, str]] = [
            (self._person(tables, surname, Gender.FEMALE, address, ethnicity, mother_age, created), "parent")
        ]
        if self.random.random() < 0.4:
            father_surname = surname if self.random.random() < 0.7 else self.random.choice(self.last_names)
            age = max(18, mother_age + self.random.randint(-3, 8))
            members.append(
                (self._person(tables, father_surname, Gender.MALE, address, ethnicity, age, created), "parent")
            )
        parents = [member for member, _ in members]
        for _ in range(self.random.choice([1, 1, 1, 1, 1, 1, 2, 2, 2, 3])):
            age = self.random.randint(0, min(17, max(mother_age - 17, 0)))
            child = self._person(
                tables,
                surname,
                self.random.choice([Gender.FEMALE, Gender.MALE]),
                address,
                ethnicity,
                age,
                created,
                child=True,
                area_id=area.pk,
            )
            members.append((child, "child"))
        if self.random.random() < 0.05:
            members.append(
                (self._person(tables, surname, Gender.NOT_KNOWN, address, ethnicity, -1, created, child=True), "child")
            )
        for member, role in members:
            tables[FamilyMembership].add(
                family_id=family_pk, person_id=member.pk, role=role, lives_in_household=True, version=1
            )
        children = [member for member, role in members if role == "child"]
        pairs = [(parent, child, Relationship.Kind.PARENT_OF) for parent in parents for child in children]
        pairs += [
            (first, second, Relationship.Kind.SIBLING_OF)
            for index, first in enumerate(children)
            for second in children[index + 1 :]
        ]
        if len(parents) == 2:
            pairs.append((parents[0], parents[1], Relationship.Kind.PARTNER_OF))
        for from_person, to_person, kind in pairs:
            tables[Relationship].add(
                from_person_id=from_person.pk,
                to_person_id=to_person.pk,
                kind=kind,
                created_at=created,
                updated_at=created,
                version=1,
            )
        result.relationships += len(pairs)
        self.kept.append(_FamilyKept(pk=family_pk, area_id=area.pk, members=tuple(m for m, _ in members)))
        return len(members)

    def _person(
        self,
        tables: dict[type[models.Model], _Table],
        surname: str,
        gender: str,
        address: dict[str, str],
        ethnicity: str,
        age: int,
        created: datetime,
        *,
        child: bool = False,
        area_id: int = 0,
    ) -> _Member:
        unborn = age < 0
        if unborn:
            first, kind = "Unborn", Person.Kind.UNBORN
        else:
            first = self.random.choice(self.female_names if gender == Gender.FEMALE else self.male_names)
            kind = Person.Kind.ADULT if not child else (Person.Kind.YOUNG_PERSON if age >= 13 else Person.Kind.CHILD)
        middle = self.random.choice(self.female_names + self.male_names) if child and self.random.random() < 0.3 else ""
        born = None if unborn else self.today - timedelta(days=age * 365 + self.random.randint(1, 364))
        due = self.today + timedelta(days=self.random.randint(20, 200)) if unborn else None
        nhs = "" if unborn or self.random.random() < 0.1 else self._nhs_number()
        school = self._school(area_id, age) if child and not unborn else None
        upn = self._upn(school) if school is not None and school.kind == Agency.Kind.SCHOOL else ""
        pk = tables[Person].add(
            authority_id=self.authority.pk,
            kind=kind,
            first_name=first,
            middle_names=middle,
            last_name=surname,
            date_of_birth=born,
            expected_date_of_delivery=due,
            gender=gender,
            ethnicity=ethnicity,
            first_language="English",
            interpreter_needed=False,
            nhs_number=nhs,
            upn=upn,
            school_id=school.pk if school else None,
            search_name=name_normalise(f"{first} {middle} {surname}"),
            first_name_sound=self._sound(first),
            last_name_sound=self._sound(surname),
            created_at=created,
            updated_at=created,
            version=1,
            disability="no",
            **address,
        )
        self._audited(AuditEvent.Verb.CREATED, Person, pk, created, None)
        return _Member(
            pk=pk,
            first_name=first,
            last_name=surname,
            date_of_birth=born,
            expected_date_of_delivery=due,
            is_child=child,
            nhs_number=nhs,
            upn=upn,
            postcode=address["postcode"],
        )

    def _postcode(self, area_id: int) -> str:
        district = self.random.choice(self.area_districts[area_id])
        letters = "".join(self.random.choice(demo.INWARD_LETTERS) for _ in range(2))
        return f"{district} {self.random.randint(1, 9)}{letters}"

    def _school(self, area_id: int, age: int) -> Agency | None:
        schools = self.schools.get(area_id) or []
        if len(schools) < 3 or age < 2 or age > 16:
            return None
        nursery, primary, secondary = schools[:3]
        if age < 4:
            return nursery if self.random.random() < 0.6 else None
        return primary if age < 11 else secondary

    def _nhs_number(self) -> str:
        for _ in range(20):
            first_nine = f"999{self.random.randint(0, 999_999):06d}"
            check = nhs_number_check_digit(first_nine)
            number = f"{first_nine}{check}"
            if check is not None and number not in self.nhs_used:
                self.nhs_used.add(number)
                return number
        return ""  # the test range is nearly used up: this person's number is not known

    def _upn(self, school: Agency) -> str:
        for _ in range(5):
            year = f"{(self.today.year - self.random.randint(0, 10)) % 100:02d}"
            last_twelve = f"{demo.AUTHORITY_CODE}{(school.urn or '0000')[-4:]}{year}{self.random.randint(1, 999):03d}"
            upn = upn_check_letter(last_twelve) + last_twelve
            if upn not in self.upn_used:
                self.upn_used.add(upn)
                return upn
        return ""

    # Contacts ----------------------------------------------------------------------------------

    def contacts(self, *, count: int, result: Generated, say: Callable[[str], None]) -> None:
        tables: dict[type[models.Model], _Table] = {
            model: _Table(model) for model in (LevelOfNeedDecision, Contact, ContactPerson, TriageDecision)
        }
        needs = _Table(Contact.needs.through)
        self.models_written.update(tables)
        self.models_written.add(Contact.needs.through)
        span = timedelta(days=365 * self.years)
        # Received times spread over the years, oldest first; the last few days' are still open
        # (about 500 at county scale: a front door a little behind, as the queue often is).
        received = sorted(
            self.now - timedelta(seconds=self.random.randint(0, int(span.total_seconds()))) for _ in range(count)
        )
        open_from = max(0, count - max(60, count // OPEN_SHARE))
        last_contact: dict[int, datetime] = {}
        for index, when in enumerate(received):
            family = self.random.choice(self.kept)
            self._contact(tables, needs, family, when, is_open=index >= open_from, known_at=last_contact.get(family.pk))
            last_contact[family.pk] = when
            result.contacts += 1
            if result.contacts % CHUNK_CONTACTS == 0 or index == count - 1:
                for table in tables.values():
                    table.flush()
                needs.flush()
                self.audit_written += self.audit.flush()
                say(f"  {result.contacts:,} contacts")

    def _contact(
        self,
        tables: dict[type[models.Model], _Table],
        needs: _Table,
        family: _FamilyKept,
        when: datetime,
        *,
        is_open: bool,
        known_at: datetime | None,
    ) -> None:
        children = [member for member in family.members if member.is_child] or list(family.members[:1])
        parent = next((member for member in family.members if not member.is_child), family.members[0])
        decider = self.random.choice(self.deciders)
        decided_at = when + timedelta(hours=self.random.randint(1, 30))
        outcome = self.random.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
        if (outcome == "signpost" and not self.services) or (outcome == "allocate" and not self.teams):
            outcome = TriageDecision.Outcome.REDIRECT
        level_pk = None
        if not is_open and self.version is not None and self.recommendations:
            situation = self.random.randrange(len(self.situations))
            recommended_level, recommendation, indicators = self.recommendations[situation]
            level = recommended_level or 1
            level_pk = tables[LevelOfNeedDecision].add(
                person_id=children[0].pk,
                framework_version_id=self.version.pk,
                indicators=indicators,
                facts=self.facts,
                recommended_level=recommended_level,
                recommendation=recommendation,
                level=level,
                decided_by_id=decider.pk,
                decided_at=decided_at,
            )
            self._audited(AuditEvent.Verb.CREATED, LevelOfNeedDecision, level_pk, decided_at, decider)
        agency = self.random.choice(self.agencies)
        contact_pk = tables[Contact].add(
            authority_id=self.authority.pk,
            source=Contact.Source.PROFESSIONAL,
            received_at=when,
            status=Contact.Status.AWAITING_DECISION if is_open else STATUS_OF[outcome],
            referrer_name=f"{self.random.choice(self.female_names)} {self.random.choice(self.last_names)}",
            referrer_role="Designated safeguarding lead",
            referrer_agency_id=agency.pk,
            referrer_email="referrer@example.org.uk",
            area_id=family.area_id,
            family_id=family.pk,
            reason=self.random.choice(REASONS),
            consent=Consent.GIVEN,
            consent_given_by=f"{parent.first_name} {parent.last_name}, parent",
            consent_given_on=when.date(),
            consent_how=ConsentHow.WRITTEN,
            consent_covers=[ConsentCovers.EARLY_HELP_SERVICE.value],
            indicators=[],
            level_of_need_id=level_pk,
            re_referral=known_at is not None and when - known_at < timedelta(days=365),
            decided_at=None if is_open else decided_at,
            version=1,
        )
        self._audited(AuditEvent.Verb.CREATED, Contact, contact_pk, when, None)
        for need in self.random.sample(self.needs, k=min(len(self.needs), self.random.randint(1, 3))):
            needs.add(contact_id=contact_pk, need_id=need.pk)
        for member in [parent, *children]:
            tables[ContactPerson].add(
                contact_id=contact_pk,
                role=(
                    ContactPerson.Role.UNBORN
                    if member.expected_date_of_delivery
                    else ContactPerson.Role.CHILD
                    if member.is_child
                    else ContactPerson.Role.PARENT
                ),
                first_name=member.first_name,
                last_name=member.last_name,
                date_of_birth=member.date_of_birth,
                expected_date_of_delivery=member.expected_date_of_delivery,
                nhs_number=member.nhs_number,
                upn=member.upn,
                postcode=member.postcode,
                gender=Gender.NOT_KNOWN,
                person_id=None if is_open else member.pk,
                matched_by_id=None if is_open else decider.pk,
                matched_at=None if is_open else decided_at,
                version=1,
            )
        if is_open:
            return
        decision_pk = tables[TriageDecision].add(
            contact_id=contact_pk,
            outcome=outcome,
            reasons="Decided against the thresholds, with the family's consent.",
            service_id=self.random.choice(self.services).pk if outcome == "signpost" and self.services else None,
            team_id=self.random.choice(self.teams).pk if outcome == "allocate" and self.teams else None,
            meeting_area_id=family.area_id if outcome == "schedule" else None,
            decided_by_id=decider.pk,
            decided_at=decided_at,
            tell_family=True,
        )
        self._audited(AuditEvent.Verb.CREATED, TriageDecision, decision_pk, decided_at, decider)
        team_id = tables[TriageDecision].rows[-1][tables[TriageDecision].attnames.index("team_id")]
        if outcome == "allocate" and team_id is not None:
            self.allocated[family.pk] = _Allocated(
                contact_pk=contact_pk, received_at=when, decided_at=decided_at, team_id=team_id, family=family
            )
        # The decider found the child in a search and opened the record; later someone else read it.
        self._audited(AuditEvent.Verb.SEARCHED, Person, children[0].pk, when + timedelta(minutes=20), decider)
        self._audited(AuditEvent.Verb.VIEWED, Person, children[0].pk, when + timedelta(minutes=21), decider)
        reader = self.random.choice(self.readers)
        self._audited(AuditEvent.Verb.VIEWED, Person, children[0].pk, decided_at + timedelta(days=2), reader)

    # Partners ----------------------------------------------------------------------------------

    def partner_involvements(self) -> None:
        """Each demo partner works with a few hundred of the new people, as a busy school does."""
        table = _Table(Involvement)
        self.models_written.add(Involvement)
        partners = User.objects.filter(authority=self.authority, role_assignments__role=Role.PARTNER_PRACTITIONER)
        children = [member for family in self.kept for member in family.members if member.is_child]
        for partner in partners:
            for member in self.random.sample(children, k=min(len(children), 300)):
                pk = table.add(
                    person_id=member.pk,
                    practitioner_id=partner.pk,
                    kind=Involvement.Kind.WORKS_WITH,
                    started_on=self.today - timedelta(days=self.random.randint(0, 700)),
                )
                self._audited(AuditEvent.Verb.CREATED, Involvement, pk, self.now, partner)
        table.flush()
