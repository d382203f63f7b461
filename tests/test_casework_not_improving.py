"""Not improving (issue 14): a child's wellbeing no better across reviews, or plan actions
slipping, flags the family to its team leader, who records what happens next."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.casework.improving import (
    Score,
    actions_overdue,
    not_improving_respond,
    reasons_not_improving,
    wellbeing_no_better,
)
from earlyhelp.casework.models import NotImproving
from earlyhelp.casework.planning import ActionDetails, plan_action_add
from tests.conftest import signed_in
from tests.factories import episode_allocated

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 10, tzinfo=timezone.get_fixed_timezone(0))


def _scores(*pairs: tuple[str, int]) -> list[Score]:
    return [Score(DAY + timedelta(days=7 * index), point, score) for index, (point, score) in enumerate(pairs)]


@pytest.mark.parametrize(
    ("scores", "no_better"),
    [
        # flat at two reviews in a row
        (_scores(("allocation", 4), ("review", 4), ("review", 4)), True),
        # falling
        (_scores(("assessment", 5), ("review", 4), ("review", 3)), True),
        # one review up, one down: improving overall, not flagged
        (_scores(("allocation", 4), ("review", 5), ("review", 5)), False),
        (_scores(("allocation", 4), ("review", 5), ("review", 4)), False),
        # only one review so far: too soon to say
        (_scores(("allocation", 4), ("review", 3)), False),
        # reviews but nothing before the first: too soon to say
        (_scores(("review", 3), ("review", 3)), False),
        # rising, then flat for the last two
        (_scores(("allocation", 2), ("review", 5), ("review", 5), ("review", 5)), True),
    ],
)
def test_wellbeing_no_better_across_the_last_reviews(scores, no_better):
    assert wellbeing_no_better(scores, reviews=2) is no_better


def test_the_scores_are_read_in_the_order_they_were_recorded():
    shuffled = list(reversed(_scores(("allocation", 4), ("review", 4), ("review", 4))))
    assert wellbeing_no_better(shuffled, reviews=2)


def test_the_number_of_reviews_is_the_authoritys_setting():
    scores = _scores(("allocation", 4), ("review", 5), ("review", 5))
    assert wellbeing_no_better(scores, reviews=1)
    assert not wellbeing_no_better(scores, reviews=2)
    assert not wellbeing_no_better(scores, reviews=3)


def test_only_open_actions_past_their_date_count_as_slipping():
    today = date(2026, 3, 10)
    actions = [(date(2026, 3, 9), True), (date(2026, 3, 10), True), (date(2026, 3, 1), False), (date(2026, 2, 1), True)]
    assert actions_overdue(actions, today=today) == 2


def test_the_reasons_say_why_in_words():
    reasons = reasons_not_improving(
        scores_by_child={"Maya Brennan": _scores(("allocation", 4), ("review", 4), ("review", 3))},
        actions=[(date(2026, 3, 1), True), (date(2026, 3, 2), True)],
        today=date(2026, 3, 10),
        reviews=2,
        overdue_actions=2,
    )
    assert reasons == [
        "Maya Brennan's wellbeing has been no better at the last 2 reviews",
        "2 plan actions are past their date",
    ]
    assert not reasons_not_improving(
        scores_by_child={}, actions=[(date(2026, 3, 1), True)], today=date(2026, 3, 10), reviews=2, overdue_actions=2
    )


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _slipping(episode, coach, count: int = 2) -> None:
    """Actions added with today's date, then left: tomorrow they are overdue. The check runs on
    "today", so the test moves their date back through the database's own record of them."""
    for number in range(count):
        plan_action_add(
            actor=coach,
            episode=episode,
            details=ActionDetails(f"Action {number}", "Mum", timezone.localdate(), "Better mornings", "Register"),
        )


def test_actions_slipping_flag_the_family_to_its_team_leader_who_records_what_happens_next(
    episode, coach, team_leader, monkeypatch
):
    _slipping(episode, coach)
    assert not NotImproving.objects.exists()  # due today: not yet slipping
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr("earlyhelp.casework.improving.timezone.localdate", lambda: tomorrow)
    call_command("casework", "not-improving")
    flag = NotImproving.objects.get()
    assert flag.reasons == ["2 plan actions are past their date"]
    team_page = signed_in(team_leader).get(f"/teams/{episode.team_id}/").content.decode()
    assert "Families not improving, waiting for what happens next" in team_page
    case_file = signed_in(coach).get(f"/episodes/{episode.pk}/").content.decode()
    assert "Not improving, flagged" in case_file
    assert "The team leader is asked what happens next" in case_file

    client = signed_in(team_leader)
    refused = client.post(f"/episodes/{episode.pk}/not-improving/{flag.pk}/", {"what_next": ""})
    assert "Say what happens next" in refused.content.decode()
    response = client.post(
        f"/episodes/{episode.pk}/not-improving/{flag.pk}/", {"what_next": "Case discussion on Friday; new plan"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.responded_by == team_leader
    # Answered: the same reasons do not flag the family again.
    call_command("casework", "not-improving")
    assert NotImproving.objects.count() == 1


def test_only_a_team_leader_answers_and_only_once(episode, coach, team_leader, monkeypatch):
    _slipping(episode, coach)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr("earlyhelp.casework.improving.timezone.localdate", lambda: tomorrow)
    call_command("casework", "not-improving")
    flag = NotImproving.objects.get()
    with pytest.raises(ValidationError, match="Only a team leader"):
        not_improving_respond(actor=coach, flag=flag, what_next="Carry on")
    not_improving_respond(actor=team_leader, flag=flag, what_next="Carry on")
    with pytest.raises(ValidationError, match="already answered"):
        not_improving_respond(actor=team_leader, flag=flag, what_next="Again")
