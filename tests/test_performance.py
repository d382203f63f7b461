"""The performance framework: each KPI against figures worked out by hand (over bank holidays,
reopened episodes, step-downs and children with no date of birth), the pages for each role, the
downloads opened as an analyst's tools open them, and the queries a page makes as data grows."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import Episode
from earlyhelp.casework.schedule import TimescaleRules
from earlyhelp.frontdoor.models import Contact
from earlyhelp.frontdoor.referrals import PersonDetails
from earlyhelp.performance import measures as m
from earlyhelp.performance.definitions import KPIS
from earlyhelp.performance.exports import as_csv, safe_cell
from earlyhelp.performance.measures import Measures, Period, Scope
from earlyhelp.performance.models import ReferenceFigure, Target
from tests.conftest import signed_in
from tests.factories import episode_allocated

LONDON = ZoneInfo("Europe/London")
RULES = TimescaleRules()


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


# The judgements, at their edges -----------------------------------------------------------------


def test_a_first_visit_on_the_fifth_day_after_the_referral_is_on_time_and_on_the_sixth_is_late():
    referred = date(2026, 3, 2)
    assert m.visited_in_time(referred, date(2026, 3, 7), days=5, today=date(2026, 4, 1)) is True
    assert m.visited_in_time(referred, date(2026, 3, 8), days=5, today=date(2026, 4, 1)) is False
    # Not seen: still running on the fifth day, late from the sixth.
    assert m.visited_in_time(referred, None, days=5, today=date(2026, 3, 7)) is None
    assert m.visited_in_time(referred, None, days=5, today=date(2026, 3, 8)) is False


def test_done_by_the_due_day_is_on_time_and_not_done_once_it_has_passed_is_late():
    due = date(2026, 4, 10)
    assert m.by_due(due, due, date(2026, 5, 1)) is True
    assert m.by_due(due, due + timedelta(days=1), date(2026, 5, 1)) is False
    assert m.by_due(due, None, due) is None
    assert m.by_due(due, None, due + timedelta(days=1)) is False


def test_the_initial_meeting_must_be_within_10_days_of_the_assessment_as_well_as_30_of_the_referral():
    referred = date(2026, 1, 5)
    # Assessed on day 12: the meeting is due by day 22, earlier than day 30.
    assert m.meeting_in_time(referred, date(2026, 1, 17), date(2026, 1, 27), rules=RULES, today=date(2026, 3, 1))
    assert not m.meeting_in_time(referred, date(2026, 1, 17), date(2026, 1, 28), rules=RULES, today=date(2026, 3, 1))
    # Not assessed before the meeting: only the 30 days count.
    assert m.meeting_in_time(referred, None, date(2026, 2, 4), rules=RULES, today=date(2026, 3, 1))
    assert not m.meeting_in_time(referred, None, date(2026, 2, 5), rules=RULES, today=date(2026, 3, 1))
    # Assessed after the meeting: the 10 days do not bind it.
    assert m.meeting_in_time(referred, date(2026, 2, 3), date(2026, 1, 20), rules=RULES, today=date(2026, 3, 1))


def test_recent_means_within_the_days_up_to_and_including_the_day():
    on = date(2026, 6, 30)
    assert m.recent(date(2026, 6, 16), on, days=14)
    assert not m.recent(date(2026, 6, 15), on, days=14)
    assert m.recent(on, on, days=14)
    assert not m.recent(date(2026, 7, 1), on, days=14)
    assert not m.recent(None, on, days=14)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (None, "Age not known"),
        (date(2026, 7, 1), "Unborn"),
        (date(2026, 6, 30), "Under 1"),
        (date(2025, 7, 1), "Under 1"),
        (date(2025, 6, 30), "1 to 4"),
        (date(2021, 7, 1), "1 to 4"),
        (date(2021, 6, 30), "5 to 9"),
        (date(2016, 6, 30), "10 to 15"),
        (date(2010, 7, 1), "10 to 15"),
        (date(2010, 6, 30), "16 and over"),
    ],
)
def test_age_bands_change_on_the_birthday(born, band):
    assert m.age_band(born, date(2026, 6, 30)) == band


def test_percentages_round_half_up_to_one_place_and_nothing_to_divide_is_none():
    assert m.percent(1, 8) == Decimal("12.5")
    assert m.percent(1, 3) == Decimal("33.3")
    assert m.percent(2, 3) == Decimal("66.7")
    assert m.percent(1, 16) == Decimal("6.3")  # 6.25 rounds up
    assert m.percent(0, 0) is None


def test_a_period_has_each_calendar_month_it_touches():
    assert m.months_of(Period(date(2026, 1, 15), date(2026, 3, 1))) == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert m.months_of(Period(date(2026, 12, 31), date(2027, 1, 1))) == [date(2026, 12, 1), date(2027, 1, 1)]


def test_every_kpi_has_its_definition_and_its_function():
    assert len({kpi.key for kpi in KPIS}) == len(KPIS)
    for kpi in KPIS:
        assert callable(getattr(Measures, kpi.key)), kpi.key
        assert all((kpi.counts, kpi.dates, kpi.source)), kpi.key


def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+44") == "'+44"
    assert safe_cell("Family conflict") == "Family conflict"
    assert safe_cell(3) == 3


# Figures from records, worked out by hand -------------------------------------------------------


def dated(model, pk: int, **fields) -> None:
    """Set a record's dates as a test's story needs them, through an audited save."""
    from earlyhelp.audit.trail import audited_writes, record_change
    from tests.factories import system_user

    with audited_writes():
        found = model.objects.get(pk=pk)
        for name, value in fields.items():
            setattr(found, name, value)
        found.save(update_fields=list(fields))
        record_change(actor=system_user(), verb=AuditEvent.Verb.UPDATED, target=found, changes={"test": "dated"})


def family_episode(team, coach, leader, number: int, **dates):
    """An allocated episode of a family of its own, its dates then set as the test says."""
    child = PersonDetails(
        role="child", first_name=f"Child{number}", last_name=f"Family{number}", date_of_birth=date(2018, 3, 1)
    )
    episode = episode_allocated(team, coach, leader, children=[child], adults=[])
    if dates.get("first_visit_at"):
        dates.setdefault("written_consent_on", dates["first_visit_at"].date())
        dates.setdefault("written_consent_given_by", "Their mother")
    if dates:
        dated(Episode, episode.pk, **dates)
    episode.refresh_from_db()
    return episode


def measured(authority, since: date, until: date, **scope) -> Measures:
    return Measures(authority, Period(since, until), Scope(authority_id=authority.pk, **scope))


@pytest.mark.django_db
def test_first_visits_counted_both_ways_over_the_easter_bank_holidays(authority, team, coach, team_leader):
    # Referred Monday 30 March 2026, allocated Wednesday 1 April. Five days from the referral end
    # on Saturday 4 April; five working days from allocation skip Good Friday (3 April) and Easter
    # Monday (6 April) and end on Friday 10 April.
    referred, allocated = at(date(2026, 3, 30)), at(date(2026, 4, 1))
    common = {"referred_at": referred, "reached_team_at": referred, "opened_at": referred, "allocated_at": allocated}
    family_episode(team, coach, team_leader, 1, first_visit_at=at(date(2026, 4, 3)), **common)  # both on time
    family_episode(team, coach, team_leader, 2, first_visit_at=at(date(2026, 4, 10)), **common)  # allocation only
    family_episode(team, coach, team_leader, 3, first_visit_at=at(date(2026, 4, 13)), **common)  # neither
    family_episode(team, coach, team_leader, 4, first_visit_at=None, **common)  # never seen: late both ways
    measures = measured(authority, date(2026, 3, 1), date(2026, 4, 30))

    from_referral = measures.figure("first_visit_from_referral")
    assert (from_referral.numerator, from_referral.denominator) == (1, 4)
    assert from_referral.value == Decimal("25.0")
    from_allocation = measures.figure("first_visit_from_allocation")
    assert (from_allocation.numerator, from_allocation.denominator) == (2, 4)
    assert from_allocation.met is False  # the default target is 90%


@pytest.mark.django_db
def test_a_visit_still_within_its_days_is_not_yet_counted(authority, team, coach, team_leader):
    referred = at(date(2026, 4, 28))
    family_episode(
        team,
        coach,
        team_leader,
        1,
        referred_at=referred,
        reached_team_at=referred,
        opened_at=referred,
        allocated_at=referred,
        first_visit_at=None,
    )
    figure = measured(authority, date(2026, 4, 1), date(2026, 4, 30)).figure("first_visit_from_referral")
    assert (figure.numerator, figure.denominator) == (0, 0)
    assert figure.value is None
    assert ("Still to come", "1") in figure.beside


@pytest.mark.django_db
def test_step_downs_are_left_out_of_the_visit_and_assessment_clocks_from_referral(authority, team, coach, team_leader):
    referred = at(date(2026, 5, 4))
    common = {"referred_at": referred, "reached_team_at": referred, "opened_at": referred, "allocated_at": referred}
    family_episode(team, coach, team_leader, 1, assessment_authorised_at=at(date(2026, 5, 24)), **common)
    family_episode(team, coach, team_leader, 2, origin=Episode.Origin.STEP_DOWN, **common)
    measures = measured(authority, date(2026, 5, 1), date(2026, 7, 31))
    assessment = measures.figure("assessment_completion")
    # Authorised on the 20th day after the referral: on time; the step-down is not counted.
    assert (assessment.numerator, assessment.denominator) == (1, 1)
    assert measures.figure("first_visit_from_referral").denominator == 1


@pytest.mark.django_db
def test_the_assessment_on_the_21st_day_is_late(authority, team, coach, team_leader):
    referred = at(date(2026, 5, 4))
    family_episode(
        team,
        coach,
        team_leader,
        1,
        referred_at=referred,
        reached_team_at=referred,
        opened_at=referred,
        allocated_at=referred,
        assessment_authorised_at=at(date(2026, 5, 25)),
    )
    figure = measured(authority, date(2026, 5, 1), date(2026, 7, 31)).figure("assessment_completion")
    assert (figure.numerator, figure.denominator) == (0, 1)


@pytest.mark.django_db
def test_contact_to_allocation_counts_working_hours_over_a_bank_holiday(authority, team, coach, team_leader):
    # Reached the team at 4pm on Thursday 2 April 2026; the next working day is Tuesday 7 April.
    # One hour on the Thursday, then 9am to 4pm on the Tuesday is 7 more: 8 working hours, the target.
    reached = at(date(2026, 4, 2), 16)
    common = {"referred_at": reached, "reached_team_at": reached, "opened_at": reached}
    family_episode(team, coach, team_leader, 1, allocated_at=at(date(2026, 4, 7), 16), **common)
    family_episode(team, coach, team_leader, 2, allocated_at=at(date(2026, 4, 7), 17), **common)
    figure = measured(authority, date(2026, 4, 1), date(2026, 4, 30)).figure("contact_to_allocation")
    assert (figure.numerator, figure.denominator) == (1, 2)


@pytest.mark.django_db
def test_repeat_referrals_as_the_performance_table_defines_them_beside_the_front_doors_flag(
    authority, team, coach, team_leader
):
    # Family 1's episode closed 300 days before its new contact: known in the last 12 months.
    # Family 2's closed 400 days before: not. Family 3 is new.
    first = family_episode(team, coach, team_leader, 1)
    second = family_episode(team, coach, team_leader, 2)
    third = family_episode(team, coach, team_leader, 3)
    new_contact_at = at(date(2026, 6, 10))
    dated(
        Episode,
        first.pk,
        opened_at=new_contact_at - timedelta(days=500),
        closed_at=new_contact_at - timedelta(days=300),
        status="closed",
    )
    dated(
        Episode,
        second.pk,
        opened_at=new_contact_at - timedelta(days=600),
        closed_at=new_contact_at - timedelta(days=400),
        status="closed",
    )
    dated(Episode, third.pk, opened_at=new_contact_at + timedelta(days=1))
    for episode in (first, second, third):
        dated(Contact, episode.contact_id, received_at=new_contact_at)
    dated(Contact, first.contact_id, re_referral=True)
    figure = measured(authority, date(2026, 6, 1), date(2026, 6, 30)).figure("repeat_referrals")
    assert (figure.numerator, figure.denominator) == (1, 3)
    assert ("Front door's flag: any earlier contact in the window", "1") in figure.beside


@pytest.mark.django_db
def test_open_families_past_six_months_and_their_last_visit_and_review(authority, team, coach, team_leader):
    end = date(2026, 9, 30)
    family_episode(
        team,
        coach,
        team_leader,
        1,
        opened_at=at(date(2026, 3, 29)),  # past 6 months on 30 September
        allocated_at=at(date(2026, 3, 30)),
        referred_at=at(date(2026, 3, 29)),
        reached_team_at=at(date(2026, 3, 29)),
        status="open",
    )
    family_episode(
        team,
        coach,
        team_leader,
        2,
        opened_at=at(date(2026, 3, 30)),  # exactly 6 months: not past
        allocated_at=at(date(2026, 3, 30)),
        referred_at=at(date(2026, 3, 30)),
        reached_team_at=at(date(2026, 3, 30)),
        status="open",
    )
    figure = measured(authority, date(2026, 9, 1), end).figure("length_open")
    assert (figure.numerator, figure.denominator) == (1, 2)
    assert figure.met is False  # the target is none past 6 months


@pytest.mark.django_db
def test_demography_counts_a_child_with_no_date_of_birth_as_age_not_known(authority, team, coach, team_leader):
    episode = family_episode(team, coach, team_leader, 1)
    # The child named on the contact, before anyone matched her: no date of birth given.
    from earlyhelp.frontdoor.models import ContactPerson

    entry = ContactPerson.objects.get(contact_id=episode.contact_id, role="child")
    dated(ContactPerson, entry.pk, date_of_birth=None, person=None)
    ReferenceFigure.objects.create(
        authority=authority, source="local_population", dimension="age", category="5 to 9", count=1200, as_of="test"
    )
    today = date.today()
    figure = measured(authority, today - timedelta(days=30), today).figure("demography")
    contact_ages = next(b for b in figure.breakdowns if b.title == "Age: children on contacts")
    assert dict(contact_ages.rows)["Age not known"] == 1
    open_ages = next(b for b in figure.breakdowns if b.title == "Age: children in open families")
    assert dict(open_ages.rows)["5 to 9"] == 1
    assert any(b.title == "Age: the local population (reference data)" for b in figure.breakdowns)


@pytest.mark.django_db
def test_contacts_are_counted_by_source_and_outcome_and_a_targets_row_replaces_the_default(
    authority, team, coach, team_leader
):
    family_episode(team, coach, team_leader, 1)
    family_episode(team, coach, team_leader, 2)
    today = date.today()
    measures = measured(authority, today - timedelta(days=30), today)
    Target.objects.create(authority=authority, kpi="contact_to_allocation", target=Decimal("50"))
    measures.targets = {"contact_to_allocation": Decimal("50")}
    assert measures.figure("contacts_received").value == 2
    outcome = measures.figure("contact_outcome")
    assert dict(outcome.breakdowns[0].rows) == {"Open to the family support team": 2}
    assert measures.figure("contact_to_allocation").target == Decimal("50")
    # Another team sees none of them.
    other = measured(authority, today - timedelta(days=30), today, team_id=team.pk + 1000)
    assert other.figure("contacts_received").value == 0


# The pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_analyst_sees_the_records_behind_a_figure_by_reference_never_by_name(
    authority, team, coach, team_leader, analyst
):
    episode = family_episode(team, coach, team_leader, 1)
    client = signed_in(analyst)
    page = client.get("/performance/contact-to-allocation/")
    assert page.status_code == 200
    text = page.content.decode()
    assert episode.reference in text
    assert episode.family.name not in text
    assert "References only" in text
    assert not AuditEvent.objects.filter(actor=analyst, verb=AuditEvent.Verb.LISTED).exists()


@pytest.mark.django_db
def test_a_team_leader_sees_the_families_named_and_each_one_listed_is_recorded(authority, team, coach, team_leader):
    episode = family_episode(team, coach, team_leader, 1)
    page = signed_in(team_leader).get("/performance/contact-to-allocation/")
    assert page.status_code == 200
    assert episode.family.name in page.content.decode()
    assert f"/episodes/{episode.pk}/" in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=team_leader, verb=AuditEvent.Verb.LISTED, target_id=episode.family_id
    ).exists()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


@pytest.mark.django_db
def test_the_dashboard_keeps_its_filters_in_the_address_and_downloads_what_it_shows(
    authority, team, coach, team_leader, analyst
):
    family_episode(team, coach, team_leader, 1)
    today = date.today()
    since = today - timedelta(days=60)
    query = (
        f"since_0={since.day}&since_1={since.month}&since_2={since.year}"
        f"&until_0={today.day}&until_1={today.month}&until_2={today.year}&team={team.pk}"
    )
    client = signed_in(analyst)
    page = client.get(f"/performance/?{query}")
    assert page.status_code == 200
    text = page.content.decode()
    assert team.name in text
    assert f"/performance/contacts-received/?{query.replace('&', '&amp;')}" in text

    spreadsheet = client.get(f"/performance/?{query}&format=xlsx")
    assert spreadsheet["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(spreadsheet.content))
    sheet = book["KPIs"]
    assert [cell.value for cell in sheet[1]][:3] == ["KPI", "Figure", "Unit"]
    titles = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert titles == [kpi.title for kpi in KPIS]
    received = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Contacts received")
    assert received[1].value == 1

    text_file = client.get(f"/performance/contacts-received/?{query}&format=csv&list=records")
    rows = list(csv.reader(io.StringIO(text_file.content.decode("utf-8-sig"))))
    assert rows[1] == ["Reference", "Date", "Group", "Counted", "Measure"]  # no family column for an analyst
    assert len(rows) == 3


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused_next_to_the_field(analyst):
    page = signed_in(analyst).get("/performance/?since_0=1&since_1=6&since_2=2026&until_0=1&until_1=5&until_2=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Error: Performance" in text
    assert "The end of the period must be on or after its start" in text


@pytest.mark.django_db
def test_a_kpi_page_makes_the_same_queries_however_many_families_are_behind_it(authority, team, coach, team_leader):
    client = signed_in(team_leader)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as dashboard:
            assert client.get("/performance/").status_code == 200
        with CaptureQueriesContext(connection) as kpi:
            assert client.get("/performance/first-visit-from-allocation/").status_code == 200
        return len(dashboard), len(kpi)

    family_episode(team, coach, team_leader, 1)
    first = queries()
    for number in range(2, 5):
        family_episode(team, coach, team_leader, number)
    assert queries() == first


def test_a_csv_starts_with_a_byte_order_mark_and_writes_dates_the_british_way():
    content = as_csv([("Title", ["Date"], [[date(2026, 4, 3)]])])
    assert content.startswith("\ufeff".encode())
    assert "03/04/2026" in content.decode("utf-8-sig")


def test_an_unborn_baby_is_counted_as_unborn_by_the_expected_date_not_as_age_not_known():
    assert m.age_band(None, date(2026, 6, 30), expected=date(2026, 9, 1)) == "Unborn"
    assert m.age_band(None, date(2026, 6, 30), expected=date(2026, 6, 30)) == "Age not known"


@pytest.mark.django_db
def test_a_partner_agencys_training_and_referrals_against_its_own_targets(authority, team, coach, team_leader, analyst):
    from earlyhelp.performance.models import AgencyRole, AgencyTarget
    from earlyhelp.performance.partner_agencies import agency_figures
    from tests.factories import AgencyFactory

    council = AgencyFactory(authority=authority, name="East Northamptonshire Council", kind="local_authority")
    AgencyRole.objects.create(
        agency=council,
        role="Housing officer",
        contact_with_children="high",
        staff=8,
        caf_trained=6,
        counted_on=date.today(),
    )
    AgencyRole.objects.create(
        agency=council,
        role="Community safety",
        contact_with_children="high",
        staff=2,
        caf_trained=2,
        counted_on=date.today(),
    )
    AgencyRole.objects.create(
        agency=council,
        role="Front desk",
        contact_with_children="low",
        staff=5,
        awareness_attended=4,
        counted_on=date.today(),
    )
    AgencyRole.objects.create(
        agency=council, role="Finance", contact_with_children="none", staff=30, counted_on=date.today()
    )
    AgencyTarget.objects.create(
        agency=council, measure="high_contact_caf_trained", target=Decimal("100"), by=date.today()
    )
    AgencyTarget.objects.create(
        agency=council, measure="referrals_to_early_help", target=Decimal("50"), by=date.today()
    )
    # Two of its referrals: one allocated to a team (help put in place), one redirected.
    helped = family_episode(team, coach, team_leader, 1)
    dated(Contact, helped.contact_id, referrer_agency=council)
    other = family_episode(team, coach, team_leader, 2)
    dated(Contact, other.contact_id, referrer_agency=council, status=Contact.Status.REDIRECTED)

    today = date.today()
    [figures] = agency_figures(authority, Period(today - timedelta(days=30), today))
    assert figures.staff == {"high": 10, "low": 5, "none": 30}
    trained, aware, attended, referrals = figures.measures
    assert (trained.value, trained.counted, trained.met) == (Decimal("80.0"), "8 of 10", False)
    assert (aware.value, aware.met) == (Decimal("80.0"), None)
    assert attended.value == 4
    assert (referrals.value, referrals.counted, referrals.met) == (
        Decimal("50.0"),
        "1 of 2 decided in the period",
        True,
    )
    page = signed_in(analyst).get("/performance/partner-agencies/")
    assert "East Northamptonshire Council" in page.content.decode()
