"""Every casework timescale counted in its documents' unit, over weekends, bank holidays and
Christmas. Each worked example in docs/casework.md is one of these tests (same dates)."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.casework.schedule import EpisodeDates, TimescaleRules, allocation_defaults, episode_dues
from earlyhelp.casework.timescales import (
    Due,
    State,
    Unit,
    due_moment,
    last_day,
    months_later,
    working_days_between,
    working_days_later,
)
from earlyhelp.frontdoor.clock import rules_from_settings, working_time

LONDON = ZoneInfo("Europe/London")
HOURS = working_time(rules_from_settings())
RULES = TimescaleRules()


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


# docs/casework.md, "First visit: 5 working days from allocation"
def test_five_working_days_from_an_allocation_on_a_friday_end_the_next_friday():
    assert last_day(date(2026, 3, 6), 5, Unit.WORKING_DAYS, HOURS) == date(2026, 3, 13)


def test_five_working_days_from_allocation_skip_the_easter_bank_holidays():
    # Good Friday 3 April and Easter Monday 6 April 2026.
    assert last_day(date(2026, 4, 1), 5, Unit.WORKING_DAYS, HOURS) == date(2026, 4, 10)


# docs/casework.md, "Over Christmas"
def test_five_working_days_from_an_allocation_on_christmas_eve_end_on_5_january():
    # 25, 26 (Saturday), 27, and the substitute bank holiday Monday 28 December 2026 are not working days.
    assert last_day(date(2026, 12, 24), 5, Unit.WORKING_DAYS, HOURS) == date(2027, 1, 5)


def test_a_day_the_authority_is_closed_is_not_a_working_day():
    from earlyhelp.frontdoor.clock import ClockRules

    closed = working_time(
        ClockRules("09:00-17:00", ("mon", "tue", "wed", "thu", "fri"), "GB-ENG", ("2026-12-29",), 8, 2)
    )
    assert last_day(date(2026, 12, 24), 5, Unit.WORKING_DAYS, closed) == date(2027, 1, 6)


# docs/casework.md, "First visit: 5 days from referral"
def test_five_days_from_referral_count_the_weekend():
    assert last_day(date(2026, 3, 6), 5, Unit.DAYS, HOURS) == date(2026, 3, 11)


# docs/casework.md, "Assessment: 20 days from referral"
def test_twenty_days_from_a_referral_on_the_first_of_december_end_on_the_twenty_first():
    assert last_day(date(2026, 12, 1), 20, Unit.DAYS, HOURS) == date(2026, 12, 21)


# docs/casework.md, "Reviews: every 6 weeks"
def test_six_weeks_are_forty_two_days():
    assert last_day(date(2026, 11, 2), 6, Unit.WEEKS, HOURS) == date(2026, 12, 14)


# docs/casework.md, "Length of an intervention: 6 months"
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 15), date(2026, 9, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 10, 31), date(2027, 4, 30)),
        (date(2026, 12, 3), date(2027, 6, 3)),
    ],
)
def test_six_months_from_allocation_end_on_the_same_date_or_the_months_last_day(start, end):
    assert months_later(start, 6) == end
    assert last_day(start, 6, Unit.MONTHS, HOURS) == end


# docs/casework.md, "Allocation: within 24 hours of reaching the team"
def test_the_documents_24_hours_for_allocation_are_one_working_day_by_the_front_doors_clock():
    # Reached the team at 15:00 on Friday 4 December 2026: due 15:00 on Monday 7 December.
    assert due_moment(at(date(2026, 12, 4), 15), 8, HOURS) == at(date(2026, 12, 7), 15)
    # All within 72 hours: three working days, 15:00 on Wednesday 9 December.
    assert due_moment(at(date(2026, 12, 4), 15), 24, HOURS) == at(date(2026, 12, 9), 15)


def test_a_case_note_for_a_visit_on_christmas_eve_afternoon_is_due_after_christmas():
    # 14:00 on Thursday 24 December 2026: 3 working hours left that day, 5 more on Tuesday 29th.
    assert due_moment(at(date(2026, 12, 24), 14), 8, HOURS) == at(date(2026, 12, 29), 14)


def test_day_timescales_are_met_by_anything_on_their_last_day_and_overdue_the_day_after():
    due = Due(what="x", rule="x", source="x", unit=Unit.DAYS, day=date(2026, 12, 21))
    assert due.state(at(date(2026, 12, 21), 16), HOURS) == State.DUE_SOON
    assert due.left_label(at(date(2026, 12, 21), 16), HOURS) == "Due today"
    assert due.state(at(date(2026, 12, 22), 9), HOURS) == State.OVERDUE
    assert due.left_label(at(date(2026, 12, 24), 9), HOURS) == "3 days overdue"
    assert due.left_label(at(date(2026, 12, 18), 9), HOURS) == "3 days left"
    assert due.state(at(date(2026, 12, 18), 9), HOURS) == State.ON_TIME
    assert due.state(at(date(2026, 12, 19), 9), HOURS) == State.DUE_SOON


def test_working_day_timescales_count_what_is_left_in_working_days():
    due = Due(what="x", rule="x", source="x", unit=Unit.WORKING_DAYS, day=date(2026, 12, 29))
    # From Wednesday 23 December: the 24th and the 29th are left.
    assert due.left_label(at(date(2026, 12, 23)), HOURS) == "2 working days left"
    assert due.left_label(at(date(2026, 12, 30)), HOURS) == "1 working day overdue"


def test_working_hour_timescales_count_hours_and_are_met_before_their_moment():
    due = Due(what="x", rule="x", source="x", unit=Unit.WORKING_HOURS, moment=at(date(2026, 12, 7), 15))
    assert due.left_label(at(date(2026, 12, 4), 15), HOURS) == "8 working hours left"
    assert due.state(at(date(2026, 12, 7), 14), HOURS) == State.DUE_SOON
    assert due.state(at(date(2026, 12, 7), 15, 1), HOURS) == State.OVERDUE
    assert due.left_label(at(date(2026, 12, 8), 10), HOURS) == "3 working hours overdue"


def test_a_timescale_done_late_says_so_and_one_done_in_time_too():
    due = Due(what="x", rule="x", source="x", unit=Unit.DAYS, day=date(2026, 12, 21))
    in_time = Due(**{**due.__dict__, "done_at": at(date(2026, 12, 21), 17)})
    assert in_time.state(at(date(2027, 1, 5)), HOURS) == State.DONE
    late = Due(**{**due.__dict__, "done_at": at(date(2026, 12, 22), 9)})
    assert late.state(at(date(2027, 1, 5)), HOURS) == State.DONE_LATE


# docs/casework.md, "The worked example of one family"
def test_a_family_referred_on_a_tuesday_and_allocated_on_thursday_gets_every_clock_from_its_own_start():
    referred, reached, allocated = at(date(2026, 12, 1), 11), at(date(2026, 12, 2), 9, 30), at(date(2026, 12, 3), 14)
    defaults = allocation_defaults(referred_at=referred, allocated_on=allocated.date(), rules=RULES, hours=HOURS)
    assert defaults.first_visit == date(2026, 12, 10)
    assert defaults.assessment == date(2026, 12, 21)
    assert defaults.first_meeting == date(2026, 12, 31)
    assert defaults.manager_review == date(2026, 12, 31)
    dates = EpisodeDates(
        referred_at=referred,
        reached_team_at=reached,
        allocated_at=allocated,
        first_visit_due=defaults.first_visit,
        assessment_due=defaults.assessment,
        first_meeting_due=defaults.first_meeting,
        manager_review_due=defaults.manager_review,
    )
    by_rule = {(due.what, due.rule): due for due in episode_dues(dates, RULES, HOURS)}
    assert by_rule[("Allocate to a family coach", "Within 8 working hours of reaching the team")].moment == at(
        date(2026, 12, 3), 9, 30
    )
    assert by_rule[("First visit", "5 working days from allocation")].day == date(2026, 12, 10)
    assert by_rule[("First visit", "5 days from referral")].day == date(2026, 12, 6)
    assert by_rule[("Assessment authorised", "20 days from referral")].day == date(2026, 12, 21)
    assert by_rule[("Assessment authorised", "20 days from allocation")].day == date(2026, 12, 23)
    assert by_rule[("First Team Around the Family meeting", "30 days from referral")].day == date(2026, 12, 31)
    assert by_rule[("Close within the length of an intervention", "6 months from allocation")].day == date(2027, 6, 3)
    # Allocated at 14:00 on the 3rd: 4.5 working hours after the 8-hour target, inside the 24.
    assert (
        by_rule[("Allocate to a family coach", "Within 8 working hours of reaching the team")].state(allocated, HOURS)
        == State.DONE_LATE
    )
    every = by_rule[("Allocate to a family coach (every referral)", "Within 24 working hours of reaching the team")]
    assert every.state(allocated, HOURS) == State.DONE


def test_the_clocks_that_start_at_the_first_visit_and_the_assessment_appear_once_those_happen():
    referred = at(date(2026, 12, 1), 11)
    base = EpisodeDates(referred_at=referred, reached_team_at=referred, allocated_at=referred)
    rules_before = {due.rule for due in episode_dues(base, RULES, HOURS)}
    assert "15 days from the first visit" not in rules_before
    assert "10 days from the assessment" not in rules_before
    later = EpisodeDates(
        referred_at=referred,
        reached_team_at=referred,
        allocated_at=referred,
        first_visit_at=at(date(2026, 12, 4)),
        assessment_authorised_at=at(date(2026, 12, 18)),
    )
    by_rule = {due.rule: due for due in episode_dues(later, RULES, HOURS)}
    assert by_rule["15 days from the first visit"].day == date(2026, 12, 19)
    assert by_rule["10 days from the assessment"].day == date(2026, 12, 28)


def test_a_date_the_allocation_note_changes_is_shown_beside_the_frameworks_clocks():
    referred = at(date(2026, 12, 1), 11)
    dates = EpisodeDates(
        referred_at=referred, reached_team_at=referred, allocated_at=referred, first_visit_due=date(2026, 12, 14)
    )
    visits = [due for due in episode_dues(dates, RULES, HOURS) if due.what == "First visit"]
    assert [(due.rule, due.day) for due in visits] == [
        ("5 working days from allocation", date(2026, 12, 8)),
        ("5 days from referral", date(2026, 12, 6)),
        ("Set in the allocation note", date(2026, 12, 14)),
    ]


def test_before_allocation_only_the_allocation_is_due():
    referred = at(date(2026, 12, 1), 11)
    dues = episode_dues(EpisodeDates(referred_at=referred, reached_team_at=referred), RULES, HOURS)
    assert {due.what for due in dues} == {"Allocate to a family coach", "Allocate to a family coach (every referral)"}


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=40))
def test_working_days_later_lands_on_a_working_day_that_many_working_days_on(start, count):
    end = working_days_later(start, count, HOURS)
    assert HOURS.is_working_day(end)
    assert working_days_between(start, end, HOURS) == count
    assert working_days_between(end, start, HOURS) == -count
    assert (end - start) >= timedelta(days=count)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=0, max_value=30))
def test_months_later_keeps_the_day_or_ends_the_month(start, months):
    end = months_later(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(days=1)).day == 1)


def test_a_unit_counted_to_the_moment_has_no_last_day():
    with pytest.raises(ValueError, match="to the moment"):
        last_day(date(2026, 1, 1), 8, Unit.WORKING_HOURS, HOURS)


def test_units_are_written_in_words_with_their_number():
    assert Unit.WORKING_DAYS.amount_label(1) == "1 working day"
    assert Unit.WORKING_DAYS.amount_label(5) == "5 working days"
    assert Unit.MONTHS.amount_label(6) == "6 months"
    assert Unit.WEEKS.amount_label(1) == "1 week"
    assert Unit.DAYS.amount_label(2) == "2 days"
    assert Unit.WORKING_HOURS.amount_label(8) == "8 working hours"


def test_a_working_day_timescale_turns_due_soon_with_two_working_days_left():
    due = Due(what="x", rule="x", source="x", unit=Unit.WORKING_DAYS, day=date(2026, 12, 10))
    assert due.state(at(date(2026, 12, 7)), HOURS) == State.ON_TIME  # 3 working days left
    assert due.state(at(date(2026, 12, 8)), HOURS) == State.DUE_SOON  # 2 left


def test_a_month_timescale_turns_due_soon_a_fortnight_before_and_a_week_one_a_week_before():
    months = Due(what="x", rule="x", source="x", unit=Unit.MONTHS, day=date(2027, 6, 3))
    assert months.state(at(date(2027, 5, 19)), HOURS) == State.ON_TIME
    assert months.state(at(date(2027, 5, 20)), HOURS) == State.DUE_SOON
    weeks = Due(what="x", rule="x", source="x", unit=Unit.WEEKS, day=date(2026, 12, 14))
    assert weeks.state(at(date(2026, 12, 6)), HOURS) == State.ON_TIME
    assert weeks.state(at(date(2026, 12, 7)), HOURS) == State.DUE_SOON


def test_a_working_hour_timescale_turns_due_soon_with_two_working_hours_left_and_is_met_at_its_moment():
    moment = at(date(2026, 12, 7), 15)
    due = Due(what="x", rule="x", source="x", unit=Unit.WORKING_HOURS, moment=moment)
    assert due.state(at(date(2026, 12, 7), 12), HOURS) == State.ON_TIME  # 3 working hours left
    assert due.state(at(date(2026, 12, 7), 13), HOURS) == State.DUE_SOON  # 2 left
    assert due.met_by(moment, HOURS)
    assert not due.met_by(moment + timedelta(microseconds=1), HOURS)


def test_only_the_dates_the_allocation_note_sets_are_marked_as_set_by_a_manager():
    referred = at(date(2026, 12, 1), 11)
    dates = EpisodeDates(
        referred_at=referred,
        reached_team_at=referred,
        allocated_at=referred,
        first_visit_due=date(2026, 12, 14),
        manager_review_due=date(2026, 12, 29),
    )
    marked = {(due.what, due.rule) for due in episode_dues(dates, RULES, HOURS) if due.set_by_manager}
    assert marked == {
        ("First visit", "Set in the allocation note"),
        ("Case review with a manager", "Set in the allocation note"),
    }


def test_a_days_timescale_is_judged_by_the_services_own_calendar_not_utc():
    # 00:30 on 22 June in London is 23:30 on 21 June in UTC: a day late, not on time.
    due = Due(what="x", rule="x", source="x", unit=Unit.DAYS, day=date(2026, 6, 21))
    just_after_midnight = datetime(2026, 6, 21, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert not due.met_by(just_after_midnight, HOURS)
    assert due.met_by(datetime(2026, 6, 21, 22, 59, tzinfo=ZoneInfo("UTC")), HOURS)
    assert due.left(just_after_midnight, HOURS) == -1


def test_each_state_has_its_words_and_its_govuk_tag_colour():
    from earlyhelp.casework.timescales import STATE_LABELS, STATE_TAG_COLOURS

    shown = {state: (STATE_LABELS[state], STATE_TAG_COLOURS[state]) for state in State}
    assert shown == {
        State.DONE: ("Done on time", "govuk-tag--green"),
        State.DONE_LATE: ("Done late", "govuk-tag--orange"),
        State.OVERDUE: ("Overdue", "govuk-tag--red"),
        State.DUE_SOON: ("Due soon", "govuk-tag--yellow"),
        State.ON_TIME: ("On time", "govuk-tag--blue"),
    }


def test_what_is_left_is_said_in_the_timescales_own_words_at_its_edges():
    hours_due = Due(what="x", rule="x", source="x", unit=Unit.WORKING_HOURS, moment=at(date(2026, 12, 7), 15))
    assert hours_due.left_label(at(date(2026, 12, 7), 14, 30), HOURS) == "Due within the hour"
    assert hours_due.left_label(at(date(2026, 12, 7), 15, 30), HOURS) == "1 working hour overdue"
    assert hours_due.left_label(at(date(2026, 12, 7), 13, 30), HOURS) == "1 working hour left"
    days_due = Due(what="x", rule="x", source="x", unit=Unit.DAYS, day=date(2026, 12, 21))
    assert days_due.left_label(at(date(2026, 12, 20)), HOURS) == "1 day left"
    assert days_due.left_label(at(date(2026, 12, 22)), HOURS) == "1 day overdue"
    working = Due(what="x", rule="x", source="x", unit=Unit.WORKING_DAYS, day=date(2026, 12, 29))
    assert working.left_label(at(date(2026, 12, 29)), HOURS) == "Due today"
    assert working.left(at(date(2026, 12, 29)), HOURS) == 0
    weeks = Due(what="x", rule="x", source="x", unit=Unit.WEEKS, day=date(2026, 12, 14))
    assert weeks.left_label(at(date(2026, 12, 4)), HOURS) == "10 days left"


def test_only_a_visits_case_note_clock_is_marked_as_a_case_notes():
    from earlyhelp.casework.schedule import VisitDates

    referred = at(date(2026, 12, 1), 11)
    dates = EpisodeDates(
        referred_at=referred,
        reached_team_at=referred,
        allocated_at=referred,
        visits=(VisitDates("home visit on 2 December 2026", at(date(2026, 12, 2), 14)),),
    )
    marked = [(due.what, due.moment) for due in episode_dues(dates, RULES, HOURS) if due.for_case_note]
    assert marked == [("Case note: home visit on 2 December 2026", at(date(2026, 12, 3), 14))]


def test_the_pure_rules_start_from_the_same_numbers_as_an_authoritys_settings():
    from dataclasses import fields

    from earlyhelp.casework.models import CaseworkSettings

    for field in fields(TimescaleRules):
        setting = CaseworkSettings._meta.get_field(field.name)
        assert getattr(RULES, field.name) == getattr(setting, "default", None), field.name


def test_every_timescale_names_its_rule_and_its_source_in_the_documents():
    from earlyhelp.casework.schedule import VisitDates

    referred = at(date(2026, 12, 1), 11)
    dates = EpisodeDates(
        referred_at=referred,
        reached_team_at=referred,
        allocated_at=referred,
        first_visit_due=date(2026, 12, 20),
        assessment_due=date(2026, 12, 30),
        first_meeting_due=date(2027, 1, 20),
        manager_review_due=date(2026, 12, 29),
        first_visit_at=at(date(2026, 12, 4)),
        assessment_authorised_at=at(date(2026, 12, 18)),
        visits=(VisitDates("home visit on 4 December 2026", at(date(2026, 12, 4))),),
    )
    table = [(due.what, due.rule, due.source) for due in episode_dues(dates, RULES, HOURS)]
    assert table == [
        (
            "Allocate to a family coach",
            "Within 8 working hours of reaching the team",
            "FF §8.1: within 24 hours of receipt",
        ),
        (
            "Allocate to a family coach (every referral)",
            "Within 24 working hours of reaching the team",
            "The service's limit: all allocated within 72 hours",
        ),
        ("First visit", "5 working days from allocation", "FF §12.1"),
        ("First visit", "5 days from referral", "FF §9.1, the practice standards and the KPI “contact to first visit”"),
        ("First visit", "Set in the allocation note", "FF §8.1: the manager sets this family's timescales"),
        ("Assessment authorised", "20 days from referral", "FF §10.4 and the KPI “assessment completion time”"),
        ("Assessment authorised", "20 days from allocation", "FF §12.2, §13.1"),
        ("Assessment authorised", "15 days from the first visit", "FF §13.1"),
        ("Assessment authorised", "Set in the allocation note", "FF §8.1: the manager sets this family's timescales"),
        (
            "First Team Around the Family meeting",
            "30 days from referral",
            "FF §11.1 and the KPI “time to initial meeting”",
        ),
        ("First Team Around the Family meeting", "10 days from the assessment", "FF §11.1"),
        (
            "First Team Around the Family meeting",
            "Set in the allocation note",
            "FF §8.1: the manager sets this family's timescales",
        ),
        ("Case review with a manager", "Set in the allocation note", "FF §8.1 and the practice standards"),
        (
            "Case note: home visit on 4 December 2026",
            "Within 8 working hours of the visit",
            "FF §17.1: visits recorded as a case note within 24 hours",
        ),
        (
            "Case supervision note",
            "At least every 1 month from allocation",
            "FF §19 and the performance table: a supervision note on each family at least monthly",
        ),
        (
            "Close within the length of an intervention",
            "6 months from allocation",
            "FF §13.1, §15.1 and the practice standards: should not exceed 6 months",
        ),
    ]


def test_a_date_the_note_leaves_at_the_frameworks_default_is_not_shown_twice():
    referred = at(date(2026, 12, 1), 11)
    defaults = allocation_defaults(referred_at=referred, allocated_on=referred.date(), rules=RULES, hours=HOURS)
    dates = EpisodeDates(
        referred_at=referred,
        reached_team_at=referred,
        allocated_at=referred,
        first_visit_due=defaults.first_visit,
        assessment_due=defaults.assessment,
        first_meeting_due=defaults.first_meeting,
        manager_review_due=defaults.manager_review,
    )
    rules = [due.rule for due in episode_dues(dates, RULES, HOURS)]
    assert rules.count("Set in the allocation note") == 1  # the case review with a manager only


def test_what_is_waiting_is_soonest_first_whether_counted_to_a_day_or_a_moment():
    from earlyhelp.casework.schedule import deadline, pending_soonest_first

    by_day = Due(what="day", rule="x", source="x", unit=Unit.DAYS, day=date(2026, 12, 7))
    by_moment = Due(what="moment", rule="x", source="x", unit=Unit.WORKING_HOURS, moment=at(date(2026, 12, 7), 16))
    earlier = Due(what="earlier", rule="x", source="x", unit=Unit.WORKING_HOURS, moment=at(date(2026, 12, 7), 9))
    done = Due(what="done", rule="x", source="x", unit=Unit.DAYS, day=date(2026, 12, 1), done_at=at(date(2026, 12, 1)))
    order = [due.what for due in pending_soonest_first([by_day, by_moment, done, earlier], HOURS)]
    assert order == ["earlier", "moment", "day"]
    assert deadline(by_day, HOURS) == at(date(2026, 12, 7), 17)
    assert deadline(by_moment, HOURS) == at(date(2026, 12, 7), 16)


def _walked(start: date, end: date, hours) -> int:
    """Working days counted the slow way, day by day: what the fast count must agree with."""
    if end < start:
        return -_walked(end, start, hours)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += hours.is_working_day(day)
    return count


@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=-800, max_value=800),
    st.sampled_from(
        [
            ("mon", "tue", "wed", "thu", "fri"),
            ("mon", "tue", "wed", "thu"),
            ("tue", "wed", "thu", "fri", "sat"),
            ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        ]
    ),
)
def test_working_days_between_agrees_with_walking_the_calendar(start, offset, days):
    from earlyhelp.frontdoor.clock import ClockRules

    hours = working_time(ClockRules("09:00-17:00", days, "GB-ENG", ("2026-12-29", "2027-08-02"), 8, 2))
    end = start + timedelta(days=offset)
    assert working_days_between(start, end, hours) == _walked(start, end, hours)


def test_once_there_is_a_plan_reviews_visits_and_actions_fall_due_from_their_own_last_dates():
    from earlyhelp.casework.schedule import ActionDates, plan_dues

    planned = at(date(2026, 11, 2), 15)
    dates = EpisodeDates(
        referred_at=at(date(2026, 10, 1)),
        reached_team_at=at(date(2026, 10, 1)),
        allocated_at=at(date(2026, 10, 2)),
        first_meeting_at=planned,
        last_meeting_at=at(date(2026, 11, 16), 10),
        last_visit_at=at(date(2026, 11, 20), 10),
        actions=(
            ActionDates("Routine chart", date(2026, 12, 1)),
            ActionDates("Clubs", date(2026, 12, 10), done_on=date(2026, 12, 8)),
        ),
    )
    table = [(due.what, due.rule, due.source, due.day, due.done_at) for due in plan_dues(dates, RULES, HOURS)]
    assert table == [
        (
            "Review meeting",
            "At least every 6 weeks from the last meeting",
            "FF §13.1: formal review meetings at least every 6 weeks",
            date(2026, 12, 28),
            None,
        ),
        (
            "Visit",
            "At least every 2 weeks once there is a plan",
            "FF §12.3 and the practice standards: visits not less than every 2 weeks",
            date(2026, 12, 4),
            None,
        ),
        (
            "Plan action: Routine chart",
            "By the date in the plan",
            "FF §11.1: each action says when it is to be done",
            date(2026, 12, 1),
            None,
        ),
        (
            "Plan action: Clubs",
            "By the date in the plan",
            "FF §11.1: each action says when it is to be done",
            date(2026, 12, 10),
            datetime(2026, 12, 8, 9, 0, tzinfo=LONDON),
        ),
    ]


def test_before_any_later_meeting_or_visit_the_plans_clocks_run_from_the_plan_and_none_once_closed():
    from earlyhelp.casework.schedule import plan_dues

    planned = at(date(2026, 11, 2), 15)
    base: dict[str, Any] = {
        "referred_at": planned,
        "reached_team_at": planned,
        "allocated_at": planned,
        "first_meeting_at": planned,
    }
    # A visit before the plan does not start the fortnight: the plan does.
    dues = plan_dues(EpisodeDates(**base, last_visit_at=at(date(2026, 10, 20))), RULES, HOURS)
    assert [due.day for due in dues] == [date(2026, 12, 14), date(2026, 11, 16)]
    assert plan_dues(EpisodeDates(**base, closed_at=at(date(2026, 11, 20))), RULES, HOURS) == []
    assert plan_dues(EpisodeDates(referred_at=planned, reached_team_at=planned), RULES, HOURS) == []


def test_an_assessment_date_the_note_sets_at_another_clocks_day_is_still_shown_as_the_notes():
    referred, allocated = at(date(2026, 12, 1)), at(date(2026, 12, 4))
    dates = EpisodeDates(
        referred_at=referred, reached_team_at=referred, allocated_at=allocated, assessment_due=date(2026, 12, 24)
    )
    assessment = [
        (due.rule, due.day) for due in episode_dues(dates, RULES, HOURS) if due.what == "Assessment authorised"
    ]
    assert assessment == [
        ("20 days from referral", date(2026, 12, 21)),
        ("20 days from allocation", date(2026, 12, 24)),
        ("Set in the allocation note", date(2026, 12, 24)),
    ]
