"""Step-up to children's social care (FF §14): raised by whoever works the episode, the team's
leaders told at once; decided by a team leader after a case discussion, the family told unless
that puts a child at risk; the transfer date agreed, the handover held, then the case closes, so
that there is never a day when nobody holds it. Under Family Help, a child in need's episode stays
open with a new legal basis."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework.closing import ClosureDetails, episode_close
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import Episode, LegalBasis, Oversight, ServiceModel, StepUp
from earlyhelp.casework.transfers import StepUpDecision, step_up_decide, step_up_hand_over, step_up_raise
from tests.conftest import signed_in
from tests.factories import episode_allocated

pytestmark = pytest.mark.django_db


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _raised(episode, coach) -> StepUp:
    return step_up_raise(actor=coach, episode=episode, concerns="Police called twice this week; Maya has bruises")


def _decided(step_up, leader, **changes) -> StepUp:
    values: dict[str, Any] = {
        "decision": StepUp.Status.STEPPING_UP,
        "reason": "Needs a statutory assessment",
        "discussed_with": "Jo Brown, MASH practice lead",
        "family_told": True,
        "transfer_on": timezone.localdate(),
        "social_care_reference": "CSC-1234",
    }
    values.update(changes)
    return step_up_decide(actor=leader, step_up=step_up, details=StepUpDecision(**values), seen_version=None)


def test_raising_a_step_up_tells_the_teams_leaders_at_once_without_naming_the_family(
    episode, coach, team_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(coach).post(f"/episodes/{episode.pk}/step-up/", {"concerns": "Things are worse at home"})
    assert response.status_code == 302
    assert StepUp.objects.get().status == StepUp.Status.RAISED
    (sent,) = mail.outbox
    assert sent.to == [team_leader.email]
    assert episode.reference in sent.subject
    assert "Brennan" not in f"{sent.subject} {sent.body}"
    page = signed_in(team_leader).get(f"/teams/{episode.team_id}/").content.decode()
    assert "Step-ups to children's social care waiting for a decision" in page


def test_only_one_step_up_is_in_hand_at_a_time(episode, coach):
    _raised(episode, coach)
    with pytest.raises(ValidationError, match="already in hand"):
        _raised(episode, coach)


def test_a_decision_needs_the_case_discussion_and_says_whether_the_family_was_told(episode, coach, team_leader):
    step_up = _raised(episode, coach)
    with pytest.raises(ValidationError) as refused:
        _decided(step_up, team_leader, discussed_with="", family_told=None, transfer_on=None, reason="")
    assert set(refused.value.message_dict) == {"discussed_with", "family_told", "transfer_on", "reason"}
    with pytest.raises(ValidationError) as refused:
        _decided(step_up, team_leader, family_told=False)
    assert "not_told_because" in refused.value.message_dict
    decided = _decided(step_up, team_leader, family_told=False, not_told_because="Dad would take it out on Maya")
    assert decided.status == StepUp.Status.STEPPING_UP
    assert Oversight.objects.filter(episode=episode, point=Oversight.Point.TRANSFER).exists()


def test_a_coach_cannot_decide_and_a_decision_is_made_once(episode, coach, team_leader):
    step_up = _raised(episode, coach)
    with pytest.raises(ValidationError, match="Only a team leader"):
        _decided(step_up, coach)
    _decided(step_up, team_leader, decision=StepUp.Status.STAYING, discussed_with="")
    with pytest.raises(ValidationError, match="already decided"):
        _decided(step_up, team_leader)


def test_the_case_is_not_handed_over_before_the_transfer_date_while_the_coach_holds_it(episode, coach, team_leader):
    today = timezone.localdate()
    step_up = _decided(_raised(episode, coach), team_leader, transfer_on=today + timedelta(days=3))
    with pytest.raises(ValidationError, match="until then the family's coach holds the case"):
        step_up_hand_over(
            actor=team_leader, step_up=step_up, handover_on=today, note="Met", receiving_worker="Sam", seen_version=None
        )
    episode.refresh_from_db()
    assert episode.status == Episode.Status.OPEN


def test_after_the_handover_the_case_closes_so_someone_holds_it_every_day(episode, coach, team_leader):
    today = timezone.localdate()
    step_up = _decided(_raised(episode, coach), team_leader, transfer_on=today)
    step_up_hand_over(
        actor=team_leader,
        step_up=step_up,
        handover_on=today,
        note="Handover meeting with Sam Ortiz: plan and chronology passed on",
        receiving_worker="Sam Ortiz",
        seen_version=None,
    )
    episode.refresh_from_db()
    step_up.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.end_reason == Episode.EndReason.STEPPED_UP
    assert step_up.status == StepUp.Status.HANDED_OVER
    # Early help held the case from allocation to the day it closed; social care holds it from the
    # transfer date, which is no later: every day from allocation on, someone holds the case.
    assert episode.allocated_at is not None
    assert step_up.transfer_on is not None
    closed_on = timezone.localtime(episode.closed_at).date()
    assert timezone.localtime(episode.allocated_at).date() <= step_up.transfer_on <= closed_on
    with pytest.raises(ValidationError, match=r"handed over to children's social care|Only a team leader"):
        step_up_hand_over(
            actor=team_leader,
            step_up=step_up,
            handover_on=today,
            note="Again",
            receiving_worker="Sam",
            seen_version=None,
        )


def test_a_case_with_a_step_up_in_hand_cannot_simply_be_closed(episode, coach, team_leader):
    _raised(episode, coach)
    with pytest.raises(ValidationError) as refused:
        episode_close(
            actor=team_leader,
            episode=episode,
            details=ClosureDetails(end_reason="disengaged", summary="Gone", social_care_referral="refer"),
            seen_version=None,
        )
    assert "A step-up to children's social care is in hand" in str(refused.value)


def test_under_family_help_a_child_in_need_stays_open_with_a_new_legal_basis(
    episode, coach, team_leader, social_worker
):
    settings = casework_settings_of(episode.authority)
    settings.service_model = ServiceModel.FAMILY_HELP
    settings.save()
    step_up = _decided(
        _raised(episode, coach),
        team_leader,
        decision=StepUp.Status.CHILD_IN_NEED,
        transfer_on=None,
        social_worker=social_worker,
    )
    episode.refresh_from_db()
    assert step_up.status == StepUp.Status.CHILD_IN_NEED
    assert episode.status == Episode.Status.OPEN
    assert episode.legal_basis == LegalBasis.CHILD_IN_NEED
    assert episode.overseeing_social_worker == social_worker


def test_under_families_first_a_child_in_need_is_stepped_up_not_kept(episode, coach, team_leader, social_worker):
    with pytest.raises(ValidationError, match="only the Family Help configuration"):
        _decided(
            _raised(episode, coach),
            team_leader,
            decision=StepUp.Status.CHILD_IN_NEED,
            social_worker=social_worker,
        )


def test_the_step_up_journey_in_the_browser_ends_with_the_referral_and_the_ending_letter(episode, coach, team_leader):
    today = timezone.localdate()
    signed_in(coach).post(f"/episodes/{episode.pk}/step-up/", {"concerns": "Maya disclosed being hit"})
    step_up = StepUp.objects.get()
    leader = signed_in(team_leader)
    refused = leader.post(
        f"/episodes/{episode.pk}/step-up/{step_up.pk}/decide/",
        {"version": str(step_up.version), "decision": "stepping_up", "reason": "Statutory assessment needed"},
    )
    assert "Say whether the family has been told" in refused.content.decode()
    assert "Statutory assessment needed" in refused.content.decode()
    response = leader.post(
        f"/episodes/{episode.pk}/step-up/{step_up.pk}/decide/",
        {
            "version": str(step_up.version),
            "decision": "stepping_up",
            "reason": "Statutory assessment needed",
            "discussed_with": "Jo Brown",
            "family_told": "yes",
            "social_care_reference": "CSC-99",
            **_date_fields("transfer_on", today),
        },
    )
    assert response.status_code == 302
    referral = leader.get(f"/episodes/{episode.pk}/step-up/{step_up.pk}/referral/").content.decode()
    for words in ("Maya disclosed being hit", "The chronology", "The plan", "The assessment", "Contact received"):
        assert words in referral
    step_up.refresh_from_db()
    response = leader.post(
        f"/episodes/{episode.pk}/step-up/{step_up.pk}/hand-over/",
        {
            "version": str(step_up.version),
            "receiving_worker": "Sam Ortiz",
            "note": "Handed over in person",
            **_date_fields("handover_on", today),
        },
    )
    assert response.status_code == 302
    letter = leader.get(f"/episodes/{episode.pk}/step-up/{step_up.pk}/ending-letter/").content.decode()
    assert "Sam Ortiz from children's social care is your family's social worker" in letter
    case_file = leader.get(f"/episodes/{episode.pk}/").content.decode()
    assert "The step-up and its handover" in case_file
