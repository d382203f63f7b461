"""Supporting Families: progress against the headline outcomes at each point, the six-month check
that comes due after closure, the evidence for a claim, and two team leaders recording one check."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework import supporting_families as sf
from earlyhelp.casework.closing import ClosureDetails, episode_close
from earlyhelp.casework.models import Episode, OutcomeProgress, SustainedCheck
from earlyhelp.casework.timescales import months_later
from earlyhelp.forums.reports import Period
from earlyhelp.performance.supporting_families import evidence_for, quarterly
from tests.conftest import signed_in
from tests.factories import UserFactory, episode_allocated
from tests.test_concurrency import at_once

pytestmark = pytest.mark.django_db

OUTCOME = "sf-family-relationships"  # coded for each child by the factories' allocation note


def closed(episode: Episode, leader) -> Episode:
    child = episode.children.get()
    details = ClosureDetails(
        end_reason="moved_away",  # no ending meeting needed: the family moved out of the area
        summary="The family moved away, its goals reached.",
        social_care_referral="not_refer",
        social_care_because="No worry remains",
        wellbeing={child.person_id: 8},
    )
    return episode_close(actor=leader, episode=episode, details=details, seen_version=None)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def test_progress_is_recorded_for_every_outcome_once_at_each_point(episode, coach):
    [made] = sf.progress_record(
        actor=coach, episode=episode, point="assessment", meeting=None, statuses={OUTCOME: "not_yet"}
    )
    assert (made.outcome.code, made.status) == (OUTCOME, "not_yet")
    with pytest.raises(ValidationError, match="already recorded this"):
        sf.progress_record(actor=coach, episode=episode, point="assessment", meeting=None, statuses={OUTCOME: "met"})
    with pytest.raises(ValidationError, match="every outcome"):
        sf.progress_record(actor=coach, episode=episode, point="closure", meeting=None, statuses={})
    with pytest.raises(ValidationError, match="not improving yet, improving or met"):
        sf.progress_record(actor=coach, episode=episode, point="closure", meeting=None, statuses={OUTCOME: "great"})
    with pytest.raises(ValidationError, match="the review meeting"):
        sf.progress_record(actor=coach, episode=episode, point="review", meeting=None, statuses={OUTCOME: "met"})
    assert OutcomeProgress.objects.count() == 1


def test_someone_not_working_with_the_family_cannot_record_progress(episode, authority):
    from earlyhelp.organisations.roles import Role
    from tests.factories import TeamFactory

    other = UserFactory(authority=authority, team=TeamFactory(area__authority=authority), roles=[Role.FAMILY_COACH])
    with pytest.raises(ValidationError, match="Only the family's coach"):
        sf.progress_record(actor=other, episode=episode, point="assessment", meeting=None, statuses={OUTCOME: "met"})


def test_the_check_comes_due_six_months_after_closure_and_is_recorded_once(episode, coach, team_leader):
    sf.progress_record(actor=coach, episode=episode, point="closure", meeting=None, statuses={OUTCOME: "met"})
    ended = closed(episode, team_leader)
    closed_on = timezone.localtime(ended.closed_at).date()
    due = months_later(closed_on, 6)
    assert sf.check_due_on(ended) == due
    assert sf.checks_due(team_leader, today=closed_on) == []
    # Shown four weeks before it falls due, so that it can be planned.
    assert [e.pk for e, _ in sf.checks_due(team_leader, today=due - timedelta(days=28))] == [ended.pk]
    assert sf.checks_due(team_leader, today=due - timedelta(days=29)) == []

    with pytest.raises(ValidationError, match="six months after closure"):
        sf.sustained_check_record(
            actor=team_leader, episode=ended, checked_on=due - timedelta(days=1), sustained=[OUTCOME], looked_at="x"
        )
    with time_machine.travel(noon(due + timedelta(days=3))):
        with pytest.raises(ValidationError, match="Only an outcome met at closure"):
            sf.sustained_check_record(
                actor=team_leader, episode=ended, checked_on=due, sustained=["sf-housing"], looked_at="Records"
            )
        with pytest.raises(ValidationError, match="Say what was looked at"):
            sf.sustained_check_record(
                actor=team_leader, episode=ended, checked_on=due, sustained=[OUTCOME], looked_at=" "
            )
        with pytest.raises(ValidationError, match="Only a team leader"):
            sf.sustained_check_record(
                actor=coach, episode=ended, checked_on=due, sustained=[OUTCOME], looked_at="School attendance 96%"
            )
        check = sf.sustained_check_record(
            actor=team_leader, episode=ended, checked_on=due, sustained=[OUTCOME], looked_at="School attendance 96%"
        )
        assert (check.sustained, check.not_sustained) == ([OUTCOME], [])
        with pytest.raises(ValidationError, match="already recorded this check"):
            sf.sustained_check_record(actor=team_leader, episode=ended, checked_on=due, sustained=[], looked_at="Again")
        assert sf.checks_due(team_leader, today=due) == []


@pytest.mark.parametrize(
    ("changes", "claimable", "missing"),
    [
        ({}, True, []),
        ({"needs": 2}, False, ["three or more needs (2 coded)"]),
        ({"lead": False}, False, ["a lead practitioner"]),
        ({"assessed": False}, False, ["a whole-family assessment"]),
        ({"planned": False}, False, ["a plan"]),
        ({"not_sustained": ["sf-housing"]}, False, ["outcomes sustained"]),
        ({"sustained": []}, False, ["outcomes sustained"]),
    ],
)
def test_a_claim_needs_every_part_of_its_evidence(changes: dict[str, Any], claimable: bool, missing: list[str]):
    values: dict[str, Any] = {
        "needs": 3,
        "lead": True,
        "assessed": True,
        "planned": True,
        "sustained": ["sf-education"],
        "not_sustained": [],
    }
    evidence = sf.claim_evidence(**(values | changes))
    assert evidence.claimable is claimable
    assert evidence.missing == missing


def test_the_pages_record_progress_and_list_the_checks_and_the_evidence(episode, coach, team_leader, analyst):
    page = signed_in(coach).get(f"/episodes/{episode.pk}/supporting-families/")
    assert page.status_code == 200
    assert "Improved family relationships" in page.content.decode()
    refused = signed_in(coach).post(f"/episodes/{episode.pk}/supporting-families/", {"point": "closure"})
    assert "Say where the family stands on ‘Improved family relationships’" in refused.content.decode()
    saved = signed_in(coach).post(
        f"/episodes/{episode.pk}/supporting-families/", {"point": "closure", f"status-{OUTCOME}": "met"}
    )
    assert saved.status_code == 302
    ended = closed(episode, team_leader)
    due = sf.check_due_on(ended)
    assert due is not None
    with time_machine.travel(noon(due)):
        listed = signed_in(team_leader).get("/supporting-families/checks/")
        assert ended.family.name in listed.content.decode()
        form = signed_in(team_leader).get(f"/episodes/{ended.pk}/supporting-families/six-month-check/")
        assert "What to look at" in form.content.decode()
        recorded = signed_in(team_leader).post(
            f"/episodes/{ended.pk}/supporting-families/six-month-check/",
            {
                "checked_on_0": due.day,
                "checked_on_1": due.month,
                "checked_on_2": due.year,
                "sustained": [OUTCOME],
                "looked_at": "The family's account; no new contacts",
            },
        )
        assert recorded.status_code == 302
        assert SustainedCheck.objects.get().sustained == [OUTCOME]
        report = signed_in(analyst).get("/performance/supporting-families/?format=csv")
        text = report.content.decode("utf-8-sig")
        assert ended.reference in text
        assert ended.family.name not in text
        families = evidence_for(ended.authority, Period(due - timedelta(days=1), due))
        assert [family.episode_id for family in families] == [ended.pk]
        assert families[0].evidence.missing == ["three or more needs (1 coded)", "a whole-family assessment", "a plan"]
        [summary] = quarterly(families)
        assert (summary.checked, summary.claimable, summary.not_sustained) == (1, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_two_team_leaders_recording_one_check_at_once_record_it_once(
    committed_db, team, coach, team_leader, authority, frameworks
):
    from django.db import connection

    from earlyhelp.organisations.roles import Role

    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")
    other_leader = UserFactory(authority=authority, team=team, roles=[Role.TEAM_LEADER], full_name="Second leader")
    episode = episode_allocated(team, coach, team_leader)
    sf.progress_record(actor=coach, episode=episode, point="closure", meeting=None, statuses={OUTCOME: "met"})
    ended = closed(episode, team_leader)
    due = sf.check_due_on(ended)
    assert due is not None
    with time_machine.travel(noon(due), tick=True):
        leaders = iter([team_leader, other_leader])
        chosen = [next(leaders), next(leaders)]
        turn = iter(range(2))

        def record() -> Any:
            who = chosen[next(turn)]
            return sf.sustained_check_record(
                actor=who,
                episode=Episode.objects.get(pk=ended.pk),
                checked_on=due,
                sustained=[OUTCOME],
                looked_at="Records",
            )

        results = at_once(2, record)
    assert SustainedCheck.objects.count() == 1
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 1
    assert "already recorded this check" in " ".join(refused[0].messages)


def test_the_new_pages_make_the_same_queries_however_many_families(team, coach, team_leader, frameworks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(team_leader)

    def counts() -> list[int]:
        found = []
        for path in (
            "/performance/supporting-families/",
            "/performance/partner-agencies/",
            "/supporting-families/checks/",
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            found.append(len(captured))
        return found

    for _ in range(2):
        ended = closed(episode_allocated(team, coach, team_leader), team_leader)
        assert ended.closed_at is not None
    first = counts()
    for _ in range(3):
        closed(episode_allocated(team, coach, team_leader), team_leader)
    assert counts() == first
