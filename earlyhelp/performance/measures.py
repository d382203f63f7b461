"""The KPIs, computed from the records for any period and any part of the service: the rules
behind every figure on the dashboards, the returns and `manage.py kpis`.

Each KPI is one function, named by its key in `definitions.py`, returning a `Figure`: the
headline, what it is out of, what is shown beside it, its breakdowns and its trend by month. Each
figure is worked out from the same rows its drill-down lists (`Behind`), so a figure and the
records behind it cannot disagree. A fixed number of queries whatever the period holds: the
front door's tens of thousands of contacts are counted by the database; episodes, meetings and
requests (hundreds to a few thousand a year) are read once each and judged here, with the
casework clock's own rules (working days, bank holidays)."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from earlyhelp.casework.configuration import casework_settings_of, timescale_rules
from earlyhelp.casework.models import (
    Allocation,
    CaseNote,
    Episode,
    EpisodeChild,
    Meeting,
    Supervision,
    WellbeingScore,
)
from earlyhelp.casework.schedule import TimescaleRules
from earlyhelp.casework.timescales import Unit as TimeUnit
from earlyhelp.casework.timescales import last_day, months_later
from earlyhelp.forums.models import Discussion, Forum, RequestForDiscussion
from earlyhelp.forums.reports import Period, forum_figures
from earlyhelp.frontdoor.clock import WorkingTime, rules_of, working_time
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.people.models import Ethnicity, Gender
from earlyhelp.performance.definitions import BY_KEY, KPIS, Kpi, Unit

__all__ = ["Behind", "Figure", "Measures", "Period", "Scope"]

VISIT_WINDOW_DAYS = 14
REVIEW_WINDOW_DAYS = 42
NO_AREA = "No area recorded"


@dataclass(frozen=True)
class Scope:
    """Which part of the service a figure is for: the whole service, a team, a coach or an area.
    Contacts reach a team only once the front door sends them there, so a team's or a coach's
    front door figures count the contacts that became their episodes."""

    authority_id: int
    team_id: int | None = None
    coach_id: int | None = None
    area_id: int | None = None


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[tuple[str, int]]
    total: int | None = None  # when given, each row's share of it is shown too

    def with_shares(self) -> list[tuple[str, int, int | None]]:
        return [(label, value, share(value, self.total or 0)) for label, value in self.rows]


@dataclass
class Figure:
    kpi: Kpi
    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    target: Decimal | None = None
    beside: list[tuple[str, str]] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    trend: list[tuple[str, int]] = field(default_factory=list)
    trend_title: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.kpi.higher_is_better else self.value <= self.target

    @property
    def shown(self) -> str:
        if self.value is None:
            return "No families to count"
        if self.kpi.unit == Unit.PERCENT:
            return f"{self.value}%"
        if self.kpi.unit == Unit.COUNT:
            return f"{self.value:,}"
        return f"{self.value} {self.kpi.unit}"


@dataclass(frozen=True)
class Behind:
    """One record behind a figure: what the drill-down lists (names are added by the page, for a
    viewer who may see them; an analyst sees only this)."""

    kind: str  # contact, episode, meeting, request
    pk: int
    reference: str
    family_id: int | None
    when: date | None
    category: str
    counted: bool | None  # in the numerator (None for a plain count)
    measure: str = ""


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def percent(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal place, rounded half up (as a spreadsheet rounds)."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


def months_of(period: Period) -> list[date]:
    """The first day of each calendar month the period touches."""
    first = period.since.replace(day=1)
    found = []
    while first <= period.until:
        found.append(first)
        first = months_later(first, 1)
    return found


def month_label(first: date) -> str:
    return first.strftime("%b %Y")


def age_band(born: date | None, on: date, *, expected: date | None = None) -> str:
    """The age bands of the children in need census and Annex A. An unborn baby has no date of
    birth but an expected date of delivery."""
    if born is None:
        return "Unborn" if expected is not None and expected > on else "Age not known"
    if born > on:
        return "Unborn"
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if years < 1:
        return "Under 1"
    if years < 5:
        return "1 to 4"
    if years < 10:
        return "5 to 9"
    if years < 16:
        return "10 to 15"
    return "16 and over"


AGE_BANDS = ("Unborn", "Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over", "Age not known")


# The judgements, one per timescale KPI: pure, and each tested at its edges -------------------


def visited_in_time(referred_on: date, visited_on: date | None, *, days: int, today: date) -> bool | None:
    """Contact to first visit: True if seen by the `days`th day after the referral, False if not
    (or not seen when that day has passed), None while the days are still running."""
    due = referred_on + timedelta(days=days)
    if visited_on is not None:
        return visited_on <= due
    return False if today > due else None


def by_due(due: date, done_on: date | None, today: date) -> bool | None:
    """On time if done by the due day; late if done after it or still not done once it has passed;
    not yet judged while it is still to come."""
    if done_on is not None:
        return done_on <= due
    return False if today > due else None


def meeting_in_time(
    referred_on: date, assessed_on: date | None, met_on: date | None, *, rules: TimescaleRules, today: date
) -> bool | None:
    """The initial planning meeting: within 30 days of the referral and, where the assessment was
    authorised before it, within 10 days of that too (FF performance table)."""
    due = referred_on + timedelta(days=rules.first_meeting_days_from_referral)
    if assessed_on is not None and (met_on is None or assessed_on <= met_on):
        due = min(due, assessed_on + timedelta(days=rules.first_meeting_days_from_assessment))
    return by_due(due, met_on, today)


def recent(last: date | None, on: date, *, days: int) -> bool:
    """Whether `last` is within the `days` days up to and including `on`."""
    return last is not None and on - timedelta(days=days) <= last <= on


class Measures:
    """Every KPI for one period and scope. Build one for a page; each KPI is asked once."""

    def __init__(self, authority: Authority, period: Period, scope: Scope | None = None) -> None:
        self.authority = authority
        self.period = period
        self.scope = scope or Scope(authority_id=authority.pk)
        settings = casework_settings_of(authority)
        self.rules = timescale_rules(settings)
        self.rules_caseload = authority.caseload_per_full_time_coach
        self.hours: WorkingTime = working_time(rules_of(authority))
        self.targets: dict[str, Decimal] = {}
        self._cache: dict[str, Any] = {}

    # The records each KPI is counted from -------------------------------------------------------

    def contacts(self) -> QuerySet[Contact]:
        found = Contact.objects.filter(
            authority_id=self.scope.authority_id,
            received_at__gte=self.period.starts,
            received_at__lt=self.period.ends,
        )
        if self.scope.area_id:
            found = found.filter(area_id=self.scope.area_id)
        if self.scope.team_id or self.scope.coach_id:
            found = found.filter(pk__in=Subquery(self._episodes_in_scope().values("contact_id")))
        return found

    def _episodes_in_scope(self) -> QuerySet[Episode]:
        found = Episode.objects.filter(authority_id=self.scope.authority_id)
        if self.scope.team_id:
            found = found.filter(team_id=self.scope.team_id)
        if self.scope.coach_id:
            found = found.filter(coach_id=self.scope.coach_id)
        if self.scope.area_id:
            found = found.filter(family__area_id=self.scope.area_id)
        return found

    @property
    def today(self) -> date:
        """The day the period's state is read on: its last day."""
        return self.period.until

    def _local(self, moment: datetime | None) -> date | None:
        return moment.astimezone(self.hours.zone).date() if moment is not None else None

    def target_of(self, kpi: Kpi) -> Decimal | None:
        return self.targets.get(kpi.key, kpi.target)

    def figure(self, key: str) -> Figure:
        if key not in self._cache:
            kpi = BY_KEY[key]
            built: Figure = getattr(self, key)(kpi)
            built.target = self.target_of(kpi)
            self._cache[key] = built
        return self._cache[key]  # type: ignore[no-any-return]

    def every_figure(self) -> list[Figure]:
        return [self.figure(kpi.key) for kpi in KPIS]

    def _monthly(self, queryset: QuerySet[Any], field_name: str) -> list[tuple[str, int]]:
        counted = {
            row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["n"]
            for row in queryset.annotate(month=TruncMonth(field_name, tzinfo=self.hours.zone))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        }
        return [(month_label(first), counted.get(first, 0)) for first in months_of(self.period)]

    # The front door -----------------------------------------------------------------------------

    def contacts_received(self, kpi: Kpi) -> Figure:
        contacts = self.contacts()
        by_area = Counter(
            {
                (row["area__name"] or NO_AREA): row["n"]
                for row in contacts.values("area__name").annotate(n=Count("pk")).order_by()
            }
        )
        trend = self._monthly(contacts, "received_at")
        total = sum(value for _, value in trend)
        return Figure(
            kpi,
            Decimal(total),
            breakdowns=[Breakdown("By area", sorted(by_area.items()), total)],
            trend=trend,
            trend_title="Contacts received each month",
        )

    def contact_source(self, kpi: Kpi) -> Figure:
        sources = dict(Contact.Source.choices)
        kinds = dict(Agency.Kind.choices)
        by_source: Counter[str] = Counter()
        by_agency: Counter[str] = Counter()
        for row in self.contacts().values("source", "referrer_agency__kind").annotate(n=Count("pk")).order_by():
            by_source[str(sources.get(row["source"], row["source"]))] += row["n"]
            if row["source"] == Contact.Source.FAMILY:
                by_agency["Family"] += row["n"]
            else:
                by_agency[str(kinds.get(row["referrer_agency__kind"], "Agency not recorded"))] += row["n"]
        total = sum(by_source.values())
        return Figure(
            kpi,
            Decimal(total),
            breakdowns=[
                Breakdown("By kind of referrer", by_agency.most_common(), total),
                Breakdown("By how the contact came in", by_source.most_common(), total),
            ],
        )

    OUTCOMES: dict[str, str] = {
        Contact.Status.ALLOCATED: "Open to the family support team",
        Contact.Status.AWAITING_MEETING: "Neighbourhood meeting or forum",
        Contact.Status.REDIRECTED: "Redirected to children's social care",
        Contact.Status.SIGNPOSTED: "Advice and signpost",
        Contact.Status.AWAITING_CONFIRMATION: "Awaiting a decision",
        Contact.Status.AWAITING_DECISION: "Awaiting a decision",
    }

    def _outcome_of(self, status: str) -> str:
        return self.OUTCOMES.get(status, "Closed or withdrawn")

    def contact_outcome(self, kpi: Kpi) -> Figure:
        outcomes: Counter[str] = Counter()
        for row in self.contacts().values("status").annotate(n=Count("pk")).order_by():
            outcomes[self._outcome_of(row["status"])] += row["n"]
        total = sum(outcomes.values())
        decided = total - outcomes["Awaiting a decision"]
        order = list(dict.fromkeys(self.OUTCOMES.values()))
        rows = sorted(outcomes.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
        return Figure(
            kpi,
            Decimal(decided),
            beside=[("Received", f"{total:,}"), ("Awaiting a decision", f"{outcomes['Awaiting a decision']:,}")],
            breakdowns=[Breakdown("By outcome", rows, total)],
        )

    def contact_criteria(self, kpi: Kpi) -> Figure:
        contacts = self.contacts()
        through = Contact.needs.through.objects.filter(contact__in=contacts)
        needs = [
            (row["need__name"], row["n"])
            for row in through.values("need__name").annotate(n=Count("pk")).order_by("-n", "need__name")
        ]
        levels: Counter[str] = Counter()
        for row in contacts.values("level_of_need__level").annotate(n=Count("pk")).order_by():
            level = row["level_of_need__level"]
            levels[f"Level {level}" if level else "No level of need recorded"] += row["n"]
        total = sum(levels.values())
        return Figure(
            kpi,
            Decimal(total),
            breakdowns=[
                Breakdown("By area of need named", needs, total),
                Breakdown("By level of need", sorted(levels.items()), total),
            ],
        )

    def known_before(self) -> Exists:
        """An early help episode of the contact's family open at any time in the re-referral window
        before the contact arrived."""
        window = timedelta(days=self.authority.re_referral_days)
        return Exists(
            Episode.objects.filter(family_id=OuterRef("family_id"), opened_at__lt=OuterRef("received_at")).filter(
                Q(closed_at__isnull=True)
                | Q(closed_at__gte=ExpressionWrapper(OuterRef("received_at") - window, output_field=DateTimeField()))
            )
        )

    def repeat_referrals(self, kpi: Kpi) -> Figure:
        counted = self.contacts().aggregate(
            named=Count("pk", filter=Q(family__isnull=False)),
            known=Count("pk", filter=Q(family__isnull=False) & Q(self.known_before())),
            flagged=Count("pk", filter=Q(re_referral=True)),
            total=Count("pk"),
        )
        return Figure(
            kpi,
            percent(counted["known"], counted["named"]),
            numerator=counted["known"],
            denominator=counted["named"],
            beside=[
                ("Front door's flag: any earlier contact in the window", f"{counted['flagged']:,}"),
                ("Share of all contacts flagged", f"{share(counted['flagged'], counted['total']) or 0}%"),
            ],
        )

    # Working with families ----------------------------------------------------------------------

    def _episode_rows(self) -> list[dict[str, Any]]:
        """Every episode the period's casework KPIs judge, read once: referred or allocated in the
        period, or open at some time in it."""
        if "episodes" in self._cache:
            return self._cache["episodes"]  # type: ignore[no-any-return]
        starts, ends = self.period.starts, self.period.ends
        visits = CaseNote.objects.filter(
            episode_id=OuterRef("pk"), kind__in=CaseNote.VISITS, successful=True, happened_at__lt=ends
        )
        reviews = Meeting.objects.filter(
            episode_id=OuterRef("pk"), kind__in=[Meeting.Kind.INITIAL, Meeting.Kind.REVIEW], held_at__lt=ends
        )
        supervised = Supervision.objects.filter(
            episode_id=OuterRef("pk"), kind=Supervision.Kind.CASE, held_on__lte=self.period.until
        )
        coach_then = Allocation.objects.filter(episode_id=OuterRef("pk"), allocated_at__lt=ends).order_by(
            "-allocated_at", "-pk"
        )
        rows: list[dict[str, Any]] = [
            dict(row)
            for row in self._episodes_in_scope()
            .filter(Q(referred_at__lt=ends) | Q(allocated_at__lt=ends))
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=starts - timedelta(days=1)))
            .annotate(
                last_visit=Subquery(visits.order_by().values("episode_id").annotate(m=Max("happened_at")).values("m")),
                last_tam=Subquery(reviews.order_by().values("episode_id").annotate(m=Max("held_at")).values("m")),
                last_supervision=Subquery(
                    supervised.order_by().values("episode_id").annotate(m=Max("held_on")).values("m")
                ),
                coach_then=Subquery(coach_then.values("coach_id")[:1]),
            )
            .values(
                "pk",
                "family_id",
                "team__name",
                "family__area__name",
                "origin",
                "referred_at",
                "opened_at",
                "allocated_at",
                "reached_team_at",
                "first_visit_at",
                "assessment_authorised_at",
                "first_meeting_at",
                "closed_at",
                "last_visit",
                "last_tam",
                "last_supervision",
                "coach_then",
            )
            .order_by("pk")
        ]
        self._cache["episodes"] = rows
        return rows

    def _in_period(self, moment: datetime | None) -> bool:
        return moment is not None and self.period.starts <= moment < self.period.ends

    def _open_at_end(self, row: dict[str, Any]) -> bool:
        return row["opened_at"] < self.period.ends and (
            row["closed_at"] is None or row["closed_at"] >= self.period.ends
        )

    def _judged(self, kpi: Kpi, behind: list[Behind], *, beside: list[tuple[str, str]] | None = None) -> Figure:
        judged = [row for row in behind if row.counted is not None]
        met = sum(1 for row in judged if row.counted)
        by_area: Counter[str] = Counter()
        met_by_area: Counter[str] = Counter()
        for row in judged:
            by_area[row.category] += 1
            met_by_area[row.category] += bool(row.counted)
        return Figure(
            kpi,
            percent(met, len(judged)),
            numerator=met,
            denominator=len(judged),
            beside=(beside or []) + [("Still to come", f"{len(behind) - len(judged):,}")],
            breakdowns=[
                Breakdown(
                    "On time, by team",
                    [(label, met_by_area[label]) for label in sorted(by_area)],
                ),
                Breakdown("Counted, by team", sorted(by_area.items())),
            ],
        )

    def _episode_behind(self, row: dict[str, Any], when: date | None, counted: bool | None, measure: str) -> Behind:
        return Behind(
            kind="episode",
            pk=row["pk"],
            reference=f"EP{row['pk']:07d}",
            family_id=row["family_id"],
            when=when,
            category=row["team__name"],
            counted=counted,
            measure=measure,
        )

    def behind_contact_to_allocation(self) -> list[Behind]:
        found = []
        for row in self._episode_rows():
            if not self._in_period(row["allocated_at"]):
                continue
            reached = self.hours.working_seconds_between(row["reached_team_at"], row["allocated_at"]) / 3600
            from_contact = self.hours.working_seconds_between(row["referred_at"], row["allocated_at"]) / 3600
            counted = reached <= self.rules.allocation_target_working_hours
            found.append(
                self._episode_behind(
                    row,
                    self._local(row["allocated_at"]),
                    counted,
                    f"{reached:.1f} working hours from reaching the team; {from_contact:.1f} from the contact",
                )
            )
        return found

    def contact_to_allocation(self, kpi: Kpi) -> Figure:
        behind = self.behind_contact_to_allocation()
        hours_from_contact = [
            self.hours.working_seconds_between(row["referred_at"], row["allocated_at"]) / 3600
            for row in self._episode_rows()
            if self._in_period(row["allocated_at"])
        ]
        middle = f"{median(hours_from_contact):.1f}" if hours_from_contact else "none allocated"
        return self._judged(
            kpi,
            behind,
            beside=[
                ("Target", f"within {self.rules.allocation_target_working_hours} working hours of reaching the team"),
                ("Median working hours from the contact to allocation", middle),
            ],
        )

    def behind_caseload(self) -> list[Behind]:
        return [
            self._episode_behind(row, self._local(row["allocated_at"]), None, "")
            for row in self._open_with_coach(allocated_days_before=0)
        ]

    def caseload(self, kpi: Kpi) -> Figure:
        from earlyhelp.organisations.models import User

        held = Counter(row["coach_then"] for row in self._open_with_coach(allocated_days_before=0))
        held.pop(None, None)
        names = {
            user.pk: user.full_name or user.email
            for user in User.objects.filter(pk__in=list(held)).only("pk", "full_name", "email")
        }
        families = sum(held.values())
        average = (Decimal(families) / Decimal(len(held))).quantize(Decimal("0.1")) if held else None
        over = sum(1 for count in held.values() if count > self.rules_caseload)
        return Figure(
            kpi,
            average,
            numerator=families,
            denominator=len(held),
            beside=[
                ("Families open to a coach", f"{families:,}"),
                (f"Coaches holding more than {self.rules_caseload}", f"{over}"),
            ],
            breakdowns=[Breakdown("Families held, by coach", sorted((names[pk], n) for pk, n in held.items()))],
        )

    def behind_first_visit_from_referral(self) -> list[Behind]:
        days = self.rules.first_visit_days_from_referral
        found = []
        for row in self._episode_rows():
            if row["origin"] != Episode.Origin.FRONT_DOOR or not self._in_period(row["referred_at"]):
                continue
            referred_on = self._local(row["referred_at"])
            visited_on = self._local(row["first_visit_at"])
            assert referred_on is not None
            counted = visited_in_time(referred_on, visited_on, days=days, today=self.today)
            measure = (
                f"seen {(visited_on - referred_on).days} days after the referral" if visited_on else "not seen yet"
            )
            found.append(self._episode_behind(row, referred_on, counted, measure))
        return found

    def first_visit_from_referral(self, kpi: Kpi) -> Figure:
        return self._judged(kpi, self.behind_first_visit_from_referral())

    def behind_first_visit_from_allocation(self) -> list[Behind]:
        count = self.rules.first_visit_working_days_from_allocation
        found = []
        for row in self._episode_rows():
            if not self._in_period(row["allocated_at"]):
                continue
            allocated_on = self._local(row["allocated_at"])
            assert allocated_on is not None
            due = last_day(allocated_on, count, TimeUnit.WORKING_DAYS, self.hours)
            visited_on = self._local(row["first_visit_at"])
            counted = by_due(due, visited_on, self.today)
            measure = f"due {due:%d/%m/%Y}; " + (f"seen {visited_on:%d/%m/%Y}" if visited_on else "not seen yet")
            found.append(self._episode_behind(row, allocated_on, counted, measure))
        return found

    def first_visit_from_allocation(self, kpi: Kpi) -> Figure:
        return self._judged(kpi, self.behind_first_visit_from_allocation())

    def behind_assessment_completion(self) -> list[Behind]:
        days = self.rules.assessment_days_from_referral
        found = []
        for row in self._episode_rows():
            if row["origin"] != Episode.Origin.FRONT_DOOR or not self._in_period(row["referred_at"]):
                continue
            referred_on = self._local(row["referred_at"])
            assert referred_on is not None
            assessed_on = self._local(row["assessment_authorised_at"])
            counted = by_due(referred_on + timedelta(days=days), assessed_on, self.today)
            measure = (
                f"authorised {(assessed_on - referred_on).days} days after the referral"
                if assessed_on
                else "not authorised yet"
            )
            found.append(self._episode_behind(row, referred_on, counted, measure))
        return found

    def assessment_completion(self, kpi: Kpi) -> Figure:
        return self._judged(kpi, self.behind_assessment_completion())

    def behind_initial_meeting(self) -> list[Behind]:
        found = []
        for row in self._episode_rows():
            if row["origin"] != Episode.Origin.FRONT_DOOR or not self._in_period(row["referred_at"]):
                continue
            referred_on = self._local(row["referred_at"])
            assert referred_on is not None
            met_on = self._local(row["first_meeting_at"])
            counted = meeting_in_time(
                referred_on,
                self._local(row["assessment_authorised_at"]),
                met_on,
                rules=self.rules,
                today=self.today,
            )
            measure = f"held {(met_on - referred_on).days} days after the referral" if met_on else "not held yet"
            found.append(self._episode_behind(row, referred_on, counted, measure))
        return found

    def initial_meeting(self, kpi: Kpi) -> Figure:
        return self._judged(kpi, self.behind_initial_meeting())

    def _open_with_coach(self, *, allocated_days_before: int) -> list[dict[str, Any]]:
        cutoff = self.period.ends - timedelta(days=allocated_days_before)
        return [
            row
            for row in self._episode_rows()
            if self._open_at_end(row) and row["allocated_at"] is not None and row["allocated_at"] < cutoff
        ]

    def behind_last_visit(self) -> list[Behind]:
        found = []
        for row in self._open_with_coach(allocated_days_before=VISIT_WINDOW_DAYS):
            seen_on = self._local(row["last_visit"])
            counted = recent(seen_on, self.today, days=VISIT_WINDOW_DAYS)
            measure = f"last seen {seen_on:%d/%m/%Y}" if seen_on else "never seen"
            found.append(self._episode_behind(row, seen_on, counted, measure))
        return found

    def last_visit(self, kpi: Kpi) -> Figure:
        figure = self._judged(kpi, self.behind_last_visit())
        figure.beside = []
        return figure

    def behind_length_open(self) -> list[Behind]:
        found = []
        for row in self._episode_rows():
            if not self._open_at_end(row):
                continue
            opened_on = self._local(row["opened_at"])
            assert opened_on is not None
            past = self.today > months_later(opened_on, self.rules.intervention_months)
            found.append(self._episode_behind(row, opened_on, past, f"open {(self.today - opened_on).days} days"))
        return found

    def length_open(self, kpi: Kpi) -> Figure:
        behind = self.behind_length_open()
        bands: Counter[str] = Counter()
        for row in behind:
            assert row.when is not None
            if self.today <= months_later(row.when, 3):
                bands["Up to 3 months"] += 1
            elif not row.counted:
                bands["3 to 6 months"] += 1
            else:
                bands["More than 6 months"] += 1
        closed_lengths = [
            (row["closed_at"] - row["opened_at"]).days
            for row in self._episode_rows()
            if self._in_period(row["closed_at"])
        ]
        past = sum(1 for row in behind if row.counted)
        order = ("Up to 3 months", "3 to 6 months", "More than 6 months")
        return Figure(
            kpi,
            percent(past, len(behind)),
            numerator=past,
            denominator=len(behind),
            beside=[
                ("Closed in the period", f"{len(closed_lengths):,}"),
                (
                    "Median days open, of those closed",
                    f"{median(closed_lengths):.0f}" if closed_lengths else "none closed",
                ),
            ],
            breakdowns=[Breakdown("Open families by time open", [(band, bands[band]) for band in order], len(behind))],
        )

    def behind_last_review(self) -> list[Behind]:
        found = []
        cutoff = self.period.ends - timedelta(days=REVIEW_WINDOW_DAYS)
        for row in self._episode_rows():
            if not self._open_at_end(row) or row["first_meeting_at"] is None or row["first_meeting_at"] >= cutoff:
                continue
            met_on = self._local(row["last_tam"])
            counted = recent(met_on, self.today, days=REVIEW_WINDOW_DAYS)
            found.append(self._episode_behind(row, met_on, counted, f"last met {met_on:%d/%m/%Y}" if met_on else ""))
        return found

    def last_review(self, kpi: Kpi) -> Figure:
        figure = self._judged(kpi, self.behind_last_review())
        figure.beside = []
        return figure

    def _meetings(self, kinds: Iterable[str]) -> QuerySet[Meeting]:
        return Meeting.objects.filter(
            episode__in=self._episodes_in_scope(),
            kind__in=list(kinds),
            held_at__gte=self.period.starts,
            held_at__lt=self.period.ends,
        )

    def behind_review_attendance(self) -> list[Behind]:
        meetings = self._meetings([Meeting.Kind.INITIAL, Meeting.Kind.REVIEW]).annotate(
            agencies=Count(
                "attended__agency",
                filter=Q(attended__is_family=False) & ~Q(attended__agency=""),
                distinct=True,
            )
        )
        return [
            Behind(
                kind="meeting",
                pk=row["pk"],
                reference=f"EP{row['episode_id']:07d}",
                family_id=row["episode__family_id"],
                when=self._local(row["held_at"]),
                category=Meeting.Kind(row["kind"]).label,
                counted=row["agencies"] > 0,
                measure=f"{row['agencies']} agencies",
            )
            for row in meetings.values(
                "pk", "episode_id", "episode__family_id", "held_at", "kind", "agencies"
            ).order_by("held_at", "pk")
        ]

    def review_attendance(self, kpi: Kpi) -> Figure:
        behind = self.behind_review_attendance()
        agencies = [int(row.measure.split()[0]) for row in behind]
        figure = self._judged(kpi, behind)
        figure.beside = [
            ("Average agencies at a meeting", f"{sum(agencies) / len(agencies):.1f}" if agencies else "no meetings")
        ]
        figure.breakdowns = [
            Breakdown(
                "Meetings by agencies attending",
                sorted(Counter(f"{n} agencies" if n != 1 else "1 agency" for n in agencies).items()),
                len(agencies),
            )
        ]
        return figure

    def behind_copies_given(self) -> list[Behind]:
        return [
            Behind(
                kind="meeting",
                pk=row["pk"],
                reference=f"EP{row['episode_id']:07d}",
                family_id=row["episode__family_id"],
                when=self._local(row["held_at"]),
                category=Meeting.Kind(row["kind"]).label,
                counted=row["copies_given"],
            )
            for row in self._meetings([Meeting.Kind.INITIAL, Meeting.Kind.REVIEW])
            .values("pk", "episode_id", "episode__family_id", "held_at", "kind", "copies_given")
            .order_by("held_at", "pk")
        ]

    def copies_given(self, kpi: Kpi) -> Figure:
        behind = self.behind_copies_given()
        figure = self._judged(kpi, behind)
        figure.beside = []
        figure.breakdowns = [
            Breakdown("Copies given, by meeting", sorted(Counter(r.category for r in behind if r.counted).items()))
        ]
        return figure

    def open_and_closed(self, kpi: Kpi) -> Figure:
        rows = self._episode_rows()
        months = months_of(self.period)
        trend_rows = []
        for first in months:
            starts = datetime.combine(first, datetime.min.time(), self.hours.zone)
            ends = datetime.combine(months_later(first, 1), datetime.min.time(), self.hours.zone)
            opened = sum(1 for row in rows if starts <= row["opened_at"] < ends)
            closed = sum(1 for row in rows if row["closed_at"] is not None and starts <= row["closed_at"] < ends)
            still = sum(
                1 for row in rows if row["opened_at"] < ends and (row["closed_at"] is None or row["closed_at"] >= ends)
            )
            trend_rows.append((month_label(first), opened, closed, still))
        closed_in_period = sum(1 for row in rows if self._in_period(row["closed_at"]))
        opened_in_period = sum(1 for row in rows if self._in_period(row["opened_at"]))
        return Figure(
            kpi,
            Decimal(closed_in_period),
            beside=[
                ("Opened in the period", f"{opened_in_period:,}"),
                ("Open on the period's last day", f"{sum(1 for row in rows if self._open_at_end(row)):,}"),
            ],
            breakdowns=[
                Breakdown("Opened each month", [(label, opened) for label, opened, _, _ in trend_rows]),
                Breakdown("Closed each month", [(label, closed) for label, _, closed, _ in trend_rows]),
                Breakdown("Open at each month's end", [(label, still) for label, _, _, still in trend_rows]),
            ],
            trend=[(label, closed) for label, _, closed, _ in trend_rows],
            trend_title="Closures each month",
        )

    def behind_last_supervision(self) -> list[Behind]:
        found = []
        month_before = months_later(self.today, -self.rules.case_supervision_months)
        cutoff_days = (self.today - month_before).days
        for row in self._open_with_coach(allocated_days_before=cutoff_days):
            last = row["last_supervision"]
            counted = last is not None and month_before <= last <= self.today
            found.append(self._episode_behind(row, last, counted, f"last note {last:%d/%m/%Y}" if last else "no note"))
        return found

    def last_supervision(self, kpi: Kpi) -> Figure:
        figure = self._judged(kpi, self.behind_last_supervision())
        figure.beside = []
        return figure

    # Demography ------------------------------------------------------------------------------

    def demography_rows(self) -> dict[str, list[tuple[str, str, str, date | None, date | None]]]:
        """The children counted: each as (key, gender, ethnicity, date of birth, expected date of
        delivery), from contacts and
        from open families. A child on two contacts is counted once."""
        if "demography" in self._cache:
            return self._cache["demography"]  # type: ignore[no-any-return]
        on_contacts = {}
        for pk, person, gender, born, person_gender, ethnicity, person_born, expected, person_expected in (
            ContactPerson.objects.filter(
                contact__in=self.contacts(), role__in=[ContactPerson.Role.CHILD, ContactPerson.Role.UNBORN]
            )
            .values_list(
                "pk",
                "person_id",
                "gender",
                "date_of_birth",
                "person__gender",
                "person__ethnicity",
                "person__date_of_birth",
                "expected_date_of_delivery",
                "person__expected_date_of_delivery",
            )
            .order_by("pk")
        ):
            key = f"person-{person}" if person else f"entry-{pk}"
            on_contacts[key] = (
                key,
                person_gender or gender,
                ethnicity or Ethnicity.NOBT,
                person_born or born,
                person_expected or expected,
            )
        open_ids = [row["pk"] for row in self._episode_rows() if self._open_at_end(row)]
        in_open = {
            f"person-{person}": (f"person-{person}", gender, ethnicity, born, expected)
            for person, gender, ethnicity, born, expected in EpisodeChild.objects.filter(episode_id__in=open_ids)
            .values_list(
                "person_id",
                "person__gender",
                "person__ethnicity",
                "person__date_of_birth",
                "person__expected_date_of_delivery",
            )
            .order_by("pk")
        }
        found = {"contacts": list(on_contacts.values()), "open": list(in_open.values())}
        self._cache["demography"] = found
        return found

    def _age_of(self, child: tuple[str, str, str, date | None, date | None]) -> str:
        return age_band(child[3], self.today, expected=child[4])

    def demography(self, kpi: Kpi) -> Figure:
        from earlyhelp.performance.models import ReferenceFigure

        rows = self.demography_rows()
        genders, ethnicities = dict(Gender.choices), dict(Ethnicity.choices)
        breakdowns = []
        reference: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for figure in ReferenceFigure.objects.filter(authority_id=self.scope.authority_id).values_list(
            "source", "dimension", "category", "count"
        ):
            reference[(figure[0], figure[1])][figure[2]] = figure[3]
        for dimension, title, of in (
            ("age", "Age", self._age_of),
            ("gender", "Gender", lambda child: str(genders.get(child[1], child[1]))),
            ("ethnicity", "Ethnicity", lambda child: str(ethnicities.get(child[2], child[2]))),
        ):
            for which, label in (("contacts", "Children on contacts"), ("open", "Children in open families")):
                counted = Counter(of(child) for child in rows[which])
                order = AGE_BANDS if dimension == "age" else sorted(counted)
                breakdowns.append(
                    Breakdown(
                        f"{title}: {label.lower()}",
                        [(band, counted[band]) for band in order if counted[band] or dimension == "age"],
                        len(rows[which]),
                    )
                )
            for source, source_label in (
                ("childrens_social_care", "children's social care"),
                ("local_population", "the local population"),
            ):
                known = reference[(source, dimension)]
                if known:
                    breakdowns.append(
                        Breakdown(f"{title}: {source_label} (reference data)", list(known.items()), sum(known.values()))
                    )
        return Figure(
            kpi,
            Decimal(len(rows["contacts"])),
            beside=[("Children in open families", f"{len(rows['open']):,}")],
            breakdowns=breakdowns,
        )

    # Outcomes --------------------------------------------------------------------------------

    def wellbeing_changes(self) -> list[tuple[int, int, int, int, int | None]]:
        """Each child of an episode closed in the period with a first and a closing score:
        (episode, family, person, first, closing) on the closing scale, as points."""
        closed = [row["pk"] for row in self._episode_rows() if self._in_period(row["closed_at"])]
        scores = (
            WellbeingScore.objects.filter(episode_id__in=closed)
            .values_list("episode_id", "episode__family_id", "person_id", "point", "score", "recorded_at")
            .order_by("recorded_at", "pk")
        )
        first: dict[tuple[int, int], tuple[int, int]] = {}
        closing: dict[tuple[int, int], int] = {}
        self._cache["scores"] = list(scores)
        for episode, family, person, point, score, _ in self._cache["scores"]:
            key = (episode, person)
            if point in (WellbeingScore.Point.ALLOCATION, WellbeingScore.Point.ASSESSMENT) and key not in first:
                first[key] = (family, score)
            if point == WellbeingScore.Point.CLOSURE:
                closing[key] = score
        return [
            (episode, family, person, start, closing.get((episode, person)))
            for (episode, person), (family, start) in first.items()
        ]

    def wellbeing(self, kpi: Kpi) -> Figure:
        changes = [change for change in self.wellbeing_changes() if change[4] is not None]
        improved = sum(1 for *_, start, end in changes if end is not None and end > start)
        average_change = sum((end or 0) - start for *_, start, end in changes) / len(changes) if changes else None
        by_point: dict[str, list[int]] = defaultdict(list)
        labels = dict(WellbeingScore.Point.choices)
        for _, _, _, point, score, _ in self._cache.get("scores", []):
            by_point[str(labels[point])].append(score)
        return Figure(
            kpi,
            percent(improved, len(changes)),
            numerator=improved,
            denominator=len(changes),
            beside=[
                (
                    "Average change (points)",
                    f"{average_change:+.1f}" if average_change is not None else "no closing scores",
                ),
                ("Children with a first score but none at closure", f"{len(self.wellbeing_changes()) - len(changes)}"),
            ],
            breakdowns=[
                Breakdown(
                    "Average score at each stage (tenths of a point)",
                    [(label, round(10 * sum(scores) / len(scores))) for label, scores in by_point.items()],
                )
            ],
        )

    def behind_satisfaction(self) -> list[Behind]:
        return [
            Behind(
                kind="meeting",
                pk=row["pk"],
                reference=f"EP{row['episode_id']:07d}",
                family_id=row["episode__family_id"],
                when=self._local(row["held_at"]),
                category="Feedback given" if row["family_feedback"] else "No feedback recorded",
                counted=row["feedback_offered"],
            )
            for row in self._meetings([Meeting.Kind.ENDING])
            .values("pk", "episode_id", "episode__family_id", "held_at", "feedback_offered", "family_feedback")
            .order_by("held_at", "pk")
        ]

    def satisfaction(self, kpi: Kpi) -> Figure:
        behind = self.behind_satisfaction()
        figure = self._judged(kpi, behind)
        figure.beside = [("Families who gave feedback", f"{sum(1 for r in behind if r.category == 'Feedback given')}")]
        figure.breakdowns = [
            Breakdown("Ending meetings", sorted(Counter(r.category for r in behind).items()), len(behind))
        ]
        return figure

    # Neighbourhood meetings and forums -------------------------------------------------------

    def _forums(self) -> QuerySet[Forum]:
        forums = Forum.objects.filter(authority_id=self.scope.authority_id)
        if self.scope.area_id:
            forums = forums.filter(area_id=self.scope.area_id)
        return forums

    def behind_meeting_wait(self) -> list[Behind]:
        discussions = Discussion.objects.filter(
            meeting__forum__in=self._forums(),
            meeting__held_on__gte=self.period.since,
            meeting__held_on__lte=self.period.until,
            request__contact__isnull=False,
        )
        if self.scope.team_id or self.scope.coach_id:
            discussions = discussions.filter(request__contact__in=self.contacts())
        found: dict[int, Behind] = {}
        for pk, family, held_on, received_at, outcome, forum in discussions.values_list(
            "request_id",
            "request__family_id",
            "meeting__held_on",
            "request__contact__received_at",
            "request__status",
            "meeting__forum__name",
        ).order_by("meeting__held_on", "pk"):
            received_on = self._local(received_at)
            assert received_on is not None
            if pk not in found:
                found[pk] = Behind(
                    kind="request",
                    pk=pk,
                    reference=f"FD{pk:06d}",
                    family_id=family,
                    when=held_on,
                    category=forum,
                    counted=None,
                    measure=f"{(held_on - received_on).days} days; {RequestForDiscussion.Status(outcome).label}",
                )
        return list(found.values())

    def meeting_wait(self, kpi: Kpi) -> Figure:
        behind = self.behind_meeting_wait()
        waits = [int(row.measure.split()[0]) for row in behind]
        outcomes = Counter(row.measure.split("; ", 1)[1] for row in behind)
        return Figure(
            kpi,
            Decimal(str(median(waits))).quantize(Decimal("0.1")) if waits else None,
            beside=[("Families discussed", f"{len(behind):,}")],
            breakdowns=[
                Breakdown("Outcome of the discussion", outcomes.most_common(), len(behind)),
                Breakdown("By meeting", sorted(Counter(row.category for row in behind).items())),
            ],
        )

    def forums(self, kpi: Kpi) -> Figure:
        figures = forum_figures(self._forums(), self.period)
        due = sum(figure.actions_due for figure in figures)
        done = sum(figure.actions_done_on_time for figure in figures)
        return Figure(
            kpi,
            percent(done, due),
            numerator=done,
            denominator=due,
            beside=[
                ("Cases discussed", f"{sum(f.cases_discussed for f in figures):,}"),
                ("Community issues discussed", f"{sum(f.issues_discussed for f in figures):,}"),
                ("Outcomes met", f"{sum(f.outcomes_met for f in figures):,}"),
            ],
            breakdowns=[
                Breakdown("Cases discussed, by forum", [(f.forum.name, f.cases_discussed) for f in figures]),
                Breakdown("Actions done on time, by forum", [(f.forum.name, f.actions_done_on_time) for f in figures]),
            ],
        )

    # The drill-down ---------------------------------------------------------------------------

    def behind(self, key: str) -> list[Behind] | QuerySet[Contact]:
        """The records behind a KPI's figure: a queryset of contacts for the front door's KPIs (the
        page lists them a page at a time), a list for the rest."""
        kpi = BY_KEY[key]
        if kpi.records == "contacts":
            contacts = self.contacts()
            if key == "repeat_referrals":
                contacts = contacts.filter(family__isnull=False).annotate(known=self.known_before())
            return contacts.order_by("received_at", "pk")
        lister: Callable[[], list[Behind]] | None = getattr(self, f"behind_{key}", None)
        if lister is not None:
            return lister()
        if key == "open_and_closed":
            return [
                self._episode_behind(row, self._local(row["closed_at"]), True, "closed")
                for row in self._episode_rows()
                if self._in_period(row["closed_at"])
            ]
        if key == "wellbeing":
            return [
                Behind(
                    kind="episode",
                    pk=episode,
                    reference=f"EP{episode:07d}",
                    family_id=family,
                    when=None,
                    category="",
                    counted=None if end is None else end > start,
                    measure=f"from {start} to {end}" if end is not None else f"from {start}; no closing score",
                )
                for episode, family, _, start, end in self.wellbeing_changes()
            ]
        return [
            self._episode_behind(row, self._local(row["opened_at"]), None, "")
            for row in self._episode_rows()
            if self._open_at_end(row)
        ]
