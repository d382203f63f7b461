"""The forums' figures (EHF; FF performance table): counted from the records, for any period."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from earlyhelp.forums import reports, running
from earlyhelp.forums.models import Forum
from tests import forums_world as world_of
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(authority, forum_coordinator, business_support, alice, frameworks):
    built = world_of.forum_world(
        authority, coordinator=forum_coordinator, business_support=business_support, core=alice
    )
    return world_of.with_a_discussed_case(built)


def test_quarters_run_from_the_first_of_january_april_july_and_october():
    assert reports.quarter_of(date(2026, 12, 7)) == reports.Period(date(2026, 10, 1), date(2026, 12, 31))
    assert reports.quarter_of(date(2026, 1, 1)) == reports.Period(date(2026, 1, 1), date(2026, 3, 31))
    assert reports.quarter_of(date(2026, 6, 30)) == reports.Period(date(2026, 4, 1), date(2026, 6, 30))
    assert reports.quarter_of(date(2026, 8, 15)) == reports.Period(date(2026, 7, 1), date(2026, 9, 30))


def test_a_share_is_a_whole_percentage_or_nothing():
    assert reports.share(1, 3) == 33
    assert reports.share(2, 3) == 67
    assert reports.share(0, 0) is None


def test_each_forums_figures_are_counted_from_its_records(world):
    case = world.extra["discussed"]
    past = case.discussions.get().meeting
    action = world.extra["action"]
    running.action_review(
        actor=world.coordinator.user,
        member=world.coordinator,
        action=action,
        meeting=past,
        outcome="done",
        done_on=past.held_on,
        note="",
        seen_version=None,
    )
    running.attendance_record(
        actor=world.coordinator.user,
        member=world.coordinator,
        meeting=past,
        attendees=[
            running.Attendee("A", "School", "both"),
            running.Attendee("B", "School", "part_one"),
            running.Attendee("C", "Police", "apologies"),
        ],
    )
    running.case_move_on(
        actor=world.coordinator.user,
        member=world.coordinator,
        request=case,
        ending=running.Ending.OUTCOMES_MET,
        reason="Housed",
        seen_version=None,
    )
    today = timezone.localdate()
    [figures] = reports.forum_figures(Forum.objects.all(), reports.Period(today - timedelta(days=30), today))
    assert (figures.meetings_held, figures.cases_discussed, figures.anonymous_cases, figures.issues_discussed) == (
        1,
        1,
        0,
        0,
    )
    assert (figures.actions_due, figures.actions_done_on_time, figures.actions_on_time_share) == (1, 1, 100)
    assert (figures.outcomes_met, figures.escalated, figures.referred) == (1, 0, 0)
    assert figures.attendance == [("School", 2)]
    assert figures.attended == 2
    assert figures.action_notes_on_time == 0
    assert figures.decisions_on_time == 0
    [earlier] = reports.forum_figures(
        Forum.objects.all(), reports.Period(today - timedelta(days=400), today - timedelta(days=31))
    )
    assert (earlier.meetings_held, earlier.cases_discussed, earlier.actions_due, earlier.outcomes_met) == (0, 0, 0, 0)


def test_the_quarterly_report_counts_the_contacts_where_a_caf_was_recommended(authority, front_door, frameworks):
    from earlyhelp.frontdoor import deciding, matching
    from earlyhelp.thresholds.rules import Facts
    from earlyhelp.thresholds.selectors import framework_version_latest
    from tests.factories import contact_received

    version = framework_version_latest()
    assert version is not None
    for indicators, level in ((["l2-learning-01", "l2-health-01"], 2), (["l1-learning-01"], 1)):
        contact = contact_received(front_door)
        for entry in contact.people.all():
            matching.contact_person_record(seen_version=None, actor=front_door, entry=entry)
        contact.refresh_from_db()
        deciding.contact_level_of_need_record(
            actor=front_door, contact=contact, version=version, indicators=indicators, facts=Facts(), level=level
        )
    found = reports.caf_recommended(authority.pk, reports.quarter_of(timezone.localdate()))
    assert found.total == 1
    assert found.by_outcome == [("Awaiting a decision", 1)]
    assert found.brought_to_a_forum == 0


def test_the_reports_page_draws_each_chart_with_its_table(world):
    page = signed_in(world.coordinator.user).get("/forums/reports/").content.decode()
    assert '<svg role="img" aria-labelledby="discussed-title"' in page
    assert "Each forum&#x27;s figures" in page or "Each forum's figures" in page
    assert "Maya" not in page
    assert "Sam Taylor" not in page


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(world):
    response = signed_in(world.coordinator.user).get(
        "/forums/reports/?since_0=2&since_1=2&since_2=2026&until_0=1&until_1=1&until_2=2026"
    )
    assert "The end of the period must be on or after its start" in response.content.decode()


def test_bars_scale_to_the_largest_value():
    chart = reports.bars([("A", 2), ("B", 4), ("C", 0)], width=100)
    assert [bar.width for bar in chart.bars] == [50, 100, 0]
    assert chart.height == 96
    assert reports.bars([]).bars == []


def test_a_meetings_own_timescales_count_when_met_and_each_case_once(world):
    from earlyhelp.forums import requesting

    today = timezone.localdate()
    # Yesterday: no calendar meeting is ever in the past (the calendar starts today), and decisions
    # recorded today are within three working days of it.
    meeting = world_of.past_meeting(world.forum, days_ago=1)
    anonymous = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=world_of.details(world.requester)
    )
    issue = requesting.request_submit(
        actor=world.requester,
        forum=world.forum,
        details=world_of.details(world.requester, kind="community_issue", about=""),
    )
    world_of.accept(world, anonymous, meeting)
    world_of.accept(world, issue, meeting)
    for request in (anonymous, issue, world.extra["discussed"]):
        running.discussion_record(
            actor=world.coordinator.user,
            member=world.coordinator,
            meeting=meeting,
            request=request,
            notes="Discussed",
            decisions="Decided",
            actions=[],
        )
    running.decisions_recorded(
        actor=world.coordinator.user, member=world.coordinator, meeting=meeting, learning="", seen_version=None
    )
    running.action_notes_send(actor=world.coordinator.user, member=world.coordinator, meeting=meeting)
    [figures] = reports.forum_figures(Forum.objects.all(), reports.Period(today - timedelta(days=30), today))
    # The followed-up case was discussed at two meetings in the period: one case.
    assert (figures.cases_discussed, figures.anonymous_cases, figures.issues_discussed) == (2, 1, 1)
    assert (figures.meetings_held, figures.decisions_on_time, figures.action_notes_on_time) == (2, 1, 1)
    assert figures.attended == 0


def test_the_caf_report_counts_an_update_recommended_and_only_the_periods_contacts(authority, front_door, frameworks):
    from earlyhelp.frontdoor import deciding, matching
    from earlyhelp.thresholds.rules import Facts
    from earlyhelp.thresholds.selectors import framework_version_latest
    from tests.factories import contact_received

    version = framework_version_latest()
    assert version is not None
    now = timezone.now()
    for received_at in (now - timedelta(days=1), now):
        contact = contact_received(front_door, received_at=received_at)
        for entry in contact.people.all():
            matching.contact_person_record(seen_version=None, actor=front_door, entry=entry)
        contact.refresh_from_db()
        deciding.contact_level_of_need_record(
            actor=front_door,
            contact=contact,
            version=version,
            indicators=["l3-learning-01"],
            facts=Facts(caf_exists=True),
            level=3,
        )
        contact.refresh_from_db()
        assert contact.level_of_need is not None
        assert {action["id"] for action in contact.level_of_need.recommendation["actions"]} & reports.CAF_ACTIONS == {
            "caf_update"
        }
    yesterday = timezone.localdate(now - timedelta(days=1))
    found = reports.caf_recommended(authority.pk, reports.Period(yesterday - timedelta(days=5), yesterday))
    assert found.total == 1
