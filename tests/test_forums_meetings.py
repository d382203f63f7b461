"""A meeting and after it (EHF §4 f–h; T&P §4.2): who came, each discussion with its decisions
and actions, the decisions recorded and the action notes sent (both tracked), actions reviewed at
later meetings, cases escalated, ended, or referred to the front door with their history."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.forums import requesting, running
from earlyhelp.forums.agenda import agenda_of
from earlyhelp.forums.models import ForumAction, ForumMeeting, RequestForDiscussion
from earlyhelp.forums.referring import ChildAndConsent, case_refer, forum_history
from earlyhelp.frontdoor.models import ConsentCovers, Contact
from earlyhelp.frontdoor.referrals import ConsentDetails
from tests import forums_world as world_of

pytestmark = pytest.mark.django_db
Status = RequestForDiscussion.Status


@pytest.fixture
def world(authority, forum_coordinator, business_support, alice, frameworks):
    built = world_of.forum_world(
        authority, coordinator=forum_coordinator, business_support=business_support, core=alice
    )
    return world_of.with_a_discussed_case(built)


def discuss(world, meeting, request, actions=(), **changes):
    values = {"notes": "Discussed", "decisions": "Decided", "actions": list(actions)} | changes
    return running.discussion_record(
        actor=world.coordinator.user, member=world.coordinator, meeting=meeting, request=request, **values
    )


def test_a_discussion_records_its_actions_and_moves_the_case_and_the_meeting_on(world):
    past = world.extra["discussed"].discussions.get().meeting
    case = world.extra["discussed"]
    case.refresh_from_db()
    assert case.status == Status.DISCUSSED
    assert past.status == ForumMeeting.Status.HELD
    [action] = case.actions.all()
    assert (action.what, action.status, action.agreed_at) == ("Start a CAF", ForumAction.Status.OPEN, past)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"notes": " "}, "notes", "Record what was discussed"),
        ({"decisions": ""}, "decisions", "Record what the forum decided"),
        ({"actions": [running.ActionDetails("", "", "", None)]}, "what-0", "Say what is to be done"),
        ({"actions": [running.ActionDetails("Call", "", "", None)]}, "owner_name-0", "Say who will do it"),
        ({"actions": [running.ActionDetails("Call", "Al", "", None)]}, "due_on-0", "Enter the date it is due"),
    ],
)
def test_a_discussion_says_what_is_missing(world, changes, field, message):
    past = world_of.past_meeting(world.forum, days_ago=14)
    case = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=world_of.details(world.requester)
    )
    world_of.accept(world, case, past)
    with pytest.raises(ValidationError) as refused:
        discuss(world, past, case, **changes)
    assert refused.value.message_dict[field] == [message]
    assert not case.discussions.exists()


def test_a_meeting_still_to_come_cannot_be_recorded(world):
    future = ForumMeeting.objects.filter(forum=world.forum, held_on__gt=timezone.localdate()).first()
    case = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=world_of.details(world.requester)
    )
    world_of.accept(world, case, future)
    with pytest.raises(ValidationError) as refused:
        discuss(world, future, case)
    assert refused.value.message_dict["notes"] == ["Record the discussion on or after the day of the meeting"]


def test_a_case_is_discussed_once_a_meeting_and_only_by_those_who_run_it(world):
    case = world.extra["discussed"]
    past = case.discussions.get().meeting
    with pytest.raises(ValidationError):
        discuss(world, past, case)
    with pytest.raises(ValidationError):
        running.discussion_record(
            actor=world.core.user, member=world.core, meeting=past, request=case, notes="x", decisions="y", actions=[]
        )


def test_the_next_agenda_reviews_the_cases_with_open_actions_after_the_new_ones(world):
    agenda = agenda_of(world.meeting)
    requests = [slot.request for slot in agenda.slots]
    assert requests == [world.named_case, world.anonymous_case, world.extra["discussed"]]
    assert [slot.follow_up for slot in agenda.slots] == [False, False, True]
    assert agenda.community_issues == [world.community_issue]
    assert (agenda.slots[2].ends.hour * 60 + agenda.slots[2].ends.minute) - (
        agenda.slots[2].starts.hour * 60 + agenda.slots[2].starts.minute
    ) == 10


def test_an_action_is_reviewed_done_or_dropped_once(world):
    action = world.extra["action"]
    meeting = world_of.past_meeting(world.forum, days_ago=1)
    review = {"actor": world.coordinator.user, "member": world.coordinator, "meeting": meeting, "seen_version": None}
    with pytest.raises(ValidationError) as refused:
        running.action_review(action=action, outcome="done", done_on=None, note="", **review)
    assert refused.value.message_dict == {"done_on": ["Enter the date it was done"]}
    with pytest.raises(ValidationError) as refused:
        running.action_review(action=action, outcome="not_done", done_on=None, note="", **review)
    assert refused.value.message_dict == {"note": ["Say why the action was dropped"]}
    done_on = timezone.localdate() - timedelta(days=2)
    reviewed = running.action_review(action=action, outcome="done", done_on=done_on, note="", **review)
    assert (reviewed.status, reviewed.done_on, reviewed.reviewed_at) == (ForumAction.Status.DONE, done_on, meeting)
    with pytest.raises(ValidationError):
        running.action_review(action=action, outcome="not_done", done_on=None, note="again", **review)
    assert world.extra["discussed"] not in [slot.request for slot in agenda_of(world.meeting).slots]


def test_the_decisions_are_recorded_only_when_every_case_on_the_agenda_is(world):
    past = world_of.past_meeting(world.forum, days_ago=3)
    first, second = (
        requesting.request_submit(actor=world.requester, forum=world.forum, details=world_of.details(world.requester))
        for _ in range(2)
    )
    world_of.accept(world, first, past)
    world_of.accept(world, second, past)
    discuss(world, past, first)
    with pytest.raises(ValidationError) as refused:
        running.decisions_recorded(
            actor=world.coordinator.user, member=world.coordinator, meeting=past, learning="", seen_version=None
        )
    assert refused.value.message_dict == {"learning": [f"Record the discussion of {second.reference} first"]}
    with pytest.raises(ValidationError):
        running.action_notes_send(actor=world.coordinator.user, member=world.coordinator, meeting=past)
    discuss(world, past, second)
    past.refresh_from_db()
    recorded = running.decisions_recorded(
        actor=world.coordinator.user,
        member=world.coordinator,
        meeting=past,
        learning="Invite housing",
        seen_version=past.version,
    )
    assert recorded.decisions_recorded_at is not None
    assert recorded.learning == "Invite housing"
    sent = running.action_notes_send(actor=world.coordinator.user, member=world.coordinator, meeting=past)
    assert sent.action_notes_sent_at is not None
    with pytest.raises(ValidationError):
        running.action_notes_send(actor=world.coordinator.user, member=world.coordinator, meeting=past)


def test_the_decisions_are_due_three_working_days_after_the_meeting(world):
    from datetime import date

    meeting = ForumMeeting(forum=world.forum, held_on=date(2026, 12, 23), planned_on=date(2026, 12, 23))
    # Wednesday 23 December: the 24th, then the 29th and 30th (Christmas, Boxing Day, the weekend and the
    # bank holiday on the 28th are not working days).
    assert running.decisions_due_on(meeting) == date(2026, 12, 30)


def test_escalating_closing_and_outcomes_met_follow_the_allowed_moves(world):
    case = world.extra["discussed"]
    move = {"actor": world.coordinator.user, "member": world.coordinator, "seen_version": None}
    with pytest.raises(ValidationError) as refused:
        running.case_move_on(request=case, ending=running.Ending.ESCALATE, reason="", **move)
    assert refused.value.message_dict == {"reason": ["Say what the forum could not resolve"]}
    escalated = running.case_move_on(request=case, ending=running.Ending.ESCALATE, reason="No housing lead", **move)
    assert escalated.status == Status.ESCALATED
    assert escalated.escalated_at is not None
    with pytest.raises(ValidationError):
        running.case_move_on(request=case, ending=running.Ending.ESCALATE, reason="Again", **move)
    met = running.case_move_on(request=case, ending=running.Ending.OUTCOMES_MET, reason="Housed", **move)
    assert met.status == Status.OUTCOMES_MET
    assert met.ended_at is not None
    with pytest.raises(ValidationError):
        running.case_move_on(request=case, ending=running.Ending.CLOSE, reason="x", **move)


def child_and_consent(**changes: Any) -> ChildAndConsent:
    values: dict[str, Any] = {
        "first_name": "Sam",
        "last_name": "Taylor",
        "date_of_birth": timezone.localdate() - timedelta(days=3000),
        "postcode": "NN2 7BU",
        "needs": ["family-conflict"],
        "consent": ConsentDetails(
            status="given",
            given_by="Jo Taylor (mother)",
            given_on=timezone.localdate(),
            how="written",
            covers=[ConsentCovers.EARLY_HELP_SERVICE],
        ),
    } | changes
    return ChildAndConsent(**values)


def test_a_case_becomes_a_front_door_referral_with_its_forum_history(world):
    case = world.extra["discussed"]
    history = forum_history(case)
    contact = case_refer(
        actor=world.coordinator.user,
        member=world.coordinator,
        request=case,
        details=child_and_consent(),
        seen_version=None,
    )
    case.refresh_from_db()
    assert (case.status, case.referral) == (Status.REFERRED, contact)
    assert contact.source == Contact.Source.FORUM
    assert contact.status == Contact.Status.AWAITING_DECISION
    assert f"Discussed at {world.forum.name}" in contact.reason
    assert "Start a CAF (Alice Partner" in contact.reason
    assert contact.reason == history
    assert [(p.first_name, p.last_name) for p in contact.people.all()] == [("Sam", "Taylor")]


def test_the_front_doors_rules_refuse_a_referral_that_breaks_them_and_nothing_is_saved(world):
    case = world.extra["discussed"]
    with pytest.raises(ValidationError) as refused:
        case_refer(
            actor=world.coordinator.user,
            member=world.coordinator,
            request=case,
            details=child_and_consent(first_name="", needs=[], consent=ConsentDetails(status="given")),
            seen_version=None,
        )
    assert {"first_name", "needs", "given_by"} <= set(refused.value.message_dict)
    case.refresh_from_db()
    assert case.status == Status.DISCUSSED
    assert not Contact.objects.filter(source=Contact.Source.FORUM).exists()


def test_an_anonymous_case_or_a_member_who_does_not_run_the_forum_cannot_refer(world):
    with pytest.raises(ValidationError):
        case_refer(
            actor=world.core.user,
            member=world.core,
            request=world.extra["discussed"],
            details=child_and_consent(),
            seen_version=None,
        )
    anonymous = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=world_of.details(world.requester)
    )
    past = world_of.past_meeting(world.forum, days_ago=20)
    world_of.accept(world, anonymous, past)
    discuss(world, past, anonymous)
    with pytest.raises(ValidationError) as refused:
        case_refer(
            actor=world.coordinator.user,
            member=world.coordinator,
            request=anonymous,
            details=child_and_consent(),
            seen_version=None,
        )
    assert "anonymous case" in refused.value.message_dict["consent"][0]


def test_a_moved_meeting_keeps_its_place_and_a_cancelled_one_holds_its_requests(world):
    from earlyhelp.forums.scheduling import meeting_cancel, meeting_move, meetings_set_a_year_ahead

    meeting = world.meeting
    planned = meeting.planned_on
    new_day = meeting.held_on + timedelta(days=1)
    moved = meeting_move(
        actor=world.coordinator.user, meeting=meeting, to=new_day, venue="Guildhall", seen_version=None
    )
    assert (moved.held_on, moved.planned_on, moved.venue) == (new_day, planned, "Guildhall")
    assert meetings_set_a_year_ahead(forum=world.forum, today=timezone.localdate()) == []
    with pytest.raises(ValidationError) as refused:
        meeting_cancel(actor=world.coordinator.user, meeting=moved, because=" ", seen_version=None)
    assert refused.value.message_dict == {"because": ["Say why the meeting is cancelled"]}
    cancelled = meeting_cancel(actor=world.coordinator.user, meeting=moved, because="Snow", seen_version=None)
    assert cancelled.status == ForumMeeting.Status.CANCELLED
    world.named_case.refresh_from_db()
    assert (world.named_case.status, world.named_case.meeting) == (Status.HELD, None)
    with pytest.raises(ValidationError):
        meeting_move(actor=world.coordinator.user, meeting=cancelled, to=new_day, venue="x", seen_version=None)


def test_a_meeting_cannot_move_onto_another_meeting_of_the_forum(world):
    from earlyhelp.forums.scheduling import meeting_move

    other = (
        ForumMeeting.objects.filter(forum=world.forum)
        .exclude(pk=world.meeting.pk)
        .filter(held_on__gt=world.meeting.held_on)
        .first()
    )
    assert other is not None
    with pytest.raises(ValidationError) as refused:
        meeting_move(
            actor=world.coordinator.user, meeting=world.meeting, to=other.held_on, venue="x", seen_version=None
        )
    assert refused.value.message_dict == {"held_on": ["The forum already meets on that day"]}
