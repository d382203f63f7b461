"""Supervision (FF §19.2 and the performance table): each coach supervised no less than every 4
weeks, group supervision no less than every 8, and a case supervision note on each family at least
monthly, which is one of the family's timescales; recorded by the team's leaders, due and overdue
shown on the team page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import Episode, Supervision
from earlyhelp.casework.schedule import EpisodeDates, TimescaleRules, case_supervision_dues
from earlyhelp.casework.supervising import (
    SupervisionDetails,
    case_supervision_record,
    group_supervision_record,
    individual_supervision_record,
)
from tests.conftest import signed_in
from tests.factories import UserFactory, episode_allocated

pytestmark = pytest.mark.django_db


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _joined(user, days_ago: int) -> None:
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_ago))


def test_a_coach_not_supervised_within_4_weeks_of_joining_is_overdue_on_the_team_page(team, coach, team_leader):
    _joined(coach, 30)
    page = signed_in(team_leader).get(f"/teams/{team.pk}/").content.decode()
    assert "1 of 1 family coach overdue for individual supervision (every 4 weeks)" in page
    supervision = signed_in(team_leader).get(f"/teams/{team.pk}/supervision/").content.decode()
    assert "Not yet: joined" in supervision
    assert "2 days overdue" in supervision


def test_recording_individual_supervision_sets_the_next_due_4_weeks_on(team, coach, team_leader):
    _joined(coach, 30)
    today = timezone.localdate()
    client = signed_in(team_leader)
    response = client.post(
        f"/teams/{team.pk}/supervision/individual/",
        {"supervisee": str(coach.pk), "note": "Caseload of 12; two families stuck.", **_date_fields("held_on", today)},
    )
    assert response.status_code == 302
    page = client.get(f"/teams/{team.pk}/supervision/").content.decode()
    assert f"{today + timedelta(weeks=4):%-d %B %Y}" in page
    assert "Caseload of 12; two families stuck." in page
    assert "0 of 1 family coach overdue" in client.get(f"/teams/{team.pk}/").content.decode()
    assert AuditEvent.objects.filter(target_type="casework.supervision", verb=AuditEvent.Verb.CREATED).exists()


def test_supervision_with_mistakes_is_refused_beside_each_field_and_keeps_the_note(team, coach, team_leader):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = signed_in(team_leader).post(
        f"/teams/{team.pk}/supervision/individual/",
        {"note": "We talked about the Brennans.", **_date_fields("held_on", tomorrow)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the family coach you supervised" in page
    assert "Date of the supervision must be today or in the past" in page
    assert "We talked about the Brennans." in page
    assert not Supervision.objects.exists()


def test_group_supervision_takes_only_the_teams_coaches(team, coach, team_leader, authority):
    other = UserFactory(authority=authority, roles=["family_coach"], full_name="Elsewhere Coach")
    details = SupervisionDetails(held_on=timezone.localdate(), note="Reflective case discussion")
    with pytest.raises(ValidationError, match="Choose only family coaches"):
        group_supervision_record(actor=team_leader, team=team, attendees=[coach.pk, other.pk], details=details)
    held = group_supervision_record(actor=team_leader, team=team, attendees=[coach.pk], details=details)
    assert list(held.attendees.all()) == [coach]
    page = signed_in(team_leader).get(f"/teams/{team.pk}/supervision/").content.decode()
    assert f"Last held on {timezone.localdate():%-d %B %Y}" in page


def test_only_a_leader_of_the_team_records_its_supervision(team, coach, head_of_service):
    details = SupervisionDetails(held_on=timezone.localdate(), note="Notes")
    for actor in (coach, head_of_service):
        with pytest.raises(ValidationError, match="Only a team leader"):
            individual_supervision_record(actor=actor, team=team, supervisee=coach, details=details)


def test_a_case_supervision_note_is_due_a_month_from_allocation_then_a_month_from_the_last(episode, team_leader):
    client = signed_in(team_leader)
    case_file = client.get(f"/episodes/{episode.pk}/").content.decode()
    allocated_on = timezone.localtime(episode.allocated_at).date()
    assert "Case supervision note" in case_file
    assert "At least every 1 month from allocation" in case_file
    today = timezone.localdate()
    response = client.post(
        f"/episodes/{episode.pk}/case-supervision/",
        {"note": "Reviewed the plan with the coach; next review booked.", **_date_fields("held_on", today)},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.last_case_supervision_on == today
    case_file = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "At least every 1 month from the last note" in case_file
    assert f"Case supervision note ({today:%-d %B %Y})" in case_file
    assert allocated_on <= today


def test_a_case_supervision_note_cannot_be_before_the_allocation(episode, team_leader):
    before = timezone.localtime(episode.allocated_at).date() - timedelta(days=3)
    with pytest.raises(ValidationError, match="when the family was allocated"):
        case_supervision_record(
            actor=team_leader, episode=episode, details=SupervisionDetails(held_on=before, note="Too early")
        )


def test_an_earlier_case_supervision_note_does_not_move_the_clock_back(episode, team_leader):
    today = timezone.localdate()
    case_supervision_record(actor=team_leader, episode=episode, details=SupervisionDetails(held_on=today, note="Now"))
    allocated_on = timezone.localtime(episode.allocated_at).date()
    case_supervision_record(
        actor=team_leader, episode=episode, details=SupervisionDetails(held_on=allocated_on, note="Written up late")
    )
    episode.refresh_from_db()
    assert episode.last_case_supervision_on == today


def test_an_overdue_case_supervision_note_makes_the_family_overdue_but_not_a_breach():
    from earlyhelp.casework.selectors import shown
    from earlyhelp.frontdoor.clock import working_time

    hours = working_time()
    now = timezone.now()
    allocated = now - timedelta(days=45)
    dates = EpisodeDates(referred_at=allocated, reached_team_at=allocated, allocated_at=allocated)
    (due,) = case_supervision_dues(dates, TimescaleRules(), allocated_on=allocated.date())
    assert shown(due, now, hours).is_overdue
    assert shown(due, now, hours).label == "Overdue"
    assert not due.ends_intervention
    closed = EpisodeDates(referred_at=allocated, reached_team_at=allocated, allocated_at=allocated, closed_at=now)
    assert case_supervision_dues(closed, TimescaleRules(), allocated_on=allocated.date()) == []


def test_a_case_supervision_note_keeps_the_familys_soonest_deadline(episode, team_leader):
    before = Episode.objects.get(pk=episode.pk).overdue_after
    case_supervision_record(
        actor=team_leader, episode=episode, details=SupervisionDetails(held_on=timezone.localdate(), note="Noted")
    )
    after = Episode.objects.get(pk=episode.pk)
    assert after.overdue_after is not None
    assert before is not None
