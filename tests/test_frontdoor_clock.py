"""The 24-hour clock: working hours, weekends, bank holidays and closed days."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.frontdoor import clock

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fresh_working_time():
    clock.working_time.cache_clear()
    yield
    clock.working_time.cache_clear()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-11-23 10:00", "2026-11-24 10:00"),  # Monday morning: Tuesday morning
        ("2026-11-27 16:00", "2026-11-30 16:00"),  # Friday afternoon: Monday afternoon
        ("2026-11-27 19:30", "2026-11-30 17:00"),  # Friday evening: the whole of Monday
        ("2026-11-28 11:00", "2026-11-30 17:00"),  # Saturday: the whole of Monday
        ("2026-12-24 15:00", "2026-12-29 15:00"),  # Christmas Eve: past Christmas Day and both Boxing Days
        ("2026-11-23 08:00", "2026-11-23 17:00"),  # before opening: the rest of that day
    ],
)
def test_a_contact_is_due_one_working_day_after_it_arrives(received, due):
    assert clock.decision_due(at(received)) == at(due)


def test_days_the_service_says_it_is_closed_do_not_count(settings):
    settings.FRONT_DOOR_CLOSED_DAYS = ["2026-11-24"]
    assert clock.decision_due(at("2026-11-23 10:00")) == at("2026-11-25 10:00")


def test_the_clock_turns_amber_then_red():
    received = at("2026-11-23 10:00")
    assert clock.decision_clock(received, at("2026-11-23 12:00")).rag == clock.Rag.GREEN
    assert clock.decision_clock(received, at("2026-11-24 09:00")).rag == clock.Rag.AMBER
    assert clock.decision_clock(received, at("2026-11-24 10:01")).rag == clock.Rag.RED


def test_a_misconfigured_working_day_is_named(settings):
    settings.FRONT_DOOR_WORKING_HOURS = "17:00-09:00"
    with pytest.raises(ImproperlyConfigured, match=r"^FRONT_DOOR_WORKING_HOURS must open before it closes$"):
        clock.working_time()


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)),
    hours=st.integers(min_value=0, max_value=40),
)
def test_adding_working_time_and_measuring_it_agree(start, hours):
    clock.working_time.cache_clear()
    working = clock.working_time()
    begin = start.replace(tzinfo=LONDON)
    end = working.add_working_time(begin, timedelta(hours=hours))
    assert end >= begin
    assert working.working_seconds_between(begin, end) == pytest.approx(hours * 3600, abs=1)


def test_the_amber_and_red_boundaries_are_exact(settings):
    received = at("2026-11-23 10:00")  # due Tuesday 10:00
    # Monday 16:00 leaves exactly two working hours (16:00-17:00, then 09:00-10:00): amber.
    assert clock.decision_clock(received, at("2026-11-23 16:00")).working_hours_left == pytest.approx(2)
    assert clock.decision_clock(received, at("2026-11-23 16:00")).rag == clock.Rag.AMBER
    assert clock.decision_clock(received, at("2026-11-23 15:59")).rag == clock.Rag.GREEN
    assert clock.decision_clock(received, at("2026-11-23 15:59")).label == "On time"
    # A second more than two hours left is still on time.
    assert clock.decision_clock(received, at("2026-11-23 16:00") - timedelta(seconds=1)).rag == clock.Rag.GREEN
    settings.FRONT_DOOR_AMBER_WHEN_WORKING_HOURS_LEFT = 3
    assert clock.decision_clock(received, at("2026-11-23 15:00")).rag == clock.Rag.AMBER
    assert clock.decision_clock(received, at("2026-11-23 14:59")).rag == clock.Rag.GREEN


def test_red_is_from_the_due_moment_and_the_hours_left_go_negative():
    received = at("2026-11-23 10:00")
    due = clock.decision_clock(received, at("2026-11-24 10:00"))
    assert due.rag == clock.Rag.RED
    assert due.label == "Overdue"
    assert due.working_hours_left == 0  # at the deadline itself: none left, none overdue
    assert clock.decision_clock(received, at("2026-11-24 09:59")).rag == clock.Rag.AMBER
    assert clock.decision_clock(received, at("2026-11-24 09:59")).label == "Due soon"
    late = clock.decision_clock(received, at("2026-11-24 12:00"))
    assert late.working_hours_left == pytest.approx(-2)


def test_immediate_danger_is_never_on_time():
    received = at("2026-11-23 10:00")
    urgent = clock.decision_clock(received, at("2026-11-23 10:05"), immediate_danger=True)
    assert urgent.rag == clock.Rag.IMMEDIATE
    assert urgent.label == "Immediate danger: act now"


def test_a_decision_is_in_time_up_to_and_including_the_due_moment():
    received = at("2026-11-23 10:00")
    assert clock.decided_in_time(received, at("2026-11-24 10:00"))
    assert not clock.decided_in_time(received, at("2026-11-24 10:01"))


def test_only_englands_bank_holidays_stop_the_clock_by_default(settings):
    # 2 January 2026 is a bank holiday in Scotland, not in England.
    scottish_holiday = datetime(2026, 1, 2).date()
    assert clock.working_time().is_working_day(scottish_holiday)
    settings.FRONT_DOOR_BANK_HOLIDAYS = "GB-SCT"
    clock.working_time.cache_clear()
    assert not clock.working_time().is_working_day(scottish_holiday)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("FRONT_DOOR_WORKING_DAYS", ["mon", "funday"], "FRONT_DOOR_WORKING_DAYS has days it does not know: ['funday']"),
        ("FRONT_DOOR_BANK_HOLIDAYS", "XX", "FRONT_DOOR_BANK_HOLIDAYS: no bank holidays known for 'XX'"),
        (
            "FRONT_DOOR_WORKING_HOURS",
            "nine to five",
            "FRONT_DOOR_WORKING_HOURS must look like 09:00-17:00, not 'nine to five'",
        ),
        ("FRONT_DOOR_WORKING_HOURS", "09:00-09:00", "FRONT_DOOR_WORKING_HOURS must open before it closes"),
    ],
)
def test_a_misconfigured_clock_says_what_is_wrong(settings, setting, value, message):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured) as raised:
        clock.working_time()
    assert str(raised.value) == message


def test_day_names_may_be_written_out_in_any_case(settings):
    settings.FRONT_DOOR_WORKING_DAYS = ["Monday", "TUESDAY", "sat"]
    assert clock.working_time().weekdays == frozenset({0, 1, 5})


def test_working_hours_are_read_with_spaces(settings):
    settings.FRONT_DOOR_WORKING_HOURS = " 08:30 - 16:30 "
    working = clock.working_time()
    assert (working.opens.hour, working.opens.minute, working.closes.hour) == (8, 30, 16)


def test_working_time_counts_backwards_as_negative():
    working = clock.working_time()
    assert working.working_seconds_between(at("2026-11-23 12:00"), at("2026-11-23 10:00")) == -7200


def test_no_working_days_at_all_is_a_configuration_error(settings):
    settings.FRONT_DOOR_CLOSED_DAYS = []
    settings.FRONT_DOOR_WORKING_DAYS = []
    with pytest.raises(ImproperlyConfigured) as raised:
        clock.decision_due(at("2026-11-23 10:00"))
    assert str(raised.value) == "The front door's working days and hours leave no working time."


def test_sunday_can_be_a_working_day(settings):
    settings.FRONT_DOOR_WORKING_DAYS = ["sun"]
    assert clock.working_time().weekdays == frozenset({6})


def test_a_target_of_no_time_is_due_at_once_even_at_closing_time(settings):
    settings.FRONT_DOOR_DECISION_TARGET_WORKING_HOURS = 0
    assert clock.decision_due(at("2026-11-23 17:00")) == at("2026-11-23 17:00")


def test_the_colours_are_named_as_the_pages_and_counts_use_them():
    # Templates compare `rag == "amber"` and count by these values.
    assert [rag.value for rag in clock.Rag] == ["green", "amber", "red", "immediate"]


@pytest.mark.django_db
def test_an_authoritys_own_rules_drive_its_clock():
    from earlyhelp.organisations.models import Authority

    authority = Authority.objects.create(
        name="Anyshire",
        code="998",
        working_hours="08:00-16:00",
        working_days="mon,tue,wed,thu",
        bank_holidays="GB-SCT",
        closed_days="2026-11-24, 2026-11-25",
        decision_target_working_hours=4,
        amber_when_working_hours_left=1,
    )
    rules = clock.rules_of(authority)
    assert rules == clock.ClockRules(
        working_hours="08:00-16:00",
        working_days=("mon", "tue", "wed", "thu"),
        bank_holidays="GB-SCT",
        closed_days=("2026-11-24", "2026-11-25"),
        decision_target_working_hours=4,
        amber_when_working_hours_left=1,
    )
    # Monday 14:00 plus four working hours: Monday's last two, then Thursday 08:00-10:00.
    assert clock.decision_due(at("2026-11-23 14:00"), rules) == at("2026-11-26 10:00")
    assert clock.decision_clock(at("2026-11-23 14:00"), at("2026-11-26 09:00"), rules=rules).rag == clock.Rag.AMBER
    assert clock.decided_in_time(at("2026-11-23 14:00"), at("2026-11-26 10:00"), rules)


# The boundaries: the front door's counts by arrival time, agreeing with every contact's own clock.

RULES_TO_TRY = st.builds(
    clock.ClockRules,
    working_hours=st.sampled_from(["09:00-17:00", "08:00-16:00", "00:00-23:59"]),
    working_days=st.sampled_from([("mon", "tue", "wed", "thu", "fri"), ("mon", "tue", "wed", "thu"), ("sat", "sun")]),
    bank_holidays=st.just("GB-ENG"),
    closed_days=st.sampled_from([(), ("2026-12-29", "2026-12-30")]),
    decision_target_working_hours=st.integers(min_value=1, max_value=40),
    amber_when_working_hours_left=st.integers(min_value=0, max_value=45),
)


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2026, 12, 1), max_value=datetime(2027, 1, 10)),
    waited=st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12)), min_size=1, max_size=6),
    rules=RULES_TO_TRY,
)
def test_the_boundaries_give_every_contact_the_colour_of_its_own_clock(now, waited, rules):
    moment = now.replace(tzinfo=LONDON)
    boundaries = clock.clock_boundaries(moment, rules)
    for wait in waited:
        received = moment - wait
        assert boundaries.rag_of(received) == clock.decision_clock(received, moment, rules=rules).rag


def test_the_boundaries_are_exact_to_the_microsecond():
    now = at("2026-11-23 16:00")  # Monday: received Friday 16:00 is due now; Monday 10:00 has two hours left
    boundaries = clock.clock_boundaries(now)
    assert boundaries.overdue_if_received_by == at("2026-11-20 16:00")
    assert boundaries.due_soon_if_received_by == at("2026-11-23 10:00")
    tick = timedelta(microseconds=1)
    assert boundaries.rag_of(at("2026-11-20 16:00")) == clock.Rag.RED
    assert boundaries.rag_of(at("2026-11-20 16:00") + tick) == clock.Rag.AMBER
    assert boundaries.rag_of(at("2026-11-23 10:00")) == clock.Rag.AMBER
    assert boundaries.rag_of(at("2026-11-23 10:00") + tick) == clock.Rag.GREEN
    assert boundaries.rag_of(at("2026-11-23 10:00"), immediate_danger=True) == clock.Rag.IMMEDIATE
    assert boundaries.rag_of(at("2026-01-01 10:00")) == clock.Rag.RED  # long overdue


def test_with_amber_longer_than_the_target_every_waiting_contact_is_at_least_due_soon():
    rules = clock.ClockRules(
        working_hours="09:00-17:00",
        working_days=("mon", "tue", "wed", "thu", "fri"),
        bank_holidays="GB-ENG",
        closed_days=(),
        decision_target_working_hours=2,
        amber_when_working_hours_left=30,
    )
    now = at("2026-11-23 12:00")
    boundaries = clock.clock_boundaries(now, rules)
    assert boundaries.rag_of(now) == clock.Rag.AMBER
    assert boundaries.due_soon_if_received_by >= now + timedelta(hours=12)


def test_the_latest_arrival_is_found_to_the_microsecond_within_the_window_searched():
    now = at("2026-11-23 16:00")
    tick = timedelta(microseconds=1)
    boundary = now - timedelta(hours=5) - 3 * tick
    assert clock._latest_arrival(lambda received: received <= boundary, now) == boundary
    # Holding for none of the ten years searched: just before the earliest.
    assert clock._latest_arrival(lambda received: False, now) == now - timedelta(days=3650) - tick
    # Holding only for the earliest arrival searched.
    earliest = now - timedelta(days=3650)
    assert clock._latest_arrival(lambda received: received <= earliest, now) == earliest
    # Holding for every arrival up to a day after now.
    assert clock._latest_arrival(lambda received: True, now) == now + timedelta(days=1)


@pytest.mark.parametrize(
    ("now", "danger", "colour"),
    [
        ("2026-11-23 11:00", False, "govuk-tag--green"),
        ("2026-11-24 09:30", False, "govuk-tag--yellow"),
        ("2026-11-24 11:00", False, "govuk-tag--red"),
        ("2026-11-23 11:00", True, "govuk-tag--red"),
    ],
)
def test_each_clock_is_shown_in_its_colour(now, danger, colour):
    assert clock.decision_clock(at("2026-11-23 10:00"), at(now), immediate_danger=danger).tag_colour == colour
