"""Visits, case notes and oversight: the first visit with consent in writing or why not, every
case note due within 24 working hours and a late one shown late, and a team leader's oversight
(the case review with a manager among it)."""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework import visiting
from earlyhelp.casework.configuration import casework_settings_of, timescale_rules, working_time_of
from earlyhelp.casework.models import CaseNote, Oversight
from earlyhelp.casework.selectors import Clock, case_file, family_rows, my_episodes
from earlyhelp.casework.timescales import State
from earlyhelp.casework.visiting import ConsentAtFirstVisit, VisitDetails
from earlyhelp.core.workflow import StaleEditError
from tests.conftest import signed_in
from tests.factories import episode_allocated, episode_awaiting

pytestmark = pytest.mark.django_db


def a_visit(**changes: Any) -> VisitDetails:
    """A successful home visit an hour ago, its note written, consent signed at it."""
    values: dict[str, Any] = {
        "kind": CaseNote.Kind.HOME_VISIT,
        "happened_at": timezone.now() - timedelta(hours=1),
        "successful": True,
        "who_was_seen": "Maya (on her own in her room) and her mother",
        "note": "Introductory visit. Explained the service; Maya drew her family.",
        "consent": ConsentAtFirstVisit(in_writing=True, given_by="Siobhan Brennan", given_on=timezone.localdate()),
    }
    values.update(changes)
    return VisitDetails(**values)


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def test_the_first_successful_visit_is_the_first_visit_and_records_written_consent(episode, coach):
    visit = a_visit()
    note = visiting.case_note_record(actor=coach, episode=episode, details=visit)
    episode.refresh_from_db()
    assert note.is_first_visit
    assert episode.first_visit_at == visit.happened_at
    assert (episode.written_consent_given_by, episode.written_consent_on) == ("Siobhan Brennan", timezone.localdate())
    assert note.is_written


def test_the_first_visit_without_written_consent_records_why_and_refuses_without_a_reason(episode, coach):
    with pytest.raises(ValidationError) as raised:
        visiting.case_note_record(
            actor=coach, episode=episode, details=a_visit(consent=ConsentAtFirstVisit(in_writing=False))
        )
    assert "consent_not_in_writing_because" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        visiting.case_note_record(actor=coach, episode=episode, details=a_visit(consent=None))
    assert "consent_in_writing" in raised.value.message_dict
    visiting.case_note_record(
        actor=coach,
        episode=episode,
        details=a_visit(
            consent=ConsentAtFirstVisit(in_writing=False, not_in_writing_because="Mum cannot read; agreed verbally")
        ),
    )
    episode.refresh_from_db()
    assert episode.consent_not_in_writing_because == "Mum cannot read; agreed verbally"
    assert episode.written_consent_on is None


def test_an_unsuccessful_visit_or_a_phone_call_is_not_the_first_visit(episode, coach):
    visiting.case_note_record(
        actor=coach, episode=episode, details=a_visit(successful=False, who_was_seen="", consent=None)
    )
    visiting.case_note_record(actor=coach, episode=episode, details=a_visit(kind=CaseNote.Kind.PHONE, consent=None))
    episode.refresh_from_db()
    assert episode.first_visit_at is None
    assert not CaseNote.objects.filter(is_first_visit=True).exists()


def test_an_earlier_visit_recorded_later_becomes_the_first_visit_and_keeps_the_consent(episode, coach):
    visiting.case_note_record(actor=coach, episode=episode, details=a_visit())
    earlier = timezone.now() - timedelta(hours=5)
    visiting.case_note_record(actor=coach, episode=episode, details=a_visit(happened_at=earlier, consent=None))
    episode.refresh_from_db()
    assert episode.first_visit_at == earlier
    assert CaseNote.objects.get(is_first_visit=True).happened_at == earlier
    assert episode.written_consent_given_by == "Siobhan Brennan"


def test_a_visit_in_the_future_before_the_referral_or_without_who_was_seen_is_refused(episode, coach):
    cases = [
        (a_visit(happened_at=timezone.now() + timedelta(hours=2)), "happened_on"),
        (a_visit(happened_at=episode.referred_at - timedelta(days=1)), "happened_on"),
        (a_visit(who_was_seen=""), "who_was_seen"),
        (a_visit(kind="teleport"), "kind"),
    ]
    for details, field in cases:
        with pytest.raises(ValidationError) as raised:
            visiting.case_note_record(actor=coach, episode=episode, details=details)
        assert field in raised.value.message_dict
    assert not CaseNote.objects.exists()


def test_no_visit_before_the_family_has_a_coach_and_only_those_who_work_the_episode_record_one(
    team, coach, team_leader, front_door, alice, episode
):
    from tests.test_casework import _child

    waiting = episode_awaiting(team, children=[_child(5)], adults=[])
    with pytest.raises(ValidationError, match="Allocate the family to a coach"):
        visiting.case_note_record(actor=team_leader, episode=waiting, details=a_visit())
    for actor in (front_door, alice):
        with pytest.raises(ValidationError, match="Only the family's coach"):
            visiting.case_note_record(actor=actor, episode=episode, details=a_visit())


