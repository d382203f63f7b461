"""Two people press the same button (issue 14's state changes): real concurrent calls on
PostgreSQL, each thread with its own connection, against data committed for real. One wins; the
other is told, and nothing is done twice."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework.models import Episode, StepDown, StepUp
from earlyhelp.casework.stepping_down import PanelDecision, Proposal, step_down_decide, step_down_propose
from earlyhelp.casework.transfers import StepUpDecision, step_up_decide, step_up_raise
from earlyhelp.organisations.roles import Role
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.models import AgencyReferral
from earlyhelp.records.referring import ReferralDetails, agency_referral_make, agency_referral_outcome
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, UserFactory, add_member, episode_allocated
from tests.test_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql_only() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")


@pytest.fixture
def second_leader(authority, team):
    return UserFactory(authority=authority, team=team, roles=[Role.TEAM_LEADER], full_name="Second Leader")


def _failures(results: list[Any]) -> list[Any]:
    return [result for result in results if isinstance(result, Exception)]


def test_two_team_leaders_deciding_one_step_up_at_once_decide_it_once(
    postgresql_only, committed_db, team, coach, team_leader, second_leader, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    step_up = step_up_raise(actor=coach, episode=episode, concerns="Worse")
    leaders = iter([team_leader, second_leader])

    def decide() -> Any:
        leader = next(leaders)
        decision = StepUpDecision("stepping_up", f"By {leader}", "MASH lead", True, "", timezone.localdate())
        return step_up_decide(
            actor=leader, step_up=StepUp.objects.get(pk=step_up.pk), details=decision, seen_version=None
        )

    results = at_once(2, decide)
    failures = _failures(results)
    assert len(failures) == 1
    assert isinstance(failures[0], ValidationError)
    assert "already decided" in str(failures[0])
    assert StepUp.objects.get().status == StepUp.Status.STEPPING_UP


def test_two_panel_members_accepting_one_step_down_at_once_open_one_episode(
    postgresql_only, committed_db, team, team_leader, second_leader, social_worker, frameworks
):
    family = FamilyFactory(name="The Ahmed family")
    add_member(family, AdultFactory(), FamilyMembership.Role.PARENT)
    add_member(family, PersonFactory(date_of_birth=date(2014, 6, 2)))
    child = family.memberships.get(role=FamilyMembership.Role.CHILD).person_id
    step_down = step_down_propose(actor=social_worker, family=family, proposal=Proposal([child], "Better", "Plan"))
    leaders = iter([team_leader, second_leader])

    def accept() -> Any:
        decision = PanelDecision("accept", "Meets the criteria", team, step_down.panel_on)
        return step_down_decide(
            actor=next(leaders), step_down=StepDown.objects.get(pk=step_down.pk), details=decision, seen_version=None
        )

    failures = _failures(at_once(2, accept))
    assert len(failures) == 1
    assert "already decided" in str(failures[0])
    assert Episode.objects.filter(family=family).count() == 1


def test_two_outcomes_saved_from_one_page_at_once_save_one(
    postgresql_only, committed_db, team, coach, team_leader, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    referral = agency_referral_make(
        actor=coach,
        episode=episode,
        details=ReferralDetails(None, "CAMHS", "Assessment", "Sleep", timezone.localdate(), True),
    )
    outcomes = iter(["accepted", "declined"])
    seen = referral.version

    def record() -> Any:
        return agency_referral_outcome(
            actor=coach,
            referral=AgencyReferral.objects.get(pk=referral.pk),
            outcome=next(outcomes),
            details="",
            on=timezone.localdate(),
            seen_version=seen,
        )

    failures = _failures(at_once(2, record))
    assert len(failures) == 1
    assert AgencyReferral.objects.get().outcome in ("accepted", "declined")
    assert AgencyReferral.objects.get().version == seen + 1
