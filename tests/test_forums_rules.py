"""The forums' pure rules: their dates a year ahead, the agenda's time slots, and the check for
words that may identify an anonymous family."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.forums import identifying, meeting_dates
from earlyhelp.forums.agenda import follow_up_minutes, slot_times


def test_a_monthly_forum_meets_on_the_second_tuesday_of_every_month():
    days = meeting_dates.monthly(
        weekday=1, week=2, first=date(2026, 1, 1), start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert len(days) == 12
    assert all(day.weekday() == 1 and 8 <= day.day <= 14 for day in days)
    assert days[0] == date(2026, 1, 13)


def test_the_last_weekday_of_a_month_is_week_five():
    days = meeting_dates.monthly(
        weekday=4, week=5, first=date(2026, 1, 1), start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    assert days == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]


def test_no_meeting_before_the_first_or_outside_the_period():
    days = meeting_dates.monthly(
        weekday=1, week=2, first=date(2026, 3, 20), start=date(2026, 2, 1), end=date(2026, 5, 12)
    )
    assert days == [date(2026, 4, 14), date(2026, 5, 12)]


def test_a_fortnightly_meeting_keeps_its_rhythm_from_the_first_date():
    first = date(2026, 1, 7)
    days = meeting_dates.fortnightly(first=first, start=date(2026, 2, 1), end=date(2026, 3, 1))
    assert days == [date(2026, 2, 4), date(2026, 2, 18)]
    assert meeting_dates.fortnightly(first=first, start=date(2026, 1, 7), end=date(2026, 1, 7)) == [first]
    assert meeting_dates.fortnightly(first=date(2027, 1, 1), start=date(2026, 1, 1), end=date(2026, 12, 31)) == []


@given(
    first=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_every_fortnightly_date_is_a_whole_number_of_fortnights_from_the_first(first, offset):
    start = date.fromordinal(first.toordinal() + offset)
    end = date.fromordinal(start.toordinal() + 365)
    days = meeting_dates.fortnightly(first=first, start=start, end=end)
    assert all((day - first).days % 14 == 0 and day >= first and start <= day <= end for day in days)
    assert len(days) >= (0 if first > end else 1 if (end - max(first, start)).days >= 13 else 0)


def test_a_year_from_29_february_is_28_february():
    assert meeting_dates.a_year_from(date(2028, 2, 29)) == date(2029, 2, 28)
    assert meeting_dates.a_year_from(date(2026, 12, 7)) == date(2027, 12, 7)


def test_slots_follow_one_another():
    assert slot_times(time(9, 30), [30, 20, 10]) == [
        (time(9, 30), time(10, 0)),
        (time(10, 0), time(10, 20)),
        (time(10, 20), time(10, 30)),
    ]
    assert follow_up_minutes(20) == 10
    assert follow_up_minutes(6) == 5


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Mrs Smith says the boy is unhappy", {"name"}),
        ("Dr. Patel has seen him", {"name"}),
        ("The mother told the school that Jack is not eating", {"name"}),
        ("Born 03/04/2019 and now in reception", {"date"}),
        ("date of birth 3 April 2019", {"date"}),
        ("April 3rd, 2019", {"date"}),
        ("NHS number 943 476 5919 on file", {"nhs_number"}),
        ("UPN A123456789012", {"upn"}),
        ("lives near NN2 7AL", {"postcode"}),
        ("lives near nn27al", {"postcode"}),
    ],
)
def test_words_that_may_identify_a_family_are_found(text, kinds):
    assert {warning.kind for warning in identifying.warnings_for(text)} == kinds


@pytest.mark.parametrize(
    "text",
    [
        "The mother has low mood since the birth; the older child is often late for school.",
        "Year 4 pupil, attendance 80% this term. Will the school nurse visit in May?",
        "Reported in April by the school; 10 days missed",
        "A ten digit number that is not an NHS number: 1234567890",
        "The Kingsthorpe shops after school",
    ],
)
def test_plain_descriptions_raise_no_warning(text):
    assert identifying.warnings_for(text) == []


def test_the_warning_names_what_it_found_once():
    [warning] = identifying.warnings_for("Jack and Jack again, with Mrs Smith")
    assert warning.message.startswith("It may name someone (Jack, Mrs Smith)")


def test_a_named_familys_details_are_withheld_from_the_words_written_about_them():
    secrets = identifying.secrets_of(
        names=["Maya Lewis", "Her mother, Jo Lewis"],
        address="3 Kingsley Road, Northampton NN2 7BU",
        school="Kingsthorpe Primary School",
        born=date(2017, 5, 4),
    )
    text = (
        "Maya's mum Jo says MAYA was born 4/5/2017 (4 May 2017) and lives at 3 Kingsley Road, NN2 7BU; "
        "Kingsthorpe Primary School reports Lewis family debts."
    )
    withheld = identifying.withhold(text, secrets)
    for secret in ("Maya", "MAYA", "Jo ", "4/5/2017", "4 May 2017", "Kingsley Road", "NN2 7BU", "Kingsthorpe", "Lewis"):
        assert secret not in withheld
    assert identifying.withhold("Mayall Street, Joanna", secrets) == "Mayall Street, Joanna"
    assert withheld.startswith("[withheld]'s mum [withheld] says")


def test_nothing_is_withheld_without_secrets():
    assert identifying.withhold("Maya is fine", []) == "Maya is fine"
    assert identifying.secrets_of(names=[""]) == []


@pytest.mark.parametrize(
    "text",
    [
        "born 1 January 2019",
        "born 2 Feb 2019",
        "born 3 March 2019",
        "born 4 Apr 2019",
        "born 5 May 2019",
        "born 6 June 2019",
        "born 7 Jul 2019",
        "born 8 August 2019",
        "born Sept 9, 2019",
        "born 10 Oct 2019",
        "born 11 November 2019",
        "born 12 Dec 2019",
    ],
)
def test_a_date_of_birth_is_found_whichever_month_it_names(text):
    assert [warning.kind for warning in identifying.warnings_for(text)] == ["date"]


@pytest.mark.parametrize("word", ["June", "Mark", "Grace"])
def test_first_names_that_are_ordinary_words_raise_no_warning(word):
    assert identifying.warnings_for(f"The school says the {word} plan is late") == []


def test_each_warning_says_what_to_do_instead():
    messages = {
        warning.kind: warning.message
        for warning in identifying.warnings_for("Jack, born 3/4/2019, NHS 943 476 5919, UPN A123456789012, NN2 7AL")
    }
    assert messages == {
        "name": "It may name someone (Jack). Describe people by their role instead",
        "date": "It may give a date of birth. Give an age or school year instead",
        "nhs_number": "It may give an NHS number. Remove it",
        "upn": "It may give a unique pupil number. Remove it",
        "postcode": "It may give a postcode. Name the area instead",
    }


def test_the_secrets_of_a_name_are_its_capitalised_words_of_two_letters_or_more():
    secrets = identifying.secrets_of(names=["Her mother, Jo (Joanne) A Lewis,"])
    assert {"Jo", "Joanne", "Lewis"} <= set(secrets)
    assert not {"A", "mother", "Her mother,", "(Joanne)", "Lewis,"} & set(secrets) - {
        "Her mother, Jo (Joanne) A Lewis,"
    }
    assert "Her" in secrets


def test_the_secrets_of_an_address_are_its_lines_of_four_letters_or_more_and_its_postcode():
    secrets = identifying.secrets_of(names=[], address="Flat 2\nApt, Kingsley Road\nNorthampton NN2 7BU")
    assert {"Flat 2", "Kingsley Road", "Northampton NN2 7BU", "NN2 7BU"} <= set(secrets)
    assert "Apt" not in secrets
    assert identifying.secrets_of(names=[], address="Flat") == ["Flat"]


def test_secrets_come_longest_first_so_a_full_name_is_withheld_whole():
    secrets = identifying.secrets_of(names=["Maya Lewis"], school="Kingsthorpe Primary School")
    assert secrets[0] == "Kingsthorpe Primary School"
    assert [len(secret) for secret in secrets] == sorted((len(secret) for secret in secrets), reverse=True)


def test_a_monthly_forum_goes_on_from_december_into_the_new_year():
    days = meeting_dates.monthly(
        weekday=1, week=2, first=date(2026, 1, 1), start=date(2026, 11, 1), end=date(2027, 2, 28)
    )
    assert days == [date(2026, 11, 10), date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]


def test_the_first_meeting_is_itself_a_meeting():
    first = date(2026, 4, 14)
    assert meeting_dates.monthly(weekday=1, week=2, first=first, start=date(2026, 4, 1), end=date(2026, 5, 31)) == [
        first,
        date(2026, 5, 12),
    ]
    assert meeting_dates.monthly(weekday=1, week=2, first=first, start=first, end=first) == [first]
