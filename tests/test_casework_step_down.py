"""Step-down from children's social care through the weekly transfer panel (FF §7, §10.1, §14.3):
a social worker proposes; the panel accepts, defers or says why not; accepted, the episode opens
from the proposed plan with no assessment to do; the handover reaffirms consent; and social care
closes only after early help holds the case, so that there is never a day when nobody holds it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework.allocating import episode_allocate
from earlyhelp.casework.models import Episode, Meeting, StepDown
from earlyhelp.casework.planning import (
    ActionDetails,
    MeetingDetails,
    MemberDetails,
    meeting_record,
    plan_action_add,
    team_member_add,
)
from earlyhelp.casework.selectors import Clock, case_file
from earlyhelp.casework.stepping_down import (
    PanelDecision,
    Proposal,
    next_panel_on,
    step_down_decide,
    step_down_hand_over,
    step_down_propose,
    step_down_social_care_close,
)
from earlyhelp.people.models import FamilyMembership
from tests.conftest import signed_in
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, add_member, allocation_note

pytestmark = pytest.mark.django_db


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def family():
    family = FamilyFactory(name="The Ahmed family")
    add_member(family, AdultFactory(first_name="Sara", last_name="Ahmed"), FamilyMembership.Role.PARENT)
    add_member(family, PersonFactory(first_name="Yusuf", last_name="Ahmed", date_of_birth=date(2014, 6, 2)))
    return family


def _child(family):
    return family.memberships.get(role=FamilyMembership.Role.CHILD).person


def _proposed(family, social_worker) -> StepDown:
    return step_down_propose(
        actor=social_worker,
        family=family,
        proposal=Proposal(
            children=[_child(family).pk],
            why_now="Child in need plan met; Mum engaging; school attendance back to 95%",
            proposed_plan="Weekly check-in with school; parenting course; review in 6 weeks",
        ),
    )


def _accepted(step_down, leader, team) -> StepDown:
    accepted = step_down_decide(
        actor=leader,
        step_down=step_down,
        details=PanelDecision(
            decision="accept", reason="Meets the criteria", team=team, transfer_on=step_down.panel_on
        ),
        seen_version=None,
    )
    assert accepted.episode is not None
    return accepted


def _allocated(step_down: StepDown, leader, coach) -> None:
    episode = step_down.episode
    assert episode is not None
    episode_allocate(actor=leader, episode=episode, note=allocation_note(coach, episode), seen_version=None)


def test_the_panel_meets_weekly_on_the_authoritys_day(authority):
    wednesday = date(2026, 12, 9)
    assert next_panel_on(authority, after=wednesday) == wednesday
    assert next_panel_on(authority, after=date(2026, 12, 10)) == date(2026, 12, 16)
    assert next_panel_on(authority, after=date(2026, 12, 7)) == wednesday


def test_only_a_social_worker_proposes_and_only_for_the_familys_children(family, coach, social_worker):
    with pytest.raises(ValidationError, match="Only a social worker"):
        _proposed(family, coach)
    with pytest.raises(ValidationError) as refused:
        step_down_propose(
            actor=social_worker,
            family=family,
            proposal=Proposal(children=[PersonFactory().pk], why_now="", proposed_plan=""),
        )
    assert set(refused.value.message_dict) == {"children", "why_now", "proposed_plan"}
    made = _proposed(family, social_worker)
    assert made.panel_on == next_panel_on(family.authority, after=timezone.localdate())
    with pytest.raises(ValidationError, match="already in hand"):
        _proposed(family, social_worker)


def test_a_deferred_step_down_goes_to_the_next_panel_and_one_not_accepted_says_why(family, social_worker, team_leader):
    step_down = _proposed(family, social_worker)
    first = step_down.panel_on
    deferred = step_down_decide(
        actor=team_leader,
        step_down=step_down,
        details=PanelDecision(decision="defer", reason="Waiting for the school's report"),
        seen_version=None,
    )
    assert deferred.status == StepDown.Status.PROPOSED
    assert deferred.panel_on == first + timedelta(days=7)
    with pytest.raises(ValidationError, match="Say why"):
        step_down_decide(
            actor=team_leader, step_down=deferred, details=PanelDecision("not_accept", ""), seen_version=None
        )
    refused = step_down_decide(
        actor=team_leader,
        step_down=deferred,
        details=PanelDecision("not_accept", "Needs remain at level 4"),
        seen_version=None,
    )
    assert refused.status == StepDown.Status.NOT_ACCEPTED
    assert refused.episode is None


def test_accepted_it_opens_an_episode_with_no_assessment_to_do_and_a_plan_meeting_without_one(
    family, social_worker, team_leader, coach, team, frameworks
):
    step_down = _accepted(_proposed(family, social_worker), team_leader, team)
    episode = step_down.episode
    assert episode is not None
    assert episode.origin == Episode.Origin.STEP_DOWN
    assert episode.status == Episode.Status.AWAITING_ALLOCATION
    assert [child.person for child in episode.children.all()] == [_child(family)]
    episode = episode_allocate(
        actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=None
    )
    found = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    assert not [item for item in found.dues if item.due.what == "Assessment authorised"]
    plan_action_add(
        actor=coach,
        episode=episode,
        details=ActionDetails(
            "Weekly check-in with school", "Ms Khan", timezone.localdate() + timedelta(days=7), "x", "y"
        ),
    )
    mum = team_member_add(
        actor=coach, episode=episode, member=MemberDetails(name="Sara Ahmed", role="Mother", is_family=True)
    )
    meeting = meeting_record(
        actor=coach,
        episode=episode,
        details=MeetingDetails(
            kind=Meeting.Kind.INITIAL,
            held_at=timezone.now(),
            minutes="Plan agreed from the proposal",
            attended=[mum.pk],
        ),
    )
    assert meeting.kind == Meeting.Kind.INITIAL


def test_the_handover_waits_for_a_coach_and_reaffirms_consent(
    family, social_worker, team_leader, coach, team, frameworks
):
    step_down = _accepted(_proposed(family, social_worker), team_leader, team)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Allocate the family to a coach first"):
        step_down_hand_over(
            actor=team_leader,
            step_down=step_down,
            handover_on=today,
            note="Met",
            consent_given_by="Sara Ahmed",
            consent_given_on=today,
            seen_version=None,
        )
    _allocated(step_down, team_leader, coach)
    with pytest.raises(ValidationError) as refused:
        step_down_hand_over(
            actor=coach,
            step_down=step_down,
            handover_on=today,
            note="Met",
            consent_given_by="",
            consent_given_on=None,
            seen_version=None,
        )
    assert set(refused.value.message_dict) == {"consent_given_by", "consent_given_on"}
    handed = step_down_hand_over(
        actor=coach,
        step_down=step_down,
        handover_on=today,
        note="Joint visit with the social worker",
        consent_given_by="Sara Ahmed",
        consent_given_on=today,
        seen_version=None,
    )
    assert handed.status == StepDown.Status.HANDED_OVER


def test_social_care_closes_only_after_early_help_holds_the_case_so_someone_always_holds_it(
    family, social_worker, team_leader, coach, team, frameworks
):
    step_down = _accepted(_proposed(family, social_worker), team_leader, team)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="after the handover"):
        step_down_social_care_close(actor=social_worker, step_down=step_down, closed_on=today, seen_version=None)
    _allocated(step_down, team_leader, coach)
    step_down = step_down_hand_over(
        actor=coach,
        step_down=step_down,
        handover_on=today,
        note="Handover",
        consent_given_by="Sara Ahmed",
        consent_given_on=today,
        seen_version=None,
    )
    with pytest.raises(ValidationError, match="cannot close before the handover"):
        step_down_social_care_close(
            actor=social_worker, step_down=step_down, closed_on=today - timedelta(days=1), seen_version=None
        )
    closed = step_down_social_care_close(actor=social_worker, step_down=step_down, closed_on=today, seen_version=None)
    assert closed.episode_id is not None
    episode = Episode.objects.get(pk=closed.episode_id)
    # Early help holds the case from its allocation; social care held it until it closed, on or
    # after that day: no day between them without someone holding the case.
    assert episode.allocated_at is not None
    assert closed.social_care_closed_on is not None
    assert timezone.localtime(episode.allocated_at).date() <= closed.social_care_closed_on
    assert episode.status == Episode.Status.OPEN


def test_the_step_down_journey_in_the_pages(family, social_worker, team_leader, team, frameworks):
    client = signed_in(social_worker)
    chooser = client.get("/transfer-panel/propose/", {"family": "F999999"}).content.decode()
    assert "No family has this reference" in chooser
    url = f"/transfer-panel/propose/?family={family.reference}"
    refused = client.post(url, {"why_now": "Needs have lessened", "proposed_plan": ""})
    assert "Write the proposed plan" in refused.content.decode()
    assert "Needs have lessened" in refused.content.decode()
    response = client.post(
        url,
        {"children": [str(_child(family).pk)], "why_now": "Needs have lessened", "proposed_plan": "School check-ins"},
    )
    assert response.status_code == 302
    step_down = StepDown.objects.get()
    panel = signed_in(team_leader).get("/transfer-panel/").content.decode()
    assert "The Ahmed family" in panel
    response = signed_in(team_leader).post(
        f"/transfer-panel/{step_down.pk}/",
        {
            "version": str(step_down.version),
            "decision": "accept",
            "reason": "Meets the criteria",
            "team": str(team.pk),
            **_date_fields("transfer_on", step_down.panel_on),
        },
    )
    assert response.status_code == 302
    step_down.refresh_from_db()
    assert step_down.status == StepDown.Status.ACCEPTED
    assert (
        "awaiting a family coach"
        in signed_in(team_leader).get(f"/episodes/{step_down.episode_id}/").content.decode().lower()
    )


def test_after_the_handover_the_family_gets_a_letter_printable_and_as_a_pdf(
    family, social_worker, team_leader, coach, team, frameworks
):
    step_down = _accepted(_proposed(family, social_worker), team_leader, team)
    client = signed_in(social_worker)
    assert client.get(f"/transfer-panel/{step_down.pk}/letter/").status_code == 404  # no handover yet
    _allocated(step_down, team_leader, coach)
    today = timezone.localdate()
    step_down_hand_over(
        actor=coach,
        step_down=step_down,
        handover_on=today,
        note="Joint visit",
        consent_given_by="Sara Ahmed",
        consent_given_on=today,
        seen_version=None,
    )
    letter = client.get(f"/transfer-panel/{step_down.pk}/letter/").content.decode()
    assert "Your help is moving to early help" in letter
    assert "Coach" in letter or "coach" in letter
    pdf = client.get(f"/transfer-panel/{step_down.pk}/letter/", {"as": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