def test_a_case_note_is_due_within_8_working_hours_and_one_written_late_stays_late(episode, coach):
    # A visit at 14:00 on Christmas Eve 2026 is due its note at 14:00 on Tuesday 29 December.
    zone = working_time_of(episode.authority).zone
    visit_at = datetime(2026, 12, 24, 14, 0, tzinfo=zone)
    note = visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    assert not note.is_written
    clock = Clock.of(episode.authority)
    rows = family_rows(my_episodes(coach), clock=clock, now=timezone.now())
    assert any(item.due.for_case_note for item in rows[0].pending)
    note.refresh_from_db()
    visiting.case_note_write(actor=coach, case_note=note, note="Written up.", seen_version=note.version)
    note.refresh_from_db()
    written_at = note.written_at
    visiting.case_note_write(actor=coach, case_note=note, note="Written up, corrected.", seen_version=note.version)
    note.refresh_from_db()
    assert note.written_at == written_at
    from earlyhelp.casework.schedule import VisitDates, case_note_dues

    rules, hours = timescale_rules(casework_settings_of(episode.authority)), working_time_of(episode.authority)
    [due] = case_note_dues(
        (VisitDates("home visit", visit_at, datetime(2026, 12, 29, 14, 1, tzinfo=zone)),), rules, hours
    )
    assert due.moment == datetime(2026, 12, 29, 14, 0, tzinfo=zone)
    assert due.state(datetime(2027, 1, 4, tzinfo=zone), hours) == State.DONE_LATE


def test_a_case_note_saved_from_a_stale_page_is_refused(episode, coach, team_leader):
    note = visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    seen = note.version
    visiting.case_note_write(actor=team_leader, case_note=note, note="The leader's words.", seen_version=seen)
    with pytest.raises(StaleEditError):
        visiting.case_note_write(actor=coach, case_note=note, note="The coach's words.", seen_version=seen)
    note.refresh_from_db()
    assert note.note == "The leader's words."


def test_an_empty_case_note_is_refused(episode, coach):
    note = visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    with pytest.raises(ValidationError, match="Write the case note"):
        visiting.case_note_write(actor=coach, case_note=note, note="  ", seen_version=None)


def test_the_case_review_with_a_manager_is_oversight_and_meets_its_timescale(episode, coach, team_leader):
    with pytest.raises(ValidationError, match="Only a team leader"):
        visiting.oversight_record(actor=coach, episode=episode, point=Oversight.Point.CASE_REVIEW, note="x")
    with pytest.raises(ValidationError) as raised:
        visiting.oversight_record(actor=team_leader, episode=episode, point="allocation", note="")
    assert set(raised.value.message_dict) == {"point", "note"}
    visiting.oversight_record(actor=team_leader, episode=episode, point=Oversight.Point.CASE_REVIEW, note="Reviewed")
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    [review] = [item for item in case.dues if item.due.what == "Case review with a manager"]
    assert review.state == State.DONE


def test_after_the_first_visit_the_assessments_15_day_clock_appears(episode, coach):
    visiting.case_note_record(actor=coach, episode=episode, details=a_visit())
    episode.refresh_from_db()
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    rules = {item.due.rule for item in case.dues}
    assert "15 days from the first visit" in rules
    visits = [item for item in case.dues if item.due.what == "First visit"]
    assert all(item.state in (State.DONE, State.DONE_LATE) for item in visits)


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_recording_the_first_visit_on_the_page_and_writing_its_note_later(episode, coach):
    client = signed_in(coach)
    today = timezone.localdate()
    data = {
        "kind": "home_visit",
        **_date_fields("happened_on", today),
        "happened_time": "12am",  # midnight: earlier today, whatever the time the test runs
        "successful": "yes",
        "who_was_seen": "Maya and her mother",
        "note": "",
        "consent_in_writing": "no",
    }
    refused = client.post(f"/episodes/{episode.pk}/visits/add/", data).content.decode()
    assert "Say why consent could not be had in writing" in refused
    assert "Maya and her mother" in refused
    data["consent_not_in_writing_because"] = "Forms left with mum to sign"
    done = client.post(f"/episodes/{episode.pk}/visits/add/", data)
    assert done.status_code == 302
    note = CaseNote.objects.get()
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Write the case note" in page
    assert "Consent not in writing: Forms left with mum to sign" in page
    written = client.post(
        f"/episodes/{episode.pk}/case-notes/{note.pk}/", {"version": str(note.version), "note": "Introductory visit."}
    )
    assert written.status_code == 302
    assert "Introductory visit." in client.get(f"/episodes/{episode.pk}/").content.decode()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("12pm", time(12, 0)),
        ("12.15pm", time(12, 15)),
        ("9am", time(9, 0)),
        ("2:30pm", time(14, 30)),
        ("14:30", time(14, 30)),
        ("0:05", time(0, 5)),
        ("13pm", None),
        ("0am", None),
        ("24:00", None),
        ("noon", None),
    ],
)
def test_a_time_of_day_is_read_as_a_person_means_it(typed, meant):
    from earlyhelp.casework.forms import _time_of_day

    assert _time_of_day(typed) == meant


def test_a_time_that_is_not_a_time_is_refused_beside_its_field(episode, coach):
    data = {
        "kind": "phone",
        **_date_fields("happened_on", timezone.localdate()),
        "happened_time": "25:99",
        "successful": "yes",
    }
    text = signed_in(coach).post(f"/episodes/{episode.pk}/visits/add/", data).content.decode()
    assert "Enter the time like 14:30 or 2:30pm" in text
