"""The Team Around the Family, the plan and its meetings, in their order: the initial planning
meeting after the authorised assessment, agreeing the plan; reviews after it every 6 weeks with
attendance and each child's wellbeing; visits every 2 weeks once there is a plan."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework import assessing, planning
from earlyhelp.casework.models import Meeting, WellbeingScore
from earlyhelp.casework.planning import ActionDetails, MeetingDetails, MemberDetails
from earlyhelp.casework.selectors import Clock, case_file
from earlyhelp.core.workflow import StaleEditError
from tests.conftest import signed_in
from tests.factories import episode_allocated
from tests.test_casework_assessments import written_and_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def an_action(**changes: Any) -> ActionDetails:
    values: dict[str, Any] = {
        "what": "A morning routine chart with Maya",
        "who": "Siobhan (mother), with the coach",
        "by_when": timezone.localdate() + timedelta(days=14),
        "outcome_sought": "Maya gets to school on time",
        "measure": "The school's register: on time four days a week",
    }
    values.update(changes)
    return ActionDetails(**values)


def assessed(episode, coach, team_leader):
    assessing.assessment_authorise(actor=team_leader, assessment=written_and_sent(episode, coach), note="Agreed")
    episode.refresh_from_db()
    return episode


def members_of(episode, coach):
    mother = planning.team_member_add(
        actor=coach, episode=episode, member=MemberDetails(name="Siobhan Brennan", role="Mother", is_family=True)
    )
    teacher = planning.team_member_add(
        actor=coach,
        episode=episode,
        member=MemberDetails(name="Ms Patel", role="Class teacher", agency="Kingsthorpe Primary"),
    )
    return mother, teacher


def test_a_member_from_an_agency_says_which_and_one_who_leaves_stays_on_the_record(episode, coach):
    with pytest.raises(ValidationError) as raised:
        planning.team_member_add(actor=coach, episode=episode, member=MemberDetails(name="", role="", agency=""))
    assert set(raised.value.message_dict) == {"name", "role", "agency"}
    _mother, teacher = members_of(episode, coach)
    planning.team_member_leave(actor=coach, member=teacher)
    with pytest.raises(ValidationError, match="left the team"):
        planning.team_member_leave(actor=coach, member=teacher)
    teacher.refresh_from_db()
    assert teacher.left_at is not None


def test_every_plan_action_says_what_who_by_when_the_outcome_and_its_measure(episode, coach):
    with pytest.raises(ValidationError) as raised:
        planning.plan_action_add(
            actor=coach,
            episode=episode,
            details=ActionDetails("", "", timezone.localdate() - timedelta(days=1), "", ""),
        )
    assert set(raised.value.message_dict) == {"what", "who", "by_when", "outcome_sought", "measure"}


def test_the_meetings_come_in_their_order(episode, coach, team_leader):
    mother, teacher = members_of(episode, coach)
    held = timezone.now() - timedelta(hours=2)
    initial = MeetingDetails(kind="initial", held_at=held, minutes="Plan agreed", attended=[mother.pk, teacher.pk])
    with pytest.raises(ValidationError, match="Reviews follow the initial planning meeting"):
        planning.meeting_record(
            actor=coach, episode=episode, details=MeetingDetails(**{**initial.__dict__, "kind": "review"})
        )
    with pytest.raises(ValidationError, match="follows the assessment"):
        planning.meeting_record(actor=coach, episode=episode, details=initial)
    assessed(episode, coach, team_leader)
    with pytest.raises(ValidationError, match="add its actions first"):
        planning.meeting_record(actor=coach, episode=episode, details=initial)
    planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    planning.meeting_record(actor=coach, episode=episode, details=initial)
    with pytest.raises(ValidationError, match="already recorded"):
        planning.meeting_record(actor=coach, episode=episode, details=initial)
    episode.refresh_from_db()
    assert episode.first_meeting_at == held
    assert Meeting.objects.get(kind="initial").attended.count() == 2


def test_a_review_records_who_attended_and_each_childs_wellbeing_and_moves_the_next_review_on(
    episode, coach, team_leader
):
    mother, _teacher = members_of(episode, coach)
    assessed(episode, coach, team_leader)
    planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    first = timezone.now() - timedelta(days=1)
    planning.meeting_record(
        actor=coach,
        episode=episode,
        details=MeetingDetails(kind="initial", held_at=first, minutes="Agreed", attended=[mother.pk]),
    )
    child = episode.children.get()
    review = MeetingDetails(kind="review", held_at=timezone.now() - timedelta(hours=1), minutes="Reviewed", attended=[])
    with pytest.raises(ValidationError) as raised:
        planning.meeting_record(actor=coach, episode=episode, details=review)
    assert set(raised.value.message_dict) == {"attended", f"wellbeing-{child.person_id}"}
    planning.meeting_record(
        actor=coach,
        episode=episode,
        details=MeetingDetails(**{**review.__dict__, "attended": [mother.pk], "wellbeing": {child.person_id: 7}}),
    )
    assert WellbeingScore.objects.get(episode=episode, point="review").score == 7
    episode.refresh_from_db()
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    [next_review] = [item for item in case.dues if item.due.what == "Review meeting"]
    assert next_review.due.day == timezone.localtime(episode.last_meeting_at).date() + timedelta(weeks=6)
    [next_visit] = [item for item in case.dues if item.due.what == "Visit"]
    assert next_visit.due.day is not None
    [first_meeting] = [item for item in case.dues if item.due.rule == "30 days from referral"]
    assert first_meeting.state.value == "done"


def test_a_meeting_in_the_future_or_without_minutes_is_refused(episode, coach):
    mother, _ = members_of(episode, coach)
    details = MeetingDetails(
        kind="review", held_at=timezone.now() + timedelta(days=1), minutes="", attended=[mother.pk]
    )
    with pytest.raises(ValidationError) as raised:
        planning.meeting_record(actor=coach, episode=episode, details=details)
    assert {"held_on", "minutes"} <= set(raised.value.message_dict)


def test_a_plan_action_moves_only_as_its_statuses_allow_and_a_stale_page_is_refused(episode, coach, team_leader):
    action = planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    seen = action.version
    with pytest.raises(ValidationError) as raised:
        planning.plan_action_update(
            actor=coach, action=action, status="stopped", progress="", by_when=action.by_when, seen_version=seen
        )
    assert "progress" in raised.value.message_dict
    planning.plan_action_update(
        actor=coach,
        action=action,
        status="done",
        progress="On time every day",
        by_when=action.by_when,
        seen_version=seen,
    )
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    with pytest.raises(StaleEditError):
        planning.plan_action_update(
            actor=team_leader, action=action, status="open", progress="x", by_when=action.by_when, seen_version=seen
        )
    with pytest.raises(ValidationError, match="cannot become"):
        planning.plan_action_update(
            actor=coach,
            action=action,
            status="stopped",
            progress="x",
            by_when=action.by_when,
            seen_version=action.version,
        )


def test_an_open_action_past_its_date_shows_on_my_families(episode, coach):
    from earlyhelp.casework.schedule import ActionDates, EpisodeDates, TimescaleRules, plan_dues
    from earlyhelp.frontdoor.clock import rules_from_settings, working_time

    first = timezone.now() - timedelta(days=20)
    dates = EpisodeDates(
        referred_at=first,
        reached_team_at=first,
        allocated_at=first,
        first_meeting_at=first,
        actions=(ActionDates("Chart", date(2026, 1, 5)),),
    )
    dues = plan_dues(dates, TimescaleRules(), working_time(rules_from_settings()))
    assert [due.what for due in dues] == ["Review meeting", "Visit", "Plan action: Chart"]
    assert (
        plan_dues(
            EpisodeDates(referred_at=first, reached_team_at=first),
            TimescaleRules(),
            working_time(rules_from_settings()),
        )
        == []
    )


def test_the_plan_and_the_meetings_on_their_pages(episode, coach, team_leader, alice):
    client = signed_in(coach)
    today = timezone.localdate() + timedelta(days=10)
    added = client.post(
        f"/episodes/{episode.pk}/plan/",
        {
            "what": "Morning routine chart",
            "who": "Mum",
            "by_when_0": str(today.day),
            "by_when_1": str(today.month),
            "by_when_2": str(today.year),
            "outcome_sought": "On time",
            "measure": "",
        },
    )
    assert "Say how everyone will know it is working" in added.content.decode()
    assert "Morning routine chart" in added.content.decode()
    member = client.post(
        f"/episodes/{episode.pk}/team-around-the-family/", {"name": "Siobhan", "role": "Mother", "is_family": "on"}
    )
    assert member.status_code == 302
    text = client.get(f"/episodes/{episode.pk}/team-around-the-family/").content.decode()
    assert "Siobhan" in text
    meeting = client.post(
        f"/episodes/{episode.pk}/meetings/add/", {"kind": "initial", "minutes": "x", "held_time": "10:00"}
    )
    assert (
        "The initial planning meeting follows the assessment" in meeting.content.decode()
        or "When was it held" in meeting.content.decode()
    )
    # A reader who does not work the episode sees the plan but cannot add to it.
    front = signed_in(team_leader)
    assert front.get(f"/episodes/{episode.pk}/plan/").status_code == 200
    assert signed_in(alice).get(f"/episodes/{episode.pk}/plan/").status_code == 404


def test_the_case_file_names_the_oversight_still_to_record_and_the_team_page_the_work_awaiting_sign_off(
    episode, coach, team_leader
):
    from earlyhelp.casework import visiting
    from tests.test_casework_visits import a_visit

    visiting.case_note_record(actor=coach, episode=episode, details=a_visit())
    episode.refresh_from_db()
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    assert case.oversight_to_record == ["After the introductory visit"]
    visiting.oversight_record(actor=team_leader, episode=episode, point="first_visit", note="Good start")
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    assert case.oversight_to_record == []
    written_and_sent(episode, coach)
    text = signed_in(team_leader).get(f"/teams/{episode.team_id}/").content.decode()
    assert "Waiting for your sign-off" in text
    assert "The Brennan family: Early help assessment (CAF)" in text


def test_the_case_file_lists_a_meetings_attendees_family_first_then_by_name(episode, coach, team_leader):
    mother, teacher = members_of(episode, coach)
    aunt = planning.team_member_add(
        actor=coach, episode=episode, member=MemberDetails(name="Aoife Brennan", role="Aunt", is_family=True)
    )
    assessed(episode, coach, team_leader)
    planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    held = timezone.now() - timedelta(hours=2)
    # Recorded teacher first: the case file still shows the family first, each part by name.
    attended = [teacher.pk, mother.pk, aunt.pk]
    planning.meeting_record(
        actor=coach,
        episode=episode,
        details=MeetingDetails(kind="initial", held_at=held, minutes="Agreed", attended=attended),
    )
    episode.refresh_from_db()
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    (meeting,) = case.meetings
    attendees = getattr(meeting, "attendees")  # noqa: B009 - set by case_file, not a field
    assert [member.name for member in attendees] == ["Aoife Brennan", "Siobhan Brennan", "Ms Patel"]


def test_copies_of_the_assessment_and_plan_given_at_a_meeting_are_counted(episode, coach, team_leader):
    from earlyhelp.forums.reports import Period
    from earlyhelp.performance.measures import Measures

    mother, teacher = members_of(episode, coach)
    assessed(episode, coach, team_leader)
    planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    planning.meeting_record(
        actor=coach,
        episode=episode,
        details=MeetingDetails(
            kind="initial",
            held_at=timezone.now() - timedelta(days=1),
            minutes="Agreed",
            attended=[mother.pk, teacher.pk],
            copies_given=True,
        ),
    )
    child = episode.children.get()
    planning.meeting_record(
        actor=coach,
        episode=episode,
        details=MeetingDetails(
            kind="review",
            held_at=timezone.now() - timedelta(hours=1),
            minutes="Reviewed",
            attended=[mother.pk],
            wellbeing={child.person_id: 6},
        ),
    )
    assert list(Meeting.objects.order_by("held_at").values_list("copies_given", flat=True)) == [True, False]
    today = timezone.localdate()
    figure = Measures(episode.authority, Period(today - timedelta(days=7), today)).figure("copies_given")
    assert (figure.numerator, figure.denominator, figure.met) == (1, 2, False)
