"""The 24-hour clock: working hours, weekends, bank holidays and closed days."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
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
    with pytest.raises(Exception, match="open before it closes"):
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
