"""Ending the work: a team leader closes the case after an ending meeting at which the family was
offered the chance to give feedback, or, when the family disengaged or withdrew consent, with a
decision on children's social care; never with plan actions open unless the leader says why, nor
with case notes unwritten; each child's final wellbeing recorded and a closure letter with the
final plan."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework import closing, leading, planning, visiting
from earlyhelp.casework.closing import ClosureDetails
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import Episode, Oversight, WellbeingScore
from earlyhelp.casework.planning import MeetingDetails, MemberDetails
from earlyhelp.people.access import people_visible_to
from tests.conftest import signed_in
from tests.factories import episode_allocated
from tests.test_casework_plans import an_action
from tests.test_casework_visits import a_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def closure(episode, **changes: Any) -> ClosureDetails:
    child = episode.children.get()
    values: dict[str, Any] = {
        "end_reason": "goals_met",
        "summary": "Mornings are calm; Maya is on time and says she is happier.",
        "wellbeing": {child.person_id: 8},
    }
    values.update(changes)
    return ClosureDetails(**values)


def ending_meeting(episode, coach, **changes: Any):
    member = planning.team_member_add(
        actor=coach, episode=episode, member=MemberDetails(name="Siobhan", role="Mother", is_family=True)
    )
    details: dict[str, Any] = {
        "kind": "ending",
        "held_at": timezone.now() - timedelta(hours=1),
        "minutes": "Goodbye visit; the school carries on the plan.",
        "attended": [member.pk],
        "feedback_offered": True,
        "family_feedback": "Tom listened to us.",
    }
    details.update(changes)
    return planning.meeting_record(actor=coach, episode=episode, details=MeetingDetails(**details))


def test_an_ending_meeting_must_offer_the_family_the_chance_to_give_feedback(episode, coach):
    with pytest.raises(ValidationError) as raised:
        ending_meeting(episode, coach, feedback_offered=False)
    assert "feedback_offered" in raised.value.message_dict


def test_the_case_closes_after_the_ending_meeting_with_the_final_wellbeing_and_the_closure_oversight(
    episode, coach, team_leader
):
    with pytest.raises(ValidationError) as raised:
        closing.episode_close(actor=team_leader, episode=episode, details=closure(episode), seen_version=None)
    assert "ending meeting" in raised.value.message_dict["end_reason"][0]
    ending_meeting(episode, coach)
    with pytest.raises(ValidationError, match="Only a team leader"):
        closing.episode_close(actor=coach, episode=episode, details=closure(episode), seen_version=None)
    closing.episode_close(actor=team_leader, episode=episode, details=closure(episode), seen_version=None)
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert (episode.end_reason, episode.closed_by) == ("goals_met", team_leader)
    assert WellbeingScore.objects.get(episode=episode, point="closure").score == 8
    assert Oversight.objects.filter(episode=episode, point=Oversight.Point.CLOSURE).exists()
    closed_at = timezone.localtime(episode.closed_at)
    with pytest.raises(ValidationError) as raised:  # a second press of "Close", or a second leader
        closing.episode_close(actor=team_leader, episode=episode, details=closure(episode), seen_version=None)
    assert raised.value.message_dict["end_reason"] == [
        f"Team leader closed this family's case on {closed_at:%-d %B %Y at %H:%M}"
    ]


def test_moving_on_to_a_universal_service_says_to_whom(episode, coach, team_leader):
    ending_meeting(episode, coach)
    with pytest.raises(ValidationError) as raised:
        closing.episode_close(
            actor=team_leader,
            episode=episode,
            details=closure(episode, end_reason="universal_service"),
            seen_version=None,
        )
    assert "transition_to" in raised.value.message_dict


def test_disengagement_goes_to_the_team_leader_who_decides_on_social_care(episode, team_leader):
    with pytest.raises(ValidationError) as raised:
        closing.episode_close(
            actor=team_leader, episode=episode, details=closure(episode, end_reason="disengaged"), seen_version=None
        )
    assert {"social_care_referral", "social_care_because"} <= set(raised.value.message_dict)
    closing.episode_close(
        actor=team_leader,
        episode=episode,
        details=closure(
            episode,
            end_reason="disengaged",
            social_care_referral="refer",
            social_care_because="The worries are growing",
        ),
        seen_version=None,
    )
    episode.refresh_from_db()
    assert episode.social_care_referral == "refer"


def test_no_closure_with_open_plan_actions_unless_the_leader_says_why_nor_with_notes_unwritten(
    episode, coach, team_leader
):
    ending_meeting(episode, coach)
    planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    with pytest.raises(ValidationError) as raised:
        closing.episode_close(actor=team_leader, episode=episode, details=closure(episode), seen_version=None)
    assert "open_actions_because" in raised.value.message_dict
    assert "still to be written" in raised.value.message_dict["summary"][0]


def test_a_partner_who_led_loses_sight_of_the_family_at_closure(episode, coach, team_leader, alice):
    leading.lead_practitioner_change(
        actor=coach,
        episode=episode,
        lead=alice,
        agreed_with_family=True,
        handover="x",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
    mother = episode.family.memberships.exclude(role="child").first().person
    assert people_visible_to(alice).filter(pk=mother.pk).exists()
    episode.refresh_from_db()
    closing.episode_close(
        actor=team_leader,
        episode=episode,
        details=closure(
            episode, end_reason="consent_withdrawn", social_care_referral="not_refer", social_care_because="No worry"
        ),
        seen_version=None,
    )
    assert not people_visible_to(alice).filter(pk=mother.pk).exists()


def test_closing_on_the_page_and_the_closure_letter(episode, coach, team_leader):
    ending_meeting(episode, coach)
    child = episode.children.get()
    client = signed_in(team_leader)
    version = str(Episode.objects.get(pk=episode.pk).version)  # the ending meeting moved it on
    refused = client.post(f"/episodes/{episode.pk}/close/", {"version": version, "end_reason": "goals_met"})
    assert "Write the closure summary" in refused.content.decode()
    assert f"Score {child.person.full_name}" in refused.content.decode()
    done = client.post(
        f"/episodes/{episode.pk}/close/",
        {
            "version": version,
            "end_reason": "goals_met",
            "summary": "Calm mornings",
            f"wellbeing-{child.person_id}": "8",
        },
    )
    assert done.status_code == 302
    letter = client.get(f"/episodes/{episode.pk}/closure-letter/").content.decode()
    assert "Our work with your family is ending" in letter
    assert "Calm mornings" in letter
    case = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Closure letter" in case
    assert "Close the case" not in case


def test_an_episode_past_6_months_shows_as_a_breach_until_the_team_leader_records_what_happens_next(
    team, coach, team_leader, frameworks
):
    from earlyhelp.casework.selectors import Clock, family_rows, my_episodes

    episode = episode_allocated(team, coach, team_leader)
    long_ago = timezone.now() - timedelta(days=200)
    from earlyhelp.audit.trail import audited_writes, record_change

    with audited_writes():  # as if allocated 200 days ago
        fresh = Episode.objects.get(pk=episode.pk)
        fresh.referred_at = fresh.reached_team_at = fresh.allocated_at = long_ago
        fresh.save(update_fields=["referred_at", "reached_team_at", "allocated_at"])
        record_change(actor=team_leader, verb=AuditEvent.Verb.UPDATED, target=fresh, changes={"test": "dated back"})
        deadlines_keep(fresh)
    clock = Clock.of(episode.authority)
    [row] = family_rows(my_episodes(coach), clock=clock, now=timezone.now())
    assert row.past_intervention_length
    assert row.past_six_months_decided is None
    visiting.oversight_record(actor=team_leader, episode=fresh, point="past_six_months", note="Extend 4 weeks: review")
    [row] = family_rows(my_episodes(coach), clock=clock, now=timezone.now())
    assert row.past_six_months_decided is not None
    text = signed_in(team_leader).get(f"/teams/{team.pk}/").content.decode()
    assert "Past 6 months: a breach" in text
    assert "1</span>past 6 months" in text
    assert "What happens next decided" in text
